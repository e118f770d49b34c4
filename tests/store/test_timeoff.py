"""People's time off: recorded, listed, removed; bad ranges refused."""

from __future__ import annotations

from datetime import date

import pytest

from taskdesk.store import Store
from taskdesk.store.errors import NotFound, ValidationError


def test_add_list_and_remove(store: Store) -> None:
    ski = store.add_time_off("alice", date(2026, 1, 12), date(2026, 1, 16), "ski trip")
    store.add_time_off("bob", date(2026, 2, 2), date(2026, 2, 2))
    store.add_time_off("alice", date(2026, 3, 2), date(2026, 3, 3))
    everyone = store.time_off()
    assert [(t.login, t.start, t.end) for t in everyone] == [
        ("alice", date(2026, 1, 12), date(2026, 1, 16)),
        ("alice", date(2026, 3, 2), date(2026, 3, 3)),
        ("bob", date(2026, 2, 2), date(2026, 2, 2)),
    ]
    assert everyone[0].reason == "ski trip" and len(list(everyone[0].days())) == 5
    assert [t.login for t in store.time_off(["bob"])] == ["bob"]
    assert "alice" in {p.login for p in store.people()}  # created on first use
    store.remove_time_off(ski.id)
    assert len(store.time_off(["alice"])) == 1
    with pytest.raises(NotFound):
        store.remove_time_off(ski.id)


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (date(2026, 1, 16), date(2026, 1, 12), "ends"),
        (date(2026, 1, 1), date(2027, 6, 1), "more than"),
    ],
)
def test_bad_ranges_are_refused(store: Store, start: date, end: date, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        store.add_time_off("alice", start, end)
    assert store.time_off() == []
