"""Reading items: one query for the rows, one per relation, never one per item.

A Board column of 100 cards costs the same handful of queries as a single card: the
item rows come with their status, container and series joined in, then tags,
assignees, predecessors (with "blocked") and open successors ("blocking") each come in
one ``IN`` query for the whole page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from peewee import JOIN, SQL, fn

from taskdesk.domain.feed import ActionNote
from taskdesk.domain.filters import Filter
from taskdesk.domain.model import (
    Activity,
    Assignment,
    Comment,
    Dependency,
    Item,
)
from taskdesk.store.errors import NotFound, ValidationError
from taskdesk.store.mapping import (
    activity_from_row,
    comment_from_row,
    dependency_from_row,
    item_from_row,
    to_datetime,
    tuples,
)
from taskdesk.store.queries import CLOSED
from taskdesk.store.reference import ReferenceStore

#: Ids per ``IN (...)`` list; far below SQLite's and PostgreSQL's parameter limits.
CHUNK = 5000


def _selectors(ids: Sequence[int], among: Any) -> Iterable[Any]:
    """What to put in ``IN (…)``: the subquery ``among`` once, or the ids in chunks."""
    return [among] if among is not None else _chunks(ids)


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


class ItemReads(ReferenceStore):
    """Item queries returning domain objects."""

    def _raw_rows(self, query: Any) -> Any:
        """The DB-API cursor of ``query``: plain tuples, without peewee's per-row work.

        For columns that need no conversion (ids, names, categories, floats): reading
        the 20,000 tag, assignee and link rows of a whole store this way takes a third
        of the time ``.tuples()`` does.
        """
        return self.db.execute(query)  # type: ignore[no-untyped-call]  # stubs: untyped

    def _item_select(self) -> Any:
        """Item rows with status, container and series columns joined in (as dicts)."""
        t = self.tables
        i, s, c, se = t.item, t.status, t.container, t.series
        return (
            i.select(
                i,
                s.name.alias("status_name"),
                s.category.alias("category"),
                c.name.alias("container_name"),
                c.kind.alias("container_kind"),
                se.rrule.alias("rrule"),
                se.anchor.alias("anchor"),
            )
            .join(s, on=(i.status_id == s.id))
            .switch(i)
            .join(c, JOIN.LEFT_OUTER, on=(i.container_id == c.id))
            .switch(i)
            .join(se, JOIN.LEFT_OUTER, on=(i.series_id == se.id))
            .dicts()
        )

    def _materialise(self, rows: list[dict[str, Any]], *, among: Any = None) -> list[Item]:
        """Attach the relations of a page of item rows: one query per relation.

        ``among``: a subquery selecting (at least) these rows' ids, used instead of
        ``IN`` lists of ids. For a whole project of 10,000 tasks that spares building and
        binding 40,000 parameters, most of the read's time.
        """
        ids = [r["id"] for r in rows]
        if not ids:
            return []
        tags = self._tags_of(ids, among=among)
        assignees = self._assignees_of(ids, among=among)
        depends, blocked = self._predecessors_of(ids, among=among)
        blocking = self._blocking_of(ids, among=among)
        return [
            item_from_row(
                r,
                tags=tuple(tags.get(r["id"], ())),
                assignees=tuple(assignees.get(r["id"], ())),
                depends=tuple(depends.get(r["id"], ())),
                blocked=r["id"] in blocked,
                blocking=r["id"] in blocking,
            )
            for r in rows
        ]

    def _tags_of(self, ids: Sequence[int], *, among: Any = None) -> dict[int, list[str]]:
        t = self.tables
        out: dict[int, list[str]] = defaultdict(list)
        for chunk in _selectors(ids, among):
            query = (
                t.item_tag.select(t.item_tag.item_id, t.tag.name)
                .join(t.tag, on=(t.item_tag.tag_id == t.tag.id))
                .where(t.item_tag.item_id.in_(chunk))
                .order_by(t.tag.name)
            )
            for item_id, name in self._raw_rows(query):
                out[item_id].append(name)
        return out

    def _assignees_of(
        self, ids: Sequence[int], *, among: Any = None
    ) -> dict[int, list[Assignment]]:
        out: dict[int, list[Assignment]] = defaultdict(list)
        for item_id, login, units in self._assignment_rows(ids, among=among):
            out[item_id].append(Assignment(login=login, units=float(units)))
        return out

    def _assignment_rows(self, ids: Sequence[int], *, among: Any = None) -> Iterator[Any]:
        """``(item_id, login, units)`` of the items' assignments, in each item's order."""
        t = self.tables
        a, p = t.assignment, t.person
        for chunk in _selectors(ids, among):
            query = (
                a.select(a.item_id, p.login, a.units)
                .join(p, on=(a.person_id == p.id))
                .where(a.item_id.in_(chunk))
                .order_by(a.position, a.id)
            )
            yield from self._raw_rows(query)

    def _predecessors_of(
        self, ids: Sequence[int], *, among: Any = None
    ) -> tuple[dict[int, list[int]], set[int]]:
        """Predecessor ids per item, and the items that have an open one (blocked)."""
        t = self.tables
        d, pred, ps = t.dependency, t.item.alias("pred"), t.status.alias("pred_status")
        depends: dict[int, list[int]] = defaultdict(list)
        blocked: set[int] = set()
        for chunk in _selectors(ids, among):
            query = (
                d.select(d.successor_id, d.predecessor_id, ps.category)
                .join(pred, on=(d.predecessor_id == pred.id))
                .join(ps, on=(pred.status_id == ps.id))
                .where(
                    d.successor_id.in_(chunk)
                    & pred.deleted_at.is_null()
                    & self._filters.visible(pred)
                )
                .order_by(d.predecessor_id)
            )
            for succ_id, pred_id, category in self._raw_rows(query):
                depends[succ_id].append(pred_id)
                if category not in CLOSED:
                    blocked.add(succ_id)
        return depends, blocked

    def _blocking_of(self, ids: Sequence[int], *, among: Any = None) -> set[int]:
        """The open items some open, not deleted successor waits on."""
        out: set[int] = set()
        for chunk in _selectors(ids, among):
            out |= self._blocking_among(chunk)
        return out

    def _blocking_among(self, predecessors: Any) -> set[int]:
        """Those of ``predecessors`` (ids, or a subquery of ids) that are open and that
        some open, not deleted, visible successor waits on: one query."""
        t = self.tables
        d, succ, ss = t.dependency, t.item.alias("succ"), t.status.alias("succ_status")
        pred, ps = t.item.alias("pred"), t.status.alias("pred_status")
        query = (
            d.select(d.predecessor_id)
            .join(succ, on=(d.successor_id == succ.id))
            .join(ss, on=(succ.status_id == ss.id))
            .switch(d)
            .join(pred, on=(d.predecessor_id == pred.id))
            .join(ps, on=(pred.status_id == ps.id))
            .where(
                d.predecessor_id.in_(predecessors)
                & succ.deleted_at.is_null()
                & ss.category.not_in(CLOSED)
                & ps.category.not_in(CLOSED)
                & self._filters.visible(succ)
            )
            .distinct()
        )
        return {pred_id for (pred_id,) in self._raw_rows(query)}

    # ------------------------------------------------------------------- reads
    def get_item(self, item_id: int) -> Item:
        """One item (NotFound when missing or deleted)."""
        items = self.get_items([item_id])
        if not items:
            raise NotFound(f"There is no item {item_id}.")
        return items[0]

    def get_items(self, ids: Sequence[int]) -> list[Item]:
        """Several items in the given order; missing, deleted and hidden ones are skipped."""
        wanted = list(dict.fromkeys(int(i) for i in ids))
        if not wanted:
            return []
        i = self.tables.item
        visible = self._filters.visible()
        rows: dict[int, dict[str, Any]] = {}
        for chunk in _chunks(wanted):
            for row in self._item_select().where(
                i.id.in_(chunk) & i.deleted_at.is_null() & visible
            ):
                rows[row["id"]] = row
        return self._materialise([rows[x] for x in wanted if x in rows])

    def find_item(self, ref: str) -> Item:
        """An item by id (``42``), uuid, or uuid prefix of at least 8 characters."""
        text = ref.strip()
        if text.isdigit():
            try:
                return self.get_item(int(text))
            except NotFound:
                if len(text) < 8:  # a long number may also be a uuid prefix
                    raise
        if len(text) < 8:
            raise NotFound(f"{ref!r} is not an item id, nor a uuid prefix of 8 or more characters.")
        i = self.tables.item
        prefix = text.lower().replace("%", "").replace("_", "")
        matches = tuples(
            i.select(i.id)
            .where(i.uuid.startswith(prefix) & i.deleted_at.is_null() & self._filters.visible())
            .limit(2)
            .tuples()
        )
        if not matches:
            raise NotFound(f"There is no item with uuid {ref!r}.")
        if len(matches) > 1:
            raise ValidationError(
                f"The uuid prefix {ref!r} matches several items; give more of it."
            )
        return self.get_item(matches[0][0])

    def list_items(
        self,
        flt: Filter | None = None,
        *,
        container_id: int | None = None,
        limit: int | None = None,
        now: datetime | None = None,
    ) -> list[Item]:
        """Items matching ``flt`` (open ones unless ``include_closed``), by id."""
        i = self.tables.item
        conditions = self._filters.conditions(flt, now=now or self.now())
        if container_id is not None:
            conditions.append(i.container_id == container_id)
        query = self._item_select().where(*conditions).order_by(i.id)
        if limit is not None:
            query = query.limit(limit)
        return self._materialise(list(query))

    def count_items(
        self,
        flt: Filter | None = None,
        *,
        container_id: int | None = None,
        now: datetime | None = None,
    ) -> int:
        """How many items ``list_items`` would return (without loading them)."""
        i = self.tables.item
        conditions = self._filters.conditions(flt, now=now or self.now())
        if container_id is not None:
            conditions.append(i.container_id == container_id)
        return int(i.select(fn.COUNT(i.id)).where(*conditions).scalar() or 0)

    def activity(self, item_id: int, limit: int = 200) -> list[Activity]:
        """An item's history, newest first (empty for an item hidden from the actor)."""
        a = self.tables.activity
        query = (
            a.select()
            .where((a.item_id == item_id) & a.item_id.in_(self._visible_id(item_id)))
            .order_by(a.id.desc())
            .limit(limit)
        )
        return [activity_from_row(r) for r in query]

    def _visible_id(self, item_id: int) -> Any:
        """Subquery: ``item_id`` if the actor may see its project (else nothing)."""
        i = self.tables.item
        return i.select(i.id).where((i.id == item_id) & self._filters.visible())

    def _action_hidden(self, a: Any) -> Any:
        """Condition on ``action`` rows: it touched an item of a project hidden from us.

        Correlated on the action (its activity by the ``action_id`` index), so a poll
        that reads the few newest actions stays a few index lookups.
        """
        t = self.tables
        log, i = t.activity.alias("hidden_log"), t.item.alias("hidden_item")
        sub = (
            log.select(SQL("1"))
            .join(i, on=(log.item_id == i.id))
            .where((log.action_id == a.id) & i.container_id.in_(self._filters.hidden_containers()))
        )
        return fn.EXISTS(sub)

    def actions_since(self, action_id: int, *, limit: int = 20) -> list[ActionNote]:
        """Actions newer than ``action_id``, oldest first (the live view's news feed).

        ``action_id=0`` with ``limit=1`` is the cheap way to learn the latest id.
        Actions on members-only projects hidden from the actor are left out (their
        descriptions quote titles).
        """
        a = self.tables.action
        query = (
            a.select()
            .where((a.id > action_id) & ~self._action_hidden(a))
            .order_by(a.id.desc())
            .limit(limit)
        )
        rows = list(query)
        return [
            ActionNote(r.id, r.actor, r.description, to_datetime(r.at) or self.now())
            for r in reversed(rows)
        ]

    def latest_action_id(self) -> int:
        """The id of the newest action (0 on a new store)."""
        a = self.tables.action
        row = a.select(fn.MAX(a.id).alias("top")).scalar()
        return int(row or 0)

    def comments(self, item_id: int) -> list[Comment]:
        """An item's comments, oldest first (empty for an item hidden from the actor)."""
        c = self.tables.comment
        query = (
            c.select()
            .where((c.item_id == item_id) & c.item_id.in_(self._visible_id(item_id)))
            .order_by(c.at, c.id)
        )
        return [comment_from_row(r) for r in query]

    def dependencies(self, container_id: int | None = None) -> list[Dependency]:
        """Links between live items; with ``container_id``, those touching that container."""
        t = self.tables
        d, pred, succ = t.dependency, t.item.alias("p"), t.item.alias("s")
        query = (
            d.select(d)
            .join(pred, on=(d.predecessor_id == pred.id))
            .switch(d)
            .join(succ, on=(d.successor_id == succ.id))
            .where(
                pred.deleted_at.is_null()
                & succ.deleted_at.is_null()
                & self._filters.visible(pred)
                & self._filters.visible(succ)
            )
            .order_by(d.successor_id, d.predecessor_id)
        )
        if container_id is not None:
            query = query.where(
                (pred.container_id == container_id) | (succ.container_id == container_id)
            )
        return [dependency_from_row(r) for r in query]
