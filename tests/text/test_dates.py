"""Dates as users write them: every real date reads back as itself, nothing else is guessed."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.errors import InvalidInput
from desktop.text.dates import (
    FIRST_YEAR,
    LAST_YEAR,
    day_problem,
    day_text,
    moment_problem,
    moment_text,
    read_day,
    read_moment,
)

DAYS = st.dates(dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31))


@given(DAYS)
def test_every_date_reads_back_as_itself(day: dt.date) -> None:
    assert read_day(day_text(day)) == day
    assert read_day(f"  {day.day}/{day.month}/{day.year} ") == day  # one-digit day and month


@given(DAYS, st.times())
def test_every_time_to_the_minute_reads_back_as_itself(day: dt.date, time: dt.time) -> None:
    moment = dt.datetime.combine(day, time.replace(second=0, microsecond=0))
    assert read_moment(moment_text(moment)) == moment


@given(st.text(alphabet="0123456789/ :", max_size=18))
def test_what_reads_as_a_date_is_written_with_the_same_numbers(typed: str) -> None:
    try:
        day = read_day(typed)
    except InvalidInput as refused:
        assert refused.message.endswith(".") and len(refused.message) < 120
        return
    if day is not None:  # never another date: the numbers typed are the numbers read
        numbers = [int(n) for n in typed.strip().split("/")]
        assert numbers == [day.day, day.month, day.year]


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("31/02/2019", "February 2019 has 28 days"),
        ("29/02/2023", "February 2023 has 28 days"),
        ("00/01/2019", "there is no day 0"),
        ("14/13/2019", "there is no month 13"),
        ("2/12/26", "as in 02/12/2026"),
        ("14/03/19", "four digits"),
        ("14/03", "dd/mm/yyyy"),
        ("14", "dd/mm/yyyy"),
        ("2019-03-14", "dd/mm/yyyy"),
        ("14.03.2019", "dd/mm/yyyy"),
        ("14/03/0019", "from 1900 to 2199"),
    ],
)
def test_a_partial_or_impossible_date_is_refused_with_a_sentence(typed: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        read_day(typed)
    assert says in day_problem(typed)


def test_a_leap_day_and_an_empty_field_are_accepted() -> None:
    assert read_day("29/02/2024") == dt.date(2024, 2, 29)
    assert read_day("   ") is None and day_problem("") == ""
    assert read_moment("") is None and moment_problem(" ") == ""


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("14/03/2026", "Add the time"),
        ("14/03/2026 24:00", "24-hour clock"),
        ("14/03/2026 9:60", "not a time"),
        ("14/03/2026 0930", "not a time"),
        ("31/04/2026 09:30", "April 2026 has 30 days"),
        ("14/03/26 09:30", "four digits"),
        ("09:30", "dd/mm/yyyy hh:mm"),
    ],
)
def test_a_partial_or_impossible_time_is_refused_with_a_sentence(typed: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        read_moment(typed)
    assert says in moment_problem(typed)


def test_a_time_may_be_typed_with_one_digit_hours() -> None:
    assert read_moment("2/12/2026  9:05") == dt.datetime(2026, 12, 2, 9, 5)
