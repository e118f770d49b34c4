"""What other people just did: the news line of a live, shared store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ActionNote:
    """One user action as the status bar reports it: who did what, when."""

    id: int
    actor: str
    description: str
    at: datetime

    def sentence(self) -> str:
        """``bob: Move 'Fix login' to Review`` — short enough for one status line."""
        return f"{self.actor}: {self.description}" if self.description else self.actor
