"""What each document says: written confirmation, child-file summary, meeting record, notice."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop.casework.document_kinds import KINDS
from desktop.casework.timeline import CaseDetail, TimelineEntry
from desktop.documents.fonts import check_covered
from desktop.documents.render import (
    Header,
    SignatureBlocks,
    SignatureSlots,
    facts,
    grid,
    keep,
    para,
    styles,
    title_block,
    when,
)
from desktop.procedures.catalogue import RECORD_FIELDS, Stage

# What a document made for two parties records, in the procedures' words
# ("written confirmation between the parties about the nature of the
# disagreement(s) and how any outstanding issues will be pursued"): printed
# under its title, kept in its signed metadata, and repeated in the box of
# whoever countersigns it.
PURPOSES = {
    "confirmation": "the nature of the disagreement and how any outstanding issues will be pursued",
    "meeting-record": "the key areas of discussion, the agreements and the actions of this meeting",
}


@dataclass(frozen=True)
class DocumentData:
    """Everything a document needs, read from the vault in one session."""

    kind: str
    detail: CaseDetail
    entry: TimelineEntry | None
    stage: Stage | None
    next_stages: tuple[Stage, ...]
    signer: str
    header: Header


def _field(entry: TimelineEntry | None, name: str) -> str:
    if entry is None:
        return ""
    value = entry.fields.get(name)
    return value if isinstance(value, str) else ""


def _actions(entries: list[TimelineEntry]) -> list[list[str]]:
    return [[action, owner, when(due)] for e in entries for action, owner, due in e.actions]


def _actions_table(entry: TimelineEntry, st: dict[str, ParagraphStyle]) -> Flowable:
    """Return a stage's agreed actions as a table (saying None when there are none)."""
    rows = _actions([entry]) or [["None", "", ""]]
    return grid(["Action", "Owner", "Due"], rows, [95 * mm, 40 * mm, None], st)


def _discussions(entry: TimelineEntry, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = []
    for at, mode, people, notes in entry.discussions:
        out.append(para(f"{when(at)} · {mode} · with {people}", st["h3"]))
        out.append(para(notes or "—", st["body"]))
    return out


def _texts(data: DocumentData) -> list[str]:
    detail = data.detail
    texts = [
        detail.reference,
        detail.child,
        detail.area,
        detail.summary,
        detail.raised_by,
        detail.other_party,
        data.signer,
        data.header.organisation,
    ]
    for entry in detail.entries:
        texts += [str(v) for v in entry.fields.values() if isinstance(v, str)]
        texts += [t for _a, m, p, n in entry.discussions for t in (m, p, n)]
        texts += [t for a, o, _d in entry.actions for t in (a, o)]
    return texts


def confirmation(data: DocumentData) -> tuple[list[Flowable], SignatureSlots]:
    """The written confirmation between the parties for one stage."""
    st = styles()
    detail, entry, stage = data.detail, data.entry, data.stage
    assert entry is not None and stage is not None
    slots = SignatureSlots()
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
    story.append(
        facts(
            [
                ("Case", detail.reference),
                ("Child", detail.child),
                ("Track", detail.track),
                ("Stage", stage.title),
                ("Stage opened", when(entry.opened_at)),
                ("Timescale", f"{stage.timescale.describe()}; due {when(entry.due_at)}"),
                ("Outcome", entry.outcome or "open"),
            ],
            st,
        )
    )
    story.append(
        keep(
            para("The parties", st["h2"]),
            facts([("Raised by", detail.raised_by), ("Other party", detail.other_party)], st),
        )
    )
    nature = [
        detail.area,
        detail.summary,
        _field(entry, "concern_expected"),
        _field(entry, "concern_why"),
        _field(entry, "concern_needed"),
    ]
    story.append(para("The nature of the disagreement", st["h2"]))
    story += [para(text, st["body"]) for text in nature if text.strip()]
    if _field(entry, "other_party_rationale"):
        story += [
            para("The other party's rationale", st["h3"]),
            para(_field(entry, "other_party_rationale"), st["body"]),
        ]
    story.append(para("How outstanding issues will be pursued", st["h2"]))
    story.append(para(_field(entry, "outstanding_issues") or "None recorded.", st["body"]))
    story.append(para("Agreed actions", st["h2"]))
    story.append(_actions_table(entry, st))
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
            [
                ("Signed for the raising party", detail.raised_by),
                ("Signed for the other party", detail.other_party),
            ],
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
                ("Raised by", detail.raised_by),
                ("Other party", detail.other_party),
                ("Status", detail.state.status),
            ],
            st,
        )
    )
    story.append(para("Chronology", st["h2"]))
    for entry in detail.entries:
        label = f"{entry.stage_id}. {entry.title}" + (" (correction)" if entry.corrects_id else "")
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
        story += _discussions(entry, st)
        for name, value in entry.fields.items():
            if name in RECORD_FIELDS and isinstance(value, str) and value.strip():
                story += [para(RECORD_FIELDS[name], st["h3"]), para(value, st["body"])]
        if entry.actions:
            story.append(_actions_table(entry, st))
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
                ("Chair", _field(entry, "chair") or stage.chair),
                ("Attendees", _field(entry, "attendees")),
                ("Date", when(entry.discussions[0][0] if entry.discussions else entry.opened_at)),
            ],
            st,
        )
    )
    story.append(para("Key areas of discussion", st["h2"]))
    story += _discussions(entry, st) or [para("None recorded.", st["body"])]
    story.append(para("Disagreement", st["h2"]))
    story.append(
        para(
            _field(entry, "outstanding_issues")
            or _field(entry, "other_party_rationale")
            or "None recorded.",
            st["body"],
        )
    )
    story.append(para("Agreements", st["h2"]))
    story.append(para(f"Outcome: {entry.outcome or 'open'}", st["body"]))
    story.append(para("Actions", st["h2"]))
    story.append(_actions_table(entry, st))
    story.append(Spacer(1, 6 * mm))
    story.append(
        SignatureBlocks(
            [("Chair", _field(entry, "chair") or stage.chair), ("Recorded by", data.signer)], slots
        )
    )
    return story, slots


def notification(data: DocumentData) -> tuple[list[Flowable], SignatureSlots]:
    """The notice the procedure says the partnership must receive as evidence of escalation.

    It names the agencies, the area, the stages reached and their outcomes; it
    carries no child identifier (the case reference links it to the file).
    """
    st = styles()
    detail = data.detail
    slots = SignatureSlots()
    stage = data.stage
    recipient = (stage.notify or stage.receiving_role) if stage else "The safeguarding partnership"
    story: list[Flowable] = title_block("Notification of an escalation", f"To: {recipient}", st)
    story.append(
        facts(
            [
                ("Case reference", detail.reference),
                ("Procedure", f"{detail.procedure} · {detail.track}"),
                ("Area of disagreement", detail.area),
                ("Raised by", detail.raised_by),
                ("Other party", detail.other_party),
                ("Status", detail.state.status),
            ],
            st,
        )
    )
    story.append(para("Stages reached", st["h2"]))
    story.append(
        grid(
            ["Stage", "Opened", "Closed", "Outcome"],
            [
                [
                    f"{e.stage_id}. {e.title}",
                    when(e.opened_at),
                    when(e.closed_at),
                    e.outcome or "open",
                ]
                for e in detail.entries
            ],
            [80 * mm, 32 * mm, 32 * mm, None],
            st,
        )
    )
    learning = [_field(e, "learning") for e in detail.entries if _field(e, "learning")]
    story.append(para("Learning identified", st["h2"]))
    story += [para(text, st["body"]) for text in learning] or [
        para("None recorded yet.", st["body"])
    ]
    story.append(Spacer(1, 6 * mm))
    story.append(SignatureBlocks([("Sent by", data.signer)], slots))
    return story, slots


def compose(data: DocumentData) -> tuple[list[Flowable], SignatureSlots]:
    """Return the story of ``data.kind``; refuse text no embedded font can show."""
    check_covered(_texts(data))
    builders = {
        "confirmation": confirmation,
        "summary": summary,
        "meeting-record": meeting_record,
        "notification": notification,
    }
    return builders[data.kind](data)


__all__ = ["KINDS", "PURPOSES", "DocumentData", "Header", "compose"]
