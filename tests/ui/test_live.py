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
        assert "yours" in text
        await pilot.press("space")
        await settle(pilot)
        assert "theirs" in screen_text(app)  # the whole word: the column fits either choice
        await pilot.press("enter")
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


async def test_idle_polls_repaint_nothing(app: TaskDeskApp, db_path: str) -> None:
    """SQLite polls every second; when nothing changed, no screen re-reads or repaints."""
    import threading

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        screen = app.screen
        reloads: list[int] = []
        original = screen.reload

        def counted(*args: object, **kwargs: object) -> None:
            reloads.append(1)
            original(*args, **kwargs)  # type: ignore[arg-type]

        screen.reload = counted  # type: ignore[method-assign]
        screen.set_status("marker")
        for _ in range(3):
            app.check_for_changes()
            await settle(pilot)
        assert reloads == [] and "marker" in screen_text(app)
        assert not any(t.name == "taskdesk-live" for t in threading.enumerate())
        with closing(open_store(db_path, actor="bob")) as bob:
            bob.add_comment(bob.list_items()[0].id, "seen")
        app.check_for_changes()
        await settle(pilot)
        assert reloads == [1] and "bob:" in screen_text(app)


async def test_postgresql_change_appears_without_a_key_press(tmp_path: object) -> None:
    """PostgreSQL: another session's write wakes this one through LISTEN/NOTIFY."""
    import asyncio
    import os
    import uuid

    import psycopg
    import pytest

    from taskdesk.domain.model import ParsedItem

    url = os.environ.get("TASKDESK_TEST_PG_URL", "").strip()
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("TASKDESK_TEST_PG_URL is not set on CI")
        pytest.skip("TASKDESK_TEST_PG_URL is not set")
    from tests.store.conftest import _pg_url_with_schema

    schema = f"td_live_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    target = _pg_url_with_schema(url, schema)
    try:
        with closing(open_store(target, actor="tester")) as seed:
            for title in ("Fix login bug", "Write blog post"):
                seed.add_item(ParsedItem(title=title, given={"title"}))
        app = TaskDeskApp(db=target, actor="tester", offer_demo=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("l")
            await settle(pilot)
            board = app.screen.query_one(BoardView)
            selected = board.selected_item
            assert selected is not None
            with closing(open_store(target, actor="bob")) as bob:
                other = next(i for i in bob.list_items() if i.id != selected.id)
                review = next(s for s in bob.statuses() if s.name == "Review")
                bob.move_item(other.id, review.id)

            def in_review() -> int:
                return next(c.count for c in board.columns if c.status.name == "Review")

            for _ in range(200):  # a cap, not a timing: stops as soon as it shows
                if in_review() == 1:
                    break
                await asyncio.sleep(0.025)
                await settle(pilot)
            assert in_review() == 1
            assert "bob:" in screen_text(app) and other.title in screen_text(app)
            still = board.selected_item
            assert still is not None and still.id == selected.id
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


async def test_news_of_a_change_is_not_hidden_by_the_wip_warning(
    app: TaskDeskApp, db_path: str, open_db: Callable[[], Store]
) -> None:
    with closing(open_db()) as store:
        todo = next(s for s in store.statuses() if s.name == "To do")
        store.set_wip_limits(todo.id, wip_max=1)  # the seeded board is over it
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "WIP limit exceeded" in screen_text(app)
        with closing(open_store(db_path, actor="bob")) as bob:
            item = bob.list_items()[0]
            bob.update_item(item.id, {"title": "Renamed by bob"})
        app.check_for_changes()
        await settle(pilot)
        text = screen_text(app)
        assert "bob:" in text and "Renamed by bob" in text
        assert "WIP limit exceeded" not in text  # the news keeps the line for a while
