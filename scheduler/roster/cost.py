"""What a roster costs: hourly cost x paid hours, with time, day and overtime premiums."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from ortools.sat.python import cp_model

from inputs.domain import Employee, PremiumKind, Workbook
from scheduler.roster.model import RosterProblem, RosterVars
from scheduler.roster.shifts import ShiftOption, running_multipliers, span_cost_cents


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


def break_savings(v: RosterVars, eid: str, running: list[float]) -> dict[int, int]:
    """Cents the unpaid lunch takes off `eid`'s shift when it starts at each week minute
    (`running` is `running_multipliers(v.mult)`)."""
    length = v.options[eid][0].break_minutes if v.options[eid] else 0
    return lunch_savings(v.employees[eid].hourly_cost, running,
                         [minute for day in range(7) for minute in v.brk[eid, day]], length)


def lunch_savings(rate: float, running: list[float], starts: Iterable[int],
                  length: int) -> dict[int, int]:
    """Cents an unpaid lunch of `length` minutes saves at `rate` when it starts at each of
    `starts` (`running`: `running_multipliers` of the week)."""
    return {minute: span_cost_cents(rate, running, minute, minute + length)
            for minute in starts}


def least_option_cents(option: ShiftOption, saved: Mapping[int, int]) -> int:
    """An option's cost with its lunch where it saves most (`saved`: cents the lunch saves
    at each start minute, as `break_savings` gives them)."""
    return option.cost_cents - max((saved[m] for m in option.break_starts), default=0)


def least_week_cents(options: list[ShiftOption], saved: dict[int, int],
                     min_weekly_minutes: int) -> int:
    """A lower bound on one employee's week: the cheapest cost per paid minute of any shift
    (its lunch placed where it saves most) times the contract's minimum paid minutes.

    Overtime only adds to it. Availability is not looked at: the bound stays valid, and
    cheap to compute.
    """
    rates = [least_option_cents(o, saved) / o.paid_minutes
             for o in options if o.paid_minutes > 0]
    if not rates or min_weekly_minutes <= 0:
        return 0
    return max(0, math.floor(min(rates) * min_weekly_minutes))


def add_cost(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> cp_model.LinearExpr:
    """The roster's cost in cents: one `week_cost` variable per employee, summed.

    A shift costs its whole span with premiums; the unpaid lunch is taken off at the
    minutes where it lands, so the cost is exact whatever lunch the solver picks. Each
    employee's week cost starts at `least_week_cents`: the contract's minimum hours at the
    cheapest rate. CP-SAT's own bound starts from the sum of those floors instead of from
    zero, which is what makes the gap it reports meaningful within the time limit.
    """
    tiers = overtime_tiers(p.workbook)
    running = running_multipliers(v.mult)
    for eid, options in v.options.items():
        employee = v.employees[eid]
        cents_per_minute = employee.hourly_cost * 100 / 60
        saved = break_savings(v, eid, running)
        terms: list[cp_model.LinearExprT] = [o.cost_cents * v.shift[eid, k]
                                             for k, o in enumerate(options)]
        terms += [-saved[minute] * var for day in range(7)
                  for minute, var in v.brk[eid, day].items()]
        most = sum(max((o.cost_cents for o in options if o.day == day), default=0)
                   for day in range(7))
        if tiers:
            paid = sum(o.paid_minutes * v.shift[eid, k] for k, o in enumerate(options))
            for after, extra in tiers:
                over = model.new_int_var(0, 7 * 1440, f"overtime[{eid},{after}h]")
                model.add(over >= paid - round(after * 60))
                v.overtime[eid, after] = over
                terms.append(round(cents_per_minute * extra) * over)
                most += round(cents_per_minute * extra) * 7 * 1440
        contract = p.workbook.contract_of(employee)
        least = least_week_cents(options, saved, round(contract.min_weekly_hours * 60))
        week = model.new_int_var(min(least, most), max(most, 0), f"week_cost[{eid}]")
        model.add(week == cp_model.LinearExpr.sum(terms))
        v.week_cost[eid] = week
    return cp_model.LinearExpr.sum(list(v.week_cost.values()))
