"""Taskwarrior export in and out: every attribute, every file shape, any bytes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskdesk.domain.importing import ImportFileError
from taskdesk.domain.model import Item, Priority, Recurrence, StatusCategory
from taskdesk.interop.taskwarrior import (
    export_taskwarrior,
    parse_taskwarrior,
    tw_date,
    tw_recur,
    tw_rule,
)

U1 = "a1b2c3d4-0000-4000-8000-000000000001"
U2 = "a1b2c3d4-0000-4000-8000-000000000002"
U3 = "a1b2c3d4-0000-4000-8000-000000000003"


def local(text: str) -> datetime:
    """A Taskwarrior UTC stamp as the naive local time the importer must produce."""
    return (
        datetime.strptime(text, "%Y%m%dT%H%M%SZ")
        .replace(tzinfo=UTC)
        .astimezone()
        .replace(tzinfo=None)
    )


FULL = {
    "id": 1,
    "description": "Buy milk",
    "entry": "20261120T090000Z",
    "modified": "20261121T090000Z",
    "status": "pending",
    "uuid": U1,
    "tags": ["home", "errand"],
    "project": "Home.Kitchen",
    "priority": "H",
    "due": "20261124T170000Z",
    "scheduled": "20261123T080000Z",
    "wait": "20261122T070000Z",
    "until": "20261231T000000Z",
    "annotations": [
        {"entry": "20261121T100000Z", "description": "semi-skimmed"},
        {"entry": "20261122T100000Z", "description": "two litres"},
    ],
    "urgency": 9.1,
    "myuda": "ignored",
}


def test_every_attribute_of_a_pending_task() -> None:
    (record,) = parse_taskwarrior(json.dumps([FULL]), "tw.json")
    assert record.uid == U1 and record.item_uuid == U1
    assert record.title == "Buy milk"
    assert record.state is StatusCategory.UNSTARTED
    assert record.created == local("20261120T090000Z")
    assert record.due == local("20261124T170000Z")
    assert record.start == local("20261123T080000Z")
    assert record.wait == local("20261122T070000Z")
    assert record.completed is None
    assert record.priority is Priority.HIGH
    assert record.project == "Home.Kitchen"
    assert record.tags == ("home", "errand")
    day1 = local("20261121T100000Z").date().isoformat()
    day2 = local("20261122T100000Z").date().isoformat()
    assert record.notes == f"{day1}: semi-skimmed\n{day2}: two litres"
    assert record.recurrence is None and record.depends == ()
    assert record.where == f"task #1 (uuid {U1})"
    assert record.fields is not None and "assignees" not in record.fields


@pytest.mark.parametrize(
    ("status", "extra", "state"),
    [
        ("pending", {}, StatusCategory.UNSTARTED),
        ("pending", {"start": "20261121T090000Z"}, StatusCategory.STARTED),
        ("waiting", {"wait": "20301121T090000Z"}, StatusCategory.UNSTARTED),
        ("completed", {"end": "20261122T090000Z"}, StatusCategory.COMPLETED),
        ("deleted", {"end": "20261122T090000Z"}, StatusCategory.CANCELLED),
    ],
)
def test_status_mapping(status: str, extra: dict[str, str], state: StatusCategory) -> None:
    task = {"uuid": U1, "description": "t", "status": status, **extra}
    (record,) = parse_taskwarrior(json.dumps([task]), "f")
    assert record.state is state
    if state.is_closed:
        assert record.completed == local("20261122T090000Z")
    else:
        assert record.completed is None


def test_recurring_template_absorbs_its_children() -> None:
    tasks = [
        {"uuid": U1, "description": "Pay rent", "status": "recurring", "recur": "monthly",
         "due": "20261101T090000Z", "mask": "-+"},
        {"uuid": U2, "description": "Pay rent", "status": "completed", "parent": U1,
         "due": "20261101T090000Z", "end": "20261101T100000Z"},
        {"uuid": U3, "description": "Pay rent", "status": "pending", "parent": U1,
         "due": "20261201T090000Z"},
        {"uuid": "a1b2c3d4-0000-4000-8000-000000000009", "description": "After rent",
         "depends": [U3]},
    ]  # fmt: skip
    records = parse_taskwarrior(json.dumps(tasks), "f")
    assert [r.uid for r in records] == [U1, "a1b2c3d4-0000-4000-8000-000000000009"]
    template = records[0]
    assert template.recurrence == Recurrence("FREQ=MONTHLY")
    assert template.due == local("20261201T090000Z")  # the first pending instance
    assert template.state is StatusCategory.UNSTARTED
    assert records[1].depends == (U1,)  # a child stands for its template


def test_orphan_child_is_a_plain_item() -> None:
    task = {"uuid": U2, "description": "x", "status": "pending", "parent": U1}
    (record,) = parse_taskwarrior(json.dumps([task]), "f")
    assert record.uid == U2 and record.recurrence is None


@pytest.mark.parametrize(
    ("recur", "rule"),
    [
        ("daily", "FREQ=DAILY"),
        ("weekly", "FREQ=WEEKLY"),
        ("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("biweekly", "FREQ=WEEKLY;INTERVAL=2"),
        ("fortnight", "FREQ=WEEKLY;INTERVAL=2"),
        ("monthly", "FREQ=MONTHLY"),
        ("quarterly", "FREQ=MONTHLY;INTERVAL=3"),
        ("semiannual", "FREQ=MONTHLY;INTERVAL=6"),
        ("yearly", "FREQ=YEARLY"),
        ("annual", "FREQ=YEARLY"),
        ("3d", "FREQ=DAILY;INTERVAL=3"),
        ("2w", "FREQ=WEEKLY;INTERVAL=2"),
        ("2wks", "FREQ=WEEKLY;INTERVAL=2"),
        ("6m", "FREQ=MONTHLY;INTERVAL=6"),
        ("2mo", "FREQ=MONTHLY;INTERVAL=2"),
        ("1y", "FREQ=YEARLY"),
        ("2q", "FREQ=MONTHLY;INTERVAL=6"),
        ("P3D", "FREQ=DAILY;INTERVAL=3"),
        ("P1W", "FREQ=WEEKLY"),
    ],
)
def test_recur_periods(recur: str, rule: str) -> None:
    task = {"uuid": U1, "description": "r", "status": "recurring", "recur": recur,
            "due": "20261101T090000Z"}  # fmt: skip
    (record,) = parse_taskwarrior(json.dumps([task]), "f")
    assert record.recurrence == Recurrence(rule)


@pytest.mark.parametrize("recur", ["1h", "30min", "sometimes", ""])
def test_bad_recur_names_the_task(recur: str) -> None:
    task = {"uuid": U1, "description": "r", "status": "recurring", "recur": recur}
    with pytest.raises(ImportFileError, match=rf"^f: task #1 \(uuid {U1}\): "):
        parse_taskwarrior(json.dumps([task]), "f")


def test_depends_as_comma_string_and_array() -> None:
    tasks = [
        {"uuid": U1, "description": "a", "depends": f"{U2},{U3}"},
        {"uuid": U2, "description": "b", "depends": [U3]},
        {"uuid": U3, "description": "c"},
    ]
    records = parse_taskwarrior(json.dumps(tasks), "f")
    assert [r.depends for r in records] == [(U2, U3), (U3,), ()]


def test_json_lines_and_data_files() -> None:
    lines = "\n".join(
        json.dumps({"uuid": u, "description": f"t{n}"}) for n, u in enumerate([U1, U2])
    )
    assert [r.title for r in parse_taskwarrior(lines + "\n", "f")] == ["t0", "t1"]
    data = (
        f'[description:"Fix \\"the\\" bug" entry:"1700000000" project:"Work" status:"pending" '
        f'tags:"a,b" uuid:"{U1}" annotation_1700000100:"note one"]\n'
        f'[description:"Done one" end:"1700000200" status:"completed" uuid:"{U2}"]\n'
    )
    first, second = parse_taskwarrior(data, "pending.data")
    assert first.title == 'Fix "the" bug' and first.project == "Work"
    assert first.tags == ("a", "b") and first.where == f"line 1 (uuid {U1})"
    assert first.notes.endswith(": note one")
    assert second.state is StatusCategory.COMPLETED


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "f: the file is empty"),
        ("[1, 2", "f: line 1: not valid JSON"),
        ('{"a": 1}\n{"b"', "f: line 2: not valid JSON"),
        ('{"description": "x"}', "f: line 1: .*uuid"),
        ('[{"uuid": "u", "status": "pending"}]', r"f: task #1 \(uuid u\): the task has no"),
        ('[{"uuid": "u", "description": "d", "status": "odd"}]', "unknown status 'odd'"),
        ('[{"uuid": "u", "description": "d", "status": []}]', r"unknown status \[\]"),
        ('[{"uuid": "u", "description": "d", "due": "tomorrow"}]', "due 'tomorrow' is not a date"),
        ('[{"uuid": "u", "description": "d", "priority": "X"}]', "priority 'X' is not H"),
        ('[{"uuid": "u", "description": "d", "tags": "a"}, 3]', "f: task #2: a task must be"),
        ('[description:"x" broken]', "f: line 1: cannot read"),
        ('"just text"', "f: line 1: a task must be a JSON object"),
    ],
)
def test_bad_files_name_the_place(text: str, message: str) -> None:
    if "uuid" in message and message.startswith("f: line 1: .*"):
        (record,) = parse_taskwarrior(text, "f")  # no uuid: a stable one is derived
        assert record.uid.startswith("taskwarrior:")
        return
    with pytest.raises(ImportFileError, match=message):
        parse_taskwarrior(text, "f")


def item(**kwargs: object) -> Item:
    values: dict[str, object] = {
        "id": 1,
        "uuid": U1,
        "title": "Buy milk",
        "status_id": 2,
        "status": "To do",
        "category": StatusCategory.UNSTARTED,
        "created": datetime(2026, 11, 20, 9, 0),
        "updated": datetime(2026, 11, 21, 9, 0),
    }
    values.update(kwargs)
    return Item(**values)  # type: ignore[arg-type]


NOW = datetime(2026, 11, 25, 10, 0)


def test_export_writes_task_import_format() -> None:
    items = [
        item(due=datetime(2026, 11, 24, 17, 0), start=datetime(2026, 11, 23, 8, 0),
             priority=Priority.MEDIUM, project="Home", tags=("a", "b"), depends=(2,),
             notes="2026-11-21: semi-skimmed\nplain line"),
        item(id=2, uuid=U2, title="Done", category=StatusCategory.COMPLETED,
             completed=datetime(2026, 11, 22, 9, 0)),
        item(id=3, uuid=U3, title="Daily", recurrence=Recurrence("FREQ=DAILY"),
             due=datetime(2026, 11, 26, 9, 0)),
    ]  # fmt: skip
    text = export_taskwarrior(items, {1: U1, 2: U2, 3: U3}, NOW)
    assert text.startswith("[\n") and text.endswith("\n]\n")
    tasks = json.loads(text)
    first = tasks[0]
    assert first["uuid"] == U1 and first["description"] == "Buy milk"
    assert first["status"] == "pending" and first["priority"] == "M"
    assert first["due"] == tw_date(datetime(2026, 11, 24, 17, 0))
    assert first["scheduled"] == tw_date(datetime(2026, 11, 23, 8, 0))
    assert first["entry"] == tw_date(datetime(2026, 11, 20, 9, 0))
    assert first["modified"] == tw_date(datetime(2026, 11, 21, 9, 0))
    assert first["tags"] == ["a", "b"] and first["depends"] == [U2]
    assert [a["description"] for a in first["annotations"]] == ["semi-skimmed", "plain line"]
    assert tasks[1]["status"] == "completed" and tasks[1]["end"] == tw_date(
        datetime(2026, 11, 22, 9, 0)
    )
    assert tasks[2]["status"] == "recurring" and tasks[2]["recur"] == "daily"


@pytest.mark.parametrize(
    ("rule", "recur"),
    [
        ("FREQ=DAILY", "daily"),
        ("FREQ=WEEKLY;INTERVAL=2", "2w"),
        ("FREQ=MONTHLY;INTERVAL=3", "3mo"),
        ("FREQ=YEARLY", "yearly"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "weekdays"),
        ("FREQ=WEEKLY;BYDAY=MO,WE", None),
    ],
)
def test_rules_as_taskwarrior_periods(rule: str, recur: str | None) -> None:
    assert tw_recur(Recurrence(rule)) == recur
    if recur is not None:
        assert (
            Recurrence(rule).rrule
            == __import__("taskdesk.domain.recurrence", fromlist=["parse_every"])
            .parse_every(tw_rule(recur))
            .rrule
        )


def test_round_trip_keeps_fields() -> None:
    records = parse_taskwarrior(json.dumps([FULL]), "f")
    record = records[0]
    exported = item(
        title=record.title, priority=record.priority, due=record.due, start=record.start,
        wait=record.wait, project=record.project, tags=tuple(sorted(record.tags)),
        notes=record.notes, created=record.created,
    )  # fmt: skip
    (again,) = parse_taskwarrior(export_taskwarrior([exported], {}, NOW), "f")
    assert (again.uid, again.title, again.priority, again.due, again.start, again.wait) == (
        record.uid, record.title, record.priority, record.due, record.start, record.wait
    )  # fmt: skip
    assert again.project == record.project and sorted(again.tags) == sorted(record.tags)
    assert again.notes == record.notes and again.created == record.created


_dates = st.datetimes(min_value=datetime(1971, 1, 2), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0)
)


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(min_size=1, max_size=30).filter(lambda t: t.strip()),
    due=st.none() | _dates,
    tags=st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), max_size=3, unique=True),
    priority=st.none() | st.sampled_from(list(Priority)),
    done=st.booleans(),
)
def test_round_trip_property(
    title: str, due: datetime | None, tags: list[str], priority: Priority | None, done: bool
) -> None:
    category = StatusCategory.COMPLETED if done else StatusCategory.UNSTARTED
    source = item(title=title, due=due, tags=tuple(tags), priority=priority, category=category,
                  completed=datetime(2026, 11, 22, 9, 0) if done else None)  # fmt: skip
    (record,) = parse_taskwarrior(export_taskwarrior([source], {}, NOW), "f")
    assert record.title == title and record.due == due and record.tags == tuple(tags)
    assert record.priority == priority and record.state is category
    assert record.completed == source.completed


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_records_or_a_file_error(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    try:
        records = parse_taskwarrior(text, "f")
    except ImportFileError as exc:
        assert str(exc).startswith("f:")
    else:
        assert all(r.title.strip() for r in records)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_task_keys = st.sampled_from(
    ["uuid", "description", "status", "entry", "end", "due", "scheduled", "wait", "priority",
     "project", "tags", "annotations", "depends", "recur", "parent", "start"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(_task_keys, _json_values, max_size=8), max_size=4))
def test_any_task_objects_give_records_or_a_file_error(tasks: list[dict[str, object]]) -> None:
    try:
        parse_taskwarrior(json.dumps(tasks), "f")
    except ImportFileError as exc:
        assert str(exc).startswith("f:")
