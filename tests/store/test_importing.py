"""``Store.import_records``: the bulk path of every importer (both backends)."""

from __future__ import annotations

import sqlite3
import uuid as uuidlib
from datetime import date, datetime
from pathlib import Path

import pytest

from taskdesk.domain.filters import Filter
from taskdesk.domain.importing import ImportRecord, ImportReport
from taskdesk.domain.model import (
    Item,
    ParsedItem,
    Priority,
    Recurrence,
    RecurrenceAnchor,
    StatusCategory,
)
from taskdesk.store import Store, open_store
from taskdesk.store.errors import DependencyCycle, NotFound, ValidationError
from tests.store.querycount import count_queries

EVERY = Filter(statuses=tuple(c.value for c in StatusCategory), include_closed=True)
U1 = "11111111-1111-4111-8111-111111111111"
U2 = "22222222-2222-4222-8222-222222222222"
U3 = "33333333-3333-4333-8333-333333333333"


def rec(uid: str, title: str, **kwargs: object) -> ImportRecord:
    return ImportRecord(uid=uid, title=title, where=f"task {title}", **kwargs)  # type: ignore[arg-type]


def by_uuid(store: Store) -> dict[str, Item]:
    return {i.uuid: i for i in store.list_items(EVERY)}


def full_record(uid: str = U1, **over: object) -> ImportRecord:
    values: dict[str, object] = {
        "title": "Write the report",
        "notes": "line one\nline two",
        "priority": Priority.HIGH,
        "due": datetime(2026, 12, 1, 17, 0),
        "start": datetime(2026, 11, 28, 9, 0),
        "wait": datetime(2026, 11, 27, 8, 0),
        "created": datetime(2026, 1, 2, 3, 4, 5),
        "project": "Reports",
        "tags": ("work", "+urgent", "work"),
        "assignees": ("@bob", "carol"),
        "estimate_minutes": 90,
        "milestone": True,
    }
    values.update(over)
    return ImportRecord(uid=uid, where="task #1", **values)  # type: ignore[arg-type]


def test_new_item_has_every_field(store: Store) -> None:
    report = store.import_records([full_record()], label="import tasks.json")
    assert (report.created, report.updated, report.unchanged, report.total) == (1, 0, 0, 1)
    item = store.get_item(report.created_ids[0])
    assert item.uuid == U1
    assert item.title == "Write the report"
    assert item.notes == "line one\nline two"
    assert item.priority is Priority.HIGH
    assert item.due == datetime(2026, 12, 1, 17, 0)
    assert item.start == datetime(2026, 11, 28, 9, 0)
    assert item.wait == datetime(2026, 11, 27, 8, 0)
    assert item.created == datetime(2026, 1, 2, 3, 4, 5)
    assert item.project == "Reports" and item.project_kind is not None
    assert item.project_kind.value == "area"
    assert item.tags == ("urgent", "work")
    assert item.assignee_logins == ("bob", "carol")
    assert item.estimate_minutes == 90 and item.milestone is True
    assert item.category is StatusCategory.UNSTARTED and item.status == "To do"
    assert item.version == 1 and item.created_by == "alice"
    assert {p.login for p in store.people()} == {"bob", "carol"}


def test_states_map_to_first_column_of_category(store: Store) -> None:
    done_at = datetime(2026, 11, 20, 12, 0)
    records = [
        rec(U1, "a", state=StatusCategory.STARTED),
        rec(U2, "b", state=StatusCategory.COMPLETED, completed=done_at),
        rec(U3, "c", state=StatusCategory.CANCELLED),
    ]
    store.import_records(records, label="import x")
    items = by_uuid(store)
    assert items[U1].status == "In progress" and items[U1].started == datetime(2026, 11, 25, 10, 30)
    assert items[U2].status == "Done" and items[U2].completed == done_at
    assert items[U3].status == "Cancelled" and items[U3].completed is None


def test_import_twice_is_unchanged_and_writes_nothing(store: Store) -> None:
    records = [full_record(), rec(U2, "Second", depends=(U1,))]
    store.import_records(records, label="import a")
    version = store.data_version()
    before = by_uuid(store)
    report = store.import_records(records, label="import b")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert by_uuid(store) == before
    assert len(store.list_items(EVERY)) == 2
    assert store.undo() == "Undid: import a"  # the no-op import left no action
    assert store.data_version() > version


def test_update_changes_fields_logs_and_bumps_version(store: Store) -> None:
    store.import_records([full_record()], label="import a")
    item = by_uuid(store)[U1]
    changed = full_record(
        title="Write the final report",
        priority=None,
        tags=("work",),
        assignees=("carol", "dave"),
        project="Home",
        due=None,
    )
    report = store.import_records([changed], label="import b")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    after = store.get_item(item.id)
    assert after.title == "Write the final report"
    assert after.priority is None and after.due is None
    assert after.tags == ("work",) and after.assignee_logins == ("carol", "dave")
    assert after.project == "Home"
    assert after.version == item.version + 1
    assert after.created == item.created  # kept
    fields = sorted(a.field for a in store.activity(item.id) if a.action_id)
    assert {"title", "priority", "tags", "assignees", "project", "due"} <= set(fields)


def test_undo_removes_created_and_restores_updated(store: Store) -> None:
    store.import_records([full_record()], label="import a")
    original = by_uuid(store)[U1]
    changed = full_record(title="Renamed", tags=("new",), state=StatusCategory.COMPLETED)
    store.import_records([changed, rec(U2, "Brand new", depends=(U1,))], label="import b")
    assert len(store.list_items(EVERY)) == 2
    assert store.undo() == "Undid: import b"
    items = by_uuid(store)
    assert list(items) == [U1]
    back = items[U1]
    assert (back.title, back.tags, back.status, back.completed) == (
        original.title,
        original.tags,
        original.status,
        None,
    )
    assert back.position == original.position
    assert store.redo() == "Redid: import b"
    assert by_uuid(store)[U1].title == "Renamed"
    assert len(store.list_items(EVERY)) == 2


def test_existing_item_moves_between_categories(store: Store) -> None:
    store.import_records([rec(U1, "t")], label="i1")
    store.import_records([rec(U1, "t", state=StatusCategory.COMPLETED)], label="i2")
    item = by_uuid(store)[U1]
    assert item.status == "Done" and item.completed == datetime(2026, 11, 25, 10, 30)
    statuses = [a for a in store.activity(item.id) if a.field == "status"]
    assert len(statuses) == 2  # created, then the transition
    store.import_records([rec(U1, "t", state=StatusCategory.STARTED)], label="i3")
    item = by_uuid(store)[U1]
    assert item.status == "In progress" and item.completed is None and item.started is not None


def test_soft_deleted_item_is_restored(store: Store) -> None:
    store.import_records([rec(U1, "t")], label="i1")
    item_id = by_uuid(store)[U1].id
    store.delete_item(item_id)
    report = store.import_records([rec(U1, "t")], label="i2")
    assert (report.created, report.updated) == (0, 1)
    assert store.get_item(item_id).title == "t"
    store.undo()
    with pytest.raises(NotFound):
        store.get_item(item_id)


def test_existing_item_made_outside_import_is_matched_by_uuid(store: Store) -> None:
    item = store.add_item(ParsedItem(title="Mine", tags=["a"]))
    report = store.import_records([rec(item.uuid, "Mine", tags=("a",))], label="i")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_fields_limits_what_an_update_touches(store: Store) -> None:
    store.import_records([full_record()], label="i1")
    partial = ImportRecord(uid=U1, title="New title", fields=frozenset({"title"}))
    report = store.import_records([partial], label="i2")
    assert report.updated == 1
    item = by_uuid(store)[U1]
    assert item.title == "New title"
    assert item.due == datetime(2026, 12, 1, 17, 0) and item.tags == ("urgent", "work")


def test_project_matches_case_insensitively_and_is_created_once(store: Store) -> None:
    store.ensure_container("Home")
    records = [rec(U1, "a", project="home"), rec(U2, "b", project="Garden"),
               rec(U3, "c", project="garden")]  # fmt: skip
    store.import_records(records, label="i")
    items = by_uuid(store)
    assert items[U1].project == "Home"
    assert items[U2].project == "Garden" and items[U3].project == "Garden"
    assert sorted(c.name for c in store.containers()) == ["Garden", "Home"]


def test_depends_within_file_and_on_store(store: Store) -> None:
    outside = store.add_item(ParsedItem(title="Outside"))
    records = [rec(U2, "b", depends=(U1, outside.uuid)), rec(U1, "a")]
    store.import_records(records, label="i")
    items = by_uuid(store)
    assert items[U2].depends == tuple(sorted((items[U1].id, outside.id)))
    assert items[U2].blocked is True


def test_depends_added_to_existing_item_on_a_new_record(store: Store) -> None:
    store.import_records([rec(U1, "a")], label="i1")
    store.import_records([rec(U1, "a", depends=(U2,)), rec(U2, "b")], label="i2")
    items = by_uuid(store)
    assert items[U1].depends == (items[U2].id,)


def test_unknown_dependency_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError, match=r"task b: depends on 'nope'"):
        store.import_records([rec(U1, "a"), rec(U2, "b", depends=("nope",))], label="i")
    assert store.list_items(EVERY) == []


def test_cycle_in_file_is_refused(store: Store) -> None:
    records = [rec(U1, "a", depends=(U2,)), rec(U2, "b", depends=(U1,))]
    with pytest.raises(DependencyCycle, match="cycle"):
        store.import_records(records, label="i")
    with pytest.raises(DependencyCycle):
        store.import_records([rec(U1, "a", depends=(U1,))], label="i")
    assert store.list_items(EVERY) == []


def test_cycle_through_store_links_is_refused(store: Store) -> None:
    store.import_records([rec(U1, "a"), rec(U2, "b", depends=(U1,))], label="i1")
    with pytest.raises(DependencyCycle, match="cycle"):
        store.import_records([rec(U1, "a", depends=(U2,))], label="i2")
    items = by_uuid(store)
    assert items[U1].depends == () and items[U2].depends == (items[U1].id,)


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([ImportRecord(uid=U1, title="  ", where="line 3")], "line 3: an item needs a title"),
        ([ImportRecord(uid=U1, title="\x1b[31m", where="line 4")], "line 4: an item needs"),
        (
            [
                ImportRecord(uid=U1, title="a", where="line 2"),
                ImportRecord(uid=U1.upper(), title="b", where="line 5"),
            ],
            "line 5: the same item as line 2",
        ),
        ([ImportRecord(uid="x", title="a", estimate_minutes=-1)], "record #2: the estimate"),
        ([ImportRecord(uid=" ", title="a")], "record #2: the record has no uid"),
        (
            [ImportRecord(uid="x", title="a", recurrence=Recurrence("FREQ=SOMETIMES"))],
            "record #2: Cannot repeat",
        ),
    ],
)
def test_bad_records_write_nothing(store: Store, records: list[ImportRecord], message: str) -> None:
    store.import_records([rec(U3, "keep")], label="first")
    version = store.data_version()
    with pytest.raises(ValidationError, match=message):
        store.import_records([rec(U2, "ok"), *records], label="bad")
    assert store.data_version() == version
    assert list(by_uuid(store)) == [U3]


def test_error_leaves_sqlite_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    store = open_store(str(path), actor="alice")
    store.import_records([rec(U1, "a", tags=("x",), project="P")], label="i1")
    store.close()

    def counts() -> dict[str, int]:
        with sqlite3.connect(path) as conn:
            tables = ["item", "tag", "item_tag", "container", "person", "activity", "action"]
            return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}

    before = counts()
    store = open_store(str(path), actor="alice")
    bad = [
        rec(U2, "new", tags=("y",), project="Q", assignees=("zed",)),
        rec(U1, "changed"),
        rec(U3, "c", depends=("no-such-item",)),
    ]
    with pytest.raises(ValidationError):
        store.import_records(bad, label="bad")
    # a failure found only after the writes started (a cycle through stored links)
    store.import_records([rec(U2, "b", depends=(U1,))], label="i2")
    before = counts()
    with pytest.raises(DependencyCycle):
        store.import_records([rec(U3, "new", tags=("z",)), rec(U1, "a", depends=(U2,))], label="x")
    store.close()
    assert counts() == before


def test_recurrence_creates_series_and_updates_rule(store: Store) -> None:
    daily = Recurrence("FREQ=DAILY")
    due = datetime(2026, 11, 30, 9, 0)
    store.import_records([rec(U1, "Stand-up", recurrence=daily, due=due)], label="i1")
    item = by_uuid(store)[U1]
    assert item.recurrence == daily and item.occurrence == date(2026, 11, 30)
    weekly = Recurrence("FREQ=WEEKLY", RecurrenceAnchor.COMPLETION)
    report = store.import_records([rec(U1, "Stand-up", recurrence=weekly, due=due)], label="i2")
    assert report.updated == 1
    again = by_uuid(store)[U1]
    assert again.recurrence == weekly and again.series_id == item.series_id
    store.import_records([rec(U1, "Stand-up", due=due)], label="i3")
    assert by_uuid(store)[U1].recurrence is None
    store.import_records([rec(U1, "Stand-up", due=due, recurrence=daily)], label="i4")
    reattached = by_uuid(store)[U1]
    assert reattached.recurrence == daily and reattached.series_id != item.series_id
    store.complete_item(reattached.id)  # the series template works like add_item's
    (nxt,) = store.list_items()
    assert nxt.title == "Stand-up" and nxt.occurrence == date(2026, 12, 1)


def test_hard_wip_limit_refuses(store: Store) -> None:
    started = store.first_status(StatusCategory.STARTED)
    store.set_wip_limits(started.id, wip_max=1, hard=True)
    records = [
        rec(U1, "a", state=StatusCategory.STARTED),
        rec(U2, "b", state=StatusCategory.STARTED),
    ]
    with pytest.raises(ValidationError, match="hard WIP limit"):
        store.import_records(records, label="i")
    assert store.list_items(EVERY) == []


def test_fixed_number_of_queries(store: Store) -> None:
    def records(n: int, title: str) -> list[ImportRecord]:
        return [
            ImportRecord(
                uid=str(uuidlib.UUID(int=k + 1)),
                title=f"{title} {k}",
                project=f"P{k % 3}",
                tags=(f"t{k % 5}", "all"),
                assignees=(f"u{k % 4}",),
                depends=(str(uuidlib.UUID(int=k)),) if k else (),
                state=StatusCategory.COMPLETED if k % 2 else StatusCategory.UNSTARTED,
            )
            for k in range(n)
        ]

    counts = []
    for n in (10, 200):
        with count_queries() as small:
            store.import_records(records(n, f"new{n}"), label="i")
        counts.append(small.count)
        store.undo()
    # only the chunked activity insert (200 rows a statement) grows with the size
    assert counts[0] < 40 and counts[1] - counts[0] <= 8, counts
    store.import_records(records(10, "x"), label="i")
    update_counts = []
    for n, title in ((10, "y"), (200, "z")):
        store.import_records(records(n, "base"), label="i")
        with count_queries() as c:
            store.import_records(records(n, title), label="i")
        update_counts.append(c.count)
    assert update_counts[0] < 50 and update_counts[1] - update_counts[0] <= 8, update_counts


def test_report_ids_follow_record_order(store: Store) -> None:
    report = store.import_records([rec(U2, "b"), rec(U1, "a")], label="i")
    assert isinstance(report, ImportReport)
    items = store.get_items(list(report.created_ids))
    assert [i.uuid for i in items] == [U2, U1]
