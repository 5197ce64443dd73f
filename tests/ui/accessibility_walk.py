"""What the accessibility walker opens windows on: fictional cases in every state worth showing.

A Berkshire case at its second stage (its first ended with records incomplete),
a second case of the same child at its first stage, a closed case, a
Cambridgeshire & Peterborough case at stage 3 (a choice of 4a or 4b next), and
a fictional procedure whose timescales follow a priority and whose area names
the stages a case may start at.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.casework.case_opening import ChildDetails
from desktop.casework.closing import Closing
from desktop.casework.timeline import view_case
from desktop.casework.transitions import Transition, check_transition, end_case, escalate_case
from desktop.models import StageOutcome
from desktop.procedures.catalogue import load_catalogue
from desktop.procedures.workdays import LONDON
from desktop.ui.services import Services
from tests.factories import open_case_in, signing_profile
from tests.ui.accessibility_checks import settle

CHILD = "C-WALK-1"
OPENED = dt.datetime(2026, 11, 16, 10, 0, tzinfo=LONDON)
# A fictional partnership: timescales by priority, and an area that starts at stage 2 or 3.
REPO = Path(__file__).parents[2]
FICTIONAL_PROCEDURE = REPO / "docs" / "examples" / "fictionshire-priorities.toml"


@dataclass
class Walk:
    """What a window needs to open: the test's bot, services and the cases in their states."""

    qtbot: QtBot
    services: Services
    folder: Path
    case_id: int  # at its second stage; the first ended with records incomplete
    record_id: int  # that first stage, finalised
    fresh_id: int  # the same child's second case, at its first stage
    closed_id: int  # resolved and closed
    choice_id: int  # Cambridgeshire & Peterborough, at stage 3: 4a or 4b next
    files: dict[str, Path] = field(default_factory=dict)

    def shown(self, window: QWidget) -> QWidget:
        """Show ``window`` (closed after the test) and let it settle."""
        self.qtbot.addWidget(window)
        window.show()
        settle()
        return window

    def transition(self, case_id: int) -> Transition:
        """Return what ending the case's current stage involves."""
        return check_transition(self.services.vault, self.services.catalogue, case_id)

    def signed_pdf(self) -> Path:
        """Return a written confirmation of the first case, signed (made once per test)."""
        if "confirmation" not in self.files:
            from desktop.sharing.case_documents import prepare_case_document
            from desktop.sharing.signed_documents import produce_document

            services = self.services
            job = prepare_case_document(
                services.vault, services.catalogue, "WALK-1", "confirmation", "2"
            )
            path = self.folder.parent / "walk confirmation.pdf"
            path.write_bytes(produce_document(job).pdf)
            self.files["confirmation"] = path
        return self.files["confirmation"]

    def package(self) -> tuple[Path, str]:
        """Return a transfer package another fictional school sent here, and its words."""
        from desktop.sharing.transfers import send_transfer
        from desktop.storage.vault import create_vault
        from tests.conftest import FAST_KDF, PASSPHRASE

        work = self.folder.parent
        with create_vault(work / "sender", PASSPHRASE, params=FAST_KDF) as sender:
            signing_profile(sender, "Jo Placeholder", "DSL", "Elsewhere")
            services = Services(sender, self.services.catalogue)
            _case(services, "SENT-1", "berkshire", "C-SENT-1")
            sent = send_transfer(
                sender, services.catalogue, "C-SENT-1", "Us", OPENED, work / "sent.erpkg"
            )
        return work / "sent.erpkg", sent.passphrase or ""


def _case(services: Services, reference: str, procedure: str, child: str = CHILD) -> int:
    return open_case_in(
        services.vault,
        services.catalogue,
        reference,
        procedure_id=procedure,
        track_id=services.catalogue.get(procedure).tracks[0].id,
        child=ChildDetails(child, "W.K.", dt.date(2015, 4, 1)),
        opened_at=OPENED,
    )


def walk_services(services: Services, folder: Path) -> Services:
    """Return ``services`` whose catalogue also holds the fictional procedure (a user file)."""
    folder.mkdir()
    shutil.copyfile(FICTIONAL_PROCEDURE, folder / "fictionshire-walk.toml")
    return Services(services.vault, load_catalogue(folder), services.store)


def make_walk(qtbot: QtBot, plain: Services, folder: Path) -> Walk:
    """Open the walker's cases and move each to the state it is shown in."""
    services = walk_services(plain, folder)
    vault, catalogue = services.vault, services.catalogue
    case_id = _case(services, "WALK-1", "berkshire")
    fresh_id = _case(services, "WALK-2", "berkshire")
    closed_id = _case(services, "WALK-3", "berkshire", "C-WALK-3")
    choice_id = _case(services, "WALK-4", "cambridgeshire-peterborough", "C-WALK-4")
    urgent = "Fictional: urgent, the records follow."
    escalate_case(vault, catalogue, case_id, OPENED + dt.timedelta(days=1), None, urgent)
    for hours in (1, 2):
        escalate_case(vault, catalogue, choice_id, OPENED + dt.timedelta(hours=hours), None, urgent)
    closing = Closing("Fictional: the referral was accepted.", "None.", ())
    end_case(
        vault, catalogue, closed_id, StageOutcome.RESOLVED, OPENED, closing, "Fictional: agreed."
    )
    detail = view_case(vault, catalogue, case_id, dt.datetime.now(dt.UTC))
    record_id = detail.entries[0].record_id
    return Walk(
        qtbot, services, vault.files.folder, case_id, record_id, fresh_id, closed_id, choice_id
    )
