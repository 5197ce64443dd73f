"""Vault-wide settings, each declared once and read as a typed value; and the profile.

A setting is a field of :class:`Settings`: its name is the key it is stored
under, its type and default are the field's, and its declaration (caption,
kind, bounds) says how it is shown, parsed, checked and stored. Settings live
inside the encrypted vault, never in QSettings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.casework.clocks import recompute_open_stages
from desktop.errors import InvalidInput
from desktop.models import Profile
from desktop.models import Setting as SettingRow
from desktop.procedures.catalogue import Catalogue
from desktop.procedures.workdays import Nation, WorkingCalendar, parse_closures
from desktop.storage import audit
from desktop.storage.vault import Vault
from desktop.text.lines import check_line

DECLARATION = "setting"  # the key of a Settings field's metadata that holds its declaration
NATIONS = (
    (Nation.ENGLAND_AND_WALES, "England and Wales"),
    (Nation.SCOTLAND, "Scotland"),
    (Nation.NORTHERN_IRELAND, "Northern Ireland"),
)
HOURS_IN_ORDER = "The office must open before it closes."


class SettingKind(enum.Enum):
    """What a setting holds; it decides how it is parsed, checked, stored and shown."""

    PROCEDURE = "procedure"  # a procedure id ("" for none chosen)
    CHOICE = "choice"  # one of ``choices``
    TIME = "time"  # a time of day, stored HH:MM
    DATES = "dates"  # days, stored as ISO dates between commas
    NUMBER = "number"  # a whole number from ``low`` to ``high``


@dataclasses.dataclass(frozen=True)
class Setting:
    """How one setting is shown, parsed, checked and stored."""

    key: str
    caption: str  # as the Settings window shows it, & before its Alt key
    kind: SettingKind
    default: object
    low: int = 0
    high: int = 0
    choices: tuple[tuple[object, str], ...] = ()  # (value, label); a value is stored as str()

    @property
    def label(self) -> str:
        """The caption without its Alt key marker, for accessible names and messages."""
        return self.caption.replace("&", "")

    def check(self, value: object) -> object:
        """Return ``value`` (typed, or text as typed or stored) as this setting's typed value.

        Raises:
            InvalidInput: one sentence naming the setting and what it takes.
        """
        try:
            return _CHECKS[self.kind](self, value)
        except (ValueError, TypeError) as error:
            raise InvalidInput(f"{self.label}: {error}.") from None

    def text(self, value: object) -> str:
        """Return a checked value in its stored form."""
        if isinstance(value, dt.time):
            return value.strftime("%H:%M")
        if isinstance(value, frozenset):
            return ", ".join(day.isoformat() for day in sorted(value))
        return str(value)


def _procedure(_setting: Setting, value: object) -> object:
    if not isinstance(value, str):
        raise TypeError("it takes a procedure's id")
    return value


def _choice(setting: Setting, value: object) -> object:
    for choice, _label in setting.choices:
        if value == choice or value == str(choice):
            return choice
    raise ValueError(f"it takes one of {', '.join(label for _v, label in setting.choices)}")


def _time(_setting: Setting, value: object) -> object:
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    try:
        return dt.time.fromisoformat(str(value).strip()).replace(second=0, microsecond=0)
    except ValueError:
        raise ValueError("it takes a time such as 09:00") from None


def _dates(_setting: Setting, value: object) -> object:
    if isinstance(value, str):
        return parse_closures(v for v in value.split(",") if v.strip())
    days = list(value) if isinstance(value, Iterable) else [value]
    if not all(isinstance(day, dt.date) for day in days):
        raise TypeError("it takes dates")
    return frozenset(days)


def _number(setting: Setting, value: object) -> object:
    takes = f"it takes a whole number from {setting.low} to {setting.high}"
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(takes)
    if isinstance(value, str) and not value.strip().isdigit():
        raise ValueError(takes)
    number = int(value)
    if not setting.low <= number <= setting.high:
        raise ValueError(takes)
    return number


_CHECKS: Mapping[SettingKind, Callable[[Setting, object], object]] = MappingProxyType(
    {
        SettingKind.PROCEDURE: _procedure,
        SettingKind.CHOICE: _choice,
        SettingKind.TIME: _time,
        SettingKind.DATES: _dates,
        SettingKind.NUMBER: _number,
    }
)


def _declared(caption: str, kind: SettingKind, **rules: Any) -> dict[str, Any]:
    """Return a Settings field's metadata: its caption, kind and bounds or choices."""
    return {DECLARATION: {"caption": caption, "kind": kind, **rules}}


@dataclasses.dataclass(frozen=True)
class Settings:
    """Every vault setting as a typed value, each field declaring how it is kept."""

    default_procedure: str = dataclasses.field(
        default="", metadata=_declared("Default &procedure", SettingKind.PROCEDURE)
    )
    nation: Nation = dataclasses.field(
        default=Nation.ENGLAND_AND_WALES,
        metadata=_declared("Bank &holidays of", SettingKind.CHOICE, choices=NATIONS),
    )
    office_opens: dt.time = dataclasses.field(
        default=dt.time(9, 0), metadata=_declared("Office open&s", SettingKind.TIME)
    )
    office_closes: dt.time = dataclasses.field(
        default=dt.time(17, 0), metadata=_declared("Office &closes", SettingKind.TIME)
    )
    closures: frozenset[dt.date] = dataclasses.field(
        default=frozenset(), metadata=_declared("Closure &days", SettingKind.DATES)
    )
    auto_lock_minutes: int = dataclasses.field(
        default=10,
        metadata=_declared("&Lock after (minutes idle)", SettingKind.NUMBER, low=1, high=240),
    )
    backups_keep: int = dataclasses.field(
        default=5, metadata=_declared("&Backups to keep", SettingKind.NUMBER, low=1, high=100)
    )
    retention_years: int = dataclasses.field(
        default=25,
        metadata=_declared("Re&view after (years from birth)", SettingKind.NUMBER, low=1, high=100),
    )


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(key=f.name, default=f.default, **f.metadata[DECLARATION])
    for f in dataclasses.fields(Settings)
)
_BY_KEY = MappingProxyType({declared.key: declared for declared in SETTINGS})


def setting(key: str) -> Setting:
    """Return the declaration of the setting stored under ``key``.

    Raises:
        InvalidInput: there is no such setting.
    """
    found = _BY_KEY.get(key)
    if found is None:
        raise InvalidInput(f"There is no setting '{key}' (settings: {', '.join(_BY_KEY)}).")
    return found


def _stored(declared: Setting, text: str | None) -> object:
    """Read a stored value; one that cannot be read (an older app's) reads as the default."""
    if text is None:
        return declared.default
    try:
        return declared.check(text)
    except InvalidInput:
        return declared.default


def read_settings(session: Session) -> Settings:
    """Return every setting as a typed value, defaults filled in (in the caller's session)."""
    stored = {
        key: value for key, value in session.execute(select(SettingRow.key, SettingRow.value))
    }
    values: dict[str, Any] = {s.key: _stored(s, stored.get(s.key)) for s in SETTINGS}
    read = Settings(**values)
    if read.office_opens >= read.office_closes:  # stored before the hours were checked together
        usual = Settings()
        return dataclasses.replace(
            read, office_opens=usual.office_opens, office_closes=usual.office_closes
        )
    return read


def changed_settings(current: Settings, changes: Mapping[str, object]) -> Settings:
    """Return ``current`` with ``changes`` (typed values, or text) checked and applied.

    Raises:
        InvalidInput: an unknown setting, a value it does not take, or office
            hours that do not open before they close; one sentence.
    """
    checked: dict[str, Any] = {key: setting(key).check(value) for key, value in changes.items()}
    updated = dataclasses.replace(current, **checked)
    if updated.office_opens >= updated.office_closes:
        raise InvalidInput(HOURS_IN_ORDER)
    return updated


@dataclasses.dataclass(frozen=True)
class SavedSettings:
    """What saving the settings did: the settings now, and how many open deadlines moved."""

    settings: Settings
    moved: int  # open stages whose due time changed with the calendar


CALENDAR = ("nation", "office_opens", "office_closes", "closures")  # what the deadlines count on


def save_settings(
    vault: Vault, catalogue: Catalogue, changes: Mapping[str, object]
) -> SavedSettings:
    """Check and store changed settings; audit ``settings.changed`` for each key that changed.

    The audit names the setting's key, never its value. A change to the
    calendar (nation, office hours, closure days) recomputes the due time of
    every open stage, audited once with how many moved (``deadlines.recomputed``).

    Raises:
        InvalidInput: as ``changed_settings``; nothing is stored.
    """
    with vault.sessions.begin() as session:
        before = read_settings(session)
        after = changed_settings(before, changes)
        changed = [s for s in SETTINGS if getattr(after, s.key) != getattr(before, s.key)]
        for declared in changed:
            value = getattr(after, declared.key)
            row = session.get(SettingRow, declared.key)
            if row is None:
                session.add(SettingRow(key=declared.key, value=declared.text(value)))
            else:
                row.value = declared.text(value)
            audit.record(session, vault.audit_key, "settings.changed", f"setting:{declared.key}")
        moved = 0
        if any(s.key in CALENDAR for s in changed):
            session.flush()
            moved = recompute_open_stages(session, catalogue, working_calendar(session))
            audit.record(session, vault.audit_key, "deadlines.recomputed", None, moved)
    return SavedSettings(after, moved)


def load_settings(vault: Vault) -> Settings:
    """Return every setting as a typed value (a read of its own)."""
    with vault.sessions() as session:
        return read_settings(session)


def working_calendar(session: Session) -> WorkingCalendar:
    """Build the working calendar from the vault's settings."""
    values = read_settings(session)
    return WorkingCalendar(
        values.nation, values.office_opens, values.office_closes, values.closures
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
