"""Where taskdesk keeps its files, by the platform's conventions (platformdirs).

Nothing here runs at import time: the directories are made (owner-only, 0o700) only
when a caller asks for a location it is about to write to, so importing the package on
a read-only system, or in a test, never touches the user's home.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "taskdesk"

#: Environment variable that points at a config file (tests use a temp one).
CONFIG_ENV = "TASKDESK_CONFIG"

_OWNER_ONLY = 0o700


def _ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) owner-only; the store and config can hold private data."""
    path.mkdir(mode=_OWNER_ONLY, parents=True, exist_ok=True)
    return path


def data_dir(*, create: bool = True) -> Path:
    """The user data directory (``~/.local/share/taskdesk`` on Linux); made on demand."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return _ensure_dir(path) if create else path


def config_dir(*, create: bool = True) -> Path:
    """The user config directory (``~/.config/taskdesk`` on Linux); made on demand."""
    path = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    return _ensure_dir(path) if create else path


def default_db_path() -> Path:
    """The store used when neither ``--db``, ``TASKDESK_DB`` nor ``db`` in config says one.

    The data directory is created here because the store is about to be opened there.
    """
    return data_dir() / "taskdesk.db"


def config_path() -> Path:
    """The config file to read: ``$TASKDESK_CONFIG`` if set, else ``config.toml`` in the
    config dir.

    The directory is *not* created: a missing config file simply means defaults, and
    reading must not leave traces behind.
    """
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return config_dir(create=False) / "config.toml"
