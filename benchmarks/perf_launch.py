"""Open taskdesk straight on the Gantt of one project (for the startup benchmark).

    python benchmarks/perf_launch.py --db FILE --project NAME

The app has no command-line option for its first screen, so this starts the real
``TaskDeskApp`` with Project mode's base screen replaced by the Gantt and the project
selected: process start → Gantt on screen, without the Board or the portfolio first.

It starts the way ``taskdesk`` itself does (``taskdesk.cli._run_app``): no garbage
collection until the app has started, and (SQLite) a child process that opens the store
and makes the first screen's read while this one imports Textual
(``taskdesk.ui.launch``); the app opens its own store after the first frame.
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
    from taskdesk.ui.launch import ChildRead, StoreOpening


def main() -> None:
    """Parse the two options, begin the Gantt's read in a child, run the app."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--project", required=True)
    args = parser.parse_args()
    gc.disable()  # as taskdesk does: TaskDeskApp(gc_paused=True) turns it back on

    from taskdesk.cli import _skip_postgres_driver
    from taskdesk.config import load_settings
    from taskdesk.identity import current_user
    from taskdesk.ui.launch import ChildRead, StoreOpening, forkable

    if not forkable(args.db):
        raise SystemExit("perf_launch.py measures an SQLite store on a system with fork")
    settings = load_settings()
    threshold = settings.critical_float_threshold
    name = args.project

    def prepare() -> None:
        _skip_postgres_driver(args.db)  # as a whole `taskdesk` process on a SQLite store

    def read(store: Store) -> tuple[int, GanttRead]:
        from taskdesk.store.errors import NotFound
        from taskdesk.ui.gantt_view import read_gantt

        try:
            project = store.get_container(name).id
        except NotFound:
            raise SystemExit(f"no project {name!r} in {args.db}") from None
        return project, read_gantt(store, project, threshold=threshold)

    actor = current_user()
    child = ChildRead.begin(args.db, actor, prepare, read)
    app = app_class(settings, child, StoreOpening(args.db, actor, prepare))
    app.run()


def app_class(
    settings: AppSettings, child: ChildRead[tuple[int, GanttRead]], opening: StoreOpening
) -> Any:
    """The app, imported (with Textual) only now: after the read began."""
    from textual import events

    from taskdesk.ui.app import LIVE_POLL_SECONDS, WARM_AFTER_SECONDS, TaskDeskApp
    from taskdesk.ui.screens.board import BoardScreen
    from taskdesk.ui.screens.gantt import GanttScreen

    place = child.place()  # the child's word on the store (or its error)
    project, read = child.result.result()
    first: Future[GanttRead] = Future()
    first.set_result(read)

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
            self._seen(read.marks)
            self.set_interval(LIVE_POLL_SECONDS, self.check_for_changes, name="live-refresh")
            # The app's own store opens after the first frame, as in taskdesk.
            self.call_after_refresh(self._open_store_now)
            # ... and the warm-up, which turns the garbage collector back on.
            self.set_timer(WARM_AFTER_SECONDS, self._warm_up, name="warm-up")

    app = GanttFirstApp(
        settings=settings, opening=opening, place=place, offer_demo=False, gc_paused=True
    )
    app.selected_project_id = project  # set before the Gantt's first read
    return app


if __name__ == "__main__":
    main()
