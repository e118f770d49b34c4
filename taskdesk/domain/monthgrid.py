"""Month-grid arithmetic for the date picker: which day sits in which cell, and moves.

Kept out of the widget so the rules a user relies on (weeks start on Monday, a month
move from Jan 31 lands on Feb 28, nothing ever steps outside the calendar) are tested
without a screen. Every move clamps at ``date.min`` / ``date.max`` instead of raising,
so no key sequence can crash the picker.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from taskdesk.domain.dates import DateError, parse_date

#: Rows in a month grid: always six, so the picker does not change height between months.
WEEKS = 6

#: Column headings, Monday first.
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


class Unit(StrEnum):
    """What one picker key moves by."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


def month_weeks(year: int, month: int) -> list[list[date | None]]:
    """The month as six Monday-first weeks; cells outside the month are ``None``.

    Blank cells (rather than the neighbouring months' days) keep a no-colour terminal
    unambiguous about which month a number belongs to.
    """
    first = date(year, month, 1)
    length = calendar.monthrange(year, month)[1]
    cells: list[date | None] = [None] * first.weekday()
    cells += [first.replace(day=d) for d in range(1, length + 1)]
    cells += [None] * (WEEKS * 7 - len(cells))
    return [cells[row * 7 : row * 7 + 7] for row in range(WEEKS)]


def cell_of(day: date) -> tuple[int, int]:
    """(row, column) of ``day`` in its month's grid."""
    offset = day.replace(day=1).weekday() + day.day - 1
    return divmod(offset, 7)


def add_days(day: date, count: int) -> date:
    """``day`` plus ``count`` days, clamped to the calendar's ends."""
    try:
        return day + timedelta(days=count)
    except OverflowError:
        return date.max if count > 0 else date.min


def add_months(day: date, count: int) -> date:
    """The same day ``count`` months on, clamped to the month's last day (Jan 31 → Feb 28)."""
    index = day.year * 12 + day.month - 1 + count
    year, month0 = divmod(index, 12)
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def move(day: date, unit: Unit, count: int) -> date:
    """``day`` moved ``count`` days, weeks, months or years (negative goes back)."""
    if unit is Unit.DAY:
        return add_days(day, count)
    if unit is Unit.WEEK:
        return add_days(day, 7 * count)
    if unit is Unit.MONTH:
        return add_months(day, count)
    return add_months(day, 12 * count)


def month_edge(day: date, *, last: bool) -> date:
    """The first (or last) day of ``day``'s month."""
    if last:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day.replace(day=1)


def starting_point(text: str, *, now: datetime) -> tuple[date, time | None]:
    """Where the picker opens for a field's text: (day, time of day or None).

    Empty or unparsable text opens on today, so a typo never blocks the picker. A time
    is kept only when the text had one (midnight means "just a day", as the form shows).
    """
    if not text.strip():
        return now.date(), None
    try:
        found = parse_date(text.strip(), now=now)
    except DateError:
        return now.date(), None
    clock = found.time()
    return found.date(), (clock if clock != time(0, 0) else None)


def field_text(day: date, clock: time | None) -> str:
    """The text the picker writes into the field: ISO day, with ``THH:MM`` if it had a time."""
    if clock is None:
        return day.isoformat()
    return f"{day.isoformat()}T{clock.strftime('%H:%M')}"
