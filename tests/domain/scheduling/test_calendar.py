"""The working calendar: exact against a naive day-by-day reference, and fast."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskdesk.domain.scheduling import WorkCalendar, weekday_number

ONE = timedelta(days=1)
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 1, 5) + k * ONE for k in range(7))


# -- the naive reference: walks one day at a time ------------------------------------


def naive_next(cal: WorkCalendar, d: date) -> date:
    while not (d.weekday() in cal.workdays and d not in cal.holidays):
        d += ONE
    return d


def naive_prev(cal: WorkCalendar, d: date) -> date:
    while not (d.weekday() in cal.workdays and d not in cal.holidays):
        d -= ONE
    return d


def naive_add(cal: WorkCalendar, d: date, n: int) -> date:
    if n >= 0:
        d = naive_next(cal, d)
        for _ in range(n):
            d = naive_next(cal, d + ONE)
        return d
    for _ in range(-n):
        d = naive_prev(cal, d - ONE)
    return d


def naive_between(cal: WorkCalendar, a: date, b: date) -> int:
    lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
    count = 0
    while lo < hi:
        count += lo.weekday() in cal.workdays and lo not in cal.holidays
        lo += ONE
    return sign * count


WINDOW = (date(2025, 10, 1), date(2026, 6, 30))
days = st.dates(*WINDOW)
calendars = st.builds(
    WorkCalendar,
    workdays=st.frozensets(st.integers(min_value=0, max_value=6), min_size=1),
    holidays=st.frozensets(days, max_size=40),
)


@settings(max_examples=300, deadline=None)
@given(calendars, days, st.integers(min_value=-80, max_value=80))
def test_add_working_days_matches_naive(cal: WorkCalendar, d: date, n: int) -> None:
    assert cal.add_working_days(d, n) == naive_add(cal, d, n)


@settings(max_examples=300, deadline=None)
@given(calendars, days, days)
def test_working_days_between_matches_naive(cal: WorkCalendar, a: date, b: date) -> None:
    assert cal.working_days_between(a, b) == naive_between(cal, a, b)
    assert cal.working_days_between(b, a) == -cal.working_days_between(a, b)


@settings(max_examples=300, deadline=None)
@given(calendars, days)
def test_next_prev_and_is_working_match_naive(cal: WorkCalendar, d: date) -> None:
    assert cal.is_working(d) == (d.weekday() in cal.workdays and d not in cal.holidays)
    assert cal.next_working_day(d) == naive_next(cal, d)
    assert cal.prev_working_day(d) == naive_prev(cal, d)


@settings(max_examples=300, deadline=None)
@given(calendars, days, st.integers(min_value=-80, max_value=80))
def test_add_and_between_are_inverse(cal: WorkCalendar, d: date, n: int) -> None:
    """The contract scheduling relies on: moving n working days, then counting them."""
    moved = cal.add_working_days(d, n)
    assert cal.is_working(moved)
    assert cal.working_days_between(d, moved) == n
    start = cal.next_working_day(d)
    assert cal.add_working_days(start, cal.working_days_between(start, moved)) == moved


@settings(max_examples=200, deadline=None)
@given(calendars, days, st.integers(min_value=-100, max_value=100))
def test_day_index_and_date_at_round_trip(cal: WorkCalendar, near: date, offset: int) -> None:
    index = cal.day_index(near) + offset
    d = cal.date_at(index)
    assert cal.is_working(d)
    assert cal.day_index(d) == index
    assert cal.day_index(d + ONE) == index + 1


def test_plain_week() -> None:
    cal = WorkCalendar()
    assert cal.add_working_days(MON, 0) == MON
    assert cal.add_working_days(MON, 1) == TUE
    assert cal.add_working_days(FRI, 1) == MON + 7 * ONE
    assert cal.add_working_days(MON, -1) == FRI - 7 * ONE
    assert cal.add_working_days(SAT, 0) == MON + 7 * ONE  # from a day off: 0 = next
    assert cal.add_working_days(SAT, -1) == FRI  # -1 = the last working day before
    assert cal.working_days_between(MON, MON + 7 * ONE) == 5
    assert cal.working_days_between(SAT, SUN) == 0
    assert cal.working_days_in(MON, FRI) == 5
    assert cal.working_days_in(FRI, MON) == 0
    assert cal.next_working_day(SAT) == MON + 7 * ONE
    assert cal.prev_working_day(SUN) == FRI


def test_holidays_are_skipped() -> None:
    mlk = date(2026, 1, 19)  # a Monday
    cal = WorkCalendar(holidays=frozenset({mlk}))
    assert not cal.is_working(mlk)
    assert cal.add_working_days(date(2026, 1, 16), 1) == date(2026, 1, 20)
    assert cal.working_days_between(date(2026, 1, 12), date(2026, 1, 26)) == 9
    # A holiday on a weekend changes nothing.
    weekend = WorkCalendar(holidays=frozenset({SAT}))
    assert weekend.working_days_between(MON, MON + 14 * ONE) == 10


def test_sunday_to_thursday_week() -> None:
    cal = WorkCalendar.from_names(["sun", "mon", "tue", "wed", "thu"])
    assert cal.workdays == frozenset({6, 0, 1, 2, 3})
    assert cal.is_working(SUN) and not cal.is_working(FRI)
    assert cal.add_working_days(THU, 1) == SUN
    assert cal.working_days_between(SUN - 7 * ONE, SUN) == 5


def test_with_time_off_adds_days_off() -> None:
    cal = WorkCalendar(holidays=frozenset({MON}))
    alice = cal.with_time_off([WED, THU])
    assert alice.holidays == frozenset({MON, WED, THU})
    assert alice.working_days_in(MON, FRI) == 2
    assert cal.working_days_in(MON, FRI) == 4  # the project calendar is untouched


def test_from_names_and_validation() -> None:
    cal = WorkCalendar.from_names(("Mon", "tuesday"), [MON], hours_per_day=6)
    assert cal == WorkCalendar(frozenset({0, 1}), frozenset({MON}), 6.0)
    assert hash(cal) == hash(WorkCalendar(frozenset({1, 0}), frozenset({MON}), 6.0))
    assert WorkCalendar.from_names() == WorkCalendar()
    assert weekday_number("SUN") == 6
    with pytest.raises(ValueError, match="unknown weekday"):
        WorkCalendar.from_names(["mon", "funday"])
    with pytest.raises(ValueError, match="at least one working weekday"):
        WorkCalendar(workdays=frozenset())
    with pytest.raises(ValueError, match="at least one working weekday"):
        WorkCalendar.from_names([])
    with pytest.raises(ValueError, match="weekday numbers"):
        WorkCalendar(workdays=frozenset({7}))
    with pytest.raises(ValueError, match="hours_per_day"):
        WorkCalendar(hours_per_day=0)


def test_long_spans_do_not_walk_day_by_day() -> None:
    """Thousands of holidays and century-long moves stay fast (bisect, not loops)."""
    holidays = frozenset(date(2000, 1, 3) + timedelta(days=k * 3) for k in range(10_000))
    cal = WorkCalendar(holidays=holidays)
    began = time.perf_counter()
    for k in range(20_000):
        d = cal.add_working_days(date(2000, 1, 3), 10_000 + k)
        cal.working_days_between(date(1990, 1, 1), d)
    assert time.perf_counter() - began < 2.0
    far = cal.add_working_days(date(2000, 1, 3), 1_000_000)
    assert cal.working_days_between(date(2000, 1, 3), far) == 1_000_000
