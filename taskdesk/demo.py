"""The demo workspace (``taskdesk demo``): both halves of taskdesk, telling one story.

A small company runs **ongoing work** — a marketing team's routines and editorial
calendar, a support queue, routine server maintenance — and two **projects**: "Mobile
app launch" (software: milestones, dependencies of every link type, a budget, a clear
critical path) and "Annual conference" (an event whose date cannot move). Some people
carry more started work than their capacity, a few items are overdue, and the Review
column holds more cards than its WIP limit: the bottleneck the flow screens should find.

Everything is data (the tables below) plus a few small functions that feed it to the
store through its public API only — no SQL — so the demo doubles as an end-to-end
exercise of that API. Dates are relative to ``today``, and the order of writes is fixed,
so two builds on the same day give the same titles, dates and ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from taskdesk.domain.filters import Filter
from taskdesk.domain.model import (
    ContainerKind,
    Item,
    LinkType,
    ParsedItem,
    Priority,
    Recurrence,
    Status,
    StatusCategory,
)

if TYPE_CHECKING:
    from taskdesk.store import Store


# --------------------------------------------------------------------------- people


@dataclass(frozen=True)
class DemoPerson:
    """Someone on the team; ``capacity`` in hours per day, ``rate`` per hour."""

    login: str
    name: str
    role: str
    capacity: float
    rate: float


PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("alice", "Alice Moreau", "marketing lead", 8.0, 70.0),
    DemoPerson("bob", "Bob Lindqvist", "support", 8.0, 45.0),
    DemoPerson("carol", "Carol Nakamura", "ops / devops", 8.0, 75.0),
    DemoPerson("dave", "Dave Okafor", "developer", 8.0, 85.0),
    DemoPerson("erin", "Erin Walsh", "designer, four days a week", 6.0, 70.0),
    DemoPerson("frank", "Frank Novak", "project manager", 8.0, 80.0),
    DemoPerson("grace", "Grace Kim", "events and customer success", 8.0, 55.0),
)


# --------------------------------------------------------------------------- ongoing work

#: Workflow roles used by the tables, resolved to the store's columns by category.
BACKLOG, TODO, DOING, REVIEW, DONE = "backlog", "todo", "doing", "review", "done"


@dataclass(frozen=True)
class Seed:
    """One item of an ongoing area.

    ``due``/``start`` are days from today (negative: in the past) at ``hour``; ``every``
    is an RRULE body for a recurring routine; ``age`` is how many days ago it was
    created; ``done`` (for ``status=DONE``) how many days ago it was completed.
    """

    title: str
    status: str = TODO
    priority: str | None = None
    due: int | None = None
    hour: int = 17
    start: int | None = None
    tags: tuple[str, ...] = ()
    who: tuple[str, ...] = ()
    every: str | None = None
    est: int | None = None
    age: int = 5
    done: int | None = None
    comment: str | None = None
    notes: str = ""


# fmt: off
MARKETING: tuple[Seed, ...] = (
    Seed("Post on social media", DONE, due=-1, hour=11, tags=("social",), who=("alice",),
         every="FREQ=DAILY", est=30, age=20, done=1),
    Seed("Write the weekly blog post", DOING, due=2, tags=("blog",), who=("alice",),
         every="FREQ=WEEKLY", est=240, age=30,
         notes="Topics come from the editorial calendar (the +editorial items)."),
    Seed("Send the monthly email campaign", TODO, "M", due=9, hour=10, tags=("email",),
         who=("alice",), every="FREQ=MONTHLY", est=480, age=25),
    Seed("Review the social media analytics", TODO, due=4, hour=12, tags=("social",),
         who=("alice",), every="FREQ=WEEKLY;BYDAY=MO", est=60, age=40),
    Seed("Blog: 5 ways to run a remote stand-up", TODO, due=6, tags=("blog", "editorial"),
         who=("alice",), age=12),
    Seed("Blog: customer story — Acme Corp", REVIEW, "M", due=1, tags=("blog", "editorial"),
         who=("alice",), age=15, comment="Acme's legal team has to approve the quotes."),
    Seed("Newsletter: spring product roundup", TODO, due=12, tags=("email", "editorial"),
         who=("alice",), age=6),
    Seed("Video: product walkthrough", BACKLOG, due=20, tags=("video", "editorial"),
         who=("erin",), age=18),
    Seed("Case study: Globex support team", BACKLOG, tags=("editorial",), who=("alice",),
         age=9),
    Seed("Landing page for the spring webinar", DOING, "H", due=-2, tags=("web",),
         who=("erin",), est=480, age=10),
    Seed("Blog: release notes roundup", DONE, due=-2, tags=("blog", "editorial"),
         who=("alice",), age=14, done=2),
    Seed("Refresh the brand guidelines", DONE, tags=("design",), who=("erin",), age=21,
         done=4),
)

SUPPORT: tuple[Seed, ...] = (
    Seed("Customer cannot reset their password", DOING, "H", due=-1, tags=("account",),
         who=("bob",), age=3, comment="Asked for a screenshot of the error page."),
    Seed("Invoice shows the wrong VAT rate", TODO, "H", due=0, tags=("billing",),
         who=("bob",), age=1),
    Seed("Duplicate charge on an annual plan", TODO, "H", due=-2, tags=("billing",),
         who=("bob",), age=4),
    Seed("App crashes when uploading a large photo", DOING, "H", due=2, tags=("bug",),
         who=("dave",), age=5),
    Seed("Two-factor codes arrive late", TODO, "M", due=-3, tags=("bug", "account"),
         who=("dave",), age=8),
    Seed("Export to CSV misses the notes column", REVIEW, "M", due=3, tags=("bug",),
         who=("dave",), age=11),
    Seed("Refund request from Initech", TODO, "M", due=3, tags=("billing",),
         who=("grace",), age=2),
    Seed("Login loop on Safari", DOING, "M", due=4, tags=("bug",), who=("bob",), age=6),
    Seed("Customer asks for a data export (GDPR)", DOING, "H", due=1, tags=("account",),
         who=("grace",), age=2),
    Seed("Question about team plan pricing", TODO, "L", due=5, tags=("question",),
         who=("grace",), age=1),
    Seed("Dark mode contrast too low in settings", BACKLOG, "L", tags=("bug",), age=16),
    Seed("Feature request: recurring invoices", BACKLOG, "L", tags=("feature", "billing"),
         age=23),
    Seed("Update the help article on single sign-on", REVIEW, "L", tags=("docs",),
         who=("bob",), age=7),
    Seed("Password reset e-mail lands in spam", DONE, "H", tags=("account",), who=("bob",),
         age=4, done=1),
    Seed("Wrong currency on a receipt", DONE, "M", tags=("billing",), who=("bob",), age=6,
         done=3),
)

OPS: tuple[Seed, ...] = (
    Seed("Apply security patches to the web servers", TODO, "M", due=5, hour=10,
         tags=("maintenance",), who=("carol",), every="FREQ=WEEKLY;BYDAY=TU", est=120,
         age=60),
    Seed("Test a backup restore", TODO, due=8, tags=("backup",), who=("carol",),
         every="FREQ=MONTHLY", est=180, age=60),
    Seed("Rotate the database credentials", TODO, due=30, tags=("security",),
         who=("carol",), every="FREQ=MONTHLY;INTERVAL=3", est=60, age=60),
    Seed("Renew the TLS certificate for api.example.com", TODO, "H", due=10,
         tags=("security",), who=("carol",), age=14),
    Seed("Renew the TLS certificate for the status page", TODO, "M", due=-1,
         tags=("security",), who=("carol",), age=14),
    Seed("Upgrade PostgreSQL on staging", DOING, "M", due=6, tags=("maintenance",),
         who=("carol",), est=480, age=9),
    Seed("Disk almost full on the build server", DOING, "H", due=-1, tags=("incident",),
         who=("carol",), age=2, comment="Cleared old artifacts; need a bigger volume."),
    Seed("Review the firewall rules", REVIEW, "M", tags=("security",), who=("carol",),
         age=12),
    Seed("Set up log rotation for the API", BACKLOG, "L", tags=("maintenance",), age=30),
    Seed("Patch OpenSSL on the mail server", DONE, "H", tags=("security",),
         who=("carol",), age=5, done=2),
)
# fmt: on

AREAS: tuple[tuple[str, str, tuple[Seed, ...]], ...] = (
    ("Marketing", "Routines and the editorial calendar of the marketing team.", MARKETING),
    ("Support", "The customer support queue: tickets by priority.", SUPPORT),
    ("Ops", "Routine server maintenance and incidents.", OPS),
)


# --------------------------------------------------------------------------- projects


@dataclass(frozen=True)
class Task:
    """One project task. ``offset``/``days`` are in working days from the project start
    (``days=0``: a milestone); ``after`` lists predecessors as ``key`` (finish-to-start)
    or ``key SS+2`` / ``key FF+2`` (link type and lag in working days). ``key`` is the
    task's plan-file key; ``not_before`` makes its first day a start-no-earlier
    constraint (it waits for someone or something, not for a predecessor)."""

    key: str
    title: str
    offset: int
    days: int
    who: tuple[str, ...] = ()
    status: str = TODO
    percent: float = 0.0
    after: tuple[str, ...] = ()
    priority: str | None = None
    tags: tuple[str, ...] = ()
    comment: str | None = None
    not_before: bool = False


@dataclass(frozen=True)
class DemoRisk:
    """An entry of a project's risk register (probability and impact 1–5)."""

    title: str
    probability: int
    impact: int
    owner: str
    mitigation: str
    cause: str = ""
    trigger: str = ""


@dataclass(frozen=True)
class DemoProject:
    """A project: where it starts (weeks before today), its tasks, and its charter text.

    The deadline is the finish of the task ``deadline_key`` (for the app launch, the
    end of the plan, so the critical path has zero float; for the conference, the
    event day itself).
    """

    name: str
    weeks_ago: int
    goal: str
    description: str
    budget: float
    owner: str
    deadline_key: str
    tasks: tuple[Task, ...] = field(default=())
    risks: tuple[DemoRisk, ...] = field(default=())


# fmt: off
MOBILE = DemoProject(
    name="Mobile app launch",
    weeks_ago=3,
    goal="Ship the iOS and Android app with sign-in, sync and push notifications.",
    description=(
        "Stakeholders: the CEO (sponsor), Support (first-line help after launch), "
        "Marketing (launch campaign).\n"
        "Risks: the app store review rejects the build (probability 3, impact 4; "
        "mitigation: a pre-submission checklist); the sync backend is not ready for the "
        "beta (3 × 5; mitigation: a feature flag); the designer works four days a week "
        "(2 × 3)."
    ),
    budget=120_000.0,
    owner="frank",
    deadline_key="campaign",
    tasks=(
        #    key         title                                  off days who
        Task("req",      "Gather requirements",                   0,  5, ("frank",), DONE, 100),
        Task("ci",       "Set up the CI pipeline",                2,  3, ("carol",), DONE, 100,
             ("req SS+2",)),
        Task("design",   "Design the screens",                    5,  8, ("erin",), DONE, 100,
             ("req",)),
        Task("privacy",  "Write the privacy policy",              8,  3, ("frank",), TODO, 0,
             ("req",), "H", ("legal",), not_before=True),  # when the lawyer is free
        Task("api",      "Build the API",                         5, 12, ("dave",), DOING, 70,
             ("req",), "H", comment="Auth endpoints are done; the sync endpoints are next."),
        Task("copy",     "Write the onboarding screens copy",     9,  4, ("alice",), REVIEW, 90,
             ("design SS+4",)),
        Task("sync",     "Build sign-in and sync",               13, 10, ("dave",), DOING, 30,
             ("design",), "H"),
        Task("push",     "Add push notifications",               17,  5, ("dave",), TODO, 0,
             ("api",)),
        Task("beta",     "Beta released",                        23,  0, ("frank",), TODO, 0,
             ("sync", "push")),
        Task("test",     "Beta testing",                         23, 10, ("bob", "frank"), TODO,
             0, ("beta",)),
        Task("fix",      "Fix beta bugs",                        29,  6, ("dave",), TODO, 0,
             ("test FF+2",)),
        Task("assets",   "Prepare the app store assets",         26,  4, ("erin", "alice"),
             TODO, 0, ("test SS+3",)),
        Task("submit",   "Submit to the app stores and pass review", 35, 5, ("frank",), TODO,
             0, ("fix", "assets", "privacy")),
        Task("launch",   "Store launch",                         40,  0, ("frank",), TODO, 0,
             ("submit",)),
        Task("campaign", "Run the launch campaign",              37,  5, ("alice",), TODO, 0,
             ("submit SS+2",), tags=("launch",)),
    ),
    risks=(
        DemoRisk("The app store review rejects the build", 3, 4, "frank",
                 "A pre-submission checklist; submit the beta build for review early.",
                 cause="New privacy rules for sign-in and tracking.",
                 trigger="A rejection e-mail from either store."),
        DemoRisk("The sync backend is not ready for the beta", 3, 5, "dave",
                 "Ship the beta behind a feature flag with sync off.",
                 cause="Sync conflicts are harder than estimated.",
                 trigger="Sync still at under 50 % a week before the beta."),
        DemoRisk("The designer works four days a week", 2, 3, "frank",
                 "Book design reviews on her working days; keep a freelancer on call."),
    ),
)

CONFERENCE = DemoProject(
    name="Annual conference",
    weeks_ago=4,
    goal="Host 300 customers for a day of talks; the date is fixed and announced.",
    description=(
        "Venue: Harbour Hall (booked, deposit paid). Speakers: two keynotes and ten "
        "customer talks. Sponsors: three packages (gold, silver, community).\n"
        "Stakeholders: the CEO, sponsors, speakers, the venue.\n"
        "Risks: fewer than 200 registrations (2 × 4; mitigation: an early-bird price); "
        "a keynote speaker cancels (2 × 3; mitigation: a standby speaker)."
    ),
    budget=45_000.0,
    owner="grace",
    deadline_key="day",
    tasks=(
        #    key             title                             off days who
        Task("goals",        "Set the budget and goals",          0,  3, ("frank",), DONE, 100),
        Task("venue",        "Book the venue",                    3, 10, ("grace",), DONE, 100,
             ("goals",), comment="Signed with Harbour Hall; deposit paid."),
        Task("packages",     "Write the sponsor packages",        6,  5, ("frank",), DONE, 100,
             ("venue SS+3",)),
        Task("brochure",     "Design the sponsor brochure",      11,  4, ("erin",), REVIEW, 90,
             ("packages",)),
        Task("sponsors",     "Sign the sponsors",                11, 25, ("frank",), DOING, 40,
             ("packages",)),
        Task("cfp",          "Run the call for speakers",        13, 15, ("grace",), DOING, 60,
             ("venue",)),
        Task("website",      "Build the conference website",     16,  8, ("erin", "dave"), DOING,
             25, ("venue FS+3",)),
        Task("registration", "Registration opens",               24,  0, ("grace",), TODO, 0,
             ("website",)),
        Task("catering",     "Book catering and AV",             23,  5, ("grace",), TODO, 0,
             ("cfp SS+10",)),
        Task("keynotes",     "Confirm the keynote speakers",     28,  5, ("grace",), TODO, 0,
             ("cfp",), "H"),
        Task("agenda",       "Publish the agenda",               33,  3, ("grace", "erin"), TODO,
             0, ("keynotes",)),
        Task("badges",       "Print badges and signage",         55,  3, ("grace",), TODO, 0,
             ("agenda",), not_before=True),  # printed as late as registrations allow
        Task("rehearsal",    "Speaker rehearsals",               58,  2, ("grace",), TODO, 0,
             ("agenda",), not_before=True),  # the week of the event
        Task("day",          "Conference day",                   60,  0, ("grace",), TODO, 0,
             ("badges", "rehearsal", "catering", "registration", "sponsors"),
             not_before=True),  # the date is fixed and announced
    ),
    risks=(
        DemoRisk("Fewer than 200 registrations", 2, 4, "grace",
                 "An early-bird price and a customer referral code."),
        DemoRisk("A keynote speaker cancels", 2, 3, "grace", "A standby speaker."),
    ),
)
# fmt: on

PROJECTS: tuple[DemoProject, ...] = (MOBILE, CONFERENCE)


# --------------------------------------------------------------------------- building


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`build_demo` created, for the command's one-line report."""

    items: int
    areas: int
    projects: int
    people: int
    dependencies: int

    def describe(self) -> str:
        """``74 items in 3 areas and 2 projects, 7 people, 24 dependencies``."""
        return (
            f"{self.items} items in {self.areas} areas and {self.projects} projects, "
            f"{self.people} people, {self.dependencies} dependencies"
        )


class _Columns:
    """The store's workflow columns for each role in the tables.

    Resolved by category so the demo works with any workflow: ``review`` is the column
    named "Review" if there is one, else the last started column.
    """

    def __init__(self, statuses: list[Status]) -> None:
        def first(category: StatusCategory) -> Status | None:
            return next((s for s in statuses if s.category is category), None)

        started = [s for s in statuses if s.category is StatusCategory.STARTED]
        todo = first(StatusCategory.UNSTARTED)
        review = next((s for s in statuses if s.name.casefold() == "review"), None)
        by_role = {
            BACKLOG: first(StatusCategory.BACKLOG) or todo,
            TODO: todo,
            DOING: started[0] if started else None,
            REVIEW: review or (started[-1] if started else None),
            DONE: first(StatusCategory.COMPLETED),
        }
        self._ids = {role: status.id for role, status in by_role.items() if status}

    def id(self, role: str) -> int | None:
        """The status id for a role, or ``None`` to let the store pick its default."""
        return self._ids.get(role)


def build_demo(store: Store, *, today: date) -> DemoSummary:
    """Fill ``store`` with the demo workspace, dated relative to ``today``."""
    before = _item_count(store)
    for person in PEOPLE:
        store.ensure_person(person.login, person.name, person.capacity, person.rate)
    builder = _Builder(store, today)
    for name, description, seeds in AREAS:
        store.save_project(name, description=description, kind=ContainerKind.AREA)
        for seed in seeds:
            builder.add_seed(name, seed)
    links = 0
    for project in PROJECTS:
        tasks = builder.add_project(project)
        links += _link_tasks(store, project, tasks)
    items = _item_count(store) - before
    return DemoSummary(items, len(AREAS), len(PROJECTS), len(PEOPLE), links)


def _item_count(store: Store) -> int:
    """Every item, open or closed (completing a routine adds its next occurrence)."""
    return len(store.list_items(Filter(include_closed=True)))


def _at(day: date, hour: int) -> datetime:
    """``day`` at ``hour`` o'clock."""
    return datetime.combine(day, time(hour))


class _Builder:
    """Adds the items of the tables and walks each through the columns of its story.

    The demo tells what happened over the past weeks: items were created, started,
    sent to review and completed on different days, and the flow metrics (cycle time,
    throughput, time in column) need those times. So each write runs with the store's
    clock — its documented hook, which tests use to freeze time — set to the moment it
    happened in the story, at the latest ``story_now`` (yesterday 17:00, always in the
    past, so nothing is stamped in the future and two builds on one day agree).
    """

    def __init__(self, store: Store, today: date) -> None:
        self.store = store
        self.today = today
        self.story_now = _at(today - timedelta(days=1), 17)
        self.columns = _Columns(store.statuses())

    @contextmanager
    def clock(self, when: datetime) -> Iterator[None]:
        """Let the store stamp ``when`` on what happens inside."""
        saved = self.store.clock
        moment = min(when, self.story_now)
        self.store.clock = lambda: moment
        try:
            yield
        finally:
            self.store.clock = saved

    # ----------------------------------------------------------------- ongoing work
    def add_seed(self, area: str, seed: Seed) -> Item:
        """One ongoing item, created ``age`` days ago and moved where the story puts it."""

        def day(offset: int | None) -> datetime | None:
            return None if offset is None else _at(self.today + timedelta(days=offset), seed.hour)

        parsed = ParsedItem(
            title=seed.title,
            project=area,
            due=day(seed.due),
            start=day(seed.start),
            priority=Priority(seed.priority) if seed.priority else None,
            tags=list(seed.tags),
            assignees=list(seed.who),
            recurrence=Recurrence(seed.every) if seed.every else None,
            estimate_minutes=seed.est,
        )
        parsed.given = _given(parsed)
        created = _at(self.today - timedelta(days=seed.age), 9)
        finished = _at(self.today - timedelta(days=seed.done or 1), 15)
        started = max(created, finished - timedelta(days=1)) if seed.status == DONE else created
        item = self.walk(parsed, seed.status, created, started + timedelta(hours=1), finished)
        return self.follow_up(item, notes=seed.notes, comment=seed.comment)

    def walk(
        self, parsed: ParsedItem, role: str, created: datetime, started: datetime,
        finished: datetime,
    ) -> Item:  # fmt: skip
        """Add the item, then move it To do → In progress (→ Review | → Done) as a person
        would, so the transition log holds the whole story and a completed routine
        creates its next occurrence as it does for real."""
        with self.clock(created):
            if role in (BACKLOG, TODO):
                return self.store.add_item(parsed, status_id=self.columns.id(role), now=created)
            item = self.store.add_item(parsed, status_id=self.columns.id(TODO), now=created)
        steps = [(DOING, started)]
        if role == REVIEW:
            steps.append((REVIEW, started + (self.story_now - started) / 2))
        elif role == DONE:
            steps.append((DONE, finished))
        for step, when in steps:
            status_id = self.columns.id(step)
            if status_id is not None:
                with self.clock(when):
                    item = self.store.move_item(item.id, status_id)
        return item

    def follow_up(
        self, item: Item, *, notes: str = "", percent: float = 0.0, comment: str | None = None
    ) -> Item:
        """Notes, percent complete and a comment, written "yesterday evening"."""
        with self.clock(self.story_now):
            changes: dict[str, object] = {}
            if notes:
                changes["notes"] = notes
            if percent:
                changes["percent_complete"] = percent
            if changes:
                item = self.store.update_item(item.id, changes)
            if comment:
                self.store.add_comment(item.id, comment)
        return item

    # --------------------------------------------------------------------- projects
    def add_project(self, project: DemoProject) -> dict[str, Item]:
        """The project container (charter fields) and its tasks, keyed by task key."""
        start = project_start(project, self.today)
        self.store.save_project(
            project.name,
            start=start,
            deadline=task_dates(project, project.deadline_key, self.today)[1],
            goal=project.goal,
            description=project.description,
            budget=project.budget,
            owner=project.owner,
        )
        tasks = {task.key: self.add_task(project.name, task, start) for task in project.tasks}
        with self.clock(self.story_now):
            for risk in project.risks:
                self.store.add_risk(
                    project.name,
                    risk.title,
                    probability=risk.probability,
                    impact=risk.impact,
                    owner=risk.owner,
                    mitigation=risk.mitigation,
                    cause=risk.cause,
                    trigger=risk.trigger,
                )
        return tasks

    def add_task(self, project: str, task: Task, start: date) -> Item:
        """One project task: dated from its offset and duration, started on its first day."""
        first, last = _span(start, task)
        parsed = ParsedItem(
            title=task.title,
            project=project,
            start=_at(first, 9),
            due=_at(last, 17),
            priority=Priority(task.priority) if task.priority else None,
            tags=list(task.tags),
            assignees=list(task.who),
            duration_days=float(task.days),
            milestone=task.days == 0,
        )
        parsed.given = _given(parsed)
        created = _at(start - timedelta(days=3), 9)
        item = self.walk(parsed, task.status, created, _at(first, 9), _at(last, 17))
        item = self.follow_up(item, percent=task.percent, comment=task.comment)
        return self.plan_fields(item, task, first)

    def plan_fields(self, item: Item, task: Task, first: date) -> Item:
        """The task's plan-file key, and its first day as a start-no-earlier constraint
        when it waits for someone rather than for a predecessor."""
        changes: dict[str, object] = {"key": task.key}
        if task.not_before:
            changes["start_no_earlier"] = first
        with self.clock(self.story_now):
            return self.store.update_item(item.id, changes)


def _given(parsed: ParsedItem) -> set[str]:
    """The fields of ``parsed`` that carry a value (what a user would have typed)."""
    names = (
        "title", "project", "due", "start", "priority", "recurrence", "estimate_minutes",
        "duration_days",
    )  # fmt: skip
    given = {name for name in names if getattr(parsed, name) is not None}
    lists = {"tags": parsed.tags, "assignees": parsed.assignees}
    given |= {name for name, values in lists.items() if values}
    if parsed.milestone:
        given.add("milestone")
    return given


def _workday(start: date, offset: int) -> date:
    """The working day (Mon–Fri) ``offset`` working days after ``start`` (a Monday)."""
    day, left = start, offset
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def project_start(project: DemoProject, today: date) -> date:
    """The Monday ``weeks_ago`` weeks before the current week's Monday."""
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(weeks=project.weeks_ago)


def _span(start: date, task: Task) -> tuple[date, date]:
    """The first and last working day of a task (a milestone's are the same day)."""
    first = _workday(start, task.offset)
    return first, _workday(start, task.offset + max(task.days - 1, 0))


def task_dates(project: DemoProject, key: str, today: date) -> tuple[date, date]:
    """The first and last working day of the task ``key`` when built on ``today``."""
    task = next(t for t in project.tasks if t.key == key)
    return _span(project_start(project, today), task)


def parse_link(spec: str) -> tuple[str, LinkType, float]:
    """``"design SS+4"`` → ``("design", SS, 4.0)``; a bare key is finish-to-start, lag 0."""
    key, _, link = spec.partition(" ")
    if not link:
        return key, LinkType.FS, 0.0
    kind, lag = link[:2], link[2:]
    return key, LinkType(kind), float(lag) if lag else 0.0


def _link_tasks(store: Store, project: DemoProject, tasks: dict[str, Item]) -> int:
    """The dependencies of the project's tasks; returns how many were added."""
    count = 0
    for task in project.tasks:
        for spec in task.after:
            key, kind, lag = parse_link(spec)
            store.add_dependency(tasks[key].id, tasks[task.key].id, kind, lag)
            count += 1
    return count
