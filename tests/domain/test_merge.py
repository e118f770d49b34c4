"""The three-way field merge behind "keep theirs, yours, or merge field by field"."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from taskdesk.domain.merge import merge_fields

BASE = {"title": "Write post", "due": "2026-12-01", "tags": ["blog"], "priority": None}


def test_disjoint_edits_merge_automatically() -> None:
    theirs = {**BASE, "due": "2026-12-05"}
    result = merge_fields(BASE, theirs, {"title": "Write the post"})
    assert result.clean
    assert result.apply == {"title": "Write the post"}


def test_same_change_on_both_sides_needs_nothing() -> None:
    theirs = {**BASE, "title": "Same"}
    result = merge_fields(BASE, theirs, {"title": "Same"})
    assert result.clean and result.apply == {}


def test_different_changes_to_one_field_conflict() -> None:
    theirs = {**BASE, "tags": ["blog", "urgent"]}
    result = merge_fields(BASE, theirs, {"tags": ["blog", "draft"], "priority": "H"})
    assert result.conflicts == {"tags": (["blog", "urgent"], ["blog", "draft"])}
    assert result.apply == {"priority": "H"}


def test_my_clearing_a_field_they_left_alone_applies() -> None:
    result = merge_fields(BASE, dict(BASE), {"due": None})
    assert result.apply == {"due": None}


values = st.one_of(st.none(), st.integers(0, 3), st.sampled_from(["a", "b"]))
records = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), values)


@given(records, records, records)
def test_merge_never_loses_a_change(base: dict, theirs: dict, mine: dict) -> None:  # type: ignore[type-arg]
    result = merge_fields(base, theirs, mine)
    for key, value in mine.items():
        settled = key in result.apply or key in result.conflicts or theirs.get(key) == value
        assert settled, key
        if key in result.apply:
            assert theirs.get(key) == base.get(key)
    assert not set(result.apply) & set(result.conflicts)
