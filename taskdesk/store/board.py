"""The Board's queries: counts per column, one page of a column, where a card is.

Only what is visible is loaded: the Board asks for the counts (one ``GROUP BY``) and the
page of each visible column, never for every item. Closed columns would grow forever, so
with ``done_since`` they show only what was completed (or, for cancelled items, last
changed) since then.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from peewee import fn

from taskdesk.domain.filters import Filter
from taskdesk.domain.model import Item, StatusCategory
from taskdesk.store.items import ItemWrites
from taskdesk.store.mapping import tuples


class BoardReads(ItemWrites):
    """Board counts and pages (closed columns included, filtered by ``done_since``)."""

    def _board_conditions(
        self,
        flt: Filter | None,
        container_id: int | None,
        done_since: datetime | None,
        now: datetime | None,
    ) -> list[Any]:
        i, s = self.tables.item, self.tables.status
        conditions = self._filters.conditions(flt, now=now or self.now(), board=True)
        if container_id is not None:
            conditions.append(i.container_id == container_id)
        if done_since is not None:
            completed = s.select(s.id).where(s.category == StatusCategory.COMPLETED.value)
            cancelled = s.select(s.id).where(s.category == StatusCategory.CANCELLED.value)
            conditions.append(
                self._filters.is_open()
                | (i.status_id.in_(completed) & (i.completed >= done_since))
                | (i.status_id.in_(cancelled) & (i.updated >= done_since))
            )
        return conditions

    def board_counts(
        self,
        flt: Filter | None = None,
        *,
        container_id: int | None = None,
        done_since: datetime | None = None,
        now: datetime | None = None,
    ) -> dict[int, int]:
        """status id → number of cards, for every column (zero included)."""
        i = self.tables.item
        counts = {status.id: 0 for status in self.statuses()}
        query = (
            i.select(i.status_id, fn.COUNT(i.id))
            .where(*self._board_conditions(flt, container_id, done_since, now))
            .group_by(i.status_id)
            .tuples()
        )
        for status_id, count in tuples(query):
            counts[status_id] = int(count)
        return counts

    def board_column(
        self,
        status_id: int,
        *,
        flt: Filter | None = None,
        container_id: int | None = None,
        done_since: datetime | None = None,
        offset: int = 0,
        limit: int = 100,
        now: datetime | None = None,
    ) -> list[Item]:
        """One page of a column's cards in board order (position, then id)."""
        i = self.tables.item
        query = (
            self._item_select()
            .where(
                (i.status_id == status_id),
                *self._board_conditions(flt, container_id, done_since, now),
            )
            .order_by(i.position, i.id)
            .offset(max(0, offset))
            .limit(max(0, limit))
        )
        return self._materialise(list(query))

    def board_pages(
        self,
        status_ids: Sequence[int],
        *,
        flt: Filter | None = None,
        container_id: int | None = None,
        done_since: datetime | None = None,
        limit: int = 100,
        now: datetime | None = None,
    ) -> dict[int, list[Item]]:
        """The first page of several columns at once: status id → cards in board order.

        One row query per column, then the cards' tags, assignees and links for all the
        pages together (5 queries), instead of 5 per column: opening the Board reads
        ``len(status_ids) + 5`` queries whatever the number of columns' cards.
        """
        i = self.tables.item
        conditions = self._board_conditions(flt, container_id, done_since, now)
        rows_of: dict[int, list[dict[str, Any]]] = {}
        for status_id in status_ids:
            query = (
                self._item_select()
                .where((i.status_id == status_id), *conditions)
                .order_by(i.position, i.id)
                .limit(max(0, limit))
            )
            rows_of[status_id] = list(query)
        items = iter(self._materialise([row for rows in rows_of.values() for row in rows]))
        return {status_id: [next(items) for _ in rows] for status_id, rows in rows_of.items()}

    def item_index(
        self,
        item_id: int,
        *,
        flt: Filter | None = None,
        container_id: int | None = None,
        done_since: datetime | None = None,
        now: datetime | None = None,
    ) -> int | None:
        """The card's index in its column (to scroll to it), or None if filtered out."""
        i = self.tables.item
        conditions = self._board_conditions(flt, container_id, done_since, now)
        row = i.select(i.status_id, i.position).where(i.id == item_id, *conditions).first()
        if row is None:
            return None
        ahead = (i.position < row.position) | ((i.position == row.position) & (i.id < item_id))
        return int(
            i.select(fn.COUNT(i.id))
            .where((i.status_id == row.status_id) & ahead, *conditions)
            .scalar()
            or 0
        )
