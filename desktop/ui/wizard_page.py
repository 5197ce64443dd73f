"""A wizard page with a form, an error line and a validation hook (the new-case pages)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QVBoxLayout, QWizardPage

from desktop.ui import form_widgets as fw


class FormPage(QWizardPage):
    """A page with a form, an error line and a validation hook."""

    def __init__(self, title: str, subtitle: str = "") -> None:
        super().__init__()
        self.setTitle(title)
        if subtitle:
            self.setSubTitle(subtitle)
        self.form = QFormLayout()
        self.error = fw.error_label()
        self.box = QVBoxLayout(self)
        self.box.addLayout(self.form)
        self.box.addStretch(1)
        self.box.addWidget(self.error)

    def problems(self) -> list[str]:
        """Return what is missing on this page, in plain words."""
        return []

    def validatePage(self) -> bool:
        """Say what is missing instead of moving on."""
        found = self.problems()
        self.error.setText(" ".join(found))
        return not found
