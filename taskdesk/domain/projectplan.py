"""A project as the scheduler and the plan-file exporter see it, and task keys.

:class:`ProjectPlan` is everything about one project that scheduling, export and the
project screens read together: the container, its tasks in WBS order, the links between
them and its risks. The store builds it in a fixed number of queries
(``Store.project_plan``); nothing here touches a database.

A task *key* (``design``, ``api-v2``) names a task inside its project's plan file and in
its ``depends`` strings, so it is a short word: letters, digits and ``_ . -``. A task
that has no key yet is written to a plan file as ``#ID`` (its item id); importing that
file gives it that key, and from then on the file manages it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from taskdesk.domain.model import (
    Container,
    Dependency,
    Item,
    Priority,
    Risk,
    StatusCategory,
)

if TYPE_CHECKING:
    from taskdesk.domain.scheduling import Link, Schedule, Task, WorkCalendar

_DEFAULT_WORKDAYS = ("mon", "tue", "wed", "thu", "fri")

#: The longest key a plan file may use.
MAX_KEY = 64

_KEY = re.compile(r"(?:[A-Za-z0-9_][A-Za-z0-9_.\-]*|#[0-9]+)", re.ASCII)


def key_problem(key: str) -> str | None:
    """Why ``key`` cannot name a task (a phrase), or ``None`` when it can."""
    if not key:
        return "a key cannot be empty"
    if len(key) > MAX_KEY:
        return f"a key has at most {MAX_KEY} characters"
    if not _KEY.fullmatch(key):
        return "a key is made of letters, digits, _ . and - (no spaces), or #ID"
    return None


def fallback_key(item_id: int) -> str:
    """The key a task without one is exported under: ``#42``."""
    return f"#{item_id}"


def fallback_id(key: str) -> int | None:
    """The item id a ``#42`` key stands for, else ``None``."""
    return int(key[1:]) if key.startswith("#") and key[1:].isdigit() else None


@dataclass(frozen=True, slots=True)
class ProjectPlan:
    """One project with its tasks (WBS order), their links and its risks.

    ``items`` are the project's live (not deleted) items, every status included, depth
    first: each parent before its children, siblings in plan-file order (then by id).
    ``dependencies`` are the links whose both ends are in ``items``.
    """

    project: Container
    items: tuple[Item, ...]
    dependencies: tuple[Dependency, ...]
    risks: tuple[Risk, ...] = ()

    def keys(self) -> dict[int, str]:
        """Item id → the key it is written under: its own, else ``#ID``.

        A key held by two tasks (possible only through other tools) stays with the first
        in WBS order; the other is written as ``#ID``, so a file never repeats a key.
        """
        out: dict[int, str] = {}
        taken: set[str] = set()
        for item in self.items:
            key = item.key if item.key and key_problem(item.key) is None else None
            if key is None or key in taken:
                key = fallback_key(item.id)
            taken.add(key)
            out[item.id] = key
        return out

    def depth(self) -> dict[int, int]:
        """Item id → its level in the WBS (0 for a top-level task)."""
        ids = {item.id for item in self.items}
        parents = {item.id: item.parent_id for item in self.items}
        out: dict[int, int] = {}
        for item in self.items:  # parents come first, so theirs is known
            parent = parents[item.id]
            out[item.id] = out.get(parent, -1) + 1 if parent in ids else 0
        return out


def wbs_order(items: Iterable[Item], plan_positions: dict[int, float | None]) -> list[Item]:
    """Items depth first: each parent before its children, siblings by plan position.

    ``plan_positions`` maps item id → its place among its siblings in the plan file
    (``None``: never placed by a file, sorted after the placed ones, by id). A parent
    outside ``items`` counts as none; a parent loop (not possible through the store) is
    broken by treating its first member as top level.
    """
    pool = {item.id: item for item in items}
    children: dict[int | None, list[Item]] = {}
    for item in pool.values():
        parent = item.parent_id if item.parent_id in pool else None
        children.setdefault(parent, []).append(item)

    def order(item: Item) -> tuple[int, float, int]:
        position = plan_positions.get(item.id)
        return (1, 0.0, item.id) if position is None else (0, position, item.id)

    out: list[Item] = []
    seen: set[int] = set()

    def visit(root: Item) -> None:
        stack = [root]
        while stack:
            item = stack.pop()
            if item.id in seen:
                continue
            seen.add(item.id)
            out.append(item)
            stack.extend(reversed(sorted(children.get(item.id, ()), key=order)))

    for item in sorted(children.get(None, ()), key=order):
        visit(item)
    for item in sorted(pool.values(), key=order):  # members of a parent loop, if any
        if item.id not in seen:
            visit(item)
    return out


# ------------------------------------------------------------------ the scheduler


def scheduled_days(duration_days: float | None, milestone: bool) -> int:
    """The whole working days the scheduler gives a task.

    A milestone has none; a task without a duration gets one day (MS Project's "1 day?"
    for a task not estimated yet); a fraction of a day takes the whole day it starts.
    """
    if milestone:
        return 0
    if duration_days is None:
        return 1
    return max(0, math.ceil(round(duration_days, 4)))


def whole_days(lag_days: float) -> int:
    """A lag in whole working days, rounded half away from zero (``-1.5`` → ``-2``)."""
    magnitude = math.floor(abs(lag_days) + 0.5)
    return -magnitude if lag_days < 0 else magnitude


def priority_rank(priority: Priority | None) -> int:
    """The scheduler's priority number (higher is levelled first): H 3, M 2, L 1, none 0."""
    return priority.rank if priority is not None else 0


def calendar_of(project: Container) -> WorkCalendar:
    """The project's working calendar: its weekdays and holidays."""
    from taskdesk.domain.scheduling import WorkCalendar

    return WorkCalendar.from_names(project.workdays or _DEFAULT_WORKDAYS, project.holidays)


def engine_inputs(plan: ProjectPlan) -> tuple[list[Task], list[Link]]:
    """The plan's tasks and links as the scheduler takes them.

    Cancelled tasks are left out (with their links): they take no time and hold nothing
    up. A pinned task is fixed on its ``start_no_earlier`` date.
    """
    from taskdesk.domain.scheduling import Link, Task

    keys = plan.keys()
    live = [item for item in plan.items if item.category is not StatusCategory.CANCELLED]
    ids = {item.id for item in live}
    tasks = [
        Task(
            id=item.id,
            key=keys[item.id],
            title=item.title,
            duration=scheduled_days(item.duration_days, item.milestone),
            milestone=item.milestone,
            parent_id=item.parent_id if item.parent_id in ids else None,
            start_no_earlier=None if item.pinned else item.start_no_earlier,
            deadline=item.deadline,
            pinned_start=item.start_no_earlier if item.pinned else None,
            percent_complete=item.percent_complete,
            priority=priority_rank(item.priority),
            assignments=tuple((a.login, a.units) for a in item.assignees),
            leveling_delay=whole_days(item.leveling_delay_days),
            effort_hours=item.effort_hours,
            cost=item.cost,
        )
        for item in live
    ]
    links = [
        Link(d.predecessor_id, d.successor_id, d.type, whole_days(d.lag_days))
        for d in plan.dependencies
        if d.predecessor_id in ids and d.successor_id in ids
    ]
    return tasks, links


class NoProjectStart(ValueError):
    """The project has no start date, so it cannot be scheduled."""


def schedule_plan(plan: ProjectPlan, *, critical_threshold: int = 0) -> Schedule:
    """Run the critical path method on a stored project (from its start, to its deadline).

    Raises :class:`NoProjectStart`, or the engine's ``CycleError`` / ``ScheduleError``.
    """
    from taskdesk.domain.scheduling import schedule

    project = plan.project
    if project.start is None:
        raise NoProjectStart(
            f"Project {project.name!r} has no start date; set one "
            "(start = 2026-01-05 in its plan file) to schedule it."
        )
    tasks, links = engine_inputs(plan)
    return schedule(
        tasks,
        links,
        start=project.start,
        calendar=calendar_of(project),
        finish_deadline=project.deadline,
        critical_threshold=critical_threshold,
    )
