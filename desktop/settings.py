"""Vault-wide settings kept inside the encrypted vault (never in QSettings)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models import Setting
from desktop.workdays import Nation, WorkingCalendar, parse_closures

DEFAULTS = {
    "nation": Nation.ENGLAND_AND_WALES.value,
    "office_opens": "09:00",
    "office_closes": "17:00",
    "closures": "",
}


def read_settings(session: Session) -> dict[str, str]:
    """Return every setting, defaults filled in."""
    stored = {key: value for key, value in session.execute(select(Setting.key, Setting.value))}
    return {**DEFAULTS, **stored}


def write_setting(session: Session, key: str, value: str) -> None:
    """Store one setting in the caller's transaction."""
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=value))
    else:
        setting.value = value


def working_calendar(session: Session) -> WorkingCalendar:
    """Build the working calendar from the vault's settings."""
    values = read_settings(session)
    return WorkingCalendar(
        nation=Nation(values["nation"]),
        opens=dt.time.fromisoformat(values["office_opens"]),
        closes=dt.time.fromisoformat(values["office_closes"]),
        closures=parse_closures(v for v in values["closures"].split(",") if v.strip()),
    )
