"""The Calendar (screen 3 of both modes): items by due and start date, routines
projected into the future, milestones and project dates, on a month, week or agenda.

Keys move a day cursor (arrows/hjkl) and an entry cursor within the day (n/N, tab);
H/L/J/K move the selected entry a day or a week. A routine asks "this one or the
series"; a project task goes through the scheduler (preview, then apply) so its
successors follow. Every move is one undoable action (``u``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import ClassVar

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
    shift_period,
)
from taskdesk.domain.model import Container, ContainerKind, Item, ParsedItem
from taskdesk.domain.text import clean_line
from taskdesk.store import Store
from taskdesk.store.errors import StaleWrite, StoreError
from taskdesk.ui.calendar_data import (
    CalendarData,
    CalendarScope,
    ProjectMove,
    plan_move,
    read_day,
    read_markers,
    read_period,
    read_project,
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


class CalendarScreen(TaskDeskScreen):
    """The calendar of the current scope; the mode comes from the subclass."""

    SCREEN_NUMBER = 3
    HELP_TITLE = "Calendar"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h,left", "day(-1)", "Previous day", show=False, id="cal-day-prev"),
        Binding("l,right", "day(1)", "Next day", show=False, id="cal-day-next"),
        Binding("k,up", "day(-7)", "Week up", show=False, id="cal-week-up"),
        Binding("j,down", "day(7)", "Week down", show=False, id="cal-week-down"),
        Binding("n,tab", "entry(1)", "Next entry", id="cal-entry-next"),
        Binding("N,shift+tab", "entry(-1)", "Previous entry", show=False, id="cal-entry-prev"),
        Binding("left_square_bracket", "period(-1)", "◀ Period", id="cal-period-prev"),
        Binding("right_square_bracket", "period(1)", "Period ▶", id="cal-period-next"),
        Binding("t", "today", "Today", show=False, id="cal-today"),
        Binding("v", "cycle_view", "View", id="cal-view"),
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
            "Move +1d",
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
        self._first_load = True

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
        """Focus the grid and load."""
        self.grid.focus()
        self.reload()

    # ----------------------------------------------------------------- loading
    def reload(self) -> None:
        """Re-read the period and the project markers (the store changed)."""
        self.markers = None
        self._load()

    def _load(self) -> None:
        """Read the period around the cursor (markers only when not cached)."""
        view, scope, markers = self.view, self.scope, self.markers
        today = date.today()
        self.period_anchor = agenda_anchor(view, self.cursor, self.period_anchor)
        anchor = self.period_anchor
        wanted = self.tapp.selected_item_id if self._first_load else None
        self._first_load = False

        def job(store: Store) -> tuple[CalendarData, list[Entry], date | None]:
            found = markers if markers is not None else read_markers(store, scope)
            jump = None
            nonlocal anchor
            if wanted is not None:
                jump = self._date_of(store, wanted)
                if jump is not None:
                    anchor = jump
            data = read_period(store, view, anchor, scope, found, today=today)
            return data, found, jump

        self.tapp.submit(job, self._show)

    @staticmethod
    def _date_of(store: Store, item_id: int) -> date | None:
        try:
            item = store.get_item(item_id)
        except StoreError:
            return None
        moment = item.due or item.start
        return moment.date() if moment else None

    def _show(self, result: tuple[CalendarData, list[Entry], date | None]) -> None:
        data, markers, jump = result
        if data.view is not self.view:
            return  # the view changed while reading: a newer read is on its way
        if jump is not None:
            self.cursor = self.period_anchor = jump
            self._wanted_key = f"item:{self.tapp.selected_item_id}"
        self.data, self.markers = data, markers
        if not data.first <= self.cursor <= data.last:
            self._load()
            return
        self._select_wanted()
        self._draw()

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
            )
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
        self.refresh_bindings()
        entry, data = self.selected, self.data
        total = data.totals.get(self.cursor, 0) if data else 0
        day = f"{self.cursor:%a %d %b}: {total} entr{'y' if total == 1 else 'ies'}"
        if entry is None:
            self.query_one("#cal-detail", Static).update(
                Content.assemble((day, "bold"), ("   a adds an item on this day", "dim"))
            )
            return
        if entry.item_id is not None:
            self.tapp.selected_item_id = entry.item_id
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
        parts.append((hint + f"  [{self.entry_index + 1}/{len(self._day_entries())}]", "dim"))
        self.query_one("#cal-detail", Static).update(Content.assemble(*parts))

    # ---------------------------------------------------------------- cursors
    def _goto(self, day: date, *, force: bool = False) -> None:
        """Put the day cursor on ``day``; read another period when it leaves this one."""
        self.cursor = day
        self.entry_index = 0
        data = self.data
        if force or data is None or not data.first <= day <= data.last:
            self._load()
            return
        self.grid.set_cursor(self.cursor, self.entry_index)
        self._show_detail()

    def action_day(self, days: int) -> None:
        """Move the day cursor (a day, or a week); leaving the month shows the next one."""
        target = self.cursor + timedelta(days=days)
        other_month = self.view is CalendarView.MONTH and target.month != self.period_anchor.month
        if other_month:
            self.period_anchor = target
        self._goto(target, force=other_month)

    def action_entry(self, step: int) -> None:
        """Select the next/previous entry of the day (wraps around)."""
        entries = self._day_entries()
        if not entries:
            return
        self.entry_index = (self.entry_index + step) % len(entries)
        self.grid.set_cursor(self.cursor, self.entry_index)
        self._show_detail()

    def action_period(self, step: int) -> None:
        """The previous/next month, week or agenda page."""
        target = shift_period(self.view, self.cursor, step)
        self.period_anchor = target
        self._goto(target, force=True)

    def action_today(self) -> None:
        """Back to today."""
        self.period_anchor = date.today()
        self._goto(date.today(), force=True)

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
            lambda store: store.update_item(item_id, changes, expected_version=version), days
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

    def _write(self, job: Callable[[Store], Item], days: int, *, keep: bool = True) -> None:
        """Run a move; follow the moved item with the cursor; a stale version reloads."""

        def done(item: Item) -> None:
            if keep:
                self._wanted_key = f"item:{item.id}"
            self.set_status(
                Content.assemble(("Moved ", "bold"), f"“{clean_line(item.title)}”  (u undoes)")
            )
            self._follow(days)

        self.tapp.submit(job, done, on_error=self._write_failed)

    def _follow(self, days: int) -> None:
        """Re-read with the cursor on the day the entry moved to."""
        self.cursor += timedelta(days=days)
        if self.view is CalendarView.MONTH:
            self.period_anchor = self.cursor
        self.reload()

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
                self.tapp.selected_project_id = None
        else:
            self.scope = CalendarScope(container.id, container.name)
            if container.kind is ContainerKind.PROJECT:
                self.tapp.selected_project_id = container.id
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

    def on_mount(self) -> None:
        """Start on the project selected elsewhere (the Gantt, the portfolio)."""
        project_id = self.tapp.selected_project_id
        if project_id is None:
            super().on_mount()
            return

        def found(project: Container) -> None:
            self.scope = CalendarScope(project.id, project.name)
            super(ProjectCalendarScreen, self).on_mount()

        self.tapp.submit(
            lambda store: store.get_container(project_id),
            found,
            on_error=lambda _: super(ProjectCalendarScreen, self).on_mount(),
        )
