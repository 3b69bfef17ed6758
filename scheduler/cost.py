"""What a roster costs: hourly cost x paid hours, with time, day and overtime premiums."""

from __future__ import annotations

from ortools.sat.python import cp_model

from inputs.domain import Employee, PremiumKind, Workbook
from scheduler.model import RosterProblem, RosterVars


def overtime_tiers(workbook: Workbook) -> list[tuple[float, float]]:
    """(after_hours, extra multiplier over the tier below), lowest threshold first."""
    tiers = sorted(
        (p.after_hours or 0.0, p.multiplier)
        for p in workbook.premiums
        if p.kind is PremiumKind.OVERTIME
    )
    result, below = [], 1.0
    for after, mult in tiers:
        if mult > below:
            result.append((after, mult - below))
            below = mult
    return result


def overtime_cost(workbook: Workbook, employee: Employee, paid_hours: float) -> float:
    """Extra pay for weekly hours beyond each overtime threshold."""
    return sum(
        employee.hourly_cost * extra * max(0.0, paid_hours - after)
        for after, extra in overtime_tiers(workbook)
    )


def add_cost(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> cp_model.LinearExpr:
    """The roster's cost in cents as a linear expression of the shift and break variables.

    A shift costs its whole span with premiums; the unpaid break is taken off at the
    minutes where it lands, so the cost is exact whatever break the solver picks.
    """
    mult = v.mult
    tiers = overtime_tiers(p.workbook)
    terms: list[cp_model.LinearExprT] = []
    for eid, options in v.options.items():
        employee = v.employees[eid]
        cents_per_minute = employee.hourly_cost * 100 / 60
        terms.extend(o.cost_cents * v.shift[eid, k] for k, o in enumerate(options))
        for day in range(7):
            for minute, var in v.brk[eid, day].items():
                span = range(minute, minute + options[0].break_minutes)
                saved = cents_per_minute * sum(mult[m % len(mult)] for m in span)
                terms.append(-round(saved) * var)
        if tiers:
            paid = sum(o.paid_minutes * v.shift[eid, k] for k, o in enumerate(options))
            for after, extra in tiers:
                over = model.new_int_var(0, 7 * 1440, f"overtime[{eid},{after}h]")
                model.add(over >= paid - round(after * 60))
                v.overtime[eid, after] = over
                terms.append(round(cents_per_minute * extra) * over)
    return cp_model.LinearExpr.sum(terms)
