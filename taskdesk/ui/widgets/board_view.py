"""The kanban Board: columns of cards, drawn line by line.

Only what is on screen is drawn, and only what is near the screen is loaded: each column
knows its card *count* and holds a sparse ``index → Item`` cache that the screen fills a
page at a time. Scrolling to a card that is not loaded yet draws a placeholder and asks
the screen (``BoardView.PageNeeded``) to load its page. So a column of 40,000 cards costs
the same to draw as a column of 4.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from taskdesk.domain.model import Item, Status
from taskdesk.ui.board_read import PAGE_SIZE
from taskdesk.ui.widgets.card_text import CARD_HEIGHT, Part, card_lines, fit

#: A column is never drawn narrower than this; more columns scroll sideways.
MIN_COLUMN_WIDTH = 24
#: Rows above the first card: the column header and its rule.
HEADER_ROWS = 2


@dataclass(slots=True)
class ColumnData:
    """One column as the screen hands it over: its status, card count and loaded cards."""

    status: Status
    count: int
    items: dict[int, Item] = field(default_factory=dict)
    note: str = ""


#: One line of one column as drawn: compared before and after a change.
Line = tuple[Segment, ...]


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def wip_label(column: ColumnData) -> tuple[str, str]:
    """The header's count text and its style name: the limit state in words, not only colour."""
    status, count = column.status, column.count
    if status.wip_max is not None:
        text = f"{count}/{status.wip_max}"
        if count > status.wip_max:
            return f"{text} over", "wip-over"
        if count == status.wip_max:
            return f"{text} full", "wip-full"
        return text, "count"
    if status.wip_min is not None and count < status.wip_min:
        return f"{count} min {status.wip_min}", "wip-full"
    suffix = f" {column.note}" if column.note else ""
    return f"{count}{suffix}", "count"


class BoardView(Widget, can_focus=True):
    """Columns of cards with a cursor; keys live on the screen, which calls the ``cursor_*``
    methods and reacts to the messages below."""

    COMPONENT_CLASSES = {
        "board--header",
        "board--header-current",
        "board--count",
        "board--wip-full",
        "board--wip-over",
        "board--rule",
        "board--card",
        "board--card-selected",
        "board--title",
        "board--dim",
        "board--priority-h",
        "board--priority-m",
        "board--priority-l",
        "board--due",
        "board--overdue",
        "board--people",
        "board--project",
        "board--tag",
        "board--blocked",
        "board--blocking",
        "board--recurring",
        "board--more",
        "board--gap",
    }

    DEFAULT_CSS = """
    BoardView { height: 1fr; }
    """

    class PageNeeded(Message):
        """A card that is about to be drawn is not loaded: load the page at ``offset``."""

        def __init__(self, status_id: int, offset: int) -> None:
            super().__init__()
            self.status_id = status_id
            self.offset = offset

    class CursorMoved(Message):
        """The selected card changed (``item_id`` is None on an empty column)."""

        def __init__(self, item_id: int | None) -> None:
            super().__init__()
            self.item_id = item_id

    # repaint=False: select() repaints only the cells that changed (two cards and, when
    # the column changes, the header line): a few hundred bytes per key over SSH, not
    # the whole board.
    cursor_column: reactive[int] = reactive(0, always_update=True, repaint=False)
    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[ColumnData] = []
        self.now = datetime.now()
        self._scroll: dict[int, int] = {}
        self._column_offset = 0
        self._requested: set[tuple[int, int]] = set()
        #: Bumped whenever the cards' indices may have shifted (pages read before are stale).
        self.generation = 0

    # ----------------------------------------------------------------- data in
    def set_columns(
        self,
        columns: list[ColumnData],
        *,
        now: datetime,
        select: tuple[int, int] | None = None,
    ) -> None:
        """Replace the board's data and put the cursor on ``select`` (default: where it was).

        Only the cells whose text or style changed are repainted: a reload after a move or
        someone else's change costs a few lines over SSH, not the whole board.
        """
        with self._repaint_changes():
            self.columns = columns
            self.now = now
            self.generation += 1
            self._requested.clear()
            visible = self.visible_cards
            for index, column in enumerate(columns):  # a filter may have shrunk a column
                top = max(0, column.count - visible)
                self._scroll[index] = min(self._scroll.get(index, 0), top)
            column_index, row = select or (self.cursor_column, self.cursor_row)
            self.cursor_column = min(max(0, column_index), max(0, len(columns) - 1))
            self.cursor_row = max(0, row)
            self._clamp_row()
            self._scroll_into_view()
        self._announce()
        self._prefetch_neighbours()

    def add_page(self, status_id: int, offset: int, items: list[Item], generation: int) -> None:
        """Put a loaded page into its column's cache (a page read before the board's data
        changed under it is dropped and asked for again)."""
        if generation != self.generation:
            self._requested.discard((status_id, offset))
            self.post_message(self.PageNeeded(status_id, offset))
            self._requested.add((status_id, offset))
            return
        where = {n for n, c in enumerate(self.columns) if c.status.id == status_id}
        with self._repaint_changes(where):
            for column in self.columns:
                if column.status.id == status_id:
                    for index, item in enumerate(items, start=offset):
                        column.items[index] = item

    def move_card(self, step: int) -> tuple[Item, Status] | None:
        """Move the selected card to the end of the next (``step`` 1) or previous (-1)
        column at once, as the store will; returns the card and its new status.

        The store write follows in a worker; on failure the screen reloads, which puts
        the card back. Only the two columns' changed cells are repainted.
        """
        source, row = self.cursor_column, self.cursor_row
        item = self.selected_item
        target = source + step
        if item is None or not 0 <= target < len(self.columns):
            return None
        with self._repaint_changes({source, target}):
            self.generation += 1
            old, new = self.columns[source], self.columns[target]
            old.items = {
                (i if i < row else i - 1): card for i, card in old.items.items() if i != row
            }
            old.count = max(0, old.count - 1)
            new.items[new.count] = item
            new.count += 1
            self.cursor_column, self.cursor_row = target, new.count - 1
            self._scroll_into_view()
        self._announce()
        return item, new.status

    def update_item(self, item: Item) -> None:
        """Show a fresh copy of a loaded card (after the store wrote it)."""
        found = [
            (n, index)
            for n, column in enumerate(self.columns)
            for index, card in column.items.items()
            if card.id == item.id
        ]
        with self._repaint_changes({n for n, _index in found}):
            for n, index in found:
                self.columns[n].items[index] = item

    # ------------------------------------------------------------ repainting
    def _frame(self, only: set[int] | None) -> tuple[object, dict[int, list[Line]]]:
        """What the visible cells show: the layout and, per slot, each line's segments
        (``only``: just the slots of these column indices; nothing else can change)."""
        widths = self._column_widths() if self.columns else []
        layout = (self._column_offset, tuple(widths), len(self.columns), self.size)
        slots = {
            slot: [
                tuple(self._column_line(self._column_offset + slot, y, width))
                for y in range(self.size.height)
            ]
            for slot, width in enumerate(widths)
            if only is None or self._column_offset + slot in only
        }
        return layout, slots

    @contextmanager
    def _repaint_changes(self, only: set[int] | None = None) -> Iterator[None]:
        """Repaint only the lines that differ after the block ran (``only``: the columns
        the block may change, when the caller knows; the layout changing repaints all)."""
        if not self.is_mounted or not self.columns:
            yield
            self.refresh()
            return
        layout, before = self._frame(only)
        yield
        if not self.columns:
            self.refresh()
            return
        new_layout, after = self._frame(only)
        if new_layout != layout:
            self.refresh()
            return
        widths = self._column_widths()
        regions: list[Region] = []
        for slot, lines in after.items():
            x = sum(widths[:slot]) + slot
            changed = [y for y, line in enumerate(lines) if line != before[slot][y]]
            regions.extend(Region(x, y0, widths[slot], y1 - y0 + 1) for y0, y1 in _runs(changed))
        if regions:
            self.refresh(*regions)

    def select(self, column: int, row: int) -> None:
        """Put the cursor on ``column``/``row`` and scroll it into view.

        Only the lines that differ are repainted (the two cards, the header's ▸ marker;
        when a column scrolls, its lines whose text changed): a few hundred bytes per key
        over SSH, not the whole board.
        """
        target = max(0, min(column, len(self.columns) - 1))
        with self._repaint_changes({self.cursor_column, target}):
            self.cursor_column = target
            self.cursor_row = max(0, row)
            self._clamp_row()
            self._scroll_into_view()
        self._announce()
        self._prefetch_neighbours()

    # ---------------------------------------------------------------- data out
    @property
    def current_column(self) -> ColumnData | None:
        """The column under the cursor."""
        if not self.columns:
            return None
        return self.columns[self.cursor_column]

    @property
    def selected_item(self) -> Item | None:
        """The card under the cursor, if it is loaded."""
        column = self.current_column
        if column is None:
            return None
        return column.items.get(self.cursor_row)

    # ------------------------------------------------------------ cursor moves
    def cursor_by(self, columns: int = 0, rows: int = 0) -> None:
        """Move the cursor; used by the screen's ``hjkl``/arrow/page actions."""
        if not self.columns:
            return
        self.select(self.cursor_column + columns, self.cursor_row + rows)

    def cursor_to_end(self, end: bool) -> None:
        """Jump to the first (``end=False``) or last card of the column."""
        column = self.current_column
        if column is not None:
            self.select(self.cursor_column, column.count - 1 if end else 0)

    @property
    def visible_cards(self) -> int:
        """How many whole cards fit in a column."""
        return max(1, (self.size.height - HEADER_ROWS) // CARD_HEIGHT)

    def _clamp_row(self) -> None:
        column = self.current_column
        top = (column.count - 1) if column else 0
        self.cursor_row = max(0, min(self.cursor_row, max(0, top)))

    def _scroll_into_view(self) -> None:
        if not self.columns:
            return
        first = self._scroll.get(self.cursor_column, 0)
        visible = self.visible_cards
        if self.cursor_row < first:
            first = self.cursor_row
        elif self.cursor_row >= first + visible:
            first = self.cursor_row - visible + 1
        self._scroll[self.cursor_column] = max(0, first)
        shown = self._columns_shown()
        if self.cursor_column < self._column_offset:
            self._column_offset = self.cursor_column
        elif self.cursor_column >= self._column_offset + shown:
            self._column_offset = self.cursor_column - shown + 1
        self._column_offset = max(0, min(self._column_offset, len(self.columns) - shown))

    def _prefetch_neighbours(self) -> None:
        """Ask for the last cards of the columns beside the cursor, if not loaded.

        ``H``/``L`` put the card at the end of the next column and show it there: with
        that column's last cards already loaded, the move is drawn once and complete,
        instead of with placeholders and again when their page arrives.
        """
        for index in (self.cursor_column - 1, self.cursor_column + 1):
            if not 0 <= index < len(self.columns):
                continue
            column = self.columns[index]
            first = max(0, column.count - self.visible_cards + 1)
            for card_index in range(first, column.count):
                if card_index not in column.items:
                    self._request_page(column.status.id, card_index)

    def _announce(self) -> None:
        item = self.selected_item
        self.post_message(self.CursorMoved(item.id if item else None))

    def on_resize(self) -> None:
        """Keep the cursor visible when the terminal changes size."""
        self._scroll_into_view()

    # ---------------------------------------------------------------- geometry
    def _columns_shown(self) -> int:
        width = max(1, self.size.width)
        fit_count = max(1, (width + 1) // (MIN_COLUMN_WIDTH + 1))
        return max(1, min(len(self.columns), fit_count))

    def _column_widths(self) -> list[int]:
        shown = self._columns_shown()
        usable = max(shown, self.size.width - (shown - 1))
        base, extra = divmod(usable, shown)
        return [base + (1 if i < extra else 0) for i in range(shown)]

    # --------------------------------------------------------------- rendering
    def render_line(self, y: int) -> Strip:
        """Draw row ``y`` across the visible columns."""
        if not self.columns:
            return self._empty_board_line(y)
        widths = self._column_widths()
        rule = self.get_component_rich_style("board--rule")
        segments: list[Segment] = []
        for slot, width in enumerate(widths):
            index = self._column_offset + slot
            if slot:
                segments.append(Segment("┼" if y == 1 else "│", rule))
            segments.extend(self._column_line(index, y, width))
        return Strip(segments, self.size.width).adjust_cell_length(self.size.width).simplify()

    def _empty_board_line(self, y: int) -> Strip:
        text = "No columns yet." if y == 1 else ""
        style = self.get_component_rich_style("board--dim")
        return Strip([Segment(fit(text, self.size.width), style)]).adjust_cell_length(
            self.size.width
        )

    def _column_line(self, index: int, y: int, width: int) -> list[Segment]:
        column = self.columns[index]
        if y == 0:
            return self._header(index, column, width)
        if y == 1:
            return self._rule(index, column, width)
        return self._card_row(index, column, y - HEADER_ROWS, width)

    def _header(self, index: int, column: ColumnData, width: int) -> list[Segment]:
        current = index == self.cursor_column
        name_style = self.get_component_rich_style(
            "board--header-current" if current else "board--header"
        )
        count_text, count_style = wip_label(column)
        left = "◀ " if index == self._column_offset and self._column_offset > 0 else ""
        right = " ▶" if self._is_last_shown(index) and self._more_right() else ""
        marker = "▸" if current else " "
        count_part = f" {count_text}{right}"
        name = fit(f"{left}{marker}{column.status.name}", max(1, width - cell_len(count_part)))
        pad = max(0, width - cell_len(name) - cell_len(count_part))
        return [
            Segment(name + " " * pad, name_style),
            Segment(count_part, self.get_component_rich_style(f"board--{count_style}")),
        ]

    def _is_last_shown(self, index: int) -> bool:
        return index == self._column_offset + self._columns_shown() - 1

    def _more_right(self) -> bool:
        return self._column_offset + self._columns_shown() < len(self.columns)

    def _rule(self, index: int, column: ColumnData, width: int) -> list[Segment]:
        first = self._scroll.get(index, 0)
        text = f"─ ▲ {first} above " if first else ""
        text = fit(text, width)
        return [
            Segment(
                text + "─" * (width - cell_len(text)), self.get_component_rich_style("board--rule")
            )
        ]

    def _card_row(self, index: int, column: ColumnData, row: int, width: int) -> list[Segment]:
        first = self._scroll.get(index, 0)
        slot, line = divmod(row, CARD_HEIGHT)
        card_index = first + slot
        last_row = row == self.size.height - HEADER_ROWS - 1
        below = column.count - (first + self.visible_cards)
        if last_row and below > 0:
            return [self._padded(f"  ▼ {below} more", width, "board--more")]
        gap = [self._padded("", width, "board--gap")]
        if column.count == 0 and row == 0:
            return [self._padded("  (empty)", width, "board--dim")]
        if card_index >= column.count or slot >= self.visible_cards:
            return gap  # past the last card, or a card that would not fit whole
        if line == CARD_HEIGHT - 1:
            return gap
        item = column.items.get(card_index)
        if item is None:
            self._request_page(column.status.id, card_index)
            return [self._padded("  …", width, "board--dim")]
        selected = index == self.cursor_column and card_index == self.cursor_row
        return self._card_segments(item, line, width, selected)

    def _padded(self, text: str, width: int, style: str) -> Segment:
        text = fit(text, width)
        return Segment(text + " " * (width - cell_len(text)), self.get_component_rich_style(style))

    def _request_page(self, status_id: int, card_index: int) -> None:
        offset = (card_index // PAGE_SIZE) * PAGE_SIZE
        key = (status_id, offset)
        if key not in self._requested:
            self._requested.add(key)
            self.post_message(self.PageNeeded(status_id, offset))

    def _card_segments(self, item: Item, line: int, width: int, selected: bool) -> list[Segment]:
        base = self.get_component_rich_style("board--card-selected" if selected else "board--card")
        gutter = Segment("▌" if selected else " ", base)
        parts = card_lines(item, self.now)[line]
        segments = [gutter, *self._fit_parts(parts, width - 1, base)]
        used = sum(cell_len(s.text) for s in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), base))
        return segments

    def _fit_parts(self, parts: list[Part], width: int, base: Style) -> list[Segment]:
        segments: list[Segment] = []
        room = width
        for part in parts:
            if room <= 0:
                break
            text = fit(part.text, room) if cell_len(part.text) > room else part.text
            style = base
            if part.style:
                style = base + self.get_component_rich_style(f"board--{part.style}")
                style = style + Style(bgcolor=base.bgcolor)
            segments.append(Segment(text, style))
            room -= cell_len(text)
        return segments
