"""Baselines (named, frozen copies of a project's plan) and clearing leveling.

algorithms.md ("Baselines and variance"): a baseline is a named copy of each task's
start, finish, duration and cost; a project keeps several. The copy is made by the
engine (:func:`taskdesk.domain.scheduling.baseline.snapshot`); the store keeps it in the
``baseline`` (header: project, name, when, by whom) and ``baseline_task`` tables.

Baselines are reference data (like risks): their writes are plain transactions,
attributed to ``store.actor``, not part of the undo history. :meth:`clear_leveling` is
an item write and so one undoable action, like ``save_leveling_delays``.

Every method costs a fixed number of queries (chunked ``IN`` lists / bulk inserts aside),
whatever the number of tasks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from taskdesk.domain.baselines import Baseline
from taskdesk.domain.text import clean_line
from taskdesk.store.base import ActionLog
from taskdesk.store.errors import NotFound, StoreError, ValidationError
from taskdesk.store.fields import quoted
from taskdesk.store.mapping import to_date, to_datetime, tuples
from taskdesk.store.projects import ProjectStore
from taskdesk.store.tables import BaselineRow, BaselineTaskRow

if TYPE_CHECKING:
    # The scheduling package (CPM, calendars, leveling) is imported where a baseline is
    # read, not with the store: the Board and the command line never need it.
    from taskdesk.domain.scheduling.baseline import BaselineTask

#: The ids per ``IN (...)`` list (the same bound as item reads use).
_CHUNK = 5000
#: Rows per bulk insert (6 values each: well under SQLite's variable limit).
_INSERT_ROWS = 500


def _baseline_from_row(row: BaselineRow) -> Baseline:
    saved_at = to_datetime(row.created)
    if saved_at is None:  # the column is NOT NULL
        raise StoreError(f"Baseline {row.id} has no save time; run taskdesk check.")
    return Baseline(
        id=int(row.id),
        project_id=int(row.container_id),
        name=str(row.name),
        saved_at=saved_at,
        saved_by=str(row.created_by),
    )


def _day(value: object, baseline_id: int, item_id: int) -> date:
    day = to_date(value)
    if day is None:
        raise StoreError(f"Baseline {baseline_id} lacks a date for item {item_id}.")
    return day


class BaselineStore(ProjectStore):
    """Named baselines of a project, and clearing its leveling delays."""

    # ------------------------------------------------------------------ writes
    def save_baseline(
        self, project: int | str, name: str, tasks: Sequence[BaselineTask]
    ) -> Baseline:
        """Save ``tasks`` (from ``snapshot``) as the project's baseline ``name``.

        One transaction. A project keeps several baselines; saving under a name the
        project already has *replaces* that baseline (its old tasks go, the new one gets
        a new id and save time). A blank name, a task listed twice, or a task that is
        not an item of the project → ValidationError; an unknown project → NotFound.
        """
        cleaned = clean_line(name)
        if not cleaned:
            raise ValidationError("A baseline needs a name.")
        ids = [task.id for task in tasks]
        if len(set(ids)) != len(ids):
            twice = next(i for i in ids if ids.count(i) > 1)
            raise ValidationError(f"Item {twice} is listed twice in the baseline.")
        row = self._project_row(project)
        t = self.tables
        b, bt, i, c = t.baseline, t.baseline_task, t.item, t.container

        def run() -> Baseline:
            if self.backend == "postgresql":  # one save of this project's baselines at a time
                c.select(c.id).where(c.id == row.id).for_update().execute()
            found: set[int] = set()
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                query = i.select(i.id).where(i.id.in_(chunk) & (i.container_id == row.id))
                found.update(int(r[0]) for r in tuples(query.tuples()))
            unknown = sorted(set(ids) - found)
            if unknown:
                raise ValidationError(f"Item {unknown[0]} is not a task of {quoted(row.name)}.")
            same = b.select(b.id).where((b.container_id == row.id) & (b.name == cleaned))
            bt.delete().where(bt.baseline_id.in_(same)).execute()
            b.delete().where((b.container_id == row.id) & (b.name == cleaned)).execute()
            now = self.now()
            baseline_id: int = b.insert(
                container_id=row.id, name=cleaned, created=now, created_by=self.actor
            ).execute()
            rows: list[dict[str, Any]] = [
                {
                    "baseline_id": baseline_id,
                    "item_id": task.id,
                    "start": task.start,
                    "finish": task.finish,
                    "duration": float(task.duration),
                    "cost": task.cost,
                }
                for task in tasks
            ]
            for start in range(0, len(rows), _INSERT_ROWS):
                bt.insert_many(rows[start : start + _INSERT_ROWS]).execute()
            return Baseline(baseline_id, int(row.id), cleaned, now, self.actor)

        return self._transaction(run)

    def delete_baseline(self, baseline_id: int) -> None:
        """Delete a baseline and its tasks (one transaction; NotFound if there is none)."""
        b, bt = self.tables.baseline, self.tables.baseline_task

        def run() -> None:
            bt.delete().where(bt.baseline_id == baseline_id).execute()
            if not b.delete().where(b.id == baseline_id).execute():
                raise NotFound(f"There is no baseline {baseline_id}.")  # rolls back

        self._transaction(run)

    def clear_leveling(self, project: int | str) -> int:
        """Set every task's leveling delay to 0; return how many tasks had one.

        The counterpart of ``save_leveling_delays``: one undoable action ("clear
        leveling 'NAME'") in one transaction, logged and versioned per task like any
        edit, in a fixed number of queries. Nothing to clear → no action is recorded.
        """
        row = self._project_row(project)
        i = self.tables.item

        def run(act: ActionLog) -> int:
            act.describe(f"clear leveling {quoted(row.name)}")
            query = i.select(i.id, i.version, i.leveling_delay_days).where(
                (i.container_id == row.id) & i.deleted_at.is_null() & (i.leveling_delay_days != 0)
            )
            if self.backend == "postgresql":
                query = query.for_update()
            delayed = sorted(tuples(query.order_by(i.id).tuples()))
            for start in range(0, len(delayed), _CHUNK):
                chunk = [int(item_id) for item_id, _, _ in delayed[start : start + _CHUNK]]
                i.update(leveling_delay_days=0.0, version=i.version + 1, updated=act.now).where(
                    i.id.in_(chunk)
                ).execute()
            for item_id, version, days in delayed:
                act.versions[int(item_id)] = int(version) + 1
                act.log(int(item_id), "leveling_delay_days", float(days), 0.0)
            return len(delayed)

        return self._action(run)

    # ------------------------------------------------------------------- reads
    def baselines(self, project: int | str) -> list[Baseline]:
        """The project's baselines, newest first (two queries)."""
        row = self._project_row(project)
        b = self.tables.baseline
        query = b.select().where(b.container_id == row.id).order_by(b.created.desc(), b.id.desc())
        return [_baseline_from_row(r) for r in query]

    def baseline_tasks(self, baseline_id: int) -> list[BaselineTask]:
        """A baseline's tasks in the order they were saved (two queries; NotFound)."""
        from taskdesk.domain.scheduling.baseline import BaselineTask

        b, bt = self.tables.baseline, self.tables.baseline_task
        if not b.select().where(b.id == baseline_id).exists():
            raise NotFound(f"There is no baseline {baseline_id}.")
        rows: list[BaselineTaskRow] = list(
            bt.select().where(bt.baseline_id == baseline_id).order_by(bt.id)
        )
        return [
            BaselineTask(
                id=int(r.item_id),
                start=_day(r.start, baseline_id, r.item_id),
                finish=_day(r.finish, baseline_id, r.item_id),
                duration=round(r.duration or 0.0),
                cost=None if r.cost is None else float(r.cost),
            )
            for r in rows
        ]
