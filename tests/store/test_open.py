"""Opening stores: schema, workflow, permissions, bad files, versions, journal, backup."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from taskdesk.domain.model import ParsedItem, StatusCategory
from taskdesk.store import Store, migrations, open_store
from taskdesk.store.db import filesystem_type, network_filesystem, open_sqlite, redact_url
from taskdesk.store.errors import StoreError, StoreLocked, StoreUnavailable

EXPECTED_TABLES = {
    "schema_meta", "revision", "person", "person_time_off", "container", "project_member",
    "status", "series", "item", "tag", "item_tag", "assignment", "dependency", "comment",
    "action", "activity", "baseline", "baseline_task", "risk", "stakeholder", "sla_policy",
}  # fmt: skip


def test_schema_created_with_every_table(store: Store) -> None:
    assert set(store.db.get_tables()) >= EXPECTED_TABLES
    assert store.schema_version() == migrations.latest_version() >= 2


def test_item_indexes_exist(store: Store) -> None:
    indexes = {tuple(ix.columns): ix.unique for ix in store.db.get_indexes("item")}
    assert indexes[("status_id", "position")] is False
    assert indexes[("series_id", "occurrence")] is True
    assert ("container_id",) in indexes and ("due",) in indexes
    activity = {tuple(ix.columns) for ix in store.db.get_indexes("activity")}
    assert ("item_id", "at") in activity and ("action_id",) in activity


def test_default_workflow_seeded(store: Store) -> None:
    got = [(s.name, s.category.value, s.wip_max) for s in store.statuses()]
    assert got == [
        ("Backlog", "backlog", None),
        ("To do", "unstarted", None),
        ("In progress", "started", 5),
        ("Review", "started", 3),
        ("Done", "completed", None),
        ("Cancelled", "cancelled", None),
    ]
    assert store.first_status(StatusCategory.STARTED).name == "In progress"
    assert [s.position for s in store.statuses()] == sorted(s.position for s in store.statuses())


def test_reopen_keeps_data_and_does_not_reseed(store: Store, open_as) -> None:
    store.add_item(ParsedItem(title="Keep me"))
    again = open_as("bob")
    assert [i.title for i in again.list_items()] == ["Keep me"]
    assert len(again.statuses()) == 6


def test_is_empty_and_data_version(store: Store, open_as) -> None:
    other = open_as("bob")
    assert store.is_empty()
    before = other.data_version()
    store.add_item(ParsedItem(title="x"))
    assert not store.is_empty()
    assert other.data_version() != before


def test_backend_and_location(store: Store, target: str) -> None:
    assert store.backend in ("sqlite", "postgresql")
    assert store.actor == "alice"
    if store.backend == "sqlite":
        assert store.location == str(Path(target).absolute())
    else:
        assert store.location.startswith("postgresql://")


# ----------------------------------------------------------------- SQLite files
def test_new_file_and_directory_are_owner_only(sqlite_path: Path) -> None:
    store = open_store(str(sqlite_path), actor="a")
    store.add_item(ParsedItem(title="private"))
    assert stat.S_IMODE(sqlite_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(sqlite_path.parent.stat().st_mode) == 0o700
    for suffix in ("-wal", "-shm"):
        side = Path(f"{sqlite_path}{suffix}")
        if side.exists():
            assert stat.S_IMODE(side.stat().st_mode) & 0o077 == 0
    store.close()


def test_wal_and_pragmas(sqlite_path: Path) -> None:
    store = open_store(str(sqlite_path), actor="a")
    conn = store.db.connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert store.notices == []
    store.close()


def test_sqlite_url(tmp_path: Path) -> None:
    path = tmp_path / "u.db"
    store = open_store(f"sqlite:///{path}", actor="a")  # 3 slashes + absolute path = 4
    assert store.backend == "sqlite" and Path(store.location) == path
    store.close()


@pytest.mark.parametrize(
    "content",
    [os.urandom(4096), b"this is a text file\nwith lines\n", b"SQLite format 2\x00" + b"x" * 100],
    ids=["random", "text", "almost"],
)
def test_garbage_file_is_refused_untouched(sqlite_path: Path, content: bytes) -> None:
    sqlite_path.parent.mkdir(parents=True)
    sqlite_path.write_bytes(content)
    with pytest.raises(
        StoreUnavailable, match=r"is not a taskdesk database \(file is not a database\)"
    ):
        open_store(str(sqlite_path), actor="a")
    assert sqlite_path.read_bytes() == content
    assert not Path(f"{sqlite_path}-wal").exists()


def test_corrupt_sqlite_body_is_refused(sqlite_path: Path) -> None:
    sqlite_path.parent.mkdir(parents=True)
    content = b"SQLite format 3\x00" + os.urandom(4000)
    sqlite_path.write_bytes(content)
    with pytest.raises(StoreUnavailable, match="not a taskdesk database"):
        open_store(str(sqlite_path), actor="a")
    assert sqlite_path.read_bytes() == content


def test_foreign_sqlite_database_is_refused(sqlite_path: Path) -> None:
    sqlite_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(sqlite_path)
    conn.execute("CREATE TABLE other (x)")
    conn.commit()
    conn.close()
    before = sqlite_path.read_bytes()
    with pytest.raises(StoreUnavailable, match="holds other tables"):
        open_store(str(sqlite_path), actor="a")
    assert sqlite_path.read_bytes() == before


def test_missing_file_without_create(sqlite_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="no taskdesk database"):
        open_store(str(sqlite_path), actor="a", create=False)
    assert not sqlite_path.exists()


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="is a directory"):
        open_store(str(tmp_path), actor="a")


def test_bad_urls() -> None:
    with pytest.raises(StoreUnavailable):
        open_store("nosuch://host/db", actor="a")
    with pytest.raises(StoreUnavailable, match="names no database file"):
        open_store("sqlite://", actor="a")
    with pytest.raises(StoreUnavailable, match="Cannot connect"):
        open_store("postgresql://nobody:secret@127.0.0.1:1/none", actor="a")


def test_redact_url() -> None:
    assert redact_url("postgresql://bob:secret@db:5432/x") == "postgresql://bob@db:5432/x"
    assert redact_url("postgresql://db/x") == "postgresql://db/x"


def test_newer_schema_is_refused(sqlite_path: Path) -> None:
    store = open_store(str(sqlite_path), actor="a")
    store.tables.meta.update(value="99").where(store.tables.meta.key == "version").execute()
    store.close()
    with pytest.raises(StoreUnavailable, match=r"newer taskdesk \(schema version 99"):
        open_store(str(sqlite_path), actor="a")


def test_migration_from_older_version_takes_a_backup(
    sqlite_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(str(sqlite_path), actor="a")
    store.add_item(ParsedItem(title="before the upgrade"))
    store.close()
    old_version = migrations.latest_version()
    new_version = old_version + 1  # a step after the real ones

    ran: list[int] = []

    def step_next(ctx: migrations.MigrationContext) -> None:
        from peewee import TextField
        from playhouse.migrate import migrate

        ran.append(new_version)
        migrate(ctx.migrator.add_column("item", "colour", TextField(default="")))

    monkeypatch.setitem(migrations.STEPS, new_version, step_next)
    upgraded = open_store(str(sqlite_path), actor="a")
    assert ran == [new_version]
    assert upgraded.schema_version() == new_version
    backups = sorted(sqlite_path.parent.glob(f"taskdesk.db.bak-v{old_version}-*"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    assert any(f"bak-v{old_version}-" in n for n in upgraded.notices)
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT value FROM schema_meta WHERE key='version'").fetchone() == (
        str(old_version),
    )
    assert old.execute("SELECT title FROM item").fetchall() == [("before the upgrade",)]
    assert "colour" not in [r[1] for r in old.execute("PRAGMA table_info(item)")]
    old.close()
    assert [i.title for i in upgraded.list_items()] == ["before the upgrade"]
    upgraded.close()
    assert open_store(str(sqlite_path), actor="a").schema_version() == new_version  # no rerun
    assert ran == [new_version]


def test_failed_migration_rolls_back(sqlite_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(str(sqlite_path), actor="a").close()
    current = migrations.latest_version()

    def broken(ctx: migrations.MigrationContext) -> None:
        ctx.tables.meta.insert(key="half", value="done").execute()
        raise RuntimeError("step failed")

    monkeypatch.setitem(migrations.STEPS, current + 1, broken)
    with pytest.raises(RuntimeError):
        open_store(str(sqlite_path), actor="a")
    monkeypatch.delitem(migrations.STEPS, current + 1)
    store = open_store(str(sqlite_path), actor="a")
    assert store.schema_version() == current
    assert store.tables.meta.get_or_none(store.tables.meta.key == "half") is None


# -------------------------------------------------------------- network filesystems
MOUNTS = """\
sysfs /sys sysfs rw 0 0
/dev/sda1 / ext4 rw 0 0
server:/export /home/shared nfs4 rw 0 0
//nas/team /mnt/team\\040drive cifs rw 0 0
alice@host:/ /mnt/ssh fuse.sshfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "fstype"),
    [
        ("/home/shared/t.db", "nfs4"),
        ("/home/sharedother/t.db", "ext4"),
        ("/mnt/team drive/t.db", "cifs"),
        ("/mnt/ssh/x/t.db", "fuse.sshfs"),
        ("/tmp/t.db", "ext4"),
    ],
)
def test_filesystem_type_longest_mount_wins(path: str, fstype: str) -> None:
    assert filesystem_type(Path(path), MOUNTS) == fstype


def test_network_filesystem_uses_rollback_journal(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\nsrv:/x {tmp_path} nfs rw 0 0\n")
    assert network_filesystem(tmp_path / "t.db", str(mounts)) == "nfs"
    with pytest.raises(StoreUnavailable, match="PostgreSQL"):  # refused unless overridden
        open_sqlite(str(tmp_path / "t.db"), create=True, mounts_file=str(mounts))
    assert not (tmp_path / "t.db").exists()
    opened = open_sqlite(
        str(tmp_path / "t.db"), create=True, mounts_file=str(mounts), allow_network_fs=True
    )
    mode = opened.db.execute_sql("PRAGMA journal_mode").fetchone()[0]
    assert mode == "delete"
    assert any("network filesystem (nfs)" in n for n in opened.notices)
    opened.db.close()


def test_unreadable_mounts_file_means_local(tmp_path: Path) -> None:
    assert network_filesystem(tmp_path / "t.db", str(tmp_path / "missing")) is None


# ------------------------------------------------------------------- locking
def test_locked_database_raises_store_locked(sqlite_path: Path) -> None:
    store = open_store(str(sqlite_path), actor="a", busy_timeout_ms=50)
    blocker = sqlite3.connect(sqlite_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreLocked, match="stayed locked"):
            store.add_item(ParsedItem(title="blocked"))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert store.add_item(ParsedItem(title="later")).title == "later"
    assert [i.title for i in store.list_items()] == ["later"]


# -------------------------------------------------------------------- backup
def test_backup_is_consistent_and_private(store: Store, tmp_path: Path) -> None:
    store.add_item(ParsedItem(title="saved"))
    if store.backend != "sqlite":
        with pytest.raises(StoreError, match="pg_dump"):
            store.backup(tmp_path / "b.db")
        return
    dest = store.backup(tmp_path / "copies" / "b.db")
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    copy = open_store(str(dest), actor="a", create=False)
    assert [i.title for i in copy.list_items()] == ["saved"]
    copy.close()
    default = store.backup()
    assert default.parent == Path(store.location).parent and default.exists()


def test_backup_while_another_thread_writes(sqlite_path: Path, tmp_path: Path) -> None:
    store = open_store(str(sqlite_path), actor="a")
    for n in range(20):
        store.add_item(ParsedItem(title=f"item {n}"))
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for n in range(30):
                store.add_item(ParsedItem(title=f"more {n}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    dest = store.backup(tmp_path / "live.db")
    thread.join()
    assert not errors
    copy = open_store(str(dest), actor="a", create=False)
    assert 20 <= len(copy.list_items()) <= 50
    copy.close()
