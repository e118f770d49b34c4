"""Taskwarrior's ``task export`` JSON in, and out again so ``task import`` takes it.

Reading accepts what Taskwarrior versions write: one JSON array (2.6, 3.x), one JSON
object per line (older ``task export``), and legacy ``.data`` lines
(``[description:"…" status:"pending" uuid:"…"]``). Attributes map as follows:

- ``uuid`` → the item's uuid (re-importing updates instead of duplicating);
  ``description`` → title; ``annotations`` → notes, one line ``YYYY-MM-DD: text`` each;
- ``status``: pending/waiting → to do (``start`` set → started), completed → done,
  deleted → cancelled; ``entry`` → created, ``end`` → completed; ``due``, ``scheduled``
  (→ start), ``wait``; ``priority`` H/M/L; ``project``; ``tags``; ``depends`` (array or
  comma-separated uuids);
- **recurrence**: a ``recurring`` parent is Taskwarrior's template; it becomes one
  recurring item (same uuid) whose ``recur`` becomes our rule (:func:`tw_rule`), due at
  its first pending instance. The child instances (``parent`` set) are not imported:
  taskdesk makes the next occurrence itself when one is completed. A ``depends`` on a
  child points at its template. A child whose parent is not in the file is imported as
  a plain item;
- ``until``, ``mask``, ``imask``, ``id``, ``urgency``, ``modified`` and UDAs are ignored.

Dates are Taskwarrior's UTC ``20261124T170000Z`` (ISO 8601 with an offset, and the
epoch seconds of ``.data`` files, are accepted too) and become naive local time, as the
store keeps them. Errors are :class:`ImportFileError` naming the file and the line or
task at fault.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from taskdesk.domain.importing import RECORD_FIELDS, ImportFileError, ImportRecord
from taskdesk.domain.model import Item, Priority, Recurrence, StatusCategory
from taskdesk.domain.recurrence import RecurrenceError, parse_every

#: What a Taskwarrior task says about an item (assignees, milestones and estimates:
#: nothing, so re-importing leaves those as taskdesk has them).
TW_FIELDS = RECORD_FIELDS - {"assignees", "milestone", "estimate_minutes"}

_STATUS = {
    "pending": StatusCategory.UNSTARTED,
    "waiting": StatusCategory.UNSTARTED,
    "recurring": StatusCategory.UNSTARTED,
    "completed": StatusCategory.COMPLETED,
    "deleted": StatusCategory.CANCELLED,
}
_TW_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z", re.ASCII)
_FF4_LINE = re.compile(r"\s*\[\s*[A-Za-z_][\w.-]*:\"", re.ASCII)
_FF4_PAIR = re.compile(r'\s*([A-Za-z_][\w.-]*):"((?:[^"\\]|\\.)*)"', re.ASCII | re.DOTALL)
_NOTE_LINE = re.compile(r"(\d{4}-\d{2}-\d{2}): (.*)")

#: Taskwarrior's named periods, as taskdesk RULE words.
_NAMED = {
    "daily": "daily",
    "day": "daily",
    "weekdays": "weekdays",
    "weekly": "weekly",
    "week": "weekly",
    "sennight": "weekly",
    "biweekly": "biweekly",
    "fortnight": "biweekly",
    "monthly": "monthly",
    "month": "monthly",
    "bimonthly": "2m",
    "quarterly": "quarterly",
    "semiannual": "6m",
    "annual": "yearly",
    "yearly": "yearly",
    "year": "yearly",
    "biannual": "2y",
    "biyearly": "2y",
}
_TW_UNITS = {
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "w"),
    **dict.fromkeys(("mo", "mos", "mth", "mths", "mnths", "month", "months", "m"), "m"),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), "y"),
}
_TW_PERIOD = re.compile(r"(\d{1,4})?\s*([a-z]+)", re.ASCII)
_ISO_PERIOD = re.compile(r"P(\d{1,4})([DWMY])", re.ASCII)


# ------------------------------------------------------------------------- reading
def parse_taskwarrior(text: str, name: str) -> list[ImportRecord]:
    """Every task of a Taskwarrior export (array, JSON lines or ``.data``) as records."""
    body = text.lstrip("\ufeff")
    stripped = body.strip()
    if not stripped:
        raise ImportFileError(f"{name}: the file is empty")
    if _FF4_LINE.match(stripped):
        tasks = _ff4_tasks(body, name)
    elif stripped.startswith("["):
        tasks = _array_tasks(body, name)
    else:
        tasks = _line_tasks(body, name)
    return records_from_tasks(tasks, name)


def _json_error(name: str, exc: json.JSONDecodeError, line_offset: int = 0) -> ImportFileError:
    return ImportFileError(f"{name}: line {exc.lineno + line_offset}: not valid JSON ({exc.msg})")


def _array_tasks(body: str, name: str) -> list[tuple[str, Any]]:
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise _json_error(name, exc) from None
    except RecursionError:
        raise ImportFileError(f"{name}: the JSON is nested too deeply") from None
    if not isinstance(data, list):
        raise ImportFileError(f"{name}: expected an array of tasks")
    return [(f"task #{n}", task) for n, task in enumerate(data, start=1)]


def _line_tasks(body: str, name: str) -> list[tuple[str, Any]]:
    tasks: list[tuple[str, Any]] = []
    for number, line in enumerate(body.splitlines(), start=1):
        text = line.strip().rstrip(",")
        if not text:
            continue
        try:
            tasks.append((f"line {number}", json.loads(text)))
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"{name}: line {number}: not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise ImportFileError(f"{name}: line {number}: nested too deeply") from None
    return tasks


def _ff4_tasks(body: str, name: str) -> list[tuple[str, Any]]:
    """Legacy ``.data`` lines: ``[key:"value" key:"value" …]`` (values JSON-escaped)."""
    tasks: list[tuple[str, Any]] = []
    for number, line in enumerate(body.splitlines(), start=1):
        text = line.strip()
        if not text:
            continue
        if not (text.startswith("[") and text.endswith("]")):
            raise ImportFileError(f'{name}: line {number}: not a [key:"value" …] line')
        task: dict[str, Any] = {}
        pos, inner = 0, text[1:-1]
        while pos < len(inner.rstrip()):
            match = _FF4_PAIR.match(inner, pos)
            if match is None:
                raise ImportFileError(f"{name}: line {number}: cannot read {inner[pos:][:30]!r}")
            task[match.group(1)] = _ff4_value(match.group(2), name, number)
            pos = match.end()
        for key in ("tags", "depends"):
            if isinstance(task.get(key), str):
                task[key] = [v for v in task[key].split(",") if v]
        annotations = [
            {"entry": k.partition("_")[2], "description": v}
            for k, v in task.items()
            if k.startswith("annotation_")
        ]
        if annotations:
            task["annotations"] = annotations
        tasks.append((f"line {number}", task))
    return tasks


def _ff4_value(raw: str, name: str, number: int) -> str:
    text = raw.replace("&open;", "[").replace("&close;", "]").replace("&dquot;", '\\"')
    try:
        value = json.loads(f'"{text}"')
    except json.JSONDecodeError:
        raise ImportFileError(f"{name}: line {number}: a bad escape in {raw[:30]!r}") from None
    return str(value)


def records_from_tasks(tasks: Sequence[tuple[str, Any]], name: str) -> list[ImportRecord]:
    """Task objects (with where each came from) → records; templates absorb children."""
    objects = []
    for where, task in tasks:
        if not isinstance(task, dict):
            raise ImportFileError(f"{name}: {where}: a task must be a JSON object")
        objects.append((where, task))
    templates = {
        str(t.get("uuid")).strip().lower(): t
        for _, t in objects
        if t.get("status") == "recurring" and isinstance(t.get("uuid"), str)
    }
    parent_of: dict[str, str] = {}
    first_due: dict[str, datetime] = {}
    children: set[int] = set()
    for index, (where, task) in enumerate(objects):
        parent = task.get("parent")
        if isinstance(parent, str) and parent.strip().lower() in templates:
            key = parent.strip().lower()
            children.add(index)
            if isinstance(task.get("uuid"), str):
                parent_of[task["uuid"].strip().lower()] = key
            due = task.get("due")
            if task.get("status") in ("pending", "waiting") and isinstance(due, str):
                moment = _date(due, f"{name}: {where}", "due")
                if key not in first_due or moment < first_due[key]:
                    first_due[key] = moment
    return [
        _record(task, f"{name}: {_label(where, task)}", _label(where, task), parent_of, first_due)
        for index, (where, task) in enumerate(objects)
        if index not in children
    ]


def _label(where: str, task: Mapping[str, Any]) -> str:
    uuid = task.get("uuid")
    return f"{where} (uuid {uuid})" if isinstance(uuid, str) and uuid.strip() else where


def _record(
    task: Mapping[str, Any],
    at: str,
    where: str,
    parent_of: Mapping[str, str],
    first_due: Mapping[str, datetime],
) -> ImportRecord:
    title = _text(task, "description", at)
    if not title.strip():
        raise ImportFileError(f"{at}: the task has no description")
    status = task.get("status", "pending")
    if not isinstance(status, str) or status not in _STATUS:
        raise ImportFileError(f"{at}: unknown status {status!r}")
    uid = _text(task, "uuid", at).strip() or f"taskwarrior:{title}:{task.get('entry', '')}"
    state = _STATUS[status]
    if state is StatusCategory.UNSTARTED and task.get("start"):
        state = StatusCategory.STARTED
    recurrence = None
    if status == "recurring" or (task.get("recur") and not task.get("parent")):
        recurrence = _recur(task.get("recur"), at)
    due = first_due.get(uid.lower()) or _opt_date(task, "due", at)
    return ImportRecord(
        uid=uid,
        title=title,
        state=state,
        notes=_notes(task.get("annotations"), at),
        priority=_priority(task.get("priority"), at),
        due=due,
        start=_opt_date(task, "scheduled", at),
        wait=_opt_date(task, "wait", at),
        completed=_opt_date(task, "end", at) if state.is_closed else None,
        created=_opt_date(task, "entry", at),
        project=_text(task, "project", at).strip() or None,
        tags=tuple(_strings(task.get("tags"), at, "tags")),
        recurrence=recurrence,
        depends=tuple(
            parent_of.get(d.strip().lower(), d.strip())
            for d in _strings(task.get("depends"), at, "depends")
        ),
        where=where,
        fields=TW_FIELDS,
    )


def _text(task: Mapping[str, Any], key: str, at: str) -> str:
    value = task.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ImportFileError(f"{at}: {key} must be text, not {type(value).__name__}")
    return value


def _strings(value: object, at: str, key: str) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise ImportFileError(f"{at}: {key} must be a list of text")


def _priority(value: object, at: str) -> Priority | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().upper() in ("H", "M", "L"):
        return Priority(value.strip().upper())
    raise ImportFileError(f"{at}: priority {value!r} is not H, M or L")


def _opt_date(task: Mapping[str, Any], key: str, at: str) -> datetime | None:
    value = task.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ImportFileError(f"{at}: {key} must be a date text, not {type(value).__name__}")
    return _date(value, at, key)


def _date(text: str, at: str, key: str) -> datetime:
    """A Taskwarrior date (UTC ``20261124T170000Z``, or ISO) as naive local time."""
    match = _TW_DATE.fullmatch(text.strip())
    try:
        if match:
            y, mo, d, h, mi, sec = (int(g) for g in match.groups())
            moment = datetime(y, mo, d, h, mi, sec, tzinfo=UTC)
        elif text.strip().isascii() and text.strip().isdigit() and len(text.strip()) <= 11:
            moment = datetime.fromtimestamp(int(text.strip()), UTC)  # .data files: epoch
        else:
            moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if moment.tzinfo is None:
            return moment
        return moment.astimezone().replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        raise ImportFileError(f"{at}: {key} {text[:40]!r} is not a date") from None


def _notes(value: object, at: str) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, list):
        raise ImportFileError(f"{at}: annotations must be a list")
    lines = []
    for note in value:
        if not isinstance(note, dict) or not isinstance(note.get("description", ""), str):
            raise ImportFileError(f"{at}: an annotation must be an object with a description")
        entry = note.get("entry")
        text = note.get("description", "")
        if isinstance(entry, str) and entry.strip():
            lines.append(f"{_date(entry, at, 'annotation entry').date().isoformat()}: {text}")
        else:
            lines.append(text)
    return "\n".join(lines)


def tw_rule(text: str) -> str:
    """A Taskwarrior ``recur`` value as a taskdesk RULE word (``2wks`` → ``2w``).

    Raises ValueError for periods shorter than a day (taskdesk recurs by the day).
    """
    word = text.strip().lower()
    if word in _NAMED:
        return _NAMED[word]
    iso = _ISO_PERIOD.fullmatch(text.strip().upper())
    if iso:
        return f"{int(iso.group(1))}{iso.group(2).lower()}"
    match = _TW_PERIOD.fullmatch(word)
    if match and match.group(2) in _TW_UNITS:
        count = int(match.group(1) or 1)
        return f"{count}{_TW_UNITS[match.group(2)]}"
    if match and match.group(2) in ("q", "qtr", "qtrs", "quarter", "quarters"):
        return f"{3 * int(match.group(1) or 1)}m"
    raise ValueError(f"recur {text!r} is not a period of days, weeks, months or years")


def _recur(value: object, at: str) -> Recurrence:
    if not isinstance(value, str) or not value.strip():
        raise ImportFileError(f"{at}: a recurring task needs a recur period")
    try:
        return parse_every(tw_rule(value))
    except (ValueError, RecurrenceError) as exc:
        raise ImportFileError(f"{at}: {exc}") from None


# ------------------------------------------------------------------------- writing
def tw_date(value: datetime) -> str:
    """Naive local time as Taskwarrior's UTC ``20261124T170000Z``."""
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def tw_recur(rec: Recurrence) -> str | None:
    """Our rule as a Taskwarrior period, or None when Taskwarrior has no such period."""
    parts = dict(p.split("=", 1) for p in rec.rrule.split(";") if "=" in p)
    freq, interval = parts.pop("FREQ", ""), int(parts.pop("INTERVAL", "1"))
    if freq == "WEEKLY" and parts == {"BYDAY": "MO,TU,WE,TH,FR"} and interval == 1:
        return "weekdays"
    if parts:
        return None
    unit = {"DAILY": "d", "WEEKLY": "w", "MONTHLY": "mo", "YEARLY": "y"}.get(freq)
    if unit is None:
        return None
    named = {"d": "daily", "w": "weekly", "mo": "monthly", "y": "yearly"}
    return named[unit] if interval == 1 else f"{interval}{unit}"


def task_from_item(item: Item, uuids: Mapping[int, str], now: datetime) -> dict[str, Any]:
    """One item as a ``task import`` object."""
    recur = tw_recur(item.recurrence) if item.recurrence and item.is_open else None
    if recur is not None:
        status = "recurring"
    elif item.category is StatusCategory.COMPLETED:
        status = "completed"
    elif item.category is StatusCategory.CANCELLED:
        status = "deleted"
    elif item.wait is not None and item.wait > now:
        status = "waiting"
    else:
        status = "pending"
    task: dict[str, Any] = {"uuid": item.uuid, "description": item.title, "status": status}
    created = item.created or now
    task["entry"] = tw_date(created)
    task["modified"] = tw_date(item.updated or created)
    for key, value in (("due", item.due), ("scheduled", item.start), ("wait", item.wait)):
        if value is not None:
            task[key] = tw_date(value)
    if item.category.is_closed:
        task["end"] = tw_date(item.completed or item.updated or created)
    if item.category is StatusCategory.STARTED:
        task["start"] = tw_date(item.started or item.updated or created)
    if item.priority is not None:
        task["priority"] = item.priority.value
    if item.project:
        task["project"] = item.project
    if item.tags:
        task["tags"] = list(item.tags)
    depends = [uuids[d] for d in item.depends if d in uuids]
    if depends:
        task["depends"] = depends
    if recur is not None:
        task["recur"] = recur
        task.setdefault("due", tw_date(item.due or created))
    annotations = _annotations(item.notes, created)
    if annotations:
        task["annotations"] = annotations
    return task


def _annotations(notes: str, created: datetime) -> list[dict[str, str]]:
    out = []
    for line in notes.splitlines():
        if not line.strip():
            continue
        match = _NOTE_LINE.fullmatch(line)
        when = created
        if match:
            try:
                when = datetime.fromisoformat(match.group(1))
                line = match.group(2)
            except ValueError:
                pass
        out.append({"entry": tw_date(when), "description": line})
    return out


def export_taskwarrior(items: Sequence[Item], uuids: Mapping[int, str], now: datetime) -> str:
    """Items as ``task export`` writes them: an array, one task per line."""
    lines = [json.dumps(task_from_item(i, uuids, now), ensure_ascii=False) for i in items]
    return "[\n" + ",\n".join(lines) + "\n]\n"
