"""Time ``taskdesk import`` of Taskwarrior exports of 1,000 / 10,000 / 50,000 tasks.

    .venv/bin/python benchmarks/bench_import.py                 # all sizes
    .venv/bin/python benchmarks/bench_import.py --sizes 1000 --out -

Each file is generated with a fixed seed (20261124) the way ``task export`` writes it:
one JSON object per line inside an array, 40 projects, 60 tags (0-3 per task), due
dates on two thirds of the tasks, priorities, 20 % completed and 2 % deleted tasks,
3 % recurring templates (each with one pending child instance), start times, wait
dates, annotations, and a ``depends`` on an earlier task for 10 % of them.

Every run is a whole process (``python -m taskdesk --db NEW.db import FILE``) in a
fresh temporary directory, so the time includes starting Python, creating the SQLite
store and parsing the file: what a user waits for. The second column re-imports the
same file into the filled store (every task matched, nothing written). Numbers are
measured, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

SEED = 20261124
ROOT = Path(__file__).resolve().parent.parent


def tw_date(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def generate(count: int, seed: int = SEED) -> str:
    """A Taskwarrior export of ``count`` tasks (children of templates included)."""
    rnd = random.Random(seed)
    base = dt.datetime(2026, 1, 1, 9, 0)
    projects = [f"Project {n}" for n in range(40)]
    tags = [f"tag{n}" for n in range(60)]
    tasks: list[dict[str, object]] = []
    uuids: list[str] = []
    while len(tasks) < count:
        n = len(tasks)
        uid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
        entry = base + dt.timedelta(minutes=rnd.randrange(0, 500_000))
        task: dict[str, object] = {
            "id": n + 1,
            "description": f"Task number {n} " + rnd.choice(["review", "write", "call", "fix"]),
            "entry": tw_date(entry),
            "modified": tw_date(entry),
            "status": "pending",
            "uuid": uid,
            "urgency": round(rnd.random() * 10, 3),
        }
        if rnd.random() < 0.8:
            task["project"] = rnd.choice(projects)
        picked = rnd.sample(tags, rnd.randrange(0, 4))
        if picked:
            task["tags"] = picked
        if rnd.random() < 0.66:
            task["due"] = tw_date(entry + dt.timedelta(days=rnd.randrange(1, 90)))
        if rnd.random() < 0.5:
            task["priority"] = rnd.choice("HML")
        roll = rnd.random()
        if roll < 0.2:
            task["status"] = "completed"
            task["end"] = tw_date(entry + dt.timedelta(days=rnd.randrange(0, 30)))
        elif roll < 0.22:
            task["status"] = "deleted"
            task["end"] = tw_date(entry + dt.timedelta(days=1))
        elif roll < 0.25 and len(tasks) + 2 <= count:
            task["status"] = "recurring"
            task["recur"] = rnd.choice(["daily", "weekly", "monthly", "2w", "weekdays"])
            task.setdefault("due", tw_date(entry + dt.timedelta(days=1)))
            tasks.append(task)
            uuids.append(uid)
            child = dict(task, status="pending", parent=uid, imask=1, id=n + 2)
            child["uuid"] = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
            del child["recur"]
            tasks.append(child)
            continue
        elif roll < 0.3:
            task["start"] = tw_date(entry + dt.timedelta(hours=2))
        elif roll < 0.32:
            task["status"] = "waiting"
            task["wait"] = tw_date(entry + dt.timedelta(days=400))
        if rnd.random() < 0.1 and uuids:
            task["depends"] = [rnd.choice(uuids[-200:])]
        if rnd.random() < 0.1:
            task["annotations"] = [{"entry": tw_date(entry), "description": "a note"}]
        tasks.append(task)
        uuids.append(uid)
    lines = [json.dumps(t) for t in tasks[:count]]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def run_import(db: Path, path: Path) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TASKDESK_")}
    env.update(TASKDESK_USER="bench", TASKDESK_CONFIG=str(db.parent / "config.toml"))
    env["PYTHONPATH"] = str(ROOT)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "taskdesk", "--db", str(db), "import", path.name],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=path.parent,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "import.md"))
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "tasks.json"
            path.write_text(generate(size), encoding="utf-8")
            db = Path(tmp) / "taskdesk.db"
            first, said = run_import(db, path)
            again, said_again = run_import(db, path)
            rows.append((size, first, again, said, said_again))
            print(f"{size}: {first:.2f} s, again {again:.2f} s — {said}", file=sys.stderr)
    cpu = platform.processor() or platform.machine()
    lines = [
        "# Import benchmark",
        "",
        f"Generated by `benchmarks/bench_import.py` on {dt.date.today().isoformat()}.",
        f"Machine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}; SQLite.",
        f"Taskwarrior exports generated with seed {SEED} (see the script's docstring); each "
        "cell is one whole `taskdesk import` process in seconds (start-up, parsing, one "
        "transaction).",
        "",
        "| tasks in file | import into a new store (s) | import again, all unchanged (s) |",
        "|---:|---:|---:|",
    ]
    lines += [f"| {s:,} | {a:.2f} | {b:.2f} |" for s, a, b, _, _ in rows]
    lines += ["", "What the command printed:", ""]
    lines += [f"- {s:,}: `{said}` then `{again}`" for s, _, _, said, again in rows]
    text = "\n".join(lines) + "\n"
    if args.out == "-":
        print(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(text)


if __name__ == "__main__":
    main()
