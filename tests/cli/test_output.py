"""The pure output functions: the JSON item object, the ``list`` table, the ``show`` page."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from taskdesk.cli import render
from taskdesk.domain.model import (
    Activity,
    Assignment,
    Comment,
    ContainerKind,
    Item,
    Priority,
    Recurrence,
    RecurrenceAnchor,
    StatusCategory,
)
from taskdesk.domain.urgency import urgency
from taskdesk.interop.json_out import ITEM_KEYS, item_to_json

NOW = datetime(2026, 11, 25, 10, 30)


def make_item(**changes: object) -> Item:
    base: dict[str, object] = {
        "id": 7,
        "uuid": "0f8b1c2e-1111-4222-8333-444455556666",
        "title": "Renew the TLS certificate",
        "status_id": 2,
        "status": "To do",
        "category": StatusCategory.UNSTARTED,
        "project": "Ops",
        "project_kind": ContainerKind.AREA,
        "priority": Priority.HIGH,
        "due": datetime(2026, 12, 1, 17, 0),
        "start": datetime(2026, 11, 20, 0, 0),
        "tags": ("security", "cert"),
        "assignees": (Assignment("carol"), Assignment("dave", 0.5)),
        "created": NOW - timedelta(days=10),
        "updated": NOW - timedelta(days=1),
        "created_by": "carol",
    }
    base.update(changes)
    return Item(**base)  # type: ignore[arg-type]


def test_item_json_has_exactly_the_documented_keys_and_shapes() -> None:
    data = item_to_json(make_item(), now=NOW)
    assert tuple(data) == ITEM_KEYS
    for key in ("id", "uuid", "title", "status", "project", "priority", "due", "start"):
        assert key in data
    assert data["id"] == 7
    assert data["status"] == "To do"
    assert data["category"] == "unstarted"
    assert data["project"] == "Ops"
    assert data["project_kind"] == "area"
    assert data["priority"] == "H"
    assert data["due"] == "2026-12-01T17:00:00"
    assert data["start"] == "2026-11-20T00:00:00"  # midnight keeps the same format
    assert data["wait"] is None
    assert data["tags"] == ["security", "cert"]
    assert data["assignees"] == ["carol", "dave"]
    assert data["recurrence"] is None
    assert data["completed"] is None
    assert data["urgency"] == round(urgency(make_item(), now=NOW).total, 3)
    assert "urgency_terms" not in data
    json.dumps(data)  # serialisable as is


def test_item_json_empty_fields_are_null_or_empty() -> None:
    item = make_item(
        project=None, project_kind=None, priority=None, due=None, start=None, tags=(), assignees=()
    )
    data = item_to_json(item, now=NOW)
    assert data["project"] is None
    assert data["priority"] is None
    assert data["due"] is None
    assert data["tags"] == []
    assert data["assignees"] == []


def test_item_json_recurrence_and_occurrence() -> None:
    item = make_item(
        recurrence=Recurrence("FREQ=WEEKLY;BYDAY=TU"),
        series_id=3,
        occurrence=date(2026, 12, 1),
    )
    data = item_to_json(item, now=NOW)
    assert data["recurrence"] == "every FREQ=WEEKLY;BYDAY=TU"
    assert data["occurrence"] == "2026-12-01"
    after = make_item(recurrence=Recurrence("FREQ=DAILY;INTERVAL=3", RecurrenceAnchor.COMPLETION))
    assert item_to_json(after, now=NOW)["recurrence"] == "after FREQ=DAILY;INTERVAL=3"


def test_item_json_terms_add_up_to_the_total() -> None:
    data = item_to_json(make_item(), now=NOW, terms=True)
    names = [term["name"] for term in data["urgency_terms"]]
    assert names[:2] == ["due", "priority"]
    assert {"name", "factor", "weight", "contribution"} == set(data["urgency_terms"][0])
    total = sum(term["contribution"] for term in data["urgency_terms"])
    assert total == pytest.approx(data["urgency"], abs=0.01)


def test_table_fits_80_columns_even_with_long_and_wide_titles() -> None:
    items = [
        make_item(id=1, title="x" * 200),
        make_item(id=12345, title="会議の準備をする" * 10, project="A very long project name"),
        make_item(id=3, title="Short", project=None, priority=None, due=None),
    ]
    rows = [(item, urgency(item, now=NOW).total) for item in items]
    lines = render.item_table(rows, now=NOW, width=80)
    assert lines[0].split()[:4] == ["ID", "Age", "Pri", "Due"]
    assert all(render.cell_width(line) <= 80 for line in lines)
    assert "…" in lines[2]
    assert lines[4].lstrip().startswith("3 ")


def test_table_marks_overdue_milestones_and_blocked_items() -> None:
    item = make_item(due=NOW - timedelta(days=2), milestone=True, blocked=True)
    line = render.item_table([(item, urgency(item, now=NOW).total)], now=NOW)[2]
    assert "2026-11-23!" in line
    assert "◆ Renew the TLS certificate [blocked]" in line


def test_table_cleans_hostile_titles() -> None:
    item = make_item(title="evil\x1b]0;pwned\x07 title\x1b[2J")
    line = render.item_table([(item, urgency(item, now=NOW).total)], now=NOW)[2]
    assert "\x1b" not in line
    assert "evil title" in line


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(minutes=5), "5min"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=21), "3w"),
        (timedelta(days=150), "5mo"),
        (timedelta(days=800), "2y"),
    ],
)
def test_age_text(delta: timedelta, text: str) -> None:
    assert render.age_text(NOW - delta, NOW) == text


def test_show_page_lists_fields_terms_comments_and_activity() -> None:
    item = make_item(notes="Line one\nLine two", depends=(3, 4), blocked=True)
    urg = urgency(item, now=NOW)
    comments = [Comment(1, 7, "bob", "Checked the \x1b[31mexpiry\x1b[0m", NOW)]
    activity = [
        Activity(1, 7, "carol", "status", "1", "2", NOW),
        Activity(2, 7, "carol", "title", '"Old"', '"New"', NOW),
    ]
    names = {1: "Backlog", 2: "To do"}
    page = "\n".join(
        render.show_page(
            item, urg, now=NOW, comments=comments, activity=activity, status_names=names
        )
    )
    assert page.startswith("Item 7: Renew the TLS certificate")
    assert "project     Ops (area)" in page
    assert "due         2026-12-01 17:00" in page
    assert "dave (50%)" in page
    assert "depends on  3, 4" in page
    assert f"Urgency {urg.total:.2f}" in page
    for term in urg.terms:
        assert f"  {term.name} " in page
    assert "× " in page
    assert "  Line two" in page
    assert "bob: Checked the expiry" in page
    assert "carol  status: Backlog → To do" in page
    assert 'title: "Old" → "New"' in page
    assert "\x1b" not in page


def test_show_page_of_a_closed_item_explains_zero_urgency() -> None:
    item = make_item(category=StatusCategory.COMPLETED, status="Done", completed=NOW)
    page = render.show_page(item, urgency(item, now=NOW), now=NOW)
    assert "Urgency 0.00" in page
    assert any("closed items" in line for line in page)
