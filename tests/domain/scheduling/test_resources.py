"""Load per person per day, over-allocation, and serial leveling (algorithms.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskdesk.domain.scheduling import (
    Link,
    Schedule,
    Task,
    WorkCalendar,
    level,
    load_by_day,
    overallocations,
    schedule,
)
from tests.domain.scheduling._support import MONDAY, link_gap, random_plans

CAL = WorkCalendar()
EIGHT = {"alice": 8.0, "bob": 8.0, "carol": 8.0}


def jan(day: int) -> date:
    return date(2026, 1, day)


def run(tasks: list[Task], links: list[Link]) -> Schedule:
    return schedule(tasks, links, start=MONDAY, calendar=CAL)


def lvl(tasks: list[Task], links: list[Link], **kwargs: object):  # type: ignore[no-untyped-def]
    return level(tasks, links, start=MONDAY, calendar=CAL, capacities=EIGHT, **kwargs)  # type: ignore[arg-type]


# -- load ------------------------------------------------------------------------------


def test_load_by_day_and_overallocations() -> None:
    tasks = [
        Task(1, duration=3, assignments=(("alice", 1.0),)),
        Task(2, duration=2, assignments=(("alice", 0.5), ("bob", 1.0))),
        Task(3, milestone=True, assignments=(("alice", 1.0),)),  # a milestone has no work
    ]
    s = run(tasks, [])
    load = load_by_day(s, tasks, capacities=EIGHT)
    assert load == {
        "alice": {jan(5): 12.0, jan(6): 12.0, jan(7): 8.0},
        "bob": {jan(5): 8.0, jan(6): 8.0},
    }
    assert overallocations(s, tasks, capacities=EIGHT) == {"alice": [jan(5), jan(6)]}
    assert overallocations(s, tasks, capacities={"alice": 12.0}) == {}


def test_background_load_and_person_calendars() -> None:
    tasks = [Task(1, duration=3, assignments=(("alice", 0.5),))]
    s = run(tasks, [])
    # Routines reserve 3 h a day of alice's time: 4 + 3 = 7 h, under 8.
    load = load_by_day(s, tasks, capacities=EIGHT, background={"alice": 3.0})
    assert load == {"alice": {jan(5): 7.0, jan(6): 7.0, jan(7): 7.0}}
    assert overallocations(s, tasks, capacities=EIGHT, background={"alice": 5.0}) == {
        "alice": [jan(5), jan(6), jan(7)]
    }
    # Alice works 6-hour days: units 0.5 is 3 h. She is off on Tue 6: any work that day
    # is over-allocation, and no background is reserved then.
    alice = CAL.with_time_off([jan(6)])
    alice = WorkCalendar(alice.workdays, alice.holidays, hours_per_day=6.0)
    calendars = {"alice": alice}
    load = load_by_day(s, tasks, capacities=EIGHT, calendars=calendars, background={"alice": 1})
    assert load == {"alice": {jan(5): 4.0, jan(6): 3.0, jan(7): 4.0}}
    assert overallocations(s, tasks, capacities=EIGHT, calendars=calendars) == {"alice": [jan(6)]}


# -- leveling --------------------------------------------------------------------------


def test_two_tasks_of_one_person_are_serialized() -> None:
    # Both want alice full time from Mon 5. Unleveled F = 3: A (3 d) has float 0, B (2 d)
    # float 1, so A goes first and B waits until A is done: delay 3, Thu 8 – Fri 9.
    tasks = [
        Task(1, title="A", duration=3, assignments=(("alice", 1.0),)),
        Task(2, title="B", duration=2, assignments=(("alice", 1.0),)),
    ]
    result = lvl(tasks, [])
    assert result.delays == {1: 0, 2: 3}
    assert result.unresolved == []
    assert (result.schedule.tasks[2].es, result.schedule.tasks[2].ef) == (jan(8), jan(9))
    assert result.schedule.tasks[2].leveling_delay == 3
    assert result.schedule.finish == jan(9)
    leveled = [replace(t, leveling_delay=result.delays[t.id]) for t in tasks]
    assert overallocations(result.schedule, leveled, capacities=EIGHT) == {}
    assert overallocations(run(tasks, []), tasks, capacities=EIGHT) == {"alice": [jan(5), jan(6)]}


def test_priority_goes_first() -> None:
    tasks = [
        Task(1, duration=3, assignments=(("alice", 1.0),)),
        Task(2, duration=2, priority=5, assignments=(("alice", 1.0),)),
    ]
    assert lvl(tasks, []).delays == {1: 2, 2: 0}


def test_half_units_share_a_day() -> None:
    tasks = [
        Task(1, duration=3, assignments=(("alice", 0.5),)),
        Task(2, duration=2, assignments=(("alice", 0.5),)),
    ]
    result = lvl(tasks, [])
    assert result.delays == {1: 0, 2: 0} and result.unresolved == []


def test_background_load_leaves_less_room() -> None:
    tasks = [
        Task(1, duration=3, assignments=(("alice", 0.5),)),
        Task(2, duration=2, assignments=(("alice", 0.5),)),
    ]
    assert lvl(tasks, [], background={"alice": 4.0}).delays == {1: 0, 2: 3}


def test_time_off_delays_the_task() -> None:
    # Alice is off on Tue 6: a 3-day task of hers fits from Wed 7 (7, 8, 9).
    tasks = [Task(1, duration=3, assignments=(("alice", 1.0),))]
    result = lvl(tasks, [], calendars={"alice": CAL.with_time_off([jan(6)])})
    assert result.delays == {1: 2}
    assert result.schedule.tasks[1].es == jan(7)


def test_within_float_refuses_to_delay_beyond_float() -> None:
    tasks = [
        Task(1, duration=3, assignments=(("alice", 1.0),)),
        Task(2, duration=2, assignments=(("alice", 1.0),)),
    ]
    # B has 1 day of float and would need 3: it stays put and is reported.
    result = lvl(tasks, [], within_float=True)
    assert result.delays == {1: 0, 2: 0}
    assert result.unresolved == [2]
    # With a 10-day task of bob's the project ends later: B has 8 days of float.
    tasks.append(Task(3, duration=10, assignments=(("bob", 1.0),)))
    result = lvl(tasks, [], within_float=True)
    assert result.delays == {1: 0, 2: 3, 3: 0}
    assert result.unresolved == []


def test_units_above_capacity_cannot_be_leveled() -> None:
    tasks = [
        Task(1, duration=2, assignments=(("alice", 1.5),)),
        Task(2, duration=2, assignments=(("alice", 1.0),)),
    ]
    result = lvl(tasks, [])
    assert result.unresolved == [1]
    assert result.delays[1] == 0
    assert result.delays[2] == 2  # it still has to wait for alice's overloaded days


def test_a_person_who_never_works_on_project_days() -> None:
    weekend = WorkCalendar.from_names(["sat", "sun"])
    tasks = [Task(1, duration=2, assignments=(("alice", 1.0),))]
    result = lvl(tasks, [], calendars={"alice": weekend})
    assert result.unresolved == [1] and result.delays == {1: 0}


def test_pinned_tasks_keep_their_place() -> None:
    tasks = [
        Task(1, duration=2, pinned_start=jan(6), assignments=(("alice", 1.0),)),
        Task(2, duration=3, priority=9, assignments=(("alice", 1.0),)),
    ]
    # B cannot overlap Tue 6 – Wed 7, nor fit on Mon 5 alone: it starts Thu 8.
    result = lvl(tasks, [])
    assert result.delays == {1: 0, 2: 3}
    assert result.schedule.tasks[1].es == jan(6)
    # Two pinned tasks on the same days cannot be leveled.
    tasks = [
        Task(1, duration=2, pinned_start=jan(6), assignments=(("alice", 1.0),)),
        Task(2, duration=2, pinned_start=jan(7), assignments=(("alice", 1.0),)),
    ]
    assert lvl(tasks, []).unresolved == [1, 2]


def test_links_hold_after_leveling_and_old_delays_are_cleared() -> None:
    tasks = [
        Task(1, title="A", duration=2, assignments=(("alice", 1.0),), leveling_delay=7),
        Task(2, title="B", duration=2, priority=1, assignments=(("alice", 1.0),)),
        Task(3, title="C", duration=1, assignments=(("bob", 1.0),)),
    ]
    links = [Link(1, 3)]
    result = lvl(tasks, links)
    # B (priority) takes days 0–1; A waits: 2–3; C follows A: day 4.
    assert result.delays == {1: 2, 2: 0, 3: 0}
    assert result.schedule.tasks[3].es_n == 4
    assert result.schedule.tasks[3].driving == (1,)


def test_leveling_summaries_and_milestones() -> None:
    tasks = [
        Task(1, title="Phase"),
        Task(2, duration=2, parent_id=1, assignments=(("alice", 1.0),)),
        Task(3, duration=2, parent_id=1, assignments=(("alice", 1.0),)),
        Task(4, milestone=True),
    ]
    result = lvl(tasks, [Link(1, 4)])
    assert result.delays == {2: 0, 3: 2, 4: 0}
    assert result.schedule.tasks[1].ef_n == 4
    assert result.schedule.tasks[4].es_n == 4


@settings(max_examples=150, deadline=None)
@given(
    random_plans(max_tasks=15, people=("alice", "bob", "carol")),
    st.sampled_from([0.0, 2.0]),
    st.booleans(),
)
def test_leveling_removes_overallocation_and_keeps_links(
    plan: tuple[list[Task], list[Link]], reserved: float, within_float: bool
) -> None:
    tasks, links = plan
    background = {"alice": reserved}
    result = lvl(tasks, links, background=background, within_float=within_float)
    leveled = [replace(t, leveling_delay=result.delays[t.id]) for t in tasks]
    # The schedule is CPM with the delays, and every link still holds.
    assert result.schedule == run(leveled, links)
    assert all(d >= 0 for d in result.delays.values())
    for link in links:
        assert link_gap(link, result.schedule) >= 0
    # Nobody is over capacity, except where a task could not be placed.
    over = overallocations(result.schedule, leveled, capacities=EIGHT, background=background)
    for login, days in over.items():
        for day in days:
            assert any(
                t.id in result.unresolved
                and login in dict(t.assignments)
                and result.schedule.tasks[t.id].es <= day <= result.schedule.tasks[t.id].ef
                for t in tasks
            ), (login, day)
    if not within_float and reserved == 0.0:
        assert result.unresolved == [] and over == {}  # units ≤ 1.0 always fit in 8 h
    if within_float:
        base = run([replace(t, leveling_delay=0) for t in tasks], links)
        assert result.schedule.finish_n == base.finish_n
        for t in tasks:
            assert result.schedule.tasks[t.id].es_n <= max(
                base.tasks[t.id].ls_n, base.tasks[t.id].es_n
            )


@pytest.mark.parametrize("within_float", [False, True])
def test_leveling_is_deterministic(within_float: bool) -> None:
    tasks = [Task(k, duration=1 + k % 4, assignments=(("alice", 1.0),)) for k in range(1, 9)]
    links = [Link(1, 5), Link(2, 6)]
    first = lvl(tasks, links, within_float=within_float)
    assert lvl(tasks[::-1], links[::-1], within_float=within_float) == first
