"""Whole-store listings: every matching item in a fixed five queries, read in bulk.

Why a path of its own: ``taskdesk list`` (and ``list --json``) over 50,000 items shows
some 27,000 open ones. Through :meth:`ItemReads.list_items` that cost two seconds:
peewee turned every row into a dict column by column, each relation was asked for with
``IN`` lists of 5,000 ids (27,000 bound parameters per relation), and every row became
a 45-field :class:`Item`. Here the rows come straight from the DB-API cursor as tuples
of just the listed columns, each relation is one query joined on the filter's own
subquery of ids, and each row becomes a :class:`ListedItem` (a named tuple) in one
tight loop: the values ``listed(item)`` gives for the items ``list_items`` returns
(the tests compare the two, on SQLite and PostgreSQL).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from peewee import JOIN

from taskdesk.domain.filters import Filter
from taskdesk.domain.listing import ListedItem
from taskdesk.domain.model import (
    ContainerKind,
    Priority,
    Recurrence,
    RecurrenceAnchor,
    StatusCategory,
)
from taskdesk.store.itemread import ItemReads
from taskdesk.store.mapping import to_date, to_datetime

_E = TypeVar("_E")


def _lookup(convert: Callable[[str], _E], values: Sequence[str]) -> Callable[[Any], _E]:
    """``convert`` through a dict for the known values (an enum call is ten times
    slower than a dict lookup); anything else still goes through ``convert``, so an
    unknown value fails the same way it does in :func:`mapping.item_from_row`."""
    known = {value: convert(value) for value in values}

    def get(value: Any) -> _E:
        found = known.get(value)
        return convert(value) if found is None else found

    return get


_category = _lookup(StatusCategory, [c.value for c in StatusCategory])
_kind = _lookup(ContainerKind, [k.value for k in ContainerKind])
_priority = _lookup(Priority, [p.value for p in Priority])
_anchor = _lookup(RecurrenceAnchor, [a.value for a in RecurrenceAnchor])


def _when(value: Any) -> datetime | None:
    """:func:`mapping.to_datetime`, with SQLite's text parsed at once."""
    if value.__class__ is str and value:
        return datetime.fromisoformat(value)
    return to_datetime(value)


class ListingReads(ItemReads):
    """``listed_items``: the whole-store read behind ``taskdesk list``."""

    def _listing_select(self) -> Any:
        """The columns :func:`_listed` reads, in its order, with status, container and
        series joined in (the joins of :meth:`ItemReads._item_select`)."""
        t = self.tables
        i, s, c, se = t.item, t.status, t.container, t.series
        return (
            i.select(
                i.id,
                i.uuid,
                i.title,
                s.name,
                s.category,
                c.name,
                c.kind,
                i.priority,
                i.due,
                i.start,
                i.wait,
                se.rrule,
                se.anchor,
                i.notes,
                i.estimate_minutes,
                i.duration_days,
                i.percent_complete,
                i.milestone,
                i.parent_id,
                i.series_id,
                i.occurrence,
                i.created,
                i.created_by,
                i.updated,
                i.started,
                i.completed,
                i.version,
            )
            .join(s, on=(i.status_id == s.id))
            .switch(i)
            .join(c, JOIN.LEFT_OUTER, on=(i.container_id == c.id))
            .switch(i)
            .join(se, JOIN.LEFT_OUTER, on=(i.series_id == se.id))
        )

    def listed_items(
        self,
        flt: Filter | None = None,
        *,
        container_id: int | None = None,
        now: datetime | None = None,
    ) -> list[ListedItem]:
        """``[listed(item) for item in list_items(flt, container_id=…, now=…)]``, in
        the same order (by id), in five queries whatever the number of items.

        Each relation (tags, assignees, predecessors with "blocked", "blocking") is
        selected by the filter's own subquery of ids rather than by lists of ids.
        """
        i = self.tables.item
        conditions = self._filters.conditions(flt, now=now or self.now())
        if container_id is not None:
            conditions.append(i.container_id == container_id)
        rows = list(self._raw_rows(self._listing_select().where(*conditions).order_by(i.id)))
        if not rows:
            return []
        ids = [row[0] for row in rows]
        among = i.select(i.id).where(*conditions)
        tags = self._tags_of(ids, among=among)
        logins: dict[int, list[str]] = defaultdict(list)
        for item_id, login, _ in self._assignment_rows(ids, among=among):
            logins[item_id].append(login)
        depends, blocked = self._predecessors_of(ids, among=among)
        blocking = self._blocking_of(ids, among=among)
        return [
            _listed(
                row,
                tuple(tags.get(row[0], ())),
                tuple(logins.get(row[0], ())),
                tuple(depends.get(row[0], ())),
                row[0] in blocked,
                row[0] in blocking,
            )
            for row in rows
        ]


def _listed(
    row: Sequence[Any],
    tags: tuple[str, ...],
    assignees: tuple[str, ...],
    depends: tuple[int, ...],
    blocked: bool,
    blocking: bool,
) -> ListedItem:
    """A listed item from a :meth:`ListingReads._listing_select` row: the conversions
    of :func:`mapping.item_from_row`, column for column."""
    (
        id_,
        uuid,
        title,
        status,
        category,
        project,
        kind,
        priority,
        due,
        start,
        wait,
        rrule,
        anchor,
        notes,
        estimate_minutes,
        duration_days,
        percent_complete,
        milestone,
        parent_id,
        series_id,
        occurrence,
        created,
        created_by,
        updated,
        started,
        completed,
        version,
    ) = row
    # Most of the dates are NULL; checking for it inline spares a call each.
    return ListedItem(
        id_,
        uuid,
        title,
        status,
        _category(category),
        project,
        None if kind is None else _kind(kind),
        _priority(priority) if priority else None,
        None if due is None else _when(due),
        None if start is None else _when(start),
        None if wait is None else _when(wait),
        tags,
        assignees,
        Recurrence(rrule=rrule, anchor=_anchor(anchor or "schedule")) if rrule else None,
        notes or "",
        estimate_minutes,
        duration_days,
        float(percent_complete or 0.0),
        bool(milestone),
        parent_id,
        depends,
        blocked,
        blocking,
        series_id,
        None if occurrence is None else to_date(occurrence),
        None if created is None else _when(created),
        created_by or "",
        None if updated is None else _when(updated),
        None if started is None else _when(started),
        None if completed is None else _when(completed),
        version,
    )
