"""One row of a whole-store listing (``taskdesk list``): an item as the list shows it.

Why not :class:`~taskdesk.domain.model.Item`: ``taskdesk list`` over 50,000 items shows
some 27,000 open ones, and an Item (45 frozen fields) costs five microseconds to build,
a seventh of the whole command's budget. A listed item is a named tuple of just the
fields the table and the JSON contract print (in the contract's key order, urgency
aside), with the same names, types and meanings as on Item, so the urgency factors
and the renderers read either one. :func:`listed` makes one from an Item: the store's
bulk read must give the same values (its tests compare them).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from taskdesk.domain.model import ContainerKind, Item, Priority, Recurrence, StatusCategory


class ListedItem(NamedTuple):
    """An item as ``taskdesk list`` shows it; fields mean what they mean on ``Item``.

    ``assignees`` are the logins alone (in order), as the list and its JSON show them.
    """

    id: int
    uuid: str
    title: str
    status: str
    category: StatusCategory
    project: str | None
    project_kind: ContainerKind | None
    priority: Priority | None
    due: datetime | None
    start: datetime | None
    wait: datetime | None
    tags: tuple[str, ...]
    assignees: tuple[str, ...]
    recurrence: Recurrence | None
    notes: str
    estimate_minutes: int | None
    duration_days: float | None
    percent_complete: float
    milestone: bool
    parent_id: int | None
    depends: tuple[int, ...]
    blocked: bool
    blocking: bool
    series_id: int | None
    occurrence: date | None
    created: datetime | None
    created_by: str
    updated: datetime | None
    started: datetime | None
    completed: datetime | None
    version: int


def listed(item: Item) -> ListedItem:
    """The listed form of ``item`` (what the store's bulk read returns for it)."""
    return ListedItem(
        id=item.id,
        uuid=item.uuid,
        title=item.title,
        status=item.status,
        category=item.category,
        project=item.project,
        project_kind=item.project_kind,
        priority=item.priority,
        due=item.due,
        start=item.start,
        wait=item.wait,
        tags=item.tags,
        assignees=item.assignee_logins,
        recurrence=item.recurrence,
        notes=item.notes,
        estimate_minutes=item.estimate_minutes,
        duration_days=item.duration_days,
        percent_complete=item.percent_complete,
        milestone=item.milestone,
        parent_id=item.parent_id,
        depends=item.depends,
        blocked=item.blocked,
        blocking=item.blocking,
        series_id=item.series_id,
        occurrence=item.occurrence,
        created=item.created,
        created_by=item.created_by,
        updated=item.updated,
        started=item.started,
        completed=item.completed,
        version=item.version,
    )
