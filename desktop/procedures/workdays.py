"""Working-day and working-hour arithmetic with UK bank holidays and closure days.

All instants are aware datetimes; arithmetic on days happens in Europe/London
local time (so "the same clock time" survives a clock change) and results
are returned in UTC.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
MAX_WORKING_DAYS = 3660  # ten years of working days: far beyond any procedure


class Nation(enum.StrEnum):
    """Whose bank holidays apply."""

    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"

    @property
    def subdivision(self) -> str:
        """The ``holidays`` package's subdivision code."""
        return {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}[
            self.value
        ]


OPENED = "opened"  # the event every stage has: when it opened


@dataclass(frozen=True)
class Timescale:
    """How long something may take, and from which event it counts.

    A number (``working_days``, ``hours``) or ``same_working_day`` gives a due
    time; ``phrase`` is the procedure's own words, shown as they are (alone, it
    gives no due time: the user may set a review time); ``agreed`` is a deadline
    agreed for each case; ``by_priority`` picks a timescale by the case's
    priority; ``sooner_of`` is due at the earliest of its parts.
    """

    working_days: int | None = None
    hours: int | None = None
    same_working_day: bool = False
    phrase: str = ""
    start: str = OPENED
    agreed: bool = False
    by_priority: tuple[tuple[str, Timescale], ...] = ()
    sooner_of: tuple[Timescale, ...] = ()

    @property
    def counted(self) -> bool:
        """Say whether this timescale itself is a number the calendar counts."""
        return self.working_days is not None or self.hours is not None or self.same_working_day

    @property
    def stated(self) -> bool:
        """Say whether the procedure states any timescale at all."""
        return bool(
            self.counted or self.phrase or self.agreed or self.by_priority or self.sooner_of
        )

    def describe(self) -> str:
        """Say the timescale in words: the procedure's own phrase where it gives one."""
        if self.phrase:
            return self.phrase
        if self.working_days is not None:
            unit = "working day" if self.working_days == 1 else "working days"
            return f"within {self.working_days} {unit}"
        if self.hours is not None:
            return f"within {self.hours} hours"
        if self.same_working_day:
            return "the same working day"
        if self.agreed:
            return "by a deadline agreed for this case"
        if self.by_priority:
            return "; ".join(f"{name}: {each.describe()}" for name, each in self.by_priority)
        if self.sooner_of:
            return " or ".join(each.describe() for each in self.sooner_of) + (
                ", whichever is sooner"
            )
        return "no timescale given by the procedure"

    def as_json(self) -> dict[str, object] | None:
        """Return the timescale as the file states it (None when it states none)."""
        found: dict[str, object] = {}
        if self.working_days is not None:
            found["working_days"] = self.working_days
        if self.hours is not None:
            found["hours"] = self.hours
        if self.same_working_day:
            found["same_working_day"] = 1
        if self.agreed:
            found["agreed"] = True
        if self.by_priority:
            found["by_priority"] = {name: each.as_json() for name, each in self.by_priority}
        if self.sooner_of:
            found["sooner_of"] = [each.as_json() for each in self.sooner_of]
        if self.phrase:
            found["phrase"] = self.phrase
        if found and self.start != OPENED:
            found["from"] = self.start
        return found or None

    def starts(self) -> set[str]:
        """Return every event this timescale (and its parts) counts from."""
        found = {self.start} if self.counted else set()
        for _name, each in self.by_priority:
            found |= each.starts()
        for each in self.sooner_of:
            found |= each.starts()
        return found


@dataclass(frozen=True)
class Due:
    """A due time in UTC, and whether it falls outside working time."""

    at: dt.datetime
    outside_working_time: bool = False


def load_holiday_rules() -> None:
    """Load the bank-holiday rules now: the first due time otherwise waits a third of a second.

    The holidays package imports every country's rules the first time any is asked for.
    """
    holidays.country_holidays("GB")


@dataclass(frozen=True)
class WorkingCalendar:
    """Office hours, bank holidays of one nation, and the user's own closure days."""

    nation: Nation = Nation.ENGLAND_AND_WALES
    opens: dt.time = dt.time(9, 0)
    closes: dt.time = dt.time(17, 0)
    closures: frozenset[dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.opens >= self.closes:
            raise ValueError("office hours must open before they close")

    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        return holidays.country_holidays("GB", subdiv=self.nation.subdivision)

    def holiday_name(self, day: dt.date) -> str | None:
        """Return the bank holiday's or closure's name for ``day``, or None."""
        if day in self.closures:
            return "closure day"
        name = self._holidays.get(day)
        return str(name) if name else None

    @cached_property
    def _verdicts(self) -> dict[dt.date, bool]:
        return {}

    def is_working_day(self, day: dt.date) -> bool:
        """Say whether ``day`` is a weekday that is neither a bank holiday nor a closure."""
        verdict = self._verdicts.get(day)
        if verdict is None:
            verdict = day.weekday() < 5 and day not in self.closures and day not in self._holidays
            self._verdicts[day] = verdict
        return verdict

    def is_working_time(self, instant: dt.datetime) -> bool:
        """Say whether ``instant`` falls within office hours on a working day."""
        local = instant.astimezone(LONDON)
        return self.is_working_day(local.date()) and self.opens <= local.time() < self.closes

    def next_working_day(self, day: dt.date) -> dt.date:
        """Return the first working day strictly after ``day``."""
        for _ in range(MAX_WORKING_DAYS):
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError("no working day found within ten years")

    def _local(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=LONDON).astimezone(dt.UTC)

    def working_start(self, instant: dt.datetime) -> dt.datetime:
        """Return ``instant`` if it is working time, else the next working day's opening."""
        if self.is_working_time(instant):
            return instant.astimezone(dt.UTC)
        local = instant.astimezone(LONDON)
        day = local.date()
        if not (self.is_working_day(day) and local.time() < self.opens):
            day = self.next_working_day(day)
        return self._local(day, self.opens)

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Return the same clock time ``days`` working days after ``start``.

        A start outside working time counts from the next working day's opening.
        """
        if not 0 <= days <= MAX_WORKING_DAYS:
            raise ValueError(f"working days must be between 0 and {MAX_WORKING_DAYS}")
        begin = self.working_start(start).astimezone(LONDON)
        day = begin.date()
        for _ in range(days):
            day = self.next_working_day(day)
        return self._local(day, begin.time().replace(tzinfo=None))

    def end_of_working_day(self, start: dt.datetime) -> dt.datetime:
        """Return the close of the working day ``start`` falls in (or of the next one)."""
        local = start.astimezone(LONDON)
        day = local.date()
        if not (self.is_working_day(day) and local.time() < self.closes):
            day = self.next_working_day(day)
        return self._local(day, self.closes)

    def due(self, start: dt.datetime, timescale: Timescale) -> Due | None:
        """Return when something started at ``start`` is due; None if the timescale counts nothing.

        Only the timescale's own number is counted here; :func:`resolve_due` picks
        the start of each part, the priority's timescale and the soonest part.
        """
        if timescale.working_days is not None:
            return Due(self.add_working_days(start, timescale.working_days))
        if timescale.hours is not None:
            at = start.astimezone(dt.UTC) + dt.timedelta(hours=timescale.hours)
            return Due(at, outside_working_time=not self.is_working_time(at))
        if timescale.same_working_day:
            return Due(self.end_of_working_day(start))
        return None


def resolve_due(
    calendar: WorkingCalendar,
    timescale: Timescale,
    start_of: Callable[[str], dt.datetime | None],
    priority: str | None = None,
) -> Due | None:
    """Return when ``timescale`` falls due, each part counted from its own starting event.

    Args:
        start_of: the time of a named event (None while it has not happened).
        priority: the case's priority, which picks among ``by_priority``.

    Returns:
        None when nothing can be counted yet: an event still to happen, an
        untimed phrase, a deadline to agree, or no priority chosen.
    """
    if timescale.counted:
        start = start_of(timescale.start)
        return None if start is None else calendar.due(start, timescale)
    if timescale.by_priority:
        chosen = dict(timescale.by_priority).get(priority or "")
        return None if chosen is None else resolve_due(calendar, chosen, start_of, priority)
    dues = [resolve_due(calendar, each, start_of, priority) for each in timescale.sooner_of]
    known = [due for due in dues if due is not None]
    return min(known, key=lambda due: due.at) if known else None


def parse_closures(values: Iterable[str]) -> frozenset[dt.date]:
    """Parse ISO dates (``YYYY-MM-DD``) into closure days; raise ValueError naming a bad one."""
    days = set()
    for value in values:
        try:
            days.add(dt.date.fromisoformat(value.strip()))
        except ValueError:
            raise ValueError(f"'{value}' is not a date (use YYYY-MM-DD)") from None
    return frozenset(days)


def to_london(instant: dt.datetime) -> dt.datetime:
    """Return ``instant`` in Europe/London time, for display."""
    return instant.astimezone(LONDON)


def london_time(naive: dt.datetime) -> dt.datetime:
    """Return a wall-clock time in London as an aware time; refuse one the clocks skip or repeat.

    Raises:
        ValueError: the time does not exist (the clocks went forward past it) or
            happened twice (the clocks went back over it); the message names it.
    """
    shown = naive.strftime("%d/%m/%Y %H:%M")
    first = naive.replace(tzinfo=LONDON, fold=0)
    second = naive.replace(tzinfo=LONDON, fold=1)
    if first.astimezone(dt.UTC).astimezone(LONDON).replace(tzinfo=None) != naive:
        raise ValueError(f"{shown} does not exist in London time (the clocks went forward an hour)")
    if first.utcoffset() != second.utcoffset():
        raise ValueError(
            f"{shown} happened twice in London time (the clocks went back an hour); "
            "give it with its offset, +01:00 or +00:00"
        )
    return first


def parse_instant(text: str, *, strict: bool = False) -> dt.datetime:
    """Parse an ISO 8601 time; one without an offset is Europe/London local time.

    Args:
        strict: refuse a London time the clocks skip or repeat (an import does),
            instead of reading it as the first of the two.

    Raises:
        ValueError: not an ISO 8601 date-time (or, when strict, not one time in London).
    """
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = london_time(value) if strict else value.replace(tzinfo=LONDON)
    return value.astimezone(dt.UTC)
