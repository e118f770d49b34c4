"""A saved baseline of a project, as the store lists it.

algorithms.md ("Baselines and variance"): a project keeps several named baselines,
each a frozen copy of every task's start, finish, duration and cost. The copy itself
is the engine's :class:`taskdesk.domain.scheduling.baseline.BaselineTask`; this is the
baseline's header (``store.baselines(project)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Baseline"]


@dataclass(frozen=True)
class Baseline:
    """A named baseline of a project: when and by whom it was saved."""

    id: int
    project_id: int
    name: str
    saved_at: datetime
    saved_by: str
