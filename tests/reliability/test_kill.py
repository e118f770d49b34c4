"""A writer killed with SIGKILL at random moments, 100 times: the file stays sound and
every write the writer acknowledged (after its commit returned) is there."""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
import time
from pathlib import Path

from taskdesk.store import open_store
from taskdesk.store.check import check_store
from tests.reliability.conftest import Record
from tests.reliability.workers import acknowledging_writer

KILLS = 100


def _acks(path: Path) -> tuple[bool, list[list[str]]]:
    """Whether the child said it was ready, and its acknowledged writes."""
    if not path.exists():
        return False, []
    lines = path.read_text().splitlines()
    return "ready" in lines, [line.split() for line in lines if line != "ready"]


def _verify(db: Path, acks: list[list[str]]) -> list[str]:
    """Integrity, references, and every acknowledged write present (as raw SQL)."""
    conn = sqlite3.connect(db)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in conn.execute("PRAGMA foreign_key_check")]
        items = dict(conn.execute("SELECT id, version FROM item").fetchall())
        comments = {r[0] for r in conn.execute("SELECT id FROM comment")}
    finally:
        conn.close()
    for ack in acks:
        if ack[0] == "a" and int(ack[1]) not in items:
            problems.append(f"acknowledged item {ack[1]} is missing")
        elif ack[0] == "c" and int(ack[1]) not in comments:
            problems.append(f"acknowledged comment {ack[1]} is missing")
        elif ack[0] == "u" and items.get(int(ack[1]), 0) < int(ack[2]):
            problems.append(f"acknowledged version {ack[2]} of item {ack[1]} is missing")
    return problems


def test_sigkill_at_random_points(tmp_path: Path, record: Record) -> None:
    db = tmp_path / "store" / "taskdesk.db"
    open_store(str(db), actor="setup").close()
    # forkserver: each child is forked from a clean process that already imported the
    # store, so 100 children cost milliseconds each, not a Python start-up each.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["taskdesk.store", "tests.reliability.workers"])
    rng = random.Random(20261125)
    acknowledged = 0
    early_kills = 0
    failures: list[str] = []
    began = time.perf_counter()
    for run in range(KILLS):
        ack_path = tmp_path / f"acks-{run}"
        proc = ctx.Process(target=acknowledging_writer, args=(str(db), str(ack_path), run))
        proc.start()
        if rng.random() < 0.1:  # now and then while it opens the store
            time.sleep(rng.uniform(0, 0.03))
            early_kills += 1
        else:
            deadline = time.monotonic() + 30
            while not _acks(ack_path)[0] and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.08))
        proc.kill()
        proc.join(timeout=30)
        _ready, acks = _acks(ack_path)
        acknowledged += len(acks)
        failures += [f"run {run}: {p}" for p in _verify(db, acks)]
    elapsed = time.perf_counter() - began
    store = open_store(str(db), actor="checker")
    report = check_store(store)
    items = store.tables.item.select().count()
    store.close()
    record(
        "sigkill_sqlite",
        {
            "kills": KILLS,
            "kills_while_opening": early_kills,
            "acknowledged_writes": acknowledged,
            "lost_acknowledged_writes": len([f for f in failures if "missing" in f]),
            "integrity_failures": len([f for f in failures if "missing" not in f]),
            "items_at_end": items,
            "wall_s": round(elapsed, 2),
            "final_check_ok": report.ok,
        },
    )
    assert failures == [], failures[:5]
    assert report.ok, report.problems
    assert acknowledged > KILLS  # the kills did land in the middle of writing
