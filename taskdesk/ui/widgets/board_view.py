"""The kanban Board: columns of cards, drawn line by line.

Only what is on screen is drawn, and only what is near the screen is loaded: each column
knows its card *count* and holds a sparse ``index → Item`` cache that the screen fills a
page at a time. Scrolling to a card that is not loaded yet draws a placeholder and asks
the screen (``BoardView.PageNeeded``) to load its page. So a column of 40,000 cards costs
the same to draw as a column of 4.
"""

from __future__ import annotations

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
from taskdesk.ui.widgets.card_text import CARD_HEIGHT, Part, card_lines, fit

#: A column is never drawn narrower than this; more columns scroll sideways.
MIN_COLUMN_WIDTH = 24
#: Rows above the first card: the column header and its rule.
HEADER_ROWS = 2
#: Cards are loaded in pages of this many.
PAGE_SIZE = 60


@dataclass(slots=True)
class ColumnData:
    """One column as the screen hands it over: its status, card count and loaded cards."""

    status: Status
    count: int
    items: dict[int, Item] = field(default_factory=dict)
    note: str = ""


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

    # ----------------------------------------------------------------- data in
    def set_columns(self, columns: list[ColumnData], *, now: datetime) -> None:
        """Replace the board's data (keeps the cursor position, clamped)."""
        self.columns = columns
        self.now = now
        self._requested.clear()
        visible = self.visible_cards
        for index, column in enumerate(columns):  # a filter may have shrunk a column
            top = max(0, column.count - visible)
            self._scroll[index] = min(self._scroll.get(index, 0), top)
        self.cursor_column = min(self.cursor_column, max(0, len(columns) - 1))
        self._clamp_row()
        self._scroll_into_view()
        self.refresh()

    def add_page(self, status_id: int, offset: int, items: list[Item]) -> None:
        """Put a loaded page into its column's cache."""
        for column in self.columns:
            if column.status.id == status_id:
                for index, item in enumerate(items, start=offset):
                    column.items[index] = item
        self.refresh()

    def select(self, column: int, row: int) -> None:
        """Put the cursor on ``column``/``row`` and scroll it into view."""
        before = self._view_state()
        old_column, old_row = self.cursor_column, self.cursor_row
        self.cursor_column = max(0, min(column, len(self.columns) - 1))
        self.cursor_row = max(0, row)
        self._clamp_row()
        self._scroll_into_view()
        self._announce()
        after = self._view_state()
        if after != before:
            self._refresh_scrolled(before, after)
            return
        regions = [self._card_region(old_column, old_row)]
        regions.append(self._card_region(self.cursor_column, self.cursor_row))
        if old_column != self.cursor_column:
            regions.append(Region(0, 0, self.size.width, 1))  # the ▸ marker moved
        shown = [region for region in regions if region is not None]
        if shown:
            self.refresh(*shown)

    def _refresh_scrolled(
        self,
        before: tuple[int, tuple[tuple[int, int], ...]],
        after: tuple[int, tuple[tuple[int, int], ...]],
    ) -> None:
        """Repaint the columns that scrolled (all of them if the columns slid sideways)."""
        if before[0] != after[0] or self.cursor_column != self._scroll_column(before, after):
            self.refresh()
            return
        slot = self.cursor_column - self._column_offset
        widths = self._column_widths()
        x = sum(widths[:slot]) + slot
        self.refresh(Region(x, 0, widths[slot], self.size.height))

    @staticmethod
    def _scroll_column(
        before: tuple[int, tuple[tuple[int, int], ...]],
        after: tuple[int, tuple[tuple[int, int], ...]],
    ) -> int | None:
        """The one column whose scroll position changed (None: none or several)."""
        old, new = dict(before[1]), dict(after[1])
        changed = [c for c in old.keys() | new.keys() if old.get(c, 0) != new.get(c, 0)]
        return changed[0] if len(changed) == 1 else None

    def _view_state(self) -> tuple[int, tuple[tuple[int, int], ...]]:
        """What decides where every line is drawn: column offset and scroll positions."""
        return self._column_offset, tuple(sorted(self._scroll.items()))

    def _card_region(self, column: int, row: int) -> Region | None:
        """The cells of card ``row`` of ``column`` (None when it is not on screen)."""
        slot = column - self._column_offset
        widths = self._column_widths()
        if not 0 <= slot < len(widths):
            return None
        first = self._scroll.get(column, 0)
        if not first <= row < first + self.visible_cards:
            return None
        x = sum(widths[:slot]) + slot  # one separator column between slots
        y = HEADER_ROWS + (row - first) * CARD_HEIGHT
        return Region(x, y, widths[slot], CARD_HEIGHT - 1)

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
        return Strip(segments, self.size.width).adjust_cell_length(self.size.width)

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
