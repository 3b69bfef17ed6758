"""Roster rules, one function each: hard rules add constraints, soft rules return penalties.

Every function has the shape `add_rule(model, v, problem) -> list[Penalty]`. `RULES` lists
them in the order they are added, hard before soft, with the label a manager reads.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from inputs.capacity import unavailable_windows
from inputs.domain import Role, ServiceLevelScope
from scheduler import rule_ids as ids
from scheduler.roster.model import RosterProblem, RosterVars, pool_of
from scheduler.roster.penalty import AGENT_SHORT_CENTS, ROLE_SHORT_CENTS, Penalty, Rule, RuleFn
from scheduler.roster.pooled import add_pooled_coverage, uses_pooled
from scheduler.roster.sl_scope import add_scope_coverage, scope_cap
from scheduler.roster.week_rules import WEEK_RULES


def add_availability(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> list[Penalty]:
    """No shift overlaps an employee's unavailable hours or approved time off."""
    blocked = unavailable_windows(p.workbook, p.week_start)
    for eid, windows in blocked.items():
        for k, o in enumerate(v.options.get(eid, [])):
            if o.meets(windows):
                model.add(v.shift[eid, k] == 0)
    return []


def add_weekly_hours(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> list[Penalty]:
    """Weekly paid hours stay within the contract's minimum and maximum."""
    for eid, options in v.options.items():
        contract = p.workbook.contract_of(v.employees[eid])
        paid = sum(o.paid_minutes * v.shift[eid, k] for k, o in enumerate(options))
        model.add(paid >= round(contract.min_weekly_hours * 60))
        model.add(paid <= round(contract.max_weekly_hours * 60))
    return []


def add_max_days(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> list[Penalty]:
    """An employee works at most the contract's number of days a week."""
    for eid in v.options:
        contract = p.workbook.contract_of(v.employees[eid])
        model.add(sum(v.works[eid, d] for d in range(7)) <= contract.max_days)
    return []


def add_max_consecutive_days(
    model: cp_model.CpModel, v: RosterVars, p: RosterProblem
) -> list[Penalty]:
    """No more consecutive working days than the contract allows."""
    for eid in v.options:
        limit = p.workbook.contract_of(v.employees[eid]).max_consecutive_days
        for first in range(7 - limit):
            model.add(sum(v.works[eid, d] for d in range(first, first + limit + 1)) <= limit)
    return []


def add_min_rest(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> list[Penalty]:
    """At least the contract's minimum rest between the end of a shift and the next start."""
    for eid in v.options:
        rest = round(p.workbook.contract_of(v.employees[eid]).min_rest_hours * 60)
        for day in range(6):
            today, tomorrow = v.options_on(eid, day), v.options_on(eid, day + 1)
            if not today or not tomorrow:
                continue
            end = sum(o.end * v.shift[eid, k] for k, o in today)
            start = sum(o.start * v.shift[eid, k] for k, o in tomorrow)
            model.add(start - end >= rest).only_enforce_if(
                [v.works[eid, day], v.works[eid, day + 1]]
            )
    return []


def add_breaks(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> list[Penalty]:
    """A shift over the contract's break threshold has one unpaid lunch inside its window."""
    for eid in v.options:
        for day in range(7):
            breaks = v.brk[eid, day]
            if not breaks:
                continue
            needing = [(k, o) for k, o in v.options_on(eid, day) if o.break_starts]
            model.add(sum(breaks.values()) == sum(v.shift[eid, k] for k, _ in needing))
            for k, o in needing:
                model.add(sum(breaks[m] for m in o.break_starts) >= v.shift[eid, k])
    return []


def add_short_breaks(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> list[Penalty]:
    """A shift gets its paid short breaks, spaced from the shift's edges and from the lunch.

    A shift longer than `break_after_hours` (it has the lunch) gets two short breaks, one
    before the lunch and one after it; a shift longer than `short_break_after_hours` without
    a lunch gets one. Every short break starts at least `break_spacing_hours` after the shift
    start or the end of the break before it, and ends at least `break_spacing_hours` before
    the next break or the shift end. The shift edges are in each option's allowed starts;
    the lunch, which may land anywhere in its window, by two linear constraints a day.
    """
    for (eid, day, i), starts in v.short.items():
        needing = [(k, o) for k, o in v.options_on(eid, day) if len(o.short_break_starts) > i]
        model.add(sum(starts.values()) == sum(v.shift[eid, k] for k, _ in needing))
        for k, o in needing:
            model.add(sum(starts[m] for m in o.short_break_starts[i]) >= v.shift[eid, k])
    for (eid, day), lunch in v.brk.items():
        if not lunch or (eid, day, 1) not in v.short:
            continue
        c = p.workbook.contract_of(v.employees[eid])
        gap = round(c.break_spacing_hours * 60)
        before, after = v.short[eid, day, 0], v.short[eid, day, 1]
        has_lunch = model.new_bool_var(f"has_lunch[{eid},{day}]")
        v.has_lunch[eid, day] = has_lunch
        model.add(has_lunch == sum(lunch.values()))
        lunch_start = sum(m * x for m, x in lunch.items())
        model.add(sum(m * x for m, x in before.items()) + c.short_break_minutes + gap
                  <= lunch_start).only_enforce_if(has_lunch)
        # Only lunch shifts have a second short break: without a lunch both sides are 0.
        model.add(sum(m * x for m, x in after.items())
                  >= lunch_start + (c.break_minutes + gap) * has_lunch)
    return []


def add_skills(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> list[Penalty]:
    """An agent serves only queues they are skilled in, one queue at a time.

    How many agents of a pool may serve a queue in an interval is capped by what the
    service-level scope can use (`scheduler.roster.sl_scope.scope_cap`): the requirement under the
    interval scope, more under day or week scope, where extra agents buy service level.
    Coverage by queue sets (`scheduler.roster.pooled`) ties no agent to a queue: no variables.
    """
    if uses_pooled(p):
        return []
    size: defaultdict[str, int] = defaultdict(int)
    skills: dict[str, tuple[str, ...]] = {}
    for e in v.employees.values():
        if e.role is Role.AGENT:
            size[pool_of(e)] += 1
            skills[pool_of(e)] = e.skills
    caps = {(q, t): scope_cap(p, q, t) for q, t in set(p.queue_required) | set(p.loads)}
    needed = sorted({t for (_, t), cap in caps.items() if cap > 0})
    for pool, queues in skills.items():
        for t in needed:
            on_duty = v.on_duty.get((pool, t))
            if on_duty is None:
                continue
            serving = []
            for q in queues:
                cap = caps.get((q, t), 0)
                if cap > 0:
                    var = model.new_int_var(0, min(cap, size[pool]), f"alloc[{pool},{q},{t}]")
                    v.alloc[pool, q, t] = var
                    serving.append(var)
            model.add(sum(serving) <= on_duty)
    return []


def add_queue_coverage(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> list[Penalty]:
    """Every queue has the agents its service level needs in every open interval (soft);
    with pooled requirements, every set of queues that share agents too.

    Under a day or week scope the span's calls-weighted level must meet the target instead,
    with no interval below the floor (`scheduler.roster.sl_scope`).
    """
    if p.workbook.center.service_level_scope is not ServiceLevelScope.INTERVAL:
        return add_scope_coverage(model, v, p)
    if uses_pooled(p):
        return add_pooled_coverage(model, v, p)
    serving: defaultdict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for (_, q, t), var in v.alloc.items():
        serving[q, t].append(var)
    penalties = []
    for (q, t), need in sorted(p.queue_required.items()):
        if need <= 0:
            continue
        short = model.new_int_var(0, need, f"short[{q},{p.label(t)}]")
        model.add(sum(serving[q, t]) + short >= need)
        penalties.append(Penalty(ids.QUEUE_COVERAGE, short, AGENT_SHORT_CENTS, q, t, need))
    return penalties


def add_role_coverage(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> list[Penalty]:
    """Shift leads, floor leads and managers on duty, not on break, as the Coverage sheet asks."""
    penalties = []
    for (role, t), need in sorted(p.role_required.items()):
        if need <= 0:
            continue
        short = model.new_int_var(0, need, f"short[{role.value},{p.label(t)}]")
        model.add(v.on_duty.get((role.value, t), 0) + short >= need)
        penalties.append(Penalty(ids.ROLE_COVERAGE, short, ROLE_SHORT_CENTS, role.value, t, need))
    return penalties


_CORE_RULES: tuple[Rule, ...] = (
    Rule(ids.AVAILABILITY, "No work when unavailable or on approved time off", True,
         add_availability),
    Rule(ids.WEEKLY_HOURS, "Weekly paid hours within the contract", True, add_weekly_hours),
    Rule(ids.MAX_DAYS, "No more working days a week than the contract allows", True,
         add_max_days),
    Rule(ids.CONSECUTIVE_DAYS, "No more consecutive working days than the contract allows",
         True, add_max_consecutive_days),
    Rule(ids.MIN_REST, "Minimum rest between shifts", True, add_min_rest),
    Rule(ids.BREAKS, "A lunch break inside its window in every long shift", True, add_breaks),
    Rule(ids.SHORT_BREAKS, "Paid short breaks spaced from the shift's edges and the lunch",
         True, add_short_breaks),
    Rule(ids.SKILLS, "Agents serve only their skills, one queue at a time", True, add_skills),
    Rule(ids.QUEUE_COVERAGE, "Enough agents for every queue's service level", False,
         add_queue_coverage),
    Rule(ids.ROLE_COVERAGE, "Shift leads, floor leads and managers on duty whenever open",
         False, add_role_coverage),
)

# Every rule, hard before soft (the order they are added to the model).
RULES: tuple[Rule, ...] = tuple(sorted((*_CORE_RULES, *WEEK_RULES), key=lambda r: not r.hard))

__all__ = ["AGENT_SHORT_CENTS", "ROLE_SHORT_CENTS", "RULES", "Penalty", "Rule", "RuleFn"]
