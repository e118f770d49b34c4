"""Threads, processes and query counts."""

from __future__ import annotations

import threading

from taskdesk.domain.model import ParsedItem
from taskdesk.store import Store
from tests.store.querycount import count_queries


def test_store_used_from_two_threads(store: Store) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for k in range(15):
                item = store.add_item(ParsedItem(title=f"t{n}-{k}", tags=[f"t{n}"]))
                store.move_item(item.id, store.first_status(item.category).id)
                store.update_item(item.id, {"priority": "H"})
                store.list_items()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.list_items()) == 30


def test_two_stores_write_the_same_database_concurrently(open_as) -> None:
    alice, bob = open_as("alice"), open_as("bob")
    shared = alice.add_item(ParsedItem(title="shared"))
    errors: list[BaseException] = []

    def work(store: Store) -> None:
        try:
            for k in range(20):
                store.add_item(ParsedItem(title=f"{store.actor} {k}"))
                store.update_item(shared.id, {"tags": [store.actor, str(k)]})
                store.add_comment(shared.id, f"{store.actor} says {k}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in (alice, bob)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(alice.list_items()) == 41
    assert len(bob.comments(shared.id)) == 40
    final = bob.get_item(shared.id)
    assert final.version == 1 + 40  # every update bumped it exactly once


def test_a_page_loads_in_a_constant_number_of_queries(store: Store) -> None:
    first = store.add_item(ParsedItem(title="root"))
    for n in range(120):
        store.add_item(
            ParsedItem(
                title=f"item {n}",
                tags=[f"tag{n % 5}", "common"],
                assignees=[f"user{n % 3}"],
                depends=[first.id] if n % 2 else [],
                project=f"P{n % 4}",
            )
        )
    todo = store.first_status(first.category).id
    with count_queries() as small:
        assert len(store.board_column(todo, limit=10)) == 10
    with count_queries() as page:
        items = store.board_column(todo, limit=100)
    assert len(items) == 100
    assert page.count == small.count <= 6
    assert any(i.blocked for i in items) and any(i.tags for i in items)
    with count_queries() as listing:
        assert len(store.list_items(limit=100)) == 100
    assert listing.count == page.count
    with count_queries() as batch:
        store.get_items([i.id for i in items])
    assert batch.count == page.count
