"""Opening and configuring the database: targets, permissions, SQLite pragmas, retries.

taskdesk often runs as several processes on one machine (people in SSH sessions on a
shared server, each with the app and the CLI open), so SQLite is configured for that:
WAL (readers never block the writer), a busy timeout, and writes that take the write
lock up front (``BEGIN IMMEDIATE``) so two writers queue instead of deadlocking on a lock
upgrade. WAL needs shared memory and SQLite needs POSIX locks that network filesystems
do not provide reliably, so a store on one is refused (PostgreSQL is the answer there)
unless the user overrides it (``TASKDESK_ALLOW_NETWORK_FS=1``); it then uses a rollback
journal and says so in ``notices``.

Existing files are opened through a ``file:…?mode=rw`` URI, so SQLite never creates a
database behind a mistyped path; a file or directory we may not write opens read-only
(``mode=ro``); a symbolic link is refused (in a group-writable team directory a link
could point someone's taskdesk at a file of theirs). Every SQLite error a statement can
meet (disk full, read-only, damaged file, I/O error) becomes a :class:`StoreError`
sentence, and a read that meets a lock is retried like a write.

Everything that can go wrong while opening becomes a :class:`StoreUnavailable` with a
sentence a person can act on, never a traceback, and never a write to a file that is not
ours.
"""

from __future__ import annotations

import os
import random
import sqlite3
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlparse, urlunparse

import peewee
from peewee import Database, SqliteDatabase

from taskdesk.store.errors import (
    StoreError,
    StoreLocked,
    StoreReadOnly,
    StoreUnavailable,
)

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
#: Attempts for one read statement outside a transaction (same reasoning).
READ_ATTEMPTS = 3
#: Environment switch that opens SQLite stores on a network filesystem anyway.
ALLOW_NETWORK_FS_ENV = "TASKDESK_ALLOW_NETWORK_FS"
#: The files SQLite keeps next to a database.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


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
    #: Opened read-only (``mode=ro``): writes raise :class:`StoreReadOnly`.
    read_only: bool = False
    #: How long a writer waits for the lock before a retry (SQLite's busy timeout).
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS

    def configure_journal(self) -> None:
        """Switch SQLite to its journal mode (WAL persists in the file, so only now:
        a foreign database we refuse must stay byte-for-byte untouched)."""
        if self.journal is None or self.path is None or self.read_only:
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
    In a team store directory (setgid, see :mod:`taskdesk.store.shared`) it is 0660
    instead, so the group can use it; SQLite gives the ``-wal``/``-shm`` files the
    database's mode, whatever the umask of whoever opens it first.
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
    mode = 0o660 if is_shared_directory(directory) else 0o600
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, mode)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreUnavailable(f"Cannot create the database {path}: {exc.strerror}.") from exc
    try:
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


def is_shared_directory(directory: Path) -> bool:
    """A team store directory: setgid, so every file in it belongs to the team's group."""
    try:
        return bool(directory.stat().st_mode & stat.S_ISGID)
    except OSError:
        return False


def network_fs_allowed(explicit: bool | None = None) -> bool:
    """Whether the user chose to open SQLite on a network filesystem anyway."""
    if explicit is not None:
        return explicit
    value = os.environ.get(ALLOW_NETWORK_FS_ENV, "").strip().lower()
    return value in {"1", "true", "yes", "on"}


def _refuse_links(path: Path) -> None:
    """Refuse a database path (or a file SQLite keeps next to it) that is a symbolic link.

    In a group-writable team directory, a link planted by another member could make
    someone's taskdesk write its journal into a file of theirs; the real path is asked
    for instead.
    """
    if path.is_symlink():
        raise StoreUnavailable(
            f"{path} is a symbolic link; taskdesk opens only the real file "
            f"(use --db {path.resolve()} if that is the store you mean)."
        )
    for suffix in SIDE_SUFFIXES:
        side = Path(f"{path}{suffix}")
        if side.is_symlink():
            raise StoreUnavailable(
                f"{side} is a symbolic link, where SQLite keeps its {suffix[1:]} file; "
                "remove it (someone may be trying to make taskdesk overwrite another file)."
            )


def _refuse_network_fs(path: Path, fstype: str, allow: bool) -> None:
    """SQLite's locks are unreliable over NFS/SMB/sshfs: refuse unless overridden."""
    if allow:
        return
    raise StoreUnavailable(
        f"{path} is on a network filesystem ({fstype}), where SQLite's file locks are "
        "not reliable: several people writing at once could damage the store. Keep the "
        "store on a local disk of the shared server, or use PostgreSQL "
        "(--db postgresql://user@host/dbname). To open it anyway, for one person at a "
        f"time, set {ALLOW_NETWORK_FS_ENV}=1 or pass --allow-network-fs."
    )


def read_only_reason(path: Path) -> str | None:
    """Why this process may not write the database (``None`` when it may)."""
    if not os.access(path, os.W_OK):
        return "the file is read-only for you"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "its directory is read-only for you (SQLite writes its journal there)"
    return None


def permission_notices(path: Path) -> list[str]:
    """Warnings when the file or its directory is open to more people than intended.

    Intended: a private store is owner-only (file 0600); a team store (setgid
    directory) is 0660 in a 3770 directory. Nothing is ever meant for "others".
    """
    try:
        fmode = stat.S_IMODE(path.stat().st_mode)
        dmode = stat.S_IMODE(path.parent.stat().st_mode)
    except OSError:
        return []
    shared = bool(dmode & stat.S_ISGID)
    notes: list[str] = []
    if fmode & 0o007:
        notes.append(
            f"{path} can be read by every user of this machine (mode {fmode:04o}); "
            f"run: chmod o-rwx {path}"
        )
    if fmode & 0o020 and not shared:
        notes.append(
            f"{path} is group-writable (mode {fmode:04o}) but not in a team store "
            f"directory; run: chmod g-w {path} (or see taskdesk init --shared)"
        )
    directory = path.parent
    public_sticky = bool(dmode & 0o002 and dmode & stat.S_ISVTX) and not shared
    if public_sticky:
        # /tmp-like: the sticky bit keeps others from replacing our owner-only file, and
        # telling anyone to chmod /tmp would be harmful advice.
        pass
    elif dmode & 0o002 or (shared and dmode & 0o007):
        notes.append(
            f"{directory} is open to every user of this machine (mode {dmode:04o}); "
            f"run: chmod o-rwx {directory}"
        )
    elif dmode & 0o020 and not shared:
        notes.append(
            f"{directory} is group-writable (mode {dmode:04o}): group members could "
            f"replace the database; run: chmod g-w {directory}"
        )
    if shared and not dmode & stat.S_ISVTX:
        notes.append(
            f"{directory} is a team store directory without the sticky bit: members can "
            f"delete or replace each other's files; run: chmod +t {directory}"
        )
    return notes


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
    read_only: bool = False,
    allow_network_fs: bool | None = None,
) -> OpenedDatabase:
    """Open (or create) an SQLite file configured for several processes on one machine.

    ``read_only`` opens it ``mode=ro`` on request; a file or directory this process may
    not write opens read-only anyway, with a notice.
    """
    path = Path(path_text).expanduser().absolute()
    _refuse_links(path)
    notices: list[str] = []
    fstype = network_filesystem(path, mounts_file)
    if fstype:
        _refuse_network_fs(path, fstype, network_fs_allowed(allow_network_fs))
    created = False
    if not path.exists():
        if not create or read_only:
            raise StoreUnavailable(f"There is no taskdesk database at {path}.")
        _create_private_file(path)
        created = True
    _check_sqlite_file(path)

    reason = "you asked for it" if read_only else read_only_reason(path)
    journal = "delete" if fstype else "wal"
    if fstype:
        notices.append(
            f"{path} is on a network filesystem ({fstype}), opened anyway: using a "
            "rollback journal instead of WAL; only one person should use it at a time."
        )
    db = _sqlite_database(path, busy_timeout_ms, journal, read_only=reason is not None)
    try:
        _check_readable(db, path)
    except (StoreUnavailable, StoreReadOnly):
        if reason is None or Path(f"{path}-wal").exists():
            raise
        # A read-only directory without -wal/-shm: SQLite cannot make its shared-memory
        # file, so read the file as it is (nobody can be writing: nobody left a WAL).
        db = _sqlite_database(path, busy_timeout_ms, journal, read_only=True, immutable=True)
        _check_readable(db, path)
    if reason is not None:
        notices.append(f"read-only: {path} is open for reading only ({reason}).")
    notices.extend(permission_notices(path))
    opened = OpenedDatabase(db, "sqlite", str(path), path, created, notices, journal)
    opened.read_only = reason is not None
    opened.busy_timeout_ms = busy_timeout_ms
    return opened


class TaskdeskSqliteDatabase(SqliteDatabase):
    """peewee's SQLite database, but failures are sentences and reads ride out locks.

    A statement outside a transaction that meets a lock is retried (each attempt already
    waited the busy timeout); inside a transaction the lock error is left to
    :func:`with_retry`, which retries the whole transaction. Disk full, read-only,
    damaged and I/O errors become :class:`StoreError` subclasses wherever they happen.
    """

    location = ""

    def _connect(self) -> Any:
        """Connect; a file SQLite cannot open is a sentence, not ``OperationalError``."""
        try:
            return super()._connect()  # type: ignore[misc]  # peewee stubs omit _connect
        except sqlite3.Error as exc:
            translated = translate_error(exc, self.location)
            if translated is None:
                raise
            raise translated from exc

    def _rolled_back_by_sqlite(self) -> bool:
        """SQLite itself ended the transaction (it does on a full disk or an I/O error)."""
        if self.is_closed():
            return False
        conn: sqlite3.Connection = self.connection()  # type: ignore[no-untyped-call]
        return not conn.in_transaction

    def rollback(self) -> None:
        """Roll back, unless SQLite already did (so the real error is the one reported)."""
        if self._rolled_back_by_sqlite():
            return
        super().rollback()

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        """Run one statement (see the class docstring for what happens on failure)."""
        if sql.startswith("ROLLBACK TO SAVEPOINT") and self._rolled_back_by_sqlite():
            # Nothing is left to roll back: let the error that ended it be the one seen.
            return self.cursor()  # type: ignore[no-untyped-call]
        for attempt in range(READ_ATTEMPTS):
            try:
                return super().execute_sql(sql, params)  # type: ignore[no-untyped-call]
            except (peewee.DatabaseError, sqlite3.Error) as exc:
                if is_lock_error(exc):
                    if self.in_transaction():
                        raise
                    if attempt < READ_ATTEMPTS - 1:
                        _pause(attempt)
                        continue
                    raise StoreLocked(
                        f"The database {self.location} stayed locked by another taskdesk "
                        f"(tried {READ_ATTEMPTS} times); try again in a moment."
                    ) from exc
                translated = translate_error(exc, self.location)
                if translated is None:
                    raise
                raise translated from exc
        raise AssertionError("unreachable")  # pragma: no cover


def _sqlite_database(
    path: Path,
    busy_timeout_ms: int,
    journal: str,
    *,
    read_only: bool,
    immutable: bool = False,
) -> TaskdeskSqliteDatabase:
    """A database on an existing file, through a URI so SQLite never creates one."""
    uri = f"file:{quote(str(path))}?mode={'ro' if read_only else 'rw'}"
    if immutable:
        uri += "&immutable=1"
    pragmas: list[tuple[str, object]] = [
        ("busy_timeout", busy_timeout_ms),
        ("foreign_keys", 1),
        # Never run SQL functions named in the schema of a file someone else may have made.
        ("trusted_schema", 0),
        ("synchronous", "NORMAL" if journal == "wal" else "FULL"),
    ]
    db = TaskdeskSqliteDatabase(
        uri, pragmas=pragmas, timeout=busy_timeout_ms / 1000, lock_type="IMMEDIATE", uri=True
    )
    db.location = str(path)
    # SQLite's lower() folds ASCII only; filters fold titles with Python's rules instead.
    db.register_function(_lower, "td_lower", 1, deterministic=True)
    return db


def _lower(text: object) -> str | None:
    """``td_lower()`` in SQL: Unicode-aware lower-casing for case-insensitive filters."""
    return None if text is None else str(text).lower()


def _check_readable(db: SqliteDatabase, path: Path) -> None:
    """Read the schema once (no write), mapping a corrupt or locked file to a sentence."""
    try:
        db.connect(reuse_if_open=True)
        raw(db, "SELECT count(*) FROM sqlite_master").fetchone()
    except StoreError:
        db.close()
        raise
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


def open_url(
    url: str,
    *,
    create: bool,
    busy_timeout_ms: int,
    read_only: bool = False,
    allow_network_fs: bool | None = None,
) -> OpenedDatabase:
    """Open any URL ``playhouse.db_url`` understands; SQLite URLs get the file treatment."""
    scheme = urlparse(url).scheme.lower()
    if scheme.startswith("sqlite"):
        return open_sqlite(
            sqlite_path_from_url(url),
            create=create,
            busy_timeout_ms=busy_timeout_ms,
            read_only=read_only,
            allow_network_fs=allow_network_fs,
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
    opened = OpenedDatabase(db, backend, location)
    opened.read_only = read_only
    return opened


def open_database(
    target: str,
    *,
    create: bool = True,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    read_only: bool = False,
    allow_network_fs: bool | None = None,
) -> OpenedDatabase:
    """Open a file path (SQLite) or a database URL; see :mod:`taskdesk.store.db`."""
    if not target or not target.strip():
        raise StoreUnavailable("No database given: pass a file path or a database URL.")
    options: dict[str, Any] = {
        "create": create,
        "busy_timeout_ms": busy_timeout_ms,
        "read_only": read_only,
        "allow_network_fs": allow_network_fs,
    }
    if is_url(target):
        return open_url(target, **options)
    return open_sqlite(target, **options)


def _pause(attempt: int) -> None:
    """A short, jittered, growing pause between two attempts."""
    time.sleep(0.05 * (2**attempt) + random.uniform(0, 0.05))


def _sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code behind ``exc`` (peewee keeps it in ``orig``)."""
    for candidate in (exc, getattr(exc, "orig", None), exc.__cause__):
        code = getattr(candidate, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF
    return None


SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL = 8, 10, 11, 13
SQLITE_CANTOPEN, SQLITE_NOTADB = 14, 26


def translate_error(exc: BaseException, location: str) -> StoreError | None:
    """A sentence for an SQLite failure a person can act on (``None``: not one of those).

    SQLite rolls the transaction back on every one of these, so the database is as it
    was before the failed write: each sentence says so.
    """
    code = _sqlite_code(exc)
    text = str(exc).lower()
    if code == SQLITE_FULL or "database or disk is full" in text:
        return StoreError(
            f"The disk holding {location} is full; nothing was changed. Free some space "
            "and try again."
        )
    if code == SQLITE_READONLY or "readonly database" in text:
        return StoreReadOnly(
            f"{location} is read-only for you (attempt to write a readonly database); "
            "nothing was changed."
        )
    if code == SQLITE_NOTADB or "file is not a database" in text:
        return StoreUnavailable(f"{location} is not a taskdesk database (file is not a database).")
    if code == SQLITE_CORRUPT or "malformed" in text:
        return StoreUnavailable(
            f"{location} is damaged (database disk image is malformed); nothing was changed. "
            "Run `taskdesk check` and restore the latest backup (`taskdesk backup` makes one)."
        )
    if code == SQLITE_IOERR or "disk i/o error" in text:
        return StoreError(
            f"Reading or writing {location} failed (disk I/O error); nothing was changed. "
            "Check the disk, then run `taskdesk check`."
        )
    if code == SQLITE_CANTOPEN or "unable to open database file" in text:
        return StoreUnavailable(
            f"Cannot open the database {location} (unable to open database file): check "
            "that the file and its directory exist and that you may use them."
        )
    return None


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
                translated = translate_error(exc, location)
                if translated is None:
                    raise
                raise translated from exc
            if attempt == attempts - 1:
                raise StoreLocked(
                    f"The database {location} stayed locked by another taskdesk "
                    f"(tried {attempts} times); try again in a moment."
                ) from exc
            _pause(attempt)
    raise AssertionError("unreachable")  # pragma: no cover
