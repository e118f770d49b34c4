"""Every command against a real store file, in-process: ``main(argv)`` and its output.

The conftest already isolates the environment (``TASKDESK_USER=tester``, a throwaway
``TASKDESK_CONFIG`` and XDG directories). Each test gets its own database file.
"""

from __future__ import annotations

import gc
import json
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from taskdesk.cli import main
from taskdesk.interop.json_out import ITEM_KEYS
from taskdesk.store import open_store
from taskdesk.store.errors import StoreLocked

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "t.db"


@pytest.fixture
def run(db: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """``run("add", "x")`` → (exit code, stdout, stderr) with ``--db`` set to the test db."""

    def go(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--db", str(db), *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return go


def listed(run: Run, *words: str) -> list[dict[str, Any]]:
    code, out, err = run("list", "--json", *words)
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, list)
    return data


def titles(run: Run, *words: str) -> list[str]:
    return [item["title"] for item in listed(run, *words)]


def shown(run: Run, ref: str) -> dict[str, Any]:
    code, out, err = run("show", ref, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def one_error_line(err: str) -> str:
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("taskdesk: ")
    return err


# --------------------------------------------------------------------------- add


def test_add_prints_the_new_id(run: Run) -> None:
    assert run("add", "Buy", "milk") == (0, "Created item 1.\n", "")
    assert run("add", "Second") == (0, "Created item 2.\n", "")
    assert titles(run) == ["Buy milk", "Second"]


def test_add_understands_the_quick_add_grammar(run: Run) -> None:
    code, _, err = run(
        "add", "Fix", "login", "pro:Support", "pri:H", "+bug", "@dave", "due:2026-12-01T17:00"
    )
    assert code == 0, err
    item = shown(run, "1")
    assert item["title"] == "Fix login"
    assert item["project"] == "Support"
    assert item["priority"] == "H"
    assert item["tags"] == ["bug"]
    assert item["assignees"] == ["dave"]
    assert item["due"] == "2026-12-01T17:00:00"
    assert item["created_by"] == "tester"


def test_add_json_prints_the_item(run: Run) -> None:
    code, out, _ = run("add", "--json", "Water", "the", "plants", "+home")
    assert code == 0
    item = json.loads(out)
    assert tuple(item) == ITEM_KEYS
    assert (item["id"], item["title"], item["tags"]) == (1, "Water the plants", ["home"])
    assert item["status"] == "To do"


def test_add_keeps_a_shell_quoted_project_name_together(run: Run) -> None:
    assert run("add", "Call", "the", "venue", "pro:Annual conference")[0] == 0
    assert shown(run, "1")["project"] == "Annual conference"


def test_add_recurring_item(run: Run) -> None:
    assert run("add", "Post", "on", "social", "every:daily", "due:tomorrow")[0] == 0
    item = shown(run, "1")
    assert item["recurrence"] is not None
    assert item["recurrence"].startswith("every FREQ=DAILY")


def test_bad_token_is_exit_2_names_the_token_and_creates_nothing(run: Run) -> None:
    code, out, err = run("add", "Ship", "it", "due:blurgh")
    assert code == 2
    assert out == ""
    assert "due:blurgh" in one_error_line(err)
    assert listed(run, "all") == []


def test_bad_priority_is_exit_2(run: Run) -> None:
    code, _, err = run("add", "Ship", "priority:Z")
    assert code == 2
    assert "priority:Z" in one_error_line(err)


# -------------------------------------------------------------------------- list


@pytest.fixture
def several(run: Run) -> None:
    for words in (
        ["Crash", "on", "upload", "pro:Support", "+bug", "@dave", "pri:H", "due:yesterday"],
        ["Wrong", "VAT", "rate", "pro:Support", "+billing", "@bob", "pri:M"],
        ["Patch", "servers", "pro:Ops", "+maintenance", "@carol"],
        ["Login", "loop", "pro:Support", "+bug", "@bob", "pri:L"],
        ["Plain", "thing"],
    ):
        assert run("add", *words)[0] == 0


@pytest.mark.usefixtures("several")
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["+bug"], {"Crash on upload", "Login loop"}),
        (["-bug", "pro:Support"], {"Wrong VAT rate"}),
        (["project:Ops"], {"Patch servers"}),
        (["@bob"], {"Wrong VAT rate", "Login loop"}),
        (["pri:H"], {"Crash on upload"}),
        (["loop"], {"Login loop"}),
        (["+OVERDUE"], {"Crash on upload"}),
        (["pro:Support", "@bob", "+bug"], {"Login loop"}),
        (["nothing-matches-this"], set()),
    ],
)
def test_list_filters(run: Run, words: list[str], expected: set[str]) -> None:
    assert set(titles(run, *words)) == expected


@pytest.mark.usefixtures("several")
def test_list_status_filter_after_start_and_done(run: Run) -> None:
    assert run("start", "3")[0] == 0
    assert titles(run, "status:started") == ["Patch servers"]
    assert run("done", "5")[0] == 0
    assert "Plain thing" not in titles(run)
    assert titles(run, "status:completed") == ["Plain thing"]


@pytest.mark.usefixtures("several")
def test_list_json_is_sorted_by_urgency(run: Run) -> None:
    items = listed(run)
    assert len(items) == 5
    urgencies = [item["urgency"] for item in items]
    assert urgencies == sorted(urgencies, reverse=True)
    assert items[0]["title"] == "Crash on upload"
    assert all(tuple(item) == ITEM_KEYS for item in items)
    assert "urgency_terms" not in items[0]


@pytest.mark.usefixtures("several")
def test_list_table_fits_80_columns(run: Run) -> None:
    run("add", "A", "very", *(["long"] * 40), "title", "pro:A-project-with-a-long-name")
    code, out, _ = run("list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "Age", "Pri", "Due", "Project", "Title", "Urg"]
    assert all(len(line) <= 80 for line in lines)
    assert lines[2].split()[0] == "1"  # the most urgent first
    assert lines[-1] == "6 items."


def test_list_without_matches(run: Run) -> None:
    assert run("list") == (0, "No matching items.\n", "")


def test_bad_filter_is_exit_2(run: Run) -> None:
    code, _, err = run("list", "due.before:blurgh")
    assert code == 2
    assert "blurgh" in one_error_line(err)


# -------------------------------------------------------------------------- show


def test_show_has_fields_and_the_urgency_breakdown(run: Run) -> None:
    run("add", "Renew", "cert", "pro:Ops", "pri:H", "+security", "due:2026-12-01")
    code, out, _ = run("show", "1")
    assert code == 0
    assert out.startswith("Item 1: Renew cert\n")
    assert "project     Ops (area)" in out
    assert "priority    H" in out
    assert "Urgency " in out
    assert "  priority  1.000 ×   6.00 =   6.000" in out
    assert "  due " in out
    assert "Recent activity" in out
    assert "tester" in out


def test_show_json_terms_add_up(run: Run) -> None:
    run("add", "Renew", "cert", "pro:Ops", "pri:H", "+security")
    item = shown(run, "1")
    assert set(ITEM_KEYS) <= set(item)
    names = [term["name"] for term in item["urgency_terms"]]
    assert "priority" in names and "project" in names and "tags" in names
    total = sum(term["contribution"] for term in item["urgency_terms"])
    assert total == pytest.approx(item["urgency"], abs=0.01)
    assert item["comments"] == []
    assert item["activity"] and {"at", "actor", "field", "old", "new"} == set(item["activity"][0])


def test_show_by_uuid_prefix(run: Run) -> None:
    run("add", "Find", "me")
    uuid = shown(run, "1")["uuid"]
    assert shown(run, uuid[:8])["id"] == 1


@pytest.mark.parametrize("command", ["show", "done", "start"])
def test_unknown_id_is_exit_2(run: Run, command: str) -> None:
    run("add", "Only", "one")
    code, out, err = run(command, "99")
    assert code == 2
    assert out == ""
    assert "99" in one_error_line(err)


def test_unknown_id_for_modify_is_exit_2(run: Run) -> None:
    code, _, err = run("modify", "42", "due:today")
    assert code == 2
    assert "42" in one_error_line(err)


# ---------------------------------------------------------------- done and start


def test_done_and_start_change_the_status(run: Run) -> None:
    run("add", "One")
    run("add", "Two")
    assert run("start", "1") == (0, "Started item 1 'One'.\n", "")
    assert shown(run, "1")["category"] == "started"
    assert shown(run, "1")["started"] is not None
    assert run("done", "1", "2") == (
        0,
        "Completed item 1 'One'.\nCompleted item 2 'Two'.\n",
        "",
    )
    done = shown(run, "1")
    assert done["category"] == "completed"
    assert done["completed"] is not None
    assert done["urgency"] == 0
    assert run("done", "1") == (0, "Item 1 is already completed.\n", "")
    assert run("start", "1")[0] == 0  # reopening a done item by starting it is allowed


def test_done_checks_every_id_before_changing_anything(run: Run) -> None:
    run("add", "One")
    code, _, err = run("done", "1", "77")
    assert code == 2
    assert "77" in one_error_line(err)
    assert shown(run, "1")["category"] == "unstarted"


def test_done_on_a_recurring_item_creates_the_next(run: Run) -> None:
    run("add", "Standup", "notes", "every:daily", "due:today")
    run("done", "1")
    following = [i for i in listed(run) if i["title"] == "Standup notes"]
    assert len(following) == 1 and following[0]["id"] != 1


# ------------------------------------------------------------------------ modify


def test_modify_changes_only_the_given_fields(run: Run) -> None:
    run("add", "Write", "report", "pro:Ops", "+draft", "+later", "@alice", "pri:L")
    before = shown(run, "1")
    assert run("modify", "1", "pri:H", "+urgent", "-later", "due:2026-12-24") == (
        0,
        "Modified item 1.\n",
        "",
    )
    after = shown(run, "1")
    assert after["priority"] == "H"
    assert after["due"] == "2026-12-24T00:00:00"
    assert sorted(after["tags"]) == ["draft", "urgent"]
    for key in ("title", "project", "assignees", "start", "notes", "status"):
        assert after[key] == before[key], key
    assert after["version"] > before["version"]


def test_modify_title_and_assignees(run: Run) -> None:
    run("add", "Old", "title", "@alice", "@bob")
    assert run("modify", "1", "New", "title", "-@alice", "@carol")[0] == 0
    item = shown(run, "1")
    assert item["title"] == "New title"
    assert sorted(item["assignees"]) == ["bob", "carol"]


def test_modify_json(run: Run) -> None:
    run("add", "Thing")
    code, out, _ = run("modify", "1", "+tagged", "--json")
    assert code == 0
    assert json.loads(out)["tags"] == ["tagged"]


def test_modify_with_a_bad_token_changes_nothing(run: Run) -> None:
    run("add", "Thing", "pri:L")
    before = shown(run, "1")
    code, _, err = run("modify", "1", "pri:H", "due:blurgh")
    assert code == 2
    assert "due:blurgh" in one_error_line(err)
    assert shown(run, "1") == before


# ------------------------------------------------------------------ the store


def test_garbage_database_file_is_exit_2_and_left_alone(tmp_path: Path, run: Run, db: Path) -> None:
    garbage = b"this is not a database\n" * 100
    db.write_bytes(garbage)
    code, out, err = run("list")
    assert code == 2
    assert out == ""
    assert str(db) in one_error_line(err)
    assert db.read_bytes() == garbage


def test_a_directory_as_database_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(tmp_path), "list"]) == 2
    assert str(tmp_path) in one_error_line(capsys.readouterr().err)


def test_a_bad_url_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "mysql://nowhere", "list"]) == 2
    assert "mysql://nowhere" in one_error_line(capsys.readouterr().err)


def test_taskdesk_db_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "from-env.db"
    monkeypatch.setenv("TASKDESK_DB", str(target))
    assert main(["add", "Hello"]) == 0
    assert target.exists()


def test_config_db_and_the_default_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", "Default"]) == 0
    from taskdesk.paths import default_db_path

    assert default_db_path().exists()
    config = tmp_path / "config.toml"
    config.write_text(f'db = "{tmp_path / "configured.db"}"\n', encoding="utf-8")
    monkeypatch.setenv("TASKDESK_CONFIG", str(config))
    assert main(["add", "Configured"]) == 0
    assert (tmp_path / "configured.db").exists()


def test_broken_config_is_exit_2_naming_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('board_done_days = "x"\n', encoding="utf-8")
    monkeypatch.setenv("TASKDESK_CONFIG", str(config))
    code, _, err = run("list")
    assert code == 2
    assert 'board_done_days = "x" — expected an integer' in one_error_line(err)


def test_locked_store_is_exit_1(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from taskdesk.store import Store

    def locked(self: Store, *args: object, **kwargs: object) -> object:
        raise StoreLocked("The database t.db stayed locked; try again.")

    monkeypatch.setattr(Store, "listed_items", locked)
    code, _, err = run("list")
    assert code == 1
    assert "stayed locked" in one_error_line(err)


def test_unexpected_error_is_one_line_exit_1_unless_debugging(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from taskdesk.cli import commands

    def broken(ctx: object, args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setitem(commands.COMMANDS, "list", broken)
    code, _, err = run("list")
    assert code == 1
    assert "internal error (RuntimeError): boom" in one_error_line(err)
    monkeypatch.setenv("TASKDESK_DEBUG", "1")
    with pytest.raises(RuntimeError):
        run("list")


def test_no_command_opens_the_app_with_the_target_and_settings(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    launched: dict[str, Any] = {}

    class FakeApp:
        """Takes what taskdesk hands the app: the store it opened, the read it began."""

        return_code = 0

        def __init__(self, *, settings: Any, store: Any, first_read: Any, gc_paused: bool) -> None:
            launched.update(
                settings=settings, store=store, first_read=first_read, gc_paused=gc_paused
            )

        def run(self) -> None:
            launched["ran"] = True
            launched["board"] = launched["first_read"].board.result(timeout=10)
            launched["collecting"] = gc.isenabled()

    fake = types.ModuleType("taskdesk.ui.app")
    fake.TaskDeskApp = FakeApp  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "taskdesk.ui.app", fake)
    assert main(["--db", str(db)]) == 0
    assert launched["ran"]
    assert launched["store"].location == str(db)
    assert launched["settings"].theme == "textual-dark"
    # The Board's first read was begun on that store before the app was built.
    assert launched["board"].statuses == launched["store"].statuses()
    # main([...]) is a caller's process, not a whole taskdesk: its collector is its own.
    assert launched["gc_paused"] is False and launched["collecting"] is True
    launched["store"].close()
    # A whole ``taskdesk`` process starts with the collector off (the app turns it back
    # on after start-up), and it is on again once the app has ended, whatever happened.
    # (Here without the child process that reads first: see tests/cli/test_launch.py.)
    from taskdesk.cli import _run
    from taskdesk.ui import launch

    monkeypatch.setattr(launch, "forkable", lambda _target: False)
    try:
        assert _run(["--db", str(db)], whole_process=True) == 0
        assert launched["gc_paused"] is True and launched["collecting"] is False
        assert gc.isenabled()
    finally:
        gc.enable()
        launched["store"].close()


# --------------------------------------------------------------- demo and backup


def test_demo_builds_once_and_refuses_a_second_time(run: Run) -> None:
    code, out, err = run("demo", "--today", "2026-11-25")
    assert code == 0, err
    assert out.startswith("Demo workspace created in ")
    items = listed(run, "all")
    assert 60 <= len(items) <= 90
    projects = {i["project"] for i in items}
    assert {"Mobile app launch", "Annual conference", "Marketing", "Support", "Ops"} <= projects
    assert any(i["depends"] for i in items if i["project"] == "Mobile app launch")
    assert any(i["depends"] for i in items if i["project"] == "Annual conference")
    code, _, err = run("demo")
    assert code == 2
    assert "--force" in one_error_line(err)
    assert len(listed(run, "all")) == len(items)


def test_demo_force_adds_to_a_non_empty_store(run: Run) -> None:
    run("add", "Mine")
    assert run("demo", "--force", "--today", "2026-11-25")[0] == 0
    assert "Mine" in titles(run)


def test_demo_with_a_bad_date_is_exit_2(run: Run) -> None:
    code, _, err = run("demo", "--today", "someday")
    assert code == 2
    assert "someday" in one_error_line(err)


def test_backup_writes_a_copy_that_opens(run: Run, tmp_path: Path) -> None:
    run("add", "One")
    run("add", "Two")
    target = tmp_path / "copy.db"
    code, out, _ = run("backup", str(target))
    assert code == 0
    assert out == f"{target}\n"
    copy = open_store(str(target), actor="tester", create=False)
    assert len(copy.list_items()) == 2
    copy.close()


def test_backup_default_name_is_next_to_the_db(run: Run, db: Path) -> None:
    run("add", "One")
    code, out, _ = run("backup")
    assert code == 0
    path = Path(out.strip())
    assert path.parent == db.parent and path.exists() and path != db


@pytest.mark.parametrize(
    ("argv", "title", "project"),
    [
        (["Buy milk pro:Home"], "Buy milk", "Home"),
        (["Note: this is", "it"], "Note: this is it", None),
        (["Plan", "proj:Big project here"], "Plan", "Big project here"),
    ],
)
def test_shell_quoted_words(run: Run, argv: list[str], title: str, project: str | None) -> None:
    assert run("add", *argv)[0] == 0
    item = shown(run, "1")
    assert (item["title"], item["project"]) == (title, project)
