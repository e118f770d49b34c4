"""What the Board reads from the store, importable without Textual.

Why a module of its own: the Board's first read is begun by ``taskdesk`` before Textual
is imported (issue 5: startup). Importing Textual takes about 0.1 s of the main thread;
the read spends most of its time inside SQLite, which releases the interpreter, so the
two overlap and the Board's first frame already has its cards. Nothing here may import
Textual.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from taskdesk.domain.filters import Filter
from taskdesk.domain.model import Item, Status

if TYPE_CHECKING:
    from taskdesk.store import Store

T = TypeVar("T")

#: Cards read per column at a time (the Board loads further pages as the cursor nears).
PAGE_SIZE = 60
#: Cards per column in the first read at start-up: more than a tall terminal shows (the
#: rest of the page is read when the cursor nears it). Half the rows to turn into items
#: while Textual starts saves the first frame about 8 ms at 50,000 items.
FIRST_PAGE_SIZE = 30


@dataclass(frozen=True, slots=True)
class BoardScope:
    """Which cards the board shows: all work, or one area/project (by id and name)."""

    container_id: int | None = None
    name: str = "All work"


@dataclass(frozen=True, slots=True)
class BoardRead:
    """One read of the Board: the statuses, each column's count and first page."""

    statuses: list[Status]
    counts: dict[int, int]
    pages: dict[int, list[Item]]
    now: datetime


def read_board(
    store: Store, scope: BoardScope, flt: Filter, since: datetime, limit: int = PAGE_SIZE
) -> BoardRead:
    """Statuses, card counts and the first ``limit`` cards of every non-empty column
    (3 queries)."""
    statuses = store.statuses()
    counts = store.board_counts(flt, container_id=scope.container_id, done_since=since)
    pages = store.board_pages(
        [status.id for status in statuses if counts.get(status.id, 0)],
        flt=flt,
        container_id=scope.container_id,
        done_since=since,
        limit=limit,
    )
    return BoardRead(statuses=statuses, counts=counts, pages=pages, now=datetime.now())


def _settle(future: Future[T], job: Callable[[], T]) -> None:
    """Run ``job`` into ``future``: its result, or the error for whoever waits on it."""
    try:
        future.set_result(job())
    except Exception as error:
        future.set_exception(error)


@dataclass(frozen=True, slots=True)
class FirstRead:
    """The live-refresh marks and the Board's first read, begun in a thread.

    The marks (data version, latest action) are read first, in the same thread: a change
    someone commits after them is seen by the app's next poll, never lost.
    """

    marks: Future[tuple[int, int]]
    board: Future[BoardRead]

    @classmethod
    def begin(cls, store: Store, done_days: int) -> FirstRead:
        """Start reading what the Board shows first: all work, no filter, no selection."""
        since = datetime.now() - timedelta(days=done_days)
        first = cls(marks=Future(), board=Future())

        def read() -> None:
            _settle(first.marks, lambda: (store.data_version(), store.latest_action_id()))
            _settle(
                first.board,
                lambda: read_board(store, BoardScope(), Filter(), since, FIRST_PAGE_SIZE),
            )

        threading.Thread(target=read, name="taskdesk-first-read", daemon=True).start()
        return first
