"""``taskdesk check``: is this store sound? Problems in words, nothing changed.

Three layers, each catching what the one before cannot:

1. the database engine's own check (SQLite ``PRAGMA integrity_check``: pages, indexes,
   free lists; PostgreSQL checks its own pages and has ``pg_amcheck`` for a deep look);
2. references (SQLite ``PRAGMA foreign_key_check``, and the same question asked with
   plain joins on every backend: an item whose status, project, series or parent is
   gone);
3. taskdesk's own rules that no constraint expresses: the schema version is the one
   this taskdesk writes, every workflow category items are moved into has a column,
   dependencies and the WBS parent chain have no cycle, a recurring series has at most
   one item per occurrence date, there is exactly one revision counter.

The store is opened read-only for it (see ``open_store(read_only=True)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import peewee
from peewee import JOIN, fn

from taskdesk.domain.model import StatusCategory
from taskdesk.store.db import raw
from taskdesk.store.errors import StoreError
from taskdesk.store.mapping import tuples

if TYPE_CHECKING:
    from taskdesk.store.repository import Store

#: Problems of one kind listed in full before "and N more".
MAX_LISTED = 10


@dataclass(slots=True)
class CheckReport:
    """What ``check_store`` found: the problems (empty = sound) and what was looked at."""

    location: str
    backend: str
    schema_version: int
    latest_version: int
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No problem found."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report as the CLI prints it."""
        counted = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        out = [
            f"Checked {self.location} ({self.backend}, schema version {self.schema_version}): "
            f"{counted}."
        ]
        out.extend(f"note: {note}" for note in self.notes)
        if self.ok:
            out.append("No problems found.")
        else:
            out.extend(f"problem: {problem}" for problem in self.problems)
            n = len(self.problems)
            out.append(f"{n} problem{'s' if n != 1 else ''} found.")
        return out


def _listed(what: str, ids: list[Any]) -> str:
    """``what: 1, 2, 3`` with at most MAX_LISTED shown."""
    shown = ", ".join(str(i) for i in ids[:MAX_LISTED])
    more = f" and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else ""
    return f"{what}: {shown}{more}"


def check_store(store: Store) -> CheckReport:
    """Run every check on ``store`` (reads only) and return the report."""
    report = CheckReport(
        location=store.location,
        backend=store.backend,
        schema_version=store.schema_version(),
        latest_version=store.latest_schema_version(),
    )
    steps = (
        _count,
        _engine_checks,
        _schema_checks,
        _reference_checks,
        _workflow_checks,
        _cycle_checks,
        _recurrence_checks,
    )
    for step in steps:
        try:
            step(store, report)
        except StoreError as exc:  # a damaged file fails some reads: that is a finding
            report.problems.append(str(exc))
        except peewee.DatabaseError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            report.problems.append(f"reading the store failed: {first}")
    return report


def _count(store: Store, report: CheckReport) -> None:
    """What the store holds, for the first line of the report."""
    t = store.tables
    report.counts = {
        "items": t.item.select().where(t.item.deleted_at.is_null()).count(),
        "projects and areas": t.container.select().count(),
        "people": t.person.select().count(),
        "actions": t.action.select().count(),
    }


def _engine_checks(store: Store, report: CheckReport) -> None:
    """SQLite's integrity and foreign-key checks (PostgreSQL checks its pages itself)."""
    if store.backend != "sqlite":
        report.notes.append(
            "PostgreSQL checks its own pages; run pg_amcheck for a deep check of the server."
        )
        return
    rows = [str(r[0]) for r in raw(store.db, "PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        report.problems.extend(f"SQLite integrity check: {row}" for row in rows[:MAX_LISTED])
        if len(rows) > MAX_LISTED:
            report.problems.append(f"SQLite integrity check: and {len(rows) - MAX_LISTED} more")
    broken: dict[tuple[str, str], list[Any]] = {}
    for table, rowid, parent, _fkid in raw(store.db, "PRAGMA foreign_key_check").fetchall():
        broken.setdefault((str(table), str(parent)), []).append(rowid)
    for (table, parent), rowids in sorted(broken.items()):
        report.problems.append(_listed(f"{table} rows that refer to a missing {parent}", rowids))


def _schema_checks(store: Store, report: CheckReport) -> None:
    """The schema version is the one this taskdesk writes; one revision counter."""
    if report.schema_version != report.latest_version:
        report.problems.append(
            f"the schema version is {report.schema_version}, but this taskdesk writes "
            f"{report.latest_version}"
        )
    revisions = store.tables.revision.select().count()
    if revisions != 1:
        report.problems.append(
            f"there are {revisions} revision counters (live refresh needs exactly one)"
        )


def _orphans(store: Store, column: Any, parent: Any) -> list[int]:
    """Ids of live items whose ``column`` names a row of ``parent`` that does not exist."""
    item = store.tables.item
    query = (
        item.select(item.id)
        .join(parent, JOIN.LEFT_OUTER, on=(column == parent.id))
        .where(column.is_null(False) & parent.id.is_null())
        .order_by(item.id)
    )
    return [row.id for row in query]


def _reference_checks(store: Store, report: CheckReport) -> None:
    """Every item's status exists, and so do its project, series and parent."""
    t = store.tables
    parent = t.item.alias("parent")
    checks = (
        ("items whose status does not exist", t.item.status_id, t.status),
        ("items whose project or area does not exist", t.item.container_id, t.container),
        ("items whose recurring series does not exist", t.item.series_id, t.series),
        ("items whose parent item does not exist", t.item.parent_id, parent),
    )
    for what, column, table in checks:
        ids = _orphans(store, column, table)
        if ids:
            report.problems.append(_listed(what, ids))


def _workflow_checks(store: Store, report: CheckReport) -> None:
    """The columns that start/done/add move items into exist."""
    s = store.tables.status
    present = {row.category for row in s.select(s.category).distinct()}
    for category in (StatusCategory.UNSTARTED, StatusCategory.STARTED, StatusCategory.COMPLETED):
        if category.value not in present:
            report.problems.append(f"the workflow has no {category.value} column")
    unknown = sorted(present - {c.value for c in StatusCategory})
    if unknown:
        report.problems.append(_listed("workflow columns of an unknown category", unknown))


def find_cycles(edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Cycles in a directed graph (one per strongly connected part), each as a path.

    Iterative, so a long dependency chain cannot overflow the stack. A cycle is
    returned as ``[a, b, …, a]`` following the edges.
    """
    graph: dict[int, list[int]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
        graph.setdefault(b, [])
    state: dict[int, int] = {}  # 1 = on the current path, 2 = finished
    cycles: list[list[int]] = []
    for start in sorted(graph):
        if start in state:
            continue
        path: list[int] = []
        stack: list[tuple[int, int]] = [(start, 0)]
        while stack:
            node, index = stack.pop()
            if index == 0:
                state[node] = 1
                path.append(node)
            successors = graph[node]
            if index < len(successors):
                stack.append((node, index + 1))
                nxt = successors[index]
                if state.get(nxt) == 1:
                    cycles.append([*path[path.index(nxt) :], nxt])
                elif nxt not in state:
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()
    return cycles


def _cycle_checks(store: Store, report: CheckReport) -> None:
    """No dependency cycle (the scheduler needs a DAG) and no parent cycle (the WBS)."""
    t = store.tables
    links = [
        (row.predecessor_id, row.successor_id)
        for row in t.dependency.select(t.dependency.predecessor_id, t.dependency.successor_id)
    ]
    for cycle in find_cycles(links)[:MAX_LISTED]:
        report.problems.append("dependency cycle: " + " → ".join(map(str, cycle)))
    query = t.item.select(t.item.id, t.item.parent_id).where(t.item.parent_id.is_null(False))
    parents = [(int(item_id), int(parent_id)) for item_id, parent_id in tuples(query.tuples())]
    for cycle in find_cycles(parents)[:MAX_LISTED]:
        report.problems.append(
            "parent cycle (an item inside itself): " + " → ".join(map(str, cycle))
        )


def _recurrence_checks(store: Store, report: CheckReport) -> None:
    """A recurring series has at most one item per occurrence date."""
    i = store.tables.item
    duplicates = tuples(
        i.select(i.series_id, i.occurrence, fn.COUNT(i.id).alias("n"))
        .where(i.series_id.is_null(False) & i.occurrence.is_null(False))
        .group_by(i.series_id, i.occurrence)
        .having(fn.COUNT(i.id) > 1)
        .tuples()
    )
    for series_id, occurrence, n in duplicates[:MAX_LISTED]:
        report.problems.append(
            f"series {series_id} has {n} items for the occurrence of {occurrence}"
        )
