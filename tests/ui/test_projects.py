"""Project mode's first screen: the portfolio and a project's tasks."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from datetime import date

from taskdesk.domain.model import ParsedItem
from taskdesk.store import Store
from taskdesk.ui.app import TaskDeskApp
from taskdesk.ui.screens.item_panel import ItemPanel
from taskdesk.ui.screens.projects import ProjectsScreen, rollup
from tests.ui.helpers import screen_text, settle


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
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, ProjectsScreen)
        text = screen_text(app)
        assert "Launch" in text and "2026-12-18" in text
        assert "25%" in text  # 5 of 20 working days done
        assert "Design" in text and "Build" in text
        assert "Support" not in text.split("#")[0]  # areas are not in the portfolio


async def test_enter_on_a_task_opens_its_panel(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    ids = _seed(open_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("tab", "down", "enter")
        await settle(pilot)
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
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert "on track" in screen_text(app) or "at risk" in screen_text(app)
        await pilot.press("down", "enter")
        await settle(pilot)
        from taskdesk.ui.screens.gantt import GanttScreen

        assert isinstance(app.screen, GanttScreen)
        assert "Gantt: Other" in screen_text(app)
