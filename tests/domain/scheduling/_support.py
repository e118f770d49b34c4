"""Shared helpers for the scheduler tests: a naive reference CPM and random plans.

The reference implementation is deliberately dumb (relax every link until nothing
changes, Bellman-Ford style, straight from the formulas of algorithms.md), so that it
shares no code and no cleverness with ``taskdesk.domain.scheduling.cpm``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hypothesis import strategies as st

from taskdesk.domain.model import LinkType
from taskdesk.domain.scheduling import Link, Schedule, Task

MONDAY = date(2026, 1, 5)  # 2026-01-05 is a Monday
LINK_TYPES = [LinkType.FS, LinkType.SS, LinkType.FF, LinkType.SF]


def link_bound(link: Link, es: int, ef: int, duration: int) -> int:
    """The forward-pass bound a link puts on its successor's ES (algorithms.md)."""
    if link.type is LinkType.FS:
        return ef + link.lag
    if link.type is LinkType.SS:
        return es + link.lag
    if link.type is LinkType.FF:
        return ef + link.lag - duration
    return es + link.lag - duration


def link_gap(link: Link, schedule: Schedule) -> int:
    """How much the link's successor could move earlier: ≥ 0 means it holds."""
    p, s = schedule.tasks[link.predecessor], schedule.tasks[link.successor]
    if link.type is LinkType.FS:
        return s.es_n - link.lag - p.ef_n
    if link.type is LinkType.SS:
        return s.es_n - link.lag - p.es_n
    if link.type is LinkType.FF:
        return s.ef_n - link.lag - p.ef_n
    return s.ef_n - link.lag - p.es_n


@dataclass
class Reference:
    """Boundaries, floats per task id, from the naive passes."""

    es: dict[int, int]
    ef: dict[int, int]
    ls: dict[int, int]
    lf: dict[int, int]
    total: dict[int, int]
    free: dict[int, int]
    finish: int


def reference_cpm(
    tasks: list[Task],
    links: list[Link],
    *,
    snet: dict[int, int] | None = None,
    deadlines: dict[int, int] | None = None,
    finish_deadline: int | None = None,
) -> Reference:
    """Naive CPM on the working-day axis, for plans without summaries or pins.

    ``snet`` maps id → boundary of the constraint; ``deadlines`` id → boundary of the end
    of the deadline day; ``finish_deadline`` likewise for the project.
    """
    snet = snet or {}
    deadlines = deadlines or {}
    dur = {t.id: 0 if t.milestone else t.duration for t in tasks}
    es = {t.id: max(0, snet.get(t.id, 0)) for t in tasks}
    for _ in range(len(tasks) + 1):
        changed = False
        for link in links:
            i, j = link.predecessor, link.successor
            bound = link_bound(link, es[i], es[i] + dur[i], dur[j])
            if bound > es[j]:
                es[j] = bound
                changed = True
        if not changed:
            break
    ef = {t: es[t] + dur[t] for t in es}
    finish = max(ef.values(), default=0)
    top = finish if finish_deadline is None else min(finish, finish_deadline)
    lf = {t: min(top, deadlines.get(t, top)) for t in es}
    for _ in range(len(tasks) + 1):
        changed = False
        for link in links:
            i, j = link.predecessor, link.successor
            ls_j, lf_j = lf[j] - dur[j], lf[j]
            if link.type is LinkType.FS:
                bound = ls_j - link.lag
            elif link.type is LinkType.SS:
                bound = ls_j - link.lag + dur[i]
            elif link.type is LinkType.FF:
                bound = lf_j - link.lag
            else:
                bound = lf_j - link.lag + dur[i]
            if bound < lf[i]:
                lf[i] = bound
                changed = True
        if not changed:
            break
    ls = {t: lf[t] - dur[t] for t in es}
    total = {t: min(ls[t] - es[t], lf[t] - ef[t]) for t in es}
    free: dict[int, int] = {}
    for t in es:
        gaps = []
        for link in links:
            if link.predecessor != t:
                continue
            j = link.successor
            if link.type is LinkType.FS:
                gaps.append(es[j] - link.lag - ef[t])
            elif link.type is LinkType.SS:
                gaps.append(es[j] - link.lag - es[t])
            elif link.type is LinkType.FF:
                gaps.append(ef[j] - link.lag - ef[t])
            else:
                gaps.append(ef[j] - link.lag - es[t])
        free[t] = min(min(gaps) if gaps else finish - ef[t], total[t])
    return Reference(es, ef, ls, lf, total, free, finish)


@st.composite
def random_plans(
    draw: st.DrawFn, max_tasks: int = 25, people: tuple[str, ...] = ()
) -> tuple[list[Task], list[Link]]:
    """A random DAG: durations 0–20, any link type, lags −3..+5, ids shuffled so that id
    order is not the topological order."""
    size = draw(st.integers(min_value=1, max_value=max_tasks))
    ids = draw(st.permutations(range(1, size + 1)))
    tasks = []
    for k in range(size):
        duration = draw(st.integers(min_value=0, max_value=20))
        assignments: tuple[tuple[str, float], ...] = ()
        if people and duration and draw(st.booleans()):
            login = draw(st.sampled_from(people))
            units = draw(st.sampled_from((0.25, 0.5, 0.75, 1.0)))
            assignments = ((login, units),)
        tasks.append(
            Task(
                id=ids[k],
                title=f"t{ids[k]}",
                duration=duration,
                milestone=duration == 0,
                priority=draw(st.integers(min_value=0, max_value=2)),
                assignments=assignments,
            )
        )
    pairs = [(a, b) for a in range(size) for b in range(a + 1, size)]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=2 * size)) if pairs else []
    links = [
        Link(
            ids[a],
            ids[b],
            draw(st.sampled_from(LINK_TYPES)),
            draw(st.integers(min_value=-3, max_value=5)),
        )
        for a, b in chosen
    ]
    return tasks, links


@st.composite
def random_outlines(draw: st.DrawFn, max_tasks: int = 20) -> tuple[list[Task], list[Link]]:
    """A random plan with a WBS: some tasks are summaries of later ones; links never
    join a summary and its own subtask, and only FS/SS links lead into a summary."""
    tasks, links = draw(random_plans(max_tasks=max_tasks))
    order = [t.id for t in tasks]  # index order is topological for the links
    parent: dict[int, int] = {}
    for k in range(1, len(order)):
        if draw(st.integers(0, 2)) == 0:
            parent[order[k]] = order[draw(st.integers(0, k - 1))]

    def ancestors(task_id: int) -> set[int]:
        found = set()
        while task_id in parent:
            task_id = parent[task_id]
            found.add(task_id)
        return found

    summaries = set(parent.values())
    kept = [
        link
        for link in links
        if link.predecessor not in ancestors(link.successor)
        and link.successor not in ancestors(link.predecessor)
        and not (link.successor in summaries and link.type in (LinkType.FF, LinkType.SF))
    ]
    return [
        Task(
            t.id,
            title=t.title,
            duration=t.duration,
            milestone=t.milestone,
            parent_id=parent.get(t.id),
        )
        for t in tasks
    ], kept
