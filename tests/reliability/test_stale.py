"""Two sessions edit the same item: the stale save is refused every time (StaleWrite),
never silently written over the other person's change."""

from __future__ import annotations

import threading
import time

from taskdesk.domain.model import ParsedItem
from taskdesk.store import open_store
from taskdesk.store.errors import StaleWrite
from tests.reliability.conftest import Record

ROUNDS = 100


def test_stale_saves_are_refused(target: str, record: Record) -> None:
    alice, bob = open_store(target, actor="alice"), open_store(target, actor="bob")
    item = alice.add_item(ParsedItem(title="Shared draft"))
    sequential_refused = 0
    raced_refused = 0
    overwritten = 0
    began = time.perf_counter()
    try:
        # 1. One after the other: both opened version v, alice saves first.
        for n in range(ROUNDS):
            version = bob.get_item(item.id).version
            alice.update_item(item.id, {"notes": f"alice {n}"}, expected_version=version)
            try:
                bob.update_item(item.id, {"notes": f"bob {n}"}, expected_version=version)
            except StaleWrite as exc:
                sequential_refused += 1
                assert (exc.expected, exc.actual) == (version, version + 1)
            if bob.get_item(item.id).notes != f"alice {n}":
                overwritten += 1

        # 2. At the same moment, from two threads (two connections), same version.
        barrier = threading.Barrier(2)
        for n in range(ROUNDS):
            version = alice.get_item(item.id).version
            outcome: dict[str, str] = {}

            def save(
                store: object,
                who: str,
                n: int = n,
                version: int = version,
                outcome: dict[str, str] = outcome,
            ) -> None:
                barrier.wait()
                try:
                    store.update_item(  # type: ignore[attr-defined]
                        item.id, {"notes": f"{who} race {n}"}, expected_version=version
                    )
                    outcome[who] = "saved"
                except StaleWrite:
                    outcome[who] = "refused"

            threads = [threading.Thread(target=save, args=(s, s.actor)) for s in (alice, bob)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert sorted(outcome.values()) == ["refused", "saved"], outcome
            raced_refused += 1
            winner = next(who for who, what in outcome.items() if what == "saved")
            final = alice.get_item(item.id)
            if final.notes != f"{winner} race {n}" or final.version != version + 1:
                overwritten += 1
    finally:
        alice.close()
        bob.close()
    record(
        f"stale_writes_{alice.backend}",
        {
            "backend": alice.backend,
            "sequential_rounds": ROUNDS,
            "sequential_refused": sequential_refused,
            "raced_rounds": ROUNDS,
            "raced_exactly_one_winner": raced_refused,
            "silently_overwritten": overwritten,
            "wall_s": round(time.perf_counter() - began, 2),
        },
    )
    assert sequential_refused == ROUNDS and raced_refused == ROUNDS and overwritten == 0
