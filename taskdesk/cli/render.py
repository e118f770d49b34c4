"""Plain-text output of the command line: the ``list`` table and the ``show`` page.

Everything here is a pure function from domain objects to strings, so it is tested
without a store or a terminal. User text goes through :mod:`taskdesk.domain.text`
first: a title pasted from an e-mail must not be able to send escape sequences to
whoever lists it. Nothing relies on colour, so output reads the same in a pipe.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime

from taskdesk.domain.listing import ListedItem
from taskdesk.domain.model import Activity, Comment, Item
from taskdesk.domain.recurrence import describe as describe_rule
from taskdesk.domain.text import clean_line, clean_text
from taskdesk.domain.urgency import Urgency

#: The width ``list`` fits when stdout is not a terminal.
DEFAULT_WIDTH = 80

_PROJECT_WIDTH = 14
_MIN_TITLE = 12
_LABEL_WIDTH = 10  # the longest field label of ``show`` ("depends on", "recurrence")


def cell_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide (CJK, emoji) count 2, combining marks 0."""
    if text.isascii():  # one column a character: the common case, without a lookup each
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns (with ``…``) and padded to exactly ``width``."""
    if text.isascii():  # what the loop below does, when every character is one column
        if len(text) > width:
            return text[: max(0, width - 1)] + "…"
        return text + " " * (width - len(text))
    if cell_width(text) > width:
        out, used = [], 0
        for char in text:
            w = cell_width(char)
            if used + w > width - 1:
                break
            out.append(char)
            used += w
        text = "".join(out) + "…"
    return text + " " * (width - cell_width(text))


def age_text(created: datetime | None, now: datetime) -> str:
    """Compact age as Taskwarrior shows it: ``5min``, ``3h``, ``4d``, ``2w``, ``5mo``, ``1y``."""
    if created is None:
        return ""
    seconds = max(0.0, (now - created).total_seconds())
    minutes, hours, days = seconds / 60, seconds / 3600, seconds / 86400
    if minutes < 60:
        return f"{int(minutes)}min"
    if hours < 24:
        return f"{int(hours)}h"
    if days < 14:
        return f"{int(days)}d"
    if days < 90:
        return f"{int(days // 7)}w"
    if days < 365:
        return f"{int(days // 30)}mo"
    return f"{int(days // 365)}y"


def date_text(value: datetime | None) -> str:
    """``2026-12-01``, or ``2026-12-01 17:00`` when the time is not midnight."""
    if value is None:
        return ""
    if value.hour == 0 and value.minute == 0:
        return value.strftime("%Y-%m-%d")
    return value.strftime("%Y-%m-%d %H:%M")


def due_cell(due: datetime | None, now: datetime) -> str:
    """The due date, marked with ``!`` once it has passed (not by colour alone)."""
    if due is None:
        return ""
    mark = "!" if due < now else ""
    return due.strftime("%Y-%m-%d") + mark


def item_table(
    rows: Sequence[tuple[Item | ListedItem, float]], *, now: datetime, width: int = DEFAULT_WIDTH
) -> list[str]:
    """The ``list`` table (like ``task next``): id, age, pri, due, project, title, urgency.

    ``rows`` pair each item with its urgency total. Columns other than the title keep
    their width; the title takes what is left of ``width`` (at least a few columns), so
    the table fits an 80-column terminal.
    """
    # A store has a few dozen projects for thousands of rows: clean each name once.
    projects = {name: clean_line(name) for name in {item.project or "" for item, _ in rows}}
    id_w = max(2, *(len(str(item.id)) for item, _ in rows)) if rows else 2
    proj_w = min(_PROJECT_WIDTH, max([7, *(cell_width(name) for name in projects.values())]))
    fixed = id_w + 1 + 5 + 1 + 3 + 1 + 11 + 1 + proj_w + 1 + 1 + 6
    title_w = max(_MIN_TITLE, width - fixed)
    header = (
        f"{'ID':>{id_w}} {'Age':<5} {'Pri':<3} {'Due':<11} {fit('Project', proj_w)} "
        f"{fit('Title', title_w)} {'Urg':>6}"
    )
    rule = f"{'-' * id_w} {'-' * 5} {'-' * 3} {'-' * 11} {'-' * proj_w} {'-' * title_w} {'-' * 6}"
    lines = [header.rstrip(), rule]
    for item, total in rows:
        pri = item.priority.value if item.priority else ""
        line = (
            f"{item.id:>{id_w}} {fit(age_text(item.created, now), 5)} {pri:<3} "
            f"{fit(due_cell(item.due, now), 11)} {fit(projects[item.project or ''], proj_w)} "
            f"{fit(_title_cell(item), title_w)} {total:>6.2f}"
        )
        lines.append(line)
    return lines


def _clean_line(text: str) -> str:
    """:func:`clean_line`, answering at once for text that is clean already.

    Printable ASCII with single inner spaces and none at the ends is what clean_line
    returns unchanged (no escapes, no controls, nothing to collapse); checking that is
    a fifth of the cost of the regular expressions, for each of 27,000 titles.
    """
    if text.isascii() and text.isprintable() and "  " not in text and text == text.strip():
        return text
    return clean_line(text)


def _title_cell(item: Item | ListedItem) -> str:
    """The title, with short text markers for a milestone and a blocked item.

    Markers are words and a glyph, not colours, so a pipe or a 16-colour terminal
    shows them too. Assignees are left to ``show``: the title needs the room.
    """
    title = _clean_line(item.title)
    if item.milestone:
        title = f"◆ {title}"
    if item.blocked:
        title = f"{title} [blocked]"
    return title


def _field_lines(item: Item, now: datetime) -> list[tuple[str, str]]:
    """The labelled fields of ``show``, leaving out the ones that are empty."""
    project = clean_line(item.project) if item.project else ""
    if project and item.project_kind is not None:
        project = f"{project} ({item.project_kind.value})"
    due = date_text(item.due)
    if item.due is not None and item.due < now and item.is_open:
        due += "  (overdue)"
    fields: list[tuple[str, str]] = [
        ("uuid", item.uuid),
        ("status", f"{clean_line(item.status)} ({item.category.value})"),
        ("project", project),
        ("priority", item.priority.value if item.priority else ""),
        ("due", due),
        ("start", date_text(item.start)),
        ("wait", date_text(item.wait)),
        ("tags", " ".join(f"+{clean_line(t)}" for t in item.tags)),
        ("assignees", ", ".join(_assignee(a.login, a.units) for a in item.assignees)),
        ("recurrence", describe_rule(item.recurrence) if item.recurrence else ""),
        ("occurrence", item.occurrence.isoformat() if item.occurrence else ""),
        ("estimate", _minutes(item.estimate_minutes)),
        ("duration", f"{item.duration_days:g} working days" if item.duration_days else ""),
        ("percent", f"{item.percent_complete:g} %" if item.percent_complete else ""),
        ("milestone", "yes" if item.milestone else ""),
        ("parent", str(item.parent_id) if item.parent_id else ""),
        ("depends on", ", ".join(str(i) for i in item.depends)),
        ("blocked", "yes (an open predecessor)" if item.blocked else ""),
        ("blocking", "yes (an open item waits on it)" if item.blocking else ""),
        ("created", _by(date_text(item.created), item.created_by)),
        ("updated", date_text(item.updated)),
        ("started", date_text(item.started)),
        ("completed", date_text(item.completed)),
        ("version", str(item.version)),
    ]
    return [(label, value) for label, value in fields if value]


def _assignee(login: str, units: float) -> str:
    """``dave`` or ``dave (50%)`` for part-time assignments."""
    name = clean_line(login)
    return name if units == 1.0 else f"{name} ({units:.0%})"


def _minutes(minutes: int | None) -> str:
    """An estimate as ``45m``, ``2h`` or ``2h 30m``."""
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h {rest}m" if rest else f"{hours}h"


def _by(when: str, who: str) -> str:
    """``2026-11-20 09:00 by alice``."""
    return f"{when} by {clean_line(who)}" if who and when else when


def show_page(
    item: Item,
    urg: Urgency,
    *,
    now: datetime,
    comments: Sequence[Comment] = (),
    activity: Sequence[Activity] = (),
    status_names: Mapping[int, str] | None = None,
) -> list[str]:
    """The ``show`` page: fields, notes, urgency term by term, comments, recent activity."""
    lines = [f"Item {item.id}: {clean_line(item.title)}", ""]
    lines += [f"  {label:<{_LABEL_WIDTH}}  {value}" for label, value in _field_lines(item, now)]
    if item.notes:
        lines += ["", "Notes"]
        lines += [f"  {line}" for line in clean_text(item.notes).splitlines()]
    lines += ["", *urgency_lines(urg)]
    if comments:
        lines += ["", "Comments"]
        for comment in comments:
            body = " ".join(clean_text(comment.body).split())
            lines.append(f"  {date_text(comment.at)}  {clean_line(comment.author)}: {body}")
    if activity:
        lines += ["", "Recent activity (newest first)"]
        lines += [f"  {activity_line(entry, status_names)}" for entry in activity]
    return lines


def urgency_lines(urg: Urgency) -> list[str]:
    """The urgency breakdown: one line per term, ``factor × weight = contribution``."""
    lines = [f"Urgency {urg.total:.2f}"]
    if not urg.terms:
        lines.append("  (no terms: closed items have urgency 0)")
        return lines
    name_w = max(len(term.name) for term in urg.terms)
    for term in urg.terms:
        lines.append(
            f"  {term.name:<{name_w}}  {term.factor:5.3f} × {term.weight:6.2f}"
            f" = {term.contribution:7.3f}"
        )
    return lines


def activity_line(entry: Activity, status_names: Mapping[int, str] | None = None) -> str:
    """``2026-11-20 09:00  alice  status: To do → In progress``.

    Values are stored as JSON text; a status is stored as its id, shown by name.
    """
    old = _activity_value(entry.field, entry.old, status_names)
    new = _activity_value(entry.field, entry.new, status_names)
    when = entry.at.strftime("%Y-%m-%d %H:%M")
    return f"{when}  {clean_line(entry.actor)}  {clean_line(entry.field)}: {old} → {new}"


def _activity_value(field: str, value: str | None, status_names: Mapping[int, str] | None) -> str:
    """One logged value for people: status ids become column names, text stays JSON."""
    if value is None:
        return "null"
    if field == "status" and status_names and value.isdigit() and int(value) in status_names:
        return clean_line(status_names[int(value)])
    return clean_line(value)
