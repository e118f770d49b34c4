"""Time the Calendar at 50,000 items: the store reads, and the screen through Pilot.

    .venv/bin/python benchmarks/bench_calendar.py                 # writes results/calendar.md
    .venv/bin/python benchmarks/bench_calendar.py --size 5000 --presses 5 --out -

The store is generated with a fixed seed and written through the bulk path
(``Store.import_records``, as ``bench_import.py``'s records): ``--size`` items around
*today* (the calendar opens on today), 45 % with a due date within ±6 months, 12 % with a
start date (with a due date: a span of 1–20 days), priorities, every status, 1 % routines;
plus 6 projects of 250 scheduled tasks each (``Store.import_plan``) whose start, finish and
deadline are the calendar's project markers. The built store is cached in the temp
directory (per day, size and seed); each run works on a copy.

Store rows: median and p95 of ``--runs`` calls after a warm-up. Screen rows: the real app
headless at 120×36 under Textual's Pilot; each press is timed from the key to "every
worker finished and the screen repainted". The first screen row is a key bound to
nothing: Pilot's own cost per press, included in every other row. Measured, never
asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import machine
from textual.pilot import Pilot

from taskdesk.domain.calendar import CalendarView, EntryKind, period
from taskdesk.domain.importing import ImportRecord
from taskdesk.domain.model import Priority, Recurrence, StatusCategory
from taskdesk.interop.plan import PlanDocument, PlanLink, PlanProject, PlanTask
from taskdesk.store import open_store
from taskdesk.ui import calendar_data
from taskdesk.ui.app import TaskDeskApp
from taskdesk.ui.screens.calendar import CalendarScreen

SEED = 20261126
#: Bump when the generator changes (cached stores of another version are rebuilt).
VERSION = 1
RESULTS = Path(__file__).resolve().parent / "results" / "calendar.md"
SIZE = (120, 36)
AREAS = ["Marketing", "Support", "Operations", "Sales", "Finance", "IT"]
WORDS = ["fix", "review", "plan", "email", "deploy", "test", "call", "draft", "renew", "audit"]
PROJECTS = 6
PROJECT_TASKS = 250
STATES = {
    StatusCategory.BACKLOG: 0.15,
    StatusCategory.UNSTARTED: 0.20,
    StatusCategory.STARTED: 0.08,
    StatusCategory.COMPLETED: 0.52,
    StatusCategory.CANCELLED: 0.05,
}
ROUTINES = [
    Recurrence("FREQ=DAILY"),
    Recurrence("FREQ=WEEKLY;BYDAY=MO"),
    Recurrence("FREQ=MONTHLY"),
]


# ------------------------------------------------------------------ the store


def records(count: int, rng: random.Random, today: dt.date) -> list[ImportRecord]:
    """``count`` items of ongoing work dated around ``today``."""
    noon = dt.datetime.combine(today, dt.time(12))
    out = []
    for n in range(count):
        due = start = None
        if rng.random() < 0.45:
            due = noon + dt.timedelta(days=rng.randint(-182, 182), hours=rng.randint(-3, 5))
        if rng.random() < 0.12:
            base = due or noon + dt.timedelta(days=rng.randint(-182, 182))
            start = base - dt.timedelta(days=rng.randint(1, 20) if due else 0, hours=3)
        state = rng.choices(list(STATES), list(STATES.values()))[0]
        routine = rng.random() < 0.01 and due is not None
        out.append(
            ImportRecord(
                uid=f"cal-{n}",
                title=f"{rng.choice(WORDS)} {rng.choice(WORDS)} #{n}",
                state=StatusCategory.UNSTARTED if routine else state,
                priority=rng.choice([Priority.HIGH, Priority.MEDIUM, Priority.LOW, None, None]),
                due=due,
                start=start,
                project=rng.choice(AREAS) if rng.random() < 0.9 else None,
                recurrence=rng.choice(ROUTINES) if routine else None,
                where=f"record {n}",
            )
        )
    return out


def project(number: int, rng: random.Random, today: dt.date) -> PlanDocument:
    """A project of PROJECT_TASKS tasks with links, starting around today."""
    tasks = []
    for n in range(PROJECT_TASKS):
        depends: tuple[PlanLink, ...] = ()
        if n > 5:
            depends = tuple(
                PlanLink(key=f"t{k}") for k in sorted(rng.sample(range(max(0, n - 30), n), 2))
            )
        tasks.append(
            PlanTask(
                key=f"t{n}",
                title=f"{rng.choice(WORDS)} component {n}",
                duration=float(rng.randint(1, 8)),
                depends=depends,
            )
        )
    start = today + dt.timedelta(days=30 * number - 90)
    return PlanDocument(
        project=PlanProject(
            name=f"Project {number}", start=start, deadline=start + dt.timedelta(days=200)
        ),
        tasks=tuple(tasks),  # type: ignore[call-arg]  # the field's alias is `task`
    )


def build(size: int) -> Path:
    """The cached store of ``size`` items for today (built on first use)."""
    today = dt.date.today()
    cache = Path(tempfile.gettempdir()) / "taskdesk-calbench"
    cache.mkdir(exist_ok=True)
    path = cache / f"cal-{size}-{today}-s{SEED}-v{VERSION}.db"
    if path.exists():
        return path
    began = time.perf_counter()
    tmp = cache / "building.db"
    for stale in cache.glob("building.db*"):
        stale.unlink()
    rng = random.Random(SEED)
    store = open_store(str(tmp), actor="bench")
    for number in range(PROJECTS):
        store.import_plan(project(number, rng, today))
    store.import_records(
        records(size - PROJECTS * PROJECT_TASKS, rng, today), label="calendar bench"
    )
    store.close()
    import sqlite3

    conn = sqlite3.connect(tmp)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.move(tmp, path)
    print(f"built {size:,} items in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    return path


# ------------------------------------------------------------------ timing


def stats(samples: list[float]) -> tuple[float, float]:
    """Median and p95 (nearest rank) in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered) + 0.5) - 1))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(run: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and p95 of ``runs`` calls after one warm-up."""
    run()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return stats(samples)


def store_rows(path: Path, runs: int) -> dict[str, tuple[float, float]]:
    """The Calendar's store reads, as the screen makes them."""
    store = open_store(str(path), actor="bench")
    today = dt.date.today()
    scope = calendar_data.CalendarScope()
    rows: dict[str, tuple[float, float]] = {}
    month, week, agenda = (period(v, today) for v in CalendarView)

    def read(first: dt.date, last: dt.date, per_day: int) -> Callable[[], object]:
        return lambda: store.calendar_items(first, last, per_day=per_day)

    for name, (first, last), cap in (
        ("calendar_items month, per_day=40 (what the screen loaded before)", month, 40),
        ("calendar_items month, per_day=4 (a 120×36 month cell)", month, 4),
        ("calendar_items week, per_day=28 (a 120×36 week column)", week, 28),
        ("calendar_items agenda, 14 days, per_day=7", agenda, 7),
        ("calendar_items one day (the day list / entry cursor, ≤ 500)", (today, today), 500),
    ):
        rows[name] = timed(read(first, last, cap), runs)
    rows["read_period month (items + routines projected, as the screen)"] = timed(
        lambda: calendar_data.read_period(
            store, CalendarView.MONTH, today, scope, [], today=today, per_day=4
        ),
        runs,
    )
    rows["calendar_series month"] = timed(lambda: store.calendar_series(*month), runs)
    rows["project markers (every project scheduled)"] = timed(
        lambda: calendar_data.read_markers(store, scope), max(3, runs // 3)
    )
    store.close()
    return rows


# ------------------------------------------------------------------ the screen

Step = Callable[[Pilot[None]], Awaitable[None]]


async def settle(pilot: Pilot[None]) -> None:
    """Every worker finished and the screen repainted."""
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def press_timed(pilot: Pilot[None], *keys: str) -> float:
    """Seconds from pressing ``keys`` to a settled screen."""
    start = time.perf_counter()
    await pilot.press(*keys)
    await settle(pilot)
    return time.perf_counter() - start


def plain_entry_day(screen: CalendarScreen) -> tuple[dt.date, int] | None:
    """A day in the loaded period with a plain (non-routine, non-project) item, and its
    index among the day's entries: H/L on it moves the item without a dialog."""
    data = screen.data
    assert data is not None
    for day in data.days:
        for index, entry in enumerate(data.placed.get(day, [])[:2]):
            if (
                entry.kind is EntryKind.ITEM
                and entry.series_id is None
                and not entry.project_task
                and not entry.spans
            ):
                return day, index
    return None


async def screen_rows(path: Path, presses: int) -> dict[str, tuple[float, float]]:
    """Time the Calendar's keys on a copy of the store."""
    samples: dict[str, list[float]] = {}

    def add(name: str, seconds: float) -> None:
        samples.setdefault(name, []).append(seconds)

    app = TaskDeskApp(db=str(path), actor="bench", offer_demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(max(3, presses // 2)):
            add("3 (open the calendar, month view)", await press_timed(pilot, "3"))
            await pilot.press("1")
            await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        for _ in range(presses):
            add("f12, bound to nothing (Pilot's own cost)", await press_timed(pilot, "f12"))
        for _ in range(presses):
            add("l (day cursor →; a new month when it leaves one)", await press_timed(pilot, "l"))
        for _ in range(presses):
            add("j (day cursor a week down)", await press_timed(pilot, "j"))
        await pilot.press("t")
        await settle(pilot)
        for step in ("right_square_bracket", "left_square_bracket"):
            for _ in range(max(3, presses // 2)):
                add("] / [ (next / previous month)", await press_timed(pilot, step))
        for _ in range(presses):
            add("v (month → week → agenda → month)", await press_timed(pilot, "v"))
        while screen.view is not CalendarView.MONTH:
            await pilot.press("v")
            await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        found = plain_entry_day(screen)
        if found is not None:
            day, index = found
            screen._goto(day)
            for _ in range(index):
                await pilot.press("n")
            await settle(pilot)
            for n in range(presses):
                add(
                    "H / L (move an item a day, write + re-read)",
                    await press_timed(pilot, "L" if n % 2 == 0 else "H"),
                )
    return {name: stats(values) for name, values in samples.items()}


# ------------------------------------------------------------------ report


def table(rows: dict[str, tuple[float, float]]) -> list[str]:
    """Rows of a Markdown table: name, median, p95."""
    lines = ["| operation | median ms | p95 ms |", "|---|---:|---:|"]
    lines += [f"| {name} | {m:.1f} | {p:.1f} |" for name, (m, p) in rows.items()]
    return lines


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the store, time it, print and save the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=15, help="calls per store row")
    parser.add_argument("--presses", type=int, default=20, help="presses per screen row")
    parser.add_argument("--out", default=str(RESULTS), help="'-' prints only")
    parser.add_argument("--only", choices=["store", "screen"], default=None)
    args = parser.parse_args(argv)
    source = build(args.size)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TASKDESK_CONFIG"] = str(Path(tmp) / "config.toml")
        copy = Path(tmp) / "calendar.db"
        shutil.copy(source, copy)
        store_part = store_rows(copy, args.runs) if args.only != "screen" else {}
        screen_part = asyncio.run(screen_rows(copy, args.presses)) if args.only != "store" else {}
    lines = [
        "# Calendar benchmarks (50,000 items)",
        "",
        f"Generated by `benchmarks/bench_calendar.py` on {dt.date.today()}. Machine: {machine()}.",
        f"Store: {args.size:,} items (see the script's docstring), dated within ±6 months of "
        "today; 6 scheduled projects of 250 tasks.",
        "",
    ]
    if store_part:
        lines += [f"## Store reads ({args.runs} calls after a warm-up)", "", *table(store_part), ""]
    if screen_part:
        lines += [
            f"## The screen (Pilot, 120×36, {args.presses} presses per key)",
            "",
            "From the key press until every worker finished and the screen repainted. The "
            "first row is Pilot's own cost per press: subtract it for taskdesk's share.",
            "",
            *table(screen_part),
            "",
        ]
    text = "\n".join(lines)
    print(text)
    if args.out != "-":
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
