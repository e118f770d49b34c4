"""Datasets for the performance benchmark: a team's store of 1,000 / 10,000 / 50,000 items.

A dataset is a realistic mix (areas and small projects, every status, due and start
dates, tags, assignees, routines, dependencies), generated as
:class:`~taskdesk.domain.importing.ImportRecord` objects with a fixed seed and written
through the store's bulk path (``Store.import_records``). The 50,000-item store also
holds one big project, "Atlas platform": the 10,000 tasks / 20,000 links of
``bench_scheduler.build_plan``, written with ``Store.import_plan`` so that its Gantt opens
in the app like any other project.

Stores are cached under ``$TASKDESK_PERF_CACHE`` (default: the system temp directory),
keyed by size, seed and a format version, so a second run starts measuring at once.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scheduler import HOLIDAYS, START, build_plan

from taskdesk.domain.importing import ImportRecord
from taskdesk.domain.model import (
    ContainerKind,
    LinkType,
    Priority,
    Recurrence,
    RecurrenceAnchor,
    StatusCategory,
)
from taskdesk.store import Store, open_store

SEED = 20261125
#: Bump when the generator changes: cached stores of an older version are rebuilt.
DATA_VERSION = 2
NOW = dt.datetime(2026, 11, 25, 10, 30)
BIG_PROJECT = "Atlas platform"
BIG_TASKS = 10_000
BIG_LINKS = 20_000
#: The store size from which the big project is part of the dataset.
BIG_FROM = 50_000

AREAS = ["Marketing", "Support", "Operations", "Sales", "Finance", "People", "IT", "Legal"]
PROJECTS = [f"Project {name}" for name in ("Borealis", "Cedar", "Delta", "Ember", "Fjord")]
TAGS = [f"tag-{i:02d}" for i in range(30)] + ["urgent", "customer", "bug", "docs", "infra"]
PEOPLE = [f"user{i:02d}" for i in range(24)]
WORDS = [
    "fix", "review", "plan", "email", "deploy", "test", "migrate", "report", "budget",
    "call", "draft", "invoice", "renew", "audit", "publish", "triage", "onboard", "update",
]  # fmt: skip
ROUTINES = [
    Recurrence("FREQ=DAILY"),
    Recurrence("FREQ=WEEKLY;BYDAY=MO"),
    Recurrence("FREQ=MONTHLY"),
    Recurrence("FREQ=WEEKLY", RecurrenceAnchor.COMPLETION),
]
# Roughly a team's store after a year: most items are done.
STATE_SHARE = {
    StatusCategory.BACKLOG: 0.15,
    StatusCategory.UNSTARTED: 0.20,
    StatusCategory.STARTED: 0.08,
    StatusCategory.COMPLETED: 0.52,
    StatusCategory.CANCELLED: 0.05,
}


@dataclass(frozen=True, slots=True)
class Dataset:
    """A built store: where it is, how many items it holds, and its biggest project."""

    path: Path
    size: int
    project: str
    project_tasks: int
    build_seconds: float
    writer: str


def cache_dir() -> Path:
    """Where built stores are kept between runs."""
    import os

    base = os.environ.get("TASKDESK_PERF_CACHE") or str(Path(tempfile.gettempdir()))
    path = Path(base) / "taskdesk-perf-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


# ------------------------------------------------------------------ records


def _when(rng: random.Random, days: float) -> dt.datetime:
    """A time within ``days`` of NOW, to the minute."""
    return (NOW + dt.timedelta(days=rng.uniform(-days, days))).replace(second=0, microsecond=0)


def ongoing_records(count: int, rng: random.Random, start: int = 0) -> Iterator[ImportRecord]:
    """The ongoing work of a team: areas and small projects, every state."""
    states = list(STATE_SHARE)
    weights = list(STATE_SHARE.values())
    containers = AREAS + PROJECTS
    for n in range(start, start + count):
        state = rng.choices(states, weights)[0]
        created = NOW - dt.timedelta(days=rng.uniform(0, 365))
        created = created.replace(microsecond=0)
        project = rng.choice(containers) if rng.random() < 0.9 else None
        # A dependency on an earlier record of the same run: about 5% of items.
        depends: tuple[str, ...] = ()
        if n > start + 10 and rng.random() < 0.05:
            depends = (f"perf-{rng.randrange(start, n)}",)
        yield ImportRecord(
            uid=f"perf-{n}",
            title=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(WORDS)} #{n}",
            state=state,
            priority=rng.choice([Priority.HIGH, Priority.MEDIUM, Priority.LOW, None, None]),
            due=_when(rng, 60) if rng.random() < 0.4 else None,
            start=_when(rng, 30) if rng.random() < 0.1 else None,
            created=created,
            completed=(
                created + dt.timedelta(days=rng.uniform(0, 20))
                if state is StatusCategory.COMPLETED
                else None
            ),
            project=project,
            tags=tuple(rng.sample(TAGS, k=rng.choice([0, 1, 1, 2, 3]))),
            assignees=(rng.choice(PEOPLE),) if rng.random() < 0.7 else (),
            recurrence=rng.choice(ROUTINES) if rng.random() < 0.02 else None,
            estimate_minutes=rng.choice([None, 30, 60, 120, 480]),
            depends=depends,
            where=f"generated record {n}",
        )


def big_plan_document() -> object:
    """The 10,000-task / 20,000-link project of bench_scheduler as a plan document."""
    from taskdesk.interop.plan import PlanAssignee, PlanDocument, PlanLink, PlanProject, PlanTask

    tasks, links = build_plan(BIG_TASKS, BIG_LINKS)
    depends: dict[int, list[PlanLink]] = {}
    seen: set[tuple[int, int]] = set()
    for link in links:
        if (link.predecessor, link.successor) in seen:
            continue  # the generator may draw a pair twice; a file lists a link once
        seen.add((link.predecessor, link.successor))
        depends.setdefault(link.successor, []).append(
            PlanLink(key=f"t{link.predecessor}", type=LinkType(link.type), lag=float(link.lag))
        )
    plan_tasks = [
        PlanTask(
            key=f"t{task.id}",
            title=f"{WORDS[task.id % len(WORDS)]} component {task.id}",
            duration=None if task.milestone else float(task.duration),
            milestone=task.milestone,
            depends=tuple(depends.get(task.id, ())),
            parent=f"t{task.parent_id}" if task.parent_id else None,
            assignees=tuple(
                PlanAssignee(login=login, units=units) for login, units in task.assignments
            ),
            start_no_earlier=task.start_no_earlier,
            deadline=task.deadline,
        )
        for task in tasks
    ]
    project = PlanProject(name=BIG_PROJECT, start=START, holidays=tuple(HOLIDAYS))
    return PlanDocument(project=project, tasks=tuple(plan_tasks))


# ------------------------------------------------------------------ writing


def write_records(store: Store, path: Path, records: list[ImportRecord], rng: random.Random) -> str:
    """Write records through the bulk path; returns which writer was used.

    ``Store.import_records`` is the bulk path. Where it does not exist yet, the store is
    grown with ``bench_store``'s SQL copies (same shape of data, not these records).
    """
    importer: Callable[..., object] | None = getattr(store, "import_records", None)
    if importer is not None:
        importer(records, label="perf dataset")
        return "Store.import_records"
    from bench_store import Filler, fill, seed

    seed(store, rng)
    conn = sqlite3.connect(path)
    try:
        fill(store, Filler(conn, "?", "sqlite"), store.count_items() + len(records), rng)
        conn.commit()
    finally:
        conn.close()
    return "bench_store.fill (import_records not available)"


def build(size: int, seed: int = SEED) -> Dataset:
    """Build (or reuse from the cache) the store of ``size`` items."""
    path = cache_dir() / f"perf-{size}-s{seed}-v{DATA_VERSION}.db"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        return Dataset(path=path, **json.loads(meta.read_text()))
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    began = time.perf_counter()
    tmp = path.with_suffix(".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    db = tmp / "store.db"
    rng = random.Random(seed + size)
    store = open_store(str(db), actor="bench", clock=lambda: NOW)
    project, project_tasks = _projects(store, size)
    records = list(ongoing_records(size - store.count_items(), rng))
    writer = write_records(store, db, records, rng)
    store.close()
    conn = sqlite3.connect(db)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.move(db, path)
    shutil.rmtree(tmp, ignore_errors=True)
    dataset = Dataset(
        path=path,
        size=size,
        project=project,
        project_tasks=project_tasks,
        build_seconds=round(time.perf_counter() - began, 1),
        writer=writer,
    )
    meta.write_text(json.dumps({k: v for k, v in vars_of(dataset).items() if k != "path"}))
    return dataset


def vars_of(dataset: Dataset) -> dict[str, object]:
    """The dataset's fields as a dict (slots dataclasses have no ``__dict__``)."""
    return {name: getattr(dataset, name) for name in Dataset.__dataclass_fields__}


def _projects(store: Store, size: int) -> tuple[str, int]:
    """Create the areas and projects; the big project too from BIG_FROM items on."""
    for area in AREAS:
        store.ensure_container(area, ContainerKind.AREA)
    for number, name in enumerate(PROJECTS):
        store.save_project(
            name,
            start=START + dt.timedelta(days=30 * number),
            deadline=START + dt.timedelta(days=30 * number + 120),
            goal=f"ship {name.split()[-1]}",
            owner=PEOPLE[number],
        )
    if size >= BIG_FROM:
        from taskdesk.interop.plan import PlanDocument

        doc = big_plan_document()
        assert isinstance(doc, PlanDocument)
        store.import_plan(doc)
        return BIG_PROJECT, BIG_TASKS
    return PROJECTS[0], 0


# ------------------------------------------------------------------ taskwarrior file


def taskwarrior_file(count: int, seed: int = SEED) -> Path:
    """A Taskwarrior ``task export`` JSON file of ``count`` tasks (cached)."""
    path = cache_dir() / f"taskwarrior-{count}-s{seed}-v{DATA_VERSION}.json"
    if path.exists():
        return path
    rng = random.Random(seed)
    status_of = {
        StatusCategory.BACKLOG: "pending",
        StatusCategory.UNSTARTED: "pending",
        StatusCategory.STARTED: "pending",
        StatusCategory.COMPLETED: "completed",
        StatusCategory.CANCELLED: "deleted",
    }
    tasks = []
    for record in ongoing_records(count, rng):
        uid = f"{rng.getrandbits(128):032x}"
        task: dict[str, object] = {
            "uuid": f"{uid[:8]}-{uid[8:12]}-4{uid[13:16]}-a{uid[17:20]}-{uid[20:32]}",
            "description": record.title,
            "status": status_of[record.state],
            "entry": _tw_time(record.created or NOW),
            "modified": _tw_time(record.created or NOW),
        }
        if record.project:
            task["project"] = record.project
        if record.tags:
            task["tags"] = list(record.tags)
        if record.priority:
            task["priority"] = record.priority.value
        if record.due:
            task["due"] = _tw_time(record.due)
        if record.completed:
            task["end"] = _tw_time(record.completed)
        if record.state is StatusCategory.STARTED:
            task["start"] = _tw_time(record.created or NOW)
        tasks.append(task)
    path.write_text(json.dumps(tasks))
    return path


def _tw_time(when: dt.datetime) -> str:
    """Taskwarrior's compact UTC time, ``20261125T103000Z``."""
    return when.strftime("%Y%m%dT%H%M%SZ")
