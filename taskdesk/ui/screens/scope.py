"""Pick what the Board shows: all work, one ongoing area, or one project."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from taskdesk.domain.model import Container, ContainerKind
from taskdesk.domain.text import clean_line

ALL = "all"


class ScopePicker(ModalScreen[Container | str | None]):
    """Dismisses with a Container, ``"all"``, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-scope"),
    ]

    def __init__(self, containers: list[Container], *, current: int | None) -> None:
        super().__init__()
        self.containers = containers
        self.current = current

    def compose(self) -> ComposeResult:
        """A list: all work, then areas, then projects."""
        options: list[Option] = [Option(Content("All work"), id=ALL)]
        for kind, label in ((ContainerKind.AREA, "area"), (ContainerKind.PROJECT, "project")):
            for container in self.containers:
                if container.kind is kind:
                    text = Content.assemble(clean_line(container.name), (f"  {label}", "dim"))
                    options.append(Option(text, id=str(container.id)))
        with Vertical(id="scope-box", classes="dialog"):
            yield Static("Show on the Board", markup=False)
            yield OptionList(*options, id="scope-list")

    def on_mount(self) -> None:
        """Highlight the current scope."""
        options = self.query_one(OptionList)
        wanted = ALL if self.current is None else str(self.current)
        for index in range(options.option_count):
            if options.get_option_at_index(index).id == wanted:
                options.highlighted = index
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter picks."""
        if event.option.id == ALL:
            self.dismiss(ALL)
            return
        chosen = next(c for c in self.containers if str(c.id) == event.option.id)
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        """Escape keeps the current scope."""
        self.dismiss(None)
