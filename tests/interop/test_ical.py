"""iCalendar export and import: the exact mapping both ways, every rejection, round trips.

Time zones are pinned per test (``TZ`` + ``time.tzset``): floating times never move, and
UTC / zoned times become this machine's local time, so the expected values are exact.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taskdesk.domain.importing import RECORD_FIELDS, ImportFileError, ImportRecord
from taskdesk.domain.model import (
    Assignment,
    Container,
    ContainerKind,
    Item,
    Priority,
    Recurrence,
    RecurrenceAnchor,
    StatusCategory,
)
from taskdesk.domain.text import clean_line, clean_text, clean_title
from taskdesk.interop.ical import ICAL_FIELDS, export_calendar, parse_ical

NOW = datetime(2026, 3, 1, 12, 0)
UUID_A = "6f1c2a9e-1111-4c3b-9a55-000000000001"
UUID_B = "6f1c2a9e-1111-4c3b-9a55-000000000002"

SetTz = Callable[[str], None]


@pytest.fixture
def local_tz(monkeypatch: pytest.MonkeyPatch) -> Iterator[SetTz]:
    """Set this process's local time zone for one test (restored afterwards)."""

    def set_tz(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    set_tz("UTC")
    yield set_tz
    monkeypatch.undo()
    time.tzset()


def item(**changes: object) -> Item:
    """An open item with nothing set but what the test gives."""
    base = Item(
        id=1, uuid=UUID_A, title="Write the report", status_id=1, status="Todo",
        category=StatusCategory.UNSTARTED,
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def component_lines(text: str, kind: str = "VTODO", number: int = 1) -> list[str]:
    """The unfolded content lines of the NUMBER-th KIND component, without BEGIN/END."""
    unfolded = text.replace("\r\n ", "").split("\r\n")
    blocks: list[list[str]] = []
    inside = False
    for line in unfolded:
        if line == f"BEGIN:{kind}":
            blocks.append([])
            inside = True
        elif line == f"END:{kind}":
            inside = False
        elif inside:
            blocks[-1].append(line)
    return blocks[number - 1]


def wrap(*lines: str, prodid: str = "-//Example Corp//Calendar//EN") -> bytes:
    """A calendar of the given lines (CRLF, as RFC 5545 wants)."""
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{prodid}", *lines, "END:VCALENDAR"]
    return ("\r\n".join(body) + "\r\n").encode("utf-8")


def todo(*lines: str, uid: str = "todo-1@example.com") -> list[str]:
    return ["BEGIN:VTODO", f"UID:{uid}", "DTSTAMP:20260101T000000Z", *lines, "END:VTODO"]


def one(data: bytes, **kwargs: object) -> ImportRecord:
    records = parse_ical(data, name="cal.ics", **kwargs)  # type: ignore[arg-type]
    assert len(records) == 1
    return records[0]


def error_of(data: bytes) -> str:
    with pytest.raises(ImportFileError) as info:
        parse_ical(data, name="cal.ics")
    return str(info.value)


# ------------------------------------------------------------------------- export


def test_export_writes_the_calendar_header(local_tz: SetTz) -> None:
    text = export_calendar([], now=NOW).text
    assert text == (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//taskdesk//EN\r\nCALSCALE:GREGORIAN\r\n"
        "X-WR-CALNAME:taskdesk\r\nEND:VCALENDAR\r\n"
    )


def test_export_maps_every_field_of_a_todo(local_tz: SetTz) -> None:
    local_tz("America/New_York")
    full = item(
        title="Write the report, part 1; draft",
        notes="First line\nsecond line",
        status="Doing",
        category=StatusCategory.STARTED,
        priority=Priority.HIGH,
        start=datetime(2026, 3, 2, 9, 0),
        due=datetime(2026, 3, 6, 17, 30),
        wait=datetime(2026, 3, 1, 8, 0),
        tags=("report", "q1, finance"),
        project="Finance",
        assignees=(Assignment("alice"), Assignment("bob", 0.5)),
        estimate_minutes=90,
        created=datetime(2026, 2, 1, 9, 0, 0, 123456),
        updated=datetime(2026, 7, 1, 9, 0),
        recurrence=Recurrence("FREQ=WEEKLY;BYDAY=MO", RecurrenceAnchor.COMPLETION),
        depends=(2, 99),
    )
    pred = item(id=2, uuid=UUID_B, title="Gather numbers")
    export = export_calendar([full, pred], now=NOW)
    assert (export.todos, export.events, export.describe()) == (2, 0, "2 to-dos, 0 events")
    assert component_lines(export.text) == [
        "CATEGORIES:report,q1\\, finance",
        "CREATED:20260201T140000Z",  # EST is UTC-5 in February
        "DESCRIPTION:First line\\nsecond line",
        "DTSTAMP:20260301T170000Z",
        "DTSTART:20260302T090000",
        "DUE:20260306T173000",
        "LAST-MODIFIED:20260701T130000Z",  # EDT is UTC-4 in July
        "PRIORITY:1",
        "RELATED-TO;RELTYPE=FINISHTOSTART:" + UUID_B,  # 99 is not exported: no link
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "STATUS:IN-PROCESS",
        "SUMMARY:Write the report\\, part 1\\; draft",
        "UID:" + UUID_A,
        "X-TASKDESK-ANCHOR:completion",
        "X-TASKDESK-ASSIGNEE:alice",
        "X-TASKDESK-ASSIGNEE:bob",
        "X-TASKDESK-ESTIMATE:90",
        "X-TASKDESK-PROJECT:Finance",
        "X-TASKDESK-WAIT;VALUE=DATE-TIME:20260301T080000",
    ]


@pytest.mark.parametrize(
    ("start", "due", "expected"),
    [
        (None, datetime(2026, 3, 6), ["DUE;VALUE=DATE:20260306"]),
        (datetime(2026, 3, 2), None, ["DTSTART;VALUE=DATE:20260302"]),
        (
            datetime(2026, 3, 2),
            datetime(2026, 3, 6),
            ["DTSTART;VALUE=DATE:20260302", "DUE;VALUE=DATE:20260306"],
        ),
        # one of them has a time: both are date-times (RFC 5545: same value type)
        (
            datetime(2026, 3, 2),
            datetime(2026, 3, 6, 17, 0),
            ["DTSTART:20260302T000000", "DUE:20260306T170000"],
        ),
        (None, datetime(2026, 3, 6, 0, 0, 59), ["DUE:20260306T000059"]),
    ],
)
def test_export_writes_all_day_dates_only_when_no_time_is_set(
    local_tz: SetTz, start: datetime | None, due: datetime | None, expected: list[str]
) -> None:
    lines = component_lines(export_calendar([item(start=start, due=due)], now=NOW).text)
    assert [line for line in lines if line.startswith(("DTSTART", "DUE"))] == expected


@pytest.mark.parametrize(
    ("category", "priority", "status", "extra"),
    [
        (StatusCategory.BACKLOG, Priority.LOW, "NEEDS-ACTION", ["X-TASKDESK-STATE:backlog"]),
        (StatusCategory.UNSTARTED, Priority.MEDIUM, "NEEDS-ACTION", []),
        (StatusCategory.STARTED, Priority.HIGH, "IN-PROCESS", []),
        (StatusCategory.COMPLETED, None, "COMPLETED", ["COMPLETED:20260228T160000Z"]),
        (StatusCategory.CANCELLED, None, "CANCELLED", []),
    ],
)
def test_export_maps_status_and_priority(
    local_tz: SetTz,
    category: StatusCategory,
    priority: Priority | None,
    status: str,
    extra: list[str],
) -> None:
    done = datetime(2026, 2, 28, 16, 0) if category is StatusCategory.COMPLETED else None
    one_item = item(category=category, priority=priority, completed=done)
    lines = component_lines(export_calendar([one_item], now=NOW).text)
    pri = {Priority.HIGH: "1", Priority.MEDIUM: "5", Priority.LOW: "9"}
    assert [x for x in lines if x.startswith("PRIORITY")] == (
        [f"PRIORITY:{pri[priority]}"] if priority else []
    )
    assert f"STATUS:{status}" in lines
    assert [x for x in lines if x.startswith(("X-TASKDESK-STATE", "COMPLETED"))] == extra


def test_export_leaves_the_rule_off_closed_occurrences(local_tz: SetTz) -> None:
    rule = Recurrence("FREQ=DAILY")
    items = [
        item(recurrence=rule, category=StatusCategory.COMPLETED, due=datetime(2026, 2, 28)),
        item(id=2, uuid=UUID_B, recurrence=rule, due=datetime(2026, 3, 1)),
    ]
    text = export_calendar(items, now=NOW).text
    assert [x for x in component_lines(text, number=1) if "RRULE" in x or "ANCHOR" in x] == []
    assert [x for x in component_lines(text, number=2) if "RRULE" in x or "ANCHOR" in x] == [
        "RRULE:FREQ=DAILY"
    ]


def test_export_writes_dated_milestones_and_deadlines_as_all_day_events(
    local_tz: SetTz,
) -> None:
    milestone = item(
        title="Beta released",
        milestone=True,
        start=datetime(2026, 3, 5, 9, 0),
        due=datetime(2026, 3, 5, 17, 0),
        priority=Priority.HIGH,
        category=StatusCategory.COMPLETED,
        completed=datetime(2026, 3, 5, 16, 0),
    )
    undated = item(id=2, uuid=UUID_B, title="Sign-off", milestone=True)
    project = Container(id=7, name="Launch", kind=ContainerKind.PROJECT, deadline=date(2026, 4, 30))
    area = Container(id=8, name="Ops", kind=ContainerKind.AREA)
    export = export_calendar([milestone, undated], projects=[project, area], now=NOW)
    assert export.describe() == "1 to-do, 2 events"
    assert component_lines(export.text, "VEVENT", 1) == [
        "SUMMARY:Beta released",
        "DTSTART;VALUE=DATE:20260305",
        "DTEND;VALUE=DATE:20260306",
        "DTSTAMP:20260301T120000Z",
        "UID:" + UUID_A,
        "PRIORITY:1",
        "STATUS:CONFIRMED",
        "TRANSP:TRANSPARENT",
        "X-TASKDESK-COMPLETED;VALUE=DATE-TIME:20260305T160000Z",
        "X-TASKDESK-DUE;VALUE=DATE-TIME:20260305T170000",
        "X-TASKDESK-MILESTONE:TRUE",
        "X-TASKDESK-START;VALUE=DATE-TIME:20260305T090000",
        "X-TASKDESK-STATE:completed",
    ]
    assert component_lines(export.text, "VEVENT", 2) == [
        "SUMMARY:Deadline: Launch",
        "DTSTART;VALUE=DATE:20260430",
        "DTEND;VALUE=DATE:20260501",
        "DTSTAMP:20260301T120000Z",
        "UID:project-7-deadline@taskdesk",
        "TRANSP:TRANSPARENT",
        "X-TASKDESK-DEADLINE-OF:Launch",
    ]
    assert "X-TASKDESK-MILESTONE:TRUE" in component_lines(export.text, "VTODO", 1)


# ------------------------------------------------------------------------- import


def test_import_reads_every_field_of_a_foreign_todo(local_tz: SetTz) -> None:
    data = wrap(
        *todo(
            "SUMMARY:Call the bank\\, then the accountant",
            "DESCRIPTION:Ask about fees\\nand the new card",
            "PRIORITY:2",
            "DTSTART;VALUE=DATE:20260302",
            "DUE;VALUE=DATE:20260306",
            "STATUS:IN-PROCESS",
            "CATEGORIES:money,calls",
            "CATEGORIES:calls,urgent",
            "CREATED:20260201T090000Z",
            "RELATED-TO:parent@example.com",
            "RELATED-TO;RELTYPE=DEPENDS-ON:todo-0@example.com",
        )
    )
    assert one(data) == ImportRecord(
        uid="todo-1@example.com",
        title="Call the bank, then the accountant",
        state=StatusCategory.STARTED,
        notes="Ask about fees\nand the new card",
        priority=Priority.HIGH,
        start=datetime(2026, 3, 2),
        due=datetime(2026, 3, 6),
        created=datetime(2026, 2, 1, 9, 0),
        tags=("money", "calls", "urgent"),
        depends=("todo-0@example.com",),
        where="VTODO #1 (UID todo-1@example.com)",
        fields=ICAL_FIELDS | {"depends"},
    )


def test_import_converts_zoned_and_utc_times_to_local_time(local_tz: SetTz) -> None:
    local_tz("America/New_York")
    zone = [
        "BEGIN:VTIMEZONE",
        "TZID:Plus Three",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        "TZOFFSETFROM:+0300",
        "TZOFFSETTO:+0300",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    data = wrap(
        *zone,
        *todo(
            "SUMMARY:Zones",
            "DTSTART;TZID=Europe/Paris:20260310T170000",  # CET, UTC+1 → 12:00 EDT
            "DUE;TZID=Plus Three:20260320T170000",  # UTC+3 → 10:00 EDT
            "COMPLETED:20260105T150000Z",  # EST: 10:00
        ),
        *todo("SUMMARY:Floating", "DUE:20260310T170000", uid="todo-2"),
    )
    zoned, floating = parse_ical(data, name="cal.ics")
    assert (zoned.start, zoned.due, zoned.completed) == (
        datetime(2026, 3, 10, 12, 0),
        datetime(2026, 3, 20, 10, 0),
        datetime(2026, 1, 5, 10, 0),
    )
    assert zoned.state is StatusCategory.COMPLETED  # a COMPLETED time and no STATUS
    assert floating.due == datetime(2026, 3, 10, 17, 0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", None),
        ("1", Priority.HIGH),
        ("4", Priority.HIGH),
        ("5", Priority.MEDIUM),
        ("6", Priority.LOW),
        ("9", Priority.LOW),
    ],
)
def test_import_maps_priorities(local_tz: SetTz, value: str, expected: Priority | None) -> None:
    assert one(wrap(*todo("SUMMARY:x", f"PRIORITY:{value}"))).priority is expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([], StatusCategory.UNSTARTED),
        (["STATUS:NEEDS-ACTION"], StatusCategory.UNSTARTED),
        (["STATUS:needs-action", "X-TASKDESK-STATE:backlog"], StatusCategory.BACKLOG),
        (["STATUS:IN-PROCESS", "X-TASKDESK-STATE:backlog"], StatusCategory.STARTED),
        (["STATUS:COMPLETED"], StatusCategory.COMPLETED),
        (["STATUS:CANCELLED"], StatusCategory.CANCELLED),
    ],
)
def test_import_maps_todo_statuses(
    local_tz: SetTz, lines: list[str], expected: StatusCategory
) -> None:
    assert one(wrap(*todo("SUMMARY:x", *lines))).state is expected


def test_import_reads_foreign_events_as_items(local_tz: SetTz) -> None:
    data = wrap(
        "BEGIN:VEVENT",
        "UID:ev-1",
        "SUMMARY:Offsite",
        "DTSTART;VALUE=DATE:20260310",
        "DTEND;VALUE=DATE:20260313",  # exclusive: the last day is the 12th
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:ev-2",
        "SUMMARY:Stand-up",
        "DTSTART:20260302T093000",
        "DURATION:PT15M",
        "RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261231T000000Z",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:ev-3",
        "SUMMARY:Holiday",
        "DTSTART;VALUE=DATE:20260401",
        "STATUS:CANCELLED",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:ev-2",
        "RECURRENCE-ID:20260304T093000",
        "SUMMARY:Stand-up (moved)",
        "DTSTART:20260304T100000",
        "END:VEVENT",
    )
    offsite, standup, holiday = parse_ical(data, name="cal.ics")
    assert (offsite.start, offsite.due, offsite.milestone) == (
        datetime(2026, 3, 10),
        datetime(2026, 3, 12),
        False,
    )
    assert (standup.start, standup.due) == (
        datetime(2026, 3, 2, 9, 30),
        datetime(2026, 3, 2, 9, 45),
    )
    assert standup.recurrence == Recurrence("FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261231T000000")
    assert (holiday.state, holiday.start, holiday.due) == (
        StatusCategory.CANCELLED,
        datetime(2026, 4, 1),
        datetime(2026, 4, 1),
    )


def test_import_skips_deadlines_and_moves_milestones_with_their_event(local_tz: SetTz) -> None:
    data = wrap(
        "BEGIN:VEVENT",
        "UID:" + UUID_A,
        "SUMMARY:Beta released",
        "DTSTART;VALUE=DATE:20260307",  # moved two days later in a calendar app
        "DTEND;VALUE=DATE:20260308",
        "X-TASKDESK-MILESTONE:TRUE",
        "X-TASKDESK-DUE;VALUE=DATE-TIME:20260305T170000",
        "X-TASKDESK-START:20260305T090000",
        "X-TASKDESK-STATE:started",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:project-7-deadline@taskdesk",
        "SUMMARY:Deadline: Launch",
        "DTSTART;VALUE=DATE:20260430",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:other",
        "SUMMARY:Deadline: Other",
        "DTSTART;VALUE=DATE:20260430",
        "X-TASKDESK-DEADLINE-OF:Other",
        "END:VEVENT",
        prodid="-//taskdesk//EN",
    )
    (milestone,) = parse_ical(data, name="cal.ics")
    assert milestone == ImportRecord(
        uid=UUID_A,
        title="Beta released",
        state=StatusCategory.STARTED,
        start=datetime(2026, 3, 7, 9, 0),
        due=datetime(2026, 3, 7, 17, 0),
        milestone=True,
        where=f"VEVENT #1 (UID {UUID_A})",
    )


def test_import_gives_components_without_uid_a_stable_one(local_tz: SetTz) -> None:
    data = wrap(
        "BEGIN:VTODO", "SUMMARY:Same", "PRIORITY:1", "END:VTODO",
        "BEGIN:VTODO", "SUMMARY:Same", "PRIORITY:1", "END:VTODO",
        "BEGIN:VTODO", "SUMMARY:Other", "END:VTODO",
    )  # fmt: skip
    first = parse_ical(data, name="cal.ics")
    again = parse_ical(data, name="cal.ics")
    assert [r.uid for r in first] == [r.uid for r in again]
    assert len({r.item_uuid for r in first}) == 3
    assert [r.where for r in first] == ["VTODO #1", "VTODO #2", "VTODO #3"]


def test_import_skips_what_it_does_not_know(local_tz: SetTz) -> None:
    data = wrap(
        "BEGIN:VJOURNAL",
        "UID:j",
        "SUMMARY:Diary",
        "END:VJOURNAL",
        *todo("SUMMARY:x", "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT15M", "END:VALARM"),
    )
    assert [r.title for r in parse_ical(data, name="cal.ics")] == ["x"]


def test_import_of_taskdesk_files_carries_every_field(local_tz: SetTz) -> None:
    data = wrap(*todo("SUMMARY:x"), prodid="-//taskdesk//EN")
    assert one(data).fields is None
    assert one(wrap(*todo("SUMMARY:x"))).fields == ICAL_FIELDS


def test_closed_todos_without_a_rule_leave_recurrence_alone(local_tz: SetTz) -> None:
    ours = wrap(*todo("SUMMARY:x", "STATUS:COMPLETED"), prodid="-//taskdesk//EN")
    assert one(ours).fields == RECORD_FIELDS - {"recurrence"}
    foreign = wrap(*todo("SUMMARY:x", "STATUS:CANCELLED"))
    assert one(foreign).fields == ICAL_FIELDS - {"recurrence"}
    ruled = wrap(*todo("SUMMARY:x", "STATUS:COMPLETED", "RRULE:FREQ=DAILY"))
    assert one(ruled).fields == ICAL_FIELDS


# ------------------------------------------------------------------- rejections

BAD_FILES: list[tuple[list[str], str]] = [
    (
        todo("SUMMARY:x")[:-1],
        "cal.ics: line 8: END:VCALENDAR while BEGIN:VTODO of line 4 is still open "
        "(missing END:VTODO?)",
    ),
    (
        ["END:VTODO"],
        "cal.ics: line 4: END:VTODO while BEGIN:VCALENDAR of line 1 is still open "
        "(missing END:VCALENDAR?)",
    ),
    (
        todo("SUMMARY:x", "DUE:2026-13-01"),
        "cal.ics: line 8: VTODO #1: DUE: Expected datetime, date, or time. Got: '2026-13-01'",
    ),
    (
        todo("SUMMARY:x", "DUE:20261301"),
        "cal.ics: line 8: VTODO #1: DUE: Wrong date format 20261301",
    ),
    (
        todo("SUMMARY:x", "DUE;TZID=Mars/Olympus:20260310T170000"),
        "cal.ics: line 8: VTODO #1 (UID todo-1@example.com): DUE: unknown time zone "
        "'Mars/Olympus' (not a VTIMEZONE of the file, not IANA)",
    ),
    (
        todo("SUMMARY:x", "DUE:20260310", "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"),
        "cal.ics: line 9: VTODO #1 (UID todo-1@example.com): RRULE: the rule "
        '"FREQ=YEARLY;BYMONTHDAY=30;BYMONTH=2" never occurs (no date in the next 10 years)',
    ),
    (
        todo("SUMMARY:x", "RRULE:FREQ=HOURLY"),
        "cal.ics: line 8: VTODO #1 (UID todo-1@example.com): RRULE: FREQ=HOURLY is not "
        "supported (use DAILY, WEEKLY, MONTHLY, YEARLY)",
    ),
    (
        todo("SUMMARY:x", "PRIORITY:12"),
        "cal.ics: line 8: VTODO #1 (UID todo-1@example.com): PRIORITY: 12 is not 0–9",
    ),
    (
        todo("SUMMARY:x", "PRIORITY:high"),
        "cal.ics: line 8: VTODO #1: PRIORITY: Expected int, got: high",
    ),
    (
        todo("SUMMARY:x", "STATUS:DONE"),
        "cal.ics: line 8: VTODO #1 (UID todo-1@example.com): STATUS: 'DONE' is not a to-do "
        "status (NEEDS-ACTION, IN-PROCESS, COMPLETED, CANCELLED)",
    ),
    (
        todo("DESCRIPTION:no title"),
        "cal.ics: line 4: VTODO #1 (UID todo-1@example.com): SUMMARY: missing or empty "
        "(an item needs a title)",
    ),
    (
        [*todo("SUMMARY:a"), *todo("SUMMARY:b")],
        "cal.ics: line 9: VTODO #2 (UID todo-1@example.com): the same UID as "
        "VTODO #1 (UID todo-1@example.com)",
    ),
    (
        ["BEGIN:VEVENT", "UID:e", "SUMMARY:e", "END:VEVENT"],
        "cal.ics: line 4: VEVENT #1 (UID e): DTSTART: missing (an event needs a start)",
    ),
    (
        todo("SUMMARY:x", "SUMMARY:y"),
        "cal.ics: line 7: VTODO #1 (UID todo-1@example.com): SUMMARY: appears more than once",
    ),
    (
        todo("SUMMARY:x", "X-TASKDESK-ESTIMATE:1h"),
        "cal.ics: line 8: VTODO #1 (UID todo-1@example.com): X-TASKDESK-ESTIMATE: '1h' is "
        "not a number of minutes",
    ),
    (  # icalendar keeps bad values inside VEVENTs as "broken" properties: still refused
        ["BEGIN:VEVENT", "UID:e", "SUMMARY:e", "DTSTART:20260101", "DURATION:xx", "END:VEVENT"],
        "cal.ics: line 8: VEVENT #1 (UID e): DURATION: Expected datetime, date, or time. Got: 'xx'",
    ),
    (
        ["BEGIN:VEVENT", "UID:e", "SUMMARY:e", "DTSTART:2026-01-01", "END:VEVENT"],
        "cal.ics: line 7: VEVENT #1 (UID e): DTSTART: Expected datetime, date, or time. "
        "Got: '2026-01-01'",
    ),
]


@pytest.mark.parametrize(("lines", "message"), BAD_FILES)
def test_import_rejects_bad_files_naming_the_line(
    local_tz: SetTz, lines: list[str], message: str
) -> None:
    assert error_of(wrap(*lines)) == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "cal.ics: no BEGIN:VCALENDAR (not an iCalendar file)"),
        (b"hello\r\n", "cal.ics: line 1: text outside BEGIN:VCALENDAR \u2026 END"),
        (b"BEGIN:VTODO\r\nEND:VTODO\r\n", "cal.ics: line 1: BEGIN:VTODO outside a VCALENDAR"),
        (b"BEGIN:VCALENDAR\r\n", "cal.ics: line 1: BEGIN:VCALENDAR has no END:VCALENDAR"),
        (b"END:VCALENDAR\r\n", "cal.ics: line 1: END:VCALENDAR without a BEGIN:VCALENDAR"),
        (b"BEGIN:VCALENDAR\r\nSUMMARY:\xff\r\n", "cal.ics: line 2: not UTF-8 text"),
    ],
)
def test_import_rejects_what_is_not_a_calendar(local_tz: SetTz, data: bytes, message: str) -> None:
    assert error_of(data) == message


def test_folded_lines_are_counted_from_their_first_line(local_tz: SetTz) -> None:
    data = wrap(*todo("SUMMARY:a long", " title", "DUE;TZID=Nowhere/", " Zone:20260101T000000"))
    assert error_of(data).startswith("cal.ics: line 9: VTODO #1")


@given(st.binary(max_size=400))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_are_records_or_one_import_error(local_tz: SetTz, data: bytes) -> None:
    try:
        records = parse_ical(data, name="x.ics")
    except ImportFileError as exc:
        assert str(exc).startswith("x.ics: ")
    else:
        assert all(isinstance(r, ImportRecord) for r in records)


_LINES = st.sampled_from(
    [
        "BEGIN:VCALENDAR",
        "END:VCALENDAR",
        "BEGIN:VTODO",
        "END:VTODO",
        "BEGIN:VEVENT",
        "END:VEVENT",
        "BEGIN:VTIMEZONE",
        "END:VTIMEZONE",
        "BEGIN:VALARM",
        "END:VALARM",
        "UID:a",
        "UID:b",
        "SUMMARY:x",
        "SUMMARY:",
        "DUE:20260101",
        "DUE:2026",
        "DTSTART:20260101T100000Z",
        "DTSTART;TZID=Europe/Paris:20260101T100000",
        "DTSTART;TZID=Nope:20260101T100000",
        "DTEND;VALUE=DATE:20250101",
        "DURATION:PT1H",
        "DURATION:-P1D",
        "DURATION:xx",
        "RRULE:FREQ=DAILY",
        "RRULE:FREQ=DAILY;COUNT=0",
        "RRULE:BYDAY=MO",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2",
        "PRIORITY:3",
        "PRIORITY:-1",
        "STATUS:COMPLETED",
        "STATUS:CONFIRMED",
        "CATEGORIES:a,b",
        "CATEGORIES:",
        "X-TASKDESK-MILESTONE:TRUE",
        "X-TASKDESK-DUE:20260101T100000",
        "X-TASKDESK-DUE:garbage",
        "X-TASKDESK-ANCHOR:completion",
        "X-TASKDESK-STATE:odd",
        "RECURRENCE-ID:20260101",
        "RELATED-TO;RELTYPE=DEPENDS-ON:a",
        "no colon",
        " folded",
        "TZID:Zone",
        "TZOFFSETTO:+0100",
        "",
    ]
)


_PROPS = _LINES.filter(lambda x: x[:1] not in " BE" and ":" in x)
_COMPONENTS = st.lists(
    st.tuples(
        st.sampled_from(["VTODO", "VEVENT"]),
        st.lists(st.one_of(_PROPS, _PROPS, _PROPS, _PROPS, _LINES), max_size=6),
    ),
    max_size=4,
)


@given(_COMPONENTS)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_calendar_like_text_is_records_or_one_import_error(
    local_tz: SetTz, components: list[tuple[str, list[str]]]
) -> None:
    lines = ["BEGIN:VCALENDAR"]
    for number, (kind, props) in enumerate(components):
        lines += [f"BEGIN:{kind}", f"UID:{number}", "SUMMARY:t", *props, f"END:{kind}"]
    data = ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()
    try:
        records = parse_ical(data, name="x.ics")
    except ImportFileError as exc:
        assert str(exc).startswith("x.ics: ")
    else:
        assert all(r.title.strip() for r in records)


# --------------------------------------------------------------------- round trip

_SECONDS = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2090, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)
_MIDNIGHTS = st.dates(min_value=date(1971, 1, 1), max_value=date(2090, 12, 31)).map(
    lambda d: datetime(d.year, d.month, d.day)
)
_WHEN = st.none() | _SECONDS | _MIDNIGHTS
_LINE = st.text(min_size=1, max_size=30).map(clean_line).filter(bool)
_RULES = st.sampled_from(
    [
        None,
        Recurrence("FREQ=DAILY"),
        Recurrence("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR"),
        Recurrence("FREQ=MONTHLY;BYDAY=-1FR"),
        Recurrence("FREQ=DAILY;INTERVAL=3", RecurrenceAnchor.COMPLETION),
        Recurrence("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24"),
    ]
)


@st.composite
def items(draw: st.DrawFn) -> Item:
    """An item with any mix of the fields an iCalendar file carries."""
    category = draw(st.sampled_from(list(StatusCategory)))
    milestone = draw(st.booleans())
    return item(
        title=draw(st.text(min_size=1, max_size=60).map(clean_title).filter(bool)),
        notes=draw(st.text(max_size=60).map(clean_text)),
        category=category,
        priority=draw(st.none() | st.sampled_from(list(Priority))),
        due=draw(_WHEN),
        start=draw(_WHEN),
        wait=draw(st.none() | _SECONDS),
        completed=draw(_SECONDS) if category is StatusCategory.COMPLETED else None,
        created=draw(st.none() | _SECONDS),
        project=draw(st.none() | _LINE),
        tags=tuple(draw(st.lists(_LINE, max_size=4, unique=True))),
        assignees=tuple(Assignment(x) for x in draw(st.lists(_LINE, max_size=3, unique=True))),
        recurrence=draw(_RULES),
        milestone=milestone,
        estimate_minutes=draw(st.none() | st.integers(0, 100_000)),
    )


@given(items())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_round_trip_keeps_every_field(local_tz: SetTz, one_item: Item) -> None:
    text = export_calendar([one_item], now=NOW).text
    (record,) = parse_ical(text.encode("utf-8"), name="x.ics", today=NOW.date())
    kind = "VEVENT" if one_item.milestone and (one_item.due or one_item.start) else "VTODO"
    assert record == ImportRecord(
        uid=one_item.uuid,
        title=one_item.title,
        state=one_item.category,
        notes=one_item.notes,
        priority=one_item.priority,
        due=one_item.due,
        start=one_item.start,
        wait=one_item.wait,
        completed=one_item.completed,
        created=one_item.created,
        project=one_item.project,
        tags=one_item.tags,
        assignees=one_item.assignee_logins,
        recurrence=one_item.recurrence if one_item.is_open else None,
        milestone=one_item.milestone,
        estimate_minutes=one_item.estimate_minutes,
        where=f"{kind} #1 (UID {one_item.uuid})",
        fields=None if one_item.is_open else RECORD_FIELDS - {"recurrence"},
    )


def test_round_trip_keeps_links_between_exported_items(local_tz: SetTz) -> None:
    first = item(title="First")
    second = item(id=2, uuid=UUID_B, title="Second", depends=(1,))
    text = export_calendar([first, second], now=NOW).text
    records = parse_ical(text.encode(), name="x.ics")
    assert [r.depends for r in records] == [(), (UUID_A,)]


def test_a_due_before_the_rule_start_still_round_trips(local_tz: SetTz) -> None:
    rule = Recurrence("FREQ=WEEKLY;BYDAY=MO;UNTIL=20260401")
    one_item = item(recurrence=rule, due=datetime(2026, 3, 2) - timedelta(days=7))
    (record,) = parse_ical(export_calendar([one_item], now=NOW).text.encode(), name="x.ics")
    assert record.recurrence == rule
