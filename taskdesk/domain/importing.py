"""What every importer hands the store: plain records, checked before anything is written.

A file format (iCalendar, Taskwarrior, CSV) is read completely into ``ImportRecord``
objects first; only a file that reads cleanly reaches ``Store.import_records``, which
writes all of it in one transaction or nothing. Records carry the external identity of
each item (an iCalendar UID, a Taskwarrior uuid) so that importing the same file twice
updates the items instead of duplicating them.
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import datetime

from taskdesk.domain.model import Priority, Recurrence, StatusCategory

#: The namespace of the uuids derived from foreign identities (``uid@host`` and such).
IMPORT_NAMESPACE = uuidlib.uuid5(uuidlib.NAMESPACE_URL, "https://taskdesk.invalid/import")


class ImportFileError(ValueError):
    """A file that cannot be imported; the message says where (line, component, record)."""


def item_uuid(uid: str) -> str:
    """The item uuid an external identity maps to, the same every time.

    A uid that is already a uuid (taskdesk's own exports, Taskwarrior) is kept, so a round
    trip lands on the same item; any other text (``abc123@google.com``) is hashed into a
    stable uuid5, so a second import of the same file finds the items of the first.
    """
    text = uid.strip()
    try:
        return str(uuidlib.UUID(text))
    except ValueError:
        return str(uuidlib.uuid5(IMPORT_NAMESPACE, text))


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One item as a file describes it.

    ``uid`` is the file's identity for the item; the store matches it through
    :func:`item_uuid`. ``state`` chooses the first status of that category for a new
    item and moves an existing item whose category differs. ``depends`` lists uids of
    other records of the same import, or uuids of items already in the store.
    ``where`` names the record in messages (``line 12``, ``VTODO #3 (UID x@y)``).
    ``fields`` names the fields the file actually carries (a CSV file with only a
    ``title`` and a ``due`` column); an existing item keeps every other field as it is.
    ``None`` means every field: what the record does not say is cleared.
    """

    uid: str
    title: str
    state: StatusCategory = StatusCategory.UNSTARTED
    notes: str = ""
    priority: Priority | None = None
    due: datetime | None = None
    start: datetime | None = None
    wait: datetime | None = None
    completed: datetime | None = None
    created: datetime | None = None
    project: str | None = None
    tags: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    recurrence: Recurrence | None = None
    milestone: bool = False
    estimate_minutes: int | None = None
    depends: tuple[str, ...] = ()
    where: str = ""
    fields: frozenset[str] | None = None

    @property
    def item_uuid(self) -> str:
        """The uuid of the item this record creates or updates."""
        return item_uuid(self.uid)

    def carries(self, name: str) -> bool:
        """Whether the file says something about field ``name`` (see ``fields``)."""
        return self.fields is None or name in self.fields


#: The field names ``ImportRecord.fields`` may list (``created`` only applies to new items).
RECORD_FIELDS = frozenset(
    {
        "title",
        "state",
        "notes",
        "priority",
        "due",
        "start",
        "wait",
        "completed",
        "created",
        "project",
        "tags",
        "assignees",
        "recurrence",
        "milestone",
        "estimate_minutes",
        "depends",
    }
)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did, for the one line the CLI prints."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    created_ids: tuple[int, ...] = field(default=())

    @property
    def total(self) -> int:
        """Every record of the file."""
        return self.created + self.updated + self.unchanged
