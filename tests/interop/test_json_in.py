"""taskdesk's own JSON back in: the keys of ``list --json``, partial objects, any bytes."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskdesk.domain.importing import ImportFileError
from taskdesk.domain.model import (
    Assignment,
    Item,
    Priority,
    Recurrence,
    RecurrenceAnchor,
    StatusCategory,
)
from taskdesk.interop.json_in import (
    looks_like_taskwarrior,
    parse_items_json,
    resolve_ids,
)
from taskdesk.interop.json_out import item_to_json

U1 = "a1b2c3d4-0000-4000-8000-000000000001"
U2 = "a1b2c3d4-0000-4000-8000-000000000002"
NOW = datetime(2026, 11, 25, 10, 0)


def make_item(**kwargs: object) -> Item:
    values: dict[str, object] = {
        "id": 7,
        "uuid": U1,
        "title": "Write report",
        "status_id": 3,
        "status": "In progress",
        "category": StatusCategory.STARTED,
        "project": "Work",
        "priority": Priority.MEDIUM,
        "due": datetime(2026, 12, 1, 17, 0),
        "start": datetime(2026, 11, 30, 9, 0),
        "wait": datetime(2026, 11, 29, 8, 0),
        "tags": ("a", "b"),
        "assignees": (Assignment("bob"),),
        "recurrence": Recurrence("FREQ=WEEKLY;BYDAY=MO", RecurrenceAnchor.SCHEDULE),
        "estimate_minutes": 30,
        "milestone": True,
        "notes": "n1\nn2",
        "depends": (8, 99),
        "created": datetime(2026, 1, 2, 3, 4, 5),
    }
    values.update(kwargs)
    return Item(**values)  # type: ignore[arg-type]


def test_export_objects_round_trip() -> None:
    first = make_item()
    second = make_item(id=8, uuid=U2, title="Pred", depends=(), recurrence=None,
                       category=StatusCategory.COMPLETED, status="Done",
                       completed=datetime(2026, 11, 20, 9, 0))  # fmt: skip
    text = json.dumps([item_to_json(i, now=NOW) for i in (first, second)])
    a, b = parse_items_json(text, "e.json")
    assert a.uid == U1 and a.title == "Write report"
    assert a.state is StatusCategory.STARTED and a.project == "Work"
    assert a.priority is Priority.MEDIUM
    assert (a.due, a.start, a.wait) == (first.due, first.start, first.wait)
    assert a.tags == ("a", "b") and a.assignees == ("bob",)
    assert a.recurrence == first.recurrence and a.estimate_minutes == 30
    assert a.milestone is True and a.notes == "n1\nn2"
    assert a.depends == (U2, "#99")  # an id of the file → its uuid; others for the store
    assert a.created == first.created and a.where == f"item #1 (uuid {U1})"
    assert b.state is StatusCategory.COMPLETED and b.completed == datetime(2026, 11, 20, 9, 0)


def test_after_recurrence_and_partial_objects() -> None:
    text = json.dumps([{"uuid": U1, "title": "x", "recurrence": "after FREQ=DAILY;INTERVAL=3",
                        "status": "Done"}])  # fmt: skip
    (record,) = parse_items_json(text, "e.json")
    assert record.recurrence == Recurrence("FREQ=DAILY;INTERVAL=3", RecurrenceAnchor.COMPLETION)
    assert record.fields == frozenset({"title", "recurrence"})  # "Done" is a column, no category
    (single,) = parse_items_json(json.dumps({"uuid": U1, "title": "y", "status": "completed"}), "e")
    assert single.state is StatusCategory.COMPLETED and "state" in (single.fields or ())


def test_resolve_ids_asks_the_store_once() -> None:
    text = json.dumps([{"uuid": U1, "title": "x", "depends": [5, 6, U2]}])
    records = parse_items_json(text, "e.json")
    asked: list[list[int]] = []

    def lookup(ids: list[int]) -> dict[int, str]:
        asked.append(ids)
        return {5: "uuid-five"}

    (record,) = resolve_ids(records, lookup)
    assert asked == [[5, 6]]
    assert record.depends == ("uuid-five", "#6", U2)


def test_taskwarrior_detection() -> None:
    assert looks_like_taskwarrior([{"description": "x", "uuid": U1}])
    assert not looks_like_taskwarrior([{"title": "x", "uuid": U1}])
    assert not looks_like_taskwarrior({"description": "x"})
    assert not looks_like_taskwarrior([])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[", "e.json: line 1: not valid JSON"),
        ('\n\n{"a": }', "e.json: line 3: not valid JSON"),
        ("3", "e.json: expected an array of items"),
        ("[3]", "e.json: item #1: an item must be a JSON object"),
        ('[{"title": "x"}]', "e.json: item #1: the item has no uuid"),
        ('[{"uuid": "u", "title": " "}]', r"item #1 \(uuid u\): the item has no title"),
        ('[{"uuid": "u", "title": "x", "due": "soon"}]', "due 'soon' is not an ISO date"),
        ('[{"uuid": "u", "title": "x", "priority": "Z"}]', "priority 'Z' is not H"),
        ('[{"uuid": "u", "title": "x", "tags": "a"}]', "tags must be a list of text"),
        ('[{"uuid": "u", "title": "x", "category": "odd"}]', "unknown category 'odd'"),
        ('[{"uuid": "u", "title": "x", "recurrence": "every never"}]', "recurrence: "),
        ('[{"uuid": "u", "title": "x", "estimate_minutes": -5}]', "estimate_minutes must be"),
        ('[{"uuid": "u", "title": "x", "milestone": "yes"}]', "milestone must be true or false"),
        ('[{"uuid": "u", "title": "x", "depends": [null]}]', "depends must be a list"),
    ],
)
def test_bad_files_name_the_item(text: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        parse_items_json(text, "e.json")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_records_or_a_file_error(data: bytes) -> None:
    try:
        parse_items_json(data.decode("utf-8", errors="replace"), "e.json")
    except ImportFileError as exc:
        assert str(exc).startswith("e.json:")


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
_keys = st.sampled_from(
    ["uuid", "title", "status", "category", "project", "priority", "due", "start", "wait",
     "tags", "assignees", "recurrence", "notes", "estimate_minutes", "milestone", "depends",
     "completed", "created", "id"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(_keys, _values, max_size=10), max_size=4))
def test_any_item_objects_give_records_or_a_file_error(objs: list[dict[str, object]]) -> None:
    try:
        parse_items_json(json.dumps(objs), "e.json")
    except ImportFileError as exc:
        assert str(exc).startswith("e.json:")
