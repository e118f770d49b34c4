"""Exact tests of the date picker's grid and moves, plus properties over any date.

``NOW`` is Wednesday 2026-11-25 10:30, as in test_dates.py.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskdesk.domain.monthgrid import (
    WEEKS,
    Unit,
    add_days,
    add_months,
    cell_of,
    field_text,
    month_edge,
    month_weeks,
    move,
    starting_point,
)

NOW = datetime(2026, 11, 25, 10, 30)
FAST = settings(max_examples=300, deadline=None)


def test_november_2026_starts_on_sunday_in_the_last_column() -> None:
    weeks = month_weeks(2026, 11)
    assert len(weeks) == WEEKS and all(len(week) == 7 for week in weeks)
    assert weeks[0] == [None] * 6 + [date(2026, 11, 1)]
    assert weeks[1] == [date(2026, 11, d) for d in range(2, 9)]
    assert weeks[4] == [date(2026, 11, d) for d in range(23, 30)]
    assert weeks[5] == [date(2026, 11, 30)] + [None] * 6


def test_february_2027_fills_exactly_four_weeks_then_blanks() -> None:
    weeks = month_weeks(2027, 2)  # 1 Feb 2027 is a Monday, 28 days
    assert weeks[0][0] == date(2027, 2, 1)
    assert weeks[3][6] == date(2027, 2, 28)
    assert weeks[4] == [None] * 7 and weeks[5] == [None] * 7


def test_leap_february_and_the_calendar_ends() -> None:
    assert [d for w in month_weeks(2028, 2) for d in w if d][-1] == date(2028, 2, 29)
    assert month_weeks(1, 1)[0][0] == date(1, 1, 1)  # 0001-01-01 was a Monday
    assert [d for w in month_weeks(9999, 12) for d in w if d][-1] == date(9999, 12, 31)


@pytest.mark.parametrize(
    ("day", "cell"),
    [
        (date(2026, 11, 1), (0, 6)),
        (date(2026, 11, 2), (1, 0)),
        (date(2026, 11, 25), (4, 2)),
        (date(2026, 11, 30), (5, 0)),
        (date(2027, 2, 1), (0, 0)),
        (date(2027, 2, 28), (3, 6)),
    ],
)
def test_cell_of(day: date, cell: tuple[int, int]) -> None:
    assert cell_of(day) == cell


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 5, 31), 1, date(2026, 6, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 11, 25), 14, date(2028, 1, 25)),
        (date(2026, 11, 25), -23, date(2024, 12, 25)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 11, 25), 0, date(2026, 11, 25)),
        (date(9999, 12, 1), 1, date.max),
        (date(1, 1, 31), -1, date.min),
    ],
)
def test_add_months_clamps_to_the_month_end(day: date, count: int, expected: date) -> None:
    assert add_months(day, count) == expected


@pytest.mark.parametrize(
    ("day", "unit", "count", "expected"),
    [
        (date(2026, 11, 25), Unit.DAY, 1, date(2026, 11, 26)),
        (date(2026, 11, 30), Unit.DAY, 1, date(2026, 12, 1)),
        (date(2026, 3, 1), Unit.DAY, -1, date(2026, 2, 28)),
        (date(2026, 11, 25), Unit.WEEK, 1, date(2026, 12, 2)),
        (date(2026, 1, 3), Unit.WEEK, -1, date(2025, 12, 27)),
        (date(2026, 11, 25), Unit.MONTH, -1, date(2026, 10, 25)),
        (date(2028, 2, 29), Unit.YEAR, 1, date(2029, 2, 28)),
        (date(2028, 2, 29), Unit.YEAR, -4, date(2024, 2, 29)),
        (date(2026, 11, 25), Unit.YEAR, -1, date(2025, 11, 25)),
        (date.max, Unit.DAY, 1, date.max),
        (date.max, Unit.WEEK, 1, date.max),
        (date(9999, 12, 28), Unit.WEEK, 1, date.max),
        (date.min, Unit.DAY, -1, date.min),
        (date(1, 1, 3), Unit.WEEK, -1, date.min),
        (date(9999, 6, 1), Unit.YEAR, 1, date.max),
        (date(1, 6, 1), Unit.YEAR, -1, date.min),
    ],
)
def test_move(day: date, unit: Unit, count: int, expected: date) -> None:
    assert move(day, unit, count) == expected


def test_add_days_clamps_far_jumps() -> None:
    assert add_days(date(2026, 1, 1), 10**7) == date.max
    assert add_days(date(2026, 1, 1), -(10**7)) == date.min
    assert add_days(date(2026, 1, 1), 365) == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        (date(2026, 11, 25), date(2026, 11, 1), date(2026, 11, 30)),
        (date(2028, 2, 10), date(2028, 2, 1), date(2028, 2, 29)),
        (date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_month_edge(day: date, first: date, last: date) -> None:
    assert month_edge(day, last=False) == first
    assert month_edge(day, last=True) == last


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (date(2026, 11, 25), None)),
        ("   ", (date(2026, 11, 25), None)),
        ("blurgh", (date(2026, 11, 25), None)),
        ("2026-13-45", (date(2026, 11, 25), None)),
        ("2026-12-01", (date(2026, 12, 1), None)),
        ("2026-12-01T17:00", (date(2026, 12, 1), time(17, 0))),
        ("2026-12-01T00:00", (date(2026, 12, 1), None)),
        ("fri", (date(2026, 11, 27), None)),
        ("fri@09:30", (date(2026, 11, 27), time(9, 30))),
        ("tomorrow", (date(2026, 11, 26), None)),
        ("eom", (date(2026, 11, 30), time(23, 59, 59))),
    ],
)
def test_starting_point(text: str, expected: tuple[date, time | None]) -> None:
    assert starting_point(text, now=NOW) == expected


@pytest.mark.parametrize(
    ("day", "clock", "expected"),
    [
        (date(2026, 12, 4), None, "2026-12-04"),
        (date(2026, 12, 4), time(17, 0), "2026-12-04T17:00"),
        (date(2026, 12, 4), time(23, 59, 59), "2026-12-04T23:59"),
        (date(2027, 1, 9), time(9, 5), "2027-01-09T09:05"),
    ],
)
def test_field_text(day: date, clock: time | None, expected: str) -> None:
    assert field_text(day, clock) == expected


MOVES = st.tuples(st.sampled_from(list(Unit)), st.integers(min_value=-50, max_value=50))


@FAST
@given(st.dates(), st.lists(MOVES, max_size=30))
def test_any_key_sequence_stays_a_valid_date(start: date, steps: list[tuple[Unit, int]]) -> None:
    day = start
    for unit, count in steps:
        day = move(day, unit, count)
        assert isinstance(day, date) and date.min <= day <= date.max
        row, column = cell_of(day)
        assert month_weeks(day.year, day.month)[row][column] == day


@FAST
@given(st.dates(min_value=date(2, 1, 1), max_value=date(9998, 12, 31)), st.integers(-12, 12))
def test_month_moves_keep_the_day_or_clamp_to_the_month_end(day: date, count: int) -> None:
    moved = add_months(day, count)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == count
    if moved.day != day.day:
        assert moved.day < day.day
        assert (moved + timedelta(days=1)).day == 1  # clamped to the last day


@FAST
@given(st.dates(min_value=date(1, 2, 1), max_value=date(9999, 11, 30)))
def test_month_there_and_back_never_drifts_later(day: date) -> None:
    assert add_months(add_months(day, 1), -1) <= day
    assert move(move(day, Unit.DAY, 1), Unit.DAY, -1) == day
    assert move(move(day, Unit.WEEK, -1), Unit.WEEK, 1) == day or day < date(1, 1, 8)


@FAST
@given(st.integers(1, 9999), st.integers(1, 12))
def test_every_day_of_a_month_appears_once_in_order(year: int, month: int) -> None:
    days = [d for week in month_weeks(year, month) for d in week if d is not None]
    assert days[0] == date(year, month, 1)
    assert all(b - a == timedelta(days=1) for a, b in pairwise(days))
    assert days[-1] == month_edge(days[0], last=True)
    assert len(days) in (28, 29, 30, 31)
    for week in month_weeks(year, month):
        for column, d in enumerate(week):
            assert d is None or d.weekday() == column


@FAST
@given(st.dates(min_value=date(1000, 1, 1)), st.sampled_from([None, time(17, 0), time(8, 5)]))
def test_field_text_reads_back_as_the_same_day(day: date, clock: time | None) -> None:
    assert starting_point(field_text(day, clock), now=NOW) == (day, clock)
