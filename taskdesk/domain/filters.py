"""Filters: the ``key:value +tag @user`` words shared by ``taskdesk list`` and the Board's ``/``.

The parser turns words into a :class:`Filter`; the store translates a Filter into one SQL
query (so a filter over 50,000 items never loads them all), and :func:`matches` applies
the same meaning in memory, which keeps the two honest in tests.

Words (:func:`parse_filter`), Taskwarrior's where Taskwarrior has the same thing:

- ``project:NAME`` (``pro:``, ``proj:``): the project or area, or a sub-area of it;
- ``status:NAME``: a status name or a category (``backlog``, ``unstarted``,
  ``started``, ``completed``, ``cancelled``); ``status:pending`` means the three open
  categories; repeatable (any of them);
- ``priority:H|M|L`` (``pri:``), repeatable (any of them); ``priority:`` alone matches
  items without a priority;
- ``+tag`` (must have), ``-tag`` (must not have), ``@login`` (assigned to; repeatable:
  any of them);
- ``due:DATE`` (due that day), ``due.before:DATE``, ``due.after:DATE``, ``due.by:DATE``
  (due before the end of that day); several bounds narrow each other;
- ``+OVERDUE +BLOCKED +BLOCKING +RECURRING +MILESTONE +ACTIVE +WAITING +DUE``: virtual
  tags (upper case only; ``+due`` is an ordinary tag);
- ``all``: closed items too; ``12`` or ``12,13``: those ids;
- anything else, including ``key:value`` words whose key is not one of the above (a
  URL, ``ratio:1:2``), must occur in the title.

Matching rules (:func:`matches`; the store's SQL must say the same):

- every text comparison is case-insensitive: title words, project, status, tags,
  exclude tags and assignee logins;
- closed items (completed, cancelled) match only with ``include_closed``; the parser
  sets it for ``all`` and for every ``status:`` word that is not an open category
  (``status:Done`` names a column the parser cannot see, so it lets the status decide);
- waiting items (``wait`` after ``now``) match only with ``+WAITING`` or a status word;
- ``due_after`` is inclusive, ``due_before`` exclusive; an item without a due date
  fails any due bound;
- virtual tags: OVERDUE = open and due before ``now``; DUE = open and due from the
  start of today until 7 days later (Taskwarrior's ``due`` setting, which counts an
  item due earlier today as DUE too); BLOCKED / BLOCKING = ``item.blocked`` /
  ``item.blocking``; RECURRING = ``item.is_recurring``; MILESTONE = ``item.milestone``;
  ACTIVE = status in the *started* category; WAITING = ``wait`` after ``now``.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from taskdesk.domain.dates import DateError, parse_date
from taskdesk.domain.model import Item, Priority, StatusCategory
from taskdesk.domain.text import clean_line

#: Upper-case virtual tags, as in Taskwarrior: ``+OVERDUE``, ``+BLOCKED`` ...
VIRTUAL_TAGS = frozenset(
    {"OVERDUE", "BLOCKED", "BLOCKING", "RECURRING", "MILESTONE", "ACTIVE", "WAITING", "DUE"}
)


@dataclass(frozen=True, slots=True)
class Filter:
    """A parsed filter. Empty tuples / ``None`` mean "no constraint".

    - ``words``: every word must occur in the title (case-insensitive).
    - ``ids``: the item id is one of these (a bare number in the filter).
    - ``project``: container name; ``Home`` also matches ``Home.Garden`` (Taskwarrior).
    - ``statuses``: status names or category names (``started``), any of them.
    - ``priorities``: any of these; ``no_priority`` matches items without one.
    - ``tags`` all required, ``exclude_tags`` none allowed.
    - ``assignees``: assigned to any of these logins.
    - ``due_before`` / ``due_after``: bounds on the due date (exclusive / inclusive).
    - ``virtual``: upper-case virtual tags that must hold (see ``VIRTUAL_TAGS``).
    - ``include_closed``: also completed and cancelled items (set by ``status:`` words
      naming a closed status, or by ``all``).
    """

    words: tuple[str, ...] = ()
    ids: tuple[int, ...] = ()
    project: str | None = None
    statuses: tuple[str, ...] = ()
    priorities: tuple[Priority, ...] = ()
    no_priority: bool = False
    tags: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    due_before: datetime | None = None
    due_after: datetime | None = None
    virtual: tuple[str, ...] = ()
    include_closed: bool = False

    @property
    def is_empty(self) -> bool:
        """True when the filter constrains nothing."""
        return self == Filter()


class FilterError(ValueError):
    """A filter word taskdesk cannot use; the message is one sentence naming the word.

    Why a ValueError: the command line maps it to exit code 2 (bad input) and the
    Board's ``/`` box shows the message and keeps the previous filter. ``word`` is the
    offending word, so a UI can highlight it.
    """

    def __init__(self, message: str, word: str = "") -> None:
        """Keep the offending word next to the message."""
        super().__init__(message)
        self.word = word


#: The categories an open item can be in; ``status:pending`` means all three.
OPEN_CATEGORIES: tuple[str, ...] = tuple(c.value for c in StatusCategory if not c.is_closed)

_PROJECT_KEYS = frozenset({"project", "pro", "proj"})
_PRIORITY_KEYS = frozenset({"priority", "pri"})
_DUE_KEYS = frozenset({"due", "due.before", "due.after", "due.by"})
_IDS_RE = re.compile(r"[0-9]+(?:,[0-9]+)*")
_MAX_ID = 2**63 - 1  # the largest id a database integer column holds
_DAY = timedelta(days=1)
_DUE_SOON = timedelta(days=7)
_T = TypeVar("_T")


@dataclass
class _Parsed:
    """The filter being built, word by word (Filter itself is frozen)."""

    words: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    project: str | None = None
    statuses: list[str] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    no_priority: bool = False
    tags: list[str] = field(default_factory=list)
    exclude_tags: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    due_before: datetime | None = None
    due_after: datetime | None = None
    virtual: list[str] = field(default_factory=list)
    include_closed: bool = False

    def freeze(self) -> Filter:
        """The Filter, each list without repeats, in first-seen order."""
        return Filter(
            words=_unique(self.words),
            ids=_unique(self.ids),
            project=self.project,
            statuses=_unique(self.statuses),
            priorities=_unique(self.priorities),
            no_priority=self.no_priority,
            tags=_unique(self.tags),
            exclude_tags=_unique(self.exclude_tags),
            assignees=_unique(self.assignees),
            due_before=self.due_before,
            due_after=self.due_after,
            virtual=_unique(self.virtual),
            include_closed=self.include_closed,
        )


def _unique(values: Iterable[_T]) -> tuple[_T, ...]:
    """Drop repeats, keep the first-seen order."""
    return tuple(dict.fromkeys(values))


def parse_filter(words: str | Sequence[str], *, now: datetime) -> Filter:
    """Turn filter words into a :class:`Filter` (the grammar is in the module docstring).

    Why one parser for ``taskdesk list`` and the Board's ``/``: the same words must
    mean the same thing everywhere. A string is split like a shell would (so
    ``"two words"`` is one title word); every word is cleaned of control characters
    first (:func:`taskdesk.domain.text.clean_line`). ``now`` anchors relative dates
    (``due:tomorrow``). Raises :class:`FilterError` naming the first bad word.
    """
    if isinstance(words, str):
        text = words
        try:
            words = shlex.split(text)
        except ValueError as exc:
            shown = clean_line(text)
            raise FilterError(f'Unbalanced quote or escape in "{shown}".', shown) from exc
    parsed = _Parsed()
    for raw in words:
        word = clean_line(raw)
        if word:
            _parse_word(word, parsed, now)
    return parsed.freeze()


def _parse_word(word: str, parsed: _Parsed, now: datetime) -> None:
    """Add one (non-empty, clean) word to ``parsed``."""
    if word == "all":
        parsed.include_closed = True
    elif _IDS_RE.fullmatch(word):
        ids = [int(part) for part in word.split(",")]
        if max(ids) > _MAX_ID:
            raise FilterError(f'"{word}": no item has an id that large.', word)
        parsed.ids.extend(ids)
    elif len(word) > 1 and word[0] == "+":
        name = word[1:]
        (parsed.virtual if name in VIRTUAL_TAGS else parsed.tags).append(name)
    elif len(word) > 1 and word[0] == "-":
        parsed.exclude_tags.append(_excluded_tag(word))
    elif len(word) > 1 and word[0] == "@":
        parsed.assignees.append(word[1:])
    else:
        key, colon, value = word.partition(":")
        key = key.lower()
        if not colon:
            parsed.words.append(word)
        elif key in _PROJECT_KEYS:
            _parse_project(word, value, parsed)
        elif key == "status":
            _parse_status(word, value, parsed)
        elif key in _PRIORITY_KEYS:
            _parse_priority(word, value, parsed)
        elif key in _DUE_KEYS:
            _parse_due(word, key, value, parsed, now)
        else:
            parsed.words.append(word)


def _excluded_tag(word: str) -> str:
    """The tag of a ``-tag`` word; ``-VIRTUAL`` and ``-@user`` have no Filter field."""
    name = word[1:]
    if name in VIRTUAL_TAGS:
        raise FilterError(f'"{word}": excluding a virtual tag is not supported.', word)
    if name.startswith("@"):
        raise FilterError(f'"{word}": excluding an assignee is not supported.', word)
    return name


def _parse_project(word: str, value: str, parsed: _Parsed) -> None:
    """``project:NAME``: one project per filter (the first spelling wins), with a name."""
    if not value:
        raise FilterError(f'"{word}" needs a project name.', word)
    if parsed.project is not None and parsed.project.lower() != value.lower():
        raise FilterError(f'"{word}": a filter can name only one project.', word)
    if parsed.project is None:
        parsed.project = value


def _parse_status(word: str, value: str, parsed: _Parsed) -> None:
    """``status:NAME``: a status name, a category, or Taskwarrior's ``pending``."""
    lowered = value.lower()
    if not value:
        raise FilterError(f'"{word}" needs a status or category name.', word)
    if lowered == "deleted":
        raise FilterError(f'"{word}": deleted items cannot be listed; try status:cancelled.', word)
    if lowered == "pending":
        parsed.statuses.extend(OPEN_CATEGORIES)
        return
    parsed.statuses.append(value)
    if lowered not in OPEN_CATEGORIES:
        parsed.include_closed = True


def _parse_priority(word: str, value: str, parsed: _Parsed) -> None:
    """``priority:H|M|L`` (any case); ``priority:`` alone means "no priority"."""
    if not value:
        parsed.no_priority = True
        return
    try:
        parsed.priorities.append(Priority(value.upper()))
    except ValueError:
        raise FilterError(
            f'"{word}": priority must be H, M or L, or empty for none.', word
        ) from None


def _parse_due(word: str, key: str, value: str, parsed: _Parsed, now: datetime) -> None:
    """``due:``, ``due.before:``, ``due.after:``, ``due.by:``; bounds narrow each other."""
    if not value:
        raise FilterError(f'"{word}" needs a date.', word)
    try:
        when = parse_date(value, now=now)
    except (DateError, ValueError, OverflowError) as exc:
        raise FilterError(f'"{word}": {_sentence(exc)}', word) from exc
    day = when.replace(hour=0, minute=0, second=0, microsecond=0)
    after, before = {
        "due": (day, day + _DAY),
        "due.before": (None, when),
        "due.after": (when, None),
        "due.by": (None, day + _DAY),
    }[key]
    if after is not None:
        parsed.due_after = after if parsed.due_after is None else max(parsed.due_after, after)
    if before is not None:
        parsed.due_before = before if parsed.due_before is None else min(parsed.due_before, before)


def _sentence(exc: Exception) -> str:
    """An exception's message as the end of a sentence."""
    text = str(exc).strip() or "not a date taskdesk understands"
    return text if text.endswith(".") else text + "."


def matches(item: Item, flt: Filter, *, now: datetime) -> bool:
    """Whether ``item`` passes ``flt`` at ``now``: the in-memory twin of the store's SQL.

    Why it exists: screens filter items they already hold (the agenda, the calendar),
    and tests compare it with the store's query, so both must follow the rules in the
    module docstring exactly.
    """
    if not item.is_open and not flt.include_closed:
        return False
    if _is_waiting(item, now) and "WAITING" not in flt.virtual and not flt.statuses:
        return False
    return (
        (not flt.ids or item.id in flt.ids)
        and (flt.project is None or _project_matches(item.project, flt.project))
        and (not flt.statuses or _status_matches(item, flt.statuses))
        and _priority_matches(item, flt)
        and _tags_match(item, flt)
        and (not flt.assignees or _any_in(flt.assignees, item.assignee_logins))
        and _due_matches(item, flt)
        and all(_virtual_holds(item, name, now) for name in flt.virtual)
        and all(word.lower() in item.title.lower() for word in flt.words)
    )


def _is_waiting(item: Item, now: datetime) -> bool:
    """Hidden until its wait date (Taskwarrior's virtual "waiting" status)."""
    return item.wait is not None and item.wait > now


def _project_matches(project: str | None, wanted: str) -> bool:
    """``Home`` matches ``Home`` and ``Home.Garden``, not ``Homework``."""
    if project is None:
        return False
    project, wanted = project.lower(), wanted.lower()
    return project == wanted or project.startswith(wanted + ".")


def _status_matches(item: Item, statuses: tuple[str, ...]) -> bool:
    """The item's status name or its category is one of ``statuses``."""
    wanted = {s.lower() for s in statuses}
    return item.status.lower() in wanted or item.category.value in wanted


def _priority_matches(item: Item, flt: Filter) -> bool:
    """Any of the priorities, or none when ``no_priority``; no constraint if neither."""
    if not flt.priorities and not flt.no_priority:
        return True
    if item.priority is None:
        return flt.no_priority
    return item.priority in flt.priorities


def _tags_match(item: Item, flt: Filter) -> bool:
    """All of ``tags`` and none of ``exclude_tags``."""
    have = {t.lower() for t in item.tags}
    return all(t.lower() in have for t in flt.tags) and not any(
        t.lower() in have for t in flt.exclude_tags
    )


def _any_in(wanted: Iterable[str], have: Iterable[str]) -> bool:
    """Whether any wanted name is among ``have``, ignoring case."""
    lowered = {h.lower() for h in have}
    return any(w.lower() in lowered for w in wanted)


def _due_matches(item: Item, flt: Filter) -> bool:
    """``due_after <= due < due_before``; no due date fails any bound."""
    if flt.due_after is None and flt.due_before is None:
        return True
    if item.due is None:
        return False
    if flt.due_after is not None and item.due < flt.due_after:
        return False
    return flt.due_before is None or item.due < flt.due_before


def _virtual_holds(item: Item, name: str, now: datetime) -> bool:
    """Whether one upper-case virtual tag holds for ``item`` at ``now``."""
    if name == "OVERDUE":
        return item.is_open and item.due is not None and item.due < now
    if name == "DUE":
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return item.is_open and item.due is not None and today <= item.due < today + _DUE_SOON
    checks = {
        "BLOCKED": item.blocked,
        "BLOCKING": item.blocking,
        "RECURRING": item.is_recurring,
        "MILESTONE": item.milestone,
        "ACTIVE": item.category is StatusCategory.STARTED,
        "WAITING": _is_waiting(item, now),
    }
    if name not in checks:
        raise ValueError(f"unknown virtual tag {name!r}")
    return checks[name]


def describe_filter(flt: Filter) -> str:
    """The canonical words of ``flt``, for the Board's filter line and round trips.

    Why canonical: the Board shows what is in effect, not what was typed, and
    ``parse_filter(describe_filter(f)) == f`` for every filter built from words, so
    the line can be edited and parsed again. Order: ids, project, statuses,
    priorities, tags, excluded tags, assignees, virtual tags, due bounds, ``all``,
    title words; words are quoted like a shell would need them.
    """
    parts: list[str] = []
    if flt.ids:
        parts.append(",".join(str(i) for i in flt.ids))
    if flt.project is not None:
        parts.append(f"project:{flt.project}")
    parts += [f"status:{s}" for s in flt.statuses]
    parts += [f"priority:{p.value}" for p in flt.priorities]
    if flt.no_priority:
        parts.append("priority:")
    parts += [f"+{t}" for t in flt.tags]
    parts += [f"-{t}" for t in flt.exclude_tags]
    parts += [f"@{a}" for a in flt.assignees]
    parts += [f"+{v}" for v in flt.virtual]
    parts += _describe_due(flt.due_after, flt.due_before)
    implied_closed = any(s.lower() not in OPEN_CATEGORIES for s in flt.statuses)
    if flt.include_closed and not implied_closed:
        parts.append("all")
    parts += flt.words
    return " ".join(shlex.quote(part) for part in parts)


def _describe_due(after: datetime | None, before: datetime | None) -> list[str]:
    """``due:DAY`` for exactly one whole day, else ``due.after:`` / ``due.before:``."""
    if after is not None and before is not None and _is_midnight(after) and before == after + _DAY:
        return [f"due:{_format_date(after)}"]
    words = []
    if after is not None:
        words.append(f"due.after:{_format_date(after)}")
    if before is not None:
        words.append(f"due.before:{_format_date(before)}")
    return words


def _is_midnight(when: datetime) -> bool:
    """The very start of a day."""
    return when == when.replace(hour=0, minute=0, second=0, microsecond=0)


def _format_date(when: datetime) -> str:
    """The shortest ISO text that :func:`parse_date` reads back as ``when``."""
    if _is_midnight(when) and when.tzinfo is None:
        return when.date().isoformat()
    if when.second == 0 and when.microsecond == 0 and when.tzinfo is None:
        return when.strftime("%Y-%m-%dT%H:%M")
    return when.isoformat()
