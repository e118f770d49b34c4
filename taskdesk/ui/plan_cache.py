"""Computed project views kept between reads and between sessions.

Why: a 10,000-task project takes about a second to read and schedule (issue 5), yet the
result changes only when the store does. What the Gantt and the portfolio draw from it
is kept here under a key that names the store's state — its place, the user, its
``data_version`` and latest action, plus whatever else the computation read (the
project, today's date, the critical-float setting) — in memory for this process and as a
small JSON file in the user cache directory for the next one. A key that differs in any
part is a miss: the caller computes anew and stores the result. So what is shown from
here is exactly what computing it now would show.

Files are owner-only (0600 in a 0700 directory, like the store), written atomically,
one per (store, user, view): a newer state replaces the older one. An unreadable,
foreign or damaged file is a miss, never an error. Nothing here imports Textual.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import platformdirs

from taskdesk import __version__
from taskdesk.paths import APP_NAME

#: Bumped whenever what a cached view holds (or how it is computed) changes.
CACHE_FORMAT = 2
#: Views kept in memory per process.
MEMORY_KEPT = 8
#: A cache file larger than this is not read (a view of 10,000 tasks is about 1 MB).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Files kept in the directory: past this, the least recently written go (views of
#: projects or stores that are gone would otherwise stay forever).
FILES_KEPT = 200

_memory: OrderedDict[str, tuple[list[Any], Any]] = OrderedDict()
_lock = threading.Lock()


def cache_dir(*, create: bool = True) -> Path:
    """``views`` in the user cache directory (``~/.cache/taskdesk/views`` on Linux)."""
    path = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "views"
    if create:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def slot_name(kind: str, *parts: object) -> str:
    """The file name of one view (``gantt`` of a project in a store for a user): a hash,
    so no store path or login appears in the cache directory's listing."""
    digest = hashlib.sha256(json.dumps([kind, *parts], default=str).encode()).hexdigest()
    return f"{kind}-{digest[:24]}.json"


def full_key(key: list[Any]) -> list[Any]:
    """``key`` with the cache format and the program version in front."""
    return [CACHE_FORMAT, __version__, *key]


def load(slot: str, key: list[Any]) -> Any | None:
    """The payload stored in ``slot`` under exactly ``key`` (memory first), else None."""
    wanted = json.loads(json.dumps(full_key(key), default=str))  # as a file holds it
    with _lock:
        hit = _memory.get(slot)
        if hit is not None and hit[0] == wanted:
            _memory.move_to_end(slot)
            return hit[1]
    payload = _read_file(slot, wanted)
    if payload is not None:
        _remember(slot, wanted, payload)
    return payload


def save(slot: str, key: list[Any], payload: Any) -> None:
    """Keep ``payload`` under ``key`` in memory and on disk (best effort: a full disk or
    a read-only home only costs the next session the computation)."""
    wanted = json.loads(json.dumps(full_key(key), default=str))
    _remember(slot, wanted, payload)
    with contextlib.suppress(OSError, TypeError, ValueError):
        _write_file(slot, {"key": wanted, "payload": payload})


def forget() -> None:
    """Drop what this process keeps in memory (tests; files stay)."""
    with _lock:
        _memory.clear()


def _remember(slot: str, key: list[Any], payload: Any) -> None:
    with _lock:
        _memory[slot] = (key, payload)
        _memory.move_to_end(slot)
        while len(_memory) > MEMORY_KEPT:
            _memory.popitem(last=False)


def _read_file(slot: str, key: list[Any]) -> Any | None:
    path = cache_dir(create=False) / slot
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
                return None
            data = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return data.get("payload")


def _write_file(slot: str, data: dict[str, Any]) -> None:
    directory = cache_dir()
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, directory / slot)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _prune(directory)


def _prune(directory: Path) -> None:
    """Remove the least recently written files beyond :data:`FILES_KEPT`."""
    with os.scandir(directory) as entries:
        files = [entry for entry in entries if entry.is_file() and entry.name.endswith(".json")]
    if len(files) <= FILES_KEPT:
        return
    files.sort(key=lambda entry: entry.stat().st_mtime)
    for entry in files[: len(files) - FILES_KEPT]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
