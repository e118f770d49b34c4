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
import contextlib
import importlib
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen, Screen

from taskdesk.config import AppSettings, load_settings
from taskdesk.domain.text import clean_line
from taskdesk.identity import current_user
from taskdesk.paths import default_db_path
from taskdesk.store.errors import StoreError
from taskdesk.ui.board_read import BoardRead, FirstRead
from taskdesk.ui.gate import SerialGate
from taskdesk.ui.idle_gc import IdleCollector
from taskdesk.ui.launch import StoreOpening, StorePlace
from taskdesk.ui.screens.base import add_default_css
from taskdesk.ui.screens.board import BoardScreen

# Only the Board (the first screen) is imported with the app: every other screen, the
# dialogs and the palette's provider are imported on first use, which keeps them out of
# the time to the first frame (see ``SCREENS`` and ``_portfolio_screen``).

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.worker import Worker

    from taskdesk.domain.feed import ActionNote
    from taskdesk.store import Store

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


class LazyScreens(Mapping[str, type[Screen[None]]]):
    """Screen classes by name, each imported the first time it is looked up.

    Why: importing every screen with the app cost the first frame tens of milliseconds
    for screens most sessions never open. Lookups return the class itself, so
    ``isinstance(screen, SCREENS[name])`` and ``SCREENS[name]()`` work as with a dict.
    """

    def __init__(self, paths: dict[str, str]) -> None:
        self._paths = paths  # name → "module:ClassName"
        self._loaded: dict[str, type[Screen[None]]] = {}

    def __getitem__(self, name: str) -> type[Screen[None]]:
        if name not in self._loaded:
            module_name, _, class_name = self._paths[name].partition(":")
            screen_class = getattr(importlib.import_module(module_name), class_name)
            if not (isinstance(screen_class, type) and issubclass(screen_class, Screen)):
                raise TypeError(f"{self._paths[name]} is not a Screen")
            self._loaded[name] = screen_class
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


#: Screens reached with 2…5 (screen 1 of each mode is the mode's base screen).
SCREENS: Mapping[str, type[Screen[None]]] = LazyScreens(
    {
        "gantt": "taskdesk.ui.screens.gantt:GanttScreen",
        "calendar": "taskdesk.ui.screens.calendar:WorkCalendarScreen",
        "project-calendar": "taskdesk.ui.screens.calendar:ProjectCalendarScreen",
    }
)


def _portfolio_screen() -> Screen[None]:
    """Project mode's base screen, imported when Project mode is first opened."""
    from taskdesk.ui.screens.projects import ProjectsScreen

    return ProjectsScreen()


def _palette_commands() -> type[Provider]:
    """The command palette's provider, imported when the palette first opens."""
    from taskdesk.ui.commands import TaskDeskCommands

    return TaskDeskCommands


#: Modules of the screens and dialogs reached from the Board, imported in the background
#: once the app has started (see ``_warm_up``): Project mode's portfolio, the Gantt, the
#: Calendar, the edit form and quick-add.
WARM_MODULES = (
    "taskdesk.ui.screens.projects",
    "taskdesk.ui.screens.gantt",
    "taskdesk.ui.screens.calendar",
    "taskdesk.ui.screens.edit_form",
    "taskdesk.ui.screens.quick_add",
    "taskdesk.ui.screens.item_panel",
)
#: Seconds after start-up before WARM_MODULES are imported (the first frame comes first).
WARM_AFTER_SECONDS = 1.0
#: The longest Textual may hold repaints after a mode switch (see ``delay_update``).
UPDATE_HOLD_SECONDS = 0.005
#: How often the app looks for an idle moment to run a deferred full garbage collection.
IDLE_GC_CHECK_SECONDS = 1.0
#: How often the app looks for other people's changes (SQLite: one tiny read).
LIVE_POLL_SECONDS = 1.0
#: PostgreSQL: how long the listener thread blocks before it checks it should stop.
LIVE_WAIT_SECONDS = 0.5


class TaskDeskApp(App[None]):
    """The full-screen app. Construct with ``db=`` a file path or database URL."""

    CSS_PATH = "app.tcss"
    TITLE = "taskdesk"
    MODES: ClassVar[dict[str, Any]] = {"work": BoardScreen, "project": _portfolio_screen}
    #: Start straight in Work mode: no default screen is built (and styled) first, and
    #: the stylesheet is applied once instead of twice (``switch_mode`` from the default).
    DEFAULT_MODE: ClassVar[str] = "work"
    COMMANDS = App.COMMANDS | {_palette_commands}
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
        settings: AppSettings | None = None,
        actor: str | None = None,
        offer_demo: bool = True,
        store: Store | None = None,
        first_read: FirstRead | None = None,
        gc_paused: bool = False,
        opening: StoreOpening | None = None,
        place: StorePlace | None = None,
    ) -> None:
        """Open the store now, so a bad target fails before the terminal is taken over
        (unless ``opening`` is given: then it was checked already, by a child process).

        ``taskdesk`` passes the ``store`` it opened (or the ``opening`` and ``place``) and
        the ``first_read`` it began before importing Textual (see
        ``taskdesk.cli._run_app``); otherwise both start here.
        ``gc_paused``: the caller turned the garbage collector off for start-up; the
        warm-up turns it back on (:meth:`resume_gc`). ``opening`` and ``place``: the
        store is opened only after the first frame (a child process checked it and made
        the first read: see :mod:`taskdesk.ui.launch`); ``place`` is what the screens
        show of it meanwhile.
        """
        super().__init__()
        self.settings = settings if settings is not None else load_settings()
        if store is None and opening is None:
            from taskdesk.store import open_store

            target = db or self.settings.db or str(default_db_path())
            store = open_store(target, actor=actor or current_user())
        self._store: Store | None = store
        self._opening = opening
        if opening is not None:
            opening.when_open(self._opened)
        if place is None:
            assert store is not None, "an app given a store opening needs its place"
            place = StorePlace.of(store)
        self.place: StorePlace = place
        self.gate = SerialGate()
        self.offer_demo = offer_demo
        self.selected_item_id: int | None = None
        self.selected_project_id: int | None = None
        self._seen_version = -1
        self._seen_action = 0
        self._polling = False
        self._poll_again = False
        self._live_stop = threading.Event()
        self._first_read = first_read
        self._gc_paused = gc_paused
        self.idle_gc = IdleCollector()
        self._first_board: Future[BoardRead] | None = first_read.board if first_read else None
        if not self.settings.animations:
            self.animation_level = "none"

    # ------------------------------------------------------------ lifecycle
    def on_load(self) -> None:
        """Before Textual starts the terminal and builds the first screen: begin its read,
        and add the first screen's widget CSS so the stylesheet is parsed once less."""
        from textual.widgets._toast import ToastRack
        from textual.widgets._tooltip import Tooltip

        first_screen = self.MODES.get(self.DEFAULT_MODE)
        widgets = getattr(first_screen, "WIDGETS", ())
        add_default_css(self, (ToastRack, Tooltip, *widgets))  # Textual's screen adds these two
        if self.DEFAULT_MODE == "work" and self._first_read is None:
            self._first_read = FirstRead.begin(self.store, self.settings.board_done_days)
            self._first_board = self._first_read.board

    @property
    def store(self) -> Store:
        """The store; while it is still being opened (start-up), wait for it.

        The wait is short and rare: the store opens right after the first frame, in a
        thread (see :mod:`taskdesk.ui.launch`); store calls run in workers anyway.
        """
        store = self._store
        if store is None:
            assert self._opening is not None
            store = self._store = self._opening.wait()
        return store

    def _open_store_now(self) -> None:
        """Open this process' store (after the first frame; see :meth:`_opened`)."""
        if self._opening is not None:
            self._opening.begin()

    def _opened(self, future: Future[Store]) -> None:
        """The opening thread is done: if the store would not open, leave with why.

        Registered before the app runs, so it is always called in the opening thread.
        """
        error = future.exception()
        if error is not None:
            with contextlib.suppress(RuntimeError):  # (the app quit meanwhile)
                self.call_from_thread(self._store_lost, error)

    def _store_lost(self, error: BaseException) -> None:
        """The store the child process opened cannot be opened here: say it, and leave."""
        self.exit(return_code=1, message=f"taskdesk: {clean_line(str(error))}")

    def refresh_css(self, animate: bool = True) -> None:
        """Textual's ``refresh_css``, without parsing the stylesheet again for nothing.

        Textual calls this when a screen is first shown (and on a theme change): it sets
        the theme's variables, parses every CSS source anew, then restyles. At start-up
        the variables are the ones the stylesheet was just parsed with, so the second
        full parse (~10 ms, issue 5) is skipped when the parsed rules are current (no
        source added since) and the variables are the same; the restyle still runs.
        """
        sheet = self.stylesheet
        current = (
            sheet._rules is not None
            and not sheet._require_parse
            and sheet._variables == self.get_css_variables()
        )
        if not current:
            super().refresh_css(animate)
            return
        keep = {"reparse": lambda: None, "set_variables": lambda _variables: None}
        vars(sheet).update(keep)  # for this call only: the rules are what they would make
        try:
            super().refresh_css(animate)
        finally:
            for name in keep:
                vars(sheet).pop(name, None)

    def take_first_board(self) -> Future[BoardRead] | None:
        """The Board's first read begun at start-up, once (then ``None``: read anew)."""
        first, self._first_board = self._first_board, None
        return first

    def on_mount(self) -> None:
        """Apply the theme, offer the demo workspace on an empty store, start live refresh.

        The app is already in Work mode (``DEFAULT_MODE``), and the Board's first read
        began in :meth:`on_load`.
        """
        theme = self.settings.theme
        if theme in self.available_themes:
            self.theme = theme
        for notice in self.place.notices:
            self.notify(notice, severity="warning", timeout=10, markup=False)
        if self._opening is not None:
            self.call_after_refresh(self._open_store_now)  # the first frame goes first
        # What is known already is used as is: the store (maybe still opening) is not
        # touched before the first frame.
        if self.offer_demo and self.place.empty is not None:
            self._maybe_offer_demo(self.place.empty)
        elif self.offer_demo:
            self.submit(lambda store: store.is_empty(), self._maybe_offer_demo)
        first = self._first_read
        if first is not None and first.marks.done() and first.marks.exception() is None:
            self._seen(first.marks.result())
        elif first is not None:  # read before the Board's first read (FirstRead)
            self.submit(lambda _store: first.marks.result(), self._seen)
        else:
            self.submit(lambda store: (store.data_version(), store.latest_action_id()), self._seen)
        self._start_live_refresh()
        self.set_timer(WARM_AFTER_SECONDS, self._warm_up, name="warm-up")

    def _warm_up(self) -> None:
        """Import the other screens' modules in a thread while the user reads the Board.

        Why: they are left out of start-up (see ``SCREENS``), so the first ``m``, ``3`` or
        ``e`` paid for the import: about 60 ms in all, 24 ms of it the portfolio's
        (issue 5). Importing touches no widget and no store; a module the user opens
        before the thread reaches it is simply imported by whichever gets there first.
        """

        def imports() -> None:
            for name in WARM_MODULES:
                importlib.import_module(name)
            with contextlib.suppress(RuntimeError):  # (the app quit meanwhile)
                self.call_from_thread(self.resume_gc)  # (freezes these modules too)

        threading.Thread(target=imports, name="taskdesk-warm-up", daemon=True).start()

    def resume_gc(self) -> None:
        """Turn the garbage collector back on, full collections only while idle.

        See :mod:`taskdesk.ui.idle_gc`: what start-up made is frozen (never scanned
        again), and the full collections that used to stall a key press for 20-40 ms
        now and then (issue 5: the item panel's and the mode switch's p95) wait until
        the keyboard has been quiet for a second.
        """
        if self._gc_paused:
            self._gc_paused = False
            self.idle_gc.start()
            self.set_interval(IDLE_GC_CHECK_SECONDS, self.idle_gc.tick, name="idle-gc")

    async def on_event(self, event: events.Event) -> None:
        """Note every key and click (a full garbage collection waits for a quiet moment)."""
        if isinstance(event, events.InputEvent):
            self.idle_gc.touched()
        await super().on_event(event)

    # ------------------------------------------------------------ live refresh
    def _start_live_refresh(self) -> None:
        """SQLite: poll every second. PostgreSQL: a thread LISTENs and wakes the same path.

        The listener is a plain daemon thread, not a Textual worker: it never ends on its
        own, and workers are what ``wait_for_complete`` (and so every test) waits for.
        """
        if self.place.backend != "postgresql":
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
        others = [note for note in notes if note.actor != self.place.actor]
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
        store = self._store or (self._opening.opened() if self._opening else None)
        if store is not None:  # (a store that never opened has nothing to close)
            store.close()

    def _maybe_offer_demo(self, empty: bool) -> None:
        if not empty:
            return
        question = (
            "This store is empty. Load the demo workspace?\n"
            "It shows a marketing team's routines, a support queue and two projects."
        )
        from taskdesk.ui.screens.confirm import ConfirmScreen

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

    def delay_update(self, delay: float = 0.05) -> None:
        """Hold repaints for at most ``UPDATE_HOLD_SECONDS`` (Textual: 50 ms).

        Textual holds every repaint for 50 ms after ``switch_mode`` (and when the command
        palette closes) to mask the switch. taskdesk's mode screens are kept mounted and
        read in workers, so they are ready at once and the hold was most of the time ``m``
        took (issue 5: about 55 of 60 ms at 50,000 items). A few milliseconds still
        gather the suspend and resume of the two screens into one frame.
        """
        super().delay_update(min(delay, UPDATE_HOLD_SECONDS))

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
        kind = SCREENS[name]
        if isinstance(self.screen, kind):
            return
        if len(self.screen_stack) > 1:
            self.pop_screen()
        if not getattr(kind, "REUSABLE", False):
            self.push_screen(kind())
            return
        # Built once and kept (installed): shown again at once, and it re-reads only if
        # the store changed (a 10,000-task Gantt is not rebuilt on every "2").
        if not self.is_screen_installed(name):
            self.install_screen(kind(), name)
        self.push_screen(name)

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

        from taskdesk.ui.screens.confirm import ConfirmScreen

        self.push_screen(ConfirmScreen("Quit taskdesk?", yes="Quit", no="Stay"), answered)

    def action_help(self) -> None:
        """Show every key of the current screen."""
        from taskdesk.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen.for_screen(self.screen))
