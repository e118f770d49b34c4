"""Project scheduling: working calendars, CPM, leveling and baselines (pure domain).

The engine behind ``taskdesk schedule``, plan files and the Gantt screen. Every
definition is algorithms.md's; the modules say where they extend it.

- calendar: :class:`WorkCalendar` (working days, holidays; O(log H) date moves)
- model: :class:`Task`, :class:`Link`, :class:`CycleError`, :class:`ScheduleError`
- cpm: :func:`schedule` (forward/backward pass, floats, critical path), :func:`explain`,
  :func:`explain_text`, :func:`preview`, :func:`rollup_percent`
- resources: :func:`load_by_day`, :func:`overallocations`, :func:`level`
- baseline: :func:`snapshot`, :func:`variance`
"""

from taskdesk.domain.scheduling.baseline import BaselineTask, Variance, snapshot, variance
from taskdesk.domain.scheduling.calendar import WEEKDAY_NAMES, WorkCalendar, weekday_number
from taskdesk.domain.scheduling.cpm import (
    DateChange,
    Schedule,
    ScheduledTask,
    StartReason,
    explain,
    explain_text,
    preview,
    rollup_percent,
    schedule,
)
from taskdesk.domain.scheduling.model import CycleError, Link, LinkType, ScheduleError, Task
from taskdesk.domain.scheduling.resources import (
    LevelingResult,
    level,
    load_by_day,
    overallocations,
)

__all__ = [
    "WEEKDAY_NAMES",
    "BaselineTask",
    "CycleError",
    "DateChange",
    "LevelingResult",
    "Link",
    "LinkType",
    "Schedule",
    "ScheduleError",
    "ScheduledTask",
    "StartReason",
    "Task",
    "Variance",
    "WorkCalendar",
    "explain",
    "explain_text",
    "level",
    "load_by_day",
    "overallocations",
    "preview",
    "rollup_percent",
    "schedule",
    "snapshot",
    "variance",
    "weekday_number",
]
