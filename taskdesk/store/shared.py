"""Team stores: one SQLite file that a group of people on one server use at once.

``taskdesk init --shared DIR --group GROUP`` makes the directory and the database so
that every member can read and write them and nobody else can see them:

- the directory is ``3770`` (``drwxrws--T``), owned by the group:
  ``rwx`` for owner and group, nothing for others;
  the **setgid** bit (``2000``) makes every file created inside — the database, and the
  ``-wal``/``-shm`` files SQLite creates next to it on first use, and backups — belong
  to the group whoever creates it, so a member with another primary group can still
  open them; the **sticky** bit (``1000``) lets only a file's owner delete or rename it,
  so one member cannot replace the team's database (or swap in a link to another file)
  in a directory they may write;
- the database is created by taskdesk with mode ``0660`` before SQLite opens it. SQLite
  gives its ``-wal`` and ``-shm`` files the mode of the database, so they are ``0660``
  too, whatever the umask of the member who opens the store first.

Whether the group may be used is the operating system's decision: the caller must own
the directory and belong to the group (or be root), as for ``chgrp``.
"""

from __future__ import annotations

import grp
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from taskdesk.store.errors import StoreUnavailable, ValidationError

#: The directory of a team store: setgid + sticky, rwx for owner and group.
SHARED_DIR_MODE = 0o3770
#: The database of a team store: read/write for owner and group.
SHARED_FILE_MODE = 0o660
#: The database's name inside the directory.
DEFAULT_NAME = "taskdesk.db"


@dataclass(frozen=True, slots=True)
class SharedStore:
    """What ``init --shared`` made: where the database is and who may use it."""

    database: Path
    group: str
    gid: int
    notices: list[str] = field(default_factory=list)


def resolve_group(group: str) -> tuple[str, int]:
    """A group name (or numeric id) → (name, gid); ValidationError when it is unknown."""
    text = group.strip()
    try:
        entry = grp.getgrgid(int(text)) if text.isdigit() else grp.getgrnam(text)
    except (KeyError, ValueError, OverflowError):
        raise ValidationError(
            f"There is no group {group!r} on this machine (see `getent group`)."
        ) from None
    return entry.gr_name, entry.gr_gid


def _prepare_directory(directory: Path, gid: int, group: str) -> None:
    """Create (or adopt an empty) directory and give it the team's group and mode."""
    if directory.is_symlink():
        raise StoreUnavailable(
            f"{directory} is a symbolic link; give the real directory "
            f"({directory.resolve()}) to `taskdesk init --shared`."
        )
    if directory.exists():
        if not directory.is_dir():
            raise StoreUnavailable(f"{directory} exists and is not a directory.")
        if (directory / DEFAULT_NAME).exists():
            raise StoreUnavailable(
                f"{directory} already holds a team store; use --db {directory / DEFAULT_NAME}."
            )
        if any(directory.iterdir()):
            raise StoreUnavailable(
                f"{directory} is not empty; a team store needs a directory of its own."
            )
    else:
        try:
            directory.mkdir(mode=0o700, parents=True)
        except OSError as exc:
            raise StoreUnavailable(f"Cannot create {directory}: {exc.strerror}.") from exc
    try:
        os.chown(directory, -1, gid)
        os.chmod(directory, SHARED_DIR_MODE)
    except OSError as exc:
        raise StoreUnavailable(
            f"Cannot give {directory} to the group {group}: {exc.strerror} (you must own "
            "the directory and be a member of the group)."
        ) from exc


def _create_database_file(path: Path, gid: int) -> None:
    """The empty database file, 0660 and the team's group, before SQLite touches it."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, SHARED_FILE_MODE)
    try:
        os.fchown(fd, -1, gid)
        os.fchmod(fd, SHARED_FILE_MODE)  # the umask may have taken the group bits
    finally:
        os.close(fd)


def init_shared(directory: str | Path, group: str, *, actor: str | None = None) -> SharedStore:
    """Make a team store in ``directory`` for ``group``; return where its database is.

    The database is created with its schema (so the first member to open it does not
    race another to create it) and closed again. Raises ValidationError for an unknown
    group and StoreUnavailable for a directory that cannot be used.
    """
    from taskdesk.store.repository import open_store

    name, gid = resolve_group(group)
    root = Path(directory).expanduser().absolute()
    _prepare_directory(root, gid, name)
    database = root / DEFAULT_NAME
    _create_database_file(database, gid)
    try:
        store = open_store(str(database), actor=actor, create=True)
    except BaseException:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        raise
    try:
        notices = list(store.notices)
    finally:
        store.close()
    problems = shared_layout_problems(database)
    if problems:  # pragma: no cover - only if the OS refused part of the setup silently
        raise StoreUnavailable("; ".join(problems))
    return SharedStore(database=database, group=name, gid=gid, notices=notices)


def shared_layout_problems(database: Path) -> list[str]:
    """What differs from the intended team-store layout (empty when all is as intended)."""
    problems: list[str] = []
    directory = database.parent
    try:
        dir_stat, file_stat = directory.stat(), database.stat()
    except OSError as exc:
        return [f"Cannot inspect {database}: {exc.strerror}."]
    dir_mode, file_mode = stat.S_IMODE(dir_stat.st_mode), stat.S_IMODE(file_stat.st_mode)
    if dir_mode != SHARED_DIR_MODE:
        problems.append(f"{directory} has mode {dir_mode:04o}, not {SHARED_DIR_MODE:04o}")
    if file_mode != SHARED_FILE_MODE:
        problems.append(f"{database} has mode {file_mode:04o}, not {SHARED_FILE_MODE:04o}")
    if file_stat.st_gid != dir_stat.st_gid:
        problems.append(f"{database} does not belong to the group of {directory}")
    for suffix in ("-wal", "-shm"):
        side = Path(f"{database}{suffix}")
        if side.exists() and stat.S_IMODE(side.stat().st_mode) & 0o007:
            problems.append(f"{side} can be read by every user of this machine")
    return problems
