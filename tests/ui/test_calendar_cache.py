"""The Calendar's period cache, cheap marker merge, kept screen and cell repaint:
a period is read once per store version, markers join without placing again, the
calendar comes back without a read when nothing changed (and re-reads when another
process wrote), and the day cursor repaints the box of its two cells."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from textual.geometry import Region

from taskdesk.domain.calendar import CalendarView, Entry, EntryKind, days_of
from taskdesk.domain.model import Container, ParsedItem
from taskdesk.store import Store, open_store
from taskdesk.ui import calendar_data
from taskdesk.ui.app import TaskDeskApp
from taskdesk.ui.calendar_data import (
    CalendarData,
    CalendarScope,
    PeriodCache,
    PeriodKey,
    per_day_for,
    with_markers,
)
from taskdesk.ui.screens.calendar import CalendarScreen
from taskdesk.ui.widgets.calendar_view import CalendarGrid
from tests.ui.helpers import screen_text, settle

DAY = date(2026, 11, 26)


def _key(first: date = DAY) -> PeriodKey:
    return PeriodKey("db", "me", CalendarScope(), CalendarView.WEEK, first, first, 4, DAY)


def _data(first: date = DAY, last: date | None = None) -> CalendarData:
    last = last or first
    days = days_of(first, last)
    return CalendarData(CalendarView.WEEK, first, last, days, {d: [] for d in days}, {})


def test_a_period_is_read_once_per_version() -> None:
    cache, reads = PeriodCache(size=2), []

    def read() -> CalendarData:
        reads.append(1)
        return _data()

    first = cache.get(_key(), 7, read)
    assert cache.get(_key(), 7, read) is first and len(reads) == 1
    assert cache.has(_key(), 7) and not cache.has(_key(), 8)
    assert cache.get(_key(), 8, read) is not first and len(reads) == 2
    assert not cache.has(_key(), 7)  # another version is never shown again: dropped
    for n in range(1, 4):  # at most `size` periods are kept, the oldest go first
        cache.get(_key(DAY + timedelta(days=n)), 8, read)
    assert not cache.has(_key(), 8) and cache.has(_key(DAY + timedelta(days=3)), 8)


def test_a_failed_read_is_not_kept_and_a_read_in_flight_is_waited_for() -> None:
    cache = PeriodCache()

    def fail() -> CalendarData:
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        cache.get(_key(), 1, fail)
    assert not cache.has(_key(), 1)
    started, release, reads = threading.Event(), threading.Event(), []

    def slow() -> CalendarData:
        reads.append(1)
        started.set()
        release.wait(5)
        return _data()

    got: list[CalendarData] = []
    worker = threading.Thread(target=lambda: got.append(cache.get(_key(), 1, slow)))
    worker.start()
    started.wait(5)
    assert cache.has(_key(), 1)  # being read counts: the prefetch does not start it again
    waiter = threading.Thread(target=lambda: got.append(cache.get(_key(), 1, slow)))
    waiter.start()
    release.set()
    worker.join(5)
    waiter.join(5)
    assert len(reads) == 1 and len(got) == 2 and got[0] is got[1]


def _marker(kind: EntryKind, day: date, project: int = 1) -> Entry:
    return Entry(f"{kind.value}:{project}", kind, f"P{project}", day, day, container_id=project)


def test_markers_join_a_period_first_in_the_day_and_in_its_total() -> None:
    item = Entry("item:5", EntryKind.ITEM, "Pay", DAY, DAY, item_id=5)
    data = _data(DAY, DAY + timedelta(days=2))
    data.placed[DAY] = [item]
    data.totals = {DAY: 3, DAY + timedelta(days=1): 0, DAY + timedelta(days=2): 0}
    start = _marker(EntryKind.PROJECT_START, DAY)
    finish = _marker(EntryKind.PROJECT_FINISH, DAY + timedelta(days=2))
    outside = _marker(EntryKind.PROJECT_DEADLINE, DAY + timedelta(days=9))
    once = with_markers(data, [finish, outside, start])
    assert once.placed[DAY] == [start, item]
    assert once.placed[DAY + timedelta(days=2)] == [finish]
    assert once.placed[DAY + timedelta(days=1)] is data.placed[DAY + timedelta(days=1)]
    assert once.totals == {DAY: 4, DAY + timedelta(days=1): 0, DAY + timedelta(days=2): 1}
    assert data.placed[DAY] == [item] and data.totals[DAY] == 3  # the cached one is untouched
    moved = _marker(EntryKind.PROJECT_START, DAY + timedelta(days=1))
    again = with_markers(once, [moved])  # markers replace the ones drawn before
    assert again.placed[DAY] == [item] and again.placed[DAY + timedelta(days=1)] == [moved]
    assert again.placed[DAY + timedelta(days=2)] == []
    assert again.totals == {DAY: 3, DAY + timedelta(days=1): 1, DAY + timedelta(days=2): 0}


@pytest.mark.parametrize(
    ("view", "anchor", "height", "expected"),
    [
        (CalendarView.MONTH, date(2026, 11, 26), 35, 5),  # 6 week rows
        (CalendarView.MONTH, date(2027, 2, 1), 35, 8),  # 4 week rows (Feb 2027)
        (CalendarView.MONTH, date(2026, 11, 26), 5, 2),
        (CalendarView.WEEK, date(2026, 11, 26), 35, 33),
        (CalendarView.WEEK, date(2026, 11, 26), 3, 4),
        (CalendarView.AGENDA, date(2026, 11, 26), 35, 8),
    ],
)
def test_per_day_fits_the_view(
    view: CalendarView, anchor: date, height: int, expected: int
) -> None:
    assert per_day_for(view, anchor, height) == expected


# --------------------------------------------------------------------- the screen

TODAY = date.today()


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "cal.db")
    store = open_store(path, actor="tester")
    parsed = ParsedItem(title="Pay the invoice", due=datetime.combine(TODAY, time(17)))
    parsed.given = {"title", "due"}
    store.add_item(parsed)
    store.close()
    return path


async def test_the_calendar_comes_back_without_a_read_and_rereads_after_a_write(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[tuple[date, date]] = []
    real = calendar_data.read_period

    def counted(store, view, anchor, scope, markers, **kw):  # type: ignore[no-untyped-def]
        data = real(store, view, anchor, scope, markers, **kw)
        reads.append((data.first, data.last))
        return data

    monkeypatch.setattr(calendar_data, "read_period", counted)
    app = TaskDeskApp(db=db, actor="tester", offer_demo=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CalendarScreen) and screen.view is CalendarView.MONTH
        shown = (screen.data.first, screen.data.last) if screen.data else None
        assert shown in reads  # the month, and the neighbours read ahead
        ahead = len(reads)
        assert ahead == 4  # month, previous and next month, this week
        await pilot.press("right_square_bracket")
        await settle(pilot)
        await pilot.press("left_square_bracket", "v")
        await settle(pilot)
        assert screen.view.value == "week" and "Pay the invoice" in screen_text(app)
        await pilot.press("v", "v", "1", "3")
        await settle(pilot)
        assert app.screen is screen
        prefetched = len(reads)
        await pilot.press("1", "3")
        await settle(pilot)
        assert len(reads) == prefetched  # nothing changed: nothing read
        other = open_store(db, actor="someone")  # another process writes meanwhile
        parsed = ParsedItem(title="Renew the lease", due=datetime.combine(TODAY, time(9)))
        parsed.given = {"title", "due"}
        other.add_item(parsed)
        other.close()
        await pilot.press("1", "3")
        await settle(pilot)
        assert len(reads) > prefetched
        assert "Renew the lease" in screen_text(app)


async def test_the_day_cursor_repaints_the_box_of_its_two_cells(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = TaskDeskApp(db=db, actor="tester", offer_demo=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CalendarScreen) and screen.data is not None
        grid, data = screen.grid, screen.data
        cell = grid.day_cell(data, TODAY)
        assert cell is not None
        line = grid.render_line(cell.y).text
        assert line[cell.x : cell.x + 3] == f"▸{TODAY.day:>2}"
        assert cell.x == 0 or line[cell.x - 1] == "│"
        assert cell.x + cell.width == grid.size.width or line[cell.x + cell.width] == "│"
        assert grid.day_cell(data, data.last + timedelta(days=1)) is None
        monday = grid.day_cell(data, data.first + timedelta(days=7))
        assert monday is not None and monday.x == 0
        assert monday.y == 1 + grid.week_heights(data)[0]
        refreshed: list[object] = []
        original = grid.refresh

        def spy(*regions: Region, **kw: bool) -> CalendarGrid:
            refreshed.append(regions)
            return original(*regions, **kw)

        monkeypatch.setattr(grid, "refresh", spy)
        await pilot.press("h" if TODAY.weekday() else "l")
        await settle(pilot)
        other = TODAY - timedelta(days=1) if TODAY.weekday() else TODAY + timedelta(days=1)
        neighbour = grid.day_cell(data, other)
        assert neighbour is not None
        box = cell.union(neighbour)
        assert refreshed[0] == (box,)
        assert box.height == cell.height and box.width < grid.size.width


def _launch_with_two_tasks(path: Path) -> tuple[Store, int, int]:
    store = open_store(str(path), actor="me")
    launch = store.save_project("Launch", start=date(2026, 11, 2)).id
    ids = []
    for title, days in (("design", 2.0), ("build", 3.0)):
        parsed = ParsedItem(title=title, project="Launch", duration_days=days)
        parsed.given = {"title", "project", "duration_days"}
        ids.append(store.add_item(parsed).id)
    store.add_dependency(ids[0], ids[1])
    return store, launch, ids[1]


@pytest.fixture
def scheduled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The projects the markers schedule themselves (``project_finish`` calls)."""
    calls: list[int] = []
    real = calendar_data.project_finish

    def counting(store_: object, project: Container) -> date | None:
        calls.append(project.id)
        return real(store_, project)  # type: ignore[arg-type]

    monkeypatch.setattr(calendar_data, "project_finish", counting)
    return calls


def test_a_projects_finish_is_kept_until_the_project_changes(
    tmp_path: Path, scheduled: list[int]
) -> None:
    """Markers are recomputed per store version, but a project is scheduled again only
    when it or its items changed (not after a write elsewhere in the store)."""
    store, launch, build = _launch_with_two_tasks(tmp_path / "markers.db")
    cache = calendar_data.MarkerCache()

    def finish() -> date:
        markers = cache.get(store, CalendarScope())
        assert markers is not None
        return next(m.first for m in markers if m.kind is EntryKind.PROJECT_FINISH)

    first = finish()
    assert scheduled == [launch]
    unrelated = ParsedItem(title="unrelated", project="Ops")
    unrelated.given = {"title", "project"}
    store.add_item(unrelated)  # the store's version moves; the project's items do not
    assert finish() == first and scheduled == [launch]
    store.update_item(build, {"duration_days": 6.0})
    later = finish()
    assert scheduled == [launch, launch] and later > first
    store.close()


def test_a_plan_the_gantt_or_portfolio_read_is_not_read_again_for_markers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from taskdesk.ui import gantt_data

    store = open_store(str(tmp_path / "shared.db"), actor="me")
    launch = store.save_project("Launch", start=date(2026, 11, 2)).id
    parsed = ParsedItem(title="design", project="Launch", duration_days=2.0)
    parsed.given = {"title", "project", "duration_days"}
    store.add_item(parsed)
    reads: list[int] = []
    real = store.project_plan

    def counting(project: int | str) -> object:
        reads.append(int(project))
        return real(project)

    monkeypatch.setattr(store, "project_plan", counting)
    gantt_data.project_plan_at(store, launch, store.data_version())  # the portfolio's read
    plan = calendar_data.read_project(store, launch)
    assert reads == [launch]
    assert plan.schedule is not None and plan.schedule.finish == date(2026, 11, 3)
    parsed = ParsedItem(title="build", project="Launch", duration_days=3.0)
    parsed.given = {"title", "project", "duration_days"}
    store.add_item(parsed)  # a new version: read anew
    calendar_data.read_project(store, launch)
    assert reads == [launch, launch]
    store.close()


def test_a_finish_the_portfolio_or_gantt_computed_is_not_scheduled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheduled: list[int]
) -> None:
    """``learn_finish`` hands the markers what the portfolio (or the Gantt) scheduled:
    the same finish as the markers' own computation, kept under the same fingerprint."""
    from taskdesk.ui.gantt_data import plan_from, read_inputs

    store, launch, build = _launch_with_two_tasks(tmp_path / "learn.db")
    own = calendar_data.project_finish(store, store.get_container(launch))
    cache = calendar_data.MarkerCache()
    monkeypatch.setattr(calendar_data, "MARKERS", cache)
    scheduled.clear()  # (the reference finish above)
    inputs = read_inputs(store, launch)
    assert inputs.fingerprinted
    calendar_data.learn_finish(store, inputs, plan_from(inputs))
    markers = cache.get(store, CalendarScope())
    assert markers is not None
    finish = next(m.first for m in markers if m.kind is EntryKind.PROJECT_FINISH)
    assert finish == own == date(2026, 11, 6)
    assert scheduled == []  # learned, not scheduled
    store.update_item(build, {"duration_days": 6.0})  # the project changed: schedule it
    markers = cache.get(store, CalendarScope())
    assert markers is not None
    assert scheduled == [launch]
    assert next(m.first for m in markers if m.kind is EntryKind.PROJECT_FINISH) > finish
    store.close()


def test_a_write_between_the_reads_leaves_nothing_to_learn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit landing between the version read and the fingerprint read could pair a
    newer fingerprint with an older plan (a stale finish kept): such inputs are not
    fingerprinted, and learning from them is a no-op."""
    from taskdesk.ui.gantt_data import plan_from, read_inputs

    store, launch, build = _launch_with_two_tasks(tmp_path / "race.db")
    real = store.plan_fingerprints

    def with_a_write_first(project_ids: list[int]) -> object:
        store.update_item(build, {"duration_days": 4.0})  # someone else's commit
        return real(project_ids)

    monkeypatch.setattr(store, "plan_fingerprints", with_a_write_first)
    inputs = read_inputs(store, launch)
    monkeypatch.undo()
    assert not inputs.fingerprinted
    cache = calendar_data.MarkerCache()
    monkeypatch.setattr(calendar_data, "MARKERS", cache)
    calendar_data.learn_finish(store, inputs, plan_from(inputs))
    assert cache._finish == {}
    store.close()
