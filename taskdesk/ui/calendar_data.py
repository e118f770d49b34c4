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
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

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
from taskdesk.ui.gantt_data import (
    GanttPlan,
    PlanInputs,
    changes,
    compute,
    project_plan_at,
    shifted,
    with_task,
)

if TYPE_CHECKING:
    from taskdesk.store import Store

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

    Scheduling every project takes a while at 50,000 items (a second and more, most of
    it Python that competes with the UI for the interpreter); the markers only change
    when the store does, so the calendar asks here first. Each project's finish is kept
    as soon as it is scheduled, so a read that stops half-way (the calendar was left:
    ``wanted`` says no) goes on from there next time. Thread-safe: the markers are read
    in worker threads.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[tuple[str, str, CalendarScope], tuple[int, list[Entry]]] = {}
        #: Each project's finish, kept with what it was computed from: the project row
        #: and its items' summary (``Store.plan_fingerprints``). A change elsewhere in
        #: the store leaves it valid; a change to the project or its items does not.
        self._finish: dict[tuple[str, str, int], tuple[object, date | None]] = {}

    def get(
        self, store: Store, scope: CalendarScope, wanted: Callable[[], bool] | None = None
    ) -> list[Entry] | None:
        """The markers of ``scope``: cached for this data version, else scheduled now,
        project by project; None when ``wanted()`` turned false before the end."""
        key = (store.location, store.actor, scope)
        version = store.data_version()
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and kept[0] == version:
            return kept[1]
        markers: list[Entry] = []
        projects = projects_in(store, scope)
        fingerprints = store.plan_fingerprints([project.id for project in projects])
        for project in projects:
            place_key = _finish_key(store, project)
            inputs = (project, fingerprints.get(project.id))
            with self._lock:
                known = self._finish.get(place_key)
            if known is not None and known[0] == inputs:
                finish = known[1]
            elif wanted is not None and not wanted():
                return None  # what is scheduled so far stays for the next read
            else:
                finish = project_finish(store, project)
                with self._lock:
                    self._finish[place_key] = (inputs, finish)
            markers += project_markers(project, finish)
        with self._lock:
            self._kept[key] = (version, markers)
        return markers

    def learn(
        self,
        store: Store,
        project: Container,
        fingerprint: tuple[int, int, int, str] | None,
        finish: date | None,
    ) -> None:
        """Keep a finish the portfolio or the Gantt computed (same engine, same inputs):
        the Calendar opened next does not schedule that project again."""
        with self._lock:
            self._finish[_finish_key(store, project)] = ((project, fingerprint), finish)

    def peek(self, store: Store, scope: CalendarScope, version: int) -> list[Entry] | None:
        """The markers of ``scope`` if they are known for ``version`` (None: not yet)."""
        with self._lock:
            kept = self._kept.get((store.location, store.actor, scope))
        return kept[1] if kept is not None and kept[0] == version else None

    def clear(self) -> None:
        """Forget every cached marker (tests)."""
        with self._lock:
            self._kept.clear()
            self._finish.clear()


def _finish_key(store: Store, project: Container) -> tuple[str, str, int]:
    """Where a project's finish is kept: the store's place, the user, the project."""
    return (store.location, store.actor, project.id)


#: The process' marker cache.
MARKERS = MarkerCache()


@dataclass(frozen=True, slots=True)
class PeriodKey:
    """What one period read depends on (besides the store's data version)."""

    location: str
    actor: str
    scope: CalendarScope
    view: CalendarView
    first: date
    last: date
    per_day: int
    today: date


class PeriodCache:
    """Periods already read, per store data version (markers are not part of them).

    Paging back to a month, cycling the views or opening the calendar again shows a
    period read before without touching the store (one tiny read: the data version);
    the screen also reads the neighbours of the period on screen ahead of time. Any
    committed write changes the data version, and with it every key: nothing stale is
    ever shown. A period being read (ahead) is waited for, not read twice. Thread-safe.
    """

    def __init__(self, size: int = 16) -> None:
        self._lock = threading.Lock()
        self._size = size
        self._kept: OrderedDict[tuple[PeriodKey, int], CalendarData] = OrderedDict()
        self._reading: dict[tuple[PeriodKey, int], Future[CalendarData]] = {}

    def get(self, key: PeriodKey, version: int, read: Callable[[], CalendarData]) -> CalendarData:
        """The period of ``key`` at ``version``: kept, being read, or read now."""
        full = (key, version)
        with self._lock:
            kept = self._kept.get(full)
            if kept is not None:
                self._kept.move_to_end(full)
                return kept
            pending = self._reading.get(full)
            mine = pending is None
            if pending is None:
                pending = self._reading[full] = Future()
        if not mine:
            return pending.result()
        try:
            data = read()
        except BaseException as error:
            with self._lock:
                del self._reading[full]
            pending.set_exception(error)
            raise
        with self._lock:
            del self._reading[full]
            for old in [k for k in self._kept if k[1] != version]:
                del self._kept[old]  # another version: never shown again
            self._kept[full] = data
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        pending.set_result(data)
        return data

    def has(self, key: PeriodKey, version: int) -> bool:
        """The period is kept (or being read) for ``version``."""
        with self._lock:
            return (key, version) in self._kept or (key, version) in self._reading

    def clear(self) -> None:
        """Forget every period (tests)."""
        with self._lock:
            self._kept.clear()


#: The process' period cache.
PERIODS = PeriodCache()


def period_key(
    store: Store,
    view: CalendarView,
    anchor: date,
    scope: CalendarScope,
    per_day: int,
    today: date,
) -> PeriodKey:
    """The cache key of the period ``view`` shows around ``anchor``."""
    first, last = period(view, anchor)
    return PeriodKey(store.location, store.actor, scope, view, first, last, per_day, today)


def read_cached(
    store: Store,
    view: CalendarView,
    anchor: date,
    scope: CalendarScope,
    version: int,
    *,
    today: date,
    per_day: int,
) -> CalendarData:
    """The period around ``anchor`` at the store's data ``version`` (without project
    markers: ``with_markers`` adds them), from the period cache or read now."""
    key = period_key(store, view, anchor, scope, per_day, today)
    return PERIODS.get(
        key,
        version,
        lambda: read_period(store, view, anchor, scope, [], today=today, per_day=per_day),
    )


def per_day_for(view: CalendarView, anchor: date, height: int) -> int:
    """How many items of a day a view ``height`` rows high has room for (the rest of
    the day is only counted): a month row shares the height with the other weeks."""
    if view is CalendarView.MONTH:
        first, last = period(view, anchor)
        weeks = max(1, ((last - first).days + 1) // 7)
        return max(2, -(-(height - 1) // weeks) - 1)
    if view is CalendarView.WEEK:
        return max(4, height - 2)
    return max(4, height // 4)  # the agenda: a screenful over 14 days; n reads on


@dataclass(frozen=True, slots=True)
class Loaded:
    """What a period read hands the screen: the (cached) period, the day an item to
    jump to is on, the project markers if known for ``version``, and the version."""

    data: CalendarData
    jump: date | None
    markers: list[Entry] | None
    version: int


def read_markers(store: Store, scope: CalendarScope) -> list[Entry]:
    """Start, scheduled finish and deadline of the projects in scope (a schedule each)."""
    out: list[Entry] = []
    for project in projects_in(store, scope):
        out += project_markers(project, project_finish(store, project))
    return out


def projects_in(store: Store, scope: CalendarScope) -> list[Container]:
    """The projects whose markers ``scope`` shows."""
    return [
        p for p in store.containers(ContainerKind.PROJECT) if scope.container_id in (None, p.id)
    ]


def project_finish(store: Store, project: Container) -> date | None:
    """The scheduled finish of a project (None when it has no start or cannot be scheduled)."""
    if project.start is None:
        return None
    plan = read_project(store, project.id)
    return plan.schedule.finish if plan.schedule is not None else None


def learn_finish(store: Store, inputs: PlanInputs, plan: GanttPlan) -> None:
    """Tell the markers the finish of a project just scheduled from ``inputs`` (by the
    portfolio or the Gantt), as :func:`project_finish` would compute it."""
    if not inputs.fingerprinted:
        return
    project = inputs.stored.project
    schedule = plan.schedule if project.start is not None else None  # (no start: no finish)
    MARKERS.learn(store, project, inputs.fingerprint, schedule.finish if schedule else None)


def read_project(store: Store, project_id: int) -> GanttPlan:
    """The project scheduled as the Gantt schedules it (same inputs, same engine).

    The plan is read through the Gantt's per-version plan cache, so a project the
    portfolio or the Gantt has just read (10,000 tasks: ~0.4 s) is not read again.
    """
    stored = project_plan_at(store, project_id, store.data_version())
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


def with_markers(data: CalendarData, markers: list[Entry]) -> CalendarData:
    """The same period with other project markers (they arrive after the period, and
    the cached period never holds any): only the days with markers change, nothing is
    placed again. Markers come first in a day, as ``place`` orders them, and count in
    the day's total."""
    mine = [m for m in markers if m.last >= data.first and m.first <= data.last]
    added = place(mine, data.days)
    placed: dict[date, list[Entry]] = {}
    totals = dict(data.totals)
    for day, entries in data.placed.items():
        new = added.get(day, [])
        if not new and not (entries and entries[0].kind.is_marker):
            placed[day] = entries  # no marker before, none now: the same list
            continue
        rest = [e for e in entries if not e.kind.is_marker]
        placed[day] = new + rest
        totals[day] = totals.get(day, 0) + len(new) - (len(entries) - len(rest))
    return replace(data, placed=placed, totals=totals, full_days=set(data.full_days))


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
