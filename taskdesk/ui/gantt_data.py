"""From store items to the scheduler and back to rows the Gantt chart can draw.

Kept apart from the screen so the conversion (items → tasks, WBS order, the preview of
an edit) is plain code that tests can call without a terminal.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from taskdesk.domain.baselines import Baseline
from taskdesk.domain.filters import Filter
from taskdesk.domain.model import Container, Item, StatusCategory
from taskdesk.domain.projectplan import ProjectPlan, calendar_of, engine_inputs
from taskdesk.domain.routines import routine_load
from taskdesk.domain.scheduling import (
    BaselineTask,
    CycleError,
    DateChange,
    Link,
    Schedule,
    ScheduleError,
    Task,
    WorkCalendar,
    level,
    overallocations,
    preview,
    schedule,
)
from taskdesk.ui import plan_cache
from taskdesk.ui.gantt_view import (
    GanttRow,
    GanttRows,
    GanttView,
    encode_neighbours,
    view_key,
    view_slot,
)

if TYPE_CHECKING:
    from taskdesk.store import Store


@dataclass(frozen=True, slots=True)
class GanttPlan:
    """A project as the Gantt screen holds it: items, links, calendar and schedule."""

    project: Container
    items: dict[int, Item]
    depth: dict[int, int]
    tasks: list[Task]
    links: list[Link]
    calendar: WorkCalendar
    start: date
    schedule: Schedule | None
    error: str = ""
    threshold: int = 0
    capacities: dict[str, float] = field(default_factory=dict)
    calendars: dict[str, WorkCalendar] = field(default_factory=dict)
    background: dict[str, float] = field(default_factory=dict)
    baseline: Baseline | None = None
    baseline_tasks: dict[int, BaselineTask] = field(default_factory=dict)
    over_tasks: frozenset[int] = frozenset()
    over_days: dict[str, int] = field(default_factory=dict)
    #: Task id → its direct predecessors and successors (built off the UI thread by
    #: :func:`plan_from`; empty: :func:`related` scans the links instead).
    neighbours: dict[int, frozenset[int]] = field(default_factory=dict)

    def titles(self) -> dict[int, str]:
        """Task titles by id (for messages)."""
        return {i: item.title for i, item in self.items.items()}


def plan_start(project: Container, items: Iterable[Item], today: date | None = None) -> date:
    """The project start, else the earliest item start, else today."""
    if project.start:
        return project.start
    starts = [i.start.date() for i in items if i.start]
    return min(starts) if starts else (today or date.today())


def compute(
    project: Container,
    items: dict[int, Item],
    depth: dict[int, int],
    tasks: list[Task],
    links: list[Link],
    *,
    threshold: int = 0,
    today: date | None = None,
) -> GanttPlan:
    """Schedule ``tasks``; a cycle or bad input becomes ``error`` (nothing else changes).

    ``threshold`` is the configured critical float (``critical_float_threshold``);
    ``today`` the start of a project with no dates at all (default: the clock's).
    """
    calendar = calendar_of(project)
    start = plan_start(project, items.values(), today)
    try:
        result = schedule(
            tasks,
            links,
            start=start,
            calendar=calendar,
            finish_deadline=project.deadline,
            critical_threshold=threshold,
        )
    except CycleError as error:
        names = " → ".join(items[i].title if i in items else f"#{i}" for i in error.cycle)
        message = f"Dependency cycle: {names}"
        return GanttPlan(
            project,
            items,
            depth,
            tasks,
            links,
            calendar,
            start,
            None,
            message,
            threshold=threshold,
        )
    except ScheduleError as error:
        return GanttPlan(
            project,
            items,
            depth,
            tasks,
            links,
            calendar,
            start,
            None,
            str(error),
            threshold=threshold,
        )
    return GanttPlan(
        project, items, depth, tasks, links, calendar, start, result, threshold=threshold
    )


@dataclass(frozen=True, slots=True)
class PlanInputs:
    """What the Gantt reads from the store for one project, before any scheduling.

    Reading (under the store's gate) and scheduling (pure CPU) are separate steps so a
    10,000-task schedule never holds up the other screens' store calls.
    ``version`` is the store's ``data_version`` read *before* the rest: a write that
    lands in between makes the next version check re-read, never miss a change.
    """

    stored: ProjectPlan
    version: int
    capacities: dict[str, float]
    away: dict[str, list[date]]
    routines: list[Item]
    baseline: Baseline | None = None
    baseline_tasks: dict[int, BaselineTask] = field(default_factory=dict)
    #: The store's latest action id, read with ``version`` (part of the view cache key).
    action: int = 0
    #: The day of the read: the start of a project with no dates at all.
    today: date = field(default_factory=date.today)
    #: ``Store.plan_fingerprints`` of the project, when it is known to describe a state
    #: no newer than ``stored`` (``fingerprinted``): the Calendar's project markers
    #: keep the finish computed from these inputs under it (None: the project is empty).
    fingerprint: tuple[int, int, int, str] | None = None
    fingerprinted: bool = False


#: The last project plans read (store, project) → (data_version, plan): the portfolio
#: reads every project, and the Gantt opened right after reuses the read.
_PLANS: OrderedDict[tuple[int, str, str, int], tuple[int, ProjectPlan]] = OrderedDict()
_PLANS_LOCK = threading.Lock()
PLANS_KEPT = 2


def project_plan_at(store: Store, project_id: int, version: int) -> ProjectPlan:
    """``store.project_plan(project_id)``, shared while the store's data_version is
    ``version`` (read by the caller *before* this: a plan is never older than its key).
    """
    key = (id(store), store.location, store.actor, project_id)
    with _PLANS_LOCK:
        hit = _PLANS.get(key)
        if hit is not None and hit[0] == version:
            _PLANS.move_to_end(key)
            return hit[1]
    plan = store.project_plan(project_id)
    with _PLANS_LOCK:
        _PLANS[key] = (version, plan)
        _PLANS.move_to_end(key)
        while len(_PLANS) > PLANS_KEPT:
            _PLANS.popitem(last=False)
    return plan


def read_inputs(
    store: Store,
    project_id: int,
    *,
    baseline_id: int | None = None,
    marks: tuple[int, int] | None = None,
) -> PlanInputs:
    """Read a project's plan and what scheduling it needs (one fixed set of queries).

    ``marks``: the store's data_version and latest action id when the caller has just
    read them (before anything else), else they are read here first.
    """
    version, action = marks or (store.data_version(), store.latest_action_id())
    fingerprint = store.plan_fingerprints([project_id]).get(project_id)
    # Unchanged version: the fingerprint is of state ``version``, and the plan below is
    # of that state or a newer one (a plan newer than its fingerprint only misses the
    # markers' cache; the other way round would keep a stale finish).
    fingerprinted = store.data_version() == version
    stored = project_plan_at(store, project_id, version)
    capacities = {person.login: person.capacity_hours for person in store.people()}
    logins = sorted(
        {
            assignee.login
            for item in stored.items
            if item.category is not StatusCategory.CANCELLED  # as engine_inputs
            for assignee in item.assignees
        }
    )
    away: dict[str, list[date]] = {}
    for absence in store.time_off(logins):
        away.setdefault(absence.login, []).extend(absence.days())
    routines = store.list_items(Filter(virtual=("RECURRING",)))
    chosen = next((b for b in store.baselines(project_id) if b.id == baseline_id), None)
    tasks_of = {t.id: t for t in store.baseline_tasks(chosen.id)} if chosen else {}
    return PlanInputs(
        stored,
        version,
        capacities,
        away,
        routines,
        chosen,
        tasks_of,
        action,
        date.today(),
        fingerprint,
        fingerprinted,
    )


def plan_from(inputs: PlanInputs, *, threshold: int = 0) -> GanttPlan:
    """Schedule what :func:`read_inputs` read (pure: call it off the UI thread).

    The tasks and links are exactly what ``taskdesk schedule`` uses
    (:func:`taskdesk.domain.projectplan.engine_inputs`), so the screen and the command
    line never disagree; the Gantt only adds a fallback start for undated projects.
    """
    stored = inputs.stored
    tasks, links = engine_inputs(stored)
    items = {item.id: item for item in stored.items}
    plan = compute(
        stored.project, items, stored.depth(), tasks, links, threshold=threshold, today=inputs.today
    )
    calendars = {login: plan.calendar.with_time_off(days) for login, days in inputs.away.items()}
    background = routine_load(inputs.routines, calendar=plan.calendar, start=plan.start)
    read = replace(
        plan,
        capacities=inputs.capacities,
        calendars=calendars,
        background=background,
        baseline=inputs.baseline,
        baseline_tasks=inputs.baseline_tasks,
    )
    over_tasks, over_days = overallocated(read)
    return replace(
        read,
        over_tasks=frozenset(over_tasks),
        over_days=over_days,
        neighbours=link_neighbours(links),
    )


def link_neighbours(links: Iterable[Link]) -> dict[int, frozenset[int]]:
    """Each task's direct predecessors and successors, so moving the cursor over a
    20,000-link plan does not scan every link on every key press."""
    out: dict[int, set[int]] = {}
    for link in links:
        out.setdefault(link.successor, set()).add(link.predecessor)
        out.setdefault(link.predecessor, set()).add(link.successor)
    return {task_id: frozenset(ids) for task_id, ids in out.items()}


def read_plan(
    store: Store, project_id: int, *, baseline_id: int | None = None, threshold: int = 0
) -> GanttPlan:
    """Read a project's plan and schedule it (both steps, for tests and the command line)."""
    return plan_from(read_inputs(store, project_id, baseline_id=baseline_id), threshold=threshold)


def rows_of(plan: GanttPlan) -> list[GanttRow]:
    """The chart rows of a scheduled plan."""
    if plan.schedule is None:
        return []
    by_id = {t.id: t for t in plan.tasks}
    over = plan.over_tasks
    rows = []
    for task_id in plan.items:  # already in WBS order
        if task_id not in plan.schedule.tasks:
            continue  # cancelled: not scheduled
        s = plan.schedule.tasks[task_id]
        task, item = by_id[task_id], plan.items[task_id]
        rows.append(
            GanttRow(
                task_id=task_id,
                depth=plan.depth.get(task_id, 0),
                title=item.title,
                duration=(
                    plan.calendar.working_days_in(s.es, s.ef) if s.summary else task.duration
                ),
                start=s.es,
                finish=s.ef,
                total_float=s.total_float,
                critical=s.critical,
                milestone=task.milestone,
                summary=s.summary,
                percent=100.0 if not item.is_open else task.percent_complete,
                done=not item.is_open,
                overallocated=task_id in over,
                baseline_start=base.start if (base := plan.baseline_tasks.get(task_id)) else None,
                baseline_finish=base.finish if base else None,
            )
        )
    return rows


def reschedule(
    plan: GanttPlan, *, tasks: list[Task] | None = None, links: list[Link] | None = None
) -> GanttPlan:
    """The plan with other tasks or links, scheduled again (for a preview); it keeps
    what was read with the original (people, calendars, routines, baseline)."""
    after = compute(
        plan.project,
        plan.items,
        plan.depth,
        plan.tasks if tasks is None else tasks,
        plan.links if links is None else links,
        threshold=plan.threshold,
        today=plan.start,  # an undated project keeps the start it was shown with
    )
    return replace(
        after,
        capacities=plan.capacities,
        calendars=plan.calendars,
        background=plan.background,
        baseline=plan.baseline,
        baseline_tasks=plan.baseline_tasks,
    )


def overallocated(plan: GanttPlan) -> tuple[set[int], dict[str, int]]:
    """Tasks running on a day when one of their people is over capacity, and per person
    the number of such days (algorithms.md: load > capacity)."""
    if plan.schedule is None:
        return set(), {}
    over = overallocations(
        plan.schedule,
        plan.tasks,
        capacities=plan.capacities,
        calendars=plan.calendars,
        background=plan.background,
    )
    days = {login: sorted(set(dates)) for login, dates in over.items() if dates}
    marked: set[int] = set()
    for task in plan.tasks:
        scheduled = plan.schedule.tasks.get(task.id)
        if scheduled is None or scheduled.summary:
            continue
        for login, _units in task.assignments:
            over_days = days.get(login)
            if over_days is None:
                continue
            # The first over-capacity day on or after the start: is it by the finish?
            at = bisect_left(over_days, scheduled.es)
            if at < len(over_days) and over_days[at] <= scheduled.ef:
                marked.add(task.id)
                break
    return marked, {login: len(d) for login, d in days.items()}


def leveled(plan: GanttPlan) -> tuple[GanttPlan, dict[int, int], list[int]]:
    """The plan after serial leveling: the new plan, the delays, and what could not fit."""
    result = level(
        plan.tasks,
        plan.links,
        start=plan.start,
        calendar=plan.calendar,
        capacities=plan.capacities,
        calendars=plan.calendars,
        background=plan.background,
        finish_deadline=plan.project.deadline,
        critical_threshold=plan.threshold,
    )
    tasks = [replace(t, leveling_delay=result.delays.get(t.id, 0)) for t in plan.tasks]
    return reschedule(plan, tasks=tasks), result.delays, result.unresolved


def cleared(plan: GanttPlan) -> GanttPlan:
    """The plan with every leveling delay removed."""
    return reschedule(plan, tasks=[replace(t, leveling_delay=0) for t in plan.tasks])


def related(plan: GanttPlan, task_id: int | None) -> set[int]:
    """The selected task's direct predecessors and successors."""
    if task_id is None:
        return set()
    if plan.neighbours:
        return set(plan.neighbours.get(task_id, ()))
    out = {link.predecessor for link in plan.links if link.successor == task_id}
    return out | {link.successor for link in plan.links if link.predecessor == task_id}


def with_task(plan: GanttPlan, task: Task) -> GanttPlan:
    """The plan with one task replaced, rescheduled (for a preview)."""
    return reschedule(plan, tasks=[task if t.id == task.id else t for t in plan.tasks])


def changes(before: GanttPlan, after: GanttPlan) -> list[DateChange]:
    """Every task whose dates would move."""
    if before.schedule is None or after.schedule is None:
        return []
    return preview(before.schedule, after.schedule)


def shifted(task: Task, **fields: object) -> Task:
    """A copy of ``task`` with ``fields`` changed."""
    return replace(task, **fields)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the drawn view
def view_of(plan: GanttPlan) -> GanttView:
    """What the chart draws of a computed plan (the rows, the title, the » marks)."""
    rows = GanttRows.of(rows_of(plan))
    if plan.neighbours or not plan.links:
        neighbours = [sorted(plan.neighbours.get(task_id, ())) for task_id in rows.ids]
    else:
        found = link_neighbours(plan.links)
        neighbours = [sorted(found.get(task_id, ())) for task_id in rows.ids]
    return GanttView(
        project_id=plan.project.id,
        name=plan.project.name,
        start=plan.start,
        finish=plan.schedule.finish if plan.schedule is not None else None,
        deadline=plan.project.deadline,
        workdays=plan.calendar.workdays,
        holidays=plan.calendar.holidays,
        rows=rows,
        neighbours=neighbours,
        over_days=dict(plan.over_days),
        error=plan.error,
        baseline_name=plan.baseline.name if plan.baseline is not None else None,
    )


def _ordinal(day: date | None) -> int | None:
    return day.toordinal() if day is not None else None


def encode_view(view: GanttView) -> dict[str, Any]:
    """A view as JSON-able data (for :mod:`taskdesk.ui.plan_cache`)."""
    return {
        "project": view.project_id,
        "name": view.name,
        "start": view.start.toordinal(),
        "finish": _ordinal(view.finish),
        "deadline": _ordinal(view.deadline),
        "workdays": sorted(view.workdays),
        "holidays": sorted(day.toordinal() for day in view.holidays),
        "ids": list(view.rows.ids),
        "rows": view.rows.encoded(),
        "neighbours": encode_neighbours(view.neighbours),
        "over": dict(view.over_days),
        "error": view.error,
    }


def keep_view(store: Store, inputs: PlanInputs, view: GanttView, *, threshold: int) -> None:
    """Keep the view of a plan read (without a baseline) as ``inputs`` say, for the next
    opening of the project: in this process and in the next."""
    if inputs.baseline is not None or view.error:
        return
    project_id = inputs.stored.project.id
    marks = (inputs.version, inputs.action)
    key = view_key(store, project_id, marks, threshold=threshold, today=inputs.today)
    plan_cache.save(view_slot(store, project_id), key, encode_view(view))
