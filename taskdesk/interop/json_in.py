"""Reading taskdesk's own JSON (``export --format json``, ``list --json``) back in.

The objects are those of :mod:`taskdesk.interop.json_out`; the keys read are ``uuid``,
``title``, ``category`` (else ``status`` when it names a category), ``project``,
``priority``, ``due``, ``start``, ``wait``, ``completed``, ``created``, ``tags``,
``assignees``, ``recurrence`` (``"every RULE"`` / ``"after RULE"``), ``notes``,
``estimate_minutes``, ``milestone`` and ``depends``; the others (``id``, ``urgency``,
``blocked``, …) are computed by the store and ignored. Only the keys an object has are
applied to an existing item, so a hand-written ``[{"uuid": …, "due": …}]`` changes the
due date alone.

``depends`` holds item ids. An id of another object of the file becomes that object's
uuid; any other id is kept as ``#ID`` for :func:`resolve_ids`, which the command runs
against the store before importing (an export of one project may depend on items of
another).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from taskdesk.domain.importing import ImportFileError, ImportRecord
from taskdesk.domain.model import Priority, Recurrence, StatusCategory
from taskdesk.domain.recurrence import RecurrenceError, parse_after, parse_every

#: JSON key → ImportRecord field, for the keys an object may carry.
_KEY_FIELDS = {
    "title": "title",
    "category": "state",
    "status": "state",
    "notes": "notes",
    "priority": "priority",
    "due": "due",
    "start": "start",
    "wait": "wait",
    "completed": "completed",
    "created": "created",
    "project": "project",
    "tags": "tags",
    "assignees": "assignees",
    "recurrence": "recurrence",
    "milestone": "milestone",
    "estimate_minutes": "estimate_minutes",
    "depends": "depends",
}


def looks_like_taskwarrior(data: object) -> bool:
    """An array whose first object has a ``description`` and no ``title``."""
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return "description" in data[0] and "title" not in data[0]
    return False


def load_json(text: str, name: str) -> Any:
    """The JSON value of ``text`` (ImportFileError naming the line when it is not JSON)."""
    try:
        return json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"{name}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise ImportFileError(f"{name}: the JSON is nested too deeply") from None


def parse_items_json(text: str, name: str) -> list[ImportRecord]:
    """Every object of a taskdesk JSON export as a record."""
    return records_from_json(load_json(text, name), name)


def records_from_json(data: Any, name: str) -> list[ImportRecord]:
    """Records from an already-loaded JSON array of item objects."""
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ImportFileError(f"{name}: expected an array of items")
    uuids: dict[int, str] = {}
    for obj in data:
        if isinstance(obj, dict) and _is_int(obj.get("id")) and isinstance(obj.get("uuid"), str):
            uuids[obj["id"]] = obj["uuid"]
    return [_record(obj, n, name, uuids) for n, obj in enumerate(data, start=1)]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _record(obj: object, number: int, name: str, uuids: Mapping[int, str]) -> ImportRecord:
    if not isinstance(obj, dict):
        raise ImportFileError(f"{name}: item #{number}: an item must be a JSON object")
    uuid = obj.get("uuid")
    where = f"item #{number}" + (f" (uuid {uuid})" if isinstance(uuid, str) else "")
    at = f"{name}: {where}"
    if not isinstance(uuid, str) or not uuid.strip():
        raise ImportFileError(f"{at}: the item has no uuid")
    title = _str(obj, "title", at)
    if not title.strip():
        raise ImportFileError(f"{at}: the item has no title")
    state = _state(obj, at)
    fields = {_KEY_FIELDS[k] for k in obj if k in _KEY_FIELDS} | {"title"}
    if state is None:
        fields.discard("state")
    return ImportRecord(
        uid=uuid,
        title=title,
        state=state or StatusCategory.UNSTARTED,
        notes=_str(obj, "notes", at),
        priority=_priority(obj.get("priority"), at),
        due=_moment(obj, "due", at),
        start=_moment(obj, "start", at),
        wait=_moment(obj, "wait", at),
        completed=_moment(obj, "completed", at),
        created=_moment(obj, "created", at),
        project=_str(obj, "project", at).strip() or None,
        tags=_names(obj, "tags", at),
        assignees=_names(obj, "assignees", at),
        recurrence=_recurrence(obj.get("recurrence"), at),
        milestone=_bool(obj, "milestone", at),
        estimate_minutes=_minutes(obj.get("estimate_minutes"), at),
        depends=_depends(obj.get("depends"), uuids, at),
        where=where,
        fields=frozenset(fields),
    )


def _str(obj: Mapping[str, Any], key: str, at: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ImportFileError(f"{at}: {key} must be text, not {type(value).__name__}")
    return value


def _state(obj: Mapping[str, Any], at: str) -> StatusCategory | None:
    """The category (``status`` counts only when it names a category, not a column)."""
    for key in ("category", "status"):
        value = obj.get(key)
        if isinstance(value, str):
            try:
                return StatusCategory(value.strip().lower())
            except ValueError:
                if key == "category":
                    raise ImportFileError(f"{at}: unknown category {value!r}") from None
    return None


def _priority(value: object, at: str) -> Priority | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().upper() in ("H", "M", "L"):
        return Priority(value.strip().upper())
    raise ImportFileError(f"{at}: priority {value!r} is not H, M or L")


def _moment(obj: Mapping[str, Any], key: str, at: str) -> datetime | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if moment.tzinfo is None:
                return moment
            try:
                return moment.astimezone().replace(tzinfo=None)
            except (ValueError, OverflowError):
                pass
    raise ImportFileError(f"{at}: {key} {str(value)[:40]!r} is not an ISO date")


def _names(obj: Mapping[str, Any], key: str, at: str) -> tuple[str, ...]:
    value = obj.get(key)
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ImportFileError(f"{at}: {key} must be a list of text")


def _bool(obj: Mapping[str, Any], key: str, at: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        raise ImportFileError(f"{at}: {key} must be true or false")
    return value


def _minutes(value: object, at: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**9:
        raise ImportFileError(f"{at}: estimate_minutes must be a whole number ≥ 0")
    return value


def _recurrence(value: object, at: str) -> Recurrence | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ImportFileError(f"{at}: recurrence must be text like 'every FREQ=DAILY'")
    return parse_recurrence(value, at)


def parse_recurrence(text: str, at: str) -> Recurrence:
    """``every RULE`` / ``after RULE`` / a bare RULE (every) as a Recurrence."""
    word, _, rest = text.strip().partition(" ")
    try:
        if word.lower() == "after" and rest:
            return parse_after(rest)
        if word.lower() == "every" and rest:
            return parse_every(rest)
        return parse_every(text)
    except RecurrenceError as exc:
        raise ImportFileError(f"{at}: recurrence: {exc}") from None


def _depends(value: object, uuids: Mapping[int, str], at: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ImportFileError(f"{at}: depends must be a list of item ids or uuids")
    out = []
    for dep in value:
        if _is_int(dep):
            out.append(uuids.get(dep, f"#{dep}"))
        elif isinstance(dep, str) and dep.strip():
            out.append(dep.strip())
        else:
            raise ImportFileError(f"{at}: depends must be a list of item ids or uuids")
    return tuple(out)


def resolve_ids(
    records: Sequence[ImportRecord], lookup: Callable[[list[int]], Mapping[int, str]]
) -> list[ImportRecord]:
    """Replace ``#ID`` dependencies with the uuids ``lookup`` finds (others stay as is)."""
    wanted = sorted({int(d[1:]) for r in records for d in r.depends if _is_ref(d)})
    if not wanted:
        return list(records)
    found = lookup(wanted)
    return [
        replace(r, depends=tuple(found.get(int(d[1:]), d) if _is_ref(d) else d for d in r.depends))
        if any(_is_ref(d) for d in r.depends)
        else r
        for r in records
    ]


def _is_ref(dep: str) -> bool:
    return dep.startswith("#") and dep[1:].isascii() and dep[1:].isdigit() and len(dep) < 19
