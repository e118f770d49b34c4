"""A first-come, first-served gate for store calls made from worker threads.

Every key press that touches the store runs in a thread worker, so the UI never blocks
on the database. Two quick presses (``L`` ``L``) must still reach the store in the order
they were typed: each call takes a ticket on the UI thread and waits for its turn.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class SerialGate:
    """A ticket lock: tickets are served strictly in the order they were taken."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = 0
        self._serving = 0

    def ticket(self) -> int:
        """Take the next ticket (call this on the thread that decides the order)."""
        with self._cond:
            number = self._next
            self._next += 1
            return number

    @contextmanager
    def turn(self, ticket: int) -> Iterator[None]:
        """Wait until ``ticket`` is served, run the body, then serve the next one."""
        with self._cond:
            self._cond.wait_for(lambda: self._serving == ticket)
        try:
            yield
        finally:
            with self._cond:
                self._serving += 1
                self._cond.notify_all()
