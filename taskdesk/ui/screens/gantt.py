"""Project mode, screen 2: the Gantt chart of one project, edited with the keyboard.

Every edit (a start, a duration, a link) is first scheduled in memory and shown as a
preview of every date that would move; only "apply" writes it, as one undoable action.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from taskdesk.domain.model import ContainerKind, LinkType, ParsedItem
from taskdesk.domain.text import clean_line
from taskdesk.store.errors import StoreError
from taskdesk.ui.gantt_view import GanttRead, GanttView, read_gantt
from taskdesk.ui.screens.base import TaskDeskScreen
from taskdesk.ui.widgets.gantt_chart import GanttChart

if TYPE_CHECKING:
    from taskdesk.domain.baselines import Baseline
    from taskdesk.domain.scheduling import Task
    from taskdesk.store import Store
    from taskdesk.ui.gantt_data import GanttPlan, PlanInputs

# The scheduler, the plan functions and the dialogs are imported where they are used:
# a Gantt shown from a kept view (taskdesk.ui.plan_cache) needs none of them, and they
# cost its first frame about 15 ms (issue 5).


def _title(text: str) -> str:
    """A task title: not blank."""
    title = clean_line(text)
    if not title:
        raise ValueError("a task needs a title")
    return title


def _name(text: str) -> str:
    """A baseline name: not blank."""
    name = text.strip()
    if not name:
        raise ValueError("a baseline needs a name")
    return name


class GanttScreen(TaskDeskScreen):
    """The schedule of the selected project."""

    MODE = "project"
    SCREEN_NUMBER = 2
    HELP_TITLE = "Gantt"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="gantt-down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="gantt-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="gantt-page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="gantt-page-up"),
        Binding("h,left", "pan(-1)", "Earlier", show=False, id="gantt-earlier"),
        Binding("l,right", "pan(1)", "Later", show=False, id="gantt-later"),
        Binding("plus,equals_sign", "zoom(1)", "Zoom+", id="zoom-in"),
        Binding("minus", "zoom(-1)", "Zoom−", id="zoom-out"),
        Binding("t", "today", "Today", show=False, id="gantt-today"),
        Binding(
            "less_than_sign",
            "shift(-1)",
            "Start−",
            id="start-earlier",
            tooltip="Start one working day earlier (preview first)",
        ),
        Binding(
            "greater_than_sign",
            "shift(1)",
            "Start+",
            id="start-later",
            tooltip="Start one working day later (preview first)",
        ),
        Binding(
            "left_curly_bracket",
            "resize(-1)",
            "Dur−",
            id="shorter",
            tooltip="One working day shorter (preview first)",
        ),
        Binding(
            "right_curly_bracket",
            "resize(1)",
            "Dur+",
            id="longer",
            tooltip="One working day longer (preview first)",
        ),
        Binding(
            "c",
            "link",
            "Link",
            id="link-task",
            tooltip="Link the selected task after another one (type and lag)",
        ),
        Binding(
            "C",
            "unlink",
            "Unlink",
            show=False,
            id="unlink-task",
            tooltip="Remove one of the selected task's links",
        ),
        Binding(
            "o",
            "add(0)",
            "Add task",
            show=False,
            id="add-task",
            tooltip="Add a task below the selected one",
        ),
        Binding(
            "O",
            "add(1)",
            "Add milestone",
            show=False,
            id="add-milestone",
            tooltip="Add a milestone below the selected one",
        ),
        Binding(
            "P",
            "pin",
            "Pin",
            show=False,
            id="pin-task",
            tooltip="Pin (manually schedule) the task on its start, or unpin it",
        ),
        Binding(
            "w",
            "why",
            "Why?",
            id="gantt-why",
            tooltip="Why does this task start here? (the driving path)",
        ),
        Binding(
            "right_square_bracket",
            "indent(1)",
            "Indent",
            show=False,
            id="indent-task",
            tooltip="Indent: make the task a subtask of the one above",
        ),
        Binding(
            "left_square_bracket",
            "indent(-1)",
            "Outdent",
            show=False,
            id="outdent-task",
            tooltip="Outdent: move the task up one level in the outline",
        ),
        Binding(
            "percent_sign",
            "percent",
            "% done",
            show=False,
            id="percent-task",
            tooltip="Set the percent complete of the task",
        ),
        Binding(
            "v",
            "level",
            "Level",
            show=False,
            id="level-resources",
            tooltip="Level resources: delay tasks until their people have time (preview)",
        ),
        Binding(
            "V",
            "clear_leveling",
            "Clear leveling",
            show=False,
            id="clear-leveling",
            tooltip="Remove every leveling delay (preview)",
        ),
        Binding(
            "b",
            "save_baseline",
            "Save baseline",
            show=False,
            id="save-baseline",
            tooltip="Save the current schedule as a named baseline",
        ),
        Binding(
            "B",
            "choose_baseline",
            "Show baseline",
            show=False,
            id="choose-baseline",
            tooltip="Show a saved baseline beside the bars ([ ]) with its variance",
        ),
        Binding("enter", "open", "Open", id="gantt-open"),
        Binding("p", "next_project", "Next project", show=False, id="next-project"),
        Binding("r", "reload", "Reload", show=False, id="gantt-reload"),
    ]

    #: The app keeps one Gantt and shows it again (``action_goto_screen``): a resume
    #: checks the store's ``data_version`` and re-reads only when something changed.
    REUSABLE: ClassVar[bool] = True

    def __init__(self, first: Future[GanttRead] | None = None) -> None:
        """``first``: a read begun before the app started (a Gantt as the first screen)."""
        super().__init__()
        self.project_id: int | None = None
        self.baseline_id: int | None = None
        #: The computed plan behind the chart (edits need it); None while the chart
        #: shows a view kept from an earlier computation (:mod:`taskdesk.ui.plan_cache`).
        self.plan: GanttPlan | None = None
        #: What the chart draws.
        self.view: GanttView | None = None
        #: The store's data_version the shown view was read at (-1: nothing read yet).
        self.version = -1
        #: The baseline the shown plan was read with.
        self.shown_baseline: int | None = None
        #: (project, data_version, latest action, today) of the view on screen: a plan
        #: computed for the same state draws the same, so it is not drawn again.
        self._drawn: tuple[int, int, int, date] | None = None
        #: Bumped by every read: a schedule that finishes after a newer read is dropped.
        self._generation = 0
        #: A read is in flight; ``_again``: another was asked for meanwhile.
        self._loading = False
        self._again = False
        self._first = first
        #: An edit asked for while only a kept view was shown: run once the plan is in.
        self._after_plan: Callable[[], None] | None = None

    def compose_body(self) -> ComposeResult:
        """Title line, the chart, an explanation line."""
        yield Static("", id="gantt-title", markup=False)
        yield GanttChart(id="gantt")
        yield Static("", id="gantt-why", markup=False)

    @property
    def chart(self) -> GanttChart:
        """The chart widget."""
        return self.query_one(GanttChart)

    def on_mount(self) -> None:
        """Focus the chart; a first read already done is shown before the first frame."""
        self.chart.focus()
        first = self._first
        if first is not None and first.done() and first.exception() is None:
            self._first = None
            self._loading = True
            self._generation += 1
            self._schedule(self._generation, first.result())

    def on_screen_resume(self) -> None:
        """Shown (again), or a dialog closed: follow the selection, re-read if needed.

        The app keeps this screen, so it usually comes back with its plan in hand: then
        one tiny read (the store's ``data_version``) shows that nothing changed, and
        nothing is read, scheduled or repainted.
        """
        self.reload()

    # --------------------------------------------------------------- loading
    def reload(self, *, force: bool = False, full: bool = False) -> None:
        """Pick the project to show; read it (store worker) and schedule it (thread).

        Unless ``force``, the same project and baseline at the same ``data_version`` as
        the view in hand are not read again. A view kept from an earlier computation at
        the same state is shown without scheduling, unless ``full`` (an edit needs the
        plan itself).
        """
        if self._loading and not force:
            self._again = True  # look once more when the read in flight is shown
            return
        self._loading, self._again = True, False
        self._generation += 1
        first, self._first = self._first, None
        if first is not None:  # begun before the app started: wait for it in turn
            self._submit_read(lambda _store: first.result())
            return
        wanted_item = self.tapp.selected_item_id
        current = self.tapp.selected_project_id or self.project_id
        baseline_id = self.baseline_id
        shown = self.view.project_id if self.view is not None and not force else None
        key = (shown, self.shown_baseline, self.version)
        threshold = self.tapp.settings.critical_float_threshold

        def job(store: Store) -> GanttRead:
            project_id = current
            if wanted_item is not None and (shown is None or wanted_item != shown_item):
                found = store.get_items([wanted_item])  # [] once deleted: keep the project
                item = found[0] if found else None
                if item and item.container_id and item.project_kind is ContainerKind.PROJECT:
                    project_id = item.container_id
            if project_id is None:
                projects = store.containers(ContainerKind.PROJECT)
                if not projects:
                    return GanttRead(True)
                project_id = projects[0].id
            if (project_id, baseline_id, store.data_version()) == key:
                return GanttRead(False)  # nothing changed: keep what is on screen
            return read_gantt(
                store, project_id, baseline_id=baseline_id, threshold=threshold, full=full
            )

        shown_item = self.chart.selected_id if self.is_mounted else None
        self._submit_read(job)

    def _submit_read(self, job: Callable[[Store], GanttRead]) -> None:
        generation = self._generation

        def failed(error: StoreError) -> None:
            self.notify(str(error), title="Gantt", severity="error", timeout=8, markup=False)
            self._after_plan = None
            self._loaded(generation)

        self.tapp.submit(job, partial(self._schedule, generation), on_error=failed)

    def _loaded(self, generation: int) -> None:
        """The read of ``generation`` is over: look again if asked meanwhile."""
        if generation != self._generation:
            return  # a forced read superseded it; that one finishes the job
        self._loading = False
        if self._again:
            self.reload()

    def _schedule(self, generation: int, read: GanttRead) -> None:
        """Show a kept view at once; schedule read inputs in a thread of its own (the
        store's queue is free meanwhile)."""
        inputs = read.inputs
        if generation != self._generation or not read.changed:
            self._loaded(generation)
            return  # a newer read is on its way, or nothing changed
        if read.view is not None:
            self.plan, self.version, self.shown_baseline = None, read.marks[0], None
            self._show(read.view, (read.view.project_id, *read.marks, read.today))
            self._loaded(generation)
            return
        if inputs is None:
            self._show(None, None)
            self._loaded(generation)
            return
        threshold = self.tapp.settings.critical_float_threshold
        store = self.tapp.store

        def work() -> None:
            from taskdesk.ui.calendar_data import learn_finish
            from taskdesk.ui.gantt_data import keep_view, plan_from, view_of

            try:
                plan = plan_from(inputs, threshold=threshold)
                view = view_of(plan)
            except Exception as error:  # never a traceback: one message, then go on
                self.app.call_from_thread(self._failed, generation, error)
                return
            self.app.call_from_thread(self._scheduled, generation, inputs, plan, view)
            keep_view(store, inputs, view, threshold=threshold)  # for the next opening
            learn_finish(store, inputs, plan)  # the Calendar's marker for this project

        self.run_worker(work, thread=True, group="gantt-schedule", exit_on_error=False)

    def _scheduled(
        self, generation: int, inputs: PlanInputs, plan: GanttPlan, view: GanttView
    ) -> None:
        if generation == self._generation:
            self.version = inputs.version
            self.shown_baseline = inputs.baseline.id if inputs.baseline else None
            self.plan = plan
            state = (plan.project.id, inputs.version, inputs.action, inputs.today)
            if inputs.baseline is not None or self._drawn != state or self.view is None:
                self._show(view, state if inputs.baseline is None else None)
            # else: the view on screen was kept from this very state: it draws the same
            after, self._after_plan = self._after_plan, None
            if after is not None:
                self.set_status("")
                after()
        self._loaded(generation)

    def _failed(self, generation: int, error: Exception) -> None:
        self.notify(f"Cannot show the Gantt: {error}", severity="error", timeout=10, markup=False)
        self._after_plan = None
        self._loaded(generation)

    def _full_plan(self, then: Callable[[], None]) -> GanttPlan | None:
        """The computed plan behind the chart, which an edit needs.

        When the chart shows a view kept from an earlier computation (a second session,
        or a project opened before), the plan is read and scheduled first and ``then``
        (the edit) runs once it is in.
        """
        if self.plan is not None:
            return self.plan
        if self.view is None or self.view.error:
            return None
        self._after_plan = then
        self.set_status("Reading the whole plan…")
        self.reload(force=True, full=True)
        return None

    def _show(self, view: GanttView | None, drawn: tuple[int, int, int, date] | None) -> None:
        title = self.query_one("#gantt-title", Static)
        self._drawn = drawn
        if view is None:
            title.update("No projects yet: import a plan file or add items with project:NAME.")
            return
        new_project = view.project_id != self.project_id
        if new_project:
            self.baseline_id = None  # a baseline belongs to one project
        self.view, self.project_id = view, view.project_id
        self.tapp.selected_project_id = view.project_id
        self._draw_title()
        self.chart.set_rows(
            view.rows,
            workdays=view.workdays,
            holidays=view.holidays,
            today=datetime.now().date(),
            select=self.tapp.selected_item_id,
            recenter=new_project,
        )
        self._explain()
        if view.error:
            self.set_status(Content.assemble(("Cannot schedule: ", "bold"), view.error))

    def _draw_title(self) -> None:
        """Project, start → finish, deadline, who is over capacity, the zoom."""
        view = self.view
        if view is None:
            return
        finish = ""
        if view.finish is not None:
            finish = f" → {view.finish}"
            if view.deadline:
                late = view.finish > view.deadline
                finish += f"  deadline {view.deadline}" + ("  LATE" if late else "")
        over = ", ".join(f"{login} {days}d" for login, days in sorted(view.over_days.items()))
        if over:
            finish += f"   ! over capacity: {over}"
        self.query_one("#gantt-title", Static).update(
            Content.assemble(
                (" Gantt: ", "bold"),
                clean_line(view.name),
                f"  {view.start}{finish}",
                (f"   zoom {self.chart.zoom.name.lower()}", "dim"),
            )
        )

    @on(GanttChart.CursorMoved)
    def _cursor_moved(self, message: GanttChart.CursorMoved) -> None:
        if message.task_id is not None:
            self.tapp.selected_item_id = message.task_id
        self._explain()

    def _explain(self) -> None:
        view, row = self.view, self.chart.selected
        if view is None or row is None:
            return
        self.chart.set_related(view.related(self.chart.cursor))
        fl = "critical" if row.critical else f"float {row.total_float}d"
        if view.baseline_name is not None and row.baseline_start and row.baseline_finish:
            calendar = view.calendar()
            start_var = calendar.working_days_between(row.baseline_start, row.start)
            finish_var = calendar.working_days_between(row.baseline_finish, row.finish)
            fl += f"  vs “{view.baseline_name}”: start {start_var:+d}d, finish {finish_var:+d}d"
        self.query_one("#gantt-why", Static).update(
            Content.assemble(
                (clean_line(row.title), "bold"),
                f"  {row.start} → {row.finish}  {row.duration}d  {fl}",
                ("   » = its predecessors and successors", "dim"),
            )
        )

    # ---------------------------------------------------------------- moving
    def action_cursor(self, delta: int) -> None:
        """Select the task above/below."""
        self.chart.move_cursor(delta)

    def action_page(self, direction: int) -> None:
        """A screenful up/down."""
        self.chart.move_cursor(direction * self.chart.visible_rows)

    def action_pan(self, direction: int) -> None:
        """Scroll the time axis by a week (four at month zoom)."""
        self.chart.pan(direction)

    def action_zoom(self, direction: int) -> None:
        """Day / week / month."""
        zoom = self.chart.zoom
        self.chart.set_zoom(zoom.zoom_in() if direction > 0 else zoom.zoom_out())
        self._draw_title()  # it names the zoom

    def action_today(self) -> None:
        """Put today on screen."""
        self.chart.set_zoom(self.chart.zoom)

    def action_open(self) -> None:
        """The item panel of the selected task."""
        from taskdesk.ui.screens.item_panel import ItemPanel

        task_id = self.chart.selected_id
        if task_id is not None:
            # Closing the panel resumes this screen, which re-reads if anything changed.
            self.app.push_screen(ItemPanel(task_id))

    def action_reload(self) -> None:
        """Re-read and reschedule, even if the store seems unchanged (no kept view)."""
        self.reload(force=True, full=True)

    def action_next_project(self) -> None:
        """Show the next project."""
        current = self.project_id

        threshold = self.tapp.settings.critical_float_threshold

        def job(store: Store) -> GanttRead:
            projects = store.containers(ContainerKind.PROJECT)
            if not projects:
                return GanttRead(True)
            ids = [p.id for p in projects]
            index = (ids.index(current) + 1) % len(ids) if current in ids else 0
            return read_gantt(store, ids[index], threshold=threshold)

        self.tapp.selected_item_id = None
        self._generation += 1
        self._loading, self._again = True, False
        self._submit_read(job)

    # ----------------------------------------------------------------- edits
    def _selected_task(self) -> Task | None:
        plan, task_id = self.plan, self.chart.selected_id
        if plan is None or task_id is None or plan.schedule is None:
            return None
        return next((t for t in plan.tasks if t.id == task_id), None)

    def action_shift(self, days: int) -> None:
        """Move the start by a working day, as a "start no earlier than" constraint."""
        from taskdesk.ui.gantt_data import shifted, with_task

        plan = self._full_plan(lambda: self.action_shift(days))
        task = self._selected_task()
        if plan is None or task is None or plan.schedule is None:
            return
        es = plan.schedule.tasks[task.id].es
        target = plan.calendar.add_working_days(es, days)
        moved = (
            shifted(task, pinned_start=target)
            if task.pinned_start
            else shifted(task, start_no_earlier=target)
        )
        after = with_task(plan, moved)
        what = f"Start “{task.title}” no earlier than {target}"
        self._preview(what, plan, after, {"start_no_earlier": target}, task.id)

    def action_pin(self) -> None:
        """Pin the task on its current start (links no longer move it), or unpin it."""
        from taskdesk.ui.gantt_data import shifted, with_task

        plan = self._full_plan(self.action_pin)
        task = self._selected_task()
        if plan is None or task is None or plan.schedule is None:
            return
        if task.pinned_start is not None:
            after = with_task(plan, shifted(task, pinned_start=None))
            fields: dict[str, object] = {"pinned": False, "start_no_earlier": None}
            what = f"Unpin “{task.title}”: links schedule it again"
        else:
            es = plan.schedule.tasks[task.id].es
            after = with_task(plan, shifted(task, pinned_start=es, start_no_earlier=None))
            fields = {"pinned": True, "start_no_earlier": es}
            what = f"Pin “{task.title}” on {es}: links no longer move it"
        self._preview(what, plan, after, fields, task.id)

    def action_resize(self, days: int) -> None:
        """Make the task a working day longer or shorter."""
        from taskdesk.ui.gantt_data import shifted, with_task

        plan = self._full_plan(lambda: self.action_resize(days))
        task = self._selected_task()
        if plan is None or task is None or task.milestone:
            return
        duration = max(1, task.duration + days)
        if duration == task.duration:
            return
        after = with_task(plan, shifted(task, duration=duration))
        what = f"“{task.title}” takes {duration} working days (was {task.duration})"
        self._preview(what, plan, after, {"duration_days": float(duration)}, task.id)

    def _preview(
        self,
        what: str,
        before: GanttPlan,
        after: GanttPlan,
        fields: dict[str, object],
        task_id: int,
    ) -> None:
        """Preview an edit of one task's fields; apply writes them as one action."""
        self._preview_plan(what, before, after, lambda store: store.update_item(task_id, fields))

    def action_level(self) -> None:
        """Serial leveling (algorithms.md) with a preview of every date it moves."""
        from taskdesk.ui.gantt_data import leveled

        plan = self._full_plan(self.action_level)
        if plan is None or plan.schedule is None:
            return
        after, delays, unresolved = leveled(plan)
        delayed = {k: v for k, v in delays.items() if v}
        what = f"Level resources: {len(delayed)} tasks delayed"
        if unresolved:
            names = ", ".join(plan.items[i].title for i in unresolved[:3])
            what += f"; cannot fit: {names}"
        project_id = plan.project.id
        self._preview_plan(
            what, plan, after, lambda store: store.save_leveling_delays(project_id, delays)
        )

    def action_clear_leveling(self) -> None:
        """Remove all leveling delays, with a preview."""
        from taskdesk.ui.gantt_data import cleared

        plan = self._full_plan(self.action_clear_leveling)
        if plan is None or plan.schedule is None:
            return
        project_id = plan.project.id
        self._preview_plan(
            "Clear all leveling delays",
            plan,
            cleared(plan),
            lambda store: store.clear_leveling(project_id),
        )

    def _preview_plan(
        self,
        what: str,
        before: GanttPlan,
        after: GanttPlan,
        write: Callable[[Store], object],
        *,
        on_done: Callable[[Any], object] | None = None,
    ) -> None:
        from taskdesk.ui.gantt_data import changes
        from taskdesk.ui.screens.schedule_preview import SchedulePreview

        if after.error:
            self.notify(f"Not possible: {after.error}", severity="error", markup=False)
            return
        finish = f"Project finish: {after.schedule.finish}." if after.schedule else ""

        def decided(apply: bool | None) -> None:
            if apply:
                self.tapp.submit(write, on_done or (lambda _: self.reload()))

        self.app.push_screen(
            SchedulePreview(what, changes(before, after), before.titles(), finish=finish),
            decided,
        )

    def action_save_baseline(self) -> None:
        """Freeze the current schedule under a name (several per project)."""
        from taskdesk.domain.scheduling import snapshot
        from taskdesk.ui.screens.prompt import PromptScreen

        plan = self._full_plan(self.action_save_baseline)
        if plan is None or plan.schedule is None:
            return
        schedule, tasks, project_id = plan.schedule, plan.tasks, plan.project.id

        def named(name: object | None) -> None:
            if not isinstance(name, str):
                return
            frozen = snapshot(schedule, tasks)
            self.tapp.submit(
                lambda store: store.save_baseline(project_id, name, frozen),
                lambda saved: self._baseline_saved(saved.id, name),
            )

        default = f"Baseline {datetime.now():%Y-%m-%d}"
        self.app.push_screen(
            PromptScreen("Save the schedule as baseline:", _name, value=default), named
        )

    def _baseline_saved(self, baseline_id: int, name: str) -> None:
        self.baseline_id = baseline_id
        self.notify(f"Saved baseline “{name}”.", markup=False)
        self.reload()

    def action_choose_baseline(self) -> None:
        """Pick a saved baseline to show beside the bars (or none)."""
        from taskdesk.ui.screens.link_picker import LinkPicker

        project_id = self.project_id
        if project_id is None:
            return

        def chosen(choice: tuple[int, LinkType, int] | None) -> None:
            if choice is not None:
                self.baseline_id = choice[0] or None
                self.reload()

        def show(baselines: list[Baseline]) -> None:
            if not baselines:
                self.notify("No baselines yet: b saves one.")
                return
            choices = [(0, "(none)")] + [
                (b.id, f"{b.name} — {b.saved_at:%Y-%m-%d %H:%M} by {b.saved_by}") for b in baselines
            ]
            self.app.push_screen(LinkPicker("Show baseline", choices, ask_type=False), chosen)

        self.tapp.submit(lambda store: store.baselines(project_id), show)

    def action_why(self) -> None:
        """Show the driving path: why the selected task starts when it does."""
        from taskdesk.domain.scheduling import explain_text
        from taskdesk.ui.screens.prompt import MessageScreen

        plan = self._full_plan(self.action_why)
        task = self._selected_task()
        if plan is None or task is None or plan.schedule is None:
            return
        lines = explain_text(plan.schedule, plan.links, task.id)
        self.app.push_screen(MessageScreen(f"Why “{task.title}” starts when it does", lines))

    def action_indent(self, direction: int) -> None:
        """Indent under the task above, or outdent one level (preview first)."""
        from taskdesk.ui.gantt_data import shifted, with_task

        plan = self._full_plan(lambda: self.action_indent(direction))
        task = self._selected_task()
        rows = self.chart.rows
        if plan is None or task is None:
            return
        index = self.chart.cursor
        if direction > 0:
            depth = rows[index].depth
            above = [r for r in rows[:index] if r.depth == depth]
            if not above:
                self.notify("Nothing above at this level to indent under.")
                return
            parent: int | None = above[-1].task_id
        else:
            if task.parent_id is None:
                self.notify("Already at the top level.")
                return
            grand = next((t.parent_id for t in plan.tasks if t.id == task.parent_id), None)
            parent = grand
        after = with_task(plan, shifted(task, parent_id=parent))
        where = plan.items[parent].title if parent is not None else "the top level"
        what = f"Move “{task.title}” under {where}"
        self._preview(what, plan, after, {"parent_id": parent}, task.id)

    def action_percent(self) -> None:
        """Set percent complete (0–100)."""
        from taskdesk.ui.gantt_data import shifted, with_task
        from taskdesk.ui.screens.prompt import PromptScreen

        plan = self._full_plan(self.action_percent)
        task = self._selected_task()
        if plan is None or task is None:
            return

        def parse(text: str) -> float:
            try:
                value = float(text.strip().rstrip("%"))
            except ValueError:
                raise ValueError(f"“{text}” is not a number from 0 to 100") from None
            if not 0 <= value <= 100:
                raise ValueError(f"{value:g} is not between 0 and 100")
            return value

        def chosen(value: object | None) -> None:
            if isinstance(value, float):
                after = with_task(plan, shifted(task, percent_complete=value))
                what = f"“{task.title}” is {value:g}% complete"
                self._preview(what, plan, after, {"percent_complete": value}, task.id)

        current = f"{task.percent_complete:g}"
        self.app.push_screen(PromptScreen("Percent complete (0–100)", parse, value=current), chosen)

    def action_link(self) -> None:
        """Make the selected task follow another one (pick it, the type and the lag)."""
        from taskdesk.domain.scheduling import Link
        from taskdesk.ui.gantt_data import changes, reschedule
        from taskdesk.ui.screens.link_picker import LinkPicker
        from taskdesk.ui.screens.schedule_preview import SchedulePreview

        plan = self._full_plan(self.action_link)
        task = self._selected_task()
        if plan is None or task is None:
            return
        choices = [(t.id, plan.items[t.id].title) for t in plan.tasks if t.id != task.id]

        def picked(choice: tuple[int, LinkType, int] | None) -> None:
            if choice is None or self.plan is None:
                return
            pred, kind, lag = choice
            links = [*plan.links, Link(pred, task.id, kind, lag)]
            after = reschedule(plan, links=links)
            what = f"“{task.title}” after “{plan.items[pred].title}” ({kind.value}{lag:+d}d)"
            if after.error:
                self.notify(f"Not linked: {after.error}", severity="error", markup=False)
                return

            def decided(apply: bool | None) -> None:
                if apply:
                    self.tapp.submit(
                        lambda store: store.add_dependency(pred, task.id, kind, float(lag)),
                        lambda _: self.reload(),
                    )

            moves = changes(plan, after)
            self.app.push_screen(SchedulePreview(what, moves, plan.titles()), decided)

        self.app.push_screen(LinkPicker(f"“{task.title}” comes after…", choices), picked)

    def action_unlink(self) -> None:
        """Remove one link into the selected task."""
        from taskdesk.ui.gantt_data import changes, reschedule
        from taskdesk.ui.screens.link_picker import LinkPicker
        from taskdesk.ui.screens.schedule_preview import SchedulePreview

        plan = self._full_plan(self.action_unlink)
        task = self._selected_task()
        if plan is None or task is None:
            return
        incoming = [lk for lk in plan.links if lk.successor == task.id]
        if not incoming:
            self.notify("This task has no predecessor to unlink.")
            return
        choices = [(lk.predecessor, plan.items[lk.predecessor].title) for lk in incoming]

        def picked(choice: tuple[int, LinkType, int] | None) -> None:
            if choice is None:
                return
            pred = choice[0]
            kept = [
                lk for lk in plan.links if not (lk.predecessor == pred and lk.successor == task.id)
            ]
            after = reschedule(plan, links=kept)

            def decided(apply: bool | None) -> None:
                if apply:
                    self.tapp.submit(
                        lambda store: store.remove_dependency(pred, task.id),
                        lambda _: self.reload(),
                    )

            what = f"“{task.title}” no longer waits for “{plan.items[pred].title}”"
            self.app.push_screen(
                SchedulePreview(what, changes(plan, after), plan.titles()), decided
            )

        self.app.push_screen(LinkPicker("Unlink from…", choices, ask_type=False), picked)

    def action_add(self, milestone: int) -> None:
        """Add a task (or milestone) below the selected one, in the same WBS parent:
        ask its title, preview what it moves (a summary may grow), then add it."""
        from taskdesk.ui.screens.prompt import PromptScreen

        plan = self._full_plan(lambda: self.action_add(milestone))
        task = self._selected_task()
        if plan is None:
            return
        kind = "milestone" if milestone else "task"
        parent = task.parent_id if task else None

        def titled(title: object | None) -> None:
            if isinstance(title, str) and self.plan is not None:
                self._preview_add(plan, title, bool(milestone), parent)

        self.app.push_screen(
            PromptScreen(f"Title of the new {kind}:", _title, value=f"New {kind}"), titled
        )

    def _preview_add(
        self, plan: GanttPlan, title: str, milestone: bool, parent: int | None
    ) -> None:
        from taskdesk.domain.scheduling import Task
        from taskdesk.ui.gantt_data import reschedule

        new = Task(
            id=-1,
            title=title,
            duration=0 if milestone else 1,
            milestone=milestone,
            parent_id=parent,
        )
        after = reschedule(plan, tasks=[*plan.tasks, new])
        parsed = ParsedItem(
            title=title,
            project=plan.project.name,
            milestone=milestone,
            duration_days=None if milestone else 1.0,
            given={"title", "project", "milestone", "duration_days"},
        )

        def added(item_id: int) -> None:
            self.tapp.selected_item_id = item_id
            self.reload()

        what = f"Add “{title}” ({'milestone' if milestone else '1 working day'})"
        self._preview_plan(
            what,
            plan,
            after,
            lambda store: store.add_item(parsed, parent_id=parent).id,
            on_done=added,
        )
