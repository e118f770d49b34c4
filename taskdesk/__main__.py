"""``python -m taskdesk``: the same as the ``taskdesk`` command."""

from __future__ import annotations

from taskdesk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
