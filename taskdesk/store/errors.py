"""Typed store errors: every failure the UI or CLI must word for a person."""

from __future__ import annotations


class StoreError(Exception):
    """Base class: something about the store went wrong; ``str()`` is a sentence for users."""


class NotFound(StoreError):
    """An id, uuid or name that does not exist (CLI exit code 2)."""


class ValidationError(StoreError):
    """A value the store refuses (CLI exit code 2): an empty title, a hard WIP limit."""


class PermissionDenied(ValidationError):
    """The store refuses this actor the change: a members-only project, not its owner."""


class DependencyCycle(ValidationError):
    """A new link would close a cycle; ``cycle`` lists the item ids on it."""

    def __init__(self, message: str, cycle: list[int]) -> None:
        super().__init__(message)
        self.cycle = cycle


class StaleWrite(StoreError):
    """The item changed since it was read (its version moved on); nothing was written."""

    def __init__(self, message: str, item_id: int, expected: int, actual: int) -> None:
        super().__init__(message)
        self.item_id = item_id
        self.expected = expected
        self.actual = actual


class StoreLocked(StoreError):
    """The database stayed locked past the busy timeout and retries."""


class StoreUnavailable(StoreError):
    """The database could not be opened: corrupt, unreadable, wrong path, bad URL."""


class StoreReadOnly(StoreError):
    """The store was opened read-only (a read-only file or directory); nothing was written."""


class UndoRefused(StoreError):
    """Nothing to undo/redo, or the item was changed by someone else since."""
