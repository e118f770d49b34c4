"""PostgreSQL row-level security: the server itself keeps members-only projects private.

The store's own filter (:mod:`taskdesk.store.members`) hides restricted projects from
non-members in every screen and command, but anyone who can connect can also type SQL.
:func:`enable_row_security` (``taskdesk init --rls``, run as the database owner) makes
the server apply the same rule to every query, from taskdesk or psql alike:

- a NOLOGIN group role (``taskdesk_users``) gets the rights to use the store's tables;
  every team member connects as a login role of their own, named as their OS login (so
  ``current_user`` = ``person.login`` = taskdesk's actor), that is a member of it;
- ``ROW LEVEL SECURITY`` on ``container`` keeps a restricted project's row to its owner
  and members; every table that belongs to a project or an item (items, their tags,
  assignees, links, comments, history; risks, stakeholders, baselines, series, SLA
  policies, the member list) only shows rows whose project (or item) is visible, by
  policies that select from the already-protected ``container``/``item`` tables;
- ``action`` rows (their descriptions quote titles) are visible to their actor, or when
  none of their history touches a hidden project: a ``SECURITY DEFINER`` function checks
  that, since the history rows it must look at are themselves hidden (another lists the
  projects a login is a member of, which ``container``'s policy needs without recursing
  through ``project_member``'s; both return ids or a yes/no, never text);
- only the owner (or anyone, for a project without one) may change the member list.

The tables' owner (who runs this) is not subject to the policies (no ``FORCE``): it
must see everything to upgrade, check and copy the store; team members must never use
the owner's role. Superusers always bypass row security.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from taskdesk.store.errors import StoreError, ValidationError

if TYPE_CHECKING:
    from taskdesk.store.repository import Store

#: The group role every team member's login role belongs to.
DEFAULT_GROUP = "taskdesk_users"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")

#: Who "me" is inside a policy: the person whose login is the connected role.
_ME = "(SELECT p.id FROM person p WHERE p.login = current_user)"
_VISIBLE_CONTAINER = "(SELECT c.id FROM container c)"
_VISIBLE_ITEM = "(SELECT i.id FROM item i)"

#: table → the USING / WITH CHECK expression of its policy (container: its own rule).
POLICIES: dict[str, str] = {
    "container": (
        f"NOT restricted OR owner_id IN {_ME} OR id IN (SELECT taskdesk_member_of(current_user))"
    ),
    "item": f"container_id IS NULL OR container_id IN {_VISIBLE_CONTAINER}",
    "item_tag": f"item_id IN {_VISIBLE_ITEM}",
    "assignment": f"item_id IN {_VISIBLE_ITEM}",
    "comment": f"item_id IN {_VISIBLE_ITEM}",
    "baseline_task": f"item_id IN {_VISIBLE_ITEM}",
    "activity": f"item_id IS NULL OR item_id IN {_VISIBLE_ITEM}",
    "dependency": f"predecessor_id IN {_VISIBLE_ITEM} AND successor_id IN {_VISIBLE_ITEM}",
    "risk": f"container_id IN {_VISIBLE_CONTAINER}",
    "stakeholder": f"container_id IN {_VISIBLE_CONTAINER}",
    "baseline": f"container_id IN {_VISIBLE_CONTAINER}",
    "series": f"container_id IS NULL OR container_id IN {_VISIBLE_CONTAINER}",
    "sla_policy": f"container_id IS NULL OR container_id IN {_VISIBLE_CONTAINER}",
    "project_member": f"container_id IN {_VISIBLE_CONTAINER}",
    "action": "actor = current_user OR taskdesk_action_visible(id, current_user)",
}

#: Only the owner (or anyone, for an ownerless project) changes the member list.
MEMBER_WRITE = (
    f"container_id IN (SELECT c.id FROM container c WHERE c.owner_id IS NULL "
    f"OR c.owner_id IN {_ME})"
)

#: The projects ``who`` is a member of. SECURITY DEFINER: ``project_member``'s own policy
#: looks at ``container``, whose policy needs this list (PostgreSQL refuses a policy
#: that recurses). It reveals project ids only.
MEMBER_FUNCTION = """
CREATE OR REPLACE FUNCTION taskdesk_member_of(who text)
RETURNS SETOF integer LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp
AS $$
  SELECT m.container_id FROM project_member m JOIN person p ON p.id = m.person_id
  WHERE p.login = $1
$$"""

ACTION_FUNCTION = """
CREATE OR REPLACE FUNCTION taskdesk_action_visible(action_id integer, who text)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp
AS $$
  SELECT NOT EXISTS (
    SELECT 1 FROM activity a
    JOIN item i ON i.id = a.item_id
    JOIN container c ON c.id = i.container_id
    WHERE a.action_id = $1 AND c.restricted
      AND c.owner_id IS DISTINCT FROM (SELECT p.id FROM person p WHERE p.login = $2)
      AND NOT EXISTS (
        SELECT 1 FROM project_member m JOIN person p ON p.id = m.person_id
        WHERE m.container_id = c.id AND p.login = $2))
$$"""


@dataclass(frozen=True, slots=True)
class RlsReport:
    """What ``enable_row_security`` set up."""

    schema: str
    group: str
    tables: list[str]
    logins: list[str] = field(default_factory=list)


def _ident(name: str, what: str) -> str:
    """A role name as a quoted SQL identifier (ValidationError for an odd one)."""
    if not _ROLE_NAME.match(name):
        raise ValidationError(
            f"{name!r} cannot be a PostgreSQL {what} here: use lower-case letters, digits, "
            "'_', '.' or '-', starting with a letter or '_'."
        )
    return '"' + name + '"'


def _run(store: Store, sql: str, params: Sequence[Any] | None = None) -> Any:
    return store.db.execute_sql(sql, params)  # type: ignore[no-untyped-call]


def _ensure_role(store: Store, role: str, *, login: bool, group: str | None = None) -> None:
    """Create the role unless it exists; add it to ``group``."""
    exists = _run(store, "SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    ident = _ident(role, "role")
    if not exists:
        _run(store, f"CREATE ROLE {ident} {'LOGIN' if login else 'NOLOGIN'}")
    if group is not None:
        _run(store, f"GRANT {_ident(group, 'group role')} TO {ident}")


def enable_row_security(
    store: Store, *, group: str = DEFAULT_GROUP, logins: Sequence[str] = ()
) -> RlsReport:
    """Turn on the server-side rule for members-only projects (idempotent).

    Run as the owner of the store's tables, in one transaction. ``logins`` are team
    members' login roles to create (if missing) and put in ``group``; creating roles
    needs the CREATEROLE right, granting the group needs its admin option.
    """
    if store.backend != "postgresql":
        raise ValidationError(
            "Row-level security is a PostgreSQL feature; on a SQLite store, restricting "
            "a project is a guard-rail of the app only (see docs/shared-stores.md)."
        )
    gid = _ident(group, "group role")
    tables = list(POLICIES)

    def run() -> str:
        schema = str(_run(store, "SELECT current_schema()").fetchone()[0])
        sid = '"' + schema.replace('"', '""') + '"'
        _ensure_role(store, group, login=False)
        for login in logins:
            _ensure_role(store, login, login=True, group=group)
        _run(store, f"GRANT USAGE ON SCHEMA {sid} TO {gid}")
        _run(store, f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {sid} TO {gid}")
        _run(store, f"REVOKE INSERT, UPDATE, DELETE ON schema_meta FROM {gid}")
        _run(store, f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {sid} TO {gid}")
        for sql, signature in (
            (MEMBER_FUNCTION, "taskdesk_member_of(text)"),
            (ACTION_FUNCTION, "taskdesk_action_visible(integer, text)"),
        ):
            _run(store, sql.format(schema=sid))
            _run(store, f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
            _run(store, f"GRANT EXECUTE ON FUNCTION {signature} TO {gid}")
        for table, rule in POLICIES.items():
            _run(store, f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
            _run(store, f'DROP POLICY IF EXISTS taskdesk_members ON "{table}"')
            if table == "project_member":
                _run(
                    store, f'CREATE POLICY taskdesk_members ON "{table}" FOR SELECT USING ({rule})'
                )
                _run(store, f'DROP POLICY IF EXISTS taskdesk_owner ON "{table}"')
                _run(
                    store,
                    f'CREATE POLICY taskdesk_owner ON "{table}" FOR ALL '
                    f"USING ({MEMBER_WRITE}) WITH CHECK ({MEMBER_WRITE})",
                )
                continue
            _run(
                store,
                f'CREATE POLICY taskdesk_members ON "{table}" USING ({rule}) WITH CHECK ({rule})',
            )
        return schema

    try:
        schema = store._transaction(run)
    except StoreError:
        raise
    except Exception as exc:  # permission errors: say who must run it
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(
            f"Could not set up row security on {store.location}: {first} (run it as the "
            "owner of the store's tables; creating login roles needs CREATEROLE)."
        ) from exc
    return RlsReport(schema=schema, group=group, tables=tables, logins=list(logins))
