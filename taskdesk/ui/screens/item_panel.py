"""The item panel: every field of one item, why it ranks where it does, and its history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from taskdesk.domain.model import Activity, Comment, Item
from taskdesk.domain.recurrence import describe
from taskdesk.domain.text import clean_line, clean_text
from taskdesk.domain.urgency import Urgency, urgency

if TYPE_CHECKING:
    from taskdesk.store import Store
    from taskdesk.ui.app import TaskDeskApp


@dataclass(frozen=True, slots=True)
class PanelData:
    """What the panel shows, read in one store call."""

    item: Item
    activity: list[Activity]
    comments: list[Comment]
    depends: list[Item]
    urgency: Urgency
    status_names: dict[str, str]


def read_panel(store: Store, item_id: int, item: Item | None = None) -> PanelData:
    """Everything the panel needs, in a fixed number of queries (``item``: a copy the
    caller just read, so only the history is read here)."""
    if item is None:
        item = store.get_item(item_id)
    return PanelData(
        item=item,
        activity=store.activity(item_id, limit=50),
        comments=store.comments(item_id),
        depends=store.get_items(list(item.depends)),
        urgency=urgency(item, now=datetime.now()),
        status_names={str(s.id): s.name for s in store.statuses()},
    )


#: The sections read from the store (the rest comes from the item the caller holds).
HISTORY = ("panel-comments", "panel-activity")


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def _value(raw: str | None, names: dict[str, str] | None = None) -> str:
    """Activity values are JSON text; show them plainly (status ids by their names)."""
    if raw is None:
        return "—"
    try:
        decoded = json.loads(raw)
    except ValueError:
        return clean_line(raw)
    if decoded is None:
        return "—"
    if names is not None and str(decoded) in names:
        return names[str(decoded)]
    if isinstance(decoded, list):
        return ", ".join(_scalar(v) for v in decoded) or "—"
    return _scalar(decoded)


def _scalar(value: object) -> str:
    """One logged value as short text: people as ``@login``, times without seconds."""
    if isinstance(value, dict):
        login = value.get("login")
        units = value.get("units", 1.0)
        suffix = f" ×{units:g}" if isinstance(units, float | int) and units != 1 else ""
        return f"@{clean_line(str(login))}{suffix}" if login else clean_line(str(value))
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return clean_line(value)
    return clean_line(str(value))


def field_rows(item: Item) -> list[tuple[str, str]]:
    """(label, value) pairs for every field, as plain text."""
    people = ", ".join(
        f"@{clean_line(a.login)}" + (f" ×{a.units:g}" if a.units != 1 else "")
        for a in item.assignees
    )
    rows = [
        ("id", f"#{item.id}   version {item.version}"),
        ("uuid", item.uuid),
        ("status", f"{item.status} ({item.category.value})"),
        (
            "project",
            clean_line(item.project or "—")
            + (f" ({item.project_kind.value})" if item.project_kind else ""),
        ),
        ("priority", item.priority.value if item.priority else "—"),
        ("due", _when(item.due)),
        ("start", _when(item.start)),
        ("wait", _when(item.wait)),
        ("assignees", people or "—"),
        ("tags", " ".join("+" + clean_line(t) for t in item.tags) or "—"),
        ("estimate", f"{item.estimate_minutes / 60:g}h" if item.estimate_minutes else "—"),
        ("duration", f"{item.duration_days:g} working days" if item.duration_days else "—"),
        ("percent", f"{item.percent_complete:g}%"),
        ("milestone", "yes" if item.milestone else "no"),
        ("repeats", describe(item.recurrence) if item.recurrence else "—"),
        ("occurrence", str(item.occurrence) if item.occurrence else "—"),
        ("parent", f"#{item.parent_id}" if item.parent_id else "—"),
        ("plan key", clean_line(item.key) if item.key else "—"),
        ("no earlier", str(item.start_no_earlier) if item.start_no_earlier else "—"),
        ("pinned", "yes — links do not move it" if item.pinned else "no"),
        ("deadline", str(item.deadline) if item.deadline else "—"),
        (
            "leveling",
            f"delayed {item.leveling_delay_days:g} working days"
            if item.leveling_delay_days
            else "—",
        ),
        (
            "cost",
            f"{item.cost:g}" + (f" (actual {item.actual_cost:g})" if item.actual_cost else "")
            if item.cost is not None
            else "—",
        ),
        ("blocked", "yes — an open predecessor" if item.blocked else "no"),
        ("blocking", "yes — open work waits on it" if item.blocking else "no"),
        ("created", f"{_when(item.created)} by {clean_line(item.created_by) or '—'}"),
        ("updated", _when(item.updated)),
        ("started", _when(item.started)),
        ("completed", _when(item.completed)),
    ]
    return rows


class ItemPanel(ModalScreen[str | None]):
    """Dismisses with ``"edit"`` when the user asks to edit, else None."""

    #: Focus the fields as they are composed (before the first frame: no second repaint).
    AUTO_FOCUS = "#panel-scroll"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="close-panel"),
        Binding("e", "edit", "Edit", id="panel-edit"),
        Binding("c", "comment", "Comment", id="panel-comment"),
    ]

    def __init__(
        self, item_id: int, item: Item | None = None, data: PanelData | None = None
    ) -> None:
        """``item``: the copy the caller already holds, shown at once while the rest loads;
        ``data``: everything, read ahead by the caller (then nothing is read on opening)."""
        super().__init__()
        self.item_id = item_id
        self.item = item
        self._ahead = data
        #: A comment was added while open (what the caller read ahead is then stale).
        self.commented = False
        self._shown: dict[str, Content] = {}

    @property
    def tapp(self) -> TaskDeskApp:
        """The app, typed."""
        from taskdesk.ui.app import TaskDeskApp

        assert isinstance(self.app, TaskDeskApp)
        return self.app

    def compose(self) -> ComposeResult:
        """The item's fields at once when the caller gave it; history fills in from a worker.

        The first frame is the last full repaint: later updates change only the sections
        whose text differs (see :meth:`_put`).
        """
        content = self._first_content()
        self._shown.update(content)
        with Vertical(id="panel-box", classes="dialog wide"):
            yield Static(content.get("panel-title", "Loading…"), id="panel-title", markup=False)
            with Horizontal(id="panel-columns"):
                with VerticalScroll(id="panel-scroll"):
                    for name in ("panel-fields", "panel-notes", "panel-comments"):
                        yield Static(content.get(name, ""), id=name)
                with VerticalScroll(id="panel-side"):
                    for name in ("panel-urgency", "panel-activity"):
                        yield Static(content.get(name, ""), id=name)
            input_field = Input(
                placeholder="Add a comment — enter saves, escape cancels", id="comment-input"
            )
            input_field.cursor_blink = False  # a blinking cursor writes to the terminal
            input_field.display = False
            yield input_field
            yield Static("e edit · c comment · escape close", classes="hint", markup=False)

    def _first_content(self) -> dict[str, Content]:
        """What the caller's copy of the item already tells (history: "loading…")."""
        if self._ahead is not None and self._ahead.item.id == self.item_id:
            return self._sections(self._ahead)
        item = self.item
        if item is None:
            return {}
        loading = Content.styled("loading…", "dim")
        content = {
            **self._item_sections(item, []),
            "panel-urgency": self._urgency(urgency(item, now=datetime.now())),
            "panel-comments": Content.assemble(("\nComments\n", "bold underline"), loading),
            "panel-activity": Content.assemble(("\nActivity\n", "bold underline"), loading),
        }
        return content

    def _item_sections(self, item: Item, depends: list[Item]) -> dict[str, Content]:
        fields: list[str | tuple[str, str]] = []
        for label, value in field_rows(item):
            fields += [(f"{label:>10} ", "dim"), value, "\n"]
        return {
            "panel-title": Content.assemble(
                (f"#{item.id} ", "dim"), (clean_line(item.title), "bold")
            ),
            "panel-fields": Content.assemble(*fields),
            "panel-notes": self._notes(item, depends),
        }

    def on_mount(self) -> None:
        """Load the item's history (unless the caller read it ahead)."""
        if self._ahead is None:
            self.load()

    def show_item(self, item: Item, data: PanelData | None = None) -> None:
        """Show another item in this (already built) panel before it is pushed again.

        Why: a screen that is mounted once and pushed again is not composed and laid out
        anew, which saves a repaint of the whole panel each time it opens. With ``data``
        (read ahead while the cursor rested on the card) the panel opens complete, in one
        frame, without a store read.
        """
        same = item.id == self.item_id
        kept = {name: self._shown[name] for name in HISTORY if same and name in self._shown}
        self.item_id, self.item = item.id, item
        self._ahead = data if data is not None and data.item.id == item.id else None
        self.commented = False
        field = self.query_one("#comment-input", Input)
        field.value = ""
        field.display = False
        # The same item again: its history stays up until the re-read says otherwise.
        for name, content in {**self._first_content(), **kept}.items():
            self._put(name, content)
        for scroll in self.query(VerticalScroll):
            scroll.scroll_home(animate=False)
        self.query_one("#panel-scroll").focus()
        if self._ahead is None:
            self.load()

    def load(self) -> None:
        """Read the item's history (the item itself too, unless the caller gave it)."""
        item_id, known = self.item_id, self.item
        self.tapp.submit(lambda store: read_panel(store, item_id, known), self.show)

    def reload(self) -> None:
        """Re-read the item and its history (someone changed it, or a comment was added)."""
        self.item = None
        self.load()

    def show(self, data: PanelData) -> None:
        """Fill the panel from ``data`` (sections that did not change are not repainted).

        A read for the item shown before (the panel was re-opened on another) is dropped.
        """
        if data.item.id != self.item_id:
            return
        self.item = data.item
        for name, content in self._sections(data).items():
            self._put(name, content)

    def _sections(self, data: PanelData) -> dict[str, Content]:
        """Every section's text, from one read of the item and its history."""
        return {
            **self._item_sections(data.item, data.depends),
            "panel-urgency": self._urgency(data.urgency),
            "panel-comments": self._comments(data.comments),
            "panel-activity": self._activity(data.activity, data.status_names),
        }

    def _put(self, name: str, content: Content) -> None:
        if self._shown.get(name) != content:
            self._shown[name] = content
            self.query_one(f"#{name}", Static).update(content)

    @staticmethod
    def _notes(item: Item, depends: list[Item]) -> Content:
        parts: list[str | tuple[str, str]] = [("\nNotes\n", "bold underline")]
        parts.append(clean_text(item.notes) if item.notes else ("(none)", "dim"))
        if depends:
            parts.append(("\n\nWaits on\n", "bold underline"))
            for dep in depends:
                mark = "done" if not dep.is_open else dep.status
                parts += [f"#{dep.id} ", clean_line(dep.title), (f"  [{mark}]\n", "dim")]
        return Content.assemble(*parts)

    @staticmethod
    def _urgency(score: Urgency) -> Content:
        parts: list[str | tuple[str, str]] = [
            ("Urgency ", "bold underline"),
            (f"{score.total:.2f}\n", "bold"),
        ]
        for term in score.terms:
            parts.append(
                f" {term.name:<10}{term.factor:>5.2f}×{term.weight:<4g}={term.contribution:>6.2f}\n"
            )
        if not score.terms:
            parts.append(("  (no terms)\n", "dim"))
        return Content.assemble(*parts)

    @staticmethod
    def _comments(comments: list[Comment]) -> Content:
        parts: list[str | tuple[str, str]] = [("\nComments\n", "bold underline")]
        for comment in comments:
            parts += [
                (f"{_when(comment.at)} {clean_line(comment.author)}: ", "dim"),
                clean_text(comment.body),
                "\n",
            ]
        if not comments:
            parts.append(("(none — c adds one)\n", "dim"))
        return Content.assemble(*parts)

    @staticmethod
    def _activity(activity: list[Activity], names: dict[str, str]) -> Content:
        parts: list[str | tuple[str, str]] = [("\nActivity\n", "bold underline")]
        for entry in activity:
            if entry.field == "position":
                continue  # card order: logged for undo, noise in a history
            lookup = names if entry.field == "status" else None
            old, new = _value(entry.old, lookup), _value(entry.new, lookup)
            stamp = entry.at.strftime("%m-%d %H:%M")
            parts += [
                (f"{stamp} {clean_line(entry.actor)} ", "dim"),
                (entry.field, "bold"),
                f" {old} → {new}\n",
            ]
        if not activity:
            parts.append(("(none)\n", "dim"))
        return Content.assemble(*parts)

    def action_close(self) -> None:
        """Back to the board (escape closes the comment box first)."""
        field = self.query_one("#comment-input", Input)
        if field.display:
            field.display = False
            self.query_one("#panel-scroll").focus()
            return
        self.dismiss(None)

    def action_edit(self) -> None:
        """Close and open the edit form."""
        self.dismiss("edit")

    def action_comment(self) -> None:
        """Show the comment box."""
        field = self.query_one("#comment-input", Input)
        field.display = True
        field.focus()

    @on(Input.Submitted, "#comment-input")
    def _save_comment(self, event: Input.Submitted) -> None:
        body = event.value.strip()
        if not body:
            return
        item_id = self.item_id
        self.commented = True
        event.input.value = ""
        event.input.display = False
        self.query_one("#panel-scroll").focus()
        self.tapp.submit(lambda store: store.add_comment(item_id, body), lambda _: self.reload())
