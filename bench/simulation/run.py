"""Simulator speed: one demo week x 20 replications, and a single queue beside a simpy model.

    .venv/bin/python bench/simulation/run.py [PLAN_DIR]    # default /tmp/plan-ref

PLAN_DIR is a finished demo plan folder (`wfm demo --out PLAN_DIR`). The single-queue case
is a stationary M/M/n week (5 days x 12 h, ~15,000 calls, 20 agents) run by
`scheduler.simulation.run` and by a simpy model of the same queue, both against Erlang C.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import simpy

from inputs import read_workbook
from inputs.domain import (
    Assignment,
    Center,
    Contract,
    Employee,
    OpeningSpan,
    Queue,
    Role,
    Roster,
    Workbook,
)
from inputs.plan_files import read_forecast_csv, read_shifts_csv
from scheduler.simulation import HandleModel, SimulationSettings, simulate_week
from scheduler.staffing import erlang_c

WEEK = dt.date(2026, 11, 29)
DAYS, OPEN_H, CLOSE_H = 5, 8, 20
CALLS_PER_15, AHT, AGENTS, ANSWER = 62.5, 240.0, 20, 60
REPLICATIONS = 20


def demo_week(folder: Path) -> None:
    workbook = read_workbook(folder / "inputs" / "workbook.xlsx")
    roster = read_shifts_csv(folder / "shifts.csv", workbook)
    forecast = read_forecast_csv(folder / "forecast.csv")
    for workers in (1, 2):
        start = time.perf_counter()
        result = simulate_week(workbook, roster, forecast, replications=REPLICATIONS, seed=0,
                               settings=SimulationSettings(workers=workers))
        seconds = time.perf_counter() - start
        overall = result.summary_entry()["overall"]
        print(f"demo week, {REPLICATIONS} replications, {workers} worker(s): {seconds:.2f} s; "
              f"{overall['offered']:.0f} calls/replication; simulated SL "
              f"{overall['service_level']:.4f} [{overall['ci95'][0]:.4f}, "
              f"{overall['ci95'][1]:.4f}], occupancy {overall['occupancy']:.3f}")


def single_queue() -> tuple[Workbook, Roster, pd.DataFrame]:
    staff = tuple(Employee(employee_id=f"A{k}", name=f"A{k}", role=Role.AGENT, team="T",
                           contract_id="C", hourly_cost=1, skills=("Q",)) for k in range(AGENTS))
    workbook = Workbook(
        center=Center(name="bench"),
        opening_hours=tuple(OpeningSpan(weekday=(6 + d) % 7, open_min=OPEN_H * 60,
                                        close_min=CLOSE_H * 60) for d in range(DAYS)),
        queues=(Queue(queue_id="Q", name="Q", answer_seconds=ANSWER),), employees=staff,
        contracts=(Contract(contract_id="C", min_weekly_hours=0, max_weekly_hours=99,
                            max_days=7, min_shift_hours=1, max_shift_hours=24),))
    shifts = []
    for d in range(DAYS):
        day = WEEK + dt.timedelta(days=d)
        start = dt.datetime.combine(day, dt.time(OPEN_H))
        end = dt.datetime.combine(day, dt.time(CLOSE_H + 2))
        shifts += [Assignment(employee_id=e.employee_id, day=day, start=start, end=end,
                              paid_hours=14, cost=14) for e in staff]
    stamps = [dt.datetime.combine(WEEK + dt.timedelta(days=d), dt.time(OPEN_H))
              + dt.timedelta(minutes=15 * k) for d in range(DAYS)
              for k in range((CLOSE_H - OPEN_H) * 4)]
    forecast = pd.DataFrame({"queue": "Q", "interval_start": stamps, "calls": CALLS_PER_15,
                             "calls_lo": CALLS_PER_15, "calls_hi": CALLS_PER_15, "aht_s": AHT})
    return workbook, Roster(week_start=WEEK, assignments=tuple(shifts)), forecast


def simpy_replication(seed: int) -> tuple[int, int]:
    """The same week in simpy: Poisson calls in open hours, 20 agents, exponential handling."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    rate = CALLS_PER_15 / 900.0
    counts = [0, 0]

    def call() -> simpy.events.ProcessGenerator:
        arrived = env.now
        with agents.request() as request:
            yield request
            counts[0] += 1
            counts[1] += env.now - arrived <= ANSWER
            yield env.timeout(rng.exponential(AHT))

    def arrivals(day: int) -> simpy.events.ProcessGenerator:
        yield env.timeout(day * 86400 + OPEN_H * 3600)
        end = day * 86400 + CLOSE_H * 3600
        while True:
            yield env.timeout(rng.exponential(1 / rate))
            if env.now >= end:
                return
            env.process(call())

    for d in range(DAYS):
        env.process(arrivals(d))
    env.run()
    return counts[0], counts[1]


def compare_with_simpy() -> None:
    workbook, roster, forecast = single_queue()
    theory = float(erlang_c(CALLS_PER_15, AHT, 900, AGENTS, ANSWER).service_level)
    settings = SimulationSettings(handle=HandleModel.EXPONENTIAL, closing_grace_s=7200)
    start = time.perf_counter()
    result = simulate_week(workbook, roster, forecast, replications=REPLICATIONS, seed=0,
                           settings=settings)
    ours = time.perf_counter() - start
    entry = result.summary_entry()["overall"]
    start = time.perf_counter()
    runs = [simpy_replication(seed) for seed in range(REPLICATIONS)]
    theirs = time.perf_counter() - start
    levels = np.array([within / offered for offered, within in runs])
    half = 2.093 * levels.std(ddof=1) / np.sqrt(len(levels))  # t(0.975, 19)
    print(f"single queue ({AGENTS} agents, {CALLS_PER_15 * 4:.0f} calls/h x AHT {AHT:.0f} s, "
          f"{DAYS} x {CLOSE_H - OPEN_H} h; Erlang C SL {theory:.4f})")
    print(f"  wfm   {REPLICATIONS} replications: {ours:.2f} s, {entry['offered']:.0f} calls, "
          f"SL {entry['service_level']:.4f} [{entry['ci95'][0]:.4f}, {entry['ci95'][1]:.4f}]")
    print(f"  simpy {REPLICATIONS} replications: {theirs:.2f} s, "
          f"{np.mean([o for o, _ in runs]):.0f} calls, SL {levels.mean():.4f} "
          f"[{levels.mean() - half:.4f}, {levels.mean() + half:.4f}]")


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/plan-ref")
    if (folder / "shifts.csv").is_file():
        demo_week(folder)
    else:
        print(f"{folder}: no plan folder; run `wfm demo --out {folder}` first")
    compare_with_simpy()


if __name__ == "__main__":
    main()
