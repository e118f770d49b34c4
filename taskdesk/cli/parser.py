"""The argument parser: every command, its options and its help text.

Kept apart from the command bodies so ``taskdesk --help`` answers without importing the
store, and so the help text — the user's manual for the command line — reads in one
place. Free-text commands (``add``, ``modify``, ``list``) take words that may start with
``-`` (``-tag`` removes a tag, ``-bug`` excludes one), which argparse would mistake for
options; :func:`protect_free_text` rewrites such argv before argparse sees it.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NoReturn

from taskdesk import __version__
from taskdesk.cli.admin_commands import add_admin_parsers
from taskdesk.cli.members_commands import add_members_parsers
from taskdesk.cli.people_commands import add_people_parsers
from taskdesk.cli.project_commands import add_project_parsers

PROG = "taskdesk"

#: Commands whose trailing words are free text (quick-add grammar or filter words).
FREE_TEXT_COMMANDS = frozenset({"add", "modify", "list"})

#: Options the free-text commands still recognise anywhere among their words.
_FREE_TEXT_OPTIONS = frozenset({"--json", "-h", "--help"})

#: Commands of the contract that are registered but not built yet.
NOT_AVAILABLE = ("report", "advise")

DESCRIPTION = """\
A keyboard-first terminal app for a team's ongoing work and its projects.

Without a COMMAND, taskdesk opens the full-screen app. With one, it runs that command
on the store and exits.

store:    --db TARGET, else $TASKDESK_DB, else `db` in config.toml, else taskdesk.db
          in the user data directory. TARGET is a SQLite file path or a URL
          (sqlite:///path, postgresql://user@host/db).
config:   config.toml in the user config directory; $TASKDESK_CONFIG points elsewhere.
          Any setting can also come from $TASKDESK_<KEY> (e.g. TASKDESK_THEME).
identity: changes are recorded under your OS login name; $TASKDESK_USER overrides it
          (for tests and scripts acting for someone).
debug:    TASKDESK_DEBUG=1 shows the full traceback of an unexpected error.
"""

EPILOG = """\
exit codes: 0 success; 2 bad input (usage, an invalid value or token, an unknown id,
a store that cannot be opened), with one line on stderr saying what and where;
1 anything else (the store stayed locked, an internal error).

examples:
  taskdesk add Call the venue about parking due:fri pro:"Annual conference" @grace
  taskdesk list +bug pri:H
  taskdesk show 12
  taskdesk --db team.db demo
"""

QUICK_ADD_HELP = """\
Words are the title, except these tokens:
  project:NAME, pro:NAME       project or ongoing area (created on first use)
  due:DATE  start:DATE (scheduled:)  wait:DATE
  priority:H|M|L (pri:)        importance
  +tag                         tag
  @user                        assignee (login name)
  every:RULE                   recurs on a schedule: daily, weekdays, weekly,
                               biweekly, monthly, quarterly, yearly, 3d, 2w,
                               mon,wed,fri, or RRULE:FREQ=...
  after:DURATION               recurs DURATION after each completion
  est:DURATION                 effort estimate (30m, 2h, 1.5d)
  duration:DURATION (dur:)     length in working days (5d, 2w)
  depends:ID[,ID...]           finish-to-start dependencies
  milestone                    the item is a milestone
  "quoted words"               always title text (quote them for the shell too)
DATE: 2026-12-01, 2026-12-01T17:00, today, tomorrow, yesterday, mon..sun, eod, eow,
eom, eoq, eoy, sow, som, 3d, 2w, 1m, +3d, 5b (business days), next monday, dec 24;
a time with @: due:fri@17:00.
A key:value whose key is not one of these (a URL, ratio:1:2) stays in the title.
A known key with a bad value (due:blurgh, priority:Z) is an error naming the token.
Words starting with - are text, not options (except --json, -h/--help); put -- before
the words to take even those literally.
"""

FILTER_HELP = """\
FILTER words (all must hold; repeated status:, priority: and @user mean any of them):
  word                  the title contains it (case-insensitive); so does a
                        key:value whose key is not listed here (a URL)
  12  or  12,13         those item ids
  project:NAME (pro:)   in that project or area (Home also matches Home.Garden)
  status:NAME           in that column or category (backlog, unstarted, started,
                        completed, cancelled; pending = the open ones); a closed
                        one includes closed items
  priority:H|M|L (pri:) that priority; priority: (empty) for none
  +tag / -tag           has / has not the tag
  @user                 assigned to that login
  due:DATE              due that day; due.before:DATE, due.after:DATE (on or
                        after), due.by:DATE (before the end of that day)
  +OVERDUE +DUE +BLOCKED +BLOCKING +RECURRING +MILESTONE +ACTIVE +WAITING
                        virtual tags (upper case); +WAITING also shows items
                        hidden by wait:
  all                   include completed and cancelled items
Dates as in `taskdesk add --help`.
"""


class TaskdeskArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2), as the contract asks."""

    def error(self, message: str) -> NoReturn:
        """Replace argparse's usage dump with one line that says where to look."""
        command = self.prog.removeprefix(PROG).strip()
        where = f"{command}: " if command else ""
        self.exit(2, f"{PROG}: {where}{message} (see `{self.prog} --help`)\n")


def _formatter(prog: str) -> argparse.HelpFormatter:
    """Keep our hand-wrapped help text as written."""
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=30)


def build_parser() -> TaskdeskArgumentParser:
    """The whole command line, with help on every command."""
    parser = TaskdeskArgumentParser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=_formatter,
    )
    parser.add_argument(
        "--db",
        metavar="TARGET",
        help="the store: a SQLite file path or a database URL (see above)",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--allow-network-fs",
        action="store_true",
        help="open a SQLite store on a network filesystem anyway (unsafe with several "
        "users; same as TASKDESK_ALLOW_NETWORK_FS=1)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    _add_item_commands(sub)
    _add_workspace_commands(sub)
    add_project_parsers(sub, _formatter)
    _add_unavailable_commands(sub)
    add_admin_parsers(sub)
    add_people_parsers(sub)
    add_members_parsers(sub)
    return parser


def _command(
    sub: argparse._SubParsersAction[TaskdeskArgumentParser],
    name: str,
    summary: str,
    description: str,
) -> TaskdeskArgumentParser:
    """One sub-command with a one-line summary (in the command list) and full help."""
    return sub.add_parser(
        name,
        help=summary,
        description=description,
        formatter_class=_formatter,
    )


def _json_flag(cmd: argparse.ArgumentParser, what: str) -> None:
    """The shared ``--json`` switch (documented with what it prints)."""
    cmd.add_argument("--json", action="store_true", help=f"print {what} as JSON")


def _add_item_commands(sub: argparse._SubParsersAction[TaskdeskArgumentParser]) -> None:
    """add, list, show, done, start, modify: the everyday item commands."""
    add = _command(
        sub,
        "add",
        "quick-add one item; prints its id",
        "Create one item from a line of quick-add text and print `Created item N.`\n\n"
        + QUICK_ADD_HELP
        + "\nexample:\n  taskdesk add Fix login loop pro:Support pri:H +bug @dave due:tomorrow\n",
    )
    _json_flag(add, "the new item (an object, as `show --json`)")
    add.add_argument("words", nargs="+", metavar="TEXT", help="title and tokens")

    lst = _command(
        sub,
        "list",
        "open items, most urgent first",
        "List open items (not completed, not cancelled, not waiting), most urgent first,\n"
        "as a table: id, age, priority, due date, project, title, urgency.\n\n"
        + FILTER_HELP
        + "\nexample:\n  taskdesk list pro:Support +bug -billing @bob\n\n"
        "--json prints an array of item objects with the keys id, uuid, title, status,\n"
        "category, project, project_kind, priority (H/M/L/null), due, start, wait\n"
        "(ISO datetimes 2026-12-01T17:00:00 or null), tags, assignees (logins), urgency,\n"
        "recurrence (e.g. `every FREQ=WEEKLY` or `after FREQ=DAILY;INTERVAL=3`, or null),\n"
        "notes, estimate_minutes, duration_days, percent_complete, milestone, parent_id,\n"
        "depends, blocked, blocking, series_id, occurrence (a date), created, created_by,\n"
        "updated, started, completed, version.\n",
    )
    _json_flag(lst, "the items (an array)")
    lst.add_argument("words", nargs="*", metavar="FILTER", help="filter words (see above)")

    show = _command(
        sub,
        "show",
        "one item with its urgency breakdown",
        "Show every field of one item, its urgency term by term (factor × weight),\n"
        "its comments and its recent activity.\n\n"
        "--json prints the item object of `list --json` plus urgency_terms (name,\n"
        "factor, weight, contribution), comments and activity.\n"
        "\nexample:\n  taskdesk show 12\n",
    )
    _json_flag(show, "the item")
    show.add_argument("id", metavar="ID", help="item id, or a uuid (prefix of 8+ characters)")

    for name, verb, detail in (
        (
            "done",
            "complete",
            "Move items to the first completed column. Completing an\n"
            "occurrence of a recurring item creates the next occurrence.",
        ),
        (
            "start",
            "start",
            "Move items to the first started column (records when work\nbegan, for cycle time).",
        ),
    ):
        cmd = _command(
            sub,
            name,
            f"{verb} items",
            f"{detail}\nEvery ID is checked before anything changes; an unknown one changes\n"
            f"nothing (exit 2).\n\nexample:\n  taskdesk {name} 12 15\n",
        )
        cmd.add_argument("ids", nargs="+", metavar="ID", help="item ids or uuids")

    modify = _command(
        sub,
        "modify",
        "change fields with the quick-add grammar",
        "Change only the fields named in TEXT; plain words replace the title.\n"
        "-tag removes a tag and -@user an assignee; an empty value clears a field\n"
        "(due: removes the due date).\n\n" + QUICK_ADD_HELP + "\nexample:\n"
        "  taskdesk modify 12 due:eow pri:M +urgent -later @erin\n",
    )
    _json_flag(modify, "the changed item")
    modify.add_argument("id", metavar="ID", help="item id or uuid")
    modify.add_argument("words", nargs="+", metavar="TEXT", help="tokens and/or a new title")


def _add_workspace_commands(sub: argparse._SubParsersAction[TaskdeskArgumentParser]) -> None:
    """demo and backup: commands on the store as a whole."""
    demo = _command(
        sub,
        "demo",
        "fill the store with a demo workspace",
        "Fill the store with a demo workspace: a marketing team's routines (daily social\n"
        "posts, a weekly blog post, a monthly email campaign, an editorial calendar), a\n"
        'support queue, routine server maintenance, and the projects "Mobile app\n'
        'launch" and "Annual conference" — with people, some over-allocated, overdue\n'
        "tasks and a Review column over its WIP limit. Dates are relative to today.\n\n"
        "A store that already holds items or projects is refused (exit 2) unless\n"
        "--force is given, which adds the demo next to what is there (nothing is\n"
        "deleted; projects of the same name are updated). Use a new --db to try it.\n",
    )
    demo.add_argument(
        "--force", action="store_true", help="add the demo even if the store is not empty"
    )
    demo.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="build the demo as if today were this date (for reproducible screenshots)",
    )

    backup = _command(
        sub,
        "backup",
        "consistent online backup of the store",
        "Copy the store while others may be using it (SQLite's online backup), and\n"
        "print the path of the copy. Without FILE the copy is written next to the\n"
        "database with a timestamped name.\n\n"
        "example:\n  taskdesk backup ~/taskdesk-2026-12-01.db\n",
    )
    backup.add_argument("file", nargs="?", metavar="FILE", help="where to write the copy")


def _add_unavailable_commands(sub: argparse._SubParsersAction[TaskdeskArgumentParser]) -> None:
    """Commands of the contract registered with their arguments, but not built yet."""
    note = "\n\nNot available yet in this version: prints a note and exits with 1.\n"
    report = _command(
        sub,
        "report",
        "stakeholder status report (not available yet)",
        "Print the stakeholder status report of PROJECT." + note,
    )
    report.add_argument("project", metavar="PROJECT", help="project name or id")
    report.add_argument("--format", choices=("md",), default="md", help="output format")

    advise = _command(
        sub,
        "advise",
        "is it ongoing work or a project? (not available yet)",
        "The work-or-project advisor: asks, or reads the item ID." + note,
    )
    advise.add_argument("id", nargs="?", metavar="ID", help="the item to judge")


def protect_free_text(argv: Sequence[str]) -> list[str]:
    """Put ``--`` before the words of a free-text command so argparse keeps ``-tag`` as text.

    ``--json`` and ``-h``/``--help`` are still recognised among the words (moved before
    the ``--``); a ``--`` typed by the user ends that, and everything after it is text.
    Other commands, and argv without a command, pass through unchanged.
    """
    args = list(argv)
    index = _command_index(args)
    if index is None or args[index] not in FREE_TEXT_COMMANDS:
        return args
    options: list[str] = []
    words: list[str] = []
    literal = False
    for token in args[index + 1 :]:
        if literal:
            words.append(token)
        elif token == "--":
            literal = True
        elif token in _FREE_TEXT_OPTIONS:
            options.append(token)
        else:
            words.append(token)
    return [*args[: index + 1], *options, "--", *words]


def _command_index(args: list[str]) -> int | None:
    """Where the command name is in argv, skipping the global options before it."""
    i = 0
    while i < len(args):
        token = args[i]
        if token == "--db":
            i += 2
        elif token.startswith("-"):
            i += 1
        else:
            return i
    return None
