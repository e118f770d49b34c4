"""Items as CSV, and CSV files (a spreadsheet's export) as import records.

Columns: ``uuid, title, status, project, priority, due, start, wait, tags, assignees,
recurrence, estimate, notes, completed, created``. On import:

- the first row is the header; names are case-insensitive and any subset works as long
  as there is a ``title`` column. An unknown column is an error that names it (a typo
  like ``prio`` would otherwise be dropped silently);
- only the columns present are applied to an existing item (a file of ``uuid,due``
  changes due dates and nothing else);
- ``status`` is a category (``backlog``, ``unstarted``, ``started``, ``completed``,
  ``cancelled``) or one of ``todo``, ``to do``, ``pending``, ``waiting``, ``in progress``,
  ``doing``, ``done``, ``deleted``; dates are ISO (``2026-12-01`` or
  ``2026-12-01T17:00``); ``tags`` and ``assignees`` are separated by spaces (a leading
  ``+`` / ``@`` is dropped); ``recurrence`` is ``every RULE``, ``after RULE`` or a RULE;
  ``estimate`` is minutes (``90``) or a duration (``1h30m``);
- without a ``uuid`` column a row's identity is its project and title (and how many
  rows before it had the same ones), so importing the same file again updates.

Errors are :class:`ImportFileError`: ``FILE: line N, column due: …``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from taskdesk.domain.dates import DateError, parse_duration
from taskdesk.domain.importing import ImportFileError, ImportRecord
from taskdesk.domain.model import Item, Priority, StatusCategory
from taskdesk.interop.json_in import parse_recurrence

COLUMNS: tuple[str, ...] = (
    "uuid",
    "title",
    "status",
    "project",
    "priority",
    "due",
    "start",
    "wait",
    "tags",
    "assignees",
    "recurrence",
    "estimate",
    "notes",
    "completed",
    "created",
)
#: Column → ImportRecord field, for ``ImportRecord.fields``.
_FIELD = {
    "title": "title",
    "status": "state",
    "project": "project",
    "priority": "priority",
    "due": "due",
    "start": "start",
    "wait": "wait",
    "tags": "tags",
    "assignees": "assignees",
    "recurrence": "recurrence",
    "estimate": "estimate_minutes",
    "notes": "notes",
    "completed": "completed",
    "created": "created",
}
_STATES = {
    **{c.value: c for c in StatusCategory},
    "todo": StatusCategory.UNSTARTED,
    "to do": StatusCategory.UNSTARTED,
    "pending": StatusCategory.UNSTARTED,
    "waiting": StatusCategory.UNSTARTED,
    "in progress": StatusCategory.STARTED,
    "doing": StatusCategory.STARTED,
    "done": StatusCategory.COMPLETED,
    "deleted": StatusCategory.CANCELLED,
}


def parse_csv(text: str, name: str) -> list[ImportRecord]:
    """Every data row of a CSV file with a header row as a record."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise ImportFileError(f"{name}: the file is empty")
        columns = _header(header, name)
        records: list[ImportRecord] = []
        seen: dict[tuple[str, str], int] = {}
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                records.append(_record(row, columns, name, start, seen))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(f"{name}: line {reader.line_num}: not valid CSV ({exc})") from None
    return records


def _header(header: Sequence[str], name: str) -> list[str]:
    columns = [cell.strip().lower().lstrip("\ufeff") for cell in header]
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise ImportFileError(
            f"{name}: line 1: unknown column {unknown[0]!r} (known: {', '.join(COLUMNS)})"
        )
    twice = [c for n, c in enumerate(columns) if c in columns[:n]]
    if twice:
        raise ImportFileError(f"{name}: line 1: column {twice[0]!r} appears twice")
    if "title" not in columns:
        raise ImportFileError(f"{name}: line 1: a title column is required")
    return columns


def _record(
    row: Sequence[str],
    columns: Sequence[str],
    name: str,
    line: int,
    seen: dict[tuple[str, str], int],
) -> ImportRecord:
    if len(row) > len(columns):
        raise ImportFileError(f"{name}: line {line}: {len(row)} cells for {len(columns)} columns")
    cells = {c: (row[n] if n < len(row) else "") for n, c in enumerate(columns)}
    at = f"{name}: line {line}"

    def cell(column: str) -> str:
        return cells.get(column, "").strip()

    title = cell("title")
    if not title:
        raise ImportFileError(f"{at}, column title: the title is empty")
    project = cell("project") or None
    uid = cell("uuid")
    if not uid:
        key = (project or "", title)
        seen[key] = seen.get(key, 0) + 1
        uid = f"csv:{project or ''}\x1f{title}\x1f{seen[key]}"
    return ImportRecord(
        uid=uid,
        title=title,
        state=_state(cell("status"), at),
        notes=cells.get("notes", "").strip("\n"),
        priority=_priority(cell("priority"), at),
        due=_moment(cell("due"), at, "due"),
        start=_moment(cell("start"), at, "start"),
        wait=_moment(cell("wait"), at, "wait"),
        completed=_moment(cell("completed"), at, "completed"),
        created=_moment(cell("created"), at, "created"),
        project=project,
        tags=tuple(w.lstrip("+") for w in cell("tags").split() if w.lstrip("+")),
        assignees=tuple(w.lstrip("@") for w in cell("assignees").split() if w.lstrip("@")),
        recurrence=parse_recurrence(cell("recurrence"), f"{at}, column recurrence")
        if cell("recurrence")
        else None,
        estimate_minutes=_estimate(cell("estimate"), at),
        where=f"line {line}",
        fields=frozenset(_FIELD[c] for c in columns if c in _FIELD),
    )


def _state(text: str, at: str) -> StatusCategory:
    if not text:
        return StatusCategory.UNSTARTED
    found = _STATES.get(" ".join(text.lower().split()))
    if found is None:
        raise ImportFileError(f"{at}, column status: {text[:40]!r} is not a status")
    return found


def _priority(text: str, at: str) -> Priority | None:
    if not text:
        return None
    if text.upper() in ("H", "M", "L"):
        return Priority(text.upper())
    raise ImportFileError(f"{at}, column priority: {text[:40]!r} is not H, M or L")


def _moment(text: str, at: str, column: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is not None:
            moment = moment.astimezone().replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise ImportFileError(
            f"{at}, column {column}: {text[:40]!r} is not a date (2026-12-01 or 2026-12-01T17:00)"
        ) from None
    return moment


def _estimate(text: str, at: str) -> int | None:
    if not text:
        return None
    try:
        return parse_duration(text)
    except DateError as exc:
        raise ImportFileError(f"{at}, column estimate: {exc}") from None


# ------------------------------------------------------------------------- writing
def _iso(value: datetime | None) -> str:
    return "" if value is None else value.isoformat(timespec="seconds")


def item_row(item: Item) -> list[str]:
    """One item as the cells of :data:`COLUMNS`."""
    return [
        item.uuid,
        item.title,
        item.category.value,
        item.project or "",
        item.priority.value if item.priority else "",
        _iso(item.due),
        _iso(item.start),
        _iso(item.wait),
        " ".join(item.tags),
        " ".join(item.assignee_logins),
        item.recurrence.describe() if item.recurrence else "",
        "" if item.estimate_minutes is None else str(item.estimate_minutes),
        item.notes,
        _iso(item.completed),
        _iso(item.created),
    ]


def export_csv(items: Sequence[Item]) -> str:
    """Items as CSV text with a header row (every column, RFC 4180 quoting)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in items:
        writer.writerow(item_row(item))
    return out.getvalue()
