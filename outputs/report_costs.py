"""What the week's roster costs, split by role and by pay premium, for the HTML report.

By role, the figures are the Hours & cost sheet's own split (`roster_xlsx.employee_cost`:
base pay, premiums, overtime) summed over each role's employees, so the report and the
workbook always agree. By premium, each time or day premium's extra is attributed to the
premium that set the minute's multiplier (the largest applies, scheduler/roster/shifts.py; the
first one in the Costs sheet on a tie), and overtime to each overtime tier
(scheduler/roster/cost.py), so the sheet's one "premiums" figure is shown premium by premium.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from inputs.domain import Assignment, Employee, PremiumKind, Role, Workbook
from outputs.roster_xlsx import employee_cost
from scheduler.plan import Plan
from scheduler.roster import minute_multipliers, overtime_tiers

BASE_PAY = "Base pay (hourly rate)"
ROLE_LABELS = {
    Role.AGENT: "Agents",
    Role.SHIFT_LEAD: "Shift leads",
    Role.FLOOR_LEAD: "Floor leads",
    Role.TEAM_MANAGER: "Team managers",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleCost:
    """One role's week: paid hours, base pay, premiums, overtime and the total cost."""

    label: str
    hours: float
    base_pay: float
    premiums: float
    overtime: float
    cost: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CostLine:
    """One line of the premium table: what it is, the paid hours it covers, what it adds."""

    label: str
    hours: float
    cost: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CostBreakdown:
    """The roster's cost by role and by premium; both add up to `total`."""

    by_role: tuple[RoleCost, ...]
    by_premium: tuple[CostLine, ...]
    total: float


def cost_breakdown(plan: Plan) -> CostBreakdown:
    """Split the roster's cost by role and by premium (base pay, each premium, overtime).

    An empty roster gives empty tables and a total of 0.
    """
    roster = plan.result.roster
    if roster is None or not roster.assignments:
        return CostBreakdown(by_role=(), by_premium=(), total=0.0)
    workbook = plan.workbook
    people = {e.employee_id: e for e in workbook.employees}
    shifts: defaultdict[str, list[Assignment]] = defaultdict(list)
    for a in roster.assignments:
        if a.employee_id in people:
            shifts[a.employee_id].append(a)
    sums: defaultdict[Role, np.ndarray] = defaultdict(lambda: np.zeros(5))
    for eid, own in shifts.items():
        week = employee_cost(plan, people[eid], own)
        sums[people[eid].role] += (week.paid_hours, week.base_pay, week.premiums,
                                   week.overtime, week.cost)  # fmt: skip
    by_role = tuple(_role_cost(ROLE_LABELS[r], sums[r]) for r in Role if r in sums)
    weekly = {eid: sum(a.paid_hours for a in own) for eid, own in shifts.items()}
    overtime = {eid: _overtime_lines(workbook, people[eid], h) for eid, h in weekly.items()}
    flat = [a for own in shifts.values() for a in own]
    by_premium = _premium_lines(workbook, plan.week_start, flat, people, overtime)
    return CostBreakdown(by_role=by_role, by_premium=by_premium,
                         total=round(sum(line.cost for line in by_role), 2))  # fmt: skip


def _role_cost(label: str, sums: np.ndarray) -> RoleCost:
    hours, base, premiums, overtime, cost = (round(float(v), 2) for v in sums)
    return RoleCost(label=label, hours=hours, base_pay=base, premiums=premiums,
                    overtime=overtime, cost=cost)  # fmt: skip


def _overtime_lines(
    workbook: Workbook, employee: Employee, paid_hours: float
) -> list[tuple[str, float, float]]:
    """(premium name, hours beyond its threshold, extra cost) for each overtime tier."""
    names = {p.after_hours or 0.0: p.name for p in workbook.premiums
             if p.kind is PremiumKind.OVERTIME}  # fmt: skip
    lines = []
    for after, extra in overtime_tiers(workbook):
        beyond = max(0.0, paid_hours - after)
        if beyond > 0:
            cost = employee.hourly_cost * extra * beyond
            lines.append((names.get(after, "Overtime"), beyond, cost))
    return lines


def _premium_owner(workbook: Workbook, week_start: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Per minute of the week: its multiplier, and the index of the premium that sets it (-1)."""
    mult = np.asarray(minute_multipliers(workbook, week_start))
    owner = np.full(len(mult), -1)
    for i, premium in enumerate(workbook.premiums):
        if premium.kind is PremiumKind.OVERTIME:
            continue
        alone = dataclasses.replace(workbook, premiums=(premium,))
        own = np.asarray(minute_multipliers(alone, week_start))
        owner[(owner < 0) & (own > 1.0) & np.isclose(own, mult)] = i
    return mult, owner


def _paid_minutes(a: Assignment, week_start: dt.date, length: int) -> np.ndarray:
    """Week-minute indices the shift is paid for: its span without its unpaid lunch (paid
    short breaks stay in)."""
    origin = dt.datetime.combine(week_start, dt.time())
    minute = lambda t: int((t - origin).total_seconds() // 60)  # noqa: E731
    paid = np.ones(minute(a.end) - minute(a.start), dtype=bool)
    for b0, b1 in a.breaks:
        paid[max(minute(b0) - minute(a.start), 0): max(minute(b1) - minute(a.start), 0)] = False
    return (np.arange(minute(a.start), minute(a.end))[paid]) % length


def _premium_lines(
    workbook: Workbook, week_start: dt.date, shifts: list[Assignment],
    people: dict[str, Employee], overtime: dict[str, list[tuple[str, float, float]]],
) -> tuple[CostLine, ...]:  # fmt: skip
    """Base pay, then each time or day premium's extra, then each overtime tier's extra."""
    mult, owner = _premium_owner(workbook, week_start)
    premiums = workbook.premiums
    base_hours, base_cost = 0.0, 0.0
    hours = np.zeros(len(premiums))
    extra = np.zeros(len(premiums))
    for a in shifts:
        rate = people[a.employee_id].hourly_cost / 60
        minutes = _paid_minutes(a, week_start, len(mult))
        base_hours += len(minutes) / 60
        base_cost += rate * len(minutes)
        who = owner[minutes]
        has = who >= 0
        np.add.at(hours, who[has], 1 / 60)
        np.add.at(extra, who[has], rate * (mult[minutes][has] - 1.0))
    lines = [CostLine(label=BASE_PAY, hours=round(base_hours, 2), cost=round(base_cost, 2))]
    lines += [CostLine(label=f"{p.name} premium (x{p.multiplier:g})", hours=round(float(h), 2),
                       cost=round(float(c), 2))
              for p, h, c in zip(premiums, hours, extra, strict=True) if h > 0]  # fmt: skip
    tiers: defaultdict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for entries in overtime.values():
        for name, beyond, cost in entries:
            tiers[name][0] += beyond
            tiers[name][1] += cost
    lines += [CostLine(label=f"{name} premium (weekly hours beyond the threshold)",
                       hours=round(h, 2), cost=round(c, 2)) for name, (h, c) in tiers.items()]
    return tuple(lines)
