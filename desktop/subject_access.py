"""Subject access: every record about one child, with third-party information withheld.

The bundle is built as labelled lines of record text. The user marks passages
to withhold (another professional's name, another child) with a reason; each
one is removed from the text itself, wherever it occurs and however it is
spaced, cased or encoded (desktop.passages), before the PDF is laid out, so
the withheld words are nowhere in the file. Each redaction is kept inside the
vault with its reason and audited (reason and id, not text).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop import audit
from desktop.errors import InvalidInput
from desktop.models import Case, Child, Redaction, StageRecord, SubjectAccessExport
from desktop.passages import compile_passage, find, fold, passage_key
from desktop.procedures import RECORD_FIELDS, Catalogue
from desktop.workdays import to_london
from desktop.workflow import case_state, procedure_of

if TYPE_CHECKING:  # the PDF libraries load only when a bundle is made
    from desktop.documents.identity import IdentityPem
    from desktop.documents.render import Header


class Reason(enum.StrEnum):
    """Why a passage is withheld (the exemptions a DSL most often relies on)."""

    PROFESSIONAL = "third-party-professional"
    OTHER_CHILD = "other-child"
    THIRD_PARTY = "third-party"
    SERIOUS_HARM = "serious-harm"
    LEGAL = "legal-privilege"


REASON_TEXT = {
    Reason.PROFESSIONAL: "another professional",
    Reason.OTHER_CHILD: "another child",
    Reason.THIRD_PARTY: "another person",
    Reason.SERIOUS_HARM: "risk of serious harm",
    Reason.LEGAL: "legal privilege",
}
MAX_REDACTION = 500


@dataclass(frozen=True)
class Line:
    """One line of the bundle: fixed wording, and record text that redactions apply to."""

    level: int  # 0: a case, 1: a stage, 2: a detail
    label: str
    value: str


@dataclass(frozen=True)
class SubjectRecords:
    """Everything recorded about one child, in order, before any redaction."""

    child_id: int
    child: str
    lines: tuple[Line, ...]
    professionals: tuple[str, ...]


@dataclass(frozen=True)
class Marked:
    """A passage the user chose to withhold, and why."""

    text: str
    reason: Reason


def _when(value: dt.datetime | None) -> str:
    return f"{to_london(value):%d %b %Y %H:%M}" if value else "—"


def _field_text(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        parts = [f"{k}: {_field_text(v)}" for k, v in value.items() if v not in (None, "")]
        return "; ".join(parts)
    return "" if value is None else str(value)


def _stage_lines(record: StageRecord, title: str) -> list[Line]:
    label = f"Stage {record.stage_id}: {title}" + (" (correction)" if record.corrects_id else "")
    lines = [
        Line(
            1,
            label,
            f"opened {_when(record.opened_at)}, closed {_when(record.closed_at)}, "
            f"outcome {record.outcome.value if record.outcome else 'open'}",
        )
    ]
    for talk in record.discussions:
        people = ", ".join(json.loads(talk.participants_json))
        lines.append(Line(2, f"Discussion, {_when(talk.at)}", f"{talk.mode}, with {people}"))
        lines.append(Line(2, "What was discussed", talk.notes))
    for name, value in json.loads(record.fields_json or "{}").items():
        text = _field_text(value).strip()
        if name in RECORD_FIELDS and text:
            lines.append(Line(2, RECORD_FIELDS[name], text))
    for action in record.actions:
        lines.append(
            Line(
                2,
                "Agreed action",
                f"{action.action} (owner {action.owner}, due {_when(action.due_at)})",
            )
        )
    return lines


def gather(
    session: Session, catalogue: Catalogue, child_identifier: str, now: dt.datetime
) -> SubjectRecords:
    """Read every case and stage about the child (corrections included), unredacted."""
    if not child_identifier.strip():
        raise InvalidInput("Say whose records to gather: the child's identifier.")
    child = session.scalar(select(Child).where(Child.identifier == child_identifier))
    if child is None:
        raise InvalidInput(f"There is no child with identifier {child_identifier}.")
    cases = session.scalars(
        select(Case)
        .where(Case.child_id == child.id)
        .order_by(Case.opened_at, Case.id)
        .options(
            selectinload(Case.stages).selectinload(StageRecord.discussions),
            selectinload(Case.stages).selectinload(StageRecord.actions),
        )
    ).all()
    lines: list[Line] = []
    people: list[str] = []
    for case in cases:
        procedure, track = procedure_of(catalogue, case)
        lines += [
            Line(
                0, f"Escalation {case.reference}", f"{procedure.partnership} ({procedure.version})"
            ),
            Line(2, "Opened", _when(case.opened_at)),
            Line(2, "Status", case_state(case, catalogue, now).status),
            Line(2, "Area of disagreement", procedure.area_title(case.area)),
            Line(2, "Summary", case.summary),
            Line(2, "Decision challenged", case.decision_challenged),
            Line(
                2,
                "Raised by",
                f"{case.raised_by_name}, {case.raised_by_role}, {case.raised_by_agency}",
            ),
            Line(
                2,
                "Other party",
                f"{case.other_party_name}, {case.other_party_role}, {case.other_party_agency}",
            ),
        ]
        people += [case.raised_by_name, case.other_party_name]
        for record in case.stages:
            lines += _stage_lines(record, track.stage(record.stage_id).title)
            for talk in record.discussions:
                people += json.loads(talk.participants_json)
            people += [a.owner for a in record.actions]
    names: dict[str, str] = {}  # one entry per name however it is spaced or cased
    for person in people:
        if passage_key(person):
            names.setdefault(passage_key(person), person.strip())
    return SubjectRecords(
        child.id,
        f"{child.initials} ({child.identifier})",
        tuple(line for line in lines if line.value.strip() or line.level < 2),
        tuple(names.values()),
    )


def _distinct(marks: list[Marked]) -> list[Marked]:
    """Return the marks without repeats: two that read the same are one (the first kept)."""
    kept: dict[str, Marked] = {}
    for mark in marks:
        kept.setdefault(passage_key(mark.text), mark)
    return list(kept.values())


def _patterns(marks: list[Marked]) -> list[re.Pattern[str]]:
    """Compile each passage; refuse an empty or overlong one by name."""
    patterns = []
    for mark in marks:
        text = mark.text.strip()
        if len(text) > MAX_REDACTION:
            raise InvalidInput(f"A passage to withhold is longer than {MAX_REDACTION} characters.")
        pattern = compile_passage(text)
        if pattern is None:
            raise InvalidInput("A passage to withhold is empty.")
        patterns.append(pattern)
    return patterns


def _withhold_line(
    value: str, marks: list[Marked], patterns: list[re.Pattern[str]], hits: list[int]
) -> tuple[str, int]:
    """Replace every match of every passage in ``value``; return it and the places withheld.

    Overlapping matches are withheld as one place, for the reason of the longest
    passage among them; ``hits`` counts each passage's matches.
    """
    folded = fold(value)
    found: list[tuple[int, int, int]] = []
    for index, pattern in enumerate(patterns):
        spans = find(pattern, folded)
        hits[index] += len(spans)
        found += [(start, end, index) for start, end in spans]
    found.sort()
    places: list[tuple[int, int, int]] = []
    for start, end, index in found:
        if places and start < places[-1][1]:
            last_start, last_end, last = places[-1]
            longer = index if len(marks[index].text) > len(marks[last].text) else last
            places[-1] = (last_start, max(end, last_end), longer)
        else:
            places.append((start, end, index))
    out, at = [], 0
    for start, end, index in places:
        out += [value[at:start], f"[withheld: {REASON_TEXT[marks[index].reason]}]"]
        at = end
    return "".join([*out, value[at:]]), len(places)


@dataclass(frozen=True)
class Withheld:
    """Records with the marked passages withheld, and how often each was found."""

    records: SubjectRecords
    hits: tuple[tuple[Marked, int], ...]
    places: int


def redact(records: SubjectRecords, marks: list[Marked]) -> Withheld:
    """Withhold every marked passage wherever it occurs, however it is spaced or cased.

    Repeated passages count once. Raises InvalidInput for an empty or overlong
    passage, or one that occurs nowhere in the record text.
    """
    marks = _distinct([Marked(m.text.strip(), m.reason) for m in marks])
    patterns = _patterns(marks)
    hits = [0] * len(marks)
    lines, places = [], 0
    for line in records.lines:
        value, withheld = _withhold_line(line.value, marks, patterns, hits)
        lines.append(Line(line.level, line.label, value))
        places += withheld
    for mark, count in zip(marks, hits, strict=True):
        if not count:
            raise InvalidInput(
                f"'{mark.text[:60]}' does not appear in the record text (headings are not "
                "redacted); nothing was exported."
            )
    shown = SubjectRecords(records.child_id, records.child, tuple(lines), ())
    return Withheld(shown, tuple(zip(marks, hits, strict=True)), places)


def place_count(count: int) -> str:
    """Say how many places: "1 place", "3 places"."""
    return f"{count} place{'' if count == 1 else 's'}"


def redacted(records: SubjectRecords, marks: list[Marked]) -> SubjectRecords:
    """Return the records with every marked passage replaced in the text itself."""
    return redact(records, marks).records


def preview_text(records: SubjectRecords) -> str:
    """The bundle as plain text, for the redaction view."""
    out = []
    for line in records.lines:
        if line.level == 0:
            out.append(f"\n{line.label.upper()}: {line.value}")
        elif line.level == 1:
            out.append(f"\n  {line.label} ({line.value})")
        else:
            out.append(f"    {line.label}: {line.value}")
    return "\n".join(out).strip() + "\n"


def _record_export(
    session: Session,
    audit_key: audit.AuditKey,
    child_id: int,
    counts: Counter[str],
    marks: list[Marked],
    pdf: bytes,
    now: dt.datetime,
) -> SubjectAccessExport:
    """Keep the bundle's hash and each redaction with its reason; audit them by id."""
    export = SubjectAccessExport(child_id=child_id, at=now, sha256=hashlib.sha256(pdf).hexdigest())
    session.add(export)
    session.flush()
    audit.record(session, audit_key, "subject_access.exported", "subject_access", export.id)
    for mark in marks:
        row = Redaction(
            export=export,
            reason=mark.reason.value,
            withheld=mark.text.strip(),
            occurrences=counts[mark.text.strip()],
        )
        session.add(row)
        session.flush()
        audit.record(session, audit_key, f"redaction.{mark.reason.value}", "redaction", row.id)
    return export


@dataclass(frozen=True)
class SubjectAccessJob:
    """A redacted bundle's content and signer, read from the vault; laid out and signed apart."""

    child_id: int
    shown: SubjectRecords
    counts: Counter[str]
    marks: tuple[Marked, ...]
    places: int
    header: Header
    signer: str
    identity: IdentityPem
    now: dt.datetime


def prepare_subject_access(
    session: Session,
    catalogue: Catalogue,
    child_identifier: str,
    marks: list[Marked],
    now: dt.datetime,
) -> SubjectAccessJob:
    """Gather the child's records, withhold the marked passages, read the signer.

    Raises:
        InvalidInput: no such child, a passage that is not in the records, or no profile.
    """
    from desktop.documents.service import document_header, signer_line, signing_identity

    records = gather(session, catalogue, child_identifier, now)
    withheld = redact(records, marks)  # once: it scans every line for every passage
    return SubjectAccessJob(
        records.child_id,
        withheld.records,
        Counter({mark.text: count for mark, count in withheld.hits}),
        tuple(mark for mark, _count in withheld.hits),
        withheld.places,
        document_header(session, f"Subject access {child_identifier}", "Subject access"),
        signer_line(session),
        signing_identity(session),
        now,
    )


def produce_subject_access(job: SubjectAccessJob) -> bytes:
    """Lay out and sign the bundle, in memory; the vault is not used."""
    from desktop.documents.service import lay_out_and_sign
    from desktop.documents.subject_access_pdf import compose_subject_access

    reasons = Counter(REASON_TEXT[m.reason] for m in job.marks)
    story, slots = compose_subject_access(job.shown, reasons, job.signer, job.now)
    return lay_out_and_sign(job.identity, job.header, story, slots)


def record_subject_access(
    session: Session, audit_key: audit.AuditKey, job: SubjectAccessJob, pdf: bytes
) -> SubjectAccessExport:
    """Keep the bundle's hash and each redaction with its reason; audit them by id."""
    return _record_export(
        session, audit_key, job.child_id, job.counts, list(job.marks), pdf, job.now
    )


def render_subject_access(
    session: Session,
    audit_key: audit.AuditKey,
    catalogue: Catalogue,
    child_identifier: str,
    marks: list[Marked],
    now: dt.datetime,
) -> bytes:
    """Build the redacted bundle, sign it, and record it with its redactions."""
    job = prepare_subject_access(session, catalogue, child_identifier, marks, now)
    pdf = produce_subject_access(job)
    record_subject_access(session, audit_key, job, pdf)
    return pdf
