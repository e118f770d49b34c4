"""Items: add, read, modify, update, move, reorder, delete, comments, dependencies."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from taskdesk.domain.model import (
    Assignment,
    ContainerKind,
    LinkType,
    ParsedItem,
    Priority,
    Recurrence,
    RecurrenceAnchor,
    StatusCategory,
)
from taskdesk.store import Store
from taskdesk.store.errors import DependencyCycle, NotFound, StaleWrite, ValidationError
from taskdesk.store.mapping import load

DUE = datetime(2026, 12, 1, 17, 0)


def status_id(store: Store, name: str) -> int:
    return next(s.id for s in store.statuses() if s.name == name)


def full_item() -> ParsedItem:
    return ParsedItem(
        title="Write blog post",
        project="Marketing.Blog",
        due=DUE,
        start=datetime(2026, 11, 28, 9, 0),
        wait=datetime(2026, 11, 20, 8, 0),
        priority=Priority.HIGH,
        tags=["writing", "web"],
        assignees=["bob", "carol"],
        recurrence=Recurrence("FREQ=WEEKLY;BYDAY=TU", RecurrenceAnchor.SCHEDULE),
        estimate_minutes=90,
        duration_days=1.5,
        milestone=True,
    )


def test_add_item_with_every_field(store: Store) -> None:
    pred = store.add_item(ParsedItem(title="Outline"))
    parsed = full_item()
    parsed.depends = [pred.id]
    item = store.add_item(parsed)
    assert item.title == "Write blog post"
    assert item.project == "Marketing.Blog" and item.project_kind is ContainerKind.AREA
    assert (item.due, item.start, item.wait) == (parsed.due, parsed.start, parsed.wait)
    assert item.priority is Priority.HIGH
    assert item.tags == ("web", "writing")
    assert item.assignees == (Assignment("bob"), Assignment("carol"))
    assert item.recurrence == Recurrence("FREQ=WEEKLY;BYDAY=TU", RecurrenceAnchor.SCHEDULE)
    assert item.series_id is not None and item.occurrence == date(2026, 12, 1)
    assert item.estimate_minutes == 90 and item.duration_days == 1.5
    assert item.milestone is True
    assert item.depends == (pred.id,) and item.blocked
    assert item.status == "To do" and item.category is StatusCategory.UNSTARTED
    assert item.created == item.updated == store.now()
    assert item.created_by == "alice" and item.version == 1
    assert len(item.uuid) == 36
    assert {p.login for p in store.people()} == {"bob", "carol"}
    assert store.get_item(pred.id).blocking


def test_add_item_status_parent_and_now(store: Store) -> None:
    parent = store.add_item(ParsedItem(title="Parent"))
    when = datetime(2026, 1, 2, 3, 4)
    child = store.add_item(
        ParsedItem(title="Child"),
        status_id=status_id(store, "In progress"),
        parent_id=parent.id,
        now=when,
    )
    assert child.parent_id == parent.id
    assert child.status == "In progress" and child.started == when and child.created == when
    done = store.add_item(ParsedItem(title="Done already"), status_id=status_id(store, "Done"))
    assert done.completed == store.now()


def test_add_item_validation(store: Store) -> None:
    with pytest.raises(ValidationError, match="needs a title"):
        store.add_item(ParsedItem(title="   "))
    with pytest.raises(NotFound):
        store.add_item(ParsedItem(title="x", depends=[999]))
    with pytest.raises(NotFound):
        store.add_item(ParsedItem(title="x"), status_id=999)
    with pytest.raises(NotFound):
        store.add_item(ParsedItem(title="x"), parent_id=999)
    assert store.list_items(None) == []
    assert store.is_empty() or store.containers() == []


def test_text_is_cleaned_on_write(store: Store) -> None:
    item = store.add_item(ParsedItem(title="Hi\x1b]0;pwned\x07 there\u202e", tags=["a\x1b[2Jb"]))
    assert item.title == "Hi there"
    assert item.tags == ("ab",)
    notes = store.update_item(item.id, {"notes": "line 1\r\nline\x1b[31m 2\t!"}).notes
    assert notes == "line 1\nline 2    !"
    comment = store.add_comment(item.id, "ok\x07")
    assert comment.body == "ok"


def test_get_find_and_get_items(store: Store) -> None:
    a = store.add_item(ParsedItem(title="A"))
    b = store.add_item(ParsedItem(title="B"))
    assert store.get_item(a.id) == a
    assert store.find_item(str(b.id)).id == b.id
    assert store.find_item(b.uuid).id == b.id
    assert store.find_item(b.uuid[:8].upper()).id == b.id
    store.tables.item.update(uuid="12345678-aaaa").where(store.tables.item.id == a.id).execute()
    assert store.find_item("12345678").id == a.id  # all digits, but no such id: a uuid
    with pytest.raises(NotFound):
        store.find_item("abc")
    with pytest.raises(NotFound):
        store.find_item("ffffffff-0000")
    with pytest.raises(NotFound):
        store.get_item(12345)
    assert [i.id for i in store.get_items([b.id, 999, a.id, b.id])] == [b.id, a.id]
    assert store.get_items([]) == []


def test_modify_changes_only_given_fields(store: Store) -> None:
    item = store.add_item(full_item())
    changed = store.modify_item(
        item.id,
        ParsedItem(
            title="ignored",
            priority=Priority.LOW,
            tags=["new"],
            remove_tags=["WEB"],
            assignees=["dave"],
            remove_assignees=["bob"],
            given={"priority", "tags", "assignees"},
        ),
    )
    assert changed.title == "Write blog post"
    assert changed.priority is Priority.LOW
    assert changed.tags == ("new", "writing")
    assert changed.assignee_logins == ("carol", "dave")
    assert changed.due == item.due and changed.project == item.project
    assert changed.version == item.version + 1
    again = store.modify_item(
        item.id,
        ParsedItem(title="Renamed", project=None, due=None, milestone=False,
                   estimate_minutes=30, duration_days=2.0,
                   given={"title", "project", "due", "milestone", "estimate", "duration"}),
    )  # fmt: skip
    assert again.title == "Renamed" and again.project is None and again.due is None
    assert again.milestone is False and again.estimate_minutes == 30 and again.duration_days == 2
    assert again.version == changed.version + 1


def test_modify_recurrence_attach_change_detach(store: Store) -> None:
    item = store.add_item(ParsedItem(title="Routine", due=DUE))
    daily = Recurrence("FREQ=DAILY")
    attached = store.modify_item(item.id, ParsedItem(recurrence=daily, given={"recurrence"}))
    assert attached.recurrence == daily and attached.occurrence == DUE.date()
    weekly = Recurrence("FREQ=WEEKLY", RecurrenceAnchor.COMPLETION)
    changed = store.modify_item(item.id, ParsedItem(recurrence=weekly, given={"recurrence"}))
    assert changed.recurrence == weekly and changed.series_id == attached.series_id
    detached = store.modify_item(item.id, ParsedItem(recurrence=None, given={"recurrence"}))
    assert detached.recurrence is None and detached.series_id is None


def test_modify_without_changes_keeps_version(store: Store) -> None:
    item = store.add_item(ParsedItem(title="Same", priority=Priority.HIGH))
    same = store.modify_item(item.id, ParsedItem(priority=Priority.HIGH, given={"priority"}))
    assert same.version == item.version


def test_update_item_fields(store: Store) -> None:
    parent = store.add_item(ParsedItem(title="Parent"))
    item = store.add_item(ParsedItem(title="Edit me", tags=["a"], assignees=["bob"]))
    updated = store.update_item(
        item.id,
        {
            "title": "Edited",
            "notes": "Some notes",
            "priority": Priority.MEDIUM,
            "due": DUE,
            "start": date(2026, 11, 30),
            "estimate_minutes": 45,
            "duration_days": 3,
            "percent_complete": 40,
            "milestone": True,
            "project": "Ops",
            "parent_id": parent.id,
            "tags": ["x", "y"],
            "assignees": ["carol", Assignment("bob", 0.5)],
            "status_id": status_id(store, "Review"),
        },
    )
    assert updated.title == "Edited" and updated.notes == "Some notes"
    assert updated.priority is Priority.MEDIUM and updated.due == DUE
    assert updated.start == datetime(2026, 11, 30)
    assert (updated.estimate_minutes, updated.duration_days) == (45, 3.0)
    assert updated.percent_complete == 40 and updated.milestone
    assert updated.project == "Ops" and updated.parent_id == parent.id
    assert updated.tags == ("x", "y")
    assert updated.assignees == (Assignment("carol"), Assignment("bob", 1.0))
    assert updated.status == "Review" and updated.started == store.now()
    assert updated.version == item.version + 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"colour": "red"}, "Cannot edit 'colour'"),
        ({"title": ""}, "needs a title"),
        ({"priority": "Z"}, "not one of H, M, L"),
        ({"percent_complete": 101}, "above 100"),
        ({"estimate_minutes": -1}, "cannot be negative"),
        ({"due": "tomorrow"}, "must be a date"),
        ({"tags": "a,b"}, "list of names"),
    ],
)
def test_update_item_refuses_bad_values(store: Store, changes: dict, message: str) -> None:
    item = store.add_item(ParsedItem(title="x"))
    with pytest.raises(ValidationError, match=message):
        store.update_item(item.id, changes)
    assert store.get_item(item.id) == item


def test_parent_cycle_refused(store: Store) -> None:
    a = store.add_item(ParsedItem(title="A"))
    b = store.add_item(ParsedItem(title="B"), parent_id=a.id)
    with pytest.raises(ValidationError, match="own ancestor"):
        store.update_item(a.id, {"parent_id": b.id})
    with pytest.raises(ValidationError, match="own ancestor"):
        store.update_item(a.id, {"parent_id": a.id})


def test_stale_write_writes_nothing(store: Store, open_as) -> None:
    item = store.add_item(ParsedItem(title="Shared"))
    bob = open_as("bob")
    bob.update_item(item.id, {"title": "Bob's"}, expected_version=item.version)
    with pytest.raises(StaleWrite) as info:
        store.update_item(item.id, {"title": "Alice's", "tags": ["t"]}, expected_version=1)
    assert (info.value.item_id, info.value.expected, info.value.actual) == (item.id, 1, 2)
    with pytest.raises(StaleWrite):
        store.move_item(item.id, status_id(store, "Done"), expected_version=1)
    with pytest.raises(StaleWrite):
        store.modify_item(item.id, ParsedItem(title="x", given={"title"}), expected_version=1)
    now = store.get_item(item.id)
    assert now.title == "Bob's" and now.tags == () and now.version == 2 and now.status == "To do"


def test_every_write_bumps_version(store: Store) -> None:
    item = store.add_item(ParsedItem(title="v"))
    versions = [item.version]
    versions.append(store.move_item(item.id, status_id(store, "In progress")).version)
    versions.append(store.update_item(item.id, {"tags": ["a"]}).version)
    other = store.add_item(ParsedItem(title="other"), status_id=status_id(store, "In progress"))
    store.add_dependency(other.id, item.id)
    versions.append(store.get_item(item.id).version)
    versions.append(store.reorder_item(item.id, 1).version)
    assert versions == sorted(set(versions))


def test_move_logs_transition_and_times(store: Store, clock) -> None:
    item = store.add_item(ParsedItem(title="Flow"))
    t1 = clock.advance(hours=1)
    started = store.move_item(item.id, status_id(store, "In progress"))
    assert started.started == t1 and started.completed is None
    clock.advance(hours=1)
    review = store.move_item(item.id, status_id(store, "Review"))
    assert review.started == t1  # first entry into started only
    t3 = clock.advance(hours=1)
    done = store.complete_item(item.id)
    assert done.status == "Done" and done.completed == t3
    assert store.complete_item(item.id).version == done.version  # already done: no-op
    reopened = store.move_item(item.id, status_id(store, "To do"))
    assert reopened.completed is None and reopened.started == t1
    transitions = [
        (load(a.old), load(a.new), a.actor)
        for a in reversed(store.activity(item.id))
        if a.field == "status"
    ]
    ids = {s.name: s.id for s in store.statuses()}
    assert transitions == [
        (None, ids["To do"], "alice"),
        (ids["To do"], ids["In progress"], "alice"),
        (ids["In progress"], ids["Review"], "alice"),
        (ids["Review"], ids["Done"], "alice"),
        (ids["Done"], ids["To do"], "alice"),
    ]
    assert store.start_item(item.id).status == "In progress"


def test_move_to_same_status_is_a_no_op(store: Store) -> None:
    item = store.add_item(ParsedItem(title="Stay"))
    assert store.move_item(item.id, item.status_id).version == item.version


def test_move_puts_card_at_end_of_column(store: Store) -> None:
    doing = status_id(store, "In progress")
    a = store.move_item(store.add_item(ParsedItem(title="A")).id, doing)
    b = store.move_item(store.add_item(ParsedItem(title="B")).id, doing)
    assert b.position > a.position
    assert [i.title for i in store.board_column(doing)] == ["A", "B"]


def test_hard_wip_limit_refuses_move(store: Store) -> None:
    review = status_id(store, "Review")
    store.set_wip_limits(review, wip_max=2, hard=True)
    ids = [store.add_item(ParsedItem(title=f"R{n}")).id for n in range(3)]
    store.move_item(ids[0], review)
    store.move_item(ids[1], review)
    with pytest.raises(ValidationError, match="hard WIP limit of 2"):
        store.move_item(ids[2], review)
    assert store.get_item(ids[2]).status == "To do"
    with pytest.raises(ValidationError, match="hard WIP limit"):
        store.add_item(ParsedItem(title="direct"), status_id=review)
    store.set_wip_limits(review, wip_max=2, hard=False)  # soft: allowed
    assert store.move_item(ids[2], review).status == "Review"
    with pytest.raises(ValidationError):
        store.set_wip_limits(review, wip_min=3, wip_max=2)


def test_reorder_within_column(store: Store) -> None:
    todo = status_id(store, "To do")
    ids = [store.add_item(ParsedItem(title=t)).id for t in "ABCD"]

    def order() -> list[str]:
        return [i.title for i in store.board_column(todo)]

    store.reorder_item(ids[3], -2)
    assert order() == ["A", "D", "B", "C"]
    store.reorder_item(ids[0], 10)
    assert order() == ["D", "B", "C", "A"]
    store.reorder_item(ids[3], -1)  # already first: no-op
    assert order() == ["D", "B", "C", "A"]
    store.reorder_item(ids[2], -1)
    assert order() == ["D", "C", "B", "A"]


def test_reorder_renumbers_when_positions_tie(store: Store) -> None:
    todo = status_id(store, "To do")
    ids = [store.add_item(ParsedItem(title=t)).id for t in "ABC"]
    i = store.tables.item
    i.update(position=5.0).where(i.id.in_(ids)).execute()
    store.reorder_item(ids[2], -1)
    assert [x.title for x in store.board_column(todo)] == ["A", "C", "B"]


def test_delete_is_soft(store: Store) -> None:
    item = store.add_item(ParsedItem(title="Gone"))
    store.delete_item(item.id)
    with pytest.raises(NotFound):
        store.get_item(item.id)
    assert store.list_items() == []
    row = store.tables.item.get_by_id(item.id)
    assert row.deleted_at is not None
    with pytest.raises(NotFound):
        store.delete_item(item.id)


def test_comments(store: Store, clock) -> None:
    item = store.add_item(ParsedItem(title="Discuss"))
    first = store.add_comment(item.id, "first")
    clock.advance(minutes=1)
    store.add_comment(item.id, "second")
    got = store.comments(item.id)
    assert [(c.author, c.body) for c in got] == [("alice", "first"), ("alice", "second")]
    assert got[0] == first
    with pytest.raises(ValidationError):
        store.add_comment(item.id, " \n ")
    with pytest.raises(NotFound):
        store.add_comment(999, "x")


def test_dependencies_and_cycles(store: Store) -> None:
    a, b, c = (store.add_item(ParsedItem(title=t)) for t in "ABC")
    link = store.add_dependency(a.id, b.id, LinkType.SS, 2.0)
    assert (link.type, link.lag_days) == (LinkType.SS, 2.0)
    store.add_dependency(b.id, c.id)
    with pytest.raises(DependencyCycle) as info:
        store.add_dependency(c.id, a.id)
    assert info.value.cycle == [c.id, a.id, b.id]
    assert "cycle" in str(info.value)
    with pytest.raises(DependencyCycle) as self_link:
        store.add_dependency(a.id, a.id)
    assert self_link.value.cycle == [a.id]
    deps = {(d.predecessor_id, d.successor_id, d.type) for d in store.dependencies()}
    assert deps == {(a.id, b.id, LinkType.SS), (b.id, c.id, LinkType.FS)}
    store.add_dependency(a.id, b.id, LinkType.FF, -1.0)  # changes the existing link
    assert {(d.type, d.lag_days) for d in store.dependencies() if d.successor_id == b.id} == {
        (LinkType.FF, -1.0)
    }
    store.remove_dependency(a.id, b.id)
    with pytest.raises(NotFound):
        store.remove_dependency(a.id, b.id)
    assert store.get_item(b.id).depends == ()


def test_blocked_and_blocking_follow_predecessor_state(store: Store) -> None:
    a = store.add_item(ParsedItem(title="First"))
    b = store.add_item(ParsedItem(title="Then", depends=[a.id]))
    assert store.get_item(b.id).blocked and store.get_item(a.id).blocking
    store.complete_item(a.id)
    assert not store.get_item(b.id).blocked and not store.get_item(a.id).blocking
    assert store.get_item(b.id).depends == (a.id,)
    store.move_item(a.id, status_id(store, "To do"))
    store.delete_item(a.id)
    assert not store.get_item(b.id).blocked and store.get_item(b.id).depends == ()


def test_dependencies_by_container(store: Store) -> None:
    a = store.add_item(ParsedItem(title="A", project="P1"))
    b = store.add_item(ParsedItem(title="B", project="P1", depends=[a.id]))
    c = store.add_item(ParsedItem(title="C", project="P2"))
    d = store.add_item(ParsedItem(title="D", project="P3", depends=[c.id]))
    p1 = store.get_container("P1").id
    assert [(x.predecessor_id, x.successor_id) for x in store.dependencies(p1)] == [(a.id, b.id)]
    assert len(store.dependencies()) == 2 and d.blocked


def test_containers_and_people(store: Store) -> None:
    area = store.ensure_container("Home")
    assert area.kind is ContainerKind.AREA
    assert store.ensure_container("Home").id == area.id
    assert store.get_container("home").id == area.id
    assert store.get_container(area.id).name == "Home"
    project = store.save_project(
        "Mobile app launch",
        start=date(2026, 1, 5),
        deadline=date(2026, 3, 31),
        goal="Ship 1.0",
        budget=50000.0,
        owner="alice",
        workdays=["mon", "tue", "wed", "thu"],
        holidays=[date(2026, 1, 19)],
    )
    assert project.kind is ContainerKind.PROJECT and project.owner == "alice"
    assert project.workdays == ("mon", "tue", "wed", "thu")
    assert project.holidays == (date(2026, 1, 19),) and project.budget == 50000.0
    again = store.save_project("Mobile app launch", goal="Ship 1.1")
    assert again.goal == "Ship 1.1" and again.budget == 50000.0 and again.id == project.id
    assert [c.name for c in store.containers(ContainerKind.PROJECT)] == ["Mobile app launch"]
    assert [c.name for c in store.containers()] == ["Home", "Mobile app launch"]
    with pytest.raises(NotFound):
        store.get_container("Nope")
    with pytest.raises(ValidationError):
        store.save_project("Bad", start=date(2026, 2, 1), deadline=date(2026, 1, 1))
    with pytest.raises(ValidationError):
        store.save_project("Bad", workdays=["funday"])
    bob = store.ensure_person("bob", "Bob B.", capacity_hours=6.0, cost_rate=80.0)
    assert (bob.label, bob.capacity_hours, bob.cost_rate) == ("Bob B.", 6.0, 80.0)
    assert store.ensure_person("@bob").id == bob.id
    assert [p.login for p in store.people()] == ["alice", "bob"]
