"""The Calendar screen with Pilot: views, periods, moves (plain, routine, project), the
day list, quick-add and 80×24, asserting on the store and on the screen text."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from taskdesk.domain.calendar import CalendarView
from taskdesk.domain.model import ParsedItem, Recurrence
from taskdesk.store import Store, open_store
from taskdesk.ui.app import TaskDeskApp
from taskdesk.ui.screens.calendar import CalendarScreen
from taskdesk.ui.screens.calendar_dialogs import DayList, RoutineChoice
from taskdesk.ui.screens.schedule_preview import SchedulePreview
from tests.ui.helpers import screen_text, settle

TODAY = date.today()


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour))


def _add(store: Store, title: str, **fields: object) -> int:
    parsed = ParsedItem(title=title, **fields)  # type: ignore[arg-type]
    parsed.given = {"title", *fields}
    return store.add_item(parsed).id


@pytest.fixture
def cal_db(tmp_path: Path) -> str:
    """Today: a plain item and a daily routine; a crowd on a day next week; a project
    with two linked tasks starting today."""
    path = str(tmp_path / "cal.db")
    store = open_store(path, actor="tester")
    _add(store, "Pay the invoice", due=_at(TODAY, 17))
    _add(store, "Water plants", due=_at(TODAY, 8), recurrence=Recurrence("FREQ=DAILY"))
    crowd = TODAY + timedelta(days=7)
    for n in range(9):
        _add(store, f"Crowd {n}", due=_at(crowd, 9))
    store.save_project("Launch", start=TODAY - timedelta(days=TODAY.weekday()))
    design = _add(store, "Design", project="Launch", duration_days=2.0)
    build = _add(store, "Build", project="Launch", duration_days=3.0, depends=[design])
    plan = store.project_plan("Launch")
    del plan, build
    store.close()
    return path


def _app(path: str) -> TaskDeskApp:
    app = TaskDeskApp(db=path, actor="tester", offer_demo=False)
    return app


async def _open(pilot: object, app: TaskDeskApp, *keys: str) -> CalendarScreen:
    await pilot.press(*keys, "3")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("t")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, CalendarScreen)
    return screen


async def _select(pilot: object, screen: CalendarScreen, title: str) -> None:
    for _ in range(len(screen._day_entries())):
        entry = screen.selected
        if entry is not None and entry.title == title:
            return
        await pilot.press("n")  # type: ignore[attr-defined]
    raise AssertionError(f"{title} is not on {screen.cursor}")


async def test_views_periods_and_today(cal_db: str) -> None:
    app = _app(cal_db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _open(pilot, app)
        assert screen.view is CalendarView.MONTH and screen.cursor == TODAY
        text = screen_text(app)
        assert f"{TODAY:%B %Y}" in text and "Mon" in text and "Sun" in text
        assert "Pay the invoice" in text
        await pilot.press("v")
        await settle(pilot)
        assert screen.view.value == "week"
        monday = TODAY - timedelta(days=TODAY.weekday())
        assert screen.data is not None and screen.data.first == monday
        await pilot.press("v")
        await settle(pilot)
        assert screen.view.value == "agenda"
        assert f"{TODAY.day} {TODAY:%b} {TODAY.year}  today" in screen_text(app)
        await pilot.press("v")
        await settle(pilot)
        assert screen.view.value == "month"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        nxt = (TODAY.replace(day=1) + timedelta(days=32)).replace(day=1)
        assert screen.cursor.month == nxt.month and f"{nxt:%B %Y}" in screen_text(app)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        prev = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
        assert screen.cursor.month == prev.month and f"{prev:%B %Y}" in screen_text(app)
        await pilot.press("t", "l", "j")
        await settle(pilot)
        assert screen.cursor == TODAY + timedelta(days=8)


async def test_move_a_plain_item_and_undo(cal_db: str) -> None:
    app = _app(cal_db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _open(pilot, app)
        await _select(pilot, screen, "Pay the invoice")
        await pilot.press("L")
        await settle(pilot)
        store = app.store
        item = next(i for i in store.list_items() if i.title == "Pay the invoice")
        assert item.due == _at(TODAY + timedelta(days=1), 17)
        assert screen.cursor == TODAY + timedelta(days=1)
        assert screen.selected is not None and screen.selected.title == "Pay the invoice"
        assert "Moved “Pay the invoice”" in screen_text(app)
        await pilot.press("J")
        await settle(pilot)
        assert store.get_item(item.id).due == _at(TODAY + timedelta(days=8), 17)
        await pilot.press("u")
        await settle(pilot)
        assert store.get_item(item.id).due == _at(TODAY + timedelta(days=1), 17)
        await pilot.press("u")
        await settle(pilot)
        assert store.get_item(item.id).due == _at(TODAY, 17)


async def test_routine_asks_this_one_or_the_series(cal_db: str) -> None:
    app = _app(cal_db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _open(pilot, app)
        store = app.store
        routine = next(i for i in store.list_items() if i.title == "Water plants")
        # a projected occurrence two days ahead: "this one" stores it, moved a day later
        await pilot.press("l", "l")
        await settle(pilot)
        await _select(pilot, screen, "Water plants")
        assert screen.selected is not None and screen.selected.item_id is None
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, RoutineChoice)
        text = screen_text(app)
        assert "This one (o)" in text and "The series (s)" in text and "Move “Water" in text
        await pilot.press("o")
        await settle(pilot)
        stored = [i for i in store.list_items() if i.title == "Water plants"]
        assert len(stored) == 2
        new = next(i for i in stored if i.id != routine.id)
        assert new.occurrence == TODAY + timedelta(days=2)
        assert new.due == _at(TODAY + timedelta(days=3), 8)
        await pilot.press("u")
        await settle(pilot)
        assert [i.id for i in store.list_items() if i.title == "Water plants"] == [routine.id]
        # the stored one, "the series": the item moves and the series starts a day later
        await pilot.press("t")
        await settle(pilot)
        await _select(pilot, screen, "Water plants")
        await pilot.press("L")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        moved = store.get_item(routine.id)
        assert moved.due == _at(TODAY + timedelta(days=1), 8)
        assert moved.occurrence == TODAY + timedelta(days=1)
        info = store.calendar_series(TODAY, TODAY)[0]
        assert info.dtstart == TODAY + timedelta(days=1)
        await pilot.press("u")
        await settle(pilot)
        assert store.calendar_series(TODAY, TODAY)[0].dtstart == TODAY
        # escape: nothing moves
        await pilot.press("t")
        await settle(pilot)
        await _select(pilot, screen, "Water plants")
        await pilot.press("H", "escape")
        await settle(pilot)
        assert store.get_item(routine.id).due == _at(TODAY, 8)


async def test_project_task_move_moves_its_successor(cal_db: str) -> None:
    app = _app(cal_db)
    async with app.run_test(size=(120, 36)) as pilot:
        store = app.store
        project = store.get_container("Launch")
        app.selected_project_id = project.id
        app.selected_item_id = None
        screen = await _open(pilot, app, "m")
        assert "Calendar: Launch" in screen_text(app)
        plan = store.project_plan("Launch")
        design = next(i for i in plan.items if i.title == "Design")
        build = next(i for i in plan.items if i.title == "Build")
        from taskdesk.ui.calendar_data import read_project

        before = read_project(store, project.id).schedule
        assert before is not None
        # the tasks have no stored dates: select Design through the day list's data
        screen.cursor = before.tasks[design.id].es
        store.update_item(design.id, {"start": _at(screen.cursor, 9)})
        screen.reload()
        await settle(pilot)
        await _select(pilot, screen, "Design")
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, SchedulePreview)
        assert "Build" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        after = read_project(store, project.id).schedule
        assert after is not None
        assert after.tasks[build.id].es > before.tasks[build.id].es
        moved_build = store.get_item(build.id)
        assert moved_build.start is not None
        assert moved_build.start.date() == after.tasks[build.id].es
        assert store.get_item(design.id).start_no_earlier == before.tasks[design.id].es + timedelta(
            days=1
        )
        await pilot.press("u")
        await settle(pilot)
        assert store.get_item(design.id).start_no_earlier is None
        assert store.get_item(build.id).start is None


async def test_more_and_the_day_list(cal_db: str) -> None:
    app = _app(cal_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("j")
        await settle(pilot)
        text = screen_text(app)
        assert "more" in text
        # 9 items and the projected routine
        assert screen.data is not None and screen.data.totals[screen.cursor] == 10
        assert "10 entries" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DayList)
        listed = screen_text(app)
        assert all(f"Crowd {n}" in listed for n in range(9)) and "↻ Water plants" in listed
        await pilot.press("enter")
        await settle(pilot)
        assert "Crowd 0" in screen_text(app)  # the item panel
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, CalendarScreen)


async def test_80x24_month_and_week(cal_db: str) -> None:
    app = _app(cal_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        text = screen_text(app)
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
        assert "Calendar: All work" in lines[1] and "needs at least" not in text
        assert lines[2].split() == ["Mon", "│", "Tue", "│", "Wed", "│", "Thu", "│", "Fri", "│",
                                    "Sat", "│", "Sun"]  # fmt: skip
        assert "Pay the inv" in text and "↻ Water" in text
        await pilot.press("v")
        await settle(pilot)
        assert "Mon" in screen_text(app)


async def test_quick_add_prefills_the_day(cal_db: str) -> None:
    app = _app(cal_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("l", "a")
        await settle(pilot)
        assert f"due:{TODAY + timedelta(days=1)}" in screen_text(app)
        await pilot.press(*"Call Bob", "enter")
        await settle(pilot)
        item = next(i for i in app.store.list_items() if i.title == "Call Bob")
        assert item.due is not None and item.due.date() == TODAY + timedelta(days=1)
        assert screen.selected is not None and screen.selected.item_id == item.id


async def test_hostile_titles_are_text(cal_db: str) -> None:
    store = open_store(cal_db, actor="tester")
    _add(store, "[bold red]not bold[/] [@click=app.quit]q[/]", due=_at(TODAY, 9))
    store.close()
    app = _app(cal_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open(pilot, app)
        await pilot.press("v", "v")
        await settle(pilot)
        assert "[bold red]not bold[/]" in screen_text(app)


async def test_the_entry_cursor_reads_the_rest_of_a_crowded_day(cal_db: str) -> None:
    app = _app(cal_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("j")
        await settle(pilot)
        data = screen.data
        assert data is not None and data.per_day < 9  # a month cell loads what it shows
        loaded = len(screen._day_entries())
        assert loaded < 10 and not data.complete(screen.cursor)
        titles = set()
        for _ in range(10):
            assert screen.selected is not None
            titles.add(screen.selected.title)
            await pilot.press("n")
            await settle(pilot)
        assert titles == {f"Crowd {n}" for n in range(9)} | {"Water plants"}
        assert screen.data is not None and screen.data.complete(screen.cursor)
        assert "[1/10]" in screen_text(app)  # wrapped around to the first


async def test_month_folds_spans_and_week_shows_times_and_projects(cal_db: str) -> None:
    store = open_store(cal_db, actor="tester")
    monday = TODAY - timedelta(days=TODAY.weekday())
    _add(store, "Long trip", start=_at(monday, 0), due=_at(monday + timedelta(days=6), 0))
    _add(store, "Dentist", due=_at(monday + timedelta(days=2), 15), project="Home")
    store.close()
    app = _app(cal_db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _open(pilot, app)
        text = screen_text(app)
        assert text.count("Long trip") == 2  # its first and last day only
        assert text.count("⋯ 1 ongoing") + text.count("⋯ 2 ongoing") >= 5
        await pilot.press("v")
        await settle(pilot)
        assert screen.view is CalendarView.WEEK
        week = screen_text(app)
        assert "! 15:00 Dentist" in week and "▸17:00 Pay the" in week
        lines = [line for line in week.splitlines() if line.strip()]
        dentist = next(n for n, line in enumerate(lines) if "15:00 Dentist" in line)
        column = lines[dentist].index("! 15:00 Dentist")
        assert lines[dentist + 1][column : column + 8].strip() == "Home"
        assert week.count("…Long trip") == 6  # every day of the week after the first


async def test_80x24_footer_fits_the_selection_keys(cal_db: str) -> None:
    app = _app(cal_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        footer = screen_text(app).splitlines()[-1]
        for label in ("Entry", "Move −1d", "+1d", "Add", "Day list", "Help", "palette"):
            assert label in footer


async def test_markers_are_kept_per_store_version(cal_db: str) -> None:
    from taskdesk.ui.calendar_data import MARKERS

    MARKERS.clear()
    app = _app(cal_db)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _open(pilot, app)
        assert screen.markers is not None
        assert any(m.title.startswith("Launch starts") for m in screen.markers)
        assert "▶ Launch starts" in screen_text(app)
        first = screen.markers
        await pilot.press("1", "3")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, CalendarScreen) and again is screen  # kept by the app
        assert again.markers is first  # the same list: not scheduled again


async def test_only_a_choice_made_in_the_calendar_moves_the_boards_selection(cal_db: str) -> None:
    """Opening the Calendar with an undated card selected puts its cursor on today's
    first entry; that is not a choice, so going back leaves the card selected. Moving to
    an entry is one: the Board follows it."""
    from taskdesk.ui.widgets.board_view import BoardView

    store = open_store(cal_db, actor="tester")
    _add(store, "Crowd without a date")
    store.close()
    app = _app(cal_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(BoardView)
        await pilot.press("l")  # from the empty Backlog to "To do"
        await settle(pilot)
        for _ in range(20):
            selected = view.selected_item
            if selected is not None and selected.title == "Crowd without a date":
                break
            await pilot.press("j")
            await settle(pilot)
        chosen = view.selected_item
        assert chosen is not None and chosen.title == "Crowd without a date"
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        entry = screen.selected
        assert entry is not None and entry.item_id not in (None, chosen.id)
        assert app.selected_item_id == chosen.id
        await pilot.press("1")
        await settle(pilot)
        now = view.selected_item
        assert now is not None and now.id == chosen.id
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("n")  # the next entry of today: chosen in the Calendar
        await settle(pilot)
        entry = screen.selected
        assert entry is not None and entry.item_id is not None
        assert app.selected_item_id == entry.item_id != chosen.id
        await pilot.press("1")
        await settle(pilot)
        now = view.selected_item
        assert now is not None and now.id == entry.item_id
