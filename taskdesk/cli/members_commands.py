"""``taskdesk members``: restrict a project to its members, and keep the member list.

Nothing heavy is imported at module level: :mod:`taskdesk.cli.parser` builds this
parser for ``--help`` without loading the store.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from taskdesk.cli.commands import Context

SubParsers = Any  # argparse's private _SubParsersAction

MEMBERS_HELP = """\
Show or change who may see a project.

  taskdesk members PROJECT                 the project's owner, access and members
  taskdesk members PROJECT add LOGIN…      add members (--role ROLE, default member)
  taskdesk members PROJECT remove LOGIN…   take members off the list
  taskdesk members PROJECT restrict        members only: the owner and the members
  taskdesk members PROJECT open            everyone with the store sees it again

A restricted project and its items are hidden from everyone else: lists, the Board,
plans, search and history skip them, and their changes are refused. Only the project's
owner may change its access or members (for a project without an owner: anyone who
sees it, who then becomes its owner when restricting it).

What that guarantees depends on the store:
  SQLite file   a guard-rail only. taskdesk honours it, but anyone who can write the
                file (every member of a team store's group) can read it all with any
                SQLite tool, bypassing the app.
  PostgreSQL    enforced by the server after `taskdesk init --rls` (row-level
                security): each person connects as their own database role, named as
                their login, and cannot read a restricted project's rows even with psql.

examples:
  taskdesk members "Mobile app launch" add alice bob
  taskdesk members "Mobile app launch" restrict
  taskdesk members "Mobile app launch" --json
"""

ACTIONS = ("add", "remove", "restrict", "open")


def add_members_parsers(sub: SubParsers) -> None:
    """Register ``members``."""
    members = sub.add_parser(
        "members",
        help="who may see a project: members only (restrict), add/remove members",
        description=MEMBERS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    members.add_argument("project", metavar="PROJECT", help="the project's name or id")
    members.add_argument("action", nargs="?", choices=ACTIONS, metavar="ACTION")
    members.add_argument("logins", nargs="*", metavar="LOGIN")
    members.add_argument("--role", default="member", help="the role of added members")
    members.add_argument("--json", action="store_true", help="machine-readable output")


def cmd_members(ctx: Context, args: argparse.Namespace) -> int:
    """Run ``members PROJECT [add|remove LOGIN… | restrict | open]``."""
    from taskdesk.cli.commands import CliError

    store = ctx.store
    action = args.action
    if action in ("add", "remove") and not args.logins:
        raise CliError(f"members: {action} needs at least one LOGIN")
    if action in ("restrict", "open", None) and args.logins:
        raise CliError(f"members: unexpected {args.logins[0]!r} (logins go after add/remove)")
    if action == "add":
        for login in args.logins:
            store.add_member(args.project, login, role=args.role)
    elif action == "remove":
        for login in args.logins:
            store.remove_member(args.project, login)
    elif action in ("restrict", "open"):
        store.set_restricted(args.project, action == "restrict")
    return _show(ctx, args)


def _show(ctx: Context, args: argparse.Namespace) -> int:
    from taskdesk.cli.commands import out, print_json

    store = ctx.store
    project = store.get_container(args.project)
    members = store.members(project.id)
    if args.json:
        print_json(
            {
                "project": project.name,
                "owner": project.owner,
                "restricted": project.restricted,
                "backend": store.backend,
                "members": [{"login": m.login, "role": m.role} for m in members],
            }
        )
        return 0
    access = "members only" if project.restricted else "everyone with the store"
    out(f"{project.name}: {access}; owner {project.owner or '(none)'}")
    if project.restricted and store.backend == "sqlite":
        out("note: on a SQLite file this is a guard-rail: whoever can write the file can read it.")
    if not members:
        out("No members.")
    for member in members:
        out(f"  {member.login:<16} {member.role}")
    return 0


MEMBERS_COMMANDS: dict[str, Callable[[Context, argparse.Namespace], int]] = {
    "members": cmd_members,
}
