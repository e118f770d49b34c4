"""``schedule``, ``import`` and ``export``: the contract's JSON, exit codes, round trips.

A few runs are real child processes (what a script or an outside test sees); the rest
call ``main`` in-process, which is the same code without the start-up cost.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from taskdesk.cli import main
from taskdesk.cli.render import cell_width
from taskdesk.interop.json_out import ITEM_KEYS
from taskdesk.store import open_store
from tests.cli.conftest import run_taskdesk

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mobile-app-launch.toml"

#: The example's task keys; a fresh store gives them ids 1… in file order.
KEYS = [
    "plan", "req", "ci", "build", "design", "api", "privacy", "copy", "sync", "push", "beta",
    "release", "test", "fix", "assets", "submit", "launch", "campaign",
]  # fmt: skip
ID = {key: n for n, key in enumerate(KEYS, start=1)}


def taskdesk(env: dict[str, str], db: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The real command on the test store."""
    return run_taskdesk(env, "--db", str(db), *argv)


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ----------------------------------------------------------------- child processes


def test_import_then_schedule_json_is_the_contract(env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    imported = taskdesk(env, db, "import", str(EXAMPLE))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.endswith(
        "into project 'Mobile app launch' (id 1): 18 tasks (18 new, 0 updated, 0 removed), "
        "2 risks.\n"
    )
    proc = taskdesk(env, db, "schedule", "Mobile app launch", "--json")
    assert proc.returncode == 0 and proc.stderr == ""
    data: dict[str, Any] = json.loads(proc.stdout)
    assert list(data) == ["project", "start", "finish", "critical_path", "tasks"]
    assert (data["project"], data["start"], data["finish"]) == (
        "Mobile app launch",
        "2026-01-05",
        "2026-03-05",
    )
    # Worked by hand on the calendar (Mon-Fri, holidays Jan 19 and Feb 16): req days 0-4,
    # design 5-12, sync 13-22, beta after sync (push ends a day earlier), test 23-32,
    # fix FF+2 on test so 29-34, submit 35-39, campaign SS+2 on submit: 37-41 = Mar 5.
    path = ["req", "design", "sync", "beta", "test", "fix", "submit", "campaign"]
    assert data["critical_path"] == [ID[key] for key in path]
    tasks = {task["key"]: task for task in data["tasks"]}
    assert [task["key"] for task in data["tasks"]] == KEYS  # WBS order
    for task in data["tasks"]:
        assert list(task) == [
            "id", "key", "title", "duration", "es", "ef", "ls", "lf",
            "total_float", "free_float", "critical",
        ]  # fmt: skip
    expected = {
        "req": (5, "2026-01-05", "2026-01-09", 0, 0, True),
        "design": (8, "2026-01-12", "2026-01-22", 0, 0, True),
        "api": (12, "2026-01-12", "2026-01-28", 1, 0, False),
        "privacy": (3, "2026-01-21", "2026-01-23", 21, 21, False),
        "sync": (10, "2026-01-23", "2026-02-05", 0, 0, True),
        "push": (5, "2026-01-29", "2026-02-04", 1, 1, False),
        "beta": (0, "2026-02-05", "2026-02-05", 0, 0, True),
        "test": (10, "2026-02-06", "2026-02-20", 0, 0, True),
        "fix": (6, "2026-02-17", "2026-02-24", 0, 0, True),
        "submit": (5, "2026-02-25", "2026-03-03", 0, 0, True),
        "launch": (0, "2026-03-03", "2026-03-03", 2, 2, False),
        "campaign": (5, "2026-02-27", "2026-03-05", 0, 0, True),
    }
    for key, (duration, es, ef, total, free, critical) in expected.items():
        task = tasks[key]
        assert (task["duration"], task["es"], task["ef"]) == (duration, es, ef), key
        assert (task["total_float"], task["free_float"], task["critical"]) == (
            total,
            free,
            critical,
        ), key
    assert (tasks["api"]["ls"], tasks["api"]["lf"]) == ("2026-01-13", "2026-01-29")
    assert (tasks["privacy"]["ls"], tasks["privacy"]["lf"]) == ("2026-02-20", "2026-02-24")
    assert tasks["build"]["es"] == "2026-01-12" and tasks["build"]["ef"] == "2026-02-05"
    assert tasks["req"]["id"] == 2 and tasks["req"]["title"] == "Gather requirements"


def test_bad_files_exit_2_with_one_line_and_write_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    base = EXAMPLE.read_text(encoding="utf-8")
    cases = {
        "unknown.toml": (
            base.replace(
                'depends = ["req"]\nassignees = ["dave"]',
                'depends = ["reqs"]\nassignees = ["dave"]',
                1,
            ),
            'unknown.toml: task "api": depends on "reqs", which is not a task in this file',
        ),
        "cycle.toml": (
            base.replace(
                'duration = "8d"\ndepends = ["req"]',
                'duration = "8d"\ndepends = ["req", "campaign"]',
            ),
            'cycle.toml: task "design": depends closes a cycle '
            "(design → sync → beta → test → fix → submit → campaign → design)",
        ),
        "negative.toml": (
            base.replace('duration = "6d"', 'duration = "-6d"'),
            'negative.toml: task "fix": duration "-6d" is negative; a duration is 0 or more '
            "working days",
        ),
        "missing.toml": (
            base.replace('title = "Beta testing"\n', ""),
            'missing.toml: task "test": title is required',
        ),
        "syntax.toml": (
            base.replace("budget = 120000", "budget = 120 000"),
            "syntax.toml: line 16, column 14: expected newline or end of document after a "
            "statement",
        ),
    }
    for name, (text, message) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "taskdesk", "--db", str(db), "import", name],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
            cwd=tmp_path,
        )
        assert (proc.returncode, proc.stdout) == (2, ""), name
        assert proc.stderr == f"taskdesk: {message}\n", name
    assert not db.exists()  # the file is checked before the store is even opened


def test_export_plan_round_trips_through_a_second_store(
    env: dict[str, str], tmp_path: Path
) -> None:
    first, second = tmp_path / "one.db", tmp_path / "two.db"
    assert taskdesk(env, first, "import", str(EXAMPLE)).returncode == 0
    exported = tmp_path / "launch.toml"
    proc = taskdesk(
        env, first, "export", "--format", "plan", "--project", "Mobile app launch",
        "-o", str(exported),
    )  # fmt: skip
    assert (
        proc.returncode == 0
        and proc.stdout == f"Exported 18 tasks of 'Mobile app launch' to {exported}.\n"
    )
    text = exported.read_text(encoding="utf-8")
    assert taskdesk(env, second, "import", str(exported)).returncode == 0
    again = taskdesk(env, second, "export", "--format", "plan", "--project", "1")
    assert again.returncode == 0 and again.stdout == text


# ------------------------------------------------------------------------ in-process


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "t.db"
    code, _, err = run(capsys, db, "import", str(EXAMPLE))
    assert code == 0, err
    return db


def test_the_schedule_table_fits_80_columns(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, imported, "schedule", "mobile app launch")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert max(cell_width(line) for line in lines) <= 80
    assert lines[0].split() == ["Key", "Title", "Dur", "Start", "Finish", "Float"]
    assert lines[3].startswith("* req        Gather requirements ")
    assert lines[3].endswith("   5 2026-01-05 2026-01-09     0")
    assert any(line.startswith("  ci ") and line.endswith("37") for line in lines)
    assert any("◆ Beta released" in line for line in lines)
    assert "Critical path: req → design → sync → beta → test → fix → submit → campaign" in lines
    assert lines[-2:] == [
        "Start 2026-01-05, finish 2026-03-05.",
        "Deadline 2026-03-13: 6 working days to spare.",
    ]


def test_schedule_errors_exit_2(
    imported: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, imported, "schedule", "Nope")[::2] == (
        2,
        "taskdesk: There is no project 'Nope'.\n",
    )
    run(capsys, imported, "add", "A", "chore", "pro:Chores")
    assert run(capsys, imported, "schedule", "Chores")[::2] == (
        2,
        "taskdesk: 'Chores' is an ongoing area, not a project\n",
    )
    no_start = tmp_path / "nostart.toml"
    no_start.write_text('[project]\nname = "Someday"\n', encoding="utf-8")
    run(capsys, imported, "import", str(no_start))
    code, _, err = run(capsys, imported, "schedule", "Someday")
    assert code == 2 and "has no start date" in err and err.count("\n") == 1


def test_a_cycle_in_stored_data_names_the_tasks(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(str(imported), actor="tester")
    store.tables.dependency.insert(  # behind the store's back: it refuses cycles
        predecessor_id=ID["campaign"], successor_id=ID["req"], type="FS", lag_days=0
    ).execute()
    store.close()
    code, out, err = run(capsys, imported, "schedule", "Mobile app launch", "--json")
    assert (code, out) == (2, "")
    assert err.startswith("taskdesk: 'Mobile app launch': the dependencies form a cycle (")
    assert "req → " in err and "campaign" in err and err.count("\n") == 1


def test_export_json_lists_every_item_of_a_project(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, imported, "add", "Unrelated", "pro:Elsewhere")
    code, out, _ = run(capsys, imported, "export", "--format", "json", "--project", "1")
    assert code == 0
    items = json.loads(out)
    assert [item["id"] for item in items] == list(range(1, 19))
    assert all(list(item) == list(ITEM_KEYS) for item in items)
    assert items[1]["title"] == "Gather requirements" and items[1]["category"] == "completed"
    code, out, _ = run(capsys, imported, "export", "--format", "json")
    assert len(json.loads(out)) == 19


def test_a_format_whose_module_is_missing_says_so_and_exits_1(
    imported: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from taskdesk.cli import project_commands

    monkeypatch.setitem(project_commands.EXPORTERS, "csv", "taskdesk.cli.no_such_module:f")
    monkeypatch.setitem(project_commands.IMPORTERS, "plan", "taskdesk.cli.no_such_module:f")
    assert run(capsys, imported, "export", "--format", "csv")[::2] == (
        1,
        "taskdesk: export to csv is not available yet\n",
    )
    assert run(capsys, imported, "import", str(EXAMPLE))[::2] == (
        1,
        "taskdesk: import of plan files is not available yet\n",
    )


def test_bad_use_of_import_and_export_exits_2(
    imported: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, imported, "import", str(EXAMPLE), "--format", "json")[0] == 2
    code, _, err = run(capsys, imported, "export", "--format", "plan")
    assert code == 2 and "needs --project" in err
    mystery = tmp_path / "mystery.txt"
    mystery.write_text("hello\n", encoding="utf-8")
    code, _, err = run(capsys, imported, "import", str(mystery))
    assert code == 2 and "cannot tell the file's format; give --format" in err
    plan_txt = tmp_path / "plan.txt"
    plan_txt.write_text('# a plan\n[project]\nname = "Sniffed"\n', encoding="utf-8")
    assert run(capsys, imported, "import", str(plan_txt))[0] == 0


def test_reimporting_reports_updates_and_removals(
    imported: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    smaller = EXAMPLE.read_text(encoding="utf-8").replace(
        '[[task]]\nkey = "launch"\ntitle = "Store launch"\nparent = "release"\n'
        'milestone = true\ndepends = ["submit"]\ndeadline = 2026-03-06\n\n',
        "",
    )
    path = tmp_path / "smaller.toml"
    path.write_text(smaller, encoding="utf-8")
    code, out, _ = run(capsys, imported, "import", str(path))
    assert code == 0
    assert "17 tasks (0 new, 17 updated, 1 removed), 2 risks." in out


def test_the_demo_project_has_a_real_critical_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.db"
    assert run(capsys, db, "demo", "--today", "2026-11-25")[0] == 0
    code, out, _ = run(capsys, db, "schedule", "Mobile app launch", "--json")
    assert code == 0
    data = json.loads(out)
    keys = {task["id"]: task["key"] for task in data["tasks"]}
    assert [keys[i] for i in data["critical_path"]] == [
        "req", "design", "sync", "beta", "test", "fix", "submit", "campaign",
    ]  # fmt: skip
    assert data["start"] == "2026-11-02" and data["finish"] == "2026-12-29"
    privacy = next(task for task in data["tasks"] if task["key"] == "privacy")
    assert privacy["es"] == "2026-11-12"  # its start-no-earlier date, not the day after req
    store = open_store(str(db), actor="tester")
    assert len(store.risks("Mobile app launch")) == 3
    store.close()


def test_help_describes_the_three_commands(capsys: pytest.CaptureFixture[str]) -> None:
    for command, phrase in (
        ("schedule", "critical-path scheduler"),
        ("import", "A plan file (TOML)"),
        ("export", "--format plan"),
    ):
        assert main([command, "--help"]) == 0
        assert phrase in capsys.readouterr().out
