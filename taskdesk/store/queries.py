"""A :class:`Filter` as one SQL condition on the item table.

Why SQL and not Python: a filter over 50,000 items must not load them all, and the Board
counts every column with one ``GROUP BY``. Every condition here is on the ``item`` table
alone (related tables appear in ``EXISTS``/``IN`` subqueries), so the same condition
serves lists, counts and column pages without caring which joins a query has.

Meaning of each field (shared with :func:`taskdesk.domain.filters.matches`):

- ``words``: each word occurs in the title, case-insensitively (LIKE, with ``%`` and
  ``_`` escaped);
- ``project``: the container named so (case-insensitive), or a dotted child of it
  (``Home`` matches ``Home.Garden``);
- ``statuses``: status names or category names;
- ``tags``, ``exclude_tags``, ``assignees``: case-insensitive, like every text match;
- virtual tags: ``OVERDUE`` open and due < now; ``BLOCKED`` an open, not deleted
  predecessor exists; ``BLOCKING`` open, with an open, not deleted successor; ``RECURRING``
  part of a series; ``MILESTONE``; ``ACTIVE`` in a started column; ``WAITING``
  wait > now; ``DUE`` open and due from the start of today until 7 days later.
- waiting items (wait > now) are hidden unless ``+WAITING`` or a status is named;
  closed items are hidden unless ``include_closed`` (the Board shows closed columns
  anyway, limited by ``done_since``).

Members-only projects are hidden here, once for every reader: :meth:`FilterSQL.conditions`
always includes :meth:`FilterSQL.visible` (the item is in no project, or in one that is
not restricted, or the actor owns it or is a member). A reader that builds its own
``WHERE`` on ``item`` adds ``filters.visible()`` (or ``filters.visible(alias)``); one on
``container`` adds ``container.id.not_in(filters.hidden_containers())``. Both are plain
subqueries: a fixed number of queries, never a check per item.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import reduce
from typing import Any

from peewee import OP, SQL, Expression, NodeList, Value, fn

from taskdesk.domain.filters import VIRTUAL_TAGS, Filter
from taskdesk.domain.model import StatusCategory
from taskdesk.store.errors import ValidationError
from taskdesk.store.tables import Tables

CLOSED = (StatusCategory.COMPLETED.value, StatusCategory.CANCELLED.value)
#: How far ahead ``+DUE`` looks (Taskwarrior's ``due`` setting).
DUE_SOON = timedelta(days=7)

Fold = Callable[[Any], Any]


def escape_like(text: str) -> str:
    """Escape LIKE wildcards with a backslash (used with ``ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _any(conditions: list[Any]) -> Any:
    return reduce(lambda a, b: a | b, conditions)


def _all(conditions: list[Any]) -> Any:
    return reduce(lambda a, b: a & b, conditions)


def hidden_containers(tables: Tables, actor: str) -> Any:
    """Subquery: ids of the restricted containers ``actor`` neither owns nor is a member of."""
    c, m, p = tables.container, tables.member, tables.person
    me = p.select(p.id).where(p.login == actor)
    mine = m.select(m.container_id).where(m.person_id.in_(me))
    return c.select(c.id).where(
        (c.restricted == True)  # noqa: E712 (SQL comparison)
        & (c.owner_id.is_null() | c.owner_id.not_in(me))
        & c.id.not_in(mine)
    )


class FilterSQL:
    """Builds conditions on ``tables.item`` for one store (``fold`` lower-cases in SQL).

    ``actor`` is whose view it is: members-only projects of others are left out.
    """

    def __init__(self, tables: Tables, fold: Fold, actor: str) -> None:
        self.t = tables
        self.fold = fold
        self.actor = actor

    def hidden_containers(self) -> Any:
        """Subquery: the containers this actor may not see (see :func:`hidden_containers`)."""
        return hidden_containers(self.t, self.actor)

    def visible(self, item: Any = None) -> Any:
        """Condition: the item (``tables.item`` or an alias of it) is not in a hidden project."""
        item = self.t.item if item is None else item
        return item.container_id.is_null() | item.container_id.not_in(self.hidden_containers())

    # --------------------------------------------------------------- helpers
    def open_status_ids(self) -> Any:
        """Subquery: the ids of statuses whose category is open."""
        s = self.t.status
        return s.select(s.id).where(s.category.not_in(CLOSED))

    def is_open(self) -> Any:
        """Condition: the item is in an open column."""
        return self.t.item.status_id.in_(self.open_status_ids())

    def _like_ci(self, column: Any, pattern: str) -> Expression:
        """Case-insensitive LIKE with escaping, on both backends."""
        escaped = NodeList(
            (Value(pattern.lower(), converter=False), SQL("ESCAPE"), Value("\\", converter=False))
        )
        return Expression(self.fold(column), OP.ILIKE, escaped)

    def blocked(self) -> Any:
        """Condition: an open, not deleted predecessor exists."""
        t = self.t
        pred = t.item.alias("pred")
        d = t.dependency.alias("dep_in")
        sub = (
            d.select(SQL("1"))
            .join(pred, on=(d.predecessor_id == pred.id))
            .where(
                (d.successor_id == t.item.id)
                & pred.deleted_at.is_null()
                & pred.status_id.in_(self.open_status_ids())
                & self.visible(pred)
            )
        )
        return fn.EXISTS(sub)

    def blocking(self) -> Any:
        """Condition: the item is open and an open, not deleted successor waits on it."""
        t = self.t
        succ = t.item.alias("succ")
        d = t.dependency.alias("dep_out")
        sub = (
            d.select(SQL("1"))
            .join(succ, on=(d.successor_id == succ.id))
            .where(
                (d.predecessor_id == t.item.id)
                & succ.deleted_at.is_null()
                & succ.status_id.in_(self.open_status_ids())
                & self.visible(succ)
            )
        )
        return self.is_open() & fn.EXISTS(sub)

    # ------------------------------------------------------------- the filter
    def conditions(self, flt: Filter | None, *, now: datetime, board: bool = False) -> list[Any]:
        """Every condition ``flt`` implies (always: not deleted, and visible to the actor)."""
        t = self.t
        item = t.item
        flt = flt or Filter()
        out: list[Any] = [item.deleted_at.is_null(), self.visible()]
        if not flt.include_closed and not board:
            out.append(self.is_open())
        if "WAITING" not in flt.virtual and not flt.statuses:
            out.append(item.wait.is_null() | (item.wait <= now))
        for word in flt.words:
            if word:
                out.append(self._like_ci(item.title, f"%{escape_like(word.lower())}%"))
        if flt.ids:
            out.append(item.id.in_(list(flt.ids)))
        if flt.project:
            out.append(self._project(flt.project))
        if flt.statuses:
            out.append(self._statuses(flt.statuses))
        if flt.priorities or flt.no_priority:
            either = []
            if flt.priorities:
                either.append(item.priority.in_([p.value for p in flt.priorities]))
            if flt.no_priority:
                either.append(item.priority.is_null())
            out.append(_any(either))
        out += [self._has_tag(tag) for tag in flt.tags]
        if flt.exclude_tags:
            out.append(~self._has_any_tag(flt.exclude_tags))
        if flt.assignees:
            out.append(self._assigned(flt.assignees))
        if flt.due_before is not None:
            out.append(item.due < flt.due_before)
        if flt.due_after is not None:
            out.append(item.due >= flt.due_after)
        out += [self._virtual(tag, now) for tag in flt.virtual]
        return out

    def _project(self, name: str) -> Any:
        c = self.t.container
        folded = name.lower()
        names = (self.fold(c.name) == folded) | self._like_ci(c.name, f"{escape_like(folded)}.%")
        return self.t.item.container_id.in_(c.select(c.id).where(names))

    def _statuses(self, names: tuple[str, ...]) -> Any:
        s = self.t.status
        categories = [n.lower() for n in names if n.lower() in set(StatusCategory)]
        match = self.fold(s.name).in_([n.lower() for n in names])
        if categories:
            match = match | s.category.in_(categories)
        return self.t.item.status_id.in_(s.select(s.id).where(match))

    def _has_tag(self, tag: str) -> Any:
        return self._has_any_tag((tag,))

    def _has_any_tag(self, tags: tuple[str, ...]) -> Any:
        t = self.t
        sub = (
            t.item_tag.select(SQL("1"))
            .join(t.tag, on=(t.item_tag.tag_id == t.tag.id))
            .where(
                (t.item_tag.item_id == t.item.id)
                & self.fold(t.tag.name).in_([tag.lower() for tag in tags])
            )
        )
        return fn.EXISTS(sub)

    def _assigned(self, logins: tuple[str, ...]) -> Any:
        t = self.t
        sub = (
            t.assignment.select(SQL("1"))
            .join(t.person, on=(t.assignment.person_id == t.person.id))
            .where(
                (t.assignment.item_id == t.item.id)
                & self.fold(t.person.login).in_([login.lower() for login in logins])
            )
        )
        return fn.EXISTS(sub)

    def _virtual(self, tag: str, now: datetime) -> Any:
        item, s = self.t.item, self.t.status
        name = tag.upper()
        if name not in VIRTUAL_TAGS:
            raise ValidationError(
                f"+{tag} is not a virtual tag; use one of {', '.join(sorted(VIRTUAL_TAGS))}."
            )
        if name == "OVERDUE":
            return _all([self.is_open(), item.due.is_null(False), item.due < now])
        if name == "BLOCKED":
            return self.blocked()
        if name == "BLOCKING":
            return self.blocking()
        if name == "RECURRING":
            return item.series_id.is_null(False)
        if name == "MILESTONE":
            return item.milestone == True  # noqa: E712 (SQL comparison)
        if name == "ACTIVE":
            started = s.select(s.id).where(s.category == StatusCategory.STARTED.value)
            return item.status_id.in_(started)
        if name == "WAITING":
            return item.wait.is_null(False) & (item.wait > now)
        # DUE: from the start of today (an item due earlier today counts, as in Taskwarrior)
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return _all([self.is_open(), item.due >= today, item.due < today + DUE_SOON])
