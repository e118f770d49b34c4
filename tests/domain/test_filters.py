"""Filters: the words, their errors, matching in memory, and the canonical text back."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taskdesk.domain.filters import (
    OPEN_CATEGORIES,
    VIRTUAL_TAGS,
    Filter,
    FilterError,
    describe_filter,
    matches,
    parse_filter,
)
from taskdesk.domain.model import Assignment, Item, Priority, Recurrence, StatusCategory

NOW = datetime(2026, 11, 25, 10, 30)  # a Wednesday
DAY = timedelta(days=1)
H, M, L = Priority.HIGH, Priority.MEDIUM, Priority.LOW


def make_item(**overrides: Any) -> Item:
    """An open, unassigned, untagged item with no dates."""
    fields: dict[str, Any] = {
        "id": 1,
        "uuid": "00000000-0000-4000-8000-000000000001",
        "title": "Write the quarterly report",
        "status_id": 2,
        "status": "Todo",
        "category": StatusCategory.UNSTARTED,
        "created": NOW - 3 * DAY,
    }
    fields.update(overrides)
    return Item(**fields)


def d(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --- parsing ------------------------------------------------------------------------

PARSE_CASES: list[tuple[str | list[str], Filter]] = [
    ("", Filter()),
    ("   ", Filter()),
    ('""', Filter()),
    ("project:Home", Filter(project="Home")),
    ("pro:Home", Filter(project="Home")),
    ("proj:Home.Garden", Filter(project="Home.Garden")),
    ("Project:Home", Filter(project="Home")),
    ("project:Home pro:Home", Filter(project="Home")),
    ("project:Home pro:HOME", Filter(project="Home")),
    ("status:started", Filter(statuses=("started",))),
    ("status:backlog status:unstarted", Filter(statuses=("backlog", "unstarted"))),
    ("status:Started", Filter(statuses=("Started",))),
    ("status:pending", Filter(statuses=OPEN_CATEGORIES)),
    ("status:Pending", Filter(statuses=("backlog", "unstarted", "started"))),
    ("status:completed", Filter(statuses=("completed",), include_closed=True)),
    ("status:cancelled", Filter(statuses=("cancelled",), include_closed=True)),
    ("status:Review", Filter(statuses=("Review",), include_closed=True)),
    ("status:Done status:started", Filter(statuses=("Done", "started"), include_closed=True)),
    (["status:In Review"], Filter(statuses=("In Review",), include_closed=True)),
    ("'status:In Review'", Filter(statuses=("In Review",), include_closed=True)),
    ("priority:H", Filter(priorities=(H,))),
    ("pri:h", Filter(priorities=(H,))),
    ("priority:H priority:M", Filter(priorities=(H, M))),
    ("priority:L pri:l", Filter(priorities=(L,))),
    ("priority:", Filter(no_priority=True)),
    ("pri:", Filter(no_priority=True)),
    ("priority:M priority:", Filter(priorities=(M,), no_priority=True)),
    ("+urgent", Filter(tags=("urgent",))),
    ("+urgent +web +urgent", Filter(tags=("urgent", "web"))),
    ("-wontfix", Filter(exclude_tags=("wontfix",))),
    ("+a -b", Filter(tags=("a",), exclude_tags=("b",))),
    ("@alice", Filter(assignees=("alice",))),
    ("@alice @bob", Filter(assignees=("alice", "bob"))),
    ("+OVERDUE", Filter(virtual=("OVERDUE",))),
    (
        "+OVERDUE +BLOCKED +BLOCKING +RECURRING +MILESTONE +ACTIVE +WAITING +DUE",
        Filter(
            virtual=(
                "OVERDUE",
                "BLOCKED",
                "BLOCKING",
                "RECURRING",
                "MILESTONE",
                "ACTIVE",
                "WAITING",
                "DUE",
            )
        ),
    ),
    ("+overdue", Filter(tags=("overdue",))),
    ("+Due", Filter(tags=("Due",))),
    ("+NEXT", Filter(tags=("NEXT",))),
    ("all", Filter(include_closed=True)),
    ("ALL", Filter(words=("ALL",))),
    ("12", Filter(ids=(12,))),
    ("12,13", Filter(ids=(12, 13))),
    ("12 13,14 12", Filter(ids=(12, 13, 14))),
    ("007", Filter(ids=(7,))),
    ("9223372036854775807", Filter(ids=(2**63 - 1,))),
    ("12,", Filter(words=("12,",))),
    ("1.5", Filter(words=("1.5",))),
    ("fix", Filter(words=("fix",))),
    ("fix login", Filter(words=("fix", "login"))),
    ('"fix login"', Filter(words=("fix login",))),
    ("'fix  login'", Filter(words=("fix login",))),
    ("http://example.com", Filter(words=("http://example.com",))),
    ("ratio:1:2 see:also", Filter(words=("ratio:1:2", "see:also"))),
    ("+ - @", Filter(words=("+", "-", "@"))),
    ("due:2026-12-01", Filter(due_after=d("2026-12-01"), due_before=d("2026-12-02"))),
    ("due.before:2026-12-01", Filter(due_before=d("2026-12-01"))),
    ("due.after:2026-12-01", Filter(due_after=d("2026-12-01"))),
    ("due.by:2026-12-01", Filter(due_before=d("2026-12-02"))),
    ("DUE.BEFORE:2026-12-01", Filter(due_before=d("2026-12-01"))),
    ("due.after:2026-12-01T17:00", Filter(due_after=d("2026-12-01T17:00"))),
    ("due:2026-12-01T17:00", Filter(due_after=d("2026-12-01"), due_before=d("2026-12-02"))),
    ("due:today", Filter(due_after=d("2026-11-25"), due_before=d("2026-11-26"))),
    ("due:tomorrow", Filter(due_after=d("2026-11-26"), due_before=d("2026-11-27"))),
    (
        "due.after:2026-12-01 due.before:2026-12-10",
        Filter(due_after=d("2026-12-01"), due_before=d("2026-12-10")),
    ),
    (
        "due.after:2026-12-01 due.before:2026-12-10 due:2026-12-05",
        Filter(due_after=d("2026-12-05"), due_before=d("2026-12-06")),
    ),
    (
        "due.before:2026-12-10 due.before:2026-12-03",
        Filter(due_before=d("2026-12-03")),
    ),
    ("+tag\x1b[31m", Filter(tags=("tag",))),
    (["\x1b]0;pwned\x07"], Filter()),
    (["", "  ", "fix"], Filter(words=("fix",))),
    (
        "project:Mobile +ios -blocked @alice priority:H status:started fix crash 4,5 all",
        Filter(
            words=("fix", "crash"),
            ids=(4, 5),
            project="Mobile",
            statuses=("started",),
            priorities=(H,),
            tags=("ios",),
            exclude_tags=("blocked",),
            assignees=("alice",),
            include_closed=True,
        ),
    ),
]


@pytest.mark.parametrize(("words", "expected"), PARSE_CASES)
def test_parse_filter(words: str | list[str], expected: Filter) -> None:
    assert parse_filter(words, now=NOW) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("due:fri", Filter(due_after=d("2026-11-27"), due_before=d("2026-11-28"))),
        ("due:fri@17:00", Filter(due_after=d("2026-11-27"), due_before=d("2026-11-28"))),
        ("due.before:eod", Filter(due_before=d("2026-11-25T23:59:59"))),
        ("due.by:eom", Filter(due_before=d("2026-12-01"))),
        ("due.after:3d", Filter(due_after=d("2026-11-28"))),
        ("due.before:2h", Filter(due_before=d("2026-11-25T12:30"))),
        (["due:next monday"], Filter(due_after=d("2026-11-30"), due_before=d("2026-12-01"))),
        (["due.before:dec 24"], Filter(due_before=d("2026-12-24"))),
    ],
)
def test_due_words_use_the_shared_date_grammar(words: str | list[str], expected: Filter) -> None:
    flt = parse_filter(words, now=NOW)
    assert flt == expected
    assert parse_filter(describe_filter(flt), now=NOW) == flt


def test_due_word_error_carries_the_date_hint() -> None:
    with pytest.raises(FilterError, match=r'^"due:blurgh": .*blurgh.*\.$'):
        parse_filter("due:blurgh", now=NOW)


def test_a_list_of_words_is_not_split_again() -> None:
    assert parse_filter(["fix login", "+a"], now=NOW) == Filter(words=("fix login",), tags=("a",))


ERROR_CASES = [
    ("priority:Z", "priority:Z"),
    ("pri:HH", "pri:HH"),
    ("priority:high", "priority:high"),
    ("due:blurgh", "due:blurgh"),
    ("due:", "due:"),
    ("due.before:", "due.before:"),
    ("due.by:nonsense", "due.by:nonsense"),
    ("project:", "project:"),
    ("project:A project:B", "project:B"),
    ("status:", "status:"),
    ("status:deleted", "status:deleted"),
    ("-BLOCKED", "-BLOCKED"),
    ("-@bob", "-@bob"),
    ("fix +ok priority:Q +later", "priority:Q"),
    ("99999999999999999999", "99999999999999999999"),
    ("1,9223372036854775808", "1,9223372036854775808"),
]


@pytest.mark.parametrize(("words", "bad"), ERROR_CASES)
def test_bad_words_are_errors_naming_the_word(words: str, bad: str) -> None:
    with pytest.raises(FilterError) as info:
        parse_filter(words, now=NOW)
    assert f'"{bad}"' in str(info.value)
    assert info.value.word == bad
    assert "\n" not in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("words", ['fix "login', "it's", "trailing\\"])
def test_unbalanced_quotes_are_errors(words: str) -> None:
    with pytest.raises(FilterError, match="quote"):
        parse_filter(words, now=NOW)


def test_error_messages_are_cleaned_of_control_characters() -> None:
    with pytest.raises(FilterError) as info:
        parse_filter('"\x1b]0;pwned\x07', now=NOW)
    assert "\x1b" not in str(info.value)
    assert "\x07" not in str(info.value)


@given(st.text(max_size=60))
def test_parse_filter_on_any_text_returns_a_filter_or_a_filter_error(text: str) -> None:
    try:
        result = parse_filter(text, now=NOW)
    except FilterError:
        return
    assert isinstance(result, Filter)


@given(st.lists(st.text(max_size=20), max_size=6))
def test_parse_filter_on_any_words_returns_a_filter_or_a_filter_error(words: list[str]) -> None:
    try:
        result = parse_filter(words, now=NOW)
    except FilterError:
        return
    assert isinstance(result, Filter)


# --- matching -----------------------------------------------------------------------


def test_empty_filter_matches_open_items_only() -> None:
    assert matches(make_item(), Filter(), now=NOW)
    done = make_item(status="Done", category=StatusCategory.COMPLETED)
    gone = make_item(status="Dropped", category=StatusCategory.CANCELLED)
    assert not matches(done, Filter(), now=NOW)
    assert not matches(gone, Filter(), now=NOW)
    assert matches(done, Filter(include_closed=True), now=NOW)
    assert matches(gone, Filter(include_closed=True), now=NOW)


def test_waiting_items_are_hidden_unless_asked_for() -> None:
    waiting = make_item(wait=NOW + DAY)
    assert not matches(waiting, Filter(), now=NOW)
    assert matches(waiting, Filter(virtual=("WAITING",)), now=NOW)
    assert matches(waiting, Filter(statuses=("Todo",)), now=NOW)
    assert not matches(waiting, Filter(statuses=("started",)), now=NOW)
    assert matches(make_item(wait=NOW - DAY), Filter(), now=NOW)  # the wait is over
    assert matches(make_item(wait=NOW), Filter(), now=NOW)


def test_ids() -> None:
    flt = Filter(ids=(3, 5))
    assert matches(make_item(id=3), flt, now=NOW)
    assert matches(make_item(id=5), flt, now=NOW)
    assert not matches(make_item(id=4), flt, now=NOW)


@pytest.mark.parametrize(
    ("project", "wanted", "expected"),
    [
        ("Home", "Home", True),
        ("home", "Home", True),
        ("Home", "HOME", True),
        ("Home.Garden", "Home", True),
        ("Home.Garden.Shed", "Home.Garden", True),
        ("Home.Garden", "Home.Garden.Shed", False),
        ("Homework", "Home", False),
        ("MyHome", "Home", False),
        (None, "Home", False),
    ],
)
def test_project(project: str | None, wanted: str, expected: bool) -> None:
    assert matches(make_item(project=project), Filter(project=wanted), now=NOW) is expected


@pytest.mark.parametrize(
    ("status", "category", "statuses", "expected"),
    [
        ("Todo", StatusCategory.UNSTARTED, ("todo",), True),
        ("Todo", StatusCategory.UNSTARTED, ("TODO",), True),
        ("Todo", StatusCategory.UNSTARTED, ("unstarted",), True),
        ("Todo", StatusCategory.UNSTARTED, ("Unstarted",), True),
        ("Todo", StatusCategory.UNSTARTED, ("started",), False),
        ("In Review", StatusCategory.STARTED, ("in review",), True),
        ("In Review", StatusCategory.STARTED, ("started", "backlog"), True),
        ("In Review", StatusCategory.STARTED, ("review",), False),
        ("Icebox", StatusCategory.BACKLOG, OPEN_CATEGORIES, True),
    ],
)
def test_statuses(
    status: str, category: StatusCategory, statuses: tuple[str, ...], expected: bool
) -> None:
    item = make_item(status=status, category=category)
    assert matches(item, Filter(statuses=statuses), now=NOW) is expected


def test_closed_status_needs_include_closed() -> None:
    done = make_item(status="Done", category=StatusCategory.COMPLETED)
    assert not matches(done, Filter(statuses=("done",)), now=NOW)
    assert matches(done, Filter(statuses=("done",), include_closed=True), now=NOW)
    assert matches(done, parse_filter("status:Done", now=NOW), now=NOW)
    assert matches(done, parse_filter("status:completed", now=NOW), now=NOW)
    assert not matches(done, parse_filter("status:pending", now=NOW), now=NOW)
    assert not matches(make_item(), parse_filter("status:Done", now=NOW), now=NOW)


@pytest.mark.parametrize(
    ("priority", "flt", "expected"),
    [
        (H, Filter(priorities=(H,)), True),
        (M, Filter(priorities=(H,)), False),
        (M, Filter(priorities=(H, M)), True),
        (None, Filter(priorities=(H, M)), False),
        (None, Filter(no_priority=True), True),
        (L, Filter(no_priority=True), False),
        (L, Filter(priorities=(L,), no_priority=True), True),
        (None, Filter(priorities=(L,), no_priority=True), True),
        (H, Filter(priorities=(L,), no_priority=True), False),
        (None, Filter(), True),
    ],
)
def test_priorities(priority: Priority | None, flt: Filter, expected: bool) -> None:
    assert matches(make_item(priority=priority), flt, now=NOW) is expected


@pytest.mark.parametrize(
    ("tags", "flt", "expected"),
    [
        (("a", "b"), Filter(tags=("a",)), True),
        (("a", "b"), Filter(tags=("a", "b")), True),
        (("a",), Filter(tags=("a", "b")), False),
        (("Web",), Filter(tags=("web",)), True),
        ((), Filter(tags=("a",)), False),
        (("a", "b"), Filter(exclude_tags=("b",)), False),
        (("a",), Filter(exclude_tags=("b",)), True),
        ((), Filter(exclude_tags=("b",)), True),
        (("WontFix",), Filter(exclude_tags=("wontfix",)), False),
        (("a", "c"), Filter(tags=("a",), exclude_tags=("b",)), True),
    ],
)
def test_tags(tags: tuple[str, ...], flt: Filter, expected: bool) -> None:
    assert matches(make_item(tags=tags), flt, now=NOW) is expected


@pytest.mark.parametrize(
    ("logins", "wanted", "expected"),
    [
        (("alice",), ("alice",), True),
        (("alice", "bob"), ("bob",), True),
        (("alice",), ("bob", "alice"), True),
        (("alice",), ("bob",), False),
        ((), ("alice",), False),
        (("Alice",), ("alice",), True),
    ],
)
def test_assignees(logins: tuple[str, ...], wanted: tuple[str, ...], expected: bool) -> None:
    item = make_item(assignees=tuple(Assignment(login) for login in logins))
    assert matches(item, Filter(assignees=wanted), now=NOW) is expected


@pytest.mark.parametrize(
    ("due", "flt", "expected"),
    [
        (d("2026-12-01T09:00"), Filter(due_before=d("2026-12-02")), True),
        (d("2026-12-02T00:00"), Filter(due_before=d("2026-12-02")), False),  # exclusive
        (d("2026-12-01T00:00"), Filter(due_after=d("2026-12-01")), True),  # inclusive
        (d("2026-11-30T23:59"), Filter(due_after=d("2026-12-01")), False),
        (None, Filter(due_before=d("2026-12-02")), False),
        (None, Filter(due_after=d("2026-12-01")), False),
        (
            d("2026-12-01T17:00"),
            Filter(due_after=d("2026-12-01"), due_before=d("2026-12-02")),
            True,
        ),
    ],
)
def test_due_bounds(due: datetime | None, flt: Filter, expected: bool) -> None:
    assert matches(make_item(due=due), flt, now=NOW) is expected


def test_due_bounds_from_words() -> None:
    flt = parse_filter("due:2026-12-01", now=NOW)
    assert matches(make_item(due=d("2026-12-01T00:00")), flt, now=NOW)
    assert matches(make_item(due=d("2026-12-01T23:59")), flt, now=NOW)
    assert not matches(make_item(due=d("2026-12-02T00:00")), flt, now=NOW)
    assert not matches(make_item(due=d("2026-11-30T23:59")), flt, now=NOW)
    by = parse_filter("due.by:2026-12-01", now=NOW)
    assert matches(make_item(due=d("2026-12-01T23:59")), by, now=NOW)
    assert matches(make_item(due=d("2026-01-01")), by, now=NOW)
    assert not matches(make_item(due=d("2026-12-02T00:00")), by, now=NOW)


@pytest.mark.parametrize(
    ("name", "item", "expected"),
    [
        ("OVERDUE", make_item(due=NOW - timedelta(minutes=1)), True),
        ("OVERDUE", make_item(due=NOW - 10 * DAY), True),
        ("OVERDUE", make_item(due=NOW + timedelta(minutes=1)), False),
        ("OVERDUE", make_item(due=None), False),
        ("DUE", make_item(due=d("2026-11-25T08:00")), True),  # earlier today: Taskwarrior too
        ("DUE", make_item(due=NOW + 6 * DAY), True),
        ("DUE", make_item(due=d("2026-12-01T23:59")), True),
        ("DUE", make_item(due=d("2026-12-02T00:00")), False),  # today + 7 days
        ("DUE", make_item(due=d("2026-11-24T23:59")), False),  # yesterday: overdue
        ("DUE", make_item(due=None), False),
        ("BLOCKED", make_item(blocked=True), True),
        ("BLOCKED", make_item(), False),
        ("BLOCKING", make_item(blocking=True), True),
        ("BLOCKING", make_item(blocked=True), False),
        ("RECURRING", make_item(series_id=4), True),
        ("RECURRING", make_item(recurrence=Recurrence("FREQ=DAILY")), True),
        ("RECURRING", make_item(), False),
        ("MILESTONE", make_item(milestone=True), True),
        ("MILESTONE", make_item(), False),
        ("ACTIVE", make_item(status="Doing", category=StatusCategory.STARTED), True),
        ("ACTIVE", make_item(status="Backlog", category=StatusCategory.BACKLOG), False),
        ("ACTIVE", make_item(started=NOW - DAY), False),  # category decides, not history
        ("WAITING", make_item(wait=NOW + DAY), True),
        ("WAITING", make_item(wait=NOW - DAY), False),
        ("WAITING", make_item(), False),
    ],
)
def test_virtual_tags(name: str, item: Item, expected: bool) -> None:
    assert matches(item, Filter(virtual=(name,)), now=NOW) is expected


@pytest.mark.parametrize("name", ["OVERDUE", "DUE"])
def test_closed_items_are_never_overdue_or_due(name: str) -> None:
    done = make_item(status="Done", category=StatusCategory.COMPLETED, due=NOW - timedelta(hours=1))
    assert not matches(done, Filter(virtual=(name,), include_closed=True), now=NOW)


def test_virtual_tags_combine_with_and() -> None:
    item = make_item(blocked=True, milestone=True)
    assert matches(item, Filter(virtual=("BLOCKED", "MILESTONE")), now=NOW)
    assert not matches(item, Filter(virtual=("BLOCKED", "BLOCKING")), now=NOW)


def test_every_virtual_tag_is_known_to_matches() -> None:
    for name in VIRTUAL_TAGS:
        matches(make_item(), Filter(virtual=(name,)), now=NOW)  # no error
    with pytest.raises(ValueError, match="NOPE"):
        matches(make_item(), Filter(virtual=("NOPE",)), now=NOW)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (("quarterly",), True),
        (("QUARTERLY", "report"), True),
        (("write the",), True),
        (("quarterly", "budget"), False),
        (("reports",), False),
    ],
)
def test_title_words(words: tuple[str, ...], expected: bool) -> None:
    assert matches(make_item(), Filter(words=words), now=NOW) is expected


def test_all_constraints_must_hold() -> None:
    item = make_item(
        id=8,
        project="Mobile.iOS",
        priority=H,
        tags=("crash",),
        assignees=(Assignment("alice"),),
        due=NOW + DAY,
        title="Fix crash on launch",
        status="Doing",
        category=StatusCategory.STARTED,
    )
    words = "project:mobile +crash @alice priority:H +DUE +ACTIVE status:started crash 8"
    flt = parse_filter(words, now=NOW)
    assert matches(item, flt, now=NOW)
    for extra in ["+ios", "+OVERDUE", "-crash", "release", "pad"]:  # all-of: narrower
        assert not matches(item, parse_filter(f"{words} {extra}", now=NOW), now=NOW), extra
    for extra in ["@bob", "priority:L", "priority:", "status:backlog", "9"]:  # any-of: wider
        assert matches(item, parse_filter(f"{words} {extra}", now=NOW), now=NOW), extra


# --- describing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flt", "text"),
    [
        (Filter(), ""),
        (Filter(project="Home"), "project:Home"),
        (Filter(ids=(3, 4)), "3,4"),
        (Filter(statuses=("started",)), "status:started"),
        (Filter(statuses=("started",), include_closed=True), "status:started all"),
        (Filter(statuses=("Done",), include_closed=True), "status:Done"),
        (Filter(statuses=("In Review",), include_closed=True), "'status:In Review'"),
        (Filter(priorities=(H, L), no_priority=True), "priority:H priority:L priority:"),
        (Filter(tags=("a",), exclude_tags=("b",)), "+a -b"),
        (Filter(assignees=("alice",)), "@alice"),
        (Filter(virtual=("OVERDUE",)), "+OVERDUE"),
        (Filter(include_closed=True), "all"),
        (Filter(words=("fix", "login page")), "fix 'login page'"),
        (Filter(due_after=d("2026-12-01"), due_before=d("2026-12-02")), "due:2026-12-01"),
        (
            Filter(due_after=d("2026-12-01"), due_before=d("2026-12-03")),
            "due.after:2026-12-01 due.before:2026-12-03",
        ),
        (Filter(due_before=d("2026-12-01T17:00")), "due.before:2026-12-01T17:00"),
        (Filter(due_before=d("2026-11-25T23:59:59")), "due.before:2026-11-25T23:59:59"),
        (
            Filter(
                words=("crash",),
                ids=(8,),
                project="Mobile",
                statuses=("started",),
                priorities=(H,),
                tags=("ios",),
                exclude_tags=("wontfix",),
                assignees=("alice",),
                virtual=("DUE",),
                due_before=d("2026-12-24"),
                include_closed=True,
            ),
            "8 project:Mobile status:started priority:H +ios -wontfix @alice +DUE"
            " due.before:2026-12-24 all crash",
        ),
    ],
)
def test_describe_filter(flt: Filter, text: str) -> None:
    assert describe_filter(flt) == text
    assert parse_filter(text, now=NOW) == flt


@pytest.mark.parametrize(("words", "expected"), PARSE_CASES)
def test_describe_round_trips_every_parse_case(words: str | list[str], expected: Filter) -> None:
    text = describe_filter(expected)
    assert parse_filter(text, now=NOW) == expected
    assert describe_filter(parse_filter(text, now=NOW)) == text


NAME = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Z")),
    min_size=1,
    max_size=8,
)
DATE = st.dates(min_value=datetime(2000, 1, 1).date(), max_value=datetime(2099, 12, 31).date())
TOKEN = st.one_of(
    NAME.map(lambda n: f"+{n}"),
    NAME.map(lambda n: f"-{n}"),
    NAME.map(lambda n: f"@{n}"),
    st.sampled_from(sorted(VIRTUAL_TAGS)).map(lambda v: f"+{v}"),
    st.sampled_from(["backlog", "started", "completed", "Review", "In Review", "pending"]).map(
        lambda s: f"status:{s}"
    ),
    st.sampled_from(["H", "M", "L", "", "h"]).map(lambda p: f"priority:{p}"),
    st.lists(st.integers(0, 10**6), min_size=1, max_size=3).map(
        lambda ids: ",".join(map(str, ids))
    ),
    st.tuples(st.sampled_from(["due", "due.before", "due.after", "due.by"]), DATE).map(
        lambda kv: f"{kv[0]}:{kv[1].isoformat()}"
    ),
    st.just("all"),
    st.just("project:Home"),
    NAME,
)


@given(st.lists(TOKEN, max_size=8))
def test_describe_round_trips_filters_built_from_words(words: list[str]) -> None:
    try:
        flt = parse_filter(words, now=NOW)
    except FilterError:
        return
    assert parse_filter(describe_filter(flt), now=NOW) == flt
