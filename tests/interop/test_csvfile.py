"""CSV in and out: headers, every column, errors with line and column, any bytes."""

from __future__ import annotations

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
from taskdesk.interop.csvfile import COLUMNS, export_csv, parse_csv

U1 = "a1b2c3d4-0000-4000-8000-000000000001"


def test_every_column() -> None:
    text = (
        "UUID,Title,Status,Project,Priority,Due,Start,Wait,Tags,Assignees,Recurrence,"
        "Estimate,Notes,Completed,Created\r\n"
        f"{U1},Write report,done,Work,h,2026-12-01T17:00,2026-11-30,2026-11-29T08:30,"
        f'+a b,@bob carol,every weekly,1h30m,"line 1\nline 2",2026-12-02T10:00:00,'
        f"2026-01-02T03:04:05\r\n"
    )
    (record,) = parse_csv(text, "t.csv")
    assert record.uid == U1 and record.title == "Write report"
    assert record.state is StatusCategory.COMPLETED
    assert record.project == "Work" and record.priority is Priority.HIGH
    assert record.due == datetime(2026, 12, 1, 17, 0)
    assert record.start == datetime(2026, 11, 30)
    assert record.wait == datetime(2026, 11, 29, 8, 30)
    assert record.tags == ("a", "b") and record.assignees == ("bob", "carol")
    assert record.recurrence == Recurrence("FREQ=WEEKLY")
    assert record.estimate_minutes == 90
    assert record.notes == "line 1\nline 2"
    assert record.completed == datetime(2026, 12, 2, 10, 0)
    assert record.created == datetime(2026, 1, 2, 3, 4, 5)
    assert record.where == "line 2"
    assert record.fields is not None and "estimate_minutes" in record.fields


def test_subset_of_columns_and_identity_without_uuid() -> None:
    text = "title,due\nA,2026-12-01\n\nB,\nA,\n"
    records = parse_csv(text, "t.csv")
    assert [r.title for r in records] == ["A", "B", "A"]
    assert [r.where for r in records] == ["line 2", "line 4", "line 5"]
    assert records[0].fields == frozenset({"title", "due"})
    assert len({r.item_uuid for r in records}) == 3
    again = parse_csv(text, "other name.csv")
    assert [r.item_uuid for r in again] == [r.item_uuid for r in records]


@pytest.mark.parametrize(
    ("status", "state"),
    [("", StatusCategory.UNSTARTED), ("To Do", StatusCategory.UNSTARTED),
     ("in  progress", StatusCategory.STARTED), ("started", StatusCategory.STARTED),
     ("Done", StatusCategory.COMPLETED), ("cancelled", StatusCategory.CANCELLED),
     ("backlog", StatusCategory.BACKLOG), ("deleted", StatusCategory.CANCELLED)],
)  # fmt: skip
def test_statuses(status: str, state: StatusCategory) -> None:
    (record,) = parse_csv(f"title,status\nx,{status}\n", "t.csv")
    assert record.state is state


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "t.csv: the file is empty"),
        ("name,due\nx,\n", "t.csv: line 1: unknown column 'name'"),
        ("due\n2026-01-01\n", "t.csv: line 1: a title column is required"),
        ("title,Title\nx,y\n", "column 'title' appears twice"),
        ("title,due\nx,2026-13-01\n", r"t.csv: line 2, column due: '2026-13-01' is not a date"),
        ("title,due\nok,\n\nx,friday\n", "t.csv: line 4, column due"),
        ('title,notes\nok,"a\nb"\nx,,extra\n', "t.csv: line 4: 3 cells for 2 columns"),
        ("title,priority\nx,Z\n", "line 2, column priority: 'Z' is not H, M or L"),
        ("title,status\nx,maybe\n", "line 2, column status: 'maybe' is not a status"),
        ("title,estimate\nx,lots\n", "line 2, column estimate"),
        ("title,recurrence\nx,every blue moon\n", "line 2, column recurrence"),
        ("title,due\n ,2026-01-01\n", "line 2, column title: the title is empty"),
        ('title\n"unclosed\n', "t.csv: line .*not valid CSV"),
    ],
)
def test_errors_name_line_and_column(text: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        parse_csv(text, "t.csv")


def make_item(**kwargs: object) -> Item:
    values: dict[str, object] = {
        "id": 1,
        "uuid": U1,
        "title": 'Write, "quoted" report',
        "status_id": 5,
        "status": "Done",
        "category": StatusCategory.COMPLETED,
        "project": "Work",
        "priority": Priority.LOW,
        "due": datetime(2026, 12, 1, 17, 0),
        "start": datetime(2026, 11, 30, 9, 0),
        "wait": datetime(2026, 11, 29, 8, 0),
        "tags": ("a", "b"),
        "assignees": (Assignment("bob"), Assignment("carol")),
        "recurrence": Recurrence("FREQ=DAILY;INTERVAL=3", RecurrenceAnchor.COMPLETION),
        "estimate_minutes": 45,
        "notes": "first\nsecond, with comma",
        "completed": datetime(2026, 12, 2, 10, 0, 5),
        "created": datetime(2026, 1, 2, 3, 4, 5),
    }
    values.update(kwargs)
    return Item(**values)  # type: ignore[arg-type]


def test_export_then_import_keeps_fields() -> None:
    source = make_item()
    text = export_csv([source])
    assert text.splitlines()[0] == ",".join(COLUMNS)
    (record,) = parse_csv(text, "t.csv")
    assert record.uid == source.uuid and record.title == source.title
    assert record.state is source.category and record.project == source.project
    assert record.priority is source.priority
    assert (record.due, record.start, record.wait) == (source.due, source.start, source.wait)
    assert record.tags == source.tags and record.assignees == ("bob", "carol")
    assert record.recurrence == source.recurrence
    assert record.estimate_minutes == 45 and record.notes == source.notes
    assert record.completed == source.completed and record.created == source.created


_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20
).filter(lambda t: t.strip() == t and t)


@settings(max_examples=100, deadline=None)
@given(
    title=_line,
    project=st.none() | _line,
    tags=st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True), max_size=3, unique=True),
    due=st.none()
    | st.datetimes(min_value=datetime(1900, 1, 1)).map(lambda d: d.replace(microsecond=0)),
    notes=st.text(alphabet='ab ,"\n', max_size=20).map(lambda t: t.strip("\n")),
)
def test_round_trip_property(
    title: str, project: str | None, tags: list[str], due: datetime | None, notes: str
) -> None:
    source = make_item(title=title, project=project, tags=tuple(tags), due=due, notes=notes)
    (record,) = parse_csv(export_csv([source]), "t.csv")
    assert (record.title, record.project, record.tags, record.due) == (
        title,
        project,
        tuple(tags),
        due,
    )
    assert record.notes == notes


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_records_or_a_file_error(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    try:
        records = parse_csv(text, "t.csv")
    except ImportFileError as exc:
        assert str(exc).startswith("t.csv:")
    else:
        assert all(r.title for r in records)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.text(alphabet='ab1-:T ,"\n+@', max_size=12), max_size=5), max_size=4))
def test_any_cells_under_a_known_header(rows: list[list[str]]) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "due", "tags", "estimate", "status"])
    writer.writerows(rows)
    try:
        parse_csv(out.getvalue(), "t.csv")
    except ImportFileError as exc:
        assert str(exc).startswith("t.csv: line ")
