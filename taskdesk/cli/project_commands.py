"""Project-mode and exchange commands: ``schedule``, ``import`` and ``export``.

- ``schedule PROJECT [--json]`` runs the critical-path scheduler on a stored project and
  prints the contract's JSON, or a table that fits 80 columns;
- ``import FILE [--format F]`` reads a file whole and writes it in one transaction;
- ``export --format F [-o FILE] [--project P]`` writes a plan file or items.

Each format's importer and exporter lives in its own module (``IMPORTERS``,
``EXPORTERS``): plan and json here, ical in ``ical_commands``, taskwarrior and csv in
``exchange_commands``.

Files are read and checked completely before the store is opened, so a bad file never
even creates a database; the import itself is one transaction. Nothing heavy is
imported at module level: the parser builds these commands' help without the store.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import textwrap
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from taskdesk.cli.commands import Context
    from taskdesk.domain.projectplan import ProjectPlan
    from taskdesk.domain.scheduling import Schedule
    from taskdesk.store import Store

SubParsers = Any  # argparse._SubParsersAction[TaskdeskArgumentParser] (private type)

#: Every format of the contract; only some are built yet (see the commands).
FORMATS = ("json", "taskwarrior", "ical", "csv", "plan")

#: File name endings that say a file's format when --format is not given.
_SUFFIXES = {
    ".toml": "plan",
    ".json": "json",
    ".ics": "ical",
    ".ical": "ical",
    ".ifb": "ical",
    ".csv": "csv",
    ".data": "taskwarrior",
}

SCHEDULE_HELP = """\
Run the critical-path scheduler on PROJECT (a project name or id) from its start date,
on its working calendar (workdays and holidays), and print every task's early and late
dates and floats, in working days.

The table shows each task's key, title (indented under its summary task), duration,
first and last working day, and total float; * marks a critical task (no float). Below
it: the critical path, and the finish against the project's deadline.

--json prints one object:
  {"project": NAME, "start": DATE, "finish": DATE, "critical_path": [ID, ...],
   "tasks": [{"id", "key", "title", "duration", "es", "ef", "ls", "lf",
              "total_float", "free_float", "critical"}, ...]}
with ISO dates (YYYY-MM-DD); es/ef are the first and last working day of a task,
duration and floats are working days, critical_path lists the critical tasks from the
start to the finish. Cancelled tasks are left out.

exit 2 when PROJECT does not exist, has no start date, or its links form a cycle.

example:
  taskdesk schedule "Mobile app launch"
"""

IMPORT_HELP = """\
Import FILE, all or nothing: on any error nothing is written (exit 2, one line saying
where: the line, record or component at fault). The format is guessed from the file
name (.toml plan, .ics ical, .csv csv, .json json or taskwarrior, .data taskwarrior) or
its content when --format is not given. Importing the same file again updates the items
it made instead of duplicating them, and `u` in the app takes the whole import back.

  plan         a project as code (TOML), see below
  ical         iCalendar (RFC 5545): VTODO and VEVENT, with time zones, all-day dates
               and RRULE; the UID is the identity
  taskwarrior  `task export` JSON (an array, or one object per line) or .data lines;
               a recurring task becomes one recurring item; uuid is the identity
  json         taskdesk's own `export --format json`
  csv          a header row; title required; also uuid, status, project, priority,
               due, start, wait, tags, assignees, recurrence, estimate, notes,
               completed, created (an unknown column is an error)

A plan file (TOML) describes one project ("projects as code"):
  [project]   name (required), start, deadline, goal, budget, owner, workdays, holidays
  [[task]]    key, title (required), duration ("5d", "2w"), milestone, depends
              (["research", "spec SS+2d", "legal FF-1d"]), parent, assignees
              (["alice", "bob:0.5"]), effort ("40h"), cost, percent, priority,
              tags, start_no_earlier, deadline, notes
  [[risk]]    title, probability and impact (1-5), cause, owner, response,
              mitigation, trigger, review_date, status
Importing a plan again updates the project: tasks are matched by key; tasks whose key
left the file are deleted (undo brings them back); tasks without a key are left alone.
Project fields and risks are not undone. See examples/mobile-app-launch.toml.

examples:
  taskdesk import examples/mobile-app-launch.toml
  taskdesk import ~/.task-export.json --format taskwarrior
  taskdesk import team.ics
"""

EXPORT_HELP = """\
Export to stdout, or to FILE with -o (written whole, or not at all). --project P keeps
that project's (or area's) items only; every status is included.

  --format plan         the plan file of --project P (TOML, as `import` reads it):
                        exporting, importing and exporting again gives the same text
  --format json         every item as the objects of `list --json`, by id
  --format ical         an RFC 5545 calendar: items as VTODO (DUE, DTSTART, PRIORITY,
                        STATUS, CATEGORIES from tags, RRULE, UID = the item's uuid),
                        dated milestones and project deadlines as all-day VEVENTs;
                        floating local times. A file calendar apps can subscribe to.
  --format taskwarrior  JSON that `task import` reads (uuid, description, status, dates,
                        priority, project, tags, depends, recur, annotations)
  --format csv          one row per item, the columns `import` reads

examples:
  taskdesk export --format plan --project "Mobile app launch" -o launch.toml
  taskdesk export --format ical -o ~/public_html/team.ics
  taskdesk export --format taskwarrior | task import
"""


def add_project_parsers(sub: SubParsers, formatter: Any) -> None:
    """Register ``schedule``, ``export`` and ``import`` (in that order) on ``sub``."""
    schedule = sub.add_parser(
        "schedule",
        help="run the project scheduler and print the schedule",
        description=SCHEDULE_HELP,
        formatter_class=formatter,
    )
    schedule.add_argument("project", metavar="PROJECT", help="project name or id")
    schedule.add_argument("--json", action="store_true", help="print the schedule as JSON")

    export = sub.add_parser(
        "export",
        help="export items (json, taskwarrior, ical, csv) or a plan file",
        description=EXPORT_HELP,
        formatter_class=formatter,
    )
    export.add_argument("--format", required=True, choices=FORMATS, help="output format")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    export.add_argument("--project", metavar="P", help="the project (name or id)")

    imp = sub.add_parser(
        "import",
        help="import a plan, Taskwarrior, iCalendar, CSV or JSON file, all or nothing",
        description=IMPORT_HELP,
        formatter_class=formatter,
    )
    imp.add_argument("file", metavar="FILE", help="the file to import")
    imp.add_argument("--format", choices=FORMATS, help="the file's format (default: guessed)")


# --------------------------------------------------------------------- schedule


def _project_plan(store: Store, ref: str) -> ProjectPlan:
    """The plan of project ``ref`` (name or id); an area is refused (exit 2)."""
    from taskdesk.cli.commands import CliError
    from taskdesk.domain.model import ContainerKind

    plan = store.project_plan(ref)
    if plan.project.kind is not ContainerKind.PROJECT:
        raise CliError(f"{plan.project.name!r} is an ongoing area, not a project")
    return plan


def cmd_schedule(ctx: Context, args: argparse.Namespace) -> int:
    """``schedule PROJECT [--json]``: the critical path method on a stored project."""
    from taskdesk.cli.commands import CliError, out, print_json
    from taskdesk.domain.projectplan import NoProjectStart, schedule_plan
    from taskdesk.domain.scheduling import CycleError, ScheduleError

    plan = _project_plan(ctx.store, args.project)
    try:
        schedule = schedule_plan(plan, critical_threshold=ctx.settings.critical_float_threshold)
    except NoProjectStart as exc:
        raise CliError(str(exc)) from None
    except CycleError as exc:
        names = _names(plan)
        loop = " → ".join(names.get(i, f"#{i}") for i in [*exc.cycle, *exc.cycle[:1]])
        raise CliError(f"{plan.project.name!r}: the dependencies form a cycle ({loop})") from None
    except ScheduleError as exc:
        raise CliError(f"{plan.project.name!r} cannot be scheduled: {exc}") from None
    if args.json:
        from taskdesk.interop.schedule_json import schedule_to_json

        print_json(schedule_to_json(plan, schedule))
        return 0
    for line in schedule_table(plan, schedule, width=_width()):
        out(line)
    return 0


def _width() -> int:
    """The table width: the terminal's, or 80 when output goes to a pipe or file."""
    import shutil

    from taskdesk.cli.render import DEFAULT_WIDTH

    if sys.stdout.isatty():
        return max(60, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)
    return DEFAULT_WIDTH


def _names(plan: ProjectPlan) -> dict[int, str]:
    """How messages and the footer name a task: its plan key (``#ID`` without one)."""
    return plan.keys()


def schedule_table(plan: ProjectPlan, schedule: Schedule, *, width: int = 80) -> list[str]:
    """The schedule as a table plus the critical path and the finish vs the deadline."""
    from taskdesk.cli.render import cell_width, fit
    from taskdesk.domain.text import clean_line

    names = _names(plan)
    depth = plan.depth()
    rows = [(item, schedule.tasks[item.id]) for item in plan.items if item.id in schedule.tasks]
    key_w = min(12, max([3, *(cell_width(names[item.id]) for item, _ in rows)]))
    fixed = 2 + key_w + 1 + 1 + 4 + 1 + 10 + 1 + 10 + 1 + 5
    title_w = max(12, width - fixed)
    lines = [
        f"  {fit('Key', key_w)} {fit('Title', title_w)} {'Dur':>4} {'Start':<10} "
        f"{'Finish':<10} {'Float':>5}",
        f"  {'-' * key_w} {'-' * title_w} {'-' * 4} {'-' * 10} {'-' * 10} {'-' * 5}",
    ]
    for item, task in rows:
        title = "  " * depth.get(item.id, 0) + ("◆ " if task.milestone else "")
        title += clean_line(item.title)
        lines.append(
            f"{'*' if task.critical else ' '} {fit(names[item.id], key_w)} "
            f"{fit(title, title_w)} {task.duration:>4} {task.es.isoformat()} "
            f"{task.ef.isoformat()} {task.total_float:>5}"
        )
    if not rows:
        lines.append("  (no tasks)")
    lines += ["", "* critical: no total float (a delay moves the finish)."]
    path = " → ".join(names.get(i, f"#{i}") for i in schedule.critical_path) or "none"
    lines += textwrap.wrap(
        f"Critical path: {path}", width=width, subsequent_indent="  ", break_on_hyphens=False
    )
    lines.append(f"Start {schedule.start.isoformat()}, finish {schedule.finish.isoformat()}.")
    lines.append(_deadline_line(plan, schedule))
    return lines


def _deadline_line(plan: ProjectPlan, schedule: Schedule) -> str:
    """``Deadline 2026-03-13: 6 working days to spare.`` (or how late, or none)."""
    deadline = plan.project.deadline
    if deadline is None:
        return "No deadline."
    day = timedelta(days=1)
    spare = schedule.calendar.working_days_between(schedule.finish + day, deadline + day)
    if spare > 0:
        verdict = f"{spare} working day{'s' if spare != 1 else ''} to spare"
    elif spare == 0:
        verdict = "finishes on the deadline"
    else:
        verdict = f"LATE by {-spare} working day{'s' if spare != -1 else ''}"
    return f"Deadline {deadline.isoformat()}: {verdict}."


# ----------------------------------------------------------------------- import


def _guess_format(path: str) -> str:
    """The format of ``path``: from its name, else from its first bytes."""
    from taskdesk.cli.commands import CliError

    suffix = Path(path).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    except OSError as exc:
        raise CliError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if head.startswith("BEGIN:VCALENDAR"):
        return "ical"
    if any(line.strip() == "[project]" for line in head.splitlines()):
        return "plan"
    if head.startswith(("[", "{")):
        return "json"
    raise CliError(f"{path}: cannot tell the file's format; give --format ({', '.join(FORMATS)})")


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    """``import FILE``: read the file whole, then write it in one transaction."""
    from taskdesk.cli.commands import CliError

    fmt = args.format or _guess_format(args.file)
    importer = _resolve(IMPORTERS, fmt)
    if importer is None:
        raise CliError(f"import of {fmt} files is not available yet", code=1)
    return int(importer(ctx, args))


def import_plan_file(ctx: Context, args: argparse.Namespace) -> int:
    """A plan file becomes a project; says how many tasks were new, updated, removed."""
    from taskdesk.cli.commands import CliError, out
    from taskdesk.interop.plan import PlanError, load_plan
    from taskdesk.store.errors import NotFound

    try:
        doc = load_plan(args.file)
    except PlanError as exc:
        raise CliError(str(exc)) from None
    try:
        before = ctx.store.project_plan(doc.project.name)
    except NotFound:
        before = None
    container = ctx.store.import_plan(doc)
    file_keys = {task.key for task in doc.tasks}
    known = set(before.keys().values()) if before else set()
    removed = {i.key for i in before.items if i.key} - file_keys if before else set()
    matched = len(file_keys & known)
    out(
        f"Imported {args.file} into project {container.name!r} (id {container.id}): "
        f"{len(doc.tasks)} task{'s' if len(doc.tasks) != 1 else ''} "
        f"({len(doc.tasks) - matched} new, {matched} updated, {len(removed)} removed), "
        f"{len(doc.risks)} risk{'s' if len(doc.risks) != 1 else ''}."
    )
    return 0


# ----------------------------------------------------------------------- export


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    """``export --format F``: the exporter of that format, to stdout or ``-o FILE``."""
    from taskdesk.cli.commands import CliError, out

    exporter = _resolve(EXPORTERS, args.format)
    if exporter is None:
        raise CliError(f"export to {args.format} is not available yet", code=1)
    text, what = exporter(ctx, args)
    if args.output:
        _write_atomically(Path(args.output), text)
        out(f"Exported {what} to {args.output}.")
    else:
        sys.stdout.write(text)
    return 0


def export_plan_file(ctx: Context, args: argparse.Namespace) -> tuple[str, str]:
    """The plan file of ``--project``: the text and what it holds."""
    from taskdesk.cli.commands import CliError
    from taskdesk.interop.plan import export_plan

    if not args.project:
        raise CliError("export --format plan needs --project P (the project to write)")
    plan = _project_plan(ctx.store, args.project)
    return export_plan(plan), f"{len(plan.items)} tasks of {plan.project.name!r}"


def export_items_json(ctx: Context, args: argparse.Namespace) -> tuple[str, str]:
    """Every item (of ``--project``) as the objects of ``list --json``."""
    text, count = _items_json(ctx, args.project)
    return text, f"{count} item{'s' if count != 1 else ''}"


def _items_json(ctx: Context, project: str | None) -> tuple[str, int]:
    """Every item (every status, waiting ones too), by id, as ``list --json`` shows it."""
    from taskdesk.domain.filters import Filter
    from taskdesk.domain.model import StatusCategory
    from taskdesk.interop.json_out import item_to_json

    container_id = ctx.store.get_container(project).id if project else None
    every = Filter(statuses=tuple(c.value for c in StatusCategory), include_closed=True)
    items = ctx.store.list_items(every, container_id=container_id, now=ctx.now)
    data = [item_to_json(item, now=ctx.now, weights=ctx.weights) for item in items]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n", len(items)


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file, then a rename)."""
    from taskdesk.cli.commands import CliError

    target = path.expanduser()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
    except OSError as exc:
        raise CliError(f"{path}: cannot write there ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: format → where its importer lives (``module:function``, imported when used, so the
#: parser never loads a format library). The function takes ``ctx, args`` (``args.file``)
#: and returns the exit code, after printing one line of what it did.
IMPORTERS: dict[str, str] = {
    "plan": "taskdesk.cli.project_commands:import_plan_file",
    "ical": "taskdesk.cli.ical_commands:import_ical",
    "taskwarrior": "taskdesk.cli.exchange_commands:import_taskwarrior",
    "json": "taskdesk.cli.exchange_commands:import_json",
    "csv": "taskdesk.cli.exchange_commands:import_csv",
}

#: format → where its exporter lives; the function returns the text and a few words on
#: what it holds ("12 items"), and ``cmd_export`` writes it (atomically with ``-o``).
EXPORTERS: dict[str, str] = {
    "plan": "taskdesk.cli.project_commands:export_plan_file",
    "json": "taskdesk.cli.project_commands:export_items_json",
    "ical": "taskdesk.cli.ical_commands:export_ical",
    "taskwarrior": "taskdesk.cli.exchange_commands:export_taskwarrior",
    "csv": "taskdesk.cli.exchange_commands:export_csv",
}


def _resolve(registry: dict[str, str], fmt: str) -> Any:
    """The function registered for ``fmt``, or ``None`` when it is not built."""
    import importlib

    where = registry.get(fmt)
    if where is None:
        return None
    module_name, _, name = where.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    return getattr(module, name, None)


PROJECT_COMMANDS = {
    "schedule": cmd_schedule,
    "import": cmd_import,
    "export": cmd_export,
}
