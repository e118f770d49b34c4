"""Plan files: a project as a readable TOML file ("projects as code").

``taskdesk import plan.toml`` reads one with :func:`parse_plan` and hands the
:class:`PlanDocument` to ``Store.import_plan``; ``taskdesk export --format plan`` writes
one with :func:`export_plan`. The format is the one of ``docs/product.md``::

    [project]
    name = "Mobile app launch"        # required; also start, deadline, goal, budget,
    start = 2026-01-05                #   owner, workdays, holidays
    [[task]]
    key = "design"                    # required, unique in the file
    title = "Design the screens"      # required
    duration = "5d"                   # working days: "5d", "2w" (10), "4h" (0.5), 5
    depends = ["research", "spec SS+2d", "legal FF-1d"]
    assignees = ["alice", "bob:0.5"]  # login, or login:units (0.5 = half time)
    [[risk]]
    title = "..."                     # required, with probability and impact (1-5)

Decisions where the contract left room:

- every table forbids unknown keys (a typo is an error, not a silent no-op);
- ``duration`` may be left out: the task is then scheduled as one working day (MS
  Project's "1 day?") and nothing is stored; a milestone has no duration;
- ``effort`` is work in hours: ``"40h"``, ``"1h30m"``, ``"5d"`` (a day of effort is 8h)
  or a number of hours; it is kept to the minute;
- ``depends`` entries are ``KEY``, ``KEY SS``, ``KEY SS+2d``, ``KEY +2d``, ``KEY FF-1d``:
  a link type (FS by default) and a lag in working days (``w`` = 5 days);
- ``assignees`` entries are ``login`` (full time) or ``login:0.5`` / ``login:50%``;
- ``priority`` is H, M or L; ``percent`` 0–100; ``tags`` a list of words;
- text is cleaned as everywhere in taskdesk (titles and names on one line, notes keep
  their lines, no terminal escapes), so what is stored is what the file said.

A bad file is rejected whole, with one :class:`PlanError` line naming the line (TOML
syntax) or the task key and field: ``plan.toml: task "design": depends on "reserch",
which is not a task in this file``. Dependency cycles are found by the scheduling
engine itself, so the file is refused exactly when the project could not be scheduled.

:func:`render_plan` writes the *normalized* form: tasks in WBS order (parents first,
siblings in file order), every value in one canonical spelling, default values left
out. Importing that text and exporting again gives the same text, byte for byte.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeGuard

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from taskdesk.domain.dates import DateError, parse_duration, parse_workdays
from taskdesk.domain.model import LinkType, Priority, RiskResponse, RiskStatus
from taskdesk.domain.projectplan import ProjectPlan, key_problem
from taskdesk.domain.text import clean_line, clean_text, clean_title

__all__ = [
    "DEFAULT_WORKDAYS",
    "PlanAssignee",
    "PlanDocument",
    "PlanError",
    "PlanLink",
    "PlanProject",
    "PlanRisk",
    "PlanTask",
    "export_plan",
    "load_plan",
    "parse_plan",
    "plan_document",
    "render_plan",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WORKDAYS: tuple[str, ...] = WEEKDAYS[:5]
_DAY_NAMES = {
    **{d: d for d in WEEKDAYS},
    **dict(
        zip(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
            WEEKDAYS,
            strict=True,
        )
    ),
}
#: Decimal places kept for durations, lags, units and percent (so text round-trips).
_PLACES = 4
#: A fallback project start for checking a plan that has none (a Monday).
_CHECK_START = date(2001, 1, 1)


class PlanError(ValueError):
    """A plan file that cannot be imported; ``str()`` is the one line to show."""


# ------------------------------------------------------------------ value parsing


def _fail(message: str) -> PydanticCustomError:
    """A validation error whose message is shown as written (after where it is)."""
    return PydanticCustomError("plan", "{message}", {"message": message})


def _shown(value: object) -> str:
    """A value as the user wrote it in TOML: strings in double quotes."""
    if isinstance(value, str | bool | int | float) and not isinstance(value, date):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[…]"
    if isinstance(value, dict):
        return "{…}"
    return str(value)


def _is_number(value: object) -> TypeGuard[int | float]:
    """A TOML integer or float (``true`` is not a number here)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise _fail(f"{name} must be text in quotes, not {_shown(value)}")
    return value


def _list(name: str, value: object) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise _fail(f"{name} must be a list [ … ], not {_shown(value)}")
    return list(value)


def _line(name: str, *, required: bool = False) -> Callable[[object], str]:
    """One line of text (names, goals): cleaned; ``required`` refuses an empty one."""

    def check(value: object) -> str:
        text = clean_line(_text(name, value))
        if required and not text:
            raise _fail(f"{name} cannot be empty")
        return text

    return check


def _notes(name: str) -> Callable[[object], str]:
    return lambda value: clean_text(_text(name, value))


def _title(value: object) -> str:
    text = clean_title(_text("title", value))
    if not text:
        raise _fail("title cannot be empty")
    return text


def _login(name: str) -> Callable[[object], str]:
    def check(value: object) -> str:
        login = clean_line(_text(name, value)).lstrip("@").strip()
        if not login or " " in login or ":" in login:
            raise _fail(f"{name} {_shown(value)} is not a login name")
        return login

    return check


def _amount(name: str) -> Callable[[object], float]:
    """Money: a number, 0 or more."""

    def check(value: object) -> float:
        if not _is_number(value):
            raise _fail(f"{name} must be a number, not {_shown(value)}")
        number = float(value)
        if not math.isfinite(number) or number < 0:
            raise _fail(f"{name} must be 0 or more, not {_shown(value)}")
        return number

    return check


def _duration(value: object) -> float:
    """Working days: ``"5d"``, ``"2w"`` (10), ``"4h"`` (0.5) or a number of days."""
    if _is_number(value):
        days = float(value)
        if days < 0:
            raise _fail(f"duration {_shown(value)} is negative; a duration is 0 or more days")
        if not math.isfinite(days) or days > 100_000:
            raise _fail(f"duration {_shown(value)} is too long")
    elif isinstance(value, str):
        try:
            days = parse_workdays(value)
        except DateError as exc:
            raise _fail(f"duration {exc}") from None
    else:
        raise _fail(f'duration must be like "5d", "2w" or a number of days, not {_shown(value)}')
    return round(days, _PLACES)


def _effort(value: object) -> float:
    """Hours of work, kept to the minute: ``"40h"``, ``"1h30m"``, ``"5d"`` or hours."""
    if _is_number(value):
        hours = float(value)
        if not math.isfinite(hours) or hours < 0 or hours > 10_000_000:
            raise _fail(f"effort must be 0 or more hours, not {_shown(value)}")
        minutes = round(hours * 60)
    elif isinstance(value, str):
        if value.strip().startswith("-"):
            raise _fail(f"effort {_shown(value)} is negative")
        try:
            minutes = parse_duration(value)
        except DateError as exc:
            raise _fail(f"effort {exc}") from None
    else:
        raise _fail(f'effort must be like "40h" or a number of hours, not {_shown(value)}')
    return minutes / 60


def _percent(value: object) -> float:
    if not _is_number(value) or not 0 <= float(value) <= 100:
        raise _fail(f"percent must be a number from 0 to 100, not {_shown(value)}")
    return round(float(value), _PLACES)


def _priority(value: object) -> Priority:
    text = _text("priority", value).strip().upper()
    try:
        return Priority(text)
    except ValueError:
        raise _fail(f"priority must be H, M or L, not {_shown(value)}") from None


def _tags(value: object) -> tuple[str, ...]:
    tags: set[str] = set()
    for entry in _list("tags", value):
        tag = clean_line(_text("tags", entry)).lstrip("+").strip()
        if not tag:
            raise _fail(f"tags: {_shown(entry)} is not a tag")
        tags.add(tag)
    return tuple(sorted(tags))


def _workdays(value: object) -> tuple[str, ...]:
    days: set[str] = set()
    for entry in _list("workdays", value):
        day = _DAY_NAMES.get(_text("workdays", entry).strip().lower())
        if day is None:
            raise _fail(f"workdays: {_shown(entry)} is not one of mon, tue, … sun")
        days.add(day)
    if not days:
        raise _fail("workdays needs at least one working weekday")
    return tuple(d for d in WEEKDAYS if d in days)


def _holidays(value: object) -> tuple[date, ...]:
    days: set[date] = set()
    for entry in _list("holidays", value):
        if not isinstance(entry, date) or hasattr(entry, "hour"):
            raise _fail(f"holidays: {_shown(entry)} is not a date like 2026-01-19")
        days.add(entry)
    return tuple(sorted(days))


def _choice(name: str, kind: type[RiskResponse] | type[RiskStatus]) -> Callable[[object], Any]:
    """One of an enum's values, case-insensitively (``response``, ``status``)."""

    def check(value: object) -> Any:
        text = _text(name, value).strip().lower()
        try:
            return kind(text)
        except ValueError:
            choices = ", ".join(member.value for member in kind)
            raise _fail(f"{name} must be one of {choices}, not {_shown(value)}") from None

    return check


def _tuple(value: object) -> object:
    """TOML arrays of tables arrive as lists; the models hold tuples."""
    return tuple(value) if isinstance(value, list) else value


_LINK_RE = re.compile(
    r"(?P<type>FS|SS|FF|SF)?(?:(?P<sign>[+-])(?P<num>\d+(?:\.\d+)?)(?P<unit>d|w)?)?",
    re.IGNORECASE | re.ASCII,
)
_LINK_HINT = 'like "KEY", "KEY SS", "KEY SS+2d" or "KEY FF-1d"'


class PlanLink(BaseModel):
    """One ``depends`` entry: the predecessor's key, the link type and the lag (days)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    key: str
    type: LinkType = LinkType.FS
    lag: float = 0.0

    @classmethod
    def parse(cls, spec: object) -> PlanLink:
        """``"spec SS+2d"`` → key ``spec``, type SS, lag 2 (working days)."""
        text = _text("depends", spec).strip()
        key, _, rest = text.partition(" ")
        match = _LINK_RE.fullmatch(rest.replace(" ", ""))
        if not key or match is None or (rest.strip() and not match.group(0)):
            raise _fail(f"depends entry {_shown(spec)} is not {_LINK_HINT}")
        lag = 0.0
        if match.group("num"):
            per = 5 if (match.group("unit") or "").lower() == "w" else 1
            lag = float(match.group("num")) * per
            lag = -lag if match.group("sign") == "-" else lag
        kind = LinkType((match.group("type") or "FS").upper())
        return cls(key=key, type=kind, lag=round(lag, _PLACES) + 0.0)

    def spec(self) -> str:
        """The canonical text: ``key`` (FS, no lag), else ``key SS``, ``key FS+2d``."""
        if self.type is LinkType.FS and self.lag == 0:
            return self.key
        lag = f"{'+' if self.lag > 0 else '-'}{_decimal(abs(self.lag))}d" if self.lag else ""
        return f"{self.key} {self.type.value}{lag}"


def _links(value: object) -> tuple[PlanLink, ...]:
    return tuple(
        entry if isinstance(entry, PlanLink) else PlanLink.parse(entry)
        for entry in _list("depends", value)
    )


class PlanAssignee(BaseModel):
    """One ``assignees`` entry: a login and units (1.0 = full time)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    login: str
    units: float = 1.0

    @classmethod
    def parse(cls, spec: object) -> PlanAssignee:
        """``"alice"`` (full time), ``"bob:0.5"`` or ``"bob:50%"`` (half time)."""
        text = _text("assignees", spec).strip()
        login, colon, amount = text.rpartition(":") if ":" in text else (text, "", "")
        units = 1.0
        if colon:
            try:
                units = float(amount[:-1]) / 100 if amount.endswith("%") else float(amount.strip())
            except ValueError:
                units = math.nan
            if not math.isfinite(units) or units <= 0 or units > 100:
                raise _fail(
                    f"assignees entry {_shown(spec)}: units must be above 0, "
                    'like "bob:0.5" or "bob:50%"'
                )
        name = _login("assignees entry")(login)
        return cls(login=name, units=round(units, _PLACES))

    def spec(self) -> str:
        """``alice`` for full time, else ``bob:0.5``."""
        return self.login if self.units == 1 else f"{self.login}:{_decimal(self.units)}"


def _assignees(value: object) -> tuple[PlanAssignee, ...]:
    out: list[PlanAssignee] = []
    for entry in _list("assignees", value):
        person = entry if isinstance(entry, PlanAssignee) else PlanAssignee.parse(entry)
        if any(p.login == person.login for p in out):
            raise _fail(f"assignees names {_shown(person.login)} twice")
        out.append(person)
    return tuple(out)


# ------------------------------------------------------------------------ models

_STRICT = ConfigDict(extra="forbid", frozen=True, strict=True)

Name = Annotated[str, BeforeValidator(_line("name", required=True))]
OneLine = Annotated[str, BeforeValidator(_line("goal"))]
Login = Annotated[str, BeforeValidator(_login("owner"))]


class PlanProject(BaseModel):
    """The ``[project]`` table."""

    model_config = _STRICT

    name: Name
    start: date | None = None
    deadline: date | None = None
    goal: OneLine = ""
    budget: Annotated[float, BeforeValidator(_amount("budget"))] | None = None
    owner: Login | None = None
    workdays: Annotated[tuple[str, ...], BeforeValidator(_workdays)] = DEFAULT_WORKDAYS
    holidays: Annotated[tuple[date, ...], BeforeValidator(_holidays)] = ()

    @model_validator(mode="after")
    def _dates_in_order(self) -> PlanProject:
        if self.start and self.deadline and self.deadline < self.start:
            raise _fail(f"[project]: deadline {self.deadline} is before start {self.start}")
        return self


class PlanTask(BaseModel):
    """One ``[[task]]`` table."""

    model_config = _STRICT

    key: str
    title: Annotated[str, BeforeValidator(_title)]
    duration: Annotated[float, BeforeValidator(_duration)] | None = None
    milestone: bool = False
    depends: Annotated[tuple[PlanLink, ...], BeforeValidator(_links)] = ()
    parent: str | None = None
    assignees: Annotated[tuple[PlanAssignee, ...], BeforeValidator(_assignees)] = ()
    effort: Annotated[float, BeforeValidator(_effort)] | None = None
    cost: Annotated[float, BeforeValidator(_amount("cost"))] | None = None
    percent: Annotated[float, BeforeValidator(_percent)] = 0.0
    priority: Annotated[Priority, BeforeValidator(_priority)] | None = None
    tags: Annotated[tuple[str, ...], BeforeValidator(_tags)] = ()
    start_no_earlier: date | None = None
    deadline: date | None = None
    notes: Annotated[str, BeforeValidator(_notes("notes"))] = ""

    @model_validator(mode="before")
    @classmethod
    def _key_is_a_word(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("key"), str):
            problem = key_problem(data["key"])
            if problem:
                raise _fail(f"key {_shown(data['key'])}: {problem}")
        return data

    @model_validator(mode="after")
    def _milestone_has_no_duration(self) -> PlanTask:
        if self.milestone and self.duration:
            raise _fail("a milestone has no duration (remove duration or milestone)")
        return self


class PlanRisk(BaseModel):
    """One ``[[risk]]`` table: probability and impact 1–5 (score = their product)."""

    model_config = _STRICT

    title: Annotated[str, BeforeValidator(_line("title", required=True))]
    probability: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    cause: Annotated[str, BeforeValidator(_notes("cause"))] = ""
    owner: Login | None = None
    response: Annotated[RiskResponse, BeforeValidator(_choice("response", RiskResponse))] = (
        RiskResponse.MITIGATE
    )
    mitigation: Annotated[str, BeforeValidator(_notes("mitigation"))] = ""
    trigger: Annotated[str, BeforeValidator(_notes("trigger"))] = ""
    review_date: date | None = None
    status: Annotated[RiskStatus, BeforeValidator(_choice("status", RiskStatus))] = RiskStatus.OPEN

    @property
    def score(self) -> int:
        """Probability × impact, 1–25."""
        return self.probability * self.impact


class PlanDocument(BaseModel):
    """A whole plan file: the project, its tasks (``[[task]]``) and risks (``[[risk]]``).

    A valid document is consistent as a whole: keys are unique, every ``parent`` and
    ``depends`` key names a task of the file, parents form a tree, and the scheduling
    engine accepts the tasks and links (no dependency cycle).
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, validate_by_name=True, validate_by_alias=True
    )

    project: PlanProject
    tasks: Annotated[tuple[PlanTask, ...], BeforeValidator(_tuple)] = Field(
        default=(), alias="task"
    )
    risks: Annotated[tuple[PlanRisk, ...], BeforeValidator(_tuple)] = Field(
        default=(), alias="risk"
    )

    @model_validator(mode="after")
    def _consistent(self) -> PlanDocument:
        problem = _structure_problem(self) or _risk_problem(self) or _schedule_problem(self)
        if problem:
            raise _fail(problem)
        return self


def _structure_problem(doc: PlanDocument) -> str | None:
    """Duplicate keys, unknown or looping parents, unknown or repeated ``depends``."""
    index: dict[str, int] = {}
    for number, task in enumerate(doc.tasks, start=1):
        if task.key in index:
            return (
                f'task "{task.key}": the key is used twice '
                f"(tasks {index[task.key]} and {number} of the file)"
            )
        index[task.key] = number
    for task in doc.tasks:
        where = f'task "{task.key}"'
        if task.parent == task.key:
            return f"{where}: parent is the task itself"
        if task.parent is not None and task.parent not in index:
            return f'{where}: parent "{task.parent}" is not a task in this file'
        seen: set[str] = set()
        for link in task.depends:
            if link.key == task.key:
                return f"{where}: depends on itself"
            if link.key not in index:
                return f'{where}: depends on "{link.key}", which is not a task in this file'
            if link.key in seen:
                return f'{where}: depends on "{link.key}" twice'
            seen.add(link.key)
    return _parent_loop(doc) or _summary_link_problem(doc)


def _parent_loop(doc: PlanDocument) -> str | None:
    parents = {task.key: task.parent for task in doc.tasks}
    for task in doc.tasks:
        chain = [task.key]
        cursor = task.parent
        while cursor is not None and cursor not in chain:
            chain.append(cursor)
            cursor = parents[cursor]
        if cursor == task.key:
            loop = " → ".join([*chain, task.key])
            return f'task "{task.key}": parent "{task.parent}" makes a loop ({loop})'
    return None


def _summary_link_problem(doc: PlanDocument) -> str | None:
    """The engine's rules for links and summary tasks (MS Project's), worded for a file.

    A link between a summary and one of its own subtasks is refused (a summary's dates
    are made of its subtasks'); a summary only follows FS and SS links.
    """
    parents = {task.key: task.parent for task in doc.tasks}
    summaries = {task.parent for task in doc.tasks if task.parent}

    def ancestors(key: str) -> set[str]:
        found: set[str] = set()
        cursor = parents[key]
        while cursor is not None:
            found.add(cursor)
            cursor = parents[cursor]
        return found

    for task in doc.tasks:
        above = ancestors(task.key)
        for link in task.depends:
            if link.key in above:
                return f'task "{task.key}": depends on "{link.key}", its own summary task'
            if task.key in ancestors(link.key):
                return f'task "{task.key}": depends on "{link.key}", one of its own subtasks'
            if task.key in summaries and link.type in (LinkType.FF, LinkType.SF):
                return (
                    f'task "{task.key}": a summary task can only follow FS and SS links, '
                    f'not "{link.spec()}"'
                )
    return None


def _risk_problem(doc: PlanDocument) -> str | None:
    titles: set[str] = set()
    for risk in doc.risks:
        if risk.title in titles:
            return f'risk "{risk.title}": the title is used twice (risks are matched by title)'
        titles.add(risk.title)
    return None


def _schedule_problem(doc: PlanDocument) -> str | None:
    """Run the scheduling engine on the file's tasks: a cycle names the keys on it."""
    from taskdesk.domain.projectplan import priority_rank, scheduled_days, whole_days
    from taskdesk.domain.scheduling import (
        CycleError,
        Link,
        ScheduleError,
        Task,
        WorkCalendar,
        schedule,
    )

    ids = {task.key: number for number, task in enumerate(doc.tasks, start=1)}
    keys = {number: key for key, number in ids.items()}
    tasks = [
        Task(
            id=ids[task.key],
            key=task.key,
            title=task.title,
            duration=scheduled_days(task.duration, task.milestone),
            milestone=task.milestone,
            parent_id=ids[task.parent] if task.parent else None,
            start_no_earlier=task.start_no_earlier,
            deadline=task.deadline,
            percent_complete=task.percent,
            priority=priority_rank(task.priority),
            assignments=tuple((a.login, a.units) for a in task.assignees),
            effort_hours=task.effort,
            cost=task.cost,
        )
        for task in doc.tasks
    ]
    links = [
        Link(ids[link.key], ids[task.key], link.type, whole_days(link.lag))
        for task in doc.tasks
        for link in task.depends
    ]
    project = doc.project
    try:
        schedule(
            tasks,
            links,
            start=project.start or _CHECK_START,
            calendar=WorkCalendar.from_names(project.workdays, project.holidays),
        )
    except CycleError as exc:
        cycle = [keys.get(i, f"#{i}") for i in exc.cycle]
        if not cycle:
            return f"the dependencies form a cycle ({exc})"
        shown = " → ".join([*cycle, cycle[0]])
        return f'task "{cycle[0]}": depends closes a cycle ({shown})'
    except ScheduleError as exc:
        where = f'task "{keys[exc.task_id]}": ' if exc.task_id in keys else ""
        return f"{where}cannot be scheduled: {_lower(str(exc))}"
    return None


# --------------------------------------------------------------------- reading


def parse_plan(text: str, *, source: str = "plan.toml") -> PlanDocument:
    """Read a plan file's text; :class:`PlanError` (one line, ``source: …``) if bad."""
    try:
        raw = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{source}: {_toml_message(str(exc))}") from None
    try:
        return PlanDocument.model_validate(raw)
    except ValidationError as exc:
        raise PlanError(f"{source}: {_validation_message(exc, raw)}") from None


def load_plan(path: str | Path, *, source: str | None = None) -> PlanDocument:
    """Read a plan file from disk (``source`` names it in messages; default: the path)."""
    name = source if source is not None else str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise PlanError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    return parse_plan(text, source=name)


_TOML_AT = re.compile(r"^(?P<what>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def _toml_message(message: str) -> str:
    """``Invalid value (at line 3, column 8)`` → ``line 3, column 8: invalid value``."""
    match = _TOML_AT.match(message)
    if match:
        what = match.group("what")
        return f"line {match.group('line')}, column {match.group('col')}: {_lower(what)}"
    if message.endswith("(at end of document)"):
        return f"at the end of the file: {_lower(message.removesuffix('(at end of document)'))}"
    return f"not a TOML file: {_lower(message)}"


def _lower(text: str) -> str:
    text = text.strip()
    return text[:1].lower() + text[1:]


_PHRASES = {
    "string_type": "must be text in quotes",
    "bool_type": "must be true or false",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "date_type": "must be a date like 2026-01-05",
    "tuple_type": "must be a list",
    "model_type": "must be a table",
    "dict_type": "must be a table",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "enum": "must be one of {expected}",
}


def _validation_message(exc: ValidationError, raw: dict[str, Any]) -> str:
    """The first error, as ``where: what`` (where = ``[project]``, ``task "key"``…)."""
    errors = exc.errors(include_url=False)
    # An unknown top-level table ("[projekt]") explains a missing one better than "missing".
    unknown = [e for e in errors if e["type"] == "extra_forbidden" and len(e["loc"]) == 1]
    error = unknown[0] if unknown else errors[0]
    loc = tuple(error["loc"])
    kind = error["type"]
    where, field = _where(loc, raw)
    if kind == "plan":
        text = str((error.get("ctx") or {}).get("message", error["msg"]))
        return f"{where}: {text}" if where else text
    if kind == "missing":
        if not where and field == "project":
            return "the [project] table is missing"
        return f"{where}: {field} is required" if where else f"{field} is required"
    if kind == "extra_forbidden":
        if not where:
            return (
                f'unknown table or key "{field}" (a plan file has [project], [[task]] and [[risk]])'
            )
        return f'{where}: unknown field "{field}"'
    phrase = _PHRASES.get(kind, _lower(error["msg"]))
    phrase = phrase.format(**{k: v for k, v in (error.get("ctx") or {}).items()})
    subject = f"{where}: {field}" if where else field
    return f"{subject} {phrase}, not {_shown(error.get('input'))}"


def _where(loc: tuple[int | str, ...], raw: dict[str, Any]) -> tuple[str, str]:
    """(``task "design"``, ``duration``) for a pydantic error location."""
    if not loc:
        return "", ""
    head = str(loc[0])
    if head == "project" and len(loc) > 1:
        return "[project]", str(loc[1])
    if head in ("task", "risk") and len(loc) > 1 and isinstance(loc[1], int):
        entries = raw.get(head)
        entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else {}
        label = entry.get("key" if head == "task" else "title") if isinstance(entry, dict) else None
        where = f'{head} "{label}"' if isinstance(label, str) else f"{head} number {loc[1] + 1}"
        return where, str(loc[2]) if len(loc) > 2 else ""
    return "", head


# --------------------------------------------------------------------- writing


def _number(value: float) -> str:
    """A TOML number: ``120000`` for whole values, else the shortest exact float."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _decimal(value: float) -> str:
    """A rounded quantity (durations, lags, units): ``5``, ``1.5``, ``0.3333``."""
    text = f"{value:.{_PLACES}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}  # fmt: skip


def _escape(text: str, *, keep_newlines: bool = False) -> str:
    out = []
    for char in text:
        if keep_newlines and char == "\n":
            out.append(char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def _string(text: str) -> str:
    """A TOML basic string; text with line breaks becomes a multi-line string."""
    if "\n" in text:
        return '"""\n' + _escape(text, keep_newlines=True) + '"""'
    return '"' + _escape(text) + '"'


def _strings(values: Iterable[str]) -> str:
    return "[" + ", ".join(_string(v) for v in values) + "]"


def _effort_text(hours: float) -> str:
    """``40h``, ``1h30m``, ``20m`` (effort is kept to the minute)."""
    minutes = round(hours * 60)
    whole, rest = divmod(minutes, 60)
    if not rest:
        return f"{whole}h"
    return f"{whole}h{rest}m" if whole else f"{rest}m"


def _project_lines(project: PlanProject) -> list[str]:
    lines = ["[project]", f"name = {_string(project.name)}"]
    if project.start:
        lines.append(f"start = {project.start.isoformat()}")
    if project.deadline:
        lines.append(f"deadline = {project.deadline.isoformat()}")
    if project.goal:
        lines.append(f"goal = {_string(project.goal)}")
    if project.budget is not None:
        lines.append(f"budget = {_number(project.budget)}")
    if project.owner:
        lines.append(f"owner = {_string(project.owner)}")
    if tuple(project.workdays) != DEFAULT_WORKDAYS:
        lines.append(f"workdays = {_strings(project.workdays)}")
    if project.holidays:
        lines.append(f"holidays = [{', '.join(d.isoformat() for d in project.holidays)}]")
    return lines


def _task_lines(task: PlanTask) -> list[str]:
    lines = ["[[task]]", f"key = {_string(task.key)}", f"title = {_string(task.title)}"]
    if task.parent:
        lines.append(f"parent = {_string(task.parent)}")
    if task.milestone:
        lines.append("milestone = true")
    elif task.duration is not None:
        lines.append(f'duration = "{_decimal(task.duration)}d"')
    if task.depends:
        lines.append(f"depends = {_strings(link.spec() for link in task.depends)}")
    if task.assignees:
        lines.append(f"assignees = {_strings(a.spec() for a in task.assignees)}")
    if task.effort is not None:
        lines.append(f'effort = "{_effort_text(task.effort)}"')
    if task.cost is not None:
        lines.append(f"cost = {_number(task.cost)}")
    if task.percent:
        lines.append(f"percent = {_number(task.percent)}")
    if task.priority is not None:
        lines.append(f'priority = "{task.priority.value}"')
    if task.tags:
        lines.append(f"tags = {_strings(task.tags)}")
    if task.start_no_earlier:
        lines.append(f"start_no_earlier = {task.start_no_earlier.isoformat()}")
    if task.deadline:
        lines.append(f"deadline = {task.deadline.isoformat()}")
    if task.notes:
        lines.append(f"notes = {_string(task.notes)}")
    return lines


def _risk_lines(risk: PlanRisk) -> list[str]:
    lines = ["[[risk]]", f"title = {_string(risk.title)}"]
    if risk.cause:
        lines.append(f"cause = {_string(risk.cause)}")
    lines += [f"probability = {risk.probability}", f"impact = {risk.impact}"]
    if risk.owner:
        lines.append(f"owner = {_string(risk.owner)}")
    if risk.response is not RiskResponse.MITIGATE:
        lines.append(f'response = "{risk.response.value}"')
    for name in ("mitigation", "trigger"):
        value = getattr(risk, name)
        if value:
            lines.append(f"{name} = {_string(value)}")
    if risk.review_date:
        lines.append(f"review_date = {risk.review_date.isoformat()}")
    if risk.status is not RiskStatus.OPEN:
        lines.append(f'status = "{risk.status.value}"')
    return lines


def render_plan(doc: PlanDocument) -> str:
    """The TOML text of ``doc``, in the canonical spelling (defaults left out)."""
    blocks = [_project_lines(doc.project)]
    blocks += [_task_lines(task) for task in doc.tasks]
    blocks += [_risk_lines(risk) for risk in doc.risks]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def plan_document(plan: ProjectPlan) -> PlanDocument:
    """The plan file of a stored project (tasks in WBS order, links by predecessor).

    Built without re-validation: everything in a :class:`ProjectPlan` was validated on
    its way into the store, and an export must never fail on data it already holds.
    """
    keys = plan.keys()
    order = {item.id: n for n, item in enumerate(plan.items)}
    incoming: dict[int, list[PlanLink]] = {}
    for link in sorted(plan.dependencies, key=lambda d: order[d.predecessor_id]):
        incoming.setdefault(link.successor_id, []).append(
            PlanLink.model_construct(
                key=keys[link.predecessor_id],
                type=link.type,
                lag=round(link.lag_days, _PLACES) + 0.0,
            )
        )
    tasks = tuple(
        PlanTask.model_construct(
            key=keys[item.id],
            title=item.title,
            duration=None if item.duration_days is None else round(item.duration_days, _PLACES),
            milestone=item.milestone,
            depends=tuple(incoming.get(item.id, ())),
            parent=keys.get(item.parent_id) if item.parent_id is not None else None,
            assignees=tuple(
                PlanAssignee.model_construct(login=a.login, units=round(a.units, _PLACES))
                for a in item.assignees
            ),
            effort=None if item.effort_hours is None else round(item.effort_hours * 60) / 60,
            cost=item.cost,
            percent=round(item.percent_complete, _PLACES),
            priority=item.priority,
            tags=tuple(sorted(set(item.tags))),
            start_no_earlier=item.start_no_earlier,
            deadline=item.deadline,
            notes=item.notes,
        )
        for item in plan.items
    )
    c = plan.project
    project = PlanProject.model_construct(
        name=c.name,
        start=c.start,
        deadline=c.deadline,
        goal=c.goal,
        budget=c.budget,
        owner=c.owner,
        workdays=tuple(c.workdays) or DEFAULT_WORKDAYS,
        holidays=tuple(sorted(set(c.holidays))),
    )
    risks = tuple(
        PlanRisk.model_construct(
            title=r.title,
            probability=r.probability,
            impact=r.impact,
            cause=r.cause,
            owner=r.owner,
            response=r.response,
            mitigation=r.mitigation,
            trigger=r.trigger,
            review_date=r.review_date,
            status=r.status,
        )
        for r in plan.risks
    )
    return PlanDocument.model_construct(project=project, tasks=tasks, risks=risks)


def export_plan(plan: ProjectPlan) -> str:
    """The plan file (TOML text) of a stored project; re-importing it changes nothing."""
    return render_plan(plan_document(plan))
