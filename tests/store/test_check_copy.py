"""``check_store`` finds what is wrong, in words; ``copy_store`` moves a whole store
between backends, verified, all or nothing."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from taskdesk.demo import build_demo
from taskdesk.domain.model import ParsedItem
from taskdesk.store import Store, copy, open_store
from taskdesk.store.check import check_store, find_cycles
from taskdesk.store.copy import copy_store, digest_table
from taskdesk.store.errors import StoreError, ValidationError


def _demo(path: Path) -> Path:
    store = open_store(str(path), actor="alice")
    build_demo(store, today=date(2026, 11, 25))
    item = store.add_item(ParsedItem(title="Child"))
    parent = store.add_item(ParsedItem(title="Parent, created after its child"))
    store.update_item(item.id, {"parent_id": parent.id, "notes": "ünïcode ✓\nline two"})
    store.close()
    return path


def _raw(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=OFF")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def _digests(store: Store) -> list[tuple[str, int, str]]:
    return [(d.name, d.rows, d.checksum) for d in map(digest_table, store.tables.all())]


# ------------------------------------------------------------------------ check
def test_check_a_sound_store(store: Store) -> None:
    store.add_item(ParsedItem(title="fine"))
    report = check_store(store)
    assert report.ok, report.problems
    assert report.counts["items"] == 1
    assert report.lines()[-1] == "No problems found."


def test_check_finds_broken_references_and_cycles(tmp_path: Path) -> None:
    path = _demo(tmp_path / "t.db")
    _raw(
        path,
        "UPDATE item SET status_id = 999 WHERE id = 1",
        "INSERT INTO dependency (predecessor_id, successor_id, type, lag_days) "
        "VALUES (3, 2, 'FS', 0), (2, 3, 'FS', 0)",
        "UPDATE item SET parent_id = 4 WHERE id = 5",
        "UPDATE item SET parent_id = 5 WHERE id = 4",
        "INSERT INTO revision (value) VALUES (7)",
        "DELETE FROM status WHERE category = 'started'",
    )
    store = open_store(str(path), actor="a", read_only=True)
    report = check_store(store)
    store.close()
    text = "\n".join(report.problems)
    assert not report.ok
    assert "item rows that refer to a missing status: 1" in text  # foreign_key_check
    assert "items whose status does not exist: 1" in text
    assert "dependency cycle: 2 → 3 → 2" in text
    assert "parent cycle (an item inside itself): 4 → 5 → 4" in text
    assert "2 revision counters" in text
    assert "the workflow has no started column" in text
    assert report.lines()[-1].endswith("problems found.")


def test_check_finds_duplicate_occurrences(tmp_path: Path) -> None:
    path = _demo(tmp_path / "t.db")
    conn = sqlite3.connect(path)
    (series_id, occurrence, item_id) = conn.execute(
        "SELECT series_id, occurrence, id FROM item WHERE series_id IS NOT NULL LIMIT 1"
    ).fetchone()
    columns = [r[1] for r in conn.execute("PRAGMA table_info(item)") if r[1] not in ("id", "uuid")]
    conn.close()
    names = ", ".join(columns)
    _raw(
        path,
        "DROP INDEX item_series_id_occurrence",
        f"INSERT INTO item (uuid, {names}) "
        f"SELECT 'dup-uuid', {names} FROM item WHERE id = {item_id}",
    )
    store = open_store(str(path), actor="a", read_only=True)
    problems = check_store(store).problems
    store.close()
    assert f"series {series_id} has 2 items for the occurrence of {occurrence}" in problems


def test_check_reports_a_damaged_file(tmp_path: Path) -> None:
    path = _demo(tmp_path / "t.db")
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, len(data) - page, page * 2):  # scribble on many pages
        data[offset + 100 : offset + 400] = b"\xff" * 300
    path.write_bytes(bytes(data))
    try:
        store = open_store(str(path), actor="a", read_only=True)
    except StoreError as exc:  # damaged beyond opening: also a clear sentence
        assert "damaged" in str(exc) or "not a taskdesk database" in str(exc)
        return
    report = check_store(store)
    store.close()
    assert not report.ok
    assert any("integrity" in p or "damaged" in p for p in report.problems)


def test_find_cycles() -> None:
    assert find_cycles([(1, 2), (2, 3)]) == []
    assert find_cycles([(1, 2), (2, 3), (3, 1)]) == [[1, 2, 3, 1]]
    assert find_cycles([(5, 5)]) == [[5, 5]]
    chain = [(n, n + 1) for n in range(20_000)]  # deep: no recursion limit
    assert find_cycles([*chain, (20_000, 0)])[0][:3] == [0, 1, 2]


# ------------------------------------------------------------------------- copy
def test_copy_sqlite_to_each_backend_and_back(tmp_path: Path, target: str) -> None:
    source = _demo(tmp_path / "source.db")
    there = copy_store(str(source), target)
    assert there.total > 500 and {t.name for t in there.tables} >= {"item", "activity"}
    back = copy_store(target, str(tmp_path / "back.db"))
    assert [(t.name, t.rows, t.checksum) for t in back.tables] == [
        (t.name, t.rows, t.checksum) for t in there.tables
    ]
    original = open_store(str(source), actor="a", read_only=True)
    copied = open_store(target, actor="alice")
    try:
        assert _digests(copied) == _digests(original)
        before = {i.id: (i.title, i.parent_id, i.tags, i.due) for i in original.list_items()}
        after = {i.id: (i.title, i.parent_id, i.tags, i.due) for i in copied.list_items()}
        assert after == before
        assert copied.undo().startswith("Undid: ")  # history came along, as alice's
        new = copied.add_item(ParsedItem(title="after the move"))  # ids continue
        assert new.id == max(before) + 1
        assert check_store(copied).ok
    finally:
        original.close()
        copied.close()


def test_copy_refuses_a_target_that_is_not_empty(tmp_path: Path, target: str) -> None:
    source = _demo(tmp_path / "source.db")
    used = open_store(target, actor="a")
    used.add_item(ParsedItem(title="already here"))
    used.close()
    with pytest.raises(ValidationError, match="is not empty"):
        copy_store(str(source), target)
    again = open_store(target, actor="a")
    assert [i.title for i in again.list_items()] == ["already here"]
    again.close()


def test_copy_refuses_a_changed_workflow_and_itself(tmp_path: Path) -> None:
    source = _demo(tmp_path / "source.db")
    with pytest.raises(ValidationError):
        copy_store(str(source), str(source))
    custom = tmp_path / "custom.db"
    store = open_store(str(custom), actor="a")
    status = store.statuses()[0]
    store.set_wip_limits(status.id, wip_max=3)
    store.tables.status.update(name="Ideas").where(store.tables.status.id == status.id).execute()
    store.close()
    with pytest.raises(ValidationError, match="workflow was changed"):
        copy_store(str(source), str(custom))


def test_failed_verification_writes_nothing(
    tmp_path: Path, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _demo(tmp_path / "source.db")
    real = copy.digest_table

    def lying(table: object) -> copy.TableCopy:
        got = real(table)  # type: ignore[arg-type]
        if got.name == "activity":
            return copy.TableCopy(got.name, got.rows, "0" * 64)
        return got

    monkeypatch.setattr(copy, "digest_table", lying)
    with pytest.raises(StoreError, match="Verifying the copy failed for table activity"):
        copy_store(str(source), target)
    if "://" not in target:
        assert not Path(target).exists()  # the file this copy created is gone again
        return
    monkeypatch.undo()
    after = open_store(target, actor="a")
    assert after.is_empty() and after.tables.activity.select().count() == 0
    after.close()
    assert copy_store(str(source), target).total > 500  # and the store is still usable


def test_missing_source_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="There is no taskdesk database"):
        copy_store(str(tmp_path / "typo.db"), str(tmp_path / "new.db"))
    assert not (tmp_path / "new.db").exists() and not (tmp_path / "typo.db").exists()
