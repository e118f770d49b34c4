"""From the store to what the Calendar draws, and the project path of a calendar move.

The reads run in a worker (they take a ``Store``); the rest is plain code over domain
objects, so tests can call it without a terminal. A period loads only as many items per
day as the view can show (the store counts the rest). Project markers (start, scheduled
finish, deadline) cost a schedule per project: they are read in a worker of their own,
after the period is on screen, and kept per store version (``MARKERS``), so opening the
calendar again or paging through months never schedules the projects again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from taskdesk.domain.calendar import (
    CalendarView,
    Entry,
    EntryKind,
    SeriesInfo,
    days_of,
    entry_of_item,
    period,
    place,
    project_markers,
    projected_entries,
)
from taskdesk.domain.model import Container, ContainerKind, Item
from taskdesk.domain.projectplan import engine_inputs
from taskdesk.domain.scheduling import DateChange
from taskdesk.store import Store
from taskdesk.ui.gantt_data import GanttPlan, changes, compute, shifted, with_task

#: Items loaded per day when the view does not say (the rest is counted: "+N more").
PER_DAY = 8
#: The day list (enter) loads at most this many items of one day.
DAY_LIST_LIMIT = 500


@dataclass(frozen=True, slots=True)
class CalendarScope:
    """Which items the calendar shows: one area/project, every project, or all work."""

    container_id: int | None = None
    name: str = "All work"
    kind: ContainerKind | None = None


@dataclass(slots=True)
class CalendarData:
    """One period as read from the store, ready to draw."""

    view: CalendarView
    first: date
    last: date
    days: list[date]
    placed: dict[date, list[Entry]]
    totals: dict[date, int]
    items: dict[int, Item] = field(default_factory=dict)
    counts: dict[date, int] = field(default_factory=dict)
    series: list[SeriesInfo] = field(default_factory=list)
    per_day: int = PER_DAY
    full_days: set[date] = field(default_factory=set)

    def complete(self, day: date) -> bool:
        """Every entry of ``day`` is loaded (nothing left to read for the entry cursor)."""
        return day in self.full_days or len(self.placed.get(day, ())) >= self.totals.get(day, 0)


class MarkerCache:
    """Project markers per (store, scope), valid while the store's data version holds.

    Scheduling every project takes a while at 50,000 items; the markers only change
    when the store does, so each calendar screen (a new one on every ``3``) asks here
    first. Thread-safe: the markers are read in worker threads.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[tuple[str, str, CalendarScope], tuple[int, list[Entry]]] = {}

    def get(self, store: Store, scope: CalendarScope) -> list[Entry]:
        """The markers of ``scope``: cached for this data version, else scheduled now."""
        key = (store.location, store.actor, scope)
        version = store.data_version()
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and kept[0] == version:
            return kept[1]
        markers = read_markers(store, scope)
        with self._lock:
            self._kept[key] = (version, markers)
        return markers

    def clear(self) -> None:
        """Forget every cached marker (tests)."""
        with self._lock:
            self._kept.clear()


#: The process' marker cache.
MARKERS = MarkerCache()


def read_markers(store: Store, scope: CalendarScope) -> list[Entry]:
    """Start, scheduled finish and deadline of the projects in scope (a schedule each)."""
    projects = [
        p for p in store.containers(ContainerKind.PROJECT) if scope.container_id in (None, p.id)
    ]
    out: list[Entry] = []
    for project in projects:
        out += project_markers(project, project_finish(store, project))
    return out


def project_finish(store: Store, project: Container) -> date | None:
    """The scheduled finish of a project (None when it has no start or cannot be scheduled)."""
    if project.start is None:
        return None
    plan = read_project(store, project.id)
    return plan.schedule.finish if plan.schedule is not None else None


def read_project(store: Store, project_id: int) -> GanttPlan:
    """The project scheduled as the Gantt schedules it (same inputs, same engine)."""
    stored = store.project_plan(project_id)
    tasks, links = engine_inputs(stored)
    items = {item.id: item for item in stored.items}
    return compute(stored.project, items, stored.depth(), tasks, links)


def read_period(
    store: Store,
    view: CalendarView,
    anchor: date,
    scope: CalendarScope,
    markers: list[Entry],
    *,
    today: date,
    per_day: int = PER_DAY,
) -> CalendarData:
    """Everything one view shows around ``anchor``: the first ``per_day`` items of each
    day (what the view has room for), projected routines, and the markers given."""
    first, last = period(view, anchor)
    page = store.calendar_items(
        first, last, container_id=scope.container_id, kind=scope.kind, per_day=per_day
    )
    series = store.calendar_series(first, last, container_id=scope.container_id, kind=scope.kind)
    data = assemble(view, first, last, page.items, page.counts, series, markers, today=today)
    data.per_day = per_day
    return data


def with_markers(data: CalendarData, markers: list[Entry], *, today: date) -> CalendarData:
    """The same period with other project markers (they arrive after the period)."""
    out = assemble(
        data.view,
        data.first,
        data.last,
        list(data.items.values()),
        data.counts,
        data.series,
        markers,
        today=today,
    )
    out.per_day, out.full_days = data.per_day, data.full_days
    return out


def with_day(
    data: CalendarData, day: date, items: list[Item], markers: list[Entry], *, today: date
) -> CalendarData:
    """The period with every item of ``day`` loaded (the entry cursor went past the
    first ones): the day's items join those already loaded."""
    merged = dict(data.items)
    merged.update((item.id, item) for item in items)
    out = assemble(
        data.view,
        data.first,
        data.last,
        list(merged.values()),
        data.counts,
        data.series,
        markers,
        today=today,
    )
    out.per_day, out.full_days = data.per_day, {*data.full_days, day}
    return out


def read_day_items(store: Store, day: date, scope: CalendarScope) -> list[Item]:
    """Every item of one day (up to DAY_LIST_LIMIT), for the entry cursor."""
    page = store.calendar_items(
        day, day, container_id=scope.container_id, kind=scope.kind, per_day=DAY_LIST_LIMIT
    )
    return page.items


def assemble(
    view: CalendarView,
    first: date,
    last: date,
    items: list[Item],
    counts: dict[date, int],
    series: list[SeriesInfo],
    markers: list[Entry],
    *,
    today: date,
) -> CalendarData:
    """Place items, projections and markers on the period's days; count every day."""
    entries = [e for item in items if (e := entry_of_item(item, today)) is not None]
    entries += projected_entries(series, first, last, today)
    entries += [m for m in markers if m.last >= first and m.first <= last]
    days = days_of(first, last)
    placed = place(entries, days)
    totals = {
        day: counts.get(day, 0) + sum(1 for e in placed[day] if e.kind is not EntryKind.ITEM)
        for day in days
    }
    return CalendarData(
        view, first, last, days, placed, totals, {i.id: i for i in items}, counts, series
    )


def read_day(
    store: Store, day: date, scope: CalendarScope, markers: list[Entry], *, today: date
) -> tuple[list[Entry], int]:
    """Every entry of one day (up to DAY_LIST_LIMIT items) and the day's item count."""
    page = store.calendar_items(
        day, day, container_id=scope.container_id, kind=scope.kind, per_day=DAY_LIST_LIMIT
    )
    series = store.calendar_series(day, day, container_id=scope.container_id, kind=scope.kind)
    data = assemble(
        CalendarView.AGENDA, day, day, page.items, page.counts, series, markers, today=today
    )
    return data.placed[day], data.totals[day]


# ------------------------------------------------------------ project moves


@dataclass(frozen=True, slots=True)
class ProjectMove:
    """A project task moved on the calendar: the plan before and after, what moves, and
    the date changes to write (the task's constraint, every moved task's start/due)."""

    what: str
    before: GanttPlan
    after: GanttPlan
    moves: list[DateChange]
    writes: dict[int, dict[str, object]]


def _at(day: date, moment: datetime | None, default: time) -> datetime:
    """``day`` at the time of day ``moment`` had (else ``default``)."""
    return datetime.combine(day, moment.time() if moment else default)


def plan_move(plan: GanttPlan, task_id: int, days: int) -> ProjectMove:
    """Move a project task's start by ``days`` calendar days as a "start no earlier than"
    constraint (or its pin), through the scheduler, so its successors follow.

    Raises ValueError with a sentence when the task cannot be moved this way.
    """
    if plan.schedule is None:
        raise ValueError(f"the project cannot be scheduled: {plan.error}")
    task = next((t for t in plan.tasks if t.id == task_id), None)
    scheduled = plan.schedule.tasks.get(task_id)
    if task is None or scheduled is None:
        raise ValueError("this task is not scheduled (cancelled?)")
    if scheduled.summary:
        raise ValueError("a summary task follows its subtasks; move a subtask")
    target = scheduled.es + timedelta(days=days)
    if task.pinned_start is not None:
        moved, constraint = shifted(task, pinned_start=target), {"start_no_earlier": target}
    else:
        moved, constraint = shifted(task, start_no_earlier=target), {"start_no_earlier": target}
    after = with_task(plan, moved)
    if after.schedule is None:
        raise ValueError(after.error or "the project cannot be scheduled")
    moves = changes(plan, after)
    writes: dict[int, dict[str, object]] = {task_id: dict(constraint)}
    for change in moves:
        item = plan.items.get(change.id)
        after_task = after.schedule.tasks.get(change.id)
        if item is None or after_task is None or after_task.summary:
            continue
        writes.setdefault(change.id, {}).update(
            start=_at(change.new_es, item.start, time(9, 0)),
            due=_at(change.new_ef, item.due, time(17, 0)),
        )
    title = plan.items[task_id].title
    what = f"Start “{title}” no earlier than {target} ({days:+d} days)"
    return ProjectMove(what, plan, after, moves, writes)
