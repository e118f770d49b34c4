"""The store's core: its database, clock and actor, transactions, and the action log.

Every write of the store goes through :meth:`StoreCore._action`: one transaction
(``BEGIN IMMEDIATE`` on SQLite, retried while locked), one ``action`` row grouping the
activity entries it wrote, and one version bump per item it touched. Undo, live refresh
and optimistic concurrency all rest on that single path.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from peewee import fn

from taskdesk.store.db import OpenedDatabase, with_retry
from taskdesk.store.errors import StoreError, StoreReadOnly, StoreUnavailable
from taskdesk.store.mapping import dump
from taskdesk.store.migrations import latest_version, prepare_schema, read_version
from taskdesk.store.notify import (
    CHANNEL,
    NOTIFY_SQL,
    ChangeListener,
    PgChangeListener,
    PollingChangeListener,
)
from taskdesk.store.tables import Tables, bind_tables
from taskdesk.store.writers import WriterTurns

T = TypeVar("T")


class ActionLog:
    """Collects one action's activity entries and item version bumps, then writes them.

    Entries are buffered and written at the end with one ``action`` insert and one bulk
    ``activity`` insert; an action that changed nothing leaves no trace (so undo never
    picks a no-op).
    """

    def __init__(self, core: StoreCore, *, kind: str = "do", target_id: int | None = None) -> None:
        self.core = core
        self.kind = kind
        self.target_id = target_id
        self.now = core.now()
        self.description = ""
        self.entries: list[tuple[int | None, str, str | None, str | None]] = []
        self.versions: dict[int, int] = {}
        self.created: set[int] = set()

    def describe(self, text: str) -> None:
        """Set the human description, e.g. ``move 'Write blog post' to Done``."""
        self.description = text

    def touch(self, item_id: int, version: int) -> int:
        """Bump ``item_id``'s version once per action (``version`` = as read, locked)."""
        if item_id in self.versions:
            return self.versions[item_id]
        t = self.core.tables
        t.item.update(version=t.item.version + 1, updated=self.now).where(
            t.item.id == item_id
        ).execute()
        self.versions[item_id] = version + 1
        return version + 1

    def mark_created(self, item_id: int) -> None:
        """A new item (version 1): its undo is a soft delete."""
        self.versions[item_id] = 1
        self.created.add(item_id)

    def log(self, item_id: int | None, field: str, old: object, new: object) -> None:
        """Record that ``field`` of ``item_id`` went from ``old`` to ``new``."""
        self.entries.append(
            (item_id, field, None if old is None else dump(old), None if new is None else dump(new))
        )

    def flush(self, *, force: bool = False) -> int | None:
        """Write the action row and its entries; return the action id (None if empty).

        ``force`` writes the action row even without entries (an undo that found every
        field already as it should be still moves the undo stack).
        """
        if not self.entries and not force:
            return None
        t = self.core.tables
        action_id: int = t.action.insert(
            actor=self.core.actor,
            description=self.description,
            kind=self.kind,
            target_id=self.target_id,
            state="done" if self.kind == "do" else None,
            at=self.now,
        ).execute()
        if self.kind == "do":
            t.action.update(applied_by=action_id).where(t.action.id == action_id).execute()
        rows = [
            {
                "item_id": item_id,
                "actor": self.core.actor,
                "field": field,
                "old": old,
                "new": new,
                "at": self.now,
                "action_id": action_id,
                "version": self.versions.get(item_id) if item_id is not None else None,
            }
            for item_id, field, old, new in self.entries
        ]
        for start in range(0, len(rows), 200):
            t.activity.insert_many(rows[start : start + 200]).execute()
        return action_id


class StoreCore:
    """Database, tables, actor and clock, plus the transaction helpers every part uses."""

    def __init__(
        self,
        opened: OpenedDatabase,
        *,
        actor: str,
        create: bool = True,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._opened = opened
        self.db = opened.db
        self.tables: Tables = bind_tables(opened.db)
        self.actor = actor
        self.backend = opened.backend
        self.location = opened.location
        self.notices: list[str] = []
        #: Opened read-only (a read-only file or directory, or asked): writes raise
        #: :class:`StoreReadOnly`.
        self.read_only = opened.read_only
        #: The store's notion of "now" (tests freeze it); naive local time.
        self.clock: Callable[[], datetime] = clock or datetime.now
        #: SQLite on a local disk: writers of the file take turns (store/writers.py).
        self._turns: WriterTurns | None = None
        if opened.path is not None and opened.journal == "wal" and not opened.read_only:
            self._turns = WriterTurns(opened.path, opened.busy_timeout_ms / 1000)
        try:
            if self.read_only:
                schema_notices = self._check_schema_read_only()
            else:
                schema_notices = prepare_schema(
                    opened,
                    self.tables,
                    create=create,
                    now=self.now,
                    backup=self._backup_to,
                )
                opened.configure_journal()
            self.notices = [*opened.notices, *schema_notices]
        except BaseException:
            self.db.close()
            raise

    def _check_schema_read_only(self) -> list[str]:
        """A read-only store cannot be created or upgraded: say so instead of trying."""
        version = read_version(self.tables)
        latest = latest_version()
        if version is None:
            raise StoreUnavailable(f"{self.location} holds no taskdesk database yet.")
        if version > latest:
            raise StoreUnavailable(
                f"{self.location} was written by a newer taskdesk (schema version "
                f"{version}; this taskdesk knows up to {latest}). Upgrade taskdesk to open it."
            )
        if version < latest:
            raise StoreUnavailable(
                f"{self.location} has schema version {version} and needs an upgrade to "
                f"{latest}, but it is open read-only; open it once with write access."
            )
        return []

    # ------------------------------------------------------------------ basics
    def _fold(self, expr: Any) -> Any:
        """Lower-case in SQL the same way on both backends (Unicode, not just ASCII)."""
        return fn.td_lower(expr) if self.backend == "sqlite" else fn.LOWER(expr)

    def now(self) -> datetime:
        """The current time as the store records it (no time zone, local)."""
        return self.clock()

    def close(self) -> None:
        """Close this thread's connection (other threads' close when they end)."""
        if not self.db.is_closed():
            self.db.close()

    def schema_version(self) -> int:
        """The schema version of the open database."""
        return read_version(self.tables) or 0

    def latest_schema_version(self) -> int:
        """The schema version this taskdesk writes."""
        return latest_version()

    def data_version(self) -> int:
        """A number that changes whenever any process commits a write (live refresh).

        A counter row bumped by every write transaction: unlike SQLite's per-connection
        ``PRAGMA data_version`` it means the same in every thread, process and backend.
        """
        row = self.tables.revision.select(self.tables.revision.value).first()
        return int(row.value) if row else 0

    def is_empty(self) -> bool:
        """No items and no containers: a first launch (the app offers the demo)."""
        t = self.tables
        return not t.item.select().exists() and not t.container.select().exists()

    # ------------------------------------------------------------ transactions
    def _transaction(
        self, fn: Callable[[], T], *, action_id: Callable[[], int | None] | None = None
    ) -> T:
        """Run ``fn`` in one write transaction, retried while the database is locked.

        It bumps the revision counter; on PostgreSQL it also NOTIFYs every listening
        session (delivered on commit only), with ids only (``action_id()`` if given).
        """
        if self.read_only:
            raise StoreReadOnly(
                f"{self.location} is open read-only; nothing was changed "
                "(ask its owner for write access)."
            )

        def attempt() -> T:
            with self._turn(), self.db.atomic():
                result = fn()
                t = self.tables
                t.revision.update(value=t.revision.value + 1).execute()
                if self.backend == "postgresql":
                    action = action_id() if action_id is not None else None
                    self.db.execute_sql(NOTIFY_SQL, (CHANNEL, action))  # type: ignore[no-untyped-call]
                return result

        return with_retry(attempt, location=self.location)

    def _turn(self) -> contextlib.AbstractContextManager[bool]:
        """This writer's turn among the writers of the file (a no-op on PostgreSQL)."""
        if self._turns is None:
            return contextlib.nullcontext(False)
        return self._turns.turn()

    def change_listener(self) -> ChangeListener:
        """Something to block on until another session commits (live refresh).

        PostgreSQL: LISTEN/NOTIFY on a connection of its own (StoreUnavailable if it
        cannot connect at all). SQLite: polls the revision counter 4 times a second.
        The caller owns it: use it from one thread, ``close()`` it when done.
        """
        if self.backend == "postgresql":
            connect: Callable[[], Any] = self.db._connect  # type: ignore[attr-defined]
            return PgChangeListener(connect, self.location)
        return PollingChangeListener(self.data_version)

    def _action(
        self,
        fn: Callable[[ActionLog], T],
        *,
        kind: str = "do",
        target_id: int | None = None,
        after: Callable[[ActionLog, int | None], None] | None = None,
        force: bool = False,
    ) -> T:
        """Run ``fn`` as one undoable action in one transaction (see :class:`ActionLog`)."""

        flushed: list[int | None] = [None]

        def body() -> T:
            act = ActionLog(self, kind=kind, target_id=target_id)
            result = fn(act)
            action_id = act.flush(force=force)
            flushed[0] = action_id
            if after is not None:
                after(act, action_id)
            return result

        return self._transaction(body, action_id=lambda: flushed[0])

    # ------------------------------------------------------------------ backup
    def backup(self, dest: str | Path | None = None) -> Path:
        """A consistent copy of the database while others keep working (SQLite only).

        Uses SQLite's online backup API, which copies a snapshot page by page without
        blocking writers in WAL mode. The copy is owner-only (0600) and appears
        atomically (written to a temporary file, then renamed).
        """
        path = self._opened.path
        if self.backend != "sqlite" or path is None:
            raise StoreError(
                f"Online backup of {self.location} is not built in: use pg_dump for "
                "PostgreSQL (pg_dump --format=custom DBNAME > taskdesk.dump)."
            )
        if dest is None:
            target = path.with_name(f"{path.name}.backup-{self.now():%Y%m%d%H%M%S}")
        else:
            target = Path(dest).expanduser()
            if target.is_dir():
                target = target / f"{path.name}.backup-{self.now():%Y%m%d%H%M%S}"
        return self._backup_to(target.absolute())

    def _backup_to(self, target: Path) -> Path:
        """Copy the database to ``target`` (0600) with the backup API; return the path."""
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(fd)
        os.chmod(tmp_name, 0o600)
        try:
            source: Any = self.db.connection()  # type: ignore[no-untyped-call]  # stubs: untyped
            dest_conn = sqlite3.connect(tmp_name)
            try:
                source.backup(dest_conn)
            finally:
                dest_conn.close()
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return target
