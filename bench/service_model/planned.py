"""Candidate planned service levels, per queue and interval, from a roster alone; and their
agreement with the simulator (20 replications, seed 0) per queue-week and queue-day.

- erlang_alloc: main's figure, per-queue Erlang on the solver's allocation (main's roster
  only; it needs the allocation variables);
- split: every pool's on-duty agents (minutes on duty / interval, so partial breaks
  count; times 1 - shrinkage) split over its skills by a fixed point that equalises the
  service level of the queues sharing agents; then Erlang A (C without patience) per queue
  on its fractional servers (linear between the whole numbers);
- sim: the simulator's own mean over N replications with other seeds than the reference.

Day and week levels of an Erlang method are the forecast-calls-weighted mean of its
interval levels; the simulator's are answered-in-target over offered.
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np
import pandas as pd
from common import sim_levels, simulate

from inputs.domain import Role, Roster, Workbook
from scheduler.roster.model import RosterProblem, pool_of
from scheduler.staffing.service import queue_service_level


def pool_duty(roster: Roster, workbook: Workbook, problem: RosterProblem) -> dict:
    """(pool, t) -> agents on duty (fractional: minutes on duty / interval minutes)."""
    iv = problem.interval
    emp = {e.employee_id: e for e in workbook.employees}
    start = pd.Timestamp(problem.week_start)
    duty: defaultdict[tuple[str, int], float] = defaultdict(float)
    for a in roster.assignments:
        e = emp[a.employee_id]
        if e.role is not Role.AGENT:
            continue
        minute = lambda ts: int((pd.Timestamp(ts) - start) // pd.Timedelta(minutes=1))  # noqa
        on = np.zeros(7 * 1440 + 1440, dtype=bool)
        on[minute(a.start):minute(a.end)] = True
        for b0, b1 in (*a.breaks, *a.short_breaks):
            on[minute(b0):minute(b1)] = False
        idx = np.nonzero(on)[0]
        ts, counts = np.unique(idx // iv, return_counts=True)
        for t, c in zip(ts, counts, strict=True):
            duty[pool_of(e), int(t)] += c / iv
    return duty


def _sl(queue, calls, aht, servers, interval_s):
    lo = np.floor(servers)
    f = servers - lo
    a = queue_service_level(queue, calls=calls, aht_s=aht, agents=lo, interval_s=interval_s)
    b = queue_service_level(queue, calls=calls, aht_s=aht, agents=lo + 1, interval_s=interval_s)
    return (1 - f) * a + f * b


def split_levels(roster: Roster, workbook: Workbook, problem: RosterProblem,
                 iterations: int = 60, eta: float = 4.0) -> pd.DataFrame:
    """Vectorised over intervals: weights w[q, t]; pool p's agents go to its skills in
    proportion to w; w moves toward equal service level among the queues of an interval."""
    duty = pool_duty(roster, workbook, problem)
    keep = 1 - workbook.center.shrinkage
    skills = {pool_of(e): tuple(sorted(e.skills)) for e in workbook.employees
              if e.role is Role.AGENT}
    qlist = [q.queue_id for q in workbook.queues]
    qi = {q: i for i, q in enumerate(qlist)}
    interval_s = problem.interval * 60
    times = sorted({t for (q, t), l in problem.loads.items() if l.calls > 0})
    ti = {t: i for i, t in enumerate(times)}
    calls = np.zeros((len(qlist), len(times)))
    aht = np.ones((len(qlist), len(times)))
    for (q, t), l in problem.loads.items():
        if l.calls > 0:
            calls[qi[q], ti[t]], aht[qi[q], ti[t]] = l.calls, l.aht_s
    busy = calls > 0
    pools = sorted(skills)
    n = np.array([[duty.get((p, t), 0.0) * keep for t in times] for p in pools])
    member = np.array([[q in skills[p] for q in qlist] for p in pools], dtype=float)
    w = busy.astype(float)
    for it in range(iterations):
        share = member[:, :, None] * w[None]  # pool, queue, t
        tot = share.sum(1, keepdims=True)
        share = np.where(tot > 0, share / np.where(tot > 0, tot, 1), 0)
        servers = (share * n[:, None, :]).sum(0)
        sl = np.ones_like(calls)
        for q, queue in enumerate(workbook.queues):
            sl[q] = _sl(queue, calls[q], aht[q], servers[q], interval_s)
        if it == iterations - 1:
            break
        mean = np.where(busy, sl, 0).sum(0) / np.maximum(busy.sum(0), 1)
        w = np.where(busy, w * np.exp(eta * (mean[None] - sl)), 0)
        w = w / np.maximum(w.max(0, keepdims=True), 1e-300)
    q_idx, t_idx = np.nonzero(busy)
    return pd.DataFrame({"queue": np.asarray(qlist, dtype=object)[q_idx],
                         "interval_start": [problem.moment(times[k]) for k in t_idx],
                         "calls": calls[q_idx, t_idx], "servers": servers[q_idx, t_idx],
                         "planned": sl[q_idx, t_idx]})


def erlang_alloc_levels(allocation: pd.DataFrame, workbook: Workbook,
                        problem: RosterProblem) -> pd.DataFrame:
    queues = {q.queue_id: q for q in workbook.queues}
    have = {(q, pd.Timestamp(ts)): n for q, ts, n in allocation[
        ["queue", "interval_start", "scheduled_agents"]].itertuples(index=False)}
    rows = []
    for (q, t), load in problem.loads.items():
        if load.calls > 0:
            ts = problem.moment(t)
            n = have.get((q, pd.Timestamp(ts)), 0)
            rows.append((q, ts, load.calls, n, float(queue_service_level(
                queues[q], calls=load.calls, aht_s=load.aht_s, agents=n,
                interval_s=problem.interval * 60))))
    return pd.DataFrame(rows, columns=["queue", "interval_start", "calls", "servers",
                                       "planned"])


def aggregate(cells: pd.DataFrame) -> dict[str, pd.DataFrame]:
    c = cells.assign(day=pd.to_datetime(cells["interval_start"]).dt.normalize(),
                     w=cells["calls"] * cells["planned"])
    day = c.groupby(["queue", "day"], as_index=False)[["w", "calls"]].sum()
    day["planned"] = day["w"] / day["calls"]
    week = c.groupby("queue", as_index=False)[["w", "calls"]].sum()
    week["planned"] = week["w"] / week["calls"]
    return {"interval": cells, "day": day[["queue", "day", "planned"]],
            "week": week[["queue", "planned"]]}


def sim_as_planned(workbook, roster, forecast, reps: int, seed: int = 1000):
    sim, secs = simulate(workbook, roster, forecast, reps=reps, seed=seed)
    lv = sim_levels(sim)
    return {"interval": lv["interval"].rename(columns={"sim": "planned"}),
            "day": lv["day"].rename(columns={"sim": "planned"})[["queue", "day", "planned"]],
            "week": lv["week"].rename(columns={"sim": "planned"})[["queue", "planned"]]}, secs


def agreement(planned: dict[str, pd.DataFrame], ref: dict[str, pd.DataFrame]) -> dict:
    w = planned["week"].merge(ref["week"], on="queue")
    d = planned["day"].merge(ref["day"], on=["queue", "day"])
    i = planned["interval"][["queue", "interval_start", "planned"]].merge(
        ref["interval"][["queue", "interval_start", "sim"]], on=["queue", "interval_start"])
    dw = (w["planned"] - w["sim"]) * 100
    dd = (d["planned"] - d["sim"]) * 100
    di = (i["planned"] - i["sim"]) * 100
    below_p = i["planned"] < 0.8
    below_s = i["sim"] < 0.8
    return {
        "week_max_abs_pts": round(float(dw.abs().max()), 2),
        "week_mean_pts": round(float(dw.mean()), 2),
        "weeks_within_2": f"{int((dw.abs() <= 2).sum())}/{len(dw)}",
        "day_max_abs_pts": round(float(dd.abs().max()), 2),
        "day_mean_pts": round(float(dd.mean()), 2),
        "days_within_4": f"{int((dd.abs() <= 4).sum())}/{len(dd)}",
        "interval_mae_pts": round(float(di.abs().mean()), 2),
        "intervals_below80_planned": int(below_p.sum()),
        "intervals_below80_sim": int(below_s.sum()),
        "intervals_below80_both": int((below_p & below_s).sum()),
    }


def compare(label: str, workbook, roster, forecast, problem, ref, allocation=None) -> list:
    out = []
    if allocation is not None:
        t0 = time.monotonic()
        p = aggregate(erlang_alloc_levels(allocation, workbook, problem))
        out.append({"roster": label, "method": "erlang_alloc (main)",
                    "seconds": round(time.monotonic() - t0, 1), **agreement(p, ref)})
    t0 = time.monotonic()
    p = aggregate(split_levels(roster, workbook, problem))
    out.append({"roster": label, "method": "split (equal-SL fixed point + Erlang A)",
                "seconds": round(time.monotonic() - t0, 1), **agreement(p, ref)})
    t0 = time.monotonic()
    p = aggregate(calibrated_levels(roster, workbook, problem))
    out.append({"roster": label, "method": "split calibrated to pooled component",
                "seconds": round(time.monotonic() - t0, 1), **agreement(p, ref)})
    for reps in (5, 20):
        p, secs = sim_as_planned(workbook, roster, forecast, reps)
        out.append({"roster": label, "method": f"sim {reps} reps (other seeds)",
                    "seconds": round(secs, 1), **agreement(p, ref)})
    return out


def calibrated_levels(roster: Roster, workbook: Workbook, problem: RosterProblem
                      ) -> pd.DataFrame:
    """`split`, with each interval's miss rates (1 - SL) scaled so that their calls-weighted
    mean over a skill-connected component equals the miss rate of that component served as
    one pooled queue (Erlang A on the pooled load and all its agents on duty). The split
    ignores that a multi-skilled agent answers whichever queue has a call (too pessimistic);
    the pooled queue ignores skills (too optimistic); the split keeps the queues' ranking."""
    import dataclasses

    from family import agent_pools, components
    cells = split_levels(roster, workbook, problem)
    duty = pool_duty(roster, workbook, problem)
    keep = 1 - workbook.center.shrinkage
    skills, _ = agent_pools(workbook)
    queues = {q.queue_id: q for q in workbook.queues}
    loads = problem.loads
    start = pd.Timestamp(problem.week_start)
    step = pd.Timedelta(minutes=problem.interval)
    cells["t"] = ((pd.to_datetime(cells["interval_start"]) - start) // step).astype(int)
    out = []
    for t, g in cells.groupby("t"):
        on = {p: sk for p, sk in skills.items() if duty.get((p, t), 0) > 0}
        busy = sorted(g["queue"])
        comps = components({p: sk & set(busy) for p, sk in on.items()}, busy)
        g = g.set_index("queue")
        for comp in comps:
            comp = sorted(comp)
            c = sum(loads[q, t].calls for q in comp)
            work = sum(loads[q, t].calls * loads[q, t].aht_s for q in comp)
            theta = sum(loads[q, t].calls / queues[q].patience_s for q in comp
                        if queues[q].patience_s) / c
            n = sum(duty.get((p, t), 0) for p, sk in on.items() if sk & set(comp)) * keep
            pooled_q = dataclasses.replace(queues[comp[0]], patience_s=(
                1 / theta if theta > 0 else None))
            pooled = float(_sl(pooled_q, c, work / c, n, problem.interval * 60))
            miss = 1 - g.loc[comp, "planned"]
            mean_miss = float((miss * g.loc[comp, "calls"]).sum() / c)
            scale = (1 - pooled) / mean_miss if mean_miss > 1e-9 else 0.0
            g.loc[comp, "planned"] = 1 - np.minimum(miss * scale, 1.0)
        out.append(g.reset_index())
    return pd.concat(out, ignore_index=True).drop(columns="t")
