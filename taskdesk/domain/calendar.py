"""The calendar's arithmetic: periods, entries on days, projected routines, moves.

Pure Python, so the Calendar screen stays thin: which days a month/week/agenda view
covers (weeks start on Monday), which entries land on which day (an item with a start
and a due date spans the days between), how many fit and how many are "+N more",
which future dates of a routine to *project* (shown, never stored; dates already
stored as occurrences are not shown twice), and what moving an entry by N days does
to its dates and, for "the whole series", to its rule.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from taskdesk.domain.dates import END_OF_DAY
from taskdesk.domain.model import Container, ContainerKind, Item, Recurrence, RecurrenceAnchor
from taskdesk.domain.recurrence import RecurrenceError, occurrences

#: The agenda shows this many days from its first day.
AGENDA_DAYS = 14

_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class CalendarError(ValueError):
    """A move the calendar cannot make (the message says why, as a sentence)."""


class CalendarView(enum.StrEnum):
    """The three ways to look at the calendar; ``v`` cycles through them."""

    MONTH = "month"
    WEEK = "week"
    AGENDA = "agenda"

    def next(self) -> CalendarView:
        """The view after this one (month → week → agenda → month)."""
        views = list(CalendarView)
        return views[(views.index(self) + 1) % len(views)]


# ------------------------------------------------------------------ periods


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def month_grid(anchor: date) -> list[list[date]]:
    """The weeks (Monday to Sunday) that show ``anchor``'s month: 4 to 6 rows of 7 days."""
    first = anchor.replace(day=1)
    last = anchor.replace(day=_stdlib_calendar.monthrange(anchor.year, anchor.month)[1])
    weeks: list[list[date]] = []
    monday = week_start(first)
    while monday <= last:
        weeks.append([monday + timedelta(days=n) for n in range(7)])
        monday += timedelta(days=7)
    return weeks


def period(view: CalendarView, anchor: date) -> tuple[date, date]:
    """The first and last day a view shows around ``anchor`` (both included)."""
    if view is CalendarView.MONTH:
        weeks = month_grid(anchor)
        return weeks[0][0], weeks[-1][-1]
    if view is CalendarView.WEEK:
        monday = week_start(anchor)
        return monday, monday + timedelta(days=6)
    return anchor, anchor + timedelta(days=AGENDA_DAYS - 1)


def days_of(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last``."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's end (Jan 31 + 1 → Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def shift_period(view: CalendarView, cursor: date, step: int) -> date:
    """Where the day cursor goes on ``[`` (step -1) / ``]`` (+1): a month, week or agenda."""
    if view is CalendarView.MONTH:
        return add_months(cursor, step)
    if view is CalendarView.WEEK:
        return cursor + timedelta(days=7 * step)
    return cursor + timedelta(days=AGENDA_DAYS * step)


def agenda_anchor(view: CalendarView, cursor: date, anchor: date) -> date:
    """The agenda's first day: kept while the cursor is inside it, else the cursor's day.

    The agenda scrolls with the cursor instead of jumping to fixed two-week blocks.
    """
    if view is not CalendarView.AGENDA:
        return cursor
    first, last = period(view, anchor)
    return anchor if first <= cursor <= last else cursor


# ------------------------------------------------------------------ entries


class EntryKind(enum.StrEnum):
    """What an entry on a day stands for."""

    ITEM = "item"  # a stored item (task, ticket, stored routine occurrence, milestone)
    PROJECTED = "projected"  # a future routine occurrence, computed, not stored
    PROJECT_START = "project-start"
    PROJECT_FINISH = "project-finish"
    PROJECT_DEADLINE = "project-deadline"

    @property
    def is_marker(self) -> bool:
        """A project's start, finish or deadline (not movable, drawn first)."""
        return self in (
            EntryKind.PROJECT_START,
            EntryKind.PROJECT_FINISH,
            EntryKind.PROJECT_DEADLINE,
        )


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing on the calendar, from ``first`` to ``last`` (the same day for most).

    ``key`` is unique on the calendar (the selection is kept by it across reloads).
    """

    key: str
    kind: EntryKind
    title: str
    first: date
    last: date
    item_id: int | None = None
    series_id: int | None = None
    occurrence: date | None = None
    container_id: int | None = None
    project: str | None = None
    project_task: bool = False
    overdue: bool = False
    milestone: bool = False
    recurring: bool = False
    done: bool = False
    priority_rank: int = 0
    version: int = 0
    starts_at: time | None = None
    due_at: time | None = None

    @property
    def spans(self) -> bool:
        """Covers more than one day."""
        return self.last > self.first

    @property
    def movable(self) -> bool:
        """Items and projected occurrences move with H/L/J/K; project markers don't."""
        return not self.kind.is_marker

    def time_on(self, day: date) -> time | None:
        """The time of day to print on ``day``: the due time on the due day, the start
        time on the start day; None for a date without a time (and in a span's middle)."""
        if day == self.last and self.due_at is not None:
            return self.due_at
        if day == self.first and self.starts_at is not None:
            return self.starts_at
        return None

    def marker(self) -> str:
        """The state in text, never in colour only: ``!`` overdue, ``◆`` milestone,
        ``↻`` routine, ``✓`` done, ``▶``/``■``/``⚑`` project start/finish/deadline."""
        if self.kind is EntryKind.PROJECT_START:
            return "▶"
        if self.kind is EntryKind.PROJECT_FINISH:
            return "■"
        if self.kind is EntryKind.PROJECT_DEADLINE:
            return "⚑"
        out = ""
        if self.done:
            out += "✓"
        elif self.overdue:
            out += "!"
        if self.milestone:
            out += "◆"
        if self.recurring:
            out += "↻"
        return out


def item_span(item: Item) -> tuple[date, date] | None:
    """The days an item covers: start..due, or just one of them; None without dates."""
    start = item.start.date() if item.start else None
    due = item.due.date() if item.due else None
    if start is None and due is None:
        return None
    first = start or due
    last = due or start
    assert first is not None and last is not None
    return (first, last) if first <= last else (last, first)


def entry_of_item(item: Item, today: date) -> Entry | None:
    """The calendar entry of a stored item (None when it has neither due nor start)."""
    span = item_span(item)
    if span is None:
        return None
    overdue = item.is_open and item.due is not None and item.due.date() < today
    return Entry(
        starts_at=clock_time(item.start),
        due_at=clock_time(item.due),
        key=f"item:{item.id}",
        kind=EntryKind.ITEM,
        title=item.title,
        first=span[0],
        last=span[1],
        item_id=item.id,
        series_id=item.series_id,
        occurrence=item.occurrence,
        container_id=item.container_id,
        project=item.project,
        project_task=item.project_kind is ContainerKind.PROJECT,
        overdue=overdue,
        milestone=item.milestone,
        recurring=item.is_recurring,
        done=not item.is_open,
        priority_rank=item.priority.rank if item.priority else 0,
        version=item.version,
    )


def clock_time(moment: datetime | None) -> time | None:
    """The time of day worth printing: None for a bare date (00:00) or an "end of day"
    (23:59:59, what ``eod``/``eow``… mean)."""
    if moment is None or moment.time() in (time.min, END_OF_DAY):
        return None
    return moment.time()


@dataclass(frozen=True, slots=True)
class SeriesInfo:
    """What projecting a routine needs: its rule, first date, and what is stored.

    ``frontier`` is the occurrence the team is on now (the earliest open one, else the
    latest stored one); only dates after it are projected. ``stored`` holds the stored
    occurrence dates in the period, so a date is never shown twice.
    """

    id: int
    title: str
    recurrence: Recurrence
    dtstart: date
    container_id: int | None = None
    project: str | None = None
    frontier: date | None = None
    stored: frozenset[date] = field(default_factory=frozenset)


def projected_dates(series: SeriesInfo, first: date, last: date, today: date) -> list[date]:
    """The routine's future dates in [first, last] that are not stored: after the
    frontier and from today on. A rule the engine refuses projects nothing."""
    start = max(first, today)
    if series.frontier is not None:
        start = max(start, series.frontier + timedelta(days=1))
    if start > last:
        return []
    simple = _simple_rule(series.recurrence)
    if simple is not None:
        dates = _simple_dates(simple, series.dtstart, start, last)
    else:
        try:
            dates = occurrences(series.recurrence, dtstart=series.dtstart, start=start, end=last)
        except RecurrenceError:
            return []
    return [d for d in dates if d not in series.stored]


#: Rules ``_simple_dates`` counts by hand, and the biggest interval the engine accepts.
_SIMPLE_FREQS = frozenset({"DAILY", "WEEKLY", "MONTHLY"})
_MAX_INTERVAL = 1000
#: The engine's limits: at most this many dates, and a completion chain walks at most
#: ten times as many steps from its first date (``recurrence.occurrences``).
_LIMIT = 1000
_CHAIN_STEPS = 10 * _LIMIT


@dataclass(frozen=True, slots=True)
class _Simple:
    """A rule that is plain arithmetic: every ``step`` days/weeks/months, optionally on
    some weekdays (``weekdays``, Monday = 0; weekly rules of interval 1 only)."""

    freq: str
    step: int
    weekdays: frozenset[int] | None = None
    chain: bool = False  # completion-anchored: the engine walks a bounded chain


@lru_cache(maxsize=256)
def _simple_rule(rec: Recurrence) -> _Simple | None:
    """The arithmetic form of a rule with nothing but FREQ (daily, weekly, monthly),
    INTERVAL and, weekly every week, plain weekdays (BYDAY=MO,TH); else None.

    Those dates are plain arithmetic; building a dateutil rule for each routine on
    every period read cost more than the rest of the read at 800 routines. Anything
    else (other BY parts, COUNT, UNTIL, a completion-anchored month) goes through the
    engine, and tests hold both to the same dates.
    """
    body = rec.rrule.strip().upper().removeprefix("RRULE:").strip(";")
    parts = dict(chunk.partition("=")[::2] for chunk in body.split(";"))
    freq, interval = parts.pop("FREQ", ""), parts.pop("INTERVAL", "1")
    byday = parts.pop("BYDAY", None)
    if parts or freq not in _SIMPLE_FREQS or not interval.isdigit() or interval[0] == "0":
        return None
    step = int(interval)
    chain = rec.anchor is RecurrenceAnchor.COMPLETION
    if not 1 <= step <= _MAX_INTERVAL or (chain and (freq == "MONTHLY" or byday)):
        return None
    if byday is None:
        return _Simple(freq, step, chain=chain)
    codes = byday.split(",")
    if (
        freq != "WEEKLY"
        or step != 1
        or not set(codes) <= set(_DAY_CODES)
        or len(set(codes)) != len(codes)
    ):
        return None
    return _Simple(freq, step, frozenset(_DAY_CODES.index(code) for code in codes))


def _simple_dates(rule: _Simple, dtstart: date, start: date, end: date) -> list[date]:
    """The dates of ``rule`` from ``dtstart`` in [start, end], as the engine gives them
    (RFC 5545: a month without ``dtstart``'s day, e.g. the 31st, is skipped; weekdays
    count from ``dtstart`` on)."""
    if start > end or dtstart > end:
        return []
    if rule.freq == "MONTHLY":
        return _monthly(rule.step, dtstart, start, end)[:_LIMIT]
    if rule.weekdays is not None:
        day = max(start, dtstart)
        span = (end - day).days + 1
        found = [day + timedelta(days=n) for n in range(span)]
        return [d for d in found if d.weekday() in rule.weekdays][:_LIMIT]
    days = rule.step * (7 if rule.freq == "WEEKLY" else 1)
    skip = max(0, -(-(start - dtstart).days // days))  # whole steps to reach start
    count = (end - dtstart).days // days + 1 - skip
    if rule.chain:
        count = min(count, _CHAIN_STEPS - skip)
    return [dtstart + timedelta(days=(skip + n) * days) for n in range(max(0, count))][:_LIMIT]


def _monthly(step: int, dtstart: date, start: date, end: date) -> list[date]:
    """Every ``step`` months on ``dtstart``'s day of the month, within [start, end]."""
    base = dtstart.year * 12 + dtstart.month - 1
    wanted = start.year * 12 + start.month - 1
    index = base + max(0, -(-(wanted - base) // step)) * step
    out: list[date] = []
    while True:
        year, month = divmod(index, 12)
        if year > end.year:
            return out
        if dtstart.day <= _stdlib_calendar.monthrange(year, month + 1)[1]:
            day = date(year, month + 1, dtstart.day)
            if day > end:
                return out
            if day >= start:
                out.append(day)
        index += step


def projected_entries(
    series: Iterable[SeriesInfo], first: date, last: date, today: date
) -> list[Entry]:
    """Entries for every projected occurrence of every series in the period."""
    out: list[Entry] = []
    for one in series:
        for day in projected_dates(one, first, last, today):
            out.append(
                Entry(
                    key=f"series:{one.id}:{day.isoformat()}",
                    kind=EntryKind.PROJECTED,
                    title=one.title,
                    first=day,
                    last=day,
                    series_id=one.id,
                    occurrence=day,
                    container_id=one.container_id,
                    project=one.project,
                    recurring=True,
                )
            )
    return out


def project_markers(project: Container, finish: date | None) -> list[Entry]:
    """A project's start, scheduled finish and deadline as entries."""
    out: list[Entry] = []
    for kind, day, label in (
        (EntryKind.PROJECT_START, project.start, "starts"),
        (EntryKind.PROJECT_FINISH, finish, "finishes"),
        (EntryKind.PROJECT_DEADLINE, project.deadline, "deadline"),
    ):
        if day is None:
            continue
        late = kind is EntryKind.PROJECT_FINISH and project.deadline and day > project.deadline
        out.append(
            Entry(
                key=f"{kind.value}:{project.id}",
                kind=kind,
                title=f"{project.name} {label}" + (" LATE" if late else ""),
                first=day,
                last=day,
                container_id=project.id,
                project=project.name,
                overdue=bool(late),
            )
        )
    return out


def _order(entry: Entry) -> tuple[int, int, int, int, int, str, str]:
    """Markers first, then open before done, overdue first, higher priority, earlier
    start, title."""
    return (
        0 if entry.kind.is_marker else 1,
        1 if entry.done else 0,
        0 if entry.overdue else 1,
        -entry.priority_rank,
        entry.first.toordinal(),
        entry.title.lower(),
        entry.key,
    )


def place(entries: Iterable[Entry], days: Sequence[date]) -> dict[date, list[Entry]]:
    """Each day's entries (a span on every day it covers), in display order."""
    wanted = set(days)
    out: dict[date, list[Entry]] = {day: [] for day in days}
    if not days:
        return out
    low, high = min(days), max(days)
    for entry in entries:
        day = max(entry.first, low)
        end = min(entry.last, high)
        while day <= end:
            if day in wanted:
                out[day].append(entry)
            day += timedelta(days=1)
    for day, day_entries in out.items():
        day_entries.sort(key=lambda e: (_edge(e, day), *_order(e)))
    return out


def _edge(entry: Entry, day: date) -> int:
    """0 when the entry starts or ends on ``day`` (its own day), 1 in the middle of a span:
    a day shows what begins or is due on it before what merely runs through it."""
    return 0 if day in (entry.first, entry.last) else 1


def fit(entries: Sequence[Entry], rows: int, total: int | None = None) -> tuple[list[Entry], int]:
    """What a day cell with ``rows`` lines shows, and the N of its "+N more" line.

    ``total`` is the day's real count when only the first entries were loaded. When
    everything fits, nothing is hidden; otherwise the last line says "+N more".
    """
    count = max(len(entries), total or 0)
    if rows <= 0:
        return [], count
    if count <= rows:
        shown = list(entries[:rows])
        return shown, count - len(shown)  # not 0 only when fewer were loaded than counted
    shown = list(entries[: rows - 1])
    return shown, count - len(shown)


# ------------------------------------------------------------------- moving


def moved(moment: datetime | None, days: int) -> datetime | None:
    """A date and time moved by whole days (the time of day stays)."""
    return None if moment is None else moment + timedelta(days=days)


def move_item_dates(
    start: datetime | None, due: datetime | None, days: int
) -> dict[str, datetime | None]:
    """The ``update_item`` changes that move an item by ``days``, keeping its span."""
    changes: dict[str, datetime | None] = {}
    if due is not None:
        changes["due"] = moved(due, days)
    if start is not None:
        changes["start"] = moved(start, days)
    return changes


def _split(body: str) -> list[tuple[str, str]]:
    return [(k, v) for k, _, v in (part.partition("=") for part in body.split(";"))]


def _shift_weekday(code: str, days: int) -> str:
    """``MO`` → ``TU`` for +1. An ordinal (``2MO``: the second Monday) cannot move by
    days: the second Monday plus a day is not always the second Tuesday."""
    if len(code) != 2:
        raise CalendarError(f"{code} (a numbered weekday) cannot be moved by days; edit the rule")
    return _DAY_CODES[(_DAY_CODES.index(code) + days) % 7]


def shift_rule(rec: Recurrence, dtstart: date, days: int) -> tuple[str, date]:
    """The rule body and first date of a series moved by ``days``: every future date
    lands ``days`` later (weekdays and month days in the rule move with it).

    Raises :class:`CalendarError` for a rule whose dates cannot all move by the same
    number of days (year days, week numbers, month days counted from the end, set
    positions, numbered weekdays, or a month day pushed out of 1..28 where months differ in length).
    """
    new_start = dtstart + timedelta(days=days)
    if rec.anchor is RecurrenceAnchor.COMPLETION:
        return rec.rrule, new_start
    parts = _split(rec.rrule)
    out: list[tuple[str, str]] = []
    for key, value in parts:
        if key in ("BYYEARDAY", "BYWEEKNO", "BYSETPOS"):
            raise CalendarError(f"a rule with {key} cannot be moved by days; edit the rule")
        if key == "BYDAY":
            value = ",".join(_shift_weekday(code, days) for code in value.split(","))
        elif key == "BYMONTHDAY":
            shifted_days = []
            for text in value.split(","):
                number = int(text) + days
                if int(text) < 1 or not 1 <= number <= 28:
                    raise CalendarError(
                        f"day {text} of the month moved by {days} days is not a day every "
                        "month has; edit the rule"
                    )
                shifted_days.append(str(number))
            value = ",".join(shifted_days)
        elif key == "BYMONTH" and "BYMONTHDAY" not in dict(parts):
            raise CalendarError("a rule with BYMONTH cannot be moved by days; edit the rule")
        out.append((key, value))
    return ";".join(f"{k}={v}" for k, v in out), new_start


@dataclass(frozen=True, slots=True)
class CalendarPage:
    """What the store returns for a period: the first items of each day (``items``) and
    how many there are on each day in all (``counts``, a span counted on every day)."""

    items: list[Item]
    counts: dict[date, int]
