"""RULE parsing, canonical RRULE bodies, expansion (bounded), and descriptions."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from taskdesk.domain.model import Recurrence, RecurrenceAnchor
from taskdesk.domain.recurrence import (
    RecurrenceError,
    describe,
    missed_occurrences,
    next_occurrence,
    occurrences,
    parse_after,
    parse_every,
    parse_rule,
)

TODAY = date(2026, 11, 25)  # a Wednesday
FAST = settings(max_examples=200, deadline=None)
SCHEDULE = RecurrenceAnchor.SCHEDULE
COMPLETION = RecurrenceAnchor.COMPLETION


def rule(text: str) -> str:
    return parse_rule(text, today=TODAY)


def every(text: str) -> Recurrence:
    return parse_every(text, today=TODAY)


def after(text: str) -> Recurrence:
    return parse_after(text, today=TODAY)


def days(*pairs: tuple[int, int], year: int = 2026) -> list[date]:
    return [date(year, month, day) for month, day in pairs]


# ---------------------------------------------------------------------- parse_rule


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("daily", "FREQ=DAILY"),
        ("Daily", "FREQ=DAILY"),
        ("every day", "FREQ=DAILY"),
        ("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("every weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("weekends", "FREQ=WEEKLY;BYDAY=SA,SU"),
        ("weekly", "FREQ=WEEKLY"),
        ("biweekly", "FREQ=WEEKLY;INTERVAL=2"),
        ("fortnightly", "FREQ=WEEKLY;INTERVAL=2"),
        ("monthly", "FREQ=MONTHLY"),
        ("quarterly", "FREQ=MONTHLY;INTERVAL=3"),
        ("yearly", "FREQ=YEARLY"),
        ("annually", "FREQ=YEARLY"),
        ("1d", "FREQ=DAILY"),
        ("3d", "FREQ=DAILY;INTERVAL=3"),
        ("2w", "FREQ=WEEKLY;INTERVAL=2"),
        ("1m", "FREQ=MONTHLY"),
        ("6m", "FREQ=MONTHLY;INTERVAL=6"),
        ("2y", "FREQ=YEARLY;INTERVAL=2"),
        ("10 days", "FREQ=DAILY;INTERVAL=10"),
        ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("every-2-weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("2-weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("1000d", "FREQ=DAILY;INTERVAL=1000"),
        ("mon", "FREQ=WEEKLY;BYDAY=MO"),
        ("mon,wed,fri", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("fri,mon,wed", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),  # ordered Monday first
        ("mon,mon,tue", "FREQ=WEEKLY;BYDAY=MO,TU"),
        ("Monday, Wednesday", "FREQ=WEEKLY;BYDAY=MO,WE"),
        ("tues,thurs", "FREQ=WEEKLY;BYDAY=TU,TH"),
        ("sat,sun", "FREQ=WEEKLY;BYDAY=SA,SU"),
        ("RRULE:FREQ=WEEKLY;BYDAY=MO", "FREQ=WEEKLY;BYDAY=MO"),
        ("FREQ=WEEKLY;BYDAY=MO", "FREQ=WEEKLY;BYDAY=MO"),
        ("rrule:freq=weekly;byday=mo", "FREQ=WEEKLY;BYDAY=MO"),
        ("FREQ=DAILY;INTERVAL=1", "FREQ=DAILY"),
        ("FREQ=DAILY;INTERVAL=01", "FREQ=DAILY"),
        ("BYDAY=MO;FREQ=WEEKLY;INTERVAL=2", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
        ("FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=MONTHLY;BYMONTHDAY=31"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("FREQ=MONTHLY;BYDAY=+2TU", "FREQ=MONTHLY;BYDAY=2TU"),
        (
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        ),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
        ("FREQ=YEARLY;BYDAY=20MO", "FREQ=YEARLY;BYDAY=20MO"),
        ("FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO", "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO"),
        ("FREQ=YEARLY;BYYEARDAY=100", "FREQ=YEARLY;BYYEARDAY=100"),
        ("FREQ=WEEKLY;WKST=SU;BYDAY=SU", "FREQ=WEEKLY;BYDAY=SU;WKST=SU"),
        ("FREQ=DAILY;COUNT=5", "FREQ=DAILY;COUNT=5"),
        ("FREQ=DAILY;UNTIL=20261231", "FREQ=DAILY;UNTIL=20261231"),
        ("FREQ=DAILY;UNTIL=20261231T120000Z", "FREQ=DAILY;UNTIL=20261231T120000"),
        ("  RRULE: FREQ = DAILY ; ", "FREQ=DAILY"),
    ],
)
def test_parse_rule(text: str, body: str) -> None:
    assert rule(text) == body


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "a rule is missing"),
        ("   ", "a rule is missing"),
        ("blah", '"blah" is not a rule (try daily, weekdays'),
        ("every", '"every" is not a rule'),
        ("3", '"3" is not a rule'),
        ("3x", '"3x" is not a rule'),
        ("mon,blah", '"mon,blah" is not a rule'),
        ("mon-fri", '"mon-fri" is not a rule'),
        ("0d", '"0d" needs an interval from 1 to 1000, not 0'),
        ("1001d", '"1001d" needs an interval from 1 to 1000, not 1001'),
        ("RRULE:", '"RRULE:" is not a rule'),
        ("INTERVAL=2", '"INTERVAL=2" has no FREQ'),
        ("FREQ=HOURLY", "FREQ=HOURLY is not supported (use DAILY, WEEKLY, MONTHLY, YEARLY)"),
        ("FREQ=SECONDLY", "FREQ=SECONDLY is not supported"),
        ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY is not supported"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL=0 is out of range (1 to 1000)"),
        ("FREQ=DAILY;INTERVAL=-1", "INTERVAL=-1 is out of range (1 to 1000)"),
        ("FREQ=DAILY;INTERVAL=99999999", "INTERVAL=99999999 is out of range (1 to 1000)"),
        ("FREQ=DAILY;INTERVAL=x", "INTERVAL=X is not a whole number"),
        ("FREQ=DAILY;COUNT=0", "COUNT=0 is out of range"),
        ("FREQ=DAILY;COUNT=2;UNTIL=20270101", "has both COUNT and UNTIL; keep one"),
        ("FREQ=DAILY;FREQ=WEEKLY", "FREQ appears twice in the rule"),
        ("FREQ=DAILY;BYHOUR=9", "BYHOUR is not supported (taskdesk recurs by the day"),
        ("FREQ=DAILY;BYMINUTE=9", "BYMINUTE is not supported"),
        ("FREQ=YEARLY;BYEASTER=0", "BYEASTER is not supported"),
        ("FREQ=DAILY;DTSTART=20260101", "DTSTART is not supported"),
        ("FREQ=DAILY;BYMONTH", '"BYMONTH" is not a KEY=VALUE part'),
        ("FREQ=DAILY;;BYMONTH=1", '"" is not a KEY=VALUE part'),
        ("FREQ=DAILY;BYMONTH=", '"BYMONTH=" is not a KEY=VALUE part'),
        ("FREQ=DAILY;BYMONTH=13", "BYMONTH=13 is out of range (1 to 12)"),
        ("FREQ=DAILY;BYMONTH=0", "BYMONTH=0 is out of range (1 to 12)"),
        ("FREQ=DAILY;BYMONTH=1,,2", "BYMONTH= is not a whole number"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY=0 is out of range (-31 to 31)"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY=32 is out of range (-31 to 31)"),
        ("FREQ=YEARLY;BYYEARDAY=367", "BYYEARDAY=367 is out of range (-366 to 366)"),
        ("FREQ=YEARLY;BYWEEKNO=54", "BYWEEKNO=54 is out of range (-53 to 53)"),
        ("FREQ=DAILY;BYSETPOS=0", "BYSETPOS=0 is out of range (-366 to 366)"),
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY=XX is not a day"),
        ("FREQ=WEEKLY;BYDAY=", '"BYDAY=" is not a KEY=VALUE part'),
        ("FREQ=WEEKLY;BYDAY=1MO", "BYDAY=1MO: a numbered weekday needs FREQ=MONTHLY or YEARLY"),
        ("FREQ=MONTHLY;BYDAY=6MO", "BYDAY=6MO is out of range (-5 to 5, not 0)"),
        ("FREQ=MONTHLY;BYDAY=+53MO", "BYDAY=+53MO is out of range (-5 to 5, not 0)"),
        ("FREQ=YEARLY;BYMONTH=2;BYDAY=53MO", "BYDAY=53MO is out of range (-5 to 5, not 0)"),
        ("FREQ=YEARLY;BYDAY=54MO", "BYDAY=54MO is out of range (-53 to 53, not 0)"),
        ("FREQ=MONTHLY;BYDAY=0MO", "BYDAY=0MO is out of range"),
        ("FREQ=WEEKLY;WKST=XX", "WKST=XX is not a day"),
        ("FREQ=DAILY;UNTIL=2026", "UNTIL=2026 is not a date"),
        ("FREQ=DAILY;UNTIL=20261301", "UNTIL=20261301 is not a date (month must be in 1..12)"),
        ("FREQ=DAILY;UNTIL=20200101", "never occurs (no date in the next 10 years)"),
        (
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            'the rule "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30" never occurs '
            "(no date in the next 10 years)",
        ),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "never occurs"),
        ("FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31", "never occurs"),
        ("FREQ=MONTHLY;BYMONTHDAY=-31;BYMONTH=2", "never occurs"),
        ("FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6", "never occurs"),
        ("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", "never occurs"),  # 2026, 2030...
    ],
)
def test_parse_rule_errors(text: str, message: str) -> None:
    with pytest.raises(RecurrenceError) as caught:
        rule(text)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=31",
        "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    ],
)
def test_a_rule_that_never_occurs_is_refused_quickly(text: str) -> None:
    started = time.perf_counter()
    with pytest.raises(RecurrenceError, match="never occurs"):
        rule(text)
    assert time.perf_counter() - started < 1.5  # dateutil alone walks to year 9999


def test_never_occurs_is_judged_from_today() -> None:
    assert rule("FREQ=DAILY;UNTIL=20261231") == "FREQ=DAILY;UNTIL=20261231"
    with pytest.raises(RecurrenceError, match="never occurs"):
        parse_rule("FREQ=DAILY;UNTIL=20261231", today=date(2027, 1, 1))


def test_parse_every_and_after_anchors() -> None:
    assert every("weekly") == Recurrence("FREQ=WEEKLY", SCHEDULE)
    assert after("3d") == Recurrence("FREQ=DAILY;INTERVAL=3", COMPLETION)
    assert after("2w") == Recurrence("FREQ=WEEKLY;INTERVAL=2", COMPLETION)
    assert after("1m") == Recurrence("FREQ=MONTHLY", COMPLETION)
    assert after("weekly") == Recurrence("FREQ=WEEKLY", COMPLETION)
    assert after("weekdays") == Recurrence("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", COMPLETION)


def test_after_refuses_count() -> None:
    with pytest.raises(RecurrenceError, match="has COUNT, which after: can't use"):
        after("FREQ=DAILY;COUNT=3")


def test_recurrence_error_is_a_value_error() -> None:
    assert issubclass(RecurrenceError, ValueError)


@given(st.text(max_size=40))
@FAST
def test_parse_rule_raises_only_recurrence_error(text: str) -> None:
    try:
        body = rule(text)
    except RecurrenceError:
        return
    assert body.startswith("FREQ=")


_PART_VALUES = {
    "FREQ": ["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "X", ""],
    "INTERVAL": ["0", "1", "2", "3", "7", "1000", "1001", "-1", "x"],
    "COUNT": ["0", "1", "3", "100000", "-2"],
    "UNTIL": ["20200101", "20261231", "20301231T235959Z", "2026", "20260230"],
    "BYMONTH": ["1", "2", "6", "12", "13", "0", "2,4", "-1"],
    "BYMONTHDAY": ["1", "15", "29", "30", "31", "-1", "-31", "0", "32"],
    "BYDAY": ["MO", "MO,WE,FR", "1MO", "-1FR", "5SU", "6SU", "53MO", "-53SU", "0MO", "XX"],
    "BYYEARDAY": ["1", "60", "366", "-1", "0", "400"],
    "BYWEEKNO": ["1", "20", "53", "-1", "0", "54"],
    "BYSETPOS": ["1", "-1", "2", "0", "367"],
    "WKST": ["MO", "SU", "XX"],
    "BYHOUR": ["9"],
}


@st.composite
def rfc_rules(draw: st.DrawFn) -> str:
    """RRULEs put together from valid and invalid parts, in any order."""
    keys = draw(st.lists(st.sampled_from(sorted(_PART_VALUES)), max_size=5, unique=True))
    if draw(st.booleans()):
        keys = ["FREQ", *[key for key in keys if key != "FREQ"]]
    parts = [f"{key}={draw(st.sampled_from(_PART_VALUES[key]))}" for key in keys]
    prefix = draw(st.sampled_from(["", "RRULE:", "rrule:"]))
    return prefix + ";".join(parts)


@given(rfc_rules())
@FAST
def test_rfc_rules_either_parse_or_raise_and_always_expand(text: str) -> None:
    try:
        body = rule(text)
    except RecurrenceError:
        return
    assert rule(body) == body  # canonical: parsing again changes nothing
    rec = Recurrence(body)
    nxt = next_occurrence(rec, dtstart=TODAY, after=TODAY)
    assert nxt is None or nxt > TODAY
    dates = occurrences(rec, dtstart=TODAY, start=TODAY, end=TODAY + timedelta(days=800))
    assert dates == sorted(set(dates))
    assert all(TODAY <= day <= TODAY + timedelta(days=800) for day in dates)


# ---------------------------------------------------------------- next_occurrence


def test_weekly_follows_the_start_weekday() -> None:
    rec = every("weekly")
    start = date(2026, 11, 25)
    assert next_occurrence(rec, dtstart=start, after=start) == date(2026, 12, 2)
    assert next_occurrence(rec, dtstart=start, after=date(2026, 11, 27)) == date(2026, 12, 2)
    assert next_occurrence(rec, dtstart=start, after=date(2026, 12, 2)) == date(2026, 12, 9)
    assert next_occurrence(rec, dtstart=start, after=date(2026, 11, 1)) == start


def test_monthly_on_the_31st_skips_short_months() -> None:
    rec = every("FREQ=MONTHLY;BYMONTHDAY=31")
    start = date(2026, 1, 31)
    assert next_occurrence(rec, dtstart=start, after=start) == date(2026, 3, 31)
    assert occurrences(rec, dtstart=start, start=date(2026, 1, 1), end=date(2026, 12, 31)) == (
        days((1, 31), (3, 31), (5, 31), (7, 31), (8, 31), (10, 31), (12, 31))
    )


def test_monthly_last_day_uses_negative_monthday() -> None:
    rec = every("FREQ=MONTHLY;BYMONTHDAY=-1")
    got = occurrences(rec, dtstart=date(2028, 1, 1), start=date(2028, 1, 1), end=date(2028, 4, 30))
    assert got == days((1, 31), (2, 29), (3, 31), (4, 30), year=2028)


def test_weekdays_skip_the_weekend() -> None:
    rec = every("weekdays")
    friday = date(2026, 11, 27)
    assert next_occurrence(rec, dtstart=date(2026, 11, 23), after=friday) == date(2026, 11, 30)
    assert occurrences(
        rec, dtstart=date(2026, 11, 23), start=date(2026, 11, 25), end=date(2026, 12, 2)
    ) == days((11, 25), (11, 26), (11, 27), (11, 30), (12, 1), (12, 2))


def test_weekday_list_and_biweekly() -> None:
    mwf = every("mon,wed,fri")
    got = occurrences(mwf, dtstart=TODAY, start=TODAY, end=date(2026, 12, 7))
    assert got == days((11, 25), (11, 27), (11, 30), (12, 2), (12, 4), (12, 7))
    fortnight = every("biweekly")
    got = occurrences(fortnight, dtstart=TODAY, start=TODAY, end=date(2027, 1, 6))
    assert got == [*days((11, 25), (12, 9), (12, 23)), date(2027, 1, 6)]


def test_last_friday_of_the_month() -> None:
    rec = every("FREQ=MONTHLY;BYDAY=-1FR")
    got = occurrences(rec, dtstart=TODAY, start=TODAY, end=date(2027, 2, 28))
    assert got == [date(2026, 11, 27), date(2026, 12, 25), date(2027, 1, 29), date(2027, 2, 26)]


def test_yearly_on_feb_29_waits_for_leap_years() -> None:
    rec = every("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")
    assert next_occurrence(rec, dtstart=TODAY, after=TODAY) == date(2028, 2, 29)
    assert next_occurrence(rec, dtstart=TODAY, after=date(2028, 2, 29)) == date(2032, 2, 29)


def test_count_ends_the_series() -> None:
    rec = every("FREQ=DAILY;COUNT=3")
    start = date(2026, 11, 25)
    assert next_occurrence(rec, dtstart=start, after=start) == date(2026, 11, 26)
    assert next_occurrence(rec, dtstart=start, after=date(2026, 11, 26)) == date(2026, 11, 27)
    assert next_occurrence(rec, dtstart=start, after=date(2026, 11, 27)) is None
    assert occurrences(rec, dtstart=start, start=start, end=date(2027, 1, 1)) == days(
        (11, 25), (11, 26), (11, 27)
    )


def test_until_ends_the_series_inclusively() -> None:
    rec = every("FREQ=WEEKLY;UNTIL=20261209")
    start = date(2026, 11, 25)
    assert next_occurrence(rec, dtstart=start, after=date(2026, 12, 2)) == date(2026, 12, 9)
    assert next_occurrence(rec, dtstart=start, after=date(2026, 12, 9)) is None
    assert occurrences(rec, dtstart=start, start=start, end=date(2027, 1, 1)) == days(
        (11, 25), (12, 2), (12, 9)
    )


def test_until_far_in_the_future_still_expands() -> None:
    rec = Recurrence("FREQ=YEARLY;UNTIL=99991231")
    assert next_occurrence(rec, dtstart=TODAY, after=TODAY) == date(2027, 11, 25)
    assert next_occurrence(rec, dtstart=date(9998, 1, 1), after=date(9998, 1, 1)) == date(
        9999, 1, 1
    )
    assert next_occurrence(rec, dtstart=date(9999, 1, 1), after=date(9999, 1, 1)) is None


def test_completion_anchor_counts_from_the_completion_day() -> None:
    rec = after("3d")
    done = datetime(2026, 11, 30, 16, 45)
    assert next_occurrence(rec, dtstart=TODAY, after=TODAY, completed=done) == date(2026, 12, 3)
    assert next_occurrence(rec, dtstart=TODAY, after=TODAY) == date(2026, 11, 28)
    assert next_occurrence(after("2w"), dtstart=TODAY, after=TODAY) == date(2026, 12, 9)
    assert next_occurrence(after("1y"), dtstart=TODAY, after=TODAY) == date(2027, 11, 25)


def test_completion_monthly_clamps_to_the_month_end() -> None:
    rec = after("1m")
    jan31 = datetime(2026, 1, 31, 9)
    assert next_occurrence(rec, dtstart=TODAY, after=TODAY, completed=jan31) == date(2026, 2, 28)


def test_completion_with_weekdays_takes_the_next_working_day() -> None:
    rec = after("weekdays")
    friday = datetime(2026, 11, 27, 17)
    assert next_occurrence(rec, dtstart=TODAY, after=TODAY, completed=friday) == date(2026, 11, 30)
    wednesday = datetime(2026, 11, 25, 9)
    assert next_occurrence(rec, dtstart=TODAY, after=TODAY, completed=wednesday) == date(
        2026, 11, 26
    )


def test_completion_with_until() -> None:
    rec = after("FREQ=DAILY;INTERVAL=3;UNTIL=20261201")
    assert next_occurrence(rec, dtstart=TODAY, after=TODAY) == date(2026, 11, 28)
    assert next_occurrence(rec, dtstart=TODAY, after=date(2026, 11, 29)) is None
    assert next_occurrence(rec, dtstart=TODAY, after=date(2026, 11, 28)) == date(2026, 12, 1)


def test_completion_ignores_a_stored_count() -> None:
    rec = Recurrence("FREQ=DAILY;COUNT=1", COMPLETION)
    assert next_occurrence(rec, dtstart=TODAY, after=TODAY) == date(2026, 11, 26)


def test_completion_near_the_end_of_time_is_none() -> None:
    assert next_occurrence(after("1y"), dtstart=TODAY, after=date(9999, 6, 1)) is None


# ---------------------------------------------------------------------- occurrences


def test_occurrences_are_bounded_by_limit_and_window() -> None:
    rec = every("daily")
    got = occurrences(rec, dtstart=TODAY, start=TODAY, end=date(2030, 1, 1), limit=5)
    assert got == days((11, 25), (11, 26), (11, 27), (11, 28), (11, 29))
    assert occurrences(rec, dtstart=TODAY, start=TODAY, end=date(2030, 1, 1), limit=0) == []
    assert occurrences(rec, dtstart=TODAY, start=date(2026, 12, 1), end=date(2026, 11, 30)) == []
    assert occurrences(rec, dtstart=date(2027, 1, 1), start=TODAY, end=date(2026, 12, 31)) == []
    got = occurrences(rec, dtstart=date(2026, 1, 1), start=TODAY, end=date(2026, 11, 26))
    assert got == days((11, 25), (11, 26))


def test_default_limit_is_a_thousand() -> None:
    got = occurrences(every("daily"), dtstart=TODAY, start=TODAY, end=date(2040, 1, 1))
    assert len(got) == 1000
    assert got[-1] == TODAY + timedelta(days=999)


def test_completion_projection_assumes_done_on_the_due_date() -> None:
    rec = after("1w")
    got = occurrences(rec, dtstart=TODAY, start=date(2026, 12, 1), end=date(2026, 12, 31))
    assert got == days((12, 2), (12, 9), (12, 16), (12, 23), (12, 30))
    assert len(occurrences(rec, dtstart=TODAY, start=TODAY, end=date(2099, 1, 1), limit=7)) == 7


@given(
    st.sampled_from(
        [
            "daily",
            "weekdays",
            "3d",
            "biweekly",
            "monthly",
            "quarterly",
            "yearly",
            "mon,thu",
            "FREQ=MONTHLY;BYMONTHDAY=31",
            "FREQ=MONTHLY;BYDAY=-1FR",
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
            "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,SA;WKST=SU",
            "FREQ=DAILY;COUNT=40",
            "FREQ=WEEKLY;UNTIL=20300101",
        ]
    ),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 1, 1)),
    st.integers(0, 3000),
    st.integers(0, 1500),
)
@FAST
def test_bounded_expansion_equals_plain_dateutil(
    text: str, dtstart: date, skip: int, span: int
) -> None:
    body = rule(text) if "UNTIL" in text else parse_rule(text, today=dtstart)
    start = dtstart + timedelta(days=skip)
    end = start + timedelta(days=span)
    plain = rrulestr(body, dtstart=datetime.combine(dtstart, datetime.min.time()))
    expected = [
        dt.date()
        for dt in plain.between(
            datetime.combine(start, datetime.min.time()),
            datetime.combine(end, datetime.max.time()),
            inc=True,
        )
    ]
    rec = Recurrence(body)
    assert occurrences(rec, dtstart=dtstart, start=start, end=end, limit=10_000) == expected
    following = plain.after(datetime.combine(start, datetime.max.time()))
    assert next_occurrence(rec, dtstart=dtstart, after=start) == (
        following.date() if following else None
    )


@pytest.mark.parametrize(
    "body", ["FREQ=DAILY;INTERVAL=2", "FREQ=YEARLY;INTERVAL=3", "FREQ=WEEKLY;INTERVAL=5;BYDAY=TU"]
)
def test_a_start_centuries_ago_keeps_the_interval_phase(body: str) -> None:
    dtstart = date(1500, 3, 1)
    plain = rrulestr(body, dtstart=datetime(1500, 3, 1))
    window = (datetime(2026, 1, 1), datetime(2040, 12, 31))
    expected = [dt.date() for dt in plain.between(*window, inc=True)]
    got = occurrences(
        Recurrence(body),
        dtstart=dtstart,
        start=date(2026, 1, 1),
        end=date(2040, 12, 31),
        limit=10_000,
    )
    assert got == expected
    following = plain.after(datetime(2026, 1, 1, 23, 59))
    assert following is not None
    assert (
        next_occurrence(Recurrence(body), dtstart=dtstart, after=date(2026, 1, 1))
        == following.date()
    )


def test_count_is_counted_from_the_real_start() -> None:
    rec = Recurrence("FREQ=YEARLY;COUNT=1000")  # 1500 .. 2499
    dtstart = date(1500, 1, 1)
    assert next_occurrence(rec, dtstart=dtstart, after=date(2026, 6, 1)) == date(2027, 1, 1)
    assert next_occurrence(rec, dtstart=dtstart, after=date(2498, 6, 1)) == date(2499, 1, 1)
    assert next_occurrence(rec, dtstart=dtstart, after=date(2499, 1, 1)) is None


# -------------------------------------------------------------------- missed


def test_missed_occurrences_in_the_gap() -> None:
    rec = every("daily")
    got = missed_occurrences(rec, dtstart=date(2026, 1, 1), after=date(2026, 11, 21), today=TODAY)
    assert got == days((11, 22), (11, 23), (11, 24), (11, 25))
    assert missed_occurrences(rec, dtstart=TODAY, after=TODAY, today=TODAY) == []
    weekly = every("weekly")
    got = missed_occurrences(
        weekly, dtstart=date(2026, 11, 4), after=date(2026, 11, 4), today=TODAY
    )
    assert got == days((11, 11), (11, 18), (11, 25))


def test_missed_keeps_the_latest_when_limited() -> None:
    rec = every("daily")
    got = missed_occurrences(
        rec, dtstart=date(2020, 1, 1), after=date(2020, 1, 1), today=TODAY, limit=3
    )
    assert got == days((11, 23), (11, 24), (11, 25))


def test_missed_over_a_long_gap_finds_them_all() -> None:
    daily = every("daily")
    gap_start = TODAY - timedelta(days=100)
    got = missed_occurrences(daily, dtstart=date(2020, 1, 1), after=gap_start, today=TODAY)
    assert got == [gap_start + timedelta(days=n) for n in range(1, 101)]
    monthly = every("FREQ=MONTHLY;BYMONTHDAY=31")
    got = missed_occurrences(
        monthly, dtstart=date(2020, 1, 31), after=date(2021, 1, 1), today=TODAY
    )
    assert len(got) == 7 * 5 + 6  # 7 months with a 31st a year in 2021-2025, 6 in 2026
    assert (got[0], got[-1]) == (date(2021, 1, 31), date(2026, 10, 31))


def test_a_completion_series_misses_nothing() -> None:
    rec = after("1d")
    assert (
        missed_occurrences(rec, dtstart=date(2026, 1, 1), after=date(2026, 1, 1), today=TODAY) == []
    )


# ------------------------------------------------------- rules that never occur


NEVER = [
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;BYYEARDAY=1;BYMONTH=3",
]


@pytest.mark.parametrize("body", NEVER)
def test_a_stored_rule_that_never_occurs_does_not_hang(body: str) -> None:
    rec = Recurrence(body)  # e.g. from an import: never went through parse_rule
    started = time.perf_counter()
    assert next_occurrence(rec, dtstart=TODAY, after=TODAY) is None
    assert next_occurrence(rec, dtstart=date(1900, 1, 1), after=TODAY) is None
    assert occurrences(rec, dtstart=TODAY, start=TODAY, end=date(2100, 1, 1)) == []
    assert (
        missed_occurrences(rec, dtstart=date(2000, 1, 1), after=date(2000, 1, 1), today=TODAY) == []
    )
    assert time.perf_counter() - started < 3  # dateutil alone: seconds per call


@pytest.mark.parametrize(
    "body", ["FREQ=DAILY;INTERVAL=0", "FREQ=HOURLY", "FREQ=DAILY;BYMONTHDAY=0", "nonsense"]
)
def test_a_stored_rule_that_is_invalid_raises_recurrence_error(body: str) -> None:
    rec = Recurrence(body)
    with pytest.raises(RecurrenceError):
        next_occurrence(rec, dtstart=TODAY, after=TODAY)
    with pytest.raises(RecurrenceError):
        occurrences(rec, dtstart=TODAY, start=TODAY, end=date(2027, 1, 1))


# ----------------------------------------------------------------------- describe


@pytest.mark.parametrize(
    ("rec", "text"),
    [
        (Recurrence("FREQ=DAILY"), "daily"),
        (Recurrence("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"), "weekdays"),
        (Recurrence("FREQ=WEEKLY"), "weekly"),
        (Recurrence("FREQ=WEEKLY;INTERVAL=2"), "every 2 weeks"),
        (Recurrence("FREQ=WEEKLY;BYDAY=MO,WE,FR"), "mon, wed, fri"),
        (Recurrence("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"), "every 2 weeks on mon, thu"),
        (Recurrence("FREQ=MONTHLY"), "monthly"),
        (Recurrence("FREQ=MONTHLY;INTERVAL=3"), "quarterly"),
        (Recurrence("FREQ=MONTHLY;INTERVAL=6"), "every 6 months"),
        (Recurrence("FREQ=YEARLY"), "yearly"),
        (Recurrence("FREQ=DAILY;INTERVAL=3"), "every 3 days"),
        (Recurrence("FREQ=MONTHLY;BYMONTHDAY=15"), "monthly on day 15"),
        (Recurrence("FREQ=MONTHLY;BYMONTHDAY=1,15"), "monthly on day 1, 15"),
        (Recurrence("FREQ=MONTHLY;BYMONTHDAY=-1"), "monthly on day last"),
        (Recurrence("FREQ=MONTHLY;BYDAY=-1FR"), "monthly on last fri"),
        (Recurrence("FREQ=MONTHLY;BYDAY=1MO"), "monthly on 1st mon"),
        (Recurrence("FREQ=MONTHLY;BYDAY=2TU,-2TH"), "monthly on 2nd tue, 2nd last thu"),
        (Recurrence("FREQ=YEARLY;BYDAY=11MO"), "yearly on 11th mon"),
        (Recurrence("FREQ=YEARLY;BYDAY=23MO"), "yearly on 23rd mon"),
        (Recurrence("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"), "yearly in feb on day 29"),
        (Recurrence("FREQ=YEARLY;BYYEARDAY=100"), "yearly (BYYEARDAY=100)"),
        (Recurrence("FREQ=DAILY;COUNT=5"), "daily, 5 times"),
        (Recurrence("FREQ=WEEKLY;UNTIL=20261231T120000"), "weekly, until 2026-12-31"),
        (Recurrence("FREQ=DAILY;INTERVAL=3", COMPLETION), "3d after done"),
        (Recurrence("FREQ=DAILY", COMPLETION), "1d after done"),
        (Recurrence("FREQ=WEEKLY;INTERVAL=2", COMPLETION), "2w after done"),
        (Recurrence("FREQ=MONTHLY", COMPLETION), "1m after done"),
        (Recurrence("FREQ=YEARLY", COMPLETION), "1y after done"),
        (Recurrence("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", COMPLETION), "weekdays after done"),
        (Recurrence("freq=daily"), "daily"),  # stored un-normalised: still readable
        (Recurrence("FREQ=HOURLY"), "FREQ=HOURLY"),  # unusable: shown as stored
        (Recurrence("garbage"), "garbage"),
    ],
)
def test_describe(rec: Recurrence, text: str) -> None:
    assert describe(rec) == text


@given(
    st.sampled_from(["daily", "weekdays", "monthly", "yearly", "FREQ=MONTHLY;BYMONTHDAY=31"]),
    st.sampled_from([SCHEDULE, COMPLETION]),
    st.dates(),
    st.dates(),
    st.dates(),
)
@FAST
def test_expansion_never_fails_at_extreme_dates(
    text: str, anchor: RecurrenceAnchor, dtstart: date, after: date, end: date
) -> None:
    rec = Recurrence(rule(text), anchor)
    nxt = next_occurrence(rec, dtstart=dtstart, after=after)
    assert nxt is None or nxt > after
    got = occurrences(rec, dtstart=dtstart, start=after, end=end, limit=50)
    assert got == sorted(set(got)) and all(after <= day <= end for day in got)
    missed = missed_occurrences(rec, dtstart=dtstart, after=after, today=end, limit=50)
    assert all(after < day <= end for day in missed)
