"""Who belongs to a project, as the store lists it (``store.members(project)``).

A project restricted to its members is seen only by its owner and the people listed
here; see docs/shared-stores.md for what that guarantees on each backend.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_ROLE", "Member"]

#: The role given when none is named (the role is a label; every member sees the same).
DEFAULT_ROLE = "member"


@dataclass(frozen=True, slots=True)
class Member:
    """A person's membership of a project."""

    login: str
    role: str = DEFAULT_ROLE
    display_name: str = ""
