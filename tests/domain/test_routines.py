"""Routines reserve background load: estimate × frequency, per working day."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from taskdesk.domain.model import Assignment, Item, Recurrence, StatusCategory
from taskdesk.domain.routines import routine_load
from taskdesk.domain.scheduling import WorkCalendar

MONDAY = date(2026, 11, 2)


def routine(rule: str, minutes: int | None, *people: tuple[str, float], done: bool = False) -> Item:
    cat = StatusCategory.COMPLETED if done else StatusCategory.UNSTARTED
    return Item(
        1,
        "u",
        "r",
        1,
        "s",
        cat,
        estimate_minutes=minutes,
        due=datetime(2026, 11, 2, 9),
        recurrence=Recurrence(rule),
        assignees=tuple(Assignment(login, units) for login, units in people),
    )


@pytest.mark.parametrize(
    ("rule", "minutes", "hours_per_day"),
    [
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", 30, 0.5),  # every working day, 30m
        ("FREQ=WEEKLY", 120, 0.4),  # 4 × 2h over 20 working days
        ("FREQ=DAILY", 60, 28 / 20),  # daily includes weekends: 28h over 20 working days
    ],
)
def test_reservation_per_working_day(rule: str, minutes: int, hours_per_day: float) -> None:
    load = routine_load(
        [routine(rule, minutes, ("alice", 1.0))], calendar=WorkCalendar(), start=MONDAY
    )
    assert load["alice"] == pytest.approx(hours_per_day)


def test_units_share_and_closed_or_unestimated_routines_reserve_nothing() -> None:
    items = [
        routine("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", 60, ("alice", 0.5), ("bob", 1.0)),
        routine("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", 60, ("carol", 1.0), done=True),
        routine("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", None, ("dave", 1.0)),
    ]
    load = routine_load(items, calendar=WorkCalendar(), start=MONDAY)
    assert load == {"alice": pytest.approx(0.5), "bob": pytest.approx(1.0)}
