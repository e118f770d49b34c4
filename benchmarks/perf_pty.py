"""Run a full-screen program in a real pseudo-terminal and time what it writes.

The program gets a pty of 120×40 (``TERM=xterm-256color``, no ``COLORTERM``) as its
stdin/stdout/stderr. A thread reads the master side and records the time and size of
every read. "Settled" means the output went quiet: no byte for ``quiet`` seconds. The
time reported is to the *last byte before the quiet*, never including the quiet window.
This is what a user of a terminal (or an SSH session) sees and pays: time and bytes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

COLS, ROWS = 120, 40

#: Bytes each named key sends on an xterm.
KEYS = {
    "enter": b"\r",
    "escape": b"\x1b",
    "tab": b"\t",
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
}


@dataclass(frozen=True, slots=True)
class Burst:
    """What one stimulus caused: seconds to the last byte, and how many bytes."""

    seconds: float
    nbytes: int


class PtyProcess:
    """One program in a pty, with its output timed."""

    def __init__(
        self, argv: Sequence[str], *, env: dict[str, str], cols: int = COLS, rows: int = ROWS
    ) -> None:
        self.argv = list(argv)
        self.env = env
        self.cols, self.rows = cols, rows
        self.events: list[tuple[float, int]] = []
        self.output = bytearray()
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None
        self.master = -1
        self.started = 0.0
        self.reader: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> float:
        """Spawn the program; returns the time it was spawned (perf_counter)."""
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        self.master = master
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            self.argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=self.env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self.started

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            now = time.perf_counter()
            with self.lock:
                self.events.append((now, len(data)))
                self.output += data

    def stop(self, quit_keys: bytes = b"q", timeout: float = 5.0) -> int | None:
        """Ask the program to quit with ``quit_keys``; kill it if it does not."""
        proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None:
            try:
                os.write(self.master, quit_keys)
                proc.wait(timeout)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if self.reader is not None:
            self.reader.join(1.0)
        with contextlib.suppress(OSError):
            os.close(self.master)
        return proc.returncode

    # ------------------------------------------------------------ measuring
    def mark(self) -> int:
        """The number of reads so far: a point to measure from."""
        with self.lock:
            return len(self.events)

    def settle(
        self,
        since: float,
        mark: int,
        *,
        quiet: float,
        until: str | None = None,
        timeout: float = 60.0,
    ) -> Burst:
        """Wait until no byte came for ``quiet`` s; time from ``since`` to the last byte.

        With ``until``, the output must also contain that text first (the screen's data
        has arrived): a worker slower than the quiet window is not missed.
        """
        deadline = since + timeout
        needle = until.encode() if until else b""
        with self.lock:
            offset = sum(n for _t, n in self.events[:mark])
        while True:
            time.sleep(min(0.01, quiet / 10))
            now = time.perf_counter()
            with self.lock:
                recent = self.events[mark:]
                last = recent[-1][0] if recent else since
                ready = not needle or self.output.find(needle, offset) >= 0
            if (ready and now - max(last, since) >= quiet) or now > deadline:
                break
            if self.proc is not None and self.proc.poll() is not None:
                break
        return Burst(seconds=max(0.0, last - since), nbytes=sum(n for _t, n in recent))

    def press(self, key: str, *, quiet: float, until: str | None = None) -> Burst:
        """Send one key (a name of KEYS, or the characters themselves) and wait to settle.

        ``until``: text the key's repaint must contain (data loaded by a worker).
        """
        data = KEYS.get(key, key.encode())
        mark = self.mark()
        sent = time.perf_counter()
        os.write(self.master, data)
        return self.settle(sent, mark, quiet=quiet, until=until)

    def idle_bytes(self, seconds: float) -> int:
        """Bytes written during ``seconds`` of no input."""
        mark = self.mark()
        time.sleep(seconds)
        with self.lock:
            return sum(n for _t, n in self.events[mark:])

    def peak_memory_kb(self) -> int | None:
        """VmHWM (peak resident set) of the program, from /proc."""
        if self.proc is None:
            return None
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None

    def text(self, tail: int = 4000) -> str:
        """The last output as text (to check which screen is showing)."""
        with self.lock:
            return bytes(self.output[-tail:]).decode("utf-8", "replace")

    def contains(self, needle: str) -> bool:
        """Whether the whole output so far contains ``needle``."""
        with self.lock:
            return needle.encode() in self.output


def terminal_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a plain xterm: no COLORTERM, no Textual overrides."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "COLORTERM", "NO_COLOR", "TASKDESK"))
    }
    env["TERM"] = "xterm-256color"
    # Both apps run from compiled bytecode, as an installed program does: a machine-wide
    # PYTHONDONTWRITEBYTECODE would make taskdesk recompile its sources on every start
    # while the floor's Textual comes precompiled from site-packages.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("COLUMNS", None)  # the pty's size is the truth
    env.pop("LINES", None)
    if extra:
        env.update(extra)
    return env
