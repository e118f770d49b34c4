"""``taskdesk`` starts with a child process that opens the store and reads the Board
(taskdesk.ui.launch, issue 5): what the child sends is what the parent would have read,
its errors are the parent's errors, a child that dies leaves the parent to do the work,
and the real program still shows the Board, writes, quits, and reports a broken store
before it takes over the terminal.

Forking happens in fresh interpreters (``python -c`` or the real program in a pty),
never in the test process, whose threads a fork would copy mid-step.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from taskdesk.domain.model import ParsedItem
from taskdesk.store import open_store
from taskdesk.store.errors import StoreError
from taskdesk.ui.launch import StoreOpening, forkable

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "launch.db"
    with closing(open_store(str(path), actor="tester")) as store:
        for n in range(45):  # more than the first read's 30 cards per column
            store.add_item(ParsedItem(title=f"Card {n:02d}", given={"title"}))
        store.add_item(ParsedItem(title="Fix login bug", given={"title"}))
    return path


def python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter (``sys.argv[1:]`` = ``args``)."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


CHILD_READ = """
import json, sys
from taskdesk.ui.launch import ChildStart
start = ChildStart.begin(sys.argv[1], "tester", 14, lambda: None)
place = start.place()
board = start.first.board.result(timeout=30)
marks = start.first.marks.result(timeout=30)
print(json.dumps({
    "place": [place.actor, place.location, place.backend, place.notices, place.empty],
    "marks": list(marks),
    "counts": {str(k): v for k, v in board.counts.items()},
    "pages": {str(k): [item.id for item in items] for k, items in board.pages.items()},
    "statuses": [s.name for s in board.statuses],
}))
"""


def test_the_child_opens_the_store_and_reads_what_the_board_reads(db: Path) -> None:
    from datetime import datetime, timedelta

    from taskdesk.domain.filters import Filter
    from taskdesk.ui.board_read import FIRST_PAGE_SIZE, BoardScope, read_board

    done = python(CHILD_READ, str(db))
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    with closing(open_store(str(db), actor="tester")) as store:
        since = datetime.now() - timedelta(days=14)
        expected = read_board(store, BoardScope(), Filter(), since, FIRST_PAGE_SIZE)
        assert got["place"] == ["tester", store.location, "sqlite", [], False]
        assert got["marks"] == [store.data_version(), store.latest_action_id()]
    assert got["statuses"] == [s.name for s in expected.statuses]
    assert got["counts"] == {str(k): v for k, v in expected.counts.items()}
    assert got["pages"] == {str(k): [i.id for i in items] for k, items in expected.pages.items()}
    assert [len(ids) for ids in got["pages"].values()] == [FIRST_PAGE_SIZE]


CHILD_ERROR = """
import sys
from taskdesk.ui.launch import ChildStart
start = ChildStart.begin(sys.argv[1], "tester", 14, lambda: None)
try:
    start.place()
except Exception as error:
    print(type(error).__name__)
    print(error)
    try:
        start.first.board.result(timeout=30)
    except Exception as again:
        print(type(again).__name__)
"""


def test_a_store_the_child_cannot_open_is_the_error_the_parent_would_meet(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "garbage.db"
    bad.write_bytes(b"this is not an SQLite database, not at all" * 20)
    with pytest.raises(StoreError) as here:
        open_store(str(bad), actor="tester")
    done = python(CHILD_ERROR, str(bad))
    assert done.returncode == 0, done.stderr
    name, message, later = done.stdout.splitlines()
    assert name == type(here.value).__name__
    assert message == str(here.value)
    assert later == name  # the first read has the same error: nothing waits forever
    assert bad.read_bytes().startswith(b"this is not an SQLite database")  # untouched


CHILD_DIES = """
import os, sys
from taskdesk.ui.launch import ChildGone, ChildStart
start = ChildStart.begin(sys.argv[1], "tester", 14, lambda: os._exit(3))
for future in (start.opened, start.first.marks, start.first.board):
    try:
        future.result(timeout=30)
    except ChildGone:
        print("gone")
"""


def test_a_child_that_dies_says_so_and_nothing_waits_forever(db: Path) -> None:
    done = python(CHILD_DIES, str(db))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["gone", "gone", "gone"]


def test_the_apps_own_store_opens_once_when_first_asked(db: Path) -> None:
    prepared: list[int] = []
    opening = StoreOpening(str(db), "tester", lambda: prepared.append(1))
    opening.begin()
    opening.begin()
    store = opening.wait()
    try:
        assert store.location == str(db) and store.actor == "tester"
        assert opening.wait() is store
        assert prepared == [1]
        assert store.count_items() == 46
    finally:
        store.close()


def test_an_app_store_that_cannot_open_raises_its_error(tmp_path: Path) -> None:
    bad = tmp_path / "garbage.db"
    bad.write_bytes(b"garbage" * 100)
    opening = StoreOpening(str(bad), "tester", lambda: None)
    with pytest.raises(StoreError, match="not a taskdesk database"):
        opening.wait()


def test_only_sqlite_targets_go_to_a_child() -> None:
    assert forkable("/home/me/work.db")
    assert forkable("sqlite:///home/me/work.db")
    assert not forkable("postgresql://me@db/work")
    assert not forkable("postgres://me@db/work")


# ------------------------------------------------------------ the real program in a pty


class Terminal:
    """``taskdesk`` in a pseudo-terminal of 100×30: what it wrote, and keys to send."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        import pty
        import struct
        import termios
        from fcntl import ioctl

        master, slave = pty.openpty()
        ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "TASKDESK_CONFIG": str(tmp_path / "config.toml"),
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "XDG_DATA_HOME": str(tmp_path / "data"),
        }
        env.pop("TEXTUAL", None)
        self.master = master
        self.output = b""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "taskdesk", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)

    def read_until(self, text: str, timeout: float = 30.0) -> bool:
        """Read until ``text`` is in the output (False: the program ended or time ran out)."""
        deadline = time.monotonic() + timeout
        while text.encode() not in self.output:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            ready, _w, _x = select.select([self.master], [], [], min(left, 0.2))
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    return False
                if not chunk:
                    return False
                self.output += chunk
        return True

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def wait(self, timeout: float = 30.0) -> int:
        """The exit code (the output read to the end first)."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self.read_until("\x00never\x00", timeout=0.2)
        self.read_until("\x00never\x00", timeout=0.2)
        code = self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        os.close(self.master)
        return code


def test_taskdesk_shows_the_board_writes_and_quits_in_a_terminal(db: Path, tmp_path: Path) -> None:
    """The whole program: the child's first read on screen, then a quick-add written
    through the store this process opened after the first frame."""
    terminal = Terminal(tmp_path, "--db", str(db))
    try:
        assert terminal.read_until("Card 00"), terminal.output[-2000:]
        terminal.send("a")
        assert terminal.read_until("Add an item")
        terminal.send("Written after start-up\r")
        deadline = time.monotonic() + 30
        found: list[str] = []
        while not found and time.monotonic() < deadline:
            terminal.read_until("\x00never\x00", timeout=0.2)
            with closing(open_store(str(db), actor="tester")) as store:
                found = [i.title for i in store.list_items() if i.title.startswith("Written")]
        assert found == ["Written after start-up"]
        terminal.send("q")
        assert terminal.wait() == 0
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
            terminal.process.wait()


def test_a_broken_store_is_one_message_before_the_terminal_is_taken(tmp_path: Path) -> None:
    bad = tmp_path / "garbage.db"
    bad.write_bytes(b"garbage" * 100)
    terminal = Terminal(tmp_path, "--db", str(bad))
    try:
        assert terminal.wait() == 2
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
            terminal.process.wait()
    text = terminal.output.decode(errors="replace")
    assert "taskdesk: " in text and "is not a taskdesk database" in text
    assert "\x1b[?1049h" not in text  # never switched to the full-screen buffer
    assert bad.read_bytes() == b"garbage" * 100
