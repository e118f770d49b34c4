"""A project's schedule as JSON: the shape of ``taskdesk schedule PROJECT --json``.

The keys are the public contract (``docs/product.md``), spelt out here once::

    {"project": "Mobile app launch", "start": "2026-01-05", "finish": "2026-03-31",
     "critical_path": [3, 5, 9],
     "tasks": [{"id", "key", "title", "duration", "es", "ef", "ls", "lf",
                "total_float", "free_float", "critical"}, …]}

Dates are ISO ``YYYY-MM-DD``; ``duration`` and the floats are whole working days;
``es``/``ef`` are the first and last working day a task occupies (a milestone's are the
same day). Tasks come in WBS order (each summary before its subtasks); ``key`` is the
task's plan-file key, or ``null`` for a task that has none yet. Cancelled tasks take
no part in the schedule and are not listed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from taskdesk.domain.projectplan import ProjectPlan
    from taskdesk.domain.scheduling import Schedule

#: Keys of every task object, in output order.
TASK_KEYS: tuple[str, ...] = (
    "id",
    "key",
    "title",
    "duration",
    "es",
    "ef",
    "ls",
    "lf",
    "total_float",
    "free_float",
    "critical",
)


def schedule_to_json(plan: ProjectPlan, schedule: Schedule) -> dict[str, Any]:
    """The contract's object for ``schedule`` computed from ``plan``."""
    tasks = []
    for item in plan.items:
        scheduled = schedule.tasks.get(item.id)
        if scheduled is None:  # cancelled: not scheduled
            continue
        tasks.append(
            {
                "id": item.id,
                "key": item.key,
                "title": item.title,
                "duration": scheduled.duration,
                "es": scheduled.es.isoformat(),
                "ef": scheduled.ef.isoformat(),
                "ls": scheduled.ls.isoformat(),
                "lf": scheduled.lf.isoformat(),
                "total_float": scheduled.total_float,
                "free_float": scheduled.free_float,
                "critical": scheduled.critical,
            }
        )
    return {
        "project": plan.project.name,
        "start": schedule.start.isoformat(),
        "finish": schedule.finish.isoformat(),
        "critical_path": list(schedule.critical_path),
        "tasks": tasks,
    }
