"""The taskdesk application: two modes on one store.

Work mode answers "what needs doing now, and where is the flow stuck?"; Project mode
answers "will this project land?". Both are Textual ``MODES`` over the same store, and
the selected item travels with the user when ``m`` switches between them.

Every store call goes through :meth:`TaskDeskApp.submit` (or :meth:`ask_store` from
async code): it runs in a thread worker, in the order the keys were pressed, and turns store
errors into one clear notification instead of a traceback.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen, Screen

from taskdesk.config import Settings, load_settings
from taskdesk.domain.feed import ActionNote
from taskdesk.domain.text import clean_line
from taskdesk.identity import current_user
from taskdesk.paths import default_db_path
from taskdesk.store import Store, open_store
from taskdesk.store.errors import StoreError
from taskdesk.ui.commands import TaskDeskCommands
from taskdesk.ui.gate import SerialGate
from taskdesk.ui.screens.board import BoardScreen
from taskdesk.ui.screens.calendar import ProjectCalendarScreen, WorkCalendarScreen
from taskdesk.ui.screens.confirm import ConfirmScreen
from taskdesk.ui.screens.gantt import GanttScreen
from taskdesk.ui.screens.help import HelpScreen
from taskdesk.ui.screens.projects import ProjectsScreen

if TYPE_CHECKING:
    from textual.worker import Worker

T = TypeVar("T")

#: The screens of each mode, in the order of product.md (1…5). ``None`` = not built yet.
MODE_SCREENS: dict[str, list[tuple[str, str | None]]] = {
    "work": [
        ("Board", "board"),
        ("My work", None),
        ("Calendar", "calendar"),
        ("Workload", None),
        ("Flow", None),
    ],
    "project": [
        ("Portfolio", "portfolio"),
        ("Gantt", "gantt"),
        ("Calendar", "project-calendar"),
        ("Charter", None),
        ("Report", None),
    ],
}

MODE_TITLES = {"work": "Work", "project": "Project"}

#: Screens reached with 2…5 (screen 1 of each mode is the mode's base screen).
SCREENS: dict[str, type[Screen[None]]] = {
    "gantt": GanttScreen,
    "calendar": WorkCalendarScreen,
    "project-calendar": ProjectCalendarScreen,
}

#: How often the app looks for other people's changes (SQLite: one tiny read).
LIVE_POLL_SECONDS = 1.0
#: PostgreSQL: how long the listener thread blocks before it checks it should stop.
LIVE_WAIT_SECONDS = 0.5


class TaskDeskApp(App[None]):
    """The full-screen app. Construct with ``db=`` a file path or database URL."""

    CSS_PATH = "app.tcss"
    TITLE = "taskdesk"
    MODES: ClassVar[dict[str, Any]] = {"work": BoardScreen, "project": ProjectsScreen}
    COMMANDS = App.COMMANDS | {TaskDeskCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "toggle_mode", "Mode", id="switch-mode"),
        Binding("1", "goto_screen(1)", "Screen 1", show=False, id="screen-1"),
        Binding("2", "goto_screen(2)", "Screen 2", show=False, id="screen-2"),
        Binding("3", "goto_screen(3)", "Screen 3", show=False, id="screen-3"),
        Binding("4", "goto_screen(4)", "Screen 4", show=False, id="screen-4"),
        Binding("5", "goto_screen(5)", "Screen 5", show=False, id="screen-5"),
        Binding("u", "undo", "Undo", show=False, id="undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="redo"),
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", show=False, id="quit"),
    ]

    def __init__(
        self,
        db: str | None = None,
        *,
        settings: Settings | None = None,
        actor: str | None = None,
        offer_demo: bool = True,
    ) -> None:
        """Open the store now, so a bad target fails before the terminal is taken over."""
        super().__init__()
        self.settings = settings if settings is not None else load_settings()
        target = db or self.settings.db or str(default_db_path())
        self.store: Store = open_store(target, actor=actor or current_user())
        self.gate = SerialGate()
        self.offer_demo = offer_demo
        self.selected_item_id: int | None = None
        self.selected_project_id: int | None = None
        self._seen_version = -1
        self._seen_action = 0
        self._polling = False
        self._poll_again = False
        self._live_stop = threading.Event()
        if not self.settings.animations:
            self.animation_level = "none"

    # ------------------------------------------------------------ lifecycle
    def on_mount(self) -> None:
        """Start in Work mode and, on an empty store, offer the demo workspace."""
        theme = self.settings.theme
        if theme in self.available_themes:
            self.theme = theme
        self.switch_mode("work")
        for notice in self.store.notices:
            self.notify(notice, severity="warning", timeout=10, markup=False)
        if self.offer_demo:
            self.submit(lambda store: store.is_empty(), self._maybe_offer_demo)
        self.submit(lambda store: (store.data_version(), store.latest_action_id()), self._seen)
        self._start_live_refresh()

    # ------------------------------------------------------------ live refresh
    def _start_live_refresh(self) -> None:
        """SQLite: poll every second. PostgreSQL: a thread LISTENs and wakes the same path.

        The listener is a plain daemon thread, not a Textual worker: it never ends on its
        own, and workers are what ``wait_for_complete`` (and so every test) waits for.
        """
        if self.store.backend != "postgresql":
            self.set_interval(LIVE_POLL_SECONDS, self.check_for_changes, name="live-refresh")
            return
        threading.Thread(target=self._listen, name="taskdesk-live", daemon=True).start()

    def _listen(self) -> None:
        """(listener thread) Block on the store's change listener; hand wake-ups to the UI."""
        try:
            listener = self.store.change_listener()
        except StoreError as error:  # cannot LISTEN at all: fall back to polling
            self._from_listener(self._listener_failed, str(error))
            return
        reported: str | None = None
        try:
            while not self._live_stop.is_set():
                changed = listener.wait(LIVE_WAIT_SECONDS)
                if listener.problem != reported:
                    reported = listener.problem
                    self._from_listener(self._live_problem, reported)
                if changed and not self._from_listener(self.check_for_changes):
                    return
        finally:
            listener.close()

    def _from_listener(self, callback: Callable[..., object], *args: object) -> bool:
        """Run ``callback`` on the UI thread; False once the app has stopped."""
        if self._live_stop.is_set():
            return False
        try:
            self.call_from_thread(callback, *args)
        except RuntimeError:  # the app is not running any more
            self._live_stop.set()
            return False
        return True

    def _listener_failed(self, problem: str) -> None:
        self.notify(f"{problem} Checking every second instead.", severity="warning", markup=False)
        self.set_interval(LIVE_POLL_SECONDS, self.check_for_changes, name="live-refresh")

    def _live_problem(self, problem: str | None) -> None:
        """Say when live refresh is cut off, and when it is back (then re-read)."""
        if problem:
            self.notify(problem, severity="warning", timeout=10, markup=False)
            return
        self.notify("Live refresh is back.", timeout=3)
        self.check_for_changes()

    def _seen(self, marks: tuple[int, int]) -> None:
        self._seen_version, self._seen_action = marks
        if self._poll_again:
            self.check_for_changes()

    def check_for_changes(self) -> None:
        """Has anyone committed since we last looked? (one indexed read; SQLite: every
        second; PostgreSQL: when notified). Nothing changed → nothing is repainted."""
        if self._polling or self._seen_version < 0:
            self._poll_again = True  # asked while busy: look once more when done
            return
        self._polling = True
        self._poll_again = False
        since = self._seen_action

        def job(store: Store) -> tuple[int, list[ActionNote]]:
            return store.data_version(), store.actions_since(since)

        self.submit(job, self._after_poll, on_error=lambda _: self._poll_done())

    def _poll_done(self) -> None:
        self._polling = False
        if self._poll_again:
            self.check_for_changes()

    def _after_poll(self, result: tuple[int, list[ActionNote]]) -> None:
        self._polling = False
        try:
            self._show_changes(result)
        finally:
            if self._poll_again:  # a notification came while we were reading
                self.check_for_changes()

    def _show_changes(self, result: tuple[int, list[ActionNote]]) -> None:
        """Re-read the screens and name who changed what (nothing when nothing moved)."""
        version, notes = result
        if version == self._seen_version:
            return
        self._seen_version = version
        if notes:
            self._seen_action = notes[-1].id
        others = [note for note in notes if note.actor != self.store.actor]
        if notes and not others:
            return  # only our own actions: the screens already re-read after them
        for screen in self.screen_stack:
            reload = getattr(screen, "reload", None)
            if callable(reload):
                reload()
        if others:
            news = others[-1].sentence()
            more = f" (+{len(others) - 1} more)" if len(others) > 1 else ""
            for screen in self.screen_stack:
                set_status = getattr(screen, "set_status", None)
                if callable(set_status):
                    set_status(Content(clean_line(news + more)))

    def on_unmount(self) -> None:
        """Stop the change listener (it ends within LIVE_WAIT_SECONDS); close the store."""
        self._live_stop.set()
        self.store.close()

    def _maybe_offer_demo(self, empty: bool) -> None:
        if not empty:
            return
        question = (
            "This store is empty. Load the demo workspace?\n"
            "It shows a marketing team's routines, a support queue and two projects."
        )
        self.push_screen(
            ConfirmScreen(question, yes="Load demo", no="Start empty"), self._load_demo
        )

    def _load_demo(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        from taskdesk.demo import build_demo

        def job(store: Store) -> None:
            build_demo(store, today=date.today())

        self.submit(job, lambda _: self.refresh_views("Demo workspace loaded."))

    # -------------------------------------------------------------- store calls
    def submit(
        self,
        job: Callable[[Store], T],
        on_done: Callable[[T], object] | None = None,
        *,
        on_error: Callable[[StoreError], None] | None = None,
    ) -> Worker[None]:
        """Run ``job(store)`` in a worker thread, after every call submitted before it.

        ``on_done`` gets the result on the UI thread. A ``StoreError`` goes to
        ``on_error`` if given, else becomes an error notification; nothing is lost.
        """
        ticket = self.gate.ticket()

        def work() -> None:
            with self.gate.turn(ticket):
                try:
                    result = job(self.store)
                except StoreError as error:
                    self.call_from_thread(self._store_failed, error, on_error)
                    return
                except Exception as error:
                    self.call_from_thread(self._unexpected, error)
                    return
            if on_done is not None:
                self.call_from_thread(on_done, result)

        return self.run_worker(work, thread=True, group="store", exit_on_error=False)

    async def ask_store(self, job: Callable[[Store], T]) -> T:
        """Await ``job(store)`` from async code (the command palette), in turn."""
        ticket = self.gate.ticket()

        def work() -> T:
            with self.gate.turn(ticket):
                return job(self.store)

        return await asyncio.to_thread(work)

    def _store_failed(
        self, error: StoreError, handler: Callable[[StoreError], None] | None
    ) -> None:
        if handler is not None:
            handler(error)
        else:
            self.notify(str(error), title="Not saved", severity="error", timeout=8, markup=False)

    def _unexpected(self, error: Exception) -> None:
        self.log.error(repr(error))
        self.notify(f"Unexpected error: {error}", severity="error", timeout=10, markup=False)

    def refresh_views(self, message: str | None = None) -> None:
        """Ask the visible screen to reload from the store (after undo, demo, ...)."""
        reload = getattr(self.screen, "reload", None)
        if callable(reload):
            reload()
        if message:
            self.notify(message, markup=False)  # may quote a title: never markup
            set_status = getattr(self.screen, "set_status", None)
            if callable(set_status):
                set_status(Content(clean_line(message)))

    # ----------------------------------------------------------------- actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Mode and screen keys wait until a dialog is closed."""
        in_dialog = isinstance(self.screen, ModalScreen)
        return not (in_dialog and action in {"toggle_mode", "goto_screen"})

    def action_toggle_mode(self) -> None:
        """Switch Work ↔ Project mode; the selected item stays selected."""
        target = "project" if self.current_mode == "work" else "work"
        self.switch_mode(target)

    def action_goto_screen(self, number: int) -> None:
        """Show screen ``number`` of the current mode, if it exists yet."""
        screens = MODE_SCREENS.get(self.current_mode, [])
        if not 1 <= number <= len(screens):
            return
        title, name = screens[number - 1]
        if name is None:
            mode = MODE_TITLES.get(self.current_mode, self.current_mode)
            self.notify(f"{mode} mode screen {number} ({title}) is not built yet.")
            return
        while len(self.screen_stack) > 1 and number == 1:
            self.pop_screen()
        if number == 1:
            return
        if not isinstance(self.screen, SCREENS[name]):
            if len(self.screen_stack) > 1:
                self.pop_screen()
            self.push_screen(SCREENS[name]())

    def action_undo(self) -> None:
        """Undo your own latest action (never someone else's)."""
        self.submit(lambda store: store.undo(), self.refresh_views)

    def action_redo(self) -> None:
        """Redo what you last undid."""
        self.submit(lambda store: store.redo(), self.refresh_views)

    async def action_quit(self) -> None:
        """Quit; with ``confirm_quit = true`` in the config, ask first."""
        if not self.settings.confirm_quit:
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen("Quit taskdesk?", yes="Quit", no="Stay"), answered)

    def action_help(self) -> None:
        """Show every key of the current screen."""
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen.for_screen(self.screen))
