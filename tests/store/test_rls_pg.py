"""PostgreSQL row security: the server hides members-only projects, even from psql.

PostgreSQL only (skipped without ``TASKDESK_TEST_PG_URL``; CI sets it). Each test gets a
schema of its own and two login roles of its own in the throwaway cluster (trust
authentication on its unix socket), made team members by ``enable_row_security``;
the tables belong to the test server's superuser, as they would to the database owner.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from urllib.parse import quote, urlparse, urlunparse

import pytest

from taskdesk.domain.model import ParsedItem
from taskdesk.store import Store, open_store
from taskdesk.store.errors import NotFound, PermissionDenied, ValidationError
from taskdesk.store.rls import enable_row_security

PG_ENV = "TASKDESK_TEST_PG_URL"
SECRET = "Merger plans"


@dataclass
class Cluster:
    """The test schema's URL for each role, and the role names."""

    admin_url: str
    alice: str
    bob: str

    def url(self, role: str) -> str:
        """The schema's URL, connecting as ``role``."""
        parsed = urlparse(self.admin_url)
        host = parsed.netloc.split("@", 1)[-1]
        return urlunparse(parsed._replace(netloc=f"{role}@{host}"))


def _schema_url(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    """A fresh schema with row security on, and two team members' login roles."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{PG_ENV} is not set on CI")
        pytest.skip(f"{PG_ENV} is not set (a throwaway PostgreSQL database URL)")
    import psycopg

    tag = uuid.uuid4().hex[:10]
    schema, alice, bob = f"td_rls_{tag}", f"alice_{tag}", f"bob_{tag}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    admin_url = _schema_url(url, schema)
    try:
        with closing(open_store(admin_url, actor="admin")) as admin:
            report = enable_row_security(admin, logins=[alice, bob])
        assert report.schema == schema and report.logins == [alice, bob]
        yield Cluster(admin_url, alice, bob)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
            for role in (alice, bob):
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def _open(cluster: Cluster, role: str, actor: str | None = None) -> Store:
    return open_store(cluster.url(role), actor=actor or role)


def _secret_project(alice: Store) -> int:
    """Alice's restricted project with a commented, tagged task; one open task elsewhere."""
    task = alice.add_item(
        ParsedItem(title=SECRET, project="Deal", tags=["legal"], given={"title", "project"})
    )
    alice.add_comment(task.id, "price: 4M")
    alice.add_item(ParsedItem(title="Water the plants", project="Office", given={"title"}))
    alice.set_restricted("Deal", True)
    return task.id


def _raw(cluster: Cluster, role: str, sql: str) -> list[tuple[object, ...]]:
    import psycopg

    parsed = urlparse(cluster.url(role))
    conninfo = cluster.url(role)
    assert parsed.scheme.startswith("postgres")
    with psycopg.connect(conninfo) as conn:
        return list(conn.execute(sql).fetchall())


def test_non_member_sees_no_row_of_a_restricted_project_even_in_raw_sql(
    cluster: Cluster,
) -> None:
    with closing(_open(cluster, cluster.alice)) as alice:
        task_id = _secret_project(alice)
    bob = cluster.bob
    assert _raw(cluster, bob, "SELECT title FROM item ORDER BY id") == [("Water the plants",)]
    assert _raw(cluster, bob, "SELECT name FROM container ORDER BY name") == [("Office",)]
    for table in ("comment", "item_tag", "project_member"):
        assert _raw(cluster, bob, f"SELECT count(*) FROM {table}") == [(0,)], table
    history = _raw(cluster, bob, "SELECT new FROM activity")
    assert history and all(SECRET not in str(row[0]) for row in history)
    descriptions = [str(d) for (d,) in _raw(cluster, bob, "SELECT description FROM action")]
    assert descriptions and all(SECRET not in d for d in descriptions)
    # the member (owner) sees all of it, also in raw SQL
    titles = _raw(cluster, cluster.alice, "SELECT title FROM item ORDER BY id")
    assert titles == [(SECRET,), ("Water the plants",)]
    assert _raw(cluster, cluster.alice, "SELECT body FROM comment") == [("price: 4M",)]
    # the server enforces it even when the app's own check is fooled (actor = alice)
    with closing(_open(cluster, bob, actor=cluster.alice)) as fooled:
        assert [i.title for i in fooled.list_items()] == ["Water the plants"]
        with pytest.raises(NotFound):
            fooled.get_item(task_id)
        assert fooled.comments(task_id) == []


def test_store_as_member_and_non_member(cluster: Cluster) -> None:
    with closing(_open(cluster, cluster.alice)) as alice:
        task_id = _secret_project(alice)
        with closing(_open(cluster, cluster.bob)) as bob:
            assert [i.title for i in bob.list_items()] == ["Water the plants"]
            assert bob.count_items() == 1
            assert sum(bob.board_counts().values()) == 1
            assert [c.name for c in bob.containers()] == ["Office"]
            with pytest.raises(NotFound):
                bob.project_plan("Deal")
            with pytest.raises(NotFound):
                bob.update_item(task_id, {"title": "mine now"})
            with pytest.raises(PermissionDenied, match="restricted to its members"):
                bob.add_item(ParsedItem(title="sneak in", project="Deal", given={"title"}))
            assert all(SECRET not in n.description for n in bob.actions_since(0, limit=100))
            alice.add_member("Deal", cluster.bob)
            assert [i.title for i in bob.list_items()] == [SECRET, "Water the plants"]
            assert bob.get_item(task_id).title == SECRET
            assert [c.body for c in bob.comments(task_id)] == ["price: 4M"]
            bob.update_item(task_id, {"notes": "seen"})
            # a member may not change who sees it, on the server either
            with pytest.raises(PermissionDenied, match="Only the owner"):
                bob.remove_member("Deal", cluster.bob)
    rows = _raw(cluster, cluster.bob, "SELECT title, notes FROM item ORDER BY id")
    assert rows == [(SECRET, "seen"), ("Water the plants", "")]


def test_member_list_changes_are_the_owners_on_the_server(cluster: Cluster) -> None:
    import psycopg

    with closing(_open(cluster, cluster.alice)) as alice:
        _secret_project(alice)
        alice.add_member("Deal", cluster.bob)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _raw(
            cluster,
            cluster.bob,
            "INSERT INTO project_member (container_id, person_id, role) "
            "SELECT c.id, p.id, 'member' FROM container c, person p "
            f"WHERE c.name = 'Deal' AND p.login = '{cluster.alice}' RETURNING id",
        )
    # nor take someone off it
    assert _raw(cluster, cluster.bob, "DELETE FROM project_member RETURNING id") == []
    assert len(_raw(cluster, cluster.alice, "SELECT id FROM project_member")) == 1


def test_notify_payload_carries_ids_only(cluster: Cluster) -> None:
    import psycopg

    with closing(_open(cluster, cluster.alice)) as alice:
        _secret_project(alice)
        with psycopg.connect(cluster.url(cluster.bob), autocommit=True) as conn:
            conn.execute("LISTEN taskdesk_changes")
            task = alice.add_item(ParsedItem(title=SECRET + " 2", project="Deal", given={"title"}))
            alice.move_item(task.id, alice.statuses()[2].id)
            alice.set_restricted("Deal", False)
            got = list(conn.notifies(timeout=5, stop_after=3))
    assert len(got) >= 3
    for note in got:
        assert SECRET not in note.payload and "Deal" not in note.payload
        payload = json.loads(note.payload)
        assert set(payload) == {"schema", "revision", "action"}
        assert all(v is None or isinstance(v, int) for v in payload.values())
    assert json.loads(got[0].payload)["action"] is not None  # add_item is an action
    assert json.loads(got[2].payload)["action"] is None  # set_restricted is reference data


def test_row_security_is_refused_on_sqlite(tmp_path: object) -> None:
    with (
        closing(open_store(f"{tmp_path}/t.db", actor="a")) as store,
        pytest.raises(ValidationError, match="PostgreSQL feature"),
    ):
        enable_row_security(store)
