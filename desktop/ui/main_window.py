"""The main window: menus, the dashboard and case views, and the lock."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMenu, QStackedWidget, QWidget

from desktop.errors import KnownError
from desktop.ui.help_window import HelpMenu
from desktop.ui.save_dialog import dropped_files
from desktop.ui.screen_fit import fits, open_fitting

# The window's frame is the first thing the app paints, so the views (and through
# them the vault's modules) are imported when the vault opens, after that paint.
if TYPE_CHECKING:
    from desktop.ui.case_view import CaseView
    from desktop.ui.dashboard import Dashboard
    from desktop.ui.deadline_watch import DeadlineWatch
    from desktop.ui.reports_view import ReportsView
    from desktop.ui.services import Services
    from desktop.ui.stage_form import StageForm

GEOMETRY_KEY = "mainWindow/geometry"
DEFAULT_SIZE = QSize(1180, 760)  # made smaller where the screen is
DRAFT_KEPT = "Your draft of this stage is kept in the vault; choose Record this stage to go on."


@dataclass(frozen=True)
class Place:
    """Which view was showing (and which case), so unlocking returns there; memory only."""

    view: str = "dashboard"  # "dashboard", "case" or "reports"
    case_id: int | None = None
    draft: bool = False  # a stage form was open: its draft was kept when the app locked


class MainWindow(QMainWindow):
    """The application window; shows nothing of the vault while it is locked."""

    lock_requested = Signal()
    closing = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Escalation Recorder")
        self._place()
        self.services: Services | None = None
        self.dashboard: Dashboard | None = None
        self.case_view: CaseView | None = None
        self.reports: ReportsView | None = None
        self.stage_form: StageForm | None = None
        self.place = Place()  # where unlocking returns to
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.lock_action = self._action("lockAction", "&Lock", "Ctrl+L", self.lock_requested)
        self.new_case_action = self._action(
            "newCaseAction", "&New escalation…", "Ctrl+N", self._on_new_case
        )
        self.dashboard_action = self._action(
            "dashboardAction", "&Dashboard", "Ctrl+D", self._on_dashboard
        )
        self.search_action = self._action("searchAction", "&Search", "Ctrl+F", self._on_search)
        self.contacts_action = self._action(
            "contactsAction", "&Contacts…", "Ctrl+K", self._on_contacts
        )
        self.settings_action = self._action(
            "settingsAction", "&Settings…", "Ctrl+,", self._on_settings
        )
        self.verify_action = self._action(
            "verifyAction", "&Verify signed PDFs…", "Ctrl+Shift+V", self._on_verify
        )
        self.reports_action = self._action("reportsAction", "&Reports", "Ctrl+R", self._on_reports)
        self.transfers_action = self._action(
            "transfersAction", "&Transfer records…", "Ctrl+T", self._on_transfers
        )
        self.subject_access_action = self._action(
            "subjectAccessAction", "Subject &access…", "Ctrl+Shift+A", self._on_subject_access
        )
        self.retention_action = self._action(
            "retentionAction", "Records past &review date…", "Ctrl+Shift+R", self._on_retention
        )
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu = self.menuBar().addMenu("&File")
        for action in (self.new_case_action, self.lock_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.dashboard_action)
        view_menu.addAction(self.search_action)
        view_menu.addAction(self.reports_action)
        tools = self.menuBar().addMenu("&Tools")
        tools.addAction(self.contacts_action)
        tools.addAction(self.verify_action)
        tools.addAction(self.transfers_action)
        tools.addAction(self.subject_access_action)
        tools.addAction(self.retention_action)
        tools.addAction(self.settings_action)
        self._tools = tools
        self.deadline_watch: DeadlineWatch | None = None  # made when a vault opens
        self.help_menu = HelpMenu(self, self.menuBar())  # the guide; F1 in every window
        self._add_open_received(file_menu)
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        for action in (
            self.new_case_action,
            self.dashboard_action,
            self.reports_action,
            self.contacts_action,
            self.settings_action,
            self.lock_action,
        ):
            toolbar.addAction(action)
        self.show_locked()

    def _place(self) -> None:
        """Open where the window was, if that is still on this screen; else fitted and centred.

        Where the window was, and how big, is all the app keeps outside the vault.
        """
        saved = QSettings().value(GEOMETRY_KEY)
        if (
            isinstance(saved, QByteArray)
            and self.restoreGeometry(saved)
            and fits(self, self.geometry())
        ):
            return
        open_fitting(self, DEFAULT_SIZE.width(), DEFAULT_SIZE.height())

    def _action(self, name: str, text: str, keys: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(keys))
        action.setToolTip(f"{text.replace('&', '').rstrip('…')} ({keys})")
        action.triggered.connect(slot)
        return action

    def _vault_actions(self, enabled: bool) -> None:
        for action in (
            self.lock_action,
            self.new_case_action,
            self.dashboard_action,
            self.search_action,
            self.contacts_action,
            self.settings_action,
            self.verify_action,
            self.reports_action,
            self.transfers_action,
            self.subject_access_action,
            self.retention_action,
            self.open_action,
        ):
            action.setEnabled(enabled)

    def show_vault(self, services: Services) -> None:
        """Build the views of the open vault and show the dashboard."""
        from desktop.ui.case_view import CaseView
        from desktop.ui.dashboard import Dashboard

        self.services = services
        self.dashboard = Dashboard(services)
        self.case_view = CaseView(services)
        self.dashboard.case_opened.connect(self.open_case)
        self.case_view.back_requested.connect(self._on_dashboard)
        self.case_view.record_stage_requested.connect(self.record_stage)
        self.case_view.case_changed.connect(self._on_case_changed)
        self.stack.addWidget(self.dashboard)
        self.stack.addWidget(self.case_view)
        self.stack.setCurrentWidget(self.dashboard)
        self._vault_actions(True)
        if (
            self.deadline_watch is None
        ):  # reminders, tray, calendar export (loads the vault's modules)
            from desktop.ui.deadline_watch import DeadlineWatch

            self.deadline_watch = DeadlineWatch(self, self._tools)
        self.deadline_watch.start(services)
        self.statusBar().showMessage(f"Vault: {services.vault.files.folder}")
        self.dashboard.search.setFocus()  # typing searches; Tab reaches the filters and the table
        self._return_to(self.place)

    def current_place(self) -> Place:
        """Say which view is showing, and which case (never what it shows)."""
        if self.stage_form is not None:
            return Place("case", self.stage_form.case_id, draft=True)
        shown, view = self.stack.currentWidget(), self.case_view
        if view is not None and shown is view and view.detail is not None:
            return Place("case", view.detail.case_id)
        if self.reports is not None and shown is self.reports:
            return Place("reports")
        return Place()

    def _return_to(self, place: Place) -> None:
        """Show the view the window showed when it locked (the case, if it still exists)."""
        if place.view == "reports":
            self._on_reports()
        elif place.view == "case" and place.case_id is not None:
            try:
                self.open_case(place.case_id)
            except KnownError:  # gone meanwhile (purged, or another vault): the dashboard
                return
            if place.draft:
                self.statusBar().showMessage(DRAFT_KEPT)

    def show_locked(self) -> None:
        """Drop every view of case data; only a 'Locked' notice remains.

        Which view was showing is remembered (in memory) for :meth:`show_vault`.
        """
        self.place = self.current_place()
        if self.stage_form is not None:
            self.stage_form.save_draft()
            self.stage_form.done(0)
            self.stage_form = None
        for dialog in self.findChildren(QDialog):  # no window may keep showing case data
            if dialog.isVisible():
                dialog.done(0)
        while (widget := self.stack.widget(0)) is not None:
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.dashboard = self.case_view = None
        self.reports = None
        self.services = None
        locked = QLabel("Locked. Unlock to see your records.")
        locked.setObjectName("lockedView")
        locked.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(locked)
        self._vault_actions(False)
        if self.deadline_watch is not None:
            self.deadline_watch.stop()
        self.statusBar().clearMessage()

    def open_case(self, case_id: int) -> None:
        """Show one case."""
        if self.case_view is not None:
            self.case_view.show_case(case_id)
            self.stack.setCurrentWidget(self.case_view)

    def record_stage(self, case_id: int) -> None:
        """Open the stage form for the case's current stage."""
        from desktop.ui.stage_form import StageForm

        if self.services is None:
            return
        self.stage_form = form = StageForm(self.services, case_id, self)
        form.stage_saved.connect(self._on_case_changed)
        form.exec()
        self.stage_form = None
        if self.case_view is not None and self.services is not None:
            self.open_case(case_id)
            if form.draft_kept:  # closed without saving: nothing was lost, and it says so
                self.statusBar().showMessage(DRAFT_KEPT)

    def _on_case_changed(self, _case_id: int) -> None:
        if self.dashboard is not None:
            self.dashboard.refresh()

    def _on_new_case(self) -> None:
        from desktop.ui.new_case_wizard import NewCaseWizard

        if self.services is None:
            return
        case_id = NewCaseWizard.ask(self, self.services)
        if case_id is not None:
            self._on_case_changed(case_id)
            self.open_case(case_id)

    def _on_dashboard(self) -> None:
        if self.dashboard is not None:
            self.dashboard.refresh()
            self.stack.setCurrentWidget(self.dashboard)

    def _on_search(self) -> None:
        self._on_dashboard()
        if self.dashboard is not None:
            self.dashboard.search.setFocus()

    def _on_contacts(self) -> None:
        from desktop.ui.contacts_dialog import ContactsDialog

        if self.services is not None:
            ContactsDialog.ask(self, self.services)

    def _on_verify(self) -> None:
        from desktop.ui.verify_dialog import VerifyDialog  # PDF libraries: on first use

        if self.services is not None:
            VerifyDialog.ask(self, self.services)

    def _on_reports(self) -> None:
        if self.services is None:
            return
        if self.reports is None:
            # Built on first use: its PDF export loads reportlab and pyHanko.
            from desktop.ui.reports_view import ReportsView

            self.reports = ReportsView(self.services)
            self.reports.back_requested.connect(self._on_dashboard)
            self.stack.addWidget(self.reports)
        if self.reports is not None:
            self.stack.setCurrentWidget(self.reports)
            self.reports.refresh()
            self.reports.start.setFocus()

    def _current_child(self) -> str:
        """The child of the case on screen, to start a transfer or subject access with."""
        if self.case_view is not None and self.stack.currentWidget() is self.case_view:
            detail = self.case_view.detail
            return detail.child_identifier if detail else ""
        return ""

    def _on_transfers(self) -> None:
        from desktop.ui.transfers_dialog import TransfersDialog  # PDF libraries: on first use

        if self.services is not None:
            TransfersDialog.ask(self, self.services, self._current_child())
            self._on_case_changed(0)

    def _on_subject_access(self) -> None:
        from desktop.ui.subject_access_dialog import SubjectAccessDialog

        if self.services is not None:
            SubjectAccessDialog.ask(self, self.services, self._current_child())

    def _on_retention(self) -> None:
        from desktop.ui.retention_dialog import RetentionDialog

        if self.services is not None and RetentionDialog.ask(self, self.services):
            self._on_dashboard()  # purged cases leave the dashboard

    def _on_settings(self) -> None:
        """Settings stay open after saving; closed, the window shows what it showed before."""
        from desktop.ui.settings_dialog import SettingsDialog

        if self.services is not None and SettingsDialog.ask(self, self.services):
            self._refresh_current()

    def _refresh_current(self) -> None:
        """Show the current view again with what changed (due times follow office hours)."""
        if self.dashboard is not None:
            self.dashboard.refresh()
        shown = self.stack.currentWidget()
        if self.case_view is not None and shown is self.case_view and self.case_view.detail:
            self.open_case(self.case_view.detail.case_id)

    # --- Opening what another party sent (issue 17): File → Open… and drops ---------

    def _add_open_received(self, file_menu: QMenu) -> None:
        """File → Open… (Ctrl+O) before Lock; the window also takes dropped files."""
        self.open_action = self._action("openAction", "&Open…", "Ctrl+O", self._on_open)
        file_menu.insertAction(self.lock_action, self.open_action)
        self.setAcceptDrops(True)

    def open_received(self, paths: list[Path]) -> None:
        """Send each file to its screen (a PDF to the check, a package to Receive)."""
        from desktop.ui.open_sent_file import open_sent_files

        if self.services is not None and paths:
            refused = open_sent_files(self, self.services, paths)
            if refused:
                self.statusBar().showMessage(refused)
            self._on_case_changed(0)

    def _on_open(self) -> None:
        from desktop.ui.open_sent_file import choose_sent_files

        if self.services is not None:
            self.open_received(choose_sent_files(self))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Take files dropped on the window while the vault is open."""
        if self.services is not None and dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Open the files dropped on the window."""
        paths = dropped_files(event.mimeData())
        if self.services is not None and paths:
            event.acceptProposedAction()
            self.open_received(paths)

    # --- end of opening what was sent ---------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the window's place and size; say it is closing so the vault can be locked."""
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        self.closing.emit()
        super().closeEvent(event)
