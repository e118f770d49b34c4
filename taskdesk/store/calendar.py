"""The Calendar's reads and writes: a period's items, routines to project, moves.

- :meth:`CalendarStore.calendar_items` reads a period in a fixed number of queries,
  however many items it holds: one narrow query (id, dates, priority, category) for
  every item in the period, counted per day in Python, then the full items of only the
  first ``per_day`` of each day (the item page reader: 5 queries). A month with
  thousands of items costs one narrow scan, not thousands of cards.
- :meth:`CalendarStore.calendar_series` reads what projecting routines needs (4
  queries): the active series, where each one is now, and which dates are stored.
- The writes are each one undoable action: moving several tasks' dates at once (a
  project reschedule), storing a projected occurrence on another day, and moving a
  whole series (its rule and first date; undo puts both back).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from peewee import JOIN, Case, fn

from taskdesk.domain.calendar import CalendarError, CalendarPage, SeriesInfo, shift_rule
from taskdesk.domain.filters import Filter
from taskdesk.domain.model import ContainerKind, Item, Recurrence, RecurrenceAnchor
from taskdesk.store.base import ActionLog
from taskdesk.store.errors import NotFound, ValidationError
from taskdesk.store.fields import quoted
from taskdesk.store.mapping import load, to_date, to_datetime, tuples
from taskdesk.store.queries import CLOSED
from taskdesk.store.tables import ActivityRow, ItemRow, SeriesRow
from taskdesk.store.undo import UndoRedo

#: Keys ``reschedule_items`` accepts: dates only (a calendar move changes nothing else).
RESCHEDULE_KEYS = frozenset({"due", "start", "start_no_earlier", "pinned"})


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00): the period as datetimes."""
    return datetime.combine(first, time.min), datetime.combine(last + timedelta(days=1), time.min)


#: An item's place in a day's order, smaller first: (1 on the days a span merely runs
#: through, closed, not overdue, -priority, id).
_Ranked = tuple[int, int, int, int, int]


@dataclass(frozen=True, slots=True)
class _Span:
    """A multi-day item of the period: its first and last day and its rank keys."""

    first: date
    last: date
    ranked: tuple[int, int, int, int]


def _span_rows(
    spans: list[_Span], first: date, last: date, per_day: int, counts: dict[date, int]
) -> tuple[list[list[_Ranked]], list[list[_Ranked]]]:
    """Count the spans on every day of [first, last] into ``counts``, and keep, per day
    (by offset from ``first``), the first ``per_day`` spans that start or end on it
    (``edges``) and that merely run through it (``middles``), each in rank order.

    Linear in spans + days, not in span-days: the counts are a running sum of +1/-1
    marks, and a day whose ``middles`` are full is skipped over (a month of thousands
    of long spans costs what a month of a few does).
    """
    size = (last - first).days + 1
    marks = [0] * (size + 1)
    edges: list[list[_Ranked]] = [[] for _ in range(size)]
    middles: list[list[_Ranked]] = [[] for _ in range(size)]
    after = list(range(size + 1))  # after[n]: the first day >= n whose middles aren't full

    def open_from(n: int) -> int:
        while after[n] != n:
            after[n] = after[after[n]]
            n = after[n]
        return n

    for span in sorted(spans, key=lambda one: one.ranked):
        start, end = (span.first - first).days, (span.last - first).days
        low, high = max(start, 0), min(end, size - 1)
        if low > high:
            continue
        marks[low] += 1
        marks[high + 1] -= 1
        if per_day <= 0:
            continue
        for n in {start, end}:
            if 0 <= n < size and len(edges[n]) < per_day:
                edges[n].append((0, *span.ranked))
        n = open_from(max(low, start + 1))
        while n <= min(high, end - 1):
            middles[n].append((1, *span.ranked))
            if len(middles[n]) >= per_day:
                after[n] = n + 1
            n = open_from(n + 1)
    running = 0
    for n in range(size):
        running += marks[n]
        if running:
            day = first + timedelta(days=n)
            counts[day] = counts.get(day, 0) + running
    return edges, middles


class _RankKeys:
    """The SQL of a day's order: open before closed, overdue first, higher priority.

    The same expressions rank the single-day items in the database and give the spans
    their keys, so both merge in one order.
    """

    def __init__(self, store: CalendarStore, today: datetime) -> None:
        i, s = store.tables.item, store.tables.status
        closed = s.category.in_(CLOSED)
        self.closed: Any = Case(None, [(closed, 1)], 0)
        self.overdue: Any = Case(None, [(~closed & (i.due < today), 0)], 1)
        self.priority: Any = Case(i.priority, [("H", 3), ("M", 2), ("L", 1)], 0)


class CalendarStore(UndoRedo):
    """The Calendar screen's part of the store."""

    # ------------------------------------------------------------------- reads
    def calendar_items(
        self,
        first: date,
        last: date,
        *,
        container_id: int | None = None,
        kind: ContainerKind | None = None,
        flt: Filter | None = None,
        include_closed: bool = True,
        per_day: int = 20,
        now: datetime | None = None,
    ) -> CalendarPage:
        """Live items whose due or start falls in [first, last], or whose start..due
        span covers part of it: the first ``per_day`` of each day (the day's own items
        before spans merely running through it, then open before closed, overdue first,
        higher priority first, then by id) and every day's full count.
        ``container_id`` keeps one area/project; ``kind`` keeps items of every
        container of that kind (Project mode's "all projects").

        Seven queries, however many items the period holds: the database counts and
        ranks the single-day items per day (one windowed query), the few multi-day
        spans come back as rows and are counted here, and only the chosen items are
        loaded (the 5-query page read).
        """
        if last < first:
            return CalendarPage(items=[], counts={})
        moment = now or self.now()
        conditions = self._calendar_conditions(container_id, kind, flt, include_closed, moment)
        key = _RankKeys(self, datetime.combine(moment.date(), time.min))
        per_day = max(0, per_day)
        singles = self._single_days(first, last, conditions, key, per_day)
        spans = self._spans(first, last, conditions, key)
        counts: dict[date, int] = {day: total for day, (total, _rows) in singles.items()}
        edges, middles = _span_rows(spans, first, last, per_day, counts)
        chosen: dict[int, None] = {}
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            own = [*singles.get(day, (0, []))[1], *edges[offset]]
            own.sort()
            rows = own[:per_day] + middles[offset][: max(0, per_day - len(own))]
            chosen.update((row[-1], None) for row in rows)
        return CalendarPage(items=self.get_items(list(chosen)), counts=counts)

    def _calendar_conditions(
        self,
        container_id: int | None,
        kind: ContainerKind | None,
        flt: Filter | None,
        include_closed: bool,
        now: datetime,
    ) -> list[Any]:
        """Live, visible to the actor, in scope, through the filter (if any)."""
        i, s = self.tables.item, self.tables.status
        conditions: list[Any] = [i.deleted_at.is_null(), self._filters.visible()]
        conditions += self._scope(container_id, kind)
        if flt is not None and not flt.is_empty:
            conditions += self._filters.conditions(
                replace(flt, include_closed=flt.include_closed or include_closed), now=now
            )
        if not include_closed:
            conditions.append(s.category.not_in(CLOSED))
        return conditions

    def _single_days(
        self, first: date, last: date, conditions: list[Any], key: _RankKeys, per_day: int
    ) -> dict[date, tuple[int, list[_Ranked]]]:
        """Items on one day only (due or start, or both on the same day): per day, how
        many there are and the rank keys of the first ``per_day`` (ranked by the
        database: one query, the window functions of SQLite ≥ 3.25 and PostgreSQL)."""
        i, s = self.tables.item, self.tables.status
        low, high = _bounds(first, last)
        day = fn.date(fn.COALESCE(i.due, i.start)).coerce(False)
        single = i.start.is_null() | i.due.is_null() | (fn.date(i.start) == fn.date(i.due))
        # Not "due IS NULL AND start in range": SQLite would then search the due index
        # for NULL (every undated item); `single` drops the other rows this lets in.
        within = ((i.due >= low) & (i.due < high)) | ((i.start >= low) & (i.start < high))
        order = [key.closed, key.overdue, key.priority.desc(), i.id]
        ranked = (
            i.select(
                day.alias("day"),
                key.closed.alias("closed"),
                key.overdue.alias("overdue"),
                key.priority.alias("prio"),
                i.id.alias("id"),
                fn.ROW_NUMBER().over(partition_by=[day], order_by=order).alias("rn"),
                fn.COUNT(i.id).over(partition_by=[day]).alias("total"),
            )
            .join(s, on=(i.status_id == s.id))
            .where(within, single, *conditions)
        )
        rows = ranked.select_from(
            ranked.c.day,
            ranked.c.total,
            ranked.c.closed,
            ranked.c.overdue,
            ranked.c.prio,
            ranked.c.id,
            ranked.c.rn,
        ).where(ranked.c.rn <= max(1, per_day))
        out: dict[date, tuple[int, list[_Ranked]]] = {}
        for found, total, closed, overdue, prio, item_id, rn in tuples(rows.tuples()):
            as_date = to_date(found)
            if as_date is None:
                continue
            _n, kept = out.setdefault(as_date, (int(total), []))
            if int(rn) <= per_day:
                kept.append((0, int(closed), int(overdue), -int(prio), int(item_id)))
        return out

    def _spans(self, first: date, last: date, conditions: list[Any], key: _RankKeys) -> list[_Span]:
        """Items whose start and due fall on different days and cover part of the
        period (usually few: project tasks, trips), with their rank keys."""
        i, s = self.tables.item, self.tables.status
        low, high = _bounds(first, last)
        both = i.start.is_null(False) & i.due.is_null(False) & (fn.date(i.start) != fn.date(i.due))
        overlap = (
            ((i.due >= low) & (i.due < high))
            | ((i.start >= low) & (i.start < high))
            | ((i.start < low) & (i.due >= high))
        )
        query = (
            i.select(
                fn.date(i.start).coerce(False),
                fn.date(i.due).coerce(False),
                key.closed,
                key.overdue,
                key.priority,
                i.id,
            )
            .join(s, on=(i.status_id == s.id))
            .where(both, overlap, *conditions)
            .tuples()
        )
        out: list[_Span] = []
        for start, due, closed, overdue, prio, item_id in tuples(query):
            a, b = to_date(start), to_date(due)
            if a is None or b is None:
                continue
            ranked = (int(closed), int(overdue), -int(prio), int(item_id))
            out.append(_Span(min(a, b), max(a, b), ranked))
        return out

    def _scope(self, container_id: int | None, kind: ContainerKind | None) -> list[Any]:
        """Conditions on item.container_id for one container or a kind of container."""
        i, c = self.tables.item, self.tables.container
        out: list[Any] = []
        if container_id is not None:
            out.append(i.container_id == container_id)
        if kind is not None:
            out.append(i.container_id.in_(c.select(c.id).where(c.kind == kind.value)))
        return out

    def plan_fingerprints(self, project_ids: list[int]) -> dict[int, tuple[int, int, int, str]]:
        """Per project: a summary of its items that changes whenever its schedule could.

        (count, sum of ids, sum of versions, latest update) of every item the project
        holds, deleted ones included. Every change to an item bumps its version and its
        update time, and that covers all a schedule reads of it: dates, duration, links
        (kept on the successor), place in the plan, status, deletion; an item moving in
        or out changes the count or the sum of ids. One grouped query (the Calendar's
        project markers keep each project's finish while its summary holds, instead of
        scheduling every project again after any change to the store).
        """
        if not project_ids:
            return {}
        i = self.tables.item
        query = (
            i.select(
                i.container_id,
                fn.COUNT(i.id),
                fn.SUM(i.id),
                fn.SUM(i.version),
                fn.MAX(i.updated),
            )
            .where(i.container_id.in_(project_ids))
            .group_by(i.container_id)
        )
        return {
            int(project): (int(count), int(ids), int(versions), str(latest))
            for project, count, ids, versions, latest in tuples(query.tuples())
        }

    def calendar_series(
        self,
        first: date,
        last: date,
        *,
        container_id: int | None = None,
        kind: ContainerKind | None = None,
    ) -> list[SeriesInfo]:
        """The active routines that still have a live occurrence (4 queries): rule,
        first date, title, container, where each one is now (its earliest open
        occurrence, else its latest), and its live occurrence dates in [first, last]."""
        t = self.tables
        se, c, i, s = t.series, t.container, t.item, t.status
        wanted = (se.active == True) & (  # noqa: E712  (peewee builds SQL from ==)
            se.container_id.is_null() | c.id.not_in(self._filters.hidden_containers())
        )
        if container_id is not None:
            wanted &= se.container_id == container_id
        if kind is not None:
            wanted &= c.kind == kind.value
        joined = se.select(se.id).join(c, JOIN.LEFT_OUTER, on=(se.container_id == c.id))
        query = (
            se.select(se.id, se.rrule, se.anchor, se.dtstart, se.template, se.container_id, c.name)
            .join(c, JOIN.LEFT_OUTER, on=(se.container_id == c.id))
            .where(wanted)
            .order_by(se.id)
            .tuples()
        )
        series = list(tuples(query))
        if not series:
            return []
        # A subquery of the series' ids, not a list of them: one parameter instead of
        # hundreds for each of the three reads below.
        live = i.deleted_at.is_null() & i.series_id.in_(joined.where(wanted))
        latest = dict(
            tuples(
                i.select(i.series_id, fn.MAX(i.occurrence))
                .where(live)
                .group_by(i.series_id)
                .tuples()
            )
        )
        earliest_open = dict(
            tuples(
                i.select(i.series_id, fn.MIN(i.occurrence))
                .join(s, on=(i.status_id == s.id))
                .where(live & s.category.not_in(CLOSED))
                .group_by(i.series_id)
                .tuples()
            )
        )
        stored: dict[int, set[date]] = defaultdict(set)
        in_range = live & (i.occurrence >= first) & (i.occurrence <= last)
        for series_id, day in tuples(i.select(i.series_id, i.occurrence).where(in_range).tuples()):
            if (as_date := to_date(day)) is not None:
                stored[series_id].add(as_date)
        out: list[SeriesInfo] = []
        for series_id, rrule, anchor, dtstart, template, container, project in series:
            if series_id not in latest:
                continue  # no live occurrence: the routine was detached or deleted
            fields: dict[str, Any] = json.loads(template or "{}")
            frontier = to_date(earliest_open.get(series_id)) or to_date(latest.get(series_id))
            out.append(
                SeriesInfo(
                    id=series_id,
                    title=str(fields.get("title") or "Untitled"),
                    recurrence=Recurrence(rrule, RecurrenceAnchor(anchor)),
                    dtstart=to_date(dtstart) or first,
                    container_id=container,
                    project=project,
                    frontier=frontier,
                    stored=frozenset(stored.get(series_id, ())),
                )
            )
        return out

    # ------------------------------------------------------------------ writes
    def reschedule_items(
        self,
        dates: Mapping[int, Mapping[str, object]],
        *,
        description: str,
        expected_versions: Mapping[int, int] | None = None,
    ) -> list[Item]:
        """Set the dates of several items as ONE undoable action (a calendar move of a
        project task: the task and every successor the scheduler moved with it).

        Keys: due, start (datetime | None), start_no_earlier (date | None), pinned.
        """
        for changes in dates.values():
            unknown = sorted(set(changes) - RESCHEDULE_KEYS)
            if unknown:
                raise ValidationError(f"Cannot reschedule {unknown[0]!r}; only dates move.")
        versions = expected_versions or {}

        def run(act: ActionLog) -> list[int]:
            act.describe(description)
            for item_id, changes in dates.items():
                row = self._locked_row(item_id, versions.get(item_id))
                for key, value in changes.items():
                    self._update_one(act, row, key, value)
            return list(dates)

        return self.get_items(self._action(run))

    def move_occurrence(self, series_id: int, occurrence: date, days: int) -> Item:
        """Store the projected ``occurrence`` of a routine, due ``days`` later (one
        undoable action: undo removes it again). Unique (series, occurrence): when it
        is stored already, that item is the one moved."""

        def run(act: ActionLog) -> int:
            series = self._series_row(series_id)
            self._insert_occurrence(act, series, occurrence)
            i = self.tables.item
            found: ItemRow | None = (
                i.select(i.id)
                .where((i.series_id == series_id) & (i.occurrence == occurrence))
                .first()
            )
            if found is None:
                raise NotFound(f"Routine {series_id} has no occurrence on {occurrence}.")
            row = self._locked_row(found.id, allow_deleted=True)
            if row.deleted_at is not None:
                self._set_scalar(act, row, "deleted", None)
            due = to_datetime(row.due) or datetime.combine(occurrence, time.min)
            new_due = due + timedelta(days=days)
            act.describe(f"move {quoted(row.title)} to {new_due:%Y-%m-%d}")
            self._set_scalar(act, row, "due", new_due)
            return row.id

        return self._item_action(run)

    def shift_series(
        self,
        series_id: int,
        days: int,
        *,
        item_id: int | None = None,
        expected_version: int | None = None,
    ) -> Item:
        """Move a whole routine ``days`` later (earlier when negative): its rule and
        first date, and the occurrence ``item_id`` (its due/start, and its occurrence
        date when no other stored one has it). One undoable action; a rule whose dates
        cannot all move by days → ValidationError. Returns the item the change is
        recorded on (``item_id``, else the series' latest live occurrence)."""

        def run(act: ActionLog) -> int:
            series = self._series_row(series_id)
            rule = Recurrence(series.rrule, RecurrenceAnchor(series.anchor))
            dtstart = to_date(series.dtstart) or act.now.date()
            try:
                body, new_start = shift_rule(rule, dtstart, days)
            except CalendarError as exc:
                raise ValidationError(f"Cannot move the whole routine: {exc}.") from exc
            row = self._locked_row(self._anchor_item(series_id, item_id), expected_version)
            act.describe(f"move the routine {quoted(row.title)} by {days:+d} days")
            if body != series.rrule:
                self._check_rule({"rrule": body, "anchor": series.anchor}, new_start)
                act.touch(row.id, row.version)
                self.tables.series.update(rrule=body).where(
                    self.tables.series.id == series_id
                ).execute()
                old = {"rrule": series.rrule, "anchor": series.anchor}
                act.log(row.id, "recurrence", old, {"rrule": body, "anchor": series.anchor})
            self._set_series_dtstart(act, row, series_id, new_start)
            if item_id is not None:
                self._shift_occurrence(act, row, days)
            return row.id

        return self._item_action(run)

    # ----------------------------------------------------------------- helpers
    def _series_row(self, series_id: int) -> SeriesRow:
        se = self.tables.series
        series: SeriesRow | None = se.get_or_none(se.id == series_id)
        if series is None:
            raise NotFound(f"There is no routine {series_id}.")
        return series

    def _anchor_item(self, series_id: int, item_id: int | None) -> int:
        """The item a series change is logged on: the given one, else the latest live."""
        if item_id is not None:
            return item_id
        i = self.tables.item
        found = (
            i.select(i.id)
            .where((i.series_id == series_id) & i.deleted_at.is_null())
            .order_by(i.occurrence.desc(), i.id.desc())
            .first()
        )
        if found is None:
            raise NotFound(f"Routine {series_id} has no live occurrence.")
        return int(found.id)

    def _set_series_dtstart(self, act: ActionLog, row: ItemRow, series_id: int, day: date) -> None:
        """Move the series' first date, logged on ``row`` as ``series_dtstart``."""
        se = self.tables.series
        current = to_date(self._series_row(series_id).dtstart)
        if current == day:
            return
        act.touch(row.id, row.version)
        se.update(dtstart=day).where(se.id == series_id).execute()
        act.log(row.id, "series_dtstart", current, day)

    def _shift_occurrence(self, act: ActionLog, row: ItemRow, days: int) -> None:
        """Move one stored occurrence: its due and start, and its occurrence date."""
        for key in ("due", "start"):
            moment = to_datetime(getattr(row, key))
            if moment is not None:
                self._set_scalar(act, row, key, moment + timedelta(days=days))
        occurrence = to_date(row.occurrence)
        if occurrence is None or row.series_id is None:
            return
        target = occurrence + timedelta(days=days)
        i = self.tables.item
        taken = i.select(i.id).where(
            (i.series_id == row.series_id) & (i.occurrence == target) & (i.id != row.id)
        )
        if not taken.exists():
            self._set_scalar(act, row, "occurrence", target)

    def _apply_entry(self, act: ActionLog, entry: ActivityRow, *, undo: bool) -> None:
        """Undo/redo also know ``series_dtstart`` (a whole routine moved on the calendar)."""
        if entry.field != "series_dtstart":
            super()._apply_entry(act, entry, undo=undo)
            return
        assert entry.item_id is not None
        row = self._locked_row(entry.item_id, allow_deleted=True)
        target = to_date(load(entry.old if undo else entry.new))
        if row.series_id is not None and target is not None:
            self._set_series_dtstart(act, row, row.series_id, target)
