"""Who the greedy start and its polish solve when: the groups in order, and which earlier
groups each must wait for, so that groups solved side by side on a thread pool give the
same weeks as solved one after another (`in_order`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

from inputs.domain import Employee, Role

_ROLE_ORDER = {Role.SHIFT_LEAD: 0, Role.FLOOR_LEAD: 1, Role.TEAM_MANAGER: 2, Role.AGENT: 3}


# A role group larger than this is solved in parts: CP-SAT finds no first week for 50 shift
# leads at once without a hint (measured on the ten-times center: nothing in 102 s).
MAX_GROUP = 7


def order_of(employees: tuple[Employee, ...], pooled: bool = False,
             ) -> list[tuple[Employee, ...]]:
    """Each lead or manager role in groups of at most MAX_GROUP (their breaks must be covered
    by each other), then agents one by one, specialists first. `pooled`: among agents with
    as many skills, one of each skill set in turn, so that agents solved side by side (see
    `POOLED_BATCH`) seldom chase the same calls."""
    leads = [r for r in sorted(_ROLE_ORDER, key=_ROLE_ORDER.__getitem__) if r is not Role.AGENT]
    groups = []
    for role in leads:
        members = tuple(e for e in employees if e.role is role)
        parts = -(-len(members) // MAX_GROUP)  # as even as can be: 50 -> 8 parts of 6-7
        groups += [members[i::parts] for i in range(parts)]
    agents = sorted((e for e in employees if e.role is Role.AGENT),
                    key=lambda e: (len(e.skills), e.employee_id))
    if pooled:
        agents = sorted(agents, key=_in_turn(agents))
    return groups + [(e,) for e in agents]


def _in_turn(agents: list[Employee]) -> Callable[[Employee], tuple[int, int, tuple[str, ...]]]:
    """Sort key: skill count, then the agent's rank among those with the same skills, then
    the skills (agents of one skill set take turns with the others of as many skills)."""
    rank: dict[str, int] = {}
    seen: defaultdict[tuple[str, ...], int] = defaultdict(int)
    for e in agents:
        profile = tuple(sorted(e.skills))
        rank[e.employee_id] = seen[profile]
        seen[profile] += 1
    return lambda e: (len(e.skills), rank[e.employee_id], tuple(sorted(e.skills)))


def group_needs(group: tuple[Employee, ...], pooled: bool = False) -> frozenset[str]:
    """What a group covers: its agents' queues and its leads' roles. Groups whose needs do
    not meet cannot change each other's week, whatever order they are solved in. `pooled`:
    agents share the sets of queues, the whole center among them, so every agent group
    meets every other."""
    agents = [e for e in group if e.role is Role.AGENT]
    return frozenset(q for e in agents for q in e.skills) | frozenset(
        "role:" + e.role.value for e in group if e.role is not Role.AGENT) | frozenset(
        ["agents"] if pooled and agents else [])


# Under coverage by queue sets every agent's week meets every other's, so agents would go
# strictly one after another: they go in batches of this many instead, each member solved
# against what the batches before it left (the same batches on any number of threads).
POOLED_BATCH = 2


def after_whom(groups: list[tuple[Employee, ...]], pooled: bool = False) -> list[set[int]]:
    """For each group, the earlier groups whose needs meet its own: it is solved once they
    are, and then sees exactly what it would see solved in order. `pooled`: an agent group
    waits for the agent groups of the batches before its own (`POOLED_BATCH`)."""
    needs = [group_needs(g, pooled) for g in groups]
    batch = _batches(groups) if pooled else {}
    return [{j for j in range(i) if needs[j] & needs[i]
             and (i not in batch or j not in batch or batch[j] < batch[i])}
            for i in range(len(groups))]


def _batches(groups: list[tuple[Employee, ...]]) -> dict[int, int]:
    """Each agent group's batch: agent groups in order, POOLED_BATCH to a batch."""
    agents = [i for i, g in enumerate(groups) if any(e.role is Role.AGENT for e in g)]
    return {i: k // POOLED_BATCH for k, i in enumerate(agents)}


T = TypeVar("T")


def in_order(groups: list[tuple[Employee, ...]], threads: int,
             prepare: Callable[[int], Callable[[], T]], land: Callable[[int, T], bool],
             stop: Callable[[], bool] = lambda: False, pooled: bool = False) -> bool:
    """Solve the groups on `threads` threads, each once the earlier groups it shares a queue
    or role with have landed: each then sees what it would see solved in order, so the
    result does not depend on `threads`.

    `pooled`: agents cover sets of queues together (see `group_needs`).
    `prepare(i)` runs in the calling thread (it reads what is left, as the group's deps left
    it) and returns the work for the pool; `land(i, result)` takes the result in the calling
    thread and returns False to give up. `stop()` is asked before each new group.

    Returns:
        True when every group landed (False when `land` gave up or `stop()` said so).
    """
    waiting = dict(enumerate(after_whom(groups, pooled)))
    threads = max(threads, 1)
    stopped = False
    with ThreadPoolExecutor(max_workers=threads) as pool:
        running: dict[Future[T], int] = {}
        while waiting or running:
            ready = [i for i, deps in waiting.items() if not deps]
            if waiting and stop():
                stopped = True
                ready = []
                waiting.clear()
            for i in ready[:max(threads - len(running), 0)]:
                del waiting[i]
                running[pool.submit(prepare(i))] = i
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                i = running.pop(future)
                if not land(i, future.result()):
                    for other in running:
                        other.cancel()
                    return False
                for deps in waiting.values():
                    deps.discard(i)
    return not stopped


__all__ = ["MAX_GROUP", "POOLED_BATCH", "after_whom", "group_needs", "in_order", "order_of"]
