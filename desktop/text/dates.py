"""Dates and times as users write them (dd/mm/yyyy, dd/mm/yyyy hh:mm), read strictly.

A date is read exactly as typed or refused with one sentence: never completed
from a part, never rolled over into another date (31/02 is not 03/03), never
guessed from a two-digit year. Day and month may be written with one digit
(2/12/2026 is 02/12/2026); the year takes all four.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from desktop.errors import InvalidInput

DAY_SHAPE = "dd/mm/yyyy"
MOMENT_SHAPE = "dd/mm/yyyy hh:mm"
FIRST_YEAR, LAST_YEAR = 1900, 2199
_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{1,4})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_MONTHS = tuple(calendar.month_name)


def day_text(day: dt.date) -> str:
    """Return ``day`` as the user writes it: dd/mm/yyyy."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def moment_text(moment: dt.datetime) -> str:
    """Return a wall-clock time as the user writes it: dd/mm/yyyy hh:mm."""
    return f"{day_text(moment.date())} {moment.hour:02d}:{moment.minute:02d}"


def _day(typed: str, parts: tuple[str, str, str]) -> dt.date:
    """Return the date the three numbers name, or refuse it naming what is wrong."""
    day, month, year = (int(part) for part in parts)
    if len(parts[2]) < 4:
        example = f"{day:02d}/{month:02d}/20{year:02d}" if year < 100 else "14/03/2019"
        raise InvalidInput(f"Write the year with all four digits, as in {example}.")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(f"{typed} is not a date we can use: give a year from 1900 to 2199.")
    if not 1 <= month <= 12:
        raise InvalidInput(f"{typed} is not a date: there is no month {month}.")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise InvalidInput(
            f"{typed} is not a date: {_MONTHS[month]} {year} has {days} days."
            if day
            else f"{typed} is not a date: there is no day 0."
        )
    return dt.date(year, month, day)


def read_day(text: str) -> dt.date | None:
    """Return the date written dd/mm/yyyy in ``text``; None when nothing is written.

    Raises:
        InvalidInput: a partial, impossible or differently written date, in one sentence.
    """
    typed = text.strip()
    if not typed:
        return None
    found = _DAY.fullmatch(typed)
    if found is None:
        raise InvalidInput(f"Write the date as {DAY_SHAPE}, for example 14/03/2019.")
    return _day(typed, (found[1], found[2], found[3]))


def read_moment(text: str) -> dt.datetime | None:
    """Return the wall-clock time written dd/mm/yyyy hh:mm; None when nothing is written.

    Raises:
        InvalidInput: a partial or impossible date or time, in one sentence.
    """
    typed = " ".join(text.split())
    if not typed:
        return None
    date_part, _space, time_part = typed.partition(" ")
    found = _DAY.fullmatch(date_part)
    if found is None:
        raise InvalidInput(
            f"Write the date and time as {MOMENT_SHAPE}, for example 14/03/2026 09:30."
        )
    day = _day(date_part, (found[1], found[2], found[3]))
    if not time_part:
        raise InvalidInput(f"Add the time to the date (24-hour clock), as in {date_part} 09:30.")
    clock = _TIME.fullmatch(time_part)
    if clock is None or int(clock[1]) > 23 or int(clock[2]) > 59:
        raise InvalidInput(
            f"{time_part} is not a time: write it hh:mm on the 24-hour clock, as in 09:30 or 14:05."
        )
    return dt.datetime.combine(day, dt.time(int(clock[1]), int(clock[2])))


def day_problem(text: str) -> str:
    """Return why ``text`` is not a date written dd/mm/yyyy ("" when it is, or is empty)."""
    try:
        read_day(text)
    except InvalidInput as refused:
        return refused.message
    return ""


def moment_problem(text: str) -> str:
    """Return why ``text`` is not a time written dd/mm/yyyy hh:mm ("" when it is, or is empty)."""
    try:
        read_moment(text)
    except InvalidInput as refused:
        return refused.message
    return ""
