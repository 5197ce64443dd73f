"""One checked file: its verdict in words, icon and colour, then who signed it in plain labels.

Everything taken from the file (names, titles) is shown as plain text with
control characters made visible; fingerprints sit behind "Technical details".
A signer not confirmed yet gets the confirming step: their fingerprint words
to compare by telephone, a tick, then the button.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.documents.signing import SignatureReport, Verdict
from desktop.procedures.workdays import to_london
from desktop.sharing.signatures import Checked
from desktop.sharing.signers import OwnSignatures
from desktop.sharing.verdict_text import (
    HEADLINES,
    LOCKED,
    LOCKED_EXPLANATION,
    explanation,
    signature_state,
)
from desktop.text.display import visible
from desktop.text.fingerprint_words import fingerprint_words
from desktop.ui.verdict_style import locked_icon, verdict_colour, verdict_icon


def plain(text: str, name: str = "") -> QLabel:
    """A wrapped, selectable plain-text label (never rich text: the words came from a file)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def _hex_lines(fingerprint: str) -> str:
    half = len(fingerprint) // 2 + 1
    return f"{fingerprint[:half]}\n{fingerprint[half:]}" if fingerprint else "none"


class SignedFilePanel(QFrame):
    """The verdict on one file and what it says about each signature."""

    signer_confirmed = Signal(str, str)  # the root's fingerprint and whose root it is

    def __init__(
        self,
        checked: Checked,
        own: OwnSignatures | None = None,
        parent: QWidget | None = None,
        *,
        tried: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signedFilePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.checked = checked
        self.verdict = checked.verdict
        self._own = own or OwnSignatures(frozenset(), frozenset())
        self._tried = tried  # words were given for it (and did not open it, if locked)
        layout = QVBoxLayout(self)
        layout.addLayout(self._header())
        for index, report in enumerate(checked.reports, start=1):
            layout.addWidget(self._signature(index, len(checked.reports), report))
        pending = [r for r in checked.reports if r.valid and not r.known and r.root_fingerprint]
        self.confirm_box: QGroupBox | None = None
        if pending:
            self.confirm_box = self._confirm_step(pending[0])
            layout.addWidget(self.confirm_box)
        if checked.reports:
            layout.addWidget(self._technical())
        self.setAccessibleName(f"{visible(checked.path.name)}: {self.headline.text()}")

    def _header(self) -> QHBoxLayout:
        checked, palette = self.checked, self.palette()
        locked = checked.locked
        headline = LOCKED if locked else HEADLINES[self.verdict]
        icon = QLabel()
        icon.setObjectName("verdictIcon")
        icon.setPixmap(locked_icon(palette) if locked else verdict_icon(self.verdict, palette))
        icon.setAccessibleName(headline)
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.headline = plain(headline, "verdictHeadline")
        font = QFont(self.headline.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.headline.setFont(font)
        colour = (
            palette.color(QPalette.ColorRole.WindowText)
            if locked
            else verdict_colour(self.verdict, palette)
        )
        self.headline.setStyleSheet(f"color: {colour.name()};")
        said = explanation(checked.signed) if checked.signed else checked.problem or ""
        if locked:  # no words yet: how to open it; the wrong words: say so first
            said = LOCKED_EXPLANATION if not self._tried else f"{said} {LOCKED_EXPLANATION}"
        self.explanation = plain(said, "verdictExplanation")
        text = QVBoxLayout()
        text.addWidget(plain(visible(checked.path.name), "checkedFileName"))
        text.addWidget(self.headline)
        text.addWidget(self.explanation)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addLayout(text, 1)
        return row

    def _signature(self, index: int, total: int, report: SignatureReport) -> QGroupBox:
        box = QGroupBox(f"Signature {index} of {total}: {signature_state(report)}")
        box.setObjectName("signatureDetails")
        form = QFormLayout(box)
        when = (
            f"{to_london(report.signed_at):%d/%m/%Y %H:%M} (UK time)"
            if report.signed_at
            else "not said"
        )
        trusted = "confirmed" if report.known else "not confirmed"
        if self._own.signed(report):
            trusted = "yours"
        for label, value in (
            ("Signed by:", report.signer_name or report.signer),
            ("Role:", report.signer_role or "not given"),
            ("Organisation:", report.signer_organisation or "not given"),
            ("Signed on:", when),
            ("Signer's root:", f"{report.root_subject} ({trusted})"),
            (
                "Fingerprint words:",
                fingerprint_words(report.root_fingerprint) if report.root_fingerprint else "none",
            ),
        ):
            form.addRow(label, plain(visible(value)))
        return box

    def _confirm_step(self, report: SignatureReport) -> QGroupBox:
        box = QGroupBox("Confirm who signed it")
        box.setObjectName("confirmSigner")
        words = plain(fingerprint_words(report.root_fingerprint), "signerWords")
        font = QFont(words.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        words.setFont(font)
        self.compared = QCheckBox("I compared these &words with the sender by phone")
        self.compared.setObjectName("comparedWords")
        self.confirm_button = QPushButton("Con&firm this signer")
        self.confirm_button.setObjectName("confirmSignerButton")
        self.confirm_button.setEnabled(False)
        self.compared.toggled.connect(self.confirm_button.setEnabled)
        root, subject = report.root_fingerprint, report.root_subject
        self.confirm_button.clicked.connect(lambda: self.signer_confirmed.emit(root, subject))
        layout = QVBoxLayout(box)
        layout.addWidget(
            plain(
                f"Ring {visible(subject)} on a number you already know (not one printed in "
                "this document) and ask them to read their fingerprint words. They must be "
                "exactly:"
            )
        )
        layout.addWidget(words)
        row = QHBoxLayout()
        row.addWidget(self.compared, 1)
        row.addWidget(self.confirm_button)
        layout.addLayout(row)
        return box

    def _technical(self) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        toggle = QToolButton()
        toggle.setObjectName("technicalDetails")
        toggle.setText("Technical details")
        toggle.setCheckable(True)
        toggle.setArrowType(Qt.ArrowType.RightArrow)
        toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        details = plain(
            "\n\n".join(
                f"{visible(r.field)}\nCertificate SHA-256:\n{_hex_lines(r.fingerprint)}\n"
                f"Root SHA-256:\n{_hex_lines(r.root_fingerprint)}"
                for r in self.checked.reports
            ),
            "fingerprints",
        )
        details.setFont(QFont("monospace"))
        details.setVisible(False)

        def show(on: bool) -> None:
            details.setVisible(on)
            toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)

        toggle.toggled.connect(show)
        layout.addWidget(toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(details)
        return holder


__all__ = ["SignedFilePanel", "Verdict", "plain"]
