"""Schema versions: create a new database, upgrade an old one, refuse a newer one.

``schema_meta.version`` says which version a database has. ``STEPS[n]`` turns version
``n - 1`` into ``n``. Opening a database whose version is older runs the missing steps in
one transaction, after a backup next to the file (``NAME.db.bak-v1-YYYYmmddHHMMSS``), so
a failed or regretted upgrade costs nothing. A database written by a newer taskdesk is
refused: an old program must not write rows it does not understand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from taskdesk.store.db import OpenedDatabase, raw, with_retry
from taskdesk.store.errors import StoreUnavailable
from taskdesk.store.migrations import v0001_initial, v0002_project_mode, v0003_members
from taskdesk.store.migrations.context import MigrationContext
from taskdesk.store.tables import Tables

Step = Callable[[MigrationContext], None]

#: version → the step that produces it from the version before.
STEPS: dict[int, Step] = {
    1: v0001_initial.upgrade,
    2: v0002_project_mode.upgrade,
    3: v0003_members.upgrade,
}

#: Creates a fresh database at the latest version (current table definitions).
create_all: Step = v0001_initial.create_all


def latest_version() -> int:
    """The schema version this taskdesk writes."""
    return max(STEPS)


def _migrator(opened: OpenedDatabase) -> object:
    from playhouse.migrate import SchemaMigrator

    return SchemaMigrator.from_database(opened.db)


def read_version(tables: Tables) -> int | None:
    """The stored schema version, or ``None`` when the database has no taskdesk schema."""
    if "schema_meta" not in tables.db.get_tables():
        return None
    row = tables.meta.get_or_none(tables.meta.key == "version")
    if row is None:
        return 0
    try:
        return int(row.value)
    except ValueError:
        return 0


def write_version(tables: Tables, version: int) -> None:
    """Stamp the schema version (inside the caller's transaction)."""
    updated = tables.meta.update(value=str(version)).where(tables.meta.key == "version").execute()
    if not updated:
        tables.meta.insert(key="version", value=str(version)).execute()


def backup_name(path: Path, version: int, now: datetime) -> Path:
    """``NAME.db.bak-v1-YYYYmmddHHMMSS`` next to the database (a counter if taken)."""
    stem = f"{path.name}.bak-v{version}-{now:%Y%m%d%H%M%S}"
    candidate = path.with_name(stem)
    counter = 2
    while candidate.exists():
        candidate = path.with_name(f"{stem}-{counter}")
        counter += 1
    return candidate


def prepare_schema(
    opened: OpenedDatabase,
    tables: Tables,
    *,
    create: bool,
    now: Callable[[], datetime],
    backup: Callable[[Path], Path],
) -> list[str]:
    """Make the database's schema the latest one; return notices for the user."""
    version = read_version(tables)
    latest = latest_version()
    if version is None:
        _create_fresh(opened, tables, create=create)
        return []
    if version > latest:
        raise StoreUnavailable(
            f"{opened.location} was written by a newer taskdesk (schema version {version}; "
            f"this taskdesk knows up to {latest}). Upgrade taskdesk to open it."
        )
    if version == latest:
        return []
    notices: list[str] = []
    if opened.path is not None:
        copy = backup(backup_name(opened.path, version, now()))
        notices.append(
            f"Upgraded the database from schema {version} to {latest}; "
            f"the old one is saved as {copy}."
        )
    else:
        notices.append(f"Upgraded the database from schema {version} to {latest}.")
    with_retry(lambda: _upgrade(opened, tables, latest), location=opened.location)
    return notices


def _create_fresh(opened: OpenedDatabase, tables: Tables, *, create: bool) -> None:
    """Create every table in one transaction, unless the database holds something else."""
    others = [name for name in tables.db.get_tables() if not name.startswith("sqlite_")]
    if others:
        raise StoreUnavailable(
            f"{opened.location} is not a taskdesk database (it holds other tables)."
        )
    if not create:
        raise StoreUnavailable(f"{opened.location} holds no taskdesk database yet.")

    def run() -> None:
        with tables.db.atomic():
            if read_version(tables) is not None:
                return  # another process created it while we waited for the lock
            ctx = MigrationContext(tables, _migrator(opened), opened.backend)
            create_all(ctx)
            write_version(tables, latest_version())

    with_retry(run, location=opened.location)


def _upgrade(opened: OpenedDatabase, tables: Tables, latest: int) -> None:
    """Run the missing steps in one transaction (re-reading the version under the lock).

    On SQLite, foreign keys are switched off around the transaction (the pragma is a
    no-op inside one) because ``playhouse.migrate`` rebuilds tables to change columns,
    and dropping a referenced table would fail; ``foreign_key_check`` then proves the
    steps left every reference intact before anything is committed.
    """
    sqlite = opened.backend == "sqlite"
    db = tables.db
    if sqlite:
        raw(db, "PRAGMA foreign_keys=OFF")
    try:
        with db.atomic():
            version = read_version(tables) or 0
            ctx = MigrationContext(tables, _migrator(opened), opened.backend)
            for step in range(version + 1, latest + 1):
                STEPS[step](ctx)
            write_version(tables, latest)
            if sqlite:
                broken = raw(db, "PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StoreUnavailable(
                        f"Upgrading {opened.location} would break {len(broken)} references "
                        f"(first in table {broken[0][0]}); nothing was changed."
                    )
    finally:
        if sqlite:
            raw(db, "PRAGMA foreign_keys=ON")
