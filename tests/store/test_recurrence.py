"""Recurring series: the next occurrence is created once, from the template."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest

from taskdesk.domain.model import (
    Assignment,
    ParsedItem,
    Priority,
    Recurrence,
    RecurrenceAnchor,
    StatusCategory,
)
from taskdesk.store import Store
from taskdesk.store.errors import NotFound, ValidationError

DUE = datetime(2026, 11, 25, 17, 0)  # the clock starts at 2026-11-25 10:30


def routine(store: Store, rule: str = "FREQ=DAILY", **kwargs: object) -> int:
    parsed = ParsedItem(
        title="Post on social media",
        project="Marketing",
        priority=Priority.MEDIUM,
        tags=["social"],
        assignees=["bob"],
        estimate_minutes=20,
        due=kwargs.pop("due", DUE),  # type: ignore[arg-type]
        recurrence=Recurrence(rule, kwargs.pop("anchor", RecurrenceAnchor.SCHEDULE)),  # type: ignore[arg-type]
    )
    return store.add_item(parsed).id


def series_items(store: Store, series_id: int) -> list[tuple[date | None, str]]:
    t = store.tables.item
    rows = t.select().where(t.series_id == series_id, t.deleted_at.is_null()).order_by(t.occurrence)
    return [(r.occurrence, r.title) for r in rows]


def test_completion_creates_the_next_occurrence_from_the_template(store: Store) -> None:
    first = store.get_item(routine(store))
    assert first.occurrence == date(2026, 11, 25)
    store.complete_item(first.id)
    following = store.list_items()
    assert len(following) == 1
    nxt = following[0]
    assert nxt.id != first.id and nxt.series_id == first.series_id
    assert nxt.occurrence == date(2026, 11, 26)
    assert nxt.due == datetime(2026, 11, 26, 17, 0)  # keeps the time of day
    assert (nxt.title, nxt.project, nxt.priority) == (
        "Post on social media",
        "Marketing",
        Priority.MEDIUM,
    )
    assert nxt.tags == ("social",) and nxt.assignees == (Assignment("bob"),)
    assert nxt.estimate_minutes == 20 and nxt.category is StatusCategory.UNSTARTED
    assert nxt.recurrence == first.recurrence


def test_completing_twice_creates_it_once(store: Store, open_as) -> None:
    first = routine(store)
    store.complete_item(first)
    store.move_item(first, store.first_status(StatusCategory.UNSTARTED).id)
    store.complete_item(first)
    bob = open_as("bob")  # another "process"
    bob.move_item(first, bob.first_status(StatusCategory.STARTED).id)
    bob.complete_item(first)
    series_id = store.get_item(first).series_id
    assert series_id is not None
    assert [d for d, _ in series_items(store, series_id)] == [
        date(2026, 11, 25),
        date(2026, 11, 26),
    ]


def test_two_stores_completing_at_once(open_as) -> None:
    alice, bob = open_as("alice"), open_as("bob")
    first = routine(alice)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def complete(store: Store) -> None:
        try:
            barrier.wait()
            store.complete_item(first)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=complete, args=(s,)) for s in (alice, bob)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    series_id = alice.get_item(first).series_id
    assert series_id is not None
    assert len(series_items(alice, series_id)) == 2


def test_missed_occurrences_create_the_latest_only(store: Store) -> None:
    first = routine(store, due=datetime(2026, 11, 20, 9, 0))
    store.complete_item(first)
    (nxt,) = store.list_items()
    assert nxt.occurrence == date(2026, 11, 25)  # today, not the 21st


def test_completion_anchor(store: Store, clock) -> None:
    first = routine(store, "FREQ=DAILY;INTERVAL=3", anchor=RecurrenceAnchor.COMPLETION)
    clock.advance(days=1)
    store.complete_item(first)
    (nxt,) = store.list_items()
    assert nxt.occurrence == date(2026, 11, 29)


def test_rule_that_ended(store: Store) -> None:
    first = routine(store, "FREQ=DAILY;COUNT=1")
    store.complete_item(first)
    assert store.list_items() == []


def test_bad_rule_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError, match="Cannot repeat"):
        routine(store, "FREQ=SOMETIMES")
    assert store.list_items() == []


def test_undo_completion_removes_the_next_and_redo_brings_it_back(store: Store) -> None:
    first = routine(store)
    store.complete_item(first)
    (nxt,) = store.list_items()
    assert store.undo() == "Undid: move 'Post on social media' to Done"
    assert [i.id for i in store.list_items()] == [first]
    with pytest.raises(NotFound):
        store.get_item(nxt.id)
    store.redo()
    assert [i.id for i in store.list_items()] == [nxt.id]
    store.undo()
    store.complete_item(first)  # completing again revives the same occurrence
    assert [i.id for i in store.list_items()] == [nxt.id]
