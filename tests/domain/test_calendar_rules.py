"""The calendar's arithmetic projection of simple routines (every N days, weeks or
months; weekly on some weekdays) gives exactly the engine's dates (dateutil)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskdesk.domain.calendar import SeriesInfo, _simple_dates, _simple_rule, projected_dates
from taskdesk.domain.model import Recurrence, RecurrenceAnchor
from taskdesk.domain.recurrence import occurrences

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@st.composite
def simple_rules(draw: st.DrawFn) -> Recurrence:
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]))
    interval = draw(st.sampled_from([1, 1, 2, 3, 5, 12]))
    body = f"FREQ={freq}" + (f";INTERVAL={interval}" if interval != 1 else "")
    anchor = draw(st.sampled_from(list(RecurrenceAnchor)))
    if freq == "WEEKLY" and interval == 1 and anchor is RecurrenceAnchor.SCHEDULE:
        days = draw(st.lists(st.sampled_from(DAYS), unique=True, max_size=3))
        if days:
            body += ";BYDAY=" + ",".join(days)
    return Recurrence(body, anchor)


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


@given(simple_rules(), dates, dates, st.integers(0, 120))
def test_simple_rules_give_the_engines_dates(
    rec: Recurrence, dtstart: date, start: date, length: int
) -> None:
    rule = _simple_rule(rec)
    if rule is None:  # a completion-anchored month: the engine's own path
        assert rec.anchor is RecurrenceAnchor.COMPLETION and "MONTHLY" in rec.rrule
        return
    end = start + timedelta(days=length)
    assert _simple_dates(rule, dtstart, start, end) == occurrences(
        rec, dtstart=dtstart, start=start, end=end
    )


@pytest.mark.parametrize(
    ("body", "anchor", "simple"),
    [
        ("FREQ=DAILY", RecurrenceAnchor.SCHEDULE, True),
        ("RRULE:FREQ=WEEKLY;INTERVAL=2", RecurrenceAnchor.SCHEDULE, True),
        ("FREQ=WEEKLY;BYDAY=MO,FR", RecurrenceAnchor.SCHEDULE, True),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", RecurrenceAnchor.SCHEDULE, False),
        ("FREQ=WEEKLY;BYDAY=2MO", RecurrenceAnchor.SCHEDULE, False),
        ("FREQ=WEEKLY;BYDAY=MO,MO", RecurrenceAnchor.SCHEDULE, False),
        ("FREQ=MONTHLY;BYDAY=1MO", RecurrenceAnchor.SCHEDULE, False),
        ("FREQ=MONTHLY;BYMONTHDAY=15", RecurrenceAnchor.SCHEDULE, False),
        ("FREQ=MONTHLY", RecurrenceAnchor.COMPLETION, False),
        ("FREQ=DAILY", RecurrenceAnchor.COMPLETION, True),
        ("FREQ=DAILY;COUNT=3", RecurrenceAnchor.SCHEDULE, False),
        ("FREQ=DAILY;UNTIL=20270101", RecurrenceAnchor.SCHEDULE, False),
        ("FREQ=YEARLY", RecurrenceAnchor.SCHEDULE, False),
        ("FREQ=DAILY;INTERVAL=0", RecurrenceAnchor.SCHEDULE, False),
        ("FREQ=DAILY;INTERVAL=007", RecurrenceAnchor.SCHEDULE, False),
        ("FREQ=DAILY;INTERVAL=1001", RecurrenceAnchor.SCHEDULE, False),
        ("FREQ=HOURLY", RecurrenceAnchor.SCHEDULE, False),
        ("garbage", RecurrenceAnchor.SCHEDULE, False),
    ],
)
def test_which_rules_are_simple(body: str, anchor: RecurrenceAnchor, simple: bool) -> None:
    assert (_simple_rule(Recurrence(body, anchor)) is not None) is simple


def test_a_month_without_the_day_is_skipped_and_a_long_chain_ends() -> None:
    monthly = _simple_rule(Recurrence("FREQ=MONTHLY"))
    assert monthly is not None
    assert _simple_dates(monthly, date(2026, 1, 31), date(2026, 1, 1), date(2026, 5, 31)) == [
        date(2026, 1, 31),
        date(2026, 3, 31),
        date(2026, 5, 31),
    ]
    chain = Recurrence("FREQ=DAILY", RecurrenceAnchor.COMPLETION)
    rule = _simple_rule(chain)
    assert rule is not None
    far = (date(2000, 1, 1), date(2030, 1, 1), date(2030, 1, 5))  # > 10,000 steps away
    assert _simple_dates(rule, *far) == occurrences(chain, dtstart=far[0], start=far[1], end=far[2])
    assert _simple_dates(rule, *far) == []


def test_projection_skips_stored_dates_and_the_frontier() -> None:
    series = SeriesInfo(
        1,
        "Standup",
        Recurrence("FREQ=WEEKLY;BYDAY=MO,WE"),
        date(2026, 11, 2),
        frontier=date(2026, 11, 25),
        stored=frozenset({date(2026, 12, 2)}),
    )
    got = projected_dates(series, date(2026, 11, 23), date(2026, 12, 9), date(2026, 11, 20))
    assert got == [date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 9)]
