"""People's time off, which the scheduler turns into their own calendars."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from taskdesk.domain.text import clean_line
from taskdesk.domain.timeoff import TimeOff
from taskdesk.store.errors import NotFound, ValidationError
from taskdesk.store.mapping import to_date, tuples
from taskdesk.store.reference import ReferenceStore

#: An absence longer than this is almost certainly a typo in a year.
MAX_DAYS = 366


class TimeOffStore(ReferenceStore):
    """Add, list and remove absences; one transaction per call."""

    def add_time_off(self, login: str, start: date, end: date, reason: str = "") -> TimeOff:
        """Record that ``login`` is away from ``start`` to ``end`` (created on first use)."""
        if end < start:
            raise ValidationError(f"Time off ends ({end}) before it starts ({start}).")
        if (end - start).days >= MAX_DAYS:
            raise ValidationError(f"Time off of more than {MAX_DAYS} days: check the dates.")
        table = self.tables.time_off

        def run() -> int:
            person_id = self._ensure_person_id(login)
            row_id: int = table.insert(
                person_id=person_id, start=start, end=end, reason=clean_line(reason)
            ).execute()
            return row_id

        row_id = self._transaction(run)
        return TimeOff(row_id, clean_line(login.lstrip("@")), start, end, clean_line(reason))

    def time_off(self, logins: Sequence[str] | None = None) -> list[TimeOff]:
        """Absences (of ``logins``, or everyone's), by person then start."""
        t, p = self.tables.time_off, self.tables.person
        query = t.select(t.id, p.login, t.start, t.end, t.reason).join(p, on=(t.person_id == p.id))
        if logins is not None:
            query = query.where(p.login.in_(list(logins)))
        rows = tuples(query.order_by(p.login, t.start).tuples())
        return [
            TimeOff(row_id, login, to_date(start) or date.min, to_date(end) or date.min, reason)
            for row_id, login, start, end, reason in rows
        ]

    def remove_time_off(self, time_off_id: int) -> None:
        """Delete one absence."""
        table = self.tables.time_off

        def run() -> int:
            deleted: int = table.delete().where(table.id == time_off_id).execute()
            return deleted

        if not self._transaction(run):
            raise NotFound(f"No time off with id {time_off_id}.")
