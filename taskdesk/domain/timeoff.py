"""A person's time off: whole days away, which their calendar loses (algorithms.md)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class TimeOff:
    """Days ``start``..``end`` (both included) on which ``login`` does not work."""

    id: int
    login: str
    start: date
    end: date
    reason: str = ""

    def days(self) -> Iterator[date]:
        """Every date of the absence."""
        day = self.start
        while day <= self.end:
            yield day
            day += timedelta(days=1)
