"""Shared by the command-line tests: a clean environment for the real `taskdesk` child."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The child's environment: a test identity and a config of its own, nothing else."""
    child = {k: v for k, v in os.environ.items() if not k.startswith("TASKDESK_")}
    child.update(
        TASKDESK_USER="tester",
        TASKDESK_CONFIG=str(tmp_path / "config.toml"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    return child


def run_taskdesk(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m taskdesk ARGV`` with no stdin; never raises on a non-zero exit."""
    return subprocess.run(
        [sys.executable, "-m", "taskdesk", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
