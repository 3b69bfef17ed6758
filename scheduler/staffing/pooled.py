"""What sets of queues need together: agents who share skills answer each other's calls.

A set S of queues is answered by every agent holding at least one skill in S, and they
answer S's calls as one pooled queue. So besides each queue's own requirement, the agents on
duty with a skill in S must number at least what S's pooled load needs (Hall's condition,
as in Cezik & L'Ecuyer 2008, Management Science 54(2)). Counting each agent on one queue per
interval instead asks every queue for its own Erlang number: on the demo week that is 2,172
agent-hours, against 1,160 for the pooled sets below and 1,042 Erlang-hours of load
(bench/service_model/FINDINGS.md).

The sets (`queue_sets`): every queue alone, every skill set agents hold, every
skill-connected group of queues, and the whole center. On the demo week these 29 sets need
exactly as many agent-hours as all 607 closed connected sets (Hall's condition for every
subset), so the larger family buys nothing there.

S's pooled load: calls summed, handle time calls-weighted (a chat queue's handle time over
its concurrency, so an agent is one server), abandonment rate 1/patience calls-weighted, and
the strictest target of S's queues; Erlang A where S has patience, else Erlang C; then the
center's shrinkage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np

from inputs.domain import Role, Workbook
from scheduler.staffing.agents import apply_shrinkage, required_agents
from scheduler.staffing.service import QueueLoad

QueueSet = frozenset[str]


def skill_sets(workbook: Workbook) -> list[QueueSet]:
    """The distinct sets of the workbook's queues that agents hold, sorted."""
    queues = {q.queue_id for q in workbook.queues}
    held = {frozenset(e.skills) & queues for e in workbook.employees if e.role is Role.AGENT}
    return sorted((s for s in held if s), key=_order)


def connected_groups(sets: Iterable[QueueSet], queues: Iterable[str]) -> list[QueueSet]:
    """Queues joined by agents who hold skills in both, as groups (union-find)."""
    parent = {q: q for q in queues}

    def root(q: str) -> str:
        while parent[q] != q:
            parent[q] = parent[parent[q]]
            q = parent[q]
        return q

    for s in sets:
        first, *rest = sorted(s)
        for q in rest:
            parent[root(q)] = root(first)
    groups: defaultdict[str, set[str]] = defaultdict(set)
    for q in parent:
        groups[root(q)].add(q)
    return sorted((frozenset(g) for g in groups.values()), key=_order)


def queue_sets(workbook: Workbook) -> list[QueueSet]:
    """The sets whose pooled requirement the roster covers: each queue, each skill set agents
    hold, each skill-connected group and the whole center; smallest first."""
    queues = [q.queue_id for q in workbook.queues]
    held = skill_sets(workbook)
    found = {frozenset([q]) for q in queues} | set(held)
    found |= set(connected_groups(held, queues)) | {frozenset(queues)}
    return sorted(found, key=_order)


def pooled_requirements(loads: Mapping[tuple[str, int], QueueLoad], sets: Iterable[QueueSet],
                        *, interval_s: float, shrinkage: float,
                        ) -> dict[tuple[QueueSet, int], int]:
    """Agents each set's pooled load needs per interval (only where it needs some).

    Args:
        loads: (queue, interval index) -> the queue's calls and handle time then.
        sets: the queue sets (see `queue_sets`).
        interval_s: interval length in seconds.
        shrinkage: the center's shrinkage (share of rostered time off the phones).
    """
    by_t: defaultdict[int, dict[str, QueueLoad]] = defaultdict(dict)
    for (q, t), load in loads.items():
        if load.calls > 0:
            by_t[t][q] = load
    times = sorted(by_t)
    out: dict[tuple[QueueSet, int], int] = {}
    for s in sets:
        cells = [[by_t[t][q] for q in sorted(s) if q in by_t[t]] for t in times]
        if not any(cells):
            continue
        need = _pooled_need(cells, interval_s, shrinkage)
        out.update({(s, t): int(n) for t, n in zip(times, need, strict=True) if n > 0})
    return out


def _pooled_need(cells: list[list[QueueLoad]], interval_s: float,
                 shrinkage: float) -> np.ndarray:
    """Agents (after shrinkage) for each interval's loads of one set served as one queue."""
    calls = np.array([sum(x.calls for x in c) for c in cells], dtype=float)
    work = np.array([sum(x.calls * x.aht_s / max(x.queue.concurrency, 1) for x in c)
                     for c in cells], dtype=float)
    impatience = np.array([sum(x.calls / x.queue.patience_s for x in c
                               if x.queue.patience_s) for c in cells], dtype=float)
    queues = {x.queue.queue_id: x.queue for c in cells for x in c}
    busy = calls > 0
    safe = np.where(busy, calls, 1.0)
    aht = np.where(busy, work / safe, 1.0)
    rate = impatience / safe  # calls-weighted 1/patience
    patience = np.where(rate > 0, 1.0 / np.where(rate > 0, rate, 1.0), np.inf)  # inf: Erlang C
    raw = required_agents(calls=calls, aht_s=aht, interval_s=interval_s,
                          service_level=max(q.service_level for q in queues.values()),
                          answer_s=min(q.answer_seconds for q in queues.values()),
                          patience_s=patience)
    return np.where(busy, apply_shrinkage(raw, shrinkage), 0)


def _order(s: QueueSet) -> tuple[int, list[str]]:
    return len(s), sorted(s)


def set_label(s: QueueSet) -> str:
    """"INFO+LEGAL": a set's name in shortfalls and variable names (a queue's own id alone)."""
    return "+".join(sorted(s))


__all__ = ["QueueSet", "connected_groups", "pooled_requirements", "queue_sets", "set_label",
           "skill_sets"]
