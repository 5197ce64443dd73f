"""Vault-wide settings kept inside the encrypted vault (never in QSettings)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import InvalidInput
from desktop.models import Profile, Setting
from desktop.procedures.workdays import Nation, WorkingCalendar, parse_closures
from desktop.text.lines import check_line

DEFAULTS = {
    "nation": Nation.ENGLAND_AND_WALES.value,
    "office_opens": "09:00",
    "office_closes": "17:00",
    "closures": "",
    "auto_lock_minutes": "10",
    "default_procedure": "",
    "backups_keep": "5",
    "retention_years": "25",
}


def read_settings(session: Session) -> dict[str, str]:
    """Return every setting, defaults filled in."""
    stored = {key: value for key, value in session.execute(select(Setting.key, Setting.value))}
    return {**DEFAULTS, **stored}


def write_setting(session: Session, key: str, value: str) -> None:
    """Check and store one setting in the caller's transaction."""
    check_setting(key, value)
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


def read_profile(session: Session) -> Profile | None:
    """Return the vault owner's profile, if set."""
    return session.get(Profile, 1)


def check_profile(name: str, role: str, organisation: str) -> None:
    """Refuse a profile that cannot go on a signed document: empty, too long, hidden characters.

    Raises:
        InvalidInput: one sentence naming the field and the problem.
    """
    from desktop.documents.fonts import check_drawable  # the fonts load only for a profile

    for label, value in (("name", name), ("role", role), ("organisation", organisation)):
        if not value.strip():
            raise InvalidInput(f"Your {label} is needed: it appears on signed documents.")
        check_line(value, f"Your {label}")
        check_drawable(f"Your {label}", value)


def save_profile(session: Session, name: str, role: str, organisation: str) -> None:
    """Store the name, role and organisation used on signed documents."""
    check_profile(name, role, organisation)
    profile = session.get(Profile, 1)
    if profile is None:
        session.add(
            Profile(id=1, name=name.strip(), role=role.strip(), organisation=organisation.strip())
        )
    else:
        profile.name, profile.role = name.strip(), role.strip()
        profile.organisation = organisation.strip()


def check_setting(key: str, value: str) -> None:
    """Raise InvalidInput with a plain sentence when a setting's value is not acceptable."""
    try:
        if key == "nation":
            Nation(value)
        elif key in ("office_opens", "office_closes"):
            dt.time.fromisoformat(value)
        elif key == "closures":
            parse_closures(v for v in value.split(",") if v.strip())
        elif key == "auto_lock_minutes" and not 1 <= int(value) <= 240:
            raise ValueError("between 1 and 240")
        elif (key == "backups_keep" and not 1 <= int(value) <= 100) or (
            key == "retention_years" and not 1 <= int(value) <= 100
        ):
            raise ValueError("between 1 and 100")
    except ValueError as error:
        raise InvalidInput(f"The setting {key.replace('_', ' ')} is not valid: {error}.") from None
