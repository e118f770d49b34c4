"""Resources: load per person per day, over-allocation, and serial leveling.

algorithms.md ("Resources, over-allocation and leveling"): load per person per day =
Σ units × hours of the tasks active that day, plus the reserved background load of that
person's routines and queues (ongoing work that projects must fit around); a person is
over-allocated when load > capacity. Leveling delays tasks, never changes units, and
records each delay as a "leveling delay" that CPM adds to the early start, so clearing
leveling is simply scheduling with all delays at 0.

Conventions used here (documented because algorithms.md leaves them open):

- Hours per unit-day come from the person's calendar (``calendars[login]``) when given,
  else the project calendar: units 1.0 = a full working day *for that person*.
- ``capacities[login]`` is hours per working day; a login missing from it has the
  hours per day of its calendar. On a day the person does not work (a weekend of their
  own calendar, time off) capacity is 0, so work scheduled there is over-allocation.
- Background load is reserved on every project working day the person works, within
  the project's span.
- Loads are ``units × hours per day`` for every working day of the task, whatever
  ``effort_hours`` says (leveling never changes units, so effort is not re-spread).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from taskdesk.domain.scheduling._graph import ENTRY, EXIT, LEAF, Graph, build
from taskdesk.domain.scheduling.calendar import WorkCalendar
from taskdesk.domain.scheduling.cpm import (
    Schedule,
    _Axis,
    _bound,
    _Inputs,
    _inputs,
    _place,
    _schedule,
    _span,
)
from taskdesk.domain.scheduling.model import Link, Task

__all__ = ["LevelingResult", "level", "load_by_day", "overallocations"]

#: Loads are sums of float products: compare with a little tolerance.
EPSILON = 1e-9


@dataclass(frozen=True)
class LevelingResult:
    """What :func:`level` decided.

    ``delays`` has every non-summary task id, 0 where nothing moved: store them all (so
    an older delay is cleared). ``schedule`` is CPM re-run with those delays.
    ``unresolved`` lists the tasks leveling could not fit (units above capacity, a
    person who never works on the project's days, a pinned task that overlaps, or
    ``within_float`` forbidding the delay needed); they stay at their earliest start.
    """

    delays: dict[int, int]
    schedule: Schedule
    unresolved: list[int]


class _People:
    """Capacity and hours per unit-day of each person, per working-day boundary."""

    def __init__(
        self,
        axis: _Axis,
        capacities: Mapping[str, float],
        calendars: Mapping[str, WorkCalendar] | None,
        background: Mapping[str, float] | None,
    ) -> None:
        self.axis = axis
        self.capacities = capacities
        self.calendars = calendars or {}
        self.background = background or {}
        self._free: dict[str, dict[int, float]] = defaultdict(dict)

    def calendar(self, login: str) -> WorkCalendar:
        """The person's calendar, else the project's."""
        return self.calendars.get(login, self.axis.calendar)

    def hours(self, login: str, units: float) -> float:
        """Hours per day that ``units`` of this person's time are."""
        return units * self.calendar(login).hours_per_day

    def daily(self, login: str) -> float:
        """Capacity in hours on one of the person's working days, less background."""
        capacity = self.capacities.get(login, self.calendar(login).hours_per_day)
        return capacity - self.background.get(login, 0.0)

    def works(self, login: str, d: date) -> bool:
        """Whether the person works on ``d``."""
        return self.calendar(login).is_working(d)

    def free(self, login: str, n: int) -> float:
        """Hours available to projects on working day ``n`` (before any task load)."""
        cache = self._free[login]
        found = cache.get(n)
        if found is None:
            found = cache[n] = self.daily(login) if self.works(login, self.axis.day(n)) else 0.0
        return found


def load_by_day(
    schedule: Schedule,
    tasks: Sequence[Task],
    *,
    capacities: Mapping[str, float],
    calendars: Mapping[str, WorkCalendar] | None = None,
    background: Mapping[str, float] | None = None,
) -> dict[str, dict[date, float]]:
    """Hours of work per person per day: tasks by their units, plus background load.

    Days with no load are left out. ``capacities`` is accepted (and unused here) so this
    and :func:`overallocations` take the same arguments.
    """
    axis = _Axis(schedule.calendar, schedule.start)
    people = _People(axis, capacities, calendars, background)
    loads: dict[str, dict[date, float]] = defaultdict(dict)
    for task in tasks:
        st = schedule.tasks.get(task.id)
        if st is None or st.summary:
            continue
        for login, units in task.assignments:
            if units <= 0:
                continue
            hours = people.hours(login, units)
            days = loads[login]
            for n in range(st.es_n, st.ef_n):
                d = axis.day(n)
                days[d] = days.get(d, 0.0) + hours
    for login, reserved in (background or {}).items():
        if reserved <= 0:
            continue
        days = loads[login]
        for n in range(0, schedule.finish_n):
            d = axis.day(n)
            if people.works(login, d):
                days[d] = days.get(d, 0.0) + reserved
    return {login: dict(sorted(days.items())) for login, days in sorted(loads.items()) if days}


def overallocations(
    schedule: Schedule,
    tasks: Sequence[Task],
    *,
    capacities: Mapping[str, float],
    calendars: Mapping[str, WorkCalendar] | None = None,
    background: Mapping[str, float] | None = None,
) -> dict[str, list[date]]:
    """The days on which each person's load exceeds their capacity (algorithms.md)."""
    people = _People(_Axis(schedule.calendar, schedule.start), capacities, calendars, background)
    loads = load_by_day(
        schedule, tasks, capacities=capacities, calendars=calendars, background=background
    )
    out: dict[str, list[date]] = {}
    for login, days in loads.items():
        capacity = capacities.get(login, people.calendar(login).hours_per_day)
        over = [
            d
            for d, load in days.items()
            if load > (capacity if people.works(login, d) else 0.0) + EPSILON
        ]
        if over:
            out[login] = over
    return out


def level(
    tasks: Sequence[Task],
    links: Sequence[Link],
    *,
    start: date,
    calendar: WorkCalendar,
    capacities: Mapping[str, float],
    background: Mapping[str, float] | None = None,
    within_float: bool = False,
    calendars: Mapping[str, WorkCalendar] | None = None,
    finish_deadline: date | None = None,
    critical_threshold: int = 0,
) -> LevelingResult:
    """Serial resource leveling (algorithms.md), from a cleared plan.

    Existing leveling delays are ignored (the plan is first scheduled with all delays at
    0). Tasks are then placed one at a time in the order (pinned first, priority desc,
    total float asc, early start asc, id), taken among the tasks whose predecessors are
    already placed — a serial schedule-generation scheme, so every link still holds.
    Each is put at the earliest start, no earlier than its links allow, at which every
    assignee has spare capacity for its units on every day of it; the distance from the
    links' bound is its leveling delay. Pinned tasks never move. With ``within_float``
    a task may not start after its late start of the unleveled plan.
    """
    graph = build(tasks, links)
    axis = _Axis(calendar, start)
    cleared = _inputs(graph, axis, {})
    before = _schedule(graph, axis, cleared, finish_deadline, critical_threshold)
    people = _People(axis, capacities, calendars, background)
    leveler = _Leveler(graph, axis, cleared, before, people, within_float)
    delays, unresolved = leveler.run()
    inputs = _inputs(graph, axis, delays)
    after = _schedule(graph, axis, inputs, finish_deadline, critical_threshold)
    return LevelingResult(delays, after, sorted(unresolved))


class _Leveler:
    """The serial schedule-generation scheme behind :func:`level`."""

    def __init__(
        self,
        graph: Graph,
        axis: _Axis,
        inputs: _Inputs,
        before: Schedule,
        people: _People,
        within_float: bool,
    ) -> None:
        self.graph = graph
        self.axis = axis
        self.inputs = inputs
        self.before = before
        self.people = people
        self.within_float = within_float
        self.used: dict[str, dict[int, float]] = defaultdict(dict)
        self.last_used = 0
        self.horizon_base = self._holiday_horizon()

    def _holiday_horizon(self) -> int:
        """The last boundary any holiday can affect: beyond it (and beyond every booked
        day) availability repeats week after week, so a search past it can stop."""
        latest = [max(self.axis.calendar.holidays, default=None)]
        latest += [max(c.holidays, default=None) for c in self.people.calendars.values()]
        found = [self.axis.end_of(d) for d in latest if d is not None]
        return max(found, default=0)

    def _demand(self, t: int) -> list[tuple[str, float]]:
        """Hours per day the task needs of each assignee (merged per person)."""
        need: dict[str, float] = defaultdict(float)
        for login, units in self.graph.tasks[t].assignments:
            if units > 0:
                need[login] += self.people.hours(login, units)
        return sorted(need.items())

    def _book(self, demand: list[tuple[str, float]], first: int, days: int) -> None:
        for login, hours in demand:
            booked = self.used[login]
            for n in range(first, first + days):
                booked[n] = booked.get(n, 0.0) + hours
        if days:
            self.last_used = max(self.last_used, first + days)

    def _conflict(self, demand: list[tuple[str, float]], first: int, days: int) -> int | None:
        """The last day of ``[first, first + days)`` someone lacks capacity, or None."""
        for n in range(first + days - 1, first - 1, -1):
            for login, hours in demand:
                if self.used[login].get(n, 0.0) + hours > self.people.free(login, n) + EPSILON:
                    return n
        return None

    def _earliest(self, t: int, demand: list[tuple[str, float]], lowest: int) -> int | None:
        """Earliest start ≥ ``lowest`` where the task fits, or None if it never can.

        A conflict on day ``c`` rules out every start up to ``c``, so the search jumps
        past it. Beyond the last booked day and the last holiday availability repeats
        weekly, so if nothing fits within a week after that, nothing ever will.
        """
        days = self.graph.duration[t]
        if any(hours > self.people.daily(login) + EPSILON for login, hours in demand):
            return None
        latest = None
        if self.within_float:
            latest = max(lowest, self.before.tasks[self.graph.tasks[t].id].ls_n)
        first = lowest
        settled = max(self.horizon_base, self.last_used, lowest)
        while True:
            if latest is not None and first > latest:
                return None
            if first > settled + 8:
                return None
            conflict = self._conflict(demand, first, days)
            if conflict is None:
                return first
            first = conflict + 1

    def _priority(self, t: int) -> tuple[int, int, int, int, int]:
        task = self.graph.tasks[t]
        st = self.before.tasks[task.id]
        return (1, -task.priority, st.total_float, st.es_n, task.id)

    def run(self) -> tuple[dict[int, int], list[int]]:
        """Place every task; returns the delays and the tasks that could not fit."""
        graph, inputs = self.graph, self.inputs
        size = len(graph.tasks)
        es, ef, entry = [0] * size, [0] * size, [0] * size
        delays = {task.id: 0 for t, task in enumerate(graph.tasks) if not graph.summary[t]}
        unresolved: list[int] = []
        self._book_pinned(es, ef, unresolved)
        indegree = [0] * len(graph.node_task)
        for targets in graph.node_out:
            for w in targets:
                indegree[w] += 1
        ready = [(self._key(v), v) for v, d in enumerate(indegree) if d == 0]
        heapq.heapify(ready)
        while ready:
            _key, v = heapq.heappop(ready)
            t, role = graph.node_task[v], graph.node_role[v]
            if role == ENTRY:
                entry[t] = _bound(graph, t, es, ef, entry, inputs.snet[t])
            elif role == EXIT:
                _span(graph, t, es, ef)
            elif inputs.pinned[t] is None:
                delay = self._level_one(t, _bound(graph, t, es, ef, entry, inputs.snet[t]), es, ef)
                if delay is None:
                    unresolved.append(graph.tasks[t].id)
                else:
                    delays[graph.tasks[t].id] = delay
            for w in graph.node_out[v]:
                indegree[w] -= 1
                if indegree[w] == 0:
                    heapq.heappush(ready, (self._key(w), w))
        return delays, unresolved

    def _key(self, v: int) -> tuple[int, int, int, int, int]:
        """Summary bookkeeping nodes and pinned tasks first, then the leveling order."""
        t = self.graph.node_task[v]
        if self.graph.node_role[v] != LEAF or self.inputs.pinned[t] is not None:
            return (0, 0, 0, 0, v)
        return self._priority(t)

    def _book_pinned(self, es: list[int], ef: list[int], unresolved: list[int]) -> None:
        """Pinned tasks hold their place and their people first; an overlap among them
        cannot be leveled away."""
        graph = self.graph
        pinned = [t for t in range(len(graph.tasks)) if self.inputs.pinned[t] is not None]
        for t in pinned:
            point = self.inputs.pinned[t]
            assert point is not None
            _place(graph, t, point, es, ef)
            self._book(self._demand(t), es[t] >> 1, graph.duration[t])
        for t in pinned:
            demand = self._demand(t)
            first, days = es[t] >> 1, graph.duration[t]
            over = any(
                self.used[login].get(n, 0.0) > self.people.free(login, n) + EPSILON
                for login, _hours in demand
                for n in range(first, first + days)
            )
            if over:
                unresolved.append(graph.tasks[t].id)

    def _level_one(self, t: int, bound: int, es: list[int], ef: list[int]) -> int | None:
        """Place one task at or after its links' bound; returns its delay (None: it could
        not fit and stays at the bound, still booking its load)."""
        graph = self.graph
        demand = self._demand(t)
        days = graph.duration[t]
        lowest = bound >> 1
        first = lowest if not demand or days == 0 else self._earliest(t, demand, lowest)
        delay = None if first is None else first - lowest
        _place(graph, t, bound + 2 * (delay or 0), es, ef)
        self._book(demand, es[t] >> 1, days)
        return delay
