"""Start-up (issue 5): the Board's first read begins before the screen is built (before
Textual is even imported, for ``taskdesk``), the app starts straight in Work mode, and the
key line repaints only when its keys change."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from taskdesk.domain.importing import ImportRecord
from taskdesk.domain.model import ParsedItem
from taskdesk.store import Store
from taskdesk.ui.app import TaskDeskApp
from taskdesk.ui.board_read import FIRST_PAGE_SIZE, BoardRead, FirstRead
from taskdesk.ui.screens.board import BoardScreen
from taskdesk.ui.widgets.board_view import BoardView
from taskdesk.ui.widgets.key_line import KeyLine

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


async def test_key_line_repaints_only_when_its_keys_change(
    app: TaskDeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        line = app.screen.query_one(KeyLine)
        repainted: list[int] = []
        refresh = line.refresh

        def counting(*args: object, **kwargs: bool) -> KeyLine:
            repainted.append(1)
            return refresh(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(line, "refresh", counting)
        app.screen.refresh_bindings()
        app.screen.refresh_bindings()
        await settle(pilot)
        assert repainted == []  # the same keys: nothing to redraw
        board = app.screen.query_one(BoardView)
        assert board.selected_item is None  # the empty Backlog column
        keys = {shown.key: shown.enabled for shown in line.keys}
        assert keys["x"] is False and keys["a"] is True
        await pilot.press("l")  # to "To do": a card is selected, its keys light up
        await settle(pilot)
        assert board.selected_item is not None
        assert repainted == [1]
        keys = {shown.key: shown.enabled for shown in line.keys}
        assert keys["x"] is True and keys["a"] is True
        plain = line.render().plain
        assert plain.startswith("H Move ← L Move → a Add ⏎ Open e Edit x Done ")
        assert plain.endswith(" ^p palette") and len(plain) == 120  # palette at the right
        assert "Edit" in screen_text(app).splitlines()[-1]


async def test_a_click_on_the_key_line_presses_the_key(app: TaskDeskApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        line = app.screen.query_one(KeyLine)
        spans = {key: start for start, _end, key in line._spans}
        assert "question_mark" in spans or "?" in spans
        key = "question_mark" if "question_mark" in spans else "?"
        await pilot.click(KeyLine, offset=(spans[key], 0))
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"


async def test_a_first_read_begun_before_the_app_is_shown_in_the_first_frame(
    db_path: str,
) -> None:
    """What ``taskdesk`` does: open the store and begin the read, then build the app."""
    from taskdesk.store import open_store

    store = open_store(db_path, actor="alice")
    first = FirstRead.begin(store, done_days=14)
    first.board.result(timeout=10)
    app = TaskDeskApp(store=store, first_read=first, offer_demo=False)
    async with app.run_test(size=(120, 40)) as pilot:
        board = app.screen.query_one(BoardView)
        # Applied in the Board's on_mount: no worker round trip before the first frame.
        assert [c.count for c in board.columns if c.count] == [3]
        assert app.take_first_board() is None
        await settle(pilot)
        assert app._seen_version == first.marks.result()[0]
        assert "Fix login bug" in screen_text(app)


async def test_the_first_read_is_short_and_the_column_reads_on_as_the_cursor_goes(
    tmp_path: Path,
) -> None:
    from taskdesk.store import open_store

    path = str(tmp_path / "long.db")
    store = open_store(path, actor="alice")
    titles = [f"Card {n:03d}" for n in range(FIRST_PAGE_SIZE + 12)]
    store.import_records(
        [ImportRecord(uid=f"u{n}", title=title) for n, title in enumerate(titles)], label="cards"
    )
    first = FirstRead.begin(store, done_days=14)
    read = first.board.result(timeout=10)
    assert [len(page) for page in read.pages.values()] == [FIRST_PAGE_SIZE]
    app = TaskDeskApp(store=store, first_read=first, offer_demo=False)
    async with app.run_test(size=(120, 40)) as pilot:
        board = app.screen.query_one(BoardView)
        column = next(column for column in board.columns if column.count)
        assert column.count == len(titles) and len(column.items) == FIRST_PAGE_SIZE
        await settle(pilot)
        await pilot.press("l")  # from the empty Backlog to "To do"
        await settle(pilot)
        for _ in range(len(titles) - 1):
            await pilot.press("j")
            await settle(pilot)
        selected = board.selected_item
        assert selected is not None and selected.title == titles[-1]
        column = board.columns[board.cursor_column]
        assert sorted(column.items) == list(range(len(titles)))


async def test_other_screens_are_imported_in_the_background_after_start_up(
    app: TaskDeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib
    import threading

    from taskdesk.ui import app as app_module

    imported: list[str] = []
    done = threading.Event()
    original = importlib.import_module

    def recording(name: str) -> object:
        if name in app_module.WARM_MODULES:  # (Textual imports some widgets this way)
            imported.append(name)
        if len(imported) == len(app_module.WARM_MODULES):
            done.set()
        return original(name)

    monkeypatch.setattr(importlib, "import_module", recording)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert imported == []  # not during start-up
        await pilot.pause(app_module.WARM_AFTER_SECONDS + 0.1)
        assert done.wait(10)
        assert imported == list(app_module.WARM_MODULES)
        assert "taskdesk.ui.screens.projects" in imported


async def test_the_first_screens_css_is_added_before_it_is_styled(
    app: TaskDeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One full parse at start-up: Textual's re-parse when the first screen is shown
    is skipped (same sources, same variables: ``TaskDeskApp.refresh_css``), and a widget
    the Board composes that is missing from ``BoardScreen.WIDGETS`` would add its CSS
    late and cost another. A theme change still parses with the new variables."""
    from textual.css.stylesheet import Stylesheet

    full_parses: list[int] = []
    original = Stylesheet._parse_rules

    def counting(
        self: Stylesheet,
        css: str,
        read_from: tuple[str, str],
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> object:
        key = (css, read_from, is_default_rules, tie_breaker, scope)
        if read_from[0].endswith("app.tcss") and key not in self._parse_cache:
            full_parses.append(1)  # app.tcss parsed anew: every source is being parsed
        return original(self, css, read_from, is_default_rules, tie_breaker, scope)

    monkeypatch.setattr(Stylesheet, "_parse_rules", counting)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Fix login bug" in screen_text(app)
        assert len(full_parses) == 1
        bar = app.screen.query_one("#mode-bar")
        before = bar.styles.background
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(pilot)
        assert len(full_parses) == 2  # new variables: parsed again
        assert bar.styles.background != before


async def test_a_failed_first_read_is_read_again_by_the_board(db_path: str) -> None:
    """A first read that failed (a locked store, say) does not leave the Board empty."""
    from concurrent.futures import Future

    from taskdesk.store import open_store
    from taskdesk.store.errors import StoreLocked

    store = open_store(db_path, actor="alice")
    marks: Future[tuple[int, int]] = Future()
    marks.set_result((store.data_version(), store.latest_action_id()))
    board: Future[BoardRead] = Future()
    board.set_exception(StoreLocked("the store was busy"))
    app = TaskDeskApp(store=store, first_read=FirstRead(marks, board), offer_demo=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(BoardView)
        assert [c.count for c in view.columns if c.count] == [3]
        assert "Fix login bug" in screen_text(app)


async def test_an_app_given_a_store_opening_draws_first_and_opens_it_after(
    db_path: str,
) -> None:
    """What ``taskdesk`` does on SQLite (taskdesk.ui.launch): the first read and the
    store's place come from elsewhere; the app's own store opens after the first frame,
    and writes go through it."""
    from taskdesk.store import open_store
    from taskdesk.ui.launch import StoreOpening, StorePlace

    reader = open_store(db_path, actor="tester")
    first = FirstRead.begin(reader, done_days=14)
    first.board.result(timeout=10)
    opening = StoreOpening(db_path, "tester", lambda: None)
    place = StorePlace("tester", reader.location, "sqlite", ["Opened with a warning"])
    app = TaskDeskApp(opening=opening, place=place, first_read=first, offer_demo=False)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            board = app.screen.query_one(BoardView)
            assert [c.count for c in board.columns if c.count] == [3]
            await settle(pilot)
            for _ in range(100):  # begun after the first refresh, without being asked
                if opening.opened() is not None:
                    break
                await pilot.pause(0.05)
            assert opening.opened() is not None
            assert app.store is opening.opened()
            assert app.store.location == reader.location and app.store.actor == "tester"
            assert "tester @" in screen_text(app)  # the mode bar drew the place
            assert [n.message for n in app._notifications] == ["Opened with a warning"]
            await pilot.press("a")
            await settle(pilot)
            await pilot.press(*"Written by the app", "enter")
            await settle(pilot)
            titles = [item.title for item in reader.list_items()]
            assert "Written by the app" in titles
    finally:
        if app._store is not None:
            app._store.close()
        reader.close()


async def test_an_app_whose_store_will_not_open_leaves_with_the_reason(
    db_path: str, tmp_path: Path
) -> None:
    from taskdesk.store import open_store
    from taskdesk.ui.launch import StoreOpening, StorePlace

    bad = tmp_path / "garbage.db"
    bad.write_bytes(b"garbage" * 100)
    reader = open_store(db_path, actor="tester")
    first = FirstRead.begin(reader, done_days=14)
    app = TaskDeskApp(
        opening=StoreOpening(str(bad), "tester", lambda: None),
        place=StorePlace("tester", str(bad), "sqlite"),
        first_read=first,
        offer_demo=False,
    )
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(100):
                if app.return_code is not None:
                    break
                await pilot.pause(0.05)
        assert app.return_code == 1
    finally:
        reader.close()


async def test_an_empty_store_reported_by_the_child_gets_the_demo_offer(db_path: str) -> None:
    """The child looked inside the store: the app offers the demo without a store call."""
    from taskdesk.store import open_store
    from taskdesk.ui.launch import StoreOpening, StorePlace
    from taskdesk.ui.screens.confirm import ConfirmScreen

    reader = open_store(db_path, actor="tester")
    first = FirstRead.begin(reader, done_days=14)
    opening = StoreOpening(db_path, "tester", lambda: None)
    place = StorePlace("tester", reader.location, "sqlite", empty=True)
    app = TaskDeskApp(opening=opening, place=place, first_read=first)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            await settle(pilot)
            assert isinstance(app.screen, BoardScreen)
    finally:
        store = opening.opened()
        if store is not None:
            store.close()
        reader.close()
