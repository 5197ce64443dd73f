"""The subject access bundle as a PDF: what it holds, what was withheld and why, the records."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from desktop.documents.fonts import check_covered
from desktop.documents.render import (
    SignatureBlocks,
    SignatureSlots,
    facts,
    keep,
    para,
    styles,
    title_block,
    when,
)
from desktop.sharing.subject_access_records import Line, SubjectRecords


def _details(rows: list[Line], st: dict[str, ParagraphStyle]) -> list[Flowable]:
    return [facts([(r.label, r.value) for r in rows], st)] if rows else []


def compose_subject_access(
    records: SubjectRecords, reasons: Counter[str], signer: str, now: dt.datetime
) -> tuple[list[Flowable], SignatureSlots]:
    """Lay out an already-redacted bundle; the withheld words never reach this function."""
    st = styles()
    check_covered(
        [records.child, signer, *(f"{line.label} {line.value}" for line in records.lines)]
    )
    withheld = ", ".join(f"{n} × {reason}" for reason, n in sorted(reasons.items())) or "nothing"
    story: list[Flowable] = [
        *title_block("Subject access: escalation records", f"About {records.child}", st),
        para(
            "These are all the records of professional escalations about this child. Where "
            "information about another person has been withheld, the text says "
            "[withheld: …] and why.",
            st["body"],
        ),
        facts(
            [
                ("Child", records.child),
                ("Produced", when(now)),
                ("Escalations", str(sum(1 for line in records.lines if line.level == 0))),
                ("Withheld", withheld),
            ],
            st,
        ),
    ]
    pending: list[Line] = []
    for line in records.lines:
        if line.level == 2:
            pending.append(line)
            continue
        story += _details(pending, st)
        pending = []
        if line.level == 0:
            story.append(keep(para(line.label, st["h2"]), para(line.value, st["small"])))
        else:
            story.append(keep(para(line.label, st["h3"]), para(line.value, st["small"])))
    story += _details(pending, st)
    slots = SignatureSlots()
    story += [Spacer(1, 8 * mm), keep(SignatureBlocks([("Produced by", signer)], slots))]
    return story, slots
