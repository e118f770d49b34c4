"""The bodies of the commands: parse input, call the store, print the result.

Each command is a function ``(ctx, args) -> exit code``. Input is parsed and every
referenced item is looked up *before* the first write, so an error leaves the store as
it was (the contract: nothing is half-written). Errors are raised, not printed: the
dispatcher in :mod:`taskdesk.cli` turns each kind into its exit code and one line.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from taskdesk.cli import render
from taskdesk.cli.admin_commands import ADMIN_COMMANDS, ADMIN_STORELESS
from taskdesk.cli.members_commands import MEMBERS_COMMANDS
from taskdesk.cli.people_commands import PEOPLE_COMMANDS
from taskdesk.cli.project_commands import PROJECT_COMMANDS
from taskdesk.domain.model import Item, StatusCategory
from taskdesk.domain.text import clean_line

if TYPE_CHECKING:
    from taskdesk.config import AppSettings
    from taskdesk.domain.urgency import Urgency, UrgencyWeights
    from taskdesk.store import Store


class CliError(Exception):
    """A problem to report as one line with a given exit code (2 = bad input)."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Context:
    """What every command needs: settings, the store target, the actor and "now".

    The store is opened on first use, so commands that don't need it (and ``--help``)
    never touch the database.
    """

    settings: AppSettings
    target: str
    actor: str
    now: datetime
    _store: Store | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        """The open store (opened, and created if missing, on first access)."""
        if self._store is None:
            from taskdesk.store import open_store

            self._store = open_store(self.target, actor=self.actor, create=True)
        return self._store

    @property
    def weights(self) -> UrgencyWeights:
        """The configured urgency weights."""
        return self.settings.urgency.to_domain()

    def close(self) -> None:
        """Close the store if it was opened."""
        if self._store is not None:
            self._store.close()
            self._store = None


Command = Callable[[Context, argparse.Namespace], int]


def out(line: str = "") -> None:
    """Print one line of normal output (stdout)."""
    print(line)


def print_json(value: Any) -> None:
    """Machine-readable output: UTF-8, keys in contract order. One object is indented;
    a list has one compact object per line (json's C encoder only serves compact
    output, and 50,000 indented items took seconds)."""
    if isinstance(value, list) and value:
        rows = ",\n".join("  " + json.dumps(v, ensure_ascii=False) for v in value)
        out("[\n" + rows + "\n]")
        return
    out(json.dumps(value, indent=2, ensure_ascii=False))


def _urgency(ctx: Context, item: Item) -> Urgency:
    """One item's urgency with the configured weights."""
    from taskdesk.domain.urgency import urgency

    return urgency(item, now=ctx.now, weights=ctx.weights)


def _item_json(ctx: Context, item: Item, *, terms: bool = False) -> dict[str, Any]:
    """The contract's JSON object for ``item`` (see :mod:`taskdesk.interop.json_out`)."""
    from taskdesk.interop.json_out import item_to_json

    return item_to_json(item, now=ctx.now, urgency=_urgency(ctx, item), terms=terms)


def _resolve(ctx: Context, refs: Sequence[str]) -> list[Item]:
    """Look every reference up before anything changes; NotFound names the bad one."""
    return [ctx.store.find_item(ref) for ref in refs]


def _text(words: Sequence[str]) -> str:
    """Shell words back into one quick-add line.

    A word the shell kept together although it holds spaces is taken as the user meant
    it: ``'pro:Annual conference'`` (a known key first) keeps its value together, as
    ``pro:"Annual conference"``; anything else (``"Buy milk due:tomorrow"``, the whole
    line quoted out of habit) is read word by word, as if typed without the quotes.
    """
    from taskdesk.domain.quickadd import ATTRIBUTE_KEYS

    parts = []
    for word in words:
        key, sep, value = word.partition(":")
        if " " in value and sep and key.lower() in ATTRIBUTE_KEYS and '"' not in value:
            word = f'{key}:"{value}"'
        parts.append(word)
    return " ".join(parts)


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    """``add TEXT…``: quick-add one item and say its id."""
    from taskdesk.domain.quickadd import parse_quick_add

    parsed = parse_quick_add(_text(args.words), now=ctx.now)
    item = ctx.store.add_item(parsed, now=ctx.now)
    if args.json:
        print_json(_item_json(ctx, item))
    else:
        out(f"Created item {item.id}.")
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    """``list [FILTER…]``: open items, most urgent first, as a table or JSON.

    A whole store's worth of items (27,000 open of 50,000) goes through the bulk path:
    the store's ``listed_items`` (five queries, named tuples), urgency totals without
    their breakdown, and the output written as one text (well under a second).
    """
    from taskdesk.domain.filters import parse_filter
    from taskdesk.domain.urgency import rank_totals

    flt = parse_filter(list(args.words), now=ctx.now)
    with _without_cyclic_gc():
        rows = rank_totals(ctx.store.listed_items(flt), now=ctx.now, weights=ctx.weights)
        if args.json:
            from taskdesk.interop.json_out import listing_json

            out(listing_json(rows))
            return 0
        if not rows:
            out("No matching items.")
            return 0
        table = render.item_table(rows, now=ctx.now, width=_width())
        count = f"{len(rows)} item{'s' if len(rows) != 1 else ''}."
        out("\n".join([*table, "", count]))
    return 0


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a listing is built.

    Why: listing 27,000 items makes some 200,000 tuples, lists and dicts that all live
    until the output is written, so every collection the allocations trigger walks them
    and frees nothing: 70 ms of a 0.8 s ``list --json``. Nothing here makes cycles;
    reference counting frees everything as usual, and the collector is back afterwards
    (as it was: a caller that had paused it keeps it paused).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _width() -> int:
    """The table width: the terminal's, or 80 when output goes to a pipe or file."""
    if sys.stdout.isatty():
        return max(60, shutil.get_terminal_size((render.DEFAULT_WIDTH, 24)).columns)
    return render.DEFAULT_WIDTH


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    """``show ID``: every field, the urgency breakdown, comments and recent activity."""
    item = ctx.store.find_item(args.id)
    comments = ctx.store.comments(item.id)
    activity = ctx.store.activity(item.id, limit=10)
    if args.json:
        from taskdesk.interop.json_out import iso_datetime

        data = _item_json(ctx, item, terms=True)
        data["comments"] = [
            {"author": c.author, "at": iso_datetime(c.at), "body": c.body} for c in comments
        ]
        data["activity"] = [
            {
                "at": iso_datetime(a.at),
                "actor": a.actor,
                "field": a.field,
                "old": a.old,
                "new": a.new,
            }
            for a in activity
        ]
        print_json(data)
        return 0
    urg = _urgency(ctx, item)
    names = {status.id: status.name for status in ctx.store.statuses()}
    page = render.show_page(
        item, urg, now=ctx.now, comments=comments, activity=activity, status_names=names
    )
    for line in page:
        out(line)
    return 0


def cmd_done(ctx: Context, args: argparse.Namespace) -> int:
    """``done ID…``: complete items (a recurring occurrence makes the next one)."""
    for item in _resolve(ctx, args.ids):
        if item.category is StatusCategory.COMPLETED:
            out(f"Item {item.id} is already completed.")
            continue
        done = ctx.store.complete_item(item.id)
        out(f"Completed item {done.id} '{clean_line(done.title)}'.")
    return 0


def cmd_start(ctx: Context, args: argparse.Namespace) -> int:
    """``start ID…``: move items to the first started column."""
    for item in _resolve(ctx, args.ids):
        if item.category is StatusCategory.STARTED:
            out(f"Item {item.id} is already started.")
            continue
        started = ctx.store.start_item(item.id)
        out(f"Started item {started.id} '{clean_line(started.title)}'.")
    return 0


def cmd_modify(ctx: Context, args: argparse.Namespace) -> int:
    """``modify ID TEXT…``: change just the fields the text names."""
    from taskdesk.domain.quickadd import parse_quick_add

    item = ctx.store.find_item(args.id)
    parsed = parse_quick_add(_text(args.words), now=ctx.now, modify=True)
    if not parsed.given:
        raise CliError(f"modify {item.id}: nothing to change in {_text(args.words)!r}")
    changed = ctx.store.modify_item(item.id, parsed, expected_version=item.version)
    if args.json:
        print_json(_item_json(ctx, changed))
    else:
        out(f"Modified item {changed.id}.")
    return 0


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    """``demo``: build the demo workspace (refused on a non-empty store without --force)."""
    from taskdesk.demo import build_demo

    today = _parse_today(args.today) if args.today else ctx.now.date()
    if not args.force and not ctx.store.is_empty():
        raise CliError(
            f"{ctx.store.location} already has items or projects; "
            "use `taskdesk demo --force` to add the demo anyway, or another --db"
        )
    summary = build_demo(ctx.store, today=today)
    out(f"Demo workspace created in {ctx.store.location}: {summary.describe()}.")
    return 0


def _parse_today(text: str) -> date:
    """``--today``: an ISO date, or a bad-input error naming it."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"demo: --today {text!r} is not a date like 2026-12-01") from None


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    """``backup [FILE]``: a consistent copy of the store; prints where it went."""
    path = ctx.store.backup(args.file)
    out(str(path))
    return 0


def not_available(name: str) -> Command:
    """A contract command that is registered but not built yet: exit 1 with a note."""

    def run(ctx: Context, args: argparse.Namespace) -> int:
        raise CliError(f"{name} is not available yet", code=1)

    run.__doc__ = f"``{name}``: not available yet."
    return run


#: Commands that never open the store (so they work even when it cannot be opened).
STORELESS = frozenset({"report", "advise"}) | ADMIN_STORELESS

COMMANDS: dict[str, Command] = {
    "add": cmd_add,
    "list": cmd_list,
    "show": cmd_show,
    "done": cmd_done,
    "start": cmd_start,
    "modify": cmd_modify,
    "demo": cmd_demo,
    "backup": cmd_backup,
    **{name: not_available(name) for name in STORELESS - ADMIN_STORELESS},
    **ADMIN_COMMANDS,
    **PEOPLE_COMMANDS,
    **MEMBERS_COMMANDS,
    **PROJECT_COMMANDS,
}
