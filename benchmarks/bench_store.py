"""Time the store's public API on stores of 1,000 / 10,000 / 50,000 items.

    .venv/bin/python benchmarks/bench_store.py                  # all sizes, SQLite
    .venv/bin/python benchmarks/bench_store.py --sizes 1000 --runs 3 --out -
    .venv/bin/python benchmarks/bench_store.py --pg "$TASKDESK_TEST_PG_URL"  # also PostgreSQL

Building a store of 50,000 items one ``add_item`` at a time would take minutes and
measure nothing we care about, so each store is *seeded* through the public API (a few
dozen items: that creates the statuses, projects, people and tags the normal way) and
then *filled* by copying the seeded item rows with plain SQL, varied (status, project,
priority, due date, tags, assignee).  Only the operations in the table are timed, and
only through ``taskdesk.store.Store``.  Numbers are measured, never asserted: see
benchmarks/README.md for what they mean.

``--pg URL`` DROPS AND RECREATES the ``public`` schema of that database for every size:
point it only at a throwaway database such as the one ``scripts/pg-test-server.sh`` makes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taskdesk.domain.filters import parse_filter
from taskdesk.domain.model import ParsedItem, Priority, StatusCategory
from taskdesk.store import Store, open_store

NOW = dt.datetime(2026, 11, 25, 10, 30)
SEED = 20261125
SEED_ITEMS = 40
PROJECTS = [f"project-{i:02d}" for i in range(12)] + [f"area-{i:02d}" for i in range(8)]
TAGS = [f"tag-{i:02d}" for i in range(30)]
PEOPLE = [f"user{i:02d}" for i in range(10)]
WORDS = ["fix", "review", "plan", "email", "deploy", "test", "migrate", "report", "budget"]
# Roughly a team's board after a year: most items are done.
CATEGORY_SHARE = {
    StatusCategory.BACKLOG: 0.15,
    StatusCategory.UNSTARTED: 0.20,
    StatusCategory.STARTED: 0.08,
    StatusCategory.COMPLETED: 0.52,
    StatusCategory.CANCELLED: 0.05,
}
DEFAULT_SIZES = (1_000, 10_000, 50_000)
RESULTS = Path(__file__).resolve().parent / "results" / "store.md"


@dataclass
class Row:
    """One timed operation: name → size → samples in seconds."""

    name: str
    samples: dict[int, list[float]] = field(default_factory=dict)


class Timings:
    """Collects samples per operation and size, in the order operations first appear."""

    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}

    def add(self, name: str, size: int, seconds: float) -> None:
        self.rows.setdefault(name, Row(name)).samples.setdefault(size, []).append(seconds)

    def time(self, name: str, size: int, runs: int, fn: Callable[[], object]) -> None:
        fn()  # warm-up: first-query costs (statement preparation, page cache) are not ours
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            self.add(name, size, time.perf_counter() - start)


# --------------------------------------------------------------------------- building


def seed(store: Store, rng: random.Random) -> None:
    """A few items through the public API: creates projects, people and tags normally."""
    for i in range(SEED_ITEMS):
        parsed = ParsedItem(
            title=f"seed {rng.choice(WORDS)} {i}",
            project=PROJECTS[i % len(PROJECTS)],
            tags=[TAGS[i % len(TAGS)]],
            assignees=[PEOPLE[i % len(PEOPLE)]],
            priority=rng.choice([Priority.HIGH, Priority.MEDIUM, Priority.LOW, None]),
            given={"title", "project", "tags", "assignees", "priority"},
        )
        store.add_item(parsed, now=NOW)


class Filler:
    """Copies seeded rows with plain SQL, through a DB-API connection of either backend."""

    def __init__(self, conn: Any, param: str, backend: str) -> None:
        self.conn = conn
        self.param = param
        self.backend = backend

    def rows(self, sql: str) -> list[dict[str, Any]]:
        cur = self.conn.cursor()
        cur.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def insert(self, table: str, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        cols = list(rows[0])
        marks = ", ".join([self.param] * len(cols))
        quoted = ", ".join(f'"{c}"' for c in cols)
        sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'
        cur = self.conn.cursor()
        for start in range(0, len(rows), 5_000):
            chunk = rows[start : start + 5_000]
            cur.executemany(sql, [tuple(self.value(r[c]) for c in cols) for r in chunk])

    def value(self, v: Any) -> Any:
        if self.backend == "sqlite" and isinstance(v, dt.datetime | dt.date):
            return str(v)  # what peewee stores on SQLite ("YYYY-MM-DD HH:MM:SS")
        return v

    def max_id(self, table: str) -> int:
        cur = self.conn.cursor()
        cur.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        return int(cur.fetchone()[0])


def fill(store: Store, filler: Filler, total: int, rng: random.Random) -> None:
    """Grow the seeded store to ``total`` items with varied copies of the seeded rows."""
    template = filler.rows('SELECT * FROM "item" ORDER BY id LIMIT 1')[0]
    containers = [c.id for c in store.containers(include_archived=True)]
    people = [p.id for p in store.people()]
    tags = [t["id"] for t in filler.rows('SELECT id FROM "tag"')]
    by_category: dict[StatusCategory, list[int]] = {}
    for status in store.statuses():
        by_category.setdefault(status.category, []).append(status.id)
    categories = [c for c in CATEGORY_SHARE if c in by_category]
    weights = [CATEGORY_SHARE[c] for c in categories]

    next_id = filler.max_id("item") + 1
    items, item_tags, assignments = [], [], []
    for n in range(total - SEED_ITEMS):
        item_id = next_id + n
        category = rng.choices(categories, weights)[0]
        created = NOW - dt.timedelta(days=rng.uniform(0, 365))
        row = dict(template)
        row.update(
            id=item_id,
            uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            title=f"{rng.choice(WORDS)} {rng.choice(WORDS)} #{item_id}",
            status_id=rng.choice(by_category[category]),
            container_id=rng.choice(containers) if containers and rng.random() < 0.9 else None,
            priority=rng.choice(["H", "M", "L", None, None]),
            due=NOW + dt.timedelta(days=rng.uniform(-60, 60)) if rng.random() < 0.4 else None,
            position=float(item_id),
            created=created,
            updated=created,
            started=created if category is not StatusCategory.BACKLOG else None,
            completed=(
                created + dt.timedelta(days=rng.uniform(0, 20))
                if category is StatusCategory.COMPLETED
                else None
            ),
            version=1,
        )
        row = {k: v for k, v in row.items() if k in template}
        items.append(row)
        for tag_id in rng.sample(tags, k=min(len(tags), rng.choice([0, 1, 1, 2, 3]))):
            item_tags.append({"item_id": item_id, "tag_id": tag_id})
        if people and rng.random() < 0.7:
            assignments.append(
                {"item_id": item_id, "person_id": rng.choice(people), "units": 1.0, "position": 0}
            )
    filler.insert("item", items)
    filler.insert("item_tag", item_tags)
    filler.insert("assignment", assignments)
    if filler.backend == "postgresql":
        # Rows went in with explicit ids: move the id sequences past them.
        cur = filler.conn.cursor()
        for t in ("item", "item_tag", "assignment"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{t}\"', 'id'), "
                f'(SELECT COALESCE(MAX(id), 1) FROM "{t}"))'
            )


@contextmanager
def sqlite_store(size: int, rng: random.Random) -> Iterator[tuple[str, Store]]:
    with tempfile.TemporaryDirectory(prefix="taskdesk-bench-") as tmp:
        path = str(Path(tmp) / f"bench-{size}.db")
        store = open_store(path, actor="bench")
        seed(store, rng)
        store.close()
        conn = sqlite3.connect(path)
        try:
            fill_store = open_store(path, actor="bench")
            fill(fill_store, Filler(conn, "?", "sqlite"), size, rng)
            conn.commit()
            fill_store.close()
            conn.execute("ANALYZE")
            conn.commit()
        finally:
            conn.close()
        yield path, open_store(path, actor="bench")


@contextmanager
def pg_store(url: str, size: int, rng: random.Random) -> Iterator[tuple[str, Store]]:
    from playhouse.db_url import connect  # only here: SQLite runs need no driver

    admin = connect(url)
    admin.connect()
    with admin.atomic():
        admin.execute_sql("DROP SCHEMA IF EXISTS public CASCADE")
        admin.execute_sql("CREATE SCHEMA public")
    store = open_store(url, actor="bench")
    seed(store, rng)
    with admin.atomic():
        fill(store, Filler(admin.connection(), "%s", "postgresql"), size, rng)
    admin.execute_sql("ANALYZE")
    store.close()
    admin.close()
    yield url, open_store(url, actor="bench")


def pg_version(url: str) -> str:
    from playhouse.db_url import connect

    db = connect(url)
    try:
        fsync = db.execute_sql("SHOW fsync").fetchone()[0]
        version = db.execute_sql("SHOW server_version").fetchone()[0].split()[0]
        return f"{version}, fsync {fsync}"
    finally:
        db.close()


# --------------------------------------------------------------------------- measuring


def measure(target: str, store: Store, size: int, runs: int, timings: Timings) -> None:
    """Time each public operation ``runs`` times on a store of ``size`` items."""
    rng = random.Random(SEED + size)

    def reopen() -> None:
        open_store(target, actor="bench").close()

    timings.time("open_store + close", size, runs, reopen)
    timings.time("board_counts()", size, runs, lambda: store.board_counts())
    statuses = store.statuses()
    for status in statuses:
        column = functools.partial(store.board_column, status.id, limit=100)
        timings.time(f"board_column({status.name}, limit=100)", size, runs, column)
    flt = parse_filter("+tag-03 priority:H", now=NOW)
    timings.time("list_items(+tag-03 priority:H)", size, runs, lambda: store.list_items(flt))
    words = parse_filter("report", now=NOW)
    timings.time("list_items(title word)", size, runs, lambda: store.list_items(words))
    batches = iter([rng.sample(range(1, size + 1), 100) for _ in range(runs + 1)])
    timings.time("get_items(100 ids)", size, runs, lambda: store.get_items(next(batches)))

    def add() -> None:
        title = f"bench {rng.choice(WORDS)}"
        parsed = ParsedItem(
            title=title,
            project=rng.choice(PROJECTS),
            tags=[rng.choice(TAGS)],
            given={"title", "project", "tags"},
        )
        store.add_item(parsed, now=NOW)

    timings.time("add_item", size, runs, add)

    started = [s.id for s in statuses if s.category is StatusCategory.STARTED]
    target = started[0] if started else statuses[-1].id
    movable = (it.id for it in store.list_items(limit=runs * 10 + 10) if it.status_id != target)
    moves = iter(list(movable)[: runs + 1])

    def move() -> None:
        store.move_item(next(moves), target)

    timings.time("move_item", size, runs, move)
    # Every timed undo reverts one of the moves above (undo = the actor's latest action).
    timings.time("undo", size, runs, store.undo)


# --------------------------------------------------------------------------- reporting


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import peewee

    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, peewee {peewee.__version__}"
    )


def table(timings: Timings, sizes: Sequence[int], runs: int) -> str:
    head = "| operation | " + " | ".join(f"{s:,} items" for s in sizes) + " |"
    rule = "|---|" + "---:|" * len(sizes)
    lines = [head, rule]
    for row in timings.rows.values():
        cells = []
        for size in sizes:
            samples = row.samples.get(size)
            cells.append(f"{statistics.median(samples) * 1000:.2f}" if samples else "–")
        lines.append(f"| {row.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(sections: list[tuple[str, Timings, Sequence[int]]], runs: int) -> str:
    out = [
        "# Store benchmarks",
        "",
        f"Generated by `benchmarks/bench_store.py` on {dt.date.today().isoformat()}.",
        f"Machine: {machine()}.",
        f"Each cell is the **median of {runs} runs in milliseconds** (after one warm-up run);",
        "see benchmarks/README.md for how the stores are built and what the numbers mean.",
    ]
    for backend, timings, sizes in sections:
        out += ["", f"## {backend}", "", table(timings, sizes, runs)]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--runs", type=int, default=7, help="timed runs per operation")
    parser.add_argument("--pg", metavar="URL", help="also run on this THROWAWAY PostgreSQL db")
    parser.add_argument("--out", default=str(RESULTS), help="markdown file, or - for none")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]

    backends: list[tuple[str, Callable[[int, random.Random], Any]]] = [
        ("SQLite (file, WAL)", sqlite_store)
    ]
    if args.pg:
        label = f"PostgreSQL {pg_version(args.pg)}"
        backends.append((label, lambda size, rng: pg_store(args.pg, size, rng)))

    sections = []
    for backend, make in backends:
        timings = Timings()
        for size in sizes:
            rng = random.Random(SEED)
            t0 = time.perf_counter()
            with make(size, rng) as (target, store):
                built = time.perf_counter() - t0
                print(f"[{backend}] {size:,} items built in {built:.1f}s", file=sys.stderr)
                try:
                    measure(target, store, size, args.runs, timings)
                finally:
                    store.close()
        sections.append((backend, timings, sizes))
        print(f"\n## {backend}\n\n{table(timings, sizes, args.runs)}")

    if args.out != "-":
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report(sections, args.runs))
        print(f"\nwrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
