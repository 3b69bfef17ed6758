"""Simulator against reality: Anonymous Bank, January-February 1999, replayed call by call.

    .venv/bin/python bench/simulation/replay_bank.py [REPLICATIONS]

Data: ../shared/data/anonymous_bank_1999 (Technion SEE Center "Anonymous Bank"; Brown, Gans,
Mandelbaum, Sakov, Shen, Zeltyn & Zhao (2005), "Statistical analysis of a telephone call
center", JASA 100:36-50). Every call offered to agents (offer_time_s >= 0) arrives at its
measured time with its measured talk time (calls that hung up get a talk time drawn from
answered calls of their type); patience is exponential per call type with the censored
maximum-likelihood mean (total queue wait / abandonments). Staffing, two ways:
- "lower bound": agents_talking_all_queues per 15 minutes (history_15min_by_queue.csv),
  as that many universal agents;
- "own spans": each agent on duty from their first to last call of a day, split at gaps of
  over 30 minutes, answering the call types they answered in the two months.
Simulated and measured service level (answered within 60 s / offered) and abandonment are
compared per day (days with at least 200 offered calls).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

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
from scheduler.simulation import simulate_week

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "anonymous_bank_1999"
TYPES = ("PS", "PE", "IN", "NE", "NW", "TT")
FIRST_WEEK = dt.date(1998, 12, 27)  # the Sunday before 1999-01-01
GAP_S = 1800


def load_calls() -> pd.DataFrame:
    calls = pd.read_csv(DATA / "calls_jan_feb.csv")
    calls = calls[calls["offer_time_s"] >= 0].copy()
    calls["arrival"] = pd.to_datetime(calls["date"]) + pd.to_timedelta(calls["offer_time_s"],
                                                                        unit="s")
    answered = calls["disposition"].str.startswith("answered") & (calls["ser_time"] > 0)
    rng = np.random.default_rng(0)
    calls["handle_s"] = calls["ser_time"].astype(float)
    for _, rows in calls.groupby("type"):
        pool = rows.loc[answered[rows.index], "ser_time"].to_numpy(float)
        need = rows.index[~answered[rows.index]]
        calls.loc[need, "handle_s"] = rng.choice(pool, len(need))
    calls["within_60"] = calls["disposition"].str.startswith("answered") & (calls["wait_s"] <= 60)
    calls["abandoned"] = calls["disposition"] == "queue_abandon"
    return calls.rename(columns={"type": "queue"})


def patience_means(calls: pd.DataFrame) -> dict[str, float]:
    """Exponential patience, censored MLE: total time waited / number who hung up."""
    sums = calls.groupby("queue").agg(wait=("wait_s", "sum"), gave_up=("abandoned", "sum"))
    return {q: float(r.wait / max(r.gave_up, 1)) for q, r in sums.iterrows()}


def workbook(staff: list[Employee], patience: dict[str, float]) -> Workbook:
    return Workbook(
        center=Center(name="Anonymous Bank", interval_minutes=15),
        opening_hours=tuple(OpeningSpan(weekday=d, open_min=0, close_min=1440) for d in range(7)),
        queues=tuple(Queue(queue_id=q, name=q, patience_s=patience[q]) for q in TYPES),
        employees=tuple(staff),
        contracts=(Contract(contract_id="C", min_weekly_hours=0, max_weekly_hours=168,
                            max_days=7, min_shift_hours=0, max_shift_hours=24),),
    )


def lower_bound_staff(week: dt.date) -> tuple[list[Employee], list[Assignment]]:
    """agents_talking_all_queues universal agents in each 15-minute interval."""
    history = pd.read_csv(DATA / "history_15min_by_queue.csv", parse_dates=["interval_start"])
    level = history.groupby("interval_start")["agents_talking_all_queues"].max()
    level = level[(level.index >= pd.Timestamp(week))
                  & (level.index < pd.Timestamp(week + dt.timedelta(days=7)))]
    top = int(level.max()) if len(level) else 0
    staff = [Employee(employee_id=f"U{k}", name=f"U{k}", role=Role.AGENT, team="T",
                      contract_id="C", hourly_cost=1, skills=TYPES) for k in range(top)]
    shifts = []
    for k in range(top):
        on = (level > k).to_numpy()
        edges = np.flatnonzero(np.diff(np.r_[0, on.astype(int), 0]))
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            start = level.index[a].to_pydatetime()
            end = start + dt.timedelta(minutes=15 * int(b - a))
            shifts.append(Assignment(employee_id=f"U{k}", day=start.date(), start=start,
                                     end=end, paid_hours=0, cost=0))
    return staff, shifts


def own_span_staff(calls: pd.DataFrame) -> tuple[list[Employee], list[Assignment]]:
    """Each named agent on duty around the calls they answered (gaps > 30 min split)."""
    served = calls[calls["disposition"] == "answered"].copy()
    served["start"] = served["arrival"] + pd.to_timedelta(served["wait_s"], unit="s")
    served["end"] = served["start"] + pd.to_timedelta(served["ser_time"], unit="s")
    skills = served.groupby("server")["queue"].unique()
    staff = [Employee(employee_id=s, name=s, role=Role.AGENT, team="T", contract_id="C",
                      hourly_cost=1, skills=tuple(q for q in TYPES if q in set(k)))
             for s, k in skills.items()]
    shifts = []
    for server, rows in served.sort_values("start").groupby("server"):
        start, end = rows["start"].iloc[0], rows["end"].iloc[0]
        for s, e in zip(rows["start"].iloc[1:], rows["end"].iloc[1:], strict=True):
            if (s - end).total_seconds() > GAP_S:
                shifts.append(_span(str(server), start, end))
                start = s
            end = max(end, e)
        shifts.append(_span(str(server), start, end))
    return staff, shifts


def _span(server: str, start: pd.Timestamp, end: pd.Timestamp) -> Assignment:
    return Assignment(employee_id=server, day=start.date(), start=start.to_pydatetime(),
                      end=max(end, start + pd.Timedelta(seconds=1)).to_pydatetime(),
                      paid_hours=0, cost=0)


def simulate(calls: pd.DataFrame, how: str, replications: int) -> pd.DataFrame:
    """Per day: simulated service level and abandonment, week by week."""
    patience = patience_means(calls)
    span_staff, span_shifts = own_span_staff(calls)
    rows = []
    week = FIRST_WEEK
    while week <= calls["arrival"].max().date():
        end = week + dt.timedelta(days=7)
        mine = calls[(calls["arrival"] >= pd.Timestamp(week))
                     & (calls["arrival"] < pd.Timestamp(end))]
        if how == "lower bound":
            staff, shifts = lower_bound_staff(week)
        else:
            staff, shifts = span_staff, [a for a in span_shifts if week <= a.day < end]
        if len(mine) and shifts:
            result = simulate_week(workbook(staff, patience), Roster(
                week_start=week, assignments=tuple(shifts)), calls=mine[
                    ["queue", "arrival", "handle_s"]], replications=replications, seed=1)
            for day, entry in result.summary_entry()["by_day"].items():
                rows.append({"day": day, "sim_sl": entry["service_level"],
                             "sim_abandon": entry["abandon_rate"]})
        week = end
    return pd.DataFrame(rows)


def main() -> None:
    replications = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    calls = load_calls()
    measured = calls.assign(day=calls["arrival"].dt.strftime("%Y-%m-%d")).groupby("day").agg(
        offered=("queue", "size"), sl=("within_60", "mean"), abandon=("abandoned", "mean"))
    measured = measured[measured["offered"] >= 200]
    print(f"{len(calls)} calls offered, {len(measured)} days with >= 200 calls; measured SL60 "
          f"{calls['within_60'].mean():.3f}, abandonment {calls['abandoned'].mean():.3f}; "
          f"mean patience (s) {({q: round(v) for q, v in patience_means(calls).items()})}")
    for how in ("lower bound", "own spans"):
        start = time.perf_counter()
        sim = simulate(calls, how, replications).set_index("day")
        both = measured.join(sim, how="inner")
        err_sl, err_ab = both["sim_sl"] - both["sl"], both["sim_abandon"] - both["abandon"]
        weights = both["offered"]
        print(f"{how}: {len(both)} days, {time.perf_counter() - start:.1f} s; SL error "
              f"mean {err_sl.mean():+.3f}, MAE {err_sl.abs().mean():.3f}, calls-weighted "
              f"overall sim {np.average(both['sim_sl'], weights=weights):.3f} vs "
              f"{np.average(both['sl'], weights=weights):.3f}; abandonment error mean "
              f"{err_ab.mean():+.3f}, MAE {err_ab.abs().mean():.3f}, overall sim "
              f"{np.average(both['sim_abandon'], weights=weights):.3f} vs "
              f"{np.average(both['abandon'], weights=weights):.3f}; corr(SL) "
              f"{both['sim_sl'].corr(both['sl']):.2f}")


if __name__ == "__main__":
    main()
