"""Urgency: what "urgency-sorted" means, and why an item sits where it does.

Urgency is Taskwarrior's weighted sum ("a polynomial", in its words): each term maps one
fact about an item to a factor between 0 and 1, multiplies it by a configurable weight
(Taskwarrior's "coefficient"), and the terms are added up. taskdesk keeps every term so
``taskdesk show`` and the item panel can explain the number instead of just showing it.

The factors follow Taskwarrior's source, ``src/Task.cpp`` (``Task::urgency_c`` and the
``Task::urgency_*`` functions, GothenburgBitFactory/taskwarrior 2.6), and the default
weights are its documented defaults (https://taskwarrior.org/docs/urgency/):

- ``due`` (12.0): 0.2 when due in 14 days or more, 1.0 when 7 days or more overdue,
  linear in between: ``(days_overdue + 14) * 0.8 / 21 + 0.2``, where ``days_overdue``
  is ``(now - due)`` in (fractional) days, negative while the date is ahead.
- ``priority`` (H 6.0, M 3.9, L 1.8): factor 1.0, each level with its own weight.
- ``blocking`` (8.0): 1.0 when an open item waits on this one.
- ``started`` (4.0): 1.0 when the status is in the *started* category (Taskwarrior's
  "active").
- ``scheduled`` (5.0): 1.0 once the scheduled date (taskdesk's ``start``) has passed;
  Taskwarrior's ``urgency_scheduled`` tests ``scheduled < now``, so an item scheduled
  for next month does not jump the queue today.
- ``age`` (2.0): whole days since creation / ``age_max_days`` (365), capped at 1.0.
- ``tags`` (1.0): 0.8 for one tag, 0.9 for two, 1.0 for three or more.
- ``project`` (1.0): 1.0 when the item belongs to a project or an ongoing area.
- ``waiting`` (-3.0): 1.0 while ``wait`` is in the future.
- ``blocked`` (-5.0): 1.0 while an open predecessor exists.

taskdesk's additions (algorithms.md, "Urgency"), from facts the store or the scheduler
knows and passes in an :class:`UrgencyContext`: ``critical`` (on the critical path,
10.0), ``negative_float`` (the plan misses a deadline through this item, 8.0),
``sla_at_risk`` (≤ 25 % of the SLA goal left, 6.0) and ``sla_breached`` (12.0, as much
as a due date a week overdue: a broken promise to a customer).

Closed items (completed, cancelled) have urgency 0 and no terms, as Taskwarrior does
not rank completed or deleted tasks. Totals are kept as full floats; the UI shows
``round(total, 2)``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from taskdesk.domain.model import Item, Priority, StatusCategory

if TYPE_CHECKING:
    from taskdesk.domain.listing import ListedItem

_SECONDS_PER_DAY = 86400.0

#: The SLA states an :class:`UrgencyContext` accepts (algorithms.md, "SLA").
SLA_STATES = frozenset({"ok", "at_risk", "breached", "met"})


@dataclass(frozen=True)
class UrgencyWeights:
    """The weight of each urgency term; Taskwarrior's defaults unless configured.

    Why configurable: teams disagree on what matters (a support queue may weigh SLAs
    above everything, a personal list may ignore age). A weight of 0 switches a term off.
    ``age_max_days`` is not a weight but the age at which the age factor reaches 1.

    The last four fields are taskdesk's additions to Taskwarrior's set: ``critical``
    (the item is on its project's critical path), ``negative_float`` (it makes the
    project miss a deadline), ``sla_at_risk`` and ``sla_breached`` (its SLA state).
    """

    due: float = 12.0
    blocking: float = 8.0
    priority_high: float = 6.0
    priority_medium: float = 3.9
    priority_low: float = 1.8
    started: float = 4.0
    scheduled: float = 5.0
    age: float = 2.0
    age_max_days: float = 365.0
    tags: float = 1.0
    project: float = 1.0
    waiting: float = -3.0
    blocked: float = -5.0
    critical: float = 10.0
    negative_float: float = 8.0
    sla_at_risk: float = 6.0
    sla_breached: float = 12.0

    def priority_weight(self, priority: Priority) -> float:
        """The weight of one priority level (Taskwarrior's ``urgency.uda.priority.X``)."""
        return {
            Priority.HIGH: self.priority_high,
            Priority.MEDIUM: self.priority_medium,
            Priority.LOW: self.priority_low,
        }[priority]


@dataclass(frozen=True)
class UrgencyTerm:
    """One line of the breakdown: ``name  factor × weight = contribution``.

    Why factor and weight apart: the user tunes weights, so the panel must show which
    part came from the item (the factor) and which from the configuration (the weight).
    """

    name: str
    factor: float
    weight: float

    @property
    def contribution(self) -> float:
        """What this term adds to the total."""
        return self.factor * self.weight


@dataclass(frozen=True)
class Urgency:
    """An item's urgency: the total and the non-zero terms it is the sum of.

    ``terms`` come in a fixed order (that of :data:`TERM_ORDER`), so the breakdown
    reads the same for every item; ``total`` is exactly the sum of their contributions.
    """

    total: float
    terms: tuple[UrgencyTerm, ...] = ()

    @property
    def display(self) -> float:
        """The total as the UI shows it, rounded to two decimals."""
        return round(self.total, 2)


@dataclass(frozen=True)
class UrgencyContext:
    """Facts about an item that the item itself does not carry.

    Why separate: the critical path and float come from the project scheduler and the
    SLA state from the SLA policies; urgency stays a pure function of an item plus
    these facts, and callers that don't know them simply leave the defaults.
    ``sla`` is one of ``"ok"``, ``"at_risk"``, ``"breached"``, ``"met"`` or ``None``.
    """

    critical: bool = False
    negative_float: bool = False
    sla: str | None = None

    def __post_init__(self) -> None:
        """Refuse an unknown SLA state rather than silently ignoring it."""
        if self.sla is not None and self.sla not in SLA_STATES:
            expected = ", ".join(sorted(SLA_STATES))
            raise ValueError(f"unknown SLA state {self.sla!r}: expected one of {expected}")


#: The order of the terms in every breakdown.
TERM_ORDER = (
    "due",
    "priority",
    "blocking",
    "started",
    "scheduled",
    "age",
    "tags",
    "project",
    "waiting",
    "blocked",
    "critical",
    "negative_float",
    "sla_at_risk",
    "sla_breached",
)

_DEFAULT_WEIGHTS = UrgencyWeights()
_DEFAULT_CONTEXT = UrgencyContext()


def due_factor(due: datetime | None, now: datetime) -> float:
    """Taskwarrior's due factor (``Task::urgency_due``): how close the due date is.

    Why this shape: a due date two weeks or more away still counts a little (0.2); from
    there the pull grows linearly over 21 days and saturates at 1.0 one week overdue,
    so long-overdue items don't drown everything else.
    """
    if due is None:
        return 0.0
    days_overdue = (now - due).total_seconds() / _SECONDS_PER_DAY
    if days_overdue >= 7.0:
        return 1.0
    if days_overdue >= -14.0:
        return ((days_overdue + 14.0) * 0.8 / 21.0) + 0.2
    return 0.2


def age_factor(created: datetime | None, now: datetime, age_max_days: float) -> float:
    """Taskwarrior's age factor (``Task::urgency_age``): old items slowly rise.

    Taskwarrior counts whole days (``int age = (now - entry) / 86400``) and reaches 1.0
    at ``urgency.age.max`` days (or at once when that is 0). An item without a creation
    time, or created in the future (a skewed clock), has age 0.
    """
    if created is None:
        return 0.0
    age_days = max(0, math.floor((now - created).total_seconds() / _SECONDS_PER_DAY))
    if age_max_days <= 0 or age_days > age_max_days:
        return 1.0
    return age_days / age_max_days


def tags_factor(count: int) -> float:
    """Taskwarrior's tag factor (``Task::urgency_tags``): 0, 0.8, 0.9, then 1.0.

    Why not linear: a tag says someone classified the item; more tags add little.
    """
    if count <= 0:
        return 0.0
    return {1: 0.8, 2: 0.9}.get(count, 1.0)


def _factors(
    item: Item | ListedItem, now: datetime, weights: UrgencyWeights
) -> dict[str, tuple[float, float]]:
    """The (factor, weight) pair of each Taskwarrior term for an open item."""
    priority_weight = 0.0 if item.priority is None else weights.priority_weight(item.priority)
    waiting = item.wait is not None and item.wait > now
    scheduled = item.start is not None and item.start < now
    return {
        "due": (due_factor(item.due, now), weights.due),
        "priority": (1.0 if item.priority is not None else 0.0, priority_weight),
        "blocking": (1.0 if item.blocking else 0.0, weights.blocking),
        "started": (1.0 if item.category is StatusCategory.STARTED else 0.0, weights.started),
        "scheduled": (1.0 if scheduled else 0.0, weights.scheduled),
        "age": (age_factor(item.created, now, weights.age_max_days), weights.age),
        "tags": (tags_factor(len(item.tags)), weights.tags),
        "project": (1.0 if item.project else 0.0, weights.project),
        "waiting": (1.0 if waiting else 0.0, weights.waiting),
        "blocked": (1.0 if item.blocked else 0.0, weights.blocked),
    }


def _context_factors(
    context: UrgencyContext, weights: UrgencyWeights
) -> dict[str, tuple[float, float]]:
    """The (factor, weight) pair of each of taskdesk's own terms."""
    return {
        "critical": (1.0 if context.critical else 0.0, weights.critical),
        "negative_float": (1.0 if context.negative_float else 0.0, weights.negative_float),
        "sla_at_risk": (1.0 if context.sla == "at_risk" else 0.0, weights.sla_at_risk),
        "sla_breached": (1.0 if context.sla == "breached" else 0.0, weights.sla_breached),
    }


def urgency(
    item: Item,
    *,
    now: datetime,
    weights: UrgencyWeights | None = None,
    context: UrgencyContext | None = None,
) -> Urgency:
    """The urgency of ``item`` at ``now``, with its term-by-term breakdown.

    Why ``now`` is a parameter: urgency moves with the clock (due dates approach, items
    age), and a fixed ``now`` makes a list sort the same way while the user works on
    it, and makes tests exact. Closed items get 0 and no terms.
    """
    if item.category.is_closed:
        return Urgency(0.0, ())
    weights = _DEFAULT_WEIGHTS if weights is None else weights
    context = _DEFAULT_CONTEXT if context is None else context
    pairs = _factors(item, now, weights) | _context_factors(context, weights)
    terms = tuple(UrgencyTerm(name, *pairs[name]) for name in TERM_ORDER)
    terms = tuple(term for term in terms if term.contribution != 0.0)
    return Urgency(sum((t.contribution for t in terms), 0.0), terms)


def sort_by_urgency(
    items: Sequence[Item],
    *,
    now: datetime,
    weights: UrgencyWeights | None = None,
    contexts: Mapping[int, UrgencyContext] | None = None,
) -> list[Item]:
    """Items most urgent first: what "urgency-sorted" means in lists and agendas.

    Why the tie-breaks: equal urgencies are common (fresh items with no dates), and a
    list that reshuffles them on every refresh is unusable. Ties go to the earlier due
    date (items without one last), then to the lower id, so the order is total and
    deterministic. ``contexts`` maps item ids to their scheduler/SLA facts, if known.
    """
    ranked = rank_by_urgency(items, now=now, weights=weights, contexts=contexts)
    return [item for item, _ in ranked]


def rank_by_urgency(
    items: Sequence[Item],
    *,
    now: datetime,
    weights: UrgencyWeights | None = None,
    contexts: Mapping[int, UrgencyContext] | None = None,
) -> list[tuple[Item, Urgency]]:
    """``sort_by_urgency`` with each item's urgency, computed once per item (a list of
    50,000 items shows every score it sorted by)."""
    contexts = {} if contexts is None else contexts
    scored = [
        (item, urgency(item, now=now, weights=weights, context=contexts.get(item.id)))
        for item in items
    ]

    return sorted(scored, key=lambda pair: _rank_key(pair[0], pair[1].total))


def _rank_key(item: Item | ListedItem, total: float) -> tuple[float, bool, datetime, int]:
    """Most urgent first; ties to the earlier due date (none last), then the lower id."""
    return (-total, item.due is None, item.due or datetime.min, item.id)


def urgency_total(
    item: Item | ListedItem, *, now: datetime, weights: UrgencyWeights | None = None
) -> float:
    """``urgency(item, now=now, weights=weights).total``, without building the breakdown.

    Why: ``taskdesk list`` ranks every open item of a store (27,000 of 50,000) and shows
    only totals; fourteen :class:`UrgencyTerm` objects per item took most of a second.
    The same factors (:func:`_factors`), the same non-zero contributions summed in the
    same order, so the float is the very same (no context: its terms are all zero).
    """
    if item.category.is_closed:
        return 0.0
    pairs = _factors(item, now, _DEFAULT_WEIGHTS if weights is None else weights)
    contributions = [factor * weight for factor, weight in pairs.values()]
    return sum((c for c in contributions if c != 0.0), 0.0)


_Ranked = TypeVar("_Ranked", bound="Item | ListedItem")


def rank_totals(
    items: Sequence[_Ranked], *, now: datetime, weights: UrgencyWeights | None = None
) -> list[tuple[_Ranked, float]]:
    """:func:`rank_by_urgency`'s order with each item's total alone: a whole-store list
    (``taskdesk list`` ranks :class:`~taskdesk.domain.listing.ListedItem` rows)."""
    scored = [(item, urgency_total(item, now=now, weights=weights)) for item in items]
    return sorted(scored, key=lambda pair: _rank_key(*pair))
