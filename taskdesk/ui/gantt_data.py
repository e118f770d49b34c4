"""From store items to the scheduler and back to rows the Gantt chart can draw.

Kept apart from the screen so the conversion (items → tasks, WBS order, the preview of
an edit) is plain code that tests can call without a terminal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from taskdesk.domain.filters import Filter
from taskdesk.domain.model import Container, Dependency, Item
from taskdesk.domain.scheduling import (
    CycleError,
    DateChange,
    Link,
    Schedule,
    ScheduleError,
    Task,
    WorkCalendar,
    preview,
    schedule,
)
from taskdesk.store import Store
from taskdesk.ui.widgets.gantt_chart import GanttRow

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class GanttPlan:
    """A project as the Gantt screen holds it: items, links, calendar and schedule."""

    project: Container
    items: dict[int, Item]
    tasks: list[Task]
    links: list[Link]
    calendar: WorkCalendar
    start: date
    schedule: Schedule | None
    error: str = ""

    def titles(self) -> dict[int, str]:
        """Task titles by id (for messages)."""
        return {i: item.title for i, item in self.items.items()}


def calendar_of(project: Container) -> WorkCalendar:
    """The project's working calendar (weekdays and holidays)."""
    return WorkCalendar.from_names(project.workdays or WEEKDAY_NAMES[:5], project.holidays)


def task_of(item: Item) -> Task:
    """An item as the scheduler sees it; an item without a duration takes one day."""
    duration = 0 if item.milestone else max(1, round(item.duration_days or 1))
    return Task(
        id=item.id,
        key=getattr(item, "key", None) or "",
        title=item.title,
        duration=duration,
        milestone=item.milestone,
        parent_id=item.parent_id,
        start_no_earlier=getattr(item, "start_no_earlier", None),
        deadline=getattr(item, "deadline", None),
        pinned_start=item.start.date() if getattr(item, "pinned", False) and item.start else None,
        percent_complete=100.0 if not item.is_open else item.percent_complete,
        priority={"H": 3, "M": 2, "L": 1}.get(item.priority.value if item.priority else "", 0),
        assignments=tuple((a.login, a.units) for a in item.assignees),
        leveling_delay=round(getattr(item, "leveling_delay_days", 0) or 0),
    )


def link_of(dep: Dependency) -> Link:
    """A stored dependency as a scheduler link."""
    return Link(dep.predecessor_id, dep.successor_id, dep.type, round(dep.lag_days))


def plan_start(project: Container, items: Iterable[Item]) -> date:
    """The project start, else the earliest item start, else today."""
    if project.start:
        return project.start
    starts = [i.start.date() for i in items if i.start]
    return min(starts) if starts else date.today()


def compute(
    project: Container, items: dict[int, Item], tasks: list[Task], links: list[Link]
) -> GanttPlan:
    """Schedule ``tasks``; a cycle or bad input becomes ``error`` (nothing else changes)."""
    calendar = calendar_of(project)
    start = plan_start(project, items.values())
    try:
        result = schedule(
            tasks, links, start=start, calendar=calendar, finish_deadline=project.deadline
        )
    except CycleError as error:
        names = " → ".join(items[i].title if i in items else f"#{i}" for i in error.cycle)
        return GanttPlan(
            project, items, tasks, links, calendar, start, None, f"Dependency cycle: {names}"
        )
    except ScheduleError as error:
        return GanttPlan(project, items, tasks, links, calendar, start, None, str(error))
    return GanttPlan(project, items, tasks, links, calendar, start, result)


def read_plan(store: Store, project_id: int) -> GanttPlan:
    """Read a project's items and links and schedule them."""
    project = store.get_container(project_id)
    items = {
        i.id: i for i in store.list_items(Filter(include_closed=True), container_id=project.id)
    }
    links = [
        link_of(d)
        for d in store.dependencies(project.id)
        if d.predecessor_id in items and d.successor_id in items
    ]
    return compute(project, items, [task_of(i) for i in items.values()], links)


def wbs_order(plan: GanttPlan) -> list[tuple[int, int]]:
    """(task id, depth) in WBS order: parents before children, siblings by start."""
    children: dict[int | None, list[int]] = defaultdict(list)
    ids = {t.id for t in plan.tasks}
    for task in plan.tasks:
        parent = task.parent_id if task.parent_id in ids else None
        children[parent].append(task.id)
    sched = plan.schedule

    def key(task_id: int) -> tuple[date, int]:
        es = sched.tasks[task_id].es if sched else plan.start
        return (es, task_id)

    out: list[tuple[int, int]] = []
    stack: list[tuple[int, int]] = [(t, 0) for t in sorted(children[None], key=key, reverse=True)]
    seen: set[int] = set()
    while stack:
        task_id, depth = stack.pop()
        if task_id in seen:
            continue
        seen.add(task_id)
        out.append((task_id, depth))
        kids = sorted(children.get(task_id, []), key=key, reverse=True)
        stack.extend((kid, depth + 1) for kid in kids)
    return out


def rows_of(plan: GanttPlan) -> list[GanttRow]:
    """The chart rows of a scheduled plan."""
    if plan.schedule is None:
        return []
    by_id = {t.id: t for t in plan.tasks}
    rows = []
    for task_id, depth in wbs_order(plan):
        s = plan.schedule.tasks[task_id]
        task, item = by_id[task_id], plan.items[task_id]
        rows.append(
            GanttRow(
                task_id=task_id,
                depth=depth,
                title=item.title,
                duration=task.duration,
                start=s.es,
                finish=s.ef,
                total_float=s.total_float,
                critical=s.critical,
                milestone=task.milestone,
                summary=s.summary,
                percent=task.percent_complete,
                done=not item.is_open,
            )
        )
    return rows


def related(plan: GanttPlan, task_id: int | None) -> set[int]:
    """The selected task's direct predecessors and successors."""
    if task_id is None:
        return set()
    out = {link.predecessor for link in plan.links if link.successor == task_id}
    return out | {link.successor for link in plan.links if link.predecessor == task_id}


def with_task(plan: GanttPlan, task: Task) -> GanttPlan:
    """The plan with one task replaced, rescheduled (for a preview)."""
    tasks = [task if t.id == task.id else t for t in plan.tasks]
    return compute(plan.project, plan.items, tasks, plan.links)


def with_links(plan: GanttPlan, links: list[Link]) -> GanttPlan:
    """The plan with other links, rescheduled (for a preview)."""
    return compute(plan.project, plan.items, plan.tasks, links)


def changes(before: GanttPlan, after: GanttPlan) -> list[DateChange]:
    """Every task whose dates would move."""
    if before.schedule is None or after.schedule is None:
        return []
    return preview(before.schedule, after.schedule)


def shifted(task: Task, **fields: object) -> Task:
    """A copy of ``task`` with ``fields`` changed."""
    return replace(task, **fields)  # type: ignore[arg-type]
