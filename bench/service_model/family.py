"""Queue-set families and their pooled Erlang requirements (issue 18 prototype).

A set S of queues is covered by the agent pools N(S) that hold at least one skill in S.
Hall-type coverage asks, per interval t and set S in a family F:

    sum_{p in N(S)} on_duty[p, t] >= r(S, t)

with r(S, t) the agents Erlang A (Erlang C without patience) needs for S's pooled load:
calls summed, handle time calls-weighted, abandonment rate 1/patience calls-weighted,
the strictest service target of S's queues, then the center's shrinkage.

Families:
- single: the queues alone (the weakest: no pooling limit at all between queues);
- basic: single + every pool's skill set + skill-connected components + whole center;
- closed: every *closed connected* set: S connected in the queue-pool graph and closed
  (S holds every queue whose pools all lie in N(S)). A set that is not closed is implied by
  its closure (same N, r monotone); a set that is not connected splits into parts with
  disjoint pools, and its constraint is implied by theirs where r is subadditive (Erlang
  requirements of pooled loads are). So `closed` is Hall's condition for *all* subsets.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np

from inputs.domain import Role, Workbook
from scheduler.roster.model import RosterProblem, pool_of
from scheduler.staffing.agents import apply_shrinkage, required_agents


def agent_pools(workbook: Workbook) -> tuple[dict[str, frozenset[str]], dict[str, int]]:
    """pool -> its skill set (queues of the workbook only), pool -> members."""
    queues = {q.queue_id for q in workbook.queues}
    skills: dict[str, frozenset[str]] = {}
    size: defaultdict[str, int] = defaultdict(int)
    for e in workbook.employees:
        if e.role is Role.AGENT:
            skills[pool_of(e)] = frozenset(e.skills) & queues
            size[pool_of(e)] += 1
    return skills, dict(size)


def neighbours(skills: dict[str, frozenset[str]], s: frozenset[str]) -> frozenset[str]:
    return frozenset(p for p, sk in skills.items() if sk & s)


def components(skills: dict[str, frozenset[str]], queues: list[str]) -> list[frozenset[str]]:
    parent = {q: q for q in queues}

    def find(q: str) -> str:
        while parent[q] != q:
            parent[q] = parent[parent[q]]
            q = parent[q]
        return q

    for sk in skills.values():
        sk = sorted(sk)
        for a, b in itertools.pairwise(sk):
            parent[find(a)] = find(b)
    groups: defaultdict[str, set[str]] = defaultdict(set)
    for q in queues:
        groups[find(q)].add(q)
    return [frozenset(g) for g in groups.values()]


def _connected(skills: dict[str, frozenset[str]], s: frozenset[str]) -> bool:
    inner = {p: sk & s for p, sk in skills.items() if sk & s}
    return len(components(inner, sorted(s))) == 1


def family(workbook: Workbook, kind: str) -> list[frozenset[str]]:
    queues = [q.queue_id for q in workbook.queues]
    skills, _ = agent_pools(workbook)
    singles = [frozenset([q]) for q in queues]
    if kind == "single":
        return singles
    if kind == "basic":
        sets = set(singles) | {sk for sk in skills.values() if len(sk) > 1}
        sets |= set(components(skills, queues)) | {frozenset(queues)}
        return sorted(sets, key=lambda s: (len(s), sorted(s)))
    if kind == "closed":
        if len(queues) > 16:
            raise ValueError("closed family enumerates subsets: too many queues")
        pools_of_q = {q: frozenset(p for p, sk in skills.items() if q in sk) for q in queues}
        found = set()
        for k in range(1, len(queues) + 1):
            for combo in itertools.combinations(queues, k):
                s = frozenset(combo)
                n = neighbours(skills, s)
                closure = frozenset(q for q in queues if pools_of_q[q] and pools_of_q[q] <= n)
                if closure == s and _connected(skills, s):
                    found.add(s)
        return sorted(found, key=lambda s: (len(s), sorted(s)))
    raise ValueError(kind)


def pooled_requirements(problem: RosterProblem, sets: list[frozenset[str]],
                        extra: dict[tuple[frozenset[str], int], int] | None = None,
                        ) -> dict[tuple[frozenset[str], int], int]:
    """r(S, t) > 0 for every set and interval with calls (plus `extra`, the cuts)."""
    wb = problem.workbook
    qs = {q.queue_id: q for q in wb.queues}
    by_t: defaultdict[int, dict[str, tuple[float, float]]] = defaultdict(dict)
    for (q, t), load in problem.loads.items():
        if load.calls > 0:
            by_t[t][q] = (load.calls, load.aht_s)
    times = sorted(by_t)
    out: dict[tuple[frozenset[str], int], int] = {}
    interval_s = problem.interval * 60
    for s in sets:
        calls = np.zeros(len(times))
        work = np.zeros(len(times))
        theta = np.zeros(len(times))
        for i, t in enumerate(times):
            for q in s:
                if q in by_t[t]:
                    c, a = by_t[t][q]
                    calls[i] += c
                    work[i] += c * a
                    p = qs[q].patience_s
                    theta[i] += c * (0.0 if p is None else 1.0 / p)
        busy = calls > 0
        if not busy.any():
            continue
        aht = np.where(busy, work / np.where(busy, calls, 1), 1.0)
        th = np.where(busy, theta / np.where(busy, calls, 1), 0.0)
        patience = np.where(th > 0, 1.0 / np.where(th > 0, th, 1), np.inf)
        target = max(qs[q].service_level for q in s)
        answer = min(qs[q].answer_seconds for q in s)
        raw = required_agents(calls=calls, aht_s=aht, interval_s=interval_s,
                              service_level=target, answer_s=answer, patience_s=patience)
        need = apply_shrinkage(raw, wb.center.shrinkage)
        for i, t in enumerate(times):
            if need[i] > 0:
                out[s, t] = int(need[i])
    for key, n in (extra or {}).items():
        out[key] = out.get(key, 0) + n
    return out


def prune(reqs: dict[tuple[frozenset[str], int], int], skills: dict[str, frozenset[str]],
          ) -> dict[tuple[frozenset[str], int], int]:
    """Drop (S, t) implied by a subset S' of S in the family with r(S', t) >= r(S, t)
    (N(S') is inside N(S)). Checked against subsets in the family only."""
    by_t: defaultdict[int, list[tuple[frozenset[str], int]]] = defaultdict(list)
    for (s, t), n in reqs.items():
        by_t[t].append((s, n))
    out = {}
    for t, items in by_t.items():
        items.sort(key=lambda x: len(x[0]))
        for i, (s, n) in enumerate(items):
            if not any(len(s2) < len(s) and s2 < s and n2 >= n for s2, n2 in items[:i]):
                out[s, t] = n
    return out
