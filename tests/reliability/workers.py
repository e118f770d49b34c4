"""Child-process bodies for the reliability suite (importable, so ``spawn`` and
``forkserver`` children can find them). Each opens its own store, as a second terminal
or a second person would."""

from __future__ import annotations

import os
import time
from typing import Any

from taskdesk.domain.model import ParsedItem
from taskdesk.store import open_store


def update_worker(
    target: str,
    worker: int,
    own_id: int,
    shared_ids: list[int],
    updates: int,
    start: Any,
    results: Any,
) -> None:
    """Make ``updates`` edits, alternating the worker's own item and the shared ones.

    Every edit writes a value no one else writes, so each one must move the item's
    version: the parent counts versions and activity rows against the attempts.
    """
    store = open_store(target, actor=f"writer{worker}", create=False)
    errors: list[str] = []
    latencies: list[float] = []
    attempted = {"own": 0, "shared": 0}
    start.wait(60)
    began = time.perf_counter()
    for k in range(updates):
        if k % 2 == 0:
            item_id, kind = own_id, "own"
        else:
            item_id, kind = shared_ids[(k // 2 + worker) % len(shared_ids)], "shared"
        attempted[kind] += 1
        t0 = time.perf_counter()
        try:
            store.update_item(item_id, {"notes": f"writer {worker} edit {k}"})
        except Exception as exc:  # reported to the parent, which fails the test
            errors.append(f"{type(exc).__name__}: {exc}")
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - began
    store.close()
    results.put(
        {
            "worker": worker,
            "attempted": attempted,
            "errors": errors,
            "latencies": latencies,
            "elapsed": elapsed,
        }
    )


def acknowledging_writer(target: str, ack_path: str, run: int) -> None:
    """Write forever, appending each write's id to ``ack_path`` only after it committed.

    The parent kills this process with SIGKILL at a random moment; every id written to
    the acknowledgement file must then be in the database.
    """
    store = open_store(target, actor="killer", create=False)
    fd = os.open(ack_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.write(fd, b"ready\n")
    last = store.add_item(ParsedItem(title=f"run {run} first", tags=["kill"]))
    os.write(fd, f"a {last.id}\n".encode())
    n = 0
    while True:
        n += 1
        step = n % 4
        if step == 0:
            last = store.add_item(ParsedItem(title=f"run {run} item {n}", tags=["kill", "x"]))
            line = f"a {last.id}"
        elif step == 1:
            changed = store.update_item(last.id, {"notes": f"run {run} edit {n}" * 20})
            line = f"u {changed.id} {changed.version}"
        elif step == 2:
            comment = store.add_comment(last.id, f"run {run} comment {n}")
            line = f"c {comment.id}"
        else:
            done = store.complete_item(last.id)
            line = f"u {done.id} {done.version}"
        os.write(fd, f"{line}\n".encode())


def steady_writer(target: str, seconds: float, results: Any) -> None:
    """Add items for ``seconds`` (while the parent takes backups); report the count."""
    store = open_store(target, actor="writer", create=False)
    errors: list[str] = []
    added = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            store.add_item(ParsedItem(title=f"steady {added}", tags=["live"]))
            added += 1
        except Exception as exc:  # reported to the parent
            errors.append(f"{type(exc).__name__}: {exc}")
    store.close()
    results.put({"added": added, "errors": errors})
