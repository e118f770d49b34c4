"""The quick-add grammar: every token, quoting, titles that only look like tokens, errors.

``NOW`` is Wednesday 2026-11-25 10:30 (see test_dates.py for the date forms themselves).
"""

from __future__ import annotations

import pickle
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskdesk.domain.model import ParsedItem, Priority, Recurrence, RecurrenceAnchor
from taskdesk.domain.quickadd import ATTRIBUTE_KEYS, QuickAddError, parse_quick_add

NOW = datetime(2026, 11, 25, 10, 30)
FAST = settings(max_examples=300, deadline=None)
DATE_HINT = "(try 2026-12-01, tomorrow, fri, 3d, eom)"


def parse(text: str, *, modify: bool = False) -> ParsedItem:
    return parse_quick_add(text, now=NOW, modify=modify)


def error(text: str, *, modify: bool = False) -> QuickAddError:
    with pytest.raises(QuickAddError) as caught:
        parse(text, modify=modify)
    return caught.value


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Buy milk", "Buy milk"),
        ("  Buy   milk  ", "Buy milk"),
        ("Buy\tmilk\n", "Buy milk"),
        ("Read https://example.com/a?b=c#d", "Read https://example.com/a?b=c#d"),
        ("see http://x.y/z:8080 now", "see http://x.y/z:8080 now"),
        ("ratio:1:2 check", "ratio:1:2 check"),
        ("foo:bar", "foo:bar"),
        ("Note: call back", "Note: call back"),
        ("10:30 standup", "10:30 standup"),
        ("C:\\temp cleanup", "C:\\temp cleanup"),
        ("Email bob@example.com", "Email bob@example.com"),
        ("+3d bump", "+3d bump"),
        ("+ plus", "+ plus"),
        ("@ at", "@ at"),
        ("- dash", "- dash"),
        ("-tag stays", "-tag stays"),  # removal only in modify mode
        ("-@bob stays", "-@bob stays"),
        ("+tag! is not a tag", "+tag! is not a tag"),
        ("@-bob", "@-bob"),
        ("milestones review", "milestones review"),
        ("due tomorrow", "due tomorrow"),  # no colon: words
        ("priority matters", "priority matters"),
        ('"due:tomorrow" literally', "due:tomorrow literally"),
        ("'+tag' '@bob' 'milestone'", "+tag @bob milestone"),
        ("Bob's report", "Bob's report"),
        ("'Bob's report' now", "Bob's report now"),
        ("rock 'n' roll", "rock n roll"),
        ("it's 5 o'clock", "it's 5 o'clock"),
        ('say "hi" now', "say hi now"),
        ('"  spaced  out  "', "spaced  out"),
        ('"a" "b"', "a b"),
        ('x "" y', "x y"),
        ('6" pipe', '6" pipe'),
        ('x foo:"bar baz"', 'x foo:"bar baz"'),  # unknown key: quotes not special
        ("Café ☕ naïve", "Café ☕ naïve"),
        ("ДОКЛАД +отчёт", "ДОКЛАД +отчёт"),  # tags are ASCII names
    ],
)
def test_title_text(text: str, title: str) -> None:
    item = parse(text)
    assert item.title == title
    assert item.given == {"title"}
    assert item == ParsedItem(title=title, given={"title"})


# ----------------------------------------------------------------------- attributes


def d(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second)


ATTRIBUTE_CASES: list[tuple[str, str, Any]] = [
    ("project:Home", "project", "Home"),
    ("pro:Home", "project", "Home"),
    ("proj:Home", "project", "Home"),
    ("PROJECT:Home", "project", "Home"),
    ("project:Home.Garden", "project", "Home.Garden"),
    ('project:"Mobile app launch"', "project", "Mobile app launch"),
    ("project:'Annual conference'", "project", "Annual conference"),
    ("due:tomorrow", "due", d(11, 26)),
    ("Due:3d", "due", d(11, 28)),
    ("due:fri@17:00", "due", d(11, 27, 17)),
    ('due:"next monday"', "due", d(11, 30)),
    ("due:'in 3 days'", "due", d(11, 28)),
    ("due:in-3-days", "due", d(11, 28)),
    ("due:next-monday", "due", d(11, 30)),
    ('due:"dec 24"', "due", d(12, 24)),
    ("due:2026-12-01T17:00", "due", d(12, 1, 17)),
    ("due:2026-12-01@17:00", "due", d(12, 1, 17)),
    ('due:"2026-12-01 17:00"', "due", d(12, 1, 17)),
    ("due:eom", "due", d(11, 30, 23, 59, 59)),
    ("due:5b", "due", d(12, 2)),
    ("due:today@5pm", "due", d(11, 25, 17)),
    ('due:" tomorrow "', "due", d(11, 26)),
    ("start:3d", "start", d(11, 28)),
    ("scheduled:mon", "start", d(11, 30)),
    ("sched:tomorrow", "start", d(11, 26)),
    ("wait:eow", "wait", d(11, 29, 23, 59, 59)),
    ("priority:H", "priority", Priority.HIGH),
    ("pri:h", "priority", Priority.HIGH),
    ("PRI:M", "priority", Priority.MEDIUM),
    ("prio:L", "priority", Priority.LOW),
    ("priority:low", "priority", Priority.LOW),
    ("priority:High", "priority", Priority.HIGH),
    ("priority:medium", "priority", Priority.MEDIUM),
    ("every:weekly", "recurrence", Recurrence("FREQ=WEEKLY")),
    ("every:weekdays", "recurrence", Recurrence("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")),
    ("every:mon,wed,fri", "recurrence", Recurrence("FREQ=WEEKLY;BYDAY=MO,WE,FR")),
    ('every:"every 2 weeks"', "recurrence", Recurrence("FREQ=WEEKLY;INTERVAL=2")),
    ("every:3d", "recurrence", Recurrence("FREQ=DAILY;INTERVAL=3")),
    (
        "every:RRULE:FREQ=MONTHLY;BYMONTHDAY=1",
        "recurrence",
        Recurrence("FREQ=MONTHLY;BYMONTHDAY=1"),
    ),
    ("after:3d", "recurrence", Recurrence("FREQ=DAILY;INTERVAL=3", RecurrenceAnchor.COMPLETION)),
    ("after:2w", "recurrence", Recurrence("FREQ=WEEKLY;INTERVAL=2", RecurrenceAnchor.COMPLETION)),
    ("after:1m", "recurrence", Recurrence("FREQ=MONTHLY", RecurrenceAnchor.COMPLETION)),
    ("after:weekly", "recurrence", Recurrence("FREQ=WEEKLY", RecurrenceAnchor.COMPLETION)),
    ("est:30m", "estimate_minutes", 30),
    ("est:2h", "estimate_minutes", 120),
    ("est:1.5d", "estimate_minutes", 720),
    ("estimate:90", "estimate_minutes", 90),
    ("est:1h30m", "estimate_minutes", 90),
    ("duration:5d", "duration_days", 5.0),
    ("dur:2w", "duration_days", 10.0),
    ("dur:3", "duration_days", 3.0),
    ("dur:0", "duration_days", 0.0),
    ("depends:3", "depends", [3]),
    ("depends:3,4", "depends", [3, 4]),
    ("depends:4,3,4", "depends", [4, 3]),
    ("dep:12", "depends", [12]),
    ('depends:"3, 4"', "depends", [3, 4]),
    ("milestone", "milestone", True),
    ("Milestone", "milestone", True),
    ("MILESTONE", "milestone", True),
]


@pytest.mark.parametrize(("token", "field", "value"), ATTRIBUTE_CASES)
@pytest.mark.parametrize("where", ["after", "before", "between"])
def test_attribute(token: str, field: str, value: Any, where: str) -> None:
    text = {"after": f"Task {token}", "before": f"{token} Task", "between": f"Ta {token} sk"}
    item = parse(text[where])
    assert getattr(item, field) == value
    assert item.title == ("Ta sk" if where == "between" else "Task")
    assert item.given == {"title", field}
    untouched = ParsedItem(title=item.title, given=item.given)
    setattr(untouched, field, value)
    assert item == untouched  # nothing else was set


def test_everything_at_once() -> None:
    item = parse(
        "Ship the beta project:Mobile due:fri@17:00 start:mon wait:tomorrow pri:H +release "
        "+qa @alice @bob every:weekly est:2h dur:3d depends:7,9 milestone https://x.y/z"
    )
    assert item == ParsedItem(
        title="Ship the beta https://x.y/z",
        project="Mobile",
        due=d(11, 27, 17),
        start=d(11, 30),
        wait=d(11, 26),
        priority=Priority.HIGH,
        tags=["release", "qa"],
        assignees=["alice", "bob"],
        recurrence=Recurrence("FREQ=WEEKLY"),
        estimate_minutes=120,
        duration_days=3.0,
        depends=[7, 9],
        milestone=True,
        given={
            "title",
            "project",
            "due",
            "start",
            "wait",
            "priority",
            "tags",
            "assignees",
            "recurrence",
            "estimate_minutes",
            "duration_days",
            "depends",
            "milestone",
        },
    )


def test_the_last_of_a_repeated_attribute_wins() -> None:
    item = parse("x due:tomorrow due:fri pri:H pri:L project:A project:B every:daily every:weekly")
    assert item.due == d(11, 27)
    assert item.priority is Priority.LOW
    assert item.project == "B"
    assert item.recurrence == Recurrence("FREQ=WEEKLY")


def test_relative_dates_use_the_given_now() -> None:
    later = datetime(2027, 3, 1, 8)
    assert parse_quick_add("x due:tomorrow", now=later).due == datetime(2027, 3, 2)


def test_empty_values_clear_the_field_even_when_adding() -> None:
    item = parse("x due: pri: project: every: est: dur: depends:")
    assert item == ParsedItem(
        title="x",
        given={
            "title",
            "due",
            "priority",
            "project",
            "recurrence",
            "estimate_minutes",
            "duration_days",
            "depends",
        },
    )


# --------------------------------------------------------------------- tags, users


@pytest.mark.parametrize(
    ("text", "tags", "users"),
    [
        ("x +home", ["home"], []),
        ("x +home +work +home", ["home", "work"], []),
        ("x +Home +home", ["Home", "home"], []),  # tags are case-sensitive, as in Taskwarrior
        ("x +a.b-c_d", ["a.b-c_d"], []),
        ("x +v2", ["v2"], []),
        ("x @bob", [], ["bob"]),
        ("x @bob @alice @bob", [], ["bob", "alice"]),
        ("x @alice.smith @a_1 @1abc @_svc", [], ["alice.smith", "a_1", "1abc", "_svc"]),
        ("+home x @bob", ["home"], ["bob"]),
    ],
)
def test_tags_and_assignees(text: str, tags: list[str], users: list[str]) -> None:
    item = parse(text)
    assert item.tags == tags
    assert item.assignees == users
    assert item.title == "x"
    expected = {"title"} | ({"tags"} if tags else set()) | ({"assignees"} if users else set())
    assert item.given == expected


# -------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "token", "position", "message"),
    [
        ("x due:blurgh", "due:blurgh", 2, f'due:blurgh — "blurgh" is not a date {DATE_HINT}'),
        ("due:blurgh x", "due:blurgh", 0, f'due:blurgh — "blurgh" is not a date {DATE_HINT}'),
        ("x  start:nope", "start:nope", 3, f'start:nope — "nope" is not a date {DATE_HINT}'),
        ("x wait:0", "wait:0", 2, f'wait:0 — "0" is not a date {DATE_HINT}'),
        (
            'x due:"next blurgh"',
            'due:"next blurgh"',
            2,
            f'due:"next blurgh" — "next blurgh" is not a date {DATE_HINT}',
        ),
        (
            "x due:fri@25:00",
            "due:fri@25:00",
            2,
            'due:fri@25:00 — "fri@25:00" is not a valid date: "25:00" is not a time of day '
            "(try 17:00, 9, 5pm)",
        ),
        ("x priority:Z", "priority:Z", 2, 'priority:Z — "Z" is not a priority (use H, M or L)'),
        ("x pri:HM", "pri:HM", 2, 'pri:HM — "HM" is not a priority (use H, M or L)'),
        (
            "x every:nope",
            "every:nope",
            2,
            'every:nope — "nope" is not a rule (try daily, weekdays, weekly, monthly, 2w, '
            "mon,wed,fri or RRULE:FREQ=…)",
        ),
        (
            "x after:0d",
            "after:0d",
            2,
            'after:0d — "0d" needs an interval from 1 to 1000, not 0',
        ),
        (
            "x every:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            "every:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            2,
            'every:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30 — the rule "FREQ=YEARLY;BYMONTH=2;'
            'BYMONTHDAY=30" never occurs (no date in the next 10 years)',
        ),
        ("x est:abc", "est:abc", 2, 'est:abc — "abc" is not a duration (try 30m, 2h, 1.5d)'),
        (
            "x dur:-1",
            "dur:-1",
            2,
            'dur:-1 — "-1" is negative; a duration is 0 or more working days',
        ),
        (
            "x depends:x",
            "depends:x",
            2,
            'depends:x — "x" is not a list of item ids (try depends:12 or 12,15)',
        ),
        ("x depends:0", "depends:0", 2, None),
        ("x depends:-3", "depends:-3", 2, None),
        ("x depends:1,,2", "depends:1,,2", 2, None),
        ("x depends:1.5", "depends:1.5", 2, None),
        ("x depends:" + "9" * 30, "depends:" + "9" * 30, 2, None),
        (
            "x every:weekly after:3d",
            "after:3d",
            15,
            "after:3d — an item recurs either on a schedule (every:) or after completion "
            "(after:), not both (every:weekly is also given)",
        ),
        ("x after:3d every:weekly", "every:weekly", 11, None),
        (
            'x due:"next monday',
            '"next monday',
            6,
            '"next monday — the " at position 6 is never closed (close it, or remove it)',
        ),
        ("x due:'in 3 days", "'in 3 days", 6, None),
        ('x due:"tomorrow"x', '"tomorrow"x', 6, None),  # a closing quote ends a word
        ('x "unclosed', '"unclosed', 2, None),
        ("'90s party", "'90s party", 0, None),
        ("due:tomorrow", "", 0, "an item needs a title"),
        ("", "", 0, "an item needs a title"),
        ("   ", "", 0, "an item needs a title"),
        ("+tag @bob pri:H", "", 0, "an item needs a title"),
        ('""', "", 0, "an item needs a title"),
        ("milestone", "", 0, "an item needs a title"),
    ],
)
def test_errors_name_the_token(text: str, token: str, position: int, message: str | None) -> None:
    caught = error(text)
    assert caught.token == token
    assert caught.position == position
    assert text[position:].startswith(token)
    if message is not None:
        assert str(caught) == message
    assert str(caught).startswith(token)


def test_error_is_a_value_error_and_survives_pickling() -> None:
    caught = error("x due:blurgh")
    assert isinstance(caught, ValueError)
    copy = pickle.loads(pickle.dumps(caught))
    assert (str(copy), copy.token, copy.position) == (str(caught), "due:blurgh", 2)


# -------------------------------------------------------------------------- modify


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ParsedItem()),
        ("   ", ParsedItem()),
        ("-home", ParsedItem(remove_tags=["home"], given={"tags"})),
        ("-@bob", ParsedItem(remove_assignees=["bob"], given={"assignees"})),
        (
            "-home -@bob +work @alice",
            ParsedItem(
                tags=["work"],
                remove_tags=["home"],
                assignees=["alice"],
                remove_assignees=["bob"],
                given={"tags", "assignees"},
            ),
        ),
        ("-home -home", ParsedItem(remove_tags=["home"], given={"tags"})),
        ("+a -a", ParsedItem(remove_tags=["a"], given={"tags"})),
        ("-a +a", ParsedItem(tags=["a"], given={"tags"})),
        ("@x -@x", ParsedItem(remove_assignees=["x"], given={"assignees"})),
        ("priority:", ParsedItem(given={"priority"})),
        ("pri:L", ParsedItem(priority=Priority.LOW, given={"priority"})),
        ("due:", ParsedItem(given={"due"})),
        ("due:tomorrow", ParsedItem(due=d(11, 26), given={"due"})),
        ("project:", ParsedItem(given={"project"})),
        ("every:", ParsedItem(given={"recurrence"})),
        ("after:", ParsedItem(given={"recurrence"})),
        ("every:weekly after:", ParsedItem(given={"recurrence"})),
        (
            "every: after:3d",
            ParsedItem(
                recurrence=Recurrence("FREQ=DAILY;INTERVAL=3", RecurrenceAnchor.COMPLETION),
                given={"recurrence"},
            ),
        ),
        ("depends:", ParsedItem(given={"depends"})),
        ("est:", ParsedItem(given={"estimate_minutes"})),
        ("New title +x", ParsedItem(title="New title", tags=["x"], given={"title", "tags"})),
        ("-3d", ParsedItem(title="-3d", given={"title"})),
        ("- x", ParsedItem(title="- x", given={"title"})),
        ("milestone", ParsedItem(milestone=True, given={"milestone"})),
    ],
)
def test_modify(text: str, expected: ParsedItem) -> None:
    assert parse(text, modify=True) == expected


def test_modify_still_refuses_bad_values() -> None:
    caught = error("due:blurgh", modify=True)
    assert (caught.token, caught.position) == ("due:blurgh", 0)


# ---------------------------------------------------------------------- hypothesis


def _check_outcome(text: str, modify: bool) -> ParsedItem | None:
    """Parse and check the invariants of the result or the error; None on error."""
    try:
        item = parse_quick_add(text, now=NOW, modify=modify)
    except QuickAddError as exc:
        assert text[exc.position :].startswith(exc.token)
        assert str(exc).startswith(exc.token)
        assert str(exc)
        return None
    assert isinstance(item, ParsedItem)
    assert item.title == item.title.strip()
    assert "  " not in item.title or '"' in text or "'" in text
    assert ("title" in item.given) == bool(item.title)
    assert modify or item.title
    assert len(item.tags) == len(set(item.tags))
    assert len(item.assignees) == len(set(item.assignees))
    assert not set(item.tags) & set(item.remove_tags)
    assert modify or not (item.remove_tags or item.remove_assignees)
    return item


@given(st.text(max_size=60), st.booleans())
@FAST
def test_any_text_parses_or_raises_quick_add_error(text: str, modify: bool) -> None:
    _check_outcome(text, modify)


_TOKENS = [
    # valid attributes
    "due:tomorrow", "due:fri@17:00", 'due:"next monday"', "due:'in 3 days'", "start:3d",
    "sched:mon", "wait:eom", "pri:H", "priority:l", "project:Home", 'pro:"Big one"',
    "every:weekly", "every:mon,wed,fri", "after:3d", "est:2h", "dur:5d", "depends:1,2",
    "milestone", "due:", "pri:",
    # tags, users, removals
    "+home", "+work.urgent", "+Home", "@bob", "@alice_1", "-home", "-@bob", "+", "@", "-",
    "+3d", "-2d",
    # title text that looks like tokens
    "https://x.y/z", "ratio:1:2", "foo:bar", "bob@example.com", "milestones", "Note:",
    '"quoted words"', "'single'", "Bob's", '"due:tomorrow"', "x:", ":", "::", "'", '"',
    # bad values
    "due:blurgh", "pri:Z", "every:nope", "after:0d", "est:abc", "dur:-1", "depends:x",
    'due:"unclosed', "every:FREQ=DAILY;INTERVAL=0",
]  # fmt: skip


@given(
    st.lists(
        st.one_of(st.sampled_from(_TOKENS), st.from_regex(r"[A-Za-z]{1,6}", fullmatch=True)),
        max_size=8,
    ),
    st.lists(st.sampled_from([" ", "  ", "\t", " \n "]), min_size=8, max_size=8),
    st.booleans(),
)
@FAST
def test_token_soup_parses_or_raises_quick_add_error(
    words: list[str], gaps: list[str], modify: bool
) -> None:
    text = "".join(gap + word for gap, word in zip(gaps, words, strict=False))
    _check_outcome(text, modify)


_PLAIN = st.from_regex(r"[A-Za-z][A-Za-z0-9,.!?]{0,8}", fullmatch=True).filter(
    lambda word: word.lower() != "milestone"
)


@given(st.lists(_PLAIN, min_size=1, max_size=8))
@FAST
def test_plain_words_survive_exactly(words: list[str]) -> None:
    text = " ".join(words)
    assert parse(text) == ParsedItem(title=text, given={"title"})


_VALID = [
    "due:tomorrow", "start:3d", "wait:eom", "pri:M", "project:Home", "every:weekdays",
    "est:30m", "dur:2w", "depends:4", "milestone", "+a", "+b.c", "@zed", "@amy",
]  # fmt: skip


@given(
    st.lists(_PLAIN, min_size=1, max_size=5),
    st.lists(st.sampled_from(_VALID), max_size=6),
    st.randoms(use_true_random=False),
)
@FAST
def test_tokens_come_out_and_the_title_stays(words: list[str], tokens: list[str], rnd: Any) -> None:
    line = [*words, *tokens]
    rnd.shuffle(line)
    item = parse(" ".join(line))
    assert item.title == " ".join(word for word in line if word in words)
    tags = [token[1:] for token in tokens if token.startswith("+")]
    users = [token[1:] for token in tokens if token.startswith("@")]
    assert item.tags == list(dict.fromkeys(token[1:] for token in line if token.startswith("+")))
    assert set(item.tags) == set(tags)
    assert item.assignees == list(
        dict.fromkeys(token[1:] for token in line if token.startswith("@"))
    )
    assert set(item.assignees) == set(users)
    keys = {token.split(":")[0] for token in tokens if ":" in token}
    expected_given = {"title"} | {ATTRIBUTE_KEYS[key] for key in keys}
    expected_given = {"recurrence" if field == "every" else field for field in expected_given}
    expected_given |= {"tags"} if tags else set()
    expected_given |= {"assignees"} if users else set()
    expected_given |= {"milestone"} if "milestone" in tokens else set()
    assert item.given == expected_given


@given(st.lists(st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,6}", fullmatch=True), max_size=6))
@FAST
def test_modify_round_trips_removals(names: list[str]) -> None:
    text = " ".join(f"-{name} -@{name}" for name in names)
    item = parse(text, modify=True)
    unique = list(dict.fromkeys(names))
    assert item.remove_tags == unique
    assert item.remove_assignees == unique
    assert item.title == ""
