"""Working time: properties with hypothesis and worked examples around holidays and DST."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.procedures.workdays import (
    LONDON,
    Due,
    Nation,
    Timescale,
    WorkingCalendar,
    parse_instant,
)

CAL = WorkingCalendar()
instants = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),
    max_value=dt.datetime(2030, 12, 31),
    timezones=st.just(dt.UTC),
)


def london(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


@given(start=instants, days=st.integers(min_value=1, max_value=40))
@settings(max_examples=300, deadline=None)
def test_n_working_days_later_is_a_later_working_day(start: dt.datetime, days: int) -> None:
    due = CAL.add_working_days(start, days)
    assert due > start
    local = due.astimezone(LONDON)
    assert CAL.is_working_day(local.date())
    assert local.weekday() < 5
    assert CAL.holiday_name(local.date()) is None
    # exactly `days` working days lie after the (moved) start day, up to the due day
    begin = CAL.working_start(start).astimezone(LONDON).date()
    count, day = 0, begin
    while day < local.date():
        day += dt.timedelta(days=1)
        count += CAL.is_working_day(day)
    assert count == days


@given(start=instants, days=st.integers(min_value=0, max_value=30))
@settings(max_examples=300, deadline=None)
def test_monotonic_in_n(start: dt.datetime, days: int) -> None:
    assert CAL.add_working_days(start, days) < CAL.add_working_days(start, days + 1)


@given(start=instants)
@settings(max_examples=200, deadline=None)
def test_start_in_working_time_keeps_the_clock_time(start: dt.datetime) -> None:
    due = CAL.add_working_days(start, 3)
    if CAL.is_working_time(start):
        assert due.astimezone(LONDON).time() == start.astimezone(LONDON).time()
    else:
        assert due.astimezone(LONDON).time() == CAL.opens


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Christmas 2026: Fri 25, Sat 26, Sun 27, Mon 28 (Boxing Day observed)
        ("2026-12-24T10:00", 1, "2026-12-29T10:00"),
        ("2026-12-24T10:00", 3, "2026-12-31T10:00"),
        ("2026-12-31T10:00", 1, "2027-01-04T10:00"),  # New Year's Day, weekend
        # Christmas 2027: Sat 25, Sun 26, Mon 27 and Tue 28 observed
        ("2027-12-24T15:30", 1, "2027-12-29T15:30"),
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April
        ("2026-04-02T14:00", 1, "2026-04-07T14:00"),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March
        ("2027-03-25T09:00", 2, "2027-03-31T09:00"),
        # 15 working days for an adjourned conference, across Easter 2027
        ("2027-03-15T11:00", 15, "2027-04-07T11:00"),
        # outside working time: counts from the next working day's opening
        ("2026-12-24T18:00", 1, "2026-12-30T09:00"),
        ("2026-03-28T12:00", 1, "2026-03-31T09:00"),  # a Saturday
        ("2026-11-23T07:30", 1, "2026-11-24T09:00"),  # before opening
    ],
)
def test_worked_examples(start: str, days: int, expected: str) -> None:
    assert CAL.add_working_days(london(start), days) == london(expected)


def test_clock_time_survives_the_change_to_summer_time() -> None:
    # Clocks go forward on Sunday 29 March 2026: 10:00 GMT Friday, 10:00 BST Monday.
    start = london("2026-03-27T10:00")
    due = CAL.add_working_days(start, 1)
    assert due == london("2026-03-30T10:00")
    assert due - start == dt.timedelta(days=3, hours=-1)
    assert due.utcoffset() == dt.timedelta(0)  # stored in UTC
    assert due.astimezone(LONDON).utcoffset() == dt.timedelta(hours=1)


def test_hours_are_literal_and_flagged_outside_working_time() -> None:
    due = CAL.due(london("2026-12-24T16:00"), Timescale(hours=24))
    assert due is not None and due.at == london("2026-12-25T16:00")
    assert due.outside_working_time  # Christmas Day
    inside = CAL.due(london("2026-11-23T10:00"), Timescale(hours=24))
    assert inside is not None and not inside.outside_working_time
    # 48 hours across the clocks going back (25 October 2026): 48 real hours
    across = CAL.due(london("2026-10-24T10:00"), Timescale(hours=48))
    assert across is not None and across.at - london("2026-10-24T10:00") == dt.timedelta(hours=48)
    assert across.at.astimezone(LONDON).hour == 9


def test_same_working_day_is_close_of_business() -> None:
    same = Timescale(same_working_day=True)
    assert CAL.due(london("2026-11-23T10:00"), same) == Due(london("2026-11-23T17:00"))
    later = CAL.due(london("2026-11-23T18:00"), same)
    assert later is not None and later.at == london("2026-11-24T17:00")
    assert CAL.due(london("2026-11-23T10:00"), Timescale()) is None


def test_nations_closures_and_office_hours() -> None:
    st_andrews = dt.date(2026, 11, 30)
    assert CAL.is_working_day(st_andrews)
    scotland = WorkingCalendar(nation=Nation.SCOTLAND)
    assert not scotland.is_working_day(st_andrews)
    assert not WorkingCalendar(nation=Nation.NORTHERN_IRELAND).is_working_day(dt.date(2026, 3, 17))
    closed = WorkingCalendar(closures=frozenset({dt.date(2026, 11, 24)}))
    assert closed.add_working_days(london("2026-11-23T10:00"), 1) == london("2026-11-25T10:00")
    early = WorkingCalendar(opens=dt.time(8), closes=dt.time(16))
    assert early.is_working_time(london("2026-11-23T08:30"))
    assert not early.is_working_time(london("2026-11-23T16:30"))
    with pytest.raises(ValueError, match="open before"):
        WorkingCalendar(opens=dt.time(17), closes=dt.time(9))


def test_times_without_offset_are_london_time() -> None:
    assert parse_instant("2026-07-01T10:00:00") == dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC)
    assert parse_instant("2026-01-05T10:00:00") == dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)
    with pytest.raises(ValueError):
        parse_instant("2026-02-30T10:00:00")


def test_scotland_s_15_june_2026_bank_holiday_is_known() -> None:
    """The pinned holidays version (>= 0.91) knows it; older ones counted it a working day."""
    scotland = WorkingCalendar(Nation.SCOTLAND)
    assert scotland.holiday_name(dt.date(2026, 6, 15)) is not None
    assert not scotland.is_working_day(dt.date(2026, 6, 15))
    assert WorkingCalendar().is_working_day(dt.date(2026, 6, 15))  # England and Wales work
