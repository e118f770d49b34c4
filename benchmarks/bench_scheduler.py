"""Time the project scheduler on a random plan of 10,000 tasks and 20,000 links.

    .venv/bin/python benchmarks/bench_scheduler.py                 # writes results/scheduler.md
    .venv/bin/python benchmarks/bench_scheduler.py --sizes 10000 --runs 3 --out -

algorithms.md asks that 10,000 tasks schedule "in well under a second". The plan is a
random DAG built with a fixed seed: tasks get durations of 0–20 working days (about 5%
milestones), a WBS of 200 summary tasks over blocks of 50 ids, a few
start-no-earlier constraints and deadlines, and 20,000 links between random pairs in
id order (so the graph is acyclic), of all four types with lags of −3..+5 days, on a
Mon–Fri calendar with holidays. ``schedule()`` is timed (median of ``--runs``, after
one warm-up run), and so is leveling the same plan among 50 people. Default sizes:
1,000 and 10,000 tasks.
Numbers are measured, never asserted: see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from taskdesk.domain.model import LinkType
from taskdesk.domain.scheduling import Link, Task, WorkCalendar, level, schedule

SEED = 20260105
START = dt.date(2026, 1, 5)
HOLIDAYS = [dt.date(2026, 1, 19), dt.date(2026, 5, 25), dt.date(2026, 7, 3), dt.date(2026, 9, 7)]
RESULTS = Path(__file__).parent / "results" / "scheduler.md"


def build_plan(tasks: int, links: int, seed: int = SEED) -> tuple[list[Task], list[Link]]:
    """A random acyclic plan: see the module docstring."""
    rng = random.Random(seed)
    # One summary every 50 ids heads the block of tasks after it; a fifth of the
    # summaries sit inside the previous one (a two-level WBS).
    parent: dict[int, int] = {}
    head = 0
    for task_id in range(1, tasks + 1):
        if task_id % 50 == 1:
            if head and rng.random() < 0.2:
                parent[task_id] = head
            head = task_id
        elif rng.random() < 0.9:
            parent[task_id] = head
    plan = []
    for task_id in range(1, tasks + 1):
        milestone = rng.random() < 0.05
        plan.append(
            Task(
                id=task_id,
                title=f"task {task_id}",
                duration=0 if milestone else rng.randint(1, 20),
                milestone=milestone,
                parent_id=parent.get(task_id),
                start_no_earlier=START + dt.timedelta(days=rng.randint(0, 300))
                if rng.random() < 0.02
                else None,
                deadline=START + dt.timedelta(days=rng.randint(200, 900))
                if rng.random() < 0.01
                else None,
                assignments=((f"user{rng.randint(0, 49):02d}", rng.choice((0.5, 1.0))),),
            )
        )
    is_summary = {parent_id for parent_id in parent.values()}
    leaves = [t.id for t in plan if t.id not in is_summary]
    out: list[Link] = []
    kinds = [LinkType.FS] * 7 + [LinkType.SS, LinkType.FF, LinkType.SF]
    while len(out) < links:
        a, b = sorted(rng.sample(leaves, 2))
        if b - a > 400:  # keep links local-ish, like real plans
            continue
        out.append(Link(a, b, rng.choice(kinds), rng.randint(-3, 5)))
    return plan, out


def median_ms(run: Callable[[], object], runs: int) -> float:
    """Median wall time of ``runs`` calls, after one warm-up call."""
    run()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def machine() -> str:
    """CPU model and count, and the Python version (as bench_store.py prints them)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}"


def measure(tasks: int, links: int, runs: int) -> tuple[str, dict[str, float]]:
    """Time schedule() and level() on one random plan; returns its description too."""
    calendar = WorkCalendar.from_names(holidays=HOLIDAYS)
    plan, edges = build_plan(tasks, links)
    result = schedule(plan, edges, start=START, calendar=calendar)
    capacities = {f"user{i:02d}": 8.0 for i in range(50)}
    times = {
        "schedule()": median_ms(
            lambda: schedule(plan, edges, start=START, calendar=calendar), runs
        ),
        "level() (50 people, 8 h/day)": median_ms(
            lambda: level(plan, edges, start=START, calendar=calendar, capacities=capacities),
            max(1, runs // 2),
        ),
    }
    summaries = sum(t.summary for t in result.tasks.values())
    about = (
        f"{tasks:,} tasks ({summaries} summaries) and {links:,} links: project finish "
        f"{result.finish}, critical path of {len(result.critical_path)} tasks"
    )
    return about, times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="task counts (links = 2 × tasks)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=str(RESULTS), help="markdown file, or - for stdout")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    measured = [measure(size, 2 * size, args.runs) for size in sizes]
    head = "| operation | " + " | ".join(f"{size:,} tasks" for size in sizes) + " |"
    lines = [
        "# Scheduler benchmark",
        "",
        f"Generated by `benchmarks/bench_scheduler.py` on {dt.date.today()}.",
        f"Machine: {machine()}.",
        f"Random plans (seed {SEED}, see the script's docstring), links = 2 × tasks; "
        f"each cell is the **median of {args.runs} runs in milliseconds** after one "
        "warm-up (level() uses half as many runs).",
        "",
        *(f"- {about}" for about, _times in measured),
        "",
        head,
        "|---|" + "---:|" * len(sizes),
        *(
            f"| {name} | " + " | ".join(f"{times[name]:.1f}" for _about, times in measured) + " |"
            for name in measured[0][1]
        ),
        "",
    ]
    text = "\n".join(lines)
    if args.out != "-":
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
