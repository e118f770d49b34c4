"""Random sequences of add/move/modify/delete/undo/redo keep the store's invariants.

- an item's version never goes down, and every effective write moves it up;
- undo followed by redo gives back exactly the fields as they were before the undo.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskdesk.domain.model import ParsedItem, Priority
from taskdesk.store import Store
from taskdesk.store.errors import NotFound, StoreError, UndoRefused, ValidationError

TITLES = ["Alpha", "Beta", "Gamma", "Delta"]
TAGS = ["red", "green", "blue"]

ops = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(TITLES)),
    st.tuples(st.just("move"), st.integers(0, 5), st.integers(0, 5)),
    st.tuples(st.just("title"), st.integers(0, 5), st.sampled_from(TITLES)),
    st.tuples(st.just("priority"), st.integers(0, 5), st.sampled_from([None, *Priority])),
    st.tuples(st.just("tags"), st.integers(0, 5), st.lists(st.sampled_from(TAGS), max_size=3)),
    st.tuples(st.just("delete"), st.integers(0, 5)),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)

_actors = itertools.count()


def snapshot(store: Store, ids: list[int]) -> dict[int, tuple]:
    return {
        i.id: (i.title, i.status_id, i.priority, i.tags, i.completed, i.started, i.position)
        for i in store.get_items(ids)
    }


def versions(store: Store, ids: list[int]) -> dict[int, int]:
    t = store.tables.item
    return {r.id: r.version for r in t.select(t.id, t.version).where(t.id.in_(ids or [0]))}


def apply(store: Store, op: tuple, ids: list[int], statuses: list[int]) -> None:
    kind = op[0]
    if kind == "add":
        ids.append(store.add_item(ParsedItem(title=op[1])).id)
        return
    if not ids:
        return
    item_id = ids[op[1] % len(ids)]
    if kind == "move":
        store.move_item(item_id, statuses[op[2] % len(statuses)])
    elif kind == "title":
        store.update_item(item_id, {"title": op[2]})
    elif kind == "priority":
        store.update_item(item_id, {"priority": op[2]})
    elif kind == "tags":
        store.update_item(item_id, {"tags": op[2]})
    elif kind == "delete":
        store.delete_item(item_id)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(ops, min_size=1, max_size=14))
def test_random_operations_keep_invariants(
    open_as: Callable[..., Store], sequence: list[tuple]
) -> None:
    store = open_as(f"user{next(_actors)}")  # own actor: own undo history per example
    statuses = [s.id for s in store.statuses()]
    ids: list[int] = []
    seen: dict[int, int] = {}
    for op in sequence:
        before_versions = versions(store, ids)
        if op[0] == "undo":
            before = snapshot(store, ids)
            try:
                store.undo()
            except UndoRefused:
                continue
            store.redo()
            assert snapshot(store, ids) == before
            continue
        if op[0] == "redo":
            with contextlib.suppress(UndoRefused):
                store.redo()
            continue
        try:
            apply(store, op, ids, statuses)
        except (NotFound, ValidationError):
            continue  # e.g. moving a deleted item, a hard WIP limit
        after_versions = versions(store, ids)
        for item_id, version in after_versions.items():
            assert version >= before_versions.get(item_id, 0)
            assert version >= seen.get(item_id, 0)
            seen[item_id] = version
    for item_id, version in versions(store, ids).items():
        assert version >= seen.get(item_id, 0)


def test_store_error_hierarchy() -> None:
    assert issubclass(UndoRefused, StoreError) and issubclass(NotFound, StoreError)
