"""Field-level writes on one item: the only code that changes an item row.

Every change goes through a setter here, which (1) compares with the current value and
does nothing when equal, (2) bumps the item's version once per action, (3) writes, and
(4) logs ``field: old → new`` as JSON. User actions (add, modify, move…) and undo/redo
are both built from these setters, so an undo is logged, versioned and checked exactly
like any other change.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from peewee import IntegrityError, fn

from taskdesk.domain.model import (
    LinkType,
    Recurrence,
    RecurrenceAnchor,
    Status,
    StatusCategory,
)
from taskdesk.domain.text import clean_line
from taskdesk.store.base import ActionLog
from taskdesk.store.errors import DependencyCycle, NotFound, StaleWrite, ValidationError
from taskdesk.store.itemread import ItemReads
from taskdesk.store.mapping import dump, to_date, to_datetime, tuples
from taskdesk.store.tables import ItemRow

#: Activity field name → item column, for plain one-column fields.
SCALAR_COLUMNS: dict[str, str] = {
    "title": "title",
    "notes": "notes",
    "priority": "priority",
    "due": "due",
    "start": "start",
    "wait": "wait",
    "estimate_minutes": "estimate_minutes",
    "duration_days": "duration_days",
    "percent_complete": "percent_complete",
    "milestone": "milestone",
    "parent_id": "parent_id",
    "status": "status_id",
    "position": "position",
    "started": "started",
    "completed": "completed",
    "deleted": "deleted_at",
    "series_id": "series_id",
    "occurrence": "occurrence",
    # project mode (plan files, scheduling, leveling, earned value)
    "key": "key",
    "start_no_earlier": "start_no_earlier",
    "deadline": "deadline",
    "pinned": "pinned",
    "cost": "cost",
    "actual_cost": "actual_cost",
    "leveling_delay_days": "leveling_delay_days",
    "effort_hours": "effort_hours",
    "plan_position": "plan_position",
}
DATETIME_FIELDS = frozenset({"due", "start", "wait", "started", "completed", "deleted"})
DATE_FIELDS = frozenset({"occurrence", "start_no_earlier", "deadline"})

Link = tuple[int, str, float]


def decode_value(field: str, value: Any) -> Any:
    """Turn a JSON-loaded activity value back into what the setter for ``field`` takes."""
    if value is None:
        return None
    if field in DATETIME_FIELDS:
        return to_datetime(value)
    if field in DATE_FIELDS:
        return to_date(value)
    return value


def quoted(title: str) -> str:
    """A title for a sentence: in single quotes, cut at 60 characters."""
    return f"'{title if len(title) <= 60 else title[:59] + '…'}'"


def clean_tag(tag: str) -> str:
    """A tag as stored: one clean line, no leading ``+``."""
    return clean_line(tag).lstrip("+").strip()


def clean_login(login: str) -> str:
    """A login as stored: one clean line, no leading ``@``."""
    return clean_line(login).lstrip("@").strip()


class FieldWrites(ItemReads):
    """Setters for every item field, plus the checks they need (WIP, cycles, versions)."""

    def _locked_row(
        self,
        item_id: int,
        expected_version: int | None = None,
        *,
        allow_deleted: bool = False,
    ) -> ItemRow:
        """The item row, locked for this transaction; NotFound / StaleWrite as needed.

        SQLite's ``BEGIN IMMEDIATE`` already holds the write lock; PostgreSQL needs
        ``SELECT … FOR UPDATE`` so the version we compare cannot move under us.
        """
        i = self.tables.item
        query = i.select().where((i.id == item_id) & self._filters.visible())
        if self.backend == "postgresql":
            query = query.for_update()
        row: ItemRow | None = query.first()
        if row is None or (row.deleted_at is not None and not allow_deleted):
            raise NotFound(f"There is no item {item_id}.")
        if expected_version is not None and row.version != expected_version:
            raise StaleWrite(
                f"Item {item_id} was changed by someone else meanwhile (it is at version "
                f"{row.version}, you edited version {expected_version}); reload and try again.",
                item_id,
                expected_version,
                row.version,
            )
        return row

    # ------------------------------------------------------------------ scalar
    def _set_scalar(self, act: ActionLog, row: ItemRow, field: str, value: Any) -> bool:
        """Set one plain column; log and version it when it changes."""
        column = SCALAR_COLUMNS[field]
        old = getattr(row, column)
        if field in DATETIME_FIELDS:
            old = to_datetime(old)
        elif field in DATE_FIELDS:
            old = to_date(old)
        if old == value:
            return False
        act.touch(row.id, row.version)
        i = self.tables.item
        i.update({getattr(i, column): value}).where(i.id == row.id).execute()
        setattr(row, column, value)
        act.log(row.id, field, old, value)
        return True

    def _end_position(self, status_id: int, *, exclude: int | None = None) -> float:
        """A position after every card of the column."""
        i = self.tables.item
        query = i.select(fn.MAX(i.position)).where(
            (i.status_id == status_id) & i.deleted_at.is_null()
        )
        if exclude is not None:
            query = query.where(i.id != exclude)
        highest = query.scalar()
        return float(highest) + 1.0 if highest is not None else 1.0

    # ------------------------------------------------------------------ status
    def _check_wip(self, target: Status, item_id: int) -> None:
        """Refuse a move into a column at its hard WIP maximum."""
        if not target.wip_hard or target.wip_max is None:
            return
        i = self.tables.item
        count = (
            i.select()
            .where((i.status_id == target.id) & i.deleted_at.is_null() & (i.id != item_id))
            .count()
        )
        if count >= target.wip_max:
            raise ValidationError(
                f"'{target.name}' is at its hard WIP limit of {target.wip_max}; "
                "finish or move something out of it first."
            )

    def _apply_move(self, act: ActionLog, row: ItemRow, target: Status) -> None:
        """Status, position, started and completed times; the next occurrence if done.

        ``started`` is set the first time the item enters a started column and never
        cleared (cycle time counts from there); ``completed`` is set on entering a
        completed column and cleared on leaving it.
        """
        source = self.get_status(row.status_id)
        self._set_scalar(act, row, "status", target.id)
        self._set_scalar(act, row, "position", self._end_position(target.id, exclude=row.id))
        now = act.now
        if target.category is StatusCategory.STARTED and row.started is None:
            self._set_scalar(act, row, "started", now)
        entering_done = (
            target.category is StatusCategory.COMPLETED
            and source.category is not StatusCategory.COMPLETED
        )
        if entering_done:
            self._set_scalar(act, row, "completed", now)
        elif target.category is not StatusCategory.COMPLETED:
            self._set_scalar(act, row, "completed", None)
        if entering_done and row.series_id is not None:
            self._spawn_next_occurrence(act, row)

    def _spawn_next_occurrence(self, act: ActionLog, row: ItemRow) -> None:
        """Create the series' next occurrence (defined in :mod:`taskdesk.store.recurring`)."""
        raise NotImplementedError  # pragma: no cover - provided by RecurringWrites

    # ------------------------------------------------------------- container
    def _container_name(self, container_id: int | None) -> str | None:
        if container_id is None:
            return None
        c = self.tables.container
        row = c.get_or_none(c.id == container_id)
        return row.name if row else None

    def _set_project(self, act: ActionLog, row: ItemRow, name: str | None) -> None:
        """Move the item to the container ``name`` (created as an area if new), or none."""
        new_id = self._ensure_container_id(name) if name else None
        if new_id == row.container_id:
            return
        old_name = self._container_name(row.container_id)
        act.touch(row.id, row.version)
        i = self.tables.item
        i.update(container_id=new_id).where(i.id == row.id).execute()
        row.container_id = new_id
        act.log(row.id, "project", old_name, self._container_name(new_id))

    # -------------------------------------------------------------------- tags
    def _current_tags(self, item_id: int) -> list[str]:
        return sorted(self._tags_of([item_id]).get(item_id, []))

    def _set_tags(self, act: ActionLog, row: ItemRow, tags: Sequence[str]) -> None:
        """Replace the item's tags (logged as sorted lists)."""
        wanted = sorted({clean_tag(t) for t in tags} - {""})
        current = self._current_tags(row.id)
        if wanted == current:
            return
        act.touch(row.id, row.version)
        t = self.tables
        t.item_tag.delete().where(t.item_tag.item_id == row.id).execute()
        if wanted:
            ids = self._tag_ids(wanted)
            t.item_tag.insert_many(
                [{"item_id": row.id, "tag_id": ids[n]} for n in wanted]
            ).execute()
        act.log(row.id, "tags", current, wanted)

    def _tag_ids(self, names: Sequence[str]) -> dict[str, int]:
        """Tag ids by name, creating new tags (another process may create one meanwhile)."""
        tag = self.tables.tag
        found = {r.name: r.id for r in tag.select().where(tag.name.in_(list(names)))}
        for name in names:
            if name in found:
                continue
            try:
                with self.db.atomic():
                    found[name] = tag.insert(name=name).execute()
            except IntegrityError:
                found[name] = tag.get(tag.name == name).id
        return found

    # --------------------------------------------------------------- assignees
    def _current_assignees(self, item_id: int) -> list[tuple[str, float]]:
        return [(a.login, a.units) for a in self._assignees_of([item_id]).get(item_id, [])]

    def _set_assignees(
        self, act: ActionLog, row: ItemRow, assignees: Sequence[tuple[str, float]]
    ) -> None:
        """Replace the item's assignees, in order (people created on first use)."""
        wanted: dict[str, float] = {}
        for login, units in assignees:
            name = clean_login(login)
            if not name:
                continue
            if units <= 0:
                raise ValidationError(f"@{name}: units must be above 0.")
            wanted[name] = float(units)
        current = self._current_assignees(row.id)
        if list(wanted.items()) == current:
            return
        act.touch(row.id, row.version)
        a = self.tables.assignment
        a.delete().where(a.item_id == row.id).execute()
        for position, (login, units) in enumerate(wanted.items()):
            a.insert(
                item_id=row.id,
                person_id=self._ensure_person_id(login),
                units=units,
                position=position,
            ).execute()
        act.log(
            row.id,
            "assignees",
            [{"login": login, "units": u} for login, u in current],
            [{"login": login, "units": u} for login, u in wanted.items()],
        )

    # ------------------------------------------------------------ dependencies
    def _current_links(self, item_id: int) -> list[Link]:
        d = self.tables.dependency
        query = (
            d.select(d.predecessor_id, d.type, d.lag_days)
            .where(d.successor_id == item_id)
            .order_by(d.predecessor_id)
            .tuples()
        )
        return [(p, str(t), float(lag)) for p, t, lag in tuples(query)]

    def _path(self, start: int, goal: int) -> list[int] | None:
        """A path ``start`` ⇝ ``goal`` along links (predecessor → successor), or None.

        All links count, even those of deleted items: a deleted item may be restored
        (undo), and restoring must never close a cycle.
        """
        d = self.tables.dependency
        successors: dict[int, list[int]] = {}
        for pred, succ in tuples(d.select(d.predecessor_id, d.successor_id).tuples()):
            successors.setdefault(pred, []).append(succ)
        parent: dict[int, int | None] = {start: None}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node == goal:
                path: list[int] = []
                cursor: int | None = node
                while cursor is not None:
                    path.append(cursor)
                    cursor = parent[cursor]
                return path[::-1]
            for nxt in successors.get(node, []):
                if nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
        return None

    def _check_no_cycle(self, pred_id: int, succ_id: int) -> None:
        """Refuse ``pred → succ`` when ``succ`` already leads to ``pred``."""
        if pred_id == succ_id:
            raise DependencyCycle(f"Item {pred_id} cannot depend on itself.", [pred_id])
        path = self._path(succ_id, pred_id)
        if path is not None:
            cycle = [pred_id, *path[:-1]]
            shown = " → ".join(str(x) for x in [*cycle, pred_id])
            raise DependencyCycle(
                f"Item {succ_id} cannot depend on {pred_id}: that would close the cycle {shown}.",
                cycle,
            )

    def _set_depends(
        self, act: ActionLog, row: ItemRow, links: Sequence[Link], *, live_only: bool = True
    ) -> None:
        """Replace the item's incoming links (predecessor, type, lag)."""
        wanted: dict[int, tuple[str, float]] = {}
        for pred, kind, lag in links:
            wanted[int(pred)] = (LinkType(kind).value, float(lag))
        normalised = sorted((p, k, lag) for p, (k, lag) in wanted.items())
        current = self._current_links(row.id)
        if normalised == current:
            return
        known = {p for p, _, _ in current}
        self._check_predecessors([p for p, _, _ in normalised if p not in known], live_only)
        for pred, _, _ in normalised:
            if pred not in known:
                self._check_no_cycle(pred, row.id)
        act.touch(row.id, row.version)
        d = self.tables.dependency
        d.delete().where(d.successor_id == row.id).execute()
        if normalised:
            d.insert_many(
                [
                    {"predecessor_id": p, "successor_id": row.id, "type": k, "lag_days": lag}
                    for p, k, lag in normalised
                ]
            ).execute()
        act.log(row.id, "depends", _links_json(current), _links_json(normalised))

    def _check_predecessors(self, ids: Sequence[int], live_only: bool) -> None:
        if not ids:
            return
        i = self.tables.item
        query = i.select(i.id).where(i.id.in_(list(ids)) & self._filters.visible())
        if live_only:
            query = query.where(i.deleted_at.is_null())
        found = {r for (r,) in tuples(query.tuples())}
        missing = [x for x in ids if x not in found]
        if missing:
            raise NotFound(f"There is no item {missing[0]} to depend on.")

    # ------------------------------------------------------------------ parent
    def _check_parent(self, item_id: int | None, parent_id: int) -> None:
        """The parent exists and is not the item itself nor one of its descendants."""
        i = self.tables.item
        seen: set[int] = set()
        cursor: int | None = parent_id
        while cursor is not None and cursor not in seen:
            if cursor == item_id:
                raise ValidationError(
                    f"Item {parent_id} cannot be the parent of {item_id}: "
                    "that would make the item its own ancestor."
                )
            seen.add(cursor)
            row = i.get_or_none(i.id == cursor)
            if row is None or (cursor == parent_id and row.deleted_at is not None):
                raise NotFound(f"There is no item {cursor} to be the parent.")
            cursor = row.parent_id

    # ------------------------------------------------------------------- series
    def _series_template(self, row: ItemRow) -> dict[str, Any]:
        """What every later occurrence copies from the series."""
        due = to_datetime(row.due)
        return {
            "title": row.title,
            "notes": row.notes,
            "container_id": row.container_id,
            "priority": row.priority,
            "tags": self._current_tags(row.id),
            "assignees": [[login, u] for login, u in self._current_assignees(row.id)],
            "estimate_minutes": row.estimate_minutes,
            "duration_days": row.duration_days,
            "due_time": due.time().isoformat() if due else None,
        }

    def _series_rule(self, series_id: int | None) -> dict[str, str] | None:
        if series_id is None:
            return None
        se = self.tables.series
        series = se.get_or_none(se.id == series_id)
        return {"rrule": series.rrule, "anchor": series.anchor} if series else None

    def _set_recurrence(self, act: ActionLog, row: ItemRow, rule: dict[str, str] | None) -> None:
        """Attach, change or detach the item's recurrence.

        Detaching keeps the series row (past occurrences still point at it); attaching
        makes this item the first occurrence of a new series; changing an attached rule
        edits the series (logged as ``recurrence`` so undo can put it back).
        """
        se = self.tables.series
        if rule is None:
            if row.series_id is not None:
                self._set_scalar(act, row, "series_id", None)
                self._set_scalar(act, row, "occurrence", None)
            return
        if row.series_id is None:
            occurrence = self._occurrence_date(row, act.now)
            self._check_rule(rule, occurrence)
            series_id: int = se.insert(
                rrule=rule["rrule"],
                anchor=rule.get("anchor", "schedule"),
                dtstart=occurrence,
                template=dump(self._series_template(row)),
                container_id=row.container_id,
                created=act.now,
            ).execute()
            self._set_scalar(act, row, "series_id", series_id)
            self._set_scalar(act, row, "occurrence", occurrence)
            return
        current = self._series_rule(row.series_id)
        wanted = {"rrule": rule["rrule"], "anchor": rule.get("anchor", "schedule")}
        self._check_rule(wanted, self._occurrence_date(row, act.now))
        if current == wanted:
            return
        act.touch(row.id, row.version)
        se.update(rrule=wanted["rrule"], anchor=wanted["anchor"]).where(
            se.id == row.series_id
        ).execute()
        act.log(row.id, "recurrence", current, wanted)

    @staticmethod
    def _check_rule(rule: dict[str, str], day: date) -> None:
        """Refuse a rule the recurrence engine cannot expand (before it is stored)."""
        from taskdesk.domain.recurrence import RecurrenceError, next_occurrence

        try:
            rec = Recurrence(rule["rrule"], RecurrenceAnchor(rule.get("anchor", "schedule")))
            next_occurrence(rec, dtstart=day, after=day)
        except (RecurrenceError, ValueError) as exc:
            raise ValidationError(f"Cannot repeat on {rule['rrule']!r}: {exc}") from exc

    @staticmethod
    def _occurrence_date(row: ItemRow, now: datetime) -> date:
        """The occurrence an item stands for: its due date, else start date, else today."""
        for value in (row.due, row.start):
            moment = to_datetime(value)
            if moment is not None:
                return moment.date()
        return now.date()

    @staticmethod
    def _due_on(day: date, due_time: str | None) -> datetime:
        """The due datetime of an occurrence: its date at the series' time of day."""
        return datetime.combine(day, time.fromisoformat(due_time) if due_time else time(0, 0))


def _links_json(links: Sequence[Link]) -> list[dict[str, Any]]:
    return [{"id": p, "type": k, "lag": lag} for p, k, lag in links]
