"""Small graph helpers shared by the store's writers (links must never form a loop)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def find_cycle(successors: Mapping[int, list[int]], starts: Iterable[int]) -> list[int] | None:
    """A loop of links reachable from ``starts`` (iterative depth-first search), or None."""
    state: dict[int, int] = {}  # 1 on the current path, 2 done
    for root in starts:
        if state.get(root):
            continue
        path = [root]
        stack: list[tuple[int, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, index = stack[-1]
            nexts = successors.get(node, [])
            if index < len(nexts):
                stack[-1] = (node, index + 1)
                nxt = nexts[index]
                if state.get(nxt) == 1:
                    return path[path.index(nxt) :]
                if not state.get(nxt):
                    state[nxt] = 1
                    path.append(nxt)
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()
                stack.pop()
    return None
