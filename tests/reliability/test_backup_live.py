"""``taskdesk backup`` while another process keeps writing: every copy is sound and
consistent, and the writer never waits long or fails."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path

from taskdesk.domain.model import ParsedItem
from taskdesk.store import open_store
from tests.reliability.conftest import Record
from tests.reliability.workers import steady_writer

BACKUPS = 6


def test_backup_while_another_process_writes(tmp_path: Path, record: Record) -> None:
    db = tmp_path / "store" / "taskdesk.db"
    store = open_store(str(db), actor="owner")
    for n in range(300):  # enough pages that a copy takes a moment
        store.add_item(ParsedItem(title=f"existing {n}", tags=["old"]))
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    writer = ctx.Process(target=steady_writer, args=(str(db), 4.0, results))
    writer.start()
    counts: list[int] = []
    took: list[float] = []
    try:
        time.sleep(1.0)  # the writer is up and writing
        for n in range(BACKUPS):
            t0 = time.perf_counter()
            copy = store.backup(tmp_path / "copies" / f"b{n}.db")
            took.append(time.perf_counter() - t0)
            conn = sqlite3.connect(copy)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            item_count = conn.execute("SELECT count(*) FROM item").fetchone()[0]
            tagged = conn.execute("SELECT count(DISTINCT item_id) FROM item_tag").fetchone()[0]
            conn.close()
            assert tagged == item_count  # a snapshot: no item without its tag row
            counts.append(item_count)
            time.sleep(0.3)
        report = results.get(timeout=60)
        writer.join(timeout=30)
    finally:
        store.close()
    assert writer.exitcode == 0 and report["errors"] == []
    assert counts == sorted(counts) and counts[0] >= 300
    assert counts[-1] > counts[0]  # the writer kept writing between the backups
    record(
        "backup_while_writing_sqlite",
        {
            "backups": BACKUPS,
            "items_in_backups": f"{counts[0]}..{counts[-1]}",
            "writer_adds_during_test": report["added"],
            "writer_errors": len(report["errors"]),
            "backup_max_s": round(max(took), 3),
        },
    )
