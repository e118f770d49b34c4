"""Helpers for Pilot tests: wait for store workers, read what the screen shows."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from textual.app import App
from textual.pilot import Pilot

from taskdesk.domain.model import LinkType, ParsedItem

if TYPE_CHECKING:
    from taskdesk.store import Store

_TEXT = re.compile(
    r'<text[^>]*?x="(?P<x>[\d.]+)"[^>]*?clip-path="url\(#[\w-]+-line-(?P<line>\d+)\)"[^>]*>'
    r"(?P<body>.*?)</text>",
    re.S,
)


async def settle(pilot: Pilot[None]) -> None:
    """Let every store worker finish and the screen repaint (never sleep)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def shown(pilot: Pilot[None], text: str, attempts: int = 100) -> str:
    """The screen's text once it shows ``text`` (a bounded wait: a screen that fills in
    over several workers and idle-time resizes may need more than one settle)."""
    for _ in range(attempts):
        await settle(pilot)
        screen = screen_text(pilot.app)
        if text in screen:
            return screen
        await pilot.pause(0.05)
    return screen_text(pilot.app)


def screen_text(app: App[None]) -> str:
    """The visible screen as plain text lines, read from Textual's SVG export."""
    svg = app.export_screenshot(simplify=True)
    lines: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for match in _TEXT.finditer(svg):
        body = html.unescape(match.group("body")).replace("\xa0", " ")
        lines[int(match.group("line"))].append((float(match.group("x")), body))
    out = []
    for number in range(max(lines, default=-1) + 1):
        out.append("".join(text for _, text in sorted(lines.get(number, []))))
    return "\n".join(out)


def add_launch_plan(store: Store, start: date, *, bob_on_build: bool = False) -> dict[str, int]:
    """The Gantt tests' project "Launch" from ``start``: Design (3d) → Build (5d) → Go
    live (milestone), with Docs (2d) beside Build; the items' ids by title."""
    store.save_project("Launch", start=start, deadline=date(2026, 12, 18))
    ids: dict[str, int] = {}
    for title, days, milestone in (
        ("Design", 3, False),
        ("Build", 5, False),
        ("Docs", 2, False),
        ("Go live", 0, True),
    ):
        parsed = ParsedItem(
            title=title,
            project="Launch",
            duration_days=days or None,
            milestone=milestone,
            assignees=["bob"] if bob_on_build and title == "Build" else [],
            given={"title", "project", "duration_days", "milestone", "assignees"},
        )
        ids[title] = store.add_item(parsed).id
    links = (("Design", "Build"), ("Design", "Docs"), ("Build", "Go live"), ("Docs", "Go live"))
    for before, after in links:
        store.add_dependency(ids[before], ids[after], LinkType.FS, 0)
    return ids
