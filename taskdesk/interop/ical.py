"""iCalendar (RFC 5545): items out as a calendar an app can subscribe to, and files back in.

``taskdesk export --format ical`` writes :func:`export_calendar`'s text;
``taskdesk import FILE.ics`` reads a file with :func:`load_ical` into
:class:`~taskdesk.domain.importing.ImportRecord` objects, which the store writes in one
transaction. The icalendar library reads and writes the text; this module decides what
each property means to taskdesk.

What an export holds (decisions where RFC 5545 and the issue left room):

- every item is a **VTODO** with ``UID`` = the item's uuid, ``SUMMARY`` = title,
  ``DESCRIPTION`` = notes, ``DTSTART`` = start, ``DUE`` = due, ``PRIORITY`` (H 1, M 5,
  L 9), ``STATUS`` from the status category (backlog and unstarted NEEDS-ACTION, started
  IN-PROCESS, COMPLETED, CANCELLED; a backlog item adds ``X-TASKDESK-STATE:backlog``),
  ``COMPLETED``, ``CATEGORIES`` = tags, ``CREATED``, ``LAST-MODIFIED``, ``DTSTAMP``;
- **times are floating local times** (no ``TZID``): taskdesk stores naive local times, so
  that is exactly what it knows, and a round trip gives back the same times. A start and
  due that are both at 00:00 are written as dates (``VALUE=DATE``, an all-day to-do);
  otherwise both are date-times (RFC 5545 wants ``DTSTART`` and ``DUE`` of one type).
  ``COMPLETED``, ``CREATED``, ``LAST-MODIFIED`` and ``DTSTAMP`` are UTC, as the RFC
  requires, to the second;
- an open recurring item carries its ``RRULE`` (the rule is stored in RFC 5545 form); a
  completion-anchored rule (``after:``) adds ``X-TASKDESK-ANCHOR:completion``. Closed
  occurrences of a routine are history: they are written without a rule, so a calendar
  doesn't repeat the series once per past occurrence;
- RFC 5545 has no project, assignee, wait or estimate: they travel as
  ``X-TASKDESK-PROJECT``, one ``X-TASKDESK-ASSIGNEE`` per login (units are not kept),
  ``X-TASKDESK-WAIT`` and ``X-TASKDESK-ESTIMATE`` (minutes), so ``CATEGORIES`` holds the
  tags and nothing else. Finish-to-start predecessors that are in the same export are
  ``RELATED-TO;RELTYPE=FINISHTOSTART`` (RFC 9253);
- a **milestone** with a date is a **VEVENT** instead, all-day on its date (due, else
  start) with ``X-TASKDESK-MILESTONE:TRUE``; its exact due and start ride along as
  ``X-TASKDESK-DUE`` / ``X-TASKDESK-START`` (and its state as ``X-TASKDESK-STATE`` /
  ``X-TASKDESK-COMPLETED``), so it comes back the same, or moved by as many days as
  someone moved the event in their calendar;
- every **project deadline** is an all-day VEVENT, ``UID:project-ID-deadline@taskdesk``
  with ``X-TASKDESK-DEADLINE-OF:NAME``. Importing skips these events: a project's fields
  come from plan files, and an import writes items only.

What an import reads:

- VTODO and VEVENT; VTIMEZONE (through icalendar); everything else (VJOURNAL,
  VFREEBUSY, alarms) is ignored, and so are components with ``RECURRENCE-ID`` (changes
  to one occurrence of a series) and ``RDATE``/``EXDATE``;
- times with a ``TZID`` (a VTIMEZONE of the file or an IANA zone) or in UTC become naive
  local times of this machine; floating times are kept; a date is 00:00 that day;
- a foreign VEVENT becomes an item with start = ``DTSTART`` and due = ``DTEND`` (the last
  day of an all-day event; ``DTSTART`` + ``DURATION``; else ``DTSTART``); status
  CANCELLED → cancelled, anything else unstarted. A VTODO with ``DURATION`` and no
  ``DUE`` is due at ``DTSTART`` + ``DURATION``;
- ``PRIORITY`` 1–4 → H, 5 → M, 6–9 → L, 0 → none; ``STATUS`` back to a category;
  a ``COMPLETED`` time without a ``STATUS`` means completed;
- the ``UID`` is the identity: importing a file twice updates the items it created. A
  component without one (calcurse writes none unless asked) gets one made from its
  summary and dates, so re-importing that file finds the same items too;
- a file taskdesk did not write (another ``PRODID``) speaks only for what iCalendar can
  say (:data:`ICAL_FIELDS`): an existing item keeps its project, assignees, wait,
  estimate and milestone flag. A closed to-do without ``RRULE`` leaves an existing
  item's recurrence alone (closed occurrences are exported without their rule).

A bad file is rejected whole with one :class:`ImportFileError` line naming the line and
the component at fault: ``cal.ics: line 40: VTODO #3 (UID x@y): DUE: unknown time zone
"Mars/Olympus"``. Unbalanced ``BEGIN``/``END`` lines are found here (icalendar itself is
lenient about them), and so are bad dates, unknown time zones and rules that the
recurrence engine can't expand or that never occur.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import icalendar

from taskdesk.domain.importing import RECORD_FIELDS, ImportFileError, ImportRecord
from taskdesk.domain.model import (
    Container,
    Item,
    Priority,
    Recurrence,
    RecurrenceAnchor,
    StatusCategory,
)
from taskdesk.domain.recurrence import RecurrenceError, parse_after, parse_every

__all__ = [
    "ICAL_FIELDS",
    "PRODID",
    "IcalExport",
    "deadline_uid",
    "export_calendar",
    "load_ical",
    "parse_ical",
]

PRODID = "-//taskdesk//EN"
X_PROJECT = "X-TASKDESK-PROJECT"
X_ASSIGNEE = "X-TASKDESK-ASSIGNEE"
X_ESTIMATE = "X-TASKDESK-ESTIMATE"
X_WAIT = "X-TASKDESK-WAIT"
X_ANCHOR = "X-TASKDESK-ANCHOR"
X_STATE = "X-TASKDESK-STATE"
X_MILESTONE = "X-TASKDESK-MILESTONE"
X_DUE = "X-TASKDESK-DUE"
X_START = "X-TASKDESK-START"
X_COMPLETED = "X-TASKDESK-COMPLETED"
X_DEADLINE_OF = "X-TASKDESK-DEADLINE-OF"
#: RFC 9253's link type for taskdesk's finish-to-start dependencies (DEPENDS-ON is read too).
RELTYPE_FS = "FINISHTOSTART"

_PRIORITY_OUT = {Priority.HIGH: 1, Priority.MEDIUM: 5, Priority.LOW: 9}
_TODO_STATUS = {
    StatusCategory.BACKLOG: "NEEDS-ACTION",
    StatusCategory.UNSTARTED: "NEEDS-ACTION",
    StatusCategory.STARTED: "IN-PROCESS",
    StatusCategory.COMPLETED: "COMPLETED",
    StatusCategory.CANCELLED: "CANCELLED",
}
_TODO_STATE = {
    "NEEDS-ACTION": StatusCategory.UNSTARTED,
    "IN-PROCESS": StatusCategory.STARTED,
    "COMPLETED": StatusCategory.COMPLETED,
    "CANCELLED": StatusCategory.CANCELLED,
}
#: What any calendar's component says about an item. A file taskdesk did not write
#: (another PRODID) leaves an existing item's project, assignees, wait, estimate,
#: milestone flag (and links, unless it has some) as they are.
ICAL_FIELDS = frozenset(
    (
        "title",
        "state",
        "notes",
        "priority",
        "due",
        "start",
        "completed",
        "created",
        "tags",
        "recurrence",
    )
)
#: The properties an import reads (a broken value of any other one is ignored).
_READ = (
    *("UID", "SUMMARY", "DESCRIPTION", "STATUS", "PRIORITY", "CATEGORIES", "RELATED-TO"),
    *("DTSTART", "DUE", "DTEND", "DURATION", "COMPLETED", "CREATED", "RRULE", X_PROJECT),
    *(X_ASSIGNEE, X_ESTIMATE, X_WAIT, X_ANCHOR, X_STATE, X_MILESTONE, X_DUE, X_START),
    *(X_COMPLETED, X_DEADLINE_OF),
)
_EVENT_STATUSES = ("TENTATIVE", "CONFIRMED", "CANCELLED")
_DEADLINE_UID = re.compile(r"project-\d+-deadline@taskdesk", re.ASCII)
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_TEXT_ESCAPE = re.compile(r"\\([\\;,nN])")


# ------------------------------------------------------------------------- export


@dataclass(frozen=True, slots=True)
class IcalExport:
    """An export's text and what it holds, for the CLI's "Exported …" line."""

    text: str
    todos: int
    events: int

    def describe(self) -> str:
        """``"12 to-dos, 3 events"``."""
        todos = f"{self.todos} to-do{'s' if self.todos != 1 else ''}"
        return f"{todos}, {self.events} event{'s' if self.events != 1 else ''}"


def deadline_uid(project: Container) -> str:
    """The UID of a project's deadline event: stable for the project, never an item's."""
    return f"project-{project.id}-deadline@taskdesk"


def export_calendar(
    items: Sequence[Item], *, projects: Iterable[Container] = (), now: datetime
) -> IcalExport:
    """Items as VTODOs (dated milestones as VEVENTs) plus the projects' deadline events.

    ``now`` (naive local) is the ``DTSTAMP`` of every component. Dependencies are written
    only between items of ``items``, so the file never points outside itself.
    """
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "taskdesk")
    uuids = {item.id: item.uuid for item in items}
    stamp = _utc(now)
    todos = events = 0
    for item in items:
        if item.milestone and (item.due or item.start):
            cal.add_component(_milestone_event(item, uuids, stamp))
            events += 1
        else:
            cal.add_component(_todo(item, uuids, stamp))
            todos += 1
    for project in projects:
        if project.deadline is not None:
            cal.add_component(_deadline_event(project, stamp))
            events += 1
    return IcalExport(cal.to_ical().decode("utf-8"), todos, events)


def _todo(item: Item, uuids: Mapping[int, str], stamp: datetime) -> icalendar.Todo:
    """One item as a VTODO (see the module docstring for the mapping)."""
    todo = icalendar.Todo()
    _common(todo, item, uuids, stamp)
    all_day = all(d.time() == time() for d in (item.start, item.due) if d is not None)
    if item.start is not None:
        todo.add("dtstart", _floating(item.start, all_day))
    if item.due is not None:
        todo.add("due", _floating(item.due, all_day))
    todo.add("status", _TODO_STATUS[item.category])
    if item.category is StatusCategory.BACKLOG:
        todo.add(X_STATE, StatusCategory.BACKLOG.value)
    if item.completed is not None:
        todo.add("completed", _utc(item.completed))
    if item.milestone:
        todo.add(X_MILESTONE, "TRUE")
    return todo


def _milestone_event(item: Item, uuids: Mapping[int, str], stamp: datetime) -> icalendar.Event:
    """A dated milestone as an all-day VEVENT that still carries its exact times."""
    event = icalendar.Event()
    _common(event, item, uuids, stamp)
    anchor = item.due or item.start
    assert anchor is not None  # the caller sends only dated milestones
    event.add("dtstart", anchor.date())
    event.add("dtend", anchor.date() + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add(X_MILESTONE, "TRUE")
    for name, value in ((X_DUE, item.due), (X_START, item.start)):
        if value is not None:
            event.add(name, _seconds(value), parameters={"VALUE": "DATE-TIME"})
    is_cancelled = item.category is StatusCategory.CANCELLED
    event.add("status", "CANCELLED" if is_cancelled else "CONFIRMED")
    event.add(X_STATE, item.category.value)
    if item.completed is not None:
        event.add(X_COMPLETED, _utc(item.completed), parameters={"VALUE": "DATE-TIME"})
    return event


def _deadline_event(project: Container, stamp: datetime) -> icalendar.Event:
    """A project's deadline as an all-day event (skipped again on import)."""
    assert project.deadline is not None
    event = icalendar.Event()
    event.add("uid", deadline_uid(project))
    event.add("dtstamp", stamp)
    event.add("summary", f"Deadline: {project.name}")
    event.add("dtstart", project.deadline)
    event.add("dtend", project.deadline + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add(X_DEADLINE_OF, icalendar.vText(project.name))
    return event


def _common(
    comp: icalendar.Component, item: Item, uuids: Mapping[int, str], stamp: datetime
) -> None:
    """The properties a VTODO and a milestone VEVENT share."""
    comp.add("uid", item.uuid)
    comp.add("dtstamp", stamp)
    comp.add("summary", item.title)
    if item.notes:
        comp.add("description", item.notes)
    if item.priority is not None:
        comp.add("priority", _PRIORITY_OUT[item.priority])
    if item.tags:
        comp.add("categories", list(item.tags))
    if item.created is not None:
        comp.add("created", _utc(item.created))
    if item.updated is not None:
        comp.add("last-modified", _utc(item.updated))
    _taskdesk_fields(comp, item, uuids)
    if item.recurrence is not None and item.is_open:
        comp.add("rrule", icalendar.vRecur.from_ical(item.recurrence.rrule))
        if item.recurrence.anchor is RecurrenceAnchor.COMPLETION:
            comp.add(X_ANCHOR, RecurrenceAnchor.COMPLETION.value)


def _taskdesk_fields(comp: icalendar.Component, item: Item, uuids: Mapping[int, str]) -> None:
    """What RFC 5545 has no property for: X- properties, and RFC 9253 dependencies."""
    if item.project:
        comp.add(X_PROJECT, icalendar.vText(item.project))
    for login in item.assignee_logins:
        comp.add(X_ASSIGNEE, icalendar.vText(login))
    if item.estimate_minutes is not None:
        comp.add(X_ESTIMATE, str(item.estimate_minutes))
    if item.wait is not None:
        comp.add(X_WAIT, _seconds(item.wait), parameters={"VALUE": "DATE-TIME"})
    for pred in item.depends:
        if pred in uuids:
            comp.add("related-to", uuids[pred], parameters={"RELTYPE": RELTYPE_FS})


def _floating(value: datetime, all_day: bool) -> date | datetime:
    """A naive local time as written: a date when the to-do is all-day, else to the second."""
    return value.date() if all_day else _seconds(value)


def _seconds(value: datetime) -> datetime:
    """iCalendar times have no fraction of a second."""
    return value.replace(microsecond=0)


def _utc(value: datetime) -> datetime:
    """A naive local time (or an aware one) in UTC, to the second."""
    return _seconds(value).astimezone(UTC)


# ------------------------------------------------------------------------- import


class _Bad(Exception):
    """A problem with one property of a component (located by the caller)."""

    def __init__(self, prop: str | None, message: str) -> None:
        super().__init__(message)
        self.prop = prop


@dataclass(slots=True)
class _Block:
    """A component directly inside VCALENDAR, as the line scanner saw it."""

    kind: str
    number: int
    line: int
    end: int = 0
    props: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``VTODO #3``: the third VTODO of the file."""
        return f"{self.kind} #{self.number}"

    def line_of(self, prop: str | None) -> int:
        """The line of ``prop`` in this component (its BEGIN line when unknown)."""
        return self.props.get(prop, self.line) if prop else self.line


def load_ical(path: str | Path, *, today: date | None = None) -> list[ImportRecord]:
    """Read ``path`` whole and parse it; an unreadable file is an ImportFileError too."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    return parse_ical(data, name=str(path), today=today)


def parse_ical(data: bytes, *, name: str, today: date | None = None) -> list[ImportRecord]:
    """Every VTODO and VEVENT of ``data`` as a record, or one ImportFileError.

    ``name`` starts every message. ``today`` (default: the real today) is where a rule's
    first date is looked for when its component has no date of its own.
    """
    text = _decode(data, name)
    lines = _logical_lines(text)
    blocks = _scan(lines, name)
    cals = _parse(text, lines, blocks, name)
    comps = [(c, _is_ours(cal)) for cal in cals for c in cal.subcomponents]
    if len(comps) != len(blocks):  # icalendar saw the structure differently: be safe
        raise ImportFileError(f"{name}: the components could not be told apart")
    records: list[ImportRecord] = []
    seen: dict[str, str] = {}
    twins: dict[str, int] = {}
    for (comp, ours), block in zip(comps, blocks, strict=True):
        if block.kind not in ("VTODO", "VEVENT"):
            continue
        record = _located(comp, block, name, today or date.today(), twins)
        if record is None:
            continue
        record = _carried(record, ours)
        first = seen.setdefault(record.item_uuid, record.where)
        if first != record.where:
            raise ImportFileError(
                f"{name}: line {block.line}: {record.where}: the same UID as {first}"
            )
        records.append(record)
    return records


def _carried(record: ImportRecord, ours: bool) -> ImportRecord:
    """Limit what the record says to what its file can say (``ImportRecord.fields``).

    A file from elsewhere speaks for :data:`ICAL_FIELDS` only (plus links when it has
    some). A closed to-do without a rule says nothing about recurrence: taskdesk writes
    closed occurrences of a routine without their rule, and importing them must not
    detach them from their series.
    """
    carried = set(RECORD_FIELDS if ours else ICAL_FIELDS)
    if not ours and record.depends:
        carried.add("depends")
    if record.state.is_closed and record.recurrence is None:
        carried.discard("recurrence")
    if carried == RECORD_FIELDS:
        return record
    return replace(record, fields=frozenset(carried))


def _is_ours(cal: icalendar.Component) -> bool:
    """Whether taskdesk wrote this calendar (then it speaks for every field of an item)."""
    prodid = cal.get("PRODID")
    return isinstance(prodid, str) and prodid.strip() == PRODID


def _decode(data: bytes, name: str) -> str:
    """The file as text: UTF-8 (a byte-order mark allowed), naming the first bad line."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(f"{name}: line {line}: not UTF-8 text") from None


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfolded content lines with the number of their first physical line."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        if raw[:1] in (" ", "\t") and lines:
            first, head = lines[-1]
            lines[-1] = (first, head + raw[1:])
        else:
            lines.append((number, raw))
    return lines


def _begin_end(line: str) -> tuple[str, str] | None:
    """``("BEGIN", "VTODO")`` for a BEGIN/END line, else None."""
    head, sep, value = line.partition(":")
    word = head.strip().upper()
    if sep and word in ("BEGIN", "END"):
        return word, value.strip().upper()
    return None


def _scan(lines: Sequence[tuple[int, str]], name: str) -> list[_Block]:
    """Check that BEGIN and END lines pair up; list the components inside VCALENDAR."""
    stack: list[tuple[str, int]] = []
    blocks: list[_Block] = []
    counts: dict[str, int] = {}
    calendars = 0
    for number, line in lines:
        marker = _begin_end(line)
        if marker is None:
            _property_line(stack, blocks, number, line, name)
        elif marker[0] == "BEGIN":
            kind = marker[1]
            if not stack and kind != "VCALENDAR":
                raise ImportFileError(f"{name}: line {number}: BEGIN:{kind} outside a VCALENDAR")
            if len(stack) == 1:
                counts[kind] = counts.get(kind, 0) + 1
                blocks.append(_Block(kind, counts[kind], number))
            calendars += not stack
            stack.append((kind, number))
        else:
            _close(stack, marker[1], number, name)
            if len(stack) == 1:
                blocks[-1].end = number
    if stack:
        kind, number = stack[-1]
        raise ImportFileError(f"{name}: line {number}: BEGIN:{kind} has no END:{kind}")
    if not calendars:
        raise ImportFileError(f"{name}: no BEGIN:VCALENDAR (not an iCalendar file)")
    return blocks


def _property_line(
    stack: list[tuple[str, int]], blocks: list[_Block], number: int, line: str, name: str
) -> None:
    """Remember where a component's property is; refuse text outside any calendar."""
    if not line.strip():
        return
    if not stack:
        raise ImportFileError(f"{name}: line {number}: text outside BEGIN:VCALENDAR … END")
    if len(stack) == 2:
        prop = re.split(r"[;:]", line, maxsplit=1)[0].strip().upper()
        blocks[-1].props.setdefault(prop, number)


def _close(stack: list[tuple[str, int]], kind: str, number: int, name: str) -> None:
    """Pop ``kind``, or say which BEGIN it fails to match."""
    if not stack:
        raise ImportFileError(f"{name}: line {number}: END:{kind} without a BEGIN:{kind}")
    open_kind, opened = stack[-1]
    if open_kind != kind:
        raise ImportFileError(
            f"{name}: line {number}: END:{kind} while BEGIN:{open_kind} of line {opened} "
            f"is still open (missing END:{open_kind}?)"
        )
    stack.pop()


def _parse(
    text: str, lines: Sequence[tuple[int, str]], blocks: Sequence[_Block], name: str
) -> list[icalendar.Calendar]:
    """icalendar's reading of the file; a failure is pinned to the first line at fault."""
    try:
        return list(icalendar.Calendar.from_ical(text, multiple=True))
    except Exception as exc:  # icalendar raises ValueError, KeyError, AssertionError...
        found = _first_bad_line(lines)
        if found is None:
            raise ImportFileError(f"{name}: cannot be read as iCalendar ({exc})") from None
        number, problem = found
        inside = [b.label for b in blocks if b.line <= number <= b.end]
        where = f"{inside[0]}: " if inside else ""
        raise ImportFileError(f"{name}: line {number}: {where}{problem}") from None


def _first_bad_line(lines: Sequence[tuple[int, str]]) -> tuple[int, str] | None:
    """The first content line icalendar can't read on its own, with icalendar's reason."""
    kinds = ["VCALENDAR"]
    for number, line in lines:
        marker = _begin_end(line)
        if marker is not None and marker[0] == "BEGIN":
            kinds.append(marker[1])
        elif marker is not None:
            kinds = kinds[:-1] or ["VCALENDAR"]
        if marker is not None or not line.strip():
            continue
        kind = kinds[-1]
        probe = f"BEGIN:{kind}\r\n{line}\r\nEND:{kind}\r\n"
        try:
            icalendar.Component.from_ical(probe)
        except Exception as exc:
            head = re.split(r"[;:]", line, maxsplit=1)[0].strip().upper() or "(no name)"
            return number, f"{head}: {exc}" if ":" in line else f"not a NAME:value line ({exc})"
    return None


def _located(
    comp: icalendar.Component, block: _Block, name: str, today: date, twins: dict[str, int]
) -> ImportRecord | None:
    """The record of one component; a problem becomes a message with line and component."""
    where = block.label
    try:
        uid = (_text(comp, "UID") or "").strip()
        if uid:
            where += f" (UID {uid})"
        else:
            uid = _derived_uid(comp, block.kind, twins)
        _check_readable(comp)
        return _record(comp, block, uid, where, today)
    except _Bad as exc:
        prop = f"{exc.prop}: " if exc.prop else ""
        raise ImportFileError(
            f"{name}: line {block.line_of(exc.prop)}: {where}: {prop}{exc}"
        ) from None


def _check_readable(comp: icalendar.Component) -> None:
    """Refuse a property icalendar kept as "broken" (it is lenient inside VEVENTs)."""
    for prop in _READ:
        value = comp.get(prop)
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, icalendar.vBroken):
                raise _Bad(prop, str(one.parse_error))


def _derived_uid(comp: icalendar.Component, kind: str, twins: dict[str, int]) -> str:
    """A UID for a component that has none (calcurse exports none by default).

    RFC 5545 requires a UID, but refusing calcurse's files would help nobody. The UID is
    made from what the component says (and which twin it is among identical ones), so a
    second import of the same file finds the items of the first.
    """
    parts = [kind, *(_raw(comp, prop) for prop in ("SUMMARY", "DTSTART", "DUE", "DTEND"))]
    parts.append(_raw(comp, "RRULE"))
    key = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
    twins[key] = twins.get(key, 0) + 1
    return f"{key}-{twins[key]}@no-uid.taskdesk.invalid"


def _raw(comp: icalendar.Component, prop: str) -> str:
    """A property's value as iCalendar text (empty when absent or unprintable)."""
    value = comp.get(prop)
    values = value if isinstance(value, list) else [] if value is None else [value]
    try:
        return ",".join(v.to_ical().decode("utf-8") for v in values)
    except Exception:  # a value icalendar can't print back: identify without it
        return ""


def _record(
    comp: icalendar.Component, block: _Block, uid: str, where: str, today: date
) -> ImportRecord | None:
    """A VTODO or VEVENT as a record; None for what an import skips."""
    if "RECURRENCE-ID" in comp:
        return None
    if _DEADLINE_UID.fullmatch(uid) or X_DEADLINE_OF in comp:
        return None
    title = _text(comp, "SUMMARY")
    if not title or not title.strip():
        raise _Bad("SUMMARY", "missing or empty (an item needs a title)")
    if block.kind == "VTODO":
        start, due, state, completed = _todo_fields(comp)
    else:
        start, due, state, completed = _event_fields(comp)
    return ImportRecord(
        uid=uid,
        title=title,
        state=state,
        notes=_text(comp, "DESCRIPTION") or "",
        priority=_priority(comp),
        due=due,
        start=start,
        wait=_x_when(comp, X_WAIT),
        completed=completed,
        created=_when(comp, "CREATED"),
        project=_text(comp, X_PROJECT) or None,
        tags=_tags(comp),
        assignees=tuple(_texts(comp, X_ASSIGNEE)),
        recurrence=_recurrence(comp, (due or start or datetime.combine(today, time())).date()),
        milestone=_flag(comp, X_MILESTONE),
        estimate_minutes=_estimate(comp),
        depends=_depends(comp),
        where=where,
    )


_Dates = tuple[datetime | None, datetime | None, StatusCategory, datetime | None]


def _todo_fields(comp: icalendar.Component) -> _Dates:
    """Start, due, state and completion time of a VTODO."""
    start = _when(comp, "DTSTART")
    due = _when(comp, "DUE")
    length = _duration(comp)
    if due is None and start is not None and length is not None:
        due = start + length
    completed = _when(comp, "COMPLETED")
    status = _text(comp, "STATUS")
    if status is None:
        state = StatusCategory.COMPLETED if completed else StatusCategory.UNSTARTED
    elif status.upper() in _TODO_STATE:
        state = _TODO_STATE[status.upper()]
    else:
        raise _Bad("STATUS", f"{status!r} is not a to-do status ({', '.join(_TODO_STATE)})")
    if state is StatusCategory.UNSTARTED and _state(comp) is StatusCategory.BACKLOG:
        state = StatusCategory.BACKLOG
    return start, due, state, completed


def _event_fields(comp: icalendar.Component) -> _Dates:
    """Start, due, state and completion time of a VEVENT (a milestone's come back exact)."""
    begin = _value(comp, "DTSTART")
    if begin is None:
        raise _Bad("DTSTART", "missing (an event needs a start)")
    start = _local(begin, "DTSTART")
    due = _event_end(comp, start, all_day=not isinstance(begin.dt, datetime))
    status = _text(comp, "STATUS")
    if status is not None and status.upper() not in _EVENT_STATUSES:
        raise _Bad("STATUS", f"{status!r} is not an event status ({', '.join(_EVENT_STATUSES)})")
    state = _state(comp) or StatusCategory.UNSTARTED
    if status is not None and status.upper() == "CANCELLED":
        state = StatusCategory.CANCELLED
    completed = _x_when(comp, X_COMPLETED)
    if _flag(comp, X_MILESTONE):
        return (*_milestone_dates(comp, start), state, completed)
    return start, due, state, completed


def _event_end(comp: icalendar.Component, start: datetime, *, all_day: bool) -> datetime:
    """An event's due: its end (the last day of an all-day event), else its start."""
    end = _when(comp, "DTEND")
    length = _duration(comp)
    if end is None and length is not None:
        end = start + length
    if end is None or end <= start:
        return start
    return end - timedelta(days=1) if all_day and end.time() == time() else end


def _milestone_dates(
    comp: icalendar.Component, day: datetime
) -> tuple[datetime | None, datetime | None]:
    """A milestone's exact start and due, moved as far as its event was moved."""
    due, start = _x_when(comp, X_DUE), _x_when(comp, X_START)
    anchor = due or start
    if anchor is None:
        return None, day
    shift = timedelta(days=(day.date() - anchor.date()).days)
    return (start + shift if start else None), (due + shift if due else None)


# --------------------------------------------------------------- property readers


def _value(comp: icalendar.Component, prop: str) -> Any:
    """The one value of ``prop`` (None when absent); twice is an error."""
    value = comp.get(prop)
    if isinstance(value, list):
        raise _Bad(prop, "appears more than once")
    return value


def _text(comp: icalendar.Component, prop: str) -> str | None:
    """A text property as plain text (X- properties unescaped as RFC 5545 text)."""
    value = _value(comp, prop)
    return None if value is None else _plain(value)


def _texts(comp: icalendar.Component, prop: str) -> list[str]:
    """Every value of a property that may repeat, stripped, empty ones dropped."""
    value = comp.get(prop)
    values = value if isinstance(value, list) else [] if value is None else [value]
    return [text for text in (_plain(v).strip() for v in values) if text]


def _plain(value: Any) -> str:
    """icalendar's value as text: vText is unescaped already, vUnknown is verbatim."""
    if isinstance(value, icalendar.vText):
        return str(value)
    if isinstance(value, str):
        return _TEXT_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)
    raise _Bad(None, f"expected text, not {type(value).__name__}")


def _when(comp: icalendar.Component, prop: str) -> datetime | None:
    """A DATE or DATE-TIME property as a naive local time (a date at 00:00)."""
    value = _value(comp, prop)
    return None if value is None else _local(value, prop)


def _local(value: Any, prop: str) -> datetime:
    """Convert a parsed date, UTC or zoned time to this machine's naive local time."""
    moment = getattr(value, "dt", None)
    if isinstance(moment, datetime):
        tzid = getattr(value, "params", {}).get("TZID")
        if moment.tzinfo is None and tzid:
            raise _Bad(prop, f"unknown time zone {tzid!r} (not a VTIMEZONE of the file, not IANA)")
        if moment.tzinfo is None:
            return moment
        try:
            return moment.astimezone().replace(tzinfo=None)
        except (OverflowError, ValueError) as exc:
            raise _Bad(prop, f"{moment} can't be converted to local time ({exc})") from None
    if isinstance(moment, date):
        return datetime.combine(moment, time())
    raise _Bad(prop, "is not a date or a date-time")


def _x_when(comp: icalendar.Component, prop: str) -> datetime | None:
    """A date-time in an X- property (written with VALUE=DATE-TIME, or as plain text)."""
    value = _value(comp, prop)
    if value is None:
        return None
    if not hasattr(value, "dt"):
        parse: Any = icalendar.vDDDTypes.from_ical  # untyped in icalendar
        try:
            value = icalendar.vDDDTypes(parse(_plain(value).strip()))
        except Exception:
            raise _Bad(prop, f"{_plain(value)!r} is not a date-time") from None
    return _local(value, prop)


def _duration(comp: icalendar.Component) -> timedelta | None:
    """``DURATION`` as a timedelta (None when absent); negative ones are refused."""
    value = _value(comp, "DURATION")
    if value is None:
        return None
    length = getattr(value, "dt", getattr(value, "td", None))
    if not isinstance(length, timedelta) or length < timedelta(0):
        raise _Bad("DURATION", "is not a positive duration")
    return length


def _priority(comp: icalendar.Component) -> Priority | None:
    """RFC 5545's 1 (highest)–9 (lowest), 0 = undefined, in taskdesk's three levels."""
    value = _value(comp, "PRIORITY")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 9:
        raise _Bad("PRIORITY", f"{value!r} is not 0–9")
    if value == 0:
        return None
    return Priority.HIGH if value <= 4 else Priority.MEDIUM if value == 5 else Priority.LOW


def _tags(comp: icalendar.Component) -> tuple[str, ...]:
    """Every CATEGORIES value (the property may repeat), each once, in file order."""
    value = comp.get("CATEGORIES")
    props = value if isinstance(value, list) else [] if value is None else [value]
    tags: list[str] = []
    for prop in props:
        cats = getattr(prop, "cats", None)
        if cats is None:
            raise _Bad("CATEGORIES", "is not a list of categories")
        tags += [str(c).strip() for c in cats if str(c).strip()]
    return tuple(dict.fromkeys(tags))


def _state(comp: icalendar.Component) -> StatusCategory | None:
    """``X-TASKDESK-STATE``: the status category taskdesk wrote."""
    text = _text(comp, X_STATE)
    if text is None:
        return None
    try:
        return StatusCategory(text.strip().lower())
    except ValueError:
        names = ", ".join(c.value for c in StatusCategory)
        raise _Bad(X_STATE, f"{text!r} is not a status category ({names})") from None


def _flag(comp: icalendar.Component, prop: str) -> bool:
    """A TRUE/FALSE X- property."""
    text = _text(comp, prop)
    if text is None:
        return False
    if text.strip().upper() not in ("TRUE", "FALSE"):
        raise _Bad(prop, f"{text!r} is not TRUE or FALSE")
    return text.strip().upper() == "TRUE"


def _estimate(comp: icalendar.Component) -> int | None:
    """``X-TASKDESK-ESTIMATE``: whole minutes."""
    text = _text(comp, X_ESTIMATE)
    if text is None:
        return None
    if not re.fullmatch(r"\d{1,9}", text.strip(), re.ASCII):
        raise _Bad(X_ESTIMATE, f"{text!r} is not a number of minutes")
    return int(text)


def _depends(comp: icalendar.Component) -> tuple[str, ...]:
    """UIDs this component waits for: RELATED-TO with RELTYPE FINISHTOSTART or DEPENDS-ON."""
    value = comp.get("RELATED-TO")
    props = value if isinstance(value, list) else [] if value is None else [value]
    found = []
    for prop in props:
        reltype = str(getattr(prop, "params", {}).get("RELTYPE", "PARENT")).upper()
        if reltype in (RELTYPE_FS, "DEPENDS-ON") and _plain(prop).strip():
            found.append(_plain(prop).strip())
    return tuple(dict.fromkeys(found))


def _recurrence(comp: icalendar.Component, first: date) -> Recurrence | None:
    """``RRULE`` checked by taskdesk's recurrence engine from the component's first date.

    A rule with no date in the ten years from ``first`` never occurs and is refused, as
    is anything the engine can't expand (sub-daily rules, nonsense parts).
    """
    value = _value(comp, "RRULE")
    if value is None:
        return None
    try:
        body = value.to_ical().decode("utf-8")
    except Exception:
        raise _Bad("RRULE", "cannot be read") from None
    anchor = (_text(comp, X_ANCHOR) or RecurrenceAnchor.SCHEDULE.value).strip().lower()
    if anchor not in (RecurrenceAnchor.SCHEDULE.value, RecurrenceAnchor.COMPLETION.value):
        raise _Bad(X_ANCHOR, f"{anchor!r} is not schedule or completion")
    parse = parse_after if anchor == RecurrenceAnchor.COMPLETION.value else parse_every
    try:
        return parse(body, today=first)
    except RecurrenceError as exc:
        raise _Bad("RRULE", str(exc)) from None
