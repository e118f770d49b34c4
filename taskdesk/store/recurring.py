"""Recurring series: creating the next occurrence when one is completed.

An occurrence is identified by (series, occurrence date), unique in the database, so two
processes completing the same routine can never create its next occurrence twice: the
second insert hits the unique index inside a savepoint and becomes a no-op. The date
arithmetic itself is the domain's (:func:`taskdesk.domain.recurrence.next_occurrence`).
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from peewee import IntegrityError

from taskdesk.domain.model import Recurrence, RecurrenceAnchor, StatusCategory
from taskdesk.store.base import ActionLog
from taskdesk.store.fields import FieldWrites
from taskdesk.store.mapping import to_date
from taskdesk.store.tables import ItemRow, SeriesRow


class RecurringWrites(FieldWrites):
    """The completion side of recurrence."""

    def _spawn_next_occurrence(self, act: ActionLog, row: ItemRow) -> None:
        """Create (once) the occurrence that follows ``row`` in its series."""
        se = self.tables.series
        series: SeriesRow | None = se.get_or_none(se.id == row.series_id)
        if series is None or not series.active:
            return
        day = self._next_date(series, row, act)
        if day is None:
            return  # the rule has ended (COUNT/UNTIL)
        i = self.tables.item
        existing: ItemRow | None = i.get_or_none((i.series_id == series.id) & (i.occurrence == day))
        if existing is not None:
            if existing.deleted_at is not None:  # an undone completion created it before
                self._set_scalar(act, existing, "deleted", None)
            return
        self._insert_occurrence(act, series, day)

    def _next_date(self, series: SeriesRow, row: ItemRow, act: ActionLog) -> date | None:
        """The next occurrence date; with missed ones, the latest not after today."""
        from taskdesk.domain.recurrence import (
            RecurrenceError,
            missed_occurrences,
            next_occurrence,
        )

        rule = Recurrence(series.rrule, RecurrenceAnchor(series.anchor))
        dtstart = to_date(series.dtstart) or act.now.date()
        after = to_date(row.occurrence) or dtstart
        today = act.now.date()
        try:
            if rule.anchor is RecurrenceAnchor.COMPLETION:
                return next_occurrence(rule, dtstart=dtstart, after=after, completed=act.now)
            day = next_occurrence(rule, dtstart=dtstart, after=after)
            if day is None or day >= today or series.missed != "latest":
                return day
            missed = missed_occurrences(rule, dtstart=dtstart, after=after, today=today, limit=1)
        except RecurrenceError:
            return None  # a rule this version cannot expand: completing must still work
        return missed[-1] if missed else day

    def _insert_occurrence(self, act: ActionLog, series: SeriesRow, day: date) -> None:
        """Insert the occurrence from the series template; a duplicate is a no-op."""
        template: dict[str, Any] = json.loads(series.template or "{}")
        status = self.first_status(StatusCategory.UNSTARTED)
        i = self.tables.item
        title = template.get("title") or "Untitled"
        try:
            with self.db.atomic():
                new_id: int = i.insert(
                    uuid=str(uuid.uuid4()),
                    title=title,
                    notes=template.get("notes") or "",
                    status_id=status.id,
                    priority=template.get("priority"),
                    due=self._due_on(day, template.get("due_time")),
                    estimate_minutes=template.get("estimate_minutes"),
                    duration_days=template.get("duration_days"),
                    container_id=template.get("container_id"),
                    series_id=series.id,
                    occurrence=day,
                    position=self._end_position(status.id),
                    created=act.now,
                    updated=act.now,
                    created_by=self.actor,
                    version=1,
                ).execute()
        except IntegrityError:
            return  # another process created this occurrence first
        act.mark_created(new_id)
        act.log(new_id, "created", None, title)
        act.log(new_id, "status", None, status.id)
        new_row = self._locked_row(new_id)
        if template.get("tags"):
            self._set_tags(act, new_row, template["tags"])
        if template.get("assignees"):
            pairs = [(str(login), float(units)) for login, units in template["assignees"]]
            self._set_assignees(act, new_row, pairs)
