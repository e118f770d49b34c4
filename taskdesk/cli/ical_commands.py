"""``taskdesk import FILE.ics`` and ``taskdesk export --format ical``.

The format lives in :mod:`taskdesk.interop.ical`; this is the glue: read the file whole,
hand every record to ``Store.import_records`` (one transaction, one undoable action),
and print one line of what happened. The registry in
:mod:`taskdesk.cli.project_commands` finds these functions by name.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from taskdesk.cli.commands import Context
    from taskdesk.domain.model import Container, Item


def import_ical(ctx: Context, args: argparse.Namespace) -> int:
    """Import every VTODO and VEVENT of ``args.file``, all or nothing (exit 2 on a bad file)."""
    from taskdesk.cli.commands import CliError, out
    from taskdesk.domain.importing import ImportFileError
    from taskdesk.interop.ical import load_ical
    from taskdesk.store.errors import ValidationError

    try:
        records = load_ical(args.file, today=ctx.now.date())
    except ImportFileError as exc:
        raise CliError(str(exc)) from None
    try:
        report = ctx.store.import_records(records, label=f"import {Path(args.file).name}")
    except ValidationError as exc:  # the store's checks name the record (VTODO #3 …)
        raise CliError(f"{args.file}: {exc}") from None
    items = f"{report.total} item{'s' if report.total != 1 else ''}"
    out(
        f"Imported {items} from {args.file}: {report.created} new, "
        f"{report.updated} updated, {report.unchanged} unchanged."
    )
    return 0


def export_ical(ctx: Context, args: argparse.Namespace) -> tuple[str, str]:
    """Every item (of ``--project``) and the project deadlines as an RFC 5545 calendar."""
    from taskdesk.interop.ical import export_calendar

    items, projects = _selection(ctx, args.project)
    export = export_calendar(items, projects=projects, now=ctx.now)
    return export.text, export.describe()


def _selection(ctx: Context, project: str | None) -> tuple[list[Item], list[Container]]:
    """The items to export (every status, waiting ones too) and the projects whose
    deadlines go with them: ``project`` alone, or every project that isn't archived."""
    from taskdesk.domain.filters import Filter
    from taskdesk.domain.model import ContainerKind, StatusCategory

    every = Filter(statuses=tuple(c.value for c in StatusCategory), include_closed=True)
    if project:
        container = ctx.store.get_container(project)
        items = ctx.store.list_items(every, container_id=container.id, now=ctx.now)
        return items, [container] if container.kind is ContainerKind.PROJECT else []
    items = ctx.store.list_items(every, now=ctx.now)
    return items, ctx.store.containers(ContainerKind.PROJECT)
