"""Main's model (per-queue allocation coverage) on a case: solve, simulate 20 replications,
save the result under /tmp/proto18/baseline_<case>.pkl.

    python bench/service_model/baseline.py demo 120
"""
from __future__ import annotations

import sys
import time

from common import agent_paid_hours, case_inputs, paid_hours, save, sim_levels, simulate

from scheduler.roster.solve import SolverSettings, solve_roster

case, limit = sys.argv[1], float(sys.argv[2])
workbook, forecast, requirements, problem = case_inputs(case)
t0 = time.monotonic()
result = solve_roster(problem, SolverSettings(time_limit_s=limit, workers=2, seed=0))
wall = time.monotonic() - t0
print(case, "cost", result.cost, "bound", result.bound, "gap", result.gap, "wall", round(wall, 1))
print(result.stats)
sim, sim_s = simulate(workbook, result.roster, forecast, reps=20)
lv = sim_levels(sim)
print("sim 20 reps", round(sim_s, 1), "s; overall", round(lv["overall"], 4))
print(lv["week"].round(4).to_string())
print("worst queue-day", lv["day"].sort_values("sim").head(5).round(4).to_string())
save(f"baseline_{case}", dict(result=result, sim_s=sim_s, levels=lv, wall=wall,
                              paid=paid_hours(result.roster),
                              agent_paid=agent_paid_hours(result.roster, workbook)))
