"""Project plans in the store: import, re-import, undo, plan reads, risks, leveling.

Every test runs on SQLite and (when TASKDESK_TEST_PG_URL is set) PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from taskdesk.domain.model import (
    ContainerKind,
    Item,
    LinkType,
    ParsedItem,
    Priority,
    RiskResponse,
    RiskStatus,
    StatusCategory,
)
from taskdesk.domain.projectplan import schedule_plan
from taskdesk.interop.plan import export_plan, parse_plan
from taskdesk.store import Store
from taskdesk.store.errors import DependencyCycle, NotFound, ValidationError
from taskdesk.store.migrations import latest_version
from tests.store.querycount import count_queries

SHIP = '[[task]]\nkey = "ship"\ntitle = "Ship"\nmilestone = true\ndepends = ["phase"]\n\n'

PLAN = """\
[project]
name = "Launch"
start = 2026-01-05
deadline = 2026-02-27
goal = "Ship it"
budget = 5000
owner = "frank"
holidays = [2026-01-19]

[[task]]
key = "phase"
title = "Phase one"

[[task]]
key = "research"
title = "Research"
parent = "phase"
duration = "5d"
assignees = ["alice", "bob:0.5"]
effort = "20h"
percent = 100
tags = ["ux"]

[[task]]
key = "design"
title = "Design"
parent = "phase"
duration = "3d"
depends = ["research SS+2d"]
priority = "H"
percent = 40
cost = 1200
start_no_earlier = 2026-01-06
deadline = 2026-01-30
notes = "Two screens"

[[task]]
key = "ship"
title = "Ship"
milestone = true
depends = ["phase"]

[[risk]]
title = "Late design"
probability = 2
impact = 4
owner = "carol"
response = "accept"
"""


def by_key(store: Store, project: str = "Launch") -> dict[str, Item]:
    return {i.key: i for i in store.project_plan(project).items if i.key}


def test_import_creates_the_project_and_its_tasks(store: Store) -> None:
    project = store.import_plan(parse_plan(PLAN))
    assert project.kind is ContainerKind.PROJECT
    assert (project.name, project.start, project.deadline) == (
        "Launch",
        date(2026, 1, 5),
        date(2026, 2, 27),
    )
    assert (project.goal, project.budget, project.owner) == ("Ship it", 5000, "frank")
    assert project.holidays == (date(2026, 1, 19),)
    plan = store.project_plan("Launch")
    assert [i.key for i in plan.items] == ["phase", "research", "design", "ship"]
    items = {i.key: i for i in plan.items}
    research, design, ship = items["research"], items["design"], items["ship"]
    assert research.parent_id == items["phase"].id == design.parent_id
    assert research.category is StatusCategory.COMPLETED and research.completed is not None
    assert design.category is StatusCategory.STARTED and design.percent_complete == 40
    assert items["phase"].category is StatusCategory.UNSTARTED
    assert [(a.login, a.units) for a in research.assignees] == [("alice", 1.0), ("bob", 0.5)]
    assert research.effort_hours == 20 and research.tags == ("ux",)
    assert (design.priority, design.cost, design.notes) == (Priority.HIGH, 1200, "Two screens")
    assert (design.start_no_earlier, design.deadline) == (date(2026, 1, 6), date(2026, 1, 30))
    assert ship.milestone and ship.duration_days == 0
    links = {(d.predecessor_id, d.successor_id): d for d in plan.dependencies}
    assert links[(research.id, design.id)].type is LinkType.SS
    assert links[(research.id, design.id)].lag_days == 2
    assert (items["phase"].id, ship.id) in links
    assert {p.login for p in store.people()} >= {"alice", "bob", "carol", "frank"}
    (risk,) = plan.risks
    assert (risk.title, risk.score, risk.owner, risk.response) == (
        "Late design",
        8,
        "carol",
        RiskResponse.ACCEPT,
    )


def test_the_imported_plan_schedules(store: Store) -> None:
    store.import_plan(parse_plan(PLAN))
    plan = store.project_plan("Launch")
    schedule = schedule_plan(plan)
    keys = {i.id: i.key for i in plan.items}
    # design (SS+2 on research, 3 days) ends with research: both drive the phase
    assert [keys[i] for i in schedule.critical_path] == ["research", "design", "ship"]
    assert schedule.finish == date(2026, 1, 9)


def test_reimporting_updates_instead_of_duplicating(store: Store) -> None:
    store.import_plan(parse_plan(PLAN))
    before = by_key(store)
    changed = (
        PLAN.replace('title = "Design"', 'title = "Design the screens"')
        .replace('duration = "3d"', 'duration = "4d"')
        .replace('tags = ["ux"]', 'tags = ["research"]')
        .replace('assignees = ["alice", "bob:0.5"]', 'assignees = ["bob"]')
        .replace('depends = ["research SS+2d"]', 'depends = ["research"]')
        .replace("deadline = 2026-02-27\n", "")
    )
    project = store.import_plan(parse_plan(changed))
    after = by_key(store)
    assert {k: i.id for k, i in after.items()} == {k: i.id for k, i in before.items()}
    design = store.get_item(after["design"].id)
    assert (design.title, design.duration_days) == ("Design the screens", 4.0)
    research = store.get_item(after["research"].id)
    assert research.tags == ("research",) and research.assignee_logins == ("bob",)
    (link,) = [d for d in store.dependencies() if d.successor_id == design.id]
    assert (link.type, link.lag_days) == (LinkType.FS, 0.0)
    assert project.deadline is None  # the file is the plan: absent fields are cleared
    assert design.category is StatusCategory.STARTED  # status stays the board's


def test_tasks_that_left_the_file_are_deleted_and_keyless_ones_stay(store: Store) -> None:
    project = store.import_plan(parse_plan(PLAN))
    keyless = store.add_item(ParsedItem(title="Call the printer", project="Launch"))
    outside = store.add_item(ParsedItem(title="Elsewhere", project="Other"))
    design = by_key(store)["design"]
    store.add_dependency(outside.id, design.id)
    without_ship = PLAN.replace(SHIP, "")
    store.import_plan(parse_plan(without_ship))
    plan = store.project_plan(project.id)
    assert [i.key for i in plan.items] == ["phase", "research", "design", None]
    assert plan.items[-1].id == keyless.id
    assert not any(i.title == "Ship" for i in store.list_items(container_id=project.id))
    assert outside.id in store.get_item(design.id).depends
    # the keyless task is exported as #ID and adopted (given that key) on re-import
    text = export_plan(plan)
    assert f'key = "#{keyless.id}"' in text
    store.import_plan(parse_plan(text))
    assert store.get_item(keyless.id).key == f"#{keyless.id}"
    assert export_plan(store.project_plan(project.id)) == text


def test_an_import_is_one_undoable_action(store: Store) -> None:
    store.import_plan(parse_plan(PLAN))
    assert store.undo() == "Undid: import plan 'Launch'"
    assert store.project_plan("Launch").items == ()
    assert store.redo() == "Redid: import plan 'Launch'"
    assert [i.key for i in store.project_plan("Launch").items] == [
        "phase",
        "research",
        "design",
        "ship",
    ]
    # a re-import that removes and changes things is undone as a whole, too
    before = export_plan(store.project_plan("Launch"))
    smaller = PLAN.replace('depends = ["research SS+2d"]\n', "").replace(
        'title = "Ship"', 'title = "Go"'
    )
    store.import_plan(parse_plan(smaller))
    assert export_plan(store.project_plan("Launch")) != before
    store.undo()
    assert export_plan(store.project_plan("Launch")) == before


def test_an_unchanged_reimport_records_nothing(store: Store) -> None:
    store.import_plan(parse_plan(PLAN))
    actions = store.tables.action.select().count()
    store.import_plan(parse_plan(PLAN))
    assert store.tables.action.select().count() == actions


def test_links_from_outside_that_close_a_cycle_refuse_the_whole_import(store: Store) -> None:
    text = '[project]\nname = "Loop"\n[[task]]\nkey = "a"\ntitle = "A"\n'
    text += '[[task]]\nkey = "b"\ntitle = "B"\n'
    store.import_plan(parse_plan(text))
    tasks = by_key(store, "Loop")
    outside = store.add_item(ParsedItem(title="Outside"))
    store.add_dependency(tasks["a"].id, outside.id)
    store.add_dependency(outside.id, tasks["b"].id)
    looped = text.replace('title = "A"', 'title = "A2"\ndepends = ["b"]')
    with pytest.raises(DependencyCycle, match=rf"outside the file: a → item {outside.id} → b → a"):
        store.import_plan(parse_plan(looped))
    assert store.get_item(tasks["a"].id).title == "A"
    assert store.get_item(tasks["a"].id).depends == ()


def test_an_area_of_that_name_becomes_the_project(store: Store) -> None:
    area = store.ensure_container("launch")
    project = store.import_plan(parse_plan(PLAN))
    assert project.id == area.id
    assert (project.name, project.kind) == ("Launch", ContainerKind.PROJECT)


def test_risks_follow_the_file_by_title(store: Store) -> None:
    store.import_plan(parse_plan(PLAN))
    store.add_risk("Launch", "Budget cut", probability=1, impact=5)
    first = store.risks("Launch")
    changed = PLAN.replace("probability = 2", 'probability = 5\nstatus = "occurred"')
    changed += '\n[[risk]]\ntitle = "Vendor late"\nprobability = 3\nimpact = 3\n'
    store.import_plan(parse_plan(changed))
    risks = store.risks("Launch")
    assert [r.title for r in risks] == ["Late design", "Vendor late"]
    assert risks[0].id == first[0].id and risks[0].status is RiskStatus.OCCURRED
    assert risks[0].score == 20


def test_add_risk_checks_its_values(store: Store) -> None:
    store.save_project("Launch", start=date(2026, 1, 5))
    risk = store.add_risk(
        "Launch",
        " Vendor \x1b[2J late ",
        probability=4,
        impact=2,
        owner="dave",
        review_date=date(2026, 2, 1),
    )
    assert (risk.title, risk.score, risk.owner, risk.review_date) == (
        "Vendor late",
        8,
        "dave",
        date(2026, 2, 1),
    )
    with pytest.raises(ValidationError, match="probability must be a whole number 1–5"):
        store.add_risk("Launch", "x", probability=6)
    with pytest.raises(ValidationError, match="needs a title"):
        store.add_risk("Launch", "  ")
    with pytest.raises(NotFound):
        store.add_risk("Nope", "x")


def test_project_plan_reads_in_a_fixed_number_of_queries(store: Store) -> None:
    store.import_plan(parse_plan(PLAN))
    with count_queries() as small:
        store.project_plan("Launch")
    big = PLAN + "".join(
        f'\n[[task]]\nkey = "t{n}"\ntitle = "Task {n}"\nparent = "phase"\nduration = "1d"\n'
        f'depends = ["research"]\nassignees = ["u{n % 4}"]\ntags = ["t{n % 3}"]\n'
        for n in range(60)
    )
    big += '\n[[risk]]\ntitle = "Another"\nprobability = 1\nimpact = 1\nowner = "dave"\n'
    store.import_plan(parse_plan(big))
    with count_queries() as large:
        plan = store.project_plan("Launch")
    assert len(plan.items) == 64 and len(plan.risks) == 2
    assert large.count == small.count <= 12


def test_wbs_order_follows_the_file_and_survives_reordering(store: Store) -> None:
    store.import_plan(parse_plan(PLAN))
    reordered = PLAN.replace(SHIP, "").replace(
        '[[task]]\nkey = "phase"', SHIP + '[[task]]\nkey = "phase"'
    )
    store.import_plan(parse_plan(reordered))
    assert [i.key for i in store.project_plan("Launch").items] == [
        "ship",
        "phase",
        "research",
        "design",
    ]


def test_update_item_takes_the_project_fields(store: Store) -> None:
    store.import_plan(parse_plan(PLAN))
    design = by_key(store)["design"]
    item = store.update_item(
        design.id,
        {
            "key": "ux-design",
            "start_no_earlier": date(2026, 1, 12),
            "deadline": None,
            "pinned": True,
            "cost": 99.5,
            "actual_cost": 10,
            "effort_hours": 6,
            "leveling_delay_days": 2,
        },
    )
    assert (item.key, item.start_no_earlier, item.deadline, item.pinned) == (
        "ux-design",
        date(2026, 1, 12),
        None,
        True,
    )
    assert (item.cost, item.actual_cost, item.effort_hours, item.leveling_delay_days) == (
        99.5,
        10.0,
        6.0,
        2.0,
    )
    store.undo()
    back = store.get_item(item.id)
    assert (back.key, back.pinned, back.deadline) == ("design", False, date(2026, 1, 30))
    with pytest.raises(ValidationError, match="taken by item"):
        store.update_item(item.id, {"key": "research"})
    with pytest.raises(ValidationError, match="no spaces"):
        store.update_item(item.id, {"key": "two words"})
    with pytest.raises(ValidationError, match="cannot be negative"):
        store.update_item(item.id, {"cost": -1})
    with pytest.raises(ValidationError, match="must be a date"):
        store.update_item(item.id, {"deadline": "soon"})


def test_leveling_delays_are_saved_cleared_and_undone(store: Store) -> None:
    store.import_plan(parse_plan(PLAN))
    tasks = by_key(store)
    design = tasks["design"].id
    research = tasks["research"].id
    store.save_leveling_delays("Launch", {design: 3})
    assert store.get_item(design).leveling_delay_days == 3
    store.save_leveling_delays("Launch", {research: 1})
    assert store.get_item(design).leveling_delay_days == 0
    assert store.get_item(research).leveling_delay_days == 1
    assert store.undo() == "Undid: level 'Launch'"
    assert store.get_item(design).leveling_delay_days == 3
    other = store.add_item(ParsedItem(title="Elsewhere"))
    with pytest.raises(ValidationError, match="is not a task of"):
        store.save_leveling_delays("Launch", {other.id: 1})
    with pytest.raises(ValidationError, match="cannot be negative"):
        store.save_leveling_delays("Launch", {design: -1})


def test_upgrade_from_schema_1_adds_the_project_columns(
    store: Store, open_as: Callable[..., Store]
) -> None:
    store.add_item(ParsedItem(title="kept"))
    for column in ("pinned", "effort_hours", "plan_position"):
        store.db.execute_sql(f'ALTER TABLE "item" DROP COLUMN "{column}"')  # type: ignore[no-untyped-call]
    store.tables.meta.update(value="1").where(store.tables.meta.key == "version").execute()
    store.close()
    upgraded = open_as("alice")
    assert upgraded.schema_version() == latest_version() >= 2
    item = upgraded.list_items()[0]
    assert (item.title, item.pinned, item.effort_hours) == ("kept", False, None)
    updated = upgraded.update_item(item.id, {"pinned": True, "effort_hours": 2})
    assert updated.pinned and updated.effort_hours == 2
