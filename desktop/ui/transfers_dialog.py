"""Send a child's records to another setting, receive them, and record receipts."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
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

from desktop.casework.settings import working_calendar
from desktop.errors import InvalidInput, KnownError
from desktop.procedures.workdays import to_london
from desktop.sharing.receipts import confirm_receipt
from desktop.sharing.sealed import Opened, needs_passphrase, unseal
from desktop.sharing.transfer import (
    IncomingPackage,
    OutgoingPackage,
    own_certificate,
    package_key,
    prepare_package,
    read_package,
    receive_package,
    record_package,
    seal_package,
    transfers,
)
from desktop.storage.files import write_atomically
from desktop.text.display import visible
from desktop.ui import worker
from desktop.ui.form_widgets import button, error_label, line, note, problem
from desktop.ui.save_dialog import ask_save_path
from desktop.ui.services import Services


def _shown(text: str) -> str:
    """Foreign text for a rich-text label: control characters visible, then HTML-escaped."""
    return html.escape(visible(text))


def describe_incoming(incoming: IncomingPackage) -> str:
    """What a package holds, in plain words, before anything is imported."""
    kept = {v: k for k, v in incoming.renamed.items()}
    rows = "".join(
        f"<li>{_shown(kept.get(c.case.reference, c.case.reference))}: "
        f"{_shown(c.case.procedure_id)}, {len(c.stages)} stage(s)"
        + (f" — kept here as {_shown(c.case.reference)}" if c.case.reference in kept else "")
        + "</li>"
        for c in incoming.cases
    )
    trust = (
        "a signer you confirmed before"
        if incoming.known_signer
        else "<b>not confirmed before</b>: compare this fingerprint with the sender by telephone"
    )
    return (
        f"<p><b>From</b> {_shown(incoming.sender)}<br>"
        f"<b>Sent</b> {to_london(incoming.sent_at):%d %b %Y %H:%M}<br>"
        f"<b>Signed by</b> {_shown(incoming.signer_subject)}<br>"
        f"<b>Signing root</b> <tt>{incoming.root_fingerprint}</tt> ({trust})<br>"
        f"<b>Child</b> {_shown(incoming.child)}</p>"
        f"<p><b>{len(incoming.cases)} case(s)</b></p><ul>{rows}</ul>"
        "<p>The signature is intact. Nothing has been imported yet.</p>"
    )


class TransfersDialog(QDialog):
    """Three tabs: send a package, receive one, and the history with its receipts."""

    def __init__(self, services: Services, child: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transfersDialog")
        self.setWindowTitle("Transfer a child's records")
        self.resize(760, 560)
        self._services = services
        self.incoming: IncomingPackage | None = None
        self._outgoing: tuple[OutgoingPackage, Path] | None = None
        self._package: bytes | None = None
        self.package: bytes = b""
        self.tabs = QTabWidget()
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
        self._task = worker.Task(self.message, [self.save_package, self.open_button], self)
        self._show_history()

    def _send_tab(self, child: str) -> QWidget:
        page = QWidget()
        self.child = line("transferChild", "Child identifier", child)
        self.recipient = line("transferRecipient", "Receiving setting")
        self.by_passphrase = QRadioButton("A &passphrase I will read to them by telephone")
        self.by_passphrase.setChecked(True)
        self.by_certificate = QRadioButton("Their &certificate (they sent me their .pem file)")
        self.certificate = line("recipientCertificate", "Recipient's certificate file")
        self.certificate.setPlaceholderText("Choose their certificate…")
        choose = button("chooseCertificate", "C&hoose…", self._on_choose_certificate)
        row = QHBoxLayout()
        row.addWidget(self.certificate, 1)
        row.addWidget(choose)
        form = QFormLayout()
        form.addRow("&Child identifier", self.child)
        form.addRow("Send &to", self.recipient)
        form.addRow("Encrypt with", self.by_passphrase)
        form.addRow("", self.by_certificate)
        form.addRow("", row)
        layout = QVBoxLayout(page)
        layout.addWidget(
            note(
                "Every escalation about the child goes into one file, signed by you and "
                "encrypted for the receiving setting. Send the file by any route; it opens "
                "only with the passphrase or their key."
            )
        )
        layout.addLayout(form)
        self.save_package = button("savePackage", "Save the &package…", self._on_save_package)
        layout.addWidget(self.save_package)
        layout.addStretch(1)
        return page

    def _receive_tab(self) -> QWidget:
        page = QWidget()
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("packagePassphrase")
        self.passphrase.setAccessibleName("Passphrase the sender read to you")
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
        self.history.setHorizontalHeaderLabels(["When", "Direction", "With", "Cases", "Receipt"])
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.verticalHeader().setVisible(False)
        self.receipt_trust = QCheckBox(
            "I compared the receipt signer's root fingerprint with the recipient by phone"
        )
        self.receipt_trust.setObjectName("trustReceiptSigner")
        buttons = QHBoxLayout()
        buttons.addWidget(button("recordReceipt", "Record a &receipt…", self._on_record_receipt))
        buttons.addWidget(button("saveCertificate", "Save &my certificate…", self._on_save_cert))
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.receipt_trust)
        layout.addLayout(buttons)
        return page

    def _show_history(self) -> None:
        with self._services.vault.sessions() as session:
            rows = [
                (
                    f"{to_london(t.at):%d %b %Y %H:%M}",
                    t.direction,
                    visible(t.counterpart),
                    str(t.cases),
                    (f"{to_london(t.receipt_at):%d %b %Y}" if t.receipt_at else "awaited")
                    if t.direction == "sent"
                    else "sent back by you",
                )
                for t in transfers(session)
            ]
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
        vault = self._services.vault
        try:
            certificate = None
            if self.by_certificate.isChecked():
                if not self.certificate.text().strip():
                    raise InvalidInput("Choose the recipient's certificate file first.")
                certificate = Path(self.certificate.text()).read_text("ascii", "replace")
            with vault.sessions() as session:
                outgoing = prepare_package(
                    session,
                    self._services.catalogue,
                    self.child.text().strip(),
                    self.recipient.text().strip(),
                    dt.datetime.now(dt.UTC),
                    recipient_cert_pem=certificate,
                )
        except (KnownError, OSError) as error:
            self._fail(error)
            return
        self._outgoing = (outgoing, target)
        self._task.start(
            lambda: seal_package(outgoing),
            self._on_sealed,
            progress="Sealing the package…",
            failure="The package could not be sealed; nothing was saved.",
        )

    def _on_sealed(self, data: bytes) -> None:
        """Back on the GUI thread: record the transfer and write the package, together."""
        if self._outgoing is None:
            return
        vault, (outgoing, target) = self._services.vault, self._outgoing
        failure = worker.record_and_write(
            vault,
            lambda session: record_package(session, vault.audit_key, outgoing, data),
            target,
            data,
        )
        if failure is not None:
            self.message.setText(failure)
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
        try:
            data = path.read_bytes()
            passphrase = self.passphrase.text() if needs_passphrase(data) else None
            if passphrase == "":
                raise InvalidInput("Type the passphrase the sender read to you, then open again.")
            with self._services.vault.sessions() as session:
                own = package_key(session, passphrase)
        except (KnownError, OSError) as error:
            self.contents.clear()
            self._fail(error)
            return
        self.contents.clear()
        self._package = data
        self._task.start(
            lambda: unseal(data, passphrase=passphrase, own=own),
            self._on_unsealed,
            progress="Opening and checking the package…",
            failure="The package could not be opened; nothing was imported.",
        )

    def _on_unsealed(self, opened: Opened) -> None:
        """Back on the GUI thread: check the package against this vault and show it."""
        if self._package is None:
            return
        try:
            with self._services.vault.sessions() as session:
                self.incoming = read_package(
                    session, self._services.catalogue, self._package, opened
                )
        except KnownError as error:
            self._fail(error)
            return
        self.message.clear()
        self.contents.setHtml(describe_incoming(self.incoming))
        self.trust.setVisible(not self.incoming.known_signer)
        self.trust.setChecked(False)
        self.import_button.setEnabled(True)

    def _on_import(self) -> None:
        target = self._ask_target(
            "Save the receipt to send back", "transfer-receipt.pdf", "PDF (*.pdf)"
        )
        if target is not None:
            self.import_to(target)

    def import_to(self, receipt: Path) -> None:
        """Import the opened package and write the signed receipt to ``receipt``."""
        if self.incoming is None:
            return
        vault = self._services.vault
        try:
            with vault.sessions.begin() as session:
                pdf = receive_package(
                    session,
                    vault.audit_key,
                    self._services.catalogue,
                    working_calendar(session),
                    self.incoming,
                    dt.datetime.now(dt.UTC),
                    trust_signer=self.trust.isChecked(),
                )
                write_atomically(receipt, pdf)
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
        """Check a returned receipt and mark the transfer as arrived."""
        vault = self._services.vault
        try:
            with vault.sessions.begin() as session:
                sent = confirm_receipt(
                    session,
                    vault.audit_key,
                    path.read_bytes(),
                    dt.datetime.now(dt.UTC),
                    trust=self.receipt_trust.isChecked(),
                )
                who = sent.counterpart
        except (KnownError, OSError) as error:
            self._fail(error)
            return
        self.receipt_trust.setChecked(False)
        self.message.setText(f"Receipt recorded: the records arrived at {_shown(who)}.")
        self._show_history()

    def _on_save_cert(self) -> None:
        target = self._ask_target("Save my certificate", "my-certificate.pem", "PEM (*.pem)")
        if target is None:
            return
        try:
            with self._services.vault.sessions.begin() as session:
                pem = own_certificate(session)
            write_atomically(target, pem.encode("ascii"))
        except (KnownError, OSError) as error:
            self._fail(error)
            return
        self.message.setText("Saved. Senders can now seal packages to this certificate.")

    @classmethod
    def ask(cls, parent: QWidget | None, services: Services, child: str = "") -> None:
        """Show the dialog."""
        cls(services, child, parent).exec()
