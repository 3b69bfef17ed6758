"""Service-level scope on the demo center: interval vs day vs week, cost and planned level.

Builds the demo's week as `wfm demo` does (workbook and history written and read back,
patience estimated, forecast, requirements), then solves the same roster three times, once
per Center!service_level_scope (the day/week rule lives in scheduler/roster/sl_scope.py).

Usage: .venv/bin/python bench/roster_scope/run.py [--time-limit 60] [--workers 2]
       [--min-hours 1.0]
Prints one table per scope and a markdown section for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

import pandas as pd

from forecasts import forecast_week
from inputs import read_history, read_workbook
from inputs.demo import DEMO_WEEK, write_demo
from inputs.domain import Role, ServiceLevelScope, Workbook
from scheduler.planned import planned_service_levels
from scheduler.roster import RosterProblem, SolveResult, SolverSettings, sl_scope, solve_roster
from scheduler.staffing import (
    QueueLoad,
    estimate_patience,
    queue_requirements,
    role_requirements,
    with_estimated_patience,
)


def demo_week() -> tuple[Workbook, pd.DataFrame, pd.DataFrame]:
    """The demo's workbook (patience estimated), requirements and role requirements."""
    with tempfile.TemporaryDirectory(prefix="wfm-bench-scope-") as folder:
        workbook_path, history_path = write_demo(Path(folder))
        workbook = read_workbook(workbook_path)
        history = read_history(history_path, interval_minutes=workbook.center.interval_minutes,
                               queues=[q.queue_id for q in workbook.queues],
                               timezone=workbook.center.timezone)
    patience = estimate_patience(history, [q.queue_id for q in workbook.queues])
    workbook, _ = with_estimated_patience(workbook, patience)
    forecast = forecast_week(history, workbook, DEMO_WEEK, source="history.csv")
    requirements = queue_requirements(forecast.table, workbook)
    return workbook, requirements, role_requirements(requirements, workbook)


def problem(workbook: Workbook, requirements: pd.DataFrame, roles: pd.DataFrame) -> RosterProblem:
    """As scheduler.pipeline._problem builds it."""
    start = pd.Timestamp(DEMO_WEEK)
    step = pd.Timedelta(minutes=workbook.center.interval_minutes)
    index = lambda s: (pd.Series(pd.to_datetime(s) - start) // step).astype(int)  # noqa: E731
    queues = {q.queue_id: q for q in workbook.queues}
    ts = index(requirements["interval_start"])
    return RosterProblem(
        workbook=workbook, week_start=DEMO_WEEK,
        queue_required=dict(zip(zip(requirements["queue"], ts, strict=True),
                                requirements["required_agents"].astype(int), strict=True)),
        role_required=dict(zip(zip(roles["role"].map(Role), index(roles["interval_start"]),
                                   strict=True), roles["required"].astype(int), strict=True)),
        loads={(q, t): QueueLoad(queue=queues[q], calls=c, aht_s=a) for q, t, c, a in zip(
            requirements["queue"], ts, requirements["calls"], requirements["aht_s"],
            strict=True)},
    )


def planned(requirements: pd.DataFrame, result: SolveResult, workbook: Workbook) -> pd.DataFrame:
    assert result.allocation is not None, result.explanation
    table = requirements.merge(result.allocation, on=["queue", "interval_start"], how="left")
    table["scheduled_agents"] = table["scheduled_agents"].fillna(0).astype(int)
    table["expected_service_level"] = planned_service_levels(table, workbook)
    return table


def run(scope: ServiceLevelScope, workbook: Workbook, requirements: pd.DataFrame,
        roles: pd.DataFrame, settings: SolverSettings) -> dict[str, object]:
    wb = dataclasses.replace(workbook, center=dataclasses.replace(
        workbook.center, service_level_scope=scope))
    started = time.monotonic()
    result = solve_roster(problem(wb, requirements, roles), settings)
    wall = time.monotonic() - started
    table = planned(requirements, result, wb)
    levels = sl_scope.span_service_levels(table, wb)
    busy = table[table["calls"] > 0]
    weeks = levels[levels["span"] == "week"].set_index("queue")["service_level"]
    days = levels[levels["span"] != "week"]
    paid = sum(a.paid_hours for a in result.roster.assignments) if result.roster else 0.0
    return {
        "scope": scope.value, "status": result.status.value, "cost": result.cost,
        "bound": result.bound, "gap": result.gap, "paid_hours": round(paid, 1),
        "first_feasible_s": result.stats.get("first_feasible_s"), "wall_s": round(wall, 1),
        "overall": round(float((busy["calls"] * busy["expected_service_level"]).sum()
                               / busy["calls"].sum()), 4),
        "worst_queue_week": round(float(weeks.min()), 4),
        "worst_queue_day": round(float(days["service_level"].min()), 4),
        "queue_days_below": int((days["service_level"] < days["target"] - 1e-9).sum()),
        "intervals_below_target": int((busy["expected_service_level"] < 0.8 - 1e-9).sum()),
        "intervals_below_floor": int((busy["expected_service_level"] < 0.6 - 1e-9).sum()),
        "span_breaks": len(result.rule_breaks), "short_cells": len(result.shortfalls),
        "weeks": weeks,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--min-hours", type=float, default=1.0,
                        help="scale every contract's minimum weekly hours (the demo's minimums "
                             "buy more agent-hours than the requirements need)")
    args = parser.parse_args()
    t0 = time.monotonic()
    workbook, requirements, roles = demo_week()
    workbook = dataclasses.replace(workbook, contracts=tuple(
        dataclasses.replace(c, min_weekly_hours=c.min_weekly_hours * args.min_hours)
        for c in workbook.contracts))
    print(f"demo week built in {time.monotonic() - t0:.1f} s: {len(requirements)} "
          f"queue-intervals, {len(workbook.employees)} staff", flush=True)
    settings = SolverSettings(time_limit_s=args.time_limit, workers=args.workers, seed=0)
    rows = []
    for scope in ServiceLevelScope:
        row = run(scope, workbook, requirements, roles, settings)
        print({k: v for k, v in row.items() if k != "weeks"}, flush=True)
        rows.append(row)
    weeks = pd.DataFrame({r["scope"]: r["weeks"] for r in rows})
    print(weeks.to_string())
    print(markdown(rows, weeks, args))


def markdown(rows: list[dict[str, object]], weeks: pd.DataFrame,
             args: argparse.Namespace) -> str:
    keys = ["status", "cost", "bound", "gap", "paid_hours", "first_feasible_s", "wall_s",
            "overall", "worst_queue_week", "worst_queue_day", "queue_days_below",
            "intervals_below_target", "intervals_below_floor", "span_breaks", "short_cells"]
    lines = ["| | " + " | ".join(str(r["scope"]) for r in rows) + " |",
             "|---|" + "---:|" * len(rows)]
    lines += [f"| {k} | " + " | ".join(str(r[k]) for r in rows) + " |" for k in keys]
    lines += ["", "Planned service level per queue over the week:", "",
              "| queue | " + " | ".join(weeks.columns) + " |",
              "|---|" + "---:|" * len(weeks.columns)]
    lines += [f"| {q} | " + " | ".join(f"{x:.4f}" for x in r) + " |"
              for q, r in zip(weeks.index, weeks.to_numpy(), strict=True)]
    return (f"time limit {args.time_limit:g} s, {args.workers} workers, seed 0, contract "
            f"minimum hours x{args.min_hours:g}\n\n"
            + "\n".join(lines))


if __name__ == "__main__":
    main()
