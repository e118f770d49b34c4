"""Filters: the ``key:value +tag @user`` words shared by ``taskdesk list`` and the Board's ``/``.

The parser turns words into a :class:`Filter`; the store translates a Filter into one SQL
query (so a filter over 50,000 items never loads them all), and :func:`matches` applies
the same meaning in memory, which keeps the two honest in tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from taskdesk.domain.model import Priority

#: Upper-case virtual tags, as in Taskwarrior: ``+OVERDUE``, ``+BLOCKED`` ...
VIRTUAL_TAGS = frozenset(
    {"OVERDUE", "BLOCKED", "BLOCKING", "RECURRING", "MILESTONE", "ACTIVE", "WAITING", "DUE"}
)


@dataclass(frozen=True, slots=True)
class Filter:
    """A parsed filter. Empty tuples / ``None`` mean "no constraint".

    - ``words``: every word must occur in the title (case-insensitive).
    - ``ids``: the item id is one of these (a bare number in the filter).
    - ``project``: container name; ``Home`` also matches ``Home.Garden`` (Taskwarrior).
    - ``statuses``: status names or category names (``started``), any of them.
    - ``priorities``: any of these; ``no_priority`` matches items without one.
    - ``tags`` all required, ``exclude_tags`` none allowed.
    - ``assignees``: assigned to any of these logins.
    - ``due_before`` / ``due_after``: bounds on the due date (exclusive / inclusive).
    - ``virtual``: upper-case virtual tags that must hold (see ``VIRTUAL_TAGS``).
    - ``include_closed``: also completed and cancelled items (set by ``status:`` words
      naming a closed status, or by ``all``).
    """

    words: tuple[str, ...] = ()
    ids: tuple[int, ...] = ()
    project: str | None = None
    statuses: tuple[str, ...] = ()
    priorities: tuple[Priority, ...] = ()
    no_priority: bool = False
    tags: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    due_before: datetime | None = None
    due_after: datetime | None = None
    virtual: tuple[str, ...] = ()
    include_closed: bool = False

    @property
    def is_empty(self) -> bool:
        """True when the filter constrains nothing."""
        return self == Filter()
