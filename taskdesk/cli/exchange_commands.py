"""``import`` and ``export`` of Taskwarrior, taskdesk JSON and CSV files.

An importer reads the file whole, turns it into :class:`ImportRecord` objects (the pure
parsers of :mod:`taskdesk.interop`), and hands them to ``Store.import_records``: one
transaction, one undoable action, all or nothing. A bad file is one line on stderr
naming the line or task at fault (exit 2), and the store is left as it was.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from taskdesk.cli.commands import CliError, out
from taskdesk.domain.importing import ImportFileError, ImportRecord

if TYPE_CHECKING:
    from taskdesk.cli.commands import Context
    from taskdesk.domain.model import Item

#: Files larger than this are refused before they are read (a wrong file, not a list).
MAX_BYTES = 512 * 1024 * 1024


def read_text(path: str) -> str:
    """The whole file as text (UTF-8, a BOM allowed); CliError saying what is wrong."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise CliError(f"{path}: the file is larger than {MAX_BYTES // 2**20} MB")
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CliError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CliError(f"{path}: line {line}: not UTF-8 text") from None


def _parsed(path: str, parse: Callable[[str, str], list[ImportRecord]]) -> list[ImportRecord]:
    try:
        return parse(read_text(path), path)
    except ImportFileError as exc:
        raise CliError(str(exc)) from None


def import_into_store(ctx: Context, path: str, records: Sequence[ImportRecord]) -> int:
    """Write the records in one action and print what happened (the contract's line)."""
    from taskdesk.store.errors import ValidationError

    try:
        report = ctx.store.import_records(records, label=f"import {Path(path).name}")
    except ValidationError as exc:
        raise CliError(f"{path}: {exc}") from None
    total = report.total
    out(
        f"Imported {total} item{'s' if total != 1 else ''} from {path}: "
        f"{report.created} new, {report.updated} updated, {report.unchanged} unchanged."
    )
    return 0


def import_taskwarrior(ctx: Context, args: argparse.Namespace) -> int:
    """``import FILE --format taskwarrior`` (``task export`` JSON, JSON lines, ``.data``)."""
    from taskdesk.interop.taskwarrior import parse_taskwarrior

    return import_into_store(ctx, args.file, _parsed(args.file, parse_taskwarrior))


def import_json(ctx: Context, args: argparse.Namespace) -> int:
    """``import FILE.json``: taskdesk's own JSON; a Taskwarrior export is recognised too."""
    from taskdesk.interop.json_in import (
        load_json,
        looks_like_taskwarrior,
        records_from_json,
        resolve_ids,
    )
    from taskdesk.interop.taskwarrior import records_from_tasks

    def parse(text: str, name: str) -> list[ImportRecord]:
        data = load_json(text, name)
        if looks_like_taskwarrior(data):
            tasks = [(f"task #{n}", task) for n, task in enumerate(data, start=1)]
            return records_from_tasks(tasks, name)
        return records_from_json(data, name)

    records = resolve_ids(_parsed(args.file, parse), lambda ids: _uuids(ctx, ids))
    return import_into_store(ctx, args.file, records)


def import_csv(ctx: Context, args: argparse.Namespace) -> int:
    """``import FILE.csv``: a header row with at least a title column."""
    from taskdesk.interop.csvfile import parse_csv

    return import_into_store(ctx, args.file, _parsed(args.file, parse_csv))


def _uuids(ctx: Context, ids: Sequence[int]) -> Mapping[int, str]:
    """Item id → uuid for the ids that exist (one batch read)."""
    return {item.id: item.uuid for item in ctx.store.get_items(list(ids))}


# ----------------------------------------------------------------------- export
def _items(ctx: Context, project: str | None) -> list[Item]:
    """Every item (every status, waiting ones too) of ``--project`` or the store, by id."""
    from taskdesk.domain.filters import Filter
    from taskdesk.domain.model import StatusCategory

    container_id = ctx.store.get_container(project).id if project else None
    every = Filter(statuses=tuple(c.value for c in StatusCategory), include_closed=True)
    return ctx.store.list_items(every, container_id=container_id, now=ctx.now)


def _count(items: Sequence[Item]) -> str:
    return f"{len(items)} item{'s' if len(items) != 1 else ''}"


def export_taskwarrior(ctx: Context, args: argparse.Namespace) -> tuple[str, str]:
    """Items as ``task export`` JSON, for ``task import``."""
    from taskdesk.interop.taskwarrior import export_taskwarrior as write

    items = _items(ctx, args.project)
    uuids = {item.id: item.uuid for item in items}
    missing = sorted({d for item in items for d in item.depends} - set(uuids))
    uuids.update(_uuids(ctx, missing) if missing else {})
    return write(items, uuids, ctx.now), _count(items)


def export_csv(ctx: Context, args: argparse.Namespace) -> tuple[str, str]:
    """Items as CSV with a header row."""
    from taskdesk.interop.csvfile import export_csv as write

    items = _items(ctx, args.project)
    return write(items), _count(items)
