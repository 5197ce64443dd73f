"""The signers this vault trusts: the user's own root and those they confirmed; withdraw one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import KnownError
from desktop.procedures.workdays import to_london
from desktop.sharing.signers import ConfirmedSigner, list_confirmed_signers, withdraw_signer
from desktop.text.display import visible
from desktop.ui import form_widgets as fw
from desktop.ui.services import Services

INTRO = (
    "A document or package from these signers shows as trusted. You confirmed each one by "
    "comparing their fingerprint words by telephone. Withdraw a signer you no longer trust "
    "(a lost or replaced computer, someone who has left): their documents then show as "
    "“signer not confirmed” until you confirm them again."
)


class ConfirmedSignersDialog(QDialog):
    """List every trusted signing root; withdraw a confirmed one (audited)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirmedSignersDialog")
        self.setWindowTitle("Confirmed signers")
        self.resize(760, 420)
        self._services = services
        self.signers: tuple[ConfirmedSigner, ...] = ()
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("confirmedSigners")
        self.table.setAccessibleName("Signers this vault trusts")
        self.table.setHorizontalHeaderLabels(["Whose", "Fingerprint words", "Since"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrow keys move within
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.withdraw_button = fw.button("withdrawSigner", "&Withdraw…", self._on_withdraw)
        self.message = fw.error_label()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.withdraw_button)
        row.addWidget(self.message, 1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(fw.note(INTRO))
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        """Read the trusted signers again."""
        self.signers = list_confirmed_signers(self._services.vault)
        self.table.setRowCount(len(self.signers))
        for index, signer in enumerate(self.signers):
            whose = visible(signer.subject) + (" (your own)" if signer.own else "")
            since = "—" if signer.own else f"{to_london(signer.added_at):%d/%m/%Y}"
            for column, text in enumerate((whose, signer.words, since)):
                item = QTableWidgetItem(text)
                item.setToolTip(f"Root SHA-256 {signer.fingerprint}")
                self.table.setItem(index, column, item)
        self._on_table_selection_changed()

    def _chosen(self) -> ConfirmedSigner | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        return self.signers[rows.pop()] if len(rows) == 1 else None

    def _on_table_selection_changed(self) -> None:
        chosen = self._chosen()
        self.withdraw_button.setEnabled(chosen is not None and not chosen.own)

    def _on_withdraw(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        answer = QMessageBox.question(
            self,
            "Withdraw this signer?",
            f"Stop trusting {visible(chosen.subject)}? Their documents and packages will "
            "show as “signer not confirmed” until you compare their words again.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.withdraw(chosen.signer_id)

    def withdraw(self, signer_id: int) -> None:
        """Withdraw the signer (audited) and show the list again."""
        try:
            subject = withdraw_signer(self._services.vault, signer_id)
        except KnownError as error:
            self.message.setText(error.message)
            return
        self.refresh()
        self.message.setText(f"Withdrawn: {visible(subject)}.")

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services) -> None:
        """Show the dialog."""
        cls(services, parent).exec()
