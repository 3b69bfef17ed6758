"""Shared pieces of the issue-18 service-model prototype: the demo and flexible-contract
inputs, the problem, and the simulated service level per queue-week and queue-day."""

from __future__ import annotations

import dataclasses
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.roster.run import demo_inputs  # noqa: E402
from inputs.demo import DEMO_WEEK  # noqa: E402
from inputs.domain import Role, Roster, Workbook  # noqa: E402
from scheduler.pipeline import _problem  # noqa: E402
from scheduler.roster.model import RosterProblem  # noqa: E402
from scheduler.simulation.run import SimulationResult, simulate_week  # noqa: E402
from scheduler.staffing.requirements import queue_requirements, role_requirements  # noqa: E402

OUT = Path("/tmp/proto18")
OUT.mkdir(parents=True, exist_ok=True)


def flexible(workbook: Workbook) -> Workbook:
    """The flexible-contract variant: every agent contract's weekly minimum set to 0."""
    agent_contracts = {e.contract_id for e in workbook.employees if e.role is Role.AGENT}
    contracts = tuple(dataclasses.replace(c, min_weekly_hours=0.0)
                      if c.contract_id in agent_contracts else c for c in workbook.contracts)
    return dataclasses.replace(workbook, contracts=contracts)


def case_inputs(case: str) -> tuple[Workbook, pd.DataFrame, pd.DataFrame, RosterProblem]:
    """workbook, forecast table, requirements table, problem for 'demo' or 'flex'."""
    workbook, forecast = demo_inputs()
    if case == "flex":
        workbook = flexible(workbook)
    requirements = queue_requirements(forecast, workbook)
    roles = role_requirements(requirements, workbook)
    return workbook, forecast, requirements, _problem(workbook, DEMO_WEEK, requirements, roles)


def simulate(workbook: Workbook, roster: Roster, forecast: pd.DataFrame, reps: int = 20,
             seed: int = 0) -> tuple[SimulationResult, float]:
    t0 = time.monotonic()
    sim = simulate_week(workbook, roster, forecast, replications=reps, seed=seed)
    return sim, time.monotonic() - t0


def sim_levels(sim: SimulationResult) -> dict[str, pd.DataFrame]:
    """Simulated SL per queue-interval, queue-day, queue-week and day (mean over
    replications of answered-in-target / offered), with the replication std error."""
    c = sim.agents
    starts = sim.interval_starts
    days = np.asarray(starts.normalize())
    out = {}

    def level(in_target: np.ndarray, offered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.where(offered > 0, in_target / np.where(offered > 0, offered, 1), np.nan)
        n = np.sum(~np.isnan(r), axis=0)
        m = np.nanmean(r, axis=0)
        se = np.nanstd(r, axis=0, ddof=1) / np.sqrt(np.maximum(n, 1))
        return m, se

    q = np.asarray(sim.queues)
    m, se = level(c.in_target, c.offered)
    off = c.offered.mean(axis=0)
    qi, ti = np.nonzero(off > 0)
    out["interval"] = pd.DataFrame({"queue": q[qi], "interval_start": starts[ti],
                                    "sim": m[qi, ti], "sim_se": se[qi, ti],
                                    "offered": off[qi, ti]})
    rows = []
    for d in np.unique(days):
        keep = days == d
        it, of = c.in_target[:, :, keep].sum(-1), c.offered[:, :, keep].sum(-1)
        m, se = level(it, of)
        for k, name in enumerate(q):
            if of[:, k].mean() > 0:
                rows.append((name, pd.Timestamp(d), m[k], se[k], of[:, k].mean()))
    out["day"] = pd.DataFrame(rows, columns=["queue", "day", "sim", "sim_se", "offered"])
    it, of = c.in_target.sum(-1), c.offered.sum(-1)
    m, se = level(it, of)
    out["week"] = pd.DataFrame({"queue": q, "sim": m, "sim_se": se, "offered": of.mean(0)})
    it, of = c.in_target.sum((1, 2)), c.offered.sum((1, 2))
    out["overall"] = float(np.mean(it / of))
    return out


def paid_hours(roster: Roster) -> float:
    return sum(a.paid_hours for a in roster.assignments)


def agent_paid_hours(roster: Roster, workbook: Workbook) -> float:
    agents = {e.employee_id for e in workbook.employees if e.role is Role.AGENT}
    return sum(a.paid_hours for a in roster.assignments if a.employee_id in agents)


def save(name: str, obj: object) -> None:
    with open(OUT / f"{name}.pkl", "wb") as f:
        pickle.dump(obj, f)


def load(name: str) -> object:
    with open(OUT / f"{name}.pkl", "rb") as f:
        return pickle.load(f)
