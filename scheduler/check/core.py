"""Independent roster checker: every hard rule re-derived from the workbook, no solver.

The solver builds rosters from its own model; this package re-reads the rules straight from
the `Workbook` and checks the finished `Roster` (and the per-interval queue allocation)
in plain Python, so a modelling slip in the solver shows up as a named `Violation` in rule
language instead of a wrong roster reaching HR. This module walks the roster employee by
employee and calls the rule modules: `shift` (one shift, fixed shifts), `pay` (paid hours,
cost), `week` (one employee's week) and `allocation` (the queue allocation).
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from inputs.domain import Availability, AvailabilityKind, Roster, Workbook
from scheduler.check.allocation import check_allocation
from scheduler.check.shift import check_fixed, check_shift
from scheduler.check.violations import (
    RosterCheckError,
    ShiftView,
    Violation,
    day_text,
    hm_text,
)
from scheduler.check.week import (
    check_across_weeks,
    check_sequence,
    check_week,
    check_weekly_rest,
)
from scheduler.rule_ids import UNKNOWN_EMPLOYEE


def check_roster(
    workbook: Workbook, roster: Roster, *, allocation: pd.DataFrame | None = None,
    previous: Roster | None = None,
) -> list[Violation]:
    """Every hard rule the roster (and the queue allocation, if given) breaks; empty if none.

    Args:
        workbook: the validated rules.
        roster: the week's shifts.
        allocation: optional long table `queue, interval_start, scheduled_agents`.
        previous: last week's roster (--previous): rest, weekly rest and consecutive days
            then count its end.
    """
    known = {e.employee_id for e in workbook.employees}
    off: dict[str, list[Availability]] = defaultdict(list)
    for row in workbook.availability:
        if row.kind is AvailabilityKind.UNAVAILABLE:
            off[row.employee_id].append(row)
    out = [
        Violation(rule=UNKNOWN_EMPLOYEE, employee_id=a.employee_id, day=a.day,
                  message=f"{a.employee_id} {day_text(a.day)}: shift {hm_text(a.start)}-"
                  f"{hm_text(a.end)} for an employee who is not on the Employees sheet")
        for a in roster.assignments if a.employee_id not in known
    ]
    for employee in workbook.employees:
        contract = workbook.contract_of(employee)
        shifts = [
            ShiftView(workbook=workbook, employee=employee, contract=contract, a=a,
                      unavailable=tuple(off[employee.employee_id]))
            for a in roster.for_employee(employee.employee_id)
        ]
        for shift in shifts:
            out += check_shift(shift, roster.week_start)
        out += check_sequence(shifts)
        out += check_week(employee, contract, shifts, roster.week_start)
        before = previous.for_employee(employee.employee_id) if previous is not None else None
        out += check_across_weeks(employee, contract, shifts, roster.week_start, before)
        out += check_weekly_rest(employee, contract, shifts, roster.week_start, before)
        out += check_fixed(workbook, employee, shifts, roster.week_start)
    if allocation is not None:
        out += check_allocation(workbook, roster, allocation)
    return out


def require_valid_roster(
    workbook: Workbook, roster: Roster, *, allocation: pd.DataFrame | None = None,
    previous: Roster | None = None,
) -> None:
    """A roster that breaks any hard rule must not leave the pipeline: raise with all of them."""
    violations = check_roster(workbook, roster, allocation=allocation, previous=previous)
    if violations:
        raise RosterCheckError(violations)
