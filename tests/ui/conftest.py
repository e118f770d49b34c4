"""Fixtures for UI tests: a real store file with a few known items."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from taskdesk.domain.model import ParsedItem, Priority
from taskdesk.store import Store, open_store
from taskdesk.ui.app import TaskDeskApp

HOSTILE_MARKUP = "[@click=app.quit]Quit me[/] [bold red]not bold[/]"
HOSTILE_ESCAPE = "\x1b]0;pwned\x07Evil \x1b[2Jtitle\u202e"


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    """A store file with three items in "To do": one overdue and blocking another."""
    path = str(tmp_path / "ui.db")
    store = open_store(path, actor="tester")
    now = datetime.now()
    bug = store.add_item(
        ParsedItem(
            title="Fix login bug",
            priority=Priority.HIGH,
            tags=["bug"],
            assignees=["bob"],
            project="Support",
            due=now - timedelta(days=2),
            given={"title", "priority", "tags", "assignees", "project", "due"},
        )
    )
    store.add_item(
        ParsedItem(title="Write blog post", project="Marketing", given={"title", "project"})
    )
    store.add_item(ParsedItem(title="Deploy v2", depends=[bug.id], given={"title", "depends"}))
    store.close()
    return path


@pytest.fixture
def open_db(db_path: str) -> Callable[[], Store]:
    """Open the test store again (as another handle) to check what the app wrote."""

    def opener() -> Store:
        return open_store(db_path, actor="tester")

    return opener


@pytest.fixture
def app(db_path: str) -> TaskDeskApp:
    """The app on the test store, without the first-launch demo offer."""
    return TaskDeskApp(db=db_path, actor="tester", offer_demo=False)
