"""``taskdesk export --format ical`` and ``taskdesk import FILE.ics`` as a user runs them.

The demo workspace goes out as iCalendar and into a fresh store: every item comes back
with its title, dates, priority, tags, project, assignees and recurrence; a second
import changes nothing; a broken file is refused whole (exit 2, the line named).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import run_taskdesk

KEPT = (
    *("uuid", "title", "category", "priority", "due", "start", "wait", "tags", "project"),
    *("assignees", "recurrence", "notes", "milestone", "estimate_minutes"),
)


def items_of(env: dict[str, str], db: Path) -> dict[str, dict[str, Any]]:
    """Every item of the store (every status), by uuid, with the fields a round trip keeps."""
    done = run_taskdesk(env, "--db", str(db), "export", "--format", "json")
    assert done.returncode == 0, done.stderr
    return {x["uuid"]: {k: x[k] for k in KEPT} for x in json.loads(done.stdout)}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo workspace and its iCalendar export, made once for this module."""
    root = tmp_path_factory.mktemp("ical-demo")
    child = {k: v for k, v in os.environ.items() if not k.startswith("TASKDESK_")}
    child.update(TASKDESK_USER="tester", TASKDESK_CONFIG=str(root / "config.toml"))
    source, ics = root / "source.db", root / "demo.ics"
    assert run_taskdesk(child, "--db", str(source), "demo").returncode == 0
    done = run_taskdesk(child, "--db", str(source), "export", "--format", "ical", "-o", str(ics))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Exported 63 to-dos, 6 events to {ics}.\n"
    return source, ics


@pytest.fixture
def exported(tmp_path: Path, demo: tuple[Path, Path]) -> tuple[Path, Path]:
    """A private copy of the demo store and of its export, for one test to change."""
    source, ics = tmp_path / "source.db", tmp_path / "demo.ics"
    shutil.copy(demo[0], source)
    shutil.copy(demo[1], ics)
    return source, ics


def text_of(path: Path) -> str:
    """The file as written (CRLF line ends kept)."""
    return path.read_bytes().decode("utf-8")


def test_export_import_round_trip_keeps_the_items(
    env: dict[str, str], tmp_path: Path, exported: tuple[Path, Path]
) -> None:
    source, ics = exported
    target = tmp_path / "target.db"
    done = run_taskdesk(env, "--db", str(target), "import", str(ics))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"Imported 67 items from {ics}: 67 new, 0 updated, 0 unchanged.\n"
    before, after = items_of(env, source), items_of(env, target)
    for x in before.values():  # a closed occurrence of a routine is history: no rule
        if x["category"] in ("completed", "cancelled"):
            x["recurrence"] = None
    assert after == before
    assert any(x["recurrence"] for x in after.values())
    assert any(x["tags"] for x in after.values())
    assert any(x["milestone"] for x in after.values())


def test_importing_twice_updates_instead_of_duplicating(
    env: dict[str, str], tmp_path: Path, exported: tuple[Path, Path]
) -> None:
    _, ics = exported
    target = tmp_path / "target.db"
    assert run_taskdesk(env, "--db", str(target), "import", str(ics)).returncode == 0
    first = items_of(env, target)
    done = run_taskdesk(env, "--db", str(target), "import", "--format", "ical", str(ics))
    assert done.stdout == f"Imported 67 items from {ics}: 0 new, 0 updated, 67 unchanged.\n"
    assert items_of(env, target) == first


def test_a_changed_file_updates_the_items(
    env: dict[str, str], tmp_path: Path, exported: tuple[Path, Path]
) -> None:
    source, ics = exported
    text = text_of(ics)
    ics.write_bytes(text.replace("SUMMARY:Build the API", "SUMMARY:Build the public API").encode())
    done = run_taskdesk(env, "--db", str(source), "import", str(ics))
    assert done.stdout == f"Imported 67 items from {ics}: 0 new, 1 updated, 66 unchanged.\n"
    titles = [x["title"] for x in items_of(env, source).values()]
    assert "Build the public API" in titles and "Build the API" not in titles


@pytest.mark.parametrize("fault", ["missing END", "bad date"])
def test_a_broken_file_is_refused_whole(
    env: dict[str, str], tmp_path: Path, exported: tuple[Path, Path], fault: str
) -> None:
    _, ics = exported
    lines = text_of(ics).split("\r\n")
    last_todo = max(n for n, line in enumerate(lines) if line == "END:VTODO")
    if fault == "missing END":  # the last VTODO is still open when the calendar ends
        del lines[last_todo]
        begin = max(n for n, line in enumerate(lines) if line == "BEGIN:VTODO") + 1
        expected = (
            f"line {lines.index('END:VCALENDAR') + 1}: END:VCALENDAR while BEGIN:VTODO "
            f"of line {begin} is still open (missing END:VTODO?)"
        )
    else:
        lines.insert(last_todo, "DUE:2026-02-30")
        expected = f"line {last_todo + 1}: VTODO #63: DUE: "
    broken = tmp_path / "broken.ics"
    broken.write_bytes("\r\n".join(lines).encode())
    target = tmp_path / "target.db"
    assert run_taskdesk(env, "--db", str(target), "add", "Keep me").returncode == 0
    done = run_taskdesk(env, "--db", str(target), "import", str(broken))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"taskdesk: {broken}: {expected}")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert [x["title"] for x in items_of(env, target).values()] == ["Keep me"]


def test_a_missing_file_is_bad_input(env: dict[str, str], tmp_path: Path) -> None:
    done = run_taskdesk(env, "--db", str(tmp_path / "t.db"), "import", str(tmp_path / "no.ics"))
    assert done.returncode == 2
    assert done.stderr.startswith(f"taskdesk: {tmp_path / 'no.ics'}: cannot read the file")


def test_export_of_one_project_holds_its_items_and_deadline(
    env: dict[str, str], exported: tuple[Path, Path]
) -> None:
    source, _ = exported
    done = run_taskdesk(
        env, "--db", str(source), "export", "--format", "ical", "--project", "Mobile app launch"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("BEGIN:VCALENDAR\n")  # text mode reads CRLF as a newline
    assert "SUMMARY:Deadline: Mobile app launch" in done.stdout
    assert "Annual conference" not in done.stdout
    assert {line for line in done.stdout.splitlines() if line.startswith("X-TASKDESK-PROJECT")} == {
        "X-TASKDESK-PROJECT:Mobile app launch"
    }
