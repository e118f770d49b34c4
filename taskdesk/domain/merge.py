"""Three-way merge of one item's fields: your edit against someone else's newer save.

When a save is refused because the item moved on (its version changed), the edit is not
lost: fields only you changed are applied on top of their version automatically, fields
you both changed to different values are conflicts for the user to settle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class MergeResult:
    """``apply`` can be saved as is; ``conflicts`` maps a field to (theirs, yours)."""

    apply: dict[str, object] = field(default_factory=dict)
    conflicts: dict[str, tuple[object, object]] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        """No field needs a decision."""
        return not self.conflicts


def merge_fields(
    original: Mapping[str, object],
    theirs: Mapping[str, object],
    mine: Mapping[str, object],
) -> MergeResult:
    """Merge ``mine`` (the fields you changed, new values) into ``theirs``.

    ``original`` is what you saw when you started editing. A field you changed that they
    left alone is applied; one you both set to the same value needs nothing; one you both
    changed differently is a conflict.
    """
    apply: dict[str, object] = {}
    conflicts: dict[str, tuple[object, object]] = {}
    for key, value in mine.items():
        base, current = original.get(key), theirs.get(key)
        if current == value:
            continue
        if current == base:
            apply[key] = value
        else:
            conflicts[key] = (current, value)
    return MergeResult(apply, conflicts)
