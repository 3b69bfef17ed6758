"""The coverage-aware LP bound of `scheduler/roster/bound.py`, with its per-queue allocation
replaced by the Hall cells of the prototype (issue 18): a copy of `lp_bound` with the
agent block and the queue rows swapped; everything else (classes, shifts, contracts,
overtime, roles, day duty) is main's, unchanged.
"""
from __future__ import annotations

import math
import time
from collections import defaultdict

from inputs.domain import Role, ServiceLevelScope
from scheduler.roster.bound import _SLACK, LpBound, _classes, _duty_intervals, _Lp
from scheduler.roster.cost import least_option_cents, lunch_savings, overtime_tiers
from scheduler.roster.model import RosterProblem
from scheduler.roster.penalty import AGENT_SHORT_CENTS, ROLE_SHORT_CENTS
from scheduler.roster.shifts import DAY, employee_options, minute_multipliers, running_multipliers


def hall_lp_bound(problem: RosterProblem, reqs: dict, time_limit_s: float = 60.0) -> LpBound | None:
    """The relaxation's optimum, made safe against rounding; None under a day or week
    service-level scope, or when HiGHS does not finish within `time_limit_s`."""
    if problem.workbook.center.service_level_scope is not ServiceLevelScope.INTERVAL:
        return None
    started = time.monotonic()
    workbook, iv = problem.workbook, problem.interval
    mult = minute_multipliers(workbook, problem.week_start)
    running = running_multipliers(mult)
    tiers = overtime_tiers(workbook)
    lp = _Lp()
    served: defaultdict[tuple[str, int], dict[int, float]] = defaultdict(dict)
    staffed: defaultdict[tuple[Role, int], dict[int, float]] = defaultdict(dict)
    queue_times: defaultdict[str, list[int]] = defaultdict(list)
    for (q, t), need in problem.queue_required.items():
        if need > 0:
            queue_times[q].append(t)
    cells_at: defaultdict[int, list[frozenset[str]]] = defaultdict(list)
    for (s, t), need in reqs.items():
        if need > 0:
            cells_at[t].append(s)
    hall_times: dict[frozenset[str], list[int]] = {}
    for e in workbook.employees:
        if e.role is Role.AGENT and e.skills:
            sk = frozenset(e.skills)
            if sk not in hall_times:
                hall_times[sk] = [t for t, sets in cells_at.items() if any(s & sk for s in sets)]
    served: defaultdict[tuple[frozenset[str], int], dict[int, float]] = defaultdict(dict)
    role_times: defaultdict[Role, list[int]] = defaultdict(list)
    for (role, t), need in problem.role_required.items():
        if need > 0:
            role_times[role].append(t)

    for members, spans in _classes(problem):
        employee, n = members[0], len(members)
        contract = workbook.contract_of(employee)
        options = [o for o in employee_options(workbook, employee, problem.week_start, mult)
                   if not o.meets(spans)]
        if not options:
            continue
        saved = lunch_savings(employee.hourly_cost, running,
                              {m for o in options for m in o.break_starts},
                              options[0].break_minutes)
        x = [lp.column(n, least_option_cents(o, saved)) for o in options]
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

        # Shifts spanning each interval, through a running count: N[t] = N[t-1] + starts -
        # ends (N is 0 where no shift can span t, so a chain starts afresh after it).
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

        # On duty, per interval where someone is needed, and per day net of breaks.
        duty: defaultdict[int, dict[int, float]] = defaultdict(dict)  # day -> on-duty cols
        if employee.role is Role.AGENT:
            # One on-duty column per class and interval a Hall cell needs (not one per
            # queue): y[c, t] <= shifts spanning t; y enters every cell whose set meets
            # the class's skills.
            for t in sorted(hall_times.get(employee.skills and frozenset(employee.skills), ())):
                if t in count:
                    col = lp.column(n)
                    lp.at_most({col: 1.0, count[t]: -1.0}, 0.0)
                    duty[t * iv // DAY][col] = 1.0
                    for s in cells_at[t]:
                        if s & frozenset(employee.skills):
                            served[s, t][col] = 1.0
        else:
            for t in role_times[employee.role]:
                if t in count:
                    col = lp.column(n)
                    staffed[employee.role, t][col] = 1.0
                    lp.at_most({col: 1.0, count[t]: -1.0}, 0.0)
                    duty[t * iv // DAY][col] = 1.0
        for day, cols in duty.items():
            window = (day * DAY // iv, (day + 1) * DAY // iv)
            most: dict[int, float] = {}
            for col, o in zip(x, options, strict=True):
                inside = min(o.end // iv, window[1]) - max(o.start // iv, window[0])
                if inside > 0:
                    most[col] = -float(min(inside, _duty_intervals(o, iv)))
            lp.at_most(cols | most, 0.0)

    for (s, t), need in reqs.items():
        if need > 0:
            short = lp.column(need, AGENT_SHORT_CENTS)
            lp.at_least(served[s, t] | {short: 1.0}, need)
    for (role, t), need in problem.role_required.items():
        if need > 0:
            short = lp.column(need, ROLE_SHORT_CENTS)
            lp.at_least(staffed[role, t] | {short: 1.0}, need)
    left = time_limit_s - (time.monotonic() - started)
    value = lp.solve(max(left, 1.0))
    if value is None:
        return None
    return LpBound(cents=math.ceil(value - _SLACK * abs(value)),
                   seconds=time.monotonic() - started)
