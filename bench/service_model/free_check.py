"""Is the free agent time really free? The plan's roster, then the same roster with every
free agent-interval (`scheduler.roster.free_time`) turned into a break, each simulated 20
times (same seed): the service level per queue-day must stay at target without them.

    python bench/service_model/free_check.py [--limit 60] [--cases demo,flex]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from collections import defaultdict

from common import case_inputs, sim_levels, simulate

from inputs.domain import Roster
from scheduler.roster import SolverSettings, Week, free_time, solve_roster
from scheduler.roster.free_time import free_agents
from scheduler.roster.model import RosterProblem


def without_free(problem: RosterProblem, roster: Roster, weeks: dict[str, Week]) -> Roster:
    """The roster with each free agent-interval added to that agent's short breaks."""
    off: defaultdict[str, list[dt.datetime]] = defaultdict(list)
    for t, agents in free_agents(problem, weeks).items():
        for e in agents:
            off[e.employee_id].append(problem.moment(t))
    step = dt.timedelta(minutes=problem.interval)
    assignments = []
    for a in roster.assignments:
        extra = tuple((m, m + step) for m in off.get(a.employee_id, ()) if a.start <= m < a.end)
        assignments.append(dataclasses.replace(a, short_breaks=a.short_breaks + extra))
    return dataclasses.replace(roster, assignments=tuple(assignments))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=float, default=60.0)
    ap.add_argument("--cases", default="demo,flex")
    args = ap.parse_args()
    for case in args.cases.split(","):
        workbook, forecast, _, problem = case_inputs(case)
        result = solve_roster(problem, SolverSettings(time_limit_s=args.limit, workers=2))
        assert result.roster is not None, result.explanation
        weeks = dict(result.hint)  # type: ignore[arg-type]
        free = free_time(problem, weeks)  # type: ignore[arg-type]
        assert free is not None
        print(f"{case}: cost {result.cost:,.0f}; free {free.agent_hours:,.1f} of "
              f"{free.on_duty_hours:,.1f} agent-hours on duty", flush=True)
        for name, roster in (("roster", result.roster),
                             ("free taken off", without_free(problem, result.roster, weeks))):
            sim, seconds = simulate(workbook, roster, forecast, reps=20)
            levels = sim_levels(sim)
            days, weeks_sl = levels["day"], levels["week"]
            worst = days.sort_values("sim").iloc[0]
            print(f"  {name:<15} overall {levels['overall']:.4f}; queue-days below 80% "
                  f"{int((days['sim'] < 0.8).sum())} of {len(days)}; worst queue-day "
                  f"{worst['queue']} {worst['day']:%a} {worst['sim']:.3f}; worst queue-week "
                  f"{weeks_sl['sim'].min():.3f} ({seconds:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
