"""Read a roster and its results back from solver values: shifts, cost, shortfalls, rule breaks.

The values come from a solved model or, when the search found nothing better, from the model's
solution hint (the greedy first roster): both read through the same two methods.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Protocol

import pandas as pd
from ortools.sat.python import cp_model

from inputs.domain import Assignment, Role, Roster
from scheduler.roster.allocation import spread_idle_agents
from scheduler.roster.construct import weeks_from_solution
from scheduler.roster.cost import overtime_cost
from scheduler.roster.model import RosterProblem, RosterVars, pool_of, week_minute_to_datetime
from scheduler.roster.result import RuleBreak, Shortfall, SolveResult, SolveStatus
from scheduler.roster.rules import Penalty


class Values(Protocol):
    def value(self, var: cp_model.IntVar) -> int: ...
    def boolean_value(self, var: cp_model.IntVar) -> bool: ...


class HintValues:
    """The model's solution hint read like a solved model (unhinted variables read 0)."""

    def __init__(self, model: cp_model.CpModel) -> None:
        hint = model.proto.solution_hint
        self._values = dict(zip(hint.vars, hint.values, strict=True))

    def value(self, var: cp_model.IntVar) -> int:
        return int(self._values.get(var.index, 0))

    def boolean_value(self, var: cp_model.IntVar) -> bool:
        return bool(self.value(var))


def read_result(solver: Values, v: RosterVars, problem: RosterProblem,
                penalties: list[Penalty], status: SolveStatus, bound: float | None,
                gap: float | None, stats: dict[str, float | int | str],
                explanation: tuple[str, ...]) -> SolveResult:
    """The SolveResult of a roster read from solved (or hinted) variable values."""
    roster = extract_roster(solver, v, problem)
    cost_total = sum(a.cost for a in roster.assignments) + _overtime(roster, problem)
    return SolveResult(
        status=status,
        roster=roster,
        cost=round(cost_total, 2),
        bound=bound,
        gap=gap,
        explanation=explanation,
        shortfalls=tuple(_shortfalls(solver, penalties, problem)),
        rule_breaks=tuple(_rule_breaks(solver, penalties)),
        allocation=_allocation(solver, v, problem),
        role_on_duty=_role_on_duty(solver, v, problem),
        stats=stats,
        hint=weeks_from_solution(solver, v, problem),
    )


def extract_roster(solver: Values, v: RosterVars, problem: RosterProblem) -> Roster:
    """The chosen shifts as Assignments, with their lunch, paid short breaks and exact cost.

    Paid hours and cost leave out the unpaid lunch only: short breaks are paid.
    """
    mult = v.mult
    at = lambda minute: week_minute_to_datetime(problem.week_start, minute)  # noqa: E731
    assignments = []
    for eid, options in v.options.items():
        employee = v.employees[eid]
        for k, o in enumerate(options):
            if not solver.boolean_value(v.shift[eid, k]):
                continue
            breaks = [m for m, var in v.brk[eid, o.day].items() if solver.boolean_value(var)]
            paid = [m for m in range(o.start, o.end)
                    if not any(b <= m < b + o.break_minutes for b in breaks)]
            cost = employee.hourly_cost / 60 * sum(mult[m % len(mult)] for m in paid)
            short = sorted(m for i in range(len(o.short_break_starts))
                           for m, var in v.short[eid, o.day, i].items()
                           if solver.boolean_value(var))
            assignments.append(Assignment(
                employee_id=eid,
                day=problem.week_start + dt.timedelta(days=o.day),
                start=at(o.start),
                end=at(o.end),
                breaks=tuple((at(b), at(b + o.break_minutes)) for b in breaks),
                paid_hours=len(paid) / 60,
                cost=round(cost, 2),
                short_breaks=tuple((at(m), at(m + o.short_break_minutes)) for m in short),
            ))
    assignments.sort(key=lambda a: (a.start, a.employee_id))
    return Roster(week_start=problem.week_start, assignments=tuple(assignments))


def _overtime(roster: Roster, problem: RosterProblem) -> float:
    hours: defaultdict[str, float] = defaultdict(float)
    for a in roster.assignments:
        hours[a.employee_id] += a.paid_hours
    employees = {e.employee_id: e for e in problem.workbook.employees}
    return sum(overtime_cost(problem.workbook, employees[eid], h) for eid, h in hours.items())


def _rule_breaks(solver: Values, penalties: list[Penalty]) -> list[RuleBreak]:
    """Soft rules other than coverage that the roster breaks, in their own words."""
    result = []
    for p in penalties:
        if p.text and (n := solver.value(p.var)) > 0:
            result.append(RuleBreak(rule=p.rule, text=p.text.format(n=n),
                                    penalty=round(n * p.weight / 100, 2)))
    return result


def _shortfalls(
    solver: Values, penalties: list[Penalty], problem: RosterProblem
) -> list[Shortfall]:
    result = []
    for p in penalties:
        if p.text:
            continue
        missing = solver.value(p.var)
        if missing > 0:
            result.append(Shortfall(what=p.what, interval_start=problem.moment(p.t),
                                    required=p.required, scheduled=p.required - missing))
    return result


def _allocation(solver: Values, v: RosterVars, problem: RosterProblem) -> pd.DataFrame:
    """Agents serving each queue per interval, idle agents spread to where they help most."""
    alloc = {key: solver.value(var) for key, var in v.alloc.items()}
    on_duty = {key: solver.value(var) for key, var in v.on_duty.items()}
    skills = {pool_of(e): e.skills for e in v.employees.values() if e.role is Role.AGENT}
    interval_s = problem.interval * 60
    alloc = spread_idle_agents(alloc, on_duty, skills, problem.loads, interval_s)
    scheduled: defaultdict[tuple[str, int], int] = defaultdict(int)
    for (_, q, t), n in alloc.items():
        scheduled[q, t] += n
    rows = [(q, problem.moment(t), n) for (q, t), n in sorted(scheduled.items())]
    return pd.DataFrame(rows, columns=["queue", "interval_start", "scheduled_agents"])


def _role_on_duty(solver: Values, v: RosterVars, problem: RosterProblem) -> pd.DataFrame:
    rows = []
    for role, t in sorted(problem.role_required):
        var = v.on_duty.get((role.value, t))
        rows.append((role.value, problem.moment(t), solver.value(var) if var is not None else 0))
    return pd.DataFrame(rows, columns=["role", "interval_start", "on_duty"])




__all__ = ["HintValues", "Values", "extract_roster", "read_result"]
