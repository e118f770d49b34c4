"""Team stores and hostile conditions: permissions, links, network filesystems,
read-only files, damaged files, a full disk, locks, and who a change is attributed to."""

from __future__ import annotations

import grp
import json
import os
import site
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from taskdesk.domain.model import ParsedItem
from taskdesk.store import db as store_db
from taskdesk.store import open_store
from taskdesk.store.errors import (
    StoreError,
    StoreLocked,
    StoreReadOnly,
    StoreUnavailable,
    ValidationError,
)
from taskdesk.store.shared import (
    SHARED_DIR_MODE,
    SHARED_FILE_MODE,
    init_shared,
    resolve_group,
    shared_layout_problems,
)

REPO = Path(__file__).resolve().parents[2]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _primary_group() -> str:
    return grp.getgrgid(os.getgid()).gr_name


@pytest.fixture
def umask_077() -> Iterator[None]:
    """A strict umask, as many shared servers set: the store must not depend on it."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def _filled(path: Path, n: int = 30) -> None:
    store = open_store(str(path), actor="alice")
    for k in range(n):
        store.add_item(ParsedItem(title=f"item {k}", tags=["t"]))
    store.close()


# ------------------------------------------------------------------ team stores
def test_init_shared_layout(tmp_path: Path, umask_077: None) -> None:
    group = _primary_group()
    made = init_shared(tmp_path / "team", group, actor="alice")
    directory = made.database.parent
    assert made.group == group and made.database == tmp_path / "team" / "taskdesk.db"
    assert _mode(directory) == SHARED_DIR_MODE == 0o3770
    assert directory.stat().st_mode & stat.S_ISGID and directory.stat().st_mode & stat.S_ISVTX
    assert _mode(made.database) == SHARED_FILE_MODE == 0o660
    assert made.database.stat().st_gid == directory.stat().st_gid == grp.getgrnam(group).gr_gid
    assert shared_layout_problems(made.database) == []
    # A member opens it under umask 077: SQLite's -wal/-shm still get 0660.
    store = open_store(str(made.database), actor="bob")
    store.add_item(ParsedItem(title="team work"))
    for suffix in ("-wal", "-shm"):
        side = Path(f"{made.database}{suffix}")
        assert side.exists() and _mode(side) == 0o660, suffix
    assert store.notices == []  # the intended layout raises no permission warning
    store.close()


def test_new_database_in_a_shared_directory_is_group_readable(
    tmp_path: Path, umask_077: None
) -> None:
    init_shared(tmp_path / "team", _primary_group())
    other = tmp_path / "team" / "second.db"
    open_store(str(other), actor="a").close()
    assert _mode(other) == 0o660


def test_init_shared_refusals(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no group 'no-such-group-xyz'"):
        init_shared(tmp_path / "a", "no-such-group-xyz")
    assert not (tmp_path / "a").exists()
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("x")
    with pytest.raises(StoreUnavailable, match="not empty"):
        init_shared(busy, _primary_group())
    link = tmp_path / "link"
    link.symlink_to(busy)
    with pytest.raises(StoreUnavailable, match="symbolic link"):
        init_shared(link, _primary_group())
    made = init_shared(tmp_path / "team", _primary_group())
    with pytest.raises(StoreUnavailable, match="already holds a team store"):
        init_shared(made.database.parent, _primary_group())


def test_resolve_group_by_number() -> None:
    name, gid = resolve_group(str(os.getgid()))
    assert gid == os.getgid() and name == _primary_group()


# ------------------------------------------------------------- links and URIs
def test_symlinked_database_is_refused(sqlite_path: Path, tmp_path: Path) -> None:
    _filled(sqlite_path, 1)
    link = tmp_path / "link.db"
    link.symlink_to(sqlite_path)
    with pytest.raises(StoreUnavailable, match=r"symbolic link.*--db .*taskdesk\.db"):
        open_store(str(link), actor="a")


def test_symlinked_wal_is_refused(sqlite_path: Path, tmp_path: Path) -> None:
    _filled(sqlite_path, 1)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    Path(f"{sqlite_path}-wal").symlink_to(victim)
    with pytest.raises(StoreUnavailable, match="-wal is a symbolic link"):
        open_store(str(sqlite_path), actor="a")
    assert victim.read_text() == "precious"


def test_existing_files_open_through_a_uri_that_never_creates(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    db = store_db._sqlite_database(missing, 100, "wal", read_only=False)
    with pytest.raises(StoreUnavailable, match="unable to open database file"):
        db.connect()
        db.execute_sql("SELECT 1 FROM sqlite_master")
    assert not missing.exists()


def test_path_with_uri_characters(tmp_path: Path) -> None:
    odd = tmp_path / "my #1 store?mode=ro%20.db"
    store = open_store(str(odd), actor="a")
    store.add_item(ParsedItem(title="x"))
    store.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert odd.exists() and names == [odd.name, odd.name + "-writers"]


def test_trusted_schema_is_off(sqlite_path: Path) -> None:
    store = open_store(str(sqlite_path), actor="a")
    assert store.db.connection().execute("PRAGMA trusted_schema").fetchone()[0] == 0
    store.close()


# ---------------------------------------------------------------- permissions
def test_permission_warnings(sqlite_path: Path) -> None:
    _filled(sqlite_path, 1)
    assert open_store(str(sqlite_path), actor="a").notices == []
    os.chmod(sqlite_path, 0o644)
    notices = open_store(str(sqlite_path), actor="a").notices
    assert any("can be read by every user" in n and "chmod o-rwx" in n for n in notices)
    os.chmod(sqlite_path, 0o660)
    notices = open_store(str(sqlite_path), actor="a").notices
    assert any("group-writable" in n and "chmod g-w" in n for n in notices)
    os.chmod(sqlite_path, 0o600)
    os.chmod(sqlite_path.parent, 0o777)
    notices = open_store(str(sqlite_path), actor="a").notices
    assert any("open to every user" in n for n in notices)
    os.chmod(sqlite_path.parent, 0o1777)  # like /tmp: sticky, our file owner-only
    assert open_store(str(sqlite_path), actor="a").notices == []
    os.chmod(sqlite_path.parent, 0o2770)  # shared, but no sticky bit
    notices = open_store(str(sqlite_path), actor="a").notices
    assert any("without the sticky bit" in n for n in notices)
    os.chmod(sqlite_path.parent, 0o700)


# ------------------------------------------------------------ network filesystems
def test_network_filesystem_is_refused_unless_overridden(
    sqlite_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_db, "network_filesystem", lambda path, mounts="": "nfs4")
    with pytest.raises(StoreUnavailable) as refused:
        open_store(str(sqlite_path), actor="a")
    message = str(refused.value)
    assert "network filesystem (nfs4)" in message and "PostgreSQL" in message
    assert "TASKDESK_ALLOW_NETWORK_FS=1" in message and "--allow-network-fs" in message
    assert not sqlite_path.exists()  # refused before anything was created

    store = open_store(str(sqlite_path), actor="a", allow_network_fs=True)
    assert any("opened anyway" in n for n in store.notices)
    assert store.db.connection().execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    store.add_item(ParsedItem(title="one at a time"))
    store.close()

    monkeypatch.setenv("TASKDESK_ALLOW_NETWORK_FS", "1")
    again = open_store(str(sqlite_path), actor="a")
    assert [i.title for i in again.list_items()] == ["one at a time"]
    again.close()
    with pytest.raises(StoreUnavailable, match="network filesystem"):
        open_store(str(sqlite_path), actor="a", allow_network_fs=False)


# ---------------------------------------------------------------- read-only
def test_read_only_file_opens_read_only(sqlite_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _filled(sqlite_path, 3)
    os.chmod(sqlite_path, 0o400)
    # Root may write anything: tell the store what an ordinary user's access() says.
    monkeypatch.setattr(store_db, "read_only_reason", lambda path: "the file is read-only for you")
    before = sqlite_path.read_bytes()
    store = open_store(str(sqlite_path), actor="a")
    assert store.read_only
    assert any(n.startswith("read-only: ") for n in store.notices)
    assert len(store.list_items()) == 3
    item = store.list_items()[0]
    for write in (
        lambda: store.add_item(ParsedItem(title="no")),
        lambda: store.update_item(item.id, {"title": "no"}),
        lambda: store.complete_item(item.id),
        lambda: store.ensure_container("Nope"),
        store.undo,
    ):
        with pytest.raises(StoreReadOnly, match="read-only; nothing was changed"):
            write()
    store.close()
    assert sqlite_path.read_bytes() == before


def test_read_only_on_request_refuses_to_create_or_upgrade(sqlite_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="no taskdesk database"):
        open_store(str(sqlite_path), actor="a", read_only=True)
    assert not sqlite_path.exists()
    _filled(sqlite_path, 1)
    conn = sqlite3.connect(sqlite_path)
    conn.execute("UPDATE schema_meta SET value='0' WHERE key='version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreUnavailable, match="needs an upgrade"):
        open_store(str(sqlite_path), actor="a", read_only=True)


CHILD = """
import json, sys
from taskdesk.domain.model import ParsedItem
from taskdesk.store import open_store
from taskdesk.store.errors import StoreReadOnly
store = open_store(sys.argv[1], actor="nobody")
result = {"read_only": store.read_only, "notices": store.notices,
          "titles": [i.title for i in store.list_items()]}
try:
    store.add_item(ParsedItem(title="sneaky"))
    result["write"] = "written"
except StoreReadOnly as exc:
    result["write"] = str(exc)
print(json.dumps(result))
"""


def _as_nobody(db: Path) -> dict[str, object]:
    """Open ``db`` in a child running as the unprivileged user ``nobody``."""

    def drop() -> None:
        os.setgid(65534)
        os.setuid(65534)

    # The venv's interpreter may live under /root (0700); the system one of the same
    # version with the venv's packages on the path does the same job for nobody.
    path = os.pathsep.join([str(REPO), *site.getsitepackages()])
    env = {**os.environ, "PYTHONPATH": path, "HOME": "/"}
    proc = None
    for python in (sys.executable, f"/usr/bin/python{sys.version_info[0]}.{sys.version_info[1]}"):
        try:
            proc = subprocess.run(
                [python, "-c", CHILD, str(db)],
                capture_output=True,
                text=True,
                env=env,
                preexec_fn=drop,
                timeout=60,
                check=False,
            )
        except OSError:
            continue
        if "Permission denied" not in proc.stderr and "No module" not in proc.stderr:
            break
    if proc is None or "Permission denied" in proc.stderr or "No module" in proc.stderr:
        pytest.skip("no Python interpreter and checkout that the user nobody can read")
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout)
    return result


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another user")
@pytest.mark.parametrize("case", ["file", "directory"])
def test_read_only_for_a_real_other_user(case: str) -> None:
    root = Path(tempfile.mkdtemp(prefix="td-ro-"))
    try:
        os.chmod(root, 0o755)
        db = root / "team.db"
        _filled(db, 2)
        os.chmod(db, 0o644 if case == "file" else 0o666)
        before = db.read_bytes()
        result = _as_nobody(db)
        assert result["read_only"] is True
        assert sorted(result["titles"]) == ["item 0", "item 1"]  # type: ignore[arg-type]
        assert "read-only" in str(result["write"]) and result["write"] != "written"
        notices = " ".join(result["notices"])  # type: ignore[arg-type]
        assert ("file is read-only" if case == "file" else "directory is read-only") in notices
        assert db.read_bytes() == before
    finally:
        subprocess.run(["rm", "-rf", str(root)], check=False)


# -------------------------------------------------------- damaged files, full disk
def test_truncated_file_is_a_clear_error_and_left_as_it_was(sqlite_path: Path) -> None:
    _filled(sqlite_path, 400)
    size = sqlite_path.stat().st_size
    with sqlite_path.open("r+b") as handle:
        handle.truncate(size // 2)
    before = sqlite_path.read_bytes()
    with pytest.raises(StoreError) as caught:
        store = open_store(str(sqlite_path), actor="a")
        try:
            store.list_items()
            store.add_item(ParsedItem(title="x"))
        finally:
            store.close()
    assert "damaged" in str(caught.value) or "not a taskdesk database" in str(caught.value)
    assert sqlite_path.read_bytes() == before


def test_full_disk_is_a_clear_error_and_nothing_changes(sqlite_path: Path) -> None:
    store = open_store(str(sqlite_path), actor="a")
    store.add_item(ParsedItem(title="kept"))
    conn = store.db.connection()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count={pages}")  # the "disk" is now full
    with pytest.raises(StoreError, match="is full; nothing was changed") as caught:
        store.update_item(store.list_items()[0].id, {"notes": "x" * 200_000})
    assert type(caught.value) is StoreError
    assert [(i.title, i.notes) for i in store.list_items()] == [("kept", "")]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("PRAGMA max_page_count=1073741823")
    store.update_item(store.list_items()[0].id, {"notes": "now it fits"})
    assert store.list_items()[0].notes == "now it fits"
    store.close()


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        (10, StoreError, "disk I/O error"),
        (8, StoreReadOnly, "read-only for you"),
        (11, StoreUnavailable, "is damaged"),
        (26, StoreUnavailable, "file is not a database"),
        (13, StoreError, "is full"),
    ],
)
def test_sqlite_errors_become_sentences(code: int, kind: type[StoreError], words: str) -> None:
    exc = sqlite3.OperationalError("some low-level text")
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    translated = store_db.translate_error(exc, "/srv/team/taskdesk.db")
    assert type(translated) is kind
    assert words in str(translated) and "/srv/team/taskdesk.db" in str(translated)


# ------------------------------------------------------------------- locks
def test_write_waits_out_a_lock_longer_than_the_busy_timeout(sqlite_path: Path) -> None:
    store = open_store(str(sqlite_path), actor="a", busy_timeout_ms=100)
    blocker = sqlite3.connect(sqlite_path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.15, lambda: blocker.execute("ROLLBACK"))
    release.start()
    try:
        assert store.add_item(ParsedItem(title="patient")).title == "patient"
    finally:
        release.join()
        blocker.close()
    store.close()


def test_reads_retry_then_say_locked(sqlite_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A rollback journal (as on an overridden network filesystem): readers wait for writers.
    monkeypatch.setattr(store_db, "network_filesystem", lambda path, mounts="": "nfs")
    store = open_store(str(sqlite_path), actor="a", busy_timeout_ms=50, allow_network_fs=True)
    store.add_item(ParsedItem(title="visible"))
    store.close()
    blocker = sqlite3.connect(sqlite_path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreLocked, match="stayed locked"):
            store.list_items()
        release = threading.Timer(0.1, lambda: blocker.execute("ROLLBACK"))
        release.start()
        started = time.monotonic()
        assert [i.title for i in store.list_items()] == ["visible"]  # retried, then read
        assert time.monotonic() - started < 5
        release.join()
    finally:
        if blocker.in_transaction:
            blocker.execute("ROLLBACK")
        blocker.close()
        store.close()


# --------------------------------------------------------------- attribution
def test_every_change_is_attributed_to_the_login_name(sqlite_path: Path) -> None:
    store = open_store(str(sqlite_path))  # no actor: taskdesk.identity decides
    assert store.actor == "tester"  # TASKDESK_USER in the test environment
    item = store.add_item(ParsedItem(title="mine"))
    store.add_comment(item.id, "hello")
    store.update_item(item.id, {"priority": "H"})
    assert item.created_by == "tester"
    assert {a.actor for a in store.activity(item.id)} == {"tester"}
    assert [c.author for c in store.comments(item.id)] == ["tester"]
    store.close()


def test_only_identity_reads_the_login_name() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "taskdesk").rglob("*.py")
        if path.name != "identity.py" and "getpass" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
