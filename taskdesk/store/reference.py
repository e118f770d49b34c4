"""Reference data: workflow statuses, areas and projects, people.

These are small tables every screen reads; writes to them are plain transactions, not
undoable actions (undo is about a person's work on items, not about configuration).
Names pass through :func:`clean_line` on the way in, as titles do, so a hostile project
name can never carry terminal escapes onto someone else's screen.

A members-only project (``restricted``) is invisible here to everyone but its owner and
its members: not listed, not found by name or id (NotFound), and quick-adding into it
by name is refused (PermissionDenied) rather than creating a second project.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from peewee import IntegrityError

from taskdesk.domain.model import Container, ContainerKind, Person, Status, StatusCategory
from taskdesk.domain.text import clean_line
from taskdesk.store.base import StoreCore
from taskdesk.store.errors import NotFound, PermissionDenied, ValidationError
from taskdesk.store.mapping import container_from_row, person_from_row, status_from_row
from taskdesk.store.queries import FilterSQL
from taskdesk.store.tables import ContainerRow

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _clean_name(name: str, what: str) -> str:
    cleaned = clean_line(name)
    if not cleaned:
        raise ValidationError(f"A {what} needs a name.")
    return cleaned


def _workdays_text(workdays: Sequence[str]) -> str:
    days = [d.strip().lower()[:3] for d in workdays if d.strip()]
    bad = [d for d in days if d not in WEEKDAYS]
    if bad:
        raise ValidationError(f"Unknown weekday {bad[0]!r}; use mon, tue, … sun.")
    if not days:
        raise ValidationError("A calendar needs at least one working weekday.")
    return ",".join(d for d in WEEKDAYS if d in days)


def _first(query: Any) -> ContainerRow | None:
    """The first container row of ``query`` (typed: the stubs say Any)."""
    row: ContainerRow | None = query.first()
    return row


def _restricted(name: str) -> PermissionDenied:
    return PermissionDenied(
        f"The project {name!r} is restricted to its members; ask its owner to add you."
    )


class ReferenceStore(StoreCore):
    """Statuses, containers and people."""

    @property
    def _filters(self) -> FilterSQL:
        """SQL conditions for this store's actor (filters, and who sees which project)."""
        return FilterSQL(self.tables, self._fold, self.actor)

    # ---------------------------------------------------------------- statuses
    def statuses(self) -> list[Status]:
        """Every workflow column, ordered by position."""
        s = self.tables.status
        return [status_from_row(r) for r in s.select().order_by(s.position, s.id)]

    def get_status(self, status_id: int) -> Status:
        """One column by id (NotFound)."""
        row = self.tables.status.get_or_none(self.tables.status.id == status_id)
        if row is None:
            raise NotFound(f"There is no status with id {status_id}.")
        return status_from_row(row)

    def first_status(self, category: StatusCategory) -> Status:
        """The leftmost column of a category (where ``start``/``done`` move items)."""
        s = self.tables.status
        row = (
            s.select()
            .where(s.category == StatusCategory(category).value)
            .order_by(s.position, s.id)
            .first()
        )
        if row is None:
            raise NotFound(f"The workflow has no {StatusCategory(category).value} column.")
        return status_from_row(row)

    def set_wip_limits(
        self,
        status_id: int,
        *,
        wip_min: int | None = None,
        wip_max: int | None = None,
        hard: bool = False,
    ) -> Status:
        """Set a column's WIP limits (``None`` = no limit); ``hard`` refuses moves past max."""
        for value in (wip_min, wip_max):
            if value is not None and value < 0:
                raise ValidationError("A WIP limit cannot be negative.")
        if wip_min is not None and wip_max is not None and wip_min > wip_max:
            raise ValidationError("The WIP minimum is above the maximum.")
        self.get_status(status_id)
        s = self.tables.status

        def run() -> None:
            s.update(wip_min=wip_min, wip_max=wip_max, wip_hard=hard).where(
                s.id == status_id
            ).execute()

        self._transaction(run)
        return self.get_status(status_id)

    # -------------------------------------------------------------- containers
    def _owner_logins(self, rows: Sequence[ContainerRow]) -> dict[int, str]:
        ids = {r.owner_id for r in rows if r.owner_id is not None}
        if not ids:
            return {}
        p = self.tables.person
        return {r.id: r.login for r in p.select(p.id, p.login).where(p.id.in_(list(ids)))}

    def _containers_from(self, rows: Sequence[ContainerRow]) -> list[Container]:
        owners = self._owner_logins(rows)
        return [container_from_row(r, owners.get(r.owner_id) if r.owner_id else None) for r in rows]

    def containers(
        self, kind: ContainerKind | None = None, include_archived: bool = False
    ) -> list[Container]:
        """Areas and projects, by name."""
        c = self.tables.container
        query = c.select().where(c.id.not_in(self._filters.hidden_containers())).order_by(c.name)
        if kind is not None:
            query = query.where(c.kind == ContainerKind(kind).value)
        if not include_archived:
            query = query.where(c.archived == False)  # noqa: E712
        return self._containers_from(list(query))

    def _find_container_row(
        self, name_or_id: str | int, *, include_hidden: bool = False
    ) -> ContainerRow | None:
        """The container by exact name, else folded name, else numeric id.

        Members-only projects of others are not found unless ``include_hidden`` (used to
        tell "restricted" from "missing" before creating a project of that name).
        """
        c = self.tables.container
        rows = c.select()
        if not include_hidden:
            rows = rows.where(c.id.not_in(self._filters.hidden_containers()))
        if isinstance(name_or_id, int):
            return _first(rows.where(c.id == name_or_id))
        row = _first(rows.where(c.name == name_or_id))
        if row is not None:
            return row
        folded = list(rows.where(self._fold(c.name) == name_or_id.lower()).limit(2))
        if len(folded) == 1:
            return folded[0]
        if name_or_id.isdigit():
            return _first(rows.where(c.id == int(name_or_id)))
        return None

    def _check_container_visible(self, container_id: int, name: str) -> None:
        """PermissionDenied when ``container_id`` is a members-only project of others."""
        c = self.tables.container
        hidden = self._filters.hidden_containers()
        if c.select().where((c.id == container_id) & c.id.in_(hidden)).exists():
            raise _restricted(name)

    def get_container(self, name_or_id: str | int) -> Container:
        """An area or project by name (exact, else case-insensitive) or id (NotFound)."""
        row = self._find_container_row(name_or_id)
        if row is None:
            raise NotFound(f"There is no project or area {name_or_id!r}.")
        return self._containers_from([row])[0]

    def _ensure_container_id(self, name: str, kind: ContainerKind = ContainerKind.AREA) -> int:
        """Inside a transaction: the id of the container ``name``, created if new."""
        cleaned = _clean_name(name, "project or area")
        row = self._find_container_row(cleaned, include_hidden=True)
        if row is not None:
            self._check_container_visible(row.id, cleaned)
            return row.id
        now = self.now()
        c = self.tables.container
        try:
            with self.db.atomic():
                new_id: int = c.insert(
                    name=cleaned, kind=ContainerKind(kind).value, created=now, updated=now
                ).execute()
                return new_id
        except IntegrityError:  # created by another process meanwhile
            row = self._find_container_row(cleaned)
            if row is None:
                # PostgreSQL's row security hides it from us: it exists, members only.
                raise _restricted(cleaned) from None
            return row.id

    def ensure_container(self, name: str, kind: ContainerKind = ContainerKind.AREA) -> Container:
        """The container ``name``, created (as ``kind``) on first use."""
        container_id = self._transaction(lambda: self._ensure_container_id(name, kind))
        return self.get_container(container_id)

    def save_project(
        self,
        name: str,
        *,
        start: date | None = None,
        deadline: date | None = None,
        goal: str = "",
        description: str = "",
        budget: float | None = None,
        owner: str | None = None,
        workdays: Sequence[str] | None = None,
        holidays: Sequence[date] | None = None,
        kind: ContainerKind = ContainerKind.PROJECT,
    ) -> Container:
        """Create or update a project (or area) by name.

        On update only what is given changes: ``None`` and empty strings leave a field as
        it is, so a plan file that omits the budget does not erase it.
        """
        if start and deadline and deadline < start:
            raise ValidationError(f"The deadline {deadline} is before the start {start}.")
        if budget is not None and budget < 0:
            raise ValidationError("A budget cannot be negative.")
        values: dict[str, Any] = {"kind": ContainerKind(kind).value}
        if start is not None:
            values["start"] = start
        if deadline is not None:
            values["deadline"] = deadline
        if goal:
            values["goal"] = clean_line(goal)
        if description:
            values["description"] = description
        if budget is not None:
            values["budget"] = budget
        if workdays is not None:
            values["workdays"] = _workdays_text(workdays)
        if holidays is not None:
            values["holidays"] = json.dumps(sorted({d.isoformat() for d in holidays}))

        def run() -> int:
            container_id = self._ensure_container_id(name, kind)
            if owner:
                values["owner_id"] = self._ensure_person_id(owner)
            c = self.tables.container
            c.update(updated=self.now(), **values).where(c.id == container_id).execute()
            return container_id

        return self.get_container(self._transaction(run))

    # ------------------------------------------------------------------ people
    def people(self) -> list[Person]:
        """Everyone known to the store, by login."""
        p = self.tables.person
        return [person_from_row(r) for r in p.select().order_by(p.login)]

    def _ensure_person_id(self, login: str) -> int:
        """Inside a transaction: the id of the person ``login``, created if new."""
        cleaned = _clean_name(login.lstrip("@"), "person")
        p = self.tables.person
        row = p.get_or_none(p.login == cleaned)
        if row is not None:
            return row.id
        try:
            with self.db.atomic():
                new_id: int = p.insert(login=cleaned, created=self.now()).execute()
                return new_id
        except IntegrityError:
            row = p.get_or_none(p.login == cleaned)
            if row is None:
                raise
            return row.id

    def ensure_person(
        self,
        login: str,
        display_name: str = "",
        capacity_hours: float = 8.0,
        cost_rate: float = 0.0,
    ) -> Person:
        """The person ``login``, created on first use; given details update an existing one."""
        if capacity_hours < 0 or cost_rate < 0:
            raise ValidationError("Capacity and cost rate cannot be negative.")
        p = self.tables.person

        def run() -> int:
            person_id = self._ensure_person_id(login)
            values: dict[str, Any] = {}
            if display_name:
                values["display_name"] = clean_line(display_name)
            if capacity_hours != 8.0:
                values["capacity_hours"] = capacity_hours
            if cost_rate:
                values["cost_rate"] = cost_rate
            if values:
                p.update(**values).where(p.id == person_id).execute()
            return person_id

        person_id = self._transaction(run)
        return person_from_row(p.get_by_id(person_id))
