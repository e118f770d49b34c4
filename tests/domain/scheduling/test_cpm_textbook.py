"""Textbook networks with answers worked out by hand (the comments show the work).

All plans start on Monday 2026-01-05 on a Mon–Fri calendar unless said otherwise.
Working day n (0 = the project start) is: 0 Mon 5 Jan, 1 Tue 6, 2 Wed 7, 3 Thu 8,
4 Fri 9, 5 Mon 12, 6 Tue 13, 7 Wed 14, 8 Thu 15, 9 Fri 16, 10 Mon 19, 11 Tue 20,
12 Wed 21, 13 Thu 22, 14 Fri 23, 15 Mon 26, 16 Tue 27, 17 Wed 28, 18 Thu 29, 19 Fri 30.
A task with ES = n and duration D occupies days n .. n+D-1 (EF = n + D).
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
    schedule,
)
from tests.domain.scheduling._support import MONDAY

CAL = WorkCalendar()
FS, SS, FF, SF = LinkType.FS, LinkType.SS, LinkType.FF, LinkType.SF


def jan(day: int) -> date:
    return date(2026, 1, day)


def run(tasks: list[Task], links: list[Link], **kwargs: object) -> Schedule:
    return schedule(tasks, links, start=MONDAY, calendar=CAL, **kwargs)  # type: ignore[arg-type]


def boundaries(s: Schedule, task_id: int) -> tuple[int, int, int, int]:
    t = s.tasks[task_id]
    return (t.es_n, t.ef_n, t.ls_n, t.lf_n)


# -- a classic ten-activity finish-to-start network ------------------------------------
#
#  activity  D  preds   ES EF  LS LF  TF  FF
#  A         3  -        0  3   0  3   0   0
#  B         4  A        3  7   3  7   0   0
#  C         2  A        3  5   7  9   4   0   (LF = min(LS_E 9, LS_F 11))
#  D         5  B        7 12   7 12   0   0
#  E         3  C        5  8   9 12   4   4   (FF = ES_G 12 − EF_E 8)
#  F         2  C        5  7  11 13   6   0   (FF = ES_H 7 − EF_F 7)
#  G         4  D, E    12 16  12 16   0   0   (ES = max(EF_D 12, EF_E 8))
#  H         3  F        7 10  13 16   6   6   (FF = ES_I 16 − EF_H 10)
#  I         2  G, H    16 18  16 18   0   0
#  J         1  I       18 19  18 19   0   0
#  Project finish = 19 → the last working day is day 18, Thu 29 Jan.
#  Critical path: A B D G I J.

A, B, C, D, E, F, G, H, I, J = range(1, 11)  # noqa: E741 (the textbook's names)
CLASSIC_TASKS = [
    Task(A, "a", "Survey", 3),
    Task(B, "b", "Design", 4),
    Task(C, "c", "Permits", 2),
    Task(D, "d", "Foundation", 5),
    Task(E, "e", "Order steel", 3),
    Task(F, "f", "Hire crew", 2),
    Task(G, "g", "Frame", 4),
    Task(H, "h", "Train crew", 3),
    Task(I, "i", "Inspect", 2),
    Task(J, "j", "Hand over", 1),
]
CLASSIC_LINKS = [
    Link(A, B),
    Link(A, C),
    Link(B, D),
    Link(C, E),
    Link(C, F),
    Link(D, G),
    Link(E, G),
    Link(F, H),
    Link(G, I),
    Link(H, I),
    Link(I, J),
]
CLASSIC = {
    A: (0, 3, 0, 3, 0, 0),
    B: (3, 7, 3, 7, 0, 0),
    C: (3, 5, 7, 9, 4, 0),
    D: (7, 12, 7, 12, 0, 0),
    E: (5, 8, 9, 12, 4, 4),
    F: (5, 7, 11, 13, 6, 0),
    G: (12, 16, 12, 16, 0, 0),
    H: (7, 10, 13, 16, 6, 6),
    I: (16, 18, 16, 18, 0, 0),
    J: (18, 19, 18, 19, 0, 0),
}


def test_classic_network_boundaries_and_floats() -> None:
    s = run(CLASSIC_TASKS, CLASSIC_LINKS)
    for task_id, (es, ef, ls, lf, total, free) in CLASSIC.items():
        t = s.tasks[task_id]
        assert (t.es_n, t.ef_n, t.ls_n, t.lf_n) == (es, ef, ls, lf), task_id
        assert (t.total_float, t.free_float) == (total, free), task_id
        assert t.critical == (total == 0)
    assert s.critical_path == [A, B, D, G, I, J]
    assert s.start == jan(5)
    assert s.finish == jan(29)
    assert s.finish_n == 19


def test_classic_network_dates() -> None:
    s = run(CLASSIC_TASKS, CLASSIC_LINKS)
    expected = {
        A: (jan(5), jan(7), jan(5), jan(7)),
        B: (jan(8), jan(13), jan(8), jan(13)),
        C: (jan(8), jan(9), jan(14), jan(15)),
        D: (jan(14), jan(20), jan(14), jan(20)),
        E: (jan(12), jan(14), jan(16), jan(20)),
        F: (jan(12), jan(13), jan(20), jan(21)),
        G: (jan(21), jan(26), jan(21), jan(26)),
        H: (jan(14), jan(16), jan(22), jan(26)),
        I: (jan(27), jan(28), jan(27), jan(28)),
        J: (jan(29), jan(29), jan(29), jan(29)),
    }
    for task_id, dates in expected.items():
        t = s.tasks[task_id]
        assert (t.es, t.ef, t.ls, t.lf) == dates, task_id


def test_classic_network_driving_links_and_order() -> None:
    s = run(CLASSIC_TASKS, CLASSIC_LINKS)
    assert s.tasks[G].driving == (D,)  # E finishes 4 days before G can start
    assert s.tasks[I].driving == (G,)
    assert s.tasks[A].driving == ()
    assert s.tasks[A].start_reason is StartReason.START
    assert s.tasks[B].start_reason is StartReason.LINK
    position = {task_id: k for k, task_id in enumerate(s.order)}
    for link in CLASSIC_LINKS:
        assert position[link.predecessor] < position[link.successor]


def test_classic_network_project_deadline_makes_float_negative() -> None:
    # Deadline Mon 26 Jan = end of day 15: LF_J = 16 instead of 19, so the critical
    # chain has −3 days of float and everything else 3 days less.
    s = run(CLASSIC_TASKS, CLASSIC_LINKS, finish_deadline=jan(26))
    assert s.tasks[J].total_float == -3
    assert s.tasks[A].total_float == -3
    assert s.tasks[C].total_float == 1
    assert s.tasks[C].critical is False
    assert s.critical_path == [A, B, D, G, I, J]
    # A later deadline adds no float (as MS Project: deadlines only ever reduce it).
    late = run(CLASSIC_TASKS, CLASSIC_LINKS, finish_deadline=jan(30) + (jan(30) - jan(1)))
    assert late.tasks[J].total_float == 0


def test_critical_threshold_widens_critical() -> None:
    s = run(CLASSIC_TASKS, CLASSIC_LINKS, critical_threshold=4)
    assert {t.id for t in s.tasks.values() if t.critical} == {A, B, C, D, E, G, I, J}


# -- the four link types, with lags and leads ---------------------------------------
# X (5 days) → Y (3 days); a lead task P of 5 days sits before X where a lead needs room.

X, Y, P = 1, 2, 3


def pair(kind: LinkType, lag: int, *, lead_in: bool = False) -> Schedule:
    tasks = [Task(X, title="X", duration=5), Task(Y, title="Y", duration=3)]
    links = [Link(X, Y, kind, lag)]
    if lead_in:
        tasks.append(Task(P, title="P", duration=5))
        links.append(Link(P, X))
    return run(tasks, links)


@pytest.mark.parametrize(
    ("kind", "lag", "lead_in", "y_es", "x_bounds", "y_bounds"),
    [
        # FS+2: ES_Y = EF_X 5 + 2 = 7. F = 10. X: LF = LS_Y 7 − 2 = 5 → float 0.
        (FS, 2, False, jan(14), (0, 5, 0, 5), (7, 10, 7, 10)),
        # FS−2 (lead): ES_Y = 5 − 2 = 3; EF_Y 6 → F = 6. X: LF = LS_Y 3 + 2 = 5; but
        # LF ≤ F = 6 too → 5. Y: LF 6.
        (FS, -2, False, jan(8), (0, 5, 0, 5), (3, 6, 3, 6)),
        # SS+2: ES_Y = ES_X 0 + 2 = 2, EF_Y 5 = F. X: LF = min(5, LS_Y 2 − 2 + D_X 5) = 5.
        (SS, 2, False, jan(7), (0, 5, 0, 5), (2, 5, 2, 5)),
        # SS−1 (lead) after P: ES_X = 5, ES_Y = 5 − 1 = 4, EF_Y = 7; F = 10.
        # Y: LF 10, LS 7. X: LF = min(10, LS_Y 7 + 1 + 5) = 10 → X float 0, Y float 3.
        (SS, -1, True, jan(9), (5, 10, 5, 10), (4, 7, 7, 10)),
        # FF+1: ES_Y = EF_X 5 + 1 − D_Y 3 = 3, EF_Y = 6 = F. X: LF = LF_Y 6 − 1 = 5.
        (FF, 1, False, jan(8), (0, 5, 0, 5), (3, 6, 3, 6)),
        # FF−2 (lead): ES_Y = 5 − 2 − 3 = 0, EF_Y = 3; F = 5. Y: LF 5, LS 2.
        # X: LF = min(5, LF_Y 5 + 2) = 5.
        (FF, -2, False, jan(5), (0, 5, 0, 5), (0, 3, 2, 5)),
        # SF+4: ES_Y = ES_X 0 + 4 − 3 = 1, EF_Y = 4; F = 5. Y: LF 5, LS 2.
        # X: LF = min(5, LF_Y 5 − 4 + D_X 5 = 6) = 5.
        (SF, 4, False, jan(6), (0, 5, 0, 5), (1, 4, 2, 5)),
        # SF−1 (lead) after P: ES_X = 5; ES_Y = 5 − 1 − 3 = 1, EF_Y = 4 = ES_X − 1.
        # F = 10. Y: LF 10, LS 7. X: LF = min(10, 10 + 1 + 5) = 10.
        (SF, -1, True, jan(6), (5, 10, 5, 10), (1, 4, 7, 10)),
    ],
)
def test_link_types_with_lag_and_lead(
    kind: LinkType,
    lag: int,
    lead_in: bool,
    y_es: date,
    x_bounds: tuple[int, int, int, int],
    y_bounds: tuple[int, int, int, int],
) -> None:
    s = pair(kind, lag, lead_in=lead_in)
    assert boundaries(s, X) == x_bounds
    assert boundaries(s, Y) == y_bounds
    assert s.tasks[Y].es == y_es
    assert s.tasks[Y].driving == (X,)


def test_free_float_of_each_link_type() -> None:
    # SF+4 above: gap = EF_Y 4 − 4 − ES_X 0 = 0; Y has no successor: F 5 − EF_Y 4 = 1.
    s = pair(SF, 4)
    assert (s.tasks[X].free_float, s.tasks[Y].free_float) == (0, 1)
    # FF−2: gap = EF_Y 3 + 2 − EF_X 5 = 0; Y: F 5 − 3 = 2.
    s = pair(FF, -2)
    assert (s.tasks[X].free_float, s.tasks[Y].free_float) == (0, 2)
    # A link that does not drive: X → Y FS and X → Z SS+1 where Z also follows W (7d).
    tasks = [Task(1, duration=5), Task(2, duration=3), Task(3, duration=2), Task(4, duration=7)]
    links = [Link(1, 2), Link(1, 3, SS, 1), Link(4, 3)]
    s = run(tasks, links)
    assert s.tasks[3].es_n == 7 and s.tasks[3].driving == (4,)
    # X's gaps: to Y 0, to Z 7 − 1 − 0 = 6 → free float 0.
    assert s.tasks[1].free_float == 0


# -- milestones ------------------------------------------------------------------------


def test_milestone_prints_the_day_its_predecessor_finishes() -> None:
    # Build: days 0–4 (Mon 5 – Fri 9). Launch FS after it: boundary 5, the end of Fri 9.
    tasks = [Task(1, title="Build", duration=5), Task(2, title="Launch", milestone=True)]
    s = run(tasks, [Link(1, 2)])
    m = s.tasks[2]
    assert (m.es, m.ef, m.ls, m.lf) == (jan(9), jan(9), jan(9), jan(9))
    assert (m.es_n, m.ef_n, m.total_float, m.critical) == (5, 5, 0, True)
    assert m.milestone and m.duration == 0
    assert s.finish == jan(9)
    assert s.critical_path == [1, 2]


def test_milestone_flag_wins_over_a_duration() -> None:
    s = run([Task(1, duration=4, milestone=True)], [])
    assert (s.tasks[1].es_n, s.tasks[1].ef_n) == (0, 0)


def test_milestone_without_predecessors_prints_the_project_start() -> None:
    s = run([Task(1, milestone=True), Task(2, duration=3)], [])
    assert (s.tasks[1].es, s.tasks[1].ef) == (jan(5), jan(5))
    # It could slip to the end of the project (boundary 3, the end of Wed 7).
    assert s.tasks[1].total_float == 3
    assert s.tasks[1].ls == jan(7)


def test_milestone_after_a_start_link_prints_that_start() -> None:
    # Prep 0–4, Build 5–9; Kick-off SS after Build sits at the start of Mon 12.
    tasks = [
        Task(1, title="Prep", duration=5),
        Task(2, title="Build", duration=5),
        Task(3, title="Kick-off", milestone=True),
    ]
    s = run(tasks, [Link(1, 2), Link(2, 3, SS)])
    assert (s.tasks[3].es, s.tasks[3].es_n) == (jan(12), 5)


def test_milestone_with_lag_and_successor() -> None:
    # Build 0–4; Review FS+2: the end of day 6 (Tue 13); Ship FS after Review: day 7.
    tasks = [
        Task(1, duration=5),
        Task(2, title="Review", milestone=True),
        Task(3, duration=1),
    ]
    s = run(tasks, [Link(1, 2, FS, 2), Link(2, 3)])
    assert s.tasks[2].es == jan(13)
    assert s.tasks[3].es == jan(14)
    assert s.tasks[2].ls == jan(13) and s.tasks[2].total_float == 0


def test_milestone_start_no_earlier() -> None:
    s = run([Task(1, milestone=True, start_no_earlier=jan(14))], [])
    assert s.tasks[1].es == jan(14)
    assert s.tasks[1].start_reason is StartReason.CONSTRAINT


# -- constraints, pins, deadlines, leveling delays --------------------------------------


def test_start_no_earlier() -> None:
    # A 0–2; B after A could start day 3 but must not start before Mon 12 (day 5).
    tasks = [Task(1, duration=3), Task(2, duration=2, start_no_earlier=jan(12))]
    s = run(tasks, [Link(1, 2)])
    assert (s.tasks[2].es, s.tasks[2].es_n) == (jan(12), 5)
    assert s.tasks[2].driving == ()
    assert s.tasks[2].start_reason is StartReason.CONSTRAINT
    assert s.tasks[1].free_float == 2
    # On a Saturday: the next working day. Earlier than the links: no effect.
    s = run([Task(1, duration=3), Task(2, duration=2, start_no_earlier=jan(10))], [])
    assert s.tasks[2].es == jan(12)
    s = run([tasks[0], Task(2, duration=2, start_no_earlier=jan(6))], [Link(1, 2)])
    assert s.tasks[2].es_n == 3 and s.tasks[2].start_reason is StartReason.LINK


def test_pinned_task_ignores_its_links() -> None:
    # B is pinned on Tue 6 although it follows A (0–4): the link is violated, shown as a
    # negative free float on A, and B has no driving predecessor.
    tasks = [Task(1, duration=5), Task(2, duration=3, pinned_start=jan(6))]
    s = run(tasks, [Link(1, 2)])
    assert (s.tasks[2].es, s.tasks[2].ef) == (jan(6), jan(8))
    assert s.tasks[2].driving == ()
    assert s.tasks[2].start_reason is StartReason.PINNED
    assert s.tasks[1].free_float < 0
    # Pinned later than the links would put it: A gets float up to B's pinned start.
    tasks = [Task(1, duration=5), Task(2, duration=3, pinned_start=jan(19))]
    s = run(tasks, [Link(1, 2)])
    assert s.tasks[2].es_n == 10
    assert (s.tasks[1].total_float, s.tasks[1].free_float) == (5, 5)


def test_task_deadline_gives_negative_float() -> None:
    # A 0–4, B 5–9 (EF 10); B's deadline Wed 14 = end of day 7 → LF_B = 8: float −2.
    tasks = [Task(1, duration=5), Task(2, duration=5, deadline=jan(14))]
    s = run(tasks, [Link(1, 2)])
    assert (s.tasks[2].lf_n, s.tasks[2].total_float) == (8, -2)
    assert (s.tasks[1].lf_n, s.tasks[1].total_float) == (3, -2)
    assert s.tasks[1].critical and s.tasks[2].critical
    assert s.tasks[2].lf == jan(14)
    assert s.tasks[2].deadline == jan(14)
    # Free float never exceeds total float (algorithms.md: free ≤ total).
    assert s.tasks[2].free_float == -2


def test_leveling_delay_shifts_the_start() -> None:
    # A 0–4; B after A, delayed 2 working days by leveling: ES 7 (Wed 14).
    tasks = [Task(1, duration=5), Task(2, duration=3, leveling_delay=2)]
    s = run(tasks, [Link(1, 2)])
    assert (s.tasks[2].es, s.tasks[2].es_n) == (jan(14), 7)
    assert s.tasks[2].driving == ()
    assert s.tasks[2].start_reason is StartReason.LEVELING
    assert s.tasks[2].leveling_delay == 2
    assert (s.tasks[1].total_float, s.tasks[1].free_float) == (2, 2)


# -- calendars -------------------------------------------------------------------------


def test_holiday_stretches_a_task() -> None:
    # Mon 19 Jan is a holiday: A (8 days) runs Mon 5 – Fri 14 ... i.e. days 0–7 =
    # Mon 5 … Wed 14; B (5 days) runs Thu 15, Fri 16, Tue 20, Wed 21, Thu 22.
    cal = WorkCalendar(holidays=frozenset({jan(19)}))
    tasks = [Task(1, duration=8), Task(2, duration=5)]
    s = schedule(tasks, [Link(1, 2)], start=MONDAY, calendar=cal)
    assert (s.tasks[1].es, s.tasks[1].ef) == (jan(5), jan(14))
    assert (s.tasks[2].es, s.tasks[2].ef) == (jan(15), jan(22))
    assert s.finish == jan(22)


def test_sunday_to_thursday_workweek() -> None:
    # Start on Sat 3 Jan: the first working day is Sun 4. A: Sun 4 – Thu 8; B FS+1: its
    # ES is 6 working days in: Sun 4 + 6 = Mon 12 (Sun 11 is day 5).
    cal = WorkCalendar.from_names(["sun", "mon", "tue", "wed", "thu"])
    tasks = [Task(1, duration=5), Task(2, duration=2)]
    s = schedule(tasks, [Link(1, 2, FS, 1)], start=jan(3), calendar=cal)
    assert s.start == jan(4)
    assert (s.tasks[1].es, s.tasks[1].ef) == (jan(4), jan(8))
    assert (s.tasks[2].es, s.tasks[2].ef) == (jan(12), jan(13))


def test_start_on_a_weekend_moves_to_monday() -> None:
    s = schedule([Task(1, duration=1)], [], start=jan(3), calendar=CAL)
    assert s.start == jan(5) and s.tasks[1].es == jan(5)


def test_empty_plan() -> None:
    s = run([], [])
    assert (s.start, s.finish, s.tasks, s.critical_path, s.order) == (jan(5), jan(5), {}, [], [])


# -- errors ----------------------------------------------------------------------------


def test_cycle_lists_exactly_the_cycle() -> None:
    tasks = [Task(k, duration=1) for k in range(1, 7)]
    links = [Link(6, 1), Link(1, 2), Link(2, 3), Link(3, 4), Link(4, 2), Link(4, 5)]
    with pytest.raises(CycleError) as caught:
        run(tasks, links)
    assert caught.value.cycle == [2, 3, 4]
    assert "2 → 3 → 4 → 2" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_cycle_is_reported_the_same_whatever_the_input_order() -> None:
    tasks = [Task(k, duration=1) for k in (9, 4, 7)]
    links = [Link(7, 9), Link(4, 7), Link(9, 4)]
    with pytest.raises(CycleError) as first:
        run(tasks, links)
    with pytest.raises(CycleError) as second:
        run(tasks[::-1], links[::-1])
    assert first.value.cycle == second.value.cycle == [4, 7, 9]


def test_self_link_is_a_cycle() -> None:
    with pytest.raises(CycleError) as caught:
        run([Task(1, duration=1)], [Link(1, 1, SS, 2)])
    assert caught.value.cycle == [1]


def test_lead_does_not_make_a_cycle_legal() -> None:
    tasks = [Task(1, duration=3), Task(2, duration=3)]
    with pytest.raises(CycleError):
        run(tasks, [Link(1, 2, SS, -5), Link(2, 1, SS, -5)])


@pytest.mark.parametrize(
    ("tasks", "links", "message", "task_id"),
    [
        ([Task(1)], [Link(1, 2)], "unknown task id 2", 2),
        ([Task(1)], [Link(3, 1)], "unknown task id 3", 3),
        ([Task(1, duration=-1)], [], "negative duration", 1),
        ([Task(1), Task(1)], [], "appears twice", 1),
        ([Task(1, parent_id=5)], [], "unknown parent", 1),
        ([Task(1, parent_id=2), Task(2, parent_id=1)], [], "parent loop", 1),
        ([Task(1, leveling_delay=-1)], [], "negative leveling delay", 1),
    ],
)
def test_bad_input_is_a_schedule_error(
    tasks: list[Task], links: list[Link], message: str, task_id: int
) -> None:
    with pytest.raises(ScheduleError, match=message) as caught:
        run(tasks, links)
    assert caught.value.task_id == task_id


def test_milestone_deadline_is_read_on_the_day_it_prints() -> None:
    # Kick-off sits at the start of Mon 12 (SS after Build, which follows Prep 0–4).
    # A deadline of Fri 9 ends at boundary 5 — the same working instant — but the
    # milestone prints on Mon 12, after its deadline: that is one day of negative float.
    tasks = [
        Task(1, duration=5),
        Task(2, duration=5),
        Task(3, milestone=True, deadline=jan(9)),
    ]
    s = run(tasks, [Link(1, 2), Link(2, 3, SS)])
    assert s.tasks[3].es == jan(12)
    assert s.tasks[3].total_float == -1
    assert s.tasks[3].ls == jan(9)
    # On its deadline day it is on time.
    tasks[2] = Task(3, milestone=True, deadline=jan(12))
    assert run(tasks, [Link(1, 2), Link(2, 3, SS)]).tasks[3].total_float == 0
    # A milestone at the end of a day meets a deadline on that day exactly.
    s = run([Task(1, duration=5), Task(2, milestone=True, deadline=jan(9))], [Link(1, 2)])
    assert (s.tasks[2].es, s.tasks[2].total_float) == (jan(9), 0)
