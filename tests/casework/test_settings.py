"""Settings are declared once, read typed, checked, stored as before and audited by key."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from desktop.casework.settings import (
    SETTINGS,
    SettingKind,
    Settings,
    load_settings,
    read_settings,
    save_settings,
    setting,
    working_calendar,
)
from desktop.errors import InvalidInput
from desktop.models import AuditEvent, Setting
from desktop.procedures.catalogue import load_catalogue
from desktop.procedures.workdays import Nation
from desktop.storage.vault import Vault

CATALOGUE = load_catalogue()


def _stored(vault: Vault) -> dict[str, str]:
    with vault.sessions() as session:
        return {key: value for key, value in session.execute(select(Setting.key, Setting.value))}


def _audited(vault: Vault) -> list[tuple[str, str | None]]:
    with vault.sessions() as session:
        rows = session.execute(select(AuditEvent.action, AuditEvent.entity).order_by(AuditEvent.id))
        return [(action, entity) for action, entity in rows if action == "settings.changed"]


def test_each_setting_is_declared_once_with_label_default_and_kind() -> None:
    assert [s.key for s in SETTINGS] == [f.name for f in dataclasses.fields(Settings)]
    for declared in SETTINGS:
        assert declared.label and "&" not in declared.label and "&" in declared.caption
        assert declared.check(declared.default) == declared.default
        assert declared.check(declared.text(declared.default)) == declared.default
    assert setting("retention_years").kind is SettingKind.NUMBER


def test_a_new_vault_reads_the_defaults_typed(vault: Vault) -> None:
    values = load_settings(vault)
    assert values == Settings()
    assert values.auto_lock_minutes == 10 and values.nation is Nation.ENGLAND_AND_WALES
    assert values.office_opens == dt.time(9, 0) and values.closures == frozenset()


def test_changes_are_checked_stored_as_before_and_audited_by_key_only(vault: Vault) -> None:
    saved = save_settings(
        vault,
        CATALOGUE,
        {
            "nation": "scotland",
            "office_closes": dt.time(16, 30),
            "closures": "2027-02-15, 2026-12-23",
            "retention_years": 30,
        },
    ).settings
    assert saved.nation is Nation.SCOTLAND and saved.retention_years == 30
    assert saved.closures == {dt.date(2026, 12, 23), dt.date(2027, 2, 15)}
    assert _stored(vault) == {
        "nation": "scotland",
        "office_closes": "16:30",
        "closures": "2026-12-23, 2027-02-15",
        "retention_years": "30",
    }
    assert load_settings(vault) == saved
    assert sorted(_audited(vault)) == [
        ("settings.changed", f"setting:{key}")
        for key in ("closures", "nation", "office_closes", "retention_years")
    ]
    save_settings(vault, CATALOGUE, {"nation": Nation.SCOTLAND, "retention_years": "30"})
    assert len(_audited(vault)) == 4


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"auto_lock_minutes": 0}, "Lock after (minutes idle): it takes a whole number from 1"),
        ({"backups_keep": "many"}, "Backups to keep: it takes a whole number from 1 to 100."),
        ({"nation": "wales"}, "Bank holidays of: it takes one of England and Wales, Scotland"),
        ({"office_opens": "nine"}, "Office opens: it takes a time such as 09:00."),
        ({"closures": "2026-13-01"}, "Closure days: '2026-13-01' is not a date"),
        ({"office_opens": dt.time(18, 0)}, "The office must open before it closes."),
        ({"theme": "dark"}, "There is no setting 'theme'"),
    ],
)
def test_a_wrong_value_is_refused_in_one_sentence_and_nothing_is_stored(
    vault: Vault, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        save_settings(vault, CATALOGUE, {"retention_years": 40, **changes})
    assert refused.value.message.startswith(message)
    assert _stored(vault) == {} and _audited(vault) == []


def test_hours_stored_out_of_order_read_as_the_defaults(vault: Vault) -> None:
    """Old code stored office_opens 18:00 alone, then every due time raised ValueError."""
    with vault.sessions.begin() as session:
        session.add(Setting(key="office_opens", value="18:00"))
        session.add(Setting(key="auto_lock_minutes", value="forever"))
    with vault.sessions() as session:
        values = read_settings(session)
        calendar = working_calendar(session)
    assert (values.office_opens, values.office_closes) == (dt.time(9, 0), dt.time(17, 0))
    assert values.auto_lock_minutes == 10
    assert calendar.opens < calendar.closes
