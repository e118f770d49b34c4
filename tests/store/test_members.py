"""Members-only projects: the app's guard-rail on every backend, and schema version 3.

Alice owns "Deal" and restricts it; Bob is not a member. Every read Bob makes skips
the project and its items, every write to them is refused, and it all comes back when
Alice adds him. (On PostgreSQL the server enforces the same: tests/store/test_rls_pg.py.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from taskdesk.domain.filters import Filter
from taskdesk.domain.members import Member
from taskdesk.domain.model import ContainerKind, ParsedItem
from taskdesk.interop.plan import parse_plan
from taskdesk.store import Store
from taskdesk.store.errors import NotFound, PermissionDenied
from taskdesk.store.migrations import latest_version
from tests.store.querycount import count_queries

SECRET = "Negotiate the merger"


def _item(store: Store, title: str, project: str | None = None, **extra: object) -> int:
    given = {"title", *extra}
    if project:
        given.add("project")
    parsed = ParsedItem(title=title, project=project, given=given, **extra)  # type: ignore[arg-type]
    return store.add_item(parsed).id


@pytest.fixture
def deal(store: Store) -> dict[str, int]:
    """Alice's restricted project "Deal" (a task, a comment, a link) and an open task."""
    secret = _item(store, SECRET, "Deal", tags=["legal"])
    store.add_comment(secret, "price: 4M")
    lunch = _item(store, "Book the team lunch", "Office", depends=[secret])
    store.save_project("Deal", start=date(2026, 12, 1))
    store.set_restricted("Deal", True)
    return {"secret": secret, "lunch": lunch, "deal": store.get_container("Deal").id}


def test_restricting_makes_the_actor_owner_and_is_listed(
    store: Store, deal: dict[str, int]
) -> None:
    project = store.get_container("Deal")
    assert (project.restricted, project.owner, project.kind) == (
        True,
        "alice",
        ContainerKind.PROJECT,
    )
    assert store.members("Deal") == []
    added = store.add_member("Deal", "@bob", role="reviewer")
    assert added == Member("bob", "reviewer", "")
    assert store.add_member("Deal", "bob") == Member("bob", "member", "")  # role updated
    store.add_member("Deal", "carol")
    assert [m.login for m in store.members(deal["deal"])] == ["bob", "carol"]
    store.remove_member("Deal", "carol")
    assert store.members("Deal") == [Member("bob", "member", "")]
    with pytest.raises(NotFound, match="carol is not a member of 'Deal'"):
        store.remove_member("Deal", "carol")
    assert not store.get_container("Office").restricted


def test_a_non_member_reads_nothing_of_it(
    store: Store, open_as: Callable[..., Store], deal: dict[str, int]
) -> None:
    bob = open_as("bob")
    secret, lunch = deal["secret"], deal["lunch"]
    uuid = store.get_item(secret).uuid
    assert [i.id for i in bob.list_items()] == [lunch]
    assert [i.id for i in bob.list_items(Filter(include_closed=True))] == [lunch]
    assert bob.list_items(Filter(project="Deal")) == []
    assert bob.list_items(container_id=deal["deal"]) == []
    assert bob.count_items() == 1 and bob.count_items(container_id=deal["deal"]) == 0
    counts = bob.board_counts()
    assert sum(counts.values()) == 1 and set(counts) == {s.id for s in bob.statuses()}
    todo = store.get_item(secret).status_id
    assert [i.id for i in bob.board_column(todo)] == [lunch]
    assert bob.item_index(secret) is None
    for read in (bob.get_item, lambda x: bob.find_item(str(x)), lambda _: bob.find_item(uuid)):
        with pytest.raises(NotFound):
            read(secret)
    assert bob.get_items([secret, lunch]) == [bob.get_item(lunch)]
    for name_or_id in ("Deal", "deal", deal["deal"], str(deal["deal"])):
        with pytest.raises(NotFound):
            bob.get_container(name_or_id)
    with pytest.raises(NotFound):
        bob.project_plan("Deal")
    with pytest.raises(NotFound):
        bob.members("Deal")
    for project in ("Deal", deal["deal"]):
        with pytest.raises(NotFound):
            bob.risks(project)
    assert [c.name for c in bob.containers(include_archived=True)] == ["Office"]
    assert bob.activity(secret) == [] and bob.comments(secret) == []
    assert bob.dependencies() == []
    seen = bob.get_item(lunch)
    assert seen.depends == () and not seen.blocked  # the hidden predecessor is not shown
    assert bob.list_items(Filter(virtual=("BLOCKED",))) == []
    notes = bob.actions_since(0, limit=100)
    assert notes and all(SECRET not in n.description for n in notes)
    assert any("Book the team lunch" in n.description for n in notes)
    # the owner still sees everything
    assert [i.id for i in store.list_items()] == [secret, lunch]
    assert store.get_item(lunch).blocked and len(store.dependencies()) == 1
    assert any(SECRET in n.description for n in store.actions_since(0, limit=100))


def test_a_non_member_cannot_write_to_it(
    store: Store, open_as: Callable[..., Store], deal: dict[str, int]
) -> None:
    bob = open_as("bob")
    secret, lunch = deal["secret"], deal["lunch"]
    before = store.get_item(secret)
    writes: list[Callable[[], object]] = [
        lambda: bob.update_item(secret, {"title": "mine"}),
        lambda: bob.modify_item(secret, ParsedItem(title="x", given={"title"})),
        lambda: bob.move_item(secret, bob.statuses()[2].id),
        lambda: bob.complete_item(secret),
        lambda: bob.delete_item(secret),
        lambda: bob.add_comment(secret, "hello"),
        lambda: bob.add_dependency(lunch, secret),
        lambda: bob.add_dependency(secret, lunch),
        lambda: bob.add_item(ParsedItem(title="y", depends=[secret], given={"title"})),
    ]
    for write in writes:
        with pytest.raises(NotFound):
            write()
    for write in (
        lambda: bob.add_item(ParsedItem(title="sneak", project="Deal", given={"title"})),
        lambda: bob.update_item(lunch, {"project": "Deal"}),
        lambda: bob.save_project("Deal", goal="take it over"),
        lambda: bob.ensure_container("Deal"),
        lambda: bob.import_plan(parse_plan('[project]\nname = "Deal"\n')),
    ):
        with pytest.raises(PermissionDenied, match="'Deal' is restricted to its members"):
            write()
    for manage in (
        lambda: bob.set_restricted("Deal", False),
        lambda: bob.add_member("Deal", "bob"),
    ):
        with pytest.raises(NotFound):
            manage()
    assert store.get_item(secret) == before
    assert store.get_container("Deal").goal == ""
    assert [c.name for c in store.containers()] == ["Deal", "Office"]


def test_members_and_owner_rules(
    store: Store, open_as: Callable[..., Store], deal: dict[str, int]
) -> None:
    bob, carol = open_as("bob"), open_as("carol")
    store.add_member("Deal", "bob")
    assert [i.id for i in bob.list_items()] == [deal["secret"], deal["lunch"]]
    assert bob.update_item(deal["secret"], {"notes": "read it"}).notes == "read it"
    assert bob.members("Deal") == [Member("bob", "member", "")]
    with pytest.raises(PermissionDenied, match=r"Only the owner of 'Deal' \(alice\)"):
        bob.add_member("Deal", "carol")
    with pytest.raises(PermissionDenied, match="Only the owner"):
        bob.set_restricted("Deal", False)
    assert carol.list_items() == [carol.get_item(deal["lunch"])]
    store.set_restricted("Deal", False)
    assert [i.id for i in carol.list_items()] == [deal["secret"], deal["lunch"]]
    with pytest.raises(PermissionDenied):  # open, but still Alice's to manage
        carol.set_restricted("Deal", True)
    # an ownerless project: anyone who sees it may restrict it, and then owns it
    _item(carol, "Carol's plan", "Garden")
    bob.set_restricted("Garden", True)
    assert store.list_items(Filter(project="Garden")) == []
    assert bob.get_container("Garden").owner == "bob"


def test_guard_rail_costs_no_query_per_item(
    store: Store, open_as: Callable[..., Store], deal: dict[str, int]
) -> None:
    bob = open_as("bob")
    for n in range(30):
        _item(store, f"secret {n}", "Deal")
        _item(store, f"open {n}", "Office")
    with count_queries() as few:
        assert len(bob.list_items()) == 31
    with count_queries() as feed:
        assert len(bob.actions_since(0, limit=200)) == 31  # lunch, then the 30 open ones
    assert few.count <= 6 and feed.count == 1


def test_upgrade_from_schema_2_adds_restricted_and_the_start_index(
    store: Store, open_as: Callable[..., Store]
) -> None:
    _item(store, "kept", "Deal")
    store.db.execute_sql('DROP INDEX "item_start"')  # type: ignore[no-untyped-call]
    store.db.execute_sql('ALTER TABLE "container" DROP COLUMN "restricted"')  # type: ignore[no-untyped-call]
    store.tables.meta.update(value="2").where(store.tables.meta.key == "version").execute()
    store.close()
    upgraded = open_as("alice")
    assert upgraded.schema_version() == latest_version() == 3
    assert [i.title for i in upgraded.list_items()] == ["kept"]
    assert upgraded.get_container("Deal").restricted is False
    assert "item_start" in {index.name for index in upgraded.db.get_indexes("item")}
    upgraded.set_restricted("Deal", True)
    assert open_as("bob").list_items() == []


def test_new_databases_have_the_start_index(store: Store) -> None:
    assert "item_start" in {index.name for index in store.db.get_indexes("item")}
