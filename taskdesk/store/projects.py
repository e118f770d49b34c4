"""Projects as plans: a whole project in one read, plan-file imports, risks, leveling.

- :meth:`ProjectStore.project_plan` reads everything the scheduler and the plan-file
  exporter need — the project, its tasks in WBS order, their links, its risks — in a
  fixed number of queries, however many tasks there are (up to 5,000 per ``IN`` list).
- :meth:`ProjectStore.import_plan` makes the stored project what a plan file says, in
  one transaction and as one undoable action (see its docstring for the rules).
- :meth:`ProjectStore.save_leveling_delays` records what resource leveling decided,
  also one undoable action, so "clear leveling" or ``u`` can take it back.

Risks are reference data (like projects and people): their writes are plain
transactions, not part of the undo history.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from taskdesk.domain.graph import find_cycle
from taskdesk.domain.model import (
    Container,
    ContainerKind,
    Dependency,
    Item,
    LinkType,
    Risk,
    RiskResponse,
    RiskStatus,
    Status,
    StatusCategory,
)
from taskdesk.domain.projectplan import ProjectPlan, fallback_id, wbs_order
from taskdesk.domain.text import clean_line, clean_text
from taskdesk.store.base import ActionLog
from taskdesk.store.errors import DependencyCycle, NotFound, ValidationError
from taskdesk.store.fields import quoted
from taskdesk.store.items import ItemWrites
from taskdesk.store.mapping import risk_from_row, tuples
from taskdesk.store.tables import ContainerRow, ItemRow, RiskRow

if TYPE_CHECKING:
    from taskdesk.interop.plan import PlanDocument, PlanProject, PlanRisk, PlanTask

Link = tuple[int, str, float]

#: The ids per ``IN (...)`` list (the same bound as item reads use).
_CHUNK = 5000


def _links_json(links: Sequence[Link]) -> list[dict[str, Any]]:
    """The activity-log shape of an item's incoming links (as ``fields`` writes it)."""
    return [{"id": p, "type": k, "lag": lag} for p, k, lag in links]


class ProjectStore(ItemWrites):
    """Project plans, plan-file imports, risks and leveling delays."""

    # ------------------------------------------------------------------- reads
    def _project_row(self, project: int | str) -> ContainerRow:
        row = self._find_container_row(project)
        if row is None:
            raise NotFound(f"There is no project {project!r}.")
        return row

    def project_plan(self, project: int | str) -> ProjectPlan:
        """The project (by id or name) with its live tasks in WBS order, links, risks.

        Every status is included (a completed task still holds its place in the plan;
        the scheduler leaves cancelled ones out). Costs a fixed number of queries.
        """
        row = self._project_row(project)
        container = self._containers_from([row])[0]
        i = self.tables.item
        rows = list(
            self._item_select()
            .where((i.container_id == row.id) & i.deleted_at.is_null())
            .order_by(i.id)
        )
        items = self._plan_materialise(row.id, rows)
        positions = {r["id"]: r.get("plan_position") for r in rows}
        ordered = wbs_order(items, positions)
        return ProjectPlan(
            project=container,
            items=tuple(ordered),
            dependencies=tuple(self._plan_links(row.id)),
            risks=tuple(self.risks(row.id)),
        )

    def _plan_materialise(self, container_id: int, rows: list[dict[str, Any]]) -> list[Item]:
        """``_materialise`` for a whole project: each relation selected by a subquery of
        the project's live item ids, still one query per relation."""
        live_item = self.tables.item.alias("live")
        live = live_item.select(live_item.id).where(
            (live_item.container_id == container_id) & live_item.deleted_at.is_null()
        )
        return self._materialise(rows, among=live)

    def _plan_links(self, container_id: int) -> list[Dependency]:
        """Links whose both ends are live items of the container (one query)."""
        t = self.tables
        d, pred, succ = t.dependency, t.item.alias("p"), t.item.alias("s")
        query = (
            d.select(d.predecessor_id, d.successor_id, d.type, d.lag_days)
            .join(pred, on=(d.predecessor_id == pred.id))
            .switch(d)
            .join(succ, on=(d.successor_id == succ.id))
            .where(
                (pred.container_id == container_id)
                & (succ.container_id == container_id)
                & pred.deleted_at.is_null()
                & succ.deleted_at.is_null()
            )
            .order_by(d.successor_id, d.predecessor_id)
            .tuples()
        )
        # Plain tuples, not model instances: a 20,000-link plan reads ~5× faster.
        types = {kind.value: kind for kind in LinkType}
        return [
            Dependency(
                predecessor_id=p,
                successor_id=s,
                type=types.get(k) or LinkType(k),
                lag_days=float(lag),
            )
            for p, s, k, lag in tuples(query)
        ]

    def risks(self, project: int | str) -> list[Risk]:
        """The project's risk register, oldest first (three queries; a project hidden
        from this actor is NotFound, by id as by name)."""
        container_id = self._project_row(project).id
        r, p = self.tables.risk, self.tables.person
        rows: list[RiskRow] = list(r.select().where(r.container_id == container_id).order_by(r.id))
        owner_ids = {row.owner_id for row in rows if row.owner_id is not None}
        logins: dict[int, str] = {}
        if owner_ids:
            query = p.select(p.id, p.login).where(p.id.in_(list(owner_ids))).tuples()
            logins = {pid: login for pid, login in tuples(query)}
        return [risk_from_row(row, logins.get(row.owner_id or 0)) for row in rows]

    # ------------------------------------------------------------------- risks
    def add_risk(
        self,
        project: int | str,
        title: str,
        *,
        probability: int = 1,
        impact: int = 1,
        cause: str = "",
        owner: str | None = None,
        response: RiskResponse = RiskResponse.MITIGATE,
        mitigation: str = "",
        trigger: str = "",
        review_date: date | None = None,
        status: RiskStatus = RiskStatus.OPEN,
    ) -> Risk:
        """Add a risk to a project's register (probability and impact 1–5)."""
        container_id = self._project_row(project).id
        values = _risk_values(
            title=title,
            probability=probability,
            impact=impact,
            cause=cause,
            response=response,
            mitigation=mitigation,
            trigger=trigger,
            review_date=review_date,
            status=status,
        )
        r = self.tables.risk

        def run() -> int:
            now = self.now()
            owner_id = self._ensure_person_id(owner) if owner else None
            new_id: int = r.insert(
                container_id=container_id, owner_id=owner_id, created=now, updated=now, **values
            ).execute()
            return new_id

        risk_id = self._transaction(run)
        return next(risk for risk in self.risks(container_id) if risk.id == risk_id)

    # ---------------------------------------------------------------- leveling
    def save_leveling_delays(self, project: int | str, delays: Mapping[int, float]) -> None:
        """Record leveling: each task's delay in working days; the project's other tasks
        get none. One undoable action ("level 'Mobile app launch'")."""
        row = self._project_row(project)
        for item_id, days in delays.items():
            if days < 0:
                raise ValidationError(f"Item {item_id}: a leveling delay cannot be negative.")

        def run(act: ActionLog) -> None:
            act.describe(f"level {quoted(row.name)}")
            tasks = {task.id: task for task in self._project_items(row.id)}
            unknown = sorted(set(delays) - set(tasks))
            if unknown:
                raise ValidationError(f"Item {unknown[0]} is not a task of {quoted(row.name)}.")
            for task in tasks.values():
                value = float(delays.get(task.id, 0.0))
                self._set_scalar(act, task, "leveling_delay_days", value)

        self._action(run)

    def _project_items(self, container_id: int) -> list[ItemRow]:
        """The container's live item rows, locked for this transaction on PostgreSQL."""
        i = self.tables.item
        query = (
            i.select()
            .where((i.container_id == container_id) & i.deleted_at.is_null())
            .order_by(i.id)
        )
        if self.backend == "postgresql":
            query = query.for_update()
        return list(query)

    # ------------------------------------------------------------------ import
    def import_plan(self, plan: PlanDocument) -> Container:
        """Make the project named in ``plan`` what the file says; all or nothing.

        - The project is found by name (exactly, else case-insensitively) or created;
          its plan fields (start, deadline, goal, budget, owner, workdays, holidays)
          become the file's, absent ones cleared. An area of that name becomes a project.
        - Tasks are matched by ``key`` within the project, so re-importing updates them.
          A ``#ID`` key adopts the project's task ID if it has no key yet (that is how
          tasks without a key are exported). Every field a plan file has is set to the
          file's value (absent ones cleared); status, due/start dates, estimates and
          comments are the board's and stay. A new task is created in the first
          unstarted column, or the first started one when ``percent`` > 0, or the first
          completed one at 100.
        - Tasks of the project that have a key which is no longer in the file are
          deleted (the store's soft delete: undo restores them, history is kept).
          Tasks without a key were never in a file and stay as they are.
        - Links among the file's tasks become exactly the file's ``depends``; links from
          elsewhere (another project, a task without a key) are kept. A cycle through
          such links refuses the whole import (DependencyCycle).
        - Assignees (people created on first use), tags and parents follow the file.
        - Risks are matched by title: updated, added, and those not in the file removed.

        Tasks, links, parents, tags and assignees change as one undoable action
        (``import plan 'NAME'``); project fields and risks are reference data and are
        not undone with it.
        """

        def run(act: ActionLog) -> int:
            act.describe(f"import plan {quoted(plan.project.name)}")
            container_id = self._import_project(plan.project, act.now)
            rows = self._import_tasks(act, container_id, plan)
            self._import_parents(act, plan, rows)
            self._import_links(act, plan, rows)
            self._check_import_cycles(rows)
            self._import_risks(container_id, plan.risks, act.now)
            return container_id

        return self.get_container(self._action(run))

    def _import_project(self, project: PlanProject, now: datetime) -> int:
        """Create or update the container; return its id (locked on PostgreSQL)."""
        c = self.tables.container
        name = clean_line(project.name)
        if not name:
            raise ValidationError("A project needs a name.")
        values: dict[str, Any] = {
            "name": name,
            "kind": ContainerKind.PROJECT.value,
            "start": project.start,
            "deadline": project.deadline,
            "goal": clean_line(project.goal),
            "budget": project.budget,
            "owner_id": self._ensure_person_id(project.owner) if project.owner else None,
            "workdays": ",".join(project.workdays),
            "holidays": json.dumps(sorted(d.isoformat() for d in project.holidays)),
            "updated": now,
        }
        row = c.get_or_none(c.name == name)
        if row is None:
            folded = list(c.select(c.id).where(self._fold(c.name) == name.lower()).limit(2))
            row = folded[0] if len(folded) == 1 else None
        if row is None:
            new_id: int = c.insert(created=now, **values).execute()
            return new_id
        self._check_container_visible(row.id, name)
        if self.backend == "postgresql":
            c.select(c.id).where(c.id == row.id).for_update().execute()
        c.update(**values).where(c.id == row.id).execute()
        return int(row.id)

    def _import_tasks(
        self, act: ActionLog, container_id: int, plan: PlanDocument
    ) -> dict[str, ItemRow]:
        """Match, update or create every task of the file; delete the keyed leftovers."""
        existing = self._project_items(container_id)
        by_key: dict[str, ItemRow] = {}
        for row in existing:
            if row.key is not None:
                by_key.setdefault(row.key, row)
        keyless = {row.id: row for row in existing if row.key is None}
        statuses: dict[StatusCategory, Status] = {}
        rows: dict[str, ItemRow] = {}
        for position, task in enumerate(plan.tasks):
            found = by_key.get(task.key)
            adopted = fallback_id(task.key)
            if found is None and adopted is not None:
                found = keyless.pop(adopted, None)
            if found is None:
                row = self._create_plan_task(act, container_id, task, position, statuses)
            else:
                row = found
                for field, value in _task_values(task, position).items():
                    self._set_scalar(act, row, field, value)
            self._set_tags(act, row, task.tags)
            self._set_assignees(act, row, [(a.login, a.units) for a in task.assignees])
            rows[task.key] = row
        in_file = set(rows)
        for row in existing:
            if row.key is not None and row.key not in in_file:
                self._set_scalar(act, row, "deleted", act.now)
        return rows

    def _create_plan_task(
        self,
        act: ActionLog,
        container_id: int,
        task: PlanTask,
        position: int,
        statuses: dict[StatusCategory, Status],
    ) -> ItemRow:
        """Insert a new task (logged as created, like ``add_item``)."""
        category = (
            StatusCategory.COMPLETED
            if task.percent >= 100
            else StatusCategory.STARTED
            if task.percent > 0
            else StatusCategory.UNSTARTED
        )
        if category not in statuses:
            statuses[category] = self.first_status(category)
        status = statuses[category]
        self._check_wip(status, -1)
        i = self.tables.item
        new_id: int = i.insert(
            uuid=str(uuid.uuid4()),
            status_id=status.id,
            container_id=container_id,
            position=self._end_position(status.id),
            created=act.now,
            updated=act.now,
            started=act.now if category is not StatusCategory.UNSTARTED else None,
            completed=act.now if category is StatusCategory.COMPLETED else None,
            created_by=self.actor,
            version=1,
            **_task_values(task, position),
        ).execute()
        act.mark_created(new_id)
        act.log(new_id, "created", None, task.title)
        act.log(new_id, "status", None, status.id)
        return self._locked_row(new_id)

    def _import_parents(
        self, act: ActionLog, plan: PlanDocument, rows: Mapping[str, ItemRow]
    ) -> None:
        """Set each task's WBS parent (the file's parents were checked to form a tree)."""
        for task in plan.tasks:
            parent = rows[task.parent].id if task.parent else None
            self._set_scalar(act, rows[task.key], "parent_id", parent)

    def _incoming(self, ids: Sequence[int]) -> dict[int, list[Link]]:
        """Every item's incoming links (predecessor, type, lag), sorted."""
        d = self.tables.dependency
        out: dict[int, list[Link]] = defaultdict(list)
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            query = (
                d.select(d.successor_id, d.predecessor_id, d.type, d.lag_days)
                .where(d.successor_id.in_(chunk))
                .tuples()
            )
            for succ, pred, kind, lag in tuples(query):
                out[succ].append((pred, str(kind), float(lag)))
        return {succ: sorted(links) for succ, links in out.items()}

    def _import_links(
        self, act: ActionLog, plan: PlanDocument, rows: Mapping[str, ItemRow]
    ) -> None:
        """Links among the file's tasks become the file's; others into them are kept.

        Written without a per-link cycle check (a link that goes away later in the same
        import would make a false alarm); :meth:`_check_import_cycles` checks the result.
        """
        ids = {row.id for row in rows.values()}
        incoming = self._incoming(sorted(ids))
        d = self.tables.dependency
        for task in plan.tasks:
            row = rows[task.key]
            current = incoming.get(row.id, [])
            wanted = sorted(
                [link for link in current if link[0] not in ids]
                + [(rows[link.key].id, link.type.value, float(link.lag)) for link in task.depends]
            )
            if wanted == current:
                continue
            act.touch(row.id, row.version)
            d.delete().where(d.successor_id == row.id).execute()
            if wanted:
                d.insert_many(
                    [
                        {"predecessor_id": p, "successor_id": row.id, "type": k, "lag_days": lag}
                        for p, k, lag in wanted
                    ]
                ).execute()
            act.log(row.id, "depends", _links_json(current), _links_json(wanted))

    def _check_import_cycles(self, rows: Mapping[str, ItemRow]) -> None:
        """Refuse the import when the links now loop through one of the file's tasks.

        The file itself has no cycle (the engine checked it), so a loop here runs
        through a link from outside the file. All links count, deleted items' too, as
        for every new link (undoing a delete must never close a cycle).
        """
        d = self.tables.dependency
        successors: dict[int, list[int]] = defaultdict(list)
        for pred, succ in tuples(d.select(d.predecessor_id, d.successor_id).tuples()):
            successors[pred].append(succ)
        cycle = find_cycle(successors, sorted(row.id for row in rows.values()))
        if cycle is None:
            return
        names = {row.id: row.key for row in rows.values()}
        shown = " → ".join(names.get(x) or f"item {x}" for x in [*cycle, cycle[0]])
        raise DependencyCycle(
            f"The plan's links would close a cycle through tasks outside the file: {shown}.",
            cycle,
        )

    def _import_risks(self, container_id: int, risks: Sequence[PlanRisk], now: datetime) -> None:
        """Risks follow the file, matched by title (first match wins)."""
        r = self.tables.risk
        current: list[RiskRow] = list(
            r.select().where(r.container_id == container_id).order_by(r.id)
        )
        for risk in risks:
            values = _risk_values(
                title=risk.title,
                probability=risk.probability,
                impact=risk.impact,
                cause=risk.cause,
                response=risk.response,
                mitigation=risk.mitigation,
                trigger=risk.trigger,
                review_date=risk.review_date,
                status=risk.status,
            )
            values["owner_id"] = self._ensure_person_id(risk.owner) if risk.owner else None
            match = next((row for row in current if row.title == values["title"]), None)
            if match is None:
                r.insert(container_id=container_id, created=now, updated=now, **values).execute()
            else:
                current.remove(match)
                r.update(updated=now, **values).where(r.id == match.id).execute()
        if current:
            r.delete().where(r.id.in_([row.id for row in current])).execute()


def _task_values(task: PlanTask, position: int) -> dict[str, Any]:
    """The item fields a plan-file task sets (by activity field name = column name)."""
    return {
        "title": task.title,
        "notes": clean_text(task.notes),
        "priority": task.priority.value if task.priority else None,
        "duration_days": 0.0 if task.milestone else task.duration,
        "percent_complete": float(task.percent),
        "milestone": bool(task.milestone),
        "key": task.key,
        "start_no_earlier": task.start_no_earlier,
        "deadline": task.deadline,
        "cost": task.cost,
        "effort_hours": task.effort,
        "plan_position": float(position),
    }


def _risk_values(
    *,
    title: str,
    probability: int,
    impact: int,
    cause: str,
    response: RiskResponse,
    mitigation: str,
    trigger: str,
    review_date: date | None,
    status: RiskStatus,
) -> dict[str, Any]:
    """A risk row's columns, checked (probability and impact are whole numbers 1–5)."""
    name = clean_line(title)
    if not name:
        raise ValidationError("A risk needs a title.")
    for label, value in (("probability", probability), ("impact", impact)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ValidationError(f"Risk {name!r}: {label} must be a whole number 1–5.")
    return {
        "title": name,
        "cause": clean_text(cause),
        "probability": probability,
        "impact": impact,
        "response": RiskResponse(response).value,
        "mitigation": clean_text(mitigation),
        "trigger": clean_text(trigger),
        "review_date": review_date,
        "status": RiskStatus(status).value,
    }
