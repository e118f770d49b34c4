"""A month of days on a Monday-first grid, with a cursor day the keys move.

The widget owns its movement keys (like Textual's DataTable owns its cursor keys) and
tells its screen what happened with messages: ``MonthGrid.Picked`` when the user chose
a day. The chosen day is shown in brackets (``[12]``) and today in parentheses
(``(12)``) as well as in colour, so the grid reads the same in 16 colours or none.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from taskdesk.domain.monthgrid import WEEKDAYS, WEEKS, Unit, month_edge, month_weeks, move

#: Characters per day cell: a marker, two digits, a marker.
CELL = 4
#: Rows above the weeks: the month title and the weekday heading.
HEADER_ROWS = 2


class MonthGrid(Widget, can_focus=True):
    """The cursor's month as a grid; ``cursor`` is the chosen day, ``today`` is marked."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "month-grid--title",
        "month-grid--weekday",
        "month-grid--day",
        "month-grid--today",
        "month-grid--chosen",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move('day', -1)", "Day back", id="picker-day-back"),
        Binding("right,l", "move('day', 1)", "Day on", id="picker-day-on"),
        Binding("up,k", "move('week', -1)", "Week back", id="picker-week-back"),
        Binding("down,j", "move('week', 1)", "Week on", id="picker-week-on"),
        Binding(
            "left_square_bracket,pageup", "move('month', -1)", "Month back", id="picker-month-back"
        ),
        Binding(
            "right_square_bracket,pagedown", "move('month', 1)", "Month on", id="picker-month-on"
        ),
        Binding("left_curly_bracket", "move('year', -1)", "Year back", id="picker-year-back"),
        Binding("right_curly_bracket", "move('year', 1)", "Year on", id="picker-year-on"),
        Binding("home", "edge(False)", "First of month", id="picker-month-start"),
        Binding("end", "edge(True)", "Last of month", id="picker-month-end"),
        Binding("t", "today", "Today", id="picker-today"),
        Binding("enter", "pick", "Pick", id="picker-pick"),
    ]

    cursor: reactive[date] = reactive(date(2000, 1, 1))

    class Picked(Message):
        """The user chose ``day`` (enter, or a click on the chosen day)."""

        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    def __init__(
        self, cursor: date, today: date, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.today = today
        self.set_reactive(MonthGrid.cursor, cursor)

    def render(self) -> Text:
        """Title, weekday heading and six weeks; only this month's days are drawn."""
        width = CELL * 7
        title = f"{self.cursor:%B} {self.cursor.year}".center(width)
        text = Text(no_wrap=True, overflow="crop")
        text.append(title, self.get_component_rich_style("month-grid--title"))
        text.append("\n")
        heading = "".join(f" {name} " for name in WEEKDAYS)
        text.append(heading, self.get_component_rich_style("month-grid--weekday"))
        for week in month_weeks(self.cursor.year, self.cursor.month):
            text.append("\n")
            for day in week:
                text.append(*self._cell(day))
        return text

    def _cell(self, day: date | None) -> tuple[str, Style | str]:
        """A day's four characters and their style."""
        if day is None:
            return " " * CELL, ""
        if day == self.cursor:
            style = self.get_component_rich_style("month-grid--chosen")
            if day == self.today:
                style += self.get_component_rich_style("month-grid--today", partial=True)
            return f"[{day.day:2d}]", style
        if day == self.today:
            return f"({day.day:2d})", self.get_component_rich_style("month-grid--today")
        return f" {day.day:2d} ", self.get_component_rich_style("month-grid--day")

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """Seven cells."""
        return CELL * 7

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The header and six weeks, whatever the month."""
        return HEADER_ROWS + WEEKS

    def action_move(self, unit: str, count: int) -> None:
        """Move the chosen day; the grid follows it into other months."""
        self.cursor = move(self.cursor, Unit(unit), count)

    def action_edge(self, last: bool) -> None:
        """Jump to the first or last day of the month."""
        self.cursor = month_edge(self.cursor, last=last)

    def action_today(self) -> None:
        """Back to today."""
        self.cursor = self.today

    def action_pick(self) -> None:
        """Tell the screen the user chose the cursor day."""
        self.post_message(self.Picked(self.cursor))

    def day_at(self, x: int, y: int) -> date | None:
        """The day drawn at content offset (x, y), or None for the header or a blank."""
        row, column = y - HEADER_ROWS, x // CELL
        if not (0 <= row < WEEKS and 0 <= column < 7):
            return None
        return month_weeks(self.cursor.year, self.cursor.month)[row][column]

    def on_click(self, event: events.Click) -> None:
        """A click chooses a day; a click on the chosen day picks it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        day = self.day_at(offset.x, offset.y)
        if day is None:
            return
        if day == self.cursor:
            self.post_message(self.Picked(day))
        else:
            self.cursor = day
