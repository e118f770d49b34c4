"""What a card says and how the form reads its fields: exact, without a terminal."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from taskdesk.domain.model import (
    Assignment,
    Item,
    Priority,
    Recurrence,
    Status,
    StatusCategory,
)
from taskdesk.ui.screens.edit_form import changed_fields, parse_form
from taskdesk.ui.widgets.board_view import ColumnData, wip_label
from taskdesk.ui.widgets.card_text import card_text, fit

NOW = datetime(2026, 11, 25, 10, 30)


def make_item(**overrides: object) -> Item:
    fields: dict[str, object] = {
        "id": 7,
        "uuid": "0" * 32,
        "title": "Write the post",
        "status_id": 2,
        "status": "To do",
        "category": StatusCategory.UNSTARTED,
    }
    fields.update(overrides)
    return Item(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("hello", 10, "hello"),
        ("hello", 5, "hello"),
        ("hello world", 6, "hello…"),
        ("hello", 1, "…"),
        ("hello", 0, ""),
        ("日本語テキスト", 5, "日本…"),
    ],
)
def test_fit(text: str, width: int, expected: str) -> None:
    assert fit(text, width) == expected


def test_plain_card() -> None:
    lines = card_text(make_item(), NOW, 40)
    assert lines == ["· Write the post", "  unassigned", "  "]


def test_full_card_shows_every_state_in_words() -> None:
    item = make_item(
        priority=Priority.HIGH,
        due=NOW - timedelta(days=3),
        project="Support",
        tags=("bug", "vip"),
        assignees=(Assignment("bob"), Assignment("carol")),
        blocked=True,
        blocking=True,
        recurrence=Recurrence("FREQ=DAILY"),
        milestone=True,
    )
    lines = card_text(item, NOW, 80)
    assert lines[0] == "H ◆ Write the post"
    assert lines[1] == "  ! late 3d  @bob @carol"
    assert lines[2] == "  ⊘ blocked ↻ ⇢ blocking Support +bug +vip"


def test_due_in_future_and_closed_items_are_not_late() -> None:
    future = card_text(make_item(due=NOW + timedelta(days=1)), NOW, 40)
    assert future[1].startswith("  due ")
    done = make_item(due=NOW - timedelta(days=5), status="Done", category=StatusCategory.COMPLETED)
    assert "late" not in card_text(done, NOW, 40)[1]


def test_hostile_title_is_cleaned_on_the_card() -> None:
    lines = card_text(make_item(title="\x1b[2JEvil\u202e title\x07"), NOW, 40)
    assert lines[0] == "· Evil title"


def test_card_lines_fit_the_width() -> None:
    item = make_item(title="x" * 100, tags=tuple(f"t{i}" for i in range(30)))
    assert all(len(line) <= 20 for line in card_text(item, NOW, 20))


def _column(
    count: int, *, wip_max: int | None = None, wip_min: int | None = None, note: str = ""
) -> ColumnData:
    status = Status(3, "Review", StatusCategory.STARTED, 3, wip_min=wip_min, wip_max=wip_max)
    return ColumnData(status=status, count=count, note=note)


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (_column(2, wip_max=3), ("2/3", "count")),
        (_column(3, wip_max=3), ("3/3 full", "wip-full")),
        (_column(5, wip_max=3), ("5/3 over", "wip-over")),
        (_column(1, wip_min=2), ("1 min 2", "wip-full")),
        (_column(4), ("4", "count")),
        (_column(4, note="recent"), ("4 recent", "count")),
    ],
)
def test_wip_label(column: ColumnData, expected: tuple[str, str]) -> None:
    assert wip_label(column) == expected


def test_parse_form_reports_every_bad_field() -> None:
    values = {
        "title": "  ",
        "due": "blurgh",
        "estimate": "lots",
        "percent": "150",
        "duration": "-2d",
    }
    _, errors = parse_form(values, now=NOW)
    assert set(errors) == {"title", "due", "estimate", "percent", "duration"}


def test_parse_form_reads_good_values_and_diff_keeps_only_changes() -> None:
    item = make_item(tags=("a",), due=datetime(2026, 12, 1))
    values = {
        "title": "Write the post",
        "project": "",
        "due": "2026-12-01",
        "start": "",
        "wait": "",
        "tags": "a +b",
        "assignees": "@alice",
        "estimate": "2h",
        "duration": "3d",
        "percent": "40",
    }
    parsed, errors = parse_form(values, now=NOW)
    assert errors == {}
    changes = changed_fields(item, parsed)
    assert changes == {
        "tags": ["a", "b"],
        "assignees": ["alice"],
        "estimate_minutes": 120,
        "duration_days": 3.0,
        "percent_complete": 40.0,
    }


def test_store_location_is_shown_relative_to_home(monkeypatch: pytest.MonkeyPatch) -> None:
    from taskdesk.ui.screens.base import display_location

    monkeypatch.setenv("HOME", "/home/alice")
    assert display_location("/home/alice/.local/share/taskdesk/taskdesk.db") == (
        "~/.local/share/taskdesk/taskdesk.db"
    )
    assert display_location("/srv/team/taskdesk.db") == "/srv/team/taskdesk.db"
    assert display_location("/home/alicexyz/t.db") == "/home/alicexyz/t.db"
