"""Live refresh: wake an open session as soon as anyone commits a write.

Every write transaction bumps the revision counter (:meth:`StoreCore.data_version`). How
a session learns of it depends on the backend:

- **PostgreSQL**: the writing transaction also runs ``pg_notify('taskdesk_changes',
  payload)``; the server delivers it to every listening connection when (and only if)
  the transaction commits. A :class:`PgChangeListener` keeps a dedicated autocommit
  connection that ``LISTEN``\\s, and :meth:`PgChangeListener.wait` blocks on it, so an
  idle session costs nothing and a change arrives within milliseconds. NOTIFY ignores
  row-level security, so the payload carries numbers only: ``{"schema": OID,
  "revision": N, "action": ID}`` (the schema's OID lets stores that share a database in
  different schemas ignore each other's news). Never a title, never a name.
- **SQLite** has no server to push anything: :class:`PollingChangeListener` reads the
  revision counter (one indexed row) every ``interval`` seconds.

A lost PostgreSQL connection is not a crash: ``wait`` returns ``True`` once it has
reconnected (changes may have been missed, so the caller re-reads), and ``problem``
holds a sentence while it cannot; reconnection is retried at most once a second.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

#: The channel every taskdesk store notifies and listens on.
CHANNEL = "taskdesk_changes"
#: The SQL a write transaction runs on PostgreSQL (ids only: see the module docstring).
NOTIFY_SQL = (
    "SELECT pg_notify(%s, json_build_object("
    "'schema', (SELECT oid::bigint FROM pg_namespace WHERE nspname = current_schema()), "
    "'revision', (SELECT max(value) FROM \"revision\"), "
    "'action', %s::integer)::text)"
)
#: Shortest pause between two attempts to reconnect a lost listener.
RECONNECT_SECONDS = 1.0


class ChangeListener(Protocol):
    """What ``store.change_listener()`` returns, on every backend."""

    #: A sentence while the listener cannot listen (connection lost), else ``None``.
    problem: str | None

    def wait(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds; ``True`` when something may have changed."""
        ...

    def close(self) -> None:
        """Stop listening and release the connection (idempotent)."""
        ...


class PollingChangeListener:
    """SQLite: compare the revision counter every ``interval`` seconds."""

    def __init__(self, read_version: Callable[[], int], *, interval: float = 0.25) -> None:
        self._read = read_version
        self._interval = interval
        self._closed = threading.Event()
        self.problem: str | None = None
        self._seen = self._safe_read()

    def _safe_read(self) -> int | None:
        from taskdesk.store.errors import StoreError

        try:
            value = self._read()
        except StoreError as exc:
            self.problem = str(exc)
            return None
        self.problem = None
        return value

    def wait(self, timeout: float) -> bool:
        """Poll until the counter moves or ``timeout`` passes."""
        deadline = time.monotonic() + max(0.0, timeout)
        while not self._closed.is_set():
            value = self._safe_read()
            if value is not None and value != self._seen:
                self._seen = value
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self._closed.wait(min(self._interval, remaining))
        return False

    def close(self) -> None:
        """Stop: a blocked ``wait`` returns at its next poll."""
        self._closed.set()


class PgChangeListener:
    """PostgreSQL: LISTEN on a dedicated autocommit connection (psycopg 3)."""

    def __init__(self, connect: Callable[[], Any], location: str) -> None:
        self._connect_raw = connect
        self._location = location
        self._conn: Any = None
        self._schema: int | None = None
        self._next_attempt = 0.0
        self._closed = False
        self.problem: str | None = None
        self._open()
        if self._conn is None:
            from taskdesk.store.errors import StoreUnavailable

            raise StoreUnavailable(self.problem or f"Cannot listen for changes on {location}.")

    def _open(self) -> bool:
        """Connect and LISTEN; on failure note the problem and return False."""
        self._next_attempt = time.monotonic() + RECONNECT_SECONDS
        try:
            conn = self._connect_raw()
            conn.autocommit = True
            conn.execute(f"LISTEN {CHANNEL}")
            row = conn.execute(
                "SELECT oid FROM pg_namespace WHERE nspname = current_schema()"
            ).fetchone()
        except Exception as exc:  # psycopg.Error, OSError: any failure to connect
            self.problem = (
                f"Live refresh cannot reach {self._location} ({_first_line(exc)}); "
                "retrying every second."
            )
            return False
        self._conn, self._schema = conn, (int(row[0]) if row else None)
        self.problem = None
        return True

    def _ours(self, payload: str) -> bool:
        """A notification for this store's schema (or one we cannot read: be safe)."""
        try:
            schema = json.loads(payload).get("schema")
        except (ValueError, AttributeError):
            return True
        return schema is None or self._schema is None or int(schema) == self._schema

    def wait(self, timeout: float) -> bool:
        """Block until a notification for this store arrives, or ``timeout`` passes.

        After a lost connection is re-established, returns ``True`` (we may have missed
        notifications meanwhile, so the caller should re-read).
        """
        if self._closed:
            return False
        if self._conn is None:
            pause = self._next_attempt - time.monotonic()
            if pause > 0:
                time.sleep(min(pause, max(0.0, timeout)))
                if pause > timeout:
                    return False
            return self._open()
        deadline = time.monotonic() + max(0.0, timeout)
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                batch = list(self._conn.notifies(timeout=remaining, stop_after=1))
                if not batch:
                    return False
                batch += list(self._conn.notifies(timeout=0.0))  # drain: one wake-up
                if any(self._ours(n.payload) for n in batch):
                    return True
        except Exception as exc:  # the server went away, the network broke
            self._drop()
            self.problem = (
                f"Live refresh lost its connection to {self._location} "
                f"({_first_line(exc)}); reconnecting."
            )
            return False

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        self._next_attempt = time.monotonic() + RECONNECT_SECONDS
        if conn is not None:
            with contextlib.suppress(Exception):  # already broken: nothing more to free
                conn.close()

    def close(self) -> None:
        """Stop listening and close the connection."""
        self._closed = True
        self._drop()

    def backend_pid(self) -> int | None:
        """The server process of the listening connection (tests end it on purpose)."""
        return None if self._conn is None else int(self._conn.info.backend_pid)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
