"""Queue coverage as callers get it: every agent on duty answers any queue they are skilled in.

Under the interval scope, when the problem carries pooled requirements (the pipeline's
always do), coverage is one soft row per queue set S and interval t:

    sum over pools p holding a skill in S of on_duty[p, t] + short[S, t] >= r(S, t)

with r({q}, t) the queue's own requirement (raised by the verify rounds where the simulation
missed the target) and r(S, t) for larger sets the pooled requirement of
`scheduler.staffing.pooled`. No agent is tied to one queue in the model; which queue an agent
answers is the simulator's business (it routes calls as the floor does), and the allocation
table the plan writes spreads the agents on duty to the queues they help most.

A row is left out where a smaller set in the family needs as many agents (its pools are a
subset, so its row implies the larger one). Leads and managers keep their role rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from inputs.domain import Employee, Role, ServiceLevelScope
from scheduler import rule_ids as ids
from scheduler.roster.model import RosterProblem, RosterVars, pool_of
from scheduler.roster.penalty import AGENT_SHORT_CENTS, Penalty
from scheduler.staffing import QueueSet, set_label

if TYPE_CHECKING:  # hint imports this module: the type only
    from scheduler.roster.hint import Week

Cells = dict[tuple[QueueSet, int], int]


def uses_pooled(problem: RosterProblem) -> bool:
    """Whether coverage is by queue sets (interval scope with pooled requirements given)."""
    return bool(problem.pooled_required) and (
        problem.workbook.center.service_level_scope is ServiceLevelScope.INTERVAL)


def coverage_cells(problem: RosterProblem) -> Cells:
    """r(S, t) for every row the model needs: singletons from `queue_required`, larger sets
    from `pooled_required`, each dropped where a smaller set in the family needs as many."""
    cells: Cells = {(frozenset([q]), t): n for (q, t), n in problem.queue_required.items()
                    if n > 0}
    for key, n in problem.pooled_required.items():
        if n > cells.get(key, 0):
            cells[key] = n
    by_t: defaultdict[int, list[tuple[QueueSet, int]]] = defaultdict(list)
    for (s, t), n in cells.items():
        by_t[t].append((s, n))
    kept: Cells = {}
    for t, items in sorted(by_t.items()):
        items.sort(key=lambda item: (len(item[0]), sorted(item[0])))
        for i, (s, n) in enumerate(items):
            if not any(inner < s and m >= n for inner, m in items[:i]):
                kept[s, t] = n
    return kept


def pools_by_set(skills: Mapping[str, frozenset[str]],
                 sets: set[QueueSet]) -> dict[QueueSet, list[str]]:
    """Each set's agent pools: those holding at least one of its skills (sorted)."""
    return {s: sorted(p for p, held in skills.items() if held & s) for s in sets}


def agent_skills(problem: RosterProblem) -> dict[str, frozenset[str]]:
    """Each agent pool's skills."""
    return {pool_of(e): frozenset(e.skills) for e in problem.workbook.employees
            if e.role is Role.AGENT}


def add_pooled_coverage(model: cp_model.CpModel, v: RosterVars,
                        p: RosterProblem) -> list[Penalty]:
    """Agents on duty holding a skill in each queue set at least its pooled requirement
    (soft, AGENT_SHORT_CENTS per agent short per interval)."""
    cells = coverage_cells(p)
    pools = pools_by_set(agent_skills(p), {s for s, _ in cells})
    penalties = []
    for (s, t), need in sorted(cells.items(), key=lambda c: (c[0][1], _order(c[0][0]))):
        label = set_label(s)
        short = model.new_int_var(0, need, f"short[{label},{p.label(t)}]")
        model.add(sum(v.on_duty[pool, t] for pool in pools[s] if (pool, t) in v.on_duty)
                  + short >= need)
        penalties.append(Penalty(ids.QUEUE_COVERAGE, short, AGENT_SHORT_CENTS, label, t, need))
    return penalties


def linear_credit(cells: Cells, group: tuple[Employee, ...], weights: Mapping[str, float],
                  ) -> tuple[Cells, dict[tuple[str, int], int]]:
    """The rows a group of employees can overfill, and a credit for the rest.

    A row that needs at least as many agents as the group has holding one of its skills is
    never overfilled by the group: its shortfall falls by exactly one per such agent on
    duty, so the row and its shortfall variable can give way to a credit of its weight per
    agent on duty (the objective moves by a constant). For one agent, every row is of this
    kind: the greedy's one-agent models keep no coverage row at all (measured on the demo:
    1,873 rows per agent before, 0 after).

    Returns:
        The rows kept, and the credit in cents per (pool, t) on duty.
    """
    agents = [e for e in group if e.role is Role.AGENT]
    rows: Cells = {}
    credit: defaultdict[tuple[str, int], int] = defaultdict(int)
    for (s, t), need in cells.items():
        able = [e for e in agents if not s.isdisjoint(e.skills)]
        if need < len(able):
            rows[s, t] = need
            continue
        weight = round(AGENT_SHORT_CENTS * weights.get(set_label(s), 1.0))
        for pool in {pool_of(e) for e in able}:
            credit[pool, t] += weight
    return rows, dict(credit)


def pooled_short(penalties: list[Penalty], duty: Mapping[tuple[str, int], int],
                 problem: RosterProblem) -> dict[int, int]:
    """Each queue-set row's shortfall for given agents on duty per (pool, t), keyed by the
    penalty's position in `penalties` (other rules' penalties are left out)."""
    rows = [(i, pen) for i, pen in enumerate(penalties) if pen.rule == ids.QUEUE_COVERAGE]
    sets = {frozenset(pen.what.split("+")) for _, pen in rows}
    pools = pools_by_set(agent_skills(problem), sets)
    out = {}
    for i, pen in rows:
        have = sum(duty.get((pool, pen.t), 0) for pool in pools[frozenset(pen.what.split("+"))])
        out[i] = max(pen.required - have, 0)
    return out


def coverage_left(problem: RosterProblem) -> dict[tuple[str, int], int]:
    """What the agents must cover, keyed (queue id or set label, t), as the greedy start and
    its polish count it down: per queue, or under `uses_pooled` per queue set."""
    if not uses_pooled(problem):
        return dict(problem.queue_required)
    return {(set_label(s), t): n for (s, t), n in coverage_cells(problem).items()}


def left_cells(left: Mapping[tuple[str, int], int], skills: set[str] | frozenset[str]) -> Cells:
    """The queue-set cells still short that agents with `skills` can help (`coverage_left`'s
    keys back as sets)."""
    out: Cells = {}
    for (label, t), n in left.items():
        s = frozenset(label.split("+"))
        if n > 0 and not s.isdisjoint(skills):
            out[s, t] = n
    return out


def pooled_cover(staff: Mapping[str, Employee], weeks: Mapping[str, Week],
                 left: Mapping[tuple[str, int], int]) -> dict[tuple[str, int], int]:
    """How much of each cell of `left` (keyed by set label) the agents' weeks cover: an agent
    on duty at t counts once for every set at t holding one of their skills."""
    by_t: defaultdict[int, list[tuple[str, frozenset[str]]]] = defaultdict(list)
    for label, t in left:
        by_t[t].append((label, frozenset(label.split("+"))))
    out: defaultdict[tuple[str, int], int] = defaultdict(int)
    for eid, week in weeks.items():
        e = staff[eid]
        if e.role is not Role.AGENT:
            continue
        for t, n in week.on_duty.items():
            if n:
                for label, s in by_t.get(t, ()):
                    if not s.isdisjoint(e.skills):
                        out[label, t] += n
    return dict(out)


def _order(s: QueueSet) -> tuple[int, list[str]]:
    return len(s), sorted(s)


__all__ = ["add_pooled_coverage", "agent_skills", "coverage_cells", "coverage_left",
           "left_cells", "linear_credit", "pooled_cover", "pooled_short", "pools_by_set",
           "uses_pooled"]
