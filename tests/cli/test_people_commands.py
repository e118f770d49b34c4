"""``taskdesk timeoff``: the real command in a subprocess, and its errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.cli.conftest import run_taskdesk


def _run(env: dict[str, str], db: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return run_taskdesk(env, "--db", str(db), *argv)


def test_add_list_remove(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    added = _run(env, db, "timeoff", "add", "alice", "2026-01-12", "2026-01-16", "ski", "trip")
    assert added.returncode == 0, added.stderr
    assert "alice away 2026-01-12 to 2026-01-16" in added.stdout
    listed = _run(env, db, "timeoff", "list", "--json")
    assert json.loads(listed.stdout) == [
        {
            "id": 1,
            "login": "alice",
            "start": "2026-01-12",
            "end": "2026-01-16",
            "reason": "ski trip",
        }
    ]
    assert _run(env, db, "timeoff", "remove", "1").returncode == 0
    assert "No time off" in _run(env, db, "timeoff", "list").stdout


def test_bad_dates_and_unknown_ids_are_exit_2_with_one_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    bad = _run(env, db, "timeoff", "add", "bob", "blurgh", "fri")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "blurgh" in bad.stderr
    backwards = _run(env, db, "timeoff", "add", "bob", "2026-01-16", "2026-01-12")
    assert backwards.returncode == 2 and "before it starts" in backwards.stderr
    missing = _run(env, db, "timeoff", "remove", "99")
    assert missing.returncode == 2 and "No time off with id 99" in missing.stderr
