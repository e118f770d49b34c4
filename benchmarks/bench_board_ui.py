"""Time the Board as a user feels it, on stores of 1,000 / 10,000 / 50,000 items.

    .venv/bin/python benchmarks/bench_board_ui.py            # all sizes
    .venv/bin/python benchmarks/bench_board_ui.py --sizes 1000 --out -

The stores are built exactly as in ``bench_store.py`` (seeded through the API, filled
by SQL copies). The real app runs headless under Textual's Pilot at 120×36; each row is
the wall time from the key press until every store worker has finished and the screen
has repainted — what the user waits for. Measured, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import SEED, machine, sqlite_store
from textual.pilot import Pilot

from taskdesk.ui.app import TaskDeskApp
from taskdesk.ui.widgets.board_view import BoardView

RESULTS = Path(__file__).resolve().parent / "results" / "board_ui.md"
SIZE = (120, 36)
Step = Callable[[Pilot[None]], Awaitable[None]]


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the store workers and a repaint."""
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def timed(pilot: Pilot[None], step: Step) -> float:
    """Milliseconds from the step's first key to a settled screen."""
    start = time.perf_counter()
    await step(pilot)
    await settle(pilot)
    return (time.perf_counter() - start) * 1000


def press(*keys: str) -> Step:
    """A step that presses ``keys``."""

    async def run(pilot: Pilot[None]) -> None:
        await pilot.press(*keys)

    return run


def filter_step(words: str) -> Step:
    """Open the filter line, put ``words`` in it at once (typing would time the Pilot's
    per-key overhead), and press enter."""

    async def run(pilot: Pilot[None]) -> None:
        from textual.widgets import Input

        await pilot.press("slash")
        pilot.app.screen.query_one("#filter-input", Input).value = words
        await pilot.press("enter")

    return run


async def run_app(path: str, runs: int) -> dict[str, float]:
    """Start the app on ``path`` and time the interactions."""
    results: dict[str, list[float]] = {}
    for _ in range(runs):
        start = time.perf_counter()
        app = TaskDeskApp(db=path, actor="bench", offer_demo=False)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            results.setdefault("open app → board shown", []).append(
                (time.perf_counter() - start) * 1000
            )
            board = app.screen.query_one(BoardView)
            biggest = max(range(len(board.columns)), key=lambda i: board.columns[i].count)
            steps: list[tuple[str, Step]] = [
                ("f12, bound to nothing (the Pilot's floor)", press("f12")),
                ("j (next card)", press("j")),
                ("l (next column)", press("l")),
                ("pagedown", press("pagedown")),
                ("jump to biggest column, G (last card)", press(*["l"] * 0)),
                ("L (move card →, reload)", press("L")),
                ("u (undo, reload)", press("u")),
                ("/ +tag-03 enter (filter)", filter_step("+tag-03")),
                ("escape (clear filter)", press("escape")),
            ]
            for name, step in steps:
                if name.startswith("jump"):
                    board.select(biggest, 0)
                    step = press("G")
                results.setdefault(name, []).append(await timed(pilot, step))
    return {name: statistics.median(values) for name, values in results.items()}


def table(rows: dict[int, dict[str, float]]) -> str:
    """A Markdown table: operations down, sizes across."""
    sizes = sorted(rows)
    names = list(next(iter(rows.values())))
    head = "| operation | " + " | ".join(f"{s:,} items" for s in sizes) + " |"
    rule = "|---|" + "---:|" * len(sizes)
    lines = [head, rule]
    for name in names:
        cells = " | ".join(f"{rows[s][name]:.1f}" for s in sizes)
        lines.append(f"| {name} | {cells} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Build each store, time the app on it, print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=str(RESULTS), help="'-' prints only")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TASKDESK_CONFIG"] = str(Path(tmp) / "config.toml")
        for size in sizes:
            with sqlite_store(size, random.Random(SEED)) as (path, store):
                store.close()
                rows[size] = asyncio.run(run_app(path, args.runs))
                print(f"{size:,} items done", file=sys.stderr)
    text = (
        "# Board benchmarks (the app, headless, 120×36)\n\n"
        f"Generated by `benchmarks/bench_board_ui.py`. Machine: {machine()}.\n"
        f"Each cell: median of {args.runs} runs, milliseconds from the key press until the "
        "store workers finished and the screen repainted. The first row is the Pilot's own "
        "cost for a key that does nothing: subtract it to get taskdesk's share.\n\n"
        + table(rows)
        + "\n"
    )
    print(text)
    if args.out != "-":
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
