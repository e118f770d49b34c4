"""Settle an edit conflict: someone saved the item while you were editing it.

Each field you both changed is a row showing theirs and yours; ``space`` flips the row's
choice, ``t``/``y`` choose theirs/yours for every row, ``enter`` saves the result on top
of their version, ``escape`` goes back to the form with your edit intact.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from taskdesk.domain.model import Priority
from taskdesk.domain.text import clean_line

THEIRS, YOURS = "theirs", "yours"


def show_value(value: object) -> str:
    """A field value as short plain text."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Priority):
        return value.value
    if isinstance(value, list | tuple):
        return " ".join(clean_line(str(v)) for v in value)
    return clean_line(str(value))


class ConflictScreen(ModalScreen[dict[str, object] | None]):
    """Dismisses with the chosen value of every conflicting field, or None to go back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "flip", "Flip row", id="flip-choice"),
        Binding("t", "all(0)", "All theirs", id="all-theirs"),
        Binding("y", "all(1)", "All yours", id="all-yours"),
        Binding("enter", "save", "Save", id="save-merge"),
        Binding("escape", "back", "Back to form", id="back-to-form"),
    ]

    def __init__(self, conflicts: dict[str, tuple[object, object]], *, who: str) -> None:
        super().__init__()
        self.conflicts = conflicts
        self.who = who
        self.choice = dict.fromkeys(conflicts, YOURS)

    def compose(self) -> ComposeResult:
        """The explanation and one row per conflicting field."""
        with Vertical(id="conflict-box", classes="dialog wide"):
            yield Static(
                f"{clean_line(self.who)} saved this item while you were editing it. "
                "Fields you changed that they did not are kept. For these, choose:",
                markup=False,
            )
            yield DataTable(id="conflict-table", cursor_type="row")
            yield Static(
                "space flips a row · t all theirs · y all yours · enter saves · escape back",
                classes="hint",
                markup=False,
            )

    def on_mount(self) -> None:
        """Fill the table."""
        table: DataTable[Text] = self.query_one(DataTable)
        table.add_columns("Field", "Theirs", "Yours")
        table.add_column("Keep", width=len(THEIRS))  # wide enough for either choice
        for key, (theirs, yours) in self.conflicts.items():
            table.add_row(
                Text(key),
                Text(show_value(theirs)),
                Text(show_value(yours)),
                Text(self.choice[key], style="bold"),
                key=key,
            )
        table.focus()

    def _refresh_choice(self, key: str) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        table.update_cell(key, table.ordered_columns[3].key, Text(self.choice[key], style="bold"))

    def action_flip(self) -> None:
        """Toggle the highlighted row between theirs and yours."""
        table: DataTable[Text] = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.choice[key] = THEIRS if self.choice[key] == YOURS else YOURS
            self._refresh_choice(key)

    def action_all(self, yours: int) -> None:
        """Choose one side for every row."""
        for key in self.choice:
            self.choice[key] = YOURS if yours else THEIRS
            self._refresh_choice(key)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """The table takes enter for itself: treat it as save."""
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Hand back the chosen values."""
        result = {
            key: (yours if self.choice[key] == YOURS else theirs)
            for key, (theirs, yours) in self.conflicts.items()
        }
        self.dismiss(result)

    def action_back(self) -> None:
        """Back to the form, nothing saved."""
        self.dismiss(None)
