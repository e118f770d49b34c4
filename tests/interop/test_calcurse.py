"""Real calendar software reads taskdesk's iCalendar export: Debian's calcurse.

calcurse imports an .ics file (``-i``) into a private data directory (``-D``) and prints
what it stored in its own data-file format (``-G``): to-dos as ``[PRIORITY] TITLE``
(a completed one with a negative priority), events as ``MM/DD/YYYY [1] TITLE`` with
``{1W -> MM/DD/YYYY w5}`` for a rule. It reads SUMMARY, PRIORITY, STATUS:COMPLETED
and DESCRIPTION (as a note) of a VTODO, and DTSTART/DTEND/DURATION, RRULE (FREQ,
INTERVAL, COUNT, UNTIL, BYDAY) and SUMMARY of a VEVENT; it has no due dates for to-dos.
Its own export (``-x``) then comes back into taskdesk, so the round trip
taskdesk → .ics → calcurse → .ics → taskdesk is checked too.

In CI (``CI=true``) a missing calcurse is a failure, not a skip: `.ci/run` installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from taskdesk.domain.model import (
    Container,
    ContainerKind,
    Item,
    Priority,
    Recurrence,
    StatusCategory,
)
from taskdesk.interop.ical import export_calendar, parse_ical

NOW = datetime(2026, 3, 1, 12, 0)


@pytest.fixture
def calcurse() -> str:
    """The calcurse binary; missing: a failure in CI, a skip elsewhere."""
    path = shutil.which("calcurse")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("calcurse is not installed (.ci/run installs it with apt-get)")
        pytest.skip("calcurse is not installed (apt-get install calcurse)")
    return path


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """calcurse and taskdesk both read local time: pin it."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def run(calcurse: str, data: Path, *args: str) -> str:
    """One calcurse command on the private data directory ``data``; its stdout."""
    done = subprocess.run(
        [calcurse, "-D", str(data), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "HOME": str(data)},
    )
    return done.stdout


def item(number: int, title: str, **changes: object) -> Item:
    base = Item(
        id=number, uuid=f"00000000-0000-4000-8000-{number:012d}", title=title, status_id=1,
        status="Todo", category=StatusCategory.UNSTARTED,
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


ITEMS = [
    item(1, "Write the blog post", priority=Priority.HIGH, due=datetime(2026, 3, 6, 17, 0)),
    item(2, "Renew the TLS certificate", priority=Priority.MEDIUM, notes="Ask ops first"),
    item(3, "Tidy the wiki", priority=Priority.LOW, tags=("chores",)),
    item(4, "Someday: learn Rust"),
    item(5, "Send the invoices", priority=Priority.MEDIUM, category=StatusCategory.COMPLETED),
    item(6, "Beta released", milestone=True, due=datetime(2026, 3, 5, 17, 0)),
    item(
        7,
        "Sprint review",
        milestone=True,
        due=datetime(2026, 3, 6),
        recurrence=Recurrence("FREQ=WEEKLY;BYDAY=FR;COUNT=3"),
    ),
    item(
        8,
        "Board meeting",
        milestone=True,
        start=datetime(2026, 3, 31, 9, 0),
        recurrence=Recurrence("FREQ=MONTHLY;INTERVAL=2;UNTIL=20261231"),
    ),
]
LAUNCH = Container(id=3, name="Launch", kind=ContainerKind.PROJECT, deadline=date(2026, 4, 30))


@pytest.fixture
def imported(calcurse: str, tmp_path: Path) -> tuple[str, Path]:
    """taskdesk's export of ITEMS and LAUNCH, imported by calcurse: its report, its data."""
    ics = tmp_path / "taskdesk.ics"
    ics.write_text(export_calendar(ITEMS, projects=[LAUNCH], now=NOW).text, encoding="utf-8")
    data = tmp_path / "calcurse"
    data.mkdir()
    return run(calcurse, data, "-i", str(ics)), data


def test_calcurse_imports_every_component(imported: tuple[str, Path]) -> None:
    report, _ = imported
    assert report.splitlines() == [
        "Import process report: 0090 lines read",
        "0 apps / 4 events / 5 todos / 0 skipped",
    ]


def test_calcurse_reads_titles_priorities_and_completion(
    calcurse: str, imported: tuple[str, Path]
) -> None:
    _, data = imported
    raw = run(calcurse, data, "-G", "--filter-type", "todo").splitlines()
    todos = sorted(re.sub(r"^(\[-?\d\])>[0-9a-f]+ ", r"\1 ", line) for line in raw)
    assert todos == [
        "[-5] Send the invoices",  # completed: calcurse negates the priority
        "[0] Someday: learn Rust",
        "[1] Write the blog post",
        "[5] Renew the TLS certificate",
        "[9] Tidy the wiki",
    ]
    notes = [line for line in raw if ">" in line]
    assert len(notes) == 1 and notes[0].endswith("Renew the TLS certificate")


def test_calcurse_reads_milestones_deadlines_and_rules(
    calcurse: str, imported: tuple[str, Path]
) -> None:
    _, data = imported
    events = run(calcurse, data, "-G", "--filter-type", "event,recur-event").splitlines()
    assert sorted(events) == [
        "03/05/2026 [1] Beta released",
        "03/06/2026 [1] {1W -> 03/20/2026 w5} Sprint review",  # COUNT=3 → until the 3rd
        "03/31/2026 [1] {2M -> 12/31/2026} Board meeting",
        "04/30/2026 [1] Deadline: Launch",
    ]
    day = run(calcurse, data, "-Q", "--filter-type", "cal", "--from", "03/13/2026")
    assert day.splitlines() == ["03/13/26:", " * Sprint review"]


def test_calcurse_export_comes_back_into_taskdesk(
    calcurse: str, imported: tuple[str, Path]
) -> None:
    _, data = imported
    back = run(calcurse, data, "-x", "--export-uid")
    records = parse_ical(back.encode("utf-8"), name="calcurse.ics", today=NOW.date())
    got = sorted(
        (r.title, r.priority, r.state, r.start, r.recurrence and r.recurrence.rrule)
        for r in records
    )
    done, unstarted = StatusCategory.COMPLETED, StatusCategory.UNSTARTED
    assert got == [
        ("Beta released", None, unstarted, datetime(2026, 3, 5), None),
        (
            "Board meeting",
            None,
            unstarted,
            datetime(2026, 3, 31),
            "FREQ=MONTHLY;INTERVAL=2;UNTIL=20261231",
        ),
        ("Deadline: Launch", None, unstarted, datetime(2026, 4, 30), None),
        ("Renew the TLS certificate", Priority.MEDIUM, unstarted, None, None),
        ("Send the invoices", Priority.MEDIUM, done, None, None),
        ("Someday: learn Rust", None, unstarted, None, None),
        (
            "Sprint review",
            None,
            unstarted,
            datetime(2026, 3, 6),
            "FREQ=WEEKLY;BYDAY=FR;UNTIL=20260320",
        ),
        ("Tidy the wiki", Priority.LOW, unstarted, None, None),
        ("Write the blog post", Priority.HIGH, unstarted, None, None),
    ]
    notes = {r.title: r.notes for r in records}
    assert notes["Renew the TLS certificate"] == "Ask ops first"
