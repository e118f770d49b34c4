"""Project mode's first screen: the portfolio and a project's tasks."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from datetime import date, datetime

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from taskdesk.domain.health import Health, HealthReport
from taskdesk.domain.model import ParsedItem
from taskdesk.store import Store, open_store
from taskdesk.ui.app import TaskDeskApp
from taskdesk.ui.screens.item_panel import ItemPanel
from taskdesk.ui.screens.projects import (
    ProjectRow,
    ProjectsScreen,
    assess_project,
    read_projects,
    rollup,
)
from tests.ui.helpers import screen_text, settle, shown


async def loaded(pilot: Pilot[None]) -> None:
    """Settle until the portfolio has filled in: each project is a store read, then a
    schedule in a worker, then the next project (a longer chain than one settle). On a
    busy machine the chain can outlast a fixed number of settles, so wait (boundedly)
    for the screen to say it is done."""
    for _ in range(3):
        await settle(pilot)
    for _ in range(200):
        screen = pilot.app.screen
        if not isinstance(screen, ProjectsScreen):
            return
        if screen.version >= 0 and not screen._queue and not any(r.pending for r in screen.rows):
            await settle(pilot)
            return
        await pilot.pause(0.05)
    raise AssertionError("the portfolio never finished filling in")


def _seed(open_db: Callable[[], Store]) -> list[int]:
    with closing(open_db()) as store:
        store.save_project("Launch", start=date(2026, 11, 2), deadline=date(2026, 12, 18))
        ids = []
        for title, days in (("Design", 5), ("Build", 10), ("Test", 5)):
            item = store.add_item(
                ParsedItem(
                    title=title,
                    project="Launch",
                    duration_days=days,
                    given={"title", "project", "duration_days"},
                )
            )
            ids.append(item.id)
        store.complete_item(ids[0])
        return ids


async def test_portfolio_lists_projects_with_rolled_up_progress(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    _seed(open_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("m")
        await loaded(pilot)
        assert isinstance(app.screen, ProjectsScreen)
        text = await shown(pilot, "2026-11-13")
        assert "Launch" in text and "2026-12-18" in text
        assert "2026-11-13" in text  # the finish, whole: columns grow when rows fill in
        assert "25%" in text  # 5 of 20 working days done
        assert "Design" in text and "Build" in text
        assert "Support" not in text.split("#")[0]  # areas are not in the portfolio


async def test_enter_on_a_task_opens_its_panel(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    ids = _seed(open_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("m")
        await loaded(pilot)
        await pilot.press("tab", "down", "enter")
        await loaded(pilot)
        assert isinstance(app.screen, ItemPanel)
        assert app.screen.item_id == ids[1]
        assert app.selected_item_id == ids[1]


def test_rollup_weights_by_duration() -> None:
    from datetime import datetime

    from taskdesk.domain.model import Container, ContainerKind, Item, StatusCategory

    def item(i: int, days: float, done: bool, pct: float = 0) -> Item:
        cat = StatusCategory.COMPLETED if done else StatusCategory.STARTED
        return Item(i, str(i), "t", 1, "s", cat, duration_days=days, percent_complete=pct)

    project = Container(1, "P", ContainerKind.PROJECT)
    row = rollup(project, [item(1, 2, True), item(2, 6, False, 50)], datetime(2026, 11, 25))
    assert row.percent == (2 * 100 + 6 * 50) / 8
    assert (row.total, row.done, row.overdue) == (2, 1, 0)


async def test_enter_on_a_project_opens_its_gantt(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    _seed(open_db)
    with closing(open_db()) as store:
        store.save_project("Other", start=date(2026, 11, 2))
        store.add_item(ParsedItem(title="Other task", project="Other", given={"title", "project"}))
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("m")
        await loaded(pilot)
        assert "on track" in screen_text(app) or "at risk" in screen_text(app)
        await pilot.press("down", "enter")
        await loaded(pilot)
        from taskdesk.ui.screens.gantt import GanttScreen

        assert isinstance(app.screen, GanttScreen)
        assert "Gantt: Other" in screen_text(app)


# ------------------------------------------------------------ kept rows, fresh data


def _launch_row(app: TaskDeskApp) -> ProjectRow:
    screen = app.screen
    assert isinstance(screen, ProjectsScreen)
    return next(r for r in screen.rows if r.project.name == "Launch")


async def test_the_portfolio_is_not_reread_when_nothing_changed(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    _seed(open_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("m")
        await loaded(pilot)
        portfolio = app.screen
        assert isinstance(portfolio, ProjectsScreen)
        rows, version = portfolio.rows, portfolio.version
        assert not rows[0].pending and rows[0].health.health is not Health.UNSCHEDULED
        for keys in (("m", "m"), ("2", "1"), ("m", "m")):
            await pilot.press(*keys)
            await loaded(pilot)
            same_screen = app.screen is portfolio
            assert same_screen
            assert portfolio.rows is rows and portfolio.version == version


async def test_the_portfolio_rereads_after_another_sessions_change(
    app: TaskDeskApp, db_path: str, open_db: Callable[[], Store]
) -> None:
    ids = _seed(open_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("m")
        await loaded(pilot)
        assert _launch_row(app).percent == 25.0
        await pilot.press("m")  # to the Board: the portfolio is not showing
        await loaded(pilot)
        with closing(open_store(db_path, actor="bob")) as bob:
            bob.complete_item(ids[1])  # Build: 10 of 20 days
        await pilot.press("m")
        await loaded(pilot)
        row = _launch_row(app)
        assert row.percent == 75.0 and row.done == 2 and not row.pending
        assert "75%" in screen_text(app)


async def test_the_portfolio_rereads_after_undo(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    ids = _seed(open_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("m")
        await loaded(pilot)
        await app.ask_store(lambda s: s.complete_item(ids[2]))  # Test: 5 more days
        await pilot.press("m", "m")
        await loaded(pilot)
        assert _launch_row(app).percent == 50.0
        await pilot.press("u")
        await loaded(pilot)
        assert _launch_row(app).percent == 25.0
        assert "25%" in screen_text(app)


async def test_r_rereads_the_portfolio_even_when_nothing_changed(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    _seed(open_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("m")
        await loaded(pilot)
        before = _launch_row(app)
        await pilot.press("r")
        await loaded(pilot)
        after = _launch_row(app)
        assert after is not before and after == before


def test_read_projects_orders_nothing_and_reads_nothing_when_unchanged(
    open_db: Callable[[], Store],
) -> None:
    _seed(open_db)
    with closing(open_db()) as store:
        store.save_project("Tiny", start=date(2026, 11, 2))
        version, projects = read_projects(store, -1)
        assert version == store.data_version()
        assert projects is not None
        assert [(p.name, size) for p, size in projects] == [("Launch", 3), ("Tiny", 0)]
        assert read_projects(store, version) == (version, None)


def test_assess_project_rolls_up_and_schedules(open_db: Callable[[], Store]) -> None:
    _seed(open_db)
    with closing(open_db()) as store:
        plan = store.project_plan("Launch")
    row = assess_project(plan, datetime(2026, 11, 1, 9, 0))
    assert (row.total, row.done, row.percent) == (3, 1, 25.0)
    # No links: the three run side by side; Build (10 working days from Mon Nov 2)
    # is the longest.
    assert row.finish == date(2026, 11, 13)
    assert row.finish_float == 25  # working days to the Dec 18 deadline
    assert row.health == HealthReport(Health.ON_TRACK, "25d of float")
    assert not row.pending


def test_a_pending_row_says_it_is_being_read() -> None:
    from taskdesk.domain.model import Container, ContainerKind

    project = Container(1, "Big", ContainerKind.PROJECT)
    pending = ProjectRow(project, 0, 0, 0.0, 0, pending=True)
    cells = ProjectsScreen()._cells(pending)
    assert cells[-1].plain == "… reading — scheduling in the background"
    done = ProjectRow(project, 2, 1, 50.0, 0)
    assert ProjectsScreen()._cells(done)[-1].plain == "? unscheduled — no start date"


async def test_the_kept_portfolio_follows_the_task_selected_elsewhere(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    ids = _seed(open_db)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        app.selected_item_id = ids[2]  # "Test"
        await pilot.press("m")
        await loaded(pilot)
        portfolio = app.screen
        assert isinstance(portfolio, ProjectsScreen)
        tasks = portfolio.query_one("#tasks", DataTable)

        def highlighted() -> int:
            key = tasks.coordinate_to_cell_key(tasks.cursor_coordinate).row_key.value
            return int(key or 0)

        assert highlighted() == ids[2]
        app.selected_item_id = ids[0]  # as the Gantt or the Board would set it
        await pilot.press("2")
        await loaded(pilot)
        app.selected_item_id = ids[1]
        await pilot.press("1")
        await loaded(pilot)
        back = app.screen is portfolio
        assert back and highlighted() == ids[1]
        assert tasks.row_count == 3


async def test_coming_back_restyles_the_portfolio_only_after_a_css_change(
    app: TaskDeskApp, open_db: Callable[[], Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual restyles a resumed screen, and a restyled DataTable drops its render
    caches and draws every row anew (issue 5: ~20 ms per return). taskdesk skips that
    while the app's CSS is the one the screen was styled with; a theme changed while
    the portfolio was away still reaches it."""
    _seed(open_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, ProjectsScreen)
        restyled: list[str] = []
        original = DataTable.notify_style_update

        def counting(self: DataTable[object]) -> None:
            restyled.append(self.id or "")
            original(self)

        monkeypatch.setattr(DataTable, "notify_style_update", counting)
        await pilot.press("m")  # the Board
        await settle(pilot)
        await pilot.press("m")  # the portfolio again: nothing changed, nothing restyled
        await settle(pilot)
        assert app.screen is screen
        assert restyled == []
        assert "Launch" in screen_text(app)
        await pilot.press("m")
        await settle(pilot)
        before = screen.query_one("#projects", DataTable).styles.background
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(pilot)
        await pilot.press("m")  # back: the new theme's styles
        await settle(pilot)
        assert {"projects", "tasks"} <= set(restyled)
        assert screen.query_one("#projects", DataTable).styles.background != before
        assert screen._css_update_count == app._css_update_count
        restyled.clear()
        await pilot.press("m", "m")  # and from then on, no restyle again
        await settle(pilot)
        assert restyled == []
