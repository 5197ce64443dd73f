"""Offer the people already named (in cases and contacts) as a party's name, role and agency."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit

from desktop.casework.suggestions import Suggestions


def completer(words: Sequence[str], parent: QObject) -> QCompleter:
    """Return a completer offering ``words`` that contain what is typed, in any case."""
    found = QCompleter(list(words), parent)
    found.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    found.setFilterMode(Qt.MatchFlag.MatchContains)
    found.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    return found


class PeopleCompleter(QObject):
    """Completes a name, role and agency; a name picked fills the role and agency left empty."""

    def __init__(
        self,
        suggestions: Suggestions,
        name: QLineEdit,
        role: QLineEdit,
        agency: QLineEdit,
    ) -> None:
        super().__init__(name)
        self._suggestions = suggestions
        self._role, self._agency = role, agency
        for line, words in (
            (name, suggestions.names()),
            (role, suggestions.roles()),
            (agency, suggestions.agencies()),
        ):
            line.setCompleter(completer(words, line))
        picker = name.completer()
        assert picker is not None  # set just above
        picker.activated.connect(self._on_name_activated)

    def _on_name_activated(self, name: str) -> None:
        person = self._suggestions.person(name)
        if person is None:
            return
        for line, value in ((self._role, person.role), (self._agency, person.agency)):
            if not line.text().strip():
                line.setText(value)
