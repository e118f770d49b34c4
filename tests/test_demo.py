"""The demo workspace tells its stories, through the real store, the same way every time."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from taskdesk.demo import (
    CONFERENCE,
    MOBILE,
    DemoProject,
    DemoSummary,
    build_demo,
    parse_link,
    task_dates,
)
from taskdesk.domain.filters import Filter
from taskdesk.domain.model import ContainerKind, Item, LinkType, StatusCategory
from taskdesk.store import Store, open_store

TODAY = date(2026, 11, 25)  # a Wednesday
NOW = datetime(2026, 11, 25, 10, 30)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, DemoSummary]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = open_store(str(path), actor="tester")
    return store, build_demo(store, today=TODAY)


@pytest.fixture(scope="module")
def items(built: tuple[Store, DemoSummary]) -> list[Item]:
    return built[0].list_items(Filter(include_closed=True))


def _by_title(items: list[Item], title: str) -> list[Item]:
    return [item for item in items if item.title == title]


def test_summary_counts_what_is_in_the_store(
    built: tuple[Store, DemoSummary], items: list[Item]
) -> None:
    store, summary = built
    assert 60 <= summary.items <= 90
    assert summary.items == len(items)
    assert (summary.areas, summary.projects, summary.people) == (3, 2, 7)
    assert summary.dependencies == len(store.dependencies())
    assert "items in 3 areas and 2 projects" in summary.describe()


def test_areas_projects_and_people(built: tuple[Store, DemoSummary]) -> None:
    store, _ = built
    areas = {c.name for c in store.containers(ContainerKind.AREA)}
    assert {"Marketing", "Support", "Ops"} <= areas
    projects = {c.name: c for c in store.containers(ContainerKind.PROJECT)}
    assert set(projects) == {"Mobile app launch", "Annual conference"}
    mobile = projects["Mobile app launch"]
    assert mobile.start is not None and mobile.start < TODAY - timedelta(weeks=2)
    assert mobile.deadline is not None and mobile.deadline > TODAY + timedelta(weeks=4)
    assert mobile.budget == 120_000 and mobile.owner == "frank" and mobile.goal
    assert "Risks" in mobile.description and "Stakeholders" in mobile.description
    conference = projects["Annual conference"]
    assert conference.deadline is not None and conference.deadline > mobile.deadline
    people = {p.login: p for p in store.people()}
    assert {"alice", "bob", "carol", "dave", "erin", "frank", "grace"} <= set(people)
    assert people["erin"].capacity_hours < 8


def test_project_tasks_have_dates_durations_and_people(items: list[Item]) -> None:
    tasks = [i for i in items if i.project == "Mobile app launch"]
    assert len(tasks) == len(MOBILE.tasks)
    for task in tasks:
        assert task.start is not None and task.due is not None
        assert task.start <= task.due
        assert task.duration_days is not None
        assert task.assignees
    api = _by_title(items, "Build the API")[0]
    assert api.category is StatusCategory.STARTED and api.percent_complete == 70
    assert _by_title(items, "Gather requirements")[0].category is StatusCategory.COMPLETED


def test_milestones(items: list[Item]) -> None:
    for title in ("Beta released", "Store launch", "Conference day"):
        (milestone,) = _by_title(items, title)
        assert milestone.milestone
        assert milestone.duration_days == 0
    (day,) = _by_title(items, "Conference day")
    assert day.due is not None
    assert day.due.date() == _deadline(CONFERENCE)


def _deadline(project: DemoProject) -> date:
    return task_dates(project, project.deadline_key, TODAY)[1]


def test_dependencies_use_every_story_link(built: tuple[Store, DemoSummary]) -> None:
    store, _ = built
    mobile = store.get_container("Mobile app launch")
    links = store.dependencies(mobile.id)
    types = Counter(link.type for link in links)
    assert types[LinkType.FS] >= 8
    assert types[LinkType.SS] >= 2
    assert types[LinkType.FF] >= 1
    assert any(link.type is not LinkType.FS and link.lag_days > 0 for link in links)
    titles = {i.id: i.title for i in store.list_items(Filter(include_closed=True))}
    pairs = {(titles[link.predecessor_id], titles[link.successor_id]) for link in links}
    # the critical chain of the app launch
    chain = [
        "Gather requirements",
        "Design the screens",
        "Build sign-in and sync",
        "Beta released",
        "Beta testing",
        "Fix beta bugs",
        "Submit to the app stores and pass review",
        "Store launch",
    ]
    assert set(itertools.pairwise(chain)) <= pairs
    conference = store.get_container("Annual conference")
    assert len(store.dependencies(conference.id)) >= 12


def test_the_deadline_is_the_end_of_the_critical_path(items: list[Item]) -> None:
    campaign = _by_title(items, "Run the launch campaign")[0]
    assert campaign.due is not None
    assert campaign.due.date() == _deadline(MOBILE)
    latest = max(i.due for i in items if i.project == "Mobile app launch" and i.due)
    assert latest == campaign.due


def test_some_items_are_overdue(items: list[Item]) -> None:
    overdue = [i for i in items if i.is_open and i.due is not None and i.due < NOW]
    assert len(overdue) >= 6
    assert {i.project for i in overdue} >= {"Support", "Ops", "Marketing", "Mobile app launch"}


def test_review_is_over_its_wip_limit(built: tuple[Store, DemoSummary]) -> None:
    store, _ = built
    review = next(s for s in store.statuses() if s.name == "Review")
    assert review.wip_max == 3
    assert store.board_counts()[review.id] > review.wip_max


def test_people_are_over_allocated(items: list[Item]) -> None:
    started = Counter(
        login
        for item in items
        if item.category is StatusCategory.STARTED
        for login in item.assignee_logins
    )
    assert started["dave"] >= 4
    assert started["carol"] >= 2
    assert started["erin"] >= 2


def test_recurring_routines(items: list[Item]) -> None:
    rules = {i.recurrence.rrule for i in items if i.recurrence is not None}
    assert {"FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY"} <= rules
    posts = _by_title(items, "Post on social media")
    assert sorted(p.category for p in posts) == sorted(
        [StatusCategory.COMPLETED, StatusCategory.UNSTARTED]
    )
    following = next(p for p in posts if p.is_open)
    assert following.due is not None and following.due.date() == TODAY


def test_recently_done_items(items: list[Item]) -> None:
    done = [i for i in items if i.category is StatusCategory.COMPLETED]
    assert len(done) >= 8
    recent = [i for i in done if i.completed and NOW - timedelta(days=5) < i.completed < NOW]
    assert len(recent) >= 5
    for item in done:
        assert item.created is not None and item.completed is not None
        assert item.created <= item.completed
        assert item.started is not None


def test_comments_and_notes(built: tuple[Store, DemoSummary], items: list[Item]) -> None:
    store, _ = built
    commented = [i for i in items if store.comments(i.id)]
    assert len(commented) >= 4
    assert any(i.notes for i in items)


def test_tickets_have_priorities_and_tags(items: list[Item]) -> None:
    tickets = [i for i in items if i.project == "Support"]
    assert {p.value for i in tickets if (p := i.priority)} == {"H", "M", "L"}
    tags = {tag for i in tickets for tag in i.tags}
    assert {"bug", "billing"} <= tags


def test_two_builds_are_identical(tmp_path: Path) -> None:
    def snapshot(name: str) -> list[tuple[object, ...]]:
        store = open_store(str(tmp_path / name), actor="tester")
        build_demo(store, today=TODAY)
        rows: list[tuple[object, ...]] = [
            (i.id, i.title, i.status, i.project, i.due, i.start, i.created, i.completed, i.tags)
            for i in store.list_items(Filter(include_closed=True))
        ]
        store.close()
        return rows

    assert snapshot("one.db") == snapshot("two.db")


def test_the_store_clock_is_restored(built: tuple[Store, DemoSummary]) -> None:
    assert abs(built[0].now() - datetime.now()) < timedelta(minutes=1)


def test_nothing_is_stamped_after_yesterday_evening(items: list[Item]) -> None:
    story_now = datetime(2026, 11, 24, 17, 0)
    for item in items:
        for stamp in (item.created, item.started, item.completed):
            assert stamp is None or stamp <= story_now, item.title


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("design", ("design", LinkType.FS, 0.0)),
        ("design SS+4", ("design", LinkType.SS, 4.0)),
        ("test FF-1", ("test", LinkType.FF, -1.0)),
        ("venue FS", ("venue", LinkType.FS, 0.0)),
    ],
)
def test_parse_link(spec: str, expected: tuple[str, LinkType, float]) -> None:
    assert parse_link(spec) == expected
