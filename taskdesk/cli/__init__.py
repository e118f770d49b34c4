"""The command line: ``taskdesk [--db TARGET] [COMMAND …]``.

``main`` parses the arguments, loads the settings, and either runs a command against
the store or opens the full-screen app (imported only then, so commands start fast and
never load Textual). It is also the one place that maps errors to exit codes:

- 0: success;
- 2: bad input — a usage error, an invalid config, a quick-add or filter token it
  cannot read, an unknown id, a value the store refuses, a store target that cannot be
  opened (a corrupt file, a missing directory, a bad URL);
- 1: anything else — the store stayed locked, a concurrent edit, an internal error.

Every error is one line on stderr starting with ``taskdesk:``; ``TASKDESK_DEBUG=1``
re-raises instead, for the full traceback.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from taskdesk.cli.parser import PROG, build_parser, protect_free_text

# The command bodies (taskdesk.cli.commands: rendering, recurrence, dates …) are imported
# once a command is known to run: ``--help`` and the full-screen app never need them.

if TYPE_CHECKING:
    from collections.abc import Callable

    from taskdesk.config import AppSettings
    from taskdesk.ui.app import TaskDeskApp

__all__ = ["main"]

#: Environment variable that makes unexpected errors show their traceback.
DEBUG_ENV = "TASKDESK_DEBUG"


def main(argv: Sequence[str] | None = None) -> int:
    """Run taskdesk with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(args_list, whole_process=argv is None)
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except BrokenPipeError:
        # `taskdesk list | head`: the reader left; that is not an error worth a message.
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        _error("interrupted")
        return 1
    except Exception as exc:
        if os.environ.get(DEBUG_ENV, "") not in ("", "0"):
            raise
        code, message = classify(exc)
        _error(message)
        return code


def _run(argv: list[str], *, whole_process: bool = False) -> int:
    """Parse, load settings, then run one command or the app."""
    from taskdesk.config import load_settings
    from taskdesk.identity import current_user

    parser = build_parser()
    args = parser.parse_args(protect_free_text(argv))
    if args.allow_network_fs:  # every store this process opens, the app's threads too
        from taskdesk.store.db import ALLOW_NETWORK_FS_ENV

        os.environ[ALLOW_NETWORK_FS_ENV] = "1"
    settings = load_settings()
    target = args.db or settings.db
    # (migrate --to postgresql://… names PostgreSQL in argv only)
    skip_drivers = whole_process and not any("postgres" in arg.lower() for arg in argv)
    if args.command is None:
        return _run_app(target, settings, whole_process=whole_process, skip_drivers=skip_drivers)
    if skip_drivers:
        _skip_postgres_driver(target)
    from taskdesk.cli.commands import COMMANDS, STORELESS, Context

    if target is None and args.command not in STORELESS:
        from taskdesk.paths import default_db_path

        target = str(default_db_path())
    ctx = Context(
        settings=settings,
        target=target or "",
        actor=current_user(),
        now=datetime.now().replace(microsecond=0),
    )
    try:
        return COMMANDS[args.command](ctx, args)
    finally:
        ctx.close()


def _skip_postgres_driver(target: str | None) -> None:
    """Let peewee skip importing the PostgreSQL drivers when this process uses SQLite.

    peewee imports psycopg at import time if it is installed, which costs about 0.3 s
    on every start (measured in docs/performance.md). Only a whole ``taskdesk`` process
    does this (``main()`` called without arguments) whose store and arguments name no
    PostgreSQL database, so nothing later in the process can need the driver; a program
    that calls ``main([...])`` keeps peewee's usual behaviour.
    """
    if "peewee" in sys.modules:
        return
    if target is not None and target.split(":", 1)[0].lower().startswith("postgres"):
        return
    drivers = ("psycopg", "psycopg2", "psycopg2cffi")
    missing = [name for name in drivers if name not in sys.modules]
    for name in missing:
        sys.modules[name] = None  # type: ignore[assignment]  # "not installed" to peewee
    try:
        import peewee  # noqa: F401
    finally:
        for name in missing:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


def _run_app(
    target: str | None,
    settings: AppSettings,
    *,
    whole_process: bool = False,
    skip_drivers: bool = False,
) -> int:
    """Check the store and begin the Board's first read, then import Textual and run.

    The order is for the time to the first frame (issue 5). A whole ``taskdesk`` process
    on an SQLite store hands the store to a child process (``taskdesk.ui.launch``): it
    opens the store and makes the Board's first read on the other core while this one
    imports Textual, and this process opens its own store after the first frame.
    Otherwise (PostgreSQL, no ``fork``, or ``main([...])`` called by a program) the
    store is opened here and the read runs in a thread. Either way a store that cannot
    be opened is reported before the terminal is taken over, and Textual is imported
    only here, so commands never load it.

    A whole process also starts with no cyclic garbage collection: start-up makes
    hundreds of thousands of long-lived objects (modules, classes, widgets, the
    stylesheet), and the collector scanned them again and again, about 35 ms of the
    first frame. The app then freezes what start-up made and turns the collector back
    on (``TaskDeskApp.resume_gc``), with full collections deferred to idle moments.
    """
    if whole_process:
        gc.disable()
    from taskdesk.identity import current_user
    from taskdesk.paths import default_db_path

    where = target or str(default_db_path())  # (--db or config)
    actor = current_user()

    def prepare() -> None:
        if skip_drivers:
            _skip_postgres_driver(where)

    app = _app_with_child(where, actor, settings, prepare) if whole_process else None
    if app is None:
        prepare()
        app = _app_in_process(where, actor, settings, gc_paused=whole_process)
    try:
        app.run()
    finally:
        gc.enable()  # (already on, unless the app stopped before it resumed the collector)
    return app.return_code or 0


def _app_with_child(
    target: str, actor: str, settings: AppSettings, prepare: Callable[[], None]
) -> TaskDeskApp | None:
    """The app, its store checked and its first read made by a child process (None: the
    store is not SQLite, the system cannot fork, or the child ended without a word)."""
    from taskdesk.ui.launch import ChildGone, ChildStart, StoreOpening, forkable

    if not forkable(target):
        return None
    start = ChildStart.begin(target, actor, settings.board_done_days, prepare)
    from taskdesk.ui.app import TaskDeskApp

    try:
        place = start.place()  # the child's word on the store: its place, or its error
    except ChildGone:
        return None
    return TaskDeskApp(
        settings=settings,
        opening=StoreOpening(target, actor, prepare),
        place=place,
        first_read=start.first,
        gc_paused=True,
    )


def _app_in_process(
    target: str, actor: str, settings: AppSettings, *, gc_paused: bool
) -> TaskDeskApp:
    """The app on a store opened here, its first read begun in a thread."""
    from taskdesk.store import open_store
    from taskdesk.ui.board_read import FirstRead

    store = open_store(target, actor=actor)
    try:
        first = FirstRead.begin(store, settings.board_done_days)
        from taskdesk.ui.app import TaskDeskApp

        return TaskDeskApp(settings=settings, store=store, first_read=first, gc_paused=gc_paused)
    except BaseException:
        store.close()
        raise


def classify(exc: BaseException) -> tuple[int, str]:
    """The exit code and the one-line message for an error that reached the top."""
    from taskdesk.cli.commands import CliError
    from taskdesk.config import ConfigError
    from taskdesk.store.errors import (
        NotFound,
        StoreError,
        StoreUnavailable,
        ValidationError,
    )

    message = _one_line(str(exc)) or type(exc).__name__
    if isinstance(exc, CliError):
        return exc.code, message
    if isinstance(exc, ConfigError | NotFound | ValidationError | StoreUnavailable):
        return 2, message
    if isinstance(exc, _input_errors()):
        return 2, message
    if isinstance(exc, StoreError):
        return 1, message
    return 1, f"internal error ({type(exc).__name__}): {message}; set {DEBUG_ENV}=1 for details"


def _input_errors() -> tuple[type[BaseException], ...]:
    """The domain's parse errors (bad tokens, dates, filters): all bad input."""
    from taskdesk.domain.dates import DateError
    from taskdesk.domain.filters import FilterError
    from taskdesk.domain.quickadd import QuickAddError

    return (QuickAddError, FilterError, DateError)


def _one_line(text: str) -> str:
    """Collapse a message to one safe line (it may quote user text)."""
    from taskdesk.domain.text import clean_line

    return clean_line(text)


def _error(message: str) -> None:
    """Write ``taskdesk: message`` to stderr."""
    print(f"{PROG}: {message}", file=sys.stderr)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush does not fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)
