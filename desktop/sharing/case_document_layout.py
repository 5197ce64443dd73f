"""What each document says: written confirmation, child-file summary, meeting record, notices."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop.casework.document_kinds import KINDS
from desktop.documents.fonts import check_covered
from desktop.documents.render import (
    Header,
    SignatureBlocks,
    SignatureSlots,
    facts,
    keep,
    para,
    styles,
    title_block,
    when,
)
from desktop.sharing.case_document_letters import conference_request, notification
from desktop.sharing.case_document_parts import (
    DocumentData,
    actions_table,
    decision_facts,
    discussions,
    field_text,
    incomplete_note,
    recorded_passages,
    stage_facts,
    stage_parties,
)

# What a document made for two parties records, in the procedures' words
# ("written confirmation between the parties about the nature of the
# disagreement(s) and how any outstanding issues will be pursued"): printed
# under its title, kept in its signed metadata, and repeated in the box of
# whoever countersigns it.
PURPOSES = {
    "confirmation": "the nature of the disagreement and how any outstanding issues will be pursued",
    "meeting-record": "the key areas of discussion, the agreements and the actions of this meeting",
}


def _texts(data: DocumentData) -> list[str]:
    detail = data.detail
    texts = [
        detail.reference,
        detail.child,
        detail.area,
        detail.summary,
        detail.raised_by,
        detail.other_party,
        detail.decision,
        data.signer,
        data.header.organisation,
    ]
    for entry in detail.entries:
        texts += [str(v) for v in entry.fields.values() if isinstance(v, str)]
        texts += [p for p in stage_parties_of(entry.fields)]
        texts += [t for _a, m, p, n in entry.discussions for t in (m, p, n)]
        texts += [t for a, o, _d in entry.actions for t in (a, o)]
        texts += [entry.incomplete_because or ""]
    return texts


def stage_parties_of(fields: dict[str, object]) -> list[str]:
    """Every name, role and agency a stage's parties hold (for the font check)."""
    sides = fields.get("parties")
    if not isinstance(sides, dict):
        return []
    return [str(v) for side in sides.values() if isinstance(side, dict) for v in side.values()]


def confirmation(data: DocumentData) -> tuple[list[Flowable], SignatureSlots]:
    """The written confirmation between the parties of one stage, with that stage's record."""
    st = styles()
    detail, entry, stage = data.detail, data.entry, data.stage
    assert entry is not None and stage is not None
    slots = SignatureSlots()
    raising, receiving = stage_parties(data)
    story: list[Flowable] = title_block(
        "Written confirmation", f"{stage.title} · {detail.procedure}", st
    )
    story.append(
        para(
            f"A written confirmation between the parties of {PURPOSES['confirmation']}. "
            "The other party countersigns it to confirm this record.",
            st["body"],
        )
    )
    story.append(stage_facts(data, st))
    story.append(
        keep(
            para("The parties at this stage", st["h2"]),
            facts([("Raised by", raising), ("With", receiving)], st),
        )
    )
    nature = [
        detail.area,
        detail.summary,
        *(field_text(entry, n) for n in ("concern", "concern_expected", "concern_why")),
        field_text(entry, "concern_needed"),
    ]
    story.append(para("The nature of the disagreement", st["h2"]))
    story += [para(text, st["body"]) for text in nature if text.strip()]
    for name, heading in (
        ("outcome_sought", "The outcome sought"),
        ("other_party_rationale", "The other party's rationale"),
    ):
        if field_text(entry, name):
            story += [para(heading, st["h3"]), para(field_text(entry, name), st["body"])]
    story.append(para("Discussions at this stage", st["h2"]))
    story += discussions(entry, st) or [para("None recorded.", st["body"])]
    story.append(para("How outstanding issues will be pursued", st["h2"]))
    story.append(para(field_text(entry, "outstanding_issues") or "None recorded.", st["body"]))
    story.append(para("Agreements: agreed actions", st["h2"]))
    story.append(actions_table(entry, st))
    story += incomplete_note(entry, st)
    story.append(para("If this is not resolved", st["h2"]))
    for option in data.next_stages:
        story.append(
            para(
                f"Next stage: {option.title} — {option.raising_role} with "
                f"{option.receiving_role}; {option.timescale.describe()}.",
                st["body"],
            )
        )
    if not data.next_stages:
        story.append(para("This is the last stage of the procedure's track.", st["body"]))
    story.append(Spacer(1, 6 * mm))
    story.append(
        SignatureBlocks(
            [("Signed for the raising party", raising), ("Signed for the other party", receiving)],
            slots,
        )
    )
    return story, slots


def summary(data: DocumentData) -> tuple[list[Flowable], SignatureSlots]:
    """The child-file summary: the chronology of the whole escalation."""
    st = styles()
    detail = data.detail
    slots = SignatureSlots()
    story: list[Flowable] = title_block(
        "Child-file summary of a professional escalation",
        f"{detail.procedure} · {detail.track}",
        st,
    )
    story.append(
        facts(
            [
                ("Case", detail.reference),
                ("Child", detail.child),
                ("Area of disagreement", detail.area),
                ("Summary", detail.summary),
                *decision_facts(detail),
                ("Raised by", detail.raised_by),
                ("Other party", detail.other_party),
                ("Status", detail.state.status),
            ],
            st,
        )
    )
    story.append(para("Chronology", st["h2"]))
    for entry in detail.entries:
        label = f"{entry.stage_id}. {entry.title}" + (f" ({entry.kind})" if entry.kind else "")
        if entry.incomplete_because:
            label += " — records incomplete"
        story.append(
            keep(
                para(label, st["h2"]),
                para(
                    f"Opened {when(entry.opened_at)} · due {when(entry.due_at)} · closed "
                    f"{when(entry.closed_at)} · outcome {entry.outcome or 'open'}",
                    st["small"],
                ),
            )
        )
        for title, at in entry.events:
            story.append(para(f"{title}: {when(at)}", st["small"]))
        story += incomplete_note(entry, st)
        story += discussions(entry, st)
        story += recorded_passages(entry, st)
        if entry.actions:
            story.append(actions_table(entry, st))
    story.append(Spacer(1, 6 * mm))
    story.append(SignatureBlocks([("Recorded by", data.signer)], slots))
    return story, slots


def meeting_record(data: DocumentData) -> tuple[list[Flowable], SignatureSlots]:
    """The multi-agency review meeting record."""
    st = styles()
    detail, entry, stage = data.detail, data.entry, data.stage
    assert entry is not None and stage is not None
    slots = SignatureSlots()
    story: list[Flowable] = title_block("Multi-agency meeting record", stage.title, st)
    story.append(
        para(
            f"A record of {PURPOSES['meeting-record']}, signed by the person who recorded "
            "it; the chair countersigns it to confirm this record.",
            st["body"],
        )
    )
    story.append(
        facts(
            [
                ("Case", detail.reference),
                ("Child", detail.child),
                ("Chair", field_text(entry, "chair") or stage.chair),
                ("Attendees", field_text(entry, "attendees")),
                ("Date", when(entry.discussions[0][0] if entry.discussions else entry.opened_at)),
            ],
            st,
        )
    )
    story.append(para("Key areas of discussion", st["h2"]))
    story += discussions(entry, st) or [para("None recorded.", st["body"])]
    story.append(para("Disagreement", st["h2"]))
    story.append(
        para(
            field_text(entry, "outstanding_issues")
            or field_text(entry, "other_party_rationale")
            or "None recorded.",
            st["body"],
        )
    )
    story.append(para("Agreements", st["h2"]))
    story.append(para(f"Outcome: {entry.outcome or 'open'}", st["body"]))
    story.append(para("Actions", st["h2"]))
    story.append(actions_table(entry, st))
    story += incomplete_note(entry, st)
    story.append(Spacer(1, 6 * mm))
    story.append(
        SignatureBlocks(
            [("Chair", field_text(entry, "chair") or stage.chair), ("Recorded by", data.signer)],
            slots,
        )
    )
    return story, slots


def compose(data: DocumentData) -> tuple[list[Flowable], SignatureSlots]:
    """Return the story of ``data.kind``; refuse text no embedded font can show."""
    check_covered(_texts(data))
    builders = {
        "confirmation": confirmation,
        "summary": summary,
        "meeting-record": meeting_record,
        "notification": notification,
        "request": conference_request,
    }
    return builders[data.kind](data)


__all__ = ["KINDS", "PURPOSES", "DocumentData", "Header", "compose"]
