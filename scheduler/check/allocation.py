"""The independent checker's queue allocation rules: agents scheduled on a queue in an
interval are agents on duty then (working, not on a lunch or short break), skilled in it,
each serving one queue.

`scheduler.check.core` calls `check_allocation` from `check_roster`; this module builds only on
`scheduler.check.violations`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pandas as pd

from inputs.domain import Employee, Role, Roster, Workbook
from scheduler.check.violations import (
    Violation,
    day_text,
    hm_text,
    midnight,
    off_duty_spans,
)
from scheduler.rule_ids import ALLOCATION_FLOW, ALLOCATION_QUEUE, ALLOCATION_SKILL, ALLOCATION_TOTAL


def on_duty(workbook: Workbook, roster: Roster, moment: dt.datetime) -> set[str]:
    """Employees of the workbook working at `moment` and not on a lunch or short break then
    (any role)."""
    known = {e.employee_id for e in workbook.employees}
    return {
        a.employee_id
        for a in roster.assignments
        if a.employee_id in known and a.start <= moment < a.end
        and not any(s <= moment < e for s, e in off_duty_spans(a))
    }


def _agents_by_interval(workbook: Workbook, roster: Roster) -> dict[dt.datetime, list[Employee]]:
    """Agents working and off break for the whole of each planning interval (each once)."""
    step = dt.timedelta(minutes=workbook.center.interval_minutes)
    agents = {e.employee_id: e for e in workbook.employees if e.role is Role.AGENT}
    duty: dict[dt.datetime, dict[str, Employee]] = defaultdict(dict)
    for a in roster.assignments:
        if a.employee_id not in agents:
            continue
        t = midnight(a.start.date())
        t += step * int((a.start - t) / step)
        while t + step <= a.end:
            if t >= a.start and not any(s < t + step and t < e for s, e in off_duty_spans(a)):
                duty[t][a.employee_id] = agents[a.employee_id]
            t += step
    return {t: list(on.values()) for t, on in duty.items()}


def _max_served(skills: list[tuple[str, ...]], demand: dict[str, int]) -> dict[str, int]:
    """Most agents per queue that can be served, one queue per agent (bipartite max-flow).

    Kuhn's augmenting paths with queue capacities; agents with fewer skills go first.
    """
    holders: dict[str, list[int]] = {q: [] for q in demand}

    def augment(agent: int, seen: set[str]) -> bool:
        for q in skills[agent]:
            if demand.get(q, 0) <= 0 or q in seen:
                continue
            seen.add(q)
            if len(holders[q]) < demand[q]:
                holders[q].append(agent)
                return True
            for other in list(holders[q]):
                if augment(other, seen):
                    holders[q].remove(other)
                    holders[q].append(agent)
                    return True
        return False

    need = sum(max(n, 0) for n in demand.values())
    served = 0
    for agent in sorted(range(len(skills)), key=lambda i: len(skills[i])):
        if served >= need:
            break
        served += augment(agent, set())
    return {q: len(h) for q, h in holders.items()}


def check_allocation(
    workbook: Workbook, roster: Roster, allocation: pd.DataFrame
) -> list[Violation]:
    """Each interval's scheduled agents per queue must be agents on duty with that skill.

    Each agent serves at most one queue per interval; only role `agent` counts.
    """
    queues = {q.queue_id for q in workbook.queues}
    demand: dict[dt.datetime, dict[str, int]] = defaultdict(dict)
    out = []
    for queue, start, n in zip(allocation["queue"], allocation["interval_start"],
                               allocation["scheduled_agents"], strict=True):
        t = pd.Timestamp(start).to_pydatetime()
        if queue not in queues:
            out.append(Violation(rule=ALLOCATION_QUEUE, employee_id=None, day=t.date(),
                                 message=f"{day_text(t.date())} {hm_text(t)}: allocation "
                                 f"names unknown queue {queue!r}"))
        elif not pd.isna(n) and int(n) > 0:
            demand[t][str(queue)] = demand[t].get(str(queue), 0) + int(n)
    duty = _agents_by_interval(workbook, roster)
    for t in sorted(demand):
        out += _check_interval(t, demand[t], duty.get(t, []))
    return out


def _check_interval(
    t: dt.datetime, demand: dict[str, int], agents: list[Employee]
) -> list[Violation]:
    """One interval: per-queue skill counts, the total, then the exact max-flow."""
    def violation(rule: str, message: str) -> Violation:
        return Violation(rule=rule, employee_id=None, day=t.date(),
                         message=f"{day_text(t.date())} {hm_text(t)}: {message}")

    out = []
    for q, n in sorted(demand.items()):
        skilled = sum(q in a.skills for a in agents)
        if n > skilled:
            out.append(violation(ALLOCATION_SKILL, f"{n} agents scheduled on {q} but only "
                                 f"{skilled} agents with that skill are on duty"))
    total = sum(demand.values())
    if total > len(agents):
        out.append(violation(ALLOCATION_TOTAL, f"{total} agents scheduled on queues but only "
                             f"{len(agents)} agents are on duty"))
    served = _max_served([a.skills for a in agents], demand)
    if sum(served.values()) < total:
        short = ", ".join(f"{q} {served[q]} of {n}" for q, n in sorted(demand.items())
                          if served[q] < n)
        out.append(violation(ALLOCATION_FLOW, f"{total} agents scheduled on queues but at most "
                             f"{sum(served.values())} can be served by the {len(agents)} agents "
                             f"on duty, one queue each (short: {short})"))
    return out
