"""Pick a task to link to, then the link type and lag (``FS``, ``SS+2``, ``FF-1``)."""

from __future__ import annotations

import re
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from taskdesk.domain.model import LinkType
from taskdesk.domain.text import clean_line

LINK = re.compile(r"^\s*(FS|SS|FF|SF)?\s*([+-]\s*\d+)?\s*d?\s*$", re.IGNORECASE)


def parse_link(text: str) -> tuple[LinkType, int]:
    """``"SS+2"`` → (SS, 2); empty → (FS, 0). ValueError names what was wrong."""
    match = LINK.match(text)
    if not match:
        raise ValueError(f"“{text}” is not a link: write FS, SS+2, FF-1 or SF")
    kind = LinkType((match.group(1) or "FS").upper())
    lag = int(match.group(2).replace(" ", "")) if match.group(2) else 0
    return kind, lag


class LinkPicker(ModalScreen[tuple[int, LinkType, int] | None]):
    """Dismisses with (task id, link type, lag in working days), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-link"),
    ]

    def __init__(self, title: str, choices: list[tuple[int, str]], *, ask_type: bool = True):
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.ask_type = ask_type
        self.picked: int | None = None

    def compose(self) -> ComposeResult:
        """The task list, then the type/lag line."""
        options = [Option(Content(f"#{i} {clean_line(t)}"), id=str(i)) for i, t in self.choices]
        with Vertical(id="link-box", classes="dialog"):
            yield Static(self.title_text, markup=False)
            yield OptionList(*options, id="link-tasks")
            yield Input(
                placeholder="link type and lag: FS, SS+2, FF-1, SF (enter = FS)", id="link-kind"
            )
            yield Static("", id="link-error", markup=False)

    def on_mount(self) -> None:
        """Start in the task list."""
        self.query_one("#link-kind", Input).display = False
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _task_chosen(self, event: OptionList.OptionSelected) -> None:
        self.picked = int(event.option.id or 0)
        if not self.ask_type:
            self.dismiss((self.picked, LinkType.FS, 0))
            return
        field = self.query_one("#link-kind", Input)
        field.display = True
        field.focus()

    @on(Input.Submitted, "#link-kind")
    def _kind_chosen(self, event: Input.Submitted) -> None:
        try:
            kind, lag = parse_link(event.value)
        except ValueError as error:
            self.query_one("#link-error", Static).update(str(error))
            return
        if self.picked is not None:
            self.dismiss((self.picked, kind, lag))

    def action_cancel(self) -> None:
        """Nothing linked."""
        self.dismiss(None)
