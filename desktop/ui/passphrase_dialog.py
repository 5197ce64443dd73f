"""The passphrase of an encrypted copy, to give the recipient another way than the file."""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.details_section import DetailsSection
from desktop.ui.screen_fit import open_whole

SEND_IT_ANOTHER_WAY = (
    "The copy opens only with this passphrase. Give it to the recipient another way: "
    "read it out by telephone, never in the email or message that carries the file."
)


class PassphraseDialog(QDialog):
    """Show a passphrase to read out, with a Copy button; the words never leave by themselves."""

    def __init__(self, passphrase: str, saved_as: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle("Passphrase of the encrypted copy")
        intro = QLabel(f"{saved_as}\n\n{SEND_IT_ANOTHER_WAY}")
        intro.setObjectName("passphraseAdvice")
        intro.setWordWrap(True)
        self.words = QLineEdit(passphrase)
        self.words.setObjectName("passphraseWords")
        self.words.setAccessibleName("Passphrase")
        self.words.setReadOnly(True)
        font = QFont(self.words.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.words.setFont(font)
        self.words.setMinimumWidth(self.words.fontMetrics().horizontalAdvance(passphrase) + 24)
        caption = QLabel("&Passphrase:")
        caption.setBuddy(self.words)
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setObjectName("copyPassphrase")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.copied = QLabel()
        self.copied.setObjectName("passphraseCopied")
        details = DetailsSection()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(caption)
        row.addWidget(self.words, 1)
        row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.copied)
        layout.addWidget(details)
        layout.addWidget(buttons)
        details.set_details(
            "The PDF is encrypted with AES-256 under this passphrase (six words, about "
            "61 bits); it is signed after encryption, so its signature can be checked "
            "once it is opened."
        )
        self.words.setFocus()
        self.words.selectAll()
        open_whole(self)

    def _on_copy_clicked(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.words.text())
        self.copied.setText("Copied. Paste it only where the recipient will hear or read it apart.")

    @classmethod
    def ask(cls, parent: QWidget | None, passphrase: str, saved_as: str) -> None:
        """Show the passphrase until the user has taken it down."""
        dialog = cls(passphrase, saved_as, parent)
        dialog.exec()
