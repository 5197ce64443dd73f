"""The main window: menus, the lock action, and the view of the open vault."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from desktop.vault import Vault


class MainWindow(QMainWindow):
    """The application window; shows nothing of the vault while it is locked."""

    lock_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Escalation Recorder")
        self.resize(1100, 700)
        self.lock_action = QAction("&Lock", self)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_requested)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu = self.menuBar().addMenu("&File")
        menu.addAction(self.lock_action)
        menu.addSeparator()
        menu.addAction(quit_action)
        self.show_locked()

    def show_vault(self, vault: Vault) -> None:
        """Show the open vault."""
        self.lock_action.setEnabled(True)
        self.statusBar().showMessage(f"Vault: {vault.files.folder}")
        view = QLabel("The vault is open. Press Ctrl+L to lock it.")
        view.setObjectName("vaultView")
        view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(view)

    def show_locked(self) -> None:
        """Drop every view of case data."""
        self.lock_action.setEnabled(False)
        self.statusBar().clearMessage()
        locked = QLabel("Locked.")
        locked.setObjectName("lockedView")
        locked.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(locked)
