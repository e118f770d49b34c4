"""The Board: counts per column, column pages, a card's index, ``done_since``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from taskdesk.domain.filters import Filter
from taskdesk.domain.model import ParsedItem
from taskdesk.store import Store


@pytest.fixture
def board(store: Store, clock) -> dict[str, int]:
    """Status name → id, with 5 to-do cards, 2 in progress, done/cancelled over time."""
    ids = {s.name: s.id for s in store.statuses()}
    for n in range(5):
        store.add_item(ParsedItem(title=f"todo {n}", tags=["even"] if n % 2 == 0 else []))
    for n in range(2):
        store.add_item(ParsedItem(title=f"doing {n}", project="Ops"), status_id=ids["In progress"])
    old = store.add_item(ParsedItem(title="done long ago"))
    store.complete_item(old.id)
    dropped = store.add_item(ParsedItem(title="cancelled long ago"))
    store.move_item(dropped.id, ids["Cancelled"])
    clock.advance(days=10)
    recent = store.add_item(ParsedItem(title="done recently"))
    store.complete_item(recent.id)
    dropped_recently = store.add_item(ParsedItem(title="cancelled recently"))
    store.move_item(dropped_recently.id, ids["Cancelled"])
    waiting = store.add_item(ParsedItem(title="waiting", wait=clock.now + timedelta(days=3)))
    assert waiting.id
    return ids


def test_counts(store: Store, board: dict[str, int], clock) -> None:
    counts = store.board_counts()
    assert counts == {
        board["Backlog"]: 0,
        board["To do"]: 5,
        board["In progress"]: 2,
        board["Review"]: 0,
        board["Done"]: 2,
        board["Cancelled"]: 2,
    }
    since = store.board_counts(done_since=clock.now - timedelta(days=1))
    assert since[board["Done"]] == 1 and since[board["Cancelled"]] == 1
    assert since[board["To do"]] == 5
    filtered = store.board_counts(Filter(tags=("even",)))
    assert filtered[board["To do"]] == 3 and filtered[board["In progress"]] == 0
    ops = store.get_container("Ops").id
    assert store.board_counts(container_id=ops)[board["In progress"]] == 2
    assert store.board_counts(container_id=ops)[board["To do"]] == 0
    waiting = store.board_counts(Filter(virtual=("WAITING",)))
    assert waiting[board["To do"]] == 1


def test_column_paging(store: Store, board: dict[str, int]) -> None:
    todo = board["To do"]
    page1 = store.board_column(todo, limit=2)
    page2 = store.board_column(todo, offset=2, limit=2)
    page3 = store.board_column(todo, offset=4, limit=2)
    titles = [i.title for i in page1 + page2 + page3]
    assert titles == [f"todo {n}" for n in range(5)]
    assert store.board_column(todo, offset=10) == []
    assert [i.title for i in store.board_column(todo, flt=Filter(words=("3",)))] == ["todo 3"]


def test_column_done_since(store: Store, board: dict[str, int], clock) -> None:
    since = clock.now - timedelta(days=1)
    assert [i.title for i in store.board_column(board["Done"], done_since=since)] == [
        "done recently"
    ]
    assert [i.title for i in store.board_column(board["Cancelled"], done_since=since)] == [
        "cancelled recently"
    ]
    assert len(store.board_column(board["Done"])) == 2


def test_item_index(store: Store, board: dict[str, int], clock) -> None:
    cards = store.board_column(board["To do"])
    assert [store.item_index(c.id) for c in cards] == [0, 1, 2, 3, 4]
    store.reorder_item(cards[4].id, -4)
    assert store.item_index(cards[4].id) == 0 and store.item_index(cards[0].id) == 1
    assert store.item_index(cards[1].id, flt=Filter(tags=("even",))) is None
    assert store.item_index(cards[2].id, flt=Filter(tags=("even",))) == 2
    old_done = next(i for i in store.board_column(board["Done"]) if i.title == "done long ago")
    assert store.item_index(old_done.id, done_since=clock.now - timedelta(days=1)) is None
    assert store.item_index(old_done.id) == 0
    assert store.item_index(99999) is None
