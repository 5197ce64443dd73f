"""The base of a stage-record field's widgets, and the small helpers every editor shares."""

from __future__ import annotations

import abc
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QFormLayout, QWidget

from desktop.procedures import fields
from desktop.procedures.catalogue import Stage
from desktop.procedures.fields import Field
from desktop.procedures.workdays import LONDON
from desktop.ui.date_field import DateField


def mapping(value: object) -> Mapping[str, Any]:
    """Return ``value`` if it is a mapping, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def set_when(field: DateField, value: object) -> None:
    """Show a stored time (ISO, London time) in a date-and-time field; leave it if not one."""
    instant = fields.instant(value)
    if instant is not None:
        field.set_moment(instant.astimezone(LONDON).replace(tzinfo=None))


def container(spec: Field, label: str) -> tuple[QWidget, QFormLayout]:
    """Return a widget named for ``spec`` (its accessible name the label) and its form."""
    box = QWidget()
    box.setObjectName(spec.name)
    box.setAccessibleName(label)
    rows = QFormLayout(box)
    rows.setContentsMargins(0, 0, 0, 0)
    return box, rows


class FieldEditor(abc.ABC):
    """One field's widgets on a stage-form page: shown, read and set as plain values.

    ``widget`` holds them all; its accessible name is the field's label at
    this stage (the procedure's own words where it gives them).
    """

    widget: QWidget

    def __init__(self, spec: Field, stage: Stage) -> None:
        self.spec = spec
        self.label = stage.label(spec.name)
        self.changes: tuple[SignalInstance, ...] = ()

    def add_to(self, form: QFormLayout) -> None:
        """Add the widget to a page's form."""
        form.addRow(self.widget)

    @abc.abstractmethod
    def values(self) -> dict[str, object]:
        """Return the field's value (an outcome also gives the stage to escalate to)."""

    def refused(self) -> list[str]:
        """Say what typed here cannot be read (a date that is not one), marking it; [] if none."""
        return []

    def show(self, values: Mapping[str, object]) -> None:
        """Show the field's value from a saved draft, if it has one."""
        value = values.get(self.spec.name)
        if value is not None:
            self._show(value)

    @abc.abstractmethod
    def _show(self, value: object) -> None:
        """Show a value the draft holds for this field."""
