"""The help screen: every key of the screen you came from, generated from its bindings.

Because it is built from the live bindings (app, screen and focused widget), it can't
fall out of date with the code, and user keymaps show their real keys.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

#: Keys shown with friendlier names.
KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "shift+left": "shift+←",
    "shift+right": "shift+→",
    "shift+up": "shift+↑",
    "shift+down": "shift+↓",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
}


def collect_keys(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, what it does) for every binding active on ``screen``, grouped by action."""
    seen: dict[str, tuple[list[str], str]] = {}
    bindings = list(screen.active_bindings.items())
    # The screen's own keys first, then the app's, then Textual's generic ones.
    generic = {"focus_next", "focus_previous", "copy_text"}

    def rank(entry: tuple[str, ActiveBinding]) -> int:
        action = entry[1].binding.action.split(".")[-1]
        if action in generic or action.endswith("copy_text"):
            return 2
        return 1 if entry[1].node is screen.app else 0

    for key, active in sorted(bindings, key=rank):
        binding = active.binding
        description = binding.tooltip or binding.description or binding.action
        entry = seen.setdefault(binding.action, ([], description))
        label = KEY_NAMES.get(key, key)
        if label not in entry[0]:
            entry[0].append(label)
    rows = [(" / ".join(keys), text) for keys, text in seen.values()]
    rows.append(("ctrl+p", "Command palette: every action, jump to item/project"))
    return rows


class HelpScreen(ModalScreen[None]):
    """A scrollable table of keys; escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="close-help"),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    @classmethod
    def for_screen(cls, screen: Screen[object]) -> HelpScreen:
        """Build the help for ``screen`` from its active bindings."""
        title = getattr(screen, "HELP_TITLE", None) or type(screen).__name__.replace("Screen", "")
        return cls(title, collect_keys(screen))

    def compose(self) -> ComposeResult:
        """Title, the key table and a hint."""
        with Vertical(id="help-box", classes="dialog"):
            yield Static(f"Keys: {self.title_text}", id="help-title", markup=False)
            table: DataTable[Text] = DataTable(id="help-table", cursor_type="row")
            yield table
            yield Static(
                "escape closes · ctrl+p runs any action by name", classes="hint", markup=False
            )

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does")
        for keys, text in self.rows:
            table.add_row(Text(keys, style="bold"), Text(text))
        table.focus()

    def action_close(self) -> None:
        """Back to the screen."""
        self.dismiss(None)
