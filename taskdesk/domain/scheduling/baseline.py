"""Baselines and variance: the plan as it was promised, against the plan as it is now.

algorithms.md ("Baselines and variance"): a baseline is a named, frozen copy of each
task's start, finish, duration and cost; variance = current − baseline, in working days
and money. A project keeps several (the store names them); this module only makes the
copy and compares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from taskdesk.domain.scheduling.calendar import WorkCalendar
from taskdesk.domain.scheduling.cpm import Schedule
from taskdesk.domain.scheduling.model import Task

__all__ = ["BaselineTask", "Variance", "snapshot", "variance"]


@dataclass(frozen=True)
class BaselineTask:
    """One task frozen in a baseline: dates as printed (first/last working day)."""

    id: int
    start: date
    finish: date
    duration: int
    cost: float | None


@dataclass(frozen=True)
class Variance:
    """Current − baseline: working days (positive = later) and money (None if either
    side has no cost)."""

    start_days: int
    finish_days: int
    cost: float | None


def snapshot(schedule: Schedule, tasks: Sequence[Task]) -> list[BaselineTask]:
    """Freeze the scheduled dates of ``tasks`` (a summary's duration is its span in
    working days, its cost its own plus its subtasks', as the schedule rolls them up)."""
    out = []
    for task in tasks:
        st = schedule.tasks.get(task.id)
        if st is None:
            continue
        out.append(BaselineTask(task.id, st.es, st.ef, st.duration, st.cost))
    return out


def variance(
    schedule: Schedule, baseline: Sequence[BaselineTask], calendar: WorkCalendar
) -> dict[int, Variance]:
    """Variance of every baselined task still in the schedule, in working days on
    ``calendar`` (tasks added since the baseline have none)."""
    out: dict[int, Variance] = {}
    for base in baseline:
        st = schedule.tasks.get(base.id)
        if st is None:
            continue
        cost = None if st.cost is None or base.cost is None else st.cost - base.cost
        out[base.id] = Variance(
            start_days=calendar.working_days_between(base.start, st.es),
            finish_days=calendar.working_days_between(base.finish, st.ef),
            cost=cost,
        )
    return out
