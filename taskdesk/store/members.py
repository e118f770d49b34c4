"""Members-only projects: who may see a restricted project, and who may say so.

A project (a container) can be *restricted*: then only its owner and its members (rows
of ``project_member``) see it and its items; for everyone else it is as if it did not
exist (reads skip it, a write to one of its items is NotFound, adding to it by name is
PermissionDenied). The hiding itself is done once, centrally, in
:mod:`taskdesk.store.queries` (``FilterSQL.visible`` / ``hidden_containers``), so every
screen and command gets it.

Who may change access: the project's owner. A project without an owner can be managed
by anyone who can see it, and restricting it makes that person its owner, so a project
is never restricted with nobody left inside. These are reference-data writes (plain
transactions, not undoable), and they bump the data version, so every open session
re-reads and a project that was just restricted disappears from other people's screens.

On a shared SQLite file this is a guard-rail only: anyone who may write the file can
read it with any SQLite tool. On PostgreSQL with row security (``taskdesk init --rls``,
:mod:`taskdesk.store.rls`) the server enforces the same rule.
"""

from __future__ import annotations

from taskdesk.domain.members import DEFAULT_ROLE, Member
from taskdesk.domain.model import Container
from taskdesk.domain.text import clean_line
from taskdesk.store.errors import NotFound, PermissionDenied, ValidationError
from taskdesk.store.fields import clean_login
from taskdesk.store.mapping import tuples
from taskdesk.store.reference import ReferenceStore
from taskdesk.store.tables import ContainerRow


class MemberStore(ReferenceStore):
    """Restricting projects to their members, and the member lists."""

    def _managed_row(self, project: int | str) -> ContainerRow:
        """The project, if the actor may change who sees it (else PermissionDenied)."""
        row = self._find_container_row(project)
        if row is None:
            raise NotFound(f"There is no project or area {project!r}.")
        if row.owner_id is None:
            return row
        p = self.tables.person
        owner = p.get_or_none(p.id == row.owner_id)
        if owner is None or owner.login != self.actor:
            who = owner.login if owner is not None else "its owner"
            raise PermissionDenied(
                f"Only the owner of {row.name!r} ({who}) may change who can see it."
            )
        return row

    def set_restricted(self, project: int | str, restricted: bool) -> Container:
        """Restrict the project to its owner and members (True), or open it to all.

        A project without an owner gets the actor as its owner when restricted.
        """

        def run() -> int:
            row = self._managed_row(project)
            values: dict[str, object] = {"restricted": bool(restricted), "updated": self.now()}
            if restricted and row.owner_id is None:
                values["owner_id"] = self._ensure_person_id(self.actor)
            c = self.tables.container
            c.update(**values).where(c.id == row.id).execute()
            return int(row.id)

        return self.get_container(self._transaction(run))

    def add_member(self, project: int | str, login: str, role: str = DEFAULT_ROLE) -> Member:
        """Make ``login`` a member (created as a person if new); a member gets the new role."""
        name = clean_login(login)
        if not name:
            raise ValidationError("A member needs a login name.")
        label = clean_line(role) or DEFAULT_ROLE
        m = self.tables.member

        def run() -> None:
            row = self._managed_row(project)
            person_id = self._ensure_person_id(name)
            changed = (
                m.update(role=label)
                .where((m.container_id == row.id) & (m.person_id == person_id))
                .execute()
            )
            if not changed:
                m.insert(container_id=row.id, person_id=person_id, role=label).execute()

        self._transaction(run)
        return next(x for x in self.members(project) if x.login == name)

    def remove_member(self, project: int | str, login: str) -> None:
        """Take ``login`` off the member list (NotFound when not a member)."""
        name = clean_login(login)
        t = self.tables

        def run() -> None:
            row = self._managed_row(project)
            me = t.person.select(t.person.id).where(t.person.login == name)
            removed = (
                t.member.delete()
                .where((t.member.container_id == row.id) & t.member.person_id.in_(me))
                .execute()
            )
            if not removed:
                raise NotFound(f"{name} is not a member of {row.name!r}.")

        self._transaction(run)

    def members(self, project: int | str) -> list[Member]:
        """The project's members by login (NotFound for a project hidden from the actor)."""
        row = self._find_container_row(project)
        if row is None:
            raise NotFound(f"There is no project or area {project!r}.")
        t = self.tables
        m, p = t.member, t.person
        query = tuples(
            m.select(p.login, m.role, p.display_name)
            .join(p, on=(m.person_id == p.id))
            .where(m.container_id == row.id)
            .order_by(p.login)
            .tuples()
        )
        return [
            Member(login, role or DEFAULT_ROLE, display or "") for login, role, display in query
        ]
