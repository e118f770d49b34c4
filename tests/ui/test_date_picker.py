"""Pilot tests of the date picker in the edit form: keys, clicks, saving and merging."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from datetime import date, datetime

from textual.pilot import Pilot
from textual.widgets import Input

from taskdesk.store import Store, open_store
from taskdesk.ui.app import TaskDeskApp
from taskdesk.ui.screens.board import BoardScreen
from taskdesk.ui.screens.conflict import ConflictScreen
from taskdesk.ui.screens.date_picker import DatePickerScreen
from taskdesk.ui.screens.edit_form import EditItemScreen
from taskdesk.ui.screens.help import HelpScreen, collect_keys
from taskdesk.ui.widgets.date_picker import MonthGrid
from tests.ui.helpers import screen_text, settle


async def _open_form(app: TaskDeskApp, pilot: Pilot[None]) -> int:
    """Edit the first card of "To do" (Fix login bug); returns its id."""
    await settle(pilot)
    await pilot.press("l", "e")
    await settle(pilot)
    assert isinstance(app.screen, EditItemScreen)
    return app.screen.item.id


def _field(app: TaskDeskApp, key: str) -> Input:
    return app.screen.query_one(f"#field-{key}", Input)


async def _picker(app: TaskDeskApp, pilot: Pilot[None], key: str, text: str) -> MonthGrid:
    """Put ``text`` in the field, focus it and open the picker with ctrl+t."""
    field = _field(app, key)
    field.value = text
    field.focus()
    await pilot.pause()
    await pilot.press("ctrl+t")
    await pilot.pause()
    assert isinstance(app.screen, DatePickerScreen)
    return app.screen.query_one(MonthGrid)


async def test_pick_a_due_date_with_keys_keeps_the_time_and_saves(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        item_id = await _open_form(app, pilot)
        grid = await _picker(app, pilot, "due", "2027-01-15T17:00")
        assert grid.cursor == date(2027, 1, 15)
        text = screen_text(app)
        assert "Due: pick a date" in text
        assert "January 2027" in text
        assert "Mo  Tu  We  Th  Fr  Sa  Su" in text
        assert grid.render().plain.splitlines() == [
            "        January 2027        ",
            " Mo  Tu  We  Th  Fr  Sa  Su ",
            "                  1   2   3 ",  # 1 Jan 2027 is a Friday
            "  4   5   6   7   8   9  10 ",
            " 11  12  13  14 [15] 16  17 ",
            " 18  19  20  21  22  23  24 ",
            " 25  26  27  28  29  30  31 ",
            "                            ",
        ]
        assert "[15]" in text and "Fri 2027-01-15 17:00" in text
        assert "t today · enter pick · x clear · esc cancel" in text
        await pilot.press("right", "down", "right_square_bracket")
        assert grid.cursor == date(2027, 2, 23)
        assert "February 2027" in screen_text(app) and "[23]" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditItemScreen)
        assert _field(app, "due").value == "2027-02-23T17:00"
        assert app.screen.focused is _field(app, "due")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    with closing(open_db()) as store:
        assert store.get_item(item_id).due == datetime(2027, 2, 23, 17, 0)


async def test_hjkl_months_years_and_edges(app: TaskDeskApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_form(app, pilot)
        grid = await _picker(app, pilot, "start", "2027-01-31")
        await pilot.press("right_square_bracket")
        assert grid.cursor == date(2027, 2, 28)  # clamped, not March 3
        await pilot.press("l", "l")
        assert grid.cursor == date(2027, 3, 2)
        await pilot.press("h", "k")
        assert grid.cursor == date(2027, 2, 22)
        await pilot.press("j", "j")
        assert grid.cursor == date(2027, 3, 8)
        await pilot.press("pageup", "pagedown", "pagedown")
        assert grid.cursor == date(2027, 4, 8)
        await pilot.press("left_square_bracket")
        assert grid.cursor == date(2027, 3, 8)
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert grid.cursor == date(2029, 3, 8)
        await pilot.press("left_curly_bracket")
        assert grid.cursor == date(2028, 3, 8)
        await pilot.press("end")
        assert grid.cursor == date(2028, 3, 31)
        await pilot.press("home", "up")
        assert grid.cursor == date(2028, 2, 23)
        await pilot.press("enter")
        await pilot.pause()
        assert _field(app, "start").value == "2028-02-23"


async def test_t_goes_to_today_and_unparsable_text_opens_on_today(app: TaskDeskApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_form(app, pilot)
        grid = await _picker(app, pilot, "wait", "not a date")
        today = date.today()
        assert grid.cursor == today
        assert "(today)" in screen_text(app)
        await pilot.press("right_curly_bracket", "down")
        assert grid.cursor != today
        await pilot.press("t", "enter")
        await pilot.pause()
        assert _field(app, "wait").value == today.isoformat()


async def test_escape_leaves_the_field_and_x_clears_it(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        item_id = await _open_form(app, pilot)
        with closing(open_db()) as store:
            assert store.get_item(item_id).due is not None
        before = _field(app, "due").value
        assert before
        await pilot.press("tab", "tab", "tab", "tab")  # title, project, status, priority → due
        assert app.screen.focused is _field(app, "due")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, DatePickerScreen)
        await pilot.press("right", "right", "escape")
        await pilot.pause()
        assert isinstance(app.screen, EditItemScreen)
        assert _field(app, "due").value == before
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, EditItemScreen)
        assert _field(app, "due").value == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    with closing(open_db()) as store:
        assert store.get_item(item_id).due is None


async def test_delete_clears_and_q_cancels(app: TaskDeskApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_form(app, pilot)
        await _picker(app, pilot, "wait", "2027-05-05")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, EditItemScreen)  # q closed the picker, not the app
        assert _field(app, "wait").value == "2027-05-05"
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("delete")
        await pilot.pause()
        assert _field(app, "wait").value == ""


async def test_the_key_works_only_in_a_date_field_and_help_lists_it(app: TaskDeskApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_form(app, pilot)
        assert app.screen.focused is _field(app, "title")
        rows = dict(collect_keys(app.screen))
        assert rows.get("ctrl+t / f2") == "Calendar (in a date field)"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, EditItemScreen)
        assert _field(app, "title").value == "Fix login bug"


async def test_f1_and_question_mark_show_the_keys_of_the_form_and_the_picker(
    app: TaskDeskApp,
) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_form(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Keys: Edit item" in screen_text(app)
        assert ("ctrl+t / f2", "Calendar (in a date field)") in app.screen.rows
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EditItemScreen)
        await _picker(app, pilot, "due", "2027-01-15")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Keys: Date picker" in screen_text(app)
        rows = dict(app.screen.rows)
        assert rows["← / h"] == "Day back" and rows["↓ / j"] == "Week on"
        assert rows["] / pagedown"] == "Month on"
        assert rows["{"] == "Year back" and rows["t"] == "Today"
        assert rows["enter"] == "Pick" and rows["x / delete"] == "Clear the date"
        assert rows["escape / q"] == "Cancel"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DatePickerScreen)
        assert app.screen.query_one(MonthGrid).cursor == date(2027, 1, 15)


async def test_project_dates_save_show_and_drop_a_time(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        item_id = await _open_form(app, pilot)
        grid = await _picker(app, pilot, "deadline", "2027-03-31T17:00")
        assert grid.cursor == date(2027, 3, 31)
        assert "Deadline: pick a date" in screen_text(app)
        text = screen_text(app)
        assert "Wed 2027-03-31" in text
        assert "Wed 2027-03-31 17:00" not in text  # a deadline is a whole day
        await pilot.press("left", "enter")
        await pilot.pause()
        assert _field(app, "deadline").value == "2027-03-30"
        _field(app, "start_no_earlier").value = "2027-02-01T09:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        with closing(open_db()) as store:
            item = store.get_item(item_id)
            assert item.deadline == date(2027, 3, 30)
            assert item.start_no_earlier == date(2027, 2, 1)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EditItemScreen)
        assert _field(app, "deadline").value == "2027-03-30"
        assert _field(app, "start_no_earlier").value == "2027-02-01"
        _field(app, "deadline").focus()
        await pilot.pause()
        text = screen_text(app)
        assert "Not before2027-02-01" in text and "Deadline2027-03-30" in text  # label, value
        # clearing a project date saves None
        await pilot.press("ctrl+t", "x", "ctrl+s")
        await settle(pilot)
    with closing(open_db()) as store:
        item = store.get_item(item_id)
        assert item.deadline is None and item.start_no_earlier == date(2027, 2, 1)


async def test_bad_project_date_is_not_saved(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        item_id = await _open_form(app, pilot)
        _field(app, "deadline").value = "blurgh"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EditItemScreen)
        assert "Not saved: deadline" in screen_text(app)
        assert app.screen.focused is _field(app, "deadline")
        # picking a date validates the field again: its error line goes
        await pilot.press("ctrl+t", "t", "enter")
        await pilot.pause()
        assert _field(app, "deadline").value == date.today().isoformat()
        assert not app.screen.query_one("#error-deadline").display
    with closing(open_db()) as store:
        assert store.get_item(item_id).deadline is None


async def test_mouse_button_opens_the_picker_and_clicks_pick(
    app: TaskDeskApp,
) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_form(app, pilot)
        _field(app, "start_no_earlier").value = "2027-01-15"
        await pilot.click("#pick-start_no_earlier")
        await pilot.pause()
        assert isinstance(app.screen, DatePickerScreen)
        grid = app.screen.query_one(MonthGrid)
        # 2027-01-20 (a Wednesday) is row 3, column 2: x = 2*4 + 1, y = 2 header rows + 3
        await pilot.click(MonthGrid, offset=(9, 5))
        await pilot.pause()
        assert grid.cursor == date(2027, 1, 20)
        await pilot.click(MonthGrid, offset=(9, 0))  # the title: nothing happens
        await pilot.click(MonthGrid, offset=(9, 5))  # the chosen day again: picked
        await pilot.pause()
        assert isinstance(app.screen, EditItemScreen)
        assert _field(app, "start_no_earlier").value == "2027-01-20"
        await pilot.click("#pick-wait")
        await pilot.pause()
        await pilot.click("#picker-cancel-button")
        await pilot.pause()
        assert isinstance(app.screen, EditItemScreen)
        assert _field(app, "wait").value == ""


async def test_picker_fits_80x24_with_the_form_behind(app: TaskDeskApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_form(app, pilot)
        await _picker(app, pilot, "due", "2026-11-30")
        text = screen_text(app)
        box = app.screen.query_one("#picker-box").region
        assert box.x >= 0 and box.y >= 0 and box.right <= 80 and box.bottom <= 24
        assert "November 2026" in text
        assert "[30]" in text  # the last row of the month is on screen
        assert "←→ h l day · ↑↓ k j week · [ ] month · { } year" in text
        assert "Pick" in text and "Clear" in text and "Cancel" in text


async def test_a_stale_save_merges_the_deadline_and_asks_when_both_changed_it(
    app: TaskDeskApp, db_path: str, open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        item_id = await _open_form(app, pilot)
        with closing(open_store(db_path, actor="bob")) as bob:
            bob.update_item(item_id, {"start_no_earlier": date(2027, 1, 4), "notes": "bob"})
        await _picker(app, pilot, "deadline", "2027-06-30")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        with closing(open_db()) as store:
            item = store.get_item(item_id)
            assert item.deadline == date(2027, 6, 30)
            assert item.start_no_earlier == date(2027, 1, 4) and item.notes == "bob"
        await pilot.press("e")
        await settle(pilot)
        with closing(open_store(db_path, actor="bob")) as bob:
            bob.update_item(item_id, {"deadline": date(2027, 7, 1)})
        _field(app, "deadline").value = "2027-08-15"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        text = screen_text(app)
        assert "deadline" in text and "2027-07-01" in text and "2027-08-15" in text
        await pilot.press("enter")  # keep yours
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
    with closing(open_db()) as store:
        assert store.get_item(item_id).deadline == date(2027, 8, 15)


async def test_a_title_edit_does_not_rewrite_an_end_of_day_due(
    app: TaskDeskApp, db_path: str, open_db: Callable[[], Store]
) -> None:
    with closing(open_store(db_path, actor="tester")) as store:
        first = store.list_items()[0]
        store.update_item(first.id, {"due": datetime(2027, 1, 31, 23, 59, 59)})
    async with app.run_test(size=(80, 24)) as pilot:
        item_id = await _open_form(app, pilot)
        assert item_id == first.id
        assert _field(app, "due").value == "2027-01-31T23:59"
        _field(app, "title").value = "Fix the login bug"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with closing(open_db()) as store:
        item = store.get_item(item_id)
        assert item.title == "Fix the login bug"
        assert item.due == datetime(2027, 1, 31, 23, 59, 59)
