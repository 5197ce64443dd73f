"""Records past their review date: the list, and a deliberate, typed-again purge of one case."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.retention import (
    BackupsPurged,
    PurgePlan,
    complete_purge,
    plan_purge,
    purge_backups,
    purge_notice,
    view_retention,
)
from desktop.errors import KnownError
from desktop.ui import form_widgets as fw
from desktop.ui import worker
from desktop.ui.screen_fit import open_fitting, text_width
from desktop.ui.services import Services

HEADERS = ("Reference", "Review by")


class RetentionDialog(QDialog):
    """List the cases past their review date and purge one, for good, when asked twice."""

    def __init__(
        self, services: Services, parent: QWidget | None = None, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("retentionDialog")
        self.setWindowTitle("Records past their review date")
        open_fitting(self, 660, 500)
        self._services = services
        self._today = today or dt.date.today()
        self.purged = 0
        self.rule = QLabel()
        self.rule.setObjectName("retentionRule")
        self.rule.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("retentionTable")
        self.table.setAccessibleName("Cases past their review date")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrow keys move within
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, text_width(self.table, "ESC-2026-00000 (fictional)"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.confirmation = fw.line(
            "purgeConfirmation", "Type the reference again", hint="The chosen case's reference"
        )
        self.purge_button = fw.button("purgeCase", "&Delete this case for good", self._on_purge)
        self.purge_button.setEnabled(False)
        self.message = fw.error_label()
        warning = QLabel(
            "Deleting removes the case, its stages, discussions, actions and documents "
            "from the vault and from its automatic backups, overwriting them; the audit "
            "trail keeps only that a case was deleted, and when. It cannot be undone: check "
            "first that the case is not needed for an open concern, a review or legal "
            "proceedings."
        )
        warning.setWordWrap(True)
        again = QHBoxLayout()
        again.addWidget(self.confirmation, 1)
        again.addWidget(self.purge_button)
        label = QLabel("&Reference again:")
        label.setBuddy(self.confirmation)  # Alt+R reaches the field beside the button
        form = QFormLayout()
        form.addRow(label, again)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rule)
        layout.addWidget(self.table, 1)
        layout.addWidget(warning)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.confirmation.textChanged.connect(self._update_button)
        # Closed meanwhile, the dialog drops the answer and the case stays in the vault
        # (purging it again finishes the job): so Close waits too.
        self._task: worker.Task[tuple[PurgePlan, BackupsPurged]] = worker.Task(
            self.message, [self.purge_button, self.table, close], self
        )
        self.refresh()

    def refresh(self) -> None:
        """List the cases past their review date, oldest first (the listing is audited)."""
        shown = view_retention(self._services.vault, self._today)
        due = shown.due
        self.rule.setText(
            f"A case is due for review {shown.years} years after the child's date of birth "
            f"(or after it was opened, where no date of birth was given); change this in "
            f"Settings. {len(due)} case(s) are past that date."
        )
        self.table.setRowCount(len(due))
        for row, retained in enumerate(due):
            self.table.setItem(row, 0, QTableWidgetItem(retained.reference))
            self.table.setItem(row, 1, QTableWidgetItem(f"{retained.review_by:%d %b %Y}"))
        self.confirmation.clear()
        self._update_button()

    def chosen(self) -> str | None:
        """Return the selected case's reference, if one is selected."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.text() if item is not None else None

    def _update_button(self) -> None:
        chosen = self.chosen()
        self.purge_button.setEnabled(chosen is not None and self.confirmation.text() == chosen)

    def _on_purge(self) -> None:
        """Check here, rewrite the automatic backups on a worker, delete from the vault after."""
        reference = self.chosen()
        if reference is None:
            return
        vault = self._services.vault
        try:
            plan = plan_purge(vault, reference, self.confirmation.text(), self._today)
        except KnownError as error:
            self.message.setText(error.message)
            return
        folder, key = vault.files.backups, vault.sqlcipher_key
        self._task.start(
            lambda: (plan, purge_backups(plan, folder, key)),
            self._on_backups_purged,
            progress="Deleting the case from the automatic backups…",
            failure="The automatic backups could not be rewritten; the case is still in the vault.",
        )

    def _on_backups_purged(self, answer: tuple[PurgePlan, BackupsPurged]) -> None:
        try:
            purged = complete_purge(self._services.vault, *answer)
        except KnownError as error:
            self.message.setText(error.message)
            return
        self.purged += 1
        self.refresh()
        self.message.setText("\n".join(purge_notice(purged)))

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services) -> int:
        """Show the list; return how many cases were purged."""
        dialog = cls(services, parent)
        dialog.exec()
        return dialog.purged
