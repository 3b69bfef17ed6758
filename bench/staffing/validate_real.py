"""Validation on real data: Erlang C and Erlang A against what Anonymous Bank measured.

Prints markdown tables; not a test. Run from the repository root:

    .venv/bin/python bench/staffing/validate_real.py

Data: ../shared/data/anonymous_bank_1999 (Brown, Gans, Mandelbaum, Sakov, Shen, Zeltyn &
Zhao (2005), "Statistical analysis of a telephone call center", JASA 100:36-50), January
and February 1999, 15-minute intervals.

For every interval with calls, the models get the measured load (calls x mean talk time)
and, as staffed agents, `agents_talking_all_queues`: the distinct agents who talked during
the interval. That is an approximation: it misses agents who were logged in but never
talked (so it understates staffing) and counts agents who left mid-interval (so it
overstates it). Agents are shared by all six queues, so the center is first modelled as
one pooled queue; per queue, each queue gets the interval's agents in proportion to its
load (fractional agents: the gamma-function extension of the formulas). Mean patience is
fitted per queue as total time waited by all queued calls / abandonments (the maximum
likelihood estimate for exponential patience, answered calls' waits being censored).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scheduler.staffing import erlang_a, erlang_c, estimate_patience

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "anonymous_bank_1999"
INTERVAL_S = 900.0
SUMS = [
    "offered",
    "handled",
    "abandoned",
    "answered_in_20s",
    "answered_in_60s",
    "handle_time_sum_s",
    "answer_wait_sum_s",
    "abandon_wait_sum_s",
]


def load_history() -> pd.DataFrame:
    """Intervals with calls, per queue, with the interval's distinct talking agents."""
    h = pd.read_csv(DATA / "history_15min_by_queue.csv", parse_dates=["interval_start"])
    return h[h["offered"] > 0].reset_index(drop=True)


def fitted_patience(frame: pd.DataFrame) -> float:
    """Mean patience (s): wfm's estimate, total time waited by all calls / abandonments."""
    (estimate,) = estimate_patience(frame.assign(queue="all"), ["all"], weeks=520,
                                    min_abandoned=1)
    assert estimate.patience_s is not None, estimate.method
    return estimate.patience_s


def predict(frame: pd.DataFrame, agents: np.ndarray, patience: float | np.ndarray) -> pd.DataFrame:
    """Measured and predicted SL(20 s), SL(60 s) and abandonment per row of `frame`."""
    calls = frame["offered"].to_numpy(float)
    aht = frame["aht"].to_numpy(float)
    out = pd.DataFrame(
        {
            "day": pd.to_datetime(frame["interval_start"]).dt.date.to_numpy(),
            "calls": calls,
            "unstable": agents <= calls * aht / INTERVAL_S,
        }
    )
    for t in (20, 60):
        out[f"sl{t}"] = frame[f"answered_in_{t}s"].to_numpy(float) / calls
        out[f"c_sl{t}"] = erlang_c(calls, aht, INTERVAL_S, agents, t).service_level
        a = erlang_a(calls, aht, INTERVAL_S, agents, t, patience)
        out[f"a_sl{t}"] = a.service_level
    out["ab"] = frame["abandoned"].to_numpy(float) / calls
    out["a_ab"] = a.p_abandon
    return out


def summary_row(name: str, p: pd.DataFrame, patience: float | None) -> str:
    """One markdown row: calls-weighted measured vs predicted, and weighted mean |error|."""
    w = p["calls"] / p["calls"].sum()

    def avg(col: str) -> float:
        return float((w * p[col]).sum())

    def mae(col: str, ref: str) -> float:
        return float((w * (p[col] - p[ref]).abs()).sum())

    cells = [
        name,
        f"{p['calls'].sum():,.0f}",
        "" if patience is None else f"{patience:.0f}",
        f"{avg('sl60'):.3f}",
        f"{avg('c_sl60'):.3f} ({mae('c_sl60', 'sl60'):.3f})",
        f"{avg('a_sl60'):.3f} ({mae('a_sl60', 'sl60'):.3f})",
        f"{avg('sl20'):.3f}",
        f"{avg('c_sl20'):.3f} ({mae('c_sl20', 'sl20'):.3f})",
        f"{avg('a_sl20'):.3f} ({mae('a_sl20', 'sl20'):.3f})",
        f"{avg('ab'):.3f}",
        f"{avg('a_ab'):.3f} ({mae('a_ab', 'ab'):.3f})",
        f"{(w * p['unstable']).sum():.1%}",
        " / ".join(f"{e:.3f}" for e in daily_errors(p)),
    ]
    return "| " + " | ".join(cells) + " |"


def daily_errors(p: pd.DataFrame) -> list[float]:
    """Calls-weighted mean |error| of daily SL60 (Erlang C, Erlang A) and abandonment (A)."""
    cols = ["sl60", "c_sl60", "a_sl60", "ab", "a_ab"]
    weighted = p[cols].mul(p["calls"], axis=0).assign(day=p["day"], calls=p["calls"])
    daily = weighted.groupby("day").sum()
    daily[cols] = daily[cols].div(daily["calls"], axis=0)
    w = daily["calls"] / daily["calls"].sum()
    pairs = [("c_sl60", "sl60"), ("a_sl60", "sl60"), ("a_ab", "ab")]
    return [float((w * (daily[a] - daily[b]).abs()).sum()) for a, b in pairs]


HEADER = (
    "| scope | calls | patience s | SL60 measured | Erlang C (MAE) | Erlang A (MAE) "
    "| SL20 measured | Erlang C (MAE) | Erlang A (MAE) | abandoned measured "
    "| Erlang A (MAE) | calls where agents <= load | daily MAE: SL60 C / SL60 A / abandoned A |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def pooled(h: pd.DataFrame, agent_shift: int = 0) -> tuple[pd.DataFrame, float]:
    """The center as one queue per interval: predictions and the fitted patience."""
    g = h.groupby("interval_start")
    pool = g[SUMS].sum()
    pool["agents"] = g["agents_talking_all_queues"].first()
    pool = pool[pool["handle_time_sum_s"] > 0].copy()  # mean talk time needs a talk
    pool["aht"] = pool["handle_time_sum_s"] / pool["handled"]
    pool = pool.reset_index()
    patience = fitted_patience(pool)
    agents = np.maximum(pool["agents"].to_numpy(float) + agent_shift, 0.0)
    return predict(pool, agents, patience), patience


def per_queue(h: pd.DataFrame) -> list[str]:
    """Per-queue rows, each queue with its load share of the interval's agents."""
    h = h.copy()
    mean_aht = h.groupby("queue")["handle_time_sum_s"].sum() / h.groupby("queue")["handled"].sum()
    h["aht"] = (h["handle_time_sum_s"] / h["handled"]).where(h["handle_time_sum_s"] > 0)
    h["aht"] = h["aht"].fillna(h["queue"].map(mean_aht))
    load = h["offered"] * h["aht"] / INTERVAL_S
    share = load / load.groupby(h["interval_start"]).transform("sum")
    h["agents"] = h["agents_talking_all_queues"] * share
    rows = []
    for queue, frame in h.groupby("queue"):
        patience = fitted_patience(frame)
        p = predict(frame, frame["agents"].to_numpy(float), patience)
        rows.append(summary_row(f"{queue} (load share)", p, patience))
    return rows


def call_records() -> list[str]:
    """Assumption checks from the call records: patience fit and talk-time variability."""
    c = pd.read_csv(DATA / "calls_jan_feb.csv")
    queued = c[c["disposition"].isin(["answered", "queue_abandon"]) & (c["wait_s"] >= 0)]
    lines = [
        "| queue | queued calls | abandoned | patience s (records) | talk time mean s | talk CV "
        "| abandoned within 5 s of those abandoning | exponential-patience value |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for queue, q in queued.groupby("type"):
        ab = q["disposition"] == "queue_abandon"
        patience = q["wait_s"].sum() / ab.sum()
        talk = q.loc[~ab & (q["ser_time"] > 0), "ser_time"]
        # Share of abandonments within 5 s that exponential patience with this mean
        # predicts, given the waits observed (each waiting call exposed over min(wait, 5)).
        exposure = np.minimum(q["wait_s"], 5).sum()
        early = (ab & (q["wait_s"] <= 5)).sum()
        lines.append(
            f"| {queue} | {len(q):,} | {ab.sum():,} | {patience:.0f} | {talk.mean():.0f} "
            f"| {talk.std() / talk.mean():.2f} | {early / ab.sum():.1%} "
            f"| {exposure / patience / ab.sum():.1%} |"
        )
    return lines


def main() -> None:
    h = load_history()
    p, patience = pooled(h)
    print("## Pooled center and per queue (calls-weighted means; MAE per interval)\n")
    print(HEADER)
    print(summary_row("center, pooled", p, patience))
    for shift in (-1, 1):
        q, _ = pooled(h, shift)
        print(summary_row(f"center, pooled, agents {shift:+d}", q, patience))
    for row in per_queue(h):
        print(row)
    print("\n## Assumption checks from the call records\n")
    print("\n".join(call_records()))


if __name__ == "__main__":
    main()
