"""Fixtures and settings shared by every test.

Only generic things live here: hypothesis profiles, a fixed "now", and the isolation that
keeps every test away from the user's real configuration and data.  Layer-specific
fixtures (the ``store`` fixture, the PostgreSQL switch) live in that layer's own
``conftest.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# ``ci``: reproducible (derandomized, no example database) and never failing on the
# timing of a loaded 2-core machine.  ``dev``: fewer examples for a quick edit-test loop.
# Pick one by hand with HYPOTHESIS_PROFILE=ci|dev|thorough.
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=50, deadline=timedelta(milliseconds=500))
settings.register_profile("thorough", max_examples=2_000, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

#: The instant every test treats as "now": a Wednesday morning, mid-week and mid-month.
FROZEN_NOW = datetime(2026, 11, 25, 10, 30)


@pytest.fixture
def frozen_now() -> datetime:
    """A fixed, naive local "now" (Wednesday 2026-11-25 10:30) to pass as ``now=``."""
    return FROZEN_NOW


@pytest.fixture(autouse=True)
def isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """Point config, data and identity at throwaway places for every test.

    No test may read or write the user's real ``~/.config/taskdesk`` or database, and
    none may depend on who runs it: ``TASKDESK_USER`` is always ``tester``, and every
    other ``TASKDESK_*`` variable (``TASKDESK_DB`` among them) is unset, except the
    ``TASKDESK_TEST_*`` switches such as ``TASKDESK_TEST_PG_URL``.  The
    directories live outside the test's own ``tmp_path`` so that stays empty for it.
    """
    root = tmp_path_factory.mktemp("env")
    for name in list(os.environ):
        # A developer's own TASKDESK_* settings must not leak in; the test switches stay.
        if name.startswith("TASKDESK_") and not name.startswith("TASKDESK_TEST_"):
            monkeypatch.delenv(name)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = root / name.removeprefix("XDG_").removesuffix("_HOME").lower()
        path.mkdir()
        monkeypatch.setenv(name, str(path))
    monkeypatch.setenv("TASKDESK_CONFIG", str(root / "config" / "taskdesk" / "config.toml"))
    monkeypatch.setenv("TASKDESK_USER", "tester")
    yield root
