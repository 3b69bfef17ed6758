"""The coverage-aware lower bound: values worked by hand, and never above a proven optimum."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from inputs.domain import (
    Availability,
    Employee,
    Premium,
    PremiumKind,
    Queue,
    Role,
    ServiceLevelScope,
)
from scheduler.roster.bound import lp_bound
from scheduler.roster.result import SolveStatus
from scheduler.roster.solve import SolverSettings, solve_roster
from tests.conftest import WEEK
from tests.roster import test_short_breaks as short
from tests.roster.harness import CONTRACT, FRI, MON, SUN, TUE, problem, t_of, workbook


def ils(problem_: object) -> float:
    found = lp_bound(problem_)  # type: ignore[arg-type]
    assert found is not None
    return found.cents / 100


def test_the_bound_prices_the_day_premium_availability_forces() -> None:
    """5 h a week at 60/h, only Friday free, Friday at x1.5: 450. The contract floors say 300
    (the cheapest rate, whatever the availability)."""
    wb = workbook(dataclasses.replace(CONTRACT, min_weekly_hours=5, max_weekly_hours=5),
                  premiums=(Premium(name="Fri", kind=PremiumKind.DAY, weekday=4,
                                    multiplier=1.5),),
                  availability=tuple(Availability(employee_id="E1",
                                                  date=WEEK + dt.timedelta(days=d))
                                     for d in range(FRI)))
    assert ils(problem(wb)) == pytest.approx(450.0, rel=1e-5)


def test_the_bound_prices_overtime() -> None:
    """12 h needed, x1.25 after 10 h: 12 h at 60 plus 2 h at 15 extra = 750."""
    wb = workbook(dataclasses.replace(CONTRACT, min_weekly_hours=12, max_weekly_hours=12),
                  premiums=(Premium(name="OT", kind=PremiumKind.OVERTIME, after_hours=10,
                                    multiplier=1.25),))
    assert ils(problem(wb)) == pytest.approx(750.0, rel=1e-5)


def test_the_bound_counts_the_shortfall_no_roster_can_avoid() -> None:
    """One agent, exactly one 5-hour shift, a queue needing one agent all 5 hours: the paid
    short break leaves one interval short (1,600). Queue B, which nobody serves, is short for
    all its three intervals (4,800). With the 300 of pay: 6,700."""
    wb = short.workbook(short.fixed_hours(5), close=13 * 60)
    wb = dataclasses.replace(wb, queues=(*wb.queues, Queue(queue_id="B", name="Beta")))
    need = {("A", t): 1 for t in range(short.t_of("08:00"), short.t_of("13:00"))}
    need |= {("B", t): 1 for t in range(short.t_of("09:00"), short.t_of("09:45"))}
    assert ils(problem(wb, need)) == pytest.approx(6_700.0, rel=1e-5)
    result = solve_roster(problem(wb, need), SolverSettings(time_limit_s=20, workers=1))
    assert result.status is SolveStatus.OPTIMAL
    # The relaxation solves on its own thread and this search ends within milliseconds, so
    # whether `bound_lp` is in yet is a race (the end-to-end demo test checks it is used).
    assert result.bound == pytest.approx(6_700.0)  # the optimum: the bound is tight here


def test_the_bound_stays_below_the_proven_optimum_where_rules_it_drops_bind() -> None:
    """Two agents must cover queue A until 19:00 on Sunday and from 08:00 on Monday, with 14 h
    of rest between shifts: each can do one end, not both, so the optimum leaves at least
    one hour short per agent (4 half-hour intervals: 6,400). The relaxation leaves rest out:
    its bound (the contract floors here) is the optimum less those 6,400."""
    contract = dataclasses.replace(CONTRACT, min_weekly_hours=16, max_weekly_hours=24,
                                   max_days=3, min_rest_hours=14)
    staff = (
        Employee(employee_id="E1", name="Ann", role=Role.AGENT, team="T", contract_id="C",
                 hourly_cost=60, skills=("A", "B")),
        Employee(employee_id="E2", name="Ben", role=Role.AGENT, team="T", contract_id="C",
                 hourly_cost=50, skills=("A",)),
        Employee(employee_id="M1", name="Meg", role=Role.TEAM_MANAGER, team="T",
                 contract_id="C", hourly_cost=80, skills=()),
    )
    wb = workbook(contract, employees=staff)
    need = {("A", t): 2 for t in range(t_of(SUN, "15:00"), t_of(SUN, "19:00"))}
    need |= {("A", t): 2 for t in range(t_of(MON, "08:00"), t_of(MON, "12:00"))}
    need |= {("B", t): 1 for t in range(t_of(TUE, "08:00"), t_of(TUE, "12:00"))}
    roles = {(Role.TEAM_MANAGER, t): 1 for t in range(t_of(SUN, "08:00"), t_of(SUN, "12:00"))}
    p = problem(wb, need, roles)
    bound = ils(p)
    result = solve_roster(p, SolverSettings(time_limit_s=30, workers=1))
    assert result.status is SolveStatus.OPTIMAL
    optimum = result.stats["bound_cp_sat"]  # proven optimal: CP-SAT's bound is the optimum
    assert isinstance(optimum, float)
    assert bound == pytest.approx(16 * (60 + 50 + 80))  # the three floors: all else covered
    assert optimum == pytest.approx(bound + 6_400)


def test_no_bound_from_the_relaxation_under_a_day_scope() -> None:
    wb = workbook()
    day = dataclasses.replace(wb, center=dataclasses.replace(
        wb.center, service_level_scope=ServiceLevelScope.DAY))
    assert lp_bound(problem(day)) is None
