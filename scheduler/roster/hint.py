"""A roster start as data: one `Week` per employee, and how it hints the full model.

The greedy start and its polish (`construct`, `polish`, `allocation`) pass weeks around;
`apply_hint` turns them into a value for every variable of a CP-SAT model built on the
same rules, so the search starts from that roster.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler import rule_ids as ids
from scheduler.roster.model import RosterProblem, RosterVars, pool_of
from scheduler.roster.penalty import Penalty
from scheduler.roster.pooled import pooled_short, uses_pooled
from scheduler.roster.sl_scope import hint_scope


@dataclasses.dataclass(slots=True)
class Week:
    """One employee's chosen week: shift option indices, break minutes, coverage given."""

    shifts: set[int]
    breaks: set[tuple[int, int]]  # (day, minute) of the lunch
    on_duty: dict[int, int]  # interval -> 1 when on duty
    alloc: dict[tuple[str, int], int]  # (queue, interval) -> 1
    short_breaks: set[tuple[int, int, int]] = dataclasses.field(
        default_factory=set)  # (day, i, minute) of paid short break i
    cost: int = 0  # cents, as `scheduler.roster.cost` counts it


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
    for (eid, day, i), starts in v.short.items():
        for minute, var in starts.items():
            model.add_hint(var, (day, i, minute) in weeks[eid].short_breaks)
    for (eid, day), var in v.has_lunch.items():
        model.add_hint(var, any(d == day for d, _ in weeks[eid].breaks))
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
    # A group's allocation beyond what its variable allows (spare the model cannot use, as
    # in a sub-problem that sees only what the others leave) is hinted at the bound.
    covered: defaultdict[tuple[str, int], int] = defaultdict(int)
    for (pool, queue, t), var in v.alloc.items():
        n = min(served[pool, queue, t], list(var.proto.domain)[-1])
        model.add_hint(var, n)
        covered[queue, t] += n
    pooled = pooled_short(penalties, duty, problem) if uses_pooled(problem) else {}
    for i, p in enumerate(penalties):
        if p.rule not in (ids.QUEUE_COVERAGE, ids.ROLE_COVERAGE):
            continue  # other soft rules' variables are left for CP-SAT to complete
        if i in pooled:
            model.add_hint(p.var, pooled[i])
            continue
        have = covered[p.what, p.t] if p.rule == ids.QUEUE_COVERAGE else duty[p.what, p.t]
        model.add_hint(p.var, max(p.required - have, 0))
    hint_scope(model, v, problem, covered, penalties)
    for (eid, after), var in v.overtime.items():
        paid = sum(v.options[eid][k].paid_minutes for k in weeks[eid].shifts)
        model.add_hint(var, max(paid - round(after * 60), 0))
    for eid, var in v.week_cost.items():
        model.add_hint(var, weeks[eid].cost)
