"""What a migration step gets to work with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from taskdesk.store.tables import Tables


@dataclass(frozen=True, slots=True)
class MigrationContext:
    """The bound tables and a ``playhouse.migrate`` migrator for the store's backend.

    Steps change the schema with ``migrate(ctx.migrator.add_column(...))`` and data with
    ordinary queries on ``ctx.tables``; they all run inside one transaction.
    """

    tables: Tables
    migrator: Any  # playhouse.migrate.SchemaMigrator (playhouse ships no type stubs)
    backend: str
