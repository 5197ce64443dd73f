"""What to do now in a case: the current stage's steps, and the procedure's own words."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from desktop.casework.guidance import NowGuidance, what_to_do_now
from desktop.casework.timeline import CaseDetail


def now_html(now: NowGuidance) -> str:
    """Lay out what to do now: heading, steps, then the procedure's words as a quote."""
    steps = " ".join(html.escape(step) for step in now.steps)
    parts = [f"<b>What to do now: {html.escape(now.heading)}</b><br>{steps}"]
    if now.quote:
        parts.append(f"<br><i>The procedure says: {html.escape(now.quote)}</i>")
    return "".join(parts)


class NowPanel(QFrame):
    """A framed note above the case's timeline saying what the current stage asks now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nowPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel()
        self.text.setObjectName("whatToDoNow")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.text)

    def show_detail(self, detail: CaseDetail) -> NowGuidance:
        """Say what to do now in the case ``detail`` describes; return what was said."""
        now = what_to_do_now(detail)
        self.text.setText(now_html(now))
        self.text.setAccessibleName(f"What to do now: {now.heading}")
        return now
