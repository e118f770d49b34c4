"""Project mode, screen 1: the portfolio of projects and the tasks of the chosen one.

This is the first cut of the portfolio (the scheduler, Gantt and health arrive with the
project-mode issue): every project with its dates and progress rolled up from the same
items the Board shows, and the selected project's tasks. The item selected on the Board
is selected here too, and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from taskdesk.domain.dates import format_date
from taskdesk.domain.health import Health, HealthReport, assess, finish_float, next_milestone
from taskdesk.domain.model import Container, ContainerKind, Item
from taskdesk.domain.projectplan import NoProjectStart, ProjectPlan, schedule_plan
from taskdesk.domain.scheduling import CycleError, ScheduleError
from taskdesk.store import Store
from taskdesk.ui.safe import plain
from taskdesk.ui.screens.base import TaskDeskScreen
from taskdesk.ui.screens.item_panel import ItemPanel

#: The health of a project that has no start date yet.
UNSCHEDULED = HealthReport(Health.UNSCHEDULED, "no start date")


@dataclass(frozen=True, slots=True)
class ProjectRow:
    """A project with its progress (rolled up from its items) and its schedule health."""

    project: Container
    total: int
    done: int
    percent: float
    overdue: int
    finish: date | None = None
    finish_float: int | None = None
    milestone: tuple[str, date] | None = None
    health: HealthReport = UNSCHEDULED


def rollup(project: Container, items: list[Item], now: datetime) -> ProjectRow:
    """Percent complete weighted by duration (1 day when unset), as algorithms.md says."""
    weights = [(max(item.duration_days or 1.0, 0.0), item) for item in items if not item.milestone]
    total_weight = sum(w for w, _ in weights) or 1.0
    earned = sum(w * (100.0 if not i.is_open else i.percent_complete) for w, i in weights)
    overdue = sum(1 for i in items if i.is_open and i.due is not None and i.due < now)
    done = sum(1 for i in items if not i.is_open)
    return ProjectRow(project, len(items), done, earned / total_weight, overdue)


def with_schedule(
    row: ProjectRow, plan: ProjectPlan, today: date, *, threshold: int = 0
) -> ProjectRow:
    """Add the finish, its float against the deadline, the next milestone and the health."""
    try:
        schedule = schedule_plan(plan, critical_threshold=threshold)
    except NoProjectStart:
        return row
    except (CycleError, ScheduleError) as error:
        return replace(row, health=HealthReport(Health.LATE, f"cannot schedule: {error}"))
    items = {item.id: item for item in plan.items}
    return replace(
        row,
        finish=schedule.finish,
        finish_float=finish_float(schedule, plan.project.deadline),
        milestone=next_milestone(schedule, items, today=today),
        health=assess(schedule, items, deadline=plan.project.deadline, today=today),
    )


def read_portfolio(
    store: Store, *, threshold: int = 0
) -> tuple[list[ProjectRow], dict[int, list[Item]]]:
    """Every project (areas are not projects) with its items and its schedule health."""
    now = datetime.now()
    rows: list[ProjectRow] = []
    items_by_project: dict[int, list[Item]] = {}
    for project in store.containers(ContainerKind.PROJECT):
        plan = store.project_plan(project.id)
        items = list(plan.items)
        items_by_project[project.id] = items
        row = rollup(project, items, now)
        rows.append(with_schedule(row, plan, now.date(), threshold=threshold))
    return rows, items_by_project


#: The portfolio lists this many tasks of a project; the Gantt (enter) shows them all.
TASKS_SHOWN = 100

HEALTH_MARKS = {
    Health.ON_TRACK: ("✓ on track", "green"),
    Health.AT_RISK: ("! at risk", "bold yellow"),
    Health.LATE: ("✗ late", "bold red"),
    Health.UNSCHEDULED: ("? unscheduled", "dim"),
}


class ProjectsScreen(TaskDeskScreen):
    """Projects above, the highlighted project's tasks below."""

    MODE = "project"
    SCREEN_NUMBER = 1
    HELP_TITLE = "Portfolio"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "switch_table", "Projects/Tasks", id="switch-table"),
        Binding("enter", "open", "Open", id="open-task"),
        Binding("r", "reload", "Reload", show=False, id="reload-portfolio"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ProjectRow] = []
        self.items: dict[int, list[Item]] = {}
        self.current_project: int | None = None

    def compose_body(self) -> ComposeResult:
        """Two tables."""
        yield Static(
            " Portfolio — projects, their dates and progress", id="portfolio-title", markup=False
        )
        yield DataTable(id="projects", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="tasks", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Columns, then load."""
        self.query_one("#projects", DataTable).add_columns(
            "Project",
            "Owner",
            "Start",
            "Finish",
            "Deadline",
            "Float",
            "Done",
            "Next milestone",
            "Health",
        )
        self.query_one("#tasks", DataTable).add_columns(
            "#", "Task", "Status", "Due", "Dur", "Who", "%"
        )
        self.query_one("#projects", DataTable).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        """Arriving from the Board: select the item chosen there."""
        self.reload()

    def reload(self) -> None:
        """Re-read the portfolio."""
        threshold = self.tapp.settings.critical_float_threshold
        self.tapp.submit(lambda store: read_portfolio(store, threshold=threshold), self._show)

    def _show(self, data: tuple[list[ProjectRow], dict[int, list[Item]]]) -> None:
        self.rows, self.items = data
        table = self.query_one("#projects", DataTable)
        table.clear()
        now = datetime.now()
        for row in self.rows:
            p = row.project
            mark, style = HEALTH_MARKS[row.health.health]
            milestone = f"{row.milestone[1]:%m-%d} {row.milestone[0]}" if row.milestone else "—"
            table.add_row(
                plain(p.name, "bold"),
                plain(p.owner or "—"),
                Text(str(p.start) if p.start else "—"),
                Text(str(row.finish) if row.finish else "—"),
                Text(str(p.deadline) if p.deadline else "—"),
                Text("—" if row.finish_float is None else f"{row.finish_float}d"),
                Text(f"{row.percent:.0f}%"),
                plain(milestone),
                Text.assemble((mark, style), " — ", (row.health.reason, "")),
                key=str(p.id),
            )
        target = self._project_of_selected()
        index = next((i for i, r in enumerate(self.rows) if r.project.id == target), 0)
        if self.rows:
            table.move_cursor(row=index)
            self._show_tasks(self.rows[index].project.id, now)

    def _project_of_selected(self) -> int | None:
        wanted = self.tapp.selected_item_id
        for project_id, items in self.items.items():
            if any(item.id == wanted for item in items):
                return project_id
        return self.current_project

    def _show_tasks(self, project_id: int, now: datetime) -> None:
        self.current_project = project_id
        table = self.query_one("#tasks", DataTable)
        table.clear()
        wanted = self.tapp.selected_item_id
        select = 0
        items = self.items.get(project_id, [])
        shown = items[:TASKS_SHOWN]
        if wanted is not None and all(item.id != wanted for item in shown):
            shown += [item for item in items[TASKS_SHOWN:] if item.id == wanted]
        for index, item in enumerate(shown):
            who = " ".join("@" + a for a in item.assignee_logins)
            due = format_date(item.due, now=now) if item.due else "—"
            late = item.is_open and item.due is not None and item.due < now
            table.add_row(
                Text(str(item.id)),
                plain(("◆ " if item.milestone else "") + item.title),
                plain(item.status),
                Text(("! " if late else "") + due, style="bold red" if late else ""),
                Text(f"{item.duration_days:g}d" if item.duration_days else "—"),
                plain(who),
                Text(f"{item.percent_complete:g}"),
                key=str(item.id),
            )
            if item.id == wanted:
                select = index
        if table.row_count:
            table.move_cursor(row=select)
        hidden = len(items) - len(shown)
        note = f"   ({hidden} more tasks: enter on the project opens its Gantt)" if hidden else ""
        self.query_one("#portfolio-title", Static).update(
            " Portfolio — projects, their dates and progress" + note
        )

    @on(DataTable.RowHighlighted, "#projects")
    def _project_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            project_id = int(event.row_key.value)
            self.tapp.selected_project_id = project_id
            if project_id != self.current_project:
                self._show_tasks(project_id, datetime.now())

    @on(DataTable.RowHighlighted, "#tasks")
    def _task_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None and self.query_one("#tasks").has_focus:
            self.tapp.selected_item_id = int(event.row_key.value)

    @on(DataTable.RowSelected, "#tasks")
    def _task_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a task opens it (the table takes enter before the screen)."""
        event.stop()
        self.action_open()

    @on(DataTable.RowSelected, "#projects")
    def _project_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a project opens its Gantt chart."""
        event.stop()
        if event.row_key.value is None:
            return
        self.tapp.selected_project_id = int(event.row_key.value)
        self.tapp.selected_item_id = None
        self.tapp.action_goto_screen(2)

    def action_switch_table(self) -> None:
        """Tab between the projects and the tasks."""
        projects = self.query_one("#projects", DataTable)
        tasks = self.query_one("#tasks", DataTable)
        (tasks if projects.has_focus else projects).focus()

    def action_open(self) -> None:
        """Open the highlighted task's panel (from the projects table: its first task)."""
        tasks = self.query_one("#tasks", DataTable)
        if not tasks.row_count:
            return
        key = tasks.coordinate_to_cell_key(tasks.cursor_coordinate).row_key.value
        if key is not None:
            self.tapp.selected_item_id = int(key)
            self.app.push_screen(ItemPanel(int(key)), lambda _: self.reload())

    def action_reload(self) -> None:
        """Re-read from the store."""
        self.reload()
