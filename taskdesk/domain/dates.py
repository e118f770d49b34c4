"""Dates as people type them, and dates shown back as people read them.

Everything here is naive local time and takes ``now`` as an argument, so the same text
always means the same instant in a test and nothing reads the clock behind the caller's
back. The forms follow Taskwarrior's named dates where Taskwarrior has one (``eom``,
``sow``, ``5b``...), so people who know it feel at home.

Decisions where the grammar was open (also in the tests):

- A date without a time is 00:00 of that day; the ``eo*`` forms are 23:59:59.
- A weekday name (``fri``, ``next fri``) is the next such day *strictly* after today.
- ``Nm`` in a date is months (``1m``); minutes are ``Nmin``. ``Nh``/``Nmin`` and ``now``
  are exact instants (to the minute), so they can't take an ``@time``.
- A bare time (``17:00``, ``5pm``) is today at that time, even if it has passed.
- ``dec 24`` is this year, or next year once the day has passed (today counts as this
  year); ``feb 29`` is the next year that has one.
- In durations a bare number is minutes (``est:90`` = 1h30); a day of effort is 8h and a
  week 5 days. In working days a bare number is days.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "DateError",
    "add_business_days",
    "format_date",
    "format_relative",
    "parse_clock",
    "parse_date",
    "parse_duration",
    "parse_workdays",
]

#: The last second of a day: what ``eod``/``eom``... mean, and what cards don't print.
END_OF_DAY = time(23, 59, 59)
#: Minutes in a day / week of effort (an 8-hour day, a 5-day week).
MINUTES_PER_DAY = 8 * 60
MINUTES_PER_WEEK = 5 * MINUTES_PER_DAY

_DATE_HINT = "try 2026-12-01, tomorrow, fri, 3d, eom"
_TIME_HINT = "try 17:00, 9, 5pm"
_DURATION_HINT = "try 30m, 2h, 1.5d"
_WORKDAYS_HINT = "try 5d, 2w, 3"
#: Durations longer than this are typos, not plans (about 20 years of 8-hour days).
_MAX_MINUTES = 20 * 260 * MINUTES_PER_DAY
_MAX_WORKDAYS = 20 * 260

#: Day names (and their usual short forms) → ``date.weekday()`` numbers.
WEEKDAYS: dict[str, int] = {
    "mon": 0, "monday": 0,
    "tue": 1, "tues": 1, "tuesday": 1,
    "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}  # fmt: skip

#: Month names (and short forms) → month numbers.
MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip

#: English names for display, independent of the process locale (``calendar`` follows it).
_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBR: tuple[str, ...] = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun")
_MONTH_ABBR += ("Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class DateError(ValueError):
    """A date, time or duration the user typed could not be understood.

    A ``ValueError`` so generic validation code still catches it. The message quotes the
    text at fault and suggests forms that work, because it is shown to the user as is
    (in the quick-add preview and on the command line's stderr).
    """


# --------------------------------------------------------------------------- parsing

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"|(\d{4})(\d{2})(\d{2})",
    re.ASCII,
)
_CLOCK = re.compile(r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm|a|p)?", re.ASCII)
_RELATIVE = re.compile(r"(in )?([+-])?(\d{1,7}) ?([a-z]+(?: days?)?)( ago)?", re.ASCII)
_MONTH_DAY = re.compile(r"([a-z]+) ?(\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?", re.ASCII)
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ?([a-z]+)(?: (\d{4}))?", re.ASCII)
_JOINER = re.compile(r"(?<=[a-z0-9])[-_](?=[a-z0-9])")

#: Relative units: calendar offsets (relativedelta keywords) for dates...
_CALENDAR_UNITS: dict[str, str] = {
    **dict.fromkeys(("d", "day", "days"), "days"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "weeks"),
    **dict.fromkeys(("m", "mo", "mos", "month", "months"), "months"),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), "years"),
}
#: ... exact offsets (keep the time of ``now``) ...
_CLOCK_UNITS: dict[str, str] = {
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hours"),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), "minutes"),
}
#: ... and working days (Mon–Fri).
_BUSINESS_UNITS = frozenset(
    {"b", "bd", "business day", "business days", "working day", "working days"}
    | {"workday", "workdays", "weekday", "weekdays"}
)


def parse_date(text: str, *, now: datetime) -> datetime:
    """Turn what a user typed after ``due:``/``start:``/``wait:`` into a naive datetime.

    One function for every date form of the product contract, so the quick-add box, the
    command line and filters agree on what ``eom`` or ``fri@17:00`` means. Raises
    :class:`DateError` (and nothing else) for text that is not a date.
    """
    cleaned = " ".join(text.split()).lower()
    if not cleaned:
        raise DateError(f"a date is missing ({_DATE_HINT})")
    try:
        found = _parse_text(cleaned, now)
    except OverflowError as exc:
        raise DateError(f'"{text}" is too far away to be a date') from exc
    except ValueError as exc:
        raise DateError(f'"{text}" is not a valid date: {exc}') from exc
    if found is None:
        raise DateError(f'"{text}" is not a date ({_DATE_HINT})')
    return found


def _parse_text(s: str, now: datetime) -> datetime | None:
    """Try the forms in order; None when nothing matches, ValueError when one half-matches."""
    iso = _ISO.fullmatch(s)
    if iso:
        return _from_iso(iso)
    if "@" in s:
        day_text, _, clock_text = s.rpartition("@")
        return _with_clock(day_text.strip(), clock_text.strip(), now)
    day_text, _, clock_text = s.rpartition(" ")
    if day_text and _looks_like_clock(clock_text):
        return _with_clock(day_text, clock_text, now)
    if _looks_like_clock(s):
        return _with_clock("", s, now)
    found = _parse_day(_JOINER.sub(" ", s), now)
    return None if found is None else found[0]


def _from_iso(m: re.Match[str]) -> datetime:
    """Build the datetime of an ISO match (validated by the datetime constructor)."""
    if m.group(8):
        return datetime(int(m.group(8)), int(m.group(9)), int(m.group(10)))
    hour, minute, second = (int(g) if g else 0 for g in m.group(4, 5, 6))
    micro = int((m.group(7) or "0").ljust(6, "0"))
    return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), hour, minute, second, micro)


def _looks_like_clock(s: str) -> bool:
    """A clock time has a colon or am/pm; a bare number alone is not read as a time."""
    return bool(_CLOCK.fullmatch(s)) and (":" in s or s[-1] in "ap" or s.endswith("m"))


def _with_clock(day_text: str, clock_text: str, now: datetime) -> datetime | None:
    """``DAY@TIME``: the day's date at that time of day (today when DAY is empty)."""
    clock = parse_clock(clock_text)
    if clock is None:
        raise ValueError(f'"{clock_text}" is not a time of day ({_TIME_HINT})')
    if not day_text:
        return datetime.combine(now.date(), clock)
    iso = _ISO.fullmatch(day_text)
    found = (_from_iso(iso), False) if iso else _parse_day(_JOINER.sub(" ", day_text), now)
    if found is None:
        return None
    day, exact = found
    if iso and day.time() != time(0):
        raise ValueError(f'"{day_text}" already names a time; drop "@{clock_text}"')
    if exact:
        raise ValueError(f'"{day_text}" already names a time; drop "@{clock_text}"')
    return datetime.combine(day.date(), clock)


def parse_clock(text: str) -> time | None:
    """``17:00``, ``9``, ``5pm``, ``12:30am``, ``noon``, ``midnight`` → a time, else None.

    Public because the TUI's date editor wants the same reading of a time of day.
    """
    s = text.strip().lower()
    if s in ("noon", "midday"):
        return time(12)
    if s == "midnight":
        return time(0)
    m = _CLOCK.fullmatch(s)
    if not m:
        return None
    hour, minute, second = (int(g) if g else 0 for g in m.group(1, 2, 3))
    meridiem = m.group(4)
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _parse_day(s: str, now: datetime) -> tuple[datetime, bool] | None:
    """A day (at 00:00, or 23:59:59 for ``eo*``) or an exact instant; ``bool`` = exact."""
    today = now.date()
    if s == "now":
        return now, True
    named = _NAMED.get(s)
    if named is not None:
        return named(today), False
    words = s.split(" ")
    if words[0] == "next" and len(words) == 2:
        return _next(words[1], today)
    if s in WEEKDAYS:
        return _midnight(_next_weekday(today, WEEKDAYS[s])), False
    relative = _relative(s, now)
    if relative is not None:
        return relative
    day = _month_day(s, today)
    return None if day is None else (_midnight(day), False)


def _midnight(d: date) -> datetime:
    """The start of a day: what a date without a time means."""
    return datetime.combine(d, time())


def _end(d: date) -> datetime:
    """The last second of a day: what ``eod``/``eow``/``eom``... mean."""
    return datetime.combine(d, END_OF_DAY)


def _next_weekday(today: date, weekday: int) -> date:
    """The next such weekday strictly after today (today's name means a week ahead)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _month_end(d: date) -> date:
    """The last day of d's month."""
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _quarter_start(d: date) -> date:
    """The first day of d's quarter."""
    return date(d.year, (d.month - 1) // 3 * 3 + 1, 1)


_NAMED: dict[str, Callable[[date], datetime]] = {
    "today": _midnight,
    "sod": _midnight,
    "tomorrow": lambda d: _midnight(d + timedelta(days=1)),
    "yesterday": lambda d: _midnight(d - timedelta(days=1)),
    "eod": _end,
    "eow": lambda d: _end(d + timedelta(days=6 - d.weekday())),
    "eom": lambda d: _end(_month_end(d)),
    "eoq": lambda d: _end(_month_end(_quarter_start(d) + relativedelta(months=2))),
    "eoy": lambda d: _end(date(d.year, 12, 31)),
    "sow": lambda d: _midnight(d + timedelta(days=7 - d.weekday())),
    "som": lambda d: _midnight(d.replace(day=1) + relativedelta(months=1)),
    "soq": lambda d: _midnight(_quarter_start(d) + relativedelta(months=3)),
    "soy": lambda d: _midnight(date(d.year + 1, 1, 1)),
    "socw": lambda d: _midnight(d - timedelta(days=d.weekday())),
    "socm": lambda d: _midnight(d.replace(day=1)),
    "socq": lambda d: _midnight(_quarter_start(d)),
    "socy": lambda d: _midnight(date(d.year, 1, 1)),
}
_NEXT_PERIOD = {"day": "tomorrow", "week": "sow", "month": "som", "quarter": "soq", "year": "soy"}


def _next(word: str, today: date) -> tuple[datetime, bool] | None:
    """``next monday`` (same as ``monday``), ``next week`` (= sow), ``next month`` (= som)..."""
    if word in WEEKDAYS:
        return _midnight(_next_weekday(today, WEEKDAYS[word])), False
    if word in _NEXT_PERIOD:
        return _NAMED[_NEXT_PERIOD[word]](today), False
    return None


def _relative(s: str, now: datetime) -> tuple[datetime, bool] | None:
    """``3d``, ``+2w``, ``-1m``, ``in 3 days``, ``2 weeks ago``, ``5b``, ``3h``, ``in 10min``."""
    m = _RELATIVE.fullmatch(s)
    if not m:
        return None
    has_in, sign, digits, unit, ago = m.groups()
    if (has_in and sign) or (ago and (has_in or sign)):
        return None
    amount = int(digits) * (-1 if (sign == "-") != bool(ago) else 1)
    if unit in _CALENDAR_UNITS:
        return _midnight(now.date() + _calendar_offset(_CALENDAR_UNITS[unit], amount)), False
    if unit in _BUSINESS_UNITS:
        return _midnight(add_business_days(now.date(), amount)), False
    if unit in _CLOCK_UNITS:
        exact = now.replace(second=0, microsecond=0)
        return exact + timedelta(**{_CLOCK_UNITS[unit]: amount}), True
    return None


def _calendar_offset(unit: str, amount: int) -> relativedelta:
    """A calendar offset; months and years clamp to the month's end (Jan 31 + 1m = Feb 28)."""
    if unit == "days":
        return relativedelta(days=amount)
    if unit == "weeks":
        return relativedelta(weeks=amount)
    if unit == "months":
        return relativedelta(months=amount)
    return relativedelta(years=amount)


def _month_day(s: str, today: date) -> date | None:
    """``dec 24``, ``24 dec``, ``december 24th``, ``dec 24 2027``: the next such day."""
    m = _MONTH_DAY.fullmatch(s)
    if m and m.group(1) in MONTHS:
        month, day, year = MONTHS[m.group(1)], int(m.group(2)), m.group(3)
    else:
        m = _DAY_MONTH.fullmatch(s)
        if not (m and m.group(2) in MONTHS):
            return None
        month, day, year = MONTHS[m.group(2)], int(m.group(1)), m.group(3)
    if year:
        return date(int(year), month, day)
    if day > calendar.monthrange(2000, month)[1]:  # 2000 is a leap year: the longest month
        raise ValueError(f"{_MONTH_ABBR[month]} has no day {day}")
    for candidate_year in range(today.year, today.year + 9):
        if day <= calendar.monthrange(candidate_year, month)[1]:
            candidate = date(candidate_year, month, day)
            if candidate >= today:
                return candidate
    return None  # unreachable: some year in any eight has a Feb 29


def add_business_days(d: date, n: int) -> date:
    """The date ``n`` working days (Mon–Fri) after ``d`` (before it when ``n`` < 0).

    Used by ``5b`` dates; n=0 is ``d`` itself. From a weekend, 1 is the next Monday (or
    -1 the previous Friday). Holiday-aware scheduling lives in the working calendar; this
    is the quick, calendar-free version people mean when they type ``5b``.
    """
    if n == 0:
        return d
    step = 1 if n > 0 else -1
    weeks, rest = divmod(abs(n), 5)
    if rest == 0:  # land on a working day even when d is on a weekend
        weeks, rest = weeks - 1, 5
    d += timedelta(days=7 * weeks * step)  # any 7 days in a row hold exactly 5 working days
    while rest:
        d += timedelta(days=step)
        if d.weekday() < 5:
            rest -= 1
    return d


# ------------------------------------------------------------------------ durations

_DURATION_PART = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)", re.ASCII)
_EFFORT_UNITS: dict[str, int] = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 1),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 60),
    **dict.fromkeys(("d", "day", "days"), MINUTES_PER_DAY),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), MINUTES_PER_WEEK),
}


def parse_duration(text: str) -> int:
    """Effort (``est:``) in whole minutes: ``30m``, ``2h``, ``1.5d``, ``1w``, ``1h30m``, ``90``.

    Effort is counted in working time, so a day is 8h and a week 5 days — what a person
    can do, not what the clock shows. A bare number is minutes. Raises :class:`DateError`.
    """
    s = text.strip().lower()
    bad = DateError(f'"{text}" is not a duration ({_DURATION_HINT})')
    if not s:
        raise bad
    if s.isascii() and s.isdigit():
        total = float(s)
    else:
        total = 0.0
        pos = 0
        while pos < len(s):
            m = _DURATION_PART.match(s, pos)
            if not m or m.group(2) not in _EFFORT_UNITS:
                raise bad
            total += float(m.group(1)) * _EFFORT_UNITS[m.group(2)]
            pos = m.end()
    if not math.isfinite(total) or total > _MAX_MINUTES:
        raise DateError(f'"{text}" is too long for an estimate')
    return round(total)


_WORKDAYS = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)", re.ASCII)
_WORKDAY_UNITS: dict[str, float] = {
    "": 1.0,
    **dict.fromkeys(("d", "day", "days"), 1.0),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 5.0),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 1 / 8),
}


def parse_workdays(text: str) -> float:
    """A scheduled length (``duration:``) in working days: ``5d``, ``2w`` (10), ``3``, ``4h``.

    Scheduling counts working days, so a week is 5 and an hour 1/8 of a day. Zero is a
    milestone's length; negative lengths are refused. Raises :class:`DateError`.
    """
    s = text.strip().lower()
    if s.startswith("-"):
        raise DateError(f'"{text}" is negative; a duration is 0 or more working days')
    m = _WORKDAYS.fullmatch(s)
    if not m or m.group(2) not in _WORKDAY_UNITS:
        raise DateError(f'"{text}" is not a number of working days ({_WORKDAYS_HINT})')
    days = float(m.group(1)) * _WORKDAY_UNITS[m.group(2)]
    if not math.isfinite(days) or days > _MAX_WORKDAYS:
        raise DateError(f'"{text}" is too long for a duration')
    return days


# ----------------------------------------------------------------------- formatting


def format_date(dt: datetime | None, *, now: datetime) -> str:
    """Short text for a card: ``today``, ``tomorrow``, ``yesterday``, ``Fri``, ``Dec 24``...

    Near dates are named the way people say them; a weekday only within the next six days
    (so it is never ambiguous); the month and day within this year; the full ISO date
    otherwise. `` 17:00`` is added when the time matters (not 00:00, not end of day).
    ``None`` is the empty string, so a card can print it unconditionally.
    """
    if dt is None:
        return ""
    days = (dt.date() - now.date()).days
    if days == 0:
        text = "today"
    elif days == 1:
        text = "tomorrow"
    elif days == -1:
        text = "yesterday"
    elif 1 < days <= 6:
        text = _DAY_ABBR[dt.weekday()]
    elif dt.year == now.year:
        text = f"{_MONTH_ABBR[dt.month]} {dt.day}"
    else:
        text = dt.date().isoformat()
    clock = dt.time().replace(microsecond=0)
    if clock not in (time(0), END_OF_DAY):
        text += f" {dt:%H:%M}"
    return text


def format_relative(dt: datetime, *, now: datetime, past: str = "ago") -> str:
    """How far away ``dt`` is, compactly: ``in 3d``, ``2d ago``, ``in 5h``, ``now``.

    Different calendar days are counted in calendar days (a date due tomorrow is ``in 1d``
    at any hour today), then weeks, months and years as the distance grows; the same day
    in hours and minutes. Pass ``past="overdue"`` for due dates: ``3d overdue``.
    """
    days = (dt.date() - now.date()).days
    if days:
        amount = _compact_days(abs(days))
    else:
        minutes = int(abs((dt - now).total_seconds()) // 60)
        if minutes == 0:
            return "now"
        amount = f"{minutes}m" if minutes < 60 else f"{minutes // 60}h"
    future = dt > now
    return f"in {amount}" if future else f"{amount} {past}"


def _compact_days(days: int) -> str:
    """``3d``, ``2w``, ``4mo``, ``2y``: precise when near, rounder when far."""
    if days < 14:
        return f"{days}d"
    if days < 60:
        return f"{days // 7}w"
    if days < 365:
        return f"{days // 30}mo"
    return f"{days // 365}y"
