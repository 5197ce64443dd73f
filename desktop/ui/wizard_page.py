"""A wizard page with a form, an error line and a validation hook (the new-case pages)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.ui import form_widgets as fw
from desktop.ui.screen_fit import scrolling


class FormPage(QWizardPage):
    """A page with a form, an error line and a validation hook."""

    def __init__(self, title: str, subtitle: str = "") -> None:
        super().__init__()
        self.setTitle(title)
        if subtitle:
            self.setSubTitle(subtitle)
        self.form = QFormLayout()
        self.error = fw.error_label()
        content = QWidget()
        self.box = QVBoxLayout(content)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.addLayout(self.form)
        self.box.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(content), 1)  # Back, Next and Finish stay on a small screen
        layout.addWidget(self.error)

    def problems(self) -> list[str]:
        """Return what is missing on this page, in plain words."""
        return []

    def validatePage(self) -> bool:
        """Say what is missing instead of moving on."""
        found = self.problems()
        self.error.setText(" ".join(found))
        return not found


def first_input(page: QWidget) -> QWidget | None:
    """Return the first control of ``page`` that Tab would reach (not a wizard button)."""
    candidate = page.nextInFocusChain()
    while candidate is not None and candidate is not page:
        if (
            page.isAncestorOf(candidate)
            and candidate.isVisibleTo(page)
            and candidate.isEnabled()
            and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            return candidate
        candidate = candidate.nextInFocusChain()
    return None


def focus_first_input(wizard: QWizard) -> None:
    """Put the cursor in each page's first control as it opens (pages scroll, so Qt may not)."""

    def focus_now() -> None:
        page = wizard.currentPage()
        target = first_input(page) if page is not None else None
        if target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason)

    # After the wizard's own focus handling for the new page, which runs after the signal.
    wizard.currentIdChanged.connect(lambda _page_id: QTimer.singleShot(0, wizard, focus_now))


def enter_goes_forward(wizard: QWizard) -> None:
    """Let Enter press Next or Finish only: never Back or Cancel, even when they have focus.

    A focused button that is not auto-default leaves Enter to the wizard, which
    presses its default button (Next, or Finish on the last page).
    """
    for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
        button = wizard.button(which)
        if isinstance(button, QPushButton):
            button.setAutoDefault(False)
