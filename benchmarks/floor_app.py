"""The floor: a bare Textual app showing one widget.

``bench_perf.py`` runs it in the same pty as taskdesk and divides taskdesk's figures by
its figures. A key (``j``) changes the text (a counter), so the cost of the smallest
possible repaint is measured too; ``q`` quits.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static


class FloorApp(App[None]):
    """One Static; ``j`` counts up; ``q`` quits."""

    BINDINGS = [("j", "count", "Count"), ("q", "quit", "Quit")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        """The one widget."""
        yield Static("count 0", id="count")

    def action_count(self) -> None:
        """Change one line of the screen."""
        self.count += 1
        self.query_one("#count", Static).update(f"count {self.count}")


if __name__ == "__main__":
    FloorApp().run()
