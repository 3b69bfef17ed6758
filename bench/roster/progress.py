"""Roster progress timing: how far past the time limit the last progress line comes.

Solves the small start instance of tests/roster/test_roster_start.py (six agents on queues
A and B, three days of need) with live progress, and prints, per run: the first feasible
roster's second, the last progress line's second (both counted from the start of the roster
step), and the last line's margin over first feasible + the time limit. The test checks that
the seconds never go back; this prints the wall-clock figure it used to assert (a margin
under 0.5 s).

    .venv/bin/python bench/roster/progress.py --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scheduler.roster import SolverSettings, solve_roster
from tests.roster.test_roster_start import small


def run(time_limit: float) -> tuple[float, float]:
    """One solve: (first feasible second, last progress line's second)."""
    heard: list[tuple[float, float, float]] = []
    result = solve_roster(small(), SolverSettings(time_limit_s=time_limit, workers=1),
                          lambda *line: heard.append(line))
    return float(result.stats["first_feasible_s"]), max(elapsed for elapsed, _, _ in heard)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=5.0)
    args = parser.parse_args()
    print(f"{dt.date.today()}  bench/roster/progress  time limit {args.time_limit:g} s, 1 worker")
    print(f"{'run':>3}  {'first feasible':>14}  {'last line':>9}  {'margin':>7}")
    for k in range(1, args.runs + 1):
        first, last = run(args.time_limit)
        margin = last - (first + args.time_limit)
        print(f"{k:>3}  {first:>12.2f} s  {last:>7.2f} s  {margin:>+5.2f} s")


if __name__ == "__main__":
    main()
