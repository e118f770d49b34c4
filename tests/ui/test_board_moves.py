"""The Board's fast paths: a move shown at once, repaints of only what changed, the item
panel filled from the card in memory, and no blinking cursors or routine toasts."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import replace

import pytest
from textual.app import App
from textual.geometry import Region
from textual.widgets import Input

from taskdesk.domain.model import Item, ParsedItem, Status, StatusCategory
from taskdesk.store import Store
from taskdesk.ui.app import UPDATE_HOLD_SECONDS, TaskDeskApp
from taskdesk.ui.screens.board import (
    READ_AHEAD_SECONDS,
    BoardScreen,
    hard_wip_refusal,
    move_needs_reload,
)
from taskdesk.ui.screens.item_panel import ItemPanel, read_panel
from taskdesk.ui.widgets.board_view import BoardView, ColumnData
from tests.ui.helpers import screen_text, settle


def _board(app: TaskDeskApp) -> BoardView:
    assert isinstance(app.screen, BoardScreen)
    return app.screen.query_one(BoardView)


def _app(db_path: str) -> TaskDeskApp:
    return TaskDeskApp(db=db_path, actor="tester", offer_demo=False)


def _status_line(app: TaskDeskApp) -> str:
    return str(app.screen.query_one("#status-line").render())


def _item(**changes: object) -> Item:
    base = Item(
        id=1,
        uuid="u-1",
        title="Card",
        status_id=2,
        status="To do",
        category=StatusCategory.UNSTARTED,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _status(**changes: object) -> Status:
    base = Status(id=3, name="In progress", category=StatusCategory.STARTED, position=3)
    return replace(base, **changes)  # type: ignore[arg-type]


# ------------------------------------------------------------------ pure rules

DONE = {"status_id": 5, "status": "Done", "category": StatusCategory.COMPLETED}


@pytest.mark.parametrize(
    ("before", "after", "filtered", "expected"),
    [
        ({}, {"status_id": 3, "category": StatusCategory.STARTED}, False, False),
        ({}, {"status_id": 3, "category": StatusCategory.STARTED}, True, True),
        ({"blocking": True}, DONE, False, True),  # successors lose "blocked"
        ({}, {"blocking": True}, False, True),  # reopened: successors blocked again
        ({}, {**DONE, "depends": (7,)}, False, True),  # a predecessor stops "blocking"
        ({}, {"depends": (7,)}, False, False),  # still open: nothing else changes
        ({}, DONE, False, False),
    ],
)
def test_move_needs_reload(
    before: dict[str, object], after: dict[str, object], filtered: bool, expected: bool
) -> None:
    assert move_needs_reload(_item(**before), _item(**after), filtered=filtered) is expected


def test_a_routine_moved_to_done_reloads_for_its_next_occurrence() -> None:
    from taskdesk.domain.model import Recurrence

    routine = _item(recurrence=Recurrence("FREQ=DAILY"))
    done = replace(routine, **DONE)  # type: ignore[arg-type]
    assert move_needs_reload(routine, done, filtered=False) is True
    assert move_needs_reload(routine, replace(routine, status_id=3), filtered=False) is False


@pytest.mark.parametrize(
    ("wip_max", "hard", "count", "refused"),
    [
        (None, False, 50, False),
        (None, True, 50, False),
        (3, False, 3, False),  # a soft limit warns, never refuses
        (3, True, 2, False),
        (3, True, 3, True),
        (3, True, 4, True),
        (0, True, 0, True),
    ],
)
def test_hard_wip_refusal(wip_max: int | None, hard: bool, count: int, refused: bool) -> None:
    column = ColumnData(status=_status(wip_max=wip_max, wip_hard=hard), count=count)
    message = hard_wip_refusal(column)
    assert bool(message) is refused
    if refused:
        assert message == (
            f"'In progress' is at its hard WIP limit of {wip_max}; "
            "finish or move something out of it first."
        )


# ------------------------------------------------------------------ on screen


async def _to_todo(pilot: object) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)


async def test_move_shows_at_once_and_the_store_follows(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_todo(pilot)
        board = _board(app)
        card = board.selected_item
        assert card is not None and board.cursor_column == 1
        await pilot.press("L")  # no settle: the widget moved the card before any write
        assert board.cursor_column == 2
        assert board.selected_item is not None and board.selected_item.id == card.id
        assert [c.count for c in board.columns[1:3]] == [2, 1]
        assert f"“{card.title}” is in In progress" in _status_line(app)
        await settle(pilot)
        fresh = board.selected_item
        assert fresh is not None and fresh.id == card.id
        assert fresh.status == "In progress" and fresh.version == card.version + 1
        assert sorted(c.title for c in board.columns[1].items.values()) == sorted(
            t for t in ("Fix login bug", "Write blog post", "Deploy v2") if t != card.title
        )
        header = next(line for line in screen_text(app).splitlines() if "Backlog" in line)
        assert "To do" in header and " 2│" in header and "In progress" in header
        assert "1/5" in header  # the limit of the column (5) with the moved card
    with closing(open_db()) as store:
        assert store.get_item(card.id).status == "In progress"


async def test_move_before_the_first_column_does_nothing(
    db_path: str, open_db: Callable[[], Store]
) -> None:
    with closing(open_db()) as store:
        backlog = store.first_status(StatusCategory.BACKLOG)
        idea = store.add_item(ParsedItem(title="Some idea", given={"title"}), status_id=backlog.id)
    app = _app(db_path)  # after the store was set up: the app reads it at once
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        board = _board(app)
        assert board.cursor_column == 0
        assert board.selected_item is not None and board.selected_item.id == idea.id
        await pilot.press("H")
        await settle(pilot)
        assert board.cursor_column == 0 and board.cursor_row == 0
        assert [c.count for c in board.columns[:2]] == [1, 3]
    with closing(open_db()) as store:
        assert sorted(a.field for a in store.activity(idea.id)) == ["created", "status"]


async def test_hard_wip_limit_refuses_before_moving(
    db_path: str, open_db: Callable[[], Store]
) -> None:
    with closing(open_db()) as store:
        started = store.first_status(StatusCategory.STARTED)
        store.set_wip_limits(started.id, wip_max=0, hard=True)
    app = _app(db_path)  # after the store was set up: the app reads it at once
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_todo(pilot)
        board = _board(app)
        card = board.selected_item
        assert card is not None
        await pilot.press("L")
        await settle(pilot)
        assert board.cursor_column == 1 and board.selected_item == card
        assert "hard WIP limit of 0" in _status_line(app)
    with closing(open_db()) as store:
        assert store.get_item(card.id).status == "To do"


async def test_a_move_the_store_refuses_is_put_back(
    db_path: str, open_db: Callable[[], Store]
) -> None:
    """The limit counts cards a filter hides: the screen moves it, the store says no."""
    with closing(open_db()) as store:
        started = store.first_status(StatusCategory.STARTED)
        other = store.add_item(ParsedItem(title="Hidden by filter", given={"title"}))
        store.move_item(other.id, started.id)
        store.set_wip_limits(started.id, wip_max=1, hard=True)
    app = _app(db_path)  # after the store was set up: the app reads it at once
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_todo(pilot)
        await pilot.press("slash", *"+bug", "enter")
        await settle(pilot)
        board = _board(app)
        card = board.selected_item
        assert card is not None and card.title == "Fix login bug"
        assert board.columns[2].count == 0
        await pilot.press("L")
        await settle(pilot)
        assert board.cursor_column == 1
        assert board.selected_item is not None and board.selected_item.id == card.id
        assert [c.count for c in board.columns[1:3]] == [1, 0]
        assert "Not moved: " in _status_line(app) and "hard WIP limit of 1" in _status_line(app)
    with closing(open_db()) as store:
        assert store.get_item(card.id).status == "To do"


async def test_reload_repaints_only_what_changed(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_todo(pilot)
        board = _board(app)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        painted: list[tuple[Region, ...]] = []
        original = board.refresh

        def spy(*regions: Region, **kwargs: bool) -> BoardView:
            painted.append(regions)
            return original(*regions, **kwargs)

        board.refresh = spy  # type: ignore[method-assign]
        screen.reload()
        await settle(pilot)
        assert painted == []  # nothing changed in the store: nothing repainted
        with closing(open_db()) as store:
            target = next(i for i in store.list_items() if i.title == "Write blog post")
            store.update_item(target.id, {"title": "Write the launch post"})
        screen.reload()
        await settle(pilot)
        regions = [region for call in painted for region in call]
        assert regions, "the changed card was not repainted"
        assert all(r.height <= 3 for r in regions)  # that card's lines, not the board
        x = regions[0].x
        assert all(r.x == x for r in regions)  # in one column
        assert "Write the launch post" in screen_text(app)
        assert "Write blog post" not in screen_text(app)


async def test_a_page_read_before_a_move_is_not_applied(app: TaskDeskApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_todo(pilot)
        board = _board(app)
        column = board.columns[1]
        before = dict(column.items)
        stale = board.generation - 1
        wrong = [replace(before[0], title="stale page")]
        board.add_page(column.status.id, 0, wrong, stale)
        assert column.items == before
        board.add_page(column.status.id, 0, [before[0]], board.generation)
        assert column.items == before


async def test_item_panel_opens_with_the_cards_fields_then_its_history(
    app: TaskDeskApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_todo(pilot)
        card = _board(app).selected_item
        assert card is not None
        panel = ItemPanel(card.id, card)
        first = panel._first_content()
        assert f"#{card.id} {card.title}" == first["panel-title"].plain
        assert "loading…" in first["panel-activity"].plain
        assert "Urgency" in first["panel-urgency"].plain
        await pilot.press("enter")
        await settle(pilot)
        panel_screen = app.screen
        assert isinstance(panel_screen, ItemPanel)
        text = screen_text(app)
        assert card.title in text and "Activity" in text and "created" in text
        assert "loading…" not in text
        await pilot.press("c", *"first comment", "enter")
        await settle(pilot)
        assert "first comment" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert _board(app).has_focus
        assert "Move →" in screen_text(app)  # the footer is the board's again
        await pilot.press("j")
        await settle(pilot)
        other = _board(app).selected_item
        assert other is not None and other.id != card.id
        await pilot.press("enter")  # the same panel, shown again with the next card
        await settle(pilot)
        assert app.screen_stack[-1] is panel_screen
        assert isinstance(panel_screen, ItemPanel)
        text = screen_text(app)
        assert f"#{other.id} {other.title}" in text
        comments = panel_screen._shown["panel-comments"].plain
        assert "first comment" not in comments and "(none — c adds one)" in comments
        assert "first comment" not in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)


async def test_inputs_do_not_blink_and_adding_says_so_in_the_status_line(
    app: TaskDeskApp,
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_todo(pilot)
        assert app.screen.query_one("#filter-input", Input).cursor_blink is False
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.query_one("#quick-add-input", Input).cursor_blink is False
        await pilot.press(*"Ring the printer", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        line = _status_line(app)
        assert line.startswith("Added #") and line.endswith(": Ring the printer")
        assert not app._notifications  # no toast for a routine confirmation
        assert _board(app).selected_item is not None
        assert _board(app).selected_item.title == "Ring the printer"  # type: ignore[union-attr]


async def test_reopening_the_same_card_keeps_its_history_up(app: TaskDeskApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_todo(pilot)
        await pilot.press("enter")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, ItemPanel)
        history = panel._shown["panel-activity"]
        assert "created" in history.plain and "loading…" not in history.plain
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # no settle: what shows before the re-read
        assert app.screen_stack[-1] is panel
        assert isinstance(panel, ItemPanel)
        assert panel._shown["panel-activity"] == history
        await settle(pilot)
        assert panel._shown["panel-activity"] == history


async def test_a_late_read_for_the_previous_card_is_dropped(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_todo(pilot)
        await pilot.press("enter")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, ItemPanel)
        shown = dict(panel._shown)
        column = app.screen_stack[0].query_one(BoardView).columns[1]
        other = next(card for card in column.items.values() if card.id != panel.item_id)
        with closing(open_db()) as store:
            late = read_panel(store, other.id)
        panel.show(late)  # a read for another card, arriving late
        assert panel._shown == shown


async def test_a_rested_cursor_reads_the_panel_ahead_and_enter_opens_it_whole(
    app: TaskDeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_todo(pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        card = _board(app).selected_item
        assert card is not None
        await pilot.pause(READ_AHEAD_SECONDS + 0.1)  # the cursor rests on the card
        await settle(pilot)
        ahead = screen._ahead
        assert ahead is not None and ahead.item.id == card.id
        from taskdesk.ui.screens import item_panel

        submitted: list[int] = []  # panel reads (the live-refresh poll may run meanwhile)

        def counting(store: Store, item_id: int, item: Item | None = None) -> object:
            submitted.append(item_id)
            return read_panel(store, item_id, item)

        monkeypatch.setattr(item_panel, "read_panel", counting)
        await pilot.press("enter")
        await pilot.pause()
        panel = app.screen
        assert isinstance(panel, ItemPanel)
        assert submitted == []  # opened from what was read ahead: no panel read
        assert "loading…" not in panel._shown["panel-activity"].plain
        assert "created" in panel._shown["panel-activity"].plain
        await pilot.press("escape")
        await pilot.pause()
        assert screen._ahead is ahead  # closed without a change: still good
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemPanel) and submitted == []
        monkeypatch.undo()
        await pilot.press("c", *"ahead comment", "enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert screen._ahead is None  # the comment made it stale: read again after a rest
        await pilot.pause(READ_AHEAD_SECONDS + 0.1)
        await settle(pilot)
        again = screen._ahead
        assert again is not None
        assert "ahead comment" in [comment.body for comment in again.comments]


async def test_moving_on_before_the_rest_reads_nothing_ahead(
    app: TaskDeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_todo(pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        first = _board(app).selected_item
        await pilot.press("j")
        await settle(pilot)
        second = _board(app).selected_item
        assert first is not None and second is not None and first.id != second.id
        await pilot.pause(READ_AHEAD_SECONDS + 0.1)
        await settle(pilot)
        ahead = screen._ahead
        assert ahead is not None and ahead.item.id == second.id  # only the resting card


async def test_a_stale_read_ahead_is_not_used(app: TaskDeskApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_todo(pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        card = _board(app).selected_item
        assert card is not None
        await pilot.pause(READ_AHEAD_SECONDS + 0.1)
        await settle(pilot)
        assert screen._ahead_fits(card)
        assert not screen._ahead_fits(replace(card, version=card.version + 1))
        assert not screen._ahead_fits(replace(card, id=card.id + 100))


async def test_a_mode_switch_holds_repaints_for_a_few_milliseconds_only(
    app: TaskDeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    holds: list[float] = []
    original = App.delay_update

    def recording(self: App[None], delay: float = 0.05) -> None:
        holds.append(delay)
        original(self, delay)

    monkeypatch.setattr(App, "delay_update", recording)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert app.current_mode == "project"
        assert holds == [UPDATE_HOLD_SECONDS] and UPDATE_HOLD_SECONDS < 0.05
        await pilot.press("m")
        await settle(pilot)
        assert app.current_mode == "work"
        assert holds == [UPDATE_HOLD_SECONDS] * 2
