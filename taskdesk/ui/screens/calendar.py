"""The Calendar (screen 3 of both modes): items by due and start date, routines
projected into the future, milestones and project dates, on a month, week or agenda.

Keys move a day cursor (arrows/hjkl) and an entry cursor within the day (n/N, tab);
H/L/J/K move the selected entry a day or a week. A routine asks "this one or the
series"; a project task goes through the scheduler (preview, then apply) so its
successors follow. Every move is one undoable action (``u``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from taskdesk.domain.calendar import (
    CalendarView,
    Entry,
    EntryKind,
    agenda_anchor,
    move_item_dates,
    period,
    shift_period,
)
from taskdesk.domain.model import Container, ContainerKind, Item, ParsedItem
from taskdesk.domain.text import clean_line
from taskdesk.store.errors import StaleWrite, StoreError
from taskdesk.ui.calendar_data import (
    MARKERS,
    PERIODS,
    CalendarData,
    CalendarScope,
    Loaded,
    ProjectMove,
    per_day_for,
    period_key,
    plan_move,
    read_cached,
    read_day,
    read_day_items,
    read_project,
    with_day,
    with_markers,
)
from taskdesk.ui.screens.base import TaskDeskScreen
from taskdesk.ui.screens.calendar_dialogs import (
    SERIES,
    THIS_ONE,
    CalendarScopePicker,
    DayList,
    DayQuickAdd,
    RoutineChoice,
)
from taskdesk.ui.screens.item_panel import ItemPanel
from taskdesk.ui.screens.schedule_preview import SchedulePreview
from taskdesk.ui.widgets.calendar_view import CalendarGrid

if TYPE_CHECKING:
    from taskdesk.store import Store


class CalendarScreen(TaskDeskScreen):
    """The calendar of the current scope; the mode comes from the subclass.

    The footer shows the keys that act on the selection (it must fit 80 columns); the
    title line names the view keys (v, [ ], t, p); ``?`` lists them all.
    """

    SCREEN_NUMBER = 3
    HELP_TITLE = "Calendar"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h,left", "day(-1)", "Previous day", show=False, id="cal-day-prev"),
        Binding("l,right", "day(1)", "Next day", show=False, id="cal-day-next"),
        Binding("k,up", "day(-7)", "Week up", show=False, id="cal-week-up"),
        Binding("j,down", "day(7)", "Week down", show=False, id="cal-week-down"),
        Binding("n,tab", "entry(1)", "Entry", id="cal-entry-next", tooltip="Select the next entry"),
        Binding("N,shift+tab", "entry(-1)", "Previous entry", show=False, id="cal-entry-prev"),
        Binding("left_square_bracket", "period(-1)", "◀ Period", show=False, id="cal-period-prev"),
        Binding("right_square_bracket", "period(1)", "Period ▶", show=False, id="cal-period-next"),
        Binding("t", "today", "Today", show=False, id="cal-today"),
        Binding("v", "cycle_view", "View", show=False, id="cal-view"),
        Binding(
            "H,shift+left",
            "move(-1)",
            "Move −1d",
            id="cal-move-earlier",
            tooltip="Move the selected entry a day earlier",
        ),
        Binding(
            "L,shift+right",
            "move(1)",
            "+1d",
            id="cal-move-later",
            tooltip="Move the selected entry a day later",
        ),
        Binding(
            "K,shift+up",
            "move(-7)",
            "Move −1w",
            show=False,
            id="cal-move-week-earlier",
            tooltip="Move the selected entry a week earlier",
        ),
        Binding(
            "J,shift+down",
            "move(7)",
            "Move +1w",
            show=False,
            id="cal-move-week-later",
            tooltip="Move the selected entry a week later",
        ),
        Binding("a", "quick_add", "Add", id="cal-add", tooltip="Add an item due on the day"),
        Binding("enter", "day_list", "Day list", id="cal-day-list"),
        Binding("o", "open", "Open", show=False, id="cal-open", tooltip="Open the item panel"),
        Binding("p", "scope", "Scope", show=False, id="cal-scope"),
        Binding("r", "reload", "Reload", show=False, id="cal-reload"),
    ]

    #: The app keeps one calendar per mode and shows it again (``action_goto_screen``):
    #: a resume reads the store's data version and repaints only what changed.
    REUSABLE: ClassVar[bool] = True

    def __init__(self) -> None:
        super().__init__()
        today = date.today()
        self.view = CalendarView.MONTH
        self.cursor = today
        self.period_anchor = today
        self.entry_index = 0
        self.scope = self.default_scope()
        self.data: CalendarData | None = None
        self.markers: list[Entry] | None = None
        self._wanted_key: str | None = None
        #: The app's selected item when the calendar last showed or set it: another one
        #: on a resume (chosen on the Board meanwhile) makes the calendar jump to it.
        self._seen_selection: int | None = None
        #: The user moved a cursor since the screen was shown: the entry under it is
        #: their choice, and becomes the app's selected item (the Board follows it).
        #: Merely opening the Calendar (the cursor lands on today) chooses nothing.
        self._chosen = False
        #: Project mode: the app's selected project when the calendar last looked.
        self._seen_project: int | None = None
        self._jump_to: int | None = None
        self._loading = False
        self._load_again = False
        #: The store version ``markers`` are valid for (-1: to be read).
        self._markers_version = -1
        #: The next read keeps the markers (a move that no project's finish follows).
        self._keep_markers = False
        #: The cached period on screen and the markers drawn into it.
        self._base: CalendarData | None = None
        self._base_markers: list[Entry] | None = None
        self._had_selection: bool | None = None
        #: Bumped by every read: background work of an older one stops.
        self._generation = 0

    def default_scope(self) -> CalendarScope:
        """Work mode: all work (Project mode overrides)."""
        return CalendarScope()

    # ------------------------------------------------------------------ layout
    def compose_body(self) -> ComposeResult:
        """Title line, the grid, the selected entry's line."""
        yield Static("", id="cal-title", markup=False)
        yield CalendarGrid(id="calendar")
        yield Static("", id="cal-detail", markup=False)

    @property
    def grid(self) -> CalendarGrid:
        """The grid widget."""
        return self.query_one(CalendarGrid)

    def on_mount(self) -> None:
        """Focus the grid; the first resume (right after mounting) loads."""
        self.grid.focus()

    def on_screen_resume(self) -> None:
        """Shown (again), or a dialog closed: read what changed. The period cache turns
        an unchanged store into one tiny read (the data version) and no repaint; an item
        selected elsewhere meanwhile is jumped to."""
        wanted = self.tapp.selected_item_id
        if wanted is not None and wanted != self._seen_selection:
            self._jump_to = wanted
        self._seen_selection = wanted
        self._chosen = False
        self._load()

    # ----------------------------------------------------------------- loading
    def reload(self) -> None:
        """Re-read the period, then the project markers (the store changed)."""
        self._markers_version = -1
        self._load()

    def _per_day(self, view: CalendarView, anchor: date) -> int:
        """How many items of a day the view has room for (the rest is only counted)."""
        return per_day_for(view, anchor, self._height())

    def _height(self) -> int:
        """The grid's height (before its first layout: the screen's, less the other lines)."""
        return self.grid.size.height or max(10, self.app.size.height - 6)

    def _load(self) -> None:
        """Read the period around the cursor in a worker (from the period cache when the
        store has not changed). One read at a time: keys pressed meanwhile only mark
        that another read is wanted (the latest state)."""
        if self._loading:
            self._load_again = True
            return
        self._loading = True
        view, scope = self.view, self.scope
        today = date.today()
        self.period_anchor = agenda_anchor(view, self.cursor, self.period_anchor)
        anchor = self.period_anchor
        height = self._height()
        wanted, self._jump_to = self._jump_to, None

        def job(store: Store) -> Loaded:
            jump = self._date_of(store, wanted) if wanted is not None else None
            at = jump or anchor
            per_day = per_day_for(view, at, height)
            version = store.data_version()
            data = read_cached(store, view, at, scope, version, today=today, per_day=per_day)
            return Loaded(data, jump, MARKERS.peek(store, scope, version), version)

        self.tapp.submit(job, self._show, on_error=self._load_failed)

    def _load_failed(self, error: StoreError) -> None:
        self._loading = False
        self._load_again = False
        self.notify(str(error), title="Calendar not read", severity="error", markup=False)

    @staticmethod
    def _date_of(store: Store, item_id: int) -> date | None:
        try:
            item = store.get_item(item_id)
        except StoreError:
            return None
        moment = item.due or item.start
        return moment.date() if moment else None

    def _show(self, loaded: Loaded) -> None:
        data, jump = loaded.data, loaded.jump
        self._loading = False
        if self._load_again or data.view is not self.view:
            self._load_again = False
            self._load()  # keys moved on while reading: read what they show now
            return
        if jump is not None:
            self.cursor = self.period_anchor = jump
            self._wanted_key = f"item:{self.tapp.selected_item_id}"
        if loaded.markers is not None:
            self.markers, self._markers_version = loaded.markers, loaded.version
        elif self._keep_markers:
            self._markers_version = loaded.version
        self._keep_markers = False
        markers = self.markers or []
        same = data is self._base and markers == self._base_markers and jump is None
        if not same:
            self._base, self._base_markers = data, markers
            self.data = with_markers(data, markers) if markers else data
        if not data.first <= self.cursor <= data.last:
            self._load()
            return
        if not same:  # the same period and markers at the same version: nothing to draw
            self._select_wanted()
            self._draw()
        still = self._still_wanted()
        if self._markers_version != loaded.version:
            self._read_markers(loaded.version, still)
        self._prefetch(loaded.version, still)

    def _read_markers(self, version: int, wanted: Callable[[], bool]) -> None:
        """Schedule the projects in a worker of their own (not in the store queue, so
        keys and period reads never wait for it); redraw when they arrive. It stops
        between projects once the calendar is left or read again (``_still_wanted``):
        at 50,000 items this is a second of Python that would slow every other screen."""
        self._markers_version = version
        scope, store, app = self.scope, self.tapp.store, self.app

        def work() -> None:
            try:
                markers = MARKERS.get(store, scope, wanted)
            except StoreError:
                markers = None  # the period is on screen; the markers come with the next read
            with contextlib.suppress(RuntimeError):  # the app has stopped meanwhile
                if markers is None:
                    app.call_from_thread(self._markers_paused, version)
                else:
                    app.call_from_thread(self._markers_read, scope, markers)

        self.run_worker(work, thread=True, group="calendar-markers", exit_on_error=False)

    def _still_wanted(self) -> Callable[[], bool]:
        """A check for background reads: this calendar is on screen and has not started
        another read since (any thread may call it: it only compares two numbers)."""
        self._generation += 1
        generation = self._generation
        return lambda: self._generation == generation and self.app.screen is self

    def _markers_paused(self, version: int) -> None:
        """The markers read stopped half-way: the next show (a resume) goes on with it."""
        if self._markers_version == version:
            self._markers_version = -1

    def _markers_read(self, scope: CalendarScope, markers: list[Entry]) -> None:
        if scope != self.scope or not self.is_attached:
            return
        unchanged = markers == (self.markers or [])
        self.markers = markers
        if self.data is None or unchanged:
            self._base_markers = markers if self.data is not None else self._base_markers
            return
        selected = self.selected
        self._wanted_key = selected.key if selected else None
        self._base_markers = markers
        self.data = with_markers(self.data, markers)
        self._select_wanted()
        self._draw()

    def _prefetch(self, version: int, still: Callable[[], bool]) -> None:
        """Read the periods the next keys most likely show (``[``, ``]``, ``v``) into
        the period cache, in a thread of its own (never in the store queue: a key
        pressed meanwhile reads first, or waits for the very read it needs)."""
        view, scope, store, today = self.view, self.scope, self.tapp.store, date.today()
        targets = [
            (view, shift_period(view, self.cursor, -1)),
            (view, shift_period(view, self.cursor, 1)),
            (view.next(), self.cursor),
        ]
        wanted = [(v, anchor, self._per_day(v, anchor)) for v, anchor in targets]
        if all(
            PERIODS.has(period_key(store, v, a, scope, p, today), version) for v, a, p in wanted
        ):
            return

        def work() -> None:
            try:
                for v, anchor, per_day in wanted:
                    if not still():
                        return
                    read_cached(store, v, anchor, scope, version, today=today, per_day=per_day)
            except StoreError:
                return  # a read ahead only: the key will read (and report) itself

        self.run_worker(work, thread=True, group="calendar-prefetch", exit_on_error=False)

    def _select_wanted(self) -> None:
        entries = self._day_entries()
        if self._wanted_key is not None:
            keys = [e.key for e in entries]
            if self._wanted_key in keys:
                self.entry_index = keys.index(self._wanted_key)
            self._wanted_key = None
        self.entry_index = max(0, min(self.entry_index, len(entries) - 1))

    def _draw(self) -> None:
        data = self.data
        if data is None:
            return
        self.grid.set_data(
            data,
            cursor=self.cursor,
            entry_index=self.entry_index,
            today=date.today(),
            month=self.period_anchor.month,
        )
        self._show_title()
        self._show_detail()

    def _show_title(self) -> None:
        data = self.data
        if data is None:
            return
        if self.view is CalendarView.MONTH:
            when = f"{self.period_anchor:%B %Y}"
        else:
            when = f"{data.first:%d %b} – {data.last:%d %b %Y}"
        self.query_one("#cal-title", Static).update(
            Content.assemble(
                (" Calendar: ", "bold"),
                clean_line(self.scope.name),
                f"  {when}",
                (f"   {self.view.value} · v view · [ ] · t today · p scope", "dim"),
            ),
            layout=False,  # one line, always: no layout pass on a key press
        )

    def _day_entries(self) -> list[Entry]:
        data = self.data
        if data is None:
            return []
        return data.placed.get(self.cursor, [])

    @property
    def selected(self) -> Entry | None:
        """The entry under the entry cursor on the cursor day."""
        entries = self._day_entries()
        if 0 <= self.entry_index < len(entries):
            return entries[self.entry_index]
        return None

    def _show_detail(self) -> None:
        entry, data = self.selected, self.data
        if (entry is not None) is not self._had_selection:
            # the footer greys out moves without a selection; rebuilding it costs more
            # than the rest of a key press, so only when that changes
            self._had_selection = entry is not None
            self.refresh_bindings()
        total = data.totals.get(self.cursor, 0) if data else 0
        day = f"{self.cursor:%a %d %b}: {total} entr{'y' if total == 1 else 'ies'}"
        detail = self.query_one("#cal-detail", Static)
        if entry is None:
            detail.update(
                Content.assemble((day, "bold"), ("   a adds an item on this day", "dim")),
                layout=False,
            )
            return
        if entry.item_id is not None and self._chosen:
            self.tapp.selected_item_id = self._seen_selection = entry.item_id
        parts: list[str | tuple[str, str]] = [(day, "bold"), "  "]
        marker = entry.marker()
        if marker:
            parts.append((marker + " ", "bold"))
        parts.append(clean_line(entry.title))
        if entry.project and not entry.kind.is_marker:
            parts.append(("  " + clean_line(entry.project), "dim"))
        if entry.spans:
            parts.append(f"  {entry.first} → {entry.last}")
        hint = {
            EntryKind.PROJECTED: "  projected (not stored)",
        }.get(entry.kind, "")
        if entry.overdue and not entry.kind.is_marker:
            hint += "  overdue"
        of = max(total, len(self._day_entries()))
        parts.append((hint + f"  [{self.entry_index + 1}/{of}]", "dim"))
        detail.update(Content.assemble(*parts), layout=False)

    # ---------------------------------------------------------------- cursors
    def _goto(self, day: date, *, force: bool = False) -> None:
        """Put the day cursor on ``day``; read another period when it leaves this one."""
        self.cursor = day
        self.entry_index = 0
        data = self.data
        inside = data is not None and data.first <= day <= data.last
        if inside:  # draw the cursor now, even when another period is on its way
            self.grid.set_cursor(self.cursor, self.entry_index)
            self._show_detail()
        if force or not inside:
            self._load()

    def action_day(self, days: int) -> None:
        """Move the day cursor (a day, or a week); leaving the month shows the next one."""
        self._chosen = True
        target = self.cursor + timedelta(days=days)
        other_month = self.view is CalendarView.MONTH and target.month != self.period_anchor.month
        if other_month:
            self.period_anchor = target
        self._goto(target, force=other_month)

    def action_entry(self, step: int) -> None:
        """Select the next/previous entry of the day (wraps around). On a day with more
        entries than the view loaded, the rest of the day is read first (in a worker),
        so the cursor walks the day in its real order."""
        self._chosen = True
        entries, data = self._day_entries(), self.data
        if not entries or data is None:
            return
        if not data.complete(self.cursor):
            self._read_whole_day(self.cursor, entries[self.entry_index].key, step)
            return
        self.entry_index = (self.entry_index + step) % len(entries)
        self.grid.set_cursor(self.cursor, self.entry_index)
        self._show_detail()

    def _read_whole_day(self, day: date, key: str, step: int) -> None:
        """Load every item of ``day``, then put the entry cursor ``step`` entries after
        the one it is on (``key``): the day's order may put new entries before it."""
        scope = self.scope

        def show(items: list[Item]) -> None:
            data = self.data
            if data is None or not data.first <= day <= data.last:
                return
            markers = self.markers or []
            self.data = with_day(data, day, items, markers, today=date.today())
            entries = self._day_entries()
            if self.cursor == day and entries:
                keys = [e.key for e in entries]
                here = keys.index(key) if key in keys else self.entry_index
                self.entry_index = (here + step) % len(entries)
            self._draw()

        self.tapp.submit(lambda store: read_day_items(store, day, scope), show)

    def action_period(self, step: int) -> None:
        """The previous/next month, week or agenda page."""
        self._chosen = True
        target = shift_period(self.view, self.cursor, step)
        self.period_anchor = target
        self._goto(target, force=True)

    def action_today(self) -> None:
        """Back to today (read only when today's period is not the one shown)."""
        self._chosen = True
        today, data = date.today(), self.data
        shown = data is not None and data.view is self.view
        if shown and data is not None and (data.first, data.last) == period(self.view, today):
            self.period_anchor = today
            self._goto(today)
            return
        self.period_anchor = today
        self._goto(today, force=True)

    def action_cycle_view(self) -> None:
        """Month → week → agenda → month."""
        self.view = self.view.next()
        self.period_anchor = self.cursor
        self.data = None
        self._load()

    def action_reload(self) -> None:
        """Re-read from the store."""
        self.reload()

    # ----------------------------------------------------------------- moving
    def action_move(self, days: int) -> None:
        """Move the selected entry ``days`` later (earlier when negative)."""
        entry = self.selected
        if entry is None:
            self.notify("No entry selected on this day (n selects one).", severity="warning")
            return
        if not entry.movable:
            self.notify("Project dates move on the Gantt or in the charter.", severity="warning")
            return
        if entry.kind is EntryKind.PROJECTED or entry.series_id is not None:
            self._ask_routine(entry, days)
        elif entry.project_task:
            self._move_project_task(entry, days)
        else:
            self._move_item(entry, days)

    def _ask_routine(self, entry: Entry, days: int) -> None:
        when = "earlier" if days < 0 else "later"
        question = (
            f"Move “{clean_line(entry.title)}” {abs(days)} day{'s' if abs(days) != 1 else ''} "
            f"{when}: this occurrence only, or the whole series?"
        )

        def answered(choice: str | None) -> None:
            if choice == THIS_ONE:
                if entry.kind is EntryKind.PROJECTED:
                    self._move_projected(entry, days)
                else:
                    self._move_item(entry, days)
            elif choice == SERIES:
                self._move_series(entry, days)

        self.app.push_screen(RoutineChoice(question), answered)

    def _move_item(self, entry: Entry, days: int) -> None:
        item = self.data.items.get(entry.item_id or 0) if self.data else None
        if item is None:
            return
        changes = move_item_dates(item.start, item.due, days)
        item_id, version = item.id, item.version
        self._write(
            lambda store: store.update_item(item_id, changes, expected_version=version),
            days,
            schedules=entry.project_task,
        )

    def _move_projected(self, entry: Entry, days: int) -> None:
        series_id, occurrence = entry.series_id, entry.occurrence
        if series_id is None or occurrence is None:
            return
        self._write(lambda store: store.move_occurrence(series_id, occurrence, days), days)

    def _move_series(self, entry: Entry, days: int) -> None:
        series_id = entry.series_id
        if series_id is None:
            return
        item = self.data.items.get(entry.item_id or 0) if self.data else None
        item_id = item.id if item else None
        version = item.version if item else None
        if item_id is None:
            self._wanted_key = f"series:{series_id}:{entry.first + timedelta(days=days)}"
        self._write(
            lambda store: store.shift_series(
                series_id, days, item_id=item_id, expected_version=version
            ),
            days,
            keep=item_id is not None,
        )

    def _write(
        self,
        job: Callable[[Store], Item],
        days: int,
        *,
        keep: bool = True,
        schedules: bool = True,
    ) -> None:
        """Run a move; follow the moved item with the cursor; a stale version reloads."""

        def done(item: Item) -> None:
            if keep:
                self._wanted_key = f"item:{item.id}"
            self.set_status(
                Content.assemble(("Moved ", "bold"), f"“{clean_line(item.title)}”  (u undoes)")
            )
            self._follow(days, schedules=schedules)

        self.tapp.submit(job, done, on_error=self._write_failed)

    def _follow(self, days: int, *, schedules: bool = True) -> None:
        """Re-read with the cursor on the day the entry moved to. ``schedules=False``:
        what moved was no project task, so no project's finish moved: the markers stay."""
        self.cursor += timedelta(days=days)
        if self.view is CalendarView.MONTH:
            self.period_anchor = self.cursor
        self._keep_markers = not schedules
        self._load()

    def _write_failed(self, error: StoreError) -> None:
        if isinstance(error, StaleWrite):
            message = "Someone else changed this item meanwhile; the calendar was re-read."
            self.reload()
        else:
            message = str(error)
        self.notify(message, title="Not moved", severity="error", timeout=8, markup=False)

    def _move_project_task(self, entry: Entry, days: int) -> None:
        """Through the scheduler, as the Gantt does: preview every date that moves."""
        project_id, task_id = entry.container_id, entry.item_id
        if project_id is None or task_id is None:
            return

        def job(store: Store) -> ProjectMove | str:
            try:
                return plan_move(read_project(store, project_id), task_id, days)
            except ValueError as error:
                return str(error)

        def show(move: ProjectMove | str) -> None:
            if isinstance(move, str):
                self.notify(f"Not moved: {move}.", severity="error", markup=False)
                return
            self._preview_project_move(move, days)

        self.tapp.submit(job, show)

    def _preview_project_move(self, move: ProjectMove, days: int) -> None:
        finish = f"Project finish: {move.after.schedule.finish}." if move.after.schedule else ""
        writes, what = move.writes, move.what
        versions = {
            item_id: move.before.items[item_id].version
            for item_id in writes
            if item_id in move.before.items
        }

        def decided(apply: bool | None) -> None:
            if not apply:
                return
            self.tapp.submit(
                lambda store: store.reschedule_items(
                    writes, description=what, expected_versions=versions
                ),
                lambda _: self._follow(days),
                on_error=self._write_failed,
            )

        self.app.push_screen(
            SchedulePreview(what, move.moves, move.before.titles(), finish=finish), decided
        )

    # ------------------------------------------------------------- dialogs
    def action_day_list(self) -> None:
        """The day's full list; enter there opens an item."""
        day, scope, markers = self.cursor, self.scope, self.markers or []
        today = date.today()
        self.tapp.submit(
            lambda store: read_day(store, day, scope, markers, today=today),
            lambda result: self.app.push_screen(DayList(day, result[0], result[1])),
        )

    def action_open(self) -> None:
        """The item panel of the selected entry."""
        entry = self.selected
        if entry is not None and entry.item_id is not None:
            self.app.push_screen(ItemPanel(entry.item_id))

    def action_quick_add(self) -> None:
        """Quick-add with the cursor day as the due date."""
        project = self.scope.name if self.scope.container_id is not None else None
        day = self.cursor

        def save(parsed: ParsedItem | None) -> None:
            if parsed is None:
                return

            def added(item: Item) -> None:
                self._wanted_key = f"item:{item.id}"
                self.notify(f"Added #{item.id}: {clean_line(item.title)}", markup=False)
                self.reload()

            self.tapp.submit(lambda store: store.add_item(parsed), added)

        self.app.push_screen(DayQuickAdd(day, default_project=project), save)

    def action_scope(self) -> None:
        """Choose the area or project the calendar shows (or all)."""

        def chosen(choice: Container | str | None) -> None:
            if choice is None:
                return
            self.set_scope(None if isinstance(choice, str) else choice)

        mode = self.MODE
        self.tapp.submit(
            lambda store: store.containers(),
            lambda containers: self.app.push_screen(
                CalendarScopePicker(containers, current=self.scope.container_id, mode=mode),
                chosen,
            ),
        )

    def set_scope(self, container: Container | None) -> None:
        """Show one container (None: everything of this mode) and reload."""
        if container is None:
            self.scope = self.default_scope()
            if self.MODE == "project":
                self.tapp.selected_project_id = self._seen_project = None
        else:
            self.scope = CalendarScope(container.id, container.name)
            if container.kind is ContainerKind.PROJECT:
                self.tapp.selected_project_id = self._seen_project = container.id
        self.markers = None  # another scope's markers never show here
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out moves and open when no entry is selected."""
        if action in {"move", "open"} and self.is_mounted:
            return True if self.selected is not None else None
        return True


class WorkCalendarScreen(CalendarScreen):
    """Work mode's calendar: all work, or one area/project (``p``)."""

    MODE = "work"


class ProjectCalendarScreen(CalendarScreen):
    """Project mode's calendar: the selected project, or every project (``p``)."""

    MODE = "project"

    def default_scope(self) -> CalendarScope:
        """Every project's tasks."""
        return CalendarScope(None, "All projects", ContainerKind.PROJECT)

    def on_screen_resume(self) -> None:
        """Show the project selected elsewhere (the Gantt, the portfolio) when it is
        another one than last time; then resume as every calendar does."""
        project_id = self.tapp.selected_project_id
        if project_id is None or project_id in (self._seen_project, self.scope.container_id):
            self._seen_project = project_id
            super().on_screen_resume()
            return
        self._seen_project = project_id

        def found(project: Container) -> None:
            self.scope = CalendarScope(project.id, project.name)
            self.markers = None  # another scope's markers never show here
            super(ProjectCalendarScreen, self).on_screen_resume()

        self.tapp.submit(
            lambda store: store.get_container(project_id),
            found,
            on_error=lambda _: super(ProjectCalendarScreen, self).on_screen_resume(),
        )
