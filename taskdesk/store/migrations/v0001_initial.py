"""Schema version 1: every table of the product, and the default workflow.

A fresh database is created from the current table definitions and stamped with the
latest version (the "create all, stamp head" pattern), so this step runs only for a
database stamped 0. When version 2 arrives and changes a table, freeze what this step
creates (its own copy of the version-1 tables) so old databases still upgrade step by
step.
"""

from __future__ import annotations

from taskdesk.store.migrations.context import MigrationContext

#: The workflow every new store starts with: (name, category, wip_max).
DEFAULT_WORKFLOW: tuple[tuple[str, str, int | None], ...] = (
    ("Backlog", "backlog", None),
    ("To do", "unstarted", None),
    ("In progress", "started", 5),
    ("Review", "started", 3),
    ("Done", "completed", None),
    ("Cancelled", "cancelled", None),
)


def create_all(ctx: MigrationContext) -> None:
    """Create every table (idempotent) and seed the default workflow once."""
    for table in ctx.tables.all():
        table.create_table(safe=True)
    t = ctx.tables
    if not t.revision.select().exists():
        t.revision.insert(value=0).execute()
    if not t.status.select().exists():
        rows = [
            {"name": name, "category": category, "position": i + 1, "wip_max": wip_max}
            for i, (name, category, wip_max) in enumerate(DEFAULT_WORKFLOW)
        ]
        t.status.insert_many(rows).execute()


upgrade = create_all
