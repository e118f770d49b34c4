"""Invariants on random plans with a WBS (summary tasks of random depth)."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from taskdesk.domain.model import LinkType
from taskdesk.domain.scheduling import (
    CycleError,
    Link,
    Schedule,
    Task,
    WorkCalendar,
    explain,
    schedule,
)
from tests.domain.scheduling._support import MONDAY, link_gap, random_outlines

Plan = tuple[list[Task], list[Link]]
CAL = WorkCalendar()


def run(plan: Plan) -> Schedule | None:
    """The schedule, or None when the outline turned the links into a cycle."""
    try:
        return schedule(plan[0], plan[1], start=MONDAY, calendar=CAL)
    except CycleError:
        return None


def leaves_under(plan: Plan) -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for t in plan[0]:
        if t.parent_id is not None:
            children[t.parent_id].append(t.id)

    def leaves(task_id: int) -> list[int]:
        kids = children.get(task_id)
        return [leaf for kid in kids for leaf in leaves(kid)] if kids else [task_id]

    return {t.id: leaves(t.id) for t in plan[0]}


@settings(max_examples=250, deadline=None)
@given(random_outlines())
def test_summaries_span_their_subtasks_and_links_hold(plan: Plan) -> None:
    s = run(plan)
    if s is None:
        return
    under = leaves_under(plan)
    for t in s.tasks.values():
        leaves = [s.tasks[leaf] for leaf in under[t.id]]
        assert t.summary == (under[t.id] != [t.id])
        assert t.es_n == min(leaf.es_n for leaf in leaves)
        assert t.ef_n == max(leaf.ef_n for leaf in leaves)
        assert t.es == min(leaf.es for leaf in leaves)
        assert t.ef == max(leaf.ef for leaf in leaves)
        assert 0 <= t.free_float <= t.total_float
    for link in plan[1]:
        assert link_gap(link, s) >= 0
        if s.tasks[link.successor].summary:  # it holds for every subtask of it
            pred = s.tasks[link.predecessor]
            source = pred.ef_n if link.type is LinkType.FS else pred.es_n
            for leaf in under[link.successor]:
                assert s.tasks[leaf].es_n >= source + link.lag


@settings(max_examples=200, deadline=None)
@given(random_outlines(), st.randoms(use_true_random=False))
def test_outlines_are_independent_of_input_order(plan: Plan, rnd: random.Random) -> None:
    s = run(plan)
    tasks, links = list(plan[0]), list(plan[1])
    rnd.shuffle(tasks)
    rnd.shuffle(links)
    if s is None:
        try:
            schedule(tasks, links, start=MONDAY, calendar=CAL)
        except CycleError:
            return
        raise AssertionError("a cycle must not depend on the input order")
    assert schedule(tasks, links, start=MONDAY, calendar=CAL) == s


@settings(max_examples=200, deadline=None)
@given(random_outlines())
def test_critical_path_and_explanations_are_well_formed(plan: Plan) -> None:
    s = run(plan)
    if s is None:
        return
    path = s.critical_path
    assert path and s.tasks[path[-1]].ef_n == s.finish_n
    assert all(s.tasks[t].critical and not s.tasks[t].summary for t in path)
    assert len(set(path)) == len(path)
    for t in s.tasks:
        chain = explain(s, plan[1], t)
        assert chain[0] == (t, None)
        for (later, _), (earlier, link) in itertools.pairwise(chain):
            if link is not None:
                assert (link.predecessor, link.successor) == (earlier, later)
                assert link_gap(link, s) == 0
