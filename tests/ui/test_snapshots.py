"""Visual regression: SVG snapshots of the Board (pytest-textual-snapshot).

The data has no dates, so nothing on screen depends on the clock; the store path is
relative, so the mode bar reads the same on every machine. Update after an intended
change with ``pytest tests/ui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from taskdesk.domain.model import ParsedItem, Priority, Recurrence
from taskdesk.store import open_store
from taskdesk.ui.app import TaskDeskApp

SnapCompare = Any


@pytest.fixture
def snap_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TaskDeskApp:
    """A small, date-free board: a routine, a blocked card, Review over its WIP limit."""
    monkeypatch.chdir(tmp_path)
    store = open_store("snap.db", actor="tester")
    statuses = {s.name: s.id for s in store.statuses()}
    first = store.add_item(
        ParsedItem(
            title="Fix the login loop",
            priority=Priority.HIGH,
            tags=["bug"],
            assignees=["bob"],
            project="Support",
            given={"title", "priority", "tags", "assignees", "project"},
        )
    )
    store.add_item(ParsedItem(title="Ship the fix", depends=[first.id], given={"title", "depends"}))
    store.add_item(
        ParsedItem(
            title="Post on social media",
            project="Marketing",
            recurrence=Recurrence("FREQ=DAILY"),
            assignees=["alice"],
            given={"title", "project", "recurrence", "assignees"},
        )
    )
    for n in range(4):
        store.add_item(
            ParsedItem(
                title=f"Review draft {n + 1}", priority=Priority.MEDIUM, given={"title", "priority"}
            ),
            status_id=statuses["Review"],
        )
    store.close()
    return TaskDeskApp(db="snap.db", actor="tester", offer_demo=False)


async def _settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_board_snapshot_80x24(snap_compare: SnapCompare, snap_app: TaskDeskApp) -> None:
    assert snap_compare(snap_app, terminal_size=(80, 24), run_before=_settle, press=["l"])


def test_board_snapshot_120x30(snap_compare: SnapCompare, snap_app: TaskDeskApp) -> None:
    assert snap_compare(snap_app, terminal_size=(120, 30), run_before=_settle, press=["l", "j"])
