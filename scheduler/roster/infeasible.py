"""Which rules contradict each other when no roster satisfies the hard rules.

Every hard rule binds one employee at a time (coverage is soft), so a contradiction always
lies within one employee's week. Each employee is solved alone under the hard rules; for one
that has no legal week, a deletion filter keeps the smallest set of rules that still cannot
hold together, and the line names them.
"""

from __future__ import annotations

import dataclasses

from ortools.sat.python import cp_model

from inputs.domain import Employee
from scheduler.roster.model import RosterProblem, build_vars
from scheduler.roster.rules import RULES, Rule


def infeasible_rule_lines(problem: RosterProblem, time_limit_s: float = 10.0) -> list[str]:
    """One line per employee whose hard rules contradict each other, naming those rules.

    E.g. "A07 (Dana Levi), contract FT: 'Weekly paid hours within the contract' and 'Fixed
    shifts worked as given' cannot both hold this week — change one of them".
    """
    lines = []
    for employee in problem.workbook.employees:
        conflict = _conflicting_rules(problem, employee, time_limit_s)
        if conflict:
            labels = " and ".join(f"'{label}'" for label in conflict)
            verb = "cannot hold" if len(conflict) == 1 else "cannot all hold"
            lines.append(f"{employee.employee_id} ({employee.name}), contract "
                         f"{employee.contract_id}: {labels} {verb} this week — change one of "
                         "them for this employee (Contracts, Availability or FixedShifts)")
    return lines


def _conflicting_rules(problem: RosterProblem, employee: Employee,
                       time_limit_s: float) -> list[str]:
    """The labels of a smallest set of hard rules that contradict for `employee`; [] if none.

    A deletion filter: start from every hard rule, and drop each rule whose removal leaves the
    week still impossible. What remains cannot hold together, and no rule in it can go.
    (CP-SAT's assumptions name a sufficient set too, but proving infeasibility with every rule
    behind an enforcement literal was far slower than these plain solves.)
    """
    alone = dataclasses.replace(
        problem, workbook=dataclasses.replace(problem.workbook, employees=(employee,)),
        queue_required={}, role_required={}, loads={})
    rules = [rule for rule in RULES if rule.hard]
    if _has_week(alone, rules, time_limit_s) is not False:
        return []
    for rule in list(rules):
        without = [r for r in rules if r is not rule]
        if _has_week(alone, without, time_limit_s) is False:
            rules = without
    return [rule.label for rule in rules]


def _has_week(alone: RosterProblem, rules: list[Rule], time_limit_s: float) -> bool | None:
    """Whether the employee has a legal week under `rules`; None if the solver cannot tell."""
    model = cp_model.CpModel()
    v = build_vars(model, alone)
    for rule in rules:
        rule.add(model, v, alone)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    solver.parameters.catch_sigint_signal = False
    code = solver.solve(model)
    if code == cp_model.INFEASIBLE:
        return False
    return True if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
