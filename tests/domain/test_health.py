"""Portfolio schedule health: which rule fires, and the sentence it gives."""

from __future__ import annotations

from datetime import date

from taskdesk.domain.health import Health, assess, finish_float, next_milestone
from taskdesk.domain.model import Item, LinkType, StatusCategory
from taskdesk.domain.scheduling import Link, Task, WorkCalendar, schedule

START = date(2026, 11, 2)  # Monday
CAL = WorkCalendar()


def _item(i: int, title: str, done: bool = False) -> Item:
    cat = StatusCategory.COMPLETED if done else StatusCategory.UNSTARTED
    return Item(i, str(i), title, 1, "s", cat)


def _plan(deadline: date | None, *, task_deadline: date | None = None):  # type: ignore[no-untyped-def]
    tasks = [
        Task(1, title="Design", duration=5),
        Task(2, title="Build", duration=5, deadline=task_deadline),
        Task(3, title="Go live", milestone=True),
    ]
    links = [Link(1, 2, LinkType.FS, 0), Link(2, 3, LinkType.FS, 0)]
    items = {1: _item(1, "Design"), 2: _item(2, "Build"), 3: _item(3, "Go live")}
    return schedule(tasks, links, start=START, calendar=CAL, finish_deadline=deadline), items


def test_finish_after_the_deadline_is_late() -> None:
    sched, items = _plan(date(2026, 11, 11))  # finish is Fri 2026-11-13
    report = assess(sched, items, deadline=date(2026, 11, 11), today=START)
    assert report.health is Health.LATE and report.reason == "finishes 2d after the deadline"


def test_a_task_missing_its_own_deadline_is_late() -> None:
    sched, items = _plan(None, task_deadline=date(2026, 11, 12))
    report = assess(sched, items, deadline=None, today=START)
    assert report.health is Health.LATE and "“Build” misses its deadline by 1d" in report.reason


def test_thin_margin_is_at_risk() -> None:
    sched, items = _plan(date(2026, 11, 16))
    assert finish_float(sched, date(2026, 11, 16)) == 1
    report = assess(sched, items, deadline=date(2026, 11, 16), today=START)
    assert (report.health, report.reason) == (Health.AT_RISK, "only 1d of float")


def test_overdue_critical_task_is_at_risk() -> None:
    sched, items = _plan(date(2026, 12, 31))
    report = assess(sched, items, deadline=date(2026, 12, 31), today=date(2026, 11, 9))
    assert report.health is Health.AT_RISK
    assert report.reason == "“Design” is overdue on the critical path"


def test_comfortable_margin_is_on_track() -> None:
    sched, items = _plan(date(2026, 12, 31))
    report = assess(sched, items, deadline=date(2026, 12, 31), today=START)
    assert report.health is Health.ON_TRACK and report.reason.endswith("d of float")


def test_no_deadline_is_on_track_and_says_so() -> None:
    sched, items = _plan(None)
    assert assess(sched, items, deadline=None, today=START).reason == "no deadline set"


def test_next_milestone() -> None:
    sched, items = _plan(None)
    assert next_milestone(sched, items, today=START) == ("Go live", date(2026, 11, 13))
    items[3] = _item(3, "Go live", done=True)
    assert next_milestone(sched, items, today=START) is None
