"""Work mode, screen 1: the kanban Board.

Columns come from the workflow statuses; each column loads only the cards near the
screen. Keys change the store through the app's ordered worker queue and the board
re-reads what moved, keeping the selected card selected wherever it went.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, Static

from taskdesk.domain.filters import Filter, FilterError, describe_filter, parse_filter
from taskdesk.domain.model import Container, Item, ParsedItem, Status
from taskdesk.domain.text import clean_line
from taskdesk.store.errors import StoreError
from taskdesk.ui.board_read import PAGE_SIZE, BoardRead, BoardScope, read_board
from taskdesk.ui.screens.base import TaskDeskScreen
from taskdesk.ui.widgets.board_view import BoardView, ColumnData, wip_label

if TYPE_CHECKING:
    from textual.timer import Timer

    from taskdesk.store import Store
    from taskdesk.ui.screens.item_panel import ItemPanel, PanelData

# Dialogs (item panel, edit form, quick-add, scope, confirm) are imported when first
# opened, not with the Board: they are not part of the first frame.


@dataclass(slots=True)
class BoardSnapshot:
    """Everything one reload read from the store, handed to the widget in one go."""

    columns: list[ColumnData]
    select: tuple[int, int] | None
    now: datetime


def hard_wip_refusal(column: ColumnData) -> str:
    """Why a card may not enter ``column`` (its hard WIP maximum is reached), or ""."""
    status = column.status
    if status.wip_hard and status.wip_max is not None and column.count >= status.wip_max:
        return (
            f"'{status.name}' is at its hard WIP limit of {status.wip_max}; "
            "finish or move something out of it first."
        )
    return ""


def move_needs_reload(before: Item, after: Item, *, filtered: bool) -> bool:
    """Whether a move changed more than the moved card, so the board must be re-read.

    The card was already drawn at the end of its new column, where the store puts it.
    Anything else needs a reload: a filter (the card may leave the view), another card's
    "blocked" mark (a predecessor opened or closed), a routine's next occurrence.
    """
    return (
        filtered
        or before.blocking
        or after.blocking
        or (after.is_recurring and not after.is_open)
        or (before.is_open != after.is_open and bool(after.depends))
    )


def _column_for(columns: list[ColumnData], status_id: int) -> int | None:
    for index, column in enumerate(columns):
        if column.status.id == status_id:
            return index
    return None


#: How long news on the status line ("bob: move 'Fix login' to Review") stays before the
#: standing WIP warning may take the line back.
NEWS_SECONDS = 10.0
#: How long the cursor rests on a card before its item panel is read ahead.
READ_AHEAD_SECONDS = 0.2


class BoardScreen(TaskDeskScreen):
    """The Board: move cards through the workflow with the keyboard."""

    MODE = "work"
    SCREEN_NUMBER = 1
    WIDGETS = (*TaskDeskScreen.WIDGETS, BoardView, Input)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h,left", "cursor(-1,0)", "Left", show=False, id="cursor-left"),
        Binding("l,right", "cursor(1,0)", "Right", show=False, id="cursor-right"),
        Binding("k,up", "cursor(0,-1)", "Up", show=False, id="cursor-up"),
        Binding("j,down", "cursor(0,1)", "Down", show=False, id="cursor-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="page-down"),
        Binding("g,home", "cursor_end(0)", "First card", show=False, id="first-card"),
        Binding("G,end", "cursor_end(1)", "Last card", show=False, id="last-card"),
        Binding(
            "H,shift+left",
            "move(-1)",
            "Move ←",
            tooltip="Move the card to the previous column",
            id="move-left",
        ),
        Binding(
            "L,shift+right",
            "move(1)",
            "Move →",
            tooltip="Move the card to the next column",
            id="move-right",
        ),
        Binding("K,shift+up", "reorder(-1)", "Up in column", show=False, id="reorder-up"),
        Binding("J,shift+down", "reorder(1)", "Down in column", show=False, id="reorder-down"),
        Binding("a", "quick_add", "Add", id="quick-add"),
        Binding("enter", "open", "Open", id="open"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("x", "done", "Done", id="done"),
        Binding("s", "start", "Start", show=False, id="start"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("p", "scope", "Scope", show=False, id="scope"),
        Binding("delete", "delete", "Delete", show=False, id="delete"),
        Binding("r", "reload", "Reload", show=False, id="reload"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear-filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scope = BoardScope()
        self.filter = Filter()
        self.filter_text = ""
        self.statuses: list[Status] = []
        self._had_card = False
        self._panel: ItemPanel | None = None
        #: The selected card's panel, read ahead while the cursor rests on it.
        self._ahead: PanelData | None = None
        self._ahead_timer: Timer | None = None
        #: When the status line last got news (the WIP warning waits NEWS_SECONDS).
        self._news_at = float("-inf")

    # ------------------------------------------------------------------ layout
    def compose_body(self) -> ComposeResult:
        """The scope/filter line, the board, and the (hidden) filter input."""
        yield Static("", id="board-scope", markup=False)
        yield BoardView(id="board")
        field = Input(
            placeholder="filter: words +tag -tag @user project:X status:Y "
            "priority:H due.before:fri +OVERDUE",
            id="filter-input",
        )
        field.cursor_blink = False  # a blinking cursor writes to the terminal twice a second
        field.display = False
        yield field

    @property
    def board(self) -> BoardView:
        """The board widget."""
        return self.query_one(BoardView)

    def on_mount(self) -> None:
        """Load the board (the read begun at start-up, if any) and focus it.

        When that read is already done (usual: it ran while Textual was imported), its
        cards are set here, before the first frame, so the screen is drawn once.
        """
        self.board.focus()
        self._show_scope()
        first = self.tapp.take_first_board()
        if first is None or (first.done() and first.exception() is not None):
            self.reload()  # nothing begun, or it failed: read now (a failure is reported)
        elif first.done():
            self._apply_snapshot((self._snapshot(first.result()), self.scope))
        else:
            self.tapp.submit(
                lambda _store: (self._snapshot(first.result()), self.scope),
                self._apply_snapshot,
                on_error=lambda _error: self.reload(),
            )

    def refresh_bindings(self) -> None:
        """Update the key line only while this screen is on top.

        Under a dialog, Textual asks several times (focus and stack changes) for keys
        nobody can see; coming back to the screen refreshes the key line again.
        """
        if self.is_attached and self.app.screen is self:
            super().refresh_bindings()

    def on_screen_resume(self) -> None:
        """Coming back from Project mode: select the item chosen there."""
        wanted = self.tapp.selected_item_id
        current = self.board.selected_item
        if wanted is not None and (current is None or current.id != wanted):
            self.reload(keep=wanted, widen_scope=True)

    # ------------------------------------------------------------------ loading
    @property
    def done_since(self) -> datetime:
        """Closed columns show only recent cards (``board_done_days`` in config)."""
        return datetime.now() - timedelta(days=self.tapp.settings.board_done_days)

    def reload(self, keep: int | None = None, *, widen_scope: bool = False) -> None:
        """Re-read the board; keep ``keep`` (default: the selected card) selected."""
        self._ahead = None  # someone may have commented: the panel is read anew
        if keep is None and self.is_mounted:
            selected = self.board.selected_item
            keep = selected.id if selected else None
        scope, flt, since = self.scope, self.filter, self.done_since

        def job(store: Store) -> tuple[BoardSnapshot, BoardScope]:
            nonlocal scope
            if widen_scope and keep is not None:
                scope = self._scope_containing(store, keep, scope, flt, since)
            return self._read_board(store, scope, flt, since, keep), scope

        self.tapp.submit(job, self._apply_snapshot)

    def _scope_containing(
        self, store: Store, item_id: int, scope: BoardScope, flt: Filter, since: datetime
    ) -> BoardScope:
        """Widen to "All work" when the wanted item is outside the current scope."""
        if (
            store.item_index(item_id, flt=flt, container_id=scope.container_id, done_since=since)
            is not None
        ):
            return scope
        return BoardScope()

    @staticmethod
    def _read_board(
        store: Store, scope: BoardScope, flt: Filter, since: datetime, keep: int | None
    ) -> BoardSnapshot:
        snapshot = BoardScreen._snapshot(read_board(store, scope, flt, since))
        if keep is not None:
            snapshot.select = BoardScreen._locate(store, snapshot.columns, keep, scope, flt, since)
        return snapshot

    @staticmethod
    def _snapshot(read: BoardRead) -> BoardSnapshot:
        """The columns as the widget takes them, from one read of the store."""
        columns: list[ColumnData] = []
        for status in read.statuses:
            column = ColumnData(status=status, count=read.counts.get(status.id, 0))
            if status.category.is_closed:
                column.note = "recent"
            column.items = dict(enumerate(read.pages.get(status.id, [])))
            columns.append(column)
        return BoardSnapshot(columns=columns, select=None, now=read.now)

    @staticmethod
    def _locate(
        store: Store,
        columns: list[ColumnData],
        item_id: int,
        scope: BoardScope,
        flt: Filter,
        since: datetime,
    ) -> tuple[int, int] | None:
        """Find the card's column and row, loading its page when it is far down."""
        index = store.item_index(
            item_id, flt=flt, container_id=scope.container_id, done_since=since
        )
        if index is None:
            return None
        item = store.get_item(item_id)
        column_index = _column_for(columns, item.status_id)
        if column_index is None:
            return None
        column = columns[column_index]
        if index not in column.items:
            offset = (index // PAGE_SIZE) * PAGE_SIZE
            page = store.board_column(
                item.status_id,
                flt=flt,
                container_id=scope.container_id,
                done_since=since,
                offset=offset,
                limit=PAGE_SIZE,
            )
            column.items.update(enumerate(page, start=offset))
        return column_index, index

    def _apply_snapshot(self, result: tuple[BoardSnapshot, BoardScope]) -> None:
        snapshot, scope = result
        if scope != self.scope:
            self.scope = scope
            self._show_scope()
        self.statuses = [column.status for column in snapshot.columns]
        self.board.set_columns(snapshot.columns, now=snapshot.now, select=snapshot.select)
        self._warn_wip(snapshot.columns)

    def set_status(self, text: str | Content) -> None:
        """Show news on the status line; the WIP warning waits before it takes it back."""
        self._news_at = time.monotonic()
        super().set_status(text)

    def _warn_wip(self, columns: list[ColumnData]) -> None:
        """The standing warning of the status line, unless fresher news is showing
        (the reload after someone else's change must not hide who changed what)."""
        over = [c for c in columns if c.status.wip_max is not None and c.count > c.status.wip_max]
        if over and time.monotonic() - self._news_at >= NEWS_SECONDS:
            names = ", ".join(f"{c.status.name} {wip_label(c)[0]}" for c in over)
            super().set_status(Content.assemble(("WIP limit exceeded: ", "bold"), names))

    @on(BoardView.PageNeeded)
    def _load_page(self, message: BoardView.PageNeeded) -> None:
        scope, flt, since = self.scope, self.filter, self.done_since
        status_id, offset = message.status_id, message.offset
        generation = self.board.generation

        def job(store: Store) -> list[Item]:
            return store.board_column(
                status_id,
                flt=flt,
                container_id=scope.container_id,
                done_since=since,
                offset=offset,
                limit=PAGE_SIZE,
            )

        self.tapp.submit(
            job, lambda items: self.board.add_page(status_id, offset, items, generation)
        )

    @on(BoardView.CursorMoved)
    def _remember_selection(self, message: BoardView.CursorMoved) -> None:
        if message.item_id is not None:
            self.tapp.selected_item_id = message.item_id
        has_card = message.item_id is not None
        if has_card != self._had_card:  # the key line only changes when this flips
            self._had_card = has_card
            self.refresh_bindings()
        if has_card:
            self._rest_then_read_ahead()

    def _rest_then_read_ahead(self) -> None:
        """(Re)start the wait before the selected card's panel is read ahead."""
        if self._ahead_timer is not None:
            self._ahead_timer.stop()
        self._ahead_timer = self.set_timer(READ_AHEAD_SECONDS, self._read_ahead)

    def _read_ahead(self) -> None:
        """Read the selected card's panel in the background (issue 5: ``enter``).

        Why: the panel used to open with its history "loading…" and repaint once the
        read came back (a worker round trip, about 30 ms at 50,000 items); read ahead,
        it opens complete in one frame. It waits until the cursor rests, so moving
        through cards reads nothing, and is read again when the card changes.
        """
        item = self._selected()
        if item is None or self._ahead_fits(item):
            return
        from taskdesk.ui.screens.item_panel import read_panel

        def keep(data: PanelData) -> None:
            selected = self._selected()
            if selected is not None and selected.id == data.item.id:
                self._ahead = data

        self.tapp.submit(lambda store: read_panel(store, item.id, item), keep)

    def _ahead_fits(self, item: Item) -> bool:
        """Is the panel read ahead that of this card, as it is now?"""
        ahead = self._ahead
        return ahead is not None and (ahead.item.id, ahead.item.version) == (
            item.id,
            item.version,
        )

    # ------------------------------------------------------------------ actions
    def action_cursor(self, columns: int, rows: int) -> None:
        """Move the selection."""
        self.board.cursor_by(columns, rows)

    def action_page(self, direction: int) -> None:
        """Move the selection a screenful of cards."""
        self.board.cursor_by(0, direction * self.board.visible_cards)

    def action_cursor_end(self, end: int) -> None:
        """Jump to the first or last card of the column."""
        self.board.cursor_to_end(bool(end))

    def _selected(self) -> Item | None:
        item = self.board.selected_item
        if item is None:
            self.set_status("No card selected.")
        return item

    def action_move(self, step: int) -> None:
        """Move the selected card to the previous/next column (writes the transition).

        The card moves on screen at once; the store writes it in a worker. A refused move
        (a hard WIP limit, a deleted item) reloads the board, which puts the card back,
        and the status line says why.
        """
        if self._selected() is None:
            return
        target = self.board.cursor_column + step
        if 0 <= target < len(self.board.columns):
            refusal = hard_wip_refusal(self.board.columns[target])
            if refusal:
                self.set_status(Content.assemble(("Not moved: ", "bold"), refusal))
                return
        moved = self.board.move_card(step)
        if moved is None:
            return
        item, status = moved
        item_id, status_id = item.id, status.id
        self._say_where(item.title, status.name)  # now, not after the write: no 2nd repaint

        def failed(error: StoreError) -> None:
            self.set_status(Content.assemble(("Not moved: ", "bold"), str(error)))
            self.reload(keep=item_id)

        self.tapp.submit(
            lambda store: store.move_item(item_id, status_id),
            lambda fresh: self._after_move(item, fresh),
            on_error=failed,
        )
        self._warn_wip(self.board.columns)

    def _after_move(self, before: Item, item: Item) -> None:
        """The store wrote the move: show the fresh card, re-read only when needed."""
        self.board.update_item(item)
        if move_needs_reload(before, item, filtered=not self.filter.is_empty):
            self.reload(keep=item.id)

    def action_reorder(self, offset: int) -> None:
        """Move the selected card up or down within its column."""
        item = self._selected()
        if item is not None:
            item_id = item.id
            self.tapp.submit(lambda store: store.reorder_item(item_id, offset), self._after_change)

    def action_done(self) -> None:
        """Complete the selected card."""
        item = self._selected()
        if item is not None:
            item_id = item.id
            self.tapp.submit(lambda store: store.complete_item(item_id), self._after_change)

    def action_start(self) -> None:
        """Move the selected card to the first "started" column."""
        item = self._selected()
        if item is not None:
            item_id = item.id
            self.tapp.submit(lambda store: store.start_item(item_id), self._after_change)

    def action_delete(self) -> None:
        """Delete the selected card after asking (undo brings it back)."""
        item = self._selected()
        if item is None:
            return
        item_id = item.id

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.tapp.submit(lambda store: store.delete_item(item_id), lambda _: self.reload())

        from taskdesk.ui.screens.confirm import ConfirmScreen

        question = f"Delete “{clean_line(item.title)}”? (u undoes it)"
        self.app.push_screen(ConfirmScreen(question, yes="Delete", no="Keep"), confirmed)

    def _after_change(self, item: Item) -> None:
        self._say_where(item.title, item.status)
        self.reload(keep=item.id)

    def _say_where(self, title: str, status: str) -> None:
        self.set_status(
            Content.assemble(("“", "dim"), clean_line(title), ("” ", "dim"), f"is in {status}")
        )

    def action_reload(self) -> None:
        """Re-read the board from the store."""
        self.reload()

    # ---------------------------------------------------------- panels and forms
    def action_open(self) -> None:
        """Open the item panel: all fields, urgency breakdown, activity."""
        item = self._selected()
        if item is not None:
            data = self._ahead if self._ahead_fits(item) else None
            self.app.push_screen(self._item_panel(item, data), self._after_panel)

    def _item_panel(self, item: Item, data: PanelData | None = None) -> ItemPanel:
        """The Board's item panel: built once, then shown again with another item.

        Why: composing and laying out a new panel repainted it whole once more on every
        open (about 14 KB at 120×40); a kept one only changes its text.
        """
        from taskdesk.ui.screens.item_panel import ItemPanel

        if self._panel is None:
            self._panel = ItemPanel(item.id, item, data)
            self.app.install_screen(self._panel, f"board-item-panel-{id(self)}")
        else:
            self._panel.show_item(item, data)
        return self._panel

    def _after_panel(self, result: str | None) -> None:
        if self._panel is not None and self._panel.commented:
            self._ahead = None  # a comment was added: read the panel again
            self._rest_then_read_ahead()
        # The panel only adds comments, which no card shows: nothing to re-read.
        if result == "edit":
            self.action_edit()

    def action_edit(self) -> None:
        """Edit the selected item in a validated form."""
        item = self._selected()
        if item is None:
            return
        item_id = item.id

        def open_form(data: tuple[Item, list[Status]]) -> None:
            from taskdesk.ui.screens.edit_form import EditItemScreen

            fresh, statuses = data
            self.app.push_screen(
                EditItemScreen(fresh, statuses),
                lambda saved: self.reload(keep=item_id) if saved else None,
            )

        self.tapp.submit(lambda store: (store.get_item(item_id), store.statuses()), open_form)

    def action_quick_add(self) -> None:
        """Open the one-line quick-add box (live preview of what it understood)."""
        column = self.board.current_column
        status = column.status if column and not column.status.category.is_closed else None
        default_project = self.scope.name if self.scope.container_id is not None else None
        from taskdesk.ui.screens.quick_add import QuickAddScreen

        self.app.push_screen(
            QuickAddScreen(
                status_name=status.name if status else None, default_project=default_project
            ),
            lambda parsed: self._save_new(parsed, status),
        )

    def _save_new(self, parsed: ParsedItem | None, status: Status | None) -> None:
        if parsed is None:
            return
        status_id = status.id if status else None
        self.tapp.submit(lambda store: store.add_item(parsed, status_id=status_id), self._added)

    def _added(self, item: Item) -> None:
        # The status line, not a toast: a toast on screen makes every key repaint it.
        self.set_status(
            Content.assemble(("Added ", "bold"), f"#{item.id}: ", clean_line(item.title))
        )
        self.reload(keep=item.id)

    # ------------------------------------------------------------ filter, scope
    def action_filter(self) -> None:
        """Show the filter line (same words as ``taskdesk list``)."""
        field = self.query_one("#filter-input", Input)
        field.value = self.filter_text
        field.display = True
        field.focus()

    @on(Input.Changed, "#filter-input")
    def _preview_filter(self, event: Input.Changed) -> None:
        try:
            parse_filter(event.value, now=datetime.now())
        except FilterError as error:
            self.set_status(Content.assemble(("Filter: ", "bold"), str(error)))
        else:
            self.set_status("Enter applies the filter, Escape cancels.")

    @on(Input.Submitted, "#filter-input")
    def _apply_filter(self, event: Input.Submitted) -> None:
        try:
            flt = parse_filter(event.value, now=datetime.now())
        except FilterError as error:
            self.notify(str(error), title="Filter", severity="error", markup=False)
            return
        self.filter, self.filter_text = flt, event.value.strip()
        self._close_filter()
        self._show_scope()
        self.reload()

    def _close_filter(self) -> None:
        field = self.query_one("#filter-input", Input)
        field.display = False
        self.board.focus()

    def action_clear_filter(self) -> None:
        """Escape: close the filter line, or clear an applied filter."""
        field = self.query_one("#filter-input", Input)
        if field.display:
            self._close_filter()
            self.set_status("")
            return
        if not self.filter.is_empty:
            self.filter, self.filter_text = Filter(), ""
            self._show_scope()
            self.reload()

    def action_scope(self) -> None:
        """Pick the area or project the board shows (or all work)."""

        from taskdesk.ui.screens.scope import ScopePicker

        def chosen(choice: Container | str | None) -> None:
            if choice is not None:
                self.set_scope(None if isinstance(choice, str) else choice)

        self.tapp.submit(
            lambda store: store.containers(),
            lambda containers: self.app.push_screen(
                ScopePicker(containers, current=self.scope.container_id), chosen
            ),
        )

    def set_scope(self, container: Container | None) -> None:
        """Show one area/project (``None``: all work) and reload."""
        if container is None:
            self.scope = BoardScope()
        else:
            self.scope = BoardScope(container.id, container.name)
        self._show_scope()
        self.reload()

    def _show_scope(self) -> None:
        parts: list[str | tuple[str, str]] = [(" Board: ", "bold"), clean_line(self.scope.name)]
        if not self.filter.is_empty:
            parts += [
                ("   filter: ", "bold"),
                describe_filter(self.filter),
                ("  (esc clears)", "dim"),
            ]
        parts.append(("   p scope · / filter · a add · ? help", "dim"))
        self.query_one("#board-scope", Static).update(Content.assemble(*parts))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out card actions when there is no card under the cursor."""
        card_actions = {"move", "reorder", "done", "start", "open", "edit", "delete"}
        if action in card_actions and self.is_mounted:
            return True if self.board.selected_item is not None else None
        return True
