"""Schedule health for the portfolio: on track, at risk or late — always with the reason.

The rules read the schedule the same way a project manager would: a finish after the
deadline (or any task with negative float) is late; a thin margin or an overdue task on
the critical path is a risk; anything else is on track. The reason is part of the
answer, so nobody has to trust a coloured dot.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from taskdesk.domain.model import Item
from taskdesk.domain.scheduling import Schedule

#: A finish with this many working days of float or fewer is at risk.
THIN_MARGIN_DAYS = 3


class Health(enum.StrEnum):
    """The three states, worded for people."""

    ON_TRACK = "on track"
    AT_RISK = "at risk"
    LATE = "late"
    UNSCHEDULED = "unscheduled"


@dataclass(frozen=True, slots=True)
class HealthReport:
    """The state and the one sentence that explains it."""

    health: Health
    reason: str


def finish_float(schedule: Schedule, deadline: date | None) -> int | None:
    """Working days between the finish and the deadline (negative: late); None: no deadline."""
    if deadline is None:
        return None
    return schedule.calendar.working_days_between(schedule.finish, deadline)


def assess(
    schedule: Schedule, items: dict[int, Item], *, deadline: date | None, today: date
) -> HealthReport:
    """Late, at risk or on track, by the first rule that fires (see the module docstring)."""
    margin = finish_float(schedule, deadline)
    if margin is not None and margin < 0:
        return HealthReport(Health.LATE, f"finishes {-margin}d after the deadline")
    negative = [t for t in schedule.tasks.values() if t.total_float < 0 and not t.summary]
    if negative:
        # Name the task whose own deadline is missed, not the predecessors it drags along.
        missing = [t for t in negative if t.deadline is not None and t.ef > t.deadline]
        worst = min(missing or negative, key=lambda t: (t.total_float, t.id))
        title = items[worst.id].title if worst.id in items else f"#{worst.id}"
        return HealthReport(Health.LATE, f"“{title}” misses its deadline by {-worst.total_float}d")
    overdue = [
        t
        for t in schedule.tasks.values()
        if t.critical and not t.summary and t.id in items and items[t.id].is_open and t.ef < today
    ]
    if overdue:
        first = min(overdue, key=lambda t: (t.ef, t.id))
        return HealthReport(
            Health.AT_RISK, f"“{items[first.id].title}” is overdue on the critical path"
        )
    if margin is not None and margin <= THIN_MARGIN_DAYS:
        return HealthReport(Health.AT_RISK, f"only {margin}d of float")
    if margin is None:
        return HealthReport(Health.ON_TRACK, "no deadline set")
    return HealthReport(Health.ON_TRACK, f"{margin}d of float")


def next_milestone(
    schedule: Schedule, items: dict[int, Item], *, today: date
) -> tuple[str, date] | None:
    """The first open milestone due today or later (title, date)."""
    upcoming = [
        (t.es, t.id)
        for t in schedule.tasks.values()
        if t.milestone and t.id in items and items[t.id].is_open and t.es >= today
    ]
    if not upcoming:
        return None
    day, task_id = min(upcoming)
    return items[task_id].title, day
