"""Every field of :class:`Filter`, translated into SQL, against expected ids.

Each case is also checked against :func:`taskdesk.domain.filters.matches` (the in-memory
twin), so the SQL and the Python meaning cannot drift apart.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from taskdesk.domain import filters as filters_module
from taskdesk.domain.filters import Filter
from taskdesk.domain.model import ParsedItem, Priority, Recurrence
from taskdesk.store import Store
from taskdesk.store.errors import ValidationError

from .conftest import START

NOW = START  # Wednesday 2026-11-25 10:30


@pytest.fixture
def items(store: Store) -> dict[str, int]:
    """A small workspace covering every filter field; name → id."""
    add = store.add_item
    ids: dict[str, int] = {}
    ids["blog"] = add(
        ParsedItem(
            title="Write blog post 100%",
            project="Marketing",
            tags=["web", "Writing"],
            priority=Priority.HIGH,
            assignees=["Bob"],
            due=NOW - timedelta(days=1),
        )
    ).id
    ids["garden"] = add(
        ParsedItem(
            title="Water the garden",
            project="Home.Garden",
            priority=Priority.LOW,
            due=NOW + timedelta(days=3),
            tags=["outside"],
        )
    ).id
    ids["homework"] = add(
        ParsedItem(title="Maths home_work", project="Homework", due=NOW + timedelta(days=10))
    ).id
    ids["home"] = add(
        ParsedItem(
            title="Fix the roof",
            project="Home",
            priority=Priority.MEDIUM,
            assignees=["carol"],
            depends=[ids["garden"]],
        )
    ).id
    ids["waiting"] = add(ParsedItem(title="Renew passport", wait=NOW + timedelta(days=5))).id
    ids["waited"] = add(ParsedItem(title="Old wait", wait=NOW - timedelta(days=5))).id
    ids["routine"] = add(
        ParsedItem(
            title="Daily standup", recurrence=Recurrence("FREQ=DAILY"), due=NOW.replace(hour=9)
        )
    ).id
    ids["milestone"] = add(
        ParsedItem(title="Launch", milestone=True, due=NOW + timedelta(days=30))
    ).id
    ids["active"] = add(ParsedItem(title="Review ÄRGER report")).id
    store.start_item(ids["active"])
    ids["done"] = add(ParsedItem(title="Write done thing", tags=["web"])).id
    store.complete_item(ids["done"])
    ids["cancelled"] = add(ParsedItem(title="Cancelled blog")).id
    store.move_item(ids["cancelled"], next(s.id for s in store.statuses() if s.name == "Cancelled"))
    ids["deleted"] = add(ParsedItem(title="Deleted blog")).id
    store.delete_item(ids["deleted"])
    return ids  # fmt: skip


CASES: list[tuple[str, Filter, set[str]]] = [
    ("empty", Filter(),
     {"blog", "garden", "homework", "home", "waited", "routine", "milestone", "active"}),
    ("words", Filter(words=("write", "BLOG")), {"blog"}),
    ("word percent", Filter(words=("100%",)), {"blog"}),
    ("word percent literal", Filter(words=("%",)), {"blog"}),
    ("word underscore", Filter(words=("e_w",)), {"homework"}),
    ("word underscore literal", Filter(words=("_",)), {"homework"}),
    ("word unicode case", Filter(words=("ärger",)), {"active"}),
    ("ids", Filter(ids=(1, 4)), {"blog", "home"}),
    ("project prefix", Filter(project="home"), {"home", "garden"}),
    ("project child", Filter(project="Home.Garden"), {"garden"}),
    ("statuses name", Filter(statuses=("in progress",)), {"active"}),
    ("statuses category", Filter(statuses=("started", "unstarted")),
     {"blog", "garden", "homework", "home", "waiting", "waited", "routine", "milestone", "active"}),
    ("status closed", Filter(statuses=("Done",), include_closed=True), {"done"}),
    ("priorities", Filter(priorities=(Priority.HIGH, Priority.LOW)), {"blog", "garden"}),
    ("no priority", Filter(priorities=(Priority.MEDIUM,), no_priority=True),
     {"homework", "home", "waited", "routine", "milestone", "active"}),
    ("tags all", Filter(tags=("WEB", "writing")), {"blog"}),
    ("exclude tags", Filter(exclude_tags=("web", "outside")),
     {"homework", "home", "waited", "routine", "milestone", "active"}),
    ("assignees", Filter(assignees=("bob", "nobody")), {"blog"}),
    ("due before", Filter(due_before=NOW + timedelta(days=3)), {"blog", "routine"}),
    ("due after", Filter(due_after=NOW + timedelta(days=3)), {"garden", "homework", "milestone"}),
    ("due window", Filter(due_after=NOW, due_before=NOW + timedelta(days=20)),
     {"garden", "homework"}),
    ("OVERDUE", Filter(virtual=("OVERDUE",)), {"blog", "routine"}),
    ("DUE", Filter(virtual=("DUE",)), {"garden", "routine"}),
    ("BLOCKED", Filter(virtual=("BLOCKED",)), {"home"}),
    ("BLOCKING", Filter(virtual=("BLOCKING",)), {"garden"}),
    ("RECURRING", Filter(virtual=("RECURRING",)), {"routine"}),
    ("MILESTONE", Filter(virtual=("MILESTONE",)), {"milestone"}),
    ("ACTIVE", Filter(virtual=("ACTIVE",)), {"active"}),
    ("WAITING", Filter(virtual=("WAITING",)), {"waiting"}),
    ("include closed", Filter(words=("write",), include_closed=True), {"blog", "done"}),
    ("closed words", Filter(words=("blog",), include_closed=True), {"blog", "cancelled"}),
    ("combined", Filter(project="Marketing", tags=("web",), priorities=(Priority.HIGH,),
                        virtual=("OVERDUE",), words=("post",)), {"blog"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("flt", "expected"), [(f, e) for _, f, e in CASES], ids=[c[0] for c in CASES]
)
def test_filter_field(store: Store, items: dict[str, int], flt: Filter, expected: set[str]) -> None:
    names = {v: k for k, v in items.items()}
    got = {names[i.id] for i in store.list_items(flt, now=NOW)}
    assert got == expected
    assert store.count_items(flt, now=NOW) == len(expected)
    matches = getattr(filters_module, "matches", None)
    if matches is not None:
        everything = store.list_items(Filter(include_closed=True, virtual=()), now=NOW)
        hidden = store.list_items(Filter(include_closed=True, virtual=("WAITING",)), now=NOW)
        in_memory = {names[i.id] for i in everything + hidden if matches(i, flt, now=NOW)}
        assert in_memory == expected


def test_container_and_limit(store: Store, items: dict[str, int]) -> None:
    home = store.get_container("Home").id
    assert [i.id for i in store.list_items(container_id=home, now=NOW)] == [items["home"]]
    assert len(store.list_items(limit=2, now=NOW)) == 2
    assert [i.id for i in store.list_items(now=NOW)] == sorted(
        i.id for i in store.list_items(now=NOW)
    )


def test_unknown_virtual_tag(store: Store) -> None:
    with pytest.raises(ValidationError, match="not a virtual tag"):
        store.list_items(Filter(virtual=("SOON",)))
