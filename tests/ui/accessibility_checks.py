"""What the accessibility walker checks in one window: names, Alt keys, Tab out of tables, size.

Each check returns a list of problems in words (empty when the window passes),
so one failing test names every problem of a window at once.
"""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QRadioButton,
    QScrollArea,
    QTabBar,
    QToolBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

# A laptop screen of 1366 x 768, less a taskbar and the window's title bar.
SCREEN = QSize(1366, 768 - 72)


def mnemonic(text: str) -> str | None:
    """Return the Alt key a text's "&" gives (lower case), or None ("&&" is a plain "&")."""
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def shown(text: str) -> str:
    """Return a label as it reads: no "&", no trailing colon or spaces."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip().rstrip(":").strip()


def announced(widget: QWidget, label: str | None) -> str:
    """Return the name a screen reader announces for ``widget``, labelled by ``label``.

    The name set on the widget, else the one Qt derives (from a button's text or
    the buddy label); a drop-down's derived name is its label on every platform
    (Qt on Linux gives it as a relation and names the box by its current item).
    """
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QComboBox):
        return shown(label or "")
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def _visible(widget: QWidget, window: QWidget) -> bool:
    return widget is window or widget.isVisibleTo(window)


def _internal(widget: QWidget) -> bool:
    """Qt's own parts of a compound widget (a spin box's or combo box's line edit, a viewport)."""
    parent = widget.parentWidget()
    return widget.objectName().startswith("qt_") or isinstance(
        parent, (QAbstractSpinBox, QComboBox, QToolBar)
    )


def _buddies(window: QWidget) -> dict[int, str]:
    """Map each widget a label is the buddy of to the label's text."""
    labels: dict[int, str] = {}
    for label in window.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None and _visible(label, window):
            labels[id(buddy)] = label.text()
    return labels


def focusable_inputs(window: QWidget) -> list[QWidget]:
    """Return every widget Tab can reach in ``window``'s current state."""
    return [
        widget
        for widget in window.findChildren(QWidget)
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.isEnabled()
        and _visible(widget, window)
        and not _internal(widget)
    ]


def name_problems(window: QWidget) -> list[str]:
    """Every input has a name that contains the label shown beside it; questions group answers."""
    problems = []
    labels = _buddies(window)
    for widget in focusable_inputs(window):
        label = labels.get(id(widget))
        if label is None and isinstance(widget, QAbstractButton):
            label = widget.text()
        name = announced(widget, label)
        what = f"{type(widget).__name__} {widget.objectName() or '(unnamed)'}"
        if not name.strip():
            problems.append(f"{what} has no accessible name")
            continue
        if label and shown(label).casefold() not in name.casefold():
            problems.append(f"{what} is announced as {name!r}, not as its label {shown(label)!r}")
        if isinstance(widget, QRadioButton) and not _asked(widget):
            problems.append(f"{what} is announced without its question")
    return problems


def _asked(button: QRadioButton) -> bool:
    """Say whether a choice is inside a titled group (or describes its question itself)."""
    if button.accessibleDescription():
        return True
    parent = button.parentWidget()
    while parent is not None:
        if isinstance(parent, QGroupBox) and parent.title():
            return True
        parent = parent.parentWidget()
    return False


def _keyed_texts(window: QWidget) -> list[str]:
    """Every text in the window that gives an Alt key."""
    texts = []
    for widget in window.findChildren(QWidget):
        if not _visible(widget, window) or isinstance(widget.parentWidget(), QToolBar):
            continue
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(index) for index in range(widget.count())]
    if isinstance(window, QMainWindow):
        texts += [action.text() for action in window.menuBar().actions() if action.isVisible()]
    return texts


def _duplicates(texts: list[str], scope: str) -> list[str]:
    keys: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        key = mnemonic(text)
        if key is not None:
            keys[key].append(shown(text))
    return [
        f"Alt+{key.upper()} in {scope} belongs to {' and '.join(map(repr, owners))}"
        for key, owners in sorted(keys.items())
        if len(owners) > 1
    ]


def alt_key_problems(window: QWidget) -> list[str]:
    """No two buttons, labels, group boxes, tabs or menu titles share an Alt key; each menu too."""
    problems = _duplicates(_keyed_texts(window), "the window")
    for menu in window.findChildren(QMenu):
        problems += _duplicates(
            [action.text() for action in menu.actions() if action.isVisible()],
            f"the {shown(menu.title())} menu",
        )
    return problems


def tab_trap_problems(qtbot: QtBot, window: QWidget) -> list[str]:
    """Tab moves the focus out of every table and list (arrow keys move within it)."""
    problems = []
    for view in window.findChildren(QAbstractItemView):
        if not (_visible(view, window) and view.isEnabled() and not _internal(view)):
            continue
        if not view.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        model = view.model()
        if model is not None and model.index(0, 0).isValid():
            view.setCurrentIndex(model.index(0, 0))
        view.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        if window.focusWidget() is view:
            problems.append(f"Tab stays in {view.objectName() or type(view).__name__}")
    return problems


def scroll_stop_problems(window: QWidget) -> list[str]:
    """A scrolling part that holds inputs is no Tab stop of its own: one stop per field.

    Its inputs take the focus (and scroll into view as they do).
    """
    problems = []
    for area in window.findChildren(QScrollArea):
        inner = area.widget()
        if inner is None or area not in focusable_inputs(window):
            continue
        if any(inner.isAncestorOf(widget) for widget in focusable_inputs(window)):
            where = area.objectName() or f"around {inner.objectName() or type(inner).__name__}"
            problems.append(f"the scrolling part {where} is a Tab stop before its inputs")
    return problems


def sideways_problems(window: QWidget) -> list[str]:
    """A page scrolls up and down only, nothing in it wider than the window; never two scrolls."""
    problems = []
    for area in window.findChildren(QScrollArea):
        inner = area.widget()
        if inner is None or not area.isVisible():
            continue
        what = f"the scrolling part around {inner.objectName() or type(inner).__name__}"
        if area.horizontalScrollBar().isVisible():
            problems.append(
                f"{what} scrolls sideways: it needs {inner.minimumSizeHint().width()} pixels, "
                f"the window gives it {area.viewport().width()}"
            )
        outer = area.parentWidget()
        while outer is not None and outer is not window and not isinstance(outer, QScrollArea):
            outer = outer.parentWidget()
        if isinstance(outer, QScrollArea):
            problems.append(f"{what} scrolls inside another scrolling part")
    return problems


# Technical words a school's safeguarding lead need not read: they go behind "Details".
JARGON = re.compile(r"PKCS|SHA-?256|SQLCipher|\bAES\b|HMAC|scrypt|Argon2|\bhash\b|backend", re.I)


def jargon_problems(window: QWidget) -> list[str]:
    """No label, button or group title on screen uses technical words (folded details may)."""
    problems = []
    for widget in window.findChildren(QWidget):
        if not _visible(widget, window) or widget.objectName() == "detailsBody":
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        found = JARGON.search(text)
        if found:
            problems.append(f"{type(widget).__name__} {shown(text)[:60]!r} says {found.group()!r}")
    return problems


def clipping_problems(window: QWidget) -> list[str]:
    """No label or button shows less than its text: a line whole, a wrapped text every line."""
    problems = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, (QLabel, QAbstractButton)):
            continue
        text = widget.text()
        if not text or (isinstance(widget, QLabel) and widget.pixmap() and not text):
            continue
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed = QSize(1, widget.heightForWidth(widget.width()))
        else:
            needed = widget.minimumSizeHint()
        if widget.width() < needed.width() or widget.height() < needed.height():
            problems.append(
                f"{type(widget).__name__} {shown(text)[:40]!r} is cut off: "
                f"{widget.width()} x {widget.height()}, needs {needed.width()} x {needed.height()}"
            )
    return problems


def minimum_size(window: QWidget) -> QSize:
    """Return the smallest size the window can be made."""
    return window.minimumSizeHint().expandedTo(window.minimumSize())


def size_problems(window: QWidget, budget: QSize, how: str) -> list[str]:
    """The window can shrink to fit ``budget``."""
    smallest = minimum_size(window)
    if smallest.width() <= budget.width() and smallest.height() <= budget.height():
        return []
    return [
        f"{how} the window cannot shrink below {smallest.width()} x {smallest.height()}, "
        f"more than {budget.width()} x {budget.height()}"
    ]


def settle() -> None:
    """Let layouts and deferred events settle."""
    for _ in range(3):
        QApplication.processEvents()
