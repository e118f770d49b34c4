"""Opening and configuring the database: targets, permissions, SQLite pragmas, retries.

taskdesk often runs as several processes on one machine (people in SSH sessions on a
shared server, each with the app and the CLI open), so SQLite is configured for that:
WAL (readers never block the writer), a busy timeout, and writes that take the write
lock up front (``BEGIN IMMEDIATE``) so two writers queue instead of deadlocking on a lock
upgrade. WAL needs shared memory, which network filesystems cannot provide; there the
store falls back to a rollback journal and says so in ``notices``.

Everything that can go wrong while opening becomes a :class:`StoreUnavailable` with a
sentence a person can act on, never a traceback, and never a write to a file that is not
ours.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse, urlunparse

import peewee
from peewee import Database, SqliteDatabase

from taskdesk.store.errors import StoreLocked, StoreUnavailable

T = TypeVar("T")

#: Filesystem types on which SQLite's WAL shared memory cannot work (or is unsafe).
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb3",
        "smbfs",
        "fuse.sshfs",
        "sshfs",
        "9p",
        "afs",
        "ceph",
        "fuse.ceph",
        "glusterfs",
        "fuse.glusterfs",
        "lustre",
        "gpfs",
        "beegfs",
        "ocfs2",
        "gfs2",
        "davfs",
        "fuse.davfs2",
        "fuse.s3fs",
        "fuse.rclone",
        "ncpfs",
        "coda",
        "vboxsf",
        "virtiofs",
    }
)

SQLITE_MAGIC = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT_MS = 5000
#: Attempts for one write when the database stays locked past the busy timeout.
WRITE_ATTEMPTS = 3


@dataclass(slots=True)
class OpenedDatabase:
    """A configured, connected-on-demand peewee database and what we learnt opening it."""

    db: Database
    backend: str
    location: str
    path: Path | None = None
    created: bool = False
    notices: list[str] = field(default_factory=list)
    #: The SQLite journal mode to switch to once the file is known to be ours.
    journal: str | None = None

    def configure_journal(self) -> None:
        """Switch SQLite to its journal mode (WAL persists in the file, so only now:
        a foreign database we refuse must stay byte-for-byte untouched)."""
        if self.journal is None or self.path is None:
            return
        row = raw(self.db, f"PRAGMA journal_mode={self.journal}").fetchone()
        mode = str(row[0]).lower() if row else "unknown"
        if mode != self.journal:
            self.notices.append(
                f"{self.path}: SQLite kept the {mode} journal mode, not {self.journal}."
            )


def raw(db: Database, sql: str) -> Any:
    """Run one raw statement (pragmas only); returns the DB-API cursor."""
    return db.execute_sql(sql)  # type: ignore[no-untyped-call]  # peewee-stubs: untyped


def is_url(target: str) -> bool:
    """A target with a scheme (``sqlite:///…``, ``postgresql://…``) is a URL, else a path."""
    return "://" in target


def redact_url(url: str) -> str:
    """The URL without its password, for titles, logs and error messages."""
    parsed = urlparse(url)
    if parsed.password is None:
        return url
    host = parsed.hostname or ""
    if parsed.port:
        host = f"{host}:{parsed.port}"
    user = parsed.username or ""
    return urlunparse(parsed._replace(netloc=f"{user}@{host}"))


def _unescape_mount(text: str) -> str:
    """Undo /proc/mounts' octal escapes (``\\040`` is a space)."""
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and text[i + 1 : i + 4].isdigit():
            out.append(chr(int(text[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def filesystem_type(path: Path, mounts_text: str) -> str | None:
    """The type of the filesystem holding ``path``: the longest matching mount point wins."""
    target = str(path)
    best: tuple[int, str] | None = None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point, fstype = _unescape_mount(parts[1]), parts[2]
        prefix = mount_point.rstrip("/") + "/"
        if (target == mount_point or target.startswith(prefix) or mount_point == "/") and (
            best is None or len(mount_point) >= best[0]
        ):
            best = (len(mount_point), fstype)
    return best[1] if best else None


def network_filesystem(path: Path, mounts_file: str = "/proc/mounts") -> str | None:
    """The network filesystem type holding ``path``, or ``None`` (also when unknowable)."""
    try:
        text = Path(mounts_file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fstype = filesystem_type(path, text)
    if fstype is None:
        return None
    if fstype in NETWORK_FILESYSTEMS or fstype.split(".")[-1] in NETWORK_FILESYSTEMS:
        return fstype
    return None


def _create_private_file(path: Path) -> None:
    """Create ``path`` (and its directory) readable by the owner only, before SQLite does.

    SQLite would create the file with the process umask (often world-readable); a task
    store holds people's notes, so it is 0600 in a 0700 directory from the first byte.
    """
    directory = path.parent
    if not directory.exists():
        try:
            directory.mkdir(mode=0o700, parents=True)
            os.chmod(directory, 0o700)
        except OSError as exc:
            raise StoreUnavailable(
                f"Cannot create the directory {directory} for the database: {exc.strerror}."
            ) from exc
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreUnavailable(f"Cannot create the database {path}: {exc.strerror}.") from exc
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _check_sqlite_file(path: Path) -> None:
    """Refuse anything that is not an SQLite file, without writing a byte to it."""
    if path.is_dir():
        raise StoreUnavailable(f"{path} is a directory, not a taskdesk database.")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreUnavailable(f"Cannot read the database {path}: {exc.strerror}.") from exc
    if head and head != SQLITE_MAGIC:
        raise StoreUnavailable(f"{path} is not a taskdesk database (file is not a database).")


def sqlite_path_from_url(url: str) -> str:
    """The file path of a ``sqlite:///path`` URL, as ``playhouse.db_url`` reads it.

    Like SQLAlchemy and peewee: three slashes then a relative path, four for an absolute
    one (``sqlite:////home/me/taskdesk.db``).
    """
    from playhouse.db_url import parse

    database = parse(url).get("database")
    if not database or database == ":memory:":
        raise StoreUnavailable(
            f"{url} names no database file; taskdesk needs a file "
            "(each thread would see its own empty in-memory database)."
        )
    return str(database)


def open_sqlite(
    path_text: str,
    *,
    create: bool,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    mounts_file: str = "/proc/mounts",
) -> OpenedDatabase:
    """Open (or create) an SQLite file configured for several processes on one machine."""
    path = Path(path_text).expanduser().absolute()
    created = False
    if not path.exists():
        if not create:
            raise StoreUnavailable(f"There is no taskdesk database at {path}.")
        _create_private_file(path)
        created = True
    _check_sqlite_file(path)

    notices: list[str] = []
    fstype = network_filesystem(path, mounts_file)
    journal = "delete" if fstype else "wal"
    if fstype:
        notices.append(
            f"{path} is on a network filesystem ({fstype}): using a rollback journal "
            "instead of WAL, so concurrent use is slower."
        )
    pragmas: list[tuple[str, object]] = [
        ("busy_timeout", busy_timeout_ms),
        ("foreign_keys", 1),
        ("synchronous", "NORMAL" if journal == "wal" else "FULL"),
    ]
    db = SqliteDatabase(
        str(path), pragmas=pragmas, timeout=busy_timeout_ms / 1000, lock_type="IMMEDIATE"
    )
    # SQLite's lower() folds ASCII only; filters fold titles with Python's rules instead.
    db.register_function(_lower, "td_lower", 1, deterministic=True)
    _check_readable(db, path)
    return OpenedDatabase(db, "sqlite", str(path), path, created, notices, journal)


def _lower(text: object) -> str | None:
    """``td_lower()`` in SQL: Unicode-aware lower-casing for case-insensitive filters."""
    return None if text is None else str(text).lower()


def _check_readable(db: SqliteDatabase, path: Path) -> None:
    """Read the schema once (no write), mapping a corrupt or locked file to a sentence."""
    try:
        db.connect(reuse_if_open=True)
        raw(db, "SELECT count(*) FROM sqlite_master").fetchone()
    except peewee.DatabaseError as exc:
        db.close()
        message = str(exc)
        if "not a database" in message or "malformed" in message or "encrypted" in message:
            raise StoreUnavailable(
                f"{path} is not a taskdesk database (file is not a database)."
            ) from exc
        if "locked" in message or "busy" in message:
            raise StoreLocked(
                f"{path} is locked by another program; try again in a moment."
            ) from exc
        raise StoreUnavailable(f"Cannot open the database {path}: {message}.") from exc


def open_url(url: str, *, create: bool, busy_timeout_ms: int) -> OpenedDatabase:
    """Open any URL ``playhouse.db_url`` understands; SQLite URLs get the file treatment."""
    scheme = urlparse(url).scheme.lower()
    if scheme.startswith("sqlite"):
        return open_sqlite(
            sqlite_path_from_url(url), create=create, busy_timeout_ms=busy_timeout_ms
        )
    from playhouse import db_url

    location = redact_url(url)
    extra: dict[str, object] = {}
    if scheme.startswith("postgres"):
        extra["prefer_psycopg3"] = True
    try:
        db = db_url.connect(url, **extra)
    except (RuntimeError, ValueError, TypeError) as exc:
        raise StoreUnavailable(f"{location} is not a database URL taskdesk can use: {exc}") from exc
    try:
        db.connect(reuse_if_open=True)
    except peewee.ImproperlyConfigured as exc:
        raise StoreUnavailable(
            f"{location}: the database driver is missing ({exc}); for PostgreSQL install "
            "psycopg: pip install 'psycopg[binary]'."
        ) from exc
    except peewee.DatabaseError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreUnavailable(f"Cannot connect to {location}: {first}") from exc
    backend = "postgresql" if isinstance(db, peewee.PostgresqlDatabase) else scheme
    return OpenedDatabase(db, backend, location)


def open_database(
    target: str, *, create: bool = True, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
) -> OpenedDatabase:
    """Open a file path (SQLite) or a database URL; see :mod:`taskdesk.store.db`."""
    if not target or not target.strip():
        raise StoreUnavailable("No database given: pass a file path or a database URL.")
    if is_url(target):
        return open_url(target, create=create, busy_timeout_ms=busy_timeout_ms)
    return open_sqlite(target, create=create, busy_timeout_ms=busy_timeout_ms)


def is_lock_error(exc: BaseException) -> bool:
    """A transient "someone else holds the lock" error worth retrying."""
    text = str(exc).lower()
    return (
        any(
            word in text
            for word in ("database is locked", "database table is locked", "busy", "deadlock")
        )
        or "could not serialize" in text
    )


def with_retry(fn: Callable[[], T], *, location: str, attempts: int = WRITE_ATTEMPTS) -> T:
    """Run one write transaction, retrying a bounded number of times while it is locked.

    Each attempt already waited the busy timeout inside SQLite; a few more attempts with
    a jittered pause ride out a long checkpoint or another process's big import, and
    then the user gets a sentence instead of a hang.
    """
    for attempt in range(attempts):
        try:
            return fn()
        except (peewee.OperationalError, sqlite3.OperationalError) as exc:
            if not is_lock_error(exc):
                raise
            if attempt == attempts - 1:
                raise StoreLocked(
                    f"The database {location} stayed locked by another taskdesk "
                    f"(tried {attempts} times); try again in a moment."
                ) from exc
            time.sleep(0.05 * (2**attempt) + random.uniform(0, 0.05))
    raise AssertionError("unreachable")  # pragma: no cover
