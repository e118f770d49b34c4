"""Helpers for Pilot tests: wait for store workers, read what the screen shows."""

from __future__ import annotations

import html
import re
from collections import defaultdict

from textual.app import App
from textual.pilot import Pilot

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
