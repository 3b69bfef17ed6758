"""A good first roster, built a few employees at a time, to start the full solve from.

Each group in turn gets the weeks that cover the most of what is still uncovered at the
least cost, under every hard rule: a small CP-SAT model over that group alone, with the
same rule functions as the full model. Leads and managers are few, so each role is one
group (their breaks must be covered by each other); agents go one by one, specialists
first, so that the multi-skilled agents who come last fill the gaps. The result is a
complete hint: every variable of the full model gets a value, so CP-SAT starts from a
feasible roster.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Any

from ortools.sat.python import cp_model

from inputs.domain import Employee, Role, ServiceLevelScope
from scheduler.cost import add_cost
from scheduler.model import RosterProblem, RosterVars, build_vars, pool_of
from scheduler.rules import RULES, Penalty
from scheduler.sl_scope import hint_scope

_ROLE_ORDER = {Role.SHIFT_LEAD: 0, Role.FLOOR_LEAD: 1, Role.TEAM_MANAGER: 2, Role.AGENT: 3}


@dataclasses.dataclass(slots=True)
class Week:
    """One employee's chosen week: shift option indices, break minutes, coverage given."""

    shifts: set[int]
    breaks: set[tuple[int, int]]  # (day, minute)
    on_duty: dict[int, int]  # interval -> 1 when on duty
    alloc: dict[tuple[str, int], int]  # (queue, interval) -> 1


# A role group larger than this is solved in parts: CP-SAT finds no first week for 50 shift
# leads at once without a hint (measured on the ten-times center: nothing in 102 s).
MAX_GROUP = 7


def _groups(employees: tuple[Employee, ...]) -> list[tuple[Employee, ...]]:
    """Each lead or manager role in groups of at most MAX_GROUP (their breaks must be covered
    by each other), then agents one by one, specialists first."""
    leads = [r for r in sorted(_ROLE_ORDER, key=_ROLE_ORDER.__getitem__) if r is not Role.AGENT]
    groups = []
    for role in leads:
        members = tuple(e for e in employees if e.role is role)
        parts = -(-len(members) // MAX_GROUP)  # as even as can be: 50 -> 8 parts of 6-7
        groups += [members[i::parts] for i in range(parts)]
    agents = sorted((e for e in employees if e.role is Role.AGENT),
                    key=lambda e: (len(e.skills), e.employee_id))
    return groups + [(e,) for e in agents]


def _solve_group(problem: RosterProblem, group: tuple[Employee, ...],
                 queue_left: dict[tuple[str, int], int], role_left: dict[tuple[Role, int], int],
                 seed: int, time_limit_s: float | None = None) -> dict[str, Week] | None:
    skills = {q for e in group if e.role is Role.AGENT for q in e.skills}
    roles = {e.role for e in group}
    # Groups cover the per-interval requirement: a roster that does is feasible under every
    # scope, and the day or week scope's trade-offs are left to the full solve.
    center = dataclasses.replace(problem.workbook.center,
                                 service_level_scope=ServiceLevelScope.INTERVAL)
    sub = RosterProblem(
        workbook=dataclasses.replace(problem.workbook, employees=group, center=center),
        week_start=problem.week_start,
        queue_required={k: n for k, n in queue_left.items() if n > 0 and k[0] in skills},
        role_required={k: n for k, n in role_left.items() if n > 0 and k[0] in roles},
        previous=problem.previous,
    )
    model = cp_model.CpModel()
    v = build_vars(model, sub)
    penalties: list[Penalty] = []
    for rule in RULES:
        penalties.extend(rule.add(model, v, sub))
    model.minimize(add_cost(model, v, sub) + sum(p.weight * p.var for p in penalties))
    solver = cp_model.CpSolver()
    # Deterministic time (CP-SAT's machine-independent work measure, roughly seconds), so the
    # same inputs and seed give the same start on any machine; wall time is a safety net.
    limit = time_limit_s or _time_limit(group)
    solver.parameters.max_deterministic_time = limit
    solver.parameters.max_time_in_seconds = 4 * limit + 1
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.catch_sigint_signal = False  # Ctrl-C stays Python's (see solve.py)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {e.employee_id: _read_week(solver, v, e, sub.interval) for e in group}


def _time_limit(group: tuple[Employee, ...]) -> float:
    """Deterministic seconds for one group's solve: enough for a good week, short enough that
    the whole start for the demo's 94 staff takes about 25 s (the full solve polishes it)."""
    return 0.2 if len(group) == 1 else min(0.4 * len(group), 2.0)


def _read_week(solver: Any, v: RosterVars, employee: Employee,
               interval: int, with_alloc: bool = True) -> Week:
    """One employee's week from a solved model (in the greedy, agents are solved alone, so
    the group's allocation is theirs; `with_alloc=False` leaves it out)."""
    eid = employee.employee_id
    shifts = {k for k in range(len(v.options[eid])) if solver.boolean_value(v.shift[eid, k])}
    breaks = {(d, m) for d in range(7) for m, var in v.brk[eid, d].items()
              if solver.boolean_value(var)}
    duty: dict[int, int] = {}
    for k in shifts:
        o = v.options[eid][k]
        off = {t for d, m in breaks if d == o.day
               for t in range(m // interval, -(-(m + o.break_minutes) // interval))}
        duty.update({t: 1 for t in range(o.start // interval, o.end // interval) if t not in off})
    alloc = ({(q, t): solver.value(var) for (_, q, t), var in v.alloc.items()}
             if employee.role is Role.AGENT and with_alloc else {})
    return Week(shifts=shifts, breaks=breaks, on_duty=duty, alloc=alloc)


def weeks_from_solution(solver: Any, v: RosterVars,
                        problem: RosterProblem) -> dict[str, Week]:
    """A solved roster as a complete hint, to start a re-solve of a changed week from it.

    Each pool's allocation goes on its first member's week: the hint sums it per pool.
    """
    weeks = {eid: _read_week(solver, v, e, problem.interval, with_alloc=False)
             for eid, e in v.employees.items()}
    first: dict[str, str] = {}
    for eid, e in v.employees.items():
        first.setdefault(pool_of(e), eid)
    for (pool, q, t), var in v.alloc.items():
        weeks[first[pool]].alloc[q, t] = solver.value(var)
    return weeks


def construct_hint(problem: RosterProblem, seed: int = 0) -> dict[str, Week] | None:
    """Every employee's week, chosen greedily; None if some employee has no legal week."""
    queue_left = dict(problem.queue_required)
    role_left = dict(problem.role_required)
    weeks: dict[str, Week] = {}
    for group in _groups(problem.workbook.employees):
        found = _solve_group(problem, group, queue_left, role_left, seed)
        if found is None:  # the short search found nothing: give it the long one
            found = _solve_group(problem, group, queue_left, role_left, seed,
                                 time_limit_s=2.0 + 2.0 * len(group))
        if found is None:
            return None
        weeks.update(found)
        for employee in group:
            week = found[employee.employee_id]
            for key, n in week.alloc.items():
                queue_left[key] = queue_left.get(key, 0) - n
            if employee.role is not Role.AGENT:
                for t, n in week.on_duty.items():
                    key = (employee.role, t)
                    if key in role_left:
                        role_left[key] -= n
    return weeks


def apply_hint(model: cp_model.CpModel, v: RosterVars, problem: RosterProblem,
               weeks: dict[str, Week], penalties: list[Penalty]) -> None:
    """Hint every variable of the full model from the greedy weeks."""
    for (eid, k), var in v.shift.items():
        model.add_hint(var, k in weeks[eid].shifts)
    for (eid, day), var in v.works.items():
        model.add_hint(var, any(v.options[eid][k].day == day for k in weeks[eid].shifts))
    for (eid, day), brk in v.brk.items():
        for minute, var in brk.items():
            model.add_hint(var, (day, minute) in weeks[eid].breaks)
    duty: defaultdict[tuple[str, int], int] = defaultdict(int)
    served: defaultdict[tuple[str, str, int], int] = defaultdict(int)
    for eid, week in weeks.items():
        pool = pool_of(v.employees[eid])
        for t, n in week.on_duty.items():
            duty[pool, t] += n
        for (q, t), n in week.alloc.items():
            served[pool, q, t] += n
    for pool_t, var in v.on_duty.items():
        model.add_hint(var, duty[pool_t])
    for pool_q_t, var in v.alloc.items():
        model.add_hint(var, served[pool_q_t])
    covered: defaultdict[tuple[str, int], int] = defaultdict(int)
    for (_, queue, t), n in served.items():
        covered[queue, t] += n
    for p in penalties:
        if p.rule not in ("queue_coverage", "role_coverage"):
            continue  # other soft rules' variables are left for CP-SAT to complete
        have = covered[p.what, p.t] if p.rule == "queue_coverage" else duty[p.what, p.t]
        model.add_hint(p.var, max(p.required - have, 0))
    hint_scope(model, problem, covered, penalties)
    for (eid, after), var in v.overtime.items():
        paid = sum(v.options[eid][k].paid_minutes for k in weeks[eid].shifts)
        model.add_hint(var, max(paid - round(after * 60), 0))
