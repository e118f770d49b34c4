"""The calendar grid: a month, a week or an agenda, drawn line by line.

One widget draws the whole period (never one widget per entry): ``render_line`` builds
row ``y`` from the data the screen handed over, so a day with 3,000 items costs the
same to draw as a day with 3 (the cell shows what fits and "+N more"). Every state is
in the text as well as the colour: ``!`` overdue, ``◆`` milestone, ``↻`` routine,
``✓`` done, ``▶ ■ ⚑`` project start/finish/deadline, ``▸`` the cursor.

A multi-day item is drawn in full on its first and last day; in the month view the days
it merely runs through show it only at the start of a week row, else it folds into one
dim "⋯ N ongoing" line, so a long project task never crowds out a day's own items. The
week view uses its height: times of day, and each entry's project on a dim line when
there is room.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.cells import cell_len
from rich.segment import Segment
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from taskdesk.domain.calendar import CalendarView, Entry, EntryKind
from taskdesk.domain.text import clean_line
from taskdesk.ui.calendar_data import CalendarData
from taskdesk.ui.widgets.card_text import fit as fit_text

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def entry_label(entry: Entry, day: date, *, with_time: bool = False) -> str:
    """An entry as a cell shows it: its state markers, its time of day (``with_time``),
    ``…`` when a span goes on from an earlier day, then its title (user text, cleaned,
    never markup)."""
    marker = entry.marker()
    carried = "…" if entry.first < day else ""
    prefix = f"{marker} " if marker else ""
    at = entry.time_on(day) if with_time else None
    clock = f"{at:%H:%M} " if at is not None else ""
    return f"{prefix}{clock}{carried}{clean_line(entry.title)}"


def runs_through(entry: Entry, day: date) -> bool:
    """The entry spans ``day`` without starting or ending on it."""
    return entry.first < day < entry.last


@dataclass(frozen=True, slots=True)
class CellLine:
    """One line of a day cell: an entry (its index in the day's entries), the entry's
    project under it (``detail``), or a summary ("+N more", "⋯ N ongoing")."""

    entry: Entry | None = None
    index: int = -1
    text: str = ""
    detail: bool = False
    short: str = ""  # the summary in a narrow cell


def cell_lines(
    entries: list[Entry],
    total: int,
    day: date,
    rows: int,
    *,
    selected: int = -1,
    fold: bool = False,
    details: bool = False,
) -> list[CellLine]:
    """The lines a day cell of ``rows`` lines shows.

    ``entries`` are the day's loaded entries in display order (spans running through the
    day last), ``total`` how many the day has in all. ``fold``: spans running through
    fold into one "⋯ N ongoing" line (unless the entry cursor ``selected`` is on one).
    ``details``: each entry's project on a dim line under it, when everything fits.
    When not everything fits, the last line says "+N more" and the window slides so the
    selected entry stays visible.
    """
    if rows <= 0:
        return []
    own = len(entries)
    if fold:
        own = next((n for n, e in enumerate(entries) if runs_through(e, day)), len(entries))
        if selected >= own:
            own = len(entries)
    ongoing = len(entries) - own
    unloaded = max(0, total - len(entries))
    summary: list[CellLine] = []
    if ongoing:
        summary.append(CellLine(text=f" ⋯ {ongoing} ongoing", short=f" ⋯{ongoing}"))
    if unloaded:
        summary.append(CellLine(text=f" +{unloaded} more"))
    if own + len(summary) <= rows:
        lines: list[CellLine] = []
        room = own * 2 + len(summary) <= rows
        for index, entry in enumerate(entries[:own]):
            lines.append(CellLine(entry, index))
            if details and room and entry.project and not entry.kind.is_marker:
                lines.append(CellLine(entry, index, detail=True))
        return lines + summary
    offset = 0
    if 0 <= selected < own and selected >= rows - 1:
        offset = min(selected - (rows - 2), own - (rows - 1))
    shown = [CellLine(e, offset + n) for n, e in enumerate(entries[offset : offset + rows - 1])]
    return [*shown, CellLine(text=f" +{max(total, len(entries)) - len(shown)} more")]


def entry_style(entry: Entry) -> str:
    """The component class of an entry (the text markers say the same without colour)."""
    if entry.kind.is_marker:
        return "cal--late" if entry.overdue else "cal--marker"
    if entry.done:
        return "cal--done"
    if entry.overdue:
        return "cal--overdue"
    if entry.kind is EntryKind.PROJECTED:
        return "cal--projected"
    if entry.milestone:
        return "cal--milestone"
    return "cal--entry"


class CalendarGrid(Widget, can_focus=True):
    """The period under a day cursor and an entry cursor; keys live on the screen."""

    COMPONENT_CLASSES = {
        "cal--header",
        "cal--day",
        "cal--other-month",
        "cal--today",
        "cal--cursor-day",
        "cal--entry",
        "cal--selected",
        "cal--overdue",
        "cal--done",
        "cal--projected",
        "cal--milestone",
        "cal--marker",
        "cal--late",
        "cal--more",
        "cal--rule",
        "cal--dim",
    }

    DEFAULT_CSS = """
    CalendarGrid { height: 1fr; }
    CalendarGrid > .cal--header { text-style: bold; }
    CalendarGrid > .cal--day { text-style: bold; }
    CalendarGrid > .cal--other-month { color: $text-muted; }
    CalendarGrid > .cal--today { color: $accent; text-style: bold underline; }
    CalendarGrid > .cal--cursor-day { text-style: bold reverse; }
    CalendarGrid > .cal--selected { text-style: reverse; }
    CalendarGrid > .cal--overdue { color: $error; text-style: bold; }
    CalendarGrid > .cal--done { color: $text-muted; }
    CalendarGrid > .cal--projected { color: $text-muted; text-style: italic; }
    CalendarGrid > .cal--milestone { color: $warning; text-style: bold; }
    CalendarGrid > .cal--marker { color: $accent; text-style: bold; }
    CalendarGrid > .cal--late { color: $error; text-style: bold; }
    CalendarGrid > .cal--more { color: $text-muted; text-style: italic; }
    CalendarGrid > .cal--rule { color: $text-muted; }
    CalendarGrid > .cal--dim { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: CalendarData | None = None
        self.cursor = date.today()
        self.entry_index = 0
        self.today = date.today()
        self.month = date.today().month
        self._agenda_top = 0

    def set_data(
        self, data: CalendarData, *, cursor: date, entry_index: int, today: date, month: int
    ) -> None:
        """Draw ``data`` with the cursor on ``cursor`` and its ``entry_index``-th entry."""
        self.data, self.cursor, self.entry_index = data, cursor, entry_index
        self.today, self.month = today, month
        self.refresh()

    def set_cursor(self, cursor: date, entry_index: int) -> None:
        """Move the cursors within the data already drawn. In the month view only the
        box around the cells of the old and the new cursor day is repainted.

        One box, not one region per cell: Textual writes each line of a widget from its
        left edge to the end of the dirty region, so two regions on the same rows write
        those rows twice; one box writes them once, up to the rightmost of the two days
        (less than the whole week row the day cursor used to repaint)."""
        before = self.cursor
        self.cursor, self.entry_index = cursor, entry_index
        data = self.data
        if data is None or data.view is not CalendarView.MONTH:
            self.refresh()
            return
        old, new = self.day_cell(data, before), self.day_cell(data, cursor)
        if old is None or new is None:
            self.refresh()
            return
        self.refresh(old.union(new))

    def day_cell(self, data: CalendarData, day: date) -> Region | None:
        """Where the month view draws ``day``: its column, and the rows of its week
        (day number and entries); None when the day is not shown."""
        if not data.first <= day <= data.last:
            return None
        week, column = divmod((day - data.first).days, 7)
        heights = self.week_heights(data)
        if week >= len(heights):
            return None
        widths = self._widths(7, 6)
        x = sum(widths[:column]) + column  # each earlier cell and its "│"
        return Region(x, 1 + sum(heights[:week]), widths[column], heights[week])

    # ----------------------------------------------------------------- drawing
    def _seg(self, text: str, width: int, style: str) -> Segment:
        text = fit_text(text, width) if cell_len(text) > width else text
        return Segment(
            text + " " * max(0, width - cell_len(text)), self.get_component_rich_style(style)
        )

    def _widths(self, columns: int, separators: int) -> list[int]:
        usable = max(columns, self.size.width - separators)
        base, extra = divmod(usable, columns)
        return [base + (1 if i < extra else 0) for i in range(columns)]

    def render_line(self, y: int) -> Strip:
        """Row ``y`` of the current view."""
        width = self.size.width
        data = self.data
        if data is None:
            segments = [self._seg("Loading…" if y == 0 else "", width, "cal--dim")]
        elif data.view is CalendarView.MONTH:
            segments = self._month_line(data, y)
        elif data.view is CalendarView.WEEK:
            segments = self._week_line(data, y)
        else:
            segments = self._agenda_line(data, y)
        return Strip(segments).adjust_cell_length(width)

    def _join(self, cells: list[list[Segment]], junction: str = "│") -> list[Segment]:
        out: list[Segment] = []
        rule = self.get_component_rich_style("cal--rule")
        for index, cell in enumerate(cells):
            if index:
                out.append(Segment(junction, rule))
            out.extend(cell)
        return out

    # ------------------------------------------------------------------ month
    def week_heights(self, data: CalendarData) -> list[int]:
        """Rows of each week in the month view (day line + entry lines); the rows left
        over go to the first weeks, so the grid fills the widget."""
        weeks = max(1, len(data.days) // 7)
        base, extra = divmod(max(0, self.size.height - 1), weeks)
        return [max(2, base + (1 if n < extra else 0)) for n in range(weeks)]

    def _month_line(self, data: CalendarData, y: int) -> list[Segment]:
        widths = self._widths(7, 6)
        if y == 0:
            cells = [
                [self._seg(f" {WEEKDAYS[n] if w >= 4 else WEEKDAYS[n][:2]}", w, "cal--header")]
                for n, w in enumerate(widths)
            ]
            return self._join(cells)
        heights = self.week_heights(data)
        week, line = 0, y - 1
        while week < len(heights) and line >= heights[week]:
            line -= heights[week]
            week += 1
        if week >= len(heights):
            return [self._seg("", self.size.width, "cal--dim")]
        cells = []
        for column, width in enumerate(widths):
            day = data.days[week * 7 + column]
            if line == 0:
                cells.append(self._day_number(day, width))
            else:
                rows = heights[week] - 1
                cells.append(self._cell_line(data, day, line - 1, rows, width, fold=True))
        return self._join(cells)

    def _day_number(self, day: date, width: int) -> list[Segment]:
        label = f"{day.day:>2}"
        if day.day == 1:
            label += f" {MONTHS[day.month - 1]}"
        if day == self.today:
            label += " today" if width >= 12 else "•"
        if day == self.cursor:
            return [self._seg(f"▸{label}", width, "cal--cursor-day")]
        style = "cal--today" if day == self.today else "cal--day"
        if day.month != self.month:
            style = "cal--other-month"
        return [self._seg(f" {label}", width, style)]

    def _cell_line(
        self,
        data: CalendarData,
        day: date,
        line: int,
        rows: int,
        width: int,
        *,
        fold: bool = False,
        details: bool = False,
    ) -> list[Segment]:
        """Line ``line`` of the cell of ``day`` (``rows`` lines high)."""
        entries = data.placed.get(day, [])
        total = max(data.totals.get(day, 0), len(entries))
        selected = self.entry_index if day == self.cursor else -1
        fold = fold and not (day.weekday() == 0 or day == data.first)
        lines = cell_lines(entries, total, day, rows, selected=selected, fold=fold, details=details)
        if line >= len(lines):
            return [self._seg("", width, "cal--dim")]
        shown = lines[line]
        if shown.entry is None:
            text = shown.short if shown.short and cell_len(shown.text) > width else shown.text
            return [self._seg(text, width, "cal--more")]
        if shown.detail:
            return [self._seg(f"   {clean_line(shown.entry.project or '')}", width, "cal--dim")]
        return self._entry_segments(shown.entry, day, shown.index, width, with_time=details)

    def _entry_segments(
        self, entry: Entry, day: date, index: int, width: int, *, with_time: bool = False
    ) -> list[Segment]:
        selected = day == self.cursor and index == self.entry_index
        text = ("▸" if selected else " ") + entry_label(entry, day, with_time=with_time)
        style = entry_style(entry)
        segment = self._seg(text, width, style)
        if selected:
            segment = Segment(
                segment.text,
                self.get_component_rich_style(style)
                + self.get_component_rich_style("cal--selected"),
            )
        return [segment]

    # ------------------------------------------------------------------- week
    def _week_line(self, data: CalendarData, y: int) -> list[Segment]:
        widths = self._widths(7, 6)
        if y == 0:
            cells = []
            for day, width in zip(data.days, widths, strict=False):
                name = WEEKDAYS[day.weekday()]
                label = f"{name} {day.day}" + (f" {MONTHS[day.month - 1]}" if width >= 11 else "")
                if day == self.cursor:
                    cells.append([self._seg(f"▸{label}", width, "cal--cursor-day")])
                else:
                    style = "cal--today" if day == self.today else "cal--header"
                    cells.append([self._seg(f" {label}", width, style)])
            return self._join(cells)
        if y == 1:
            return self._join([[self._seg("─" * w, w, "cal--rule")] for w in widths], "┼")
        rows = max(1, self.size.height - 2)
        cells = [
            self._cell_line(data, day, y - 2, rows, width, details=True)
            for day, width in zip(data.days, widths, strict=False)
        ]
        return self._join(cells)

    # ----------------------------------------------------------------- agenda
    def agenda_lines(self, data: CalendarData) -> list[tuple[date, int, Entry | None, int]]:
        """Every agenda line: (day, entry index or -1 for the day's heading, entry,
        "+N more" count on the last line of a day)."""
        lines: list[tuple[date, int, Entry | None, int]] = []
        for day in data.days:
            lines.append((day, -1, None, 0))
            entries = data.placed.get(day, [])
            for index, entry in enumerate(entries):
                lines.append((day, index, entry, 0))
            more = data.totals.get(day, 0) - len(entries)
            if more > 0:
                lines.append((day, len(entries), None, more))
        return lines

    def _agenda_line(self, data: CalendarData, y: int) -> list[Segment]:
        lines = self.agenda_lines(data)
        heading = next((n for n, line in enumerate(lines) if line[0] == self.cursor), 0)
        target = next(
            (
                n
                for n, (day, index, entry, _) in enumerate(lines)
                if day == self.cursor and index == self.entry_index and entry is not None
            ),
            heading,
        )
        height = max(1, self.size.height)
        if heading < self._agenda_top or target < self._agenda_top:
            self._agenda_top = max(0, min(heading, target))
        elif target >= self._agenda_top + height:
            self._agenda_top = target - height + 1
        number = self._agenda_top + y
        width = self.size.width
        if number >= len(lines):
            return [self._seg("", width, "cal--dim")]
        day, index, entry, more = lines[number]
        if index == -1:
            label = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"
            if day == self.today:
                label += "  today"
            if not data.placed.get(day):
                label += "  —"
            style = "cal--cursor-day" if day == self.cursor else "cal--header"
            return [self._seg(("▸" if day == self.cursor else " ") + label, width, style)]
        if entry is None:
            return [self._seg(f"    +{more} more (enter lists the day)", width, "cal--more")]
        return self._agenda_entry(entry, day, index, width)

    def _agenda_entry(self, entry: Entry, day: date, index: int, width: int) -> list[Segment]:
        detail = ""
        if entry.project and not entry.kind.is_marker:
            detail += f"  · {clean_line(entry.project)}"
        if entry.spans:
            detail += f"  · {entry.first:%d %b} → {entry.last:%d %b}"
        if entry.kind is EntryKind.PROJECTED:
            detail += "  · projected"
        title_width = max(8, width - 3 - cell_len(detail))
        main = self._entry_segments(entry, day, index, title_width + 1, with_time=True)
        return [
            Segment("  ", self.get_component_rich_style("cal--dim")),
            *main,
            self._seg(detail, max(0, width - 3 - title_width), "cal--dim"),
        ]
