"""Schema version 2 (project mode): item columns for plan files and the scheduler.

Adds to ``item``:

- ``pinned`` (boolean, default false): the task starts exactly on ``start_no_earlier``;
- ``effort_hours`` (double, NULL): the work a task takes, in hours;
- ``plan_position`` (double, NULL): the task's place among its siblings in the plan
  file, so the WBS order of a file survives an import and an export.

Each column is added only when it is missing: a database stamped version 0 runs step 1,
which creates the tables from the *current* definitions (these columns included), and
then runs this step too.
"""

from __future__ import annotations

from typing import Any

from peewee import BooleanField, DoubleField, Field

from taskdesk.store.migrations.context import MigrationContext

#: column name → a field describing it, in the order they are added.
COLUMNS: tuple[tuple[str, Field], ...] = (
    ("pinned", BooleanField(default=False)),
    ("effort_hours", DoubleField(null=True)),
    ("plan_position", DoubleField(null=True)),
)


def _columns(ctx: MigrationContext, table: str) -> set[str]:
    """The columns ``table`` has now, read from an empty result (portable, schema-aware).

    ``Database.get_columns`` on PostgreSQL looks in the ``public`` schema only, while a
    store may live in another schema of its ``search_path``.
    """
    cursor: Any = ctx.tables.db.execute_sql(f'SELECT * FROM "{table}" WHERE 1 = 0')  # type: ignore[no-untyped-call]
    return {column[0] for column in cursor.description}


def upgrade(ctx: MigrationContext) -> None:
    """Add the project-mode columns to ``item`` (those that are missing)."""
    from playhouse.migrate import migrate

    present = _columns(ctx, "item")
    operations = [
        ctx.migrator.add_column("item", name, field)
        for name, field in COLUMNS
        if name not in present
    ]
    if operations:
        migrate(*operations)
