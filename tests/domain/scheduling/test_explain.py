""" "Why does this task start here?", previews of an edit, baselines and variance."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from taskdesk.domain.model import LinkType
from taskdesk.domain.scheduling import (
    BaselineTask,
    DateChange,
    Link,
    Schedule,
    ScheduleError,
    Task,
    Variance,
    WorkCalendar,
    explain,
    explain_text,
    preview,
    schedule,
    snapshot,
    variance,
)
from tests.domain.scheduling import test_cpm_textbook as textbook
from tests.domain.scheduling import test_summary as summary
from tests.domain.scheduling._support import MONDAY

CAL = WorkCalendar()


def jan(day: int) -> date:
    return date(2026, 1, day)


def run(tasks: list[Task], links: list[Link], **kwargs: object) -> Schedule:
    return schedule(tasks, links, start=MONDAY, calendar=CAL, **kwargs)  # type: ignore[arg-type]


def test_explain_follows_driving_links_to_the_project_start() -> None:
    s = run(textbook.CLASSIC_TASKS, textbook.CLASSIC_LINKS)
    A, B, D, G, I, J = (  # noqa: E741 (the textbook's names)
        textbook.A,
        textbook.B,
        textbook.D,
        textbook.G,
        textbook.I,
        textbook.J,
    )
    chain = explain(s, textbook.CLASSIC_LINKS, J)
    assert [step for step, _ in chain] == [J, I, G, D, B, A]
    assert chain[0] == (J, None)
    assert chain[1] == (I, Link(I, J))
    assert chain[2] == (G, Link(G, I))  # G, not H: H finishes 6 days before I starts
    assert explain_text(s, textbook.CLASSIC_LINKS, J) == [
        "'Hand over' starts 2026-01-29 because it follows 'Inspect' (FS), which finishes"
        " 2026-01-28",
        "'Inspect' starts 2026-01-27 because it follows 'Frame' (FS), which finishes 2026-01-26",
        "'Frame' starts 2026-01-21 because it follows 'Foundation' (FS), which finishes 2026-01-20",
        "'Foundation' starts 2026-01-14 because it follows 'Design' (FS), which finishes"
        " 2026-01-13",
        "'Design' starts 2026-01-08 because it follows 'Survey' (FS), which finishes 2026-01-07",
        "'Survey' starts at the project start (2026-01-05)",
    ]


def test_explain_stops_at_a_constraint() -> None:
    tasks = [
        Task(1, title="Design", duration=5),
        Task(2, title="Build", duration=3, start_no_earlier=jan(14)),
        Task(3, title="Test", duration=2),
    ]
    links = [Link(1, 2), Link(2, 3)]
    s = run(tasks, links)
    assert explain(s, links, 3) == [(3, None), (2, Link(2, 3))]
    assert explain_text(s, links, 3) == [
        "'Test' starts 2026-01-19 because it follows 'Build' (FS), which finishes 2026-01-16",
        "'Build' starts no earlier than 2026-01-14 (constraint)",
    ]


def test_explain_names_link_types_and_lags() -> None:
    tasks = [
        Task(1, title="Write", duration=5),
        Task(2, title="Edit", duration=3),
        Task(3, title="Print", duration=2),
    ]
    links = [Link(1, 2, LinkType.SS, 2), Link(2, 3, LinkType.FF, -1)]
    s = run(tasks, links)
    # Edit: ES = 0 + 2 = 2 (Wed 7), 2–5; Print: EF = 5 − 1 = 4 → 2–4, finishes Thu 8.
    assert explain_text(s, links, 3) == [
        "'Print' finishes 2026-01-08 because it follows 'Edit' (FF-1d), which finishes 2026-01-09",
        "'Edit' starts 2026-01-07 because it follows 'Write' (SS+2d), which starts 2026-01-05",
        "'Write' starts at the project start (2026-01-05)",
    ]


def test_explain_pinned_and_leveled_tasks() -> None:
    tasks = [
        Task(1, title="Order", duration=2, pinned_start=jan(7)),
        Task(2, title="Install", duration=2, leveling_delay=3),
    ]
    links = [Link(1, 2)]
    s = run(tasks, links)
    assert explain_text(s, links, 1) == [
        "'Order' starts 2026-01-07: pinned there (manually scheduled)"
    ]
    assert explain_text(s, links, 2) == [
        "'Install' starts 2026-01-14, delayed 3 working days by leveling"
    ]


def test_explain_goes_through_summaries() -> None:
    s = run(summary.TASKS, summary.LINKS)
    chain = explain(s, summary.LINKS, summary.X)
    assert chain == [
        (summary.X, None),
        (summary.P, Link(summary.P, summary.X)),
        (summary.C2, None),
        (summary.C1, Link(summary.C1, summary.C2)),
        (summary.P, None),
        (summary.Y, Link(summary.Y, summary.P)),
    ]
    assert explain_text(s, summary.LINKS, summary.X) == [
        "'Release' starts 2026-01-16 because it follows 'Build phase' (FS), which finishes"
        " 2026-01-15",
        "'Build phase' finishes 2026-01-15 when its last subtask 'Frontend' finishes",
        "'Frontend' starts 2026-01-12 because it follows 'Backend' (FS), which finishes 2026-01-09",
        "'Backend' starts 2026-01-07 with its summary task 'Build phase'",
        "'Build phase' starts 2026-01-07 because it follows 'Research' (FS), which finishes"
        " 2026-01-06",
        "'Research' starts at the project start (2026-01-05)",
    ]


def test_explain_a_summary_placed_by_its_children() -> None:
    tasks = [Task(1, title="Phase"), Task(2, title="Later", duration=1, parent_id=1)]
    tasks.append(Task(3, title="First", duration=4))
    links = [Link(3, 2)]
    s = run(tasks, links)
    assert explain_text(s, links, 1) == [
        "'Phase' starts 2026-01-09 when its first subtask 'Later' starts",
        "'Later' starts 2026-01-09 because it follows 'First' (FS), which finishes 2026-01-08",
        "'First' starts at the project start (2026-01-05)",
    ]


def test_explain_unknown_task() -> None:
    s = run([Task(1, duration=1)], [])
    with pytest.raises(ScheduleError, match="not in the schedule"):
        explain(s, [], 2)


def test_preview_lists_every_task_that_moves() -> None:
    before = run(textbook.CLASSIC_TASKS, textbook.CLASSIC_LINKS)
    # Lengthen "Permits" (C) by 5 days: C 3–10, E 10–13, F 10–12, H 12–15; G waits for
    # E (13) instead of D (12): G 13–17, I 17–19, J 19–20.
    tasks = [replace(t, duration=7) if t.id == textbook.C else t for t in textbook.CLASSIC_TASKS]
    after = run(tasks, textbook.CLASSIC_LINKS)
    changes = preview(before, after)
    moved = [textbook.C, textbook.E, textbook.F, textbook.G, textbook.H, textbook.I, textbook.J]
    assert [c.id for c in changes] == moved
    assert changes[0] == DateChange(textbook.C, jan(8), jan(8), jan(9), jan(16))
    assert changes[-1] == DateChange(textbook.J, jan(29), jan(30), jan(29), jan(30))
    assert preview(before, before) == []


# -- baselines -------------------------------------------------------------------------


def test_snapshot_and_variance() -> None:
    tasks = [
        Task(1, title="Design", duration=5, cost=1000.0),
        Task(2, title="Build", duration=3, cost=500.0),
        Task(3, title="Launch", milestone=True),
    ]
    links = [Link(1, 2), Link(2, 3)]
    planned = run(tasks, links)
    baseline = snapshot(planned, tasks)
    assert baseline == [
        BaselineTask(1, jan(5), jan(9), 5, 1000.0),
        BaselineTask(2, jan(12), jan(14), 3, 500.0),
        BaselineTask(3, jan(14), jan(14), 0, None),
    ]
    assert variance(planned, baseline, CAL) == {
        1: Variance(0, 0, 0.0),
        2: Variance(0, 0, 0.0),
        3: Variance(0, 0, None),
    }
    # Design takes 2 days longer and costs 200 more; a new task is not in the baseline.
    later = [replace(tasks[0], duration=7, cost=1200.0), *tasks[1:], Task(4, duration=1)]
    now = run(later, links)
    assert variance(now, baseline, CAL) == {
        1: Variance(0, 2, 200.0),
        2: Variance(2, 2, 0.0),
        3: Variance(2, 2, None),
    }
    # Variance counts working days of the calendar given: with Thu 15 off, Build's
    # finish moving from Wed 14 to Fri 16 is one working day late, its start (Mon 12 →
    # Wed 14) still two.
    assert variance(now, baseline, WorkCalendar(holidays=frozenset({jan(15)}))) == {
        1: Variance(0, 2, 200.0),
        2: Variance(2, 1, 0.0),
        3: Variance(1, 1, None),
    }


def test_variance_ignores_tasks_gone_from_the_schedule() -> None:
    s = run([Task(1, duration=1)], [])
    assert variance(s, [BaselineTask(9, jan(5), jan(5), 1, None)], CAL) == {}
    assert snapshot(s, [Task(9)]) == []
