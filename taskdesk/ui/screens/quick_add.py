"""Quick-add: one line of text, a live preview of what it means, enter to save.

The preview is the parser's own result, so what you see is exactly what will be stored;
a bad token is named as you type and enter refuses to save it.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from taskdesk.domain.dates import format_date
from taskdesk.domain.model import ParsedItem
from taskdesk.domain.quickadd import QuickAddError, parse_quick_add
from taskdesk.domain.recurrence import describe
from taskdesk.domain.text import clean_line

EXAMPLE = "Write release notes due:fri pri:H +docs @alice project:Launch every:weekly"


def preview(parsed: ParsedItem, *, now: datetime) -> Content:
    """The parsed fields as one or two readable lines (user text as plain text)."""
    parts: list[str | tuple[str, str]] = [("title ", "dim"), (clean_line(parsed.title), "bold")]

    def add(label: str, value: str) -> None:
        parts.extend([(f"  {label} ", "dim"), value])

    if parsed.project:
        add("project", clean_line(parsed.project))
    if parsed.priority:
        add("priority", parsed.priority.value)
    for label, value in (("due", parsed.due), ("start", parsed.start), ("wait", parsed.wait)):
        if value is not None:
            add(label, format_date(value, now=now))
    if parsed.tags:
        add("tags", " ".join("+" + clean_line(t) for t in parsed.tags))
    if parsed.assignees:
        add("for", " ".join("@" + clean_line(a) for a in parsed.assignees))
    if parsed.recurrence:
        add("repeats", describe(parsed.recurrence))
    if parsed.estimate_minutes is not None:
        add("estimate", f"{parsed.estimate_minutes / 60:g}h")
    if parsed.duration_days is not None:
        add("duration", f"{parsed.duration_days:g}d")
    if parsed.depends:
        add("after", ", ".join(f"#{d}" for d in parsed.depends))
    if parsed.milestone:
        add("milestone", "yes")
    return Content.assemble(*parts)


class QuickAddScreen(ModalScreen[ParsedItem | None]):
    """Dismisses with the parsed item on enter, None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-add"),
    ]

    def __init__(self, *, status_name: str | None, default_project: str | None) -> None:
        super().__init__()
        self.status_name = status_name
        self.default_project = default_project
        self.parsed: ParsedItem | None = None

    def compose(self) -> ComposeResult:
        """Title line, the input and the preview."""
        where = f" into {self.status_name}" if self.status_name else ""
        if self.default_project:
            where += f" · project {clean_line(self.default_project)} unless you say"
        with Vertical(id="quick-add-box", classes="dialog bottom"):
            yield Static(f"Add an item{where}", markup=False, id="quick-add-title")
            field = Input(placeholder=EXAMPLE, id="quick-add-input")
            field.cursor_blink = False  # a blinking cursor writes to the terminal twice a second
            yield field
            yield Static(
                Content.styled("Type a title and tokens; enter saves, escape cancels.", "dim"),
                id="quick-add-preview",
            )

    def on_mount(self) -> None:
        """Type straight away."""
        self.query_one(Input).focus()

    def _parse(self, text: str) -> ParsedItem:
        parsed = parse_quick_add(text, now=datetime.now())
        if parsed.project is None and self.default_project:
            parsed.project = self.default_project
            parsed.given.add("project")
        return parsed

    @on(Input.Changed)
    def _update_preview(self, event: Input.Changed) -> None:
        target = self.query_one("#quick-add-preview", Static)
        if not event.value.strip():
            self.parsed = None
            target.update(Content.styled("Type a title and tokens.", "dim"), layout=False)
            return
        try:
            self.parsed = self._parse(event.value)
        except QuickAddError as error:
            self.parsed = None
            error_line = Content.assemble(("✗ ", "bold"), (str(error), "bold $error"))
            target.update(error_line, layout=False)
            return
        # The preview's height is fixed (app.tcss): no layout pass per keystroke.
        target.update(preview(self.parsed, now=datetime.now()), layout=False)

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        try:
            parsed = self._parse(event.value)
        except QuickAddError as error:
            self.notify(str(error), title="Not added", severity="error", markup=False)
            return
        self.dismiss(parsed)

    def action_cancel(self) -> None:
        """Close without adding anything."""
        self.dismiss(None)
