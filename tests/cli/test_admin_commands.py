"""``taskdesk init``, ``check`` and ``migrate``: the real command in a child process,
plus the network-filesystem override in-process (the mount table is patched)."""

from __future__ import annotations

import grp
import json
import os
import sqlite3
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from taskdesk.cli import main
from taskdesk.store import db as store_db
from tests.cli.conftest import run_taskdesk

PG_ENV = "TASKDESK_TEST_PG_URL"


taskdesk = run_taskdesk


def _filled(env: dict[str, str], db: Path) -> None:
    for words in (["Write", "the", "plan", "pro:Launch", "+doc"], ["Call", "venue", "@grace"]):
        assert taskdesk(env, "--db", str(db), "add", *words).returncode == 0


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema (skipped without a test server, failed on CI)."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{PG_ENV} is not set on CI")
        pytest.skip(f"{PG_ENV} is not set")
    import psycopg

    schema = f"td_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


# ------------------------------------------------------------------------- init
def test_init_shared_prints_the_db_path(env: dict[str, str], tmp_path: Path) -> None:
    group = grp.getgrgid(os.getgid()).gr_name
    team = tmp_path / "srv" / "team"
    proc = taskdesk(env, "init", "--shared", str(team), "--group", group)
    assert proc.returncode == 0, proc.stderr
    db = team / "taskdesk.db"
    assert f"taskdesk --db {db}" in proc.stdout and proc.stderr == ""
    assert stat.S_IMODE(team.stat().st_mode) == 0o3770
    assert stat.S_IMODE(db.stat().st_mode) == 0o660
    assert team.stat().st_gid == db.stat().st_gid == os.getgid()
    _filled(env, db)
    assert stat.S_IMODE(db.stat().st_mode) == 0o660
    again = taskdesk(env, "init", "--shared", str(team), "--group", group)
    assert again.returncode == 2 and "already holds a team store" in again.stderr
    made = json.loads(
        taskdesk(env, "init", "--shared", str(tmp_path / "t2"), "--group", group, "--json").stdout
    )
    assert made["db"] == str(tmp_path / "t2" / "taskdesk.db") and made["group"] == group


def test_init_bad_input(env: dict[str, str], tmp_path: Path) -> None:
    no_group = taskdesk(env, "init", "--shared", str(tmp_path / "x"))
    assert no_group.returncode == 2 and "--group" in no_group.stderr
    unknown = taskdesk(env, "init", "--shared", str(tmp_path / "x"), "--group", "nogroup-xyz-1")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1
    assert "no group 'nogroup-xyz-1'" in unknown.stderr
    assert not (tmp_path / "x").exists()


def test_init_private(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "mine" / "t.db"
    proc = taskdesk(env, "--db", str(db), "init")
    assert proc.returncode == 0 and f"Created the store: {db}" in proc.stdout
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    again = taskdesk(env, "--db", str(db), "init")
    assert again.returncode == 0 and "ready" in again.stdout


# ------------------------------------------------------------------------ check
def test_check_sound_broken_and_missing(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    _filled(env, db)
    ok = taskdesk(env, "--db", str(db), "check")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "2 items" in ok.stdout and ok.stdout.rstrip().endswith("No problems found.")
    before = db.read_bytes()

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("UPDATE item SET status_id = 77 WHERE id = 2")
    conn.execute(
        "INSERT INTO dependency (predecessor_id, successor_id, type, lag_days) "
        "VALUES (1, 2, 'FS', 0), (2, 1, 'FS', 0)"
    )
    conn.commit()
    conn.close()
    bad = taskdesk(env, "--db", str(db), "check")
    assert bad.returncode == 1 and bad.stderr == ""
    assert "problem: items whose status does not exist: 2" in bad.stdout
    assert "problem: dependency cycle: 1 → 2 → 1" in bad.stdout
    report = json.loads(taskdesk(env, "--db", str(db), "check", "--json").stdout)
    assert report["ok"] is False and len(report["problems"]) >= 2
    assert db.read_bytes() != before  # (our own raw edit) …
    snapshot = db.read_bytes()
    taskdesk(env, "--db", str(db), "check")
    assert db.read_bytes() == snapshot  # … but check itself writes nothing

    missing = taskdesk(env, "--db", str(tmp_path / "typo.db"), "check")
    assert missing.returncode == 2 and "no taskdesk database" in missing.stderr
    assert not (tmp_path / "typo.db").exists()


def test_check_and_commands_on_a_truncated_file(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    _filled(env, db)
    size = db.stat().st_size
    with db.open("r+b") as handle:
        handle.truncate(size // 3)
    before = db.read_bytes()
    checked = taskdesk(env, "--db", str(db), "check")
    assert checked.returncode == 1 and "problem:" in checked.stdout
    for argv in (["list"], ["add", "more"]):
        proc = taskdesk(env, "--db", str(db), *argv)
        assert proc.returncode in (1, 2)
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
        assert "internal error" not in proc.stderr
    assert db.read_bytes() == before


# ---------------------------------------------------------------------- migrate
def test_migrate_sqlite_to_sqlite(env: dict[str, str], tmp_path: Path) -> None:
    source, dest = tmp_path / "a.db", tmp_path / "b.db"
    _filled(env, source)
    proc = taskdesk(env, "migrate", "--from", str(source), "--to", str(dest))
    assert proc.returncode == 0, proc.stderr
    assert "verified by per-table row counts and checksums" in proc.stdout
    lines = {line.split()[0]: line.split()[1] for line in proc.stdout.splitlines()[1:-1]}
    assert lines["item"] == "2" and lines["status"] == "6"
    items = json.loads(taskdesk(env, "--db", str(dest), "list", "--json").stdout)
    assert sorted(i["title"] for i in items) == ["Call venue", "Write the plan"]
    again = taskdesk(env, "migrate", "--from", str(source), "--to", str(dest))
    assert again.returncode == 2 and "is not empty" in again.stderr


def test_migrate_sqlite_to_postgresql_and_back(
    env: dict[str, str], tmp_path: Path, pg_url: str
) -> None:
    source = tmp_path / "a.db"
    _filled(env, source)
    env = {**env, PG_ENV: os.environ[PG_ENV]}
    there = taskdesk(env, "migrate", "--from", str(source), "--to", pg_url)
    assert there.returncode == 0, there.stderr
    checked = taskdesk(env, "--db", pg_url, "check")
    assert checked.returncode == 0, checked.stdout
    back = taskdesk(env, "migrate", "--from", pg_url, "--to", str(tmp_path / "c.db"))
    assert back.returncode == 0, back.stderr
    assert there.stdout.splitlines()[1:] == back.stdout.splitlines()[1:]  # same counts, sums


# -------------------------------------------------------- network filesystem flag
def test_allow_network_fs_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(store_db, "network_filesystem", lambda path, mounts="": "nfs4")
    db = str(tmp_path / "t.db")
    assert main(["--db", db, "add", "refused"]) == 2
    assert "network filesystem (nfs4)" in capsys.readouterr().err
    monkeypatch.delenv(store_db.ALLOW_NETWORK_FS_ENV, raising=False)
    assert main(["--allow-network-fs", "--db", db, "add", "allowed"]) == 0
    assert "Created item 1." in capsys.readouterr().out
    monkeypatch.delenv(store_db.ALLOW_NETWORK_FS_ENV)  # the flag set it for this process
    monkeypatch.setenv(store_db.ALLOW_NETWORK_FS_ENV, "1")
    assert main(["--db", db, "list"]) == 0
