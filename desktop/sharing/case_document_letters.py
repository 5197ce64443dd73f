"""The documents a case sends to someone: the partnership notification and a request in writing."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop.casework.closing import referred_to
from desktop.documents.render import (
    SignatureBlocks,
    SignatureSlots,
    facts,
    grid,
    para,
    styles,
    title_block,
    when,
)
from desktop.sharing.case_document_parts import (
    DocumentData,
    decision_facts,
    field_text,
    stage_parties,
)


def _referrals(data: DocumentData) -> list[tuple[str, str, str]]:
    """The learning and policy gaps referred when the case closed: (to whom, what, the words)."""
    found = []
    for entry in data.detail.entries:
        for redirect in referred_to(data.detail.definition, entry.fields):
            found.append((redirect.notify or "—", redirect.title, redirect.guidance))
    return found


def notification(data: DocumentData) -> tuple[list[Flowable], SignatureSlots]:
    """The notice the procedure says the partnership must receive as evidence of escalation.

    It names the agencies, the area, the stages reached and their outcomes, the
    learning identified and anything referred when the case closed; it carries
    no child identifier (the case reference links it to the file).
    """
    st = styles()
    detail = data.detail
    slots = SignatureSlots()
    stage = data.stage
    referrals = _referrals(data)
    recipient = (stage.notify or stage.receiving_role) if stage else "The safeguarding partnership"
    if stage and not stage.notify and referrals:
        recipient = "; ".join(dict.fromkeys(to for to, _what, _words in referrals if to != "—"))
    story: list[Flowable] = title_block("Notification of an escalation", f"To: {recipient}", st)
    story.append(
        facts(
            [
                ("Case reference", detail.reference),
                ("Procedure", f"{detail.procedure} · {detail.track}"),
                ("Area of disagreement", detail.area),
                *decision_facts(detail),
                ("Raised by", detail.raised_by),
                ("Other party", detail.other_party),
                ("Status", detail.state.status),
            ],
            st,
        )
    )
    story.append(para("Stages reached", st["h2"]))
    rows = [
        [
            f"{e.stage_id}. {e.title}" + (" (records incomplete)" if e.incomplete_because else ""),
            when(e.opened_at),
            when(e.closed_at),
            e.outcome or "open",
        ]
        for e in detail.entries
    ]
    story.append(
        grid(["Stage", "Opened", "Closed", "Outcome"], rows, [80 * mm, 32 * mm, 32 * mm, None], st)
    )
    learning = [field_text(e, "learning") for e in detail.entries if field_text(e, "learning")]
    story.append(para("Learning identified", st["h2"]))
    story += [para(text, st["body"]) for text in learning] or [
        para("None recorded yet.", st["body"])
    ]
    if referrals:
        story.append(para("Referred when the case closed", st["h2"]))
        for to, what, words in referrals:
            story += [para(f"{what} — to: {to}", st["h3"]), para(words, st["body"])]
    story.append(Spacer(1, 6 * mm))
    story.append(SignatureBlocks([("Sent by", data.signer)], slots))
    return story, slots


def conference_request(data: DocumentData) -> tuple[list[Flowable], SignatureSlots]:
    """The request in writing to convene a child protection conference, as the procedure asks."""
    st = styles()
    detail, entry, stage = data.detail, data.entry, data.stage
    assert entry is not None and stage is not None
    slots = SignatureSlots()
    raising, _receiving = stage_parties(data)
    story: list[Flowable] = title_block(
        "Request to convene a child protection conference", f"To: {stage.receiving_role}", st
    )
    story.append(
        facts(
            [
                ("Case", detail.reference),
                ("Child", detail.child),
                ("From", raising),
                ("Supported by", field_text(entry, "request_supported_by") or "—"),
                *decision_facts(detail),
            ],
            st,
        )
    )
    story.append(para("The agency's concerns", st["h2"]))
    concerns = [field_text(entry, "concern"), detail.summary]
    story += [para(text, st["body"]) for text in concerns if text.strip()] or [
        para("None recorded yet.", st["body"])
    ]
    if detail.track_definition.description:
        story.append(para("What the procedure says", st["h2"]))
        story.append(para(detail.track_definition.description, st["body"]))
    story.append(Spacer(1, 6 * mm))
    story.append(
        SignatureBlocks(
            [
                ("Signed for the requesting agency", raising),
                ("Supported by", field_text(entry, "request_supported_by") or "—"),
            ],
            slots,
        )
    )
    return story, slots
