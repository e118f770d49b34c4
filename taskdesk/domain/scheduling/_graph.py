"""The validated dependency graph the passes walk (internal to the scheduling package).

Input is checked once here, so the forward and backward passes (cpm.py) and leveling
(resources.py) can run on plain integer arrays with no checks in their loops.

Summary tasks (WBS parents) become two graph nodes, as in MS Project's model of a
summary bar: an *entry* node that carries the bounds of the links into the summary (and
its start-no-earlier constraint) down to every subtask, and an *exit* node, after all
subtasks, where the summary's start and finish are the min and max of theirs and from
which the summary's own successors are driven. That keeps every pass O(V + E) even when
a link into a summary constrains hundreds of subtasks.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from taskdesk.domain.model import LinkType
from taskdesk.domain.scheduling.model import CycleError, Link, ScheduleError, Task

# Link type codes used in the hot loops.
FS, SS, FF, SF = 0, 1, 2, 3
TYPE_CODE = {LinkType.FS: FS, LinkType.SS: SS, LinkType.FF: FF, LinkType.SF: SF}
TYPE_OF = {code: kind for kind, code in TYPE_CODE.items()}

# Node roles.
LEAF, ENTRY, EXIT = 0, 1, 2


@dataclass
class Graph:
    """Tasks by index (sorted by id) and the node graph in topological order.

    ``preds[t]`` / ``succs[t]`` hold ``(other task index, type code, lag)``. ``order``
    holds node numbers; ``node_task[v]`` and ``node_role[v]`` say what node ``v`` is.
    """

    tasks: list[Task]
    index: dict[int, int]
    duration: list[int]
    parent: list[int]
    children: list[list[int]]
    summary: list[bool]
    preds: list[list[tuple[int, int, int]]]
    succs: list[list[tuple[int, int, int]]]
    node_task: list[int]
    node_role: list[int]
    order: list[int]
    node_out: list[list[int]]


def build(tasks: Sequence[Task], links: Sequence[Link]) -> Graph:
    """Check the input and sort the graph topologically; see the module docstring.

    Raises ScheduleError for bad input and CycleError for a loop of links.
    """
    ordered = sorted(tasks, key=lambda t: t.id)
    index: dict[int, int] = {}
    for i, task in enumerate(ordered):
        if task.id in index:
            raise ScheduleError(f"task id {task.id} appears twice", task.id)
        if task.duration < 0:
            raise ScheduleError(
                f"task {task.name!r} has a negative duration ({task.duration})", task.id
            )
        if task.leveling_delay < 0:
            raise ScheduleError(f"task {task.name!r} has a negative leveling delay", task.id)
        index[task.id] = i
    parent, children = _hierarchy(ordered, index)
    summary = [bool(kids) for kids in children]
    duration = [0 if t.milestone or summary[i] else t.duration for i, t in enumerate(ordered)]
    preds: list[list[tuple[int, int, int]]] = [[] for _ in ordered]
    succs: list[list[tuple[int, int, int]]] = [[] for _ in ordered]
    for link in links:
        p, s = _check_link(link, index, parent, summary)
        code = TYPE_CODE[link.type]
        preds[s].append((p, code, link.lag))
        succs[p].append((s, code, link.lag))
    graph = Graph(ordered, index, duration, parent, children, summary, preds, succs, [], [], [], [])
    _topological_order(graph)
    return graph


def _hierarchy(ordered: list[Task], index: dict[int, int]) -> tuple[list[int], list[list[int]]]:
    """Parent index per task (-1 for none) and children lists; refuses unknown parents
    and loops of parents (a task cannot be its own ancestor)."""
    parent = [-1] * len(ordered)
    children: list[list[int]] = [[] for _ in ordered]
    for i, task in enumerate(ordered):
        if task.parent_id is None:
            continue
        if task.parent_id not in index:
            raise ScheduleError(
                f"task {task.name!r} has an unknown parent id {task.parent_id}", task.id
            )
        parent[i] = index[task.parent_id]
        children[parent[i]].append(i)
    state = [0] * len(ordered)  # 0 unseen, 1 on the current path, 2 known to reach a root
    for start in range(len(ordered)):
        path = []
        node = start
        while node >= 0 and state[node] == 0:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node >= 0 and state[node] == 1:
            task = ordered[node]
            raise ScheduleError(f"task {task.name!r} is its own ancestor (parent loop)", task.id)
        for visited in path:
            state[visited] = 2
    return parent, children


def _is_ancestor(a: int, b: int, parent: list[int]) -> bool:
    """Whether task index ``a`` is an ancestor of ``b``."""
    node = parent[b]
    while node >= 0:
        if node == a:
            return True
        node = parent[node]
    return False


def _check_link(
    link: Link, index: dict[int, int], parent: list[int], summary: list[bool]
) -> tuple[int, int]:
    """Indices of a link's ends, or ScheduleError / CycleError for a link we refuse."""
    for end in (link.predecessor, link.successor):
        if end not in index:
            raise ScheduleError(
                f"link {link.predecessor} → {link.successor} names an unknown task id {end}",
                end,
            )
    if link.predecessor == link.successor:
        raise CycleError([link.predecessor])
    p, s = index[link.predecessor], index[link.successor]
    if _is_ancestor(p, s, parent) or _is_ancestor(s, p, parent):
        # MS Project refuses these too: a summary's dates are made of its subtasks'.
        raise ScheduleError(
            f"link {link.predecessor} → {link.successor} joins a summary task and one of "
            "its own subtasks",
            link.successor,
        )
    if summary[s] and link.type in (LinkType.FF, LinkType.SF):
        # A summary's finish is the latest subtask finish; nothing else can drive it.
        raise ScheduleError(
            f"link {link.predecessor} → {link.successor} ({link.type.value}): a summary "
            "task can only be the successor of FS and SS links",
            link.successor,
        )
    return p, s


def _topological_order(graph: Graph) -> None:
    """Kahn's algorithm over the node graph, smallest node first (so the order, and
    every tie-break that uses it, is independent of the input order)."""
    node_task: list[int] = []
    node_role: list[int] = []
    entry: list[int] = []
    exit_: list[int] = []
    for t, is_summary in enumerate(graph.summary):
        entry.append(len(node_task))
        if is_summary:
            node_task += [t, t]
            node_role += [ENTRY, EXIT]
        else:
            node_task.append(t)
            node_role.append(LEAF)
        exit_.append(len(node_task) - 1)
    out: list[list[int]] = [[] for _ in node_task]
    indegree = [0] * len(node_task)

    def edge(a: int, b: int) -> None:
        out[a].append(b)
        indegree[b] += 1

    for t, kids in enumerate(graph.children):
        for kid in kids:
            edge(entry[t], entry[kid])
            edge(exit_[kid], exit_[t])
    for p, successors in enumerate(graph.succs):
        for s, _code, _lag in successors:
            edge(exit_[p], entry[s])
    graph.node_out = out
    ready = [v for v, d in enumerate(indegree) if d == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        v = heapq.heappop(ready)
        order.append(v)
        for w in out[v]:
            indegree[w] -= 1
            if indegree[w] == 0:
                heapq.heappush(ready, w)
    if len(order) < len(node_task):
        raise CycleError(_find_cycle(graph, out, indegree, node_task))
    graph.node_task, graph.node_role, graph.order = node_task, node_role, order


def _find_cycle(
    graph: Graph, out: list[list[int]], indegree: list[int], node_task: list[int]
) -> list[int]:
    """One cycle among the nodes Kahn could not order, as task ids in link order.

    Every such node still has a predecessor among them, so walking predecessors must
    repeat a node: the walk from there is a cycle. Smallest nodes are taken first, so the
    answer is deterministic; consecutive nodes of one summary collapse into its id.
    """
    remaining = {v for v, d in enumerate(indegree) if d > 0}
    into: dict[int, list[int]] = {v: [] for v in remaining}
    for v in remaining:
        for w in out[v]:
            if w in remaining:
                into[w].append(v)
    walk: list[int] = []
    position: dict[int, int] = {}
    node = min(remaining)
    while node not in position:
        position[node] = len(walk)
        walk.append(node)
        node = min(into[node])
    loop = walk[position[node] :]
    loop.reverse()  # predecessors were walked: reverse into link order
    ids: list[int] = []
    for v in loop:
        task_id = graph.tasks[node_task[v]].id
        if not ids or ids[-1] != task_id:
            ids.append(task_id)
    if len(ids) > 1 and ids[0] == ids[-1]:
        ids.pop()
    first = ids.index(min(ids))
    return ids[first:] + ids[:first]
