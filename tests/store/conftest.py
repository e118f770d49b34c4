"""The ``store`` fixture: every store test runs on SQLite and, when available, PostgreSQL.

SQLite uses a temporary *file* (never ``:memory:``: each thread would see its own empty
database). PostgreSQL runs when ``TASKDESK_TEST_PG_URL`` names a throwaway database;
each test gets a fresh schema (``search_path`` set through the URL), dropped afterwards.
On CI (``CI=true``) a missing URL fails the PostgreSQL cases instead of skipping them,
so a broken CI setup cannot silently test SQLite only.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest

from taskdesk.store import Store, open_store

PG_ENV = "TASKDESK_TEST_PG_URL"
START = datetime(2026, 11, 25, 10, 30)


class Clock:
    """A settable "now" for the store (``store.clock``)."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        """Move time forward (``advance(hours=2)``) and return the new now."""
        self.now += timedelta(**kwargs)
        return self.now


def _pg_url_with_schema(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database target for one test, per backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "data" / "taskdesk.db")
        return
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{PG_ENV} is not set on CI: the PostgreSQL store tests must run there.")
        pytest.skip(f"{PG_ENV} is not set (a throwaway PostgreSQL database URL)")
    import psycopg

    schema = f"td_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield _pg_url_with_schema(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def clock() -> Clock:
    """The frozen, settable clock every store of the test shares."""
    return Clock()


@pytest.fixture
def open_as(target: str, clock: Clock) -> Iterator[Callable[..., Store]]:
    """Open more stores on the same target (another actor, another "process")."""
    opened: list[Store] = []

    def make(actor: str = "alice", **kwargs: object) -> Store:
        store = open_store(target, actor=actor, clock=clock, **kwargs)  # type: ignore[arg-type]
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(open_as: Callable[..., Store]) -> Store:
    """A fresh store acting as ``alice`` with the frozen clock."""
    return open_as("alice")


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    """A path for SQLite-only tests (permissions, corrupt files, backups)."""
    return tmp_path / "data" / "taskdesk.db"
