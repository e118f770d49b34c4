"""Live refresh through the store: a write in one session wakes another's listener.

Runs on both backends (``open_as``): PostgreSQL through LISTEN/NOTIFY on a connection
of the listener's own, SQLite by polling the revision counter. The waits are generous
caps, not timings: a listener returns as soon as the change arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing

import pytest

from taskdesk.domain.model import ParsedItem
from taskdesk.store import Store
from taskdesk.store.notify import PgChangeListener, PollingChangeListener

CAP = 5.0


def _add(store: Store, title: str) -> int:
    return store.add_item(ParsedItem(title=title, given={"title"})).id


def test_a_write_elsewhere_wakes_the_listener(store: Store, open_as: Callable[..., Store]) -> None:
    bob = open_as("bob")
    listener = store.change_listener()
    try:
        expected = PgChangeListener if store.backend == "postgresql" else PollingChangeListener
        assert isinstance(listener, expected)
        assert listener.wait(0.3) is False  # idle: nothing happened
        item_id = _add(bob, "from bob")
        assert listener.wait(CAP) is True
        assert listener.problem is None
        assert listener.wait(0.3) is False  # one change, one wake-up
        bob.move_item(item_id, bob.statuses()[2].id)
        bob.ensure_container("Ops")  # reference data notifies too
        assert listener.wait(CAP) is True
    finally:
        listener.close()
    assert listener.wait(0.1) is False  # closed: never blocks, never wakes


def test_a_failed_write_wakes_nobody(store: Store, open_as: Callable[..., Store]) -> None:
    bob = open_as("bob")
    listener = store.change_listener()
    try:
        with pytest.raises(Exception, match="no item 999"):
            bob.update_item(999, {"title": "nope"})
        assert listener.wait(0.5) is False
    finally:
        listener.close()


def test_pg_listener_ignores_other_schemas_and_survives_a_lost_connection(
    store: Store, open_as: Callable[..., Store], tmp_path: object
) -> None:
    if store.backend != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    import os

    import psycopg

    from tests.store.conftest import PG_ENV, _pg_url_with_schema

    url = os.environ[PG_ENV]
    listener = store.change_listener()
    assert isinstance(listener, PgChangeListener)
    try:
        # another store in another schema of the same database: its news is not ours
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute('CREATE SCHEMA "td_notify_other"')
        try:
            from taskdesk.store import open_store

            with closing(open_store(_pg_url_with_schema(url, "td_notify_other"))) as other:
                _add(other, "elsewhere")
            assert listener.wait(0.5) is False
        finally:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute('DROP SCHEMA "td_notify_other" CASCADE')
        # the server drops the listening connection: reported, then reconnected
        pid = listener.backend_pid()
        assert pid is not None
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert listener.wait(CAP) is False
        assert listener.problem is not None and "lost its connection" in listener.problem
        assert listener.wait(CAP) is True  # back: re-read, changes may have been missed
        assert listener.problem is None and listener.backend_pid() not in (None, pid)
        _add(open_as("bob"), "after the reconnect")
        assert listener.wait(CAP) is True
    finally:
        listener.close()
