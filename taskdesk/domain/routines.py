"""The background load of routines: hours a day each person's recurring work reserves.

algorithms.md: a person's load is their project work *plus* the reserved load of their
recurring routines and queues — ongoing work is background load that projects must fit
around. A routine's reservation is its estimate times how often it occurs, averaged over
the next four weeks of working days (so "daily, 30m" reserves 0.5 h a day and "weekly,
2h" reserves 0.4 h a day on a Monday–Friday calendar).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from taskdesk.domain.model import Item
from taskdesk.domain.recurrence import RecurrenceError, occurrences
from taskdesk.domain.scheduling import WorkCalendar

#: The window the reservation is averaged over.
WINDOW_DAYS = 28


def routine_load(items: Iterable[Item], *, calendar: WorkCalendar, start: date) -> dict[str, float]:
    """Hours per working day reserved for each person by open recurring items."""
    end = start + timedelta(days=WINDOW_DAYS - 1)
    working = max(1, calendar.working_days_in(start, end))
    load: dict[str, float] = {}
    for item in items:
        if not item.is_open or item.recurrence is None or not item.estimate_minutes:
            continue
        if not item.assignees:
            continue
        dtstart = item.occurrence or (item.due.date() if item.due else start)
        try:
            count = len(occurrences(item.recurrence, dtstart=dtstart, start=start, end=end))
        except RecurrenceError:
            continue
        hours = item.estimate_minutes / 60 * count / working
        for assignment in item.assignees:
            load[assignment.login] = load.get(assignment.login, 0.0) + hours * assignment.units
    return load
