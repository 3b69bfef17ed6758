"""A good first roster, built a few employees at a time, to start the full solve from.

Each group gets the weeks that cover the most of what is still uncovered at the least cost,
under every hard rule: a small CP-SAT model over that group alone, with the same rule
functions as the full model. Each lead or manager role goes in groups of at most MAX_GROUP
(their breaks must be covered by each other); agents go one by one, specialists first, so
that the multi-skilled agents who come last fill the gaps, and a queue few agents can
serve weighs more (`scarcity`). Groups run on a thread pool, each as soon as the earlier
groups it shares a queue or role with are done, so the roster is the same on any number of
threads (the order and the waiting: `scheduler.roster.order`). The result is a complete hint: every variable of the full model gets
a value, so CP-SAT starts from a feasible roster (after `scheduler.roster.polish` improves it).
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ortools.sat.python import cp_model

from inputs.domain import Employee, Role, ServiceLevelScope
from scheduler.roster.cost import add_cost
from scheduler.roster.hint import Week, apply_hint
from scheduler.roster.model import RosterProblem, RosterVars, build_vars, pool_of
from scheduler.roster.order import group_needs, in_order, order_of
from scheduler.roster.pooled import (
    coverage_left,
    left_cells,
    linear_credit,
    pooled_cover,
    uses_pooled,
)
from scheduler.roster.rules import RULES, Penalty


def solve_group(problem: RosterProblem, group: tuple[Employee, ...],
                queue_left: dict[tuple[str, int], int], role_left: dict[tuple[Role, int], int],
                seed: int, time_limit_s: float | None = None,
                scarcity: dict[str, float] | None = None,
                hint: dict[str, Week] | None = None) -> dict[str, Week] | None:
    """The weeks for `group` that cover the most of what is left at the least cost.

    `scarcity` weighs each queue's shortfall (default 1): an agent with several skills then
    serves the queue that few others can. `hint` starts the search from given weeks.
    """
    skills = {q for e in group if e.role is Role.AGENT for q in e.skills}
    roles = {e.role for e in group}
    # Groups cover the per-interval requirement: a roster that does is feasible under every
    # scope, and the day or week scope's trade-offs are left to the full solve.
    center = dataclasses.replace(problem.workbook.center,
                                 service_level_scope=ServiceLevelScope.INTERVAL)
    weight = scarcity or {}
    pooled = uses_pooled(problem)
    rows, credit = (linear_credit(left_cells(queue_left, skills), group, weight) if pooled
                    else ({}, {}))
    sub = RosterProblem(
        workbook=dataclasses.replace(problem.workbook, employees=group, center=center),
        week_start=problem.week_start,
        queue_required={} if pooled else {k: n for k, n in queue_left.items()
                                          if n > 0 and k[0] in skills},
        pooled_required=rows,
        role_required={k: n for k, n in role_left.items() if n > 0 and k[0] in roles},
        previous=problem.previous,
    )
    model = cp_model.CpModel()
    v = build_vars(model, sub)
    penalties: list[Penalty] = []
    for rule in RULES:
        penalties.extend(rule.add(model, v, sub))
    model.minimize(add_cost(model, v, sub) + sum(
        round(p.weight * weight.get(p.what, 1.0)) * p.var for p in penalties) - sum(
        cents * v.on_duty[key] for key, cents in credit.items() if key in v.on_duty))
    if hint is not None:
        apply_hint(model, v, sub, hint, penalties)
    solver = cp_model.CpSolver()
    # Deterministic time (CP-SAT's machine-independent work measure, roughly seconds), so the
    # same inputs and seed give the same start on any machine; wall time is a safety net.
    limit = time_limit_s or group_time_limit(group)
    solver.parameters.max_deterministic_time = limit
    solver.parameters.max_time_in_seconds = 4 * limit + 1
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.catch_sigint_signal = False  # Ctrl-C stays Python's (see solve.py)
    # A one-week model is small: full presolve, probing and symmetry detection cost more
    # than they save (measured on the demo: the greedy start takes half the time without).
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.symmetry_level = 0
    solver.parameters.cp_model_probing_level = 0
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return read_weeks(solver, v, group, sub.interval)


def read_weeks(solver: Any, v: RosterVars, employees: tuple[Employee, ...],
               interval: int) -> dict[str, Week]:
    """The employees' weeks from a solved model, each pool's allocation shared out."""
    weeks = {e.employee_id: _read_week(solver, v, e, interval) for e in employees}
    _split_alloc(solver, v, weeks)
    return weeks


def _split_alloc(solver: Any, v: RosterVars, weeks: dict[str, Week]) -> None:
    """Hand each pool's allocation to its members on duty, one queue each per interval (the
    skills rule makes room: a pool serves at most as many queues as it has people on duty)."""
    pools = {eid: pool_of(v.employees[eid]) for eid in weeks}
    shares = share_out(weeks, pools, ((key, solver.value(var)) for key, var in v.alloc.items()))
    for eid, alloc in shares.items():
        weeks[eid].alloc.update(alloc)


def share_out(weeks: Mapping[str, Week], pools: Mapping[str, str],
              counts: Iterable[tuple[tuple[str, str, int], int]],
              ) -> dict[str, dict[tuple[str, int], int]]:
    """Each (pool, queue, t) count handed to that many of the pool's members on duty at t,
    in `weeks`' order, one queue each (`pools`: each employee's pool; others get nothing).

    Returns:
        Every pooled employee's allocation, (queue, t) -> 1.
    """
    free: defaultdict[tuple[str, int], list[str]] = defaultdict(list)
    for eid, week in weeks.items():
        if eid in pools:
            for t, n in week.on_duty.items():
                if n:
                    free[pools[eid], t].append(eid)
    shares: dict[str, dict[tuple[str, int], int]] = {eid: {} for eid in weeks if eid in pools}
    for (pool, q, t), n in counts:
        takers = free[pool, t]
        for eid in takers[:n]:
            shares[eid][q, t] = 1
        del takers[:n]
    return shares


def group_time_limit(group: tuple[Employee, ...]) -> float:
    """Deterministic seconds for one group's solve: enough for a good week, short enough that
    the whole start for the demo's 94 staff takes about 14 s on 2 cores (at 0.15 a third of
    the agents find no week and need the retry)."""
    return 0.2 if len(group) == 1 else min(0.2 * len(group), 1.0)


def greedy_work(problem: RosterProblem) -> float:
    """The greedy start's deterministic seconds when no group needs a retry."""
    return sum(group_time_limit(g) for g in order_of(problem.workbook.employees,
                                                     uses_pooled(problem)))


def _read_week(solver: Any, v: RosterVars, employee: Employee, interval: int) -> Week:
    """One employee's week from a solved model, without the allocation (a pool's, shared by
    its members: see `_split_alloc`)."""
    eid = employee.employee_id
    shifts = {k for k in range(len(v.options[eid])) if solver.boolean_value(v.shift[eid, k])}
    breaks = {(d, m) for d in range(7) for m, var in v.brk[eid, d].items()
              if solver.boolean_value(var)}
    short = {(d, i, m) for d in range(7) for i in (0, 1)
             for m, var in v.short.get((eid, d, i), {}).items() if solver.boolean_value(var)}
    duty: dict[int, int] = {}
    for k in shifts:
        o = v.options[eid][k]
        spans = [(m, o.break_minutes) for d, m in breaks if d == o.day]
        spans += [(m, o.short_break_minutes) for d, _, m in short if d == o.day]
        off = {t for m, length in spans
               for t in range(m // interval, -(-(m + length) // interval))}
        duty.update({t: 1 for t in range(o.start // interval, o.end // interval) if t not in off})
    return Week(shifts=shifts, breaks=breaks, on_duty=duty, alloc={}, short_breaks=short,
                cost=solver.value(v.week_cost[eid]))


def weeks_from_solution(solver: Any, v: RosterVars,
                        problem: RosterProblem) -> dict[str, Week]:
    """A solved roster as a complete hint, to start a re-solve of a changed week from it."""
    return read_weeks(solver, v, tuple(v.employees.values()), problem.interval)


# A queue's shortfall weighs at most this many times an ordinary queue's in the greedy.
SCARCITY_CAP = 3.0


def scarcity(problem: RosterProblem) -> dict[str, float]:
    """Each queue's need over the agent time that could serve it (an agent's maximum hours
    shared evenly over their skills), relative to the center's average, from 1 to
    SCARCITY_CAP: the weight of its shortfall in the greedy start."""
    need: defaultdict[str, float] = defaultdict(float)
    for (q, _), n in problem.queue_required.items():
        need[q] += max(n, 0) * problem.interval
    supply: defaultdict[str, float] = defaultdict(float)
    for e in problem.workbook.employees:
        if e.role is Role.AGENT and e.skills:
            hours = problem.workbook.contract_of(e).max_weekly_hours
            for q in e.skills:
                supply[q] += hours * 60 / len(e.skills)
    def load(q: str) -> float:  # need per minute of supply; no supply at all: the cap
        return need[q] / supply[q] if supply[q] else math.inf

    served, needed = sum(supply[q] for q in need), sum(need.values())
    if not served or not needed:
        return dict.fromkeys(need, 1.0)
    return {q: min(max(load(q) / (needed / served), 1.0), SCARCITY_CAP) for q in need}


def solve_group_retrying(problem: RosterProblem, group: tuple[Employee, ...],
                         queue_left: dict[tuple[str, int], int],
                         role_left: dict[tuple[Role, int], int], seed: int,
                         weights: dict[str, float] | None = None) -> dict[str, Week] | None:
    """`solve_group` with its short search, then three times as long, then a long one."""
    for limit in (group_time_limit(group), 3 * group_time_limit(group), 2.0 + 2.0 * len(group)):
        found = solve_group(problem, group, queue_left, role_left, seed, limit, weights)
        if found is not None:
            return found
    return None


def take_covered(staff: Mapping[str, Employee], weeks: dict[str, Week],
                 queue_left: dict[tuple[str, int], int],
                 role_left: dict[tuple[Role, int], int], sign: int = -1,
                 pooled: bool = False) -> None:
    """Take what `weeks` cover off what is left (sign=+1 gives it back); `staff` maps each
    employee id to the employee (`staff_of`). `pooled`: what is left is per queue set
    (`left_cells`), and an agent on duty covers every set holding one of their skills."""
    if pooled:
        for key, n in pooled_cover(staff, weeks, queue_left).items():
            queue_left[key] += sign * n
    for eid, week in weeks.items():
        role = staff[eid].role
        if not pooled:
            for key, n in week.alloc.items():
                queue_left[key] = queue_left.get(key, 0) + sign * n
        if role is not Role.AGENT:
            for t, n in week.on_duty.items():
                if (role, t) in role_left:
                    role_left[role, t] += sign * n


def staff_of(problem: RosterProblem) -> dict[str, Employee]:
    """Each employee by id, for `take_covered`."""
    return {e.employee_id: e for e in problem.workbook.employees}


def left_for(group: tuple[Employee, ...], queue_left: dict[tuple[str, int], int],
             role_left: dict[tuple[Role, int], int]
             ) -> tuple[dict[tuple[str, int], int], dict[tuple[Role, int], int]]:
    """A copy of what is left in the group's own queues and roles."""
    needs = group_needs(group)
    return ({k: n for k, n in queue_left.items() if not needs.isdisjoint(k[0].split("+"))},
            {k: n for k, n in role_left.items() if "role:" + k[0].value in needs})


# In the greedy, each employee works at most this many hours a week over the contract's
# minimum. Without a cap the first employees work their maximum on hours that later ones,
# whose minimum hours are paid anyway, would have covered; the polish that follows adds
# hours where a queue is still short, up to the contract's real maximum. Measured on the
# scaled center (940 staff), greedy then polish: no cap, greedy 99.6 s, cost 2,074,361 ILS
# with 2 intervals short; 4 h, 104.5 s, 2,034,412 with 4; 2 h, 116.2 s (more weeks need a
# retry), 2,009,169 with 9. 4 h keeps the first roster within its time; on the demo it
# takes the greedy from 14.5 s (2 h) to 12 s, the objective within the runs' spread.
GREEDY_HEADROOM_H = 4.0


def within_headroom(problem: RosterProblem) -> RosterProblem:
    """The problem with every contract's maximum hours cut to its minimum plus
    GREEDY_HEADROOM_H (a contract without a minimum keeps its maximum)."""
    contracts = tuple(
        dataclasses.replace(c, max_weekly_hours=min(
            c.max_weekly_hours, c.min_weekly_hours + GREEDY_HEADROOM_H))
        if c.min_weekly_hours > 0 else c for c in problem.workbook.contracts)
    return dataclasses.replace(
        problem, workbook=dataclasses.replace(problem.workbook, contracts=contracts))


def construct_hint(problem: RosterProblem, seed: int = 0, threads: int = 1,
                   cancel: threading.Event | None = None) -> dict[str, Week] | None:
    """Every employee's week, chosen greedily within `within_headroom`'s hours (with the
    contract's full hours where that leaves no legal week); None if some employee has no
    legal week at all (or `cancel` was set). Groups run on `threads` threads (see
    `in_order`)."""
    capped = within_headroom(problem)
    queue_left = coverage_left(problem)
    role_left = dict(problem.role_required)
    weights = scarcity(problem)
    pooled = uses_pooled(problem)
    groups = order_of(problem.workbook.employees, pooled)
    staff = staff_of(problem)
    weeks: dict[str, Week] = {}

    def prepare(i: int) -> Callable[[], dict[str, Week] | None]:
        queues, roles = left_for(groups[i], queue_left, role_left)
        return lambda: (
            solve_group_retrying(capped, groups[i], queues, roles, seed, weights)
            or solve_group_retrying(problem, groups[i], queues, roles, seed, weights))

    def land(i: int, found: dict[str, Week] | None) -> bool:
        if found is None:
            return False
        weeks.update(found)
        take_covered(staff, found, queue_left, role_left, pooled=pooled)
        return True

    stop = (lambda: cancel.is_set()) if cancel is not None else (lambda: False)
    return weeks if in_order(groups, threads, prepare, land, stop, pooled) else None
