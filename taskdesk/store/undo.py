"""Undo and redo of the current actor's own actions, read from the activity log.

Why from the log and not an in-memory stack: the app, the CLI and a second terminal are
separate processes, and ``taskdesk done 42`` followed by ``u`` in the app should undo
that completion. The stacks are two indexed queries on the ``action`` table:

- undo takes the actor's ``do`` action in state ``done`` that was applied last
  (highest ``applied_by``: its own id, or the redo that re-applied it);
- redo takes the ``undone`` action that was undone last (highest ``undone_by``), but
  only if that undo came after the actor's latest new action — a new action clears the
  redo stack, as in every editor.

Undo writes the inverse changes as a new action (kind ``undo``), through the same field
setters as any edit: attributed, logged, versioned. It is refused when someone else has
changed an item since: the item's version differs from the version recorded after the
action and the log shows another actor's entry on it since (this actor's own undone
later actions, which moved the version too, don't count). A refused action is dropped
from the stack (state ``conflict``), so the next undo reaches the action before it
instead of failing on the same conflict forever.
"""

from __future__ import annotations

from typing import Any

from peewee import fn

from taskdesk.store.base import ActionLog
from taskdesk.store.board import BoardReads
from taskdesk.store.errors import DependencyCycle, UndoRefused, ValidationError
from taskdesk.store.fields import SCALAR_COLUMNS, decode_value
from taskdesk.store.mapping import load, tuples
from taskdesk.store.tables import ActionRow, ActivityRow


class UndoConflict(UndoRefused):
    """Someone else changed an item since the action; the action leaves the stack."""

    def __init__(self, message: str, action_id: int) -> None:
        super().__init__(message)
        self.action_id = action_id


class UndoRedo(BoardReads):
    """``undo()`` and ``redo()``."""

    def undo(self) -> str:
        """Revert the actor's latest action; return ``"Undid: <what>"``."""
        a = self.tables.action

        def find() -> ActionRow:
            row: ActionRow | None = (
                a.select()
                .where((a.actor == self.actor) & (a.kind == "do") & (a.state == "done"))
                .order_by(a.applied_by.desc(), a.id.desc())
                .first()
            )
            if row is None:
                raise UndoRefused("Nothing to undo.")
            return row

        return self._replay(find, undo=True)

    def redo(self) -> str:
        """Re-apply the action undone last, if nothing new was done since."""
        a = self.tables.action

        def find() -> ActionRow:
            latest_new = (
                a.select(fn.MAX(a.id)).where((a.actor == self.actor) & (a.kind == "do")).scalar()
                or 0
            )
            row: ActionRow | None = (
                a.select()
                .where(
                    (a.actor == self.actor)
                    & (a.kind == "do")
                    & (a.state == "undone")
                    & (a.undone_by > latest_new)
                )
                .order_by(a.undone_by.desc())
                .first()
            )
            if row is None:
                raise UndoRefused("Nothing to redo.")
            return row

        return self._replay(find, undo=False)

    def _replay(self, find: Any, *, undo: bool) -> str:
        """Find the target action and apply its entries backwards (undo) or forwards."""
        verb, done = ("undo", "Undid") if undo else ("redo", "Redid")
        a = self.tables.action
        target_holder: list[ActionRow] = []

        def run(act: ActionLog) -> str:
            target = find()
            target_holder.append(target)
            act.kind, act.target_id = verb, target.id
            act.describe(f"{verb} {target.description}")
            last_applied = target.applied_by if undo else target.undone_by
            self._check_unchanged(last_applied or target.id, verb, target)
            entries = self._entries(target.id)
            created = {e.item_id for e in entries if e.field == "created"}
            for entry in reversed(entries) if undo else entries:
                if entry.item_id in created and entry.field != "created":
                    continue  # a created item is undone/redone as a whole
                self._apply_entry(act, entry, undo=undo)
            return f"{done}: {target.description}"

        def after(act: ActionLog, action_id: int | None) -> None:
            target = target_holder[-1]
            if undo:
                a.update(state="undone", undone_by=action_id).where(a.id == target.id).execute()
            else:
                a.update(state="done", applied_by=action_id).where(a.id == target.id).execute()

        try:
            return self._action(run, kind=verb, after=after, force=True)
        except UndoConflict as exc:
            dropped = exc.action_id
            self._transaction(lambda: a.update(state="conflict").where(a.id == dropped).execute())
            raise

    def _entries(self, action_id: int) -> list[ActivityRow]:
        log = self.tables.activity
        return list(log.select().where(log.action_id == action_id).order_by(log.id))

    def _check_unchanged(self, action_id: int, verb: str, target: ActionRow) -> None:
        """Refuse when another actor changed an item since ``action_id`` wrote it."""
        t = self.tables
        log, item = t.activity, t.item
        recorded = tuples(
            log.select(log.item_id, fn.MAX(log.version), fn.MAX(log.id))
            .where(
                (log.action_id == action_id)
                & log.item_id.is_null(False)
                & log.version.is_null(False)
            )
            .group_by(log.item_id)
            .tuples()
        )
        if not recorded:
            return
        ids = [item_id for item_id, _, _ in recorded]
        current: dict[int, tuple[int | None, str]] = {
            r.id: (r.version, r.title)
            for r in item.select(item.id, item.version, item.title).where(item.id.in_(ids))
        }
        for item_id, version, last_entry in recorded:
            now_version, title = current.get(item_id, (None, "?"))
            if now_version == version:
                continue
            other: ActivityRow | None = (
                log.select(log.actor)
                .where((log.item_id == item_id) & (log.id > last_entry) & (log.actor != self.actor))
                .order_by(log.id)
                .first()
            )
            if other is not None or now_version is None:
                who = other.actor if other is not None else "someone else"
                raise UndoConflict(
                    f"Cannot {verb} {target.description}: {who} has changed '{title}' since "
                    f"(it is dropped from your {verb} history).",
                    target.id,
                )

    def _apply_entry(self, act: ActionLog, entry: ActivityRow, *, undo: bool) -> None:
        """Set ``entry.field`` back to its old value (undo) or to its new value (redo)."""
        assert entry.item_id is not None
        field = entry.field
        target = load(entry.old if undo else entry.new)
        if field == "comment":
            self._apply_comment(act, entry, target)
            return
        row = self._locked_row(entry.item_id, allow_deleted=True)
        try:
            if field == "created":
                self._set_scalar(act, row, "deleted", None if target is not None else act.now)
            elif field == "status":
                status = self.get_status(int(target))
                if status.id != row.status_id:
                    self._check_wip(status, row.id)
                self._set_scalar(act, row, "status", status.id)
            elif field in SCALAR_COLUMNS:
                self._set_scalar(act, row, field, decode_value(field, target))
            elif field == "tags":
                self._set_tags(act, row, target or [])
            elif field == "assignees":
                pairs = [(a["login"], float(a["units"])) for a in target or []]
                self._set_assignees(act, row, pairs)
            elif field == "depends":
                links = [(d["id"], d["type"], float(d["lag"])) for d in target or []]
                self._set_depends(act, row, links, live_only=False)
            elif field == "project":
                self._set_project(act, row, target)
            elif field == "recurrence":
                self._set_recurrence(act, row, target)
        except DependencyCycle as exc:
            raise UndoRefused(f"Cannot {act.kind}: {exc}") from exc
        except ValidationError as exc:
            raise UndoRefused(f"Cannot {act.kind}: {exc}") from exc

    def _apply_comment(self, act: ActionLog, entry: ActivityRow, target: Any) -> None:
        """Remove the comment (undo of adding it) or put it back with the same id."""
        c = self.tables.comment
        other = load(entry.new if target is None else entry.old) or {}
        if target is None:
            c.delete().where(c.id == other.get("id")).execute()
            act.log(entry.item_id, "comment", other, None)
            return
        if c.get_or_none(c.id == target["id"]) is None:
            c.insert(
                id=target["id"],
                item_id=entry.item_id,
                author=self.actor,
                body=target["body"],
                at=act.now,
            ).execute()
        act.log(entry.item_id, "comment", None, target)
