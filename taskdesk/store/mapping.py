"""Rows → domain objects, and the JSON text of activity values.

The UI never sees a peewee row: everything leaves the store through these functions, as
frozen dataclasses of :mod:`taskdesk.domain.model`. Activity values are JSON text so one
column holds a title, a date, a status id or a tag list, and undo can turn any of them
back into the value it was.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from taskdesk.domain.model import (
    Activity,
    Assignment,
    Comment,
    Container,
    ContainerKind,
    Dependency,
    Item,
    LinkType,
    Person,
    Priority,
    Recurrence,
    RecurrenceAnchor,
    Risk,
    RiskResponse,
    RiskStatus,
    Status,
    StatusCategory,
)
from taskdesk.store.tables import (
    ActivityRow,
    CommentRow,
    ContainerRow,
    DependencyRow,
    PersonRow,
    RiskRow,
    StatusRow,
)


def tuples(query: Any) -> list[tuple[Any, ...]]:
    """Run a ``.tuples()`` query (the peewee stubs type its rows as model instances)."""
    return [tuple(row) for row in query]


def to_datetime(value: object) -> datetime | None:
    """A datetime from what a backend returns (SQLite may hand back text)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value))


def to_date(value: object) -> date | None:
    """A date from what a backend returns."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def naive(value: datetime | None) -> datetime | None:
    """Local naive time: aware datetimes are converted, so comparisons in SQL agree."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone().replace(tzinfo=None)


def dump(value: object) -> str:
    """JSON text of an activity value (dates as ISO strings)."""

    def default(obj: object) -> object:
        if isinstance(obj, datetime | date):
            return obj.isoformat()
        if isinstance(obj, tuple | set | frozenset):
            return list(obj)
        raise TypeError(f"cannot store {type(obj).__name__} in the activity log")

    return json.dumps(value, default=default, ensure_ascii=False, sort_keys=True)


def load(text: str | None) -> Any:
    """The Python value of activity JSON (``None`` for SQL NULL or JSON null)."""
    if text is None:
        return None
    return json.loads(text)


def status_from_row(row: StatusRow) -> Status:
    """A workflow column."""
    return Status(
        id=row.id,
        name=row.name,
        category=StatusCategory(row.category),
        position=row.position,
        wip_min=row.wip_min,
        wip_max=row.wip_max,
        wip_hard=bool(row.wip_hard),
    )


def person_from_row(row: PersonRow) -> Person:
    """A person."""
    return Person(
        id=row.id,
        login=row.login,
        display_name=row.display_name,
        capacity_hours=float(row.capacity_hours),
        cost_rate=float(row.cost_rate),
    )


def container_from_row(row: ContainerRow, owner: str | None) -> Container:
    """An area or project; ``owner`` is the owner's login (looked up by the caller)."""
    holidays = tuple(d for d in (to_date(h) for h in json.loads(row.holidays or "[]")) if d)
    workdays = tuple(w for w in (row.workdays or "").split(",") if w)
    return Container(
        id=row.id,
        name=row.name,
        kind=ContainerKind(row.kind),
        goal=row.goal,
        description=row.description,
        start=to_date(row.start),
        deadline=to_date(row.deadline),
        budget=row.budget,
        owner=owner,
        workdays=workdays,
        holidays=holidays,
        archived=bool(row.archived),
        restricted=bool(row.restricted),
    )


def dependency_from_row(row: DependencyRow) -> Dependency:
    """A link between two items."""
    return Dependency(
        predecessor_id=row.predecessor_id,
        successor_id=row.successor_id,
        type=LinkType(row.type),
        lag_days=float(row.lag_days),
    )


def comment_from_row(row: CommentRow) -> Comment:
    """A comment."""
    at = to_datetime(row.at)
    assert at is not None
    return Comment(id=row.id, item_id=row.item_id, author=row.author, body=row.body, at=at)


def activity_from_row(row: ActivityRow) -> Activity:
    """One activity entry."""
    at = to_datetime(row.at)
    assert at is not None
    return Activity(
        id=row.id,
        item_id=row.item_id or 0,
        actor=row.actor,
        field=row.field,
        old=row.old,
        new=row.new,
        at=at,
        action_id=row.action_id,
    )


def item_from_row(
    row: Mapping[str, Any],
    *,
    tags: tuple[str, ...] = (),
    assignees: tuple[Assignment, ...] = (),
    depends: tuple[int, ...] = (),
    blocked: bool = False,
    blocking: bool = False,
) -> Item:
    """An item from a dict row of :meth:`ItemReads._item_select` plus its relations."""
    rrule = row.get("rrule")
    recurrence = (
        Recurrence(rrule=rrule, anchor=RecurrenceAnchor(row.get("anchor") or "schedule"))
        if rrule
        else None
    )
    kind = row.get("container_kind")
    return Item(
        id=row["id"],
        uuid=row["uuid"],
        title=row["title"],
        status_id=row["status_id"],
        status=row["status_name"],
        category=StatusCategory(row["category"]),
        notes=row["notes"] or "",
        priority=Priority(row["priority"]) if row["priority"] else None,
        due=to_datetime(row["due"]),
        start=to_datetime(row["start"]),
        wait=to_datetime(row["wait"]),
        estimate_minutes=row["estimate_minutes"],
        duration_days=row["duration_days"],
        percent_complete=float(row["percent_complete"] or 0.0),
        parent_id=row["parent_id"],
        milestone=bool(row["milestone"]),
        container_id=row["container_id"],
        project=row.get("container_name"),
        project_kind=ContainerKind(kind) if kind else None,
        position=float(row["position"] or 0.0),
        created=to_datetime(row["created"]),
        updated=to_datetime(row["updated"]),
        completed=to_datetime(row["completed"]),
        started=to_datetime(row["started"]),
        created_by=row["created_by"] or "",
        version=row["version"],
        tags=tags,
        assignees=assignees,
        depends=depends,
        recurrence=recurrence,
        series_id=row["series_id"],
        occurrence=to_date(row["occurrence"]),
        blocked=blocked,
        blocking=blocking,
        key=row.get("key"),
        start_no_earlier=to_date(row.get("start_no_earlier")),
        deadline=to_date(row.get("deadline")),
        pinned=bool(row.get("pinned")),
        cost=_float_or_none(row.get("cost")),
        actual_cost=_float_or_none(row.get("actual_cost")),
        leveling_delay_days=float(row.get("leveling_delay_days") or 0.0),
        effort_hours=_float_or_none(row.get("effort_hours")),
    )


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def risk_from_row(row: RiskRow, owner: str | None) -> Risk:
    """A risk; ``owner`` is the owner's login (looked up by the caller)."""
    return Risk(
        id=row.id,
        container_id=row.container_id,
        title=row.title,
        cause=row.cause or "",
        probability=int(row.probability),
        impact=int(row.impact),
        owner=owner,
        response=RiskResponse(row.response or RiskResponse.MITIGATE.value),
        mitigation=row.mitigation or "",
        trigger=row.trigger or "",
        review_date=to_date(row.review_date),
        status=RiskStatus(row.status or RiskStatus.OPEN.value),
    )
