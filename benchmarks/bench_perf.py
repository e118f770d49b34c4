"""taskdesk side by side with the floor: a bare Textual app showing one widget.

    make perf                                     # 1,000 / 10,000 / 50,000 items
    make perf PERF_ARGS="--sizes 1000 --quick"    # a quick look (fewer presses)
    .venv/bin/python benchmarks/bench_perf.py --help

Every app figure is measured on a whole process in a real pseudo-terminal of 120×40
(benchmarks/perf_pty.py): startup is process start → the last byte of the first screen
before the output goes quiet; a key press is the key's bytes written → the last byte of
the repaint; bytes are what the program wrote to the terminal (what an SSH user pays);
memory is the peak resident set (VmHWM). The floor (benchmarks/floor_app.py) is measured
the same way, and each figure is also given as a ratio to the floor's.

Datasets are built through the store's bulk path and cached (benchmarks/perf_data.py).
The run prints the table and writes docs/performance.md and benchmarks/results/perf.json.
Numbers are measured, never asserted: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import perf_data  # noqa: E402
from perf_pty import Burst, PtyProcess, terminal_env  # noqa: E402

PYTHON = sys.executable
DOC = ROOT / "docs" / "performance.md"
JSON_OUT = HERE / "results" / "perf.json"
#: No byte for this long = the screen has settled (not included in any time).
KEY_QUIET = 0.3
START_QUIET = 0.6
#: Keys that open a screen whose data a worker loads wait longer before calling it settled.
SLOW_QUIET = 1.0
MB = 1024
#: Text that is on screen only once the data arrived (column headers; the Gantt title).
BOARD_READY = "Backlog"
GANTT_READY = "Gantt: "


@dataclass
class Row:
    """One line of the results table."""

    group: str
    what: str
    size: str
    value: float | None
    unit: str
    shown: str
    ratio: str = ""
    target: str = ""
    met: str = ""


class Results:
    """The rows, in the order they were measured."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(
            f"  {row.group:10} {row.what:48} {row.size:>7} {row.shown:>16} {row.ratio:>8} "
            f"{row.target:>14} {row.met}",
            flush=True,
        )


def pct(values: Sequence[float], q: float) -> float:
    """The q-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def met(ok: bool | None) -> str:
    """The table's "met?" cell."""
    return "–" if ok is None else ("yes" if ok else "**no**")


def ms(seconds: float) -> str:
    """Seconds as milliseconds, for the table."""
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def kb(nbytes: float) -> str:
    """Bytes as KB."""
    return f"{nbytes / 1024:.1f} KB"


# ------------------------------------------------------------------ the floor


@dataclass
class Floor:
    """The bare Textual app's figures."""

    startup: float
    first_bytes: int
    key_median: float
    key_p95: float
    key_bytes: float
    memory_kb: int
    idle_bytes: int


def env_for(config_dir: Path) -> dict[str, str]:
    """A plain terminal; taskdesk with an empty config (defaults) in ``config_dir`` and an
    empty cache directory of its own (the Gantt's kept views start cold in every run)."""
    return terminal_env(
        {
            "TASKDESK_CONFIG": str(config_dir / "config.toml"),
            "XDG_CACHE_HOME": str(config_dir / "cache"),
        }
    )


def startup(
    argv: list[str], env: dict[str, str], until: str | None = None
) -> tuple[PtyProcess, Burst]:
    """Spawn ``argv`` in a pty and wait for its first screen (showing ``until``) to settle."""
    proc = PtyProcess(argv, env=env)
    began = proc.start()
    return proc, proc.settle(began, 0, quiet=START_QUIET, until=until)


def measure_floor(env: dict[str, str], runs: int, presses: int, idle: float) -> Floor:
    """Startup (median of ``runs``), first-frame bytes, a key, memory, idle output."""
    argv = [PYTHON, str(HERE / "floor_app.py")]
    starts: list[Burst] = []
    for _ in range(runs - 1):
        proc, burst = startup(argv, env)
        starts.append(burst)
        proc.stop()
    proc, burst = startup(argv, env)
    starts.append(burst)
    keys = [proc.press("j", quiet=KEY_QUIET) for _ in range(presses)]
    idle_bytes = proc.idle_bytes(idle)
    memory = proc.peak_memory_kb() or 0
    proc.stop()
    return Floor(
        startup=statistics.median(b.seconds for b in starts),
        first_bytes=int(statistics.median(b.nbytes for b in starts)),
        key_median=statistics.median(b.seconds for b in keys),
        key_p95=pct([b.seconds for b in keys], 95),
        key_bytes=statistics.median(b.nbytes for b in keys),
        memory_kb=memory,
        idle_bytes=idle_bytes,
    )


# ------------------------------------------------------------------ the app


def key_rows(
    results: Results,
    floor: Floor,
    group: str,
    what: str,
    size: str,
    bursts: list[Burst],
    limit_ms: float,
    *,
    navigation: bool = False,
) -> None:
    """Median and p95 of a key's bursts (and its bytes, for a navigation key)."""
    times = [b.seconds for b in bursts]
    median, p95 = statistics.median(times), pct(times, 95)
    results.add(
        Row(
            group,
            f"{what}: median",
            size,
            median,
            "s",
            ms(median),
            f"{median / floor.key_median:.1f}×",
        )
    )
    results.add(
        Row(
            group,
            f"{what}: p95",
            size,
            p95,
            "s",
            ms(p95),
            f"{p95 / floor.key_p95:.1f}×",
            f"≤ {limit_ms:.0f} ms",
            met(p95 * 1000 <= limit_ms),
        )
    )
    nbytes = statistics.median(b.nbytes for b in bursts)
    results.add(
        Row(
            group,
            f"{what}: bytes written (median)",
            size,
            nbytes,
            "B",
            kb(nbytes),
            f"{nbytes / floor.key_bytes:.0f}×",
            "< 4 KB" if navigation else "",
            met(nbytes < 4096) if navigation else "",
        )
    )


def presses(
    proc: PtyProcess,
    keys: Sequence[str],
    count: int,
    *,
    quiet: float = KEY_QUIET,
    until: dict[str, str] | None = None,
) -> list[Burst]:
    """Press ``keys`` in turn, ``count`` presses in all (``until``: key → text to await)."""
    wait = until or {}
    return [
        proc.press(keys[i % len(keys)], quiet=quiet, until=wait.get(keys[i % len(keys)]))
        for i in range(count)
    ]


def paired(proc: PtyProcess, key: str, back: str, count: int) -> list[Burst]:
    """Press ``key`` (measured) then ``back`` (to undo it; not measured) ``count`` times."""
    out = []
    for _ in range(count):
        out.append(proc.press(key, quiet=SLOW_QUIET))
        proc.press(back, quiet=KEY_QUIET)
    return out


def startup_rows(
    results: Results,
    floor: Floor,
    group: str,
    size: int,
    bursts: list[Burst],
    limit: float,
) -> None:
    """Startup time (median) and first-frame bytes as rows."""
    median = statistics.median(b.seconds for b in bursts)
    first = statistics.median(b.nbytes for b in bursts)
    label = f"{size:,}"
    results.add(
        Row(
            group,
            "startup → first screen settled (median)",
            label,
            median,
            "s",
            ms(median),
            f"{median / floor.startup:.2f}×",
            f"≤ {limit}× floor",
            met(median <= limit * floor.startup),
        )
    )
    results.add(
        Row(
            group,
            "first frame: bytes written",
            label,
            first,
            "B",
            kb(first),
            f"{first / floor.first_bytes:.1f}×",
            "< 30 KB",
            met(first < 30 * 1024),
        )
    )


def working_copy(dataset: perf_data.Dataset, tmp: Path) -> Path:
    """A copy of the cached store to change freely (key presses write to it)."""
    target = tmp / f"work-{dataset.size}.db"
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(dataset.path, target)
    # Owner-only, like a store taskdesk creates: a wider mode would add a warning toast
    # to the first frame (and toasts repaint the whole screen on every key).
    target.chmod(0o600)
    return target


def measure_board(
    results: Results,
    floor: Floor,
    dataset: perf_data.Dataset,
    env: dict[str, str],
    tmp: Path,
    *,
    runs: int,
    count: int,
    idle: float,
) -> None:
    """Startup on the Board, every key of the issue, idle output and peak memory."""
    db = working_copy(dataset, tmp)
    argv = [PYTHON, "-m", "taskdesk", "--db", str(db)]
    size = dataset.size
    starts: list[Burst] = []
    for _ in range(runs - 1):
        proc, burst = startup(argv, env, BOARD_READY)
        starts.append(burst)
        proc.stop()
    proc, burst = startup(argv, env, BOARD_READY)
    starts.append(burst)
    group = "Board"
    label = f"{size:,}"
    try:
        startup_rows(results, floor, group, size, starts, 1.5 if size >= 50_000 else 1.3)
        key_rows(
            results, floor, group, "j (move selection)", label,
            presses(proc, ["j"], count), 50, navigation=True,
        )  # fmt: skip
        key_rows(
            results, floor, group, "L / H (move card to next column)", label,
            presses(proc, ["L", "H"], count), 50,
        )  # fmt: skip
        key_rows(
            results, floor, group, "enter (open item panel)", label,
            paired(proc, "enter", "escape", count), 50,
        )  # fmt: skip
        proc.press("a", quiet=KEY_QUIET)
        typed = presses(proc, list("taskdeskquickadd"), count)
        for _ in range(count):
            proc.press("\x7f", quiet=0.05)  # backspace: leave the box empty
        proc.press("escape", quiet=KEY_QUIET)
        key_rows(results, floor, "Quick-add", "type a character", label, typed, 50)
        key_rows(
            results, floor, group, "m (switch mode, both ways)", label,
            presses(proc, ["m"], 2 * (count // 2), quiet=SLOW_QUIET), 50,
        )  # fmt: skip
        proc.press("m", quiet=SLOW_QUIET)  # Project mode: the portfolio
        key_rows(
            results, floor, "Project", "2 / 1 (switch screen Gantt ↔ portfolio)", label,
            presses(
                proc, ["2", "1"], 2 * (count // 2), quiet=SLOW_QUIET, until={"2": GANTT_READY}
            ), 100,
        )  # fmt: skip
        if not proc.contains("Gantt: "):
            print("  warning: the Gantt title never showed after pressing 2", file=sys.stderr)
        proc.press("m", quiet=SLOW_QUIET)  # back to the Board
        measure_calendar(results, floor, proc, label, count)
        idle_bytes = proc.idle_bytes(idle)
        results.add(
            Row(
                group, f"bytes written while idle ({idle:.0f} s)", label, idle_bytes, "B",
                f"{idle_bytes} B", "", "0", met(idle_bytes == 0),
            )
        )  # fmt: skip
        memory_rows(results, floor, group, label, proc.peak_memory_kb())
    finally:
        proc.stop()


def measure_calendar(
    results: Results, floor: Floor, proc: PtyProcess, label: str, count: int
) -> None:
    """The Calendar (Work mode, screen 3): open it, move the day cursor, change the period."""
    group = "Calendar"
    key_rows(
        results, floor, group, "3 / 1 (open the Calendar, back to the Board)", label,
        presses(proc, ["3", "1"], 2 * (count // 2), quiet=SLOW_QUIET, until={"3": "Calendar:"}),
        100,
    )  # fmt: skip
    proc.press("3", quiet=SLOW_QUIET, until="Calendar:")
    key_rows(
        results, floor, group, "l / h (move the day cursor)", label,
        presses(proc, ["l", "h"], count), 100, navigation=True,
    )  # fmt: skip
    key_rows(
        results, floor, group, "] / [ (next / previous month)", label,
        presses(proc, ["]", "["], count, quiet=SLOW_QUIET), 100,
    )  # fmt: skip
    key_rows(
        results, floor, group, "v (cycle month / week / agenda)", label,
        presses(proc, ["v"], 3 * max(1, count // 3), quiet=SLOW_QUIET), 100,
    )  # fmt: skip
    proc.press("1", quiet=SLOW_QUIET)


def memory_rows(
    results: Results, floor: Floor, group: str, label: str, memory_kb: int | None
) -> None:
    """Peak memory against floor + 150 MB."""
    if memory_kb is None:
        return
    extra = (memory_kb - floor.memory_kb) / MB
    results.add(
        Row(
            group,
            "peak memory (VmHWM)",
            label,
            memory_kb * 1024,
            "B",
            f"{memory_kb / MB:.0f} MB",
            f"+{extra:.0f} MB",
            "≤ floor + 150 MB",
            met(extra <= 150),
        )
    )


def measure_gantt(
    results: Results,
    floor: Floor,
    dataset: perf_data.Dataset,
    env: dict[str, str],
    tmp: Path,
    *,
    runs: int,
    count: int,
) -> None:
    """The Gantt of the dataset's big project: startup, scrolling, memory."""
    db = working_copy(dataset, tmp)
    argv = [PYTHON, str(HERE / "perf_launch.py"), "--db", str(db), "--project", dataset.project]
    starts: list[Burst] = []
    for _ in range(runs - 1):
        proc, burst = startup(argv, env, GANTT_READY)
        shown = proc.contains(GANTT_READY)
        starts.append(burst)
        proc.stop()
        if not shown:  # each run would wait out the whole timeout: say so and stop
            print("  warning: perf_launch.py never showed the Gantt; skipped", file=sys.stderr)
            return
    proc, burst = startup(argv, env, GANTT_READY)
    starts.append(burst)
    group = f"Gantt ({dataset.project_tasks:,} tasks)" if dataset.project_tasks else "Gantt"
    label = f"{dataset.size:,}"
    try:
        if not proc.contains("Gantt: "):
            print("  warning: no Gantt title in the first frame", file=sys.stderr)
        startup_rows(results, floor, group, dataset.size, starts, 1.5)
        cold = starts[0]  # the first start of the run: no kept view, the plan is computed
        results.add(
            Row(
                group,
                "startup, first open (no kept view: read + schedule)",
                label,
                cold.seconds,
                "s",
                ms(cold.seconds),
                f"{cold.seconds / floor.startup:.2f}×",
                "",
                "",
            )
        )
        key_rows(
            results, floor, group, "j (next task)", label,
            presses(proc, ["j"], count), 100, navigation=True,
        )  # fmt: skip
        key_rows(
            results, floor, group, "l (scroll the time axis)", label,
            presses(proc, ["l"], count), 100, navigation=True,
        )  # fmt: skip
        memory_rows(results, floor, group, label, proc.peak_memory_kb())
    finally:
        proc.stop()


# ------------------------------------------------------------------ command line


def run_cli(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Seconds, exit code and stderr of one whole ``python -m taskdesk`` process."""
    began = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "-m", "taskdesk", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    return time.perf_counter() - began, done.returncode, done.stderr.decode(errors="replace")


IMPORT_CHECK = """
import sys
from taskdesk.cli import main
sys.stdout = open("/dev/null", "w")
rc = main(sys.argv[1:])
sys.__stderr__.write(",".join(m for m in ("textual", "rich") if m in sys.modules))
"""


def heavy_imports(args: list[str], env: dict[str, str]) -> str:
    """Which of Textual/rich a command imported (empty: neither)."""
    done = subprocess.run(
        [PYTHON, "-c", IMPORT_CHECK, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    lines = done.stderr.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else ""


def measure_cli(
    results: Results,
    floor: Floor,
    dataset: perf_data.Dataset,
    env: dict[str, str],
    tmp: Path,
    runs: int,
) -> None:
    """Whole-process times of the commands that must start fast, and their imports."""
    db = working_copy(dataset, tmp)
    label = f"{dataset.size:,}"
    commands: list[tuple[str, list[str], float | None]] = [
        ("taskdesk --help", ["--help"], None),
        ("taskdesk add …", ["--db", str(db), "add", "bench item", "+perf", "due:fri"], None),
        ("taskdesk list", ["--db", str(db), "list"], None),
        ("taskdesk list --json", ["--db", str(db), "list", "--json"], 1.0),
    ]
    for name, args, limit in commands:
        times = []
        for _ in range(runs):
            seconds, code, err = run_cli(args, env)
            if code != 0:
                print(f"  warning: {name} exited {code}: {err.strip()[:200]}", file=sys.stderr)
            times.append(seconds)
        median = statistics.median(times)
        loaded = heavy_imports(args, env) or "neither"
        results.add(
            Row(
                "CLI",
                f"{name} (whole process; loads Textual/rich: {loaded})",
                label,
                median,
                "s",
                ms(median),
                f"{median / floor.startup:.2f}×",
                f"≤ {limit:.0f} s" if limit else "no Textual",
                met(median <= limit) if limit else met("textual" not in loaded),
            )
        )


def measure_import(results: Results, env: dict[str, str], tmp: Path, count: int) -> None:
    """``taskdesk import FILE --format taskwarrior`` of ``count`` tasks into a new store."""
    source = perf_data.taskwarrior_file(count)
    db = tmp / "import.db"
    seconds, code, err = run_cli(
        ["--db", str(db), "import", str(source), "--format", "taskwarrior"], env
    )
    label = f"{count:,}"
    what = "import of Taskwarrior tasks (whole process)"
    if code != 0:
        reason = err.strip().splitlines()[-1] if err.strip() else f"exit {code}"
        results.add(Row("Import", what, label, None, "s", "not available", "", "", "–"))
        print(f"  (import: {reason[:160]})", file=sys.stderr)
        return
    results.add(Row("Import", what, label, seconds, "s", f"{seconds:.2f} s"))


def measure_engine(results: Results, runs: int) -> None:
    """CPM and leveling on the 10,000-task / 20,000-link plan of bench_scheduler."""
    import bench_scheduler

    about, times = bench_scheduler.measure(perf_data.BIG_TASKS, perf_data.BIG_LINKS, runs)
    print(f"  engine plan: {about}")
    label = f"{perf_data.BIG_TASKS:,}"
    cpm = times["schedule()"] / 1000
    results.add(
        Row(
            "Engine",
            "CPM schedule, 10,000 tasks / 20,000 links",
            label,
            cpm,
            "s",
            ms(cpm),
            "",
            "≤ 200 ms",
            met(cpm <= 0.2),
        )
    )
    lev = times["level() (50 people, 8 h/day)"] / 1000
    results.add(Row("Engine", "resource leveling (50 people)", label, lev, "s", ms(lev)))


# ------------------------------------------------------------------ reporting


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    import textual

    cpu = platform.machine()
    ram = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "textual": getattr(textual, "__version__", "?"),
        "sqlite": sqlite3.sqlite_version,
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    }


def markdown(results: Results, floor: Floor, info: dict[str, str], notes: list[str]) -> str:
    """docs/performance.md."""
    lines = [
        "# Performance",
        "",
        "Generated by `make perf` (`benchmarks/bench_perf.py`) on "
        f"{info['date']}: do not edit by hand.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM; {info['os']}; "
        f"Python {info['python']}, Textual {info['textual']}, SQLite {info['sqlite']}.",
        "",
        "Every app figure is a whole process in a real pty of 120×40 (TERM=xterm-256color): "
        "startup is process start → the last byte of the first screen before the output "
        f"goes quiet ({START_QUIET * 1000:.0f} ms without a byte, not counted); a key press "
        f"is the key written → the last byte of the repaint ({KEY_QUIET * 1000:.0f} ms quiet, "
        "not counted); bytes are what the program wrote to the terminal; memory is the peak "
        "resident set (VmHWM). The ratio compares with the same figure of the **floor**, "
        "a bare Textual app showing one Static (benchmarks/floor_app.py), measured the same "
        "way in the same run.",
        "",
        "## The floor",
        "",
        "| figure | floor |",
        "|---|---:|",
        f"| startup → first frame settled | {ms(floor.startup)} |",
        f"| first frame: bytes written | {kb(floor.first_bytes)} |",
        f"| key press (one line changes): median / p95 | {ms(floor.key_median)} / "
        f"{ms(floor.key_p95)} |",
        f"| key press: bytes written | {floor.key_bytes:.0f} B |",
        f"| peak memory (VmHWM) | {floor.memory_kb / MB:.0f} MB |",
        f"| bytes written while idle | {floor.idle_bytes} B |",
        "",
        "## taskdesk",
        "",
        "| area | figure | items | value | vs floor | target | met? |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for row in results.rows:
        lines.append(
            f"| {row.group} | {row.what} | {row.size} | {row.shown} | {row.ratio} | "
            f"{row.target} | {row.met} |"
        )
    lines += ["", "## Notes", "", *(f"- {note}" for note in notes), ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="store sizes, comma-separated")
    parser.add_argument("--quick", action="store_true", help="fewer runs and presses")
    parser.add_argument("--presses", type=int, help="presses per key (default 25, quick 8)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--only", default="", help="comma list of parts: floor,board,gantt,cli,engine,import"
    )
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    count = args.presses or (8 if args.quick else 25)
    runs = 2 if args.quick else 5
    idle = 1.5 if args.quick else 3.0
    parts = set(args.only.split(",")) if args.only else set()

    def wanted(part: str) -> bool:
        return not parts or part in parts

    info = machine()
    results = Results()
    notes: list[str] = []
    # taskdesk runs from bytecode, like an installed program (the floor's Textual does).
    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "taskdesk"), quiet=1)
    with tempfile.TemporaryDirectory(prefix="taskdesk-perf-") as tmp_name:
        tmp = Path(tmp_name)
        env = env_for(tmp)
        print(f"floor: {runs} startups, {count} key presses", flush=True)
        floor = measure_floor(env, runs, count, idle)
        print(f"  {floor}", flush=True)
        datasets = []
        for size in sizes:
            began = time.perf_counter()
            data = perf_data.build(size)
            datasets.append(data)
            took = time.perf_counter() - began
            print(
                f"dataset {size:,}: {data.path.name} ({took:.1f} s; built in "
                f"{data.build_seconds} s by {data.writer})",
                flush=True,
            )
            notes.append(
                f"{size:,}-item store written by {data.writer} "
                f"(build {data.build_seconds} s); biggest project: {data.project}"
                + (f" ({data.project_tasks:,} tasks)" if data.project_tasks else "")
            )
        steps: list[tuple[str, Callable[[], None]]] = []
        for data in datasets:
            steps.append(
                (
                    "board",
                    lambda d=data: measure_board(
                        results, floor, d, env, tmp, runs=runs, count=count, idle=idle
                    ),
                )
            )
        gantt_data = max(datasets, key=lambda d: (d.project_tasks, d.size))
        steps.append(
            (
                "gantt",
                lambda: measure_gantt(results, floor, gantt_data, env, tmp, runs=runs, count=count),
            )
        )
        steps.append(("cli", lambda: measure_cli(results, floor, datasets[-1], env, tmp, runs)))
        steps.append(("engine", lambda: measure_engine(results, 3 if args.quick else 5)))
        steps.append(("import", lambda: measure_import(results, env, tmp, max(sizes))))
        for part, step in steps:
            if wanted(part):
                print(f"{part} …", flush=True)
                step()
    text = markdown(results, floor, info, notes)
    if not args.no_write:
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(text, encoding="utf-8")
        JSON_OUT.parent.mkdir(parents=True, exist_ok=True)
        JSON_OUT.write_text(
            json.dumps(
                {
                    "machine": info,
                    "floor": asdict(floor),
                    "rows": [asdict(r) for r in results.rows],
                    "notes": notes,
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"\nwrote {DOC.relative_to(ROOT)} and {JSON_OUT.relative_to(ROOT)}")
    print()
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
