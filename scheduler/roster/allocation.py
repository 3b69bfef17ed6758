"""Which queue each agent on duty serves: as much of the requirement as the shifts allow
(`cover_most`), then idle agents where they add the most service (`spread_idle_agents`)."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

from inputs.domain import Role, ServiceLevelScope
from scheduler.roster.construct import share_out
from scheduler.roster.hint import Week
from scheduler.roster.model import RosterProblem, pool_of
from scheduler.roster.pooled import uses_pooled
from scheduler.roster.sl_scope import scope_cap
from scheduler.staffing import QueueLoad, load_service_level


def cover_most(problem: RosterProblem, weeks: dict[str, Week]) -> dict[str, Week]:
    """The same weeks with each interval's agents re-allocated: first to cover the most of
    what the queues need, then as many of the others as can be given a queue as spare, no
    group of agents with the same skills giving a queue more than it needs (the full
    model's bound on each group's allocation), and under a day or week scope no queue more
    than `scope_cap` in all (the model's bound on the agents serving it).

    The greedy and the polish allocate a week when they choose it, against what the weeks
    chosen before it left: an agent who took one queue may be the only one who can serve
    another that a later week left short (re-allocating the demo's greedy roster: 333
    agent-intervals short become 287). And the polish prices a week by what the others
    leave: an agent it sees as needed can move only where the spare shows. Measured on the
    demo, greedy then 55 s of polish on 2 threads (objective, ILS): no re-allocation
    430,000-444,000 (seeds 0-2); coverage only, the idle agents left idle or spread by hand,
    397,000-448,000; coverage and spare, this function, 334,000 and 360,000 (seeds 1-2).

    A linear program (a min-cost flow per interval, so HiGHS's vertex is whole numbers):
    shortfall costs more than all the spare together. Shifts, breaks and costs are
    unchanged; leads' weeks are returned as given. Under coverage by queue sets
    (`scheduler.roster.pooled`) no agent is tied to a queue: the weeks come back as given.
    """
    if uses_pooled(problem):
        return weeks
    agents = {e.employee_id: e for e in problem.workbook.employees
              if e.role is Role.AGENT and e.employee_id in weeks}
    pools = {eid: pool_of(e) for eid, e in agents.items()}
    skills = {pools[eid]: tuple(sorted(e.skills)) for eid, e in agents.items()}
    on_duty: defaultdict[int, Counter[str]] = defaultdict(Counter)  # t -> pool -> agents
    for eid in agents:
        for t, n in weeks[eid].on_duty.items():
            if n:
                on_duty[t][pools[eid]] += 1
    flow = _Flow()
    short_cost = len(agents) + 1.0  # above any spare one agent less short could buy
    capped = problem.workbook.center.service_level_scope is not ServiceLevelScope.INTERVAL
    for t, need in sorted(_needs(problem).items()):
        serving = _serving_columns(flow, t, need, on_duty[t], skills)
        _need_rows(flow, problem, t, need, serving, short_cost, capped)
    shares = share_out({eid: weeks[eid] for eid in sorted(agents)}, pools, _solve_flow(flow))
    return {eid: dataclasses.replace(week, alloc=shares[eid]) if eid in shares else week
            for eid, week in weeks.items()}


@dataclass(slots=True)
class _Flow:
    """The re-allocation's linear program as it is built: columns with upper bounds and
    costs, rows `a.x <= rhs` as triplets, and the (pool, queue, interval) of each column
    that puts a pool's agents on a queue."""

    edges: list[tuple[int, tuple[str, str, int]]] = field(default_factory=list)
    upper: list[int] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    a_rows: list[int] = field(default_factory=list)
    a_cols: list[int] = field(default_factory=list)
    a_vals: list[float] = field(default_factory=list)
    rhs: list[int] = field(default_factory=list)


def _needs(problem: RosterProblem) -> defaultdict[int, dict[str, int]]:
    """The agents each queue needs, by interval (only where it needs someone)."""
    needs: defaultdict[int, dict[str, int]] = defaultdict(dict)
    for (q, t), n in problem.queue_required.items():
        if n > 0:
            needs[t][q] = n
    return needs


def _serving_columns(flow: _Flow, t: int, need: dict[str, int], on_duty: Counter[str],
                     skills: dict[str, tuple[str, ...]]) -> defaultdict[str, list[int]]:
    """A pool's agents on duty at `t` serve at most their number in all; a column per pool
    and skilled queue in need, worth one each and at most what the queue needs.

    Returns:
        The columns serving each queue.
    """
    serving: defaultdict[str, list[int]] = defaultdict(list)
    for pool in sorted(on_duty, key=skills.__getitem__):
        row = len(flow.rhs)
        flow.rhs.append(on_duty[pool])
        for q in skills[pool]:
            if q in need:
                serving[q].append(len(flow.cost))
                flow.a_rows.append(row)
                flow.a_cols.append(len(flow.cost))
                flow.a_vals.append(1.0)
                flow.edges.append((len(flow.cost), (pool, q, t)))
                flow.upper.append(need[q])
                flow.cost.append(-1.0)
    return serving


def _need_rows(flow: _Flow, problem: RosterProblem, t: int, need: dict[str, int],
               serving: defaultdict[str, list[int]], short_cost: float, capped: bool) -> None:
    """Each queue's need at `t` is served or its shortfall paid at `short_cost`; under a day
    or week scope no more than `scope_cap` serve it."""
    for q, n in sorted(need.items()):
        row = len(flow.rhs)
        flow.rhs.append(-n)
        flow.a_rows.extend([row] * (len(serving[q]) + 1))
        flow.a_cols.extend([*serving[q], len(flow.cost)])
        flow.a_vals.extend([-1.0] * (len(serving[q]) + 1))
        flow.upper.append(n)
        flow.cost.append(short_cost)
        if capped:  # day or week scope: the model counts at most scope_cap serving
            flow.rhs.append(scope_cap(problem, q, t))
            flow.a_rows.extend([row + 1] * len(serving[q]))
            flow.a_cols.extend(serving[q])
            flow.a_vals.extend([1.0] * len(serving[q]))


def _solve_flow(flow: _Flow) -> list[tuple[tuple[str, str, int], int]]:
    """The agents each column puts on a queue, by HiGHS (none when no queue needs anyone).

    Raises:
        RuntimeError: the program failed or its vertex was not whole (a bug: it is always
            feasible and a network matrix).
    """
    if not flow.cost:
        return []
    matrix = csr_array((flow.a_vals, (flow.a_rows, flow.a_cols)),
                       shape=(len(flow.rhs), len(flow.cost)))
    bounds = np.column_stack([np.zeros(len(flow.cost)), np.array(flow.upper, dtype=float)])
    result = linprog(np.array(flow.cost), A_ub=matrix, b_ub=np.array(flow.rhs, dtype=float),
                     bounds=bounds, method="highs")
    if result.status != 0 or np.abs(result.x - np.round(result.x)).max(initial=0) > 1e-6:
        # A bug: the program is always feasible and its vertices whole (a network matrix).
        raise RuntimeError(f"re-allocating the agents: {result.message}")
    return [(key, round(result.x[col])) for col, key in flow.edges]


def spread_idle_agents(
    alloc: dict[tuple[str, str, int], int],
    on_duty: dict[tuple[str, int], int],
    skills: dict[str, tuple[str, ...]],
    loads: dict[tuple[str, int], QueueLoad],
    interval_s: float,
) -> dict[tuple[str, str, int], int]:
    """Assign each on-duty agent the solver left idle to the skilled queue they help most.

    The solver staffs each queue to its requirement; agents on duty beyond that still take
    calls. Each goes, one at a time, to the queue where one more agent answers the most
    extra calls within target. Returns the new allocation per (pool, queue, interval).
    """
    result = dict(alloc)
    per_queue: defaultdict[tuple[str, int], int] = defaultdict(int)
    for (_, q, t), n in alloc.items():
        per_queue[q, t] += n
    for (pool, t), n in sorted(on_duty.items()):
        if pool not in skills:
            continue
        spare = n - sum(alloc.get((pool, q, t), 0) for q in skills[pool])
        for _ in range(max(spare, 0)):
            best, best_gain = None, 0.0
            for q in skills[pool]:
                load = loads.get((q, t))
                if load is None or load.calls <= 0:
                    continue
                have = per_queue[q, t]
                gain = load.calls * (load_service_level(load, have + 1, interval_s)
                                     - load_service_level(load, have, interval_s))
                if best is None or gain > best_gain:
                    best, best_gain = q, gain
            if best is None:
                break
            result[pool, best, t] = result.get((pool, best, t), 0) + 1
            per_queue[best, t] += 1
    return result
