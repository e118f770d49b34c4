"""Pilot tests of the Board: press keys, then check the store and the screen."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing

from textual.pilot import Pilot

from taskdesk.domain.model import ParsedItem, StatusCategory
from taskdesk.store import Store
from taskdesk.ui.app import TaskDeskApp
from taskdesk.ui.screens.board import BoardScreen
from taskdesk.ui.screens.help import HelpScreen
from taskdesk.ui.widgets.board_view import BoardView
from tests.ui.conftest import HOSTILE_ESCAPE, HOSTILE_MARKUP
from tests.ui.helpers import screen_text, settle, shown
from tests.ui.test_projects import loaded


def _board(app: TaskDeskApp) -> BoardView:
    assert isinstance(app.screen, BoardScreen)
    return app.screen.query_one(BoardView)


async def _to_todo(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)


async def test_board_shows_columns_cards_and_marks_at_80x24(app: TaskDeskApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_todo(pilot)
        text = screen_text(app)
        assert "[Work]" in text
        assert "Backlog" in text and "To do" in text and "In progress" in text
        assert "Fix login bug" in text
        assert "! late 2d" in text  # overdue as words, not only colour
        assert "@bob" in text and "+bug" in text and "Support" in text
        assert "⊘ blocked" in text  # Deploy v2 waits on the bug
        assert "⇢ blocking" in text
        # To do holds 3 cards and says so in its header
        assert "To do" in text and " 3" in text


async def test_move_right_and_left_writes_transitions(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_todo(pilot)
        selected = _board(app).selected_item
        assert selected is not None
        await pilot.press("L")
        await settle(pilot)
        moved = _board(app).selected_item
        assert moved is not None and moved.id == selected.id
        assert moved.status == "In progress"
        await pilot.press("L", "H")
        await settle(pilot)
    with closing(open_db()) as store:
        item = store.get_item(selected.id)
        assert item.status == "In progress"
        moves = [a for a in store.activity(selected.id) if a.field == "status" and a.old]
        assert len(moves) == 3  # the creation is logged too, with no old status
        assert item.started is not None


async def test_two_quick_moves_reach_the_store_in_order(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_todo(pilot)
        selected = _board(app).selected_item
        assert selected is not None
        await pilot.press("L", "L")
        await settle(pilot)
    with closing(open_db()) as store:
        assert store.get_item(selected.id).status == "Review"


async def test_done_and_start_keys(app: TaskDeskApp, open_db: Callable[[], Store]) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_todo(pilot)
        first = _board(app).selected_item
        assert first is not None
        await pilot.press("s")
        await settle(pilot)
        assert _board(app).selected_item is not None
        await pilot.press("x")
        await settle(pilot)
    with closing(open_db()) as store:
        item = store.get_item(first.id)
        assert item.category is StatusCategory.COMPLETED
        assert item.completed is not None


async def test_reorder_within_column(app: TaskDeskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_todo(pilot)
        column = _board(app).current_column
        assert column is not None
        before = [column.items[i].id for i in range(column.count)]
        await pilot.press("J")
        await settle(pilot)
        column = _board(app).current_column
        assert column is not None
        after = [column.items[i].id for i in range(column.count)]
        assert after == [before[1], before[0], *before[2:]]
        assert _board(app).cursor_row == 1  # the selection followed the card


async def test_quick_add_saves_parsed_fields(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_todo(pilot)
        await pilot.press("a")
        await pilot.press(*"Call supplier due:tomorrow pri:M +phone @carol")
        await pilot.pause()
        preview = screen_text(app)
        assert "Call supplier" in preview and "+phone" in preview and "@carol" in preview
        await pilot.press("enter")
        await settle(pilot)
        assert _board(app).selected_item is not None
        assert _board(app).selected_item.title == "Call supplier"  # type: ignore[union-attr]
    with closing(open_db()) as store:
        item = next(i for i in store.list_items() if i.title == "Call supplier")
        assert item.tags == ("phone",)
        assert item.assignee_logins == ("carol",)
        assert item.priority is not None and item.priority.value == "M"
        assert item.due is not None


async def test_quick_add_bad_token_is_named_and_nothing_saved(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_todo(pilot)
        await pilot.press("a")
        await pilot.press(*"Broken due:blurgh")
        await pilot.pause()
        assert "blurgh" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    with closing(open_db()) as store:
        assert not any("Broken" in i.title for i in store.list_items())


async def test_quick_add_escape_cancels(app: TaskDeskApp, open_db: Callable[[], Store]) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_todo(pilot)
        await pilot.press("a", *"Never saved", "escape")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    with closing(open_db()) as store:
        assert len(store.list_items()) == 3


async def test_filter_narrows_the_board(app: TaskDeskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_todo(pilot)
        await pilot.press("slash", *"+bug", "enter")
        await settle(pilot)
        column = _board(app).current_column
        assert column is not None and column.count == 1
        assert "filter: +bug" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        column = _board(app).current_column
        assert column is not None and column.count == 3


async def test_bad_filter_is_reported_and_not_applied(app: TaskDeskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_todo(pilot)
        await pilot.press("slash", *"due:blurgh", "enter")
        await settle(pilot)
        column = _board(app).current_column
        assert column is not None and column.count == 3


async def test_item_panel_shows_fields_urgency_and_activity(app: TaskDeskApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_todo(pilot)
        await pilot.press("L")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Urgency" in text
        assert "status" in text and "In progress" in text
        assert "Activity" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)


async def test_edit_form_saves_and_validates(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_todo(pilot)
        item = _board(app).selected_item
        assert item is not None
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#field-due").value = "not a date"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Not saved" in screen_text(app)
        app.screen.query_one("#field-due").value = "2027-01-15"  # type: ignore[attr-defined]
        app.screen.query_one("#field-title").value = "Renamed item"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    with closing(open_db()) as store:
        saved = store.get_item(item.id)
        assert saved.title == "Renamed item"
        assert saved.due is not None and saved.due.date().isoformat() == "2027-01-15"
        assert saved.version > item.version


async def test_undo_and_redo_a_move(app: TaskDeskApp, open_db: Callable[[], Store]) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_todo(pilot)
        item = _board(app).selected_item
        assert item is not None
        await pilot.press("L")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        store = open_db()
        assert store.get_item(item.id).status == "To do"
        store.close()
        await pilot.press("ctrl+r")
        await settle(pilot)
    with closing(open_db()) as store:
        assert store.get_item(item.id).status == "In progress"


async def test_mode_switch_keeps_selection(app: TaskDeskApp, open_db: Callable[[], Store]) -> None:
    store = open_db()
    store.save_project("Launch")
    task = store.add_item(ParsedItem(title="Ship it", project="Launch", given={"title", "project"}))
    store.close()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.reload(keep=task.id)  # type: ignore[attr-defined]
        await settle(pilot)
        assert _board(app).selected_item is not None
        assert _board(app).selected_item.id == task.id  # type: ignore[union-attr]
        await pilot.press("m")
        await loaded(pilot)  # (the portfolio fills in over several workers)
        assert app.current_mode == "project"
        assert "Ship it" in await shown(pilot, "Ship it")
        await pilot.press("m")
        await settle(pilot)
        assert app.current_mode == "work"
        assert _board(app).selected_item.id == task.id  # type: ignore[union-attr]


async def test_help_lists_every_board_key(app: TaskDeskApp) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await _to_todo(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        listed = {does: keys for keys, does in app.screen.rows}
        expected = {
            "Move the card to the previous column": "H",
            "Move the card to the next column": "L",
            "Add": "a",
            "Open": "enter",
            "Edit": "e",
            "Done": "x",
            "Start": "s",
            "Filter": "/",
            "Undo": "u",
            "Redo": "ctrl+r",
            "Mode": "m",
            "Scope": "p",
            "Help": "?",
            "Up in column": "K",
            "Down in column": "J",
        }
        for does, key in expected.items():
            assert key in listed[does].split(" / "), (does, listed[does])
        assert any("Command palette" in does for does in listed)
        quit_keys = next(keys for does, keys in listed.items() if "Quit" in does)
        assert "q" in quit_keys.split(" / ")
        text = screen_text(app)
        assert "Keys: Board" in text
        order = [does for _, does in app.screen.rows]
        assert order.index("Left") < order.index("Focus Next")  # the screen's own keys first
        assert "Left" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)


async def test_hostile_titles_are_shown_as_text(db_path: str, open_db: Callable[[], Store]) -> None:
    store = open_db()
    for title in (HOSTILE_MARKUP, HOSTILE_ESCAPE):
        store.add_item(ParsedItem(title=title, given={"title"}))
    store.close()
    app = TaskDeskApp(db=db_path, actor="tester", offer_demo=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await _to_todo(pilot)
        await pilot.press("G")
        await settle(pilot)
        text = screen_text(app)
        assert "[@click=app.quit]Qu" in text  # the card shows the text, cut to its width
        assert "\x1b" not in text and "\u202e" not in text
        assert "Evil title" in text
        await pilot.press("k", "enter")
        await settle(pilot)
        assert app.is_running
        panel = screen_text(app)
        assert HOSTILE_MARKUP in panel  # the whole title, as text, in the item panel
        await pilot.press("escape", "G", "enter")
        await settle(pilot)
        assert app.is_running
        assert "\x1b" not in screen_text(app) and "Evil title" in screen_text(app)


async def test_screen_number_keys(app: TaskDeskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)


async def test_too_small_terminal_says_so(app: TaskDeskApp) -> None:
    async with app.run_test(size=(40, 10)) as pilot:
        await settle(pilot)
        assert "needs at least" in screen_text(app)


async def test_empty_store_offers_demo(tmp_path: object, open_db: Callable[[], Store]) -> None:
    path = str(tmp_path) + "/empty.db"
    app = TaskDeskApp(db=path, actor="tester")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "demo" in screen_text(app).lower()
        await pilot.press("y")
        await settle(pilot)
        assert not app.store.is_empty()
        column_counts = [c.count for c in _board(app).columns]
        assert sum(column_counts) > 10


async def test_palette_jumps_to_an_item(app: TaskDeskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Deploy v2")
        await settle(pilot)
        assert "#3 Deploy v2" in screen_text(app)
        await pilot.press("down", "enter")
        await settle(pilot)
        selected = _board(app).selected_item
        assert selected is not None and selected.title == "Deploy v2"


async def test_palette_runs_an_action_by_name(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_todo(pilot)
        item = _board(app).selected_item
        assert item is not None
        await pilot.press("ctrl+p", *"next column")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    with closing(open_db()) as store:
        assert store.get_item(item.id).status == "In progress"


async def test_scope_picker_limits_the_board(app: TaskDeskApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_todo(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert "Show on the Board" in screen_text(app)
        options = [line for line in screen_text(app).splitlines() if "Support" in line]
        assert options
        # All work, then areas in name order: Marketing, Support
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert "Board: Support" in screen_text(app)
        counts = [c.count for c in _board(app).columns]
        assert sum(counts) == 1


async def test_sixteen_colour_theme_still_shows_state_in_words(db_path: str) -> None:
    from taskdesk.config import Settings

    app = TaskDeskApp(
        db=db_path, actor="tester", offer_demo=False, settings=Settings(theme="ansi-dark")
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_todo(pilot)
        assert app.theme == "ansi-dark"
        text = screen_text(app)
        assert "! late 2d" in text and "⊘ blocked" in text


async def test_filter_resets_scroll_of_shrunk_columns(
    db_path: str, open_db: Callable[[], Store]
) -> None:
    store = open_db()
    for n in range(40):
        store.add_item(ParsedItem(title=f"Filler {n}", given={"title"}))
    store.close()
    app = TaskDeskApp(db=db_path, actor="tester", offer_demo=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_todo(pilot)
        await pilot.press("G")
        await settle(pilot)
        await pilot.press("h", "slash", *"+bug", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "above" not in text
        assert "Fix login bug" in text


async def test_undo_message_quoting_a_hostile_title_is_plain_text(
    db_path: str, open_db: Callable[[], Store]
) -> None:
    with closing(open_db()) as store:
        store.add_item(ParsedItem(title=HOSTILE_MARKUP, given={"title"}))
    app = TaskDeskApp(db=db_path, actor="tester", offer_demo=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await _to_todo(pilot)
        await pilot.press("G", "L")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert app.is_running  # "[@click=app.quit]" in the undo message did not run
        assert "Undid" in screen_text(app)


async def test_confirm_quit_asks_first(db_path: str) -> None:
    from taskdesk.config import Settings

    app = TaskDeskApp(
        db=db_path, actor="tester", offer_demo=False, settings=Settings(confirm_quit=True)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert "Quit taskdesk?" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, BoardScreen)
        await pilot.press("q", "y")
        await settle(pilot)
        assert not app.is_running
