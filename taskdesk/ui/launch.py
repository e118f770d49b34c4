"""How ``taskdesk`` gets the Board on screen fast: the store in a child process first.

Why (issue 5, start-up): before this, the first frame waited for three things in one
interpreter: importing peewee and the store (~45 ms), opening the store, and the
Board's first read, whose Python half competed with Textual's import for the GIL. On a
machine with a second core none of that needs to be in the way. So, for an SQLite store
on a system with ``fork``:

1. :meth:`ChildStart.begin` forks before anything heavy is imported. The child imports
   the store, opens it (creating or upgrading it, with the usual checks), says so to
   the parent (or sends the error), then makes the Board's first read and sends it:
   two pickled messages on a pipe. The parent imports Textual meanwhile.
   (:class:`ChildRead` is the general form: any first read whose result pickles, such
   as the Gantt's kept view in ``benchmarks/perf_launch.py``.)
2. The parent waits for the child's verdict before it takes over the terminal: a bad
   target is still one clear message on a plain terminal, as before.
3. The app shows the first read, and only then opens its own store
   (:class:`StoreOpening`, in a thread). Anything that needs the store before that
   simply waits for it.

If the child dies without a verdict, the parent opens the store itself as before
(:class:`ChildGone`). Nothing here imports Textual or, at import time, the store.
"""

from __future__ import annotations

import os
import pickle
import struct
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, TypeVar

from taskdesk.domain.filters import Filter
from taskdesk.ui.board_read import FIRST_PAGE_SIZE, BoardRead, BoardScope, FirstRead, read_board

if TYPE_CHECKING:
    from taskdesk.store import Store

R = TypeVar("R")

#: A message on the pipe: its length (8 bytes, big-endian), then the pickle.
_HEADER = struct.Struct(">Q")


@dataclass(frozen=True, slots=True)
class StorePlace:
    """What the screens show of the store before it is open in this process."""

    actor: str
    location: str
    backend: str
    #: Warnings from opening it (a world-readable file, …), shown as toasts.
    notices: list[str] = field(default_factory=list)
    #: No items and no containers (the app offers the demo); None: not looked at.
    empty: bool | None = None

    @classmethod
    def of(cls, store: Store, *, look_inside: bool = False) -> StorePlace:
        """The place of a store that is open (``look_inside``: and whether it is empty)."""
        empty = store.is_empty() if look_inside else None
        return cls(store.actor, store.location, store.backend, list(store.notices), empty)


class ChildGone(RuntimeError):
    """The child process ended without saying whether the store opened."""


def forkable(target: str) -> bool:
    """Can this store's first read go to a child process? (SQLite, a system with fork.)

    PostgreSQL is left out: its read waits on the network, not the interpreter, and a
    connection is not something to open twice for nothing.
    """
    return hasattr(os, "fork") and not target.split(":", 1)[0].lower().startswith("postgres")


def _send(out: BinaryIO, message: tuple[Any, ...]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(data)) + data)
    out.flush()


def _receive(source: BinaryIO) -> tuple[Any, ...] | None:
    """The next message, or None at the end of the pipe (or a cut-off message)."""
    header = source.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = source.read(size)
    if len(data) < size:
        return None
    message = pickle.loads(data)
    return message if isinstance(message, tuple) else None


def _portable(error: BaseException) -> BaseException:
    """``error`` if it survives pickling, else a StoreError with its message."""
    try:
        copy = pickle.loads(pickle.dumps(error))
    except Exception:
        from taskdesk.store.errors import StoreError

        return StoreError(str(error) or type(error).__name__)
    return copy if isinstance(copy, BaseException) else error


@dataclass
class ChildRead(Generic[R]):
    """A child process' verdict on the store, and the first read it made there."""

    opened: Future[StorePlace]
    result: Future[R]

    @classmethod
    def begin(
        cls,
        target: str,
        actor: str,
        prepare: Callable[[], None],
        read: Callable[[Store], R],
    ) -> ChildRead[R]:
        """Fork; the child opens ``target`` as ``actor``, says so, then runs ``read``.

        ``prepare`` runs in the child before the store is imported (``taskdesk`` uses it
        to keep peewee from loading PostgreSQL drivers it will not use). ``read``'s
        result must pickle; it comes back whole, as one message.
        """
        start: ChildRead[R] = cls(Future(), Future())
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(reading)
            _child(writing, target, actor, prepare, read)
        os.close(writing)
        threading.Thread(
            target=start._listen, args=(reading, pid), name="taskdesk-first-read", daemon=True
        ).start()
        return start

    def place(self) -> StorePlace:
        """Wait for the child's verdict: the store's place, or the error it met."""
        return self.opened.result()

    def _listen(self, reading: int, pid: int) -> None:
        """Turn the child's messages into results (in a thread of the parent)."""
        futures: list[Future[Any]] = [self.opened, self.result]
        try:
            with os.fdopen(reading, "rb") as source:
                while (message := _receive(source)) is not None:
                    kind, body = message
                    if kind == "opened":
                        self.opened.set_result(body)
                    elif kind == "read":
                        self.result.set_result(body)
                    elif kind == "failed":  # this and every later result
                        for future in futures:
                            if not future.done():
                                future.set_exception(body)
        except Exception as error:  # a broken pipe or message: the fallbacks take over
            gone: BaseException = ChildGone(f"the first read failed: {error}")
        else:
            gone = ChildGone("the first read's process ended early")
        finally:
            os.waitpid(pid, 0)
        for future in futures:
            if not future.done():
                future.set_exception(gone)


def _child(
    writing: int,
    target: str,
    actor: str,
    prepare: Callable[[], None],
    read: Callable[[Store], Any],
) -> None:
    """The child process: open, say so, read, send; then leave at once (``os._exit``:
    no atexit handler, buffer flush or finalizer of the parent's runs twice)."""
    code = 0
    try:
        with os.fdopen(writing, "wb") as out:
            try:
                prepare()
                from taskdesk.store import open_store

                store = open_store(target, actor=actor)
            except BaseException as error:
                _send(out, ("failed", _portable(error)))
                return
            _send(out, ("opened", StorePlace.of(store, look_inside=True)))
            try:
                result = read(store)
            except BaseException as error:
                _send(out, ("failed", _portable(error)))
                return
            _send(out, ("read", result))
    except BaseException:
        code = 1
    finally:
        os._exit(code)


@dataclass
class ChildStart:
    """The Board's start: the child's verdict on the store, and the Board's first read
    (the live-refresh marks first, then the board, as :class:`FirstRead` has them)."""

    child: ChildRead[tuple[tuple[int, int], BoardRead]]
    first: FirstRead

    @classmethod
    def begin(
        cls, target: str, actor: str, done_days: int, prepare: Callable[[], None]
    ) -> ChildStart:
        """Fork; the child opens ``target`` as ``actor`` and reads the Board."""
        since = datetime.now() - timedelta(days=done_days)

        def read(store: Store) -> tuple[tuple[int, int], BoardRead]:
            marks = (store.data_version(), store.latest_action_id())
            return marks, read_board(store, BoardScope(), Filter(), since, FIRST_PAGE_SIZE)

        child = ChildRead.begin(target, actor, prepare, read)
        first = FirstRead(Future(), Future())

        def split(done: Future[tuple[tuple[int, int], BoardRead]]) -> None:
            error = done.exception()
            if error is not None:
                first.marks.set_exception(error)
                first.board.set_exception(error)
                return
            marks, board = done.result()
            first.marks.set_result(marks)
            first.board.set_result(board)

        child.result.add_done_callback(split)
        return cls(child, first)

    @property
    def opened(self) -> Future[StorePlace]:
        """The child's verdict on the store."""
        return self.child.opened

    def place(self) -> StorePlace:
        """Wait for the child's verdict: the store's place, or the error it met."""
        return self.child.place()


class StoreOpening:
    """The app's own store, opened in a thread once the first frame is out.

    :meth:`begin` starts it (the app calls it after its first refresh); :meth:`wait`
    starts it if nobody did and blocks until it is open (or raises what opening raised).
    """

    def __init__(self, target: str, actor: str, prepare: Callable[[], None]) -> None:
        self.target = target
        self.actor = actor
        self._prepare = prepare
        self._future: Future[Store] = Future()
        self._started = False
        self._lock = threading.Lock()

    def begin(self) -> None:
        """Open the store in a daemon thread (once)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._open, name="taskdesk-open-store", daemon=True).start()

    def _open(self) -> None:
        try:
            self._prepare()
            from taskdesk.store import open_store

            self._future.set_result(open_store(self.target, actor=self.actor))
        except BaseException as error:
            self._future.set_exception(error)

    def wait(self) -> Store:
        """The open store (begun now if it was not)."""
        self.begin()
        return self._future.result()

    def opened(self) -> Store | None:
        """The store if it has opened (None: not yet, or it failed); never waits."""
        future = self._future
        if not future.done() or future.exception() is not None:
            return None
        return future.result()

    def when_open(self, callback: Callable[[Future[Store]], object]) -> None:
        """Call ``callback`` with the finished future (in the opening thread)."""
        self._future.add_done_callback(callback)
