"""Full garbage collections wait for a quiet keyboard (issue 5: the p95 of key presses).

The policy is tested with a fake clock and a fake collector count; the real collector's
state (threshold, frozen objects) is checked and put back after each test.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from taskdesk.ui.app import TaskDeskApp
from taskdesk.ui.idle_gc import DUE_AFTER, FORCED_AFTER, IDLE_SECONDS, IdleCollector

from .helpers import settle


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def collector_state() -> Iterator[None]:
    """Put the interpreter's collector back as it was (enabled, thresholds, unfrozen)."""
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.fixture
def collections(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The full collections asked for (none really runs), with 0 young ones counted."""
    asked: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: asked.append(generation))
    return asked


def owed(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    """Pretend ``count`` generation-1 collections happened since the last full one."""
    monkeypatch.setattr(gc, "get_count", lambda: (0, 0, count))


@pytest.mark.usefixtures("collector_state")
def test_start_freezes_start_up_and_defers_the_full_collection() -> None:
    gc.disable()
    young, middle, _old = gc.get_threshold()
    collector = IdleCollector()
    collector.start()
    assert collector.started
    assert gc.isenabled()
    assert gc.get_threshold() == (young, middle, FORCED_AFTER)
    assert gc.get_freeze_count() > 0  # what exists now is never scanned again
    collector.start()  # a second start changes nothing
    assert gc.get_threshold() == (young, middle, FORCED_AFTER)


@pytest.mark.usefixtures("collector_state")
def test_a_full_collection_waits_for_a_quiet_second(
    monkeypatch: pytest.MonkeyPatch, collections: list[int]
) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    collector.start()
    owed(monkeypatch, DUE_AFTER)
    collector.touched()
    clock.now += IDLE_SECONDS / 2
    assert not collector.due()
    assert collector.tick() is False
    assert collections == []
    collector.touched()  # another key: the quiet second starts again
    clock.now += IDLE_SECONDS - 0.01
    assert collector.tick() is False
    clock.now += 0.01
    assert collector.tick() is True
    assert collections == [2]
    assert collector.collections == 1


@pytest.mark.usefixtures("collector_state")
def test_no_collection_while_nothing_is_owed(
    monkeypatch: pytest.MonkeyPatch, collections: list[int]
) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    collector.start()
    clock.now += 10 * IDLE_SECONDS
    owed(monkeypatch, DUE_AFTER - 1)
    assert collector.tick() is False
    owed(monkeypatch, DUE_AFTER)
    assert collector.tick() is True
    assert collections == [2]


@pytest.mark.usefixtures("collector_state")
def test_nothing_runs_before_start_or_with_the_collector_off(
    monkeypatch: pytest.MonkeyPatch, collections: list[int]
) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    owed(monkeypatch, 10 * DUE_AFTER)
    clock.now += 10 * IDLE_SECONDS
    assert collector.tick() is False  # not started: the caller runs the collector
    collector.start()
    gc.disable()  # someone (a benchmark, a debugger) turned it off: respect that
    assert collector.tick() is False
    gc.enable()
    assert collector.tick() is True
    assert collections == [2]


@pytest.mark.usefixtures("collector_state")
async def test_the_app_resumes_a_paused_collector_after_its_warm_up(
    db_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``taskdesk`` does: collector off for start-up, back on after the warm-up,
    and every key counts as activity."""
    from taskdesk.ui import app as app_module

    monkeypatch.setattr(app_module, "WARM_AFTER_SECONDS", 0.05)
    gc.disable()
    app = TaskDeskApp(db=db_path, actor="tester", offer_demo=False, gc_paused=True)
    assert not app.idle_gc.started
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(100):
            await pilot.pause(0.05)
            if app.idle_gc.started:
                break
        assert app.idle_gc.started
        assert gc.isenabled()
        assert gc.get_threshold()[2] == FORCED_AFTER
        before = app.idle_gc._last_input
        await pilot.press("j")
        assert app.idle_gc._last_input > before


@pytest.mark.usefixtures("collector_state")
async def test_an_app_not_told_the_collector_is_paused_leaves_it_alone(
    app: TaskDeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from taskdesk.ui import app as app_module

    monkeypatch.setattr(app_module, "WARM_AFTER_SECONDS", 0.05)
    threshold = gc.get_threshold()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)
        assert not app.idle_gc.started
        assert gc.get_threshold() == threshold
