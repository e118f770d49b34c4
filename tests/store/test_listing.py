"""The bulk listing (``store.listed_items``): the same items as ``list_items``, in bulk.

Every case compares the bulk read with ``[listed(i) for i in list_items(…)]`` on a
store holding each thing a listed field can show: tags, assignees in order, open,
closed, deleted and hidden predecessors and successors, both recurrence anchors,
waiting, completed and cancelled items, a members-only project of someone else, text
that is not ASCII. The store fixture runs each test on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from taskdesk.domain.filters import Filter, parse_filter
from taskdesk.domain.listing import ListedItem, listed
from taskdesk.domain.model import (
    ContainerKind,
    ParsedItem,
    Priority,
    Recurrence,
    RecurrenceAnchor,
    StatusCategory,
)
from taskdesk.store import Store
from tests.store.conftest import START
from tests.store.querycount import count_queries


def _add(store: Store, title: str, **fields: object) -> int:
    """Add an item through the store's ordinary path (only the given fields set)."""
    parsed = ParsedItem(title=title, given={"title", *fields}, **fields)  # type: ignore[arg-type]
    return store.add_item(parsed).id


def _status(store: Store, category: StatusCategory) -> int:
    return store.first_status(category).id


@pytest.fixture
def ids(store: Store, open_as: Callable[..., Store]) -> dict[str, int]:
    """Alice's store with one item for each case a listed field can show."""
    bob = open_as("bob")
    hidden = _add(bob, "Bob's secret", project="Deal")
    hidden_link = _add(store, "Waits on a hidden task", depends=[hidden])
    feeds_hidden = _add(store, "Only a hidden task waits on it")
    _add(bob, "Bob's secret successor", project="Deal", depends=[feeds_hidden])
    bob.set_restricted("Deal", True)
    made = {
        "rich": _add(
            store,
            'Buy "oat" milk ☕ — naïve \\ façade',
            project="Home.Kitchen",
            due=START + timedelta(days=2, hours=7),
            start=START - timedelta(days=1),
            priority=Priority.HIGH,
            tags=["zeta", "Alpha", "mid"],
            assignees=["carol", "bob", "alice"],
            estimate_minutes=45,
            duration_days=1.5,
        ),
        "plain": _add(store, "会議の準備"),
        "pred_open": _add(store, "Open predecessor", project="Launch"),
        "pred_done": _add(store, "Done predecessor", project="Launch"),
        "pred_gone": _add(store, "Deleted predecessor"),
        "milestone": _add(
            store, "Ship it", project="Launch", milestone=True, priority=Priority.LOW
        ),
        "daily": _add(
            store,
            "Water the plants",
            due=START + timedelta(days=1),
            recurrence=Recurrence("FREQ=DAILY", RecurrenceAnchor.SCHEDULE),
        ),
        "after": _add(
            store,
            "Get a haircut",
            due=START - timedelta(days=9),
            recurrence=Recurrence("FREQ=WEEKLY;INTERVAL=5", RecurrenceAnchor.COMPLETION),
        ),
        "waiting": _add(store, "Wait for the quote", wait=START + timedelta(days=3)),
        "cancelled": _add(store, "Dropped idea", priority=Priority.MEDIUM),
        "done": _add(store, "Finished thing", tags=["old"]),
    }
    made["succ"] = _add(
        store,
        "Blocked successor",
        depends=[made["pred_open"], made["pred_done"], made["pred_gone"], made["milestone"]],
    )
    made["succ_done"] = _add(store, "Finished successor", depends=[made["milestone"]])
    made.update(hidden=hidden, hidden_link=hidden_link, feeds_hidden=feeds_hidden)
    bob.update_item(hidden, {"status_id": _status(bob, StatusCategory.STARTED)})
    store.update_item(made["plain"], {"notes": "line one\nline two\ttab", "percent_complete": 40})
    store.update_item(made["milestone"], {"parent_id": made["pred_open"]})
    store.complete_item(made["pred_done"])
    store.complete_item(made["done"])
    store.complete_item(made["succ_done"])
    store.update_item(made["cancelled"], {"status_id": _status(store, StatusCategory.CANCELLED)})
    store.update_item(made["rich"], {"status_id": _status(store, StatusCategory.STARTED)})
    store.delete_item(made["pred_gone"])
    return made


FILTERS = [
    Filter(),
    Filter(include_closed=True),
    Filter(virtual=("BLOCKED",)),
    Filter(virtual=("BLOCKING",)),
    Filter(virtual=("WAITING",)),
    Filter(virtual=("RECURRING",), include_closed=True),
    Filter(tags=("alpha",)),
    Filter(exclude_tags=("zeta",)),
    Filter(assignees=("bob",)),
    Filter(project="home"),
    Filter(project="Launch", include_closed=True),
    Filter(words=("MILK",)),
    Filter(statuses=("completed", "cancelled"), include_closed=True),
    Filter(priorities=(Priority.HIGH, Priority.LOW)),
    Filter(no_priority=True),
    Filter(words=("nothing matches this",)),
]


@pytest.mark.usefixtures("ids")
def test_listed_items_are_list_items_listed(store: Store) -> None:
    sizes = []
    for flt in FILTERS:  # one store for all filters: building it is the slow part
        expected = [listed(item) for item in store.list_items(flt)]
        assert store.listed_items(flt) == expected, flt
        sizes.append(len(expected))
    assert sizes == [9, 13, 1, 2, 1, 2, 1, 8, 1, 1, 3, 1, 4, 2, 7, 0]


def test_every_case_is_read_as_list_items_reads_it(store: Store, ids: dict[str, int]) -> None:
    every = store.listed_items(Filter(include_closed=True))
    assert every == [listed(i) for i in store.list_items(Filter(include_closed=True))]
    by_id = {row.id: row for row in every}
    assert ids["hidden"] not in by_id and ids["pred_gone"] not in by_id
    assert set(by_id) == set(ids.values()) - {ids["hidden"], ids["pred_gone"], ids["waiting"]}
    rich = by_id[ids["rich"]]
    assert rich.title == 'Buy "oat" milk ☕ — naïve \\ façade'
    assert (rich.project, rich.project_kind) == ("Home.Kitchen", ContainerKind.AREA)
    assert rich.tags == ("Alpha", "mid", "zeta")
    assert rich.assignees == ("carol", "bob", "alice")
    assert (rich.category, rich.priority) == (StatusCategory.STARTED, Priority.HIGH)
    assert (rich.estimate_minutes, rich.duration_days) == (45, 1.5)
    assert rich.due == datetime(2026, 11, 27, 17, 30) and rich.start == START - timedelta(days=1)
    assert rich.started == START and rich.created == START and rich.version == 2
    succ = by_id[ids["succ"]]
    assert succ.depends == tuple(sorted([ids["pred_open"], ids["pred_done"], ids["milestone"]]))
    assert succ.blocked and not succ.blocking
    assert by_id[ids["pred_open"]].blocking and not by_id[ids["pred_done"]].blocking
    assert by_id[ids["milestone"]].blocking and by_id[ids["milestone"]].milestone
    assert by_id[ids["milestone"]].parent_id == ids["pred_open"]
    assert by_id[ids["hidden_link"]].depends == () and not by_id[ids["hidden_link"]].blocked
    assert not by_id[ids["feeds_hidden"]].blocking
    daily, after = by_id[ids["daily"]], by_id[ids["after"]]
    assert daily.recurrence == Recurrence("FREQ=DAILY", RecurrenceAnchor.SCHEDULE)
    assert after.recurrence == Recurrence("FREQ=WEEKLY;INTERVAL=5", RecurrenceAnchor.COMPLETION)
    assert daily.series_id is not None and daily.occurrence == date(2026, 11, 26)
    plain = by_id[ids["plain"]]
    assert (plain.notes, plain.percent_complete) == ("line one\nline two    tab", 40.0)
    assert plain.project is None and plain.tags == () and plain.assignees == ()
    assert by_id[ids["done"]].completed == START
    assert by_id[ids["cancelled"]].category is StatusCategory.CANCELLED
    assert isinstance(rich, ListedItem)


def test_the_default_listing_leaves_out_closed_and_waiting_items(
    store: Store, ids: dict[str, int]
) -> None:
    shown = {row.id for row in store.listed_items()}
    expected = ["rich", "plain", "pred_open", "milestone", "daily", "after", "succ"]
    assert shown == {ids[k] for k in [*expected, "hidden_link", "feeds_hidden"]}
    assert [row.id for row in store.listed_items(parse_filter(["+WAITING"], now=START))] == [
        ids["waiting"]
    ]


def test_members_see_the_restricted_project_others_do_not(
    store: Store, ids: dict[str, int], open_as: Callable[..., Store]
) -> None:
    bob, carol = open_as("bob"), open_as("carol")
    for reader in (bob, carol):
        for flt in (Filter(), Filter(include_closed=True), Filter(virtual=("BLOCKING",))):
            assert reader.listed_items(flt) == [listed(i) for i in reader.list_items(flt)]
    assert ids["hidden"] in {row.id for row in bob.listed_items()}
    assert ids["hidden"] not in {row.id for row in carol.listed_items()}
    blocking = Filter(virtual=("BLOCKING",))
    assert ids["feeds_hidden"] in {row.id for row in bob.listed_items(blocking)}
    assert ids["feeds_hidden"] not in {row.id for row in carol.listed_items(blocking)}


def test_container_and_now_arguments_match_list_items(store: Store, ids: dict[str, int]) -> None:
    launch = store.get_container("Launch").id
    flt = Filter(include_closed=True)
    assert store.listed_items(flt, container_id=launch) == [
        listed(i) for i in store.list_items(flt, container_id=launch)
    ]
    assert {row.id for row in store.listed_items(flt, container_id=launch)} == {
        ids["pred_open"],
        ids["pred_done"],
        ids["milestone"],
    }
    later = START + timedelta(days=4)  # the wait has passed: the item is listed again
    assert ids["waiting"] in {row.id for row in store.listed_items(now=later)}
    assert store.listed_items(now=later) == [listed(i) for i in store.list_items(now=later)]


def test_an_empty_store_lists_nothing_in_one_query(store: Store) -> None:
    with count_queries() as queries:
        assert store.listed_items() == []
    assert queries.count == 1


def test_a_listing_takes_five_queries_whatever_its_size(store: Store) -> None:
    first = _add(store, "root", tags=["t"])
    with count_queries() as small:
        assert len(store.listed_items()) == 1
    for n in range(60):
        _add(
            store,
            f"item {n}",
            tags=[f"tag{n % 4}", "common"],
            assignees=[f"user{n % 3}"],
            depends=[first] if n % 2 else [],
            project=f"P{n % 5}",
        )
    with count_queries() as large:
        rows = store.listed_items()
    assert len(rows) == 61
    assert small.count == large.count == 5
    assert rows == [listed(i) for i in store.list_items()]
