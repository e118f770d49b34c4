"""Baselines (store/baselines.py): save, list, read back, replace, delete; clear leveling."""

from __future__ import annotations

from datetime import date

import pytest

from taskdesk.domain.baselines import Baseline
from taskdesk.domain.model import ParsedItem
from taskdesk.domain.projectplan import calendar_of, engine_inputs, schedule_plan
from taskdesk.domain.scheduling.baseline import BaselineTask, Variance, snapshot, variance
from taskdesk.store import Store
from taskdesk.store.errors import NotFound, ValidationError
from tests.store.querycount import count_queries

from .conftest import Clock


def _project(store: Store, extra: int = 0) -> tuple[int, int, int]:
    """Launch (from Monday 2026-01-05): Design 3d → Build 2d (+ ``extra`` 1d tasks)."""
    project = store.save_project("Launch", start=date(2026, 1, 5))
    design = store.add_item(ParsedItem(title="Design", project="Launch", duration_days=3))
    build = store.add_item(ParsedItem(title="Build", project="Launch", duration_days=2))
    store.add_dependency(design.id, build.id)
    for n in range(extra):
        store.add_item(ParsedItem(title=f"Task {n}", project="Launch", duration_days=1))
    return project.id, design.id, build.id


def _snapshot(store: Store, project: int) -> list[BaselineTask]:
    plan = store.project_plan(project)
    return snapshot(schedule_plan(plan), engine_inputs(plan)[0])


def test_baselines_are_saved_listed_and_read_back_exactly(store: Store, clock: Clock) -> None:
    project, design, build = _project(store)
    tasks = _snapshot(store, project)
    assert tasks == [
        BaselineTask(design, date(2026, 1, 5), date(2026, 1, 7), 3, None),
        BaselineTask(build, date(2026, 1, 8), date(2026, 1, 9), 2, None),
    ]
    first = store.save_baseline("Launch", "  Approved ", tasks)
    assert first == Baseline(first.id, project, "Approved", clock.now, "alice")
    clock.advance(days=1)
    store.update_item(design, {"duration_days": 4})
    second = store.save_baseline(project, "Re-plan", _snapshot(store, project))
    assert store.baselines("launch") == [second, first]  # newest first
    assert store.baseline_tasks(first.id) == tasks
    assert [t.duration for t in store.baseline_tasks(second.id)] == [4, 2]


def test_saving_an_existing_name_replaces_that_baseline(store: Store, clock: Clock) -> None:
    project, design, _ = _project(store)
    old = store.save_baseline(project, "Approved", _snapshot(store, project))
    other = store.save_baseline(project, "Other", _snapshot(store, project))
    clock.advance(hours=1)
    store.update_item(design, {"duration_days": 5})
    new = store.save_baseline(project, "Approved", _snapshot(store, project)[:1])
    assert new.id != old.id and new.saved_at == clock.now
    assert store.baselines(project) == [new, other]
    assert [(t.id, t.duration) for t in store.baseline_tasks(new.id)] == [(design, 5)]
    with pytest.raises(NotFound):
        store.baseline_tasks(old.id)


def test_variance_after_a_duration_change_is_in_working_days(store: Store) -> None:
    project, design, build = _project(store)
    saved = store.save_baseline(project, "Approved", _snapshot(store, project))
    store.update_item(design, {"duration_days": 5})  # +2 working days, over a weekend
    plan = store.project_plan(project)
    result = variance(
        schedule_plan(plan), store.baseline_tasks(saved.id), calendar_of(plan.project)
    )
    assert result == {
        design: Variance(start_days=0, finish_days=2, cost=None),
        build: Variance(start_days=2, finish_days=2, cost=None),
    }


def test_delete_blank_names_and_unknown_tasks_are_refused(store: Store) -> None:
    project, _, _ = _project(store)
    tasks = _snapshot(store, project)
    keep = store.save_baseline(project, "Keep", tasks)
    gone = store.save_baseline(project, "Gone", tasks)
    store.delete_baseline(gone.id)
    assert store.baselines(project) == [keep]
    with pytest.raises(NotFound):
        store.baseline_tasks(gone.id)
    with pytest.raises(NotFound):
        store.delete_baseline(gone.id)
    for blank in ("", "   ", "\t"):
        with pytest.raises(ValidationError, match="needs a name"):
            store.save_baseline(project, blank, tasks)
    other = store.add_item(ParsedItem(title="Elsewhere"))
    stray = BaselineTask(other.id, date(2026, 1, 5), date(2026, 1, 5), 1, None)
    with pytest.raises(ValidationError, match="is not a task of"):
        store.save_baseline(project, "Bad", [*tasks, stray])
    with pytest.raises(ValidationError, match="twice"):
        store.save_baseline(project, "Bad", [*tasks, tasks[0]])
    with pytest.raises(NotFound):
        store.save_baseline("Nope", "Approved", tasks)
    assert store.baselines(project) == [keep]
    assert store.baseline_tasks(keep.id) == tasks


def test_costs_are_kept_and_an_empty_baseline_is_allowed(store: Store) -> None:
    project, design, _ = _project(store)
    priced = BaselineTask(design, date(2026, 1, 5), date(2026, 1, 7), 3, 1234.5)
    saved = store.save_baseline(project, "Priced", [priced])
    assert store.baseline_tasks(saved.id) == [priced]
    empty = store.save_baseline(project, "Empty", [])
    assert store.baseline_tasks(empty.id) == []


def test_baseline_calls_cost_a_fixed_number_of_queries(store: Store) -> None:
    project, _, _ = _project(store)
    first = _snapshot(store, project)[:1]
    with count_queries() as small_save:
        small = store.save_baseline(project, "Small", first)
    with count_queries() as small_read:
        store.baseline_tasks(small.id)
    for n in range(40):
        store.add_item(ParsedItem(title=f"Task {n}", project="Launch", duration_days=1))
    tasks = _snapshot(store, project)
    assert len(tasks) == 42
    with count_queries() as large_save:
        large = store.save_baseline(project, "Large", tasks)
    with count_queries() as large_read:
        assert store.baseline_tasks(large.id) == tasks
    assert small_save.count == large_save.count
    assert small_read.count == large_read.count == 2


def test_clear_leveling_after_save_leveling_delays(store: Store) -> None:
    project, design, build = _project(store, extra=1)
    store.save_leveling_delays("Launch", {design: 3, build: 1})
    assert store.get_item(design).leveling_delay_days == 3
    version = store.get_item(design).version
    with count_queries() as queries:
        assert store.clear_leveling("Launch") == 2
    assert queries.count <= 10
    cleared = store.get_item(design)
    assert (cleared.leveling_delay_days, cleared.version) == (0, version + 1)
    assert store.get_item(build).leveling_delay_days == 0
    entry = store.activity(design)[0]
    assert (entry.field, entry.actor) == ("leveling_delay_days", "alice")
    assert store.undo() == "Undid: clear leveling 'Launch'"
    assert store.get_item(design).leveling_delay_days == 3
    assert store.get_item(build).leveling_delay_days == 1
    store.redo()
    assert store.get_item(build).leveling_delay_days == 0
    assert store.clear_leveling(project) == 0
    with pytest.raises(NotFound):
        store.clear_leveling("Nope")
