"""Preview of a schedule edit: every date that would move, then apply or cancel.

MS Project moves dates silently; here an edit to a date, a duration or a link first
shows what it does to the whole plan, and nothing is written until you say so.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from taskdesk.domain.scheduling import DateChange
from taskdesk.domain.text import clean_line

#: The preview lists this many moved tasks (the count says how many in all).
ROWS_SHOWN = 300


class SchedulePreview(ModalScreen[bool]):
    """Dismisses with True to apply, False to cancel."""

    AUTO_FOCUS = ""  # focus the table only when there is something in it

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "apply", "Apply", id="apply-preview"),
        Binding("escape,n", "cancel", "Cancel", id="cancel-preview"),
    ]

    def __init__(
        self, what: str, moves: list[DateChange], titles: dict[int, str], *, finish: str = ""
    ) -> None:
        super().__init__()
        self.what = what
        self.moves = moves
        self.titles = titles
        self.finish = finish

    def compose(self) -> ComposeResult:
        """What the edit is, and the table of moving dates."""
        count = len(self.moves)
        moved = (
            f"{count} task{'s' if count != 1 else ''} would move."
            if count
            else ("No other date moves.")
        )
        with Vertical(id="preview-box", classes="dialog wide"):
            yield Static(f"{clean_line(self.what)}\n{moved} {self.finish}", markup=False)
            yield DataTable(id="preview-table", cursor_type="row")
            yield Static("enter applies · escape cancels", classes="hint", markup=False)

    def on_mount(self) -> None:
        """Fill the table."""
        table: DataTable[Text] = self.query_one(DataTable)
        table.add_columns("Task", "Start", "", "Finish", "")
        for move in self.moves[:ROWS_SHOWN]:
            table.add_row(
                Text(clean_line(self.titles.get(move.id, f"#{move.id}"))),
                Text(f"{move.old_es} →"),
                Text(str(move.new_es), style="bold"),
                Text(f"{move.old_ef} →"),
                Text(str(move.new_ef), style="bold"),
            )
        hidden = len(self.moves) - ROWS_SHOWN
        if hidden > 0:
            table.add_row(Text(f"… and {hidden} more tasks", style="italic"), *[Text("")] * 4)
        if self.moves:
            table.focus()
        else:
            table.display = False  # nothing moves: enter must reach the screen's "apply"

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter inside the table applies too."""
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        """Write the edit."""
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Leave the plan as it was."""
        self.dismiss(False)
