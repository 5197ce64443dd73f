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
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import InvalidInput, KnownError
from desktop.sharing.receipts import ReadReceipt, read_receipt, sign_receipt
from desktop.sharing.sealed import Opened, needs_passphrase, unseal
from desktop.sharing.signatures import known_roots
from desktop.sharing.transfer import IncomingPackage, OutgoingPackage, seal_package
from desktop.sharing.transfers import (
    check_package,
    list_transfers,
    my_certificate,
    opening_keys,
    prepare_receipt,
    prepare_transfer,
    save_confirmation,
    save_received,
    save_transfer,
)
from desktop.storage.files import write_atomically
from desktop.ui.form_widgets import button, error_label, line, note, problem
from desktop.ui.save_dialog import ask_save_path
from desktop.ui.screen_fit import open_fitting
from desktop.ui.services import Services
from desktop.ui.transfer_text import describe_incoming, history_rows, shown
from desktop.ui.worker import Task


class TransfersDialog(QDialog):
    """Three tabs: send a package, receive one, and the history with its receipts."""

    def __init__(self, services: Services, child: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transfersDialog")
        self.setWindowTitle("Transfer a child's records")
        open_fitting(self, 760, 560)
        self._services = services
        self.incoming: IncomingPackage | None = None
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Send, receive, history")
        self.tabs.addTab(self._send_tab(child), "&Send")
        self.tabs.addTab(self._receive_tab(), "&Receive")
        self.tabs.addTab(self._history_tab(), "&History and receipts")
        self.message = error_label()
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(close)
        controls = [self.save_package, self.open_button, self.import_button, *self._history_buttons]
        self._making: Task[bytes] = Task(self.message, controls, self)  # a package, a receipt
        self._opening: Task[Opened] = Task(self.message, controls, self)
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

    def _receive_tab(self) -> QWidget:
        page = QWidget()
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("packagePassphrase")
        self.passphrase.setAccessibleName("Passphrase (if they read you one)")
        self.passphrase.setAccessibleDescription("The passphrase the sender read to you")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.contents = QTextBrowser()
        self.contents.setObjectName("packageContents")
        self.contents.setAccessibleName("What the package holds")
        self.trust = QCheckBox("I compared the signing root's fingerprint with the sender by phone")
        self.trust.setObjectName("trustSender")
        self.import_button = button(
            "importPackage", "&Import and save the receipt…", self._on_import
        )
        self.import_button.setEnabled(False)
        form = QFormLayout()
        form.addRow("Pass&phrase (if they read you one)", self.passphrase)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        self.open_button = button("openPackage", "&Open a package…", self._on_open_package)
        layout.addWidget(self.open_button)
        layout.addWidget(self.contents, 1)
        layout.addWidget(self.trust)
        layout.addWidget(self.import_button)
        return page

    def _history_tab(self) -> QWidget:
        page = QWidget()
        self.history = QTableWidget(0, 5)
        self.history.setObjectName("transferHistory")
        self.history.setAccessibleName("Transfers sent and received")
        self.history.setTabKeyNavigation(False)  # Tab leaves the table; arrow keys move within
        self.history.setHorizontalHeaderLabels(["When", "Direction", "With", "Cases", "Receipt"])
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.verticalHeader().setVisible(False)
        self.receipt_trust = QCheckBox(
            "I compared the receipt signer's root fingerprint with the recipient by phone"
        )
        self.receipt_trust.setObjectName("trustReceiptSigner")
        self._history_buttons = [
            button("recordReceipt", "Record a r&eceipt…", self._on_record_receipt),
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
            transfers = list_transfers(self._services.vault)
        except KnownError as error:
            self._fail(error)
            return
        rows = history_rows(transfers)
        self.history.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.history.setItem(r, c, QTableWidgetItem(value))
        self.history.resizeColumnsToContents()

    def _ask_target(self, caption: str, suggested: str, filters: str) -> Path | None:
        return ask_save_path(
            self, self._services.vault.files.folder, self.message, caption, suggested, filters
        )

    def _fail(self, error: KnownError | OSError) -> None:
        self.message.setText(problem(error))

    def _on_choose_certificate(self) -> None:
        chosen, _f = QFileDialog.getOpenFileName(self, "Their certificate", "", "PEM (*.pem)")
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

    def _on_open_package(self) -> None:
        chosen, _f = QFileDialog.getOpenFileName(self, "A transfer package", "", "(*.erpkg *)")
        if chosen:
            self.open_file(Path(chosen))

    def open_file(self, path: Path) -> None:
        """Open and verify a package on a worker and show what it holds; write nothing."""
        self.incoming = None
        self.import_button.setEnabled(False)
        self.tabs.setCurrentIndex(1)
        self.contents.clear()
        try:
            data = path.read_bytes()
            passphrase = self.passphrase.text() if needs_passphrase(data) else None
            if passphrase == "":
                raise InvalidInput("Type the passphrase the sender read to you, then open again.")
            own = opening_keys(self._services.vault, passphrase)
        except (KnownError, OSError) as error:
            self._fail(error)
            return
        self._opening.start(
            lambda: unseal(data, passphrase=passphrase, own=own),
            lambda opened: self._on_unsealed(data, opened),
            progress="Opening and checking the package…",
            failure="The package could not be opened; nothing was imported.",
        )

    def _on_unsealed(self, data: bytes, opened: Opened) -> None:
        """Back on the GUI thread: check the package against this vault and show it."""
        try:
            incoming = check_package(self._services.vault, self._services.catalogue, data, opened)
        except KnownError as error:
            self._fail(error)
            return
        self.incoming = incoming
        self.message.clear()
        self.contents.setHtml(describe_incoming(incoming))
        self.trust.setVisible(not incoming.known_signer)
        self.trust.setChecked(False)
        self.import_button.setEnabled(True)

    def _on_import(self) -> None:
        target = self._ask_target(
            "Save the receipt to send back", "transfer-receipt.pdf", "PDF (*.pdf)"
        )
        if target is not None:
            self.import_to(target)

    def import_to(self, receipt: Path) -> None:
        """Sign the receipt on a worker; then import the package and write the receipt, together."""
        incoming, trust = self.incoming, self.trust.isChecked()
        if incoming is None:
            return
        now = dt.datetime.now(dt.UTC)
        try:
            job = prepare_receipt(self._services.vault, incoming, now, trust=trust)
        except KnownError as error:
            self._fail(error)
            return
        self._making.start(
            lambda: sign_receipt(job),
            lambda pdf: self._on_receipt_signed(incoming, now, pdf, receipt, trust),
            progress="Signing the receipt…",
            failure="The receipt could not be signed; nothing was imported.",
        )

    def _on_receipt_signed(
        self, incoming: IncomingPackage, now: dt.datetime, pdf: bytes, receipt: Path, trust: bool
    ) -> None:
        services = self._services
        try:
            save_received(
                services.vault, services.catalogue, incoming, now, pdf, receipt, trust=trust
            )
        except (KnownError, OSError) as error:
            self._fail(error)
            return
        self.incoming = None
        self.import_button.setEnabled(False)
        self.message.setText(f"Imported. Send the signed receipt {receipt.name} to the sender.")
        self._show_history()

    def _on_record_receipt(self) -> None:
        chosen, _f = QFileDialog.getOpenFileName(self, "The receipt", "", "PDF (*.pdf)")
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

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, child: str = "") -> None:
        """Show the dialog."""
        cls(services, child, parent).exec()
