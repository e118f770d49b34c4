"""Invariants of the scheduler on random plans (hypothesis), and a naive reference.

Random DAGs: durations 0–20 (0 = milestone), all four link types, lags −3..+5, ids
shuffled so that id order is not topological order.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from taskdesk.domain.scheduling import Link, Schedule, Task, WorkCalendar, schedule
from tests.domain.scheduling._support import MONDAY, link_gap, random_plans, reference_cpm

CAL = WorkCalendar(holidays=frozenset({date(2026, 1, 19), date(2026, 2, 16)}))
Plan = tuple[list[Task], list[Link]]


def run(plan: Plan, **kwargs: object) -> Schedule:
    tasks, links = plan
    return schedule(tasks, links, start=MONDAY, calendar=CAL, **kwargs)  # type: ignore[arg-type]


@settings(max_examples=250, deadline=None)
@given(random_plans())
def test_matches_the_naive_reference(plan: Plan) -> None:
    s = run(plan)
    ref = reference_cpm(*plan)
    assert s.finish_n == ref.finish
    for t in plan[0]:
        got = s.tasks[t.id]
        assert (got.es_n, got.ef_n, got.ls_n, got.lf_n) == (
            ref.es[t.id],
            ref.ef[t.id],
            ref.ls[t.id],
            ref.lf[t.id],
        )
        assert got.total_float == ref.total[t.id]
        assert got.free_float == ref.free[t.id]


@settings(max_examples=200, deadline=None)
@given(random_plans(), st.data())
def test_matches_the_reference_with_constraints_and_deadlines(
    plan: Plan, data: st.DataObject
) -> None:
    tasks, links = plan
    snet: dict[int, int] = {}
    deadlines: dict[int, int] = {}
    changed = []
    for t in tasks:
        if data.draw(st.integers(0, 4)) == 0:
            n = data.draw(st.integers(0, 30))
            snet[t.id] = n
            t = replace(t, start_no_earlier=CAL.add_working_days(MONDAY, n))
        if t.duration and data.draw(st.integers(0, 4)) == 0:
            n = data.draw(st.integers(1, 40))
            deadlines[t.id] = n  # the end of working day n-1
            t = replace(t, deadline=CAL.add_working_days(MONDAY, n - 1))
        changed.append(t)
    s = run((changed, links))
    ref = reference_cpm(changed, links, snet=snet, deadlines=deadlines)
    for t in changed:
        got = s.tasks[t.id]
        assert (got.es_n, got.ef_n, got.ls_n, got.lf_n, got.total_float, got.free_float) == (
            ref.es[t.id],
            ref.ef[t.id],
            ref.ls[t.id],
            ref.lf[t.id],
            ref.total[t.id],
            ref.free[t.id],
        )


@settings(max_examples=250, deadline=None)
@given(random_plans())
def test_every_link_holds_and_floats_are_sane(plan: Plan) -> None:
    s = run(plan)
    for link in plan[1]:
        assert link_gap(link, s) >= 0, link
    for t in s.tasks.values():
        assert t.es_n >= 0
        assert t.ef_n <= s.finish_n
        assert 0 <= t.free_float <= t.total_float  # no deadlines: floats are ≥ 0
        assert t.ls_n - t.es_n == t.total_float == t.lf_n - t.ef_n
        assert t.critical == (t.total_float == 0)
        for pred in t.driving:
            assert any(
                link_gap(link, s) == 0
                for link in plan[1]
                if (link.predecessor, link.successor) == (pred, t.id)
            )


@settings(max_examples=250, deadline=None)
@given(random_plans())
def test_dates_are_the_boundaries_on_the_calendar(plan: Plan) -> None:
    s = run(plan)
    start = s.start
    for t in s.tasks.values():
        assert CAL.is_working(t.es) and CAL.is_working(t.ls)
        if t.ef_n > t.es_n:
            assert t.es == CAL.add_working_days(start, t.es_n)
            assert t.ef == CAL.add_working_days(start, t.ef_n - 1)
            assert t.ls == CAL.add_working_days(start, t.ls_n)
            assert t.lf == CAL.add_working_days(start, t.lf_n - 1)
            assert CAL.working_days_in(t.es, t.ef) == t.ef_n - t.es_n
        else:  # a milestone prints the day of its boundary's start or end
            assert t.es == t.ef
            assert t.es in (
                CAL.add_working_days(start, t.es_n),
                CAL.add_working_days(start, t.es_n - 1),
            )
    assert s.finish == max(t.ef for t in s.tasks.values())


@settings(max_examples=250, deadline=None)
@given(random_plans())
def test_critical_path_is_a_driving_chain_to_the_finish(plan: Plan) -> None:
    s = run(plan)
    path = s.critical_path
    assert path, "a plan without deadlines always has a critical task"
    assert all(s.tasks[t].critical for t in path)
    assert s.tasks[path[-1]].ef_n == s.finish_n
    assert s.tasks[path[0]].es_n == 0  # back to the project start
    for before, after in itertools.pairwise(path):
        assert before in s.tasks[after].driving
    assert len(set(path)) == len(path)


@settings(max_examples=200, deadline=None)
@given(random_plans())
def test_rescheduling_gives_the_same_result(plan: Plan) -> None:
    first = run(plan)
    assert run(plan) == first
    # Feeding the computed starts back as start-no-earlier constraints moves nothing.
    tasks = [replace(t, start_no_earlier=first.tasks[t.id].es) for t in plan[0]]
    again = run((tasks, plan[1]))
    for t in plan[0]:
        a, b = first.tasks[t.id], again.tasks[t.id]
        assert (a.es, a.ef, a.ls, a.lf) == (b.es, b.ef, b.ls, b.lf)
        assert (a.total_float, a.free_float, a.driving) == (b.total_float, b.free_float, b.driving)


@settings(max_examples=200, deadline=None)
@given(random_plans(), st.randoms(use_true_random=False))
def test_independent_of_input_order(plan: Plan, rnd: random.Random) -> None:
    tasks, links = list(plan[0]), list(plan[1])
    rnd.shuffle(tasks)
    rnd.shuffle(links)
    assert run((tasks, links)) == run(plan)


@settings(max_examples=200, deadline=None)
@given(random_plans(), st.integers(min_value=-5, max_value=30))
def test_project_deadline_shifts_every_late_date_equally(plan: Plan, offset: int) -> None:
    """Without other deadlines a project deadline d boundaries after the finish moves
    every late date by min(0, d): float can go negative, never up.

    A milestone at the start of a day reads a deadline as the start of the deadline
    day (cpm._backward), one boundary earlier: that can take one more day off it and
    off what drives it, never more.
    """
    base = run(plan)
    deadline = CAL.add_working_days(MONDAY, base.finish_n + offset - 1)
    s = run(plan, finish_deadline=deadline)
    shift = min(0, offset)
    for t in plan[0]:
        got, before = s.tasks[t.id].total_float, base.tasks[t.id].total_float
        if all(task.duration for task in plan[0]):
            assert got == before + shift
        else:
            assert before + shift - 1 <= got <= before + shift
