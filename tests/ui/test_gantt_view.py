"""The Gantt's drawn view and the cache that keeps it between reads and sessions."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.style import Style

from taskdesk.store import Store
from taskdesk.ui import plan_cache
from taskdesk.ui.gantt_data import (
    encode_view,
    keep_view,
    plan_from,
    read_inputs,
    rows_of,
    view_of,
)
from taskdesk.ui.gantt_view import (
    GanttRow,
    GanttRows,
    begin_first_read,
    cached_view,
    decode_row,
    decode_view,
    encode_row,
    read_gantt,
)
from taskdesk.ui.widgets.gantt_chart import changed_spans
from tests.ui.helpers import add_launch_plan

START = date(2026, 11, 2)  # a Monday


@pytest.fixture(autouse=True)
def fresh_memory() -> None:
    """Each test starts with nothing kept in this process's memory (files are per test:
    the cache directory is the test's own XDG_CACHE_HOME)."""
    plan_cache.forget()


@pytest.fixture
def launch(open_db: Callable[[], Store]) -> int:
    """Design (3d) → Build (5d) → Go live; Docs (2d) beside Build; Bob on Build."""
    with closing(open_db()) as store:
        add_launch_plan(store, START, bob_on_build=True)
        return store.get_container("Launch").id


# ------------------------------------------------------------------------- rows
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
rows = st.builds(
    GanttRow,
    task_id=st.integers(1, 2**40),
    depth=st.integers(0, 20),
    title=st.text(max_size=40),
    duration=st.integers(0, 5000),
    start=days,
    finish=days,
    total_float=st.integers(-5000, 5000),
    critical=st.booleans(),
    milestone=st.booleans(),
    summary=st.booleans(),
    percent=st.floats(0, 100),
    overallocated=st.booleans(),
    done=st.booleans(),
    baseline_start=st.none() | days,
    baseline_finish=st.none() | days,
)


@given(rows)
def test_a_row_survives_encoding_and_json(row: GanttRow) -> None:
    assert decode_row(json.loads(json.dumps(encode_row(row)))) == row


@given(st.lists(rows, max_size=30))
def test_stored_rows_decode_lazily_to_the_same_rows(built: list[GanttRow]) -> None:
    ids = [r.task_id for r in built]
    stored = GanttRows.stored(ids, json.loads(json.dumps([encode_row(r) for r in built])))
    assert stored.ids == ids
    assert all(value is None for value in stored._decoded)  # nothing decoded yet
    assert list(stored) == built
    assert stored == GanttRows.of(built)
    assert stored[1:3] == built[1:3]
    assert stored.encoded() == GanttRows.of(built).encoded()


def test_rows_decode_only_what_is_asked_for() -> None:
    built = [GanttRow(i, 0, f"T{i}", 1, START, START, 0) for i in range(1, 101)]
    stored = GanttRows.stored([r.task_id for r in built], [encode_row(r) for r in built])
    assert stored[57].title == "T58"
    assert sum(value is not None for value in stored._decoded) == 1


_GOOD: dict[str, object] = {
    "project": 1, "name": "P", "start": 738000, "finish": None, "deadline": None,
    "workdays": [0], "holidays": [], "ids": [1],
    "rows": ["1 0 1 738000 738000 0 0 0 0 0.0 A title with spaces"],
    "neighbours": [""], "over": {}, "error": "",
}  # fmt: skip


def test_a_good_view_decodes() -> None:
    view = decode_view(_GOOD)
    assert view is not None and view.rows[0].title == "A title with spaces"
    assert view.related(0) == set()


@pytest.mark.parametrize(
    "junk",
    [
        None,
        [],
        {"rows": []},
        {**_GOOD, "rows": [[1, 0, 1]]},  # the format before rows were text
        {**_GOOD, "rows": ["1 0 1 738000"]},  # too few fields
        {**_GOOD, "rows": ["1 0 x 738000 738000 0 0 0 0 0.0 T"]},  # not a number
        {**_GOOD, "ids": ["1"]},
        {**_GOOD, "ids": [1, 2]},  # an id per row
        {**_GOOD, "neighbours": []},  # not aligned with the rows
        {**_GOOD, "neighbours": [[2]]},
        {**_GOOD, "start": "2026-01-01"},
        {**_GOOD, "holidays": [-5]},
    ],
)
def test_a_damaged_view_is_no_view(junk: object) -> None:
    assert decode_view(junk) is None


# ------------------------------------------------------------------------ spans
def _cells(text: str) -> list[tuple[str, Style]]:
    return [(char, Style()) for char in text]


@pytest.mark.parametrize(
    ("before", "after", "spans"),
    [
        ("abcdef", "abcdef", []),
        ("abcdef", "abXdef", [(2, 3)]),
        ("abcdefghijklmnop", "Xbcdefghijklmnop", [(0, 1)]),
        ("abcdefghijklmnop", "XbcdefghijklmnoX", [(0, 1), (15, 16)]),
        ("abcdefghijklmnop", "XbcdeXghijklmnop", [(0, 6)]),  # closer than the gap: one
        ("abc", "abcd", [(0, 4)]),  # another width: the whole line
        ("abc", "", []),
    ],
)
def test_changed_spans(before: str, after: str, spans: list[tuple[int, int]]) -> None:
    assert changed_spans(_cells(before), _cells(after)) == spans


def test_a_style_change_is_a_change() -> None:
    bold = [("a", Style(bold=True)), ("b", Style())]
    assert changed_spans(_cells("ab"), bold) == [(0, 1)]


@given(st.lists(st.tuples(st.booleans(), st.booleans()), max_size=60), st.integers(1, 8))
def test_spans_cover_every_change_and_start_and_end_on_one(
    pairs: list[tuple[bool, bool]], gap: int
) -> None:
    before = _cells("".join("x" if a else "." for a, _ in pairs))
    after = _cells("".join("x" if b else "." for _, b in pairs))
    spans = changed_spans(before, after, gap)
    changed = {i for i, (a, b) in enumerate(pairs) if a != b}
    covered = {i for start, end in spans for i in range(start, end)}
    assert changed <= covered
    for start, end in spans:
        assert start in changed and end - 1 in changed  # no unchanged cell at the ends
    assert all(b[0] - a[1] >= gap for a, b in pairwise(spans))


# ------------------------------------------------------------------------ views
def test_a_view_round_trips_through_its_file_form(
    open_db: Callable[[], Store], launch: int
) -> None:
    with closing(open_db()) as store:
        plan = plan_from(read_inputs(store, launch))
    view = view_of(plan)
    assert list(view.rows) == rows_of(plan)
    assert view.finish == date(2026, 11, 11) and view.deadline == date(2026, 12, 18)
    design = view.rows.ids.index(next(r.task_id for r in view.rows if r.title == "Design"))
    titles = {r.task_id: r.title for r in view.rows}
    assert {titles[i] for i in view.related(design)} == {"Build", "Docs"}
    again = decode_view(json.loads(json.dumps(encode_view(view))))
    assert again is not None
    assert again.rows == view.rows
    assert [list(n) for n in again.neighbours] == [list(n) for n in view.neighbours]
    for name in ("project_id", "name", "start", "finish", "deadline", "workdays", "holidays"):
        assert getattr(again, name) == getattr(view, name)
    assert again.over_days == view.over_days and again.error == ""


def test_a_kept_view_is_found_only_at_the_same_state(
    open_db: Callable[[], Store], launch: int
) -> None:
    today = date.today()
    with closing(open_db()) as store:
        inputs = read_inputs(store, launch)
        view = view_of(plan_from(inputs))
        marks = (inputs.version, inputs.action)
        assert cached_view(store, launch, marks, threshold=0, today=today) is None
        keep_view(store, inputs, view, threshold=0)
        kept = cached_view(store, launch, marks, threshold=0, today=today)
        assert kept is not None and kept.rows == view.rows
        # Any other part of the key: not this view.
        assert cached_view(store, launch, marks, threshold=1, today=today) is None
        tomorrow = today + timedelta(days=1)
        assert cached_view(store, launch, marks, threshold=0, today=tomorrow) is None
        assert (
            cached_view(store, launch, (marks[0], marks[1] + 1), threshold=0, today=today) is None
        )
        build = next(r.task_id for r in view.rows if r.title == "Build")
        store.update_item(build, {"duration_days": 6.0})
        now = (store.data_version(), store.latest_action_id())
        assert cached_view(store, launch, now, threshold=0, today=today) is None
        # A read at the new state schedules again, and finds the change.
        read = read_gantt(store, launch)
        assert read.view is None and read.inputs is not None
        assert read.marks == now
        fresh = view_of(plan_from(read.inputs))
        assert next(r for r in fresh.rows if r.title == "Build").duration == 6


def test_the_kept_view_survives_the_process_memory(
    open_db: Callable[[], Store], launch: int
) -> None:
    with closing(open_db()) as store:
        inputs = read_inputs(store, launch)
        view = view_of(plan_from(inputs))
        keep_view(store, inputs, view, threshold=0)
        plan_cache.forget()  # a new process: only the file is left
        read = read_gantt(store, launch)
        assert read.inputs is None and read.view is not None
        assert read.view.rows == view.rows
        first = begin_first_read(store, launch).result(timeout=30)
        assert first.view is not None and first.view.rows == view.rows
        assert first.marks == (store.data_version(), store.latest_action_id())
        full = read_gantt(store, launch, full=True)  # an edit needs the plan itself
        assert full.view is None and full.inputs is not None


def test_cache_files_are_private_and_damage_is_a_miss(
    open_db: Callable[[], Store], launch: int
) -> None:
    with closing(open_db()) as store:
        inputs = read_inputs(store, launch)
        keep_view(store, inputs, view_of(plan_from(inputs)), threshold=0)
        directory = plan_cache.cache_dir(create=False)
        files = list(directory.iterdir())
        assert len(files) == 1 and files[0].name.startswith("gantt-")
        assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
        assert store.location not in files[0].name  # no path in the listing
        plan_cache.forget()
        files[0].write_text("{not json", encoding="utf-8")
        assert read_gantt(store, launch).view is None
        files[0].write_text(json.dumps({"key": "x", "payload": 1}), encoding="utf-8")
        assert read_gantt(store, launch).view is None


def test_an_unwritable_cache_costs_only_the_next_computation(
    open_db: Callable[[], Store], launch: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with closing(open_db()) as store:
        inputs = read_inputs(store, launch)
        view = view_of(plan_from(inputs))
        keep_view(store, inputs, view, threshold=0)  # no error
        assert read_gantt(store, launch).view is not None  # this process still has it
        plan_cache.forget()
        assert read_gantt(store, launch).view is None


def test_a_view_with_an_error_is_not_kept(open_db: Callable[[], Store], launch: int) -> None:
    with closing(open_db()) as store:
        inputs = read_inputs(store, launch)
        broken = replace(view_of(plan_from(inputs)), error="Dependency cycle: A → B")
        keep_view(store, inputs, broken, threshold=0)
        assert read_gantt(store, launch).view is None


def test_the_cache_directory_keeps_the_most_recent_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(plan_cache, "FILES_KEPT", 3)
    for number in range(5):
        plan_cache.save(f"test-{number}.json", [number], {"n": number})
        os.utime(plan_cache.cache_dir() / f"test-{number}.json", (number, number))
    plan_cache.save("test-5.json", [5], {"n": 5})
    names = sorted(path.name for path in plan_cache.cache_dir().iterdir())
    assert names == ["test-3.json", "test-4.json", "test-5.json"]
    plan_cache.forget()
    assert plan_cache.load("test-4.json", [4]) == {"n": 4}
    assert plan_cache.load("test-4.json", [5]) is None  # another key: a miss
    assert plan_cache.load("test-1.json", [1]) is None  # pruned
