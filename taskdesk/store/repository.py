"""The :class:`Store` every other layer talks to, and :func:`open_store`.

The Store is assembled from parts, each a module of its own (reference data, item reads,
field setters, recurrence, item writes, the Board, undo/redo); this module only puts
them together and opens the database. See ``API.md`` for the contract.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from datetime import datetime

import peewee

from taskdesk.store.db import DEFAULT_BUSY_TIMEOUT_MS, open_database
from taskdesk.store.errors import StoreError, StoreUnavailable
from taskdesk.store.undo import UndoRedo


class Store(UndoRedo):
    """One taskdesk store (a SQLite file or a PostgreSQL database), used by one actor.

    Safe to call from several threads: peewee keeps one connection per thread.
    """

    def __repr__(self) -> str:
        return f"<Store {self.backend} {self.location} as {self.actor}>"


def default_actor() -> str:
    """The OS login name (who every change is attributed to)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid{os.getuid()}"


def open_store(
    target: str,
    *,
    actor: str | None = None,
    create: bool = True,
    clock: Callable[[], datetime] | None = None,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
) -> Store:
    """Open (or create) the store at ``target``: a file path or a database URL.

    Every failure to open is a :class:`StoreError` with a sentence (StoreUnavailable for
    a missing, corrupt or foreign file, a bad URL or an unreachable server; StoreLocked
    when another process holds the database too long).
    """
    opened = open_database(str(target), create=create, busy_timeout_ms=busy_timeout_ms)
    try:
        return Store(opened, actor=actor or default_actor(), create=create, clock=clock)
    except StoreError:
        raise
    except peewee.DatabaseError as exc:
        opened.db.close()
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "not a database" in message:
            raise StoreUnavailable(
                f"{opened.location} is not a taskdesk database (file is not a database)."
            ) from exc
        raise StoreUnavailable(f"Cannot open {opened.location}: {message}.") from exc
