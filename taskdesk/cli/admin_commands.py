"""Commands for whoever looks after a store: ``init``, ``check``, ``migrate``.

``init --shared DIR --group GROUP`` makes a team store on a shared server, ``check``
says whether a store is sound (exit 0) or lists its problems (exit 1), and ``migrate``
copies a whole store between SQLite and PostgreSQL. The store logic lives in
:mod:`taskdesk.store.shared`, :mod:`taskdesk.store.check` and :mod:`taskdesk.store.copy`;
this module parses, calls and prints.

Nothing heavy is imported at module level: :mod:`taskdesk.cli.parser` builds these
parsers for ``--help`` without loading the store.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from taskdesk.cli.commands import Context

SubParsers = Any  # argparse._SubParsersAction[TaskdeskArgumentParser] (private type)

INIT_HELP = """\
Create a store and print the --db path to use with it.

Without --shared: the store at --db (or the default one), owner-only (0600 in a 0700
directory). With --shared DIR --group GROUP: a team store that every member of GROUP
can use at the same time, from as many terminals as they like, and nobody else can see:

  DIR               mode 3770 (drwxrws--T), group GROUP: rwx for owner and group,
                    nothing for others; setgid, so every file made in it (the
                    database's -wal/-shm files, backups) belongs to GROUP; sticky, so
                    members cannot delete or replace each other's files
  DIR/taskdesk.db   mode 0660, group GROUP, created by taskdesk before SQLite opens
                    it, so SQLite gives its -wal/-shm files the same mode whatever
                    the umask of the member who opens it first

You must own DIR (it is created if missing; an existing one must be empty) and be a
member of GROUP. On a network filesystem (NFS, SMB, sshfs) SQLite's locks are not
reliable: taskdesk refuses such a store unless TASKDESK_ALLOW_NETWORK_FS=1 or
--allow-network-fs is given; use PostgreSQL for a team spread over several machines.

With --rls (PostgreSQL only; run as the owner of the database): the server itself
keeps members-only projects private (row-level security). Every team member then
connects as a PostgreSQL role of their own, named as their OS login and member of the
group role (--rls-group, default taskdesk_users); --rls-user LOGIN (repeatable)
creates such roles (needs CREATEROLE). Without --rls, and on SQLite, a restricted
project is a guard-rail of the app only (see `taskdesk members --help`).

examples:
  taskdesk init --shared /srv/taskdesk/marketing --group marketing
  taskdesk --db postgresql://owner@dbhost/team init --rls --rls-user alice --rls-user bob
"""

CHECK_HELP = """\
Check the store without changing it: SQLite's integrity and foreign-key checks, the
schema version, and taskdesk's own rules (every item's status, project, series and
parent exist; no dependency or parent cycle; one item per occurrence of a recurring
series; the workflow has to-do, started and completed columns).

Prints what it looked at and every problem in words. Exit 0 when the store is sound,
1 when a problem was found (or the file cannot be opened at all), 2 when there is no
store at that path.

example:
  taskdesk --db /srv/taskdesk/marketing/taskdesk.db check
"""

MIGRATE_HELP = """\
Copy a whole store from one database to another: SQLite to PostgreSQL when a team
outgrows one machine, PostgreSQL to SQLite, or file to file. Every row moves with its
id (history, undo and links stay true). The target must be empty (a new file, or a new
PostgreSQL database); the source is read in one snapshot and may stay in use.

All or nothing: the copy is written in one transaction, and before it commits every
table of the target is read back and compared with the source by row count and
checksum; on any difference nothing is written (a file it created is removed). Prints
each table's row count and checksum.

examples:
  taskdesk migrate --from ~/.local/share/taskdesk/taskdesk.db \\
                   --to postgresql://taskdesk@dbhost/marketing
  taskdesk migrate --from postgresql://taskdesk@dbhost/marketing --to team-copy.db
"""


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=30)


def add_admin_parsers(sub: SubParsers) -> None:
    """Register ``init``, ``check`` and ``migrate`` on the command line."""
    init = sub.add_parser(
        "init",
        help="create a store (--shared: a team store for a group)",
        description=INIT_HELP,
        formatter_class=_formatter,
    )
    init.add_argument("--shared", metavar="DIR", help="make a team store in DIR")
    init.add_argument("--group", metavar="GROUP", help="the team's group (with --shared)")
    init.add_argument("--json", action="store_true", help="print what was made as JSON")
    init.add_argument(
        "--rls",
        action="store_true",
        help="PostgreSQL: the server enforces members-only projects (row security)",
    )
    init.add_argument(
        "--rls-group", metavar="ROLE", default="taskdesk_users", help=argparse.SUPPRESS
    )
    init.add_argument(
        "--rls-user",
        metavar="LOGIN",
        action="append",
        default=[],
        help="with --rls: create this member's login role (repeatable)",
    )

    check = sub.add_parser(
        "check",
        help="check the store's integrity; exit 1 on problems",
        description=CHECK_HELP,
        formatter_class=_formatter,
    )
    check.add_argument("--json", action="store_true", help="print the report as JSON")

    migrate = sub.add_parser(
        "migrate",
        help="copy a whole store between SQLite and PostgreSQL",
        description=MIGRATE_HELP,
        formatter_class=_formatter,
    )
    migrate.add_argument("--from", dest="source", required=True, metavar="TARGET")
    migrate.add_argument("--to", dest="target", required=True, metavar="TARGET")


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    """``init [--shared DIR --group GROUP]``: create a store, print the --db to use."""
    from taskdesk.cli.commands import CliError, out, print_json

    if args.rls_user and not args.rls:
        raise CliError("init: --rls-user goes with --rls")
    if args.shared is None:
        if args.group is not None:
            raise CliError("init: --group goes with --shared DIR")
        if args.rls:
            return _init_rls(ctx, args)
        return _init_private(ctx, args)
    if args.rls:
        raise CliError("init: --rls is for PostgreSQL stores, not --shared SQLite ones")
    if not args.group:
        raise CliError("init: --shared needs --group GROUP (the team's group)")
    from taskdesk.store.shared import init_shared

    made = init_shared(args.shared, args.group, actor=ctx.actor)
    if args.json:
        print_json({"db": str(made.database), "group": made.group, "notices": made.notices})
        return 0
    out(f"Created the team store {made.database} for the group {made.group}.")
    for notice in made.notices:
        out(f"note: {notice}")
    out("Every member opens it with:")
    out(f"  taskdesk --db {made.database}")
    return 0


def _init_rls(ctx: Context, args: argparse.Namespace) -> int:
    """``init --rls``: create the store if needed, then turn on row security."""
    from taskdesk.cli.commands import CliError, out, print_json
    from taskdesk.store import open_store
    from taskdesk.store.db import is_url
    from taskdesk.store.rls import enable_row_security

    if not is_url(ctx.target) or not ctx.target.lower().startswith("postgres"):
        raise CliError(
            "init: --rls needs a PostgreSQL store (--db postgresql://…); on SQLite, "
            "members-only projects are a guard-rail of the app only"
        )
    store = open_store(ctx.target, actor=ctx.actor, create=True)
    try:
        report = enable_row_security(store, group=args.rls_group, logins=args.rls_user)
        location = store.location
    finally:
        store.close()
    if args.json:
        print_json(
            {
                "db": location,
                "schema": report.schema,
                "group": report.group,
                "tables": report.tables,
                "logins": report.logins,
            }
        )
        return 0
    out(f"Row security is on in {location} (schema {report.schema}).")
    out(f"Team members connect as their own roles, members of {report.group}:")
    for login in report.logins:
        out(f"  created or kept role {login}")
    out(f"  add one later: CREATE ROLE LOGIN_NAME LOGIN IN ROLE {report.group};")
    return 0


def _init_private(ctx: Context, args: argparse.Namespace) -> int:
    """``init`` without --shared: the store at --db, created owner-only if missing."""
    from taskdesk.cli.commands import out, print_json
    from taskdesk.store import open_store
    from taskdesk.store.db import is_url

    existed = is_url(ctx.target) or Path(ctx.target).expanduser().exists()
    store = open_store(ctx.target, actor=ctx.actor, create=True)
    try:
        location, notices = store.location, list(store.notices)
    finally:
        store.close()
    if args.json:
        print_json({"db": location, "created": not existed, "notices": notices})
        return 0
    out(f"{'The store is ready' if existed else 'Created the store'}: {location}")
    for notice in notices:
        out(f"note: {notice}")
    out(f"Open it with: taskdesk --db {location}")
    return 0


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    """``check``: report problems in words; exit 0 when sound, 1 otherwise."""
    from taskdesk.cli.commands import out, print_json
    from taskdesk.store import open_store
    from taskdesk.store.check import check_store
    from taskdesk.store.db import is_url
    from taskdesk.store.errors import StoreError

    exists = is_url(ctx.target) or Path(ctx.target).expanduser().exists()
    try:
        store = open_store(ctx.target, actor=ctx.actor, create=False, read_only=True)
    except StoreError as exc:
        if not exists:
            raise  # no store there: bad input (exit 2)
        problem = str(exc)
        if args.json:
            print_json({"db": ctx.target, "ok": False, "problems": [problem]})
        else:
            out(f"problem: {problem}")
            out("1 problem found.")
        return 1
    try:
        report = check_store(store)
    finally:
        store.close()
    if args.json:
        print_json(
            {
                "db": report.location,
                "backend": report.backend,
                "ok": report.ok,
                "schema_version": report.schema_version,
                "counts": report.counts,
                "problems": report.problems,
                "notes": report.notes,
            }
        )
    else:
        for line in report.lines():
            out(line)
    return 0 if report.ok else 1


def cmd_migrate(ctx: Context, args: argparse.Namespace) -> int:
    """``migrate --from A --to B``: copy a whole store; print per-table counts."""
    from taskdesk.cli.commands import out
    from taskdesk.store.copy import copy_store

    report = copy_store(args.source, args.target, actor=ctx.actor)
    for line in report.lines():
        out(line)
    return 0


ADMIN_COMMANDS: dict[str, Callable[[Context, argparse.Namespace], int]] = {
    "init": cmd_init,
    "check": cmd_check,
    "migrate": cmd_migrate,
}

#: Admin commands that do not use the --db store (they name their own targets).
ADMIN_STORELESS = frozenset({"migrate"})
