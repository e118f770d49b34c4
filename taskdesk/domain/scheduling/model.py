"""What the scheduler reads: tasks, links, and the errors bad input raises.

These are deliberately separate from the store's ``Item``: the scheduler sees only the
facts CPM and leveling need (algorithms.md), in working days, so it can be tested and
benchmarked without a database, and the importer, the CLI and the Gantt screen can all
feed it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from taskdesk.domain.model import LinkType

__all__ = ["CycleError", "Link", "LinkType", "ScheduleError", "Task"]


@dataclass(frozen=True)
class Task:
    """One task of a project plan, as the scheduler sees it.

    ``duration`` is in working days; a ``milestone`` always has duration 0 (whatever
    ``duration`` says), and so does any task with ``duration == 0``. A task that is the
    ``parent_id`` of another is a *summary*: its dates span its children and its own
    ``duration``, ``pinned_start`` and ``leveling_delay`` are ignored.
    ``pinned_start`` makes the task manually scheduled (MS Project's term): it starts
    exactly there and links do not move it. ``leveling_delay`` (working days) is what
    resource leveling added to the start; it is stored so it can be cleared.
    ``assignments`` are ``(login, units)`` pairs, 1.0 = full time.
    """

    id: int
    key: str = ""
    title: str = ""
    duration: int = 0
    milestone: bool = False
    parent_id: int | None = None
    start_no_earlier: date | None = None
    deadline: date | None = None
    pinned_start: date | None = None
    percent_complete: float = 0.0
    priority: int = 0
    assignments: tuple[tuple[str, float], ...] = ()
    leveling_delay: int = 0
    effort_hours: float | None = None
    cost: float | None = None

    @property
    def name(self) -> str:
        """How messages name the task: its title, else its key, else ``#id``."""
        return self.title or self.key or f"#{self.id}"


@dataclass(frozen=True)
class Link:
    """``predecessor`` → ``successor`` of a link type, lag in working days (< 0: lead)."""

    predecessor: int
    successor: int
    type: LinkType = LinkType.FS
    lag: int = 0

    def label(self) -> str:
        """The plan-file spelling of type and lag: ``FS``, ``SS+2d``, ``FF-1d``."""
        if self.lag == 0:
            return str(self.type.value)
        return f"{self.type.value}{self.lag:+d}d"


class ScheduleError(ValueError):
    """Input the scheduler refuses (unknown id, negative duration, a link into a subtask
    from its own summary…); ``task_id`` names the task at fault when there is one, so an
    importer can point at the right line of a plan file."""

    def __init__(self, message: str, task_id: int | None = None) -> None:
        super().__init__(message)
        self.task_id = task_id


class CycleError(ValueError):
    """The links form a loop: ``cycle`` is the ids on one loop, in link order.

    algorithms.md: on a cycle, stop and report it (never loop, never guess), so nothing
    else is computed. The cycle starts at its smallest id, so the message is stable.
    """

    def __init__(self, cycle: list[int]) -> None:
        shown = " → ".join(str(i) for i in [*cycle, cycle[0]]) if cycle else ""
        super().__init__(f"dependency cycle: {shown}")
        self.cycle = cycle
