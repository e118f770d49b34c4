"""The calendar's period math, placement, projection and moves (pure, exact)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskdesk.domain.calendar import (
    AGENDA_DAYS,
    CalendarError,
    CalendarView,
    Entry,
    EntryKind,
    SeriesInfo,
    add_months,
    agenda_anchor,
    entry_of_item,
    fit,
    item_span,
    month_grid,
    move_item_dates,
    period,
    place,
    project_markers,
    projected_dates,
    shift_period,
    shift_rule,
)
from taskdesk.domain.model import (
    Container,
    ContainerKind,
    Item,
    Recurrence,
    RecurrenceAnchor,
    StatusCategory,
)

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


def _item(**fields: object) -> Item:
    base: dict[str, object] = {
        "id": 1,
        "uuid": "u",
        "title": "T",
        "status_id": 1,
        "status": "To do",
        "category": StatusCategory.UNSTARTED,
    }
    base.update(fields)
    return Item(**base)  # type: ignore[arg-type]


def _entry(key: str, first: date, last: date | None = None, **fields: object) -> Entry:
    return Entry(key=key, kind=EntryKind.ITEM, title=key, first=first, last=last or first, **fields)  # type: ignore[arg-type]


# ------------------------------------------------------------------ periods
@pytest.mark.parametrize(
    ("anchor", "first", "last", "weeks"),
    [
        (date(2026, 11, 26), date(2026, 10, 26), date(2026, 12, 6), 6),
        (date(2026, 2, 1), date(2026, 1, 26), date(2026, 3, 1), 5),
        (date(2021, 2, 14), date(2021, 2, 1), date(2021, 2, 28), 4),  # Feb 2021: 4 weeks
        (date(2026, 12, 31), date(2026, 11, 30), date(2027, 1, 3), 5),
    ],
)
def test_month_grid_exact(anchor: date, first: date, last: date, weeks: int) -> None:
    grid = month_grid(anchor)
    assert len(grid) == weeks
    assert grid[0][0] == first and grid[-1][-1] == last
    assert period(CalendarView.MONTH, anchor) == (first, last)


@given(days)
def test_month_grid_properties(anchor: date) -> None:
    grid = month_grid(anchor)
    flat = [d for week in grid for d in week]
    assert 4 <= len(grid) <= 6
    assert all(len(week) == 7 and week[0].weekday() == 0 for week in grid)
    assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(flat))
    in_month = [d for d in flat if d.month == anchor.month]
    assert in_month[0].day == 1 and (in_month[-1] + timedelta(days=1)).day == 1
    assert flat[0].month != anchor.month or flat[0].day == 1


@given(days)
def test_week_and_agenda_periods(anchor: date) -> None:
    first, last = period(CalendarView.WEEK, anchor)
    assert first.weekday() == 0 and (last - first).days == 6 and first <= anchor <= last
    first, last = period(CalendarView.AGENDA, anchor)
    assert first == anchor and (last - first).days == AGENDA_DAYS - 1


def test_views_cycle() -> None:
    assert CalendarView.MONTH.next() is CalendarView.WEEK
    assert CalendarView.WEEK.next() is CalendarView.AGENDA
    assert CalendarView.AGENDA.next() is CalendarView.MONTH


@pytest.mark.parametrize(
    ("view", "cursor", "step", "expected"),
    [
        (CalendarView.MONTH, date(2026, 1, 31), 1, date(2026, 2, 28)),
        (CalendarView.MONTH, date(2024, 3, 31), -1, date(2024, 2, 29)),
        (CalendarView.MONTH, date(2026, 12, 15), 1, date(2027, 1, 15)),
        (CalendarView.MONTH, date(2026, 1, 15), -1, date(2025, 12, 15)),
        (CalendarView.WEEK, date(2026, 11, 26), 1, date(2026, 12, 3)),
        (CalendarView.WEEK, date(2026, 11, 26), -1, date(2026, 11, 19)),
        (CalendarView.AGENDA, date(2026, 11, 26), 1, date(2026, 12, 10)),
    ],
)
def test_shift_period(view: CalendarView, cursor: date, step: int, expected: date) -> None:
    assert shift_period(view, cursor, step) == expected


@given(days, st.integers(-30, 30))
def test_add_months_round_trip_month_index(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day


def test_agenda_anchor_keeps_its_page_while_the_cursor_is_inside() -> None:
    start = date(2026, 11, 26)
    assert agenda_anchor(CalendarView.AGENDA, date(2026, 12, 3), start) == start
    assert agenda_anchor(CalendarView.AGENDA, date(2026, 12, 10), start) == date(2026, 12, 10)
    assert agenda_anchor(CalendarView.MONTH, date(2026, 12, 3), start) == date(2026, 12, 3)


# ------------------------------------------------------------------ entries
def test_item_span_and_entry() -> None:
    today = date(2026, 11, 26)
    assert item_span(_item()) is None
    assert entry_of_item(_item(), today) is None
    due = datetime(2026, 11, 20, 17)
    span = _item(start=datetime(2026, 11, 18, 9), due=due)
    assert item_span(span) == (date(2026, 11, 18), date(2026, 11, 20))
    entry = entry_of_item(span, today)
    assert entry is not None and entry.overdue and entry.spans and entry.marker() == "!"
    done = entry_of_item(_item(due=due, category=StatusCategory.COMPLETED), today)
    assert done is not None and not done.overdue and done.marker() == "✓"
    start_only = entry_of_item(_item(start=datetime(2026, 12, 1, 9)), today)
    assert start_only is not None and (start_only.first, start_only.last) == (
        date(2026, 12, 1),
        date(2026, 12, 1),
    )
    assert not start_only.overdue  # no due date: never overdue
    due_today = entry_of_item(_item(due=datetime(2026, 11, 26, 0)), today)
    assert due_today is not None and not due_today.overdue
    reversed_span = _item(start=datetime(2026, 11, 30), due=datetime(2026, 11, 28))
    assert item_span(reversed_span) == (date(2026, 11, 28), date(2026, 11, 30))
    milestone = entry_of_item(_item(due=datetime(2027, 1, 1), milestone=True, series_id=3), today)
    assert milestone is not None and milestone.marker() == "◆↻"


def test_project_markers() -> None:
    project = Container(
        7, "Launch", ContainerKind.PROJECT, start=date(2026, 11, 2), deadline=date(2026, 12, 29)
    )
    on_time = project_markers(project, date(2026, 12, 20))
    assert [(m.kind, m.first, m.title, m.marker()) for m in on_time] == [
        (EntryKind.PROJECT_START, date(2026, 11, 2), "Launch starts", "▶"),
        (EntryKind.PROJECT_FINISH, date(2026, 12, 20), "Launch finishes", "■"),
        (EntryKind.PROJECT_DEADLINE, date(2026, 12, 29), "Launch deadline", "⚑"),
    ]
    late = project_markers(project, date(2027, 1, 4))
    assert late[1].title == "Launch finishes LATE" and late[1].overdue
    assert not any(m.movable for m in late)
    assert project_markers(Container(8, "X", ContainerKind.PROJECT), None) == []


def test_place_spans_every_day_and_orders() -> None:
    d = [date(2026, 11, 23) + timedelta(days=n) for n in range(7)]
    span = _entry("span", date(2026, 11, 20), date(2026, 11, 25))
    due = _entry("due", d[1])
    late = _entry("late", d[1], overdue=True)
    done = _entry("done", d[1], done=True)
    high = _entry("high", d[1], priority_rank=3)
    marker = Entry("m", EntryKind.PROJECT_DEADLINE, "m", d[1], d[1])
    placed = place([span, due, late, done, high, marker], d)
    assert [e.key for e in placed[d[0]]] == ["span"]
    assert [e.key for e in placed[d[1]]] == ["m", "late", "high", "due", "done", "span"]
    assert [e.key for e in placed[d[2]]] == ["span"]  # its last day
    assert placed[d[3]] == [] and set(placed) == set(d)
    outside = _entry("outside", date(2026, 12, 31))
    assert all(outside not in v for v in place([outside], d).values())


@pytest.mark.parametrize(
    ("count", "rows", "total", "shown", "more"),
    [
        (0, 3, None, 0, 0),
        (3, 3, None, 3, 0),
        (4, 3, None, 2, 2),
        (10, 3, None, 2, 8),
        (2, 3, 2000, 2, 1998),
        (5, 1, None, 0, 5),
        (5, 0, None, 0, 5),
    ],
)
def test_fit_says_how_many_more(
    count: int, rows: int, total: int | None, shown: int, more: int
) -> None:
    entries = [_entry(str(n), date(2026, 1, 1)) for n in range(count)]
    got, n = fit(entries, rows, total)
    assert (len(got), n) == (shown, more)
    assert got == entries[: len(got)]


@given(st.integers(0, 60), st.integers(0, 12), st.integers(0, 100))
def test_fit_never_loses_an_entry(count: int, rows: int, extra: int) -> None:
    entries = [_entry(str(n), date(2026, 1, 1)) for n in range(count)]
    total = count + extra
    got, more = fit(entries, rows, total)
    assert len(got) <= rows
    assert len(got) + more == total
    assert more == 0 or len(got) < max(rows, 1)


# --------------------------------------------------------------- projection
def _series(rule: str = "FREQ=DAILY", **fields: object) -> SeriesInfo:
    base: dict[str, object] = {
        "id": 1,
        "title": "Post",
        "recurrence": Recurrence(rule),
        "dtstart": date(2026, 11, 1),
    }
    base.update(fields)
    return SeriesInfo(**base)  # type: ignore[arg-type]


def test_projection_starts_after_the_frontier_and_today() -> None:
    today = date(2026, 11, 26)
    series = _series(frontier=date(2026, 11, 27), stored=frozenset({date(2026, 11, 29)}))
    got = projected_dates(series, date(2026, 11, 23), date(2026, 11, 30), today)
    assert got == [date(2026, 11, 28), date(2026, 11, 30)]
    overdue_frontier = _series(frontier=date(2026, 11, 20))
    got = projected_dates(overdue_frontier, date(2026, 11, 23), date(2026, 11, 28), today)
    assert got == [date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 28)]
    weekly = _series("FREQ=WEEKLY;BYDAY=MO", frontier=date(2026, 11, 23))
    got = projected_dates(weekly, date(2026, 11, 1), date(2026, 12, 31), today)
    assert got == [date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14), date(2026, 12, 21),
                   date(2026, 12, 28)]  # fmt: skip
    assert projected_dates(_series("FREQ=BOGUS"), today, today, today) == []
    assert projected_dates(series, date(2026, 11, 1), date(2026, 11, 20), today) == []


@given(
    st.sampled_from(
        ["FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=MONTHLY", "FREQ=DAILY;INTERVAL=3"]
    ),
    st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
    st.sets(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 3, 1)), max_size=10),
)
def test_projection_never_shows_a_stored_date(rule: str, frontier: date, stored: set[date]) -> None:
    today = date(2026, 6, 1)
    series = _series(rule, dtstart=date(2026, 1, 1), frontier=frontier, stored=frozenset(stored))
    got = projected_dates(series, date(2026, 5, 1), date(2027, 2, 28), today)
    assert not set(got) & stored
    assert all(d > frontier and d >= today for d in got)
    assert got == sorted(got)


# ------------------------------------------------------------------- moving
def test_move_item_dates_keeps_the_span() -> None:
    start, due = datetime(2026, 11, 18, 9), datetime(2026, 11, 20, 17)
    assert move_item_dates(start, due, 1) == {
        "due": datetime(2026, 11, 21, 17),
        "start": datetime(2026, 11, 19, 9),
    }
    assert move_item_dates(None, due, -7) == {"due": datetime(2026, 11, 13, 17)}
    assert move_item_dates(start, None, 7) == {"start": datetime(2026, 11, 25, 9)}
    assert move_item_dates(None, None, 3) == {}


@pytest.mark.parametrize(
    ("rule", "days", "body"),
    [
        ("FREQ=DAILY", 1, "FREQ=DAILY"),
        ("FREQ=WEEKLY;BYDAY=MO", 1, "FREQ=WEEKLY;BYDAY=TU"),
        ("FREQ=WEEKLY;BYDAY=SU", 1, "FREQ=WEEKLY;BYDAY=MO"),
        ("FREQ=WEEKLY;BYDAY=MO,WE,FR", -7, "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", 1, "FREQ=WEEKLY;BYDAY=TU,WE,TH,FR,SA"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", 7, "FREQ=MONTHLY;BYMONTHDAY=22"),
        ("FREQ=MONTHLY", 1, "FREQ=MONTHLY"),
    ],
)
def test_shift_rule(rule: str, days: int, body: str) -> None:
    got, start = shift_rule(Recurrence(rule), date(2026, 11, 2), days)
    assert got == body and start == date(2026, 11, 2) + timedelta(days=days)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYMONTHDAY=28",
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "FREQ=MONTHLY;BYDAY=2MO",
        "FREQ=YEARLY;BYYEARDAY=100",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1",
        "FREQ=YEARLY;BYMONTH=3",
    ],
)
def test_shift_rule_refuses_what_cannot_move_by_days(rule: str) -> None:
    with pytest.raises(CalendarError):
        shift_rule(Recurrence(rule), date(2026, 11, 2), 1)


def test_shift_rule_completion_anchor_moves_only_the_start() -> None:
    rec = Recurrence("FREQ=WEEKLY;BYDAY=MO", RecurrenceAnchor.COMPLETION)
    assert shift_rule(rec, date(2026, 11, 2), 3) == ("FREQ=WEEKLY;BYDAY=MO", date(2026, 11, 5))


@given(st.integers(-60, 60), st.sampled_from(["FREQ=WEEKLY;BYDAY=MO,FR", "FREQ=DAILY;INTERVAL=2"]))
def test_shifted_series_dates_move_by_exactly_the_days(days: int, rule: str) -> None:
    from taskdesk.domain.recurrence import occurrences

    dtstart = date(2026, 1, 5)
    body, start = shift_rule(Recurrence(rule), dtstart, days)
    before = occurrences(Recurrence(rule), dtstart=dtstart, start=dtstart, end=date(2026, 6, 30))
    after = occurrences(
        Recurrence(body), dtstart=start, start=start, end=date(2026, 6, 30) + timedelta(days=days)
    )
    assert after == [d + timedelta(days=days) for d in before]


# ------------------------------------------------------------- times of day


def test_clock_time_skips_bare_dates_and_end_of_day() -> None:
    from datetime import time

    from taskdesk.domain.calendar import clock_time

    assert clock_time(None) is None
    assert clock_time(datetime(2026, 11, 26)) is None
    assert clock_time(datetime(2026, 11, 26, 23, 59, 59)) is None
    assert clock_time(datetime(2026, 11, 26, 17, 0)) == time(17, 0)
    assert clock_time(datetime(2026, 11, 26, 0, 1)) == time(0, 1)


def test_time_on_prints_the_start_time_on_the_first_day_and_the_due_time_on_the_last() -> None:
    from datetime import time

    from taskdesk.domain.calendar import Entry, EntryKind

    day = date(2026, 11, 26)
    span = Entry(
        "item:1",
        EntryKind.ITEM,
        "Trip",
        day,
        day + timedelta(days=2),
        starts_at=time(9, 0),
        due_at=time(17, 0),
    )
    assert span.time_on(day) == time(9, 0)
    assert span.time_on(day + timedelta(days=1)) is None
    assert span.time_on(day + timedelta(days=2)) == time(17, 0)
    single = Entry("item:2", EntryKind.ITEM, "Call", day, day, starts_at=time(8), due_at=time(10))
    assert single.time_on(day) == time(10)
