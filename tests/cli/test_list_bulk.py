"""``taskdesk list`` through the bulk path prints exactly what the item-by-item path did.

The contract's JSON output (and the table) must not move by a byte. Three layers of
checks: the JSON text of one listed item against ``json.dumps(item_to_json(…))`` on
generated items (any text, NaN and infinite floats, aware and naive datetimes); the
whole ``list`` command against the former algorithm (``list_items`` →
``rank_by_urgency`` → ``item_to_json`` / the table) on a varied store, for many filters
and non-default weights; and the table's fast paths against the general ones.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskdesk.cli import render
from taskdesk.cli.commands import Context, cmd_list
from taskdesk.config import DefaultSettings, DefaultUrgencyWeights
from taskdesk.domain.filters import parse_filter
from taskdesk.domain.listing import listed
from taskdesk.domain.model import (
    Assignment,
    ContainerKind,
    Item,
    ParsedItem,
    Priority,
    Recurrence,
    RecurrenceAnchor,
    StatusCategory,
)
from taskdesk.domain.text import clean_line
from taskdesk.domain.urgency import Urgency, rank_by_urgency, rank_totals
from taskdesk.interop.json_out import item_to_json, listed_json, listing_json
from taskdesk.store import Store, open_store

NOW = datetime(2026, 11, 25, 10, 30, 15)

# ------------------------------------------------------------------ one item's JSON

texts = st.text(st.characters(codec="utf-8") | st.sampled_from('"\\/\n\t\x00\x1b\u2028é☕'))
floats = st.floats(allow_nan=True, allow_infinity=True)
ids = st.integers(min_value=-(2**63), max_value=2**63 - 1)


def item_strategy(moments: st.SearchStrategy[datetime | None]) -> st.SearchStrategy[Item]:
    """Items with any field values; datetimes drawn from ``moments``."""
    return st.builds(
        Item,
        id=ids,
        uuid=texts,
        title=texts,
        status_id=st.integers(1, 9),
        status=texts,
        category=st.sampled_from(StatusCategory),
        notes=texts,
        priority=st.none() | st.sampled_from(Priority),
        due=moments,
        start=moments,
        wait=moments,
        estimate_minutes=st.none() | st.integers(0, 10**9),
        duration_days=st.none() | floats,
        percent_complete=floats,
        parent_id=st.none() | ids,
        milestone=st.booleans(),
        project=st.none() | texts,
        project_kind=st.none() | st.sampled_from(ContainerKind),
        created=moments,
        updated=moments,
        completed=moments,
        started=moments,
        created_by=texts,
        version=st.integers(1, 10**6),
        tags=st.lists(texts, max_size=4).map(tuple),
        assignees=st.lists(st.builds(Assignment, login=texts), max_size=3).map(tuple),
        depends=st.lists(ids, max_size=4).map(tuple),
        recurrence=st.none() | st.builds(Recurrence, texts, st.sampled_from(RecurrenceAnchor)),
        series_id=st.none() | ids,
        occurrence=st.none() | st.dates(),
        blocked=st.booleans(),
        blocking=st.booleans(),
    )


items = item_strategy(st.none() | st.datetimes(timezones=st.none() | st.just(UTC)))
naive_items = item_strategy(st.none() | st.datetimes())


def former_json(item: Item, total: float) -> str:
    """How ``list --json`` wrote one item before the bulk path."""
    data = item_to_json(item, now=NOW, urgency=Urgency(total))
    return json.dumps(data, ensure_ascii=False)


@given(item=items, total=floats)
def test_listed_json_is_byte_for_byte_json_dumps_of_item_to_json(item: Item, total: float) -> None:
    assert listed_json(listed(item), total) == former_json(item, total)


def test_listed_json_of_a_known_item_is_exact() -> None:
    item = Item(
        id=7,
        uuid="0f8b1c2e-1111-4222-8333-444455556666",
        title='Say "hi" ☕\\',
        status_id=2,
        status="To do",
        category=StatusCategory.UNSTARTED,
        priority=Priority.HIGH,
        due=datetime(2026, 12, 1, 17, 0, 0, 999),
        project="Ops",
        project_kind=ContainerKind.AREA,
        tags=("a", "b"),
        assignees=(Assignment("carol"), Assignment("dave", 0.5)),
        depends=(3, 4),
        recurrence=Recurrence("FREQ=DAILY", RecurrenceAnchor.COMPLETION),
        duration_days=float("inf"),
        created=datetime(2026, 11, 20, 9, 0),
        version=3,
    )
    assert listed_json(listed(item), 12.34567) == (
        '{"id": 7, "uuid": "0f8b1c2e-1111-4222-8333-444455556666", '
        '"title": "Say \\"hi\\" ☕\\\\", "status": "To do", "category": "unstarted", '
        '"project": "Ops", "project_kind": "area", "priority": "H", '
        '"due": "2026-12-01T17:00:00", "start": null, "wait": null, "tags": ["a", "b"], '
        '"assignees": ["carol", "dave"], "urgency": 12.346, '
        '"recurrence": "after FREQ=DAILY", "notes": "", "estimate_minutes": null, '
        '"duration_days": Infinity, "percent_complete": 0.0, "milestone": false, '
        '"parent_id": null, "depends": [3, 4], "blocked": false, "blocking": false, '
        '"series_id": null, "occurrence": null, "created": "2026-11-20T09:00:00", '
        '"created_by": "", "updated": null, "started": null, "completed": null, "version": 3}'
    )


@given(rows=st.lists(st.tuples(items, floats), max_size=4))
def test_listing_json_lays_out_a_list_as_print_json_did(rows: list[tuple[Item, float]]) -> None:
    text = listing_json([(listed(item), total) for item, total in rows])
    if not rows:
        assert text == "[]" == json.dumps([], indent=2)
        return
    former = ",\n".join("  " + former_json(item, total) for item, total in rows)
    assert text == "[\n" + former + "\n]"


# ------------------------------------------------------------------ the whole command


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A store at a fixed clock with items of every kind the list shows differently."""
    clock = [NOW]
    opened = open_store(str(tmp_path / "t.db"), actor="tester", clock=lambda: clock[0])
    day = timedelta(days=1)

    def add(title: str, **fields: object) -> int:
        """Add an item created some days (or hours) ago, so ages differ."""
        clock[0] = NOW - day * (len(title) % 40) - timedelta(hours=len(title) % 5)
        parsed = ParsedItem(title=title, given={"title", *fields}, **fields)  # type: ignore[arg-type]
        item_id = opened.add_item(parsed).id
        clock[0] = NOW
        return item_id

    first = add("Renew the TLS certificate", due=NOW - 3 * day, priority=Priority.HIGH)
    add("会議の準備をする" * 6, project="Événements", tags=["x", "y", "z"])
    add('Quote "this" \\ and\ttab', project="Ops", assignees=["bob", "ann"], depends=[first])
    add("Ship it", project="Launch", milestone=True, due=NOW + 20 * day, start=NOW - day)
    add("Water the plants", due=NOW + day, recurrence=Recurrence("FREQ=DAILY"))
    add("Later", wait=NOW + 5 * day, priority=Priority.LOW)
    for n in range(25):  # ties in urgency, broken by due date and id
        add(f"Task {n:02}", project=f"P{n % 3}", due=NOW + (n % 4) * day if n % 2 else None)
    opened.complete_item(add("Done already", tags=["old"]))
    opened.update_item(3, {"status_id": opened.first_status(StatusCategory.STARTED).id})
    yield opened
    opened.close()


WEIGHTS = [
    DefaultUrgencyWeights(),
    DefaultUrgencyWeights(due=0.0, age=7.5, tags=-2.0, blocked=-0.1, priority_low=9.9),
]


def _run_list(store: Store, words: list[str], *, json_out: bool, weights: object) -> None:
    """Run the ``list`` command in-process (its output goes to stdout)."""
    settings = DefaultSettings(urgency=weights)  # type: ignore[arg-type]
    ctx = Context(settings=settings, target="", actor="tester", now=NOW, _store=store)
    args = argparse.Namespace(words=words, json=json_out)
    assert cmd_list(ctx, args) == 0


def former_output(store: Store, words: list[str], *, json_out: bool, weights: object) -> str:
    """``list`` as it was written before the bulk path (``Item`` by ``Item``)."""
    domain = weights.to_domain()  # type: ignore[attr-defined]
    rows = rank_by_urgency(store.list_items(parse_filter(words, now=NOW)), now=NOW, weights=domain)
    if json_out:
        objects = [item_to_json(item, now=NOW, urgency=urg) for item, urg in rows]
        if not objects:
            return json.dumps(objects, indent=2) + "\n"
        lines = ",\n".join("  " + json.dumps(o, ensure_ascii=False) for o in objects)
        return "[\n" + lines + "\n]\n"
    if not rows:
        return "No matching items.\n"
    table = render.item_table([(item, urg.total) for item, urg in rows], now=NOW)
    count = f"{len(rows)} item{'s' if len(rows) != 1 else ''}."
    return "\n".join([*table, "", count]) + "\n"


WORDS = [
    [],
    ["all"],
    ["+OVERDUE"],
    ["+BLOCKED"],
    ["+BLOCKING"],
    ["+WAITING"],
    ["pro:Ops"],
    ["-old", "pri:H"],
    ["@bob"],
    ["task"],
    ["status:completed"],
    ["1,3,5"],
    ["nothing-matches"],
]


def test_list_prints_what_the_former_path_printed(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    for words in WORDS:  # one store for every case: building it is the slow part
        for json_out in (True, False):
            for weights in WEIGHTS:
                capsys.readouterr()
                _run_list(store, words, json_out=json_out, weights=weights)
                printed = capsys.readouterr().out
                former = former_output(store, words, json_out=json_out, weights=weights)
                assert printed == former, (words, json_out, weights)


def test_the_fixture_covers_what_it_means_to(store: Store) -> None:
    rows = rank_totals(store.listed_items(), now=NOW)
    totals = [total for _, total in rows]
    assert len(rows) == 30 and len(set(totals)) < len(totals)  # ties exist
    assert {row.id for row, _ in rows if row.blocked} == {3}
    assert any(row.recurrence for row, _ in rows) and any(row.milestone for row, _ in rows)


# ------------------------------------------------------------------ the table


def reference_width(text: str) -> int:
    """``cell_width`` as written before its ASCII shortcut."""
    import unicodedata

    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def reference_fit(text: str, width: int) -> str:
    """``fit`` as written before its ASCII shortcut."""
    if reference_width(text) > width:
        out, used = [], 0
        for char in text:
            w = reference_width(char)
            if used + w > width - 1:
                break
            out.append(char)
            used += w
        text = "".join(out) + "…"
    return text + " " * (width - reference_width(text))


@given(text=st.text(st.characters(max_codepoint=127)) | st.text(), width=st.integers(-2, 40))
def test_fit_and_cell_width_keep_their_meaning(text: str, width: int) -> None:
    assert render.cell_width(text) == reference_width(text)
    assert render.fit(text, width) == reference_fit(text, width)


@given(rows=st.lists(st.tuples(naive_items, floats), min_size=1, max_size=5))
def test_the_table_reads_listed_items_as_items(rows: list[tuple[Item, float]]) -> None:
    as_items = render.item_table(rows, now=NOW)
    as_listed = render.item_table([(listed(item), total) for item, total in rows], now=NOW)
    assert as_listed == as_items


@given(text=st.text(st.sampled_from(" ab\t\n\x1b[]0;\x07\x7f~")) | st.text(max_size=30))
def test_the_table_cleans_titles_as_clean_line_does(text: str) -> None:
    assert render._clean_line(text) == clean_line(text)  # its shortcut changes nothing
