"""Exact tests of every date form, durations, business days and the card formats.

``NOW`` is Wednesday 2026-11-25 10:30: weekday names, ``eow`` and the month/quarter ends
all have something to get wrong from there.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskdesk.domain.dates import (
    DateError,
    add_business_days,
    format_date,
    format_relative,
    parse_clock,
    parse_date,
    parse_duration,
    parse_workdays,
)

NOW = datetime(2026, 11, 25, 10, 30)
FAST = settings(max_examples=300, deadline=None)


def d(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A datetime in 2026 (most expectations are)."""
    return datetime(2026, month, day, hour, minute, second)


def test_now_is_a_wednesday() -> None:
    assert NOW.weekday() == 2


# ----------------------------------------------------------------------- parse_date

ISO_CASES = [
    ("2026-12-01", d(12, 1)),
    ("2026-12-01T17:00", d(12, 1, 17)),
    ("2026-12-01t17:05", d(12, 1, 17, 5)),
    ("2026-12-01T17:00:30", d(12, 1, 17, 0, 30)),
    ("2026-12-01T17:00:30.25", datetime(2026, 12, 1, 17, 0, 30, 250000)),
    ("2026-12-01T17:00:30.123456", datetime(2026, 12, 1, 17, 0, 30, 123456)),
    ("2026-12-01 17:00", d(12, 1, 17)),
    ("2026-12-01T9:15", d(12, 1, 9, 15)),
    ("20261201", d(12, 1)),
    ("2028-02-29", datetime(2028, 2, 29)),
    ("2020-01-01", datetime(2020, 1, 1)),
    ("  2026-12-01  ", d(12, 1)),
]

NAMED_CASES = [
    ("today", d(11, 25)),
    ("TODAY", d(11, 25)),
    ("  Tomorrow ", d(11, 26)),
    ("tomorrow", d(11, 26)),
    ("yesterday", d(11, 24)),
    ("sod", d(11, 25)),
    ("now", NOW),
    ("eod", d(11, 25, 23, 59, 59)),
    ("eow", d(11, 29, 23, 59, 59)),
    ("eom", d(11, 30, 23, 59, 59)),
    ("eoq", d(12, 31, 23, 59, 59)),
    ("eoy", d(12, 31, 23, 59, 59)),
    ("sow", d(11, 30)),
    ("som", d(12, 1)),
    ("soq", datetime(2027, 1, 1)),
    ("soy", datetime(2027, 1, 1)),
    ("socw", d(11, 23)),
    ("socm", d(11, 1)),
    ("socq", d(10, 1)),
    ("socy", d(1, 1)),
]

WEEKDAY_CASES = [
    ("mon", d(11, 30)),
    ("tue", d(12, 1)),
    ("wed", d(12, 2)),  # today is Wednesday: the next one, a week ahead
    ("thu", d(11, 26)),
    ("fri", d(11, 27)),
    ("sat", d(11, 28)),
    ("sun", d(11, 29)),
    ("monday", d(11, 30)),
    ("Tuesday", d(12, 1)),
    ("tues", d(12, 1)),
    ("wednesday", d(12, 2)),
    ("thurs", d(11, 26)),
    ("thur", d(11, 26)),
    ("FRIDAY", d(11, 27)),
    ("saturday", d(11, 28)),
    ("sunday", d(11, 29)),
    ("next monday", d(11, 30)),
    ("next-monday", d(11, 30)),
    ("next_monday", d(11, 30)),
    ("next  Monday", d(11, 30)),
    ("next wed", d(12, 2)),
    ("next fri", d(11, 27)),
    ("next day", d(11, 26)),
    ("next week", d(11, 30)),
    ("next-week", d(11, 30)),
    ("next month", d(12, 1)),
    ("next quarter", datetime(2027, 1, 1)),
    ("next year", datetime(2027, 1, 1)),
]

RELATIVE_CASES = [
    ("3d", d(11, 28)),
    ("+3d", d(11, 28)),
    ("-2d", d(11, 23)),
    ("0d", d(11, 25)),
    ("1d", d(11, 26)),
    ("10d", d(12, 5)),
    ("2w", d(12, 9)),
    ("-1w", d(11, 18)),
    ("1m", d(12, 25)),
    ("3m", datetime(2027, 2, 25)),
    ("-1m", d(10, 25)),
    ("1y", datetime(2027, 11, 25)),
    ("2 days", d(11, 27)),
    ("1 day", d(11, 26)),
    ("in 3 days", d(11, 28)),
    ("in-3-days", d(11, 28)),
    ("in_3_days", d(11, 28)),
    ("in 3d", d(11, 28)),
    ("in 1 day", d(11, 26)),
    ("in 2 weeks", d(12, 9)),
    ("in 1 week", d(12, 2)),
    ("in 1 month", d(12, 25)),
    ("in 2 months", datetime(2027, 1, 25)),
    ("in 1 year", datetime(2027, 11, 25)),
    ("3 days ago", d(11, 22)),
    ("2w ago", d(11, 11)),
    ("1 month ago", d(10, 25)),
    ("5b", d(12, 2)),
    ("+5b", d(12, 2)),
    ("1b", d(11, 26)),
    ("2b", d(11, 27)),
    ("3b", d(11, 30)),
    ("0b", d(11, 25)),
    ("-1b", d(11, 24)),
    ("-3b", d(11, 20)),
    ("10b", d(12, 9)),
    ("in 5 business days", d(12, 2)),
    ("in 3 working days", d(11, 30)),
    ("in 2 workdays", d(11, 27)),
]

EXACT_CASES = [
    ("3h", d(11, 25, 13, 30)),
    ("+1h", d(11, 25, 11, 30)),
    ("-1h", d(11, 25, 9, 30)),
    ("in 2 hours", d(11, 25, 12, 30)),
    ("90min", d(11, 25, 12, 0)),
    ("in 15 minutes", d(11, 25, 10, 45)),
    ("20h", d(11, 26, 6, 30)),
]

MONTH_DAY_CASES = [
    ("dec 24", d(12, 24)),
    ("24 dec", d(12, 24)),
    ("december 24", d(12, 24)),
    ("24 December", d(12, 24)),
    ("Dec 24th", d(12, 24)),
    ("24th dec", d(12, 24)),
    ("dec-24", d(12, 24)),
    ("24-dec", d(12, 24)),
    ("dec24", d(12, 24)),
    ("nov 25", d(11, 25)),  # today is still this year's
    ("nov 24", datetime(2027, 11, 24)),  # passed: next year
    ("jan 1", datetime(2027, 1, 1)),
    ("1st jan", datetime(2027, 1, 1)),
    ("mar 2nd", datetime(2027, 3, 2)),
    ("may 3rd", datetime(2027, 5, 3)),
    ("sept 30", datetime(2027, 9, 30)),
    ("feb 29", datetime(2028, 2, 29)),  # the next year that has one
    ("dec 24 2027", datetime(2027, 12, 24)),
    ("24 dec 2025", datetime(2025, 12, 24)),  # an explicit year may be past
    ("dec 31", d(12, 31)),
]

TIME_CASES = [
    ("fri@17:00", d(11, 27, 17)),
    ("FRI@17:00", d(11, 27, 17)),
    ("tomorrow@9", d(11, 26, 9)),
    ("tomorrow@09", d(11, 26, 9)),
    ("2026-12-01@17:00", d(12, 1, 17)),
    ("today@5pm", d(11, 25, 17)),
    ("today@5PM", d(11, 25, 17)),
    ("today@5:30pm", d(11, 25, 17, 30)),
    ("today@5p", d(11, 25, 17)),
    ("today@9am", d(11, 25, 9)),
    ("today@12am", d(11, 25, 0)),
    ("today@12pm", d(11, 25, 12)),
    ("today@noon", d(11, 25, 12)),
    ("today@midnight", d(11, 25, 0)),
    ("today@0:00", d(11, 25, 0)),
    ("today@23:59:30", d(11, 25, 23, 59, 30)),
    ("eom@17:00", d(11, 30, 17)),
    ("eod@12", d(11, 25, 12)),
    ("3d@9", d(11, 28, 9)),
    ("5b@8:30", d(12, 2, 8, 30)),
    ("next monday@9", d(11, 30, 9)),
    ("next-monday@9am", d(11, 30, 9)),
    ("dec 24@18:00", d(12, 24, 18)),
    ("fri @ 17:00", d(11, 27, 17)),
    ("fri 17:00", d(11, 27, 17)),
    ("tomorrow 9am", d(11, 26, 9)),
    ("2026-12-01 5pm", d(12, 1, 17)),
    ("in 3 days 10:00", d(11, 28, 10)),
    ("@17:00", d(11, 25, 17)),
    ("17:00", d(11, 25, 17)),  # a bare time is today, even when it has passed
    ("9:15", d(11, 25, 9, 15)),
    ("5pm", d(11, 25, 17)),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    ISO_CASES
    + NAMED_CASES
    + WEEKDAY_CASES
    + RELATIVE_CASES
    + EXACT_CASES
    + MONTH_DAY_CASES
    + TIME_CASES,
)
def test_parse_date(text: str, expected: datetime) -> None:
    assert parse_date(text, now=NOW) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("blurgh", '"blurgh" is not a date (try 2026-12-01, tomorrow, fri, 3d, eom)'),
        ("", "a date is missing (try 2026-12-01, tomorrow, fri, 3d, eom)"),
        ("   ", "a date is missing (try 2026-12-01, tomorrow, fri, 3d, eom)"),
        ("2026-13-01", '"2026-13-01" is not a valid date: month must be in 1..12'),
        ("2026-02-30", '"2026-02-30" is not a valid date: day is out of range for month'),
        ("2027-02-29", '"2027-02-29" is not a valid date: day is out of range for month'),
        ("2026-12-01T25:00", '"2026-12-01T25:00" is not a valid date: hour must be in 0..23'),
        ("2026-12-01T17:60", '"2026-12-01T17:60" is not a valid date: minute must be in 0..59'),
        ("20261301", '"20261301" is not a valid date: month must be in 1..12'),
        (
            "fri@25:00",
            '"fri@25:00" is not a valid date: "25:00" is not a time of day (try 17:00, 9, 5pm)',
        ),
        (
            "fri@13pm",
            '"fri@13pm" is not a valid date: "13pm" is not a time of day (try 17:00, 9, 5pm)',
        ),
        (
            "fri@0am",
            '"fri@0am" is not a valid date: "0am" is not a time of day (try 17:00, 9, 5pm)',
        ),
        ("today@", '"today@" is not a valid date: "" is not a time of day (try 17:00, 9, 5pm)'),
        (
            "fri@17:61",
            '"fri@17:61" is not a valid date: "17:61" is not a time of day (try 17:00, 9, 5pm)',
        ),
        ("now@17:00", '"now@17:00" is not a valid date: "now" already names a time; drop "@17:00"'),
        ("3h@9", '"3h@9" is not a valid date: "3h" already names a time; drop "@9"'),
        (
            "2026-12-01T17:00@9",
            '"2026-12-01T17:00@9" is not a valid date: "2026-12-01t17:00" already names a time;'
            ' drop "@9"',
        ),
        ("blurgh@9", '"blurgh@9" is not a date (try 2026-12-01, tomorrow, fri, 3d, eom)'),
        ("feb 30", '"feb 30" is not a valid date: Feb has no day 30'),
        ("31 apr", '"31 apr" is not a valid date: Apr has no day 31'),
        ("dec 32", '"dec 32" is not a valid date: Dec has no day 32'),
        ("9999999d", '"9999999d" is too far away to be a date'),
        ("9999999y", '"9999999y" is not a valid date: year 10002025 is out of range'),
    ],
)
def test_parse_date_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text, now=NOW)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "text",
    [
        "9",  # a bare number is not a date (nor a time: too ambiguous)
        "2026",
        "next",
        "next blurgh",
        "next 3d",
        "in",
        "in -3d",
        "in 3 days ago",
        "+3d ago",
        "in 3",
        "3x",
        "3 parsecs",
        "d",
        "99999999d",
        "+-3d",
        "3.5d",
        "mon,tue",
        "monday tuesday",
        "dec",
        "24",
        "decem 24",
        "1st",
        "tomorrow tomorrow",
        "٣d",  # non-ASCII digits are not numbers here
        "2026-12-1",
        "2026/12/01",
        "12/01/2026",
        "someday",
        "eom eom",
    ],
)
def test_parse_date_refuses(text: str) -> None:
    with pytest.raises(DateError, match="is not a date"):
        parse_date(text, now=NOW)


def test_date_error_is_a_value_error() -> None:
    assert issubclass(DateError, ValueError)


def test_month_ends_clamp() -> None:
    jan31 = datetime(2026, 1, 31, 8)
    assert parse_date("1m", now=jan31) == datetime(2026, 2, 28)
    assert parse_date("eom", now=datetime(2028, 2, 3)) == datetime(2028, 2, 29, 23, 59, 59)
    assert parse_date("eoq", now=datetime(2026, 4, 1)) == datetime(2026, 6, 30, 23, 59, 59)
    assert parse_date("soq", now=datetime(2026, 4, 1)) == datetime(2026, 7, 1)
    assert parse_date("som", now=datetime(2026, 12, 31)) == datetime(2027, 1, 1)


@pytest.mark.parametrize("offset", range(7))
def test_week_forms_on_every_day_of_the_week(offset: int) -> None:
    now = datetime(2026, 11, 23, 12) + timedelta(days=offset)  # Monday 23rd .. Sunday 29th
    assert parse_date("eow", now=now) == datetime(2026, 11, 29, 23, 59, 59)
    assert parse_date("sow", now=now) == datetime(2026, 11, 30)
    assert parse_date("socw", now=now) == datetime(2026, 11, 23)
    nxt = parse_date("mon", now=now)
    assert nxt.weekday() == 0
    assert 1 <= (nxt.date() - now.date()).days <= 7


def test_month_day_at_the_turn_of_the_year() -> None:
    new_years_eve = datetime(2026, 12, 31, 9)
    assert parse_date("dec 31", now=new_years_eve) == datetime(2026, 12, 31)
    assert parse_date("dec 30", now=new_years_eve) == datetime(2027, 12, 30)
    assert parse_date("jan 1", now=new_years_eve) == datetime(2027, 1, 1)
    assert parse_date("feb 29", now=datetime(2028, 2, 29)) == datetime(2028, 2, 29)
    assert parse_date("feb 29", now=datetime(2028, 3, 1)) == datetime(2032, 2, 29)


@given(st.text(max_size=40))
@FAST
def test_parse_date_raises_only_date_error(text: str) -> None:
    try:
        result = parse_date(text, now=NOW)
    except DateError:
        return
    assert isinstance(result, datetime)


_FRAGMENTS = [
    "next", "in", "ago", "3", "-", "+", "d", "days", "w", "m", "y", "b", "h", "min", "fri",
    "monday", "dec", "24", "24th", "2026-12-01", "T", "17:00", "9", "5pm", "@", "eom", "now",
    "today", "99999999", "9999999", "0", "2026", "feb", "29", ":", "am", "noon", "business",
]  # fmt: skip


@given(
    st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=5),
    st.lists(st.sampled_from(["", " ", "-", "@", "_"]), min_size=5, max_size=5),
    st.datetimes(),
)
@FAST
def test_parse_date_on_date_like_noise(parts: list[str], seps: list[str], now: datetime) -> None:
    text = "".join(part + sep for part, sep in zip(parts, seps, strict=False))
    try:
        result = parse_date(text, now=now)
    except DateError:
        return
    assert isinstance(result, datetime)


@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9000, 1, 1)))
@FAST
def test_named_dates_hold_for_any_now(now: datetime) -> None:
    today = now.date()
    eow = parse_date("eow", now=now)
    assert eow.weekday() == 6 and 0 <= (eow.date() - today).days <= 6
    assert eow.time().isoformat() == "23:59:59"
    sow = parse_date("sow", now=now)
    assert sow.weekday() == 0 and 1 <= (sow.date() - today).days <= 7
    eom = parse_date("eom", now=now)
    assert eom.month == now.month and (eom + timedelta(days=1)).day == 1
    som = parse_date("som", now=now)
    assert som.day == 1 and som.date() > today and (som.date() - today).days <= 31
    eoq = parse_date("eoq", now=now)
    assert eoq.month in (3, 6, 9, 12) and 0 <= (eoq.date() - today).days < 92
    for name, number in (("mon", 0), ("wed", 2), ("sun", 6)):
        day = parse_date(name, now=now)
        assert day.weekday() == number and 1 <= (day.date() - today).days <= 7
        assert day == parse_date(f"next {name}", now=now)


@given(st.datetimes(min_value=datetime(1000, 1, 1)))
@FAST
def test_isoformat_reads_back(when: datetime) -> None:
    assert parse_date(when.isoformat(), now=NOW) == when
    assert parse_date(when.date().isoformat(), now=NOW) == datetime.combine(
        when.date(), datetime.min.time()
    )


@given(st.integers(-2000, 2000))
@FAST
def test_relative_days_are_midnight_offsets(n: int) -> None:
    expected = datetime.combine(NOW.date() + timedelta(days=n), datetime.min.time())
    assert parse_date(f"{n}d", now=NOW) == expected
    assert parse_date(f"{n}w", now=NOW) == expected + timedelta(days=6 * n)
    if n > 0:
        assert parse_date(f"in {n} days", now=NOW) == expected
        assert parse_date(f"{n} days ago", now=NOW) == parse_date(f"-{n}d", now=NOW)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
@FAST
def test_date_without_time_is_midnight(now: datetime) -> None:
    for text in ("today", "fri", "3d", "2w", "1m", "5b", "dec 24", "som", "next week"):
        assert parse_date(text, now=now).time().isoformat() == "00:00:00", text


# ------------------------------------------------------------------------ parse_clock


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17:00", (17, 0)),
        ("9", (9, 0)),
        ("09:05", (9, 5)),
        ("5pm", (17, 0)),
        ("5 pm", (17, 0)),
        ("12am", (0, 0)),
        ("12pm", (12, 0)),
        ("11:59pm", (23, 59)),
        ("noon", (12, 0)),
        ("midnight", (0, 0)),
        ("24", None),
        ("13pm", None),
        ("0am", None),
        ("9:5", None),
        ("blah", None),
        ("", None),
    ],
)
def test_parse_clock(text: str, expected: tuple[int, int] | None) -> None:
    clock = parse_clock(text)
    assert (None if clock is None else (clock.hour, clock.minute)) == expected


# ------------------------------------------------------------------- business days


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 11, 25), 0, date(2026, 11, 25)),
        (date(2026, 11, 25), 1, date(2026, 11, 26)),
        (date(2026, 11, 25), 2, date(2026, 11, 27)),
        (date(2026, 11, 25), 3, date(2026, 11, 30)),
        (date(2026, 11, 25), 5, date(2026, 12, 2)),
        (date(2026, 11, 25), 10, date(2026, 12, 9)),
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday → Monday
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Saturday → Monday
        (date(2026, 11, 29), 1, date(2026, 11, 30)),  # Sunday → Monday
        (date(2026, 11, 28), 5, date(2026, 12, 4)),  # Saturday + 5 → Friday, not Saturday
        (date(2026, 11, 29), 10, date(2026, 12, 11)),
        (date(2026, 11, 28), 0, date(2026, 11, 28)),
        (date(2026, 11, 30), -1, date(2026, 11, 27)),  # Monday → Friday
        (date(2026, 11, 29), -1, date(2026, 11, 27)),  # Sunday → Friday
        (date(2026, 11, 28), -5, date(2026, 11, 23)),
        (date(2026, 11, 25), -10, date(2026, 11, 11)),
    ],
)
def test_add_business_days(start: date, n: int, expected: date) -> None:
    assert add_business_days(start, n) == expected


def _step_by_step(d: date, n: int) -> date:
    step = 1 if n > 0 else -1
    for _ in range(abs(n)):
        d += timedelta(days=step)
        while d.weekday() >= 5:
            d += timedelta(days=step)
    return d


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)), st.integers(-60, 60))
@FAST
def test_add_business_days_matches_counting_one_by_one(start: date, n: int) -> None:
    assert add_business_days(start, n) == _step_by_step(start, n)


# ------------------------------------------------------------------------ durations


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("30m", 30),
        ("30min", 30),
        ("30 mins", 30),
        ("1 minute", 1),
        ("2h", 120),
        ("2 hours", 120),
        ("1.5h", 90),
        (".5h", 30),
        ("2hr", 120),
        ("1d", 480),
        ("1.5d", 720),
        ("2 days", 960),
        ("1w", 2400),
        ("1 week", 2400),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1d2h", 600),
        ("90", 90),  # a bare number is minutes
        ("0", 0),
        ("0m", 0),
        (" 45M ", 45),
        ("0.1m", 0),  # rounded to whole minutes
        ("1.m", 1),
    ],
)
def test_parse_duration(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", '"" is not a duration (try 30m, 2h, 1.5d)'),
        ("abc", '"abc" is not a duration (try 30m, 2h, 1.5d)'),
        ("-30m", '"-30m" is not a duration (try 30m, 2h, 1.5d)'),
        ("30x", '"30x" is not a duration (try 30m, 2h, 1.5d)'),
        ("1h30", '"1h30" is not a duration (try 30m, 2h, 1.5d)'),
        ("h", '"h" is not a duration (try 30m, 2h, 1.5d)'),
        ("1..5h", '"1..5h" is not a duration (try 30m, 2h, 1.5d)'),
        ("1.5", '"1.5" is not a duration (try 30m, 2h, 1.5d)'),  # bare: whole minutes only
        ("99999w", '"99999w" is too long for an estimate'),
        ("9" * 400 + "h", f'"{"9" * 400}h" is too long for an estimate'),
    ],
)
def test_parse_duration_errors(text: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_duration(text)
    assert str(caught.value) == message


@given(st.text(max_size=20))
@FAST
def test_parse_duration_raises_only_date_error(text: str) -> None:
    with contextlib.suppress(DateError):
        assert parse_duration(text) >= 0


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("5d", 5.0),
        ("5", 5.0),
        ("3", 3.0),
        ("0", 0.0),
        ("0d", 0.0),
        ("2w", 10.0),
        ("1 week", 5.0),
        ("1.5d", 1.5),
        ("4h", 0.5),
        ("2 days", 2.0),
        (" 3D ", 3.0),
    ],
)
def test_parse_workdays(text: str, days: float) -> None:
    assert parse_workdays(text) == days


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-3d", '"-3d" is negative; a duration is 0 or more working days'),
        ("-1", '"-1" is negative; a duration is 0 or more working days'),
        ("", '"" is not a number of working days (try 5d, 2w, 3)'),
        ("abc", '"abc" is not a number of working days (try 5d, 2w, 3)'),
        ("3m", '"3m" is not a number of working days (try 5d, 2w, 3)'),
        ("1d2h", '"1d2h" is not a number of working days (try 5d, 2w, 3)'),
        ("99999w", '"99999w" is too long for a duration'),
    ],
)
def test_parse_workdays_errors(text: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_workdays(text)
    assert str(caught.value) == message


@given(st.text(max_size=20))
@FAST
def test_parse_workdays_raises_only_date_error(text: str) -> None:
    with contextlib.suppress(DateError):
        assert parse_workdays(text) >= 0


# ----------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("when", "text"),
    [
        (None, ""),
        (d(11, 25), "today"),
        (d(11, 25, 17), "today 17:00"),
        (d(11, 25, 23, 59, 59), "today"),  # end of day is "that day", not a time
        (d(11, 26), "tomorrow"),
        (d(11, 26, 9, 5), "tomorrow 09:05"),
        (d(11, 24), "yesterday"),
        (d(11, 27), "Fri"),
        (d(11, 27, 17), "Fri 17:00"),
        (d(11, 29, 23, 59, 59), "Sun"),
        (d(12, 1), "Tue"),  # six days ahead: still a weekday name
        (d(12, 2), "Dec 2"),  # seven: a weekday name would be ambiguous
        (d(12, 24), "Dec 24"),
        (d(11, 20), "Nov 20"),
        (d(1, 1), "Jan 1"),
        (d(12, 31, 8, 0), "Dec 31 08:00"),
        (datetime(2027, 1, 5), "2027-01-05"),
        (datetime(2025, 12, 24, 17, 30), "2025-12-24 17:30"),
    ],
)
def test_format_date(when: datetime | None, text: str) -> None:
    assert format_date(when, now=NOW) == text


def test_format_date_is_not_locale_dependent() -> None:
    assert format_date(d(11, 30), now=NOW) == "Mon"
    assert format_date(d(3, 3), now=NOW) == "Mar 3"


@pytest.mark.parametrize(
    ("when", "text"),
    [
        (NOW, "now"),
        (NOW + timedelta(seconds=30), "now"),
        (d(11, 25, 10, 45), "in 15m"),
        (d(11, 25, 10, 15), "15m ago"),
        (d(11, 25, 15, 30), "in 5h"),
        (d(11, 25, 23, 59, 59), "in 13h"),
        (d(11, 25, 8, 0), "2h ago"),
        (d(11, 26), "in 1d"),  # a calendar day away, whatever the hour
        (d(11, 28), "in 3d"),
        (d(11, 22), "3d ago"),
        (d(12, 8), "in 13d"),
        (d(12, 9), "in 2w"),
        (datetime(2027, 1, 23), "in 8w"),  # 59 days
        (datetime(2027, 1, 24), "in 2mo"),  # 60 days
        (datetime(2027, 1, 25), "in 2mo"),
        (datetime(2027, 11, 25), "in 1y"),
        (datetime(2024, 11, 25), "2y ago"),
    ],
)
def test_format_relative(when: datetime, text: str) -> None:
    assert format_relative(when, now=NOW) == text


def test_format_relative_overdue_wording() -> None:
    assert format_relative(d(11, 22), now=NOW, past="overdue") == "3d overdue"
    assert format_relative(d(11, 28), now=NOW, past="overdue") == "in 3d"


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)))
@FAST
def test_formats_never_fail_and_stay_short(when: datetime) -> None:
    assert 0 < len(format_date(when, now=NOW)) <= 16
    assert 0 < len(format_relative(when, now=NOW)) <= 12
