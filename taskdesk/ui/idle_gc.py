"""Full garbage collections while the user is not pressing keys.

Why: CPython's full (generation 2) collection walks every container object the process
holds. With a Board, a portfolio and a 10,000-task Gantt in memory that is 20-40 ms, and
it used to land in the middle of whichever key press happened to allocate past the
threshold: the occasional slow ``enter`` or ``m`` (issue 5, the p95 figures). Young
collections (generations 0 and 1) stay automatic: they only touch new objects and take
well under a millisecond.

So:

- start-up runs with the collector off (``taskdesk.cli._run_app``); :meth:`start` then
  freezes what start-up made (modules, stylesheet, the first screen: never garbage, and
  never scanned again) and turns collection on with the full one deferred;
- :meth:`tick` (from a one-second timer) runs the deferred full collection once the
  last key is :data:`IDLE_SECONDS` old;
- :data:`FORCED_AFTER` young collections without an idle moment still force one, as
  CPython's own threshold would: memory stays bounded for a user who never pauses.

No Textual here: the clock and the collector are plain functions, so the policy is
tested without an app.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

#: The last key must be this old (seconds) before a full collection runs.
IDLE_SECONDS = 1.0
#: Generation-1 collections since the last full one before an idle moment is used for one
#: (CPython's own default threshold for generation 2).
DUE_AFTER = 10
#: Generation-1 collections after which CPython itself runs a full collection, idle or
#: not (the safety valve: about 7 million net allocations with the default thresholds).
FORCED_AFTER = 1000


class IdleCollector:
    """Defers full garbage collections to the moments the user is not typing."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_input = clock()
        self.started = False
        #: Full collections run by :meth:`tick` (for the tests and the curious).
        self.collections = 0

    def start(self) -> None:
        """Freeze what exists now, then collect young objects as usual, old ones idle."""
        if self.started:
            return
        self.started = True
        young, middle, _old = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(young, middle, FORCED_AFTER)
        gc.enable()

    def touched(self) -> None:
        """A key or a click arrived: no full collection for the next second."""
        self._last_input = self._clock()

    def due(self) -> bool:
        """Is a full collection owed, and is the user idle?"""
        if not self.started or not gc.isenabled():
            return False
        idle = self._clock() - self._last_input >= IDLE_SECONDS
        return idle and gc.get_count()[2] >= DUE_AFTER

    def tick(self) -> bool:
        """Run the deferred full collection if it is due (True when it ran)."""
        if not self.due():
            return False
        gc.collect(2)
        self.collections += 1
        return True
