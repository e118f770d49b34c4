"""Project mode, screen 1: the portfolio of projects and the tasks of the chosen one.

This is the first cut of the portfolio (the scheduler, Gantt and health arrive with the
project-mode issue): every project with its dates and progress rolled up from the same
items the Board shows, and the selected project's tasks. The item selected on the Board
is selected here too, and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from taskdesk.domain.dates import format_date
from taskdesk.domain.filters import Filter
from taskdesk.domain.health import Health, HealthReport, assess, finish_float, next_milestone
from taskdesk.domain.model import Container, ContainerKind, Item
from taskdesk.domain.projectplan import NoProjectStart, ProjectPlan, schedule_plan
from taskdesk.domain.scheduling import CycleError, Schedule, ScheduleError
from taskdesk.store.errors import StoreError
from taskdesk.ui.calendar_data import learn_finish
from taskdesk.ui.gantt_data import PlanInputs, keep_view, plan_from, read_inputs, view_of
from taskdesk.ui.safe import plain
from taskdesk.ui.screens.base import TaskDeskScreen
from taskdesk.ui.screens.item_panel import ItemPanel

if TYPE_CHECKING:
    from taskdesk.store import Store

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
    #: Not read and scheduled yet (the list shows at once; rows fill in as they arrive).
    pending: bool = False


def rollup(project: Container, items: list[Item], now: datetime) -> ProjectRow:
    """Percent complete weighted by duration (1 day when unset), as algorithms.md says."""
    weights = [(max(item.duration_days or 1.0, 0.0), item) for item in items if not item.milestone]
    total_weight = sum(w for w, _ in weights) or 1.0
    earned = sum(w * (100.0 if not i.is_open else i.percent_complete) for w, i in weights)
    overdue = sum(1 for i in items if i.is_open and i.due is not None and i.due < now)
    done = sum(1 for i in items if not i.is_open)
    return ProjectRow(project, len(items), done, earned / total_weight, overdue)


def with_schedule(
    row: ProjectRow,
    plan: ProjectPlan,
    today: date,
    *,
    threshold: int = 0,
    computed: Schedule | None = None,
) -> ProjectRow:
    """Add the finish, its float against the deadline, the next milestone and the health.

    ``computed``: the plan's schedule when the caller already has it (the Gantt's, for a
    project with a start: the same engine inputs and settings as ``schedule_plan``).
    """
    try:
        if computed is not None and plan.project.start is not None:
            schedule = computed
        else:
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


def assess_project(
    plan: ProjectPlan, now: datetime, *, threshold: int = 0, computed: Schedule | None = None
) -> ProjectRow:
    """A project's row: progress rolled up from its items, then its schedule health.

    Pure (no store): the screen calls it in a thread, one project at a time.
    """
    row = rollup(plan.project, list(plan.items), now)
    return with_schedule(row, plan, now.date(), threshold=threshold, computed=computed)


def read_projects(store: Store, seen: int) -> tuple[int, list[tuple[Container, int]] | None]:
    """The store's data_version and, if it is not ``seen``, every project with its size.

    The sizes order the per-project reads (small first), so a 10,000-task project
    never holds up the others' rows. One tiny read when nothing changed.
    """
    version = store.data_version()
    if version == seen:
        return version, None
    everything = Filter(include_closed=True)
    return version, [
        (project, store.count_items(everything, container_id=project.id))
        for project in store.containers(ContainerKind.PROJECT)
    ]


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
        #: The store's data_version the rows were read at (-1: never read).
        self.version = -1
        #: Bumped by every read: a row scheduled for an older read is dropped.
        self._generation = 0
        #: The item to follow into its project once that project's items arrive.
        self._follow: int | None = None
        self._columns: list[ColumnKey] = []
        #: Projects still to read and schedule, smallest first.
        self._queue: list[int] = []
        #: Item id → its project (following the selection costs no scan).
        self._project_of: dict[int, int] = {}

    def compose_body(self) -> ComposeResult:
        """Two tables."""
        yield Static(
            " Portfolio — projects, their dates and progress", id="portfolio-title", markup=False
        )
        yield DataTable(id="projects", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="tasks", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Columns; the first resume (right after mounting) loads."""
        self._columns = self.query_one("#projects", DataTable).add_columns(
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

    def on_screen_resume(self) -> None:
        """Shown (again): re-read only if the store changed; follow the selected item."""
        self._select_project_of(self.tapp.selected_item_id)
        self.reload()

    def reload(self, *, force: bool = False) -> None:
        """Re-read the portfolio if the store changed (``force``: whatever it says).

        The project list shows at once (with the rows already known); each project is
        then read (store worker, smallest first) and scheduled (a thread of its own),
        and its row filled in when ready.
        """
        seen = -1 if force else self.version

        def job(store: Store) -> tuple[int, list[tuple[Container, int]] | None]:
            return read_projects(store, seen)

        self.tapp.submit(job, partial(self._show_projects, force=force))

    def _show_projects(
        self, read: tuple[int, list[tuple[Container, int]] | None], *, force: bool = False
    ) -> None:
        version, projects = read
        if projects is None or (version == self.version and not force):
            # Nothing changed, or two reads were asked for at once (the first resume
            # and a live-refresh check) and the first is already on screen.
            return
        self.version = version
        self._generation += 1
        self._follow = self.tapp.selected_item_id
        known = {row.project.id: row for row in self.rows}
        self.rows = [
            replace(known[p.id], project=p, pending=True)
            if p.id in known
            else ProjectRow(p, 0, 0, 0.0, 0, pending=True)
            for p, _size in projects
        ]
        self.items = {pid: items for pid, items in self.items.items() if pid in known}
        self._project_of = {i.id: pid for pid, items in self.items.items() for i in items}
        self._fill_table()
        smallest_first = sorted(projects, key=lambda pair: (pair[1], pair[0].name))
        self._queue = [project.id for project, _size in smallest_first]
        self._load_next()

    def _load_next(self) -> None:
        """Read the next project (store worker), then schedule it in a thread.

        One project at a time: only one plan and one schedule are ever in memory (a
        10,000-task project takes tens of MB while it is scheduled), and the CPU left
        over serves the keys.
        """
        if not self._queue:
            return
        project_id = self._queue.pop(0)
        generation = self._generation
        threshold = self.tapp.settings.critical_float_threshold

        store = self.tapp.store

        def schedule(inputs: PlanInputs) -> None:
            plan = inputs.stored

            def work() -> None:
                # The Gantt's computation, so that opening this project's Gantt next
                # shows it at once (its view is kept): the row uses the same schedule.
                try:
                    gantt = plan_from(inputs, threshold=threshold)
                    computed = gantt.schedule
                    row = assess_project(
                        plan, datetime.now(), threshold=threshold, computed=computed
                    )
                    view = view_of(gantt)
                except Exception as error:  # never a traceback: one message, then go on
                    self.app.call_from_thread(self._failed, generation, plan.project.name, error)
                    return
                self.app.call_from_thread(self._row_ready, generation, row, list(plan.items))
                keep_view(store, inputs, view, threshold=threshold)
                learn_finish(store, inputs, gantt)  # the Calendar's marker: no second run

            if generation == self._generation:
                self.run_worker(work, thread=True, group="portfolio", exit_on_error=False)

        def failed(error: StoreError) -> None:  # e.g. the project was deleted meanwhile
            self.notify(str(error), title="Portfolio", severity="error", markup=False)
            if generation == self._generation:
                self._load_next()

        def read(store: Store) -> PlanInputs:
            # What the Gantt reads (the plan itself is shared through project_plan_at).
            return read_inputs(store, project_id)

        self.tapp.submit(read, schedule, on_error=failed)

    def _failed(self, generation: int, name: str, error: Exception) -> None:
        self.notify(f"Cannot schedule {name}: {error}", severity="error", markup=False)
        if generation == self._generation:
            self._load_next()

    def _row_ready(self, generation: int, row: ProjectRow, items: list[Item]) -> None:
        """One project's row is ready: update its cells (and its tasks, if shown)."""
        if generation != self._generation:
            return  # read before a newer change: the newer read fills this row in
        self._load_next()
        pid = row.project.id
        self.rows = [row if r.project.id == pid else r for r in self.rows]
        self.items[pid] = items
        self._project_of.update((item.id, pid) for item in items)
        table = self.query_one("#projects", DataTable)
        for column, value in zip(self._columns, self._cells(row), strict=True):
            # the "… reading" row sized the columns: let them grow to the real values
            table.update_cell(str(pid), column, value, update_width=True)
        if self._follow is not None and any(item.id == self._follow for item in items):
            self._follow = None
            self._select_project_of_row(pid)
        elif pid == self.current_project:
            self._show_tasks(pid, datetime.now())

    def _cells(self, row: ProjectRow) -> list[Text]:
        """The nine cells of a project's row."""
        p = row.project
        if row.pending and row.health is UNSCHEDULED and not row.total:
            mark, style, reason = "… reading", "dim", "scheduling in the background"
        else:
            mark, style = HEALTH_MARKS[row.health.health]
            reason = row.health.reason
        milestone = f"{row.milestone[1]:%m-%d} {row.milestone[0]}" if row.milestone else "—"
        return [
            plain(p.name, "bold"),
            plain(p.owner or "—"),
            Text(str(p.start) if p.start else "—"),
            Text(str(row.finish) if row.finish else "—"),
            Text(str(p.deadline) if p.deadline else "—"),
            Text("—" if row.finish_float is None else f"{row.finish_float}d"),
            Text(f"{row.percent:.0f}%"),
            plain(milestone),
            Text.assemble((mark, style), " — ", (reason, "")),
        ]

    def _fill_table(self) -> None:
        """Every project's row (known values, or "reading"); keep the highlighted one."""
        table = self.query_one("#projects", DataTable)
        keep = self.current_project
        table.clear()
        for row in self.rows:
            table.add_row(*self._cells(row), key=str(row.project.id))
        index = next((i for i, r in enumerate(self.rows) if r.project.id == keep), 0)
        if self.rows:
            table.move_cursor(row=index)
            self._show_tasks(self.rows[index].project.id, datetime.now())

    def _select_project_of(self, item_id: int | None) -> None:
        """Move to the project holding ``item_id`` (when its items are in hand)."""
        project_id = self._project_of.get(item_id) if item_id is not None else None
        if project_id is not None:
            self._select_project_of_row(project_id)

    def _select_project_of_row(self, project_id: int) -> None:
        index = next((i for i, r in enumerate(self.rows) if r.project.id == project_id), None)
        if index is None:
            return
        table = self.query_one("#projects", DataTable)
        if table.cursor_row != index:
            table.move_cursor(row=index)
        if project_id == self.current_project and self._move_to_task(self.tapp.selected_item_id):
            return  # the tasks shown are current: no rebuild, no repaint of the table
        self._show_tasks(project_id, datetime.now())

    def _move_to_task(self, item_id: int | None) -> bool:
        """Put the tasks table's cursor on ``item_id`` if it is listed (False: it is not)."""
        tasks = self.query_one("#tasks", DataTable)
        if item_id is None or str(item_id) not in tasks.rows:
            return False
        index = tasks.get_row_index(str(item_id))
        if tasks.cursor_row != index:
            tasks.move_cursor(row=index)
        return True

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
            # Closing the panel resumes this screen, which re-reads if anything changed.
            self.app.push_screen(ItemPanel(int(key)))

    def action_reload(self) -> None:
        """Re-read from the store, even if it seems unchanged."""
        self.reload(force=True)
