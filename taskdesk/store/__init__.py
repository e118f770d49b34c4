"""The store: the only layer that knows SQL exists (peewee over SQLite or PostgreSQL).

Import :class:`Store` and :func:`open_store` from here; errors are in
:mod:`taskdesk.store.errors`. Importing this package opens nothing.
"""

from taskdesk.store.repository import Store, open_store

__all__ = ["Store", "open_store"]
