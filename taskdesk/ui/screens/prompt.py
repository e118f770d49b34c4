"""Two small dialogs: a one-line question with validation, and a read-only message."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class PromptScreen(ModalScreen[object | None]):
    """Ask for one value; ``parse`` turns the text into it or raises ValueError (shown)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-prompt"),
    ]

    def __init__(self, question: str, parse: Callable[[str], object], *, value: str = ""):
        super().__init__()
        self.question = question
        self.parse = parse
        self.value = value

    def compose(self) -> ComposeResult:
        """The question, the input and an error line."""
        with Vertical(id="prompt-box", classes="dialog"):
            yield Static(self.question, markup=False)
            yield Input(self.value, id="prompt-input")
            yield Static("", id="prompt-error", markup=False)

    def on_mount(self) -> None:
        """Type straight away."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            value = self.parse(event.value)
        except ValueError as error:
            self.query_one("#prompt-error", Static).update(str(error))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        """Nothing changes."""
        self.dismiss(None)


class MessageScreen(ModalScreen[None]):
    """Show some lines of text; any of escape, enter or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "Close", id="close-message"),
    ]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        """Title and lines, as plain text."""
        with Vertical(id="message-box", classes="dialog wide-auto"):
            yield Static(self.title_text, id="message-title", markup=False)
            yield Static("\n".join(self.lines), markup=False)
            yield Static("escape closes", classes="hint", markup=False)

    def action_close(self) -> None:
        """Back."""
        self.dismiss(None)
