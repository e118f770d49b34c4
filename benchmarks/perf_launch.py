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
    # A relative CSS_PATH is found next to the subclass's file: point at the app's.
    CSS_PATH = str(Path(sys.modules[TaskDeskApp.__module__].__file__ or "").with_name("app.tcss"))

    def __init__(self, db: str, project: int) -> None:
        super().__init__(db=db, offer_demo=False)
        self.first_project = project

    def on_mount(self) -> None:
        """As TaskDeskApp.on_mount, but Project mode (the Gantt) first."""
        theme = self.settings.theme
        if theme in self.available_themes:
            self.theme = theme
        self.selected_project_id = self.first_project
        self.switch_mode("project")
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
