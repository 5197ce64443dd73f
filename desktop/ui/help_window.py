"""The getting-started guide, offline: a Help menu, and F1 for the part about where you are.

The guide is one HTML file shipped with the app (resources/help/guide.html),
shown by QTextBrowser: no network, no scripts. Each part starts with an anchor;
a view says which part is about it through ``help_topic()`` (the HelpTopic
protocol), or by its object name in TOPICS; anything else opens at the start.
"""

from __future__ import annotations

from importlib import resources
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenuBar,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

START = "start"
# Where each window or view is explained, by its object name.
TOPICS = {
    "dashboard": "dashboard",
    "caseView": "case",
    "documentsPanel": "documents",
    "documentPreview": "documents",
    "passphraseDialog": "documents",
    "stageForm": "recording",
    "correctionDialog": "case",
    "newCaseWizard": "new-escalation",
    "reportsView": "reports",
    "verifyDialog": "verifying",
    "transfersDialog": "transfers",
    "subjectAccessDialog": "subject-access",
    "retentionDialog": "retention",
    "contactsDialog": "contacts",
    "settingsDialog": "settings",
    "createVaultDialog": "first-run",
    "unlockDialog": "first-run",
    "changePassphraseDialog": "first-run",
    "lockedView": "locking",
}


@runtime_checkable
class HelpTopic(Protocol):
    """A view that says which part of the guide is about it."""

    def help_topic(self) -> str:
        """Return the guide's anchor for this view."""
        ...


def _own_topic(widget: QWidget) -> str | None:
    if isinstance(widget, HelpTopic):
        return widget.help_topic()
    return TOPICS.get(widget.objectName())


def topic_for(widget: QWidget | None) -> str:
    """Return the part of the guide about ``widget``: its own, or the nearest view's around it.

    From the main window itself, the view it shows now is asked.
    """
    top: QWidget | None = None
    while widget is not None:
        found = _own_topic(widget)
        if found:
            return found
        top, widget = widget, widget.parentWidget()
    if isinstance(top, QMainWindow):
        central = top.centralWidget()
        shown = central.currentWidget() if isinstance(central, QStackedWidget) else None
        if shown is not None:
            return _own_topic(shown) or START
    return START


GUIDE = "guide.html"
RECEIVING = "receiving.html"  # for the other party: check, open, confirm, countersign, keep


def guide_html(page: str = GUIDE) -> str:
    """Return one page of the help as shipped."""
    return resources.files("desktop.resources").joinpath(f"help/{page}").read_text("utf-8")


class HelpWindow(QDialog):
    """The guide, opened at one part; links inside it move within it."""

    def __init__(self, parent: QWidget | None = None, page: str = GUIDE) -> None:
        super().__init__(parent)
        self.setObjectName("helpWindow")
        self.page = page
        self.setWindowTitle("Escalation Recorder help")
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, on=False)
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpText")
        self.browser.setAccessibleName("Getting-started guide")
        self.browser.setOpenExternalLinks(False)  # nothing leaves the computer
        self.browser.document().setDocumentMargin(12)
        self.browser.setHtml(guide_html(page))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.topic = START
        screen = self.screen()
        room = screen.availableGeometry() if screen is not None else None
        self.resize(
            min(720, room.width() - 40) if room else 720, (room.height() - 80) if room else 600
        )

    def show_topic(self, topic: str) -> None:
        """Show the part of the guide whose anchor is ``topic`` (the start if there is none)."""
        self.topic = topic
        self.browser.scrollToAnchor(topic)
        self.browser.setFocus()


class HelpMenu(QObject):
    """The main window's Help menu and the F1 key, in every window the app opens.

    F1 in the main window is the menu's shortcut; in a dialog (modal, so the
    main window's shortcuts are off) an application-wide key filter answers it,
    and the guide opens over that dialog.
    """

    def __init__(self, window: QMainWindow, menu_bar: QMenuBar) -> None:
        super().__init__(window)
        self.setObjectName("helpMenu")
        self._window = window
        self.help: HelpWindow | None = None
        menu = menu_bar.addMenu("&Help")
        self.guide_action = QAction("&Getting started guide", window)
        self.guide_action.setObjectName("helpAction")
        self.guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.guide_action.triggered.connect(self._on_guide_triggered)
        menu.addAction(self.guide_action)
        self.receiving_action = QAction("&Receiving documents and records", window)
        self.receiving_action.setObjectName("receivingHelpAction")
        self.receiving_action.triggered.connect(self._on_receiving_triggered)
        menu.addAction(self.receiving_action)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def show_help(self, topic: str, page: str = GUIDE) -> HelpWindow:
        """Open the help ``page`` at ``topic`` over the window in use (a dialog or the main one)."""
        parent = QApplication.activeModalWidget() or self._window
        if self.help is not None and (
            self.help.parentWidget() is not parent or self.help.page != page
        ):
            self.help.close()
            self.help.deleteLater()
            self.help = None
        if self.help is None:
            self.help = HelpWindow(parent, page)
        self.help.show_topic(topic)
        self.help.show()
        self.help.raise_()
        self.help.activateWindow()
        return self.help

    def _on_receiving_triggered(self) -> None:
        self.show_help(START, RECEIVING)

    def _on_guide_triggered(self) -> None:
        self.show_help(topic_for(QApplication.focusWidget() or self._window))

    def _ours(self, active: QWidget | None) -> bool:
        """Whether ``active`` is one of this main window's dialogs (not the guide itself)."""
        if active is None or active is self.help or active is self._window:
            return False
        parent = active.parentWidget()
        while parent is not None and parent is not self._window:
            parent = parent.parentWidget()
        return parent is self._window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Answer F1 in this window's dialogs with the part of the guide about them."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() != Qt.Key.Key_F1 or event.modifiers() != Qt.KeyboardModifier.NoModifier:
            return False
        if not self._ours(QApplication.activeWindow()):
            return False
        self.show_help(topic_for(QApplication.focusWidget() or QApplication.activeWindow()))
        return True
