"""Writers of one SQLite file take turns, so none of them waits for seconds.

SQLite's busy handler is not a queue: a writer that finds the file locked sleeps (up to
100 ms at a time) and tries again, and on a busy team store a few processes can keep
winning the race while another one loses it for seconds, until it gives up with
"database is locked". Before its ``BEGIN IMMEDIATE`` every taskdesk writer therefore
takes an advisory ``flock`` on a small sidecar file (``NAME.db-writers``): the kernel
hands the lock to a waiting process the moment it is released, and writes are short,
so the wait for a turn stays close to the sum of the writes ahead of it.

It is a courtesy between taskdesk processes, never a requirement: another program
writing the file ignores it (SQLite's own locking still keeps the data safe), a sidecar
that cannot be created (a read-only directory) or a turn that does not come within the
busy timeout just means the write goes ahead and SQLite arbitrates as before. On a
network filesystem, where ``flock`` may be emulated with the same POSIX locks SQLite
uses, it is not used at all.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

#: The sidecar's name: the database file's name plus this suffix.
SUFFIX = "-writers"

#: Poll interval while another taskdesk holds the turn (seconds; doubles up to the max).
_FIRST_PAUSE = 0.0002
_MAX_PAUSE = 0.002

#: A writer that wants a new turn right after its last one first steps back this long,
#: so a process writing in a loop cannot keep the turn from the ones polling for it.
_COURTESY = 0.003


def sidecar_path(database: Path) -> Path:
    """Where the turn-taking lock of ``database`` lives."""
    return database.with_name(database.name + SUFFIX)


class WriterTurns:
    """One per store: ``with turns.turn(): <one write transaction>``.

    Threads of this process queue on a thread lock first (``flock`` is held by the open
    file, shared by every thread), then the process queues on the file lock.
    """

    def __init__(self, database: Path, timeout_s: float) -> None:
        self.path = sidecar_path(database)
        self.mode = _mode_like(database)
        self.timeout_s = timeout_s
        self._fd: int | None = None
        self._unavailable = False
        self._threads = threading.Lock()
        self._released = 0.0

    @contextlib.contextmanager
    def turn(self) -> Iterator[bool]:
        """Wait for this writer's turn (at most the busy timeout); yields whether it got it."""
        deadline = time.monotonic() + self.timeout_s
        if not self._threads.acquire(timeout=self.timeout_s):
            yield False
            return
        try:
            fd = self._open()
            if fd is not None and time.monotonic() - self._released < _COURTESY:
                time.sleep(_COURTESY)
            held = fd is not None and _lock(fd, deadline)
            try:
                yield held
            finally:
                if held and fd is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                    self._released = time.monotonic()
        finally:
            self._threads.release()

    def close(self) -> None:
        """Close the sidecar (the lock, if held, goes with it)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None

    def _open(self) -> int | None:
        """The sidecar's descriptor, opened once; ``None`` when it cannot be had."""
        if self._fd is not None or self._unavailable:
            return self._fd
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            old = os.umask(0)
            try:
                self._fd = os.open(self.path, flags, self.mode)
            finally:
                os.umask(old)
        except OSError:
            self._unavailable = True  # read-only directory, a symlink planted there…
        return self._fd


def _lock(fd: int, deadline: float) -> bool:
    """Take the exclusive lock, polling briefly until ``deadline``."""
    pause = _FIRST_PAUSE
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, _MAX_PAUSE)
        except OSError:
            return False


def _mode_like(database: Path) -> int:
    """The sidecar gets the database's read/write bits (0660 in a team directory)."""
    try:
        bits = stat.S_IMODE(database.stat().st_mode)
    except OSError:
        bits = 0o600
    return (bits & 0o666) | 0o600
