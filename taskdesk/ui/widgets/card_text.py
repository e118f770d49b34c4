"""What a Board card says, as plain text parts: testable without a terminal.

A card is three short lines. Every state has a word or a mark as well as a colour
(``!`` and "late" for overdue, "blocked", ``↻`` for a routine, ``◆`` for a milestone),
so a 16-colour or ``NO_COLOR`` terminal shows the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len, set_cell_size

from taskdesk.domain.dates import format_date
from taskdesk.domain.model import Item
from taskdesk.domain.text import clean_line

#: Rows a card takes on the Board, the blank line between cards included.
CARD_HEIGHT = 4


@dataclass(frozen=True, slots=True)
class Part:
    """A run of card text with the name of its component style (``""`` = the card's)."""

    text: str
    style: str = ""


def fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells, ending in ``…`` when something was cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    if width == 1:
        return "…"
    return set_cell_size(text, width - 1).rstrip() + "…"


def is_overdue(item: Item, now: datetime) -> bool:
    """Open and past its due time."""
    return item.is_open and item.due is not None and item.due < now


def due_part(item: Item, now: datetime) -> Part | None:
    """The due date as words: ``due Fri``, or ``! late 3d`` when overdue."""
    if item.due is None:
        return None
    if is_overdue(item, now):
        days = (now - item.due).days
        late = f"{days}d" if days >= 1 else "today"
        return Part(f"! late {late}", "overdue")
    return Part(f"due {format_date(item.due, now=now)}", "due")


def title_line(item: Item) -> list[Part]:
    """Line 1: priority letter (or a dot) and the title."""
    pri = item.priority.value if item.priority else "·"
    style = f"priority-{pri.lower()}" if item.priority else "dim"
    mark = "◆ " if item.milestone else ""
    return [Part(pri, style), Part(" "), Part(mark + clean_line(item.title), "title")]


def meta_line(item: Item, now: datetime) -> list[Part]:
    """Line 2: due date and assignees."""
    parts: list[Part] = []
    due = due_part(item, now)
    if due is not None:
        parts += [due, Part("  ")]
    if item.assignees:
        people = " ".join("@" + clean_line(a.login) for a in item.assignees)
        parts.append(Part(people, "people"))
    elif not parts:
        parts.append(Part("unassigned", "dim"))
    return [Part("  "), *parts]


def context_line(item: Item) -> list[Part]:
    """Line 3: project, tags, and the routine / blocked / blocking marks."""
    parts: list[Part] = [Part("  ")]
    if item.blocked:
        parts += [Part("⊘ blocked", "blocked"), Part(" ")]
    if item.is_recurring:
        parts += [Part("↻", "recurring"), Part(" ")]
    if item.blocking:
        parts += [Part("⇢ blocking", "blocking"), Part(" ")]
    if item.project:
        parts += [Part(clean_line(item.project), "project"), Part(" ")]
    if item.tags:
        parts.append(Part(" ".join("+" + clean_line(t) for t in item.tags), "tag"))
    return parts


def card_lines(item: Item, now: datetime) -> list[list[Part]]:
    """The three lines of a card, before fitting to a width."""
    return [title_line(item), meta_line(item, now), context_line(item)]


def card_text(item: Item, now: datetime, width: int) -> list[str]:
    """The card as plain strings of at most ``width`` cells (for tests and screen readers)."""
    return [fit("".join(p.text for p in line), width) for line in card_lines(item, now)]
