"""The command line's shape: help on every command, usage errors, free-text words."""

from __future__ import annotations

import pytest

from taskdesk.cli import main
from taskdesk.cli.parser import NOT_AVAILABLE, build_parser, protect_free_text

COMMANDS = (
    "add", "list", "show", "done", "start", "modify", "demo", "backup", *NOT_AVAILABLE,
)  # fmt: skip


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert f"\n    {command} " in out
    assert "TASKDESK_USER" in out
    assert "exit codes" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: taskdesk {command}")


def test_add_help_documents_the_grammar_with_an_example(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["add", "--help"])
    out = capsys.readouterr().out
    for token in (
        "project:NAME",
        "due:DATE",
        "priority:H|M|L",
        "+tag",
        "@user",
        "every:RULE",
        "after:DURATION",
        "est:DURATION",
        "depends:ID",
        "milestone",
        "example:",
    ):
        assert token in out


def test_list_help_documents_the_filter_words_and_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["list", "--help"])
    out = capsys.readouterr().out
    for token in (
        "project:NAME",
        "status:NAME",
        "+tag / -tag",
        "@user",
        "+OVERDUE",
        "--json",
        "2026-12-01T17:00:00",
        "example:",
    ):
        assert token in out


def test_demo_help_says_what_force_does(capsys: pytest.CaptureFixture[str]) -> None:
    main(["demo", "--help"])
    out = capsys.readouterr().out
    assert "--force" in out
    assert "refused (exit 2)" in out


def test_usage_error_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("taskdesk: ")
    assert "frobnicate" in err


def test_missing_argument_names_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("taskdesk: show: ")
    assert err.count("\n") == 1


@pytest.mark.parametrize("command", NOT_AVAILABLE)
def test_commands_not_built_yet_exit_1_with_one_line(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = {
        "schedule": ["schedule", "Mobile app launch"],
        "report": ["report", "Mobile app launch"],
        "export": ["export", "--format", "json"],
        "import": ["import", "plan.toml"],
        "advise": ["advise"],
    }[command]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.err == f"taskdesk: {command} is not available yet\n"
    assert captured.out == ""


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("taskdesk ")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["add", "Fix", "-later", "+bug"], ["add", "--", "Fix", "-later", "+bug"]),
        (["list", "-bug", "--json"], ["list", "--json", "--", "-bug"]),
        (["--db", "x.db", "modify", "3", "-@bob"], ["--db", "x.db", "modify", "--", "3", "-@bob"]),
        (["add", "--", "--json", "is", "text"], ["add", "--", "--json", "is", "text"]),
        (["add", "-h"], ["add", "-h", "--"]),
        (["show", "3"], ["show", "3"]),
        (["--db", "x.db"], ["--db", "x.db"]),
        ([], []),
    ],
)
def test_free_text_words_may_start_with_a_dash(argv: list[str], expected: list[str]) -> None:
    assert protect_free_text(argv) == expected


def test_protected_argv_parses_as_intended() -> None:
    args = build_parser().parse_args(protect_free_text(["modify", "3", "-later", "--json"]))
    assert (args.command, args.id, args.words, args.json) == ("modify", "3", ["-later"], True)
