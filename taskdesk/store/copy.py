"""``taskdesk migrate --from A --to B``: copy a whole store between backends.

A team outgrows one SQLite file (or moves off a network filesystem) and wants
PostgreSQL, or takes a PostgreSQL store home as a file: every row of every table moves,
with its id, so links, activity, undo history and item references in people's notes
stay true. The copy is all or nothing:

- the source is read in one snapshot (a read transaction; REPEATABLE READ on
  PostgreSQL), through a read-only open, so people can keep working on it;
- the target must be empty (a new file, or a new database with only the default
  workflow in it); everything is written in one transaction;
- before that transaction commits, every table of the target is read back and its row
  count and checksum (SHA-256 over the sorted hashes of its rows, values normalised so
  that SQLite and PostgreSQL agree) must equal the source's; otherwise it rolls back,
  and a target file this copy created is removed again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taskdesk.store.db import raw, with_retry
from taskdesk.store.errors import StoreError, ValidationError
from taskdesk.store.mapping import tuples
from taskdesk.store.migrations.v0001_initial import DEFAULT_WORKFLOW

if TYPE_CHECKING:
    from taskdesk.store.repository import Store
    from taskdesk.store.tables import Row

#: Rows read per query (keyset pages) and written per INSERT.
READ_PAGE = 2000
WRITE_BATCH = 400
#: Tables a new store fills by itself (replaced by the source's rows).
SEEDED = frozenset({"schema_meta", "revision", "status"})


@dataclass(frozen=True, slots=True)
class TableCopy:
    """One table: how many rows, and their checksum (equal on both sides)."""

    name: str
    rows: int
    checksum: str


@dataclass(slots=True)
class CopyReport:
    """What ``copy_store`` copied and verified."""

    source: str
    target: str
    tables: list[TableCopy] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Rows copied over all tables."""
        return sum(t.rows for t in self.tables)

    def lines(self) -> list[str]:
        """The report as the CLI prints it."""
        width = max((len(t.name) for t in self.tables), default=5)
        out = [f"Copied {self.source} to {self.target}:"]
        out.extend(f"  {t.name:<{width}}  {t.rows:>8}  {t.checksum[:16]}" for t in self.tables)
        out.append(
            f"{self.total} rows in {len(self.tables)} tables, verified by per-table row "
            "counts and checksums."
        )
        return out


# ------------------------------------------------------------------ row hashing
def _canonical(value: Any) -> Any:
    """One value as both backends agree on it (booleans as 0/1, dates as ISO text)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def row_hash(row: tuple[Any, ...]) -> str:
    """The SHA-256 of one row's normalised values."""
    text = json.dumps([_canonical(v) for v in row], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TableDigest:
    """Counts rows and folds their hashes into one checksum (order does not matter)."""

    def __init__(self) -> None:
        self.rows = 0
        self._hashes: list[str] = []

    def add(self, row: tuple[Any, ...]) -> None:
        """Count and hash one row."""
        self.rows += 1
        self._hashes.append(row_hash(row))

    def checksum(self) -> str:
        """SHA-256 over the sorted row hashes."""
        digest = hashlib.sha256()
        for value in sorted(self._hashes):
            digest.update(value.encode("ascii"))
        return digest.hexdigest()


# ---------------------------------------------------------------- table access
def _fields(table: type[Row]) -> list[Any]:
    return list(table._meta.sorted_fields)


def _primary_key(table: type[Row]) -> Any:
    """The primary-key field (every taskdesk table has one)."""
    pk: Any = table._meta.primary_key
    return pk


def _pages(table: type[Row]) -> Iterator[list[tuple[Any, ...]]]:
    """Every row of ``table`` (all columns, in field order), a page at a time."""
    pk = _primary_key(table)
    last: Any = None
    while True:
        query = table.select(*_fields(table)).order_by(pk).limit(READ_PAGE)
        if last is not None:
            query = query.where(pk > last)
        rows = tuples(query.tuples())
        if not rows:
            return
        yield rows
        last = rows[-1][_fields(table).index(pk)]
        if len(rows) < READ_PAGE:
            return


def _self_references(table: type[Row]) -> list[str]:
    """Columns that reference their own table (``item.parent_id``): set after insert."""
    marker = f'REFERENCES "{table._meta.table_name}"'
    return [
        f.name
        for f in _fields(table)
        if any(marker in str(getattr(c, "sql", c)) for c in (f.constraints or []))
    ]


def digest_table(table: type[Row]) -> TableCopy:
    """Row count and checksum of one table as it is now."""
    digest = TableDigest()
    for page in _pages(table):
        for row in page:
            digest.add(row)
    return TableCopy(table._meta.table_name, digest.rows, digest.checksum())


# ---------------------------------------------------------------------- checks
def require_empty(store: Store) -> None:
    """Refuse a target that holds anything but what a new store starts with."""
    for table in store.tables.all():
        name = table._meta.table_name
        if name in SEEDED:
            continue
        count = table.select().count()
        if count:
            raise ValidationError(
                f"{store.location} is not empty ({count} rows in {name}); migrate copies "
                "into a new, empty store only."
            )
    s = store.tables.status
    workflow = [(r.name, r.category) for r in s.select().order_by(s.position, s.id)]
    if workflow != [(name, category) for name, category, _ in DEFAULT_WORKFLOW]:
        raise ValidationError(
            f"{store.location} is not empty (its workflow was changed); migrate copies "
            "into a new, empty store only."
        )


def same_database(source: Store, target: Store) -> bool:
    """Both stores are the same SQLite file or the same database URL."""
    if source.backend == target.backend == "sqlite":
        return Path(source.location).resolve() == Path(target.location).resolve()
    return source.location == target.location


# ------------------------------------------------------------------------ copy
def _snapshot(store: Store, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in one read transaction of ``store`` (one consistent snapshot)."""
    if store.backend == "sqlite":
        with store.db.transaction(lock_type="DEFERRED"):
            return fn()
    with store.db.transaction():
        raw(store.db, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return fn()


def _copy_table(src: type[Row], dst: type[Row]) -> TableCopy:
    """Copy one table page by page (self-references second); return its source digest."""
    names = [f.name for f in _fields(src)]
    dst_fields = [dst._meta.fields[name] for name in names]
    later = _self_references(dst)
    later_index = [names.index(n) for n in later]
    pk_index = names.index(_primary_key(src).name)
    deferred: list[tuple[Any, list[Any]]] = []
    digest = TableDigest()
    for page in _pages(src):
        batch: list[tuple[Any, ...]] = []
        for row in page:
            digest.add(row)
            if later_index:
                values = [row[i] for i in later_index]
                if any(v is not None for v in values):
                    deferred.append((row[pk_index], values))
                row = tuple(None if i in later_index else v for i, v in enumerate(row))
            batch.append(row)
        for start in range(0, len(batch), WRITE_BATCH):
            dst.insert_many(batch[start : start + WRITE_BATCH], fields=dst_fields).execute()
    pk = _primary_key(dst)
    for key, values in deferred:
        dst.update(dict(zip(later, values, strict=True))).where(pk == key).execute()
    return TableCopy(src._meta.table_name, digest.rows, digest.checksum())


def _reset_sequences(target: Store) -> None:
    """PostgreSQL: the next id of every table follows the copied ids."""
    if target.backend != "postgresql":
        return  # SQLite's INTEGER PRIMARY KEY continues from the largest id by itself
    for table in target.tables.all():
        pk = _primary_key(table)
        if pk.field_type != "AUTO":
            continue
        name = table._meta.table_name
        raw(
            target.db,
            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', '{pk.column_name}'), "
            f'(SELECT COALESCE(MAX("{pk.column_name}"), 0) + 1 FROM "{name}"), false)',
        )


def _copy_all(source: Store, target: Store) -> list[TableCopy]:
    """Inside the target's transaction: replace the seeds, copy, verify."""
    copied: list[TableCopy] = _snapshot(
        source,
        lambda: [
            _clear_and_copy(s, d)
            for s, d in zip(source.tables.all(), target.tables.all(), strict=True)
        ],
    )
    _reset_sequences(target)
    for expected, table in zip(copied, target.tables.all(), strict=True):
        got = digest_table(table)
        if got != expected:
            raise StoreError(
                f"Verifying the copy failed for table {expected.name}: the source has "
                f"{expected.rows} rows (checksum {expected.checksum[:12]}), the copy "
                f"{got.rows} (checksum {got.checksum[:12]}); nothing was written."
            )
    return copied


def _clear_and_copy(src: type[Row], dst: type[Row]) -> TableCopy:
    if dst._meta.table_name in SEEDED:
        dst.delete().execute()
    return _copy_table(src, dst)


def copy_store(
    source_target: str,
    target_target: str,
    *,
    actor: str | None = None,
    allow_network_fs: bool | None = None,
) -> CopyReport:
    """Copy every row of ``source_target`` into the empty ``target_target``; verify."""
    from taskdesk.store.repository import open_store

    source = open_store(
        source_target,
        actor=actor,
        create=False,
        read_only=True,
        allow_network_fs=allow_network_fs,
    )
    try:
        target = open_store(
            target_target, actor=actor, create=True, allow_network_fs=allow_network_fs
        )
        created = target._opened.created
        try:
            if same_database(source, target):
                raise ValidationError(f"{source.location} is both the source and the target.")
            require_empty(target)

            def run() -> list[TableCopy]:
                with target.db.atomic():
                    return _copy_all(source, target)

            tables = with_retry(run, location=target.location)
        except BaseException:
            target.close()
            if created and target._opened.path is not None:
                _remove_sqlite_files(target._opened.path)
            raise
        target.close()
        return CopyReport(source.location, target.location, tables)
    finally:
        source.close()


def _remove_sqlite_files(path: Path) -> None:
    """Remove a database file this copy created, and SQLite's files next to it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
