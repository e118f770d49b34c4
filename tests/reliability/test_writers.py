"""N writer processes × M updates on one store: every update lands, none says "locked"."""

from __future__ import annotations

import multiprocessing
import statistics
import time
from typing import Any

from taskdesk.domain.model import ParsedItem
from taskdesk.store import open_store
from taskdesk.store.check import check_store
from tests.reliability.conftest import Record
from tests.reliability.workers import update_worker

WRITERS = 8
UPDATES = 200
SHARED = 2


def test_many_writer_processes(target: str, record: Record) -> None:
    setup = open_store(target, actor="setup")
    own = [setup.add_item(ParsedItem(title=f"own {n}")).id for n in range(WRITERS)]
    shared = [setup.add_item(ParsedItem(title=f"shared {n}")).id for n in range(SHARED)]
    activity_before = setup.tables.activity.select().count()
    setup.close()

    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(
            target=update_worker,
            args=(target, n, own[n], shared, UPDATES, start, results),
        )
        for n in range(WRITERS)
    ]
    for proc in procs:
        proc.start()
    time.sleep(0.2)
    began = time.perf_counter()
    start.set()
    reports: list[dict[str, Any]] = [results.get(timeout=240) for _ in procs]
    wall = time.perf_counter() - began
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0

    errors = [e for r in reports for e in r["errors"]]
    locked = [e for e in errors if "locked" in e.lower()]
    store = open_store(target, actor="checker")
    try:
        own_attempted = {r["worker"]: r["attempted"]["own"] for r in reports}
        shared_attempted = sum(r["attempted"]["shared"] for r in reports)
        versions = {i.id: i.version for i in store.get_items(own + shared)}
        own_applied = {n: versions[own[n]] - 1 for n in range(WRITERS)}
        shared_applied = sum(versions[i] - 1 for i in shared)
        notes_logged = (
            store.tables.activity.select().count() - activity_before
        )  # one "notes" entry per applied edit
        report = check_store(store)
    finally:
        store.close()

    latencies = sorted(x for r in reports for x in r["latencies"])
    attempted = WRITERS * UPDATES
    applied = sum(own_applied.values()) + shared_applied
    record(
        f"writers_{store.backend}",
        {
            "backend": store.backend,
            "processes": WRITERS,
            "updates_per_process": UPDATES,
            "attempted": attempted,
            "applied": applied,
            "errors": len(errors),
            "locked_errors": len(locked),
            "wall_s": round(wall, 2),
            "updates_per_s": round(attempted / wall, 1),
            "latency_median_ms": round(statistics.median(latencies) * 1000, 2),
            "latency_p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
            "latency_max_ms": round(latencies[-1] * 1000, 2),
            "integrity_ok": report.ok,
        },
    )
    assert errors == [], errors[:5]
    assert own_applied == own_attempted
    assert shared_applied == shared_attempted
    assert applied == notes_logged == attempted
    assert report.ok, report.problems
