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

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from taskdesk.domain.model import Item

if TYPE_CHECKING:
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
