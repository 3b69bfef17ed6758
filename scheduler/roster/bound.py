"""A lower bound on the roster's objective that sees coverage: a linear relaxation, by HiGHS.

CP-SAT's own bound on the demo stays at the sum of the contract floors (the contract's
minimum hours at the cheapest rate): its linear relaxation of the full model does not
converge within the time. This one is smaller and looser in the rules, so it solves in
seconds, yet it prices what the floors cannot: the evening and weekend premiums that
opening hours and availability force, hours beyond the minimums where those cannot cover
the need, and the shortfall no roster can avoid.

The relaxation, for each class of interchangeable employees (same role, skills, contract,
rate and unavailable hours; n of them):
- x[c, k] in [0, n]: how many work shift option k (its lunch priced where it saves most);
- at most n shifts a day, at most max_days x n a week, paid hours within n x the
  contract's (overtime beyond each threshold priced, which is convex, so summing identical
  employees is exact);
- on duty in an interval at most the shifts that span it; on duty over a day at most the
  shifts' minutes less their lunch and short breaks (where in the shift they fall is left
  free);
- agents serve their skills, one queue each; each queue's and role's requirement is met or
  its shortfall paid at the full model's weights. Under coverage by queue sets, an agent on
  duty counts for every set holding one of their skills, and the rows are the model's sets.
Every other rule (rest, consecutive days, fixed shifts, wishes, fairness) only restricts the
roster or adds a non-negative penalty, so leaving it out keeps the bound valid. Only the
interval service-level scope is relaxed this way; under day or week scope there is no bound
from here.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass

import highspy
import numpy as np
from scipy.sparse import csr_matrix

from inputs.capacity import unavailable_windows
from inputs.domain import Contract, Employee, Role, ServiceLevelScope
from scheduler.roster.cost import least_option_cents, lunch_savings, overtime_tiers
from scheduler.roster.model import RosterProblem
from scheduler.roster.penalty import AGENT_SHORT_CENTS, ROLE_SHORT_CENTS
from scheduler.roster.pooled import coverage_cells, uses_pooled
from scheduler.roster.shifts import (
    DAY,
    ShiftOption,
    employee_options,
    minute_multipliers,
    running_multipliers,
)

# HiGHS reports the optimum to a relative tolerance of about 1e-7; the bound gives up ten
# times that, so that rounding can never lift it above the true optimum. The objective is a
# whole number of cents, so the bound is then rounded up to one.
_SLACK = 1e-6


@dataclass(frozen=True, slots=True, kw_only=True)
class LpBound:
    cents: int  # a proven lower bound on the objective (cost + penalties), in cents
    seconds: float  # building and solving


class _QuietHighs(highspy.Highs):
    """HiGHS without its banner: the plain class prints one line to stdout as it is made,
    before any option can be set, which would cut into the planner's progress lines."""

    def enableCallbacks(self) -> None:
        self.setOptionValue("output_flag", False)
        super().enableCallbacks()


class _Lp:
    """Columns with bounds and costs, and rows `lo <= a.x <= hi`, gathered as triplets."""

    def __init__(self) -> None:
        self.upper: list[float] = []
        self.cost: list[float] = []
        self.row_lo: list[float] = []
        self.row_hi: list[float] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []

    def column(self, upper: float, cost: float = 0.0) -> int:
        self.upper.append(upper)
        self.cost.append(cost)
        return len(self.cost) - 1

    def row(self, terms: dict[int, float], lo: float, hi: float) -> None:
        row = len(self.row_lo)
        self.rows += [row] * len(terms)
        self.cols += terms.keys()
        self.vals += terms.values()
        self.row_lo.append(lo)
        self.row_hi.append(hi)

    def at_most(self, terms: dict[int, float], rhs: float) -> None:
        self.row(terms, -math.inf, rhs)

    def at_least(self, terms: dict[int, float], rhs: float) -> None:
        self.row(terms, rhs, math.inf)

    def equal(self, terms: dict[int, float], rhs: float) -> None:
        self.row(terms, rhs, rhs)

    def solve(self, time_limit_s: float) -> float | None:
        """The optimum by HiGHS's interior point method, or None when it does not finish.

        Without crossover: the interior point's objective is all the bound needs, and on
        the demo the crossover to a vertex took twice as long as the interior point itself.
        """
        matrix = csr_matrix((self.vals, (self.rows, self.cols)),
                            shape=(len(self.row_lo), len(self.cost)))
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
        lp.col_cost_ = np.array(self.cost)
        lp.col_lower_ = np.zeros(len(self.cost))
        lp.col_upper_ = np.array(self.upper)
        lp.row_lower_ = np.array(self.row_lo)
        lp.row_upper_ = np.array(self.row_hi)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        highs = _QuietHighs()
        for option, value in (("output_flag", False), ("solver", "ipm"),
                              ("run_crossover", "off"), ("threads", 1),
                              ("time_limit", time_limit_s)):
            highs.setOptionValue(option, value)
        highs.passModel(lp)
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return float(highs.getInfo().objective_function_value)


def _classes(problem: RosterProblem
             ) -> list[tuple[list[Employee], tuple[tuple[int, int], ...]]]:
    """Interchangeable employees, with their unavailable spans."""
    blocked = unavailable_windows(problem.workbook, problem.week_start)
    groups: dict[tuple[object, ...], list[Employee]] = defaultdict(list)
    for e in problem.workbook.employees:
        key = (e.role, tuple(sorted(e.skills)), e.contract_id, e.hourly_cost,
               blocked.get(e.employee_id, ()))
        groups[key].append(e)
    return [(members, blocked.get(members[0].employee_id, ())) for members in groups.values()]


def _duty_intervals(o: ShiftOption, interval: int) -> int:
    """The most intervals a shift can be on duty: its span less its lunch and short breaks
    (each break takes at least its whole intervals, wherever it lands)."""
    off = (o.break_minutes // interval if o.break_starts else 0) + len(
        o.short_break_starts) * (o.short_break_minutes // interval)
    return (o.end - o.start) // interval - off


@dataclass(slots=True, kw_only=True)
class _Needs:
    """Where someone is needed, and the on-duty columns that can serve each need, gathered
    class by class (the requirement rows read them last)."""

    queue_times: defaultdict[str, list[int]]  # queue -> intervals it needs an agent
    role_times: defaultdict[Role, list[int]]  # lead role -> intervals it needs one on duty
    served: defaultdict[tuple[str, int], dict[int, float]]  # (queue, t) -> agents' columns
    staffed: defaultdict[tuple[Role, int], dict[int, float]]  # (role, t) -> leads' columns
    # Coverage by queue sets (`scheduler.roster.pooled`): the model's rows, and per row the
    # on-duty columns of the agents holding one of the set's skills.
    cells: dict[tuple[frozenset[str], int], int]
    cells_at: defaultdict[int, list[frozenset[str]]]
    set_served: defaultdict[tuple[frozenset[str], int], dict[int, float]]

    @classmethod
    def of(cls, problem: RosterProblem) -> _Needs:
        queue_times: defaultdict[str, list[int]] = defaultdict(list)
        for (q, t), need in problem.queue_required.items():
            if need > 0:
                queue_times[q].append(t)
        role_times: defaultdict[Role, list[int]] = defaultdict(list)
        for (role, t), need in problem.role_required.items():
            if need > 0:
                role_times[role].append(t)
        cells = coverage_cells(problem) if uses_pooled(problem) else {}
        cells_at: defaultdict[int, list[frozenset[str]]] = defaultdict(list)
        for s, t in cells:
            cells_at[t].append(s)
        return cls(queue_times=queue_times, role_times=role_times,
                   served=defaultdict(dict), staffed=defaultdict(dict), cells=cells,
                   cells_at=cells_at, set_served=defaultdict(dict))


def lp_bound(problem: RosterProblem, time_limit_s: float = 60.0) -> LpBound | None:
    """The relaxation's optimum, made safe against rounding; None under a day or week
    service-level scope, or when HiGHS does not finish within `time_limit_s`."""
    if problem.workbook.center.service_level_scope is not ServiceLevelScope.INTERVAL:
        return None
    started = time.monotonic()
    lp = _relaxation(problem)
    left = time_limit_s - (time.monotonic() - started)
    value = lp.solve(max(left, 1.0))
    if value is None:
        return None
    return LpBound(cents=math.ceil(value - _SLACK * abs(value)),
                   seconds=time.monotonic() - started)


def _relaxation(problem: RosterProblem) -> _Lp:
    """Every class's shifts, contract rows and time on duty, then every requirement met or
    its shortfall paid: the whole linear program, columns and rows in a fixed order."""
    workbook, iv = problem.workbook, problem.interval
    mult = minute_multipliers(workbook, problem.week_start)
    running = running_multipliers(mult)
    tiers = overtime_tiers(workbook)
    lp = _Lp()
    needs = _Needs.of(problem)
    for members, spans in _classes(problem):
        employee, n = members[0], len(members)
        contract = workbook.contract_of(employee)
        options = [o for o in employee_options(workbook, employee, problem.week_start, mult)
                   if not o.meets(spans)]
        if not options:
            continue
        x = _shift_columns(lp, employee, n, options, running)
        _contract_rows(lp, contract, employee, n, x, options, tiers)
        count = _spanning_counts(lp, n, x, options, iv)
        if employee.role is Role.AGENT and needs.cells:
            duty = _pooled_agent_duty(lp, employee, n, count, needs, iv)
        elif employee.role is Role.AGENT:
            duty = _agent_duty(lp, employee, n, count, needs, iv)
        else:
            duty = _lead_duty(lp, employee, n, count, needs, iv)
        _daily_duty_rows(lp, duty, x, options, iv)
    _requirement_rows(lp, problem, needs)
    return lp


def _shift_columns(lp: _Lp, employee: Employee, n: int, options: list[ShiftOption],
                   running: list[float]) -> list[int]:
    """One column per shift option, x[c, k] in [0, n], at the option's least cost (its lunch
    placed where it saves the most)."""
    saved = lunch_savings(employee.hourly_cost, running,
                          {m for o in options for m in o.break_starts},
                          options[0].break_minutes)
    return [lp.column(n, least_option_cents(o, saved)) for o in options]


def _contract_rows(lp: _Lp, contract: Contract, employee: Employee, n: int, x: list[int],
                   options: list[ShiftOption], tiers: list[tuple[float, float]]) -> None:
    """At most n shifts a day and max_days x n a week, paid minutes within n x the
    contract's, and each overtime tier's extra pay on the minutes beyond its threshold."""
    by_day: defaultdict[int, dict[int, float]] = defaultdict(dict)
    for col, o in zip(x, options, strict=True):
        by_day[o.day][col] = 1.0
    for terms in by_day.values():
        lp.at_most(terms, n)
    lp.at_most(dict.fromkeys(x, 1.0), contract.max_days * n)
    paid = {col: float(o.paid_minutes) for col, o in zip(x, options, strict=True)}
    lp.at_least(paid, round(contract.min_weekly_hours * 60) * n)
    lp.at_most(paid, round(contract.max_weekly_hours * 60) * n)
    for after, extra in tiers:
        over = lp.column(math.inf, round(employee.hourly_cost * 100 / 60 * extra))
        lp.at_most(paid | {over: -1.0}, round(after * 60) * n)


def _spanning_counts(lp: _Lp, n: int, x: list[int], options: list[ShiftOption],
                     iv: int) -> dict[int, int]:
    """A column per interval some option spans, counting the shifts that span it.

    Through a running count: N[t] = N[t-1] + starts - ends (N is 0 where no shift can span
    t, so a chain starts afresh after it).

    Returns:
        The count's column per interval.
    """
    spanned = sorted({t for o in options for t in range(o.start // iv, o.end // iv)})
    count = {t: lp.column(n) for t in spanned}
    changes: defaultdict[int, dict[int, float]] = defaultdict(dict)
    for col, o in zip(x, options, strict=True):
        changes[o.start // iv][col] = -1.0
        if o.end // iv in count:
            changes[o.end // iv][col] = 1.0
    for t, col in count.items():
        lp.equal({col: 1.0, **({count[t - 1]: -1.0} if t - 1 in count else {}),
                  **changes[t]}, 0.0)
    return count


def _agent_duty(lp: _Lp, employee: Employee, n: int, count: dict[int, int], needs: _Needs,
                iv: int) -> defaultdict[int, dict[int, float]]:
    """Agents serve their skills, one queue each: per interval where a skilled queue needs
    someone, a column per queue, together at most the shifts spanning the interval.

    Returns:
        The on-duty columns by day.
    """
    duty: defaultdict[int, dict[int, float]] = defaultdict(dict)
    times: defaultdict[int, list[tuple[str, int]]] = defaultdict(list)
    for q in employee.skills:
        for t in needs.queue_times[q]:
            if t in count:
                times[t].append((q, t))
    for t, keys in times.items():
        cols = {lp.column(n): 1.0 for _ in keys}
        for (q, _), col in zip(keys, cols, strict=True):
            needs.served[q, t][col] = 1.0
        lp.at_most(cols | {count[t]: -1.0}, 0.0)
        duty[t * iv // DAY].update(cols)
    return duty


def _pooled_agent_duty(lp: _Lp, employee: Employee, n: int, count: dict[int, int],
                       needs: _Needs, iv: int) -> defaultdict[int, dict[int, float]]:
    """Agents on duty count for every queue set holding one of their skills: per interval
    where such a set needs someone, one column at most the shifts spanning the interval.

    Returns:
        The on-duty columns by day.
    """
    duty: defaultdict[int, dict[int, float]] = defaultdict(dict)
    skills = frozenset(employee.skills)
    for t, sets in needs.cells_at.items():
        mine = [s for s in sets if s & skills]
        if not mine or t not in count:
            continue
        col = lp.column(n)
        for s in mine:
            needs.set_served[s, t][col] = 1.0
        lp.at_most({col: 1.0, count[t]: -1.0}, 0.0)
        duty[t * iv // DAY][col] = 1.0
    return duty


def _lead_duty(lp: _Lp, employee: Employee, n: int, count: dict[int, int], needs: _Needs,
               iv: int) -> defaultdict[int, dict[int, float]]:
    """Leads are on duty in their role: per interval where it needs someone, a column at
    most the shifts spanning the interval.

    Returns:
        The on-duty columns by day.
    """
    duty: defaultdict[int, dict[int, float]] = defaultdict(dict)
    for t in needs.role_times[employee.role]:
        if t in count:
            col = lp.column(n)
            needs.staffed[employee.role, t][col] = 1.0
            lp.at_most({col: 1.0, count[t]: -1.0}, 0.0)
            duty[t * iv // DAY][col] = 1.0
    return duty


def _daily_duty_rows(lp: _Lp, duty: dict[int, dict[int, float]], x: list[int],
                     options: list[ShiftOption], iv: int) -> None:
    """On duty over a day at most the shifts' intervals that day less their lunch and short
    breaks (where in the shift the breaks fall is left free)."""
    for day, cols in duty.items():
        window = (day * DAY // iv, (day + 1) * DAY // iv)
        most: dict[int, float] = {}
        for col, o in zip(x, options, strict=True):
            inside = min(o.end // iv, window[1]) - max(o.start // iv, window[0])
            if inside > 0:
                most[col] = -float(min(inside, _duty_intervals(o, iv)))
        lp.at_most(cols | most, 0.0)


def _requirement_rows(lp: _Lp, problem: RosterProblem, needs: _Needs) -> None:
    """Each queue's and each lead role's requirement is met or its shortfall paid at the
    full model's weights; under coverage by queue sets, each set's row instead of each
    queue's."""
    for (s, t), need in needs.cells.items():
        short = lp.column(need, AGENT_SHORT_CENTS)
        lp.at_least(needs.set_served[s, t] | {short: 1.0}, need)
    for (q, t), need in problem.queue_required.items():
        if need > 0 and not needs.cells:
            short = lp.column(need, AGENT_SHORT_CENTS)
            lp.at_least(needs.served[q, t] | {short: 1.0}, need)
    for (role, t), need in problem.role_required.items():
        if need > 0:
            short = lp.column(need, ROLE_SHORT_CENTS)
            lp.at_least(needs.staffed[role, t] | {short: 1.0}, need)
