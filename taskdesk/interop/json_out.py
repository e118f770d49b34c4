"""Items as JSON-ready dicts: the shape of ``taskdesk list --json`` and ``show --json``.

The keys are part of the public contract (scripts and tests outside the repo read
them), so they are spelt out here once and never derived from dataclass fields, which
could be renamed. Conventions, kept the same for every key:

- datetimes are ISO 8601 local datetimes to the second, ``2026-12-01T17:00:00``, even at
  midnight (one format is easier to parse than two); plain dates (``occurrence``) are
  ``2026-12-01``; absent values are ``null``;
- ``priority`` is ``"H"``, ``"M"``, ``"L"`` or ``null``;
- ``assignees`` is a list of login names; ``tags`` a list of strings;
- ``recurrence`` is the RRULE with its anchor word, as quick-add writes it:
  ``"every FREQ=DAILY"`` (next due from the rule) or ``"after FREQ=DAILY;INTERVAL=3"``
  (next due after each completion), or ``null``;
- ``urgency`` is the total rounded to 3 decimals; ``urgency_terms`` (only when asked
  for, as ``show`` does) lists each term with its factor, weight and contribution.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import date, datetime
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from taskdesk.domain.model import Item

if TYPE_CHECKING:
    from taskdesk.domain.listing import ListedItem
    from taskdesk.domain.urgency import Urgency, UrgencyWeights

#: Keys of every item object, in output order.
ITEM_KEYS: tuple[str, ...] = (
    "id",
    "uuid",
    "title",
    "status",
    "category",
    "project",
    "project_kind",
    "priority",
    "due",
    "start",
    "wait",
    "tags",
    "assignees",
    "urgency",
    "recurrence",
    "notes",
    "estimate_minutes",
    "duration_days",
    "percent_complete",
    "milestone",
    "parent_id",
    "depends",
    "blocked",
    "blocking",
    "series_id",
    "occurrence",
    "created",
    "created_by",
    "updated",
    "started",
    "completed",
    "version",
)


def iso_datetime(value: datetime | None) -> str | None:
    """``2026-12-01T17:00:00`` (seconds, no microseconds), or ``None``."""
    return None if value is None else value.isoformat(timespec="seconds")


def iso_date(value: date | None) -> str | None:
    """``2026-12-01``, or ``None``."""
    return None if value is None else value.isoformat()


def item_to_json(
    item: Item,
    *,
    now: datetime,
    urgency: Urgency | None = None,
    weights: UrgencyWeights | None = None,
    terms: bool = False,
) -> dict[str, Any]:
    """The JSON object for one item.

    ``urgency`` may be passed when the caller already computed it (``list`` sorts by
    it), so it is computed once; otherwise it is computed here at ``now`` with
    ``weights``. ``terms=True`` adds the ``urgency_terms`` breakdown.
    """
    if urgency is None:
        from taskdesk.domain.urgency import urgency as compute_urgency

        urgency = compute_urgency(item, now=now, weights=weights)
    out: dict[str, Any] = {
        "id": item.id,
        "uuid": item.uuid,
        "title": item.title,
        "status": item.status,
        "category": item.category.value,
        "project": item.project,
        "project_kind": None if item.project_kind is None else item.project_kind.value,
        "priority": None if item.priority is None else item.priority.value,
        "due": iso_datetime(item.due),
        "start": iso_datetime(item.start),
        "wait": iso_datetime(item.wait),
        "tags": list(item.tags),
        "assignees": list(item.assignee_logins),
        "urgency": round(urgency.total, 3),
        "recurrence": None if item.recurrence is None else item.recurrence.describe(),
        "notes": item.notes,
        "estimate_minutes": item.estimate_minutes,
        "duration_days": item.duration_days,
        "percent_complete": item.percent_complete,
        "milestone": item.milestone,
        "parent_id": item.parent_id,
        "depends": list(item.depends),
        "blocked": item.blocked,
        "blocking": item.blocking,
        "series_id": item.series_id,
        "occurrence": iso_date(item.occurrence),
        "created": iso_datetime(item.created),
        "created_by": item.created_by,
        "updated": iso_datetime(item.updated),
        "started": iso_datetime(item.started),
        "completed": iso_datetime(item.completed),
        "version": item.version,
    }
    if terms:
        out["urgency_terms"] = [
            {
                "name": term.name,
                "factor": round(term.factor, 3),
                "weight": term.weight,
                "contribution": round(term.contribution, 3),
            }
            for term in urgency.terms
        ]
    return out


# --------------------------------------------------------------- list --json, in bulk
# ``taskdesk list --json`` prints some 27,000 items of a 50,000-item store. Building a
# dict per item and handing it to ``json.dumps`` took 0.45 s; writing each item's text
# directly takes a sixth of that. The text is byte for byte what
# ``json.dumps(item_to_json(...), ensure_ascii=False)`` makes (the tests compare the two
# on generated items): the same keys in the same order, the standard library's string
# escaping (``encode_basestring``, what ``ensure_ascii=False`` uses), ``repr`` for
# numbers as ``json`` does, and ``NaN``/``Infinity`` left to ``json`` itself.


def _number(value: float) -> str:
    if value.__class__ is float and not math.isfinite(value):
        return json.dumps(value)  # NaN, Infinity: as json writes them
    return repr(value)


def _moment(value: datetime) -> str:
    return f'"{value.isoformat(timespec="seconds")}"'


def _day(value: date) -> str:
    return f'"{value.isoformat()}"'


def _texts(values: Iterable[str]) -> str:
    return f"[{', '.join(map(encode_basestring, values))}]"


def listed_json(row: ListedItem, urgency: float) -> str:
    """One item of ``list --json`` as compact JSON text, ``urgency`` being its total.

    Equal to ``json.dumps(item_to_json(item, now=…, urgency=u), ensure_ascii=False)``
    for the item ``row`` lists, where ``u.total == urgency``. (The enums are ``StrEnum``
    members: their text is their value.)
    """
    (
        id_,
        uuid,
        title,
        status,
        category,
        project,
        kind,
        priority,
        due,
        start,
        wait,
        tags,
        assignees,
        recurrence,
        notes,
        estimate_minutes,
        duration_days,
        percent_complete,
        milestone,
        parent_id,
        depends,
        blocked,
        blocking,
        series_id,
        occurrence,
        created,
        created_by,
        updated,
        started,
        completed,
        version,
    ) = row
    # NULLs (most dates, ids and rules of most items) are tested inline: a call each
    # for 27,000 items × 13 fields costs more than the rest of the line.
    rule = "null" if recurrence is None else encode_basestring(recurrence.describe())
    return (
        f'{{"id": {id_!r}, "uuid": {encode_basestring(uuid)}, '
        f'"title": {encode_basestring(title)}, "status": {encode_basestring(status)}, '
        f'"category": {encode_basestring(category)}, '
        f'"project": {"null" if project is None else encode_basestring(project)}, '
        f'"project_kind": {"null" if kind is None else encode_basestring(kind)}, '
        f'"priority": {"null" if priority is None else encode_basestring(priority)}, '
        f'"due": {"null" if due is None else _moment(due)}, '
        f'"start": {"null" if start is None else _moment(start)}, '
        f'"wait": {"null" if wait is None else _moment(wait)}, '
        f'"tags": {_texts(tags) if tags else "[]"}, '
        f'"assignees": {_texts(assignees) if assignees else "[]"}, '
        f'"urgency": {_number(round(urgency, 3))}, "recurrence": {rule}, '
        f'"notes": {encode_basestring(notes)}, '
        f'"estimate_minutes": {"null" if estimate_minutes is None else _number(estimate_minutes)}, '
        f'"duration_days": {"null" if duration_days is None else _number(duration_days)}, '
        f'"percent_complete": {_number(percent_complete)}, '
        f'"milestone": {"true" if milestone else "false"}, '
        f'"parent_id": {"null" if parent_id is None else _number(parent_id)}, '
        f'"depends": [{", ".join(map(repr, depends))}], '
        f'"blocked": {"true" if blocked else "false"}, '
        f'"blocking": {"true" if blocking else "false"}, '
        f'"series_id": {"null" if series_id is None else _number(series_id)}, '
        f'"occurrence": {"null" if occurrence is None else _day(occurrence)}, '
        f'"created": {"null" if created is None else _moment(created)}, '
        f'"created_by": {encode_basestring(created_by)}, '
        f'"updated": {"null" if updated is None else _moment(updated)}, '
        f'"started": {"null" if started is None else _moment(started)}, '
        f'"completed": {"null" if completed is None else _moment(completed)}, '
        f'"version": {version!r}}}'
    )


def listing_json(rows: Iterable[tuple[ListedItem, float]]) -> str:
    """The ``list --json`` document: one compact item per line inside ``[`` and ``]``
    (``[]`` when empty), as ``print_json`` lays out a list."""
    lines = ",\n  ".join(listed_json(row, total) for row, total in rows)
    return f"[\n  {lines}\n]" if lines else "[]"
