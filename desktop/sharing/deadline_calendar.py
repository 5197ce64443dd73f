"""Upcoming deadlines as a calendar file (iCalendar, RFC 5545) for Outlook and the like.

Each event says a case reference and a stage, nothing else: no child, no
description, no text anyone typed; its time is the deadline, in UTC. The UID
stays the same across exports, so importing a newer file updates the events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path

from desktop.casework.deadlines import Deadline, deadlines
from desktop.casework.settings import working_calendar
from desktop.procedures.catalogue import Catalogue
from desktop.storage import audit
from desktop.storage.files import check_output_path, write_atomically
from desktop.storage.vault import Vault

PRODUCT = "-//Escalation Recorder//Deadlines//EN"
LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> bytes:
    """Return one content line as UTF-8, folded at 75 octets, never inside a character."""
    out: list[bytes] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = LINE_OCTETS if not out else LINE_OCTETS - 1  # a continuation starts with a space
        if len(current) + len(encoded) > limit:
            out.append(current)
            current = b""
        current += encoded
    out.append(current)
    return b"\r\n ".join(out) + b"\r\n"


def _utc(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _uid(deadline: Deadline) -> str:
    digest = hashlib.sha256(f"{deadline.key}|{deadline.reference}".encode()).hexdigest()
    return f"{digest[:32]}@escalation-recorder"


def calendar_file(items: Iterable[Deadline], stamp: dt.datetime) -> bytes:
    """Return an iCalendar file with one event per deadline, stamped ``stamp``."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT}", "CALSCALE:GREGORIAN"]
    lines.append("METHOD:PUBLISH")
    for item in items:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_uid(item)}",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(item.due_at)}",
            f"DTEND:{_utc(item.due_at + dt.timedelta(minutes=15))}",
            f"SUMMARY:{escape_text(item.title + ' due')}",
            "TRANSP:TRANSPARENT",  # a deadline, not a meeting: the time stays free
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) for line in lines)


def save_deadline_calendar(
    vault: Vault, catalogue: Catalogue, now: dt.datetime, target: Path
) -> int:
    """Write every deadline from ``now`` on to ``target`` as a calendar; return how many.

    One transaction: the export is audited with its count, and a file that
    cannot be written leaves no record of it.

    Raises:
        InvalidInput: ``target`` leads into the vault folder.
        OSError: the file could not be written.
    """
    check_output_path(target, vault.files.folder, force=True)
    with vault.sessions.begin() as session:
        calendar = working_calendar(session)
        upcoming = deadlines(session, catalogue, calendar, now, start=now)
        audit.record(session, vault.audit_key, "deadlines.exported", None, len(upcoming))
        write_atomically(target, calendar_file(upcoming, now))
    return len(upcoming)
