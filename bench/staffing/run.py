"""Benchmark: required_agents on 100,000 (queue, interval) cells, against pyworkforce.

Prints figures; not a test. Run from the repository root:

    .venv/bin/python bench/staffing/run.py [--cells 100000] [--pyworkforce-sample 100000]

Cells are 15-minute intervals with realistic random volume and handle time: calls are
lognormal around 30 (10% of cells empty, the busiest a few thousand), AHT uniform
120-600 s, mean patience uniform 60-300 s; target 80/60. pyworkforce (not a project
dependency: ``.venv/bin/pip install pyworkforce``) solves one cell at a time in pure
Python; it runs on all cells by default (a smaller --pyworkforce-sample is extrapolated).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scheduler.staffing import required_agents, service_level_table

INTERVAL_S = 900.0
TARGET, ANSWER_S = 0.80, 60.0


def make_cells(n: int, seed: int = 20261122) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random (calls, aht_s, patience_s) for n cells."""
    rng = np.random.default_rng(seed)
    calls = np.round(rng.lognormal(np.log(30.0), 1.0, n))
    calls[rng.random(n) < 0.10] = 0.0
    aht = rng.uniform(120.0, 600.0, n)
    patience = rng.uniform(60.0, 300.0, n)
    return calls, aht, patience


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    """Best wall time of `repeat` runs, and the last result."""
    best, result = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def pyworkforce_agents(calls: np.ndarray, aht: np.ndarray) -> np.ndarray:
    """pyworkforce's ErlangC requirement per cell (minutes in, raw positions out)."""
    from pyworkforce.queuing import ErlangC  # imported (and cached) before timing

    out = np.zeros(calls.size, dtype=np.int64)
    for i, (c, h) in enumerate(zip(calls, aht, strict=True)):
        if c > 0:  # pyworkforce rejects empty intervals
            erlang = ErlangC(transactions=c, aht=h / 60, asa=ANSWER_S / 60, interval=15)
            out[i] = erlang.required_positions(service_level=TARGET)["raw_positions"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=100_000)
    parser.add_argument("--pyworkforce-sample", type=int, default=100_000)
    args = parser.parse_args()
    calls, aht, patience = make_cells(args.cells)
    load = calls * aht / INTERVAL_S
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    print(
        f"cells: {args.cells:,}; calls/15 min median {np.median(calls):.0f}, "
        f"max {calls.max():.0f}; load max {load.max():.0f} Erlangs; target 80/60"
    )

    t_c, need_c = timed(
        lambda: required_agents(calls, aht, INTERVAL_S, service_level=TARGET, answer_s=ANSWER_S)
    )
    t_a, need_a = timed(
        lambda: required_agents(
            calls, aht, INTERVAL_S, service_level=TARGET, answer_s=ANSWER_S, patience_s=patience
        ),
        repeat=1,
    )
    print(f"wfm required_agents, Erlang C: {t_c:.3f} s (goal < 1 s); total {need_c.sum():,} agents")
    print(
        f"wfm required_agents, Erlang A: {t_a:.3f} s (goal < 10 s); total {need_a.sum():,} agents"
    )

    try:
        import pyworkforce.queuing  # noqa: F401  (import time is not solve time)
    except ImportError:
        print("pyworkforce not installed: .venv/bin/pip install pyworkforce")
        return
    rng = np.random.default_rng(7)
    size = min(args.pyworkforce_sample, args.cells)
    sample = np.sort(rng.choice(args.cells, size=size, replace=False))
    start = time.perf_counter()
    need_pw = pyworkforce_agents(calls[sample], aht[sample])
    t_pw_sample = time.perf_counter() - start
    t_pw = t_pw_sample * args.cells / sample.size
    agree = np.mean(need_pw == need_c[sample])
    scaled = "" if size == args.cells else f", extrapolated to {args.cells:,} cells: {t_pw:.1f} s"
    print(f"pyworkforce 0.5.1 ErlangC: {t_pw_sample:.2f} s on {size:,} cells{scaled}")
    print(f"speed-up, wfm Erlang C over pyworkforce: {t_pw / t_c:.0f}x")
    diff = need_pw - need_c[sample]
    print(
        f"same answer as pyworkforce on {agree:.2%} of the cells compared "
        f"(pyworkforce higher on {np.sum(diff > 0)}, lower on {np.sum(diff < 0)})"
    )
    saved = (need_c - need_a).sum() / need_c.sum()
    print(f"Erlang A needs {saved:.1%} fewer agents than Erlang C on these cells")

    small = slice(0, 10_000)
    t_tab, table = timed(
        lambda: service_level_table(calls[small], aht[small], INTERVAL_S, ANSWER_S, max_agents=60),
        repeat=1,
    )
    print(f"service_level_table, 10,000 cells x 61 columns, Erlang C: {t_tab:.3f} s {table.shape}")


if __name__ == "__main__":
    main()
