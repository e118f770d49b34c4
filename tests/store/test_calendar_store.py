"""The Calendar's store part: a period in a fixed number of queries, routines to
project, and the moves (one undoable action each), on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskdesk.domain.filters import Filter
from taskdesk.domain.importing import ImportRecord
from taskdesk.domain.model import ContainerKind, ParsedItem, Priority, Recurrence, StatusCategory
from taskdesk.store import Store
from taskdesk.store.errors import StaleWrite, ValidationError
from tests.store.querycount import count_queries

# The store's clock (tests/store/conftest.py): 2026-11-25 10:30.
TODAY = date(2026, 11, 25)


def add(store: Store, title: str, **fields: object) -> int:
    parsed = ParsedItem(title=title, **fields)  # type: ignore[arg-type]
    parsed.given = {"title", *fields}
    return store.add_item(parsed).id


def test_items_in_a_period_by_due_start_and_span(store: Store) -> None:
    due = add(store, "due in", due=datetime(2026, 11, 26, 17))
    start = add(store, "starts in", start=datetime(2026, 11, 30, 9))
    span = add(store, "spans", start=datetime(2026, 10, 1), due=datetime(2027, 1, 1))
    add(store, "before", due=datetime(2026, 11, 22, 23, 59))
    add(store, "after", due=datetime(2026, 12, 1, 0, 0))
    add(store, "undated")
    edge = add(store, "last day", due=datetime(2026, 11, 30, 23, 59))
    gone = add(store, "deleted", due=datetime(2026, 11, 26))
    store.delete_item(gone)
    page = store.calendar_items(date(2026, 11, 23), date(2026, 11, 30))
    assert sorted(i.id for i in page.items) == sorted([due, start, span, edge])
    assert page.counts[date(2026, 11, 23)] == 1  # only the span
    assert page.counts[date(2026, 11, 26)] == 2
    assert page.counts[date(2026, 11, 30)] == 3
    assert sum(page.counts.values()) == 8 + 3
    assert store.calendar_items(date(2026, 11, 30), date(2026, 11, 1)).items == []


def test_closed_scope_and_filter(store: Store) -> None:
    day = datetime(2026, 11, 26, 12)
    done = add(store, "done one", due=day, project="Ops")
    store.complete_item(done)
    open_ops = add(store, "open ops", due=day, project="Ops", tags=["x"])
    launch = add(store, "launch task", due=day, project="Launch")
    store.save_project("Launch", start=date(2026, 11, 2))
    first = last = day.date()
    assert {i.id for i in store.calendar_items(first, last).items} == {done, open_ops, launch}
    page = store.calendar_items(first, last, include_closed=False)
    assert {i.id for i in page.items} == {open_ops, launch}
    assert page.counts == {first: 2}
    ops = store.get_container("Ops").id
    assert {i.id for i in store.calendar_items(first, last, container_id=ops).items} == {
        done,
        open_ops,
    }
    projects = store.calendar_items(first, last, kind=ContainerKind.PROJECT)
    assert [i.id for i in projects.items] == [launch]
    tagged = store.calendar_items(first, last, flt=Filter(tags=("x",)))
    assert [i.id for i in tagged.items] == [open_ops]


def test_per_day_cap_keeps_counts_and_the_most_urgent(store: Store) -> None:
    day = datetime(2026, 11, 27, 9)
    ids = [add(store, f"item {n}", due=day) for n in range(12)]
    high = add(store, "high", due=day, priority=Priority.HIGH)
    late = add(store, "overdue", due=datetime(2026, 11, 20), start=day)
    page = store.calendar_items(day.date(), day.date(), per_day=5)
    assert page.counts == {day.date(): 14}
    assert [i.id for i in page.items][:2] == [late, high]
    assert [i.id for i in page.items][2:] == ids[:3]


def test_a_period_costs_a_fixed_number_of_queries(store: Store) -> None:
    day = datetime(2026, 11, 27, 9)
    for n in range(3):
        add(store, f"a{n}", due=day, tags=["t"], assignees=["bob"])
    with count_queries() as few:
        store.calendar_items(date(2026, 11, 1), date(2026, 11, 30))
    for n in range(60):
        add(store, f"b{n}", due=day, tags=["t"], assignees=["bob"])
    with count_queries() as many:
        page = store.calendar_items(date(2026, 11, 1), date(2026, 11, 30), per_day=40)
    assert len(page.items) == 40 and page.counts[day.date()] == 63
    assert many.count == few.count <= 7


def test_series_for_projection(store: Store) -> None:
    daily = add(store, "Post", due=datetime(2026, 11, 25, 11), recurrence=Recurrence("FREQ=DAILY"))
    weekly = add(
        store,
        "Report",
        due=datetime(2026, 11, 23),
        project="Ops",
        recurrence=Recurrence("FREQ=WEEKLY;BYDAY=MO"),
    )
    store.complete_item(weekly)  # creates Nov 30
    detached = add(store, "Gone", due=datetime(2026, 11, 25), recurrence=Recurrence("FREQ=DAILY"))
    store.delete_item(detached)
    with count_queries() as queries:
        series = store.calendar_series(date(2026, 11, 23), date(2026, 12, 6))
    assert queries.count <= 4
    by_title = {s.title: s for s in series}
    assert set(by_title) == {"Post", "Report"}
    post = by_title["Post"]
    assert post.recurrence.rrule == "FREQ=DAILY" and post.dtstart == date(2026, 11, 25)
    assert post.frontier == date(2026, 11, 25) and post.stored == {date(2026, 11, 25)}
    report = by_title["Report"]
    assert report.frontier == date(2026, 11, 30) and report.project == "Ops"
    assert report.stored == {date(2026, 11, 23), date(2026, 11, 30)}
    ops = store.get_container("Ops").id
    assert [s.title for s in store.calendar_series(TODAY, TODAY, container_id=ops)] == ["Report"]
    assert store.get_item(daily).occurrence == date(2026, 11, 25)


def test_move_a_projected_occurrence_and_undo(store: Store) -> None:
    add(store, "Post", due=datetime(2026, 11, 25, 11), recurrence=Recurrence("FREQ=DAILY"))
    series_id = store.calendar_series(TODAY, TODAY)[0].id
    moved = store.move_occurrence(series_id, date(2026, 11, 28), 2)
    assert moved.occurrence == date(2026, 11, 28)
    assert moved.due == datetime(2026, 11, 30, 11) and moved.series_id == series_id
    info = store.calendar_series(date(2026, 11, 23), date(2026, 12, 6))[0]
    assert info.stored == {date(2026, 11, 25), date(2026, 11, 28)}
    assert store.undo().startswith("Undid: move 'Post'")
    info = store.calendar_series(date(2026, 11, 23), date(2026, 12, 6))[0]
    assert info.stored == {date(2026, 11, 25)}
    assert store.redo().startswith("Redid")
    assert store.get_item(moved.id).due == datetime(2026, 11, 30, 11)
    # the same date again: the stored one is moved, never a second copy
    again = store.move_occurrence(series_id, date(2026, 11, 28), 1)
    assert again.id == moved.id and again.due == datetime(2026, 12, 1, 11)


def test_shift_a_series_and_undo(store: Store) -> None:
    item = add(
        store,
        "Review",
        due=datetime(2026, 11, 30, 12),
        recurrence=Recurrence("FREQ=WEEKLY;BYDAY=MO"),
    )
    series_id = store.get_item(item).series_id
    assert series_id is not None
    version = store.get_item(item).version
    moved = store.shift_series(series_id, 1, item_id=item, expected_version=version)
    assert moved.due == datetime(2026, 12, 1, 12) and moved.occurrence == date(2026, 12, 1)
    assert moved.recurrence == Recurrence("FREQ=WEEKLY;BYDAY=TU")
    info = store.calendar_series(date(2026, 11, 23), date(2026, 12, 31))[0]
    assert info.dtstart == date(2026, 12, 1)
    store.undo()
    back = store.get_item(item)
    assert back.recurrence == Recurrence("FREQ=WEEKLY;BYDAY=MO")
    assert back.due == datetime(2026, 11, 30, 12) and back.occurrence == date(2026, 11, 30)
    assert store.calendar_series(date(2026, 11, 23), date(2026, 12, 31))[0].dtstart == date(
        2026, 11, 30
    )
    store.redo()
    assert store.calendar_series(TODAY, TODAY)[0].dtstart == date(2026, 12, 1)
    with pytest.raises(StaleWrite):
        store.shift_series(series_id, 1, item_id=item, expected_version=version)


def test_shift_series_refuses_a_rule_that_cannot_move(store: Store) -> None:
    item = add(
        store,
        "Close books",
        due=datetime(2026, 11, 30),
        recurrence=Recurrence("FREQ=MONTHLY;BYMONTHDAY=-1"),
    )
    series_id = store.get_item(item).series_id
    assert series_id is not None
    with pytest.raises(ValidationError, match="Cannot move the whole routine: day -1 of the month"):
        store.shift_series(series_id, 1)
    assert store.get_item(item).recurrence == Recurrence("FREQ=MONTHLY;BYMONTHDAY=-1")


def test_reschedule_items_is_one_action(store: Store) -> None:
    a = add(store, "design", start=datetime(2026, 11, 2, 9), due=datetime(2026, 11, 6, 17))
    b = add(store, "build", start=datetime(2026, 11, 9, 9), due=datetime(2026, 11, 13, 17))
    moved = store.reschedule_items(
        {
            a: {"start_no_earlier": date(2026, 11, 3), "start": datetime(2026, 11, 3, 9)},
            b: {"start": datetime(2026, 11, 10, 9), "due": datetime(2026, 11, 16, 17)},
        },
        description="move design",
    )
    assert [i.start for i in moved] == [datetime(2026, 11, 3, 9), datetime(2026, 11, 10, 9)]
    assert moved[0].start_no_earlier == date(2026, 11, 3)
    assert store.undo() == "Undid: move design"
    assert store.get_item(a).start == datetime(2026, 11, 2, 9)
    assert store.get_item(a).start_no_earlier is None
    assert store.get_item(b).due == datetime(2026, 11, 13, 17)
    with pytest.raises(ValidationError):
        store.reschedule_items({a: {"title": "x"}}, description="nope")
    with pytest.raises(StaleWrite):
        store.reschedule_items(
            {a: {"start": datetime(2026, 11, 4)}},
            description="stale",
            expected_versions={a: 1},
        )


# ------------------------------------------------------- per-day counts in SQL

_DAY0 = date(2026, 11, 16)
_RANK = {Priority.HIGH: 3, Priority.MEDIUM: 2, Priority.LOW: 1}


def _moment(day: int, minute: int) -> datetime:
    return datetime.combine(_DAY0 + timedelta(days=day), time.min) + timedelta(minutes=minute)


_minute = st.sampled_from([0, 1, 9 * 60, 17 * 60, 23 * 60 + 59])
_record = st.tuples(
    st.one_of(st.none(), st.tuples(st.integers(0, 10), _minute)),  # due
    st.one_of(st.none(), st.tuples(st.integers(0, 10), _minute, st.integers(0, 6))),  # start
    st.sampled_from([StatusCategory.UNSTARTED, StatusCategory.COMPLETED]),
    st.sampled_from([Priority.HIGH, Priority.MEDIUM, Priority.LOW, None]),
)


def _naive(
    rows: list[tuple[int, datetime | None, datetime | None, bool, Priority | None]],
    first: date,
    last: date,
    per_day: int,
) -> tuple[dict[date, int], set[int]]:
    """Counts and chosen ids the slow, obvious way: every item on every day it covers."""
    on: dict[date, list[tuple[int, int, int, int, int]]] = {}
    for item_id, start, due, closed, priority in rows:
        days = sorted(d.date() for d in (start, due) if d is not None)
        if not days:
            continue
        low, high = days[0], days[-1]
        overdue = not closed and due is not None and due.date() < TODAY
        day = max(low, first)
        while day <= min(high, last):
            edge = 0 if day in (low, high) else 1
            key = (
                edge,
                int(closed),
                0 if overdue else 1,
                -(_RANK[priority] if priority else 0),
                item_id,
            )
            on.setdefault(day, []).append(key)
            day += timedelta(days=1)
    chosen = {key[-1] for keys in on.values() for key in sorted(keys)[:per_day]}
    return {day: len(keys) for day, keys in on.items()}, chosen


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    records=st.lists(_record, max_size=20),
    window=st.tuples(st.integers(0, 10), st.integers(0, 6)),
    per_day=st.integers(0, 3),
)
def test_per_day_counts_and_picks_equal_a_naive_count(
    store: Store,
    records: list[tuple[object, ...]],
    window: tuple[int, int],
    per_day: int,
) -> None:
    area = f"area-{uuid.uuid4().hex[:8]}"
    batch = []
    for n, (due_at, start_at, state, priority) in enumerate(records):
        due = _moment(*due_at) if isinstance(due_at, tuple) else None
        start = None
        if isinstance(start_at, tuple):
            day, minute, length = start_at
            start = _moment(day, minute)
            if due is not None:  # a span: start on or before due
                start = min(due, start) - timedelta(days=length)
        batch.append(
            ImportRecord(
                uid=f"{area}-{n}",
                title=f"r{n}",
                state=state,  # type: ignore[arg-type]
                priority=priority,  # type: ignore[arg-type]
                due=due,
                start=start,
                project=area,
            )
        )
    report = store.import_records(batch, label="calendar property")
    ids = report.created_ids
    items = {i.id: i for i in store.get_items(ids)}
    rows = [(i.id, i.start, i.due, not i.is_open, i.priority) for i in (items[x] for x in ids)]
    first = _DAY0 + timedelta(days=window[0])
    last = first + timedelta(days=window[1])
    container = store.get_container(area).id if ids else None
    page = store.calendar_items(first, last, container_id=container, per_day=per_day)
    counts, chosen = _naive(rows, first, last, per_day)
    if container is None:
        return
    assert page.counts == counts
    assert {i.id for i in page.items} == chosen


def test_spans_count_every_day_and_come_after_the_days_own_items(store: Store) -> None:
    day = datetime(2026, 11, 27, 9)
    long = add(store, "long", start=datetime(2026, 11, 1), due=datetime(2027, 1, 31))
    around = add(store, "around", start=datetime(2026, 11, 26, 9), due=datetime(2026, 11, 28))
    own = add(store, "own", due=day)
    page = store.calendar_items(day.date(), day.date(), per_day=1)
    assert page.counts == {day.date(): 3}
    assert [i.id for i in page.items] == [own]
    page = store.calendar_items(date(2026, 11, 26), date(2026, 11, 28), per_day=1)
    assert page.counts == {date(2026, 11, 26): 2, date(2026, 11, 27): 3, date(2026, 11, 28): 2}
    assert sorted(i.id for i in page.items) == sorted([around, own])
    whole = store.calendar_items(date(2026, 12, 1), date(2026, 12, 31), per_day=1)
    assert [i.id for i in whole.items] == [long] and set(whole.counts.values()) == {1}
    assert len(whole.counts) == 31


def test_query_count_does_not_grow_with_spans_or_days(store: Store) -> None:
    with count_queries() as empty:
        store.calendar_items(date(2026, 11, 1), date(2026, 12, 31), per_day=3)
    for n in range(30):
        start = datetime(2026, 11, 1 + n % 25, 9)
        add(store, f"span {n}", start=start, due=start + timedelta(days=n % 9 + 1))
        add(store, f"day {n}", due=start)
    with count_queries() as full:
        page = store.calendar_items(date(2026, 11, 1), date(2026, 12, 31), per_day=3)
    assert sum(page.counts.values()) > 60 and page.items
    assert full.count == empty.count + 5 == 7  # 2 reads, then the 5-query page read


@settings(max_examples=200, deadline=None)
@given(
    spans=st.lists(
        st.tuples(st.integers(-10, 40), st.integers(1, 30), st.integers(0, 1), st.integers(0, 3)),
        max_size=40,
    ),
    per_day=st.integers(0, 4),
)
def test_span_rows_equal_a_day_by_day_walk(
    spans: list[tuple[int, int, int, int]], per_day: int
) -> None:
    """The linear walk over spans (counts by +1/-1 marks, full days skipped) keeps what
    walking every day of every span keeps."""
    from taskdesk.store.calendar import _Span, _span_rows

    first, last = date(2026, 11, 1), date(2026, 11, 30)
    made = [
        _Span(
            first + timedelta(days=start),
            first + timedelta(days=start + length),
            (closed, 1, -prio, n),
        )
        for n, (start, length, closed, prio) in enumerate(spans)
    ]
    counts: dict[date, int] = {}
    edges, middles = _span_rows(made, first, last, per_day, counts)
    want_counts: dict[date, int] = {}
    for offset in range(30):
        day = first + timedelta(days=offset)
        on = [s for s in made if s.first <= day <= s.last]
        if on:
            want_counts[day] = len(on)
        edge = sorted((0, *s.ranked) for s in on if day in (s.first, s.last))
        middle = sorted((1, *s.ranked) for s in on if s.first < day < s.last)
        assert edges[offset] == edge[:per_day]
        assert middles[offset] == middle[:per_day]
    assert counts == want_counts


def test_plan_fingerprints_move_with_every_change_a_schedule_reads(store: Store) -> None:
    design = add(store, "design", project="Launch", duration_days=2.0)
    build = add(store, "build", project="Launch", duration_days=3.0)
    add(store, "elsewhere", project="Ops")
    launch = store.get_container("Launch").id
    empty = store.save_project("Empty", start=date(2026, 12, 1)).id

    def prints() -> dict[int, tuple[int, int, int, str]]:
        return store.plan_fingerprints([launch, empty])

    with count_queries() as queries:
        first = prints()
    assert queries.count == 1
    assert set(first) == {launch}  # a project without items has no summary
    assert first[launch][:3] == (2, design + build, 2)
    assert store.plan_fingerprints([]) == {}
    steps: list[Callable[[], object]] = [
        lambda: add(store, "more elsewhere", project="Ops"),  # another container: same
        lambda: store.update_item(build, {"duration_days": 4.0}),
        lambda: store.add_dependency(design, build),
        lambda: store.update_item(design, {"title": "design it"}),
        lambda: store.update_item(design, {"project": "Ops"}),  # moved out of the project
        lambda: store.delete_item(build),
    ]
    seen: list[tuple[int, int, int, str] | None] = [first[launch]]
    for number, step in enumerate(steps):
        step()
        now = prints().get(launch)
        if number == 0:
            assert now == seen[-1]
        else:
            assert now not in seen
            seen.append(now)
