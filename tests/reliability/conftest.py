"""The reliability suite: many processes on one store, crashes, stale saves, hostile
input. Each test records its figures and prints its own line; at the end of the session
they are written as JSON to ``$TASKDESK_RELIABILITY_OUT`` when that is set (``make
reliability-report`` writes ``benchmarks/results/reliability.json``), so an ordinary
test run never changes a tracked file."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

PG_ENV = "TASKDESK_TEST_PG_URL"
OUT_ENV = "TASKDESK_RELIABILITY_OUT"

_FIGURES: dict[str, dict[str, Any]] = {}

Record = Callable[[str, dict[str, Any]], None]


@pytest.fixture(scope="session", autouse=True)
def _write_figures() -> Iterator[None]:
    """After the session: the figures of every reliability test that ran, as JSON."""
    yield
    target = os.environ.get(OUT_ENV, "")
    if not _FIGURES or not target:
        return
    report = {
        "generated": datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "ci": os.environ.get("CI", "") == "true",
        },
        "tests": dict(sorted(_FIGURES.items())),
    }
    out = Path(target)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


@pytest.fixture
def record(capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest) -> Record:
    """``record(name, figures)``: keep them for the JSON file and print one line now."""

    def keep(name: str, figures: dict[str, Any]) -> None:
        _FIGURES[name] = figures
        shown = ", ".join(f"{k}={v}" for k, v in figures.items() if not isinstance(v, dict))
        with capsys.disabled():
            print(f"\n[reliability] {name}: {shown}")

    return keep


def pg_base_url() -> str:
    """The test server's URL; on CI its absence fails the test, elsewhere it skips."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{PG_ENV} is not set on CI: the PostgreSQL reliability tests must run.")
        pytest.skip(f"{PG_ENV} is not set (a throwaway PostgreSQL database URL)")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store target per backend (PostgreSQL: a schema of its own)."""
    if request.param == "sqlite":
        yield str(tmp_path / "store" / "taskdesk.db")
        return
    url = pg_base_url()
    import psycopg

    schema = f"td_rel_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
