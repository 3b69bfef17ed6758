"""The product's two coverage models side by side in one run, on the demo and on its
flexible-contract variant (agents' weekly minimum 0): per-queue allocation (the model before
issue 18, `pooled_required` left empty) against coverage by queue sets (what `wfm plan` now
builds). Each solve: `solve_roster`, 120 s, 2 workers, seed 0; then 20 simulated weeks.

    python bench/service_model/compare.py [--limit 120] [--cases demo,flex]
"""

from __future__ import annotations

import argparse
import dataclasses
import time

from common import agent_paid_hours, case_inputs, sim_levels, simulate

from scheduler.roster.solve import SolverSettings, solve_roster


def run(case: str, model: str, limit: float) -> dict[str, object]:
    workbook, forecast, _, problem = case_inputs(case)
    if model == "per-queue":
        problem = dataclasses.replace(problem, pooled_required={})
    t0 = time.monotonic()
    result = solve_roster(problem, SolverSettings(time_limit_s=limit, workers=2, seed=0))
    wall = time.monotonic() - t0
    assert result.roster is not None, result.explanation
    sim, _ = simulate(workbook, result.roster, forecast, reps=20)
    levels = sim_levels(sim)
    days = levels["day"]
    worst = days.sort_values("sim").iloc[0]
    return dict(case=case, model=model, cost=result.cost, bound=result.bound, gap=result.gap,
                first_s=result.stats.get("first_feasible_s"), wall_s=round(wall, 1),
                agent_paid_h=round(agent_paid_hours(result.roster, workbook), 1),
                sim=round(levels["overall"], 4), days_below_80=int((days["sim"] < 0.8).sum()),
                worst_day=f"{worst['queue']} {worst['day']:%a} {worst['sim']:.3f}",
                min_week=round(float(levels["week"]["sim"].min()), 4),
                shortfalls=len(result.shortfalls))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=float, default=120.0)
    ap.add_argument("--cases", default="demo,flex")
    args = ap.parse_args()
    for case in args.cases.split(","):
        rows = [run(case, model, args.limit) for model in ("per-queue", "pooled")]
        for row in rows:
            print(row, flush=True)
        base, new = (float(r["cost"]) for r in rows)  # type: ignore[arg-type]
        print(f"{case}: pooled cost / per-queue cost = {new / base:.3f}", flush=True)


if __name__ == "__main__":
    main()
