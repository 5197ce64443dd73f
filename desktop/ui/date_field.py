"""A date (dd/mm/yyyy), or a date and time (dd/mm/yyyy hh:mm), typed in one field.

Qt's date editors silently turn what is typed into another date (tabbing into
one and typing 14/03/2019 gave 14/12/2016); these fields keep the text exactly
as typed, read it with ``desktop.text.dates`` and, when it is partial or
impossible, say why under the field at once and mark it. One Tab stop each: the
calendar button is out of the Tab chain; Alt+Down or F4 opens the calendar from
the keyboard.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale, QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.text.dates import (
    DAY_SHAPE,
    MOMENT_SHAPE,
    day_problem,
    day_text,
    moment_problem,
    moment_text,
    read_day,
    read_moment,
)

UK = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
CALENDAR_KEYS = "Alt+Down"


class CalendarPopup(QCalendarWidget):
    """A month to pick a day from, shown under a date field; Escape closes it unchanged."""

    picked = Signal(object)

    def __init__(self, parent: QWidget, shown: dt.date) -> None:
        super().__init__(parent)
        self.setObjectName("calendarPopup")
        self.setAccessibleName("Pick a day")
        self.setWindowFlags(Qt.WindowType.Popup)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setLocale(UK)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.setGridVisible(True)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        self.activated.connect(self._on_chosen)  # Enter, or a double click
        self.clicked.connect(self._on_chosen)

    def _on_chosen(self, day: QDate) -> None:
        self.close()  # first, so the field can take the focus back
        self.picked.emit(dt.date(day.year(), day.month(), day.day()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Close on Escape without choosing."""
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


class DateLineEdit(QLineEdit):
    """The line a date is typed on; Alt+Down or F4 opens a calendar that fills in the day."""

    day_picked = Signal()
    entered = Signal()  # Enter pressed where the field keeps Enter for itself

    def __init__(self, with_time: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.with_time = with_time
        self.keeps_enter = False  # True: Enter is the field's own (it does not reach the dialog)
        self.setPlaceholderText(MOMENT_SHAPE if with_time else DAY_SHAPE)
        self.popup: CalendarPopup | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Open the calendar on Alt+Down or F4; type as usual otherwise."""
        alt_down = event.key() == Qt.Key.Key_Down and (
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.open_calendar()
            return
        if self.keeps_enter and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.entered.emit()
            return
        super().keyPressEvent(event)

    def typed_day(self) -> dt.date | None:
        """Return the day written at the start of the line, if it is one."""
        first = self.text().split(" ")[0]
        return None if day_problem(first) else read_day(first)

    def open_calendar(self) -> CalendarPopup:
        """Show the month of the day typed (today if none) under the field."""
        popup = CalendarPopup(self, self.typed_day() or dt.date.today())
        popup.picked.connect(self._on_popup_picked)
        popup.destroyed.connect(self._on_popup_destroyed)
        popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self.popup = popup
        popup.show()
        popup.setFocus()
        return popup

    def _on_popup_destroyed(self) -> None:
        self.popup = None

    def _on_popup_picked(self, day: dt.date) -> None:
        """Write the day picked; a time already typed stays, else the cursor waits for one."""
        _old, _space, time = self.text().strip().partition(" ")
        written = day_text(day)
        if self.with_time:
            written = f"{written} {time}" if time else f"{written} "
        self.setText(written)
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.day_picked.emit()


class DateField(QWidget):
    """A named date (or date and time) input whose problem is said under it as soon as it is left.

    The container is what a form row holds and a label's buddy; its focus goes
    to the line (``edit``), which carries the object and accessible names given.
    """

    changed = Signal()

    def __init__(
        self, name: str, accessible: str, *, with_time: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Field")
        self.edit = DateLineEdit(with_time, self)
        self.edit.setObjectName(name)
        self.edit.setAccessibleName(accessible)
        shape = MOMENT_SHAPE if with_time else DAY_SHAPE
        self.edit.setToolTip(f"Type {shape}, or press {CALENDAR_KEYS} for a calendar.")
        self.pick = QToolButton(self)
        self.pick.setObjectName(f"{name}Calendar")
        self.pick.setAccessibleName(f"{accessible}: pick from a calendar")
        self.pick.setToolTip(f"Pick from a calendar ({CALENDAR_KEYS})")
        self.pick.setArrowType(Qt.ArrowType.DownArrow)
        self.pick.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # one Tab stop per field
        self.pick.clicked.connect(self.edit.open_calendar)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.mark: QAction = self.edit.addAction(warning, QLineEdit.ActionPosition.TrailingPosition)
        self.mark.setVisible(False)
        self.message = QLabel(self)
        self.message.setObjectName(f"{name}Problem")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-weight: bold;")
        self.message.setVisible(False)
        line = QHBoxLayout()
        line.setSpacing(2)
        line.addWidget(self.edit, 1)
        line.addWidget(self.pick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(line)
        layout.addWidget(self.message)
        self.setFocusProxy(self.edit)
        self.edit.editingFinished.connect(self.check)
        self.edit.day_picked.connect(self.check)
        self.edit.textChanged.connect(self._on_edit_text_changed)

    @property
    def with_time(self) -> bool:
        """Whether the field takes a time as well as a day."""
        return self.edit.with_time

    def text(self) -> str:
        """Return the text as typed."""
        return self.edit.text()

    def problem(self) -> str:
        """Return why the text is not a date (or date and time); "" when it is, or is empty."""
        return (moment_problem if self.with_time else day_problem)(self.edit.text())

    def check(self) -> bool:
        """Say under the field what is wrong and mark it; write a good date in full."""
        problem = self.problem()
        self._show_problem(problem)
        if not problem and self.edit.text().strip():
            written = self._written()
            if written != self.edit.text():
                self.edit.setText(written)
        return not problem

    def _written(self) -> str:
        if self.with_time:
            moment = read_moment(self.edit.text())
            return moment_text(moment) if moment else ""
        day = read_day(self.edit.text())
        return day_text(day) if day else ""

    def _show_problem(self, problem: str) -> None:
        self.message.setText(problem)
        self.message.setVisible(bool(problem))
        self.mark.setVisible(bool(problem))
        self.mark.setToolTip(problem)
        self.edit.setAccessibleDescription(problem)

    def _on_edit_text_changed(self) -> None:
        if self.message.isVisible() and not self.problem():
            self._show_problem("")  # put right: the mark goes at once
        self.changed.emit()

    def day(self) -> dt.date | None:
        """Return the date typed; None when empty or not a date."""
        if self.with_time or self.problem():
            return None
        return read_day(self.edit.text())

    def moment(self) -> dt.datetime | None:
        """Return the wall-clock time typed; None when empty or not a date and time."""
        if not self.with_time or self.problem():
            return None
        return read_moment(self.edit.text())

    def iso(self) -> str:
        """Return the time typed as ISO 8601 without an offset, or "" (the stage form's shape)."""
        moment = self.moment()
        return moment.isoformat() if moment else ""

    def set_day(self, day: dt.date | None) -> None:
        """Show ``day`` (nothing for None)."""
        self.edit.setText(day_text(day) if day else "")
        self._show_problem("")

    def set_moment(self, moment: dt.datetime | None) -> None:
        """Show a wall-clock time (nothing for None)."""
        self.edit.setText(moment_text(moment) if moment else "")
        self._show_problem("")


class DayDelegate(QStyledItemDelegate):
    """Edits a table cell as a date: the same line, placeholder and calendar as a DateField."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        """Return a date line without a frame."""
        editor = DateLineEdit(False, parent)
        editor.setFrame(False)
        editor.setObjectName("dueEditor")
        editor.setAccessibleName("Due date (dd/mm/yyyy)")
        return editor
