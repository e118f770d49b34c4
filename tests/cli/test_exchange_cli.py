"""``taskdesk import`` / ``export`` of Taskwarrior, JSON and CSV files, as a user runs them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.conftest import run_taskdesk

U1 = "a1b2c3d4-0000-4000-8000-000000000001"
U2 = "a1b2c3d4-0000-4000-8000-000000000002"
U3 = "a1b2c3d4-0000-4000-8000-000000000003"

TASKS = [
    {"uuid": U1, "description": "Buy milk", "status": "pending", "entry": "20261120T090000Z",
     "project": "Home", "tags": ["errand"], "priority": "H", "due": "20261124T170000Z"},
    {"uuid": U2, "description": "Pay rent", "status": "recurring", "recur": "monthly",
     "entry": "20261101T090000Z", "due": "20261201T090000Z"},
    {"uuid": U3, "description": "Old thing", "status": "completed", "entry": "20261001T090000Z",
     "end": "20261002T090000Z", "depends": [U1]},
]  # fmt: skip


def count(db: Path, table: str = "item") -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def items(env: dict[str, str], db: Path) -> list[dict[str, object]]:
    done = run_taskdesk(env, "--db", str(db), "export", "--format", "json")
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def test_import_taskwarrior_twice_then_round_trip(env: dict[str, str], tmp_path: Path) -> None:
    db, src = tmp_path / "t.db", tmp_path / "tasks.json"
    src.write_text(json.dumps(TASKS), encoding="utf-8")
    first = run_taskdesk(env, "--db", str(db), "import", str(src))
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"Imported 3 items from {src}: 3 new, 0 updated, 0 unchanged.\n"
    again = run_taskdesk(env, "--db", str(db), "import", str(src), "--format", "taskwarrior")
    assert again.stdout == f"Imported 3 items from {src}: 0 new, 0 updated, 3 unchanged.\n"
    assert count(db) == 3
    by_uuid = {i["uuid"]: i for i in items(env, db)}
    assert by_uuid[U1]["title"] == "Buy milk" and by_uuid[U1]["tags"] == ["errand"]
    assert by_uuid[U2]["recurrence"] == "every FREQ=MONTHLY"
    assert by_uuid[U3]["category"] == "completed"
    assert by_uuid[U3]["depends"] == [by_uuid[U1]["id"]]
    out = tmp_path / "out.json"
    exported = run_taskdesk(
        env, "--db", str(db), "export", "--format", "taskwarrior", "-o", str(out)
    )
    assert exported.returncode == 0 and exported.stdout == f"Exported 3 items to {out}.\n"
    tasks = {t["uuid"]: t for t in json.loads(out.read_text(encoding="utf-8"))}
    assert tasks[U1]["description"] == "Buy milk" and tasks[U1]["due"] == "20261124T170000Z"
    assert tasks[U2]["status"] == "recurring" and tasks[U2]["recur"] == "monthly"
    assert tasks[U3]["depends"] == [U1] and tasks[U3]["end"] == "20261002T090000Z"
    other = tmp_path / "other.db"
    back = run_taskdesk(env, "--db", str(other), "import", str(out), "--format", "taskwarrior")
    assert back.returncode == 0, back.stderr
    assert back.stdout == f"Imported 3 items from {out}: 3 new, 0 updated, 0 unchanged.\n"
    keys = ("uuid", "title", "category", "project", "priority", "due", "tags", "recurrence")
    assert [{k: i[k] for k in keys} for i in items(env, other)] == [
        {k: i[k] for k in keys} for i in items(env, db)
    ]


def test_garbage_file_exits_2_and_changes_nothing(env: dict[str, str], tmp_path: Path) -> None:
    db, src = tmp_path / "t.db", tmp_path / "tasks.json"
    src.write_text(json.dumps(TASKS), encoding="utf-8")
    assert run_taskdesk(env, "--db", str(db), "import", str(src)).returncode == 0
    before = (count(db), count(db, "activity"), count(db, "action"))
    bad = tmp_path / "bad.json"
    bad.write_text('[{"uuid": "x", "description": "ok"},\n {"description": 5}]', encoding="utf-8")
    done = run_taskdesk(env, "--db", str(db), "import", str(bad))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"taskdesk: {bad}: task #2: description must be text, not int\n"
    garbage = tmp_path / "junk.csv"
    garbage.write_bytes(b"\xff\xfe\x00garbage")
    done = run_taskdesk(env, "--db", str(db), "import", str(garbage))
    assert done.returncode == 2 and done.stderr == f"taskdesk: {garbage}: line 1: not UTF-8 text\n"
    cycle = tmp_path / "cycle.json"
    cycle.write_text(json.dumps([{"uuid": U1, "description": "Buy milk", "depends": [U3]}]))
    done = run_taskdesk(env, "--db", str(db), "import", str(cycle), "--format", "taskwarrior")
    assert done.returncode == 2 and "cycle" in done.stderr and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert (count(db), count(db, "activity"), count(db, "action")) == before


def test_csv_export_import_round_trip(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    add = run_taskdesk(env, "--db", str(db), "add", "Write report", "pro:Work", "+a", "@bob",
                       "due:2026-12-01T17:00", "est:90m", "priority:M")  # fmt: skip
    assert add.returncode == 0, add.stderr
    out = tmp_path / "all.csv"
    assert (
        run_taskdesk(env, "--db", str(db), "export", "--format", "csv", "-o", str(out)).returncode
        == 0
    )
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("uuid,title,status,project")
    again = run_taskdesk(env, "--db", str(db), "import", str(out))
    assert again.stdout == f"Imported 1 item from {out}: 0 new, 0 updated, 1 unchanged.\n"
    edited = tmp_path / "edited.csv"
    edited.write_text(text.replace("Write report", "Write the report"), encoding="utf-8")
    done = run_taskdesk(env, "--db", str(db), "import", str(edited))
    assert done.stdout == f"Imported 1 item from {edited}: 0 new, 1 updated, 0 unchanged.\n"
    (item,) = items(env, tmp_path / "t.db")
    assert item["title"] == "Write the report" and item["assignees"] == ["bob"]
    assert item["estimate_minutes"] == 90 and item["project"] == "Work"
    bad = tmp_path / "bad.csv"
    bad.write_text("title,due\nok,2026-01-01\nx,someday\n", encoding="utf-8")
    done = run_taskdesk(env, "--db", str(db), "import", str(bad))
    assert done.returncode == 2
    assert done.stderr == (
        f"taskdesk: {bad}: line 3, column due: 'someday' is not a date "
        "(2026-12-01 or 2026-12-01T17:00)\n"
    )
    assert count(db) == 1


def test_json_export_import_round_trip_updates(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    for words in (["First", "+x"], ["Second", "depends:1"]):
        assert run_taskdesk(env, "--db", str(db), "add", *words).returncode == 0
    out = tmp_path / "all.json"
    assert (
        run_taskdesk(env, "--db", str(db), "export", "--format", "json", "-o", str(out)).returncode
        == 0
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    data[0]["title"] = "First, renamed"
    out.write_text(json.dumps(data), encoding="utf-8")
    done = run_taskdesk(env, "--db", str(db), "import", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Imported 2 items from {out}: 0 new, 1 updated, 1 unchanged.\n"
    fresh = tmp_path / "fresh.db"
    done = run_taskdesk(env, "--db", str(fresh), "import", str(out))
    assert done.stdout == f"Imported 2 items from {out}: 2 new, 0 updated, 0 unchanged.\n"
    first, second = items(env, fresh)
    assert first["title"] == "First, renamed" and first["tags"] == ["x"]
    assert second["depends"] == [first["id"]]
    undo_check = run_taskdesk(env, "--db", str(db), "list", "--json")
    assert [i["title"] for i in json.loads(undo_check.stdout)] == ["First, renamed", "Second"]
