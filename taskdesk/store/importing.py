"""The bulk import path: many records, one transaction, one undoable action.

Why a path of its own instead of ``add_item`` in a loop: ``add_item`` costs a dozen
queries per item, so a 50,000-task Taskwarrior export would take minutes. Here every
step is a fixed number of queries per *chunk* of records, whatever their number:

1. **checks without the database** (:func:`prepare`): titles, duplicate uids,
   recurrence rules, cycles among the file's own links. A bad file fails here.
2. **reads** (one ``IN`` query per chunk): the items with the records' uuids (deleted
   ones too: the uuid is unique, so such an item is restored), their tags, assignees,
   links and series, the uuids ``depends`` names, and the containers, people and tags
   by name. An unknown dependency fails here, still before any write.
3. **writes**: new containers, people and tags with one ``INSERT`` each; new items and
   series with ids reserved up front (so no row has to be read back) and
   ``insert_many`` in chunks; changed columns of existing items with one
   ``UPDATE … CASE id WHEN … END`` per column and chunk; relations deleted and
   re-inserted per chunk. The activity log is bulk-inserted by :class:`ActionLog`.

The action logs what ``add_item`` and the field setters log (``created`` and
``status`` for a new item; ``field: old → new`` for each change of an existing one),
so :meth:`UndoRedo.undo` takes the whole import back: created items are deleted again,
changed fields get their old values, restored items are deleted again.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from peewee import Case, fn

from taskdesk.domain.graph import find_cycle
from taskdesk.domain.importing import ImportRecord, ImportReport, item_uuid
from taskdesk.domain.model import Status, StatusCategory
from taskdesk.domain.text import clean_line, clean_text, clean_title
from taskdesk.store.base import ActionLog
from taskdesk.store.errors import DependencyCycle, ValidationError
from taskdesk.store.fields import FieldWrites, clean_login, clean_tag
from taskdesk.store.items import ItemWrites
from taskdesk.store.mapping import dump, naive, to_date, to_datetime, tuples
from taskdesk.store.tables import ItemRow, Row

T = TypeVar("T")

#: Ids per ``IN (...)`` list (far below both backends' parameter limits).
IN_CHUNK = 5000
#: Items per ``UPDATE … CASE`` statement (three parameters per item).
CASE_CHUNK = 500

Rule = dict[str, str]


def _chunks(values: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


# --------------------------------------------------------------- checks (no database)
@dataclass(slots=True)
class Entry:
    """One record, cleaned and checked: what the store writes for it."""

    record: ImportRecord
    uuid: str
    where: str
    title: str
    notes: str
    project: str | None
    tags: list[str]
    assignees: list[str]
    rule: Rule | None
    due: datetime | None
    start: datetime | None
    wait: datetime | None
    completed: datetime | None


def prepare(records: Sequence[ImportRecord], *, today: date) -> list[Entry]:
    """Clean every record and refuse a file that cannot be imported, before any read.

    Raises :class:`ValidationError` naming ``record.where`` (an empty title, the same
    uid twice, a negative estimate, a recurrence rule the engine cannot expand) or
    :class:`DependencyCycle` for a loop among the file's own ``depends``.
    """
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    checked_rules: set[tuple[str, str, date]] = set()
    for number, record in enumerate(records, start=1):
        where = record.where or f"record #{number}"
        entry = _entry(record, where)
        if entry.uuid in seen:
            raise ValidationError(
                f"{where}: the same item as {seen[entry.uuid]} (uid {record.uid.strip()!r})."
            )
        seen[entry.uuid] = where
        if entry.rule is not None:
            key = (entry.rule["rrule"], entry.rule["anchor"], _occurrence(entry, today))
            if key not in checked_rules:
                _check_rule(entry.rule, key[2], where)
                checked_rules.add(key)
        entries.append(entry)
    _check_file_cycles(entries)
    return entries


def _entry(record: ImportRecord, where: str) -> Entry:
    title = clean_title(record.title)
    if not title:
        raise ValidationError(f"{where}: an item needs a title.")
    if record.estimate_minutes is not None and record.estimate_minutes < 0:
        raise ValidationError(f"{where}: the estimate cannot be negative.")
    if not record.uid.strip():
        raise ValidationError(f"{where}: the record has no uid.")
    project = clean_line(record.project) if record.project else ""
    rec = record.recurrence
    return Entry(
        record=record,
        uuid=record.item_uuid,
        where=where,
        title=title,
        notes=clean_text(record.notes),
        project=project or None,
        tags=sorted({clean_tag(t) for t in record.tags} - {""}),
        assignees=list(dict.fromkeys(x for x in map(clean_login, record.assignees) if x)),
        rule=None if rec is None else {"rrule": rec.rrule, "anchor": rec.anchor.value},
        due=naive(record.due),
        start=naive(record.start),
        wait=naive(record.wait),
        completed=naive(record.completed),
    )


def _occurrence(entry: Entry, today: date) -> date:
    """The occurrence a recurring item stands for: due date, else start date, else today."""
    moment = entry.due or entry.start
    return moment.date() if moment is not None else today


def _check_rule(rule: Rule, day: date, where: str) -> None:
    try:
        FieldWrites._check_rule(rule, day)
    except ValidationError as exc:
        raise ValidationError(f"{where}: {exc}") from None


def _check_file_cycles(entries: Sequence[Entry]) -> None:
    """A loop among the file's own links, named by the records on it."""
    index = {e.uuid: n for n, e in enumerate(entries)}
    successors: dict[int, list[int]] = defaultdict(list)
    for n, entry in enumerate(entries):
        for dep in entry.record.depends:
            pred = index.get(_dep_uuid(dep))
            if pred is not None:
                successors[pred].append(n)
    cycle = find_cycle(successors, sorted(successors))
    if cycle is not None:
        shown = " → ".join(entries[n].where for n in [*cycle, cycle[0]])
        raise DependencyCycle(f"{entries[cycle[-1]].where}: the links form a cycle: {shown}.", [])


def _dep_uuid(dep: str) -> str:
    return item_uuid(dep)


# ------------------------------------------------------------------ the store part
class ImportStore(ItemWrites):
    """``import_records``: the bulk path every file importer ends in."""

    def import_records(self, records: Sequence[ImportRecord], *, label: str) -> ImportReport:
        """Create or update one item per record, all or nothing, as ONE undoable action.

        See the module docstring and API.md ("Imports") for the rules; ``label`` is the
        action's description (``import tasks.json``), shown by undo.
        """
        entries = prepare(records, today=self.now().date())

        def run(act: ActionLog) -> ImportReport:
            act.describe(label)
            report = _BulkImport(self, act, entries).run()
            self._flush_log(act)
            return report

        return self._action(run)

    def _reserve_ids(self, table: type[Row], count: int) -> list[int]:
        """``count`` fresh primary keys for ``table``, so inserted rows need no read-back.

        PostgreSQL hands them out from the table's sequence (safe with other writers);
        SQLite's write lock is held for the whole transaction, so the ids after the
        highest one are free until it commits.
        """
        if count <= 0:
            return []
        if self.backend == "postgresql":
            cursor = self.db.execute_sql(  # type: ignore[no-untyped-call]
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                (table._meta.table_name, count),
            )
            return [int(r[0]) for r in cursor.fetchall()]
        pk: Any = table._meta.primary_key
        top = table.select(fn.MAX(pk)).scalar() or 0
        return list(range(int(top) + 1, int(top) + 1 + count))

    def _insert_rows(self, table: type[Row], rows: Sequence[dict[str, Any]]) -> None:
        """Insert many rows with one prepared statement (``executemany``).

        Why not ``insert_many``: peewee builds the SQL text of every row in Python, which
        took most of a 50,000-item import. Every row must have the keys of the first;
        columns left out get their peewee defaults, as ``insert`` would give them.
        """
        if not rows:
            return
        meta: Any = table._meta
        given = list(rows[0])
        defaults = {
            name: f.default
            for name, f in meta.fields.items()
            if name not in given and f.default is not None and not f.primary_key
        }
        names = given + list(defaults)
        fields = [meta.fields[name] for name in names]
        columns = ", ".join(f'"{f.column_name}"' for f in fields)
        marks = ", ".join([self.db.param] * len(fields))
        sql = f'INSERT INTO "{meta.table_name}" ({columns}) VALUES ({marks})'
        fixed = [d() if callable(d) else d for d in defaults.values()]
        params = [
            tuple(
                f.db_value(v)
                for f, v in zip(fields, [*(row[n] for n in given), *fixed], strict=True)
            )
            for row in rows
        ]
        logging.getLogger("peewee").debug((sql, f"{len(params)} rows"))
        cursor: Any = self.db.cursor()  # type: ignore[no-untyped-call]
        cursor.executemany(sql, params)

    def _flush_log(self, act: ActionLog) -> None:
        """Write the action and its activity entries (what ``ActionLog.flush`` does) fast.

        The same rows as :meth:`ActionLog.flush`, with one prepared statement for the
        hundreds of thousands of entries a large import logs; the entries are then
        cleared, so the generic flush finds nothing left to write.
        """
        if not act.entries:
            return
        a = self.tables.action
        action_id: int = a.insert(
            actor=self.actor, description=act.description, kind="do", state="done", at=act.now
        ).execute()
        a.update(applied_by=action_id).where(a.id == action_id).execute()
        rows = [
            {
                "item_id": item_id,
                "actor": self.actor,
                "field": name,
                "old": old,
                "new": new,
                "at": act.now,
                "action_id": action_id,
                "version": act.versions.get(item_id) if item_id is not None else None,
            }
            for item_id, name, old, new in act.entries
        ]
        self._insert_rows(self.tables.activity, rows)
        act.entries.clear()

    def _update_column(self, column: str, values: Mapping[int, Any]) -> None:
        """Set ``column`` of many items to per-item values: one statement per chunk."""
        i = self.tables.item
        target: Any = getattr(i, column)
        for chunk in _chunks(sorted(values), CASE_CHUNK):
            case = Case(i.id, [(x, target.db_value(values[x])) for x in chunk], target)
            i.update({target: case}).where(i.id.in_(chunk)).execute()


#: The item columns an import compares or logs (read as named tuples, not model rows).
_ROW_COLUMNS = (
    "id",
    "uuid",
    "title",
    "notes",
    "priority",
    "due",
    "start",
    "wait",
    "milestone",
    "estimate_minutes",
    "container_id",
    "status_id",
    "position",
    "started",
    "completed",
    "series_id",
    "occurrence",
    "version",
    "deleted_at",
)


@dataclass(slots=True)
class _Existing:
    """An item the import matched, with its relations as they are now."""

    row: ItemRow
    tags: list[str]
    assignees: list[tuple[str, float]]
    links: list[tuple[int, str, float]]
    rule: Rule | None


@dataclass(slots=True)
class _Plan:
    """What the writes will do (filled while checking, so errors come before writes)."""

    new: list[Entry] = field(default_factory=list)
    columns: dict[str, dict[int, Any]] = field(default_factory=lambda: defaultdict(dict))
    touched: dict[int, int] = field(default_factory=dict)  # item id → version as read
    tags: dict[int, list[str]] = field(default_factory=dict)
    assignees: dict[int, list[tuple[str, float]]] = field(default_factory=dict)
    links: dict[int, list[tuple[int, str, float]]] = field(default_factory=dict)
    attach: dict[int, tuple[Entry, date]] = field(default_factory=dict)
    rules: dict[int, Rule] = field(default_factory=dict)  # series id → new rule
    updated: int = 0
    unchanged: int = 0


class _BulkImport:
    """One import inside its transaction: read everything, check, then write in bulk."""

    def __init__(self, store: ImportStore, act: ActionLog, entries: list[Entry]) -> None:
        self.store = store
        self.t = store.tables
        self.act = act
        self.entries = entries
        self.plan = _Plan()
        self.first: dict[StatusCategory, Status] = {}
        self.categories: dict[int, StatusCategory] = {}
        self.existing: dict[str, _Existing] = {}
        self.item_ids: dict[str, int] = {}  # uuid → id of every record's item and dependency
        self.containers: dict[str, int] = {}  # exact name → id
        self.folded: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.container_names: dict[int, str] = {}
        self.new_containers: dict[str, str] = {}  # folded → spelling to create
        self.positions: dict[int, float] = {}
        self.new_ids: list[int] = []

    # ---------------------------------------------------------------- overview
    def run(self) -> ImportReport:
        self._read_statuses()
        self._read_existing()
        self._read_containers()
        self.plan.new = [e for e in self.entries if e.uuid not in self.existing]
        self.new_ids = self.store._reserve_ids(self.t.item, len(self.plan.new))
        for entry, item_id in zip(self.plan.new, self.new_ids, strict=True):
            self.item_ids[entry.uuid] = item_id
        self._check_dependencies()
        for entry in self.entries:
            found = self.existing.get(entry.uuid)
            if found is not None:
                self._diff(entry, found)
        self._check_wip()
        created_ids = self._write()
        plan = self.plan
        return ImportReport(
            created=len(created_ids),
            updated=plan.updated,
            unchanged=plan.unchanged,
            created_ids=tuple(created_ids),
        )

    # ------------------------------------------------------------------- reads
    def _read_statuses(self) -> None:
        for status in self.store.statuses():
            self.categories[status.id] = status.category
            self.first.setdefault(status.category, status)
        for entry in self.entries:
            if entry.record.state not in self.first:
                raise ValidationError(
                    f"{entry.where}: the workflow has no {entry.record.state.value} column."
                )

    def _read_existing(self) -> None:
        i = self.t.item
        rows: list[ItemRow] = []
        columns = [getattr(i, name) for name in _ROW_COLUMNS]
        for chunk in _chunks([e.uuid for e in self.entries], IN_CHUNK):
            query = i.select(*columns).where(i.uuid.in_(chunk))
            if self.store.backend == "postgresql":
                query = query.for_update()
            rows.extend(query.namedtuples())  # light rows: model instances cost 3x
        ids = [r.id for r in rows]
        tags = self.store._tags_of(ids)
        people = self.store._assignees_of(ids)
        links = self._incoming(ids)
        rules = self._series_rules({r.series_id for r in rows if r.series_id is not None})
        for row in rows:
            self.existing[row.uuid] = _Existing(
                row=row,
                tags=sorted(tags.get(row.id, [])),
                assignees=[(a.login, a.units) for a in people.get(row.id, [])],
                links=links.get(row.id, []),
                rule=rules.get(row.series_id) if row.series_id is not None else None,
            )
            self.item_ids[row.uuid] = row.id

    def _incoming(self, ids: Sequence[int]) -> dict[int, list[tuple[int, str, float]]]:
        d = self.t.dependency
        out: dict[int, list[tuple[int, str, float]]] = defaultdict(list)
        for chunk in _chunks(list(ids), IN_CHUNK):
            query = (
                d.select(d.successor_id, d.predecessor_id, d.type, d.lag_days)
                .where(d.successor_id.in_(chunk))
                .tuples()
            )
            for succ, pred, kind, lag in tuples(query):
                out[succ].append((pred, str(kind), float(lag)))
        return {succ: sorted(links) for succ, links in out.items()}

    def _series_rules(self, ids: set[int]) -> dict[int, Rule]:
        se = self.t.series
        out: dict[int, Rule] = {}
        for chunk in _chunks(sorted(ids), IN_CHUNK):
            for sid, rrule, anchor in tuples(
                se.select(se.id, se.rrule, se.anchor).where(se.id.in_(chunk)).tuples()
            ):
                out[sid] = {"rrule": rrule, "anchor": anchor}
        return out

    def _read_containers(self) -> None:
        c = self.t.container
        for cid, name in tuples(c.select(c.id, c.name).tuples()):
            self.containers[name] = cid
            self.container_names[cid] = name
            self.folded[name.lower()].append((cid, name))

    def _container_id(self, name: str | None) -> int | None:
        """The id of container ``name`` (exact, else the one case-insensitive match).

        A container still to be created gets ``-1`` (it equals no existing id).
        """
        if name is None:
            return None
        if name in self.containers:
            return self.containers[name]
        folded = self.folded.get(name.lower(), [])
        if len(folded) == 1:
            return folded[0][0]
        self.new_containers.setdefault(name.lower(), name)
        return -1

    def _check_dependencies(self) -> None:
        """Every ``depends`` names a record of the file or a live item of the store."""
        in_file = {e.uuid for e in self.entries}
        outside = sorted({_dep_uuid(d) for e in self.entries for d in e.record.depends} - in_file)
        i = self.t.item
        for chunk in _chunks(outside, IN_CHUNK):
            query = i.select(i.uuid, i.id).where(i.uuid.in_(chunk) & i.deleted_at.is_null())
            for uuid, item_id in tuples(query.tuples()):
                self.item_ids[uuid] = item_id
        for entry in self.entries:
            for dep in entry.record.depends:
                uuid = _dep_uuid(dep)
                if uuid not in in_file and uuid not in self.item_ids:
                    raise ValidationError(
                        f"{entry.where}: depends on {dep.strip()!r}, which is neither in the "
                        "file nor an item of the store."
                    )

    # -------------------------------------------------------------------- diff
    def _change(self, row: ItemRow, name: str, column: str, old: Any, new: Any) -> None:
        """Plan ``column := new`` on an existing item and log ``name: old → new``."""
        self.plan.columns[column][row.id] = new
        self.plan.touched.setdefault(row.id, row.version)
        self.act.log(row.id, name, old, new)

    def _diff(self, entry: Entry, found: _Existing) -> None:
        """Plan the changes that make an existing item what the record says."""
        row, record = found.row, entry.record
        before = len(self.act.entries)
        if row.deleted_at is not None:
            self._change(row, "deleted", "deleted_at", to_datetime(row.deleted_at), None)
        scalars: list[tuple[str, Any, Any]] = [
            ("title", row.title, entry.title),
            ("notes", row.notes or "", entry.notes),
            ("priority", row.priority, record.priority.value if record.priority else None),
            ("due", to_datetime(row.due), entry.due),
            ("start", to_datetime(row.start), entry.start),
            ("wait", to_datetime(row.wait), entry.wait),
            ("milestone", bool(row.milestone), record.milestone),
            ("estimate_minutes", row.estimate_minutes, record.estimate_minutes),
        ]
        for name, old, new in scalars:
            if record.carries(name) and old != new:
                self._change(row, name, name, old, new)
        if record.carries("project"):
            self._diff_project(entry, row)
        if record.carries("state") or record.carries("completed"):
            self._diff_state(entry, row)
        self._diff_relations(entry, found)
        if len(self.act.entries) > before or row.id in self.plan.attach:
            self.plan.updated += 1
        else:
            self.plan.unchanged += 1

    def _diff_project(self, entry: Entry, row: ItemRow) -> None:
        wanted = self._container_id(entry.project)
        if wanted == row.container_id:
            return
        old = self.container_names.get(row.container_id) if row.container_id else None
        new = self.container_names.get(wanted, entry.project) if wanted is not None else None
        self.plan.columns["container_id"][row.id] = entry.project  # a name until written
        self.plan.touched.setdefault(row.id, row.version)
        self.act.log(row.id, "project", old, new)

    def _diff_state(self, entry: Entry, row: ItemRow) -> None:
        """Move to the first column of the record's category; keep times consistent."""
        record = entry.record
        current = self.categories[row.status_id]
        category = record.state if record.carries("state") else current
        done = category is StatusCategory.COMPLETED
        if category is not current:
            target = self.first[category]
            self._change(row, "status", "status_id", row.status_id, target.id)
            position = self._next_position(target.id)
            self._change(row, "position", "position", float(row.position or 0.0), position)
            if category is StatusCategory.STARTED and row.started is None:
                self._change(row, "started", "started", None, self.act.now)
        old_done = to_datetime(row.completed)
        new_done = (entry.completed or old_done or self.act.now) if done else None
        if new_done != old_done:
            self._change(row, "completed", "completed", old_done, new_done)

    def _diff_relations(self, entry: Entry, found: _Existing) -> None:
        row, record, plan = found.row, entry.record, self.plan
        if record.carries("tags") and entry.tags != found.tags:
            plan.tags[row.id] = entry.tags
            self._log_relation(row, "tags", found.tags, entry.tags)
        logins = [login for login, _ in found.assignees]
        if record.carries("assignees") and entry.assignees != logins:
            units = dict(found.assignees)
            pairs = [(login, units.get(login, 1.0)) for login in entry.assignees]
            plan.assignees[row.id] = pairs
            old = [{"login": x, "units": u} for x, u in found.assignees]
            self._log_relation(row, "assignees", old, [{"login": x, "units": u} for x, u in pairs])
        if record.carries("depends"):
            self._diff_links(entry, found)
        if record.carries("recurrence"):
            self._diff_rule(entry, found)

    def _log_relation(self, row: ItemRow, name: str, old: Any, new: Any) -> None:
        self.plan.touched.setdefault(row.id, row.version)
        self.act.log(row.id, name, old, new)

    def _diff_links(self, entry: Entry, found: _Existing) -> None:
        kept = {pred: (kind, lag) for pred, kind, lag in found.links}
        preds = {self._pred_id(dep) for dep in entry.record.depends}
        wanted = sorted((p, *kept.get(p, ("FS", 0.0))) for p in preds)
        if wanted == found.links:
            return
        self.plan.links[found.row.id] = wanted
        self._log_relation(found.row, "depends", _links_json(found.links), _links_json(wanted))

    def _pred_id(self, dep: str) -> int:
        """The item id of a dependency (a record's, reserved already, or a stored item's)."""
        return self.item_ids[_dep_uuid(dep)]

    def _diff_rule(self, entry: Entry, found: _Existing) -> None:
        row = found.row
        if entry.rule is None:
            if row.series_id is not None:
                self._change(row, "series_id", "series_id", row.series_id, None)
                self._change(row, "occurrence", "occurrence", to_date(row.occurrence), None)
        elif row.series_id is None:
            self.plan.attach[row.id] = (entry, _occurrence(entry, self.act.now.date()))
            self.plan.touched.setdefault(row.id, row.version)
        elif found.rule != entry.rule:
            self.plan.rules[row.series_id] = entry.rule
            self._log_relation(row, "recurrence", found.rule, entry.rule)

    def _next_position(self, status_id: int) -> float:
        """A position after every card of the column (and after earlier imported ones)."""
        if status_id not in self.positions:
            self.positions[status_id] = self.store._end_position(status_id) - 1.0
        self.positions[status_id] += 1.0
        return self.positions[status_id]

    def _check_wip(self) -> None:
        """A hard WIP maximum refuses the whole import when it would be passed."""
        arriving: dict[int, int] = defaultdict(int)
        for entry in self.plan.new:
            arriving[self.first[entry.record.state].id] += 1
        for target in self.plan.columns.get("status_id", {}).values():
            arriving[target] += 1
        for status in self.first.values():
            if not status.wip_hard or status.wip_max is None or not arriving.get(status.id):
                continue
            i = self.t.item
            count = i.select().where((i.status_id == status.id) & i.deleted_at.is_null()).count()
            if count + arriving[status.id] > status.wip_max:
                raise ValidationError(
                    f"'{status.name}' is at its hard WIP limit of {status.wip_max}; the import "
                    f"would put {count + arriving[status.id]} items there."
                )

    # ------------------------------------------------------------------ writes
    def _write(self) -> list[int]:
        self._create_containers()
        created = self._insert_new()
        self._attach_series()
        self._write_columns()
        self._bump_versions()
        self._write_relations()
        for series_id, rule in self.plan.rules.items():
            se = self.t.series
            se.update(rrule=rule["rrule"], anchor=rule["anchor"]).where(
                se.id == series_id
            ).execute()
        if self.plan.links or any(e.record.depends for e in self.plan.new):
            self._check_cycles()
        return created

    def _create_containers(self) -> None:
        for entry in self.plan.new:
            self._container_id(entry.project)
        if not self.new_containers:
            return
        c = self.t.container
        now = self.act.now
        names = list(self.new_containers.values())
        self.store._insert_rows(
            c, [{"name": n, "kind": "area", "created": now, "updated": now} for n in names]
        )
        for cid, name in tuples(c.select(c.id, c.name).where(c.name.in_(names)).tuples()):
            self.containers[name] = cid
            self.container_names[cid] = name
            self.folded[name.lower()] = [(cid, name)]

    def _ids_by_name(self, table: Any, column: str, names: Iterable[str]) -> dict[str, int]:
        """Ids of the rows named ``names`` (tags, people), inserting the missing ones."""
        wanted = sorted(set(names))
        col = getattr(table, column)
        found: dict[str, int] = {}
        for chunk in _chunks(wanted, IN_CHUNK):
            found.update(dict(tuples(table.select(col, table.id).where(col.in_(chunk)).tuples())))
        missing = [n for n in wanted if n not in found]
        if missing:
            extra = {"created": self.act.now} if column == "login" else {}
            self.store._insert_rows(table, [{column: n, **extra} for n in missing])
            for chunk in _chunks(missing, IN_CHUNK):
                query = table.select(col, table.id).where(col.in_(chunk)).tuples()
                found.update(dict(tuples(query)))
        return found

    def _insert_new(self) -> list[int]:
        new, ids = self.plan.new, self.new_ids
        rows: list[dict[str, Any]] = []
        act = self.act
        for entry, item_id in zip(new, ids, strict=True):
            rows.append(self._new_row(entry, item_id))
            act.mark_created(item_id)
            act.log(item_id, "created", None, entry.title)
            act.log(item_id, "status", None, rows[-1]["status_id"])
        self.store._insert_rows(self.t.item, rows)
        for entry, item_id in zip(new, ids, strict=True):
            if entry.tags:
                self.plan.tags[item_id] = entry.tags
                act.log(item_id, "tags", [], entry.tags)
            if entry.assignees:
                self.plan.assignees[item_id] = [(login, 1.0) for login in entry.assignees]
                new_people = [{"login": x, "units": 1.0} for x in entry.assignees]
                act.log(item_id, "assignees", [], new_people)
            if entry.record.depends:
                links = sorted({(self._pred_id(d), "FS", 0.0) for d in entry.record.depends})
                self.plan.links[item_id] = links
                act.log(item_id, "depends", [], _links_json(links))
            if entry.rule is not None:
                self.plan.attach[item_id] = (entry, _occurrence(entry, act.now.date()))
        return ids

    def _new_row(self, entry: Entry, item_id: int) -> dict[str, Any]:
        record, now = entry.record, self.act.now
        status = self.first[record.state]
        done = record.state is StatusCategory.COMPLETED
        container = self._container_id(entry.project)
        return {
            "id": item_id,
            "uuid": entry.uuid,
            "title": entry.title,
            "notes": entry.notes,
            "status_id": status.id,
            "priority": record.priority.value if record.priority else None,
            "due": entry.due,
            "start": entry.start,
            "wait": entry.wait,
            "estimate_minutes": record.estimate_minutes,
            "milestone": record.milestone,
            "container_id": container,
            "position": self._next_position(status.id),
            "created": naive(record.created) or now,
            "updated": now,
            "started": now if record.state is StatusCategory.STARTED else None,
            "completed": (entry.completed or now) if done else None,
            "created_by": self.store.actor,
            "version": 1,
        }

    def _attach_series(self) -> None:
        """New series for every item that starts recurring (new or existing)."""
        attach = self.plan.attach
        if not attach:
            return
        ids = self.store._reserve_ids(self.t.series, len(attach))
        rows = []
        for (item_id, (entry, day)), series_id in zip(attach.items(), ids, strict=True):
            assert entry.rule is not None
            container = self._container_id(entry.project)
            rows.append(
                {
                    "id": series_id,
                    "rrule": entry.rule["rrule"],
                    "anchor": entry.rule["anchor"],
                    "dtstart": day,
                    "template": dump(self._template(entry, container)),
                    "container_id": container,
                    "created": self.act.now,
                }
            )
            found = self.existing.get(entry.uuid)
            old_series = found.row.series_id if found else None
            old_day = to_date(found.row.occurrence) if found else None
            self.plan.columns["series_id"][item_id] = series_id
            self.plan.columns["occurrence"][item_id] = day
            self.act.log(item_id, "series_id", old_series, series_id)
            self.act.log(item_id, "occurrence", old_day, day)
        self.store._insert_rows(self.t.series, rows)

    @staticmethod
    def _template(entry: Entry, container_id: int | None) -> dict[str, Any]:
        """What later occurrences copy (the same shape as ``FieldWrites._series_template``)."""
        record = entry.record
        return {
            "title": entry.title,
            "notes": entry.notes,
            "container_id": container_id,
            "priority": record.priority.value if record.priority else None,
            "tags": entry.tags,
            "assignees": [[login, 1.0] for login in entry.assignees],
            "estimate_minutes": record.estimate_minutes,
            "duration_days": None,
            "due_time": entry.due.time().isoformat() if entry.due else None,
        }

    def _write_columns(self) -> None:
        columns = self.plan.columns
        if "container_id" in columns:
            names = columns["container_id"]
            columns["container_id"] = {k: self._container_id(v) for k, v in names.items()}
        for column, values in columns.items():
            if values:
                self.store._update_column(column, values)

    def _bump_versions(self) -> None:
        """One version bump per changed item (an action bumps an item once)."""
        touched = self.plan.touched
        i = self.t.item
        for chunk in _chunks(sorted(touched), IN_CHUNK):
            i.update(version=i.version + 1, updated=self.act.now).where(i.id.in_(chunk)).execute()
        for item_id, version in touched.items():
            self.act.versions[item_id] = version + 1

    def _write_relations(self) -> None:
        t, plan = self.t, self.plan
        created = self.act.created
        tag_ids = self._ids_by_name(t.tag, "name", (n for v in plan.tags.values() for n in v))
        people = self._ids_by_name(
            t.person, "login", (x for v in plan.assignees.values() for x, _ in v)
        )
        self._replace(t.item_tag, "item_id", [x for x in plan.tags if x not in created])
        self._replace(t.assignment, "item_id", [x for x in plan.assignees if x not in created])
        self._replace(t.dependency, "successor_id", [x for x in plan.links if x not in created])
        self.store._insert_rows(
            t.item_tag,
            [{"item_id": x, "tag_id": tag_ids[n]} for x, names in plan.tags.items() for n in names],
        )
        self.store._insert_rows(
            t.assignment,
            [
                {"item_id": x, "person_id": people[login], "units": units, "position": n}
                for x, pairs in plan.assignees.items()
                for n, (login, units) in enumerate(pairs)
            ],
        )
        self.store._insert_rows(
            t.dependency,
            [
                {"predecessor_id": p, "successor_id": x, "type": kind, "lag_days": lag}
                for x, links in plan.links.items()
                for p, kind, lag in links
            ],
        )

    @staticmethod
    def _replace(table: Any, column: str, ids: Sequence[int]) -> None:
        """Delete the rows of ``ids`` that are about to be written again."""
        col = getattr(table, column)
        for chunk in _chunks(sorted(ids), IN_CHUNK):
            table.delete().where(col.in_(chunk)).execute()

    def _check_cycles(self) -> None:
        """The links now in the store must not loop through an imported item."""
        d = self.t.dependency
        successors: dict[int, list[int]] = defaultdict(list)
        for pred, succ in tuples(d.select(d.predecessor_id, d.successor_id).tuples()):
            successors[pred].append(succ)
        starts = sorted(self.item_ids[e.uuid] for e in self.entries)
        cycle = find_cycle(successors, starts)
        if cycle is None:
            return
        names = {self.item_ids[e.uuid]: e.where for e in self.entries}
        shown = " → ".join(names.get(x) or f"item {x}" for x in [*cycle, cycle[0]])
        culprit = next((names[x] for x in cycle if x in names), "the file")
        raise DependencyCycle(f"{culprit}: the links would close a cycle: {shown}.", cycle)


def _links_json(links: Sequence[tuple[int, str, float]]) -> list[dict[str, Any]]:
    return [{"id": p, "type": k, "lag": lag} for p, k, lag in links]
