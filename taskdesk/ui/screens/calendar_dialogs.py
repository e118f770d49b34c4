"""The Calendar's small dialogs: this occurrence or the series, a day's full list, the
quick-add box pre-filled with the day, and the scope picker worded for the calendar."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from taskdesk.domain.calendar import Entry
from taskdesk.domain.model import Container, ContainerKind
from taskdesk.domain.text import clean_line
from taskdesk.ui.screens.item_panel import ItemPanel
from taskdesk.ui.screens.quick_add import QuickAddScreen
from taskdesk.ui.screens.scope import ALL, ScopePicker
from taskdesk.ui.widgets.calendar_view import entry_label

#: What RoutineChoice answers.
THIS_ONE = "one"
SERIES = "series"


class RoutineChoice(ModalScreen[str | None]):
    """Moving a routine occurrence: "this one" or "the whole series" (escape: neither)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "answer('one')", "This one", id="routine-this-one"),
        Binding("s", "answer('series')", "The series", id="routine-series"),
        Binding("escape", "answer('')", "Cancel", id="routine-cancel"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(id="routine-box", classes="dialog"):
            yield Static(self.question, markup=False, id="routine-question")
            with Horizontal(classes="buttons"):
                yield Button("This one (o)", id=THIS_ONE, variant="primary")
                yield Button("The series (s)", id=SERIES)
            yield Static("escape cancels", classes="hint", markup=False)

    def on_mount(self) -> None:
        """Enter answers "this one"."""
        self.query_one(f"#{THIS_ONE}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons answer like the keys."""
        self.dismiss(event.button.id)

    def action_answer(self, value: str) -> None:
        """Close with the answer (empty: cancelled)."""
        self.dismiss(value or None)


class DayList(ModalScreen[None]):
    """Every entry of one day; enter opens the item panel of an item."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="close-day-list"),
    ]

    def __init__(self, day: date, entries: list[Entry], total: int) -> None:
        super().__init__()
        self.day = day
        self.entries = entries
        self.total = total

    def compose(self) -> ComposeResult:
        """The day, the list, a hint."""
        shown = len(self.entries)
        count = f"{self.total} entries" if self.total == shown else f"{shown} of {self.total}"
        with Vertical(id="day-list-box", classes="dialog wide"):
            yield Static(f"{self.day:%A %d %B %Y} — {count}", markup=False, id="day-list-title")
            options = [
                Option(Content(entry_label(entry, self.day, with_time=True)), id=entry.key)
                for entry in self.entries
            ]
            if not options:
                options = [Option(Content("Nothing on this day."), id="", disabled=True)]
            yield OptionList(*options, id="day-list")
            yield Static("enter opens the item · escape closes", classes="hint", markup=False)

    def on_mount(self) -> None:
        """Focus the list."""
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Open the item panel of a stored item (projections and markers have none)."""
        entry = next((e for e in self.entries if e.key == event.option.id), None)
        if entry is None or entry.item_id is None:
            self.notify("Not stored yet: a projected routine date or a project marker.")
            return
        self.app.push_screen(ItemPanel(entry.item_id))

    def action_close(self) -> None:
        """Back to the calendar."""
        self.dismiss(None)


class DayQuickAdd(QuickAddScreen):
    """The quick-add box with ``due:YYYY-MM-DD `` already typed (``a`` on a day)."""

    def __init__(self, day: date, *, default_project: str | None) -> None:
        super().__init__(status_name=None, default_project=default_project)
        self.day = day

    def on_mount(self) -> None:
        """Pre-fill the day, cursor at the end, ready for the title."""
        field = self.query_one(Input)
        field.value = f"due:{self.day.isoformat()} "
        field.cursor_position = len(field.value)
        field.focus()


class CalendarScopePicker(ScopePicker):
    """The scope picker, worded for the calendar (Project mode lists projects only)."""

    def __init__(self, containers: list[Container], *, current: int | None, mode: str) -> None:
        if mode == "project":
            containers = [c for c in containers if c.kind is ContainerKind.PROJECT]
        super().__init__(containers, current=current)
        self.mode = mode

    def compose(self) -> ComposeResult:
        """All projects (or all work), then areas, then projects."""
        everything = "All projects" if self.mode == "project" else "All work"
        options: list[Option] = [Option(Content(everything), id=ALL)]
        for kind, label in ((ContainerKind.AREA, "area"), (ContainerKind.PROJECT, "project")):
            for container in self.containers:
                if container.kind is kind:
                    text = Content.assemble(clean_line(container.name), (f"  {label}", "dim"))
                    options.append(Option(text, id=str(container.id)))
        with Vertical(id="scope-box", classes="dialog"):
            yield Static("Show on the Calendar", markup=False)
            yield OptionList(*options, id="scope-list")
