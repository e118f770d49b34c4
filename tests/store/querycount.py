"""Count the SQL statements a store call makes (peewee logs one record per query)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class QueryCounter(logging.Handler):
    """Counts the statements peewee logs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def count_queries() -> Iterator[QueryCounter]:
    """``with count_queries() as c: …; c.count`` — the statements run inside the block."""
    logger = logging.getLogger("peewee")
    counter = QueryCounter()
    level = logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
