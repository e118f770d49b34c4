"""Writers of one SQLite file take turns through a sidecar flock (store/writers.py)."""

from __future__ import annotations

import fcntl
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from taskdesk.domain.model import ParsedItem
from taskdesk.store import open_store
from taskdesk.store.writers import WriterTurns, sidecar_path


def _db(tmp_path: Path, mode: int = 0o600) -> Path:
    path = tmp_path / "t.db"
    path.write_bytes(b"")
    path.chmod(mode)
    return path


def test_a_write_takes_and_releases_the_turn(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = open_store(str(db), actor="a")
    store.add_item(ParsedItem(title="x"))
    side = sidecar_path(db)
    assert side.name == "s.db-writers" and side.exists()
    fd = os.open(side, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again after the write
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
    store.close()


def test_the_sidecar_gets_the_database_permissions(tmp_path: Path) -> None:
    for mode in (0o600, 0o660):
        db = _db(tmp_path, mode)
        turns = WriterTurns(db, 1.0)
        with turns.turn() as held:
            assert held
        turns.close()
        assert stat.S_IMODE(sidecar_path(db).stat().st_mode) == mode
        sidecar_path(db).unlink()


def test_a_turn_held_elsewhere_is_waited_for_then_given(tmp_path: Path) -> None:
    db = _db(tmp_path)
    other = os.open(sidecar_path(db), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(other, fcntl.LOCK_EX)
    release = threading.Timer(0.2, lambda: fcntl.flock(other, fcntl.LOCK_UN))
    release.start()
    turns = WriterTurns(db, 5.0)
    started = time.monotonic()
    with turns.turn() as held:
        waited = time.monotonic() - started
        assert held
    assert waited >= 0.15  # it did wait for the other holder (no upper bound asserted)
    release.join()
    os.close(other)
    turns.close()


def test_a_turn_that_never_comes_lets_the_write_go_ahead(tmp_path: Path) -> None:
    db = _db(tmp_path)
    other = os.open(sidecar_path(db), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(other, fcntl.LOCK_EX)
    turns = WriterTurns(db, 0.05)
    with turns.turn() as held:
        assert held is False
    os.close(other)
    turns.close()


def test_a_symlinked_sidecar_is_not_followed(tmp_path: Path) -> None:
    db = _db(tmp_path)
    target = tmp_path / "elsewhere"
    target.write_text("keep")
    sidecar_path(db).symlink_to(target)
    turns = WriterTurns(db, 0.1)
    with turns.turn() as held:
        assert held is False
    assert target.read_text() == "keep"


def test_an_unwritable_directory_means_no_turns_but_writes_still_work(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    db = _db(tmp_path)
    tmp_path.chmod(0o500)
    try:
        turns = WriterTurns(db, 0.1)
        with turns.turn() as held:
            assert held is False
    finally:
        tmp_path.chmod(0o700)


def test_threads_of_one_process_take_turns(tmp_path: Path) -> None:
    db = _db(tmp_path)
    turns = WriterTurns(db, 5.0)
    inside = 0
    most = 0
    guard = threading.Lock()

    def write() -> None:
        nonlocal inside, most
        for _ in range(20):
            with turns.turn():
                with guard:
                    inside += 1
                    most = max(most, inside)
                time.sleep(0.0005)
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    turns.close()
    assert most == 1
