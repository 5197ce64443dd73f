"""Children, cases, stage records, discussions and agreed actions."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Date, Enum, ForeignKey, Integer, String, Text, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desktop.errors import FinalisedRecordError
from desktop.models.base import Base, UTCDateTime


class PlanStatus(enum.StrEnum):
    """The child's plan at the time of the escalation."""

    NONE = "none"
    EARLY_HELP = "early_help"
    CHILD_IN_NEED = "child_in_need"
    CHILD_PROTECTION = "child_protection"
    LOOKED_AFTER = "looked_after"


class StageOutcome(enum.StrEnum):
    """How a stage ended."""

    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"
    WITHDRAWN = "withdrawn"


def _enum(cls: type[enum.StrEnum]) -> Enum:
    return Enum(
        cls,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        validate_strings=True,
        length=40,
    )


class Child(Base):
    """A child, pseudonymised: an identifier, initials and date of birth; no address."""

    __tablename__ = "child"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(100), unique=True)
    initials: Mapped[str] = mapped_column(String(20))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    plan_status: Mapped[PlanStatus] = mapped_column(_enum(PlanStatus), default=PlanStatus.NONE)
    cases: Mapped[list[Case]] = relationship(back_populates="child")


class ProcedureDefinition(Base):
    """The text of a procedure definition cases were opened under, keyed by its SHA-256.

    Kept in the vault so that a procedure file edited or removed later never
    changes or breaks the cases opened under it.
    """

    __tablename__ = "procedure_definition"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    procedure_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)


class Case(Base):
    """One escalation about one child, opened under one pinned procedure definition."""

    __tablename__ = "escalation_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(50), unique=True)
    procedure_id: Mapped[str] = mapped_column(String(100), index=True)
    procedure_version: Mapped[str] = mapped_column(String(50))
    # The definition the case was opened under (procedure_definition.sha256; no
    # FOREIGN KEY, so adding the column never rebuilds the table). None only for
    # a case whose file was missing when the vault began keeping definitions.
    procedure_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    track_id: Mapped[str] = mapped_column(String(100))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), index=True)
    area: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    decision_challenged: Mapped[str] = mapped_column(Text, default="")
    decision_date: Mapped[dt.date | None] = mapped_column(Date)
    decision_time: Mapped[str | None] = mapped_column(String(5))  # HH:MM, London time
    priority: Mapped[str | None] = mapped_column(String(40))
    raised_by_name: Mapped[str] = mapped_column(String(200), default="")
    raised_by_role: Mapped[str] = mapped_column(String(200), default="")
    raised_by_agency: Mapped[str] = mapped_column(String(200), default="", index=True)
    other_party_name: Mapped[str] = mapped_column(String(200), default="")
    other_party_role: Mapped[str] = mapped_column(String(200), default="")
    other_party_agency: Mapped[str] = mapped_column(String(200), default="", index=True)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    # The latest effective stage record, kept by the workflow for the dashboard's
    # indexed join (no FOREIGN KEY: the two tables point at each other).
    current_record_id: Mapped[int | None] = mapped_column(Integer, index=True)
    child: Mapped[Child] = relationship(back_populates="cases")
    stages: Mapped[list[StageRecord]] = relationship(
        back_populates="case", order_by="StageRecord.sequence"
    )


class StageRecord(Base):
    """One stage of a case: when it opened, its form fields, and how it ended.

    A finalised record is immutable; a correction is a new record whose
    ``corrects_id`` points at the one it corrects.
    """

    __tablename__ = "stage_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("escalation_case.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    stage_id: Mapped[str] = mapped_column(String(100))
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    due_outside_working_time: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0"
    )
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[StageOutcome | None] = mapped_column(_enum(StageOutcome))
    fields_json: Mapped[str] = mapped_column(Text, default="{}")
    draft_json: Mapped[str | None] = mapped_column(Text)
    finalised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("stage_record.id"), index=True)
    # Why the stage ended with a record the procedure requires still missing.
    incomplete_because: Mapped[str | None] = mapped_column(Text)
    # The times of the events its clocks count from: {event id: ISO time (UTC)}.
    events_json: Mapped[str | None] = mapped_column(Text)
    # The record of the closed case this one reopened (no FOREIGN KEY: added by ALTER TABLE).
    reopens_id: Mapped[int | None] = mapped_column(Integer)
    case: Mapped[Case] = relationship(back_populates="stages")
    discussions: Mapped[list[Discussion]] = relationship(
        back_populates="stage_record", order_by="Discussion.at"
    )
    actions: Mapped[list[AgreedAction]] = relationship(
        back_populates="stage_record", order_by="AgreedAction.id"
    )


class Discussion(Base):
    """A conversation or meeting held during a stage."""

    __tablename__ = "discussion"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_record_id: Mapped[int] = mapped_column(ForeignKey("stage_record.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    mode: Mapped[str] = mapped_column(String(50))
    participants_json: Mapped[str] = mapped_column(Text, default="[]")
    notes: Mapped[str] = mapped_column(Text, default="")
    stage_record: Mapped[StageRecord] = relationship(back_populates="discussions")


class AgreedAction(Base):
    """An action agreed during a stage, with its owner and due time."""

    __tablename__ = "agreed_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_record_id: Mapped[int] = mapped_column(ForeignKey("stage_record.id"), index=True)
    action: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    stage_record: Mapped[StageRecord] = relationship(back_populates="actions")


@event.listens_for(StageRecord, "before_update")
def _refuse_changes_to_finalised(_mapper: object, _connection: object, target: StageRecord) -> None:
    """Keep finalised stage records immutable, whoever tries to change them."""
    history = inspect(target).attrs.finalised_at.history
    before = [*history.deleted, *history.unchanged]
    if before and before[0] is not None:
        raise FinalisedRecordError()
