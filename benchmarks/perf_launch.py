"""Open taskdesk straight on the Gantt of one project (for the startup benchmark).

    python benchmarks/perf_launch.py --db FILE --project NAME

The app has no command-line option for its first screen, so this starts the real
``TaskDeskApp`` with Project mode's base screen replaced by the Gantt and the project
selected: process start → Gantt on screen, without the Board or the portfolio first.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import Any, ClassVar

from textual import events

from taskdesk.ui.app import LIVE_POLL_SECONDS, TaskDeskApp
from taskdesk.ui.screens.board import BoardScreen
from taskdesk.ui.screens.gantt import GanttScreen


def project_id(db: str, name: str) -> int:
    """The container id of project ``name`` (read before the app starts)."""
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT id FROM container WHERE name = ?", (name,)).fetchone()
    finally:
        conn.close()
    if row is None:
        raise SystemExit(f"no project {name!r} in {db}")
    return int(row[0])


class GanttFirstApp(TaskDeskApp):
    """TaskDeskApp whose first screen is the Gantt of ``project``."""

    MODES: ClassVar[dict[str, Any]] = {"work": BoardScreen, "project": GanttScreen}
    #: Start in Project mode: the Board is never built (nor read) first.
    DEFAULT_MODE: ClassVar[str] = "project"
    # A relative CSS_PATH is found next to the subclass's file: point at the app's.
    CSS_PATH = str(Path(sys.modules[TaskDeskApp.__module__].__file__ or "").with_name("app.tcss"))

    def __init__(self, db: str, project: int) -> None:
        super().__init__(db=db, offer_demo=False)
        self.selected_project_id = project  # set before the Gantt's first read

    def on_mount(self, event: events.Mount | None = None) -> None:
        """As TaskDeskApp.on_mount, but Project mode (the Gantt) first.

        Textual calls the ``on_mount`` of every class in the MRO: without
        ``prevent_default`` TaskDeskApp's would run next and switch to the Board.
        """
        if event is not None:
            event.prevent_default()
        theme = self.settings.theme
        if theme in self.available_themes:
            self.theme = theme
        self.switch_mode("project")  # a no-op when DEFAULT_MODE took effect
        self.submit(lambda store: (store.data_version(), store.latest_action_id()), self._seen)
        self.set_interval(LIVE_POLL_SECONDS, self.check_for_changes, name="live-refresh")


def main() -> None:
    """Parse the two options and run the app."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--project", required=True)
    args = parser.parse_args()
    GanttFirstApp(args.db, project_id(args.db, args.project)).run()


if __name__ == "__main__":
    main()
