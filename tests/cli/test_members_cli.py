"""``taskdesk members`` and ``init --rls`` through the real command line (subprocesses)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import run_taskdesk


def _as(env: dict[str, str], user: str) -> dict[str, str]:
    return {**env, "TASKDESK_USER": user}


def test_restrict_add_remove_and_what_others_see(env: dict[str, str], tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    alice, bob = _as(env, "alice"), _as(env, "bob")
    assert run_taskdesk(alice, "--db", db, "add", "Sign the deal", "pro:Deal").returncode == 0
    assert run_taskdesk(alice, "--db", db, "add", "Water plants", "pro:Office").returncode == 0
    done = run_taskdesk(alice, "--db", db, "members", "Deal", "restrict")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == [
        "Deal: members only; owner alice",
        "note: on a SQLite file this is a guard-rail: whoever can write the file can read it.",
    ]
    listed = run_taskdesk(bob, "--db", db, "list", "--json")
    assert [i["title"] for i in json.loads(listed.stdout)] == ["Water plants"]
    refused = run_taskdesk(bob, "--db", db, "add", "sneak", "pro:Deal")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == (
        "taskdesk: The project 'Deal' is restricted to its members; ask its owner to add you.\n"
    )
    hidden = run_taskdesk(bob, "--db", db, "members", "Deal")
    assert hidden.returncode == 2 and "There is no project or area 'Deal'" in hidden.stderr
    added = run_taskdesk(alice, "--db", db, "members", "Deal", "add", "bob", "carol", "--json")
    assert json.loads(added.stdout) == {
        "project": "Deal",
        "owner": "alice",
        "restricted": True,
        "backend": "sqlite",
        "members": [{"login": "bob", "role": "member"}, {"login": "carol", "role": "member"}],
    }
    listed = run_taskdesk(bob, "--db", db, "list", "--json")
    assert [i["title"] for i in json.loads(listed.stdout)] == ["Sign the deal", "Water plants"]
    not_owner = run_taskdesk(bob, "--db", db, "members", "Deal", "open")
    assert not_owner.returncode == 2
    assert "Only the owner of 'Deal' (alice) may change who can see it." in not_owner.stderr
    removed = run_taskdesk(alice, "--db", db, "members", "Deal", "remove", "carol")
    assert removed.stdout.splitlines()[2:] == ["  bob              member"]
    opened = run_taskdesk(alice, "--db", db, "members", "Deal", "open")
    assert opened.stdout.splitlines()[0] == "Deal: everyone with the store; owner alice"
    assert json.loads(run_taskdesk(_as(env, "carol"), "--db", db, "list", "--json").stdout)


def test_members_usage_errors_and_help(env: dict[str, str], tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    run_taskdesk(env, "--db", db, "add", "x", "pro:P")
    for argv, message in (
        (("members", "P", "add"), "members: add needs at least one LOGIN"),
        (("members", "P", "restrict", "bob"), "members: unexpected 'bob'"),
        (("members", "Nope"), "There is no project or area 'Nope'"),
    ):
        result = run_taskdesk(env, "--db", db, *argv)
        assert result.returncode == 2 and message in result.stderr, argv
        assert len(result.stderr.splitlines()) == 1
    shown = run_taskdesk(env, "members", "--help")
    assert shown.returncode == 0
    assert "a guard-rail only" in shown.stdout and "enforced by the server" in shown.stdout
    init_help = run_taskdesk(env, "init", "--help").stdout
    assert "--rls" in init_help and "row-level security" in init_help


def test_init_rls_refuses_sqlite(env: dict[str, str], tmp_path: Path) -> None:
    result = run_taskdesk(env, "--db", str(tmp_path / "t.db"), "init", "--rls")
    assert result.returncode == 2
    assert "--rls needs a PostgreSQL store" in result.stderr
    assert not (tmp_path / "t.db").exists()
    result = run_taskdesk(env, "--db", str(tmp_path / "t.db"), "init", "--rls-user", "bob")
    assert result.returncode == 2 and "--rls-user goes with --rls" in result.stderr


def test_init_rls_on_postgresql(env: dict[str, str]) -> None:
    import os
    import uuid

    import pytest

    url = os.environ.get("TASKDESK_TEST_PG_URL", "").strip()
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("TASKDESK_TEST_PG_URL is not set on CI")
        pytest.skip("TASKDESK_TEST_PG_URL is not set")
    import psycopg

    from tests.store.conftest import _pg_url_with_schema

    tag = uuid.uuid4().hex[:10]
    schema, role = f"td_cli_{tag}", f"dana_{tag}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        target = _pg_url_with_schema(url, schema)
        result = run_taskdesk(env, "--db", target, "init", "--rls", "--rls-user", role, "--json")
        assert result.returncode == 0, result.stderr
        made = json.loads(result.stdout)
        assert (made["schema"], made["group"], made["logins"]) == (
            schema,
            "taskdesk_users",
            [role],
        )
        assert {"item", "container", "comment", "action"} <= set(made["tables"])
        with psycopg.connect(url) as conn:
            enabled = conn.execute(
                "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relrowsecurity ORDER BY relname",
                (schema,),
            ).fetchall()
        assert [name for (name,) in enabled] == sorted(made["tables"])
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
