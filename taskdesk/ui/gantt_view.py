"""What the Gantt chart draws, as plain data that can be kept between sessions.

Why a module of its own, without Textual: a 10,000-task project takes about a second to
read and schedule, but what the chart *draws* (a row per task, the title line, each
task's neighbours) is small and changes only when the store does. A
:class:`GanttView` is that drawing data; :mod:`taskdesk.ui.plan_cache` keeps it (in
memory and in the user cache directory) under the store's state, so the next opening of
the same project, in this session or the next, shows it at once. Its rows are decoded
one at a time (:class:`GanttRows`), when the chart draws them: only the rows on screen.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, overload

from taskdesk.ui import plan_cache

if TYPE_CHECKING:
    from taskdesk.domain.scheduling import WorkCalendar
    from taskdesk.store import Store
    from taskdesk.ui.gantt_data import PlanInputs


@dataclass(frozen=True, slots=True)
class GanttRow:
    """One task as the chart draws it (plain data handed over by the screen)."""

    task_id: int
    depth: int
    title: str
    duration: int
    start: date
    finish: date
    total_float: int
    critical: bool = False
    milestone: bool = False
    summary: bool = False
    percent: float = 0.0
    overallocated: bool = False
    done: bool = False
    baseline_start: date | None = None
    baseline_finish: date | None = None


#: The flags of a row, one bit each, in the order :func:`encode_row` packs them.
_FLAGS = ("critical", "milestone", "summary", "overallocated", "done")


def encode_row(row: GanttRow) -> str:
    """A row as one short line of text: numbers (dates as ordinals, the flags as one
    number, 0 for no baseline) separated by spaces, then the title (which may hold
    spaces: it comes last). One string per row parses several times faster from JSON
    than a list of fields, and a kept view is read while the app starts."""
    flags = sum(1 << bit for bit, name in enumerate(_FLAGS) if getattr(row, name))
    numbers = (
        row.task_id,
        row.depth,
        row.duration,
        row.start.toordinal(),
        row.finish.toordinal(),
        row.total_float,
        flags,
        row.baseline_start.toordinal() if row.baseline_start else 0,
        row.baseline_finish.toordinal() if row.baseline_finish else 0,
    )
    return " ".join(map(str, numbers)) + f" {row.percent!r} {row.title}"


def decode_row(data: str) -> GanttRow:
    """The row :func:`encode_row` wrote. Raises ValueError/TypeError on junk."""
    if not isinstance(data, str):
        raise TypeError("a row is stored as text")
    fields = data.split(" ", 10)
    if len(fields) != 11:
        raise ValueError("a row has eleven fields")
    title = fields.pop()
    percent = float(fields.pop())
    task_id, depth, duration, start, finish, total_float, flags, base_start, base_finish = (
        int(field) for field in fields
    )
    bits = {name: bool(flags >> bit & 1) for bit, name in enumerate(_FLAGS)}
    return GanttRow(
        task_id=task_id,
        depth=depth,
        title=title,
        duration=duration,
        start=date.fromordinal(start),
        finish=date.fromordinal(finish),
        total_float=total_float,
        percent=percent,
        baseline_start=date.fromordinal(base_start) if base_start else None,
        baseline_finish=date.fromordinal(base_finish) if base_finish else None,
        **bits,
    )


class GanttRows(Sequence[GanttRow]):
    """The chart's rows: decoded from their stored form on first access, one by one.

    Why: building 10,000 row objects costs tens of milliseconds the first frame does
    not need; the chart draws about forty of them. ``ids`` (every row's task id, in
    order) is all the chart needs of the others.
    """

    __slots__ = ("_decoded", "_encoded", "ids")

    def __init__(self, ids: list[int], encoded: Sequence[str] | None = None) -> None:
        self.ids = ids
        self._encoded = encoded
        self._decoded: list[GanttRow | None] = [None] * len(ids)

    @classmethod
    def of(cls, rows: Sequence[GanttRow]) -> GanttRows:
        """Rows already built (a schedule computed in this process)."""
        if isinstance(rows, GanttRows):
            return rows
        out = cls([row.task_id for row in rows])
        out._decoded = list(rows)
        return out

    @classmethod
    def stored(cls, ids: list[int], encoded: Sequence[str]) -> GanttRows:
        """Rows in :func:`encode_row` form (and their ids), decoded when drawn."""
        if len(ids) != len(encoded):
            raise ValueError("one id per row")
        return cls(ids, encoded)

    def encoded(self) -> list[str]:
        """Every row in :func:`encode_row` form (for the cache)."""
        if self._encoded is not None:
            return list(self._encoded)
        return [encode_row(self[index]) for index in range(len(self))]

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> GanttRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[GanttRow]: ...

    def __getitem__(self, index: int | slice) -> GanttRow | list[GanttRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        row = self._decoded[index]
        if row is None:
            assert self._encoded is not None  # built rows are all decoded
            row = decode_row(self._encoded[index])
            self._decoded[index] = row
        return row

    def __iter__(self) -> Iterator[GanttRow]:
        return (self[index] for index in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GanttRows):
            return NotImplemented
        return self.ids == other.ids and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


class _Neighbours(Sequence[Sequence[int]]):
    """Each row's neighbours as stored (``"12 45"``), parsed when asked for."""

    __slots__ = ("_stored",)

    def __init__(self, stored: list[str]) -> None:
        if not all(isinstance(text, str) for text in stored):
            raise TypeError("neighbours are stored as text")
        self._stored = stored

    def __len__(self) -> int:
        return len(self._stored)

    @overload
    def __getitem__(self, index: int) -> Sequence[int]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Sequence[int]]: ...

    def __getitem__(self, index: int | slice) -> Sequence[int] | Sequence[Sequence[int]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return [int(part) for part in self._stored[index].split()]


def encode_neighbours(neighbours: Sequence[Sequence[int]]) -> list[str]:
    """Each row's neighbours as one string (see :class:`_Neighbours`)."""
    return [" ".join(map(str, ids)) for ids in neighbours]


@dataclass(frozen=True, slots=True)
class GanttView:
    """Everything the Gantt screen draws for one project, without the plan behind it.

    ``neighbours`` is aligned with ``rows``: each row's direct predecessors and
    successors (the ``»`` marks), so the cursor never scans the links.
    """

    project_id: int
    name: str
    start: date
    finish: date | None
    deadline: date | None
    workdays: frozenset[int]
    holidays: frozenset[date]
    rows: GanttRows
    neighbours: Sequence[Sequence[int]] = ()
    over_days: dict[str, int] = field(default_factory=dict)
    error: str = ""
    baseline_name: str | None = None

    def related(self, index: int | None) -> set[int]:
        """The direct predecessors and successors of the row at ``index``."""
        if index is None or not 0 <= index < len(self.neighbours):
            return set()
        return set(self.neighbours[index])

    def calendar(self) -> WorkCalendar:
        """The project's working calendar (for variances in working days)."""
        from taskdesk.domain.scheduling import WorkCalendar

        return WorkCalendar(workdays=self.workdays, holidays=self.holidays)


# ------------------------------------------------------------ kept views, read
def _day(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, int):
        raise TypeError("a day is stored as an ordinal")
    return date.fromordinal(value)


def decode_view(data: object) -> GanttView | None:
    """The view :func:`encode_view` wrote; None for anything else (a damaged file)."""
    try:
        assert isinstance(data, dict)
        ids, rows, neighbours = data["ids"], data["rows"], data["neighbours"]
        assert isinstance(rows, list) and isinstance(neighbours, list)
        assert isinstance(ids, list) and all(type(i) is int for i in ids)
        assert len(neighbours) == len(rows)
        start = _day(data["start"])
        assert start is not None
        view = GanttView(
            project_id=int(data["project"]),
            name=str(data["name"]),
            start=start,
            finish=_day(data["finish"]),
            deadline=_day(data["deadline"]),
            workdays=frozenset(int(day) for day in data["workdays"]),
            holidays=frozenset(date.fromordinal(int(day)) for day in data["holidays"]),
            rows=GanttRows.stored(ids, rows),
            neighbours=_Neighbours(neighbours),
            over_days={str(k): int(v) for k, v in dict(data["over"]).items()},
            error=str(data["error"]),
        )
        if rows:
            decode_row(rows[0])  # a first row that decodes: the format is right
    except (AssertionError, KeyError, TypeError, ValueError, IndexError, OverflowError):
        return None
    return view


def view_slot(store: Store, project_id: int) -> str:
    """The cache slot of a project's Gantt in this store for this user."""
    return plan_cache.slot_name("gantt", store.location, store.actor, project_id)


def view_key(
    store: Store, project_id: int, marks: tuple[int, int], *, threshold: int, today: date
) -> list[Any]:
    """Everything a Gantt view depends on: the store's state (``marks``: data_version
    and latest action id, read before the plan), the project, the critical-float
    setting and today (the start of an undated project)."""
    version, action = marks
    return [store.location, store.actor, project_id, version, action, threshold, str(today)]


def cached_view(
    store: Store, project_id: int, marks: tuple[int, int], *, threshold: int, today: date
) -> GanttView | None:
    """The project's view computed at exactly this state, if one was kept."""
    key = view_key(store, project_id, marks, threshold=threshold, today=today)
    payload = plan_cache.load(view_slot(store, project_id), key)
    return decode_view(payload) if payload is not None else None


@dataclass(frozen=True, slots=True)
class GanttRead:
    """What one read for the Gantt found: nothing new (``changed`` False), a view kept
    from an earlier computation at this very state, or the inputs to schedule."""

    changed: bool
    view: GanttView | None = None
    inputs: PlanInputs | None = None
    #: The store's data_version and latest action id, read before anything else.
    marks: tuple[int, int] = (-1, 0)
    today: date = field(default_factory=date.today)


def read_gantt(
    store: Store,
    project_id: int,
    *,
    baseline_id: int | None = None,
    threshold: int = 0,
    full: bool = False,
) -> GanttRead:
    """The kept view of the project at the store's current state, else (or when
    ``full``: an edit needs the plan itself) the inputs to schedule."""
    today = date.today()
    marks = (store.data_version(), store.latest_action_id())
    if not full and baseline_id is None:
        view = cached_view(store, project_id, marks, threshold=threshold, today=today)
        if view is not None:
            return GanttRead(True, view=view, marks=marks, today=today)
    from taskdesk.ui.gantt_data import read_inputs  # the scheduler's side: only on a miss

    inputs = read_inputs(store, project_id, baseline_id=baseline_id, marks=marks)
    return GanttRead(True, inputs=inputs, marks=marks, today=inputs.today)


def begin_first_read(store: Store, project_id: int, *, threshold: int = 0) -> Future[GanttRead]:
    """Start :func:`read_gantt` in a thread of its own, before Textual is imported.

    Why: like the Board's first read (``taskdesk.ui.board_read``), the Gantt's first
    read overlaps the import of Textual, so a project opened before shows in the first
    frame. The thread has its own store connection and reads only.
    """
    future: Future[GanttRead] = Future()

    def run() -> None:
        try:
            future.set_result(read_gantt(store, project_id, threshold=threshold))
        except Exception as error:  # handed to whoever waits on it
            future.set_exception(error)

    threading.Thread(target=run, name="taskdesk-first-gantt", daemon=True).start()
    return future
