"""find_cycle: the loop a set of links would make, or None."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from taskdesk.domain.graph import find_cycle


def test_no_links_and_a_chain_have_no_cycle() -> None:
    assert find_cycle({}, []) is None
    assert find_cycle({1: [2], 2: [3]}, [1, 2, 3]) is None


def test_a_self_link_and_a_loop_are_found_in_link_order() -> None:
    assert find_cycle({1: [1]}, [1]) == [1]
    assert find_cycle({1: [2], 2: [3], 3: [1]}, [1]) == [1, 2, 3]
    assert find_cycle({0: [1], 1: [2], 2: [3], 3: [1]}, [0]) == [1, 2, 3]


def test_only_what_the_starts_reach_is_searched() -> None:
    assert find_cycle({1: [2], 5: [6], 6: [5]}, [1]) is None


@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=20))
def test_a_found_cycle_is_made_of_links_and_none_means_acyclic(
    edges: list[tuple[int, int]],
) -> None:
    successors: dict[int, list[int]] = {}
    for a, b in edges:
        successors.setdefault(a, []).append(b)
    cycle = find_cycle(successors, sorted(successors))
    if cycle is not None:
        for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
            assert b in successors[a]
        return
    # acyclic: a topological order exists (Kahn's algorithm consumes every node)
    nodes = {n for edge in edges for n in edge}
    indegree = dict.fromkeys(nodes, 0)
    for _, b in edges:
        indegree[b] += 1
    ready = [n for n in nodes if indegree[n] == 0]
    seen = 0
    while ready:
        node = ready.pop()
        seen += 1
        for b in successors.get(node, []):
            indegree[b] -= 1
            if indegree[b] == 0:
                ready.append(b)
    assert seen == len(nodes)
