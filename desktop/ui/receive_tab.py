"""Receive a transfer, in order: open it, see what it holds, check who sent it, import it.

The passphrase field shows what is typed (six words read over the telephone;
spaces, hyphens and capitals do not matter). Importing stays off until the
sender is confirmed, by comparing their fingerprint words by telephone; the
signed receipt is then saved where the user chooses, named for the transfer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import InvalidInput, KnownError
from desktop.sharing.package_preview import PackagePreview, preview_package
from desktop.sharing.receipts import sign_receipt
from desktop.sharing.sealed import Opened, needs_passphrase, unseal
from desktop.sharing.transfer import IncomingPackage
from desktop.sharing.transfers import (
    check_package,
    opening_keys,
    prepare_receipt,
    receipt_name,
    save_received,
)
from desktop.text.display import visible
from desktop.ui import form_widgets as fw
from desktop.ui.save_dialog import ask_save_path, documents_folder
from desktop.ui.screen_fit import scrolling
from desktop.ui.services import Services
from desktop.ui.transfer_text import describe_imported, describe_preview
from desktop.ui.worker import Task

PACKAGE_FILTER = "Transfer packages (*.erpkg)"
WAITING = (
    "<p>Choose the package the sender gave you. If they read you six words by telephone, "
    "type them first. Nothing is imported until you have seen what the package holds and "
    "checked who sent it.</p>"
)


class ReceiveTab(QWidget):
    """The Receive tab of the transfers dialog."""

    received = Signal()  # a package was imported and its receipt saved

    def __init__(self, services: Services, message: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self.message = services, message
        self.path: Path | None = None
        self.incoming: IncomingPackage | None = None
        self.preview: PackagePreview | None = None
        steps = QWidget()
        layout = QVBoxLayout(steps)
        layout.addWidget(self._open_step())
        self.contents = QTextBrowser()
        self.contents.setObjectName("packageContents")
        self.contents.setAccessibleName("What the package holds")
        self.contents.setHtml(WAITING)
        holds = QGroupBox("2. What it holds")
        QVBoxLayout(holds).addWidget(self.contents)
        layout.addWidget(holds, 1)
        layout.addWidget(self._sender_step())
        self.import_button = fw.button(
            "importPackage", "&Import and save the receipt…", self._on_import
        )
        layout.addWidget(self.import_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(steps))  # the three steps scroll on a small screen
        controls = [self.choose_button, self.open_button, self.import_button]
        self._opening: Task[Opened] = Task(message, controls, self)
        self._signing: Task[bytes] = Task(message, controls, self)
        self._show_sender()

    def _open_step(self) -> QGroupBox:
        box = QGroupBox("1. Open the package")
        self.file_label = fw.note("No package chosen yet.", "packageFile")
        self.choose_button = fw.button("choosePackage", "Choose a pac&kage…", self._on_choose)
        self.passphrase = fw.line(
            "packagePassphrase",
            "Passphrase (if they read you one)",
            hint="the six words they read to you",
        )
        self.open_button = fw.button("openPackage", "&Open", self._on_open)
        self.passphrase.returnPressed.connect(self._on_open)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)
        caption = QLabel("Pass&phrase (if they read you one):")
        caption.setBuddy(self.passphrase)
        words = QHBoxLayout()
        words.addWidget(caption)
        words.addWidget(self.passphrase, 1)
        words.addWidget(self.open_button)
        layout = QVBoxLayout(box)
        layout.addLayout(file_row)
        layout.addLayout(words)
        return box

    def _sender_step(self) -> QGroupBox:
        self.sender_box = QGroupBox("3. Check who sent it")
        self.sender_note = fw.note("", "senderNote")
        self.words = fw.note("", "senderWords")
        font = QFont(self.words.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.words.setFont(font)
        self.trust = QCheckBox("I compared these &words with the sender by phone")
        self.trust.setObjectName("trustSender")
        self.trust.toggled.connect(self._show_sender)
        layout = QVBoxLayout(self.sender_box)
        layout.addWidget(self.sender_note)
        layout.addWidget(self.words)
        layout.addWidget(self.trust)
        return self.sender_box

    def _show_sender(self) -> None:
        """The fingerprint step for this package; importing waits for it."""
        preview = self.preview
        self.sender_box.setVisible(preview is not None)
        if preview is None:
            self.import_button.setEnabled(False)
            return
        if preview.known_signer:
            self.sender_note.setText(
                f"Signed by {visible(preview.signer)}, a sender you confirmed before. Their "
                "fingerprint words:"
            )
        else:
            self.sender_note.setText(
                f"Signed by {visible(preview.signer)}, a sender you have not confirmed. Ring "
                "them on a number you already know and ask them to read their fingerprint "
                "words. They must be exactly:"
            )
        self.words.setText(preview.words)
        self.trust.setVisible(not preview.known_signer)
        ready = preview.known_signer or self.trust.isChecked()
        self.import_button.setEnabled(ready)
        if ready and self.trust.isChecked():
            self.message.setText("Ready: import it, then send the signed receipt back.")

    def _on_choose(self) -> None:
        chosen, _f = QFileDialog.getOpenFileName(
            self, "Choose a transfer package", str(documents_folder()), PACKAGE_FILTER
        )
        if chosen:
            self.open_file(Path(chosen))

    def _on_open(self) -> None:
        if self.path is None:
            self._on_choose()
        else:
            self.open_file(self.path)

    def _forget(self) -> None:
        self.incoming = self.preview = None
        self.trust.setChecked(False)
        self._show_sender()

    def open_file(self, path: Path) -> None:
        """Open and verify a package on a worker and show what it holds; write nothing."""
        self._forget()
        self.path = path
        self.file_label.setText(f"Package: {visible(path.name)}")
        self.contents.setHtml(WAITING)
        self.message.clear()
        try:
            data = path.read_bytes()
            passphrase = self.passphrase.text() if needs_passphrase(data) else None
            if passphrase is not None and not passphrase.strip():
                self.passphrase.setFocus()
                raise InvalidInput(
                    "This package opens with the six words the sender read to you: type "
                    "them in Passphrase, then Open."
                )
            own = opening_keys(self._services.vault, passphrase)
        except (KnownError, OSError) as error:
            self.message.setText(fw.problem(error))
            return
        self._opening.start(
            lambda: unseal(data, passphrase=passphrase, own=own),
            lambda opened: self._on_unsealed(data, opened),
            progress="Opening and checking the package…",
            failure="The package could not be opened; nothing was imported.",
        )

    def _on_unsealed(self, data: bytes, opened: Opened) -> None:
        """Back on the GUI thread: check the package against this vault and show it."""
        services = self._services
        try:
            incoming = check_package(services.vault, services.catalogue, data, opened)
        except KnownError as error:
            self.message.setText(error.message)
            return
        self.incoming = incoming
        self.preview = preview_package(services.catalogue, incoming)
        self.contents.setHtml(describe_preview(self.preview))
        self._show_sender()
        self.message.setText("" if incoming.known_signer else "Check who sent it (step 3).")

    def _on_import(self) -> None:
        if self.incoming is None:
            return
        target = ask_save_path(
            self,
            self._services.vault.files.folder,
            self.message,
            "Save the signed receipt to send back",
            receipt_name(self.incoming.transfer_id),
            "PDF documents (*.pdf)",
        )
        if target is not None:
            self.import_to(target)

    def import_to(self, receipt: Path) -> None:
        """Sign the receipt on a worker; then import the package and write the receipt, together."""
        incoming, preview, trust = self.incoming, self.preview, self.trust.isChecked()
        if incoming is None or preview is None:
            return
        now = dt.datetime.now(dt.UTC)
        try:
            job = prepare_receipt(self._services.vault, incoming, now, trust=trust)
        except KnownError as error:
            self.message.setText(error.message)
            return
        self._signing.start(
            lambda: sign_receipt(job),
            lambda pdf: self._on_receipt_signed(incoming, preview, now, pdf, receipt, trust),
            progress="Signing the receipt…",
            failure="The receipt could not be signed; nothing was imported.",
        )

    def _on_receipt_signed(
        self,
        incoming: IncomingPackage,
        preview: PackagePreview,
        now: dt.datetime,
        pdf: bytes,
        receipt: Path,
        trust: bool,
    ) -> None:
        services = self._services
        try:
            save_received(
                services.vault, services.catalogue, incoming, now, pdf, receipt, trust=trust
            )
        except (KnownError, OSError) as error:
            self.message.setText(fw.problem(error))
            return
        self._forget()
        self.path = None
        self.passphrase.clear()
        self.file_label.setText("No package chosen yet.")
        self.contents.setHtml(describe_imported(preview, receipt, now))
        self.message.setText(f"Imported. Send the signed receipt {receipt.name} to the sender.")
        self.received.emit()
