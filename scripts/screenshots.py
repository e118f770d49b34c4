"""Regenerate the README screenshots from the demo workspace.

Run with ``make screenshots`` (or ``.venv/bin/python scripts/screenshots.py``). It builds
the demo in a temporary store, drives the real app with Textual's Pilot at fixed sizes,
and writes SVGs to ``screenshots/`` (and PNGs next to them with ``--png``, for looking
at them locally; PNGs are not committed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

from textual.pilot import Pilot

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"

Steps = Callable[[Pilot[None]], Awaitable[None]]


async def settle(pilot: Pilot[None]) -> None:
    """Wait until store workers are done and the screen has repainted."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def board(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("l", "l", "j")
    await settle(pilot)


async def panel(pilot: Pilot[None]) -> None:
    await board(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def quick_add(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("a")
    await pilot.press(*"Renew TLS cert due:fri pri:H +ops @carol every:quarterly")
    await settle(pilot)


async def help_screen(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


async def project_mode(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)


async def filtered(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("slash", *"+OVERDUE", "enter")
    await settle(pilot)


async def edit_form(pilot: Pilot[None]) -> None:
    await board(pilot)
    await pilot.press("e")
    await settle(pilot)


async def date_picker(pilot: Pilot[None]) -> None:
    await edit_form(pilot)
    await pilot.press("tab", "tab", "tab", "tab", "ctrl+t", "right")  # the due field
    await settle(pilot)


async def palette(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("ctrl+p", *"blog")
    await settle(pilot)


async def gantt(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)
    app = pilot.app
    project = app.store.get_container("Mobile app launch")  # type: ignore[attr-defined]
    app.selected_project_id = project.id  # type: ignore[attr-defined]
    app.selected_item_id = None  # type: ignore[attr-defined]
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("j", "j", "j")
    await settle(pilot)


async def gantt_preview(pilot: Pilot[None]) -> None:
    await gantt(pilot)
    await pilot.press("right_curly_bracket")
    await settle(pilot)


async def calendar_month(pilot: Pilot[None]) -> None:
    await settle(pilot)
    pilot.app.selected_item_id = None  # type: ignore[attr-defined]
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)


async def calendar_week(pilot: Pilot[None]) -> None:
    await calendar_month(pilot)
    await pilot.press("v")
    await settle(pilot)


async def project_calendar(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)
    app = pilot.app
    project = app.store.get_container("Mobile app launch")  # type: ignore[attr-defined]
    app.selected_project_id = project.id  # type: ignore[attr-defined]
    app.selected_item_id = None  # type: ignore[attr-defined]
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)


SHOTS: list[tuple[str, tuple[int, int], Steps]] = [
    ("board-120x36", (120, 36), board),
    ("board-80x24", (80, 24), board),
    ("item-panel", (120, 36), panel),
    ("quick-add", (120, 36), quick_add),
    ("help", (100, 30), help_screen),
    ("project-mode", (120, 36), project_mode),
    ("board-filtered", (100, 30), filtered),
    ("edit-form", (100, 34), edit_form),
    ("date-picker", (80, 24), date_picker),
    ("palette", (100, 30), palette),
    ("item-panel-80x24", (80, 24), panel),
    ("gantt-120x36", (120, 36), gantt),
    ("gantt-80x24", (80, 24), gantt),
    ("gantt-preview", (120, 36), gantt_preview),
    ("calendar-month-120x36", (120, 36), calendar_month),
    ("calendar-week-120x36", (120, 36), calendar_week),
    ("calendar-month-80x24", (80, 24), calendar_month),
    ("project-calendar", (120, 36), project_calendar),
]


async def shoot(db: str, name: str, size: tuple[int, int], steps: Steps, png: bool) -> None:
    """Run the app, apply ``steps`` and save the screen."""
    from taskdesk.ui.app import TaskDeskApp

    app = TaskDeskApp(db=db, offer_demo=False)
    async with app.run_test(size=size) as pilot:
        await steps(pilot)
        svg = app.export_screenshot(title=f"taskdesk — {name}")
    target = OUT / f"{name}.svg"  # OUT is absolute, so the chdir above is harmless
    target.write_text(svg, encoding="utf-8")
    if png:
        import cairosvg  # type: ignore[import-untyped]

        cairosvg.svg2png(bytestring=svg.encode(), write_to=str(target.with_suffix(".png")))
    print(f"wrote {target.relative_to(ROOT)}")


def main() -> None:
    """Build the demo store once, then take every shot."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--png", action="store_true", help="also write PNGs (not committed)")
    parser.add_argument("--only", help="take just this shot")
    args = parser.parse_args()
    os.environ.setdefault("TASKDESK_USER", "frank")
    from taskdesk.demo import build_demo
    from taskdesk.store import open_store

    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TASKDESK_CONFIG"] = str(Path(tmp) / "config.toml")
        os.environ["HOME"] = tmp  # the mode bar shows "~/demo.db", not a temporary path
        db = str(Path(tmp) / "demo.db")
        store = open_store(db, actor="frank")
        build_demo(store, today=date.today())
        store.close()
        for name, size, steps in SHOTS:
            if args.only and args.only != name:
                continue
            asyncio.run(shoot(db, name, size, steps, args.png))


if __name__ == "__main__":
    main()
