"""The real command, in a child process: what a shell script or an outside test sees.

Few and meaningful (each run costs a Python start-up): exit codes, stdout/stderr
separation, JSON on stdout, one error line on stderr, and nothing half-written.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.cli.conftest import run_taskdesk


def taskdesk(env: dict[str, str], db: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The real command on the test store."""
    return run_taskdesk(env, "--db", str(db), *argv)


def json_out(proc: subprocess.CompletedProcess[str]) -> Any:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_add_list_show_done_round_trip(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    added = taskdesk(env, db, "add", "Renew", "cert", "pro:Ops", "+security", "pri:H", "-draft")
    assert (added.returncode, added.stdout, added.stderr) == (0, "Created item 1.\n", "")
    items = json_out(taskdesk(env, db, "list", "+security", "--json"))
    assert [(i["id"], i["title"], i["project"], i["priority"]) for i in items] == [
        (1, "Renew cert -draft", "Ops", "H")
    ]
    item = json_out(taskdesk(env, db, "show", "1", "--json"))
    assert item["urgency_terms"] and item["created_by"] == "tester"
    done = taskdesk(env, db, "done", "1")
    assert done.returncode == 0 and done.stderr == ""
    assert json_out(taskdesk(env, db, "list", "--json")) == []


def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    bad = taskdesk(env, db, "add", "Ship", "it", "due:blurgh")
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "due:blurgh" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert json_out(taskdesk(env, db, "list", "all", "--json")) == []
    unknown = taskdesk(env, db, "show", "42")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1
    usage = taskdesk(env, db, "frobnicate")
    assert usage.returncode == 2 and usage.stderr.count("\n") == 1


def test_garbage_database_is_refused_and_left_unchanged(
    env: dict[str, str], tmp_path: Path
) -> None:
    db = tmp_path / "garbage.db"
    db.write_bytes(b"\x00garbage\xff" * 500)
    proc = taskdesk(env, db, "list")
    assert proc.returncode == 2
    assert proc.stderr.startswith("taskdesk: ") and proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr
    assert db.read_bytes() == b"\x00garbage\xff" * 500


def test_demo_then_backup(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    demo = taskdesk(env, db, "demo")
    assert demo.returncode == 0, demo.stderr
    items = json_out(taskdesk(env, db, "list", "all", "--json"))
    assert 60 <= len(items) <= 90
    names = {i["project"] for i in items}
    assert {"Mobile app launch", "Annual conference"} <= names
    copy = tmp_path / "backup.db"
    backup = taskdesk(env, db, "backup", str(copy))
    assert backup.returncode == 0 and backup.stdout.strip() == str(copy)
    assert len(json_out(taskdesk(env, copy, "list", "all", "--json"))) == len(items)


def test_help_and_not_yet_available(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    helped = taskdesk(env, db, "--help")
    assert helped.returncode == 0 and "schedule" in helped.stdout
    later = taskdesk(env, db, "report", "Mobile app launch")
    assert later.returncode == 1
    assert later.stderr == "taskdesk: report is not available yet\n"
    assert not db.exists()  # neither --help nor a stub touches the store
