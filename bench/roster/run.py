"""Roster benchmark: the demo center's week and a center ten times its size.

Prints, per case: staff, queues, model size, time to build the model and the greedy start,
time to the first feasible roster (from the start of the solve call), cost, shortfall,
objective, the proven bound (the better of CP-SAT's own and the coverage relaxation's, see
`scheduler/roster/bound.py`, both printed) and the gap at the time limit.

    .venv/bin/python bench/roster/run.py --case demo --time-limit 120
    .venv/bin/python bench/roster/run.py --case scaled --time-limit 600
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from forecasts import forecast_week
from inputs.demo import DEMO_WEEK, demo_history, demo_workbook
from inputs.domain import Employee, Workbook
from scheduler.pipeline import _problem
from scheduler.roster import AGENT_SHORT_CENTS, ROLE_SHORT_CENTS, SolverSettings, solve_roster
from scheduler.staffing import (
    estimate_patience,
    queue_requirements,
    role_requirements,
    with_estimated_patience,
)

ROLES = {"shift_lead", "floor_lead", "team_manager"}

REPLICAS = 10  # staff copies in the scaled center
QUEUE_COPIES = 4  # queue copies; 4 x 12 = 48, the last 8 dropped: 40 queues
SCALED_QUEUES = 40


def demo_inputs() -> tuple[Workbook, pd.DataFrame]:
    """The demo workbook (patience estimated) and its week's forecast table."""
    workbook = demo_workbook()
    history = demo_history(workbook)
    ids = [q.queue_id for q in workbook.queues]
    workbook, _ = with_estimated_patience(workbook, estimate_patience(history, ids))
    return workbook, forecast_week(history, workbook, DEMO_WEEK, source="demo").table


def scaled_inputs(workbook: Workbook, forecast: pd.DataFrame) -> tuple[Workbook, pd.DataFrame]:
    """Ten times the staff and 40 queues: queue copies q#0..q#3 (the last 8 dropped), staff
    copy r serving copy r % 4 of their queues, each copy's calls x REPLICAS / QUEUE_COPIES."""
    copies = [(c, q) for c in range(QUEUE_COPIES) for q in workbook.queues][:SCALED_QUEUES]
    kept = {f"{q.queue_id}#{c}" for c, q in copies}
    queues = tuple(dataclasses.replace(q, queue_id=f"{q.queue_id}#{c}",
                                       name=f"{q.name} {c}") for c, q in copies)
    staff: list[Employee] = []
    for r in range(REPLICAS):
        for e in workbook.employees:
            skills = tuple(s for s in (f"{q}#{r % QUEUE_COPIES}" for q in e.skills)
                           if s in kept)
            if e.skills and not skills:  # every copy of their queues dropped: general info
                skills = (f"INFO#{r % QUEUE_COPIES}",)
            staff.append(dataclasses.replace(e, employee_id=f"{e.employee_id}.{r}",
                                             skills=skills))
    availability = tuple(dataclasses.replace(a, employee_id=f"{a.employee_id}.{r}")
                         for r in range(REPLICAS) for a in workbook.availability)
    big = dataclasses.replace(workbook, queues=queues, employees=tuple(staff),
                              availability=availability)
    tables = []
    for c, q in copies:
        rows = forecast[forecast["queue"] == q.queue_id].copy()
        rows["queue"] = f"{q.queue_id}#{c}"
        for column in ("calls", "calls_lo", "calls_hi"):
            rows[column] = rows[column] * REPLICAS / QUEUE_COPIES
        tables.append(rows)
    return big, pd.concat(tables, ignore_index=True)


def run(case: str, workbook: Workbook, forecast: pd.DataFrame, time_limit: float,
        workers: int) -> None:
    requirements = queue_requirements(forecast, workbook)
    roles = role_requirements(requirements, workbook)
    problem = _problem(workbook, DEMO_WEEK, requirements, roles)
    started = time.monotonic()
    result = solve_roster(problem, SolverSettings(time_limit_s=time_limit, workers=workers,
                                                  seed=0))
    wall = time.monotonic() - started
    short = sum(s.missing for s in result.shortfalls)
    stats = result.stats
    print(f"\n== {case}: {len(workbook.employees)} staff, {len(workbook.queues)} queues, "
          f"{stats.get('variables')} variables, {stats.get('constraints')} constraints")
    print(f"build {stats.get('build_s')} s, greedy start {stats.get('start_s')} s, "
          f"first feasible {stats.get('first_feasible_s')} s, wall {wall:.1f} s "
          f"(limit {time_limit:g} s, {workers} workers)")
    print(f"roster from the {stats.get('roster_from')}; polish {stats.get('polish_s')} s, "
          f"{stats.get('polish_better')} weeks improved")
    if result.cost is None:
        print(f"status {result.status.value}: no roster")
        return
    # The objective as the solver scores it: cost plus the shortfall and soft-rule penalties.
    objective = result.cost + sum(
        s.missing * (ROLE_SHORT_CENTS if s.what in ROLES else AGENT_SHORT_CENTS) / 100
        for s in result.shortfalls) + sum(b.penalty for b in result.rule_breaks)
    proof = ("no bound" if result.bound is None else
             f"bound {result.bound:,.0f}; gap {(objective - result.bound) / objective:.1%}")
    print(f"status {result.status.value}; cost {result.cost:,.0f}; shortfall {short} "
          f"staff-intervals; objective {objective:,.0f}; {proof}")
    print(f"bounds: CP-SAT {stats.get('bound_cp_sat', float('nan')):,.0f}, relaxation "
          f"{stats.get('bound_lp', float('nan')):,.0f} (HiGHS, {stats.get('lp_s', '-')} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=["demo", "scaled", "both"], default="demo")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"{dt.date.today()}  bench/roster  time limit {args.time_limit:g} s")
    workbook, forecast = demo_inputs()
    if args.case in ("demo", "both"):
        run("demo", workbook, forecast, args.time_limit, args.workers)
    if args.case in ("scaled", "both"):
        big, big_forecast = scaled_inputs(workbook, forecast)
        run("scaled x10", big, big_forecast, args.time_limit, args.workers)


if __name__ == "__main__":
    main()
