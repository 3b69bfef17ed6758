"""Service level over a day or a week: the solver buys answered calls where they are cheapest.

Under `Center.service_level_scope` = ``day`` or ``week`` each queue must answer its target
share of the span's calls within the answer time (calls-weighted over the span), and no
interval may fall below `Center.service_level_floor`. The model carries the exact Erlang
service level as a function of the agents serving: per (queue, interval) a table of calls
answered within target for 0, 1, ..., cap agents, linked to the agents serving by
`AddElement`.

Why `AddElement` and not a piecewise-linear concave envelope: Erlang C's service level is 0
up to the offered load and then rises in an S (convex, then concave), so a concave upper
envelope lies above the true level near the load and would let the solver overstate service.
The element constraint is exact at every whole number of agents; the tables are short (the
cap is the agents giving ~99.5%), and CP-SAT expands each one into a value encoding whose LP
relaxation is the convex hull of the (agents, answered) points.

Table values are ``floor(calls x SL(n) x SCALE)`` and the span's need is
``ceil(target x calls x SCALE)``: the solver can never claim more service than Erlang gives.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from inputs.domain import Queue, Role, ServiceLevelScope, Workbook
from scheduler import rule_ids as ids
from scheduler.roster.model import RosterProblem, RosterVars
from scheduler.roster.penalty import AGENT_SHORT_CENTS, Penalty
from scheduler.staffing import (
    QueueLoad,
    apply_shrinkage,
    calls_weighted_level,
    meets_target,
    queue_required_agents,
    queue_service_level_table,
)

SCALE = 100  # table units: hundredths of a call answered within target
CAP_LEVEL = 0.995  # under a day or week scope, agents beyond this level buy nothing
# A call short of the span's target costs half an agent short for an interval: at the demo's
# loads the last agent of an interval's requirement answers a median 1.2 more calls within
# 60 s (10th-90th percentile 0.5-2.8), so both penalties price that agent at ~1,000 ILS,
# ~60 times its pay for 15 minutes, and the coefficients stay small enough for the LP.
SPAN_CALL_SHORT_CENTS = AGENT_SHORT_CENTS // 2
SPAN_RULE = ids.SERVICE_LEVEL_SPAN
# The floor is the per-interval agent requirement under a day or week scope, so its shortfall
# is reported and hinted exactly as the interval rule's is (same rule id and weight).
FLOOR_RULE = ids.QUEUE_COVERAGE


@dataclass(frozen=True, slots=True, kw_only=True)
class CellTable:
    """One queue's interval under a span scope: its floor and its answered-calls table.

    `answered[n]` is floor(calls x SL(n) x SCALE) with n agents rostered to serve the queue.
    """

    queue_id: str
    t: int
    calls: float
    floor_agents: int
    answered: tuple[int, ...]


def answered_table(load: QueueLoad, *, max_agents: int, interval_s: float,
                   shrinkage: float = 0.0) -> np.ndarray:
    """Calls answered within target x SCALE with 0..max_agents rostered agents, rounded down.

    With shrinkage s, n rostered agents put floor(n x (1 - s)) on the phones (the inverse of
    `apply_shrinkage`, rounded against the plan).
    """
    on_phones = np.floor(np.arange(max_agents + 1) * (1.0 - shrinkage) + 1e-9).astype(int)
    level = queue_service_level_table(load.queue, calls=[load.calls], aht_s=[load.aht_s],
                                      interval_s=interval_s, max_agents=int(on_phones[-1]))[0]
    return np.floor(load.calls * level[on_phones] * SCALE + 1e-9).astype(np.int64)


@functools.lru_cache(maxsize=65536)
def _agents_for(queue: Queue, calls: float, aht_s: float, interval_s: float, level: float,
                shrinkage: float) -> int:
    """Fewest rostered agents giving `level` on one interval's load (0 for a level of 0)."""
    if calls <= 0 or level <= 0:
        return 0
    raw = queue_required_agents(dataclasses.replace(queue, service_level=level),
                                calls=[calls], aht_s=[aht_s], interval_s=interval_s)
    return int(apply_shrinkage(raw, shrinkage)[0])


def _skilled(problem: RosterProblem, queue_id: str) -> int:
    return sum(1 for e in problem.workbook.employees
               if e.role is Role.AGENT and queue_id in e.skills)


def scope_cap(problem: RosterProblem, queue_id: str, t: int) -> int:
    """Most agents worth serving a queue in an interval under the center's scope.

    Interval scope: the interval's requirement. Day or week scope: the agents that give
    CAP_LEVEL (99.5%) service, but no more than the agents skilled in the queue; 0 where
    no calls are expected.
    """
    need = problem.queue_required.get((queue_id, t), 0)
    center = problem.workbook.center
    load = problem.loads.get((queue_id, t))
    if center.service_level_scope is ServiceLevelScope.INTERVAL or load is None:
        return need
    if load.calls <= 0:
        return 0
    if load.queue.service_level >= CAP_LEVEL:
        return need
    best = _agents_for(load.queue, float(load.calls), float(load.aht_s),
                       center.interval_minutes * 60.0, CAP_LEVEL, center.shrinkage)
    return min(best, _skilled(problem, queue_id))


def floor_agents(problem: RosterProblem, queue_id: str, t: int) -> int:
    """Agents an interval needs for the floor level (the queue's target if that is lower)."""
    load = problem.loads.get((queue_id, t))
    if load is None or load.calls <= 0:
        return 0
    center = problem.workbook.center
    level = min(center.service_level_floor, load.queue.service_level)
    return _agents_for(load.queue, float(load.calls), float(load.aht_s),
                       center.interval_minutes * 60.0, level, center.shrinkage)


def scope_tables(problem: RosterProblem) -> list[CellTable]:
    """Every (queue, interval) with calls: its floor and answered table up to its cap."""
    center = problem.workbook.center
    interval_s = center.interval_minutes * 60.0
    cells = []
    for (q, t), load in sorted(problem.loads.items()):
        if load.calls <= 0:
            continue
        cap = max(scope_cap(problem, q, t), 0)
        table = answered_table(load, max_agents=cap, interval_s=interval_s,
                               shrinkage=center.shrinkage)
        cells.append(CellTable(queue_id=q, t=t, calls=float(load.calls),
                               floor_agents=floor_agents(problem, q, t),
                               answered=tuple(int(x) for x in table)))
    return cells


def span_of(problem: RosterProblem, t: int) -> int:
    """The span an interval belongs to: its day index under day scope, 0 under week scope."""
    if problem.workbook.center.service_level_scope is ServiceLevelScope.WEEK:
        return 0
    return t * problem.interval // 1440


def add_scope_coverage(model: cp_model.CpModel, v: RosterVars,
                       p: RosterProblem) -> list[Penalty]:
    """Each queue answers its target share of a day's (or week's) calls in time, no interval
    below the floor (both soft).

    Needs `v.alloc` built with `scope_cap` bounds. Returns one floor penalty per interval
    with calls (agents short, rule `queue_coverage`) and one span penalty per queue and span
    (calls short of the target, with a rule-language text). Interval scope: returns [].
    """
    if p.workbook.center.service_level_scope is ServiceLevelScope.INTERVAL:
        return []
    serving: defaultdict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for (_, q, t), var in v.alloc.items():
        serving[q, t].append(var)
    penalties = []
    spans: defaultdict[tuple[str, int], list[tuple[CellTable, cp_model.IntVar]]] = \
        defaultdict(list)
    for cell in scope_tables(p):
        good = _link_cell(model, v, p, cell, serving[cell.queue_id, cell.t])
        spans[cell.queue_id, span_of(p, cell.t)].append((cell, good))
        if cell.floor_agents > 0:
            short = model.new_int_var(0, cell.floor_agents,
                                      f"short[{cell.queue_id},{p.label(cell.t)}]")
            model.add(sum(serving[cell.queue_id, cell.t]) + short >= cell.floor_agents)
            penalties.append(Penalty(FLOOR_RULE, short, AGENT_SHORT_CENTS, cell.queue_id,
                                     cell.t, cell.floor_agents))
    queues = {q.queue_id: q for q in p.workbook.queues}
    for (q, _), members in sorted(spans.items()):
        penalties.append(_span_penalty(model, p, queues[q], members))
    return penalties


def _link_cell(model: cp_model.CpModel, v: RosterVars, p: RosterProblem, cell: CellTable,
               allocs: list[cp_model.IntVar]) -> cp_model.IntVar:
    """good == answered[agents serving the queue in the interval], exactly; both variables
    are kept in `v.scope_cells` for `hint_scope`."""
    cap = len(cell.answered) - 1
    name = f"{cell.queue_id},{p.label(cell.t)}"
    good = model.new_int_var(0, cell.answered[-1], f"answered[{name}]")
    if not allocs or cap == 0:  # nobody skilled in the queue is on duty then
        if allocs:
            model.add(sum(allocs) == 0)
        model.add(good == cell.answered[0])
        v.scope_cells[cell.queue_id, cell.t] = (good, None)
        return good
    n = model.new_int_var(0, cap, f"serving[{name}]")
    model.add(n == sum(allocs))
    model.add_element(n, list(cell.answered), good)
    v.scope_cells[cell.queue_id, cell.t] = (good, n)
    return good


def _span_penalty(model: cp_model.CpModel, p: RosterProblem, queue: Queue,
                  members: list[tuple[CellTable, cp_model.IntVar]]) -> Penalty:
    """sum(answered) + SCALE x short >= ceil(target x calls x SCALE); short in whole calls."""
    calls = sum(cell.calls for cell, _ in members)
    need = _span_need(queue, calls)
    most = -(-need // SCALE)
    first = members[0][0].t
    when = _span_label(p, first)
    short = model.new_int_var(0, most, f"sl_short[{queue.queue_id},{when}]")
    model.add(sum(good for _, good in members) + SCALE * short >= need)
    text = (f"{queue.name} ({queue.queue_id}) {when}: {{n}} calls short of "
            f"{queue.service_level:.0%} answered within {queue.answer_seconds} s "
            f"({calls:.0f} calls expected)")
    return Penalty(SPAN_RULE, short, SPAN_CALL_SHORT_CENTS, queue.queue_id, first, most, text)


def hint_scope(model: cp_model.CpModel, v: RosterVars, p: RosterProblem,
               served: Mapping[tuple[str, int], int], penalties: list[Penalty]) -> None:
    """Hint every variable `add_scope_coverage` made, from the agents a hint roster serves.

    `served[(queue_id, t)]` is the hinted number of agents serving the queue in interval t
    (the sum of the hinted alloc). Hints each cell's agents serving and calls answered, and
    each span penalty's exact shortfall; floor penalties (rule `queue_coverage`) are left to
    the caller, as the interval rule's are. CP-SAT uses a hint fully only when every
    variable has one.
    """
    if p.workbook.center.service_level_scope is ServiceLevelScope.INTERVAL:
        return
    got: defaultdict[tuple[str, int], int] = defaultdict(int)
    calls: defaultdict[tuple[str, int], float] = defaultdict(float)
    for cell in scope_tables(p):
        n = min(served.get((cell.queue_id, cell.t), 0), len(cell.answered) - 1)
        good = cell.answered[n]
        got[cell.queue_id, span_of(p, cell.t)] += good
        calls[cell.queue_id, span_of(p, cell.t)] += cell.calls
        answered, serving = v.scope_cells[cell.queue_id, cell.t]
        model.add_hint(answered, good)
        if serving is not None:
            model.add_hint(serving, n)
    queues = {q.queue_id: q for q in p.workbook.queues}
    for pen in penalties:
        if pen.rule == SPAN_RULE:
            key = (pen.what, span_of(p, pen.t))
            need = _span_need(queues[pen.what], calls[key])
            model.add_hint(pen.var, max(-(-(need - got[key]) // SCALE), 0))


def _span_need(queue: Queue, calls: float) -> int:
    """Hundredths of calls a span must answer within target: rounded up, never understated."""
    return math.ceil(queue.service_level * calls * SCALE - 1e-9)


def _span_label(p: RosterProblem, t: int) -> str:
    if p.workbook.center.service_level_scope is ServiceLevelScope.WEEK:
        return f"week of {p.week_start:%d-%m}"
    return f"{p.moment(t):%a %d-%m}"


def span_service_levels(requirements: pd.DataFrame, workbook: Workbook) -> pd.DataFrame:
    """Planned calls-weighted service level per queue for each day and for the whole week.

    Args:
        requirements: the plan's requirements table (queue, interval_start, calls,
            expected_service_level); intervals without calls or level are left out.
        workbook: for each queue's target.

    Returns:
        queue, span (ISO date, or "week"), calls, service_level, target; per queue its days
        in order, then its week.
    """
    columns = ["queue", "span", "calls", "service_level", "target"]
    targets = {q.queue_id: q.service_level for q in workbook.queues}
    rows = requirements[(requirements["calls"] > 0)
                        & requirements["expected_service_level"].notna()]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({
        "queue": rows["queue"].astype(str).to_numpy(),
        "day": pd.to_datetime(rows["interval_start"]).dt.strftime("%Y-%m-%d").to_numpy(),
        "calls": rows["calls"].to_numpy(float),
        "level": rows["expected_service_level"].to_numpy(float),
    })
    out = []
    for q, group in frame.groupby("queue", sort=True):
        for day, part in group.groupby("day", sort=True):
            out.append(_span_row(str(q), str(day), part, targets))
        out.append(_span_row(str(q), "week", group, targets))
    return pd.DataFrame(out, columns=columns)


def _span_row(queue: str, span: str, part: pd.DataFrame,
              targets: dict[str, float]) -> tuple[str, str, float, float, float]:
    calls = float(part["calls"].sum())
    level = calls_weighted_level(part, "level")
    assert level is not None  # the rows kept all have calls and a level
    return (queue, span, round(calls, 3), round(level, 4),
            targets.get(queue, float("nan")))


def span_shortfall_lines(levels: pd.DataFrame, workbook: Workbook) -> list[str]:
    """Rule-language lines for spans of the center's scope planned below target.

    E.g. "Legal aid (LEGAL) Sun 29-11: 76% answered in 60 s planned, target 80%".
    Interval scope: [] (the interval shortfall lines say it).
    """
    scope = workbook.center.service_level_scope
    if scope is ServiceLevelScope.INTERVAL:
        return []
    queues = {q.queue_id: q for q in workbook.queues}
    wanted = levels["span"] == "week" if scope is ServiceLevelScope.WEEK \
        else levels["span"] != "week"
    lines = []
    part = levels[wanted]
    for q, span, level, target in zip(part["queue"].astype(str), part["span"].astype(str),
                                      part["service_level"].astype(float),
                                      part["target"].astype(float), strict=True):
        if meets_target(level, target):
            continue
        queue = queues[q]
        when = "week" if span == "week" else f"{dt.date.fromisoformat(span):%a %d-%m}"
        lines.append(f"{queue.name} ({q}) {when}: {level:.0%} answered "
                     f"in {queue.answer_seconds} s planned, target {target:.0%}")
    return lines
