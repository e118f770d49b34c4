"""The full-screen app (Textual). Nothing outside this package imports Textual.

Textual draws at most ``TEXTUAL_FPS`` frames a second (default 60): a change that needs a
second frame (a scroll bar settling after a panel opens, a worker's result) waits up to
16.7 ms for it. taskdesk asks for 240 unless the user set the variable, which brought the
item panel's ``enter`` from 41 ms to 20 ms (median, 50,000 items; docs/performance.md).
Frames are still only drawn when something changed, so an idle app writes nothing.
It must be set before Textual is imported, hence here, at the top of the UI package.
"""

from __future__ import annotations

import os

#: Frames per second Textual may draw (its ``TEXTUAL_FPS``), unless the user set it.
FRAMES_PER_SECOND = 240

os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))
