"""The store: the only layer that knows SQL exists (peewee over SQLite or PostgreSQL).

Import :class:`Store` and :func:`open_store` from here; errors are in
:mod:`taskdesk.store.errors`. Importing this package opens nothing, and loads nothing
either until ``Store`` or ``open_store`` is first asked for: peewee and the store's
modules take about 45 ms to import, which ``taskdesk`` keeps off the way to the first
frame (the Board's first read runs in a child process; see ``taskdesk.ui.launch``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from taskdesk.store.repository import Store, open_store

__all__ = ["Store", "open_store"]


def __getattr__(name: str) -> Any:
    """``Store`` and ``open_store``, imported on first use (PEP 562)."""
    if name in __all__:
        from taskdesk.store import repository

        return getattr(repository, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
