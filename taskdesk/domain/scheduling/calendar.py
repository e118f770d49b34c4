"""The working calendar: which days count, and how to move dates in working days.

algorithms.md ("Working calendar") makes ``add_working_days`` and
``working_days_between`` the only way scheduling code moves dates, so these two are the
hot path of the scheduler (a 10,000-task plan calls them tens of thousands of times).
They never walk day by day: every date has a **working-day index** (the number of
working days before it since 0001-01-01), computed in O(log H) from whole weeks and a
bisect over the sorted holidays; moving by ``n`` working days is index arithmetic and
the inverse mapping (index → date) is another bisect.

Conventions, chosen so that the two functions are exact inverses:

- ``working_days_between(a, b)`` counts the working days in ``[a, b)`` (negative when
  ``b < a``).
- ``add_working_days(d, n)`` is the working day ``w`` with
  ``working_days_between(d, w) == n``.  From a working day, ``+1`` is the next working
  day and ``0`` is ``d`` itself; from a non-working day, ``0`` is the next working day
  and ``-1`` the previous one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

#: Weekday names as plan files and projects spell them (Mon = 0, as ``date.weekday``).
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LONG_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ONE_DAY = timedelta(days=1)


def weekday_number(name: str) -> int:
    """``"mon"``/``"Monday"`` → 0 … ``"sun"`` → 6; anything else is a ValueError."""
    word = name.strip().lower()
    if word in WEEKDAY_NAMES:
        return WEEKDAY_NAMES.index(word)
    if word in _LONG_NAMES:
        return _LONG_NAMES.index(word)
    raise ValueError(f"unknown weekday {name!r}: expected one of {', '.join(WEEKDAY_NAMES)}")


@dataclass(frozen=True)
class WorkCalendar:
    """Working weekdays, holidays and hours per day: a project's or a person's calendar.

    Immutable and hashable, so a schedule can keep the calendar it was computed on. A
    calendar without any working weekday would make every date move loop forever, so it
    is refused at construction (ValueError), as is a non-positive ``hours_per_day``.
    """

    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    holidays: frozenset[date] = frozenset()
    hours_per_day: float = 8.0
    # Derived lookup tables (not part of equality): see the module docstring.
    _prefix: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _nth: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _holiday_ordinals: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _holiday_shift: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        workdays = frozenset(self.workdays)
        if not workdays:
            raise ValueError("a calendar needs at least one working weekday")
        if not workdays <= set(range(7)):
            raise ValueError(f"workdays must be weekday numbers 0 (Mon) to 6 (Sun): {workdays}")
        if not self.hours_per_day > 0:
            raise ValueError(f"hours_per_day must be positive, not {self.hours_per_day}")
        holidays = frozenset(self.holidays)
        set_ = object.__setattr__
        set_(self, "workdays", workdays)
        set_(self, "holidays", holidays)
        # _prefix[r]: working weekdays among Mon..(r-1); _nth[k]: the k-th working weekday.
        set_(self, "_prefix", tuple(sum(1 for w in workdays if w < r) for r in range(8)))
        set_(self, "_nth", tuple(sorted(workdays)))
        # Only holidays on working weekdays remove anything.
        ordinals = sorted(d.toordinal() for d in holidays if d.weekday() in workdays)
        set_(self, "_holiday_ordinals", tuple(ordinals))
        # The weekday-only index of the i-th holiday, minus i: the k-th working day is the
        # k-th integer not in that set of indices, found by bisect (see ``date_at``).
        set_(
            self,
            "_holiday_shift",
            tuple(self._weekday_index(o) - i for i, o in enumerate(ordinals)),
        )

    @classmethod
    def from_names(
        cls,
        workdays: Iterable[str] = WEEKDAY_NAMES[:5],
        holidays: Iterable[date] = (),
        hours_per_day: float = 8.0,
    ) -> WorkCalendar:
        """Build a calendar from plan-file weekday names (``"mon"``…``"sun"``)."""
        return cls(
            workdays=frozenset(weekday_number(name) for name in workdays),
            holidays=frozenset(holidays),
            hours_per_day=hours_per_day,
        )

    # -- the index ---------------------------------------------------------------------

    def _weekday_index(self, ordinal: int) -> int:
        """Working weekdays (ignoring holidays) in [0001-01-01, the day of ``ordinal``)."""
        weeks, rest = divmod(ordinal - 1, 7)  # 0001-01-01 is a Monday
        return weeks * len(self._nth) + self._prefix[rest]

    def day_index(self, d: date) -> int:
        """The number of working days before ``d`` since 0001-01-01.

        Why public: the scheduler converts each date once to this index and does all
        its arithmetic on integers (``working_days_between(a, b) ==
        day_index(b) - day_index(a)``). A non-working day has the index of the next
        working day.
        """
        ordinal = d.toordinal()
        return self._weekday_index(ordinal) - bisect_left(self._holiday_ordinals, ordinal)

    def date_at(self, index: int) -> date:
        """The working day whose :meth:`day_index` is ``index`` (the inverse mapping)."""
        weekday_index = index + bisect_right(self._holiday_shift, index)
        weeks, k = divmod(weekday_index, len(self._nth))
        return date.fromordinal(weeks * 7 + self._nth[k] + 1)

    # -- the public API ----------------------------------------------------------------

    def is_working(self, d: date) -> bool:
        """A working weekday that is not a holiday."""
        return d.weekday() in self.workdays and d not in self.holidays

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        return d if self.is_working(d) else self.date_at(self.day_index(d))

    def prev_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the last working day before it."""
        return d if self.is_working(d) else self.date_at(self.day_index(d) - 1)

    def add_working_days(self, d: date, n: int) -> date:
        """The working day ``n`` working days from ``d`` (see the module docstring)."""
        return self.date_at(self.day_index(d) + n)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``[a, b)``; negative (``-working_days_between(b, a)``) if b < a."""
        return self.day_index(b) - self.day_index(a)

    def working_days_in(self, first: date, last: date) -> int:
        """Working days in the closed range ``[first, last]`` (0 when last < first)."""
        return max(0, self.day_index(last + _ONE_DAY) - self.day_index(first))

    def with_time_off(self, dates: Iterable[date]) -> WorkCalendar:
        """This calendar plus someone's days off: a person's own calendar."""
        return replace(self, holidays=self.holidays | frozenset(dates))
