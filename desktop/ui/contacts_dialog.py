"""The contacts directory: each procedure's safeguarding leads, and contacts you add."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.casework.directory import read_directory, save_contact
from desktop.casework.suggestions import read_suggestions
from desktop.errors import KnownError
from desktop.procedures.catalogue import Procedure
from desktop.ui import form_widgets as fw
from desktop.ui.discard_guard import DiscardGuard
from desktop.ui.people_completer import PeopleCompleter
from desktop.ui.screen_fit import open_fitting, text_width
from desktop.ui.services import Services

HEADERS = ("Agency", "Role", "Name", "Email", "Telephone", "Source")


class ContactsDialog(QDialog):
    """Browse a procedure's directory and add your own contacts."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactsDialog")
        self.setWindowTitle("Contacts directory")
        open_fitting(self, 980, 560)
        self._services = services
        self.procedure = fw.combo(
            "contactsProcedure",
            "Procedure",
            [(f"{p.partnership} ({p.version})", p) for p in services.catalogue.current()],
        )
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("contactsTable")
        self.table.setAccessibleName("Contacts")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrow keys move within
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.horizontalHeader().setStretchLastSection(True)
        for column in (0, 1):
            self.table.setColumnWidth(
                column, text_width(self.table, "Local authority designated officer")
            )
        self.fields = {
            key: fw.line(f"new{key.title()}", label)
            for key, label in (
                ("agency", "Agency"),
                ("role", "Role"),
                ("name", "Name"),
                ("email", "Email"),
                ("phone", "Telephone"),
            )
        }
        # The people named in cases are offered; a name picked brings its role and agency.
        PeopleCompleter(
            read_suggestions(services.vault), *self.fields_for("name", "role", "agency")
        )
        add = QPushButton("&Add contact")
        add.setObjectName("addContact")
        add.setDefault(True)  # Enter in the new contact's fields adds it
        add.clicked.connect(self._on_add_clicked)
        self.error = fw.error_label()
        form = QFormLayout()
        form.addRow("&Procedure:", self.procedure)
        new_row = QHBoxLayout()
        for widget in self.fields.values():
            widget.setPlaceholderText(widget.accessibleName())
            new_row.addWidget(widget)
        new_row.addWidget(add)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addLayout(new_row)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.procedure.currentIndexChanged.connect(self.refresh)
        self.refresh()
        self.guard = DiscardGuard(self, "the contact you typed", watched=list(self.fields.values()))

    def fields_for(self, *keys: str) -> list[QLineEdit]:
        """Return the new contact's inputs for ``keys``, in that order."""
        return [self.fields[key] for key in keys]

    def chosen(self) -> Procedure:
        """Return the procedure whose directory is shown."""
        procedure: Procedure = self.procedure.currentData()
        return procedure

    def refresh(self) -> None:
        """Show the chosen procedure's directory."""
        entries = read_directory(self._services.vault, self.chosen())
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for column, value in enumerate(
                (entry.agency, entry.role, entry.name, entry.email, entry.phone, entry.source)
            ):
                self.table.setItem(row, column, QTableWidgetItem(value))

    def _on_add_clicked(self) -> None:
        values = {key: widget.text() for key, widget in self.fields.items()}
        try:
            save_contact(self._services.vault, self.chosen().id, **values)
        except KnownError as error:
            self.error.setText(error.message)
            return
        self.error.clear()
        for widget in self.fields.values():
            widget.clear()
        self.guard.mark_clean()
        self.refresh()

    def reject(self) -> None:
        """Close; ask first when a contact was typed but not added."""
        if self.guard.allows_discard():
            super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services) -> None:
        """Show the directory."""
        cls(services, parent).exec()
