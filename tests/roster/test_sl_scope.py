"""Service level over a day or a week: Erlang tables in the model, floor, span shortfall, cost.

The instances are tiny: Sunday 08:00-09:00 (two 30-minute intervals, t=16 and t=17), shifts
of exactly 30 minutes, so each agent covers one interval and the optimum can be worked out by
hand from the Erlang C table below.

Erlang C, 20 calls in 30 minutes at 180 s handle time (2 Erlangs), 60 s answer time, by
hand: P(wait) with 3 agents = B/(1 - (A/n)(1 - B)) with Erlang B(3, 2) = 0.210526, so
0.444444, and SL = 1 - 0.444444 x exp(-(3 - 2) x 60/180) = 0.681542; 4 agents: 0.910710;
5 agents: 0.978037; 6 agents: 0.995250; 2 or fewer: 0 (the queue never empties).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from inputs.domain import (
    Center,
    Contract,
    Employee,
    OpeningSpan,
    Premium,
    PremiumKind,
    Queue,
    Role,
    ServiceLevelScope,
    Workbook,
)
from scheduler.roster import rules, sl_scope
from scheduler.roster.construct import construct_hint
from scheduler.roster.cost import add_cost
from scheduler.roster.hint import apply_hint
from scheduler.roster.model import RosterProblem, build_vars
from scheduler.roster.result import SolveResult, SolveStatus
from scheduler.roster.solve import SolverSettings, solve_roster
from scheduler.staffing.service import QueueLoad, queue_service_level
from tests.conftest import WEEK

T0, T1 = 16, 17  # Sunday 08:00 and 08:30 at 30-minute intervals
MON0 = (1440 + 480) // 30  # Monday 08:00
ALPHA = Queue(queue_id="A", name="Alpha")
HALF_HOUR = Contract(
    contract_id="H", min_weekly_hours=0, max_weekly_hours=40, max_days=7, min_shift_hours=0.5,
    max_shift_hours=0.5, max_consecutive_days=7, min_rest_hours=0, break_after_hours=6,
    shift_step_minutes=30,
)
# 08:30-09:00 on Sunday is paid three times over: the expensive interval.
LATE = Premium(name="Late", kind=PremiumKind.TIME, multiplier=3.0, start_min=510, end_min=540)
MONDAY = Premium(name="Monday", kind=PremiumKind.DAY, multiplier=3.0, weekday=0)
TABLE_20 = [0, 0, 0, 1363, 1821, 1956, 1990]  # floor(20 x SL(n) x 100), n = 0..6


def workbook(scope: ServiceLevelScope, agents: int = 10, floor: float = 0.60,
             opening: tuple[OpeningSpan, ...] | None = None,
             premiums: tuple[Premium, ...] = (LATE,), shrinkage: float = 0.0) -> Workbook:
    return Workbook(
        center=Center(name="t", interval_minutes=30, service_level_scope=scope,
                      service_level_floor=floor, shrinkage=shrinkage),
        opening_hours=opening or (OpeningSpan(weekday=6, open_min=480, close_min=540),),
        queues=(ALPHA,),
        employees=tuple(Employee(employee_id=f"E{i}", name=f"Agent {i}", role=Role.AGENT,
                                 team="T", contract_id="H", hourly_cost=60, skills=("A",))
                        for i in range(agents)),
        contracts=(HALF_HOUR,),
        premiums=premiums,
    )


def problem(wb: Workbook, calls: dict[int, float], required: dict[int, int]) -> RosterProblem:
    return RosterProblem(
        workbook=wb, week_start=WEEK,
        queue_required={("A", t): n for t, n in required.items()}, role_required={},
        loads={("A", t): QueueLoad(queue=ALPHA, calls=c, aht_s=180) for t, c in calls.items()},
    )


def solve(p: RosterProblem, monkeypatch: pytest.MonkeyPatch) -> SolveResult:
    result = solve_roster(p, SolverSettings(time_limit_s=20, workers=1, seed=0))
    assert result.status is SolveStatus.OPTIMAL
    return result


def agents(result: SolveResult, *ts: int) -> list[int]:
    assert result.allocation is not None
    table = result.allocation.set_index("interval_start")["scheduled_agents"]
    start = dt.datetime.combine(WEEK, dt.time())
    return [int(table.get(start + dt.timedelta(minutes=30 * t), 0)) for t in ts]


# --- the Erlang tables -------------------------------------------------------------------

def test_answered_table_is_erlang_c_by_hand_rounded_down() -> None:
    load = QueueLoad(queue=ALPHA, calls=20, aht_s=180)
    table = sl_scope.answered_table(load, max_agents=6, interval_s=1800)
    assert table.tolist() == TABLE_20


def test_answered_table_counts_agents_left_after_shrinkage() -> None:
    # 25% shrinkage: 4 rostered -> 3 on the phones, 5 -> 3 (3.75), 6 -> 4 (4.5).
    load = QueueLoad(queue=ALPHA, calls=20, aht_s=180)
    table = sl_scope.answered_table(load, max_agents=6, interval_s=1800, shrinkage=0.25)
    assert table.tolist() == [0, 0, 0, 0, 1363, 1363, 1821]


@settings(max_examples=40, deadline=None)
@given(calls=st.floats(0.1, 80), aht=st.floats(30, 600), patience=st.none() | st.floats(20, 400))
def test_table_never_overstates_service(calls: float, aht: float, patience: float | None) -> None:
    queue = dataclasses.replace(ALPHA, patience_s=patience)
    load = QueueLoad(queue=queue, calls=calls, aht_s=aht)
    table = sl_scope.answered_table(load, max_agents=25, interval_s=900)
    exact = calls * 100 * queue_service_level(queue, calls=calls, aht_s=aht,
                                              agents=np.arange(26), interval_s=900)
    assert (table <= exact + 1e-6).all() and (table > exact - 1).all()
    assert (np.diff(table) >= 0).all()


def test_scope_cap_interval_day_and_pool() -> None:
    calls, need = {T0: 20.0}, {T0: 4}
    assert sl_scope.scope_cap(problem(workbook(ServiceLevelScope.INTERVAL), calls, need),
                              "A", T0) == 4
    assert sl_scope.scope_cap(problem(workbook(ServiceLevelScope.DAY), calls, need), "A", T0) == 6
    assert sl_scope.scope_cap(problem(workbook(ServiceLevelScope.WEEK, agents=3), calls, need),
                              "A", T0) == 3
    assert sl_scope.scope_cap(problem(workbook(ServiceLevelScope.DAY), calls, need), "A", T1) == 0


def test_floor_agents() -> None:
    p = problem(workbook(ServiceLevelScope.DAY), {T0: 20.0, T1: 4.0}, {T0: 4, T1: 2})
    assert sl_scope.floor_agents(p, "A", T0) == 3  # 0.68 >= 0.60 > 0
    assert sl_scope.floor_agents(p, "A", T1) == 1  # 4 calls, 1 agent: 0.67


# --- the model -------------------------------------------------------------------------------

def test_day_scope_buys_service_where_it_is_cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    # Interval scope: 4 + 4 agents (0.91 each), 4 x 30 + 4 x 90 = 480 ILS. Day scope: the
    # dear 08:30 drops to the floor's 3 (0.68), the cheap 08:00 rises to 5 (0.98): answered
    # 1956 + 1363 = 3319 >= 3200 hundredths; 4 + 3 gives only 3184. 5 x 30 + 3 x 90 = 420.
    calls, need = {T0: 20.0, T1: 20.0}, {T0: 4, T1: 4}
    by_interval = solve(problem(workbook(ServiceLevelScope.INTERVAL), calls, need), monkeypatch)
    by_day = solve(problem(workbook(ServiceLevelScope.DAY), calls, need), monkeypatch)
    assert agents(by_interval, T0, T1) == [4, 4]
    assert by_interval.cost == 480.0
    assert agents(by_day, T0, T1) == [5, 3]
    assert by_day.cost == 420.0
    assert by_day.shortfalls == () and by_day.rule_breaks == ()
    assert by_day.allocation is not None
    table = by_day.allocation.assign(calls=20.0, aht_s=180.0)
    table["expected_service_level"] = queue_service_level(
        ALPHA, calls=table["calls"], aht_s=table["aht_s"], agents=table["scheduled_agents"],
        interval_s=1800)
    levels = sl_scope.span_service_levels(table, workbook(ServiceLevelScope.DAY))
    assert levels["service_level"].tolist() == [0.8298, 0.8298]  # (0.978037 + 0.681542) / 2


def test_week_scope_trades_days_and_costs_least(monkeypatch: pytest.MonkeyPatch) -> None:
    # Sunday and Monday 08:00-08:30, 20 calls each, Monday paid three times over.
    opening = (OpeningSpan(weekday=6, open_min=480, close_min=510),
               OpeningSpan(weekday=0, open_min=480, close_min=510))
    calls, need = {T0: 20.0, MON0: 20.0}, {T0: 4, MON0: 4}
    costs = {}
    for scope in ServiceLevelScope:
        wb = workbook(scope, opening=opening, premiums=(MONDAY,))
        result = solve(problem(wb, calls, need), monkeypatch)
        costs[scope] = result.cost
        expected = [5, 3] if scope is ServiceLevelScope.WEEK else [4, 4]
        assert agents(result, T0, MON0) == expected, scope
    assert costs == {ServiceLevelScope.INTERVAL: 480.0, ServiceLevelScope.DAY: 480.0,
                     ServiceLevelScope.WEEK: 420.0}


def test_floor_keeps_the_dear_interval_staffed(monkeypatch: pytest.MonkeyPatch) -> None:
    # 08:00 carries 20 calls, 08:30 only 4. Without a floor the day's 80% comes from 08:00
    # alone: 5 agents there (1956 >= 1920 hundredths), none at 08:30 (90 ILS saved a head).
    # With the 60% floor 08:30 needs 1 agent (0.67), and 08:00 then needs only 4:
    # 1821 + 269 >= 1920.
    calls, need = {T0: 20.0, T1: 4.0}, {T0: 4, T1: 2}
    without = solve(problem(workbook(ServiceLevelScope.DAY, floor=0.0), calls, need),
                    monkeypatch)
    assert agents(without, T0, T1) == [5, 0]
    assert without.cost == 150.0
    floored = solve(problem(workbook(ServiceLevelScope.DAY), calls, need), monkeypatch)
    assert agents(floored, T0, T1) == [4, 1]
    assert floored.cost == 210.0
    assert floored.shortfalls == () and floored.rule_breaks == ()


def test_impossible_target_gives_a_roster_and_says_what_is_short(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # 5 agents for 2 x 20 calls, floor 3 agents each: no roster meets both. Penalties:
    # 5+0: 3 floor agents + 13 calls; 4+1: 2 + 14; 3+2: 1 + 19 (at 1,600 ILS an agent and
    # 800 ILS a call: 15,200 / 14,400 / 16,800). The least is 4+1: 14 calls short.
    calls, need = {T0: 20.0, T1: 20.0}, {T0: 4, T1: 4}
    result = solve(problem(workbook(ServiceLevelScope.DAY, agents=5), calls, need), monkeypatch)
    assert agents(result, T0, T1) == [4, 1]
    assert result.cost == 210.0
    assert [(s.what, s.interval_start.hour, s.interval_start.minute, s.required, s.scheduled)
            for s in result.shortfalls] == [("A", 8, 30, 3, 1)]
    assert [(b.rule, b.text, b.penalty) for b in result.rule_breaks] == [
        (sl_scope.SPAN_RULE,
         "Alpha (A) Sun 29-11: 14 calls short of 80% answered within 60 s (40 calls expected)",
         11200.0)]


def test_queue_nobody_can_serve_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    # Beta has 4 calls at 08:00 and no skilled agent: 1 agent short of its floor, and the
    # whole 80% of 4 calls (3.2, rounded up to whole calls: 4) short of the day's target.
    beta = Queue(queue_id="B", name="Beta")
    wb = dataclasses.replace(workbook(ServiceLevelScope.DAY), queues=(ALPHA, beta))
    p = dataclasses.replace(problem(wb, {T0: 20.0, T1: 20.0}, {T0: 4, T1: 4}),
                            loads={("A", T0): QueueLoad(queue=ALPHA, calls=20, aht_s=180),
                                   ("A", T1): QueueLoad(queue=ALPHA, calls=20, aht_s=180),
                                   ("B", T0): QueueLoad(queue=beta, calls=4, aht_s=180)})
    result = solve(p, monkeypatch)
    assert agents(result, T0, T1) == [5, 3]
    assert [(s.what, s.required, s.scheduled) for s in result.shortfalls] == [("B", 1, 0)]
    assert [b.text for b in result.rule_breaks] == [
        "Beta (B) Sun 29-11: 4 calls short of 80% answered within 60 s (4 calls expected)"]


@pytest.mark.parametrize("scope", [ServiceLevelScope.DAY, ServiceLevelScope.WEEK])
def test_hint_is_complete_and_feasible(scope: ServiceLevelScope) -> None:
    # CP-SAT follows a hint fully only when every variable has one; fixing every variable
    # to its hint must give a roster, with the span shortfall the hint roster really has.
    p = problem(workbook(scope, agents=5), {T0: 20.0, T1: 20.0}, {T0: 4, T1: 4})
    model = cp_model.CpModel()
    v = build_vars(model, p)
    penalties = [x for r in rules.RULES for x in r.add(model, v, p)]
    model.minimize(add_cost(model, v, p) + sum(x.weight * x.var for x in penalties))
    weeks = construct_hint(p)
    assert weeks is not None
    apply_hint(model, v, p, weeks, penalties)
    hinted = [h for h in model.proto.solution_hint.vars]
    assert sorted(hinted) == list(range(len(model.proto.variables)))
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    served = [sum(solver.value(x) for (_, _, t), x in v.alloc.items() if t == t0)
              for t0 in (T0, T1)]
    good = sum(TABLE_20[n] for n in served)
    span = next(x for x in penalties if x.rule == sl_scope.SPAN_RULE)
    assert solver.value(span.var) == max(-(-(3200 - good) // 100), 0)


def test_interval_scope_adds_nothing() -> None:
    model = cp_model.CpModel()
    p = problem(workbook(ServiceLevelScope.INTERVAL), {T0: 20.0}, {T0: 4})
    assert sl_scope.add_scope_coverage(model, None, p) == []  # type: ignore[arg-type]


# --- planned levels per day and week ---------------------------------------------------------

def test_span_service_levels_and_lines() -> None:
    stamp = pd.Timestamp("2026-11-29 08:00")
    requirements = pd.DataFrame({
        "queue": ["A"] * 5,
        "interval_start": [stamp, stamp + pd.Timedelta(minutes=30), stamp + pd.Timedelta(hours=1),
                           stamp + pd.Timedelta(days=1), stamp + pd.Timedelta(days=1, hours=1)],
        "calls": [10.0, 30.0, 0.0, 20.0, 5.0],
        "expected_service_level": [0.9, 0.7, np.nan, 0.95, np.nan],
    })
    wb = workbook(ServiceLevelScope.DAY)
    levels = sl_scope.span_service_levels(requirements, wb)
    # Sunday (9 + 21) / 40 = 0.75; Monday 19 / 20 = 0.95; week 49 / 60 = 0.8167.
    assert levels.to_dict("records") == [
        {"queue": "A", "span": "2026-11-29", "calls": 40.0, "service_level": 0.75,
         "target": 0.8},
        {"queue": "A", "span": "2026-11-30", "calls": 20.0, "service_level": 0.95,
         "target": 0.8},
        {"queue": "A", "span": "week", "calls": 60.0, "service_level": 0.8167, "target": 0.8},
    ]
    assert sl_scope.span_shortfall_lines(levels, wb) == [
        "Alpha (A) Sun 29-11: 75% answered in 60 s planned, target 80%"]
    assert sl_scope.span_shortfall_lines(levels, workbook(ServiceLevelScope.WEEK)) == []
    assert sl_scope.span_shortfall_lines(levels, workbook(ServiceLevelScope.INTERVAL)) == []


def test_re_allocated_spare_stays_within_what_the_scope_model_counts() -> None:
    # Four skill groups of four agents, all on duty: each group may give A its need (4),
    # but the day-scope model counts at most scope_cap agents serving A. The polish's
    # re-allocation must stay under it, or the hint it hands CP-SAT is not a roster.
    from scheduler.roster.allocation import cover_most

    base = workbook(ServiceLevelScope.DAY)
    staff = tuple(dataclasses.replace(base.employees[0], employee_id=f"E{g}{i}",
                                      skills=("A", *(("B", "C", "D")[g - 1:g])))
                  for g in range(4) for i in range(4))
    p = problem(dataclasses.replace(base, employees=staff), {T0: 20.0, T1: 20.0},
                {T0: 4, T1: 4})
    weeks = construct_hint(p)
    assert weeks is not None
    worked = next(w for w in weeks.values() if w.shifts)
    everyone = {e.employee_id: dataclasses.replace(worked, alloc={}) for e in staff}
    model = cp_model.CpModel()
    v = build_vars(model, p)
    penalties = [x for r in rules.RULES for x in r.add(model, v, p)]
    model.minimize(add_cost(model, v, p) + sum(x.weight * x.var for x in penalties))
    spread = cover_most(p, everyone)
    cap = sl_scope.scope_cap(p, "A", T0)
    assert 4 <= cap < 16
    assert sum(n for w in spread.values() for (_, t), n in w.alloc.items() if t == T0) == cap
    apply_hint(model, v, p, spread, penalties)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
