"""Edit an item in a form: every field, validated before anything is saved.

Dates take the same words as quick-add (``fri``, ``eom``, ``2026-12-01T17:00``), or are
picked on a month calendar (``ctrl+t`` / ``f2`` in a date field, or its ``…`` button).
A form with any bad field saves nothing and says which field and why; a save that lost a
race with someone else's edit keeps your text in the form.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from taskdesk.domain.dates import DateError, parse_date, parse_duration, parse_workdays
from taskdesk.domain.merge import merge_fields
from taskdesk.domain.model import Item, Priority, Status
from taskdesk.domain.monthgrid import starting_point
from taskdesk.domain.text import clean_line, clean_text, clean_title
from taskdesk.store.errors import StaleWrite, StoreError
from taskdesk.ui.screens.conflict import ConflictScreen
from taskdesk.ui.screens.date_picker import DatePickerScreen

if TYPE_CHECKING:
    from taskdesk.store import Store
    from taskdesk.ui.app import TaskDeskApp

#: The text inputs of the form: (field id, label).
TEXT_FIELDS = [
    ("title", "Title"),
    ("project", "Project / area"),
    ("due", "Due"),
    ("start", "Start"),
    ("wait", "Wait until"),
    ("start_no_earlier", "Not before"),
    ("deadline", "Deadline"),
    ("tags", "Tags"),
    ("assignees", "Assignees"),
    ("estimate", "Estimate"),
    ("duration", "Duration"),
    ("percent", "% complete"),
]

#: The fields that hold a moment (a day, maybe with a time of day): they get the picker.
DATE_FIELDS = frozenset({"due", "start", "wait", "start_no_earlier", "deadline"})
#: The project-mode fields that hold a whole day: a time typed there is dropped.
DAY_FIELDS = frozenset({"start_no_earlier", "deadline"})
#: What an empty date field suggests (a whole-day field gets no time in the example).
DATE_PLACEHOLDER = "fri, eom, 2026-12-01T17:00 · ctrl+t: calendar"
DAY_PLACEHOLDER = "fri, eom, 2026-12-01 · ctrl+t: calendar"


def _iso(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.hour == 0 and value.minute == 0 and value.second == 0:
        return value.strftime("%Y-%m-%d")
    return value.strftime("%Y-%m-%dT%H:%M")


def initial_values(item: Item) -> dict[str, str]:
    """The form's starting text for each field."""
    return {
        "title": item.title,
        "project": item.project or "",
        "due": _iso(item.due),
        "start": _iso(item.start),
        "wait": _iso(item.wait),
        "start_no_earlier": item.start_no_earlier.isoformat() if item.start_no_earlier else "",
        "deadline": item.deadline.isoformat() if item.deadline else "",
        "tags": " ".join(item.tags),
        "assignees": " ".join(item.assignee_logins),
        "estimate": f"{item.estimate_minutes}m" if item.estimate_minutes else "",
        "duration": f"{item.duration_days:g}d" if item.duration_days is not None else "",
        "percent": f"{item.percent_complete:g}",
    }


def _date(text: str, now: datetime) -> datetime | None:
    return parse_date(text.strip(), now=now) if text.strip() else None


def _day(text: str, now: datetime) -> date | None:
    """A whole day (project dates): the date words, without their time of day."""
    moment = _date(text, now)
    return moment.date() if moment is not None else None


def _percent(text: str) -> float:
    try:
        value = float(text.strip() or 0)
    except ValueError:
        raise DateError(f"“{text}” is not a number") from None
    if not 0 <= value <= 100:
        raise DateError(f"{value:g} is outside 0–100")
    return value


def parse_form(
    values: dict[str, str], *, now: datetime
) -> tuple[dict[str, object], dict[str, str]]:
    """Turn the form's text into typed values; returns (values, errors by field)."""
    parsed: dict[str, object] = {}
    errors: dict[str, str] = {}
    title = clean_title(values.get("title", ""))
    if not title:
        errors["title"] = "an item needs a title"
    parsed["title"] = title
    parsed["project"] = clean_line(values.get("project", "")) or None
    parsed["tags"] = [t.lstrip("+") for t in clean_line(values.get("tags", "")).split() if t]
    parsed["assignees"] = [
        a.lstrip("@") for a in clean_line(values.get("assignees", "")).split() if a
    ]
    converters = {
        "due": lambda t: _date(t, now),
        "start": lambda t: _date(t, now),
        "wait": lambda t: _date(t, now),
        "start_no_earlier": lambda t: _day(t, now),
        "deadline": lambda t: _day(t, now),
        "estimate_minutes": lambda t: parse_duration(t.strip()) if t.strip() else None,
        "duration_days": lambda t: parse_workdays(t.strip()) if t.strip() else None,
        "percent_complete": _percent,
    }
    sources = {
        "estimate_minutes": "estimate",
        "duration_days": "duration",
        "percent_complete": "percent",
    }
    for key, convert in converters.items():
        source = sources.get(key, key)
        try:
            parsed[key] = convert(values.get(source, ""))
        except ValueError as error:
            errors[source] = str(error)
    return parsed, errors


def item_fields(item: Item) -> dict[str, object]:
    """The editable fields of an item, keyed as ``Store.update_item`` takes them."""
    return {
        "title": item.title,
        "project": item.project,
        "tags": list(item.tags),
        "assignees": list(item.assignee_logins),
        "due": item.due,
        "start": item.start,
        "wait": item.wait,
        "start_no_earlier": item.start_no_earlier,
        "deadline": item.deadline,
        "estimate_minutes": item.estimate_minutes,
        "duration_days": item.duration_days,
        "percent_complete": item.percent_complete,
        "notes": item.notes,
        "priority": item.priority,
        "status_id": item.status_id,
        "milestone": item.milestone,
    }


def _same(current: object, new: object) -> bool:
    """Equal as the form shows them: moments to the minute (the form has no seconds).

    Without this, an item due ``eod`` (23:59:59) would be rewritten to 23:59:00 by any
    save of the form, even one that only changed the title.
    """
    if isinstance(current, datetime) and isinstance(new, datetime):
        return current.replace(second=0, microsecond=0) == new.replace(second=0, microsecond=0)
    return current == new


def changed_fields(item: Item, parsed: dict[str, object]) -> dict[str, object]:
    """Only what differs from the item, so an edit touches no field it didn't change."""
    current = item_fields(item)
    return {k: v for k, v in parsed.items() if k in current and not _same(current[k], v)}


class EditItemScreen(ModalScreen[bool]):
    """Dismisses with True when saved, False when cancelled."""

    HELP_TITLE = "Edit item"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="save-item"),
        Binding("escape", "cancel", "Cancel", id="cancel-edit"),
        Binding("ctrl+t,f2", "pick_date", "Calendar (in a date field)", id="pick-date"),
        # A modal screen hides the app's keys, so help is bound here (``?`` types text).
        Binding("f1", "app.help", "Help", id="edit-help"),
    ]

    def __init__(self, item: Item, statuses: list[Status]) -> None:
        super().__init__()
        self.item = item
        self.statuses = statuses

    @property
    def tapp(self) -> TaskDeskApp:
        """The app, typed."""
        from taskdesk.ui.app import TaskDeskApp

        assert isinstance(self.app, TaskDeskApp)
        return self.app

    def compose(self) -> ComposeResult:
        """One labelled row per field, an error line under each."""
        values = initial_values(self.item)
        with Vertical(id="edit-box", classes="dialog wide"):
            yield Static(f"Edit #{self.item.id}", id="edit-title", markup=False)
            with VerticalScroll(id="edit-fields"):
                for key, label in TEXT_FIELDS[:2]:
                    yield from self._row(key, label, values[key])
                yield from self._selects()
                for key, label in TEXT_FIELDS[2:]:
                    yield from self._row(key, label, values[key])
                yield Checkbox("Milestone", self.item.milestone, id="field-milestone", compact=True)
                yield Label("Notes")
                yield TextArea(self.item.notes, id="field-notes", soft_wrap=True)
            yield Static("", id="edit-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def _row(self, key: str, label: str, value: str) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(label, classes="field-label")
            if key not in DATE_FIELDS:
                yield Input(value, id=f"field-{key}", classes="field-input", compact=True)
            else:
                yield Input(
                    value,
                    id=f"field-{key}",
                    classes="field-input date-input",
                    placeholder=DAY_PLACEHOLDER if key in DAY_FIELDS else DATE_PLACEHOLDER,
                    tooltip="ctrl+t or f2: pick on a calendar",
                    compact=True,
                )
                button = Button("…", id=f"pick-{key}", classes="date-pick", compact=True)
                button.tooltip = f"Pick the {label.lower()} date on a calendar (ctrl+t)"
                button.can_focus = False  # tab goes field to field; keys use ctrl+t
                yield button
        yield Static("", id=f"error-{key}", classes="field-error", markup=False)

    def _selects(self) -> ComposeResult:
        status_options = [(s.name, s.id) for s in self.statuses]
        with Horizontal(classes="field-row"):
            yield Label("Status", classes="field-label")
            yield Select(
                status_options,
                value=self.item.status_id,
                allow_blank=False,
                id="field-status",
                compact=True,
            )
        priority_options = [("H — high", "H"), ("M — medium", "M"), ("L — low", "L"), ("none", "")]
        with Horizontal(classes="field-row"):
            yield Label("Priority", classes="field-label")
            yield Select(
                priority_options,
                allow_blank=False,
                id="field-priority",
                value=self.item.priority.value if self.item.priority else "",
                compact=True,
            )

    def on_mount(self) -> None:
        """Start in the title field."""
        self.query_one("#field-title", Input).focus()

    def _values(self) -> dict[str, str]:
        return {key: self.query_one(f"#field-{key}", Input).value for key, _ in TEXT_FIELDS}

    def action_save(self) -> None:
        """Validate every field; save only when all are good."""
        parsed, errors = parse_form(self._values(), now=datetime.now())
        for key, _ in TEXT_FIELDS:
            line = self.query_one(f"#error-{key}", Static)
            line.update(errors.get(key, ""))
            line.display = key in errors
        if errors:
            first = next(iter(errors))
            self.query_one("#edit-error", Static).update(f"Not saved: {first} — {errors[first]}")
            self.query_one(f"#field-{first}", Input).focus()
            return
        priority = self.query_one("#field-priority", Select).value
        parsed["priority"] = Priority(priority) if isinstance(priority, str) and priority else None
        parsed["status_id"] = self.query_one("#field-status", Select).value
        parsed["milestone"] = self.query_one("#field-milestone", Checkbox).value
        parsed["notes"] = clean_text(self.query_one("#field-notes", TextArea).text)
        changes = changed_fields(self.item, parsed)
        if not changes:
            self.dismiss(False)
            return
        self._save(changes, self.item.version)

    def _save(self, changes: dict[str, object], version: int) -> None:
        item_id = self.item.id
        self.tapp.submit(
            lambda store: store.update_item(item_id, changes, expected_version=version),
            lambda _: self.dismiss(True),
            on_error=lambda error: self._save_failed(error, changes),
        )

    def _save_failed(self, error: StoreError, changes: dict[str, object]) -> None:
        """Keep the form open with the user's text; a lost race becomes a merge."""
        if isinstance(error, StaleWrite):
            self._merge(changes)
            return
        self.query_one("#edit-error", Static).update(f"Not saved: {error} Your edit is still here.")

    def _merge(self, changes: dict[str, object]) -> None:
        """Re-read the item; apply disjoint edits, ask about the fields both changed."""
        item_id = self.item.id

        def job(store: Store) -> tuple[Item, str]:
            fresh = store.get_item(item_id)
            others = [a.actor for a in store.activity(item_id, limit=20) if a.actor != store.actor]
            return fresh, (others[0] if others else "Someone")

        self.tapp.submit(job, lambda data: self._resolve(changes, *data))

    def _resolve(self, changes: dict[str, object], fresh: Item, who: str) -> None:
        result = merge_fields(item_fields(self.item), item_fields(fresh), changes)
        original = self.item
        self.item = fresh  # from now on we edit on top of their version
        if result.clean:
            if not result.apply:
                self.dismiss(True)
                return
            self.notify(f"Merged your edit with {who}'s changes.", markup=False)
            self._save(result.apply, fresh.version)
            return

        def settled(chosen: dict[str, object] | None) -> None:
            if chosen is None:
                self.item = original  # back to the form, the edit is still there
                self.query_one("#edit-error", Static).update(
                    f"Not saved: {who} changed this item too. Save again to merge."
                )
                return
            self._save({**result.apply, **chosen}, fresh.version)

        self.app.push_screen(ConflictScreen(result.conflicts, who=who), settled)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons do what the keys do."""
        button_id = event.button.id or ""
        if button_id.startswith("pick-"):
            self.open_picker(button_id.removeprefix("pick-"))
        elif button_id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def _focused_date_field(self) -> str | None:
        """The date field that has focus, if one has."""
        focused = self.focused
        if isinstance(focused, Input) and focused.id and focused.id.startswith("field-"):
            key = focused.id.removeprefix("field-")
            return key if key in DATE_FIELDS else None
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The calendar key is listed everywhere but works only in a date field."""
        if action == "pick_date":
            return True if self._focused_date_field() else None
        return True

    def action_pick_date(self) -> None:
        """Open the calendar for the focused date field."""
        key = self._focused_date_field()
        if key is not None:
            self.open_picker(key)

    def open_picker(self, key: str) -> None:
        """Open the calendar on the field's date (today if empty or not a date)."""
        field = self.query_one(f"#field-{key}", Input)
        now = datetime.now()
        day, clock = starting_point(field.value, now=now)
        if key in DAY_FIELDS:
            clock = None
        label = dict(TEXT_FIELDS)[key]

        def picked(text: str | None) -> None:
            field.focus()
            if text is None:
                return
            field.value = text
            field.cursor_position = len(text)
            self._check_field(key)

        self.app.push_screen(DatePickerScreen(label, day, clock, today=now.date()), picked)

    def _check_field(self, key: str) -> None:
        """Validate one field as a save would, and show or clear its error line."""
        _, errors = parse_form(self._values(), now=datetime.now())
        line = self.query_one(f"#error-{key}", Static)
        line.update(errors.get(key, ""))
        line.display = key in errors

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)
