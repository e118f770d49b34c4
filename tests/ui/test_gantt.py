"""Pilot tests of the Gantt screen: it draws the schedule, and edits preview first."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import date

import pytest
from rich.style import Style

from taskdesk.domain.model import LinkType, ParsedItem
from taskdesk.domain.scheduling import Link, Task
from taskdesk.store import Store, open_store
from taskdesk.ui.app import TaskDeskApp
from taskdesk.ui.gantt_data import plan_from, read_inputs, read_plan, rows_of
from taskdesk.ui.screens.gantt import GanttScreen
from taskdesk.ui.screens.schedule_preview import SchedulePreview
from taskdesk.ui.widgets.gantt_chart import GanttChart, Zoom
from tests.ui.helpers import add_launch_plan, screen_text, settle

START = date(2026, 11, 2)  # a Monday


@pytest.fixture
def plan_ids(open_db: Callable[[], Store]) -> dict[str, int]:
    """Design (3d) → Build (5d) → Launch (milestone); Docs (2d) floats beside Build."""
    with closing(open_db()) as store:
        return add_launch_plan(store, START)


def test_rows_follow_the_schedule(open_db: Callable[[], Store], plan_ids: dict[str, int]) -> None:
    with closing(open_db()) as store:
        project = store.get_container("Launch")
        plan = read_plan(store, project.id)
    rows = {r.title: r for r in rows_of(plan)}
    assert rows["Design"].start == START and rows["Design"].finish == date(2026, 11, 4)
    assert rows["Build"].start == date(2026, 11, 5) and rows["Build"].finish == date(2026, 11, 11)
    assert rows["Build"].critical and not rows["Docs"].critical
    assert rows["Docs"].total_float == 3
    assert rows["Go live"].milestone and rows["Go live"].start == date(2026, 11, 11)


async def _open_gantt(app: TaskDeskApp, pilot: object, ids: dict[str, int], title: str) -> None:
    app.selected_item_id = ids[title]
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("m", "2")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, GanttScreen)


async def test_gantt_shows_critical_bars_milestones_and_selection(
    app: TaskDeskApp, plan_ids: dict[str, int]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Build")
        chart = app.screen.query_one(GanttChart)
        assert chart.selected_id == plan_ids["Build"]
        text = screen_text(app)
        assert "Gantt: Launch" in text and "[2 Gantt]" in text
        build_line = next(line for line in text.splitlines() if "Build" in line)
        docs_line = next(line for line in text.splitlines() if "Docs" in line)
        assert "█" in build_line and "▒" not in build_line  # critical: solid glyph
        assert "▒" in docs_line  # not critical: shaded glyph
        assert "◆" in text
        assert "»" in text  # predecessors/successors of the selection are marked


async def test_longer_duration_previews_then_applies(
    app: TaskDeskApp, plan_ids: dict[str, int], open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Build")
        await pilot.press("right_curly_bracket")
        await settle(pilot)
        assert isinstance(app.screen, SchedulePreview)
        text = screen_text(app)
        assert "takes 6 working days" in text
        assert "2026-11-11 →" in text and "2026-11-12" in text  # Build and Go live move
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GanttScreen)
    with closing(open_db()) as store:
        assert store.get_item(plan_ids["Build"]).duration_days == 6


async def test_cancelled_preview_writes_nothing(
    app: TaskDeskApp, plan_ids: dict[str, int], open_db: Callable[[], Store]
) -> None:
    with closing(open_db()) as store:
        version = store.get_item(plan_ids["Docs"]).version
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Docs")
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert isinstance(app.screen, SchedulePreview)
        await pilot.press("escape")
        await settle(pilot)
    with closing(open_db()) as store:
        item = store.get_item(plan_ids["Docs"])
        assert item.start_no_earlier is None and item.version == version


async def test_start_later_sets_a_constraint(
    app: TaskDeskApp, plan_ids: dict[str, int], open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Docs")
        await pilot.press("greater_than_sign", "enter")
        await settle(pilot)
    with closing(open_db()) as store:
        assert store.get_item(plan_ids["Docs"]).start_no_earlier == date(2026, 11, 6)


async def test_link_that_closes_a_cycle_is_refused(
    app: TaskDeskApp, plan_ids: dict[str, int], open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Design")
        await pilot.press("c")
        await settle(pilot)
        # the list offers the other tasks: Build, Docs, Go live — pick Build
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, GanttScreen)
    with closing(open_db()) as store:
        preds = {
            d.predecessor_id for d in store.dependencies() if d.successor_id == plan_ids["Design"]
        }
        assert preds == set()


async def test_link_with_type_and_lag(
    app: TaskDeskApp, plan_ids: dict[str, int], open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Docs")
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("down", "enter", *"SS+1", "enter")  # Build, SS+1
        await settle(pilot)
        assert isinstance(app.screen, SchedulePreview)
        await pilot.press("enter")
        await settle(pilot)
    with closing(open_db()) as store:
        links = [d for d in store.dependencies() if d.successor_id == plan_ids["Docs"]]
        added = next(d for d in links if d.predecessor_id == plan_ids["Build"])
        assert added.type is LinkType.SS and added.lag_days == 1


async def test_zoom_and_80x24(app: TaskDeskApp, plan_ids: dict[str, int]) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Design")
        chart = app.screen.query_one(GanttChart)
        assert chart.zoom is Zoom.WEEK
        assert chart.table_width() < 46  # the tree collapses to titles
        await pilot.press("plus")
        await settle(pilot)
        chart = app.screen.query_one(GanttChart)  # (a fresh name: mypy narrowed the old)
        assert chart.zoom is Zoom.DAY
        await pilot.press("minus", "minus")
        await settle(pilot)
        chart = app.screen.query_one(GanttChart)
        assert chart.zoom is Zoom.MONTH
        assert "Design" in screen_text(app)


async def test_why_explains_the_driving_path(app: TaskDeskApp, plan_ids: dict[str, int]) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Build")
        await pilot.press("w")
        await settle(pilot)
        text = screen_text(app)
        assert "because it follows" in text and "Design" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, GanttScreen)


async def test_indent_and_outdent_change_the_outline(
    app: TaskDeskApp, plan_ids: dict[str, int], open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Docs")
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert isinstance(app.screen, SchedulePreview)
        assert "under Build" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        with closing(open_db()) as store:
            assert store.get_item(plan_ids["Docs"]).parent_id == plan_ids["Build"]
        await pilot.press("left_square_bracket", "enter")
        await settle(pilot)
    with closing(open_db()) as store:
        assert store.get_item(plan_ids["Docs"]).parent_id is None


async def test_percent_complete_is_validated_and_saved(
    app: TaskDeskApp, plan_ids: dict[str, int], open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Design")
        await pilot.press("percent_sign")
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = "150"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert "not between 0 and 100" in screen_text(app)
        app.screen.query_one("#prompt-input").value = "40"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SchedulePreview)
        await pilot.press("enter")
        await settle(pilot)
    with closing(open_db()) as store:
        assert store.get_item(plan_ids["Design"]).percent_complete == 40


async def test_overallocation_is_marked_and_leveling_resolves_it(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    with closing(open_db()) as store:
        store.save_project("Crunch", start=START)
        ids = [
            store.add_item(
                ParsedItem(
                    title=title,
                    project="Crunch",
                    duration_days=3,
                    assignees=["alice"],
                    given={"title", "project", "duration_days", "assignees"},
                )
            ).id
            for title in ("Write specs", "Write tests")
        ]
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, {"x": ids[0]}, "x")
        text = screen_text(app)
        assert "over capacity: alice 3d" in text
        assert "! Write specs" in text and "! Write tests" in text
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, SchedulePreview)
        assert "1 tasks delayed" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert "over capacity" not in screen_text(app)
        with closing(open_db()) as store:
            delays = sorted(store.get_item(i).leveling_delay_days for i in ids)
        assert delays == [0, 3]
        await pilot.press("V")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    with closing(open_db()) as store:
        assert [store.get_item(i).leveling_delay_days for i in ids] == [0, 0]


async def test_board_selection_is_selected_on_the_gantt_and_back(
    app: TaskDeskApp, plan_ids: dict[str, int]
) -> None:
    from taskdesk.ui.screens.board import BoardScreen
    from taskdesk.ui.widgets.board_view import BoardView

    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.screen.reload(keep=plan_ids["Docs"])  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("m", "2")
        await settle(pilot)
        chart = app.screen.query_one(GanttChart)
        assert chart.selected_id == plan_ids["Docs"]
        await pilot.press("k")  # Build is above Docs in the outline
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        selected = app.screen.query_one(BoardView).selected_item
        assert selected is not None and selected.id == plan_ids["Build"]


async def test_baseline_is_saved_shown_and_gives_variance(
    app: TaskDeskApp, plan_ids: dict[str, int], open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Build")
        await pilot.press("b")
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = "Plan A"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        with closing(open_db()) as store:
            project = store.get_container("Launch")
            assert [b.name for b in store.baselines(project.id)] == ["Plan A"]
        await pilot.press("right_curly_bracket", "enter")  # Build one day longer
        await settle(pilot)
        text = screen_text(app)
        assert "vs “Plan A”: start +0d, finish +1d" in text
        go_live = next(line for line in text.splitlines() if "Go live" in line)
        assert "[" in go_live  # its baseline date is now beside (before) the milestone


async def test_pin_and_unpin(
    app: TaskDeskApp, plan_ids: dict[str, int], open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Docs")
        await pilot.press("P")
        await settle(pilot)
        assert "Pin “Docs” on 2026-11-05" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        with closing(open_db()) as store:
            item = store.get_item(plan_ids["Docs"])
            assert item.pinned and item.start_no_earlier == date(2026, 11, 5)
        await pilot.press("P", "enter")
        await settle(pilot)
    with closing(open_db()) as store:
        item = store.get_item(plan_ids["Docs"])
        assert not item.pinned and item.start_no_earlier is None


async def test_time_off_makes_work_on_those_days_an_overallocation(
    app: TaskDeskApp, open_db: Callable[[], Store]
) -> None:
    with closing(open_db()) as store:
        store.save_project("Solo", start=START)
        task = store.add_item(
            ParsedItem(
                title="Write report",
                project="Solo",
                duration_days=3,
                assignees=["bob"],
                given={"title", "project", "duration_days", "assignees"},
            )
        )
        store.add_time_off("bob", date(2026, 11, 3), date(2026, 11, 3), "dentist")
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, {"x": task.id}, "x")
        assert "over capacity: bob 1d" in screen_text(app)
        await pilot.press("v", "enter")  # leveling moves the work past the day off
        await settle(pilot)
        assert "over capacity" not in screen_text(app)


async def test_add_task_asks_its_title_and_previews(
    app: TaskDeskApp, plan_ids: dict[str, int], open_db: Callable[[], Store]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Docs")
        await pilot.press("o")
        await settle(pilot)
        app.screen.query_one("#prompt-input").value = "Write release notes"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SchedulePreview)
        assert "Add “Write release notes” (1 working day)" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GanttScreen)
        assert "Write release notes" in screen_text(app)
    with closing(open_db()) as store:
        added = next(i for i in store.list_items() if i.title == "Write release notes")
        assert added.project == "Launch" and added.duration_days == 1
        assert app.selected_item_id == added.id


async def test_item_panel_shows_the_leveling_delay(
    app: TaskDeskApp, plan_ids: dict[str, int], open_db: Callable[[], Store]
) -> None:
    with closing(open_db()) as store:
        store.save_leveling_delays("Launch", {plan_ids["Docs"]: 2})
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Docs")
        await pilot.press("enter")
        await settle(pilot)
        assert "delayed 2 working days" in screen_text(app)


async def test_routines_are_background_load(app: TaskDeskApp, open_db: Callable[[], Store]) -> None:
    from taskdesk.domain.model import Recurrence

    with closing(open_db()) as store:
        store.save_project("Side", start=START)
        task = store.add_item(
            ParsedItem(
                title="Project work",
                project="Side",
                duration_days=2,
                assignees=["alice"],
                given={"title", "project", "duration_days", "assignees"},
            )
        )
        store.add_item(
            ParsedItem(
                title="Support rota",
                assignees=["alice"],
                estimate_minutes=240,
                recurrence=Recurrence("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
                given={"title", "assignees", "estimate_minutes", "recurrence"},
            )
        )
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, {"x": task.id}, "x")
        assert "over capacity: alice 2d" in screen_text(app)  # 8h of work + 4h of routine


async def test_critical_float_threshold_from_the_config(
    db_path: str, plan_ids: dict[str, int]
) -> None:
    from taskdesk.config import Settings

    app = TaskDeskApp(
        db=db_path, actor="tester", offer_demo=False, settings=Settings(critical_float_threshold=3)
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Docs")
        docs = next(r for r in app.screen.query_one(GanttChart).rows if r.title == "Docs")
        assert docs.total_float == 3 and docs.critical  # float 3 ≤ threshold 3


# ------------------------------------------------------------ kept screen, fresh data


def _build_row(app: TaskDeskApp) -> tuple[int, date]:
    """The Build task's duration and finish as the Gantt on screen shows them."""
    chart = app.screen.query_one(GanttChart)
    row = next(r for r in chart.rows if r.title == "Build")
    return row.duration, row.finish


async def test_the_gantt_is_kept_and_not_reread_when_nothing_changed(
    app: TaskDeskApp, plan_ids: dict[str, int]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Build")
        gantt = app.screen
        assert isinstance(gantt, GanttScreen)
        view, version = gantt.view, gantt.version
        assert view is not None and version >= 0
        for _ in range(3):
            await pilot.press("1")
            await settle(pilot)
            assert not isinstance(app.screen, GanttScreen)
            await pilot.press("2")
            await settle(pilot)
            same_screen = app.screen is gantt  # the same screen, not a new one
            assert same_screen
            assert gantt.view is view  # nothing was read or scheduled again
        await pilot.press("m", "m")
        await settle(pilot)
        same_screen = app.screen is gantt
        assert same_screen and gantt.view is view
        assert "Gantt: Launch" in screen_text(app)


async def test_the_kept_gantt_rereads_after_another_sessions_change(
    app: TaskDeskApp, db_path: str, plan_ids: dict[str, int]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Build")
        assert _build_row(app) == (5, date(2026, 11, 11))
        await pilot.press("1")
        await settle(pilot)
        with closing(open_store(db_path, actor="bob")) as bob:
            bob.update_item(plan_ids["Build"], {"duration_days": 7.0})
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, GanttScreen)
        assert _build_row(app) == (7, date(2026, 11, 13))
        assert "11-13" in screen_text(app)


async def test_the_visible_gantt_follows_live_changes(
    app: TaskDeskApp, db_path: str, plan_ids: dict[str, int]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Build")
        await settle(pilot)
        with closing(open_store(db_path, actor="bob")) as bob:
            bob.update_item(plan_ids["Design"], {"duration_days": 4.0})
        app.check_for_changes()
        await settle(pilot)
        assert _build_row(app) == (5, date(2026, 11, 12))  # pushed by one day


async def test_the_kept_gantt_rereads_after_undo(
    app: TaskDeskApp, plan_ids: dict[str, int]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Build")
        await pilot.press("1")
        await settle(pilot)
        # Our own write on another screen (the portfolio is showing), then back.
        await app.ask_store(lambda s: s.update_item(plan_ids["Build"], {"duration_days": 6.0}))
        await pilot.press("2")
        await settle(pilot)
        assert _build_row(app) == (6, date(2026, 11, 12))
        await pilot.press("u")  # undo on the Gantt itself
        await settle(pilot)
        assert _build_row(app) == (5, date(2026, 11, 11))
        await app.ask_store(lambda s: s.update_item(plan_ids["Build"], {"duration_days": 9.0}))
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("u")  # undo while the Gantt is not showing
        await settle(pilot)
        await app.ask_store(lambda s: s.update_item(plan_ids["Docs"], {"duration_days": 3.0}))
        await pilot.press("2")
        await settle(pilot)
        assert _build_row(app) == (5, date(2026, 11, 11))
        docs = next(r for r in app.screen.query_one(GanttChart).rows if r.title == "Docs")
        assert docs.duration == 3


async def test_r_rereads_even_when_nothing_changed(
    app: TaskDeskApp, plan_ids: dict[str, int]
) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_gantt(app, pilot, plan_ids, "Build")
        gantt = app.screen
        assert isinstance(gantt, GanttScreen)
        plan = gantt.plan
        await pilot.press("r")
        await settle(pilot)
        assert gantt.plan is not plan and gantt.plan is not None
        assert gantt.plan.project.name == "Launch"


def test_read_plan_is_read_inputs_then_plan_from(
    open_db: Callable[[], Store], plan_ids: dict[str, int]
) -> None:
    with closing(open_db()) as store:
        project = store.get_container("Launch")
        inputs = read_inputs(store, project.id)
        assert inputs.version == store.data_version()
        whole = read_plan(store, project.id, threshold=2)
    split = plan_from(inputs, threshold=2)
    assert rows_of(split) == rows_of(whole)
    assert [t.id for t in split.tasks] == [
        plan_ids[t] for t in ("Design", "Build", "Docs", "Go live")
    ]
    assert split.links == whole.links and split.threshold == 2


def test_overallocated_marks_exactly_the_tasks_running_on_an_over_day() -> None:
    from taskdesk.domain.model import Container, ContainerKind
    from taskdesk.ui.gantt_data import compute, overallocated

    project = Container(1, "P", ContainerKind.PROJECT, start=START)
    tasks = [
        Task(id=1, title="a", duration=3, assignments=(("ann", 1.0),)),
        Task(id=2, title="b", duration=2, assignments=(("ann", 1.0),)),
        Task(id=3, title="c", duration=2, assignments=(("bob", 1.0),)),
        Task(id=4, title="d", duration=1, assignments=(("ann", 1.0),)),
    ]
    links = [Link(1, 4)]  # d runs after a, on a day ann has only d: not over
    plan = compute(project, {}, {}, tasks, links)
    plan = replace(plan, capacities={"ann": 8.0, "bob": 8.0})
    marked, days = overallocated(plan)
    assert marked == {1, 2}  # a and b overlap on Nov 2-3 (16 h on an 8 h day)
    assert days == {"ann": 2}


async def test_chart_lines_are_drawn_in_runs_of_one_style() -> None:
    """The timeline is one shared background with bars, marks and milestones laid over
    it, written as one segment per run of a style (few bytes per repainted line)."""
    from pathlib import Path

    from textual.app import App, ComposeResult

    from taskdesk.ui import app as ui_app
    from taskdesk.ui.widgets.gantt_chart import GanttRow

    class ChartApp(App[None]):
        CSS_PATH = str(Path(ui_app.__file__).with_name("app.tcss"))  # the real styles

        def compose(self) -> ComposeResult:
            yield GanttChart(id="gantt")

    monday = date(2026, 11, 2)
    rows = [
        GanttRow(1, 0, "Build", 3, date(2026, 11, 4), date(2026, 11, 6), 0, critical=True,
                 baseline_start=monday, baseline_finish=date(2026, 11, 3)),
        GanttRow(2, 0, "Go", 0, date(2026, 11, 9), date(2026, 11, 9), 2, milestone=True),
        GanttRow(3, 1, "Docs", 5, date(2026, 11, 9), date(2026, 11, 13), 4, percent=50.0),
    ]  # fmt: skip
    app = ChartApp()
    async with app.run_test(size=(100, 10)):
        chart = app.query_one(GanttChart)
        chart.set_rows(
            rows, workdays=frozenset(range(5)), holidays=frozenset({date(2026, 11, 11)}),
            today=date(2026, 11, 5),
        )  # fmt: skip
        chart.origin = monday  # week zoom: one column per day
        left = chart.table_width() + 1

        def timeline(y: int) -> str:
            return chart.line(y).text[left : left + 21]

        assert timeline(2) == "[]███··  ·  ··     ··"  # baseline marks, critical bar
        assert timeline(3) == "   │ ··◆ ·  ··     ··"  # today's column, a milestone
        assert timeline(4) == "   │ ··▒50%▒··     ··"  # the bar covers the holiday
        strip = chart.line(4)
        assert len(list(strip)) <= 12  # runs of one style, not one segment per column
        label = [segment for segment in strip if segment.text == "50%"]
        assert len(label) == 1 and label[0].style == chart._style("bar") + Style(reverse=True)
        critical = [s for s in chart.line(2) if "█" in s.text]
        assert [s.text for s in critical] == ["███"]
        assert critical[0].style == chart._style("critical")


def test_a_project_plan_is_shared_only_while_the_store_is_unchanged(
    open_db: Callable[[], Store], plan_ids: dict[str, int]
) -> None:
    from taskdesk.ui.gantt_data import PLANS_KEPT, project_plan_at

    with closing(open_db()) as store:
        launch = store.get_container("Launch").id
        others = [store.save_project(f"P{i}", start=START).id for i in range(PLANS_KEPT)]
        version = store.data_version()
        first = project_plan_at(store, launch, version)
        assert project_plan_at(store, launch, version) is first  # shared
        store.update_item(plan_ids["Build"], {"duration_days": 6.0})
        changed = store.data_version()
        fresh = project_plan_at(store, launch, changed)
        assert fresh is not first
        assert next(i for i in fresh.items if i.title == "Build").duration_days == 6.0
        for other in others:  # reading as many other plans pushes Launch's out
            project_plan_at(store, other, changed)
        again = project_plan_at(store, launch, changed)
        assert again is not fresh
        with closing(open_store(store.location, actor="bob")) as bob:
            assert project_plan_at(bob, launch, changed) is not again  # another reader
