"""The lines of a calendar day cell (pure: no terminal): what fits, what folds into
"⋯ N ongoing", and "+N more" counting exactly what is not shown."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from taskdesk.domain.calendar import Entry, EntryKind
from taskdesk.ui.widgets.calendar_view import cell_lines, runs_through

DAY = date(2026, 11, 26)


def _entry(n: int, before: int = 0, after: int = 0, project: str | None = None) -> Entry:
    return Entry(
        f"item:{n}",
        EntryKind.ITEM,
        f"e{n}",
        DAY - timedelta(days=before),
        DAY + timedelta(days=after),
        project=project,
    )


def test_everything_fits() -> None:
    entries = [_entry(1), _entry(2)]
    lines = cell_lines(entries, 2, DAY, 3)
    assert [(line.entry, line.index) for line in lines] == [(entries[0], 0), (entries[1], 1)]


def test_spans_running_through_fold_into_one_line_unless_selected() -> None:
    entries = [_entry(1), _entry(2, before=1), _entry(3, before=2, after=2), _entry(4, 1, 1)]
    lines = cell_lines(entries, 4, DAY, 4, fold=True)
    assert [line.index for line in lines[:2]] == [0, 1]  # its last day: shown
    assert lines[2].text == " ⋯ 2 ongoing" and len(lines) == 3
    lines = cell_lines(entries, 4, DAY, 4, fold=True, selected=3)
    assert [line.index for line in lines] == [0, 1, 2, 3]


def test_more_counts_the_unloaded_and_the_window_follows_the_selection() -> None:
    entries = [_entry(n) for n in range(6)]
    lines = cell_lines(entries, 20, DAY, 3)
    assert [line.index for line in lines[:2]] == [0, 1] and lines[2].text == " +18 more"
    lines = cell_lines(entries, 20, DAY, 3, selected=5)
    assert [line.index for line in lines[:2]] == [4, 5] and lines[2].text == " +18 more"
    assert cell_lines(entries, 6, DAY, 0) == []


def test_details_add_the_project_under_each_entry_when_there_is_room() -> None:
    entries = [_entry(1, project="Home"), _entry(2)]
    lines = cell_lines(entries, 2, DAY, 4, details=True)
    assert [(line.index, line.detail) for line in lines] == [(0, False), (0, True), (1, False)]
    lines = cell_lines(entries, 2, DAY, 2, details=True)
    assert [line.detail for line in lines] == [False, False]


@given(
    shapes=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=12),
    unloaded=st.integers(0, 30),
    rows=st.integers(1, 10),
    fold=st.booleans(),
    selected=st.integers(-1, 12),
)
def test_lines_fit_and_account_for_every_entry(
    shapes: list[tuple[int, int]], unloaded: int, rows: int, fold: bool, selected: int
) -> None:
    entries = [_entry(n, before, after) for n, (before, after) in enumerate(shapes)]
    entries.sort(key=lambda e: runs_through(e, DAY))  # the day's order: spans through last
    total = len(entries) + unloaded
    lines = cell_lines(entries, total, DAY, rows, fold=fold, selected=selected)
    assert len(lines) <= rows
    shown = [line.index for line in lines if line.entry is not None and not line.detail]
    assert shown == sorted(set(shown))
    if 0 <= selected < len(entries) and rows >= 2:
        assert selected in shown  # the window slides to the entry cursor
    counted = 0
    for line in lines:
        if line.entry is None:
            words = line.text.split()
            counted += int(words[1] if words[0] == "⋯" else words[0].removeprefix("+"))
    assert len(shown) + counted == total
