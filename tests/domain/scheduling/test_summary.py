"""Summary tasks (WBS parents): spans, links to and from them, roll-ups.

Plan used below (Mon–Fri from Mon 5 Jan 2026; see test_cpm_textbook for day numbers):

    Y  (2 d)                 FS → P
    P  summary of C1, C2     FS → X
      C1 (3 d)               FS → C2
      C2 (4 d)
    X  (2 d)

Forward: Y 0–2; P's entry bound = EF_Y = 2, so C1 2–5, C2 5–9; P spans 2–9; X 9–11.
Backward: F = 11. X: LF 11, LS 9. P's exit bound = LS_X = 9 → C2 LF 9, LS 5; C1 LF 5,
LS 2; P: LS 2, LF 9; Y: LF = LS_P = 2. Everything has zero float.
Dates: Y Mon 5 – Tue 6; C1 Wed 7 – Fri 9; C2 Mon 12 – Thu 15; P Wed 7 – Thu 15;
X Fri 16 – Mon 19.
"""

from __future__ import annotations

from datetime import date

import pytest

from taskdesk.domain.model import LinkType
from taskdesk.domain.scheduling import (
    CycleError,
    Link,
    Schedule,
    ScheduleError,
    StartReason,
    Task,
    WorkCalendar,
    rollup_percent,
    schedule,
)
from tests.domain.scheduling._support import MONDAY

Y, P, C1, C2, X = 1, 2, 3, 4, 5
TASKS = [
    Task(Y, title="Research", duration=2),
    Task(P, title="Build phase", duration=99, cost=100.0),  # a summary's duration is ignored
    Task(C1, title="Backend", duration=3, parent_id=P, percent_complete=100.0, cost=300.0),
    Task(C2, title="Frontend", duration=4, parent_id=P, percent_complete=50.0),
    Task(X, title="Release", duration=2),
]
LINKS = [Link(Y, P), Link(C1, C2), Link(P, X)]


def jan(day: int) -> date:
    return date(2026, 1, day)


def run(tasks: list[Task], links: list[Link], **kwargs: object) -> Schedule:
    return schedule(tasks, links, start=MONDAY, calendar=WorkCalendar(), **kwargs)  # type: ignore[arg-type]


def test_summary_spans_its_children_and_links_reach_them() -> None:
    s = run(TASKS, LINKS)
    p = s.tasks[P]
    assert p.summary and not s.tasks[C1].summary
    assert (p.es_n, p.ef_n, p.ls_n, p.lf_n) == (2, 9, 2, 9)
    assert (p.es, p.ef) == (jan(7), jan(15))
    assert p.duration == 7
    assert (s.tasks[C1].es, s.tasks[C1].ef) == (jan(7), jan(9))
    assert (s.tasks[C2].es, s.tasks[C2].ef) == (jan(12), jan(15))
    assert (s.tasks[X].es, s.tasks[X].ef) == (jan(16), jan(19))
    assert all(t.total_float == 0 and t.critical for t in s.tasks.values())
    assert s.tasks[X].driving == (P,)
    assert s.tasks[P].driving == (Y,)
    assert s.tasks[C1].start_reason is StartReason.SUMMARY
    assert s.tasks[C1].parent_id == P
    assert s.order.index(P) > s.order.index(C2)  # a summary comes after its subtasks


def test_critical_path_goes_through_the_summary_to_its_subtasks() -> None:
    s = run(TASKS, LINKS)
    assert s.critical_path == [Y, C1, C2, X]


def test_summary_cost_rolls_up() -> None:
    s = run(TASKS, LINKS)
    assert s.tasks[P].cost == 400.0  # its own 100 + C1's 300 (C2 has none)
    assert s.tasks[C2].cost is None


def test_free_float_of_a_subtask_counts_its_summarys_successors() -> None:
    # C3 (1 d) in P runs in parallel with C1: it finishes on day 3, while X waits for
    # P's finish (9): its free float is 9 − 3 = 6, not the project's 11 − 3.
    tasks = [*TASKS, Task(6, duration=1, parent_id=P)]
    s = run(tasks, LINKS)
    assert (s.tasks[6].es_n, s.tasks[6].ef_n) == (2, 3)
    assert (s.tasks[6].total_float, s.tasks[6].free_float) == (6, 6)


def test_constraint_and_deadline_on_a_summary_apply_to_its_subtasks() -> None:
    tasks = [t if t.id != P else Task(P, start_no_earlier=jan(14)) for t in TASKS]
    s = run(tasks, LINKS)
    assert s.tasks[C1].es == jan(14)  # not before the summary's constraint
    assert s.tasks[P].start_reason is StartReason.CONSTRAINT
    # A deadline on P of Wed 14 (end of day 7): C2 must finish by 8 instead of 9.
    tasks = [t if t.id != P else Task(P, deadline=jan(14)) for t in TASKS]
    s = run(tasks, LINKS)
    assert s.tasks[C2].total_float == -1
    assert s.tasks[C1].total_float == -1
    assert s.tasks[Y].total_float == -1
    assert s.tasks[P].total_float == -1
    assert s.tasks[X].total_float == 0


def test_start_links_from_a_summary_use_its_start() -> None:
    # Z SS+1 from P: ES = ES_P 2 + 1 = 3; Q SF+2 (1 d) from P: EF_Q = 2 + 2 = 4 → ES 3.
    tasks = [*TASKS, Task(6, duration=1), Task(7, duration=1)]
    links = [*LINKS, Link(P, 6, LinkType.SS, 1), Link(P, 7, LinkType.SF, 2)]
    s = run(tasks, links)
    assert s.tasks[6].es_n == 3 and s.tasks[6].driving == (P,)
    assert s.tasks[7].es_n == 3


def test_nested_summaries() -> None:
    tasks = [*TASKS, Task(10, title="Phase"), Task(11, duration=1, parent_id=10)]
    tasks = [t if t.id != P else Task(P, parent_id=10) for t in tasks]
    s = run(tasks, LINKS)
    assert (s.tasks[10].es_n, s.tasks[10].ef_n) == (0, 9)  # W runs at the start
    assert s.tasks[10].summary
    assert s.tasks[C1].es_n == 2


def test_links_a_summary_cannot_have() -> None:
    with pytest.raises(ScheduleError, match="own subtasks") as caught:
        run(TASKS, [*LINKS, Link(P, C2)])
    assert caught.value.task_id == C2
    with pytest.raises(ScheduleError, match="own subtasks"):
        run(TASKS, [Link(C1, P)])
    with pytest.raises(ScheduleError, match="FS and SS"):
        run(TASKS, [Link(Y, P, LinkType.FF)])
    with pytest.raises(ScheduleError, match="FS and SS"):
        run(TASKS, [Link(Y, P, LinkType.SF)])


def test_cycle_through_a_summary() -> None:
    # C1 is in P; P → X → C1 means C1 waits for its own summary's end.
    with pytest.raises(CycleError) as caught:
        run(TASKS, [Link(P, X), Link(X, C1)])
    assert caught.value.cycle == [P, X, C1]
    # Y → P and C2 → Y: Y waits for C2, which waits (through P) for Y.
    with pytest.raises(CycleError) as caught:
        run(TASKS, [Link(Y, P), Link(C2, Y)])
    assert caught.value.cycle == [Y, P, C2]


# -- percent complete ------------------------------------------------------------------


def test_percent_rolls_up_by_duration() -> None:
    percent = rollup_percent(TASKS)
    assert percent[P] == pytest.approx((3 * 100 + 4 * 50) / 7)
    assert percent[C1] == 100.0 and percent[Y] == 0.0


def test_percent_rolls_up_by_effort_when_every_leaf_has_it() -> None:
    tasks = [
        Task(1, title="Phase"),
        Task(2, duration=5, parent_id=1, effort_hours=10, percent_complete=100),
        Task(3, duration=1, parent_id=1, effort_hours=30, percent_complete=0),
    ]
    assert rollup_percent(tasks)[1] == pytest.approx(25.0)
    # One leaf without effort: by duration instead (5 × 100 + 1 × 0) / 6.
    tasks[2] = Task(3, duration=1, parent_id=1, percent_complete=0)
    assert rollup_percent(tasks)[1] == pytest.approx(500 / 6)


def test_percent_rolls_up_over_nested_leaves_and_milestones() -> None:
    tasks = [
        Task(1, title="Project"),
        Task(2, title="Phase", parent_id=1),
        Task(3, duration=2, parent_id=2, percent_complete=100),
        Task(4, duration=2, parent_id=1, percent_complete=0),
        Task(5, milestone=True, parent_id=1, percent_complete=100),
        Task(6, title="Gates"),
        Task(7, milestone=True, parent_id=6, percent_complete=100),
        Task(8, milestone=True, parent_id=6, percent_complete=0),
    ]
    percent = rollup_percent(tasks)
    assert percent[2] == 100.0
    assert percent[1] == pytest.approx(50.0)  # milestones weigh nothing
    assert percent[6] == pytest.approx(50.0)  # only milestones: the plain mean
