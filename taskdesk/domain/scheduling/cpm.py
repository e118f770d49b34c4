"""The critical path method: forward and backward pass, float, critical and driving path.

Everything follows algorithms.md ("Critical path method"), on a **working-day axis**:
boundary 0 is the start of the project's first working day, boundary ``n`` the start of
the ``n``-th working day after it (equivalently the end of the ``n-1``-th). A task of
duration D occupying working days ``ES .. ES+D-1`` has ``EF = ES + D``. The formulas of
algorithms.md are applied to these integers, exactly, for all four link types:

    forward   FS: EF_i + L   SS: ES_i + L   FF: EF_i + L − D_j   SF: ES_i + L − D_j
    backward  FS: LS_j − L   SS: LS_j − L + D_i   FF: LF_j − L   SF: LF_j − L + D_i

Dates are made from boundaries only at the end (the calendar's index, see calendar.py),
so the passes are O(V + E) integer arithmetic: 10,000 tasks and 20,000 links schedule
in a few tens of milliseconds (benchmarks/bench_scheduler.py).

**Milestones and time of day.** A boundary is both "the end of one day" and "the start
of the next"; for tasks with a duration that does not matter (``es`` prints the first
day, ``ef`` the last). A milestone occupies no day, so which date it prints depends on
what put it there, as in MS Project where it carries a time of day: after an FS or FF
link it sits at the *end* of its predecessor's last day (printed on that day), after an
SS or SF link, a start-no-earlier constraint or at the project start it sits at the
*start* of a day (printed on that day). The passes therefore carry each bound as a
*point* ``2n`` (end of day ``n-1``) or ``2n+1`` (start of day ``n``): comparing points
orders bounds by wall-clock time, which is what MS Project compares, while ``n = point
>> 1`` is the boundary that algorithms.md's arithmetic (and every float) uses.

**Summary tasks** (WBS parents) span their subtasks: ``ES`` = earliest subtask start,
``EF`` = latest subtask finish (and ``LS``/``LF`` likewise). Links *to* a summary (FS or
SS only, as MS Project allows) and its start-no-earlier constraint hold for every
subtask; links *from* a summary (any type) use its spanned dates; its deadline bounds
every subtask's late finish. A link between a summary and its own subtask is refused.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from taskdesk.domain.scheduling._graph import (
    ENTRY,
    EXIT,
    FF,
    FS,
    LEAF,
    SS,
    TYPE_CODE,
    Graph,
    build,
)
from taskdesk.domain.scheduling.calendar import WorkCalendar
from taskdesk.domain.scheduling.model import Link, LinkType, ScheduleError, Task

__all__ = [
    "DateChange",
    "Schedule",
    "ScheduledTask",
    "StartReason",
    "explain",
    "explain_text",
    "preview",
    "rollup_percent",
    "schedule",
]

_NEG = -(1 << 62)
_POS = 1 << 62
_ONE_DAY = timedelta(days=1)


class StartReason(enum.StrEnum):
    """What fixed a task's early start (the first step of "why is this task here?")."""

    START = "start"  # the project start
    LINK = "link"  # a driving link (zero gap), see ``ScheduledTask.driving``
    SUMMARY = "summary"  # the bound its summary task passes down (links into the summary)
    CONSTRAINT = "constraint"  # start_no_earlier
    PINNED = "pinned"  # manually scheduled
    LEVELING = "leveling"  # a leveling delay pushed it later than its links allow
    CHILDREN = "children"  # a summary whose start is simply its first subtask's start


@dataclass(frozen=True)
class ScheduledTask:
    """One task's computed dates and floats.

    ``es``/``ef`` are the first and last working day the task occupies, ``ls``/``lf``
    the same for its latest position (a milestone prints one date, see the module
    docstring). ``es_n``… are the raw boundaries on the working-day axis (0 = project
    start) that the floats are computed from. Floats are in working days; a negative
    total float means a deadline is missed (algorithms.md: show it, don't hide it).
    ``driving`` lists the predecessors whose link has zero gap.
    """

    id: int
    es: date
    ef: date
    ls: date
    lf: date
    total_float: int
    free_float: int
    critical: bool
    summary: bool
    driving: tuple[int, ...]
    es_n: int
    ef_n: int
    ls_n: int
    lf_n: int
    parent_id: int | None = None
    key: str = ""
    title: str = ""
    duration: int = 0
    milestone: bool = False
    start_reason: StartReason = StartReason.START
    leveling_delay: int = 0
    cost: float | None = None
    deadline: date | None = None

    @property
    def name(self) -> str:
        """How messages name the task: its title, else its key, else ``#id``."""
        return self.title or self.key or f"#{self.id}"


@dataclass(frozen=True)
class Schedule:
    """The result of :func:`schedule`.

    ``start`` is the project's first working day, ``finish`` its last (the latest
    ``ef``). ``critical_path`` is one chain of critical, non-summary tasks linked by
    driving links, from the start (or a constraint) to a task finishing on ``finish``;
    see :func:`schedule` for how it is chosen. ``order`` is the topological order used
    (summaries after their last subtask).
    """

    start: date
    finish: date
    tasks: dict[int, ScheduledTask]
    critical_path: list[int]
    order: list[int]
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    finish_n: int = 0
    deadline: date | None = None


@dataclass(frozen=True)
class DateChange:
    """A task whose dates an edit would move (the "preview, then apply" list)."""

    id: int
    old_es: date
    new_es: date
    old_ef: date
    new_ef: date


# -- the passes ------------------------------------------------------------------------


class _Axis:
    """Dates ↔ boundaries on the working-day axis of one calendar and project start."""

    def __init__(self, calendar: WorkCalendar, start: date) -> None:
        self.calendar = calendar
        self.base = calendar.day_index(start)
        self._dates: dict[int, date] = {}

    def start_of(self, d: date) -> int:
        """The boundary at the start of ``d`` (of the next working day if ``d`` is off)."""
        return self.calendar.day_index(d) - self.base

    def end_of(self, d: date) -> int:
        """The boundary at the end of ``d`` (of the last working day up to ``d``)."""
        return self.calendar.day_index(d + _ONE_DAY) - self.base

    def day(self, n: int) -> date:
        """The working day ``n`` (0 = the project's first working day)."""
        found = self._dates.get(n)
        if found is None:
            found = self._dates[n] = self.calendar.date_at(self.base + n)
        return found

    def show(self, point: int) -> date:
        """The date a point prints as: its day for a start, the day before for an end."""
        return self.day(point >> 1) if point & 1 else self.day((point >> 1) - 1)


@dataclass
class _Inputs:
    """Per-task constraints as points (see the module docstring)."""

    snet: list[int]
    pinned: list[int | None]
    delay: list[int]
    deadline: list[int]


def _inputs(graph: Graph, axis: _Axis, delays: Mapping[int, int] | None = None) -> _Inputs:
    snet = [_NEG] * len(graph.tasks)
    pinned: list[int | None] = [None] * len(graph.tasks)
    delay = [0] * len(graph.tasks)
    deadline = [_POS] * len(graph.tasks)
    for t, task in enumerate(graph.tasks):
        if task.start_no_earlier is not None:
            snet[t] = 2 * axis.start_of(task.start_no_earlier) + 1
        if task.deadline is not None:
            deadline[t] = 2 * axis.end_of(task.deadline)
        if graph.summary[t]:
            continue
        if task.pinned_start is not None:
            pinned[t] = 2 * axis.start_of(task.pinned_start) + 1
        delay[t] = task.leveling_delay if delays is None else delays.get(task.id, 0)
    return _Inputs(snet, pinned, delay, deadline)


def _bound(graph: Graph, t: int, es: list[int], ef: list[int], entry: list[int], snet: int) -> int:
    """The forward-pass bound on task ``t``'s start, as a point: the project start, its
    constraint, its summary's bound and every link (algorithms.md forward formulas)."""
    b = snet if snet > 1 else 1
    p = graph.parent[t]
    if p >= 0 and entry[p] > b:
        b = entry[p]
    d2 = 2 * graph.duration[t]
    for i, code, lag in graph.preds[t]:
        if code == FS:
            v = ef[i] + 2 * lag
        elif code == SS:
            v = es[i] + 2 * lag
        elif code == FF:
            v = ef[i] + 2 * lag - d2
        else:
            v = es[i] + 2 * lag - d2
        if v > b:
            b = v
    return b


def _place(graph: Graph, t: int, point: int, es: list[int], ef: list[int]) -> None:
    """Put leaf ``t`` at ``point``: a task starts at the start of a day, a milestone
    stays exactly where its bound is."""
    d = graph.duration[t]
    if d:
        n = point >> 1
        es[t] = 2 * n + 1
        ef[t] = 2 * (n + d)
    else:
        es[t] = ef[t] = point


def _span(graph: Graph, t: int, es: list[int], ef: list[int]) -> None:
    """A summary spans its children."""
    kids = graph.children[t]
    es[t] = min(es[k] for k in kids)
    ef[t] = max(ef[k] for k in kids)


def _forward(graph: Graph, inputs: _Inputs) -> tuple[list[int], list[int], list[int]]:
    """Early start/finish points of every task, and the entry bound of every summary."""
    size = len(graph.tasks)
    es, ef, entry = [0] * size, [0] * size, [_NEG] * size
    for v in graph.order:
        t, role = graph.node_task[v], graph.node_role[v]
        if role == LEAF:
            pin = inputs.pinned[t]
            if pin is None:
                pin = _bound(graph, t, es, ef, entry, inputs.snet[t]) + 2 * inputs.delay[t]
            _place(graph, t, pin, es, ef)
        elif role == ENTRY:
            entry[t] = _bound(graph, t, es, ef, entry, inputs.snet[t])
        else:
            _span(graph, t, es, ef)
    return es, ef, entry


def _backward(
    graph: Graph, inputs: _Inputs, es: list[int], ef: list[int], finish: int, deadline: int
) -> tuple[list[int], list[int]]:
    """Late start/finish points (algorithms.md backward formulas), from the project
    ``finish`` point or the project ``deadline`` point when that is earlier.

    A deadline is the end of its day. A milestone that sits at the *start* of a day
    (after an SS/SF link, a constraint, the project start) prints on that day, so for
    it a deadline means the start of the deadline day: sitting at the start of the next
    day would print after the deadline, and shows as negative float instead.
    """
    size = len(graph.tasks)
    ls, lf, exit_bound = [0] * size, [0] * size, [_POS] * size
    for v in reversed(graph.order):
        t, role = graph.node_task[v], graph.node_role[v]
        if role == ENTRY:
            kids = graph.children[t]
            ls[t] = min(ls[k] for k in kids)
            lf[t] = max(lf[k] for k in kids)
            continue
        dates = min(deadline, inputs.deadline[t])
        if role == LEAF and graph.duration[t] == 0 and es[t] & 1 and dates < _POS:
            dates -= 1
        b = finish if finish < dates else dates
        p = graph.parent[t]
        if p >= 0 and exit_bound[p] < b:
            b = exit_bound[p]
        d = graph.duration[t] if role == LEAF else (ef[t] >> 1) - (es[t] >> 1)
        d2 = 2 * d
        for j, code, lag in graph.succs[t]:
            if code == FS:
                w = ls[j] - 2 * lag
            elif code == SS:
                w = ls[j] - 2 * lag + d2
            elif code == FF:
                w = lf[j] - 2 * lag
            else:
                w = lf[j] - 2 * lag + d2
            if w < b:
                b = w
        if role == EXIT:
            exit_bound[t] = b
        elif d:
            n = b >> 1
            lf[t] = 2 * n
            ls[t] = 2 * (n - d) + 1
        else:
            ls[t] = lf[t] = b
    return ls, lf


def _gap(code: int, lag: int, pred: tuple[int, int], succ: tuple[int, int]) -> int:
    """The slack of one link (algorithms.md free float), on ``(es_n, ef_n)`` pairs."""
    if code == FS:
        return succ[0] - lag - pred[1]
    if code == SS:
        return succ[0] - lag - pred[0]
    if code == FF:
        return succ[1] - lag - pred[1]
    return succ[1] - lag - pred[0]


# -- the public entry point ------------------------------------------------------------


def schedule(
    tasks: Sequence[Task],
    links: Sequence[Link],
    *,
    start: date,
    calendar: WorkCalendar,
    finish_deadline: date | None = None,
    critical_threshold: int = 0,
) -> Schedule:
    """Schedule a project: forward pass, backward pass, floats, critical path.

    - Early start = max(project start, start-no-earlier, summary's bound, every link's
      bound) + leveling delay; a pinned task starts exactly on its pinned date.
    - Late finish = min(project finish, or ``finish_deadline`` when earlier; the task's
      own deadline; its summary's bound; every successor link's bound), so a deadline
      that cannot be met shows as negative float.
    - Total float = min(LS − ES, LF − EF); free float = the smallest link gap to a
      successor (a subtask also counts its summaries' FS/FF successors), or project
      finish − EF without successors, and never more than total float (algorithms.md:
      "free ≤ total"; MS Project caps it the same way). Critical: total float ≤
      ``critical_threshold``.
    - Critical path: starting from the critical non-summary task that finishes last
      (latest in topological order on a tie), repeatedly step back to a critical task
      that drives it (through summaries to the subtask that sets their date), preferring
      the lowest total float, then the latest in topological order. The result does not
      depend on the input order of tasks or links.

    Raises CycleError (nothing else computed) or ScheduleError for bad input.
    """
    graph = build(tasks, links)
    axis = _Axis(calendar, start)
    return _schedule(graph, axis, _inputs(graph, axis), finish_deadline, critical_threshold)


def _schedule(
    graph: Graph,
    axis: _Axis,
    inputs: _Inputs,
    finish_deadline: date | None,
    threshold: int,
) -> Schedule:
    es, ef, entry = _forward(graph, inputs)
    leaves = [t for t in range(len(graph.tasks)) if not graph.summary[t]]
    finish_point = max((ef[t] for t in leaves), default=1)
    deadline = _POS if finish_deadline is None else 2 * axis.end_of(finish_deadline)
    ls, lf = _backward(graph, inputs, es, ef, finish_point, deadline)
    n = [(es[t] >> 1, ef[t] >> 1) for t in range(len(graph.tasks))]
    finish_n = finish_point >> 1
    total = [min((ls[t] >> 1) - n[t][0], (lf[t] >> 1) - n[t][1]) for t in range(len(n))]
    driving = [_driving(graph, t, n, inputs) for t in range(len(n))]
    out: dict[int, ScheduledTask] = {}
    costs = _rollup_cost(graph)
    shown = _dates(graph, axis, es, ef, ls, lf)
    free = _free_floats(graph, n, finish_n)
    ids = [task.id for task in graph.tasks]
    for t, task in enumerate(graph.tasks):
        summary = graph.summary[t]
        es_n, ef_n = n[t]
        early, finish, late, late_finish = shown[t]
        out[task.id] = ScheduledTask(
            task.id,
            early,
            finish,
            late,
            late_finish,
            total[t],
            min(free[t], total[t]),
            total[t] <= threshold,
            summary,
            tuple(sorted({ids[i] for i in driving[t]})) if driving[t] else (),
            es_n,
            ef_n,
            ls[t] >> 1,
            lf[t] >> 1,
            task.parent_id,
            task.key,
            task.title,
            ef_n - es_n if summary else graph.duration[t],
            not summary and graph.duration[t] == 0,
            _reason(graph, t, n, entry, inputs, driving[t]),
            inputs.delay[t] if inputs.pinned[t] is None else 0,
            costs[t],
            task.deadline,
        )
    order = [graph.tasks[graph.node_task[v]].id for v in graph.order if graph.node_role[v] != ENTRY]
    position = {graph.node_task[v]: k for k, v in enumerate(graph.order)}
    path = _critical_path(graph, leaves, ef, n, total, threshold, driving, out, position)
    return Schedule(
        start=axis.day(0),
        finish=axis.show(finish_point) if leaves else axis.day(0),
        tasks=out,
        critical_path=path,
        order=order,
        calendar=axis.calendar,
        finish_n=finish_n,
        deadline=finish_deadline,
    )


def _dates(
    graph: Graph, axis: _Axis, es: list[int], ef: list[int], ls: list[int], lf: list[int]
) -> list[tuple[date, date, date, date]]:
    """The printed (es, ef, ls, lf) of every task.

    A milestone's late date is printed by its point too (so one floating to the end of
    the project prints the project's last day), except that with zero float it prints
    its early date: the same working instant, without a confusing second date. A
    summary prints the earliest and latest of its subtasks' printed dates.
    """
    shown: list[tuple[date, date, date, date]] = []
    for t in range(len(graph.tasks)):
        early, finish = axis.show(es[t]), axis.show(ef[t])
        if graph.duration[t] == 0 and ls[t] >> 1 == es[t] >> 1:
            shown.append((early, finish, early, finish))
        else:
            shown.append((early, finish, axis.show(ls[t]), axis.show(lf[t])))
    for v in graph.order:
        t = graph.node_task[v]
        if graph.node_role[v] == EXIT:
            kids = [shown[k] for k in graph.children[t]]
            shown[t] = (
                min(k[0] for k in kids),
                max(k[1] for k in kids),
                min(k[2] for k in kids),
                max(k[3] for k in kids),
            )
    return shown


def _driving(graph: Graph, t: int, n: list[tuple[int, int]], inputs: _Inputs) -> list[int]:
    """Predecessors whose link has zero gap (none for a pinned task: links don't place
    it, so none of them "drives" it even when a gap happens to be zero)."""
    if inputs.pinned[t] is not None:
        return []
    return [i for i, code, lag in graph.preds[t] if _gap(code, lag, n[i], n[t]) == 0]


def _reason(
    graph: Graph,
    t: int,
    n: list[tuple[int, int]],
    entry: list[int],
    inputs: _Inputs,
    driving: list[int],
) -> StartReason:
    """Which bound set the early start. Ties prefer a link (so "why?" can go on), then
    the project start, then the summary's bound, then the constraint."""
    es_n = n[t][0]
    if graph.summary[t] and es_n != entry[t] >> 1:
        return StartReason.CHILDREN
    if inputs.pinned[t] is not None:
        return StartReason.PINNED
    if inputs.delay[t] > 0:
        return StartReason.LEVELING
    if driving:
        return StartReason.LINK
    if es_n == 0:
        return StartReason.START
    p = graph.parent[t]
    if p >= 0 and entry[p] >> 1 == es_n:
        return StartReason.SUMMARY
    if inputs.snet[t] >> 1 == es_n:
        return StartReason.CONSTRAINT
    return StartReason.START  # not reached: the start is always one of the bounds


def _free_floats(graph: Graph, n: list[tuple[int, int]], finish_n: int) -> list[int]:
    """Smallest link gap to a successor; a subtask also counts its summaries' FS and FF
    successors (it delays them by finishing later), with project finish − EF when there
    are none (algorithms.md). Not yet capped at total float."""
    # The FS/FF links out of each task's ancestors, gathered once, parents first.
    inherited: list[list[tuple[int, int, int]]] = [[] for _ in graph.tasks]
    for v in graph.order:
        t = graph.node_task[v]
        if graph.node_role[v] == ENTRY:
            own = [link for link in graph.succs[t] if link[1] in (FS, FF)]
            for kid in graph.children[t]:
                inherited[kid] = own + inherited[t]
    out = []
    for t, (es_t, ef_t) in enumerate(n):
        best = _POS
        for j, code, lag in graph.succs[t]:
            gap = _gap(code, lag, (es_t, ef_t), n[j])
            if gap < best:
                best = gap
        for j, code, lag in inherited[t]:
            gap = _gap(code, lag, (es_t, ef_t), n[j])
            if gap < best:
                best = gap
        out.append(finish_n - ef_t if best == _POS else best)
    return out


def _rollup_cost(graph: Graph) -> list[float | None]:
    """A task's cost; a summary's is its own plus its subtasks' (None if none is set)."""
    costs: list[float | None] = [t.cost for t in graph.tasks]
    for v in graph.order:
        t = graph.node_task[v]
        if graph.node_role[v] == EXIT:
            parts = [c for c in [costs[t], *(costs[k] for k in graph.children[t])] if c is not None]
            costs[t] = sum(parts) if parts else None
    return costs


def _critical_path(
    graph: Graph,
    leaves: list[int],
    ef: list[int],
    n: list[tuple[int, int]],
    total: list[int],
    threshold: int,
    driving: list[list[int]],
    out: Mapping[int, ScheduledTask],
    position: Mapping[int, int],
) -> list[int]:
    """One chain of critical leaves; see :func:`schedule` for the choices made."""
    critical = [t for t in leaves if total[t] <= threshold]
    if not critical:
        return []
    current = max(critical, key=lambda t: (ef[t], position[t]))
    chain = [current]
    seen = {current}
    while True:
        options = [
            t
            for t in _leaf_drivers(graph, current, n, driving, out)
            if total[t] <= threshold and t not in seen
        ]
        if not options:
            break
        current = min(options, key=lambda t: (total[t], -position[t]))
        chain.append(current)
        seen.add(current)
    chain.reverse()
    return [graph.tasks[t].id for t in chain]


def _leaf_drivers(
    graph: Graph,
    t: int,
    n: list[tuple[int, int]],
    driving: list[list[int]],
    out: Mapping[int, ScheduledTask],
) -> list[int]:
    """The non-summary tasks that drive leaf ``t``: its driving predecessors (a summary
    predecessor stands for the subtask that sets the date the link uses), or, when its
    summary's bound placed it, whatever drives that summary."""
    node = t
    while not driving[node]:
        reason = out[graph.tasks[node].id].start_reason
        if reason != StartReason.SUMMARY:
            return []
        node = graph.parent[node]
    found: list[int] = []
    for i, code, lag in graph.preds[node]:
        if i in driving[node] and _gap(code, lag, n[i], n[node]) == 0:
            found += _date_setters(graph, i, code in (FS, FF), n)
    return found


def _date_setters(graph: Graph, t: int, finish: bool, n: list[tuple[int, int]]) -> list[int]:
    """The leaves under ``t`` whose finish (or start) is ``t``'s finish (or start)."""
    if not graph.summary[t]:
        return [t]
    side = 1 if finish else 0
    found: list[int] = []
    for kid in graph.children[t]:
        if n[kid][side] == n[t][side]:
            found += _date_setters(graph, kid, finish, n)
    return found


# -- explaining ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    """One entry of an explanation; ``how`` says how it was reached from the last one:
    "self" (the task asked about), "link", "up" (to the summary whose bound placed the
    last task) or "down" (into the subtask that sets a summary's finish or start)."""

    id: int
    link: Link | None
    how: str
    finish: bool = False


def explain(
    schedule: Schedule, links: Sequence[Link], task_id: int
) -> list[tuple[int, Link | None]]:
    """The driving chain behind a task's start: "why does this task start here?".

    The first entry is ``(task_id, None)``; each next entry is a predecessor and the
    driving link (zero gap, algorithms.md) from it to the entry before. An entry
    ``(id, None)`` after the first is a step through the outline: up to the summary task
    whose bound placed the previous task, or down from a summary (reached by a link, or
    asked about) into the subtask that sets the date the link uses. The chain ends at a
    task placed by the project start, a constraint, a pin or a leveling delay.
    """
    return [(step.id, step.link) for step in _walk(schedule, links, task_id)]


def _walk(schedule: Schedule, links: Sequence[Link], task_id: int) -> list[_Step]:
    tasks = schedule.tasks
    if task_id not in tasks:
        raise ScheduleError(f"task {task_id} is not in the schedule", task_id)
    into: dict[int, list[Link]] = defaultdict(list)
    for each in links:
        into[each.successor].append(each)
    children: dict[int, list[int]] = defaultdict(list)
    for st in tasks.values():
        if st.parent_id is not None:
            children[st.parent_id].append(st.id)
    steps = [_Step(task_id, None, "self")]
    # A summary may appear twice: once for its finish (reached by a link) and once for
    # its start (reached from a subtask it placed). Each step goes back in the graph,
    # so the walk ends; ``seen`` guards against inconsistent input all the same.
    seen = {(task_id, False)}
    while True:
        last = steps[-1]
        current = tasks[last.id]
        step: _Step | None = None
        if current.summary and last.how in ("link", "down"):
            # A summary reached through a link uses its finish (FS, FF) or its start.
            finish = last.finish if last.how == "down" else _uses_finish(last.link)
            step = _down(tasks, children[current.id], current, finish)
        elif current.summary and current.start_reason == StartReason.CHILDREN:
            step = _down(tasks, children[current.id], current, False)
        elif current.start_reason == StartReason.LINK:
            link = _driving_link(tasks, into[current.id], current)
            if link is not None:
                step = _Step(link.predecessor, link, "link")
        elif current.start_reason == StartReason.SUMMARY and current.parent_id is not None:
            step = _Step(current.parent_id, None, "up")
        if step is None or (step.id, step.how == "up") in seen or step.id not in tasks:
            return steps
        steps.append(step)
        seen.add((step.id, step.how == "up"))


def _uses_finish(link: Link | None) -> bool:
    """Whether a link reads its predecessor's finish (FS, FF) rather than its start."""
    return link is not None and link.type in (LinkType.FS, LinkType.FF)


def _down(
    tasks: Mapping[int, ScheduledTask], kids: list[int], summary: ScheduledTask, finish: bool
) -> _Step | None:
    """The subtask whose finish (or start) is the summary's, smallest id on a tie."""
    if finish:
        match = [k for k in kids if tasks[k].ef_n == summary.ef_n and tasks[k].ef == summary.ef]
    else:
        match = [k for k in kids if tasks[k].es_n == summary.es_n and tasks[k].es == summary.es]
    return _Step(min(match), None, "down", finish) if match else None


def _driving_link(
    tasks: Mapping[int, ScheduledTask], candidates: list[Link], successor: ScheduledTask
) -> Link | None:
    """The zero-gap link into ``successor`` (smallest predecessor id, then type, lag)."""
    found = []
    for link in candidates:
        pred = tasks.get(link.predecessor)
        if pred is None or link.predecessor not in successor.driving:
            continue
        code = TYPE_CODE[link.type]
        if _gap(code, link.lag, (pred.es_n, pred.ef_n), (successor.es_n, successor.ef_n)) == 0:
            found.append(((link.predecessor, code, link.lag), link))
    return min(found, key=lambda pair: pair[0])[1] if found else None


def explain_text(schedule: Schedule, links: Sequence[Link], task_id: int) -> list[str]:
    """:func:`explain` in sentences, one per step, e.g.
    ``'Build' starts 2026-01-12 because it follows 'Design' (FS), which finishes
    2026-01-09``; the last names what started the chain (the project start, a
    constraint, a pin, leveling)."""
    steps = _walk(schedule, links, task_id)
    tasks = schedule.tasks
    return [
        _sentence(tasks, tasks[step.id], steps[k + 1] if k + 1 < len(steps) else None)
        for k, step in enumerate(steps)
    ]


def _sentence(tasks: Mapping[int, ScheduledTask], st: ScheduledTask, nxt: _Step | None) -> str:
    """Why ``st`` is where it is, given the next step of the chain (None at its end)."""
    name = f"'{st.name}'"
    if nxt is not None and nxt.link is not None:
        pred = tasks[nxt.link.predecessor]
        kind = nxt.link.type
        which = f"finishes {pred.ef}" if _uses_finish(nxt.link) else f"starts {pred.es}"
        own = f"finishes {st.ef}" if kind in (LinkType.FF, LinkType.SF) else f"starts {st.es}"
        return f"{name} {own} because it follows '{pred.name}' ({nxt.link.label()}), which {which}"
    if nxt is not None and nxt.how == "down":
        sub = tasks[nxt.id].name
        if nxt.finish:
            return f"{name} finishes {st.ef} when its last subtask '{sub}' finishes"
        return f"{name} starts {st.es} when its first subtask '{sub}' starts"
    if nxt is not None and nxt.how == "up":
        return f"{name} starts {st.es} with its summary task '{tasks[nxt.id].name}'"
    reason = st.start_reason
    if reason == StartReason.CONSTRAINT:
        return f"{name} starts no earlier than {st.es} (constraint)"
    if reason == StartReason.PINNED:
        return f"{name} starts {st.es}: pinned there (manually scheduled)"
    if reason == StartReason.LEVELING:
        days = "day" if st.leveling_delay == 1 else "days"
        return f"{name} starts {st.es}, delayed {st.leveling_delay} working {days} by leveling"
    return f"{name} starts at the project start ({st.es})"


# -- previews and roll-ups -------------------------------------------------------------


def preview(before: Schedule, after: Schedule) -> list[DateChange]:
    """Every task in both schedules whose ``es`` or ``ef`` would move, by id.

    Why: an edit to a date, duration or link can move half the plan; the UI shows this
    list and applies the edit only when the user confirms.
    """
    changes = []
    for task_id in sorted(before.tasks.keys() & after.tasks.keys()):
        old, new = before.tasks[task_id], after.tasks[task_id]
        if old.es != new.es or old.ef != new.ef:
            changes.append(DateChange(task_id, old.es, new.es, old.ef, new.ef))
    return changes


def rollup_percent(tasks: Sequence[Task]) -> dict[int, float]:
    """Percent complete of every task; a summary's is its subtasks' weighted mean.

    algorithms.md: weighted by duration, or by effort where given. Here a summary whose
    every leaf subtask has ``effort_hours`` is weighted by effort, otherwise by duration
    (mixing hours and days would weigh apples against pears). Weights are taken over the
    leaves under the summary, not its direct children, so nesting does not change the
    answer. When all weights are zero (only milestones) the plain mean is used. Unknown
    parents and parent loops are tolerated here (the task keeps its own percent).
    """
    by_id = {t.id: t for t in tasks}
    children: dict[int, list[int]] = defaultdict(list)
    for task in tasks:
        if task.parent_id is not None and task.parent_id in by_id:
            children[task.parent_id].append(task.id)
    # Per task: (Σ dur·p, Σ dur, Σ effort·p, Σ effort, all have effort, Σ p, leaf count)
    sums: dict[int, tuple[float, float, float, float, bool, float, int]] = {}
    result = {t.id: t.percent_complete for t in tasks}

    def leaf_sums(t: Task) -> tuple[float, float, float, float, bool, float, int]:
        d = 0.0 if t.milestone else float(t.duration)
        p = t.percent_complete
        e = t.effort_hours
        return (d * p, d, (e or 0.0) * p, e or 0.0, e is not None, p, 1)

    for root in [t.id for t in tasks if t.parent_id is None or t.parent_id not in by_id]:
        stack: list[tuple[int, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            kids = children.get(node, [])
            if not kids:
                sums[node] = leaf_sums(by_id[node])
            elif not expanded:
                stack.append((node, True))
                stack.extend((k, False) for k in kids)
            else:
                parts = [sums[k] for k in kids]
                total = (
                    sum(x[0] for x in parts),
                    sum(x[1] for x in parts),
                    sum(x[2] for x in parts),
                    sum(x[3] for x in parts),
                    all(x[4] for x in parts),
                    sum(x[5] for x in parts),
                    sum(x[6] for x in parts),
                )
                sums[node] = total
                result[node] = _weighted(total)
    return result


def _weighted(s: tuple[float, float, float, float, bool, float, int]) -> float:
    dur_p, dur, eff_p, eff, all_effort, plain, count = s
    if all_effort and eff > 0:
        return eff_p / eff
    if dur > 0:
        return dur_p / dur
    return plain / count if count else 0.0
