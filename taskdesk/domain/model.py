"""The domain types every layer speaks: plain, frozen dataclasses.

The store turns rows into these; the UI and the command line only ever see these.
They carry no behaviour that needs a database or a terminal, so the domain can be
tested (and reasoned about) on its own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class StatusCategory(enum.StrEnum):
    """What a workflow column *means*; flow metrics read categories, not names."""

    BACKLOG = "backlog"
    UNSTARTED = "unstarted"
    STARTED = "started"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def is_closed(self) -> bool:
        """Completed and cancelled items are no longer open work."""
        return self in (StatusCategory.COMPLETED, StatusCategory.CANCELLED)


class Priority(enum.StrEnum):
    """Taskwarrior's three levels of importance; ``None`` on an item means unset."""

    HIGH = "H"
    MEDIUM = "M"
    LOW = "L"

    @property
    def rank(self) -> int:
        """Higher is more important; used for sorting."""
        return {"H": 3, "M": 2, "L": 1}[self.value]


class ContainerKind(enum.StrEnum):
    """Ongoing areas and projects share one table; the kind picks the lens."""

    AREA = "area"
    PROJECT = "project"


class LinkType(enum.StrEnum):
    """Dependency link types, as MS Project names them."""

    FS = "FS"
    SS = "SS"
    FF = "FF"
    SF = "SF"


class RecurrenceAnchor(enum.StrEnum):
    """Whether the next occurrence follows the rule or the last completion (Org's ``.+``)."""

    SCHEDULE = "schedule"
    COMPLETION = "completion"


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A recurring rule: an RFC 5545 RRULE body (``FREQ=WEEKLY;BYDAY=MO``) and its anchor."""

    rrule: str
    anchor: RecurrenceAnchor = RecurrenceAnchor.SCHEDULE

    def describe(self) -> str:
        """Short human text, e.g. ``every FREQ=DAILY`` or ``after FREQ=DAILY;INTERVAL=3``."""
        word = "after" if self.anchor is RecurrenceAnchor.COMPLETION else "every"
        return f"{word} {self.rrule}"


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who can own or be assigned work; ``login`` is the OS login name."""

    id: int
    login: str
    display_name: str = ""
    capacity_hours: float = 8.0
    cost_rate: float = 0.0

    @property
    def label(self) -> str:
        """The name to show: the display name if set, else the login."""
        return self.display_name or self.login


@dataclass(frozen=True, slots=True)
class Status:
    """A workflow column. WIP limits are soft unless ``wip_hard`` (then moves are refused)."""

    id: int
    name: str
    category: StatusCategory
    position: int
    wip_min: int | None = None
    wip_max: int | None = None
    wip_hard: bool = False


@dataclass(frozen=True, slots=True)
class Container:
    """An ongoing area (``kind=AREA``) or a project (``kind=PROJECT``).

    Project-only fields stay ``None`` for areas. ``workdays`` uses ``mon``..``sun``.
    """

    id: int
    name: str
    kind: ContainerKind
    goal: str = ""
    description: str = ""
    start: date | None = None
    deadline: date | None = None
    budget: float | None = None
    owner: str | None = None
    workdays: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    holidays: tuple[date, ...] = ()
    archived: bool = False
    #: Members only: its owner and members see it (taskdesk.store.members).
    restricted: bool = False


@dataclass(frozen=True, slots=True)
class Assignment:
    """A person on an item, with units (1.0 = full time)."""

    login: str
    units: float = 1.0


@dataclass(frozen=True, slots=True)
class Dependency:
    """``predecessor`` → ``successor`` with a link type and a lag in working days."""

    predecessor_id: int
    successor_id: int
    type: LinkType = LinkType.FS
    lag_days: float = 0.0


@dataclass(frozen=True, slots=True)
class Item:
    """One unit of work: a task, a ticket, a routine occurrence, a milestone.

    ``blocked`` (an open predecessor exists) and ``blocking`` (an open item waits on this
    one) are computed by the store when the item is read, so screens need no extra query.
    ``position`` orders cards within a column.
    """

    id: int
    uuid: str
    title: str
    status_id: int
    status: str
    category: StatusCategory
    notes: str = ""
    priority: Priority | None = None
    due: datetime | None = None
    start: datetime | None = None
    wait: datetime | None = None
    estimate_minutes: int | None = None
    duration_days: float | None = None
    percent_complete: float = 0.0
    parent_id: int | None = None
    milestone: bool = False
    container_id: int | None = None
    project: str | None = None
    project_kind: ContainerKind | None = None
    position: float = 0.0
    created: datetime | None = None
    updated: datetime | None = None
    completed: datetime | None = None
    started: datetime | None = None
    created_by: str = ""
    version: int = 1
    tags: tuple[str, ...] = ()
    assignees: tuple[Assignment, ...] = ()
    depends: tuple[int, ...] = ()
    recurrence: Recurrence | None = None
    series_id: int | None = None
    occurrence: date | None = None
    blocked: bool = False
    blocking: bool = False
    # Project scheduling (plan files, the scheduler, leveling, earned value). ``key``
    # names the task inside its project's plan file; ``pinned`` fixes the task's start
    # on ``start_no_earlier``; ``leveling_delay_days`` is what leveling added (working
    # days, cleared by "clear leveling"); ``effort_hours`` is the work the task takes.
    key: str | None = None
    start_no_earlier: date | None = None
    deadline: date | None = None
    pinned: bool = False
    cost: float | None = None
    actual_cost: float | None = None
    leveling_delay_days: float = 0.0
    effort_hours: float | None = None

    @property
    def is_open(self) -> bool:
        """Not completed nor cancelled."""
        return not self.category.is_closed

    @property
    def is_recurring(self) -> bool:
        """Part of a recurring series."""
        return self.series_id is not None or self.recurrence is not None

    @property
    def assignee_logins(self) -> tuple[str, ...]:
        """Just the logins of the assignees, in order."""
        return tuple(a.login for a in self.assignees)


class RiskResponse(enum.StrEnum):
    """How a project answers a risk (the four classic strategies)."""

    AVOID = "avoid"
    MITIGATE = "mitigate"
    TRANSFER = "transfer"
    ACCEPT = "accept"


class RiskStatus(enum.StrEnum):
    """Where a risk stands: still a threat, gone, or it happened."""

    OPEN = "open"
    CLOSED = "closed"
    OCCURRED = "occurred"


@dataclass(frozen=True, slots=True)
class Risk:
    """One entry of a project's risk register; probability and impact are 1–5."""

    id: int
    container_id: int
    title: str
    cause: str = ""
    probability: int = 1
    impact: int = 1
    owner: str | None = None
    response: RiskResponse = RiskResponse.MITIGATE
    mitigation: str = ""
    trigger: str = ""
    review_date: date | None = None
    status: RiskStatus = RiskStatus.OPEN

    @property
    def score(self) -> int:
        """Probability × impact, 1–25 (the register's sort key and the RAG rule's input)."""
        return self.probability * self.impact


@dataclass(frozen=True, slots=True)
class Comment:
    """A remark on an item, by a person, at a time."""

    id: int
    item_id: int
    author: str
    body: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Activity:
    """One entry of the append-only activity log: who changed which field, from what to what.

    Values are JSON text (``null`` when absent); status transitions are entries with
    ``field == "status"``. ``action_id`` groups the entries of one user action (for undo).
    """

    id: int
    item_id: int
    actor: str
    field: str
    old: str | None
    new: str | None
    at: datetime
    action_id: int | None = None


@dataclass(slots=True)
class ParsedItem:
    """What quick-add understood from a line of text.

    Only fields present in ``given`` were written by the user; ``modify`` changes just
    those. ``remove_tags`` / ``remove_assignees`` come from ``-tag`` / ``-@user`` in modify.
    """

    title: str = ""
    project: str | None = None
    due: datetime | None = None
    start: datetime | None = None
    wait: datetime | None = None
    priority: Priority | None = None
    tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    remove_assignees: list[str] = field(default_factory=list)
    recurrence: Recurrence | None = None
    estimate_minutes: int | None = None
    duration_days: float | None = None
    depends: list[int] = field(default_factory=list)
    milestone: bool = False
    given: set[str] = field(default_factory=set)
