"""``urgency_total`` and ``rank_totals``: the same numbers and order, without the breakdown.

``taskdesk list`` ranks whole stores with these; they must equal ``urgency().total`` and
``rank_by_urgency`` exactly (the same float, not an approximation), for Items and for
the listed rows the store's bulk read returns.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from taskdesk.domain.listing import listed
from taskdesk.domain.model import Item, Priority, StatusCategory
from taskdesk.domain.urgency import (
    UrgencyWeights,
    rank_by_urgency,
    rank_totals,
    urgency,
    urgency_total,
)

NOW = datetime(2026, 11, 25, 10, 30)

moments = st.none() | st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31))
WEIGHT_NAMES = "due blocking priority_high priority_medium priority_low started scheduled age"
weights = st.builds(
    UrgencyWeights,
    **{
        name: st.floats(-20, 20) | st.just(0.0)
        for name in (WEIGHT_NAMES + " tags project waiting blocked").split()
    },
    age_max_days=st.sampled_from([0.0, 1.0, 365.0, 1000.5]),
)
items = st.builds(
    Item,
    id=st.integers(1, 60),
    uuid=st.just("u"),
    title=st.just("t"),
    status_id=st.just(1),
    status=st.just("s"),
    category=st.sampled_from(StatusCategory),
    priority=st.none() | st.sampled_from(Priority),
    due=moments,
    start=moments,
    wait=moments,
    created=moments,
    project=st.none() | st.just("P"),
    tags=st.lists(st.just("x"), max_size=4).map(tuple),
    blocked=st.booleans(),
    blocking=st.booleans(),
)


@given(item=items, weights=st.none() | weights)
def test_the_total_is_urgency_total_exactly(item: Item, weights: UrgencyWeights | None) -> None:
    expected = urgency(item, now=NOW, weights=weights).total
    assert urgency_total(item, now=NOW, weights=weights) == expected
    assert urgency_total(listed(item), now=NOW, weights=weights) == expected


@given(batch=st.lists(items, max_size=30), weights=st.none() | weights)
def test_rank_totals_orders_as_rank_by_urgency(
    batch: list[Item], weights: UrgencyWeights | None
) -> None:
    former = [(item, urg.total) for item, urg in rank_by_urgency(batch, now=NOW, weights=weights)]
    assert rank_totals(batch, now=NOW, weights=weights) == former
    rows = rank_totals([listed(item) for item in batch], now=NOW, weights=weights)
    assert rows == [(listed(item), total) for item, total in former]


def test_known_totals_and_tie_breaks() -> None:
    def item(id_: int, **fields: object) -> Item:
        base: dict[str, object] = {
            "uuid": "u",
            "title": "t",
            "status_id": 1,
            "status": "To do",
            "category": StatusCategory.UNSTARTED,
        }
        return Item(id=id_, **{**base, **fields})  # type: ignore[arg-type]

    due = NOW + timedelta(days=2)
    batch = [
        item(5),
        item(4, due=due),
        item(3, priority=Priority.HIGH),
        item(2),
        item(1, category=StatusCategory.COMPLETED, priority=Priority.HIGH),
        item(6, due=NOW + timedelta(days=1)),
    ]
    ranked = [(row.id, round(total, 6)) for row, total in rank_totals(batch, now=NOW)]
    due_1 = round(12.0 * ((-1 + 14) * 0.8 / 21 + 0.2), 6)
    due_2 = round(12.0 * ((-2 + 14) * 0.8 / 21 + 0.2), 6)
    assert ranked == [(6, due_1), (4, due_2), (3, 6.0), (1, 0.0), (2, 0.0), (5, 0.0)]
