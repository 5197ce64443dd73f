"""The system's print dialog: which printer, how many copies; a printer ready to draw on."""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget


class PrintChoice:
    """Ask the system print dialog for a printer (tests patch ``ask``)."""

    @classmethod
    def ask(cls, parent: QWidget | None) -> QPrinter | None:
        """Return the printer the user chose, set up as chosen; None if cancelled."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle("Print the signed document")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer
