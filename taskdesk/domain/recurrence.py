"""Recurring work: the RULE words of quick-add as RFC 5545 RRULEs, expanded by dateutil.

A series stores an RRULE body (``FREQ=WEEKLY;BYDAY=MO``) and an anchor (see
``docs/algorithms.md``, "Recurrence"). python-dateutil expands the rules; this module
adds what dateutil leaves to its caller:

- **Validation.** dateutil accepts rules that are nonsense (``BYMONTHDAY=0``) or that it
  can't finish (``INTERVAL=0`` loops forever). Rule bodies are checked part by part and
  stored in one canonical spelling, so equal rules compare equal.
- **Bounded searches.** dateutil only yields matching dates, and a rule that matches
  nothing (``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``) is walked day by day until year 9999;
  an ``UNTIL`` doesn't stop that walk because it is only checked on matches. Every search
  here therefore runs in a calendar shifted by whole 400-year cycles (the Gregorian
  calendar repeats exactly every 400 years: same weekdays, same leap years) so that the
  end of the search lands just before year 9999, where dateutil's own walk stops. A
  search costs at most its window plus 400 years of walking, never the age of the
  universe, and the dates it finds are exactly the unshifted rule's dates.

Taskdesk recurs by the day: sub-daily frequencies and ``BYHOUR``/``BYMINUTE``/
``BYSECOND`` are refused, and so is dateutil's non-standard ``BYEASTER`` (Easter
doesn't repeat every 400 years).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from datetime import MAXYEAR, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr

from taskdesk.domain.dates import WEEKDAYS
from taskdesk.domain.model import Recurrence, RecurrenceAnchor

__all__ = [
    "RecurrenceError",
    "describe",
    "missed_occurrences",
    "next_occurrence",
    "occurrences",
    "parse_after",
    "parse_every",
    "parse_rule",
]

_RULE_HINT = "try daily, weekdays, weekly, monthly, 2w, mon,wed,fri or RRULE:FREQ=…"
#: RRULE parts taskdesk accepts, in the order it writes them.
_PART_ORDER = (
    "FREQ",
    "INTERVAL",
    "BYMONTH",
    "BYWEEKNO",
    "BYYEARDAY",
    "BYMONTHDAY",
    "BYDAY",
    "BYSETPOS",
    "WKST",
    "COUNT",
    "UNTIL",
)
_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MONTH_NAMES: tuple[str, ...] = ("", "jan", "feb", "mar", "apr", "may", "jun")
_MONTH_NAMES += ("jul", "aug", "sep", "oct", "nov", "dec")
_WORKWEEK = "MO,TU,WE,TH,FR"
#: Larger intervals are typos; dateutil's walk also slows down with huge steps.
_MAX_INTERVAL = 1000
#: ``parse_rule`` refuses rules with no date this many years from today.
_CHECK_YEARS = 10
#: How far ahead ``next_occurrence`` looks before deciding a rule has ended.
_SEARCH_YEARS = 100
#: The Gregorian calendar's period: weekdays and leap years repeat exactly.
_CYCLE_YEARS = 400

_WORD_RULES: dict[str, str] = {
    "daily": "FREQ=DAILY",
    "every day": "FREQ=DAILY",
    "weekdays": f"FREQ=WEEKLY;BYDAY={_WORKWEEK}",
    "every weekday": f"FREQ=WEEKLY;BYDAY={_WORKWEEK}",
    "weekends": "FREQ=WEEKLY;BYDAY=SA,SU",
    "weekly": "FREQ=WEEKLY",
    "every week": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "fortnightly": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY",
    "every month": "FREQ=MONTHLY",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3",
    "yearly": "FREQ=YEARLY",
    "annually": "FREQ=YEARLY",
    "every year": "FREQ=YEARLY",
}
_UNIT_FREQ: dict[str, str] = {
    **dict.fromkeys(("d", "day", "days"), "DAILY"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "WEEKLY"),
    **dict.fromkeys(("m", "mo", "mos", "month", "months"), "MONTHLY"),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), "YEARLY"),
}
_FREQ_UNIT = {"DAILY": "d", "WEEKLY": "w", "MONTHLY": "m", "YEARLY": "y"}
_FREQ_WORD = {"DAILY": "days", "WEEKLY": "weeks", "MONTHLY": "months", "YEARLY": "years"}
_FREQ_ADJECTIVE = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "YEARLY": "yearly"}
_EVERY_N = re.compile(r"(?:every )?(\d{1,9}) ?([a-z]+)", re.ASCII)
_BYDAY_ITEM = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)", re.ASCII)
_UNTIL = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2}))?", re.ASCII)
#: Signed ranges of the numeric BY parts (RFC 5545 section 3.3.10); 0 is never allowed.
_BY_RANGES: dict[str, tuple[int, bool]] = {
    "BYMONTH": (12, False),
    "BYWEEKNO": (53, True),
    "BYYEARDAY": (366, True),
    "BYMONTHDAY": (31, True),
    "BYSETPOS": (366, True),
}


class RecurrenceError(ValueError):
    """A recurrence rule that taskdesk can't use: unreadable, unsupported or never occurring.

    A ``ValueError`` with a message fit to show the user as is (quick-add names the token).
    """


# --------------------------------------------------------------------------- parsing


def parse_rule(text: str, *, today: date | None = None) -> str:
    """Turn a RULE (``weekly``, ``2w``, ``mon,wed,fri``, ``RRULE:FREQ=…``) into an RRULE body.

    The body is canonical (upper case, parts in a fixed order, ``INTERVAL=1`` dropped,
    ``UNTIL`` floating) so the store can compare rules. A rule with no date in the ten
    years from ``today`` (default: the real today) is refused, because a series that never
    produces an item is always a mistake. Raises :class:`RecurrenceError` only.
    """
    body = _rule_body(text)
    _check_with_dateutil(body, text, today or date.today())
    return body


def parse_every(text: str, *, today: date | None = None) -> Recurrence:
    """``every:RULE``: a series whose next date follows the calendar (a stand-up, a report)."""
    return Recurrence(parse_rule(text, today=today), RecurrenceAnchor.SCHEDULE)


def parse_after(text: str, *, today: date | None = None) -> Recurrence:
    """``after:3d``: a series whose next date is counted from each completion (Org's ``.+``).

    For chores where "every 2 weeks" means two weeks after it was last done. ``COUNT`` is
    refused: a completion-anchored series has no fixed dates to count.
    """
    body = parse_rule(text, today=today)
    if "COUNT" in _split(body):
        raise RecurrenceError(f'"{text.strip()}" has COUNT, which after: can\'t use (use UNTIL)')
    return Recurrence(body, RecurrenceAnchor.COMPLETION)


def _rule_body(text: str) -> str:
    """The RRULE body for any RULE form, validated part by part (not yet by dateutil)."""
    words = " ".join(text.split())
    lower = words.lower()
    if not lower:
        raise RecurrenceError(f"a rule is missing ({_RULE_HINT})")
    joined = re.sub(r"(?<=[a-z0-9])[-_](?=[a-z0-9])", " ", lower)
    if joined in _WORD_RULES:
        return _WORD_RULES[joined]
    every = _EVERY_N.fullmatch(joined)
    if every and every.group(2) in _UNIT_FREQ:
        return _interval_rule(_UNIT_FREQ[every.group(2)], int(every.group(1)), text)
    days = [day.strip() for day in lower.split(",")]
    if all(day in WEEKDAYS for day in days):
        codes = sorted({WEEKDAYS[day] for day in days})
        return "FREQ=WEEKLY;BYDAY=" + ",".join(_DAY_CODES[code] for code in codes)
    if "=" in words:
        return _normalise(words)
    raise RecurrenceError(f'"{text.strip()}" is not a rule ({_RULE_HINT})')


def _interval_rule(freq: str, interval: int, text: str) -> str:
    """``FREQ=…`` with ``INTERVAL`` when it isn't 1; refuses 0 and absurd intervals."""
    if not 1 <= interval <= _MAX_INTERVAL:
        raise RecurrenceError(
            f'"{text.strip()}" needs an interval from 1 to {_MAX_INTERVAL}, not {interval}'
        )
    return f"FREQ={freq}" if interval == 1 else f"FREQ={freq};INTERVAL={interval}"


def _normalise(text: str) -> str:
    """Check an RFC 5545 rule part by part and write it canonically (see parse_rule)."""
    body = re.sub(r"\s+", "", text).upper().removeprefix("RRULE:").strip(";")
    parts = _split(body)
    if "FREQ" not in parts:
        raise RecurrenceError(f'"{text}" has no FREQ (e.g. RRULE:FREQ=WEEKLY;BYDAY=MO)')
    if "COUNT" in parts and "UNTIL" in parts:
        raise RecurrenceError(f'"{text}" has both COUNT and UNTIL; keep one')
    for key, value in list(parts.items()):
        parts[key] = _checked_part(key, value)
    if "BYDAY" in parts:
        parts["BYDAY"] = _checked_byday(parts["BYDAY"], _max_ordinal(parts))
    if parts.get("INTERVAL") == "1":
        del parts["INTERVAL"]
    return _join(parts)


def _max_ordinal(parts: dict[str, str]) -> int:
    """How far a BYDAY ordinal (``2MO``, ``-1FR``) may count (RFC 5545 section 3.3.10).

    Within a month (MONTHLY, or YEARLY with BYMONTH) there are at most 5 of a weekday,
    within a year 53; DAILY and WEEKLY rules can't have ordinals at all.
    """
    freq = parts["FREQ"]
    if freq == "MONTHLY" or (freq == "YEARLY" and "BYMONTH" in parts):
        return 5
    return 53 if freq == "YEARLY" else 0


def _split(body: str) -> dict[str, str]:
    """``A=1;B=2`` → ``{"A": "1", "B": "2"}``, refusing unknown, empty or repeated parts."""
    parts: dict[str, str] = {}
    for chunk in body.split(";"):
        key, sep, value = chunk.partition("=")
        if not sep or not value:
            raise RecurrenceError(f'"{chunk}" is not a KEY=VALUE part of a rule')
        if key not in _PART_ORDER:
            raise RecurrenceError(
                f"{key} is not supported (taskdesk recurs by the day; use "
                + ", ".join(_PART_ORDER)
                + ")"
            )
        if key in parts:
            raise RecurrenceError(f"{key} appears twice in the rule")
        parts[key] = value
    return parts


def _join(parts: dict[str, str]) -> str:
    """Parts back to a body, in the canonical order."""
    return ";".join(f"{key}={parts[key]}" for key in _PART_ORDER if key in parts)


def _checked_part(key: str, value: str) -> str:
    """One part's value, validated (and normalised where RFC allows spellings)."""
    if key == "FREQ":
        if value not in _FREQS:
            raise RecurrenceError(f"FREQ={value} is not supported (use {', '.join(_FREQS)})")
        return value
    if key == "INTERVAL":
        return str(_whole(key, value, 1, _MAX_INTERVAL))
    if key == "COUNT":
        return str(_whole(key, value, 1, 100_000))
    if key == "UNTIL":
        return _checked_until(value)
    if key == "WKST":
        if value not in _DAY_CODES:
            raise RecurrenceError(f"WKST={value} is not a day (use MO…SU)")
        return value
    if key == "BYDAY":
        return value  # checked with the whole rule in view: ordinals depend on FREQ
    limit, signed = _BY_RANGES[key]
    low = -limit if signed else 1
    return ",".join(str(_whole(key, item, low, limit, nonzero=True)) for item in value.split(","))


def _whole(key: str, value: str, low: int, high: int, *, nonzero: bool = False) -> int:
    """An integer in [low, high] (0 refused when ``nonzero``), or a RecurrenceError."""
    if not re.fullmatch(r"[+-]?\d{1,9}", value, re.ASCII):
        raise RecurrenceError(f"{key}={value} is not a whole number")
    number = int(value)
    if not low <= number <= high or (nonzero and number == 0):
        raise RecurrenceError(f"{key}={value} is out of range ({low} to {high})")
    return number


def _checked_byday(value: str, max_ordinal: int) -> str:
    """``MO,WE``, ``1MO``, ``-1FR``: weekdays with optional non-zero ordinals in range."""
    items = []
    for item in value.split(","):
        m = _BYDAY_ITEM.fullmatch(item)
        if not m:
            raise RecurrenceError(f"BYDAY={item} is not a day (use MO…SU, or e.g. 1MO, -1FR)")
        if m.group(1) is None:
            items.append(item)
            continue
        number = int(m.group(1))
        if not max_ordinal:
            raise RecurrenceError(f"BYDAY={item}: a numbered weekday needs FREQ=MONTHLY or YEARLY")
        if not 1 <= abs(number) <= max_ordinal:
            raise RecurrenceError(
                f"BYDAY={item} is out of range (-{max_ordinal} to {max_ordinal}, not 0)"
            )
        items.append(f"{number}{m.group(2)}")
    return ",".join(items)


def _checked_until(value: str) -> str:
    """``UNTIL`` as a floating date or date-time; a trailing ``Z`` is dropped.

    Taskdesk's dates are naive local time and dateutil refuses a UTC ``UNTIL`` with a
    floating start, while many exporters add the ``Z`` anyway.
    """
    value = value.removesuffix("Z")
    m = _UNTIL.fullmatch(value)
    try:
        if m is None:
            raise ValueError("expected YYYYMMDD or YYYYMMDDTHHMMSS")
        hour, minute, second = (int(g) if g else 0 for g in m.group(4, 5, 6))
        datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), hour, minute, second)
    except ValueError as exc:
        raise RecurrenceError(f"UNTIL={value} is not a date ({exc})") from exc
    return value


def _check_with_dateutil(body: str, text: str, today: date) -> None:
    """Let dateutil expand the rule: what it can't expand, taskdesk can't store."""
    try:
        found = _first_after(body, today, today - timedelta(days=1), _CHECK_YEARS)
    except Exception as exc:  # dateutil raises ValueError, IndexError, TypeError...
        raise RecurrenceError(f'"{text.strip()}" is not a valid rule: {exc}') from exc
    if found is None:
        raise RecurrenceError(
            f'the rule "{text.strip()}" never occurs (no date in the next {_CHECK_YEARS} years)'
        )


# ------------------------------------------------------------------------- expansion


@dataclass(frozen=True, slots=True)
class _Bounded:
    """A rule expanded ``shift`` years in the future so that dateutil's walk ends early.

    See the module docstring: ``shift`` is a multiple of 400 years, so the shifted
    calendar is the same calendar and dates map back by subtracting ``shift`` years.
    """

    rule: rrule
    shift: int

    def start_of(self, d: date) -> datetime:
        """The first instant of day ``d``, in the shifted calendar."""
        return datetime.combine(_shift(d, self.shift), time.min)

    def end_of(self, d: date) -> datetime:
        """The last instant of day ``d``, in the shifted calendar."""
        return datetime.combine(_shift(d, self.shift), time.max)

    def real(self, dt: datetime) -> date:
        """A shifted occurrence back to its real date."""
        return _shift(dt.date(), -self.shift)


def _shift(d: date, years: int) -> date:
    """Move a date by whole 400-year cycles (Feb 29 stays valid: leap years repeat)."""
    return d.replace(year=d.year + years)


def _add_years(d: date, years: int) -> date:
    """``d`` plus whole years, clamped to the last representable day."""
    if d.year + years > MAXYEAR:
        return date.max
    return d + relativedelta(years=years)


def _bounded(body: str, dtstart: date, since: date, horizon: date) -> _Bounded:
    """Build the shifted rule for a search over [since, horizon] (see the module docstring).

    Two bounds: the end of the walk (the shift puts ``horizon`` just before year 9999),
    and its start: without ``COUNT``, a rule's dates repeat every 400 × INTERVAL years
    (whole calendar cycles, whole intervals), so a start centuries before ``since`` moves
    forward by such cycles instead of being walked through.
    """
    parts = _split(body)
    if "COUNT" not in parts:
        cycle = _CYCLE_YEARS * int(parts.get("INTERVAL", "1"))
        dtstart = _shift(dtstart, max(0, (since.year - dtstart.year - 1) // cycle) * cycle)
    last = max(horizon, dtstart)
    shift = (MAXYEAR - last.year) // _CYCLE_YEARS * _CYCLE_YEARS
    if "UNTIL" in parts:
        until_year = int(parts["UNTIL"][:4]) + shift
        if until_year > MAXYEAR:  # past the horizon anyway
            del parts["UNTIL"]
        else:
            parts["UNTIL"] = f"{until_year:04d}{parts['UNTIL'][4:]}"
    rule = rrulestr(_join(parts), dtstart=datetime.combine(_shift(dtstart, shift), time.min))
    if not isinstance(rule, rrule):  # pragma: no cover - a single RRULE body is never a set
        raise RecurrenceError(f"{body} is not a single rule")
    return _Bounded(rule, shift)


def _valid_body(rec: Recurrence) -> str:
    """The stored rule, re-validated: a rule from an import or an old version can't hang us."""
    return _normalise(rec.rrule)


def _first_after(body: str, dtstart: date, after: date, years: int) -> date | None:
    """The rule's first date strictly after ``after``, looking at most ``years`` ahead."""
    horizon = _add_years(max(after, dtstart), years)
    bounded = _bounded(body, dtstart, after, horizon)
    found = bounded.rule.after(bounded.end_of(after))
    if found is None or found > bounded.end_of(horizon):
        return None
    return bounded.real(found)


def next_occurrence(
    rec: Recurrence, *, dtstart: date, after: date, completed: datetime | None = None
) -> date | None:
    """The date of the next instance once the current one (due ``after``) is done.

    SCHEDULE: the first date of the rule, started at ``dtstart``, strictly after
    ``after``. COMPLETION: one interval of the rule after the completion day (``after``
    when ``completed`` is None). ``None`` when the rule has ended (``COUNT``/``UNTIL``)
    or has no date in the next 100 years. Raises :class:`RecurrenceError` for a rule
    taskdesk can't use.
    """
    body = _valid_body(rec)
    if rec.anchor is RecurrenceAnchor.COMPLETION:
        return _after_completion(body, completed.date() if completed else after)
    return _first_after(body, dtstart, after, _SEARCH_YEARS)


def _after_completion(body: str, done: date) -> date | None:
    """Completion anchor: ``done`` plus one interval (months clamp: Jan 31 + 1m = Feb 28).

    A rule with BY parts (``after:weekdays``) restarts at ``done`` and takes its first
    date after it. ``UNTIL`` still ends the series; ``COUNT`` is ignored (nothing to count).
    """
    parts = _split(body)
    parts.pop("COUNT", None)
    until = parts.get("UNTIL")
    if set(parts) <= {"FREQ", "INTERVAL", "UNTIL", "WKST"}:
        step = int(parts.get("INTERVAL", "1"))
        try:
            following = done + _interval(parts["FREQ"], step)
        except (ValueError, OverflowError):  # beyond year 9999
            return None
        if until is not None and following > date(int(until[:4]), int(until[4:6]), int(until[6:8])):
            return None
        return following
    return _first_after(_join(parts), done, done, _SEARCH_YEARS)


def _interval(freq: str, step: int) -> relativedelta:
    """One interval of a frequency as a calendar offset."""
    if freq == "DAILY":
        return relativedelta(days=step)
    if freq == "WEEKLY":
        return relativedelta(weeks=step)
    if freq == "MONTHLY":
        return relativedelta(months=step)
    return relativedelta(years=step)


def occurrences(
    rec: Recurrence, *, dtstart: date, start: date, end: date, limit: int = 1000
) -> list[date]:
    """The series' dates in [start, end], at most ``limit`` of them, earliest first.

    For the calendar's projections, which are shown but never stored. A completion-
    anchored series is projected as if each instance were done on its due date.
    """
    if limit <= 0 or start > end or dtstart > end:
        return []
    body = _valid_body(rec)
    if rec.anchor is RecurrenceAnchor.COMPLETION:
        return _completion_chain(body, dtstart, start, end, limit)
    bounded = _bounded(body, dtstart, start, end)
    found: list[date] = []
    for occurrence in bounded.rule.xafter(bounded.start_of(start), inc=True):
        if occurrence > bounded.end_of(end):
            break
        found.append(bounded.real(occurrence))
        if len(found) >= limit:
            break
    return found


def _completion_chain(body: str, dtstart: date, start: date, end: date, limit: int) -> list[date]:
    """dtstart, then one interval after each date, up to ``end`` (with a step bound)."""
    found: list[date] = []
    current: date | None = dtstart
    for _ in range(10 * limit):
        if current is None or current > end or len(found) >= limit:
            break
        if current >= start:
            found.append(current)
        following = _after_completion(body, current)
        current = following if following is not None and following > current else None
    return found


def missed_occurrences(
    rec: Recurrence, *, dtstart: date, after: date, today: date, limit: int = 1000
) -> list[date]:
    """Dates in (after, today] that passed without an instance, earliest first.

    When the app was not opened for a while, the caller creates the latest of these (the
    default) or all. With more than ``limit``, the most recent ``limit`` are returned, so
    the latest is always there. A completion-anchored series misses nothing: its next
    date only exists once the current instance is done.
    """
    if limit <= 0 or today <= after or rec.anchor is RecurrenceAnchor.COMPLETION:
        return []
    body = _valid_body(rec)
    window = 64
    while True:  # look back from today in growing windows: a long gap isn't walked through
        since = after if (today - after).days <= window else today - timedelta(days=window)
        found = _dates_after(body, dtstart, since, today, limit)
        if len(found) >= limit or since == after:
            return found
        window *= 8


def _dates_after(body: str, dtstart: date, since: date, until: date, limit: int) -> list[date]:
    """The last ``limit`` dates of the rule in (since, until], earliest first."""
    bounded = _bounded(body, dtstart, since, until)
    recent: deque[date] = deque(maxlen=limit)
    for occurrence in bounded.rule.xafter(bounded.end_of(since)):
        if occurrence > bounded.end_of(until):
            break
        recent.append(bounded.real(occurrence))
    return list(recent)


# ----------------------------------------------------------------------- description


def describe(rec: Recurrence) -> str:
    """Short human text for a card or the item panel: ``weekdays``, ``3d after done``...

    Never raises: a rule taskdesk can't read is shown as stored, so a bad import is still
    visible instead of breaking the screen.
    """
    try:
        parts = _split(_valid_body(rec))
    except RecurrenceError:
        return rec.rrule
    if rec.anchor is RecurrenceAnchor.COMPLETION:
        extra = set(parts) - {"FREQ", "INTERVAL", "WKST", "COUNT"}
        if not extra:
            return f"{parts.get('INTERVAL', '1')}{_FREQ_UNIT[parts['FREQ']]} after done"
        return f"{_describe_schedule(parts)} after done"
    return _describe_schedule(parts)


def _describe_schedule(parts: dict[str, str]) -> str:
    """``daily``, ``every 2 weeks``, ``mon, wed, fri``, ``monthly on day 15, 3 times``..."""
    freq = parts["FREQ"]
    interval = int(parts.get("INTERVAL", "1"))
    if interval == 1:
        text = _FREQ_ADJECTIVE[freq]
    elif freq == "MONTHLY" and interval == 3:
        text = "quarterly"
    else:
        text = f"every {interval} {_FREQ_WORD[freq]}"
    if "BYMONTH" in parts:
        text += " in " + ", ".join(_MONTH_NAMES[int(m)] for m in parts["BYMONTH"].split(","))
    byday = parts.get("BYDAY")
    if byday and freq == "WEEKLY" and _BYDAY_ITEM.fullmatch(byday.split(",")[0]):
        days = _describe_days(byday)
        text = days if interval == 1 else f"{text} on {days}"
    elif byday:
        text += f" on {_describe_days(byday)}"
    if "BYMONTHDAY" in parts:
        text += " on day " + ", ".join(
            "last" if day == "-1" else day for day in parts["BYMONTHDAY"].split(",")
        )
    others = ("BYWEEKNO", "BYYEARDAY", "BYSETPOS")
    shown = [f"{key}={parts[key]}" for key in others if key in parts]
    if shown:
        text += f" ({';'.join(shown)})"
    if "COUNT" in parts:
        text += f", {parts['COUNT']} times"
    if "UNTIL" in parts:
        until = parts["UNTIL"]
        text += f", until {until[:4]}-{until[4:6]}-{until[6:8]}"
    return text


def _describe_days(byday: str) -> str:
    """``MO,WE,FR`` → ``mon, wed, fri``; the work week → ``weekdays``; ``-1FR`` → ``last fri``."""
    if byday == _WORKWEEK:
        return "weekdays"
    words = []
    for item in byday.split(","):
        m = _BYDAY_ITEM.fullmatch(item)
        if m is None:  # pragma: no cover - validated before
            words.append(item)
            continue
        name = _DAY_NAMES[_DAY_CODES.index(m.group(2))]
        words.append(name if m.group(1) is None else f"{_ordinal(int(m.group(1)))} {name}")
    return ", ".join(words)


def _ordinal(number: int) -> str:
    """1 → ``1st``, -1 → ``last``, -2 → ``2nd last``."""
    if number == -1:
        return "last"
    n = abs(number)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}" + (" last" if number < 0 else "")
