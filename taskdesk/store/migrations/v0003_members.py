"""Schema version 3: members-only projects, and items found by their start date.

- ``container.restricted`` (boolean, default false): the project is restricted to its
  owner and its members (``project_member`` rows); everyone else's reads skip it and
  its items, and their writes to it are refused (:mod:`taskdesk.store.members`).
- an index on ``item.start``: the calendar asks for the items starting in a range of
  days, which without it is a scan of every item.

Like version 2, each change is made only when it is missing: a database stamped 0 runs
step 1, which creates the tables from the *current* definitions (this column and this
index included), and then runs this step too.
"""

from __future__ import annotations

from peewee import BooleanField

from taskdesk.store.migrations.context import MigrationContext
from taskdesk.store.migrations.v0002_project_mode import _columns

#: The index name peewee gives ``ItemRow.Meta.indexes`` entry ``("start",)``.
START_INDEX = "item_start"


def upgrade(ctx: MigrationContext) -> None:
    """Add ``container.restricted`` and the ``item.start`` index (when missing)."""
    from playhouse.migrate import migrate

    if "restricted" not in _columns(ctx, "container"):
        migrate(ctx.migrator.add_column("container", "restricted", BooleanField(default=False)))
    # IF NOT EXISTS: the same statement on SQLite and PostgreSQL (9.5+), and idempotent.
    ctx.tables.db.execute_sql(  # type: ignore[no-untyped-call]  # peewee-stubs: untyped
        f'CREATE INDEX IF NOT EXISTS "{START_INDEX}" ON "item" ("start")'
    )
