"""Quick-add: one line of text → a :class:`ParsedItem` (product.md, "Quick-add grammar").

The same grammar serves the TUI's quick-add box (with a live preview), ``taskdesk add``
and ``taskdesk modify``, so it lives here, pure and exhaustively tested. Any string
either parses or raises :class:`QuickAddError` naming the token at fault: nothing is
half-created from a line with a typo in it.

Decisions where the grammar was open:

- Quotes open only at the start of a word (``"two words"``) or right after a known
  ``key:`` (``due:"next monday"``), and close at the same quote character followed by
  a space or the end of the line; so apostrophes (``Bob's``, ``'Bob's notes'``) just
  work. An unclosed quote is an error naming its position (quietly swallowing the rest
  of the line would hide the user's tokens).
- Keys are case-insensitive; a key that is not an attribute (``https://x``,
  ``ratio:1:2``, ``Note:``) leaves the word in the title verbatim.
- An attribute with an empty value (``due:``) clears that field, like Taskwarrior.
- A repeated attribute: the last one wins. ``+tag`` then ``-tag`` (modify): the last wins.
- ``+`` followed by a letter is a tag (``+3d``, ``+`` are title text); ``@`` followed by
  a letter, digit or ``_`` is an assignee (``bob@example.com`` is title text).
- ``-tag`` / ``-@user`` remove only in modify mode; otherwise they are title text.
- ``milestone`` (any case) alone is the flag; ``milestones`` is a title word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from taskdesk.domain.dates import parse_date, parse_duration, parse_workdays
from taskdesk.domain.model import ParsedItem, Priority
from taskdesk.domain.recurrence import parse_after, parse_every

__all__ = ["ATTRIBUTE_KEYS", "QuickAddError", "parse_quick_add"]

_QUOTES = "\"'"
_TAG = re.compile(r"\+([A-Za-z][A-Za-z0-9_.-]*)")
_USER = re.compile(r"@([A-Za-z0-9_][A-Za-z0-9_.-]*)")
_REMOVE_TAG = re.compile(r"-([A-Za-z][A-Za-z0-9_.-]*)")
_REMOVE_USER = re.compile(r"-@([A-Za-z0-9_][A-Za-z0-9_.-]*)")
_PRIORITIES: dict[str, Priority] = {
    **dict.fromkeys(("h", "high"), Priority.HIGH),
    **dict.fromkeys(("m", "medium", "med"), Priority.MEDIUM),
    **dict.fromkeys(("l", "low"), Priority.LOW),
}

#: Every key the grammar knows (lower case) → the ParsedItem field it sets.
ATTRIBUTE_KEYS: dict[str, str] = {
    **dict.fromkeys(("project", "pro", "proj"), "project"),
    "due": "due",
    **dict.fromkeys(("start", "scheduled", "sched"), "start"),
    "wait": "wait",
    **dict.fromkeys(("priority", "pri", "prio"), "priority"),
    "every": "every",
    "after": "after",
    **dict.fromkeys(("est", "estimate"), "estimate_minutes"),
    **dict.fromkeys(("duration", "dur"), "duration_days"),
    **dict.fromkeys(("depends", "dep", "deps"), "depends"),
}


class QuickAddError(ValueError):
    """A quick-add line that can't become an item, naming the token at fault.

    ``token`` is the text as typed (``""`` for a missing title) and ``position`` its
    character offset in the line, so the TUI can underline it; ``str()`` is one sentence
    for the preview or stderr, e.g. ``due:blurgh — "blurgh" is not a date (…)``.
    """

    def __init__(self, message: str, *, token: str, position: int) -> None:
        super().__init__(message)
        self.token = token
        self.position = position

    def __reduce__(self) -> tuple[Callable[..., QuickAddError], tuple[str, str, int]]:
        """Keep the attributes when the error crosses a process boundary."""
        return _rebuild_error, (str(self), self.token, self.position)


def _rebuild_error(message: str, token: str, position: int) -> QuickAddError:
    """Unpickling helper for :class:`QuickAddError` (keyword-only arguments)."""
    return QuickAddError(message, token=token, position=position)


@dataclass(frozen=True, slots=True)
class _Token:
    """One word of the line: ``raw`` exactly as typed, starting at ``start``.

    ``key`` is set for a known ``key:value`` (``value`` without quotes); ``quoted`` marks
    a fully quoted word, which is always title text.
    """

    raw: str
    start: int
    value: str
    key: str | None = None
    quoted: bool = False


def _tokens(text: str) -> Iterator[_Token]:
    """Split the line into words, honouring quotes (see the module docstring)."""
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        if text[i] in _QUOTES:
            close = _closing_quote(text, i)
            yield _Token(text[start : close + 1], start, text[i + 1 : close], quoted=True)
            i = close + 1
            continue
        end = start
        while end < n and not text[end].isspace():
            end += 1
        word = text[start:end]
        key, colon, value = word.partition(":")
        known = key.lower() if colon and key.lower() in ATTRIBUTE_KEYS else None
        if known and value.startswith(('"', "'")):
            quote = start + len(key) + 1
            close = _closing_quote(text, quote)
            yield _Token(text[start : close + 1], start, text[quote + 1 : close], key=known)
            i = close + 1
            continue
        yield _Token(word, start, value if known else word, key=known)
        i = end


def _closing_quote(text: str, opening: int) -> int:
    """The index of the quote closing the one at ``opening``, or a QuickAddError."""
    quote = text[opening]
    for k in range(opening + 1, len(text)):
        if text[k] == quote and (k + 1 == len(text) or text[k + 1].isspace()):
            return k
    raise QuickAddError(
        f"{text[opening:]} — the {quote} at position {opening} is never closed "
        f"(close it, or remove it)",
        token=text[opening:],
        position=opening,
    )


class _Builder:
    """Collects the fields of one line; knows how each token changes them."""

    def __init__(self, now: datetime, modify: bool) -> None:
        self.item = ParsedItem()
        self.words: list[str] = []
        self.now = now
        self.modify = modify
        self.recurrence_token: _Token | None = None

    def add(self, token: _Token) -> None:
        """Apply one token: an attribute, a tag, an assignee, the flag, or title text."""
        if token.quoted:
            self.words.append(token.value.strip())
        elif token.key is not None:
            self.attribute(token, token.key)
        elif not self.special(token.raw):
            self.words.append(token.raw)

    def special(self, word: str) -> bool:
        """Handle a ``+tag``, ``@user``, ``milestone`` or modify's ``-tag``; False if none."""
        item = self.item
        if word.lower() == "milestone":
            item.milestone = True
            item.given.add("milestone")
        elif m := _TAG.fullmatch(word):
            _toggle(item.tags, item.remove_tags, m.group(1))
            item.given.add("tags")
        elif m := _USER.fullmatch(word):
            _toggle(item.assignees, item.remove_assignees, m.group(1))
            item.given.add("assignees")
        elif self.modify and (m := _REMOVE_USER.fullmatch(word)):
            _toggle(item.remove_assignees, item.assignees, m.group(1))
            item.given.add("assignees")
        elif self.modify and (m := _REMOVE_TAG.fullmatch(word)):
            _toggle(item.remove_tags, item.tags, m.group(1))
            item.given.add("tags")
        else:
            return False
        return True

    def attribute(self, token: _Token, key: str) -> None:
        """Parse a known ``key:value``; a bad value is a QuickAddError naming the token."""
        field = ATTRIBUTE_KEYS[key]
        value = token.value.strip()
        try:
            _SETTERS[field](self, value)
        except ValueError as exc:  # DateError, RecurrenceError and the checks below
            raise QuickAddError(
                f"{token.raw} — {exc}", token=token.raw, position=token.start
            ) from exc
        if field in ("every", "after"):
            self.check_one_recurrence(token)

    def check_one_recurrence(self, token: _Token) -> None:
        """``every:`` and ``after:`` are two anchors for one series: only one may be set."""
        if self.item.recurrence is None:
            self.recurrence_token = None
            return
        earlier = self.recurrence_token
        if earlier is not None and earlier.key != token.key:
            raise QuickAddError(
                f"{token.raw} — an item recurs either on a schedule (every:) or after "
                f"completion (after:), not both ({earlier.raw} is also given)",
                token=token.raw,
                position=token.start,
            )
        self.recurrence_token = token

    def result(self) -> ParsedItem:
        """The finished item; a new item without a title is refused."""
        item = self.item
        item.title = " ".join(word for word in self.words if word)
        if item.title:
            item.given.add("title")
        elif not self.modify:
            raise QuickAddError("an item needs a title", token="", position=0)
        return item


def _toggle(into: list[str], out_of: list[str], name: str) -> None:
    """Add ``name`` to one list (once) and take it out of its opposite: the last word wins."""
    if name in out_of:
        out_of.remove(name)
    if name not in into:
        into.append(name)


def _set_project(b: _Builder, value: str) -> None:
    """``project:NAME``; the store creates the container on first use."""
    b.item.project = value or None
    b.item.given.add("project")


def _date_setter(field: str) -> Callable[[_Builder, str], None]:
    """A setter for one of the date fields (``due``, ``start``, ``wait``)."""

    def setter(b: _Builder, value: str) -> None:
        setattr(b.item, field, parse_date(value, now=b.now) if value else None)
        b.item.given.add(field)

    return setter


def _set_priority(b: _Builder, value: str) -> None:
    """``priority:H|M|L`` (also ``high``/``medium``/``low``), any case."""
    if value and value.lower() not in _PRIORITIES:
        raise ValueError(f'"{value}" is not a priority (use H, M or L)')
    b.item.priority = _PRIORITIES[value.lower()] if value else None
    b.item.given.add("priority")


def _set_every(b: _Builder, value: str) -> None:
    """``every:RULE``: recurrence anchored on the schedule."""
    b.item.recurrence = parse_every(value, today=b.now.date()) if value else None
    b.item.given.add("recurrence")


def _set_after(b: _Builder, value: str) -> None:
    """``after:DURATION``: recurrence anchored on completion."""
    b.item.recurrence = parse_after(value, today=b.now.date()) if value else None
    b.item.given.add("recurrence")


def _set_estimate(b: _Builder, value: str) -> None:
    """``est:DURATION``: effort in minutes."""
    b.item.estimate_minutes = parse_duration(value) if value else None
    b.item.given.add("estimate_minutes")


def _set_duration(b: _Builder, value: str) -> None:
    """``duration:DURATION``: scheduled length in working days."""
    b.item.duration_days = parse_workdays(value) if value else None
    b.item.given.add("duration_days")


def _set_depends(b: _Builder, value: str) -> None:
    """``depends:12,15``: finish-to-start predecessors by id (positive, duplicates dropped)."""
    ids: list[int] = []
    for part in value.split(",") if value else []:
        part = part.strip()
        if not (part.isascii() and part.isdigit()) or len(part) > 18 or int(part) == 0:
            raise ValueError(f'"{value}" is not a list of item ids (try depends:12 or 12,15)')
        if int(part) not in ids:
            ids.append(int(part))
    b.item.depends = ids
    b.item.given.add("depends")


_SETTERS: dict[str, Callable[[_Builder, str], None]] = {
    "project": _set_project,
    "due": _date_setter("due"),
    "start": _date_setter("start"),
    "wait": _date_setter("wait"),
    "priority": _set_priority,
    "every": _set_every,
    "after": _set_after,
    "estimate_minutes": _set_estimate,
    "duration_days": _set_duration,
    "depends": _set_depends,
}


def parse_quick_add(text: str, *, now: datetime, modify: bool = False) -> ParsedItem:
    """Read one quick-add line into a :class:`ParsedItem` (the whole grammar of product.md).

    ``now`` anchors relative dates (``tomorrow``, ``3d``) so a preview and the final add
    agree. With ``modify=True`` (``taskdesk modify``, the edit box) the title may be
    empty and ``-tag`` / ``-@user`` remove. ``given`` lists the fields the user wrote, so
    modify changes only those. Raises :class:`QuickAddError` and nothing else.
    """
    builder = _Builder(now, modify)
    for token in _tokens(text):
        builder.add(token)
    return builder.result()
