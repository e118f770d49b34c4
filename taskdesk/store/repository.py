"""The :class:`Store` every other layer talks to, and :func:`open_store`.

The Store is assembled from parts, each a module of its own (reference data, item reads,
field setters, recurrence, item writes, the Board, undo/redo, project plans); this
module only puts them together and opens the database. See ``API.md`` for the contract.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import peewee

from taskdesk.store.baselines import BaselineStore
from taskdesk.store.calendar import CalendarStore
from taskdesk.store.db import DEFAULT_BUSY_TIMEOUT_MS, open_database
from taskdesk.store.errors import StoreError, StoreUnavailable
from taskdesk.store.importing import ImportStore
from taskdesk.store.listing import ListingReads
from taskdesk.store.members import MemberStore
from taskdesk.store.projects import ProjectStore
from taskdesk.store.timeoff import TimeOffStore
from taskdesk.store.undo import UndoRedo


class Store(
    MemberStore,
    ImportStore,
    CalendarStore,
    TimeOffStore,
    BaselineStore,
    ProjectStore,
    UndoRedo,
    ListingReads,
):
    """One taskdesk store (a SQLite file or a PostgreSQL database), used by one actor.

    Safe to call from several threads: peewee keeps one connection per thread.
    """

    def __repr__(self) -> str:
        return f"<Store {self.backend} {self.location} as {self.actor}>"


def default_actor() -> str:
    """The OS login name (who every change is attributed to), as :mod:`taskdesk.identity`
    defines it for the whole program (``TASKDESK_USER`` overrides it for scripts)."""
    from taskdesk.identity import current_user

    return current_user()


def open_store(
    target: str,
    *,
    actor: str | None = None,
    create: bool = True,
    clock: Callable[[], datetime] | None = None,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    read_only: bool = False,
    allow_network_fs: bool | None = None,
) -> Store:
    """Open (or create) the store at ``target``: a file path or a database URL.

    Every failure to open is a :class:`StoreError` with a sentence (StoreUnavailable for
    a missing, corrupt or foreign file, a bad URL, an unreachable server or a network
    filesystem; StoreLocked when another process holds the database too long).
    ``read_only`` opens it for reading only (``taskdesk check``, ``migrate``'s source);
    ``allow_network_fs`` overrides the network-filesystem refusal (``None``: the
    ``TASKDESK_ALLOW_NETWORK_FS`` environment variable decides).
    """
    opened = open_database(
        str(target),
        create=create,
        busy_timeout_ms=busy_timeout_ms,
        read_only=read_only,
        allow_network_fs=allow_network_fs,
    )
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
