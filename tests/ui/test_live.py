"""Several sessions on one store: changes by others appear without a key press."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing

from taskdesk.store import Store, open_store
from taskdesk.ui.app import TaskDeskApp
from taskdesk.ui.screens.board import BoardScreen
from taskdesk.ui.widgets.board_view import BoardView
from tests.ui.helpers import screen_text, settle


async def test_another_users_move_appears_and_is_named(app: TaskDeskApp, db_path: str) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        board = app.screen.query_one(BoardView)
        selected = board.selected_item
        assert selected is not None
        with closing(open_store(db_path, actor="bob")) as bob:
            other = next(i for i in bob.list_items() if i.id != selected.id)
            review = next(s for s in bob.statuses() if s.name == "Review")
            bob.move_item(other.id, review.id)
        app.check_for_changes()
        await settle(pilot)
        review_column = next(c for c in board.columns if c.status.name == "Review")
        assert review_column.count == 1
        text = screen_text(app)
        assert "bob:" in text and other.title in text
        still = board.selected_item
        assert still is not None and still.id == selected.id  # selection kept


async def test_own_changes_do_not_trigger_a_second_reload(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l", "L")
        await settle(pilot)
        app.screen.set_status("marker")  # type: ignore[attr-defined]
        app.check_for_changes()
        await settle(pilot)
        assert "marker" in screen_text(app)  # nothing from others to announce


async def _open_form(app: TaskDeskApp, pilot: object) -> int:
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("l", "e")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    from taskdesk.ui.screens.edit_form import EditItemScreen

    assert isinstance(app.screen, EditItemScreen)
    return app.screen.item.id


async def test_edits_to_different_fields_merge_automatically(
    app: TaskDeskApp, db_path: str, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        item_id = await _open_form(app, pilot)
        with closing(open_store(db_path, actor="bob")) as bob:
            bob.update_item(item_id, {"notes": "bob's notes"})
        app.screen.query_one("#field-title").value = "My new title"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    with closing(open_db()) as store:
        item = store.get_item(item_id)
        assert item.title == "My new title" and item.notes == "bob's notes"


async def test_same_field_conflict_asks_and_keeps_the_choice(
    app: TaskDeskApp, db_path: str, open_db: Callable[[], Store]
) -> None:
    from taskdesk.ui.screens.conflict import ConflictScreen

    async with app.run_test(size=(120, 40)) as pilot:
        item_id = await _open_form(app, pilot)
        with closing(open_store(db_path, actor="bob")) as bob:
            bob.update_item(item_id, {"title": "Bob's title", "notes": "bob was here"})
        app.screen.query_one("#field-title").value = "My title"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        text = screen_text(app)
        assert "bob saved this item" in text and "Bob's title" in text and "My title" in text
        await pilot.press("t", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    with closing(open_db()) as store:
        item = store.get_item(item_id)
        assert item.title == "Bob's title" and item.notes == "bob was here"


async def test_conflict_escape_saves_nothing_and_keeps_the_edit(
    app: TaskDeskApp, db_path: str, open_db: Callable[[], Store]
) -> None:
    from taskdesk.ui.screens.edit_form import EditItemScreen

    async with app.run_test(size=(120, 40)) as pilot:
        item_id = await _open_form(app, pilot)
        with closing(open_store(db_path, actor="bob")) as bob:
            bob.update_item(item_id, {"title": "Bob's title"})
        app.screen.query_one("#field-title").value = "My title"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, EditItemScreen)
        assert app.screen.query_one("#field-title").value == "My title"  # type: ignore[attr-defined]
        assert "Save again to merge" in screen_text(app)
    with closing(open_db()) as store:
        assert store.get_item(item_id).title == "Bob's title"
