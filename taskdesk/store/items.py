"""The item write API: add, modify, update, move, reorder, delete, comment, link.

Each public method is one undoable action in one transaction: it locks the item row,
checks the caller's ``expected_version`` (optimistic concurrency: the edit form read
version 7, someone else saved version 8 meanwhile → :class:`StaleWrite`, nothing
written), applies field setters, and returns the item as it now is.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from taskdesk.domain.model import (
    Assignment,
    Comment,
    Dependency,
    Item,
    LinkType,
    ParsedItem,
    Priority,
    StatusCategory,
)
from taskdesk.domain.text import clean_text, clean_title
from taskdesk.store.base import ActionLog
from taskdesk.store.errors import NotFound, ValidationError
from taskdesk.store.fields import clean_tag, quoted
from taskdesk.store.mapping import comment_from_row, naive, tuples
from taskdesk.store.recurring import RecurringWrites
from taskdesk.store.tables import ItemRow

#: Names a quick-add parser may put in ``ParsedItem.given``, and the field they mean.
GIVEN_ALIASES = {
    "title": "title",
    "description": "title",
    "project": "project",
    "pro": "project",
    "due": "due",
    "start": "start",
    "scheduled": "start",
    "wait": "wait",
    "priority": "priority",
    "pri": "priority",
    "tags": "tags",
    "tag": "tags",
    "remove_tags": "tags",
    "assignees": "assignees",
    "assignee": "assignees",
    "remove_assignees": "assignees",
    "recurrence": "recurrence",
    "every": "recurrence",
    "after": "recurrence",
    "estimate": "estimate_minutes",
    "est": "estimate_minutes",
    "estimate_minutes": "estimate_minutes",
    "duration": "duration_days",
    "dur": "duration_days",
    "duration_days": "duration_days",
    "depends": "depends",
    "milestone": "milestone",
}

#: Keys ``update_item`` accepts (the edit form's fields).
UPDATE_KEYS = frozenset(
    {
        "title",
        "notes",
        "priority",
        "due",
        "start",
        "wait",
        "estimate_minutes",
        "duration_days",
        "percent_complete",
        "milestone",
        "project",
        "parent_id",
        "tags",
        "assignees",
        "status_id",
        # project mode
        "key",
        "start_no_earlier",
        "deadline",
        "pinned",
        "cost",
        "actual_cost",
        "leveling_delay_days",
        "effort_hours",
    }
)


def _title(text: str) -> str:
    title = clean_title(text)
    if not title:
        raise ValidationError("An item needs a title.")
    return title


def _priority(value: object) -> str | None:
    if value is None or value == "":
        return None
    try:
        return Priority(str(value)).value
    except ValueError:
        raise ValidationError(f"Priority {value!r} is not one of H, M, L.") from None


def _moment(key: str, value: object) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return naive(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    raise ValidationError(f"{key} must be a date and time, not {value!r}.")


def _non_negative(key: str, value: object, *, integer: bool = False) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{key} must be a number, not {value!r}.")
    if value < 0:
        raise ValidationError(f"{key} cannot be negative.")
    return int(value) if integer else float(value)


def _day(key: str, value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise ValidationError(f"{key} must be a date, not {value!r}.")


def _status_id(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"status_id must be a status id, not {value!r}.")
    return value


def _logins(values: object) -> list[tuple[str, float]]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise ValidationError("assignees must be a list of logins.")
    out: list[tuple[str, float]] = []
    for value in values:
        if isinstance(value, Assignment):
            out.append((value.login, value.units))
        elif isinstance(value, str):
            out.append((value, 1.0))
        else:
            raise ValidationError(f"{value!r} is not a login.")
    return out


def _strings(key: str, values: object) -> list[str]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise ValidationError(f"{key} must be a list of names.")
    if not all(isinstance(v, str) for v in values):
        raise ValidationError(f"{key} must be a list of names.")
    return list(values)


class ItemWrites(RecurringWrites):
    """Public item writes."""

    def _item_action(self, fn: Callable[[ActionLog], int]) -> Item:
        """Run an action that returns an item id; return that item as it now is."""
        return self._action(lambda act: self.get_item(fn(act)))

    # --------------------------------------------------------------------- add
    def add_item(
        self,
        parsed: ParsedItem,
        *,
        status_id: int | None = None,
        parent_id: int | None = None,
        now: datetime | None = None,
    ) -> Item:
        """Create an item from what quick-add parsed (see API.md for the details)."""
        title = _title(parsed.title)
        estimate = _non_negative("The estimate", parsed.estimate_minutes, integer=True)
        duration = _non_negative("The duration", parsed.duration_days)

        def run(act: ActionLog) -> int:
            if now is not None:
                act.now = naive(now) or act.now
            status = (
                self.get_status(status_id)
                if status_id is not None
                else self.first_status(StatusCategory.UNSTARTED)
            )
            self._check_wip(status, -1)
            if parent_id is not None:
                self._check_parent(None, parent_id)
            container_id = self._ensure_container_id(parsed.project) if parsed.project else None
            started = act.now if status.category is StatusCategory.STARTED else None
            completed = act.now if status.category is StatusCategory.COMPLETED else None
            i = self.tables.item
            new_id: int = i.insert(
                uuid=str(uuid.uuid4()),
                title=title,
                status_id=status.id,
                priority=_priority(parsed.priority),
                due=_moment("due", parsed.due),
                start=_moment("start", parsed.start),
                wait=_moment("wait", parsed.wait),
                estimate_minutes=estimate,
                duration_days=duration,
                milestone=bool(parsed.milestone),
                parent_id=parent_id,
                container_id=container_id,
                position=self._end_position(status.id),
                created=act.now,
                updated=act.now,
                started=started,
                completed=completed,
                created_by=self.actor,
                version=1,
            ).execute()
            act.mark_created(new_id)
            act.describe(f"add {quoted(title)}")
            act.log(new_id, "created", None, title)
            act.log(new_id, "status", None, status.id)
            self._add_relations(act, self._locked_row(new_id), parsed)
            return new_id

        return self._item_action(run)

    def _add_relations(self, act: ActionLog, row: ItemRow, parsed: ParsedItem) -> None:
        if parsed.tags:
            self._set_tags(act, row, parsed.tags)
        if parsed.assignees:
            self._set_assignees(act, row, [(login, 1.0) for login in parsed.assignees])
        if parsed.depends:
            self._set_depends(act, row, [(p, LinkType.FS.value, 0.0) for p in parsed.depends])
        if parsed.recurrence is not None:
            rule = {"rrule": parsed.recurrence.rrule, "anchor": parsed.recurrence.anchor.value}
            self._set_recurrence(act, row, rule)

    # ------------------------------------------------------------------ modify
    def modify_item(
        self, item_id: int, parsed: ParsedItem, *, expected_version: int | None = None
    ) -> Item:
        """Change only what ``parsed.given`` names (tags and assignees: add and remove)."""
        given = {GIVEN_ALIASES.get(name, name) for name in parsed.given}
        if parsed.tags or parsed.remove_tags:
            given.add("tags")
        if parsed.assignees or parsed.remove_assignees:
            given.add("assignees")
        if parsed.depends:
            given.add("depends")

        def run(act: ActionLog) -> int:
            row = self._locked_row(item_id, expected_version)
            act.describe(f"modify {quoted(row.title)}")
            self._modify_scalars(act, row, parsed, given)
            if "project" in given:
                self._set_project(act, row, parsed.project)
            if "tags" in given:
                self._modify_tags(act, row, parsed)
            if "assignees" in given:
                self._modify_assignees(act, row, parsed)
            if "depends" in given:
                links = self._current_links(row.id)
                known = {p for p, _, _ in links}
                links += [(p, LinkType.FS.value, 0.0) for p in parsed.depends if p not in known]
                self._set_depends(act, row, links)
            if "recurrence" in given:
                rec = parsed.recurrence
                rule = {"rrule": rec.rrule, "anchor": rec.anchor.value} if rec else None
                self._set_recurrence(act, row, rule)
            return row.id

        return self._item_action(run)

    def _modify_scalars(
        self, act: ActionLog, row: ItemRow, parsed: ParsedItem, given: set[str]
    ) -> None:
        if "title" in given:
            self._set_scalar(act, row, "title", _title(parsed.title))
        for key in ("due", "start", "wait"):
            if key in given:
                self._set_scalar(act, row, key, _moment(key, getattr(parsed, key)))
        if "priority" in given:
            self._set_scalar(act, row, "priority", _priority(parsed.priority))
        if "estimate_minutes" in given:
            value = _non_negative("The estimate", parsed.estimate_minutes, integer=True)
            self._set_scalar(act, row, "estimate_minutes", value)
        if "duration_days" in given:
            value = _non_negative("The duration", parsed.duration_days)
            self._set_scalar(act, row, "duration_days", value)
        if "milestone" in given:
            self._set_scalar(act, row, "milestone", bool(parsed.milestone))

    def _modify_tags(self, act: ActionLog, row: ItemRow, parsed: ParsedItem) -> None:
        drop = {clean_tag(t).lower() for t in parsed.remove_tags}
        tags = [t for t in self._current_tags(row.id) + list(parsed.tags) if t.lower() not in drop]
        self._set_tags(act, row, tags)

    def _modify_assignees(self, act: ActionLog, row: ItemRow, parsed: ParsedItem) -> None:
        drop = {login.lstrip("@").lower() for login in parsed.remove_assignees}
        current = self._current_assignees(row.id)
        have = {login.lower() for login, _ in current}
        wanted = current + [(a, 1.0) for a in parsed.assignees if a.lstrip("@").lower() not in have]
        self._set_assignees(act, row, [(a, u) for a, u in wanted if a.lower() not in drop])

    # ------------------------------------------------------------------ update
    def update_item(
        self,
        item_id: int,
        changes: Mapping[str, object],
        *,
        expected_version: int | None = None,
    ) -> Item:
        """The edit form's save: set each given key (tags/assignees replace)."""
        unknown = sorted(set(changes) - UPDATE_KEYS)
        if unknown:
            raise ValidationError(
                f"Cannot edit {unknown[0]!r}; editable: {', '.join(sorted(UPDATE_KEYS))}."
            )

        def run(act: ActionLog) -> int:
            row = self._locked_row(item_id, expected_version)
            act.describe(f"edit {quoted(row.title)}")
            for key, value in changes.items():
                if key != "status_id":
                    self._update_one(act, row, key, value)
            if "status_id" in changes:
                target = self.get_status(_status_id(changes["status_id"]))
                if target.id != row.status_id:
                    self._check_wip(target, row.id)
                    self._apply_move(act, row, target)
            return row.id

        return self._item_action(run)

    def _update_one(self, act: ActionLog, row: ItemRow, key: str, value: object) -> None:
        if key == "title":
            self._set_scalar(act, row, "title", _title(str(value or "")))
        elif key == "notes":
            self._set_scalar(act, row, "notes", clean_text(str(value or "")))
        elif key == "priority":
            self._set_scalar(act, row, "priority", _priority(value))
        elif key in ("due", "start", "wait"):
            self._set_scalar(act, row, key, _moment(key, value))
        elif key == "estimate_minutes":
            self._set_scalar(act, row, key, _non_negative("The estimate", value, integer=True))
        elif key == "duration_days":
            self._set_scalar(act, row, key, _non_negative("The duration", value))
        elif key == "percent_complete":
            percent = _non_negative("Percent complete", value) or 0.0
            if percent > 100:
                raise ValidationError("Percent complete cannot be above 100.")
            self._set_scalar(act, row, key, percent)
        elif key == "milestone":
            self._set_scalar(act, row, key, bool(value))
        elif key == "project":
            self._set_project(act, row, str(value) if value else None)
        elif key == "parent_id":
            if value is not None:
                if not isinstance(value, int):
                    raise ValidationError(f"parent_id must be an item id, not {value!r}.")
                self._check_parent(row.id, value)
            self._set_scalar(act, row, "parent_id", value)
        elif key == "tags":
            self._set_tags(act, row, _strings("tags", value))
        elif key == "assignees":
            units = dict(self._current_assignees(row.id))
            pairs = [(login, units.get(login, u)) for login, u in _logins(value)]
            self._set_assignees(act, row, pairs)
        else:
            self._update_project_field(act, row, key, value)

    def _update_project_field(self, act: ActionLog, row: ItemRow, key: str, value: object) -> None:
        """The project-mode keys of ``update_item`` (key, dates, pinned, money, effort)."""
        if key == "key":
            self._set_scalar(act, row, "key", self._checked_key(row, value))
        elif key in ("start_no_earlier", "deadline"):
            self._set_scalar(act, row, key, _day(key, value))
        elif key == "pinned":
            self._set_scalar(act, row, key, bool(value))
        elif key in ("cost", "actual_cost", "effort_hours"):
            self._set_scalar(act, row, key, _non_negative(key, value))
        elif key == "leveling_delay_days":
            self._set_scalar(act, row, key, _non_negative(key, value) or 0.0)

    def _checked_key(self, row: ItemRow, value: object) -> str | None:
        """A task key as stored: a valid plan-file key, unique among its project's tasks."""
        from taskdesk.domain.projectplan import key_problem

        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise ValidationError(f"key must be text, not {value!r}.")
        text = value.strip()
        problem = key_problem(text)
        if problem:
            raise ValidationError(f"Task key {text!r}: {problem}.")
        if row.container_id is not None:
            i = self.tables.item
            clash = (
                i.select(i.id)
                .where(
                    (i.container_id == row.container_id)
                    & (i.key == text)
                    & (i.id != row.id)
                    & i.deleted_at.is_null()
                )
                .first()
            )
            if clash is not None:
                raise ValidationError(
                    f"Task key {text!r} is taken by item {clash.id} in the same project."
                )
        return text

    # -------------------------------------------------------------------- move
    def move_item(
        self, item_id: int, status_id: int, *, expected_version: int | None = None
    ) -> Item:
        """Move to another column (see API.md: times, transition log, recurrence, WIP)."""

        def run(act: ActionLog) -> int:
            row = self._locked_row(item_id, expected_version)
            target = self.get_status(status_id)
            if target.id == row.status_id:
                return row.id
            self._check_wip(target, row.id)
            act.describe(f"move {quoted(row.title)} to {target.name}")
            self._apply_move(act, row, target)
            return row.id

        return self._item_action(run)

    def start_item(self, item_id: int) -> Item:
        """Move to the first started column."""
        return self.move_item(item_id, self.first_status(StatusCategory.STARTED).id)

    def complete_item(self, item_id: int) -> Item:
        """Move to the first completed column (a no-op if already completed)."""
        item = self.get_item(item_id)
        if item.category is StatusCategory.COMPLETED:
            return item
        return self.move_item(item_id, self.first_status(StatusCategory.COMPLETED).id)

    def reorder_item(self, item_id: int, offset: int) -> Item:
        """Move the card ``offset`` places up (<0) or down (>0) within its column."""

        def run(act: ActionLog) -> int:
            row = self._locked_row(item_id)
            i = self.tables.item
            column = tuples(
                i.select(i.id, i.position)
                .where((i.status_id == row.status_id) & i.deleted_at.is_null())
                .order_by(i.position, i.id)
                .tuples()
            )
            ids = [x for x, _ in column]
            index = ids.index(row.id)
            target = max(0, min(len(ids) - 1, index + offset))
            if target == index:
                return row.id
            others = [(x, float(p)) for x, p in column if x != row.id]
            before = others[target - 1][1] if target > 0 else None
            after = others[target][1] if target < len(others) else None
            position = self._between(before, after)
            if position is None:  # no room between equal positions: renumber the column
                order = [x for x, _ in others]
                order.insert(target, row.id)
                for n, other in enumerate(order, start=1):
                    if other != row.id:
                        i.update(position=float(n)).where(i.id == other).execute()
                position = float(target + 1)
            act.describe(f"reorder {quoted(row.title)}")
            self._set_scalar(act, row, "position", position)
            return row.id

        return self._item_action(run)

    @staticmethod
    def _between(before: float | None, after: float | None) -> float | None:
        """A position strictly between two neighbours, or None when there is no room."""
        if before is None and after is None:
            return 1.0
        if before is None:
            assert after is not None
            return after - 1.0
        if after is None:
            return before + 1.0
        middle = (before + after) / 2
        return middle if before < middle < after else None

    def delete_item(self, item_id: int) -> None:
        """Soft delete (undo restores it); links and history stay."""

        def run(act: ActionLog) -> None:
            row = self._locked_row(item_id)
            act.describe(f"delete {quoted(row.title)}")
            self._set_scalar(act, row, "deleted", act.now)

        self._action(run)

    # ---------------------------------------------------------------- comments
    def add_comment(self, item_id: int, body: str) -> Comment:
        """Add a comment (undoable: undo removes it)."""
        text = clean_text(body)
        if not text:
            raise ValidationError("A comment needs some text.")

        def run(act: ActionLog) -> Comment:
            row = self._locked_row(item_id)
            c = self.tables.comment
            comment_id = c.insert(
                item_id=row.id, author=self.actor, body=text, at=act.now
            ).execute()
            act.describe(f"comment on {quoted(row.title)}")
            act.log(row.id, "comment", None, {"id": comment_id, "body": text})
            return comment_from_row(c.get_by_id(comment_id))

        return self._action(run)

    # ------------------------------------------------------------ dependencies
    def add_dependency(
        self,
        pred_id: int,
        succ_id: int,
        type: LinkType = LinkType.FS,
        lag_days: float = 0.0,
    ) -> Dependency:
        """Link ``pred → succ`` (or change the link's type/lag); DependencyCycle refuses."""

        def run(act: ActionLog) -> Dependency:
            row = self._locked_row(succ_id)
            pred = self.get_item(pred_id)
            links = [link for link in self._current_links(row.id) if link[0] != pred_id]
            links.append((pred_id, LinkType(type).value, float(lag_days)))
            act.describe(f"make {quoted(row.title)} depend on {quoted(pred.title)}")
            self._set_depends(act, row, links)
            return Dependency(pred_id, succ_id, LinkType(type), float(lag_days))

        return self._action(run)

    def remove_dependency(self, pred_id: int, succ_id: int) -> None:
        """Remove the link ``pred → succ`` (NotFound when there is none)."""

        def run(act: ActionLog) -> None:
            row = self._locked_row(succ_id)
            links = self._current_links(row.id)
            kept = [link for link in links if link[0] != pred_id]
            if len(kept) == len(links):
                raise NotFound(f"Item {succ_id} does not depend on {pred_id}.")
            act.describe(f"unlink {quoted(row.title)} from {pred_id}")
            self._set_depends(act, row, kept)

        self._action(run)
