"""``taskdesk timeoff``: record when people are away, so schedules and leveling know.

A person's time off becomes their own calendar: work planned on those days shows as
over-allocation on the Gantt, and leveling moves it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from taskdesk.cli.commands import Context

SubParsers = Any  # argparse's private _SubParsersAction

TIMEOFF_HELP = """\
Record, list or remove people's time off (whole days; both dates included).

examples:
  taskdesk timeoff add alice 2026-01-12 2026-01-16 "ski trip"
  taskdesk timeoff add bob fri fri dentist
  taskdesk timeoff list            (everyone)   taskdesk timeoff list alice
  taskdesk timeoff remove 3
Dates take the quick-add date words (2026-01-12, fri, next monday, eom).
"""


def add_people_parsers(sub: SubParsers) -> None:
    """Register ``timeoff`` with its three actions."""
    timeoff = sub.add_parser(
        "timeoff",
        help="record, list or remove people's time off",
        description=TIMEOFF_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = timeoff.add_subparsers(dest="timeoff_action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="LOGIN START END [REASON]")
    add.add_argument("login")
    add.add_argument("start")
    add.add_argument("end")
    add.add_argument("reason", nargs="*")
    listing = actions.add_parser("list", help="[LOGIN…]")
    listing.add_argument("logins", nargs="*")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    remove = actions.add_parser("remove", help="ID")
    remove.add_argument("id", type=int)


def _day(text: str, now: datetime, which: str) -> date:
    from taskdesk.cli.commands import CliError
    from taskdesk.domain.dates import DateError, parse_date

    try:
        return parse_date(text, now=now).date()
    except DateError as error:
        raise CliError(f"timeoff: {which} {error}") from None


def cmd_timeoff(ctx: Context, args: argparse.Namespace) -> int:
    """Run ``timeoff add|list|remove``."""
    from taskdesk.cli.commands import out, print_json

    store = ctx.store
    if args.timeoff_action == "add":
        start = _day(args.start, ctx.now, "start:")
        end = _day(args.end, ctx.now, "end:")
        added = store.add_time_off(args.login, start, end, " ".join(args.reason))
        out(f"Time off {added.id}: {added.login} away {added.start} to {added.end}.")
        return 0
    if args.timeoff_action == "remove":
        store.remove_time_off(args.id)
        out(f"Removed time off {args.id}.")
        return 0
    entries = store.time_off(args.logins or None)
    if args.json:
        print_json(
            [
                {
                    "id": t.id,
                    "login": t.login,
                    "start": t.start.isoformat(),
                    "end": t.end.isoformat(),
                    "reason": t.reason,
                }
                for t in entries
            ]
        )
        return 0
    if not entries:
        out("No time off recorded.")
    for t in entries:
        out(f"{t.id:>4}  {t.login:<12} {t.start} → {t.end}  {t.reason}")
    return 0


PEOPLE_COMMANDS: dict[str, Callable[[Context, argparse.Namespace], int]] = {
    "timeoff": cmd_timeoff,
}
