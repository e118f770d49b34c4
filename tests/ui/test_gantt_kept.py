"""The Gantt shown from a kept view (no scheduling), edits on it, and what a key repaints."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual.geometry import Region

from taskdesk.store import Store
from taskdesk.ui import app as ui_app
from taskdesk.ui import plan_cache
from taskdesk.ui.app import TaskDeskApp
from taskdesk.ui.gantt_data import (
    keep_view,
    plan_from,
    read_inputs,
    read_plan,
    rows_of,
    view_of,
)
from taskdesk.ui.gantt_view import GanttRead, begin_first_read
from taskdesk.ui.screens.board import BoardScreen
from taskdesk.ui.screens.gantt import GanttScreen
from taskdesk.ui.screens.projects import ProjectsScreen
from taskdesk.ui.screens.schedule_preview import SchedulePreview
from taskdesk.ui.widgets.gantt_chart import ChartSide, GanttChart
from tests.ui import test_gantt
from tests.ui.helpers import screen_text, settle
from tests.ui.test_projects import loaded

#: Launch: Design (3d) → Build (5d) → Go live; Docs (2d) beside Build.
plan_ids = test_gantt.plan_ids


@pytest.fixture(autouse=True)
def fresh_memory() -> None:
    """Nothing kept in this process's memory from another test."""
    plan_cache.forget()


def gantt_first_app(db: str, project: int, first: Future[GanttRead]) -> TaskDeskApp:
    """The app with the Gantt of ``project`` as its first screen (as
    benchmarks/perf_launch.py starts it), its read begun before the app."""

    class GanttFirst(TaskDeskApp):
        CSS_PATH = str(Path(ui_app.__file__).with_name("app.tcss"))
        MODES: ClassVar[dict[str, Any]] = {
            "work": BoardScreen,
            "project": lambda: GanttScreen(first=first),
        }
        DEFAULT_MODE: ClassVar[str] = "project"

        def on_mount(self) -> None:
            """No Board, no live refresh: only the Gantt."""

    app = GanttFirst(db=db, actor="tester", offer_demo=False)
    app.selected_project_id = project
    return app


def _keep(open_db: Callable[[], Store]) -> tuple[int, list[str]]:
    """Compute Launch's view once (as a session before would have) and keep it; its
    rows' titles."""
    with closing(open_db()) as store:
        project = store.get_container("Launch").id
        inputs = read_inputs(store, project)
        view = view_of(plan_from(inputs))
        keep_view(store, inputs, view, threshold=0)
    plan_cache.forget()  # a new process: only the file is left
    return project, [row.title for row in view.rows]


async def test_a_kept_view_is_the_first_frame_and_an_edit_reads_the_plan_first(
    db_path: str, open_db: Callable[[], Store], plan_ids: dict[str, int]
) -> None:
    project, titles = _keep(open_db)
    with closing(open_db()) as store:
        first = begin_first_read(store, project)
        first.result(timeout=30)  # done before the app starts, as it usually is
        app = gantt_first_app(db_path, project, first)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            gantt = app.screen
            assert isinstance(gantt, GanttScreen)
            assert gantt.plan is None and gantt.view is not None  # nothing was scheduled
            assert [row.title for row in gantt.chart.rows] == titles
            text = screen_text(app)
            assert "Gantt: Launch  2026-11-02 → 2026-11-11" in text
            assert "Design" in text and "Go live" in text
            # An edit needs the plan itself: it is read and scheduled, then previewed.
            await pilot.press("j")
            assert gantt.chart.selected_id == plan_ids["Build"]
            await pilot.press("right_curly_bracket")
            await settle(pilot)
            assert isinstance(app.screen, SchedulePreview)
            assert gantt.plan is not None
            assert "takes 6 working days" in screen_text(app)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, GanttScreen)
            build = next(r for r in gantt.chart.rows if r.title == "Build")
            assert build.duration == 6 and build.finish == date(2026, 11, 12)
    with closing(open_db()) as store:
        assert store.get_item(plan_ids["Build"]).duration_days == 6
        # The next session shows the new schedule: the old view is not the store's state.
        read = begin_first_read(store, project).result(timeout=30)
        assert read.inputs is not None or (
            read.view is not None
            and next(r for r in read.view.rows if r.title == "Build").duration == 6
        )


async def test_without_a_kept_view_the_first_screen_schedules(
    db_path: str, open_db: Callable[[], Store], plan_ids: dict[str, int]
) -> None:
    with closing(open_db()) as store:
        project = store.get_container("Launch").id
        expected = rows_of(read_plan(store, project))
        first = begin_first_read(store, project)
        app = gantt_first_app(db_path, project, first)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            gantt = app.screen
            assert isinstance(gantt, GanttScreen)
            assert gantt.plan is not None
            assert list(gantt.chart.rows) == expected
        # … and keeps what it drew for the next session.
        plan_cache.forget()
        again = begin_first_read(store, project).result(timeout=30)
        assert again.view is not None and list(again.view.rows) == expected


async def test_the_portfolio_keeps_each_projects_gantt(
    app: TaskDeskApp, open_db: Callable[[], Store], plan_ids: dict[str, int]
) -> None:
    with closing(open_db()) as store:
        expected = rows_of(read_plan(store, store.get_container("Launch").id))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await loaded(pilot)
        assert isinstance(app.screen, ProjectsScreen)
        await pilot.press("2")
        await settle(pilot)
        gantt = app.screen
        assert isinstance(gantt, GanttScreen)
        assert gantt.plan is None  # shown from what the portfolio computed
        assert list(gantt.chart.rows) == expected
        assert "Gantt: Launch" in screen_text(app)


async def test_l_scrolls_a_week_and_repaints_only_changed_timeline_cells(
    db_path: str, open_db: Callable[[], Store], plan_ids: dict[str, int]
) -> None:
    project, _titles = _keep(open_db)
    with closing(open_db()) as store:
        app = gantt_first_app(db_path, project, begin_first_read(store, project))
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            chart = app.screen.query_one(GanttChart)
            table, timeline = chart.query(ChartSide)
            calls: list[tuple[str, tuple[Region, ...]]] = []

            def spy(side: ChartSide) -> None:
                original = side.refresh

                def refresh(*regions: Region, **kwargs: Any) -> Any:
                    calls.append((side.id or "", regions))
                    return original(*regions, **kwargs)

                side.refresh = refresh  # type: ignore[method-assign]

            spy(table)
            spy(timeline)
            origin = chart.origin
            height = chart.size.height
            before = [_cells(chart, y) for y in range(height)]
            await pilot.press("l")
            assert chart.origin == origin + timedelta(weeks=1)
            assert {side for side, _ in calls} == {"gantt-timeline"}
            regions = [region for _, rs in calls for region in rs]
            assert regions and all(region.height == 1 for region in regions)
            after = [_cells(chart, y) for y in range(height)]
            left = chart.table_width() + 1
            changed = {y for y in range(height) if before[y] != after[y]}
            assert {region.y for region in regions} == changed  # every changed line, only
            for region in regions:  # each repaint covers that line's changed cells
                y = region.y
                diff = [x for x in range(len(after[y])) if before[y][x] != after[y][x]]
                assert left + region.x <= diff[0] and diff[-1] < left + region.right
            assert all(b[:left] == a[:left] for b, a in zip(before, after, strict=True))
            calls.clear()
            await pilot.press("h")
            assert chart.origin == origin
            calls.clear()
            await pilot.press("j")  # the selection lives in the table: only it repaints
            await pilot.pause()
            assert calls and {side for side, _ in calls} == {"gantt-table"}


def _cells(chart: GanttChart, y: int) -> list[tuple[str, object]]:
    """Line ``y`` of the chart, one (glyph, style) per cell."""
    return [(char, segment.style) for segment in chart.line(y) for char in segment.text]
