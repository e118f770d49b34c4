"""Urgency: Taskwarrior's terms, exact values, the breakdown and the sort order."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskdesk.domain.model import Assignment, Item, Priority, Recurrence, StatusCategory
from taskdesk.domain.urgency import (
    TERM_ORDER,
    Urgency,
    UrgencyContext,
    UrgencyTerm,
    UrgencyWeights,
    age_factor,
    due_factor,
    rank_by_urgency,
    sort_by_urgency,
    tags_factor,
    urgency,
)

NOW = datetime(2026, 11, 25, 10, 30)
DAY = timedelta(days=1)


def make_item(**overrides: Any) -> Item:
    """A fresh open item created at NOW, with nothing that adds urgency."""
    fields: dict[str, Any] = {
        "id": 1,
        "uuid": "00000000-0000-4000-8000-000000000001",
        "title": "Write the report",
        "status_id": 2,
        "status": "Todo",
        "category": StatusCategory.UNSTARTED,
        "created": NOW,
    }
    fields.update(overrides)
    return Item(**fields)


def terms_of(item: Item, **kwargs: Any) -> dict[str, UrgencyTerm]:
    return {t.name: t for t in urgency(item, now=NOW, **kwargs).terms}


def total_of(item: Item, **kwargs: Any) -> float:
    return urgency(item, now=NOW, **kwargs).total


# --- defaults -----------------------------------------------------------------------


def test_default_weights_are_taskwarriors() -> None:
    w = UrgencyWeights()
    assert (w.due, w.blocking, w.started, w.scheduled, w.age, w.age_max_days) == (
        12.0,
        8.0,
        4.0,
        5.0,
        2.0,
        365.0,
    )
    assert (w.priority_high, w.priority_medium, w.priority_low) == (6.0, 3.9, 1.8)
    assert (w.tags, w.project, w.waiting, w.blocked) == (1.0, 1.0, -3.0, -5.0)
    assert (w.critical, w.negative_float, w.sla_at_risk, w.sla_breached) == (
        10.0,
        8.0,
        6.0,
        12.0,
    )


def test_a_bare_new_item_has_no_urgency() -> None:
    assert urgency(make_item(), now=NOW) == Urgency(0.0, ())


# --- due ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "factor"),
    [
        (NOW, 14 * 0.8 / 21 + 0.2),  # due right now: 0.7333...
        (NOW - 7 * DAY, 1.0),  # 7 days overdue: saturated
        (NOW - 30 * DAY, 1.0),
        (NOW - 7 * DAY + timedelta(hours=12), (20.5 * 0.8 / 21) + 0.2),  # 6.5 days overdue
        (NOW - 3 * DAY, 17 * 0.8 / 21 + 0.2),
        (NOW + 14 * DAY, 0.2),  # 14 days ahead: the floor
        (NOW + 60 * DAY, 0.2),
        (NOW + 13 * DAY, 1 * 0.8 / 21 + 0.2),
        (NOW + 3.5 * DAY, 0.6),  # (10.5 * 0.8 / 21) + 0.2
        (NOW + 2 * DAY, 12 * 0.8 / 21 + 0.2),
        (NOW + timedelta(hours=6), (13.75 * 0.8 / 21) + 0.2),
    ],
)
def test_due_factor(due: datetime, factor: float) -> None:
    assert due_factor(due, NOW) == pytest.approx(factor)
    term = terms_of(make_item(due=due))["due"]
    assert term.factor == pytest.approx(factor)
    assert term.weight == 12.0
    assert total_of(make_item(due=due)) == pytest.approx(12.0 * factor)


def test_due_exact_totals() -> None:
    assert total_of(make_item(due=NOW)) == pytest.approx(8.8)
    assert total_of(make_item(due=NOW - 7 * DAY)) == pytest.approx(12.0)
    assert total_of(make_item(due=NOW + 14 * DAY)) == pytest.approx(2.4)
    assert total_of(make_item(due=NOW + 3.5 * DAY)) == pytest.approx(7.2)


def test_due_factor_is_continuous_at_both_ends() -> None:
    eps = timedelta(seconds=1)
    assert due_factor(NOW - 7 * DAY + eps, NOW) == pytest.approx(1.0, abs=1e-6)
    assert due_factor(NOW + 14 * DAY - eps, NOW) == pytest.approx(0.2, abs=1e-6)


def test_no_due_date_no_due_term() -> None:
    assert due_factor(None, NOW) == 0.0
    assert "due" not in terms_of(make_item())


@given(st.integers(min_value=-100 * 86400, max_value=100 * 86400))
def test_due_factor_stays_in_range_and_rises_with_lateness(offset: int) -> None:
    due = NOW + timedelta(seconds=offset)
    factor = due_factor(due, NOW)
    assert 0.2 <= factor <= 1.0
    assert due_factor(due - timedelta(hours=1), NOW) >= factor


# --- priority, tags, project ----------------------------------------------------------


@pytest.mark.parametrize(
    ("priority", "expected"),
    [(Priority.HIGH, 6.0), (Priority.MEDIUM, 3.9), (Priority.LOW, 1.8)],
)
def test_priority(priority: Priority, expected: float) -> None:
    item = make_item(priority=priority)
    assert total_of(item) == pytest.approx(expected)
    term = terms_of(item)["priority"]
    assert (term.factor, term.weight) == (1.0, expected)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [((), 0.0), (("a",), 0.8), (("a", "b"), 0.9), (("a", "b", "c"), 1.0), (tuple("abcdef"), 1.0)],
)
def test_tags(tags: tuple[str, ...], expected: float) -> None:
    assert tags_factor(len(tags)) == expected
    assert total_of(make_item(tags=tags)) == pytest.approx(expected)


def test_project() -> None:
    assert total_of(make_item(project="Mobile app launch")) == pytest.approx(1.0)
    assert total_of(make_item(project=None)) == 0.0


# --- age ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "factor"),
    [
        (timedelta(0), 0.0),
        (timedelta(hours=23), 0.0),  # Taskwarrior counts whole days
        (73 * DAY, 0.2),
        (73 * DAY + timedelta(hours=22), 0.2),
        (182.5 * DAY, 182 / 365),
        (365 * DAY, 1.0),
        (400 * DAY, 1.0),  # capped
        (-5 * DAY, 0.0),  # created in the future (clock skew)
    ],
)
def test_age(age: timedelta, factor: float) -> None:
    assert age_factor(NOW - age, NOW, 365.0) == pytest.approx(factor)
    assert total_of(make_item(created=NOW - age)) == pytest.approx(2.0 * factor)


def test_age_without_creation_time_is_zero() -> None:
    assert age_factor(None, NOW, 365.0) == 0.0
    assert total_of(make_item(created=None)) == 0.0


def test_age_max_days_changes_the_scale_and_zero_means_full() -> None:
    item = make_item(created=NOW - 10 * DAY)
    assert total_of(item, weights=UrgencyWeights(age_max_days=20.0)) == pytest.approx(1.0)
    assert total_of(item, weights=UrgencyWeights(age_max_days=0.0)) == pytest.approx(2.0)


# --- state terms ----------------------------------------------------------------------


def test_started() -> None:
    item = make_item(status="Doing", category=StatusCategory.STARTED)
    assert total_of(item) == pytest.approx(4.0)
    assert [t.name for t in urgency(item, now=NOW).terms] == ["started"]


def test_backlog_is_not_started() -> None:
    assert total_of(make_item(status="Backlog", category=StatusCategory.BACKLOG)) == 0.0


def test_scheduled_counts_once_the_date_has_passed() -> None:
    assert total_of(make_item(start=NOW - DAY)) == pytest.approx(5.0)
    assert total_of(make_item(start=NOW - timedelta(minutes=1))) == pytest.approx(5.0)
    assert total_of(make_item(start=NOW)) == 0.0  # Taskwarrior: scheduled < now
    assert total_of(make_item(start=NOW + DAY)) == 0.0


def test_waiting_only_while_wait_is_ahead() -> None:
    assert total_of(make_item(wait=NOW + DAY)) == pytest.approx(-3.0)
    assert total_of(make_item(wait=NOW - DAY)) == 0.0
    assert total_of(make_item(wait=NOW)) == 0.0


def test_blocked_and_blocking() -> None:
    assert total_of(make_item(blocked=True)) == pytest.approx(-5.0)
    assert total_of(make_item(blocking=True)) == pytest.approx(8.0)
    both = make_item(blocked=True, blocking=True)
    assert total_of(both) == pytest.approx(3.0)
    assert [t.name for t in urgency(both, now=NOW).terms] == ["blocking", "blocked"]


@pytest.mark.parametrize("category", [StatusCategory.COMPLETED, StatusCategory.CANCELLED])
def test_closed_items_have_zero_urgency_and_no_terms(category: StatusCategory) -> None:
    item = make_item(
        category=category,
        status="Done",
        priority=Priority.HIGH,
        due=NOW - 30 * DAY,
        tags=("a", "b", "c"),
        project="P",
        blocking=True,
        created=NOW - 400 * DAY,
    )
    ctx = UrgencyContext(critical=True, sla="breached")
    assert urgency(item, now=NOW, context=ctx) == Urgency(0.0, ())


def test_fields_that_do_not_count() -> None:
    item = make_item(
        assignees=(Assignment("alice"),),
        milestone=True,
        recurrence=Recurrence("FREQ=DAILY"),
        notes="long notes",
        estimate_minutes=90,
    )
    assert total_of(item) == 0.0


# --- weights and context ----------------------------------------------------------------


def test_custom_weights() -> None:
    weights = UrgencyWeights(due=0.0, priority_high=10.0, tags=2.5, project=0.0)
    item = make_item(priority=Priority.HIGH, due=NOW, tags=("x",), project="P")
    result = urgency(item, now=NOW, weights=weights)
    assert result.total == pytest.approx(10.0 + 0.8 * 2.5)
    assert [t.name for t in result.terms] == ["priority", "tags"]  # zero weights drop out


def test_negative_custom_weight() -> None:
    weights = UrgencyWeights(project=-2.0)
    assert total_of(make_item(project="P"), weights=weights) == pytest.approx(-2.0)


@pytest.mark.parametrize(
    ("context", "name", "expected"),
    [
        (UrgencyContext(critical=True), "critical", 10.0),
        (UrgencyContext(negative_float=True), "negative_float", 8.0),
        (UrgencyContext(sla="at_risk"), "sla_at_risk", 6.0),
        (UrgencyContext(sla="breached"), "sla_breached", 12.0),
    ],
)
def test_context_terms(context: UrgencyContext, name: str, expected: float) -> None:
    result = urgency(make_item(), now=NOW, context=context)
    assert result.total == pytest.approx(expected)
    assert [(t.name, t.factor, t.weight) for t in result.terms] == [(name, 1.0, expected)]


@pytest.mark.parametrize("sla", ["ok", "met", None])
def test_sla_ok_or_met_adds_nothing(sla: str | None) -> None:
    assert total_of(make_item(), context=UrgencyContext(sla=sla)) == 0.0


def test_unknown_sla_state_is_refused() -> None:
    with pytest.raises(ValueError, match="late"):
        UrgencyContext(sla="late")


def test_context_weights_are_configurable() -> None:
    weights = UrgencyWeights(critical=1.5, sla_breached=0.0)
    ctx = UrgencyContext(critical=True, sla="breached")
    result = urgency(make_item(), now=NOW, weights=weights, context=ctx)
    assert result.total == pytest.approx(1.5)
    assert [t.name for t in result.terms] == ["critical"]


# --- the breakdown ------------------------------------------------------------------


def test_everything_at_once_exact_breakdown() -> None:
    item = make_item(
        priority=Priority.HIGH,
        due=NOW + 2 * DAY,
        tags=("ops", "web"),
        project="Mobile app launch",
        created=NOW - 36 * DAY - timedelta(hours=5),
        status="Doing",
        category=StatusCategory.STARTED,
        start=NOW - DAY,
        blocking=True,
        blocked=True,
        wait=NOW + DAY,
    )
    ctx = UrgencyContext(critical=True, negative_float=True, sla="at_risk")
    result = urgency(item, now=NOW, context=ctx)
    expected = [
        ("due", 12 * 0.8 / 21 + 0.2, 12.0),
        ("priority", 1.0, 6.0),
        ("blocking", 1.0, 8.0),
        ("started", 1.0, 4.0),
        ("scheduled", 1.0, 5.0),
        ("age", 36 / 365, 2.0),
        ("tags", 0.9, 1.0),
        ("project", 1.0, 1.0),
        ("waiting", 1.0, -3.0),
        ("blocked", 1.0, -5.0),
        ("critical", 1.0, 10.0),
        ("negative_float", 1.0, 8.0),
        ("sla_at_risk", 1.0, 6.0),
    ]
    assert [t.name for t in result.terms] == [name for name, _, _ in expected]
    for term, (_, factor, weight) in zip(result.terms, expected, strict=True):
        assert term.factor == pytest.approx(factor)
        assert term.weight == weight
    want = sum(f * w for _, f, w in expected)
    assert result.total == pytest.approx(want)
    assert result.total == pytest.approx(7.885714 + 6 + 8 + 4 + 5 + 0.197260 + 0.9 + 1 - 3 - 5 + 24)
    assert result.display == round(result.total, 2) == 48.98


def test_contribution_is_factor_times_weight() -> None:
    term = UrgencyTerm("tags", 0.9, 2.0)
    assert term.contribution == pytest.approx(1.8)


def test_display_rounds_to_two_decimals() -> None:
    assert urgency(make_item(due=NOW), now=NOW).display == 8.8
    assert urgency(make_item(due=NOW + 2 * DAY), now=NOW).display == 7.89


ITEMS = st.builds(
    make_item,
    priority=st.none() | st.sampled_from(list(Priority)),
    due=st.none() | st.integers(-40, 40).map(lambda h: NOW + h * timedelta(hours=13)),
    start=st.none() | st.integers(-5, 5).map(lambda d: NOW + d * DAY),
    wait=st.none() | st.integers(-5, 5).map(lambda d: NOW + d * DAY),
    created=st.none() | st.integers(0, 500).map(lambda d: NOW - d * DAY),
    tags=st.lists(st.sampled_from("abcde"), max_size=4, unique=True).map(tuple),
    project=st.none() | st.just("P"),
    category=st.sampled_from(list(StatusCategory)),
    blocked=st.booleans(),
    blocking=st.booleans(),
)
CONTEXTS = st.builds(
    UrgencyContext,
    critical=st.booleans(),
    negative_float=st.booleans(),
    sla=st.none() | st.sampled_from(["ok", "at_risk", "breached", "met"]),
)


@given(ITEMS, CONTEXTS)
def test_breakdown_sums_to_total_in_fixed_order(item: Item, context: UrgencyContext) -> None:
    result = urgency(item, now=NOW, context=context)
    assert result.total == sum(t.contribution for t in result.terms)
    assert all(t.contribution != 0.0 for t in result.terms)
    names = [t.name for t in result.terms]
    assert names == sorted(names, key=TERM_ORDER.index)
    if item.category.is_closed:
        assert result == Urgency(0.0, ())


# --- sorting ------------------------------------------------------------------------


def test_sort_most_urgent_first() -> None:
    low = make_item(id=1, priority=Priority.LOW)
    high = make_item(id=2, priority=Priority.HIGH)
    overdue = make_item(id=3, due=NOW - 10 * DAY)
    blocked = make_item(id=4, blocked=True)
    plain = make_item(id=5)
    ordered = sort_by_urgency([low, blocked, plain, high, overdue], now=NOW)
    assert [i.id for i in ordered] == [3, 2, 1, 5, 4]


def test_rank_gives_the_same_order_with_each_score() -> None:
    items = [
        make_item(id=1, priority=Priority.LOW),
        make_item(id=2, priority=Priority.HIGH, due=NOW + 2 * DAY),
        make_item(id=3, due=NOW - 10 * DAY),
        make_item(id=4, blocked=True),
        make_item(id=5, tags=("a",)),
    ]
    ranked = rank_by_urgency(items, now=NOW)
    assert [i.id for i, _ in ranked] == [i.id for i in sort_by_urgency(items, now=NOW)]
    totals = [score.total for _, score in ranked]
    assert totals == sorted(totals, reverse=True) and len(set(totals)) == 5
    assert all(score == urgency(item, now=NOW) for item, score in ranked)


def test_sort_ties_go_to_the_earlier_due_then_none_then_id() -> None:
    # Equal urgency (due beyond 14 days gives the same 0.2 factor), different dues.
    a = make_item(id=7, due=NOW + 40 * DAY)
    b = make_item(id=3, due=NOW + 20 * DAY)
    c = make_item(id=2, due=NOW + 20 * DAY)
    # Equal urgency without due dates: a project (1.0) and three tags (1.0).
    d = make_item(id=9, project="P")
    e = make_item(id=4, tags=("x", "y", "z"))
    items = [a, b, c, d, e]
    assert [i.id for i in sort_by_urgency(items, now=NOW)] == [2, 3, 7, 4, 9]


def test_sort_is_deterministic_for_any_input_order() -> None:
    items = [
        make_item(id=1),
        make_item(id=2),
        make_item(id=3, due=NOW + 30 * DAY),
        make_item(id=4, due=NOW + 20 * DAY),
        make_item(id=5, priority=Priority.MEDIUM),
    ]
    expected = [5, 4, 3, 1, 2]  # M 3.9 > due far away 2.4 (tie: earlier due) > 0 (tie: id)
    for perm in itertools.permutations(items):
        assert [i.id for i in sort_by_urgency(perm, now=NOW)] == expected


def test_sort_uses_weights_and_contexts() -> None:
    a = make_item(id=1, priority=Priority.HIGH)
    b = make_item(id=2, tags=("x",))
    assert [i.id for i in sort_by_urgency([a, b], now=NOW)] == [1, 2]
    weights = UrgencyWeights(tags=100.0)
    assert [i.id for i in sort_by_urgency([a, b], now=NOW, weights=weights)] == [2, 1]
    contexts = {2: UrgencyContext(sla="breached")}
    assert [i.id for i in sort_by_urgency([a, b], now=NOW, contexts=contexts)] == [2, 1]


def test_sort_puts_closed_items_last_among_positive_ones() -> None:
    done = make_item(id=1, category=StatusCategory.COMPLETED, priority=Priority.HIGH)
    todo = make_item(id=2, priority=Priority.LOW)
    assert [i.id for i in sort_by_urgency([done, todo], now=NOW)] == [2, 1]


@given(st.lists(ITEMS, max_size=8))
def test_sort_is_a_descending_permutation(items: list[Item]) -> None:
    items = [replace(item, id=n) for n, item in enumerate(items)]
    ordered = sort_by_urgency(items, now=NOW)
    assert sorted(i.id for i in ordered) == sorted(i.id for i in items)
    totals = [urgency(i, now=NOW).total for i in ordered]
    assert totals == sorted(totals, reverse=True)
    assert sort_by_urgency(list(reversed(items)), now=NOW) == ordered
