"""The peewee tables of the whole product, and how a store binds them to its database.

Why the tables are declared once but bound per store: a process may hold two stores at the
same time (tests open two "processes" on one file; an import may read one store while
writing another), so no model class may point at a global database. The classes below
carry the schema and are never bound; :func:`bind_tables` makes subclasses whose
``Meta.database`` is one store's database. Nothing here connects at import time.

Conventions that keep SQLite and PostgreSQL equal:

- foreign keys are plain integer columns named ``*_id`` with a ``REFERENCES`` constraint,
  so no code can lazy-load a related row by accident (one query per card);
- floats are ``DoubleField`` (PostgreSQL's ``REAL`` would round positions and money);
- free text is ``TextField`` (no 255-character ceiling on titles in PostgreSQL);
- structured values (a series template, holidays, activity values) are JSON text.

The tables later issues need (time off, baselines, risks, stakeholders, SLA policies,
project members) exist already, so those issues add behaviour, not migrations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar, cast

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    Database,
    DateField,
    DateTimeField,
    DoubleField,
    IntegerField,
    Model,
    TextField,
)


def _ref(table: str, *, cascade: bool = False) -> list[Any]:
    """A column-level ``REFERENCES`` constraint, identical on SQLite and PostgreSQL."""
    action = " ON DELETE CASCADE" if cascade else ""
    return [SQL(f'REFERENCES "{table}" ("id"){action}')]


class Row(Model):
    """Base of every table; bound to a database only through :func:`bind_tables`."""

    class Meta:
        legacy_table_names = False


class SchemaMetaRow(Row):
    """Key/value facts about the database itself; ``version`` is the schema version."""

    key = CharField(max_length=64, primary_key=True)
    value = TextField()

    class Meta:
        table_name = "schema_meta"


class RevisionRow(Row):
    """One row whose counter every write transaction bumps (``Store.data_version``).

    SQLite's ``PRAGMA data_version`` is per connection and PostgreSQL has none; a counter
    in the database is the same for every thread, process and backend.
    """

    id = AutoField()
    value = IntegerField(default=0)

    class Meta:
        table_name = "revision"


class PersonRow(Row):
    """Someone who can own or be assigned work (``login`` = OS login name)."""

    id = AutoField()
    login = TextField(unique=True)
    display_name = TextField(default="")
    capacity_hours = DoubleField(default=8.0)
    cost_rate = DoubleField(default=0.0)
    active = BooleanField(default=True)
    created = DateTimeField()

    class Meta:
        table_name = "person"


class PersonTimeOffRow(Row):
    """A person's absence (whole days, or ``hours`` per day when partial)."""

    id = AutoField()
    person_id = IntegerField(constraints=_ref("person", cascade=True), index=True)
    start = DateField()
    end = DateField()
    hours = DoubleField(null=True)
    reason = TextField(default="")

    class Meta:
        table_name = "person_time_off"


class ContainerRow(Row):
    """An ongoing area or a project (``kind``); project fields stay NULL for areas."""

    id = AutoField()
    name = TextField(unique=True)
    kind = CharField(max_length=16, default="area")
    goal = TextField(default="")
    description = TextField(default="")
    start = DateField(null=True)
    deadline = DateField(null=True)
    budget = DoubleField(null=True)
    owner_id = IntegerField(null=True, constraints=_ref("person"))
    workdays = TextField(default="mon,tue,wed,thu,fri")
    holidays = TextField(default="[]")
    hours_per_day = DoubleField(default=8.0)
    archived = BooleanField(default=False)
    rag_override = CharField(max_length=8, null=True)
    rag_reason = TextField(default="")
    created = DateTimeField()
    updated = DateTimeField()
    # Schema version 3: members only (the owner and ``project_member`` rows see it).
    restricted = BooleanField(default=False)

    class Meta:
        table_name = "container"


class ProjectMemberRow(Row):
    """A person's membership of a project, with a role (who sees a restricted project)."""

    id = AutoField()
    container_id = IntegerField(constraints=_ref("container", cascade=True))
    person_id = IntegerField(constraints=_ref("person", cascade=True))
    role = TextField(default="")

    class Meta:
        table_name = "project_member"
        indexes = ((("container_id", "person_id"), True),)


class StatusRow(Row):
    """A workflow column with its category, order and WIP limits."""

    id = AutoField()
    name = TextField(unique=True)
    category = CharField(max_length=16)
    position = IntegerField()
    wip_min = IntegerField(null=True)
    wip_max = IntegerField(null=True)
    wip_hard = BooleanField(default=False)

    class Meta:
        table_name = "status"


class SeriesRow(Row):
    """A recurring series: RRULE, anchor, first date and a JSON template of the fields."""

    id = AutoField()
    rrule = TextField()
    anchor = CharField(max_length=16, default="schedule")
    dtstart = DateField()
    template = TextField(default="{}")
    container_id = IntegerField(null=True, constraints=_ref("container"))
    missed = CharField(max_length=8, default="latest")
    active = BooleanField(default=True)
    created = DateTimeField()

    class Meta:
        table_name = "series"


class ItemRow(Row):
    """One unit of work. ``version`` moves on every write (optimistic concurrency)."""

    id = AutoField()
    uuid = CharField(max_length=36, unique=True)
    title = TextField()
    notes = TextField(default="")
    status_id = IntegerField(constraints=_ref("status"))
    priority = CharField(max_length=1, null=True)
    due = DateTimeField(null=True)
    start = DateTimeField(null=True)
    wait = DateTimeField(null=True)
    estimate_minutes = IntegerField(null=True)
    duration_days = DoubleField(null=True)
    percent_complete = DoubleField(default=0.0)
    parent_id = IntegerField(null=True, constraints=_ref("item"))
    milestone = BooleanField(default=False)
    container_id = IntegerField(null=True, constraints=_ref("container"))
    series_id = IntegerField(null=True, constraints=_ref("series"))
    occurrence = DateField(null=True)
    position = DoubleField(default=0.0)
    # Project scheduling fields used by later issues (plan files, leveling, EVM).
    key = TextField(null=True)
    start_no_earlier = DateField(null=True)
    deadline = DateField(null=True)
    cost = DoubleField(null=True)
    actual_cost = DoubleField(null=True)
    leveling_delay_days = DoubleField(default=0.0)
    # Schema version 2 (project mode): a pinned start, effort, and the task's place
    # among its siblings in the plan file (WBS order; NULL = after the placed ones).
    pinned = BooleanField(default=False)
    effort_hours = DoubleField(null=True)
    plan_position = DoubleField(null=True)
    created = DateTimeField()
    updated = DateTimeField()
    completed = DateTimeField(null=True)
    started = DateTimeField(null=True)
    created_by = TextField(default="")
    version = IntegerField(default=1)
    deleted_at = DateTimeField(null=True)

    class Meta:
        table_name = "item"
        indexes = (
            (("status_id", "position"), False),
            (("container_id",), False),
            (("due",), False),
            (("start",), False),
            (("parent_id",), False),
            (("series_id", "occurrence"), True),
        )


class TagRow(Row):
    """A tag name, shared by all items that carry it."""

    id = AutoField()
    name = TextField(unique=True)

    class Meta:
        table_name = "tag"


class ItemTagRow(Row):
    """An item carries a tag."""

    id = AutoField()
    item_id = IntegerField(constraints=_ref("item", cascade=True))
    tag_id = IntegerField(constraints=_ref("tag", cascade=True), index=True)

    class Meta:
        table_name = "item_tag"
        indexes = ((("item_id", "tag_id"), True),)


class AssignmentRow(Row):
    """A person on an item with units (1.0 = full time)."""

    id = AutoField()
    item_id = IntegerField(constraints=_ref("item", cascade=True))
    person_id = IntegerField(constraints=_ref("person", cascade=True), index=True)
    units = DoubleField(default=1.0)
    position = IntegerField(default=0)

    class Meta:
        table_name = "assignment"
        indexes = ((("item_id", "person_id"), True),)


class DependencyRow(Row):
    """``predecessor`` → ``successor`` with a link type and a lag in working days."""

    id = AutoField()
    predecessor_id = IntegerField(constraints=_ref("item", cascade=True))
    successor_id = IntegerField(constraints=_ref("item", cascade=True), index=True)
    type = CharField(max_length=2, default="FS")
    lag_days = DoubleField(default=0.0)

    class Meta:
        table_name = "dependency"
        indexes = ((("predecessor_id", "successor_id"), True),)


class CommentRow(Row):
    """A remark on an item (author = login, kept as text so history survives renames)."""

    id = AutoField()
    item_id = IntegerField(constraints=_ref("item", cascade=True), index=True)
    author = TextField()
    body = TextField()
    at = DateTimeField()

    class Meta:
        table_name = "comment"


class ActionRow(Row):
    """One user action: the unit of undo/redo, grouping its activity entries.

    ``kind`` is ``do`` for ordinary actions, ``undo``/``redo`` for the actions that revert
    or re-apply ``target_id``. For ``do`` actions, ``state`` is ``done`` or ``undone``,
    ``applied_by`` is the action that last applied it (itself, or a redo) and
    ``undone_by`` the undo that last reverted it; these make the undo and redo stacks
    plain indexed queries instead of a replay of the log.
    """

    id = AutoField()
    actor = TextField()
    description = TextField(default="")
    kind = CharField(max_length=8, default="do")
    target_id = IntegerField(null=True)
    state = CharField(max_length=8, null=True)
    applied_by = IntegerField(null=True)
    undone_by = IntegerField(null=True)
    at = DateTimeField()

    class Meta:
        table_name = "action"
        indexes = ((("actor", "kind", "state"), False),)


class ActivityRow(Row):
    """Append-only log: who changed which field of which item, old → new (JSON text).

    ``version`` is the item's version after the change: undo compares it with the item's
    current version to see whether anyone else has touched the item since.
    """

    id = AutoField()
    item_id = IntegerField(null=True, constraints=_ref("item"))
    actor = TextField()
    field = TextField()
    old = TextField(null=True)
    new = TextField(null=True)
    at = DateTimeField()
    action_id = IntegerField(null=True, constraints=_ref("action"), index=True)
    version = IntegerField(null=True)

    class Meta:
        table_name = "activity"
        indexes = ((("item_id", "at"), False),)


class BaselineRow(Row):
    """A named, frozen copy of a project's plan."""

    id = AutoField()
    container_id = IntegerField(constraints=_ref("container", cascade=True), index=True)
    name = TextField()
    created = DateTimeField()
    created_by = TextField(default="")

    class Meta:
        table_name = "baseline"


class BaselineTaskRow(Row):
    """One task's start, finish, duration and cost in a baseline."""

    id = AutoField()
    baseline_id = IntegerField(constraints=_ref("baseline", cascade=True))
    item_id = IntegerField(constraints=_ref("item", cascade=True))
    start = DateField(null=True)
    finish = DateField(null=True)
    duration = DoubleField(null=True)
    cost = DoubleField(null=True)

    class Meta:
        table_name = "baseline_task"
        indexes = ((("baseline_id", "item_id"), True),)


class RiskRow(Row):
    """A project risk (probability and impact 1–5)."""

    id = AutoField()
    container_id = IntegerField(constraints=_ref("container", cascade=True), index=True)
    title = TextField()
    cause = TextField(default="")
    probability = IntegerField(default=1)
    impact = IntegerField(default=1)
    owner_id = IntegerField(null=True, constraints=_ref("person"))
    response = CharField(max_length=16, default="mitigate")
    mitigation = TextField(default="")
    trigger = TextField(default="")
    review_date = DateField(null=True)
    status = CharField(max_length=16, default="open")
    created = DateTimeField()
    updated = DateTimeField()

    class Meta:
        table_name = "risk"


class StakeholderRow(Row):
    """Someone with an interest in a project (not necessarily a taskdesk user)."""

    id = AutoField()
    container_id = IntegerField(constraints=_ref("container", cascade=True), index=True)
    name = TextField()
    role = TextField(default="")
    interest = IntegerField(null=True)
    influence = IntegerField(null=True)
    contact = TextField(default="")
    notes = TextField(default="")

    class Meta:
        table_name = "stakeholder"


class SlaPolicyRow(Row):
    """An SLA goal in working hours for items of a project (and priority)."""

    id = AutoField()
    name = TextField(default="")
    container_id = IntegerField(null=True, constraints=_ref("container", cascade=True))
    priority = CharField(max_length=1, null=True)
    goal_hours = DoubleField()
    paused_statuses = TextField(default="[]")

    class Meta:
        table_name = "sla_policy"


#: Creation order: every table after the tables it references (PostgreSQL checks).
ALL_TABLES: tuple[type[Row], ...] = (
    SchemaMetaRow,
    RevisionRow,
    PersonRow,
    PersonTimeOffRow,
    ContainerRow,
    ProjectMemberRow,
    StatusRow,
    SeriesRow,
    ItemRow,
    TagRow,
    ItemTagRow,
    AssignmentRow,
    DependencyRow,
    CommentRow,
    ActionRow,
    ActivityRow,
    BaselineRow,
    BaselineTaskRow,
    RiskRow,
    StakeholderRow,
    SlaPolicyRow,
)

R = TypeVar("R", bound=Row)


def _bound(base: type[R], db: Database) -> type[R]:
    """A subclass of ``base`` on ``db`` with the same table name (Meta is not inherited)."""
    meta = type("Meta", (), {"database": db, "table_name": base._meta.table_name})
    attrs = {"Meta": meta, "__module__": __name__}
    return cast(type[R], type(base.__name__, (base,), attrs))


@dataclass(frozen=True, slots=True)
class Tables:
    """The tables of one store, bound to its database."""

    db: Database
    meta: type[SchemaMetaRow]
    revision: type[RevisionRow]
    person: type[PersonRow]
    time_off: type[PersonTimeOffRow]
    container: type[ContainerRow]
    member: type[ProjectMemberRow]
    status: type[StatusRow]
    series: type[SeriesRow]
    item: type[ItemRow]
    tag: type[TagRow]
    item_tag: type[ItemTagRow]
    assignment: type[AssignmentRow]
    dependency: type[DependencyRow]
    comment: type[CommentRow]
    action: type[ActionRow]
    activity: type[ActivityRow]
    baseline: type[BaselineRow]
    baseline_task: type[BaselineTaskRow]
    risk: type[RiskRow]
    stakeholder: type[StakeholderRow]
    sla_policy: type[SlaPolicyRow]

    def all(self) -> list[type[Row]]:
        """Every bound table, in creation order."""
        return [
            self.meta,
            self.revision,
            self.person,
            self.time_off,
            self.container,
            self.member,
            self.status,
            self.series,
            self.item,
            self.tag,
            self.item_tag,
            self.assignment,
            self.dependency,
            self.comment,
            self.action,
            self.activity,
            self.baseline,
            self.baseline_task,
            self.risk,
            self.stakeholder,
            self.sla_policy,
        ]


def bind_tables(db: Database) -> Tables:
    """Bind every table to ``db`` (fresh subclasses: other stores are unaffected)."""
    return Tables(
        db=db,
        meta=_bound(SchemaMetaRow, db),
        revision=_bound(RevisionRow, db),
        person=_bound(PersonRow, db),
        time_off=_bound(PersonTimeOffRow, db),
        container=_bound(ContainerRow, db),
        member=_bound(ProjectMemberRow, db),
        status=_bound(StatusRow, db),
        series=_bound(SeriesRow, db),
        item=_bound(ItemRow, db),
        tag=_bound(TagRow, db),
        item_tag=_bound(ItemTagRow, db),
        assignment=_bound(AssignmentRow, db),
        dependency=_bound(DependencyRow, db),
        comment=_bound(CommentRow, db),
        action=_bound(ActionRow, db),
        activity=_bound(ActivityRow, db),
        baseline=_bound(BaselineRow, db),
        baseline_task=_bound(BaselineTaskRow, db),
        risk=_bound(RiskRow, db),
        stakeholder=_bound(StakeholderRow, db),
        sla_policy=_bound(SlaPolicyRow, db),
    )
