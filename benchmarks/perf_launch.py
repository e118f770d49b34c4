"""Open taskdesk straight on the Gantt of one project (for the startup benchmark).

    python benchmarks/perf_launch.py --db FILE --project NAME

The app has no command-line option for its first screen, so this starts the real
``TaskDeskApp`` with Project mode's base screen replaced by the Gantt and the project
selected: process start → Gantt on screen, without the Board or the portfolio first.

It starts the way ``taskdesk`` itself does (``taskdesk.cli``): no garbage collection
until the app has started, peewee without the PostgreSQL driver for a SQLite store, the
first screen's read begun *before* Textual is imported, so the two overlap. (Here the
store is opened in this process and the read runs in a thread: the Gantt's first read
is its kept view, which a child process would only have to send back whole.)
"""

from __future__ import annotations

import argparse
import gc
import sys
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from taskdesk.config import AppSettings
    from taskdesk.store import Store
    from taskdesk.ui.gantt_view import GanttRead


def main() -> None:
    """Parse the two options, open the store, begin the Gantt's read, run the app."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--project", required=True)
    args = parser.parse_args()
    gc.disable()  # as taskdesk does: TaskDeskApp(gc_paused=True) turns it back on

    from taskdesk.cli import _skip_postgres_driver

    _skip_postgres_driver(args.db)  # as a whole `taskdesk` process on a SQLite store

    from taskdesk.config import load_settings
    from taskdesk.identity import current_user
    from taskdesk.store import open_store
    from taskdesk.store.errors import NotFound
    from taskdesk.ui.gantt_view import begin_first_read

    settings = load_settings()
    store = open_store(args.db, actor=current_user())
    try:
        project = store.get_container(args.project).id
    except NotFound:
        raise SystemExit(f"no project {args.project!r} in {args.db}") from None
    first = begin_first_read(store, project, threshold=settings.critical_float_threshold)
    app_class(store, settings, project, first).run()


def app_class(store: Store, settings: AppSettings, project: int, first: Future[GanttRead]) -> Any:
    """The app, imported (with Textual) only now: after the read began."""
    from textual import events

    from taskdesk.ui.app import LIVE_POLL_SECONDS, WARM_AFTER_SECONDS, TaskDeskApp
    from taskdesk.ui.screens.board import BoardScreen
    from taskdesk.ui.screens.gantt import GanttScreen

    def gantt() -> GanttScreen:
        return GanttScreen(first=first)

    class GanttFirstApp(TaskDeskApp):
        """TaskDeskApp whose first screen is the Gantt of ``project``."""

        MODES: ClassVar[dict[str, Any]] = {"work": BoardScreen, "project": gantt}
        #: Start in Project mode: the Board is never built (nor read) first.
        DEFAULT_MODE: ClassVar[str] = "project"
        # A relative CSS_PATH is found next to the subclass's file: point at the app's.
        CSS_PATH = str(
            Path(sys.modules[TaskDeskApp.__module__].__file__ or "").with_name("app.tcss")
        )

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
            # The live-refresh marks were read first, before the Gantt's own read.
            self.submit(lambda _store: first.result().marks, self._seen)
            self.set_interval(LIVE_POLL_SECONDS, self.check_for_changes, name="live-refresh")
            # ... and the warm-up, which turns the garbage collector back on.
            self.set_timer(WARM_AFTER_SECONDS, self._warm_up, name="warm-up")

    app = GanttFirstApp(settings=settings, store=store, offer_demo=False, gc_paused=True)
    app.selected_project_id = project  # set before the Gantt's first read
    return app


if __name__ == "__main__":
    main()
