"""Undo/redo of the actor's own actions, read from the activity log."""

from __future__ import annotations

import pytest

from taskdesk.domain.model import Assignment, LinkType, ParsedItem, Priority
from taskdesk.store import Store
from taskdesk.store.errors import NotFound, UndoRefused


def sid(store: Store, name: str) -> int:
    return next(s.id for s in store.statuses() if s.name == name)


def fields(store: Store, item_id: int) -> tuple:
    item = store.get_item(item_id)
    return (item.title, item.status, item.priority, item.tags, item.assignees, item.depends,
            item.project, item.due, item.completed, item.started, item.position)  # fmt: skip


def test_nothing_to_undo_or_redo(store: Store) -> None:
    with pytest.raises(UndoRefused, match="Nothing to undo"):
        store.undo()
    with pytest.raises(UndoRefused, match="Nothing to redo"):
        store.redo()


def test_undo_redo_create(store: Store) -> None:
    item = store.add_item(ParsedItem(title="Write blog post", tags=["a"]))
    assert store.undo() == "Undid: add 'Write blog post'"
    with pytest.raises(NotFound):
        store.get_item(item.id)
    assert store.redo() == "Redid: add 'Write blog post'"
    restored = store.get_item(item.id)
    assert restored.tags == ("a",) and restored.version > item.version


def test_undo_redo_move(store: Store) -> None:
    item = store.add_item(ParsedItem(title="Write blog post"))
    before = fields(store, item.id)
    store.move_item(item.id, sid(store, "Done"))
    after = fields(store, item.id)
    assert store.undo() == "Undid: move 'Write blog post' to Done"
    assert fields(store, item.id) == before
    assert store.redo() == "Redid: move 'Write blog post' to Done"
    assert fields(store, item.id) == after


def test_undo_modify_tags_assignees_depends(store: Store) -> None:
    pred = store.add_item(ParsedItem(title="Pred"))
    item = store.add_item(
        ParsedItem(title="T", tags=["x"], assignees=["bob"], priority=Priority.LOW)
    )
    before = fields(store, item.id)
    store.modify_item(
        item.id,
        ParsedItem(title="T2", priority=Priority.HIGH, tags=["y"], remove_tags=["x"],
                   assignees=["carol"], depends=[pred.id], project="Home",
                   given={"title", "priority", "project"}),
    )  # fmt: skip
    after = fields(store, item.id)
    assert after != before
    assert store.undo() == "Undid: modify 'T'"
    assert fields(store, item.id) == before
    store.redo()
    assert fields(store, item.id) == after
    store.update_item(item.id, {"assignees": [Assignment("dave", 0.5)]})
    store.add_dependency(pred.id, item.id, LinkType.SS, 1.0)
    store.undo()
    store.undo()
    assert fields(store, item.id) == after


def test_undo_delete_restores(store: Store) -> None:
    item = store.add_item(ParsedItem(title="Oops"))
    store.delete_item(item.id)
    assert store.undo() == "Undid: delete 'Oops'"
    assert store.get_item(item.id).title == "Oops"
    store.redo()
    with pytest.raises(NotFound):
        store.get_item(item.id)


def test_undo_comment_and_reorder(store: Store) -> None:
    a = store.add_item(ParsedItem(title="A"))
    b = store.add_item(ParsedItem(title="B"))
    store.reorder_item(b.id, -1)
    store.add_comment(a.id, "hello")
    assert store.undo() == "Undid: comment on 'A'"
    assert store.comments(a.id) == []
    store.redo()
    assert [c.body for c in store.comments(a.id)] == ["hello"]
    store.undo()
    assert store.undo() == "Undid: reorder 'B'"
    assert [i.title for i in store.board_column(sid(store, "To do"))] == ["A", "B"]


def test_stack_order_and_new_action_clears_redo(store: Store) -> None:
    item = store.add_item(ParsedItem(title="S"))
    store.update_item(item.id, {"title": "S1"})
    store.update_item(item.id, {"title": "S2"})
    assert store.undo() == "Undid: edit 'S1'"
    assert store.undo() == "Undid: edit 'S'"
    assert store.get_item(item.id).title == "S"
    assert store.redo() == "Redid: edit 'S'"
    assert store.get_item(item.id).title == "S1"
    store.update_item(item.id, {"priority": Priority.HIGH})  # something new
    with pytest.raises(UndoRefused, match="Nothing to redo"):
        store.redo()
    assert store.undo() == "Undid: edit 'S1'"
    assert store.undo() == "Undid: edit 'S'"
    assert store.get_item(item.id).title == "S" and store.get_item(item.id).priority is None
    assert store.redo() == "Redid: edit 'S'"
    assert store.redo() == "Redid: edit 'S1'"
    assert store.get_item(item.id).priority is Priority.HIGH


def test_undo_refused_when_another_actor_changed_the_item(store: Store, open_as) -> None:
    bob = open_as("bob")
    item = store.add_item(ParsedItem(title="Shared"))
    store.move_item(item.id, sid(store, "In progress"))
    bob.update_item(item.id, {"title": "Bob's title"})
    with pytest.raises(UndoRefused, match="bob has changed 'Bob's title' since"):
        store.undo()
    assert store.get_item(item.id).status == "In progress"
    with pytest.raises(UndoRefused, match="Nothing to redo"):
        bob.redo()
    assert bob.undo() == "Undid: edit 'Shared'"  # bob's own action is still his to undo
    # the refused move left alice's stack; her next undo reaches the creation (refused too)
    with pytest.raises(UndoRefused, match="Cannot undo add 'Shared': bob"):
        store.undo()
    with pytest.raises(UndoRefused, match="Nothing to undo"):
        store.undo()


def test_refused_action_leaves_the_stack(store: Store, open_as) -> None:
    bob = open_as("bob")
    mine = store.add_item(ParsedItem(title="Mine"))
    shared = bob.add_item(ParsedItem(title="Shared"))
    store.update_item(shared.id, {"priority": Priority.HIGH})
    bob.update_item(shared.id, {"title": "Shared!"})
    with pytest.raises(UndoRefused, match="dropped from your undo history"):
        store.undo()
    assert store.undo() == "Undid: add 'Mine'"
    with pytest.raises(NotFound):
        store.get_item(mine.id)


def test_undo_is_per_actor(store: Store, open_as) -> None:
    bob = open_as("bob")
    mine = store.add_item(ParsedItem(title="Alice's"))
    bob.add_item(ParsedItem(title="Bob's"))
    assert store.undo() == "Undid: add 'Alice's'"
    with pytest.raises(NotFound):
        store.get_item(mine.id)
    assert [i.title for i in bob.list_items()] == ["Bob's"]


def test_own_undone_later_actions_do_not_block_undo(store: Store) -> None:
    item = store.add_item(ParsedItem(title="X"))
    store.update_item(item.id, {"title": "Y"})
    store.update_item(item.id, {"title": "Z"})
    store.undo()
    store.undo()
    store.undo()
    with pytest.raises(NotFound):
        store.get_item(item.id)


def test_activity_log_is_append_only(store: Store) -> None:
    item = store.add_item(ParsedItem(title="Log"))
    store.update_item(item.id, {"title": "Log 2"})
    before = [(a.id, a.field, a.old, a.new) for a in store.activity(item.id)]
    store.undo()
    store.redo()
    after = [(a.id, a.field, a.old, a.new) for a in store.activity(item.id)]
    assert after[-len(before) :] == before  # old entries unchanged, new ones on top
    assert len(after) == len(before) + 2
    newest = store.activity(item.id)[0]
    assert newest.actor == "alice" and newest.field == "title"
    actions = {a.action_id for a in store.activity(item.id)}
    assert len(actions) == 4  # add, edit, undo, redo
    kinds = [r.kind for r in store.tables.action.select().order_by(store.tables.action.id)]
    assert kinds == ["do", "do", "undo", "redo"]
