"""Send a child's records to another setting, receive them, and record receipts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import InvalidInput, KnownError
from desktop.sharing.receipts import ReadReceipt, read_receipt
from desktop.sharing.signatures import known_roots
from desktop.sharing.transfer import OutgoingPackage, seal_package
from desktop.sharing.transfers import (
    TransferRow,
    list_transfers,
    my_certificate,
    prepare_transfer,
    receipt_name,
    save_confirmation,
    save_receipt_again,
    save_transfer,
)
from desktop.storage.files import write_atomically
from desktop.ui.form_widgets import button, error_label, line, note, problem
from desktop.ui.receive_tab import ReceiveTab
from desktop.ui.save_dialog import ask_save_path, documents_folder
from desktop.ui.screen_fit import open_fitting
from desktop.ui.services import Services
from desktop.ui.transfer_text import history_rows, shown
from desktop.ui.worker import Task


class TransfersDialog(QDialog):
    """Three tabs: send a package, receive one, and the history with its receipts."""

    def __init__(self, services: Services, child: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transfersDialog")
        self.setWindowTitle("Transfer a child's records")
        open_fitting(self, 780, 640)
        self._services = services
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Send, receive, history")
        self.message = error_label()
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.receive = ReceiveTab(services, self.message)
        self.receive.received.connect(self._show_history)
        self.tabs.addTab(self._send_tab(child), "&Send")
        self.tabs.addTab(self.receive, "&Receive")
        self.tabs.addTab(self._history_tab(), "&History and receipts")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(close)
        controls = [self.save_package, *self._history_buttons]
        self._making: Task[bytes] = Task(self.message, controls, self)  # a package
        self._reading: Task[ReadReceipt] = Task(self.message, controls, self)
        self._show_history()

    def _send_tab(self, child: str) -> QWidget:
        page = QWidget()
        self.child = line("transferChild", "Child identifier", child)
        self.recipient = line("transferRecipient", "Send to (the receiving setting)")
        self.by_passphrase = QRadioButton("A &passphrase I will read to them by telephone")
        self.by_passphrase.setChecked(True)
        self.by_certificate = QRadioButton("Their certi&ficate (they sent me their .pem file)")
        self.certificate = line("recipientCertificate", "Recipient's certificate file")
        self.certificate.setPlaceholderText("Choose their certificate…")
        choose = button("chooseCertificate", "Ch&oose…", self._on_choose_certificate)
        row = QHBoxLayout()
        row.addWidget(self.certificate, 1)
        row.addWidget(choose)
        form = QFormLayout()
        form.addRow("&Child identifier", self.child)
        form.addRow("Send &to", self.recipient)
        encrypt = QGroupBox("Encrypt with")  # each choice is announced with the question
        choices = QVBoxLayout(encrypt)
        choices.addWidget(self.by_passphrase)
        choices.addWidget(self.by_certificate)
        choices.addLayout(row)
        form.addRow(encrypt)
        layout = QVBoxLayout(page)
        layout.addWidget(
            note(
                "Every escalation about the child goes into one file, signed by you and "
                "encrypted for the receiving setting. Send the file by any route; it opens "
                "only with the passphrase or their key."
            )
        )
        layout.addLayout(form)
        self.save_package = button("savePackage", "Sa&ve the package…", self._on_save_package)
        layout.addWidget(self.save_package)
        layout.addStretch(1)
        return page

    def _history_tab(self) -> QWidget:
        page = QWidget()
        self.history = QTableWidget(0, 6)
        self.history.setObjectName("transferHistory")
        self.history.setAccessibleName("Transfers sent and received")
        self.history.setTabKeyNavigation(False)  # Tab leaves the table; arrow keys move within
        self.history.setHorizontalHeaderLabels(
            ["When", "Transfer", "Sent or received", "With", "Cases", "Receipt"]
        )
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # with whom: elided
        self.history.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.history.verticalHeader().setVisible(False)
        self.history.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.itemSelectionChanged.connect(self._on_history_selection_changed)
        self.receipt_trust = QCheckBox(
            "I compared the fingerprint words of the receipt's signer with the recipient by phone"
        )
        self.receipt_trust.setObjectName("trustReceiptSigner")
        self.again_button = button(
            "saveReceiptAgain", "Save the receipt &again…", self._on_save_again
        )
        self._history_buttons = [
            button("recordReceipt", "Record a r&eceipt…", self._on_record_receipt),
            self.again_button,
            button("saveCertificate", "Save &my certificate…", self._on_save_cert),
        ]
        buttons = QHBoxLayout()
        for widget in self._history_buttons:
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.receipt_trust)
        layout.addLayout(buttons)
        return page

    def _show_history(self) -> None:
        try:
            self.transfers = list_transfers(self._services.vault)
        except KnownError as error:
            self._fail(error)
            return
        rows = history_rows(self.transfers)
        self.history.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.history.setItem(r, c, item)
        self._on_history_selection_changed()

    def _selected(self) -> TransferRow | None:
        rows = {index.row() for index in self.history.selectedIndexes()}
        return self.transfers[rows.pop()] if len(rows) == 1 else None

    def _on_history_selection_changed(self) -> None:
        row = self._selected()
        self.again_button.setEnabled(
            row is not None and row.direction == "received" and row.receipt_kept
        )

    def _on_save_again(self) -> None:
        row = self._selected()
        if row is None:
            return
        target = self._ask_target(
            "Save the signed receipt again", receipt_name(row.transfer_id), "PDF (*.pdf)"
        )
        if target is not None:
            self.save_receipt_to(row.transfer_id, target)

    def save_receipt_to(self, transfer_id: str, target: Path) -> None:
        """Write a received transfer's signed receipt again, exactly as first saved (audited)."""
        try:
            save_receipt_again(self._services.vault, transfer_id, target)
        except (KnownError, OSError) as error:
            self._fail(error)
            return
        self.message.setText(f"Saved the signed receipt again as {target.name}.")

    def _ask_target(self, caption: str, suggested: str, filters: str) -> Path | None:
        return ask_save_path(
            self, self._services.vault.files.folder, self.message, caption, suggested, filters
        )

    def _fail(self, error: KnownError | OSError) -> None:
        self.message.setText(problem(error))

    def _on_choose_certificate(self) -> None:
        chosen, _f = QFileDialog.getOpenFileName(
            self, "Their certificate", str(documents_folder()), "Certificates (*.pem)"
        )
        if chosen:
            self.certificate.setText(chosen)
            self.by_certificate.setChecked(True)

    def _on_save_package(self) -> None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
        target = self._ask_target(
            "Save the package", f"transfer-{stamp}.erpkg", "Transfer packages (*.erpkg)"
        )
        if target is not None:
            self.send_to(target)

    def send_to(self, target: Path) -> None:
        """Read the child's records here; seal them on a worker; record and save on return."""
        try:
            certificate = None
            if self.by_certificate.isChecked():
                if not self.certificate.text().strip():
                    raise InvalidInput("Choose the recipient's certificate file first.")
                certificate = Path(self.certificate.text()).read_text("ascii", "replace")
            outgoing = prepare_transfer(
                self._services.vault,
                self._services.catalogue,
                self.child.text().strip(),
                self.recipient.text().strip(),
                dt.datetime.now(dt.UTC),
                recipient_cert_pem=certificate,
            )
        except (KnownError, OSError) as error:
            self._fail(error)
            return
        self._making.start(
            lambda: seal_package(outgoing),
            lambda data: self._on_sealed(outgoing, data, target),
            progress="Sealing the package…",
            failure="The package could not be sealed; nothing was saved.",
        )

    def _on_sealed(self, outgoing: OutgoingPackage, data: bytes, target: Path) -> None:
        """Back on the GUI thread: record the transfer and write the package, together."""
        try:
            save_transfer(self._services.vault, outgoing, data, target)
        except (KnownError, OSError) as error:
            self._fail(error)
            return
        read_out = (
            f" Read this passphrase to them by telephone: <b>{outgoing.passphrase}</b>"
            if outgoing.passphrase
            else " It opens only with their key."
        )
        self.message.setText(f"Saved {outgoing.cases} case(s) to {target.name}.{read_out}")
        self._show_history()

    def _on_record_receipt(self) -> None:
        chosen, _f = QFileDialog.getOpenFileName(
            self, "The receipt", str(documents_folder()), "Signed receipts (*.pdf)"
        )
        if chosen:
            self.record_receipt(Path(chosen))

    def record_receipt(self, path: Path) -> None:
        """Check a returned receipt on a worker, then mark the transfer as arrived."""
        trust = self.receipt_trust.isChecked()
        try:
            pdf, known = path.read_bytes(), known_roots(self._services.vault)
        except (KnownError, OSError) as error:
            self._fail(error)
            return
        self._reading.start(
            lambda: read_receipt(pdf, known),
            lambda read: self._on_receipt_read(read, trust),
            progress="Checking the receipt…",
            failure="The receipt could not be checked; nothing was recorded.",
        )

    def _on_receipt_read(self, receipt: ReadReceipt, trust: bool) -> None:
        try:
            sent = save_confirmation(
                self._services.vault, receipt, dt.datetime.now(dt.UTC), trust=trust
            )
        except KnownError as error:
            self._fail(error)
            return
        self.receipt_trust.setChecked(False)
        self.message.setText(f"Receipt recorded: the records arrived at {shown(sent.counterpart)}.")
        self._show_history()

    def _on_save_cert(self) -> None:
        target = self._ask_target("Save my certificate", "my-certificate.pem", "PEM (*.pem)")
        if target is None:
            return
        try:
            write_atomically(target, my_certificate(self._services.vault).encode("ascii"))
        except (KnownError, OSError) as error:
            self._fail(error)
            return
        self.message.setText("Saved. Senders can now seal packages to this certificate.")

    def open_package(self, path: Path) -> None:
        """Show the Receive tab and open ``path`` there."""
        self.tabs.setCurrentWidget(self.receive)
        self.receive.open_file(path)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        services: Services,
        child: str = "",
        package: Path | None = None,
    ) -> None:
        """Show the dialog; with ``package``, on the Receive tab with that package opened."""
        dialog = cls(services, child, parent)
        if package is not None:
            dialog.open_package(package)
        dialog.exec()
