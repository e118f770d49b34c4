"""Start-up (issue 5): the Board's first read begins before the screen is built, the app
starts straight in Work mode, and the footer re-composes only when its keys change."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing

import pytest

from taskdesk.domain.model import ParsedItem
from taskdesk.store import Store
from taskdesk.ui.app import TaskDeskApp
from taskdesk.ui.screens.base import QuietFooter
from taskdesk.ui.screens.board import BoardScreen
from taskdesk.ui.widgets.board_view import BoardView

from .helpers import screen_text, settle


async def test_starts_in_work_mode_on_the_board_with_its_data(app: TaskDeskApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.current_mode == "work"
        assert len(app.screen_stack) == 1
        assert isinstance(app.screen, BoardScreen)
        board = app.screen.query_one(BoardView)
        assert [c.count for c in board.columns if c.count] == [3]
        text = screen_text(app)
        assert "Fix login bug" in text and "Write blog post" in text and "Deploy v2" in text


async def test_the_first_read_is_taken_once(app: TaskDeskApp) -> None:
    assert app.take_first_board() is None  # nothing begun before the app runs
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.take_first_board() is None  # the Board took it when it mounted


async def test_changes_made_before_the_app_runs_are_shown(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    """The read begins when the app runs (on_load), not when it is constructed."""
    with closing(open_db()) as store:
        store.add_item(ParsedItem(title="Added after construction", given={"title"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        board = app.screen.query_one(BoardView)
        assert [c.count for c in board.columns if c.count] == [4]
        assert "Added after construction" in screen_text(app)


async def test_a_change_after_the_first_read_is_picked_up_by_live_refresh(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        with closing(open_db()) as store:
            store.actor = "alice"  # someone else's change: the screens re-read
            store.add_item(ParsedItem(title="From another session", given={"title"}))
        app.check_for_changes()
        await settle(pilot)
        board = app.screen.query_one(BoardView)
        assert [c.count for c in board.columns if c.count] == [4]
        assert "From another session" in screen_text(app)


async def test_footer_recomposes_only_when_its_keys_change(
    app: TaskDeskApp, open_db: Callable[[], Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(QuietFooter)
        composed: list[int] = []
        recompose = footer.recompose

        async def counting() -> None:
            composed.append(1)
            await recompose()

        monkeypatch.setattr(footer, "recompose", counting)
        app.screen.refresh_bindings()
        app.screen.refresh_bindings()
        await settle(pilot)
        assert composed == []  # the same keys: nothing to redraw
        board = app.screen.query_one(BoardView)
        assert board.selected_item is None  # the empty Backlog column
        keys = {key: enabled for key, _desc, enabled, _tip in footer.shown_keys()}
        assert keys["x"] is False and keys["a"] is True
        await pilot.press("l")  # to "To do": a card is selected, its keys light up
        await settle(pilot)
        assert board.selected_item is not None
        assert composed == [1]
        keys = {key: enabled for key, _desc, enabled, _tip in footer.shown_keys()}
        assert keys["x"] is True and keys["a"] is True
        await pilot.press("j")  # another card: the same keys
        await settle(pilot)
        assert composed == [1]
