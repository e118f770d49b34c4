"""Pick a date on a month calendar, for a date field of the edit form.

Keyboard first: arrows or ``h j k l`` move a day or a week, ``[``/``]`` (page up/down) a
month, ``{``/``}`` a year, ``t`` goes to today, ``enter`` picks, ``x``/``delete`` clears
the field, ``escape`` leaves it as it was. The screen dismisses with the field's new text
(``""`` when cleared) or ``None`` when cancelled, so the form validates it like typing.
"""

from __future__ import annotations

from datetime import date, time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from taskdesk.domain.monthgrid import field_text
from taskdesk.ui.widgets.date_picker import MonthGrid

#: The key lines under the grid (the footer of the dialog).
KEY_HINT = (
    "←→ h l day · ↑↓ k j week · [ ] month · { } year\nt today · enter pick · x clear · esc cancel"
)


class DatePickerScreen(ModalScreen[str | None]):
    """A month grid for one field; dismisses with the text to put in the field."""

    AUTO_FOCUS = "#picker-grid"
    HELP_TITLE = "Date picker"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Cancel", id="picker-cancel"),
        Binding("x,delete", "clear", "Clear the date", id="picker-clear"),
        # A modal screen hides the app's keys, so help is bound here.
        Binding("question_mark,f1", "app.help", "Help", id="picker-help"),
    ]

    def __init__(self, label: str, start: date, clock: time | None, *, today: date) -> None:
        super().__init__()
        self.label = label
        self.start = start
        self.clock = clock
        self.today = today

    def compose(self) -> ComposeResult:
        """Title, the grid, the chosen day spelled out, the keys and mouse buttons."""
        with Vertical(id="picker-box", classes="dialog"):
            yield Static(f"{self.label}: pick a date", id="picker-title", markup=False)
            with Center():
                yield MonthGrid(self.start, self.today, id="picker-grid")
            yield Static("", id="picker-chosen", markup=False)
            yield Static(KEY_HINT, id="picker-keys", classes="hint", markup=False)
            with Horizontal(classes="buttons"):
                for name, button_id in (("Pick", "pick"), ("Clear", "clear"), ("Cancel", "cancel")):
                    button = Button(name, id=f"picker-{button_id}-button", compact=True)
                    button.can_focus = False  # keys stay with the grid
                    yield button

    def on_mount(self) -> None:
        """Spell out the chosen day now and whenever it moves."""
        grid = self.query_one(MonthGrid)
        self.watch(grid, "cursor", self._show_chosen)

    def _show_chosen(self, day: date) -> None:
        marker = "  (today)" if day == self.today else ""
        text = f"{day:%a} {field_text(day, self.clock).replace('T', ' ')}{marker}"
        self.query_one("#picker-chosen", Static).update(text)

    @property
    def chosen(self) -> date:
        """The day under the cursor."""
        return self.query_one(MonthGrid).cursor

    def on_month_grid_picked(self, event: MonthGrid.Picked) -> None:
        """The day becomes the field's text, with the field's time of day kept."""
        event.stop()
        self.dismiss(field_text(event.day, self.clock))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons do what the keys do."""
        event.stop()
        if event.button.id == "picker-pick-button":
            self.dismiss(field_text(self.chosen, self.clock))
        elif event.button.id == "picker-clear-button":
            self.action_clear()
        else:
            self.action_cancel()

    def action_clear(self) -> None:
        """Empty the field."""
        self.dismiss("")

    def action_cancel(self) -> None:
        """Leave the field as it was."""
        self.dismiss(None)
