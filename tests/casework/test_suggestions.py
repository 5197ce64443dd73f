"""What the forms offer: children already recorded, and the people named in cases and contacts."""

from __future__ import annotations

import datetime as dt

from desktop.casework.case_opening import ChildDetails, Party
from desktop.casework.directory import save_contact
from desktop.casework.suggestions import (
    KnownPerson,
    read_children_starting,
    read_known_child,
    read_suggestions,
)
from desktop.models.cases import PlanStatus
from desktop.procedures.catalogue import load_catalogue
from desktop.storage.vault import Vault
from tests.factories import open_case_in

CATALOGUE = load_catalogue()


def _on(day: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, 10, 0, tzinfo=dt.UTC)


def test_children_and_people_are_offered_most_recent_first(vault: Vault) -> None:
    child = ChildDetails("C-SAME", "S.M.", dt.date(2017, 1, 9), PlanStatus.EARLY_HELP)
    robin = Party("Robin Example", "Social worker", "Fictional Children's Services")
    kim = Party("Kim Sample", "Nurse", "Fictional Health Trust")
    open_case_in(vault, CATALOGUE, "ESC-A", child=child, other_party=robin, opened_at=_on(2))
    open_case_in(vault, CATALOGUE, "ESC-B", child=child, other_party=kim, opened_at=_on(3))
    open_case_in(
        vault, CATALOGUE, "ESC-C", identifier="C-OTHER", other_party=robin, opened_at=_on(4)
    )
    save_contact(vault, None, "Fictional Police", "Sergeant", "Lee Example")
    offered = read_suggestions(vault)
    assert read_children_starting(vault, "c-") == ("C-OTHER", "C-SAME")  # as typed, or capitals
    assert read_children_starting(vault, "C-S") == ("C-SAME",)
    assert read_children_starting(vault, " ") == () and read_children_starting(vault, "X") == ()
    assert offered.names()[:3] == ["Lee Example", "Alex Example", "Robin Example"]
    assert "Kim Sample" in offered.names() and len(offered.names()) == 4  # each once
    assert "Fictional Health Trust" in offered.agencies() and "Nurse" in offered.roles()
    assert offered.person("robin example") == KnownPerson(
        "Robin Example", "Social worker", "Fictional Children's Services"
    )
    assert offered.person("") is None
    known = read_known_child(vault, " C-SAME ")
    assert known is not None and known.cases == 2 and known.initials == "S.M."
    assert known.date_of_birth == dt.date(2017, 1, 9) and known.plan_status == "early_help"
    assert read_known_child(vault, "C-NOBODY") is None
