"""The Gantt chart: a task table on the left, bars on a working-time axis on the right.

Drawn line by line like the Board, so a 2,000-task project scrolls as smoothly as a
20-task one: only the rows on screen are ever turned into text. Every state has a
glyph as well as a colour — critical bars are solid (``█``) where others are shaded
(``▒``), milestones are diamonds (``◆``), summaries are brackets (``▛▀▜``), the today
column is a ``│`` and non-working days are dotted (``·``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from itertools import groupby

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.css.scalar import Scalar
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from taskdesk.ui.gantt_view import GanttRow, GanttRows
from taskdesk.ui.widgets.card_text import fit

__all__ = ["AXIS_ROWS", "GanttChart", "GanttRow", "Zoom"]

#: Rows above the first task: the date axis (two lines).
AXIS_ROWS = 2
#: Weeks one pan step moves at month zoom (one column is a week there).
PAN_MONTH_WEEKS = 4
#: Unchanged cells between two changed runs of a line that are repainted anyway: moving
#: the cursor and restating the style costs about this many bytes.
SPAN_GAP = 6

#: One character cell: its glyph and style.
Cell = tuple[str, Style]


def changed_spans(
    before: Sequence[Cell], after: Sequence[Cell], gap: int = SPAN_GAP
) -> list[tuple[int, int]]:
    """The ``[start, end)`` column ranges where ``after`` differs from ``before``, runs
    closer than ``gap`` unchanged cells joined (a length change: the whole line)."""
    if len(before) != len(after):
        return [(0, len(after))] if after else []
    spans: list[tuple[int, int]] = []
    for column, (old, new) in enumerate(zip(before, after, strict=True)):
        if old == new:
            continue
        if spans and column - spans[-1][1] < gap:
            spans[-1] = (spans[-1][0], column + 1)
        else:
            spans.append((column, column + 1))
    return spans


class Zoom(enum.Enum):
    """How much time one character column shows."""

    DAY = 3  # three columns per day
    WEEK = 1  # one column per day
    MONTH = 0  # one column per week

    @property
    def per_day(self) -> int:
        """Character columns per day (0 at month zoom: a column is a week)."""
        return int(self.value)

    def day_at(self, origin: date, column: int) -> date:
        """The day shown at ``column`` (0 = ``origin``)."""
        if self is Zoom.MONTH:
            return origin + timedelta(days=column * 7)
        return origin + timedelta(days=column // self.per_day)

    def zoom_in(self) -> Zoom:
        """One step closer."""
        return {Zoom.MONTH: Zoom.WEEK, Zoom.WEEK: Zoom.DAY, Zoom.DAY: Zoom.DAY}[self]

    def zoom_out(self) -> Zoom:
        """One step further."""
        return {Zoom.DAY: Zoom.WEEK, Zoom.WEEK: Zoom.MONTH, Zoom.MONTH: Zoom.MONTH}[self]


class GanttChart(Widget, can_focus=True):
    """Rows of tasks with a cursor; the screen owns the keys and hands over the rows."""

    COMPONENT_CLASSES = {
        "gantt--axis",
        "gantt--axis-today",
        "gantt--table",
        "gantt--selected",
        "gantt--related",
        "gantt--bar",
        "gantt--critical",
        "gantt--summary",
        "gantt--milestone",
        "gantt--done",
        "gantt--nonworking",
        "gantt--today",
        "gantt--negative",
        "gantt--baseline",
    }

    DEFAULT_CSS = """
    GanttChart { height: 1fr; layout: horizontal; }
    GanttChart > ChartSide { height: 1fr; }
    GanttChart > #gantt-table { width: 47; }
    GanttChart > #gantt-timeline { width: 1fr; }
    """

    class CursorMoved(Message):
        """The selected task changed."""

        def __init__(self, task_id: int | None) -> None:
            super().__init__()
            self.task_id = task_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: GanttRows = GanttRows([])
        self.related: set[int] = set()
        self.workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
        self.holidays: frozenset[date] = frozenset()
        self.today = date.today()
        self.zoom = Zoom.WEEK
        self.origin = date.today()
        self.cursor = 0
        self.top = 0
        self._row_of: dict[int, int] = {}
        self._background_key: tuple[object, ...] | None = None
        self._background_cells: list[tuple[str, Style]] = []
        self._sides = (
            ChartSide(self, timeline=False, id="gantt-table"),
            ChartSide(self, timeline=True, id="gantt-timeline"),
        )

    def compose(self) -> ComposeResult:
        """The two sides: the task table (with the ``│``) and the timeline.

        Why two widgets: Textual writes a repainted line of a widget from the widget's
        left edge, so scrolling the time axis of one wide widget rewrote the task table
        too. The timeline on its own costs only its changed part (bytes over SSH).
        """
        yield from self._sides

    def _repaint(self, *regions: Region, table: bool = True, timeline: bool = True) -> None:
        """Repaint ``regions`` (chart coordinates; none: everything) of the chosen sides."""
        for side in self._sides:
            if not side.is_mounted or not (timeline if side.timeline else table):
                continue
            if not regions:
                side.refresh()
                continue
            offset = self.table_width() + 1 if side.timeline else 0
            bounds = Region(0, 0, side.size.width, side.size.height)
            parts = [r.translate((-offset, 0)).intersection(bounds) for r in regions]
            parts = [part for part in parts if part.area]
            if parts:
                side.refresh(*parts)

    # ----------------------------------------------------------------- data in
    def set_rows(
        self,
        rows: Sequence[GanttRow],
        *,
        workdays: frozenset[int],
        holidays: frozenset[date],
        today: date,
        select: int | None = None,
        recenter: bool = False,
    ) -> None:
        """Replace the chart's rows; keep (or move to) the selected task.

        The time axis stays where the user left it, unless ``recenter`` (a project shown
        for the first time) puts the selected task's start on screen.
        """
        current = self.selected_id
        self.rows = rows = GanttRows.of(rows)
        self._row_of = {task_id: index for index, task_id in enumerate(rows.ids)}
        self.workdays, self.holidays, self.today = workdays, holidays, today
        wanted = select if select is not None else current
        index = self._row_of.get(wanted) if wanted is not None else None
        self.cursor = index if index is not None else min(self.cursor, max(0, len(rows) - 1))
        if rows and recenter:
            self._center_on(rows[self.cursor].start)
        self._scroll_into_view()
        self._repaint()

    def set_related(self, related: set[int]) -> None:
        """Highlight the selected task's predecessors and successors.

        Only the rows whose mark changed are repainted (a key press over SSH then costs
        a few lines, not the chart).
        """
        changed = self.related ^ related
        self.related = related
        self._refresh_rows(self._row_of[task_id] for task_id in changed if task_id in self._row_of)

    def _refresh_rows(self, indexes: Iterable[int]) -> None:
        """Repaint the table side of the rows at ``indexes`` that are on screen (the
        selection and the » marks live there; the bars do not change with them)."""
        lines = {
            AXIS_ROWS + index - self.top
            for index in indexes
            if self.top <= index < self.top + self.visible_rows
        }
        if lines:
            width = self.table_width() + 1
            regions = (Region(0, y, width, 1) for y in sorted(lines))
            self._repaint(*regions, timeline=False)

    # ---------------------------------------------------------------- data out
    @property
    def selected(self) -> GanttRow | None:
        """The row under the cursor."""
        return self.rows[self.cursor] if self.rows else None

    @property
    def selected_id(self) -> int | None:
        """The id of the task under the cursor."""
        return self.rows.ids[self.cursor] if self.rows else None

    # ------------------------------------------------------------------ moving
    @property
    def visible_rows(self) -> int:
        """Task rows that fit under the axis."""
        return max(1, self.size.height - AXIS_ROWS)

    def move_cursor(self, delta: int) -> None:
        """Move the selection up/down and follow it with the timeline."""
        if not self.rows:
            return
        before, old = (self.top, self.origin), self.cursor
        self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))
        self._scroll_into_view()
        self._follow_bar()
        self.post_message(self.CursorMoved(self.selected_id))
        if (self.top, self.origin) == before:
            self._refresh_rows((old, self.cursor))  # only the two rows changed
        else:
            self._repaint()

    def pan(self, steps: int) -> None:
        """Scroll the timeline sideways: a week per step (four at month zoom).

        Whole weeks keep the weekend dots where they are, so only the bars' ends, the
        today mark and the date labels change; only those cells are repainted (bytes
        over SSH: a few KB per key instead of the whole timeline).
        """
        weeks = steps * (PAN_MONTH_WEEKS if self.zoom is Zoom.MONTH else 1)
        with self._repaint_timeline():
            self.origin += timedelta(weeks=weeks)

    def set_zoom(self, zoom: Zoom) -> None:
        """Change the zoom, keeping the selected task in view."""
        self.zoom = zoom
        row = self.selected
        self._center_on(row.start if row else self.today)
        self._repaint()

    def _scroll_into_view(self) -> None:
        if self.cursor < self.top:
            self.top = self.cursor
        elif self.cursor >= self.top + self.visible_rows:
            self.top = self.cursor - self.visible_rows + 1
        self.top = max(0, min(self.top, max(0, len(self.rows) - self.visible_rows)))

    def _timeline_width(self) -> int:
        return max(1, self.size.width - self.table_width() - 1)

    def _follow_bar(self) -> None:
        row = self.selected
        if row is None:
            return
        start = self._column_of(row.start)
        end = self._column_of(row.finish)
        width = self._timeline_width()
        if start < 0 or end >= width:
            self._center_on(row.start)

    def _center_on(self, day: date) -> None:
        width_days = self._timeline_width() if self.zoom is Zoom.WEEK else 0
        if self.zoom is Zoom.DAY:
            width_days = self._timeline_width() // 3
        elif self.zoom is Zoom.MONTH:
            width_days = self._timeline_width() * 7
        self.origin = day - timedelta(days=max(1, width_days // 4))
        self.origin -= timedelta(days=self.origin.weekday())  # start the axis on a Monday

    def on_resize(self) -> None:
        """Keep the cursor on screen; size the table side."""
        self._scroll_into_view()
        table = self._sides[0]
        if table.styles.width != Scalar.from_number(self.table_width() + 1):
            table.styles.width = self.table_width() + 1  # (the CSS says the wide table)

    # ---------------------------------------------------------------- geometry
    def table_width(self) -> int:
        """The task table: titles only below 100 columns, all columns above."""
        return 46 if self.size.width >= 100 else min(24, max(12, self.size.width // 3))

    def _column_of(self, day: date) -> int:
        days = (day - self.origin).days
        if self.zoom is Zoom.MONTH:
            return days // 7
        return days * self.zoom.per_day

    # --------------------------------------------------------------- rendering
    def line(self, y: int) -> Strip:
        """Row ``y`` across both sides: the axis, or one task's table cells and bar."""
        table, timeline = self._line_segments(y)
        return Strip(Segment.simplify(table + timeline)).adjust_cell_length(self.size.width)

    def side_line(self, y: int, *, timeline: bool) -> Strip:
        """Row ``y`` of one side (what :class:`ChartSide` draws): only that side is
        built (a bar is most of a line's work)."""
        table, bars = self._line_segments(y, table=not timeline, timeline=timeline)
        width = self._timeline_width() if timeline else self.table_width() + 1
        # One segment per run of equal style, not per cell: a repainted line then costs
        # a few escape sequences instead of one per column (bytes over SSH).
        return Strip(Segment.simplify(bars if timeline else table)).adjust_cell_length(width)

    def _line_segments(
        self, y: int, *, table: bool = True, timeline: bool = True
    ) -> tuple[list[Segment], list[Segment]]:
        """Row ``y`` as the table side's segments (with the ``│``) and the timeline's
        (each built only if asked for)."""
        table_w = self.table_width()
        if y < AXIS_ROWS:
            segments = self._axis_line(y, table_w)
            return segments[:2], segments[2:]
        index = self.top + y - AXIS_ROWS
        if index >= len(self.rows):
            return [Segment(" " * (table_w + 1))], [Segment(" " * self._timeline_width())]
        row = self.rows[index]
        cells = [*self._task_cells(index, table_w), Segment("│")] if table else []
        return cells, self._bar(row) if timeline else []

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"gantt--{name}")

    def _axis_line(self, y: int, table_w: int) -> list[Segment]:
        if y == 0 and table_w >= 46:
            head = f"{'Task':<22} {'Dur':>4} {'Start':>5} {'Finish':>5} {'Fl':>3}"
        else:
            head = "Task" if y == 0 else ""
        axis = self._style("axis")
        width = self._timeline_width()
        text = self._axis_labels(width) if y == 0 else self._axis_ticks(width)
        segments = [Segment(fit(head, table_w).ljust(table_w), axis), Segment("│", axis)]
        today = self._column_of(self.today)
        span = self.zoom.per_day if self.zoom is not Zoom.MONTH else 1
        if y == 1 and 0 <= today < width:
            end = min(width, today + span)
            segments += [
                Segment(text[:today], axis),
                Segment(text[today:end], self._style("axis-today")),
                Segment(text[end:], axis),
            ]
        else:
            segments.append(Segment(text, axis))
        return segments

    def _axis_labels(self, width: int) -> str:
        """Line 1: a date label at each week (or month) start that has room."""
        chars = [" "] * width
        column = 0
        while column < width:
            day = self.zoom.day_at(self.origin, column)
            if self.zoom is Zoom.MONTH:
                starts = day.day <= 7
                label = day.strftime("%b %Y")
            else:
                starts = day.weekday() == 0 and (self.zoom is Zoom.WEEK or column % 3 == 0)
                label = day.strftime("%d %b")
            if starts and column + len(label) <= width and chars[column] == " ":
                chars[column : column + len(label)] = list(label)
                column += len(label) + 1
                continue
            column += 1
        return "".join(chars)

    def _axis_ticks(self, width: int) -> str:
        """Line 2: day numbers (day zoom), weekday letters (week zoom), week ticks (month)."""
        out = []
        for column in range(width):
            day = self.zoom.day_at(self.origin, column)
            if self.zoom is Zoom.DAY:
                out.append(f"{day.day:>2} "[column % 3])
            elif self.zoom is Zoom.WEEK:
                out.append("MTWTFSS"[day.weekday()])
            else:
                out.append("┬" if day.day <= 7 else "╌")
        return "".join(out)

    def _task_cells(self, index: int, table_w: int) -> list[Segment]:
        """The task table's cells of row ``index`` (the marker, title, dates, float)."""
        row = self.rows[index]
        selected = index == self.cursor
        related = row.task_id in self.related
        base = self._style("selected" if selected else "related" if related else "table")
        marker = "▌" if selected else ("»" if related else " ")
        over = "! " if row.overallocated else ""  # someone on it is over capacity
        title = ("  " * row.depth) + over + ("◆ " if row.milestone else "") + row.title
        if table_w >= 46:
            fl = "—" if row.summary else str(row.total_float)
            dates = f"{row.start:%m-%d} {row.finish:%m-%d}"
            cells = f"{fit(title, 21):<21} {row.duration:>3}d {dates} {fl:>3}"
        else:
            cells = fit(title, table_w - 1)
        if row.total_float < 0 and table_w >= 46:
            base = base + self._style("negative")  # late against a deadline: say it loudly
        return [Segment(marker, base), Segment(fit(cells, table_w - 1).ljust(table_w - 1), base)]

    def _bar(self, row: GanttRow) -> list[Segment]:
        """The timeline part of a task's line, as one segment per style run."""
        return [
            Segment("".join(char for char, _ in run), style)
            for style, run in groupby(self._bar_cells(row), key=lambda cell: cell[1])
        ]

    def _bar_cells(self, row: GanttRow) -> list[Cell]:
        """The timeline part of a task's line, one cell per column: the shared
        background with the bar, the baseline marks and the milestone laid over it."""
        width = self._timeline_width()
        start = self._column_of(row.start)
        end = (
            self._column_of(row.finish)
            + max(1, self.zoom.per_day if self.zoom is not Zoom.MONTH else 1)
            - 1
        )
        cells = list(self._background(width))
        self._lay_baseline(row, cells)
        if row.milestone:
            if 0 <= start < width:
                cells[start] = ("◆", self._style("milestone"))
        else:
            label = self._bar_label(row, end - start + 1)
            for column in range(max(0, start), min(width, end + 1)):
                segment = self._bar_glyph(row, column, start, end, label)
                cells[column] = (segment.text, segment.style or Style())
        return cells

    def _timeline_cells(self, y: int) -> list[Cell]:
        """Line ``y`` right of the table's ``│``, one cell per column (all one-cell
        glyphs): what moving the time axis can change."""
        if y >= AXIS_ROWS:
            index = self.top + y - AXIS_ROWS
            if index < len(self.rows):
                return self._bar_cells(self.rows[index])
            return [(" ", Style())] * self._timeline_width()
        segments = self._axis_line(y, self.table_width())[2:]  # after the head and "│"
        return [(char, segment.style or Style()) for segment in segments for char in segment.text]

    @contextmanager
    def _repaint_timeline(self) -> Iterator[None]:
        """Repaint only the timeline cells that differ after the block ran."""
        if not self.is_mounted or not self.rows:
            yield
            self._repaint()
            return
        lines = range(self.size.height)
        before = [self._timeline_cells(y) for y in lines]
        yield
        left = self.table_width() + 1
        regions = []
        for y in lines:
            spans = changed_spans(before[y], self._timeline_cells(y))
            if spans:  # Textual writes a line from the side's left edge to the last cell
                regions.append(Region(left + spans[0][0], y, spans[-1][1] - spans[0][0], 1))
        if regions:
            self._repaint(*regions, table=False)

    def _background(self, width: int) -> list[tuple[str, Style]]:
        """The timeline with no bar (today's column, non-working days), one cell per
        column: the same for every row, so built once per position of the axis."""
        today_style, off_style = self._style("today"), self._style("nonworking")
        key: tuple[object, ...] = (self.origin, self.zoom, width, self.today)
        key += (self.workdays, self.holidays, today_style, off_style)  # new theme: new styles
        if self._background_key != key:
            today_column = self._column_of(self.today)
            cells: list[tuple[str, Style]] = []
            for column in range(width):
                day = self.zoom.day_at(self.origin, column)
                if day == self.today and (self.zoom is Zoom.WEEK or column == today_column):
                    cells.append(("│", today_style))
                elif self.zoom is not Zoom.MONTH and not self._is_working(day):
                    cells.append(("·", off_style))
                else:
                    # A blank in the dots' style (a colour only, invisible on a space):
                    # blanks and dots between bars join into one segment.
                    cells.append((" ", off_style))
            self._background_cells, self._background_key = cells, key
        return self._background_cells

    def _lay_baseline(self, row: GanttRow, cells: list[tuple[str, Style]]) -> None:
        """``[`` and ``]`` at the chosen baseline's start and finish (under the bar)."""
        if row.baseline_start is None or row.baseline_finish is None:
            return
        style = self._style("baseline")
        last = self._column_of(row.baseline_finish) + max(1, self.zoom.per_day) - 1
        # "]" first: on a one-column baseline (a milestone) the "[" wins, as it always did.
        for column, mark in ((last, "]"), (self._column_of(row.baseline_start), "[")):
            if 0 <= column < len(cells):
                cells[column] = (mark, style)

    @staticmethod
    def _bar_label(row: GanttRow, length: int) -> str:
        if row.milestone or row.summary or row.percent <= 0:
            return ""
        text = f"{row.percent:.0f}%"
        return text if cell_len(text) + 2 <= length else ""

    def _bar_glyph(self, row: GanttRow, column: int, start: int, end: int, label: str) -> Segment:
        if row.summary:
            glyph = "▛" if column == start else "▜" if column == end else "▀"
            return Segment(glyph, self._style("summary"))
        style = self._style("critical" if row.critical else "bar")
        if row.done:
            style = self._style("done")
        if row.overallocated:
            style = style + Style(underline=True)  # keep the bar's colour, add a mark
        if label:
            at = start + (end - start + 1 - len(label)) // 2
            if at <= column < at + len(label):
                return Segment(label[column - at], style + Style(reverse=True))
        return Segment("█" if row.critical else "▒", style)

    def _is_working(self, day: date) -> bool:
        return day.weekday() in self.workdays and day not in self.holidays


class ChartSide(Widget):
    """One side of a :class:`GanttChart`: the task table or the timeline, drawn by the
    chart (which holds the rows, the cursor and the axis)."""

    def __init__(self, chart: GanttChart, *, timeline: bool, id: str | None = None) -> None:
        super().__init__(id=id)
        self.chart = chart
        self.timeline = timeline

    def render_line(self, y: int) -> Strip:
        """The chart's line ``y``, this side of it."""
        return self.chart.side_line(y, timeline=self.timeline)
