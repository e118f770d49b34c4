"""Who is at the keyboard: the OS login name, which attributes every change.

``TASKDESK_USER`` overrides it, for tests and for scripted runs that act for someone.
"""

from __future__ import annotations

import getpass
import os


def current_user() -> str:
    """The login name of the person running taskdesk."""
    override = os.environ.get("TASKDESK_USER", "").strip()
    if override:
        return override
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid{os.getuid()}"
