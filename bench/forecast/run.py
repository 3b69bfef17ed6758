"""Forecast benchmark: one-week-ahead rolling-origin backtest on two real call centers.

Data (see /work/shared/data/README.md):
- us_bank_2003/history_5min.csv: a North American bank's calls per 5 minutes, weekdays
  07:00-21:00, 2003-03-03..2003-08-29 (fpp3 `bank_calls`; Weinberg, Brown & Stroud 2007,
  JASA 102:1185-1198);
- anonymous_bank_1999/history_6min.csv: the Israeli "Anonymous Bank", calls per 6 minutes,
  24 h, 1999-01-01..1999-08-31 (Technion SEE Center; Brown et al. 2005, JASA 100:36-50).

Both are read with the project's history reader at 30 minutes. At each of the last ORIGINS
week starts every model is fitted on the history before it and scored on the week; the
"selected" row runs the whole per-queue procedure (its own inner backtest over the 8 weeks
before the origin, model choice, band calibration, special days) at each origin, so its
figures are out of sample. Days around public holidays are not scored. The Poisson floor is
the WAPE of a perfect rate forecast under Poisson noise, sum sqrt(2 a / pi) / sum a.

`--demo` also times `forecast_week` on the demo center (12 queues, two years of 15-minute
history, inputs.demo).

Run: .venv/bin/python bench/forecast/run.py [--origins 10] [--demo] [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from forecasts.backtest import backtest, rolling_origins  # noqa: E402
from forecasts.base import WEEK  # noqa: E402
from forecasts.calendar import holiday_dates  # noqa: E402
from forecasts.models import candidates  # noqa: E402
from forecasts.selection import forecast_calls  # noqa: E402
from forecasts.special_days import training_days_mask  # noqa: E402
from forecasts.standalone import queue_grid  # noqa: E402
from inputs.history import read_history  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SETS = (("US bank 2003", DATA / "us_bank_2003" / "history_5min.csv", "US"),
        ("Israeli bank 1999", DATA / "anonymous_bank_1999" / "history_6min.csv", "IL"))
INTERVAL = 30


def evaluate(name: str, path: Path, country: str, origins: int) -> list[dict[str, Any]]:
    """Every model's scores and the selected procedure's, on one data set."""
    history = read_history(path, interval_minutes=INTERVAL)
    end = history["interval_start"].max().normalize() + pd.Timedelta(days=1)
    holidays = holiday_dates(country, history["interval_start"].min().date(), end.date())
    raw = queue_grid(history, end, INTERVAL)
    y = raw.where(training_days_mask(pd.DatetimeIndex(raw.index), holidays))
    starts = rolling_origins(y, end, origins)
    rows = []
    for trial in backtest(candidates(), y, starts):
        s = trial.score
        rows.append({"set": name, "model": s.model, "wape": s.wape, "mase": s.mase,
                     "coverage": s.band_coverage, "fit_s": s.fit_s, "weeks": s.weeks})
    rows.append(_selected(name, raw, y, starts, holidays))
    return rows


def _selected(name: str, raw: pd.Series, y: pd.Series, starts: list[pd.Timestamp],
              holidays: frozenset[dt.date]) -> dict[str, Any]:
    """The whole procedure, run afresh at each origin, scored out of sample."""
    error = actual = inside = count = 0.0
    seconds, chosen = 0.0, []
    floor = 0.0
    for origin in starts:
        week = y[(y.index >= origin) & (y.index < origin + WEEK)].dropna()
        index = pd.date_range(origin, origin + WEEK - pd.Timedelta(minutes=INTERVAL),
                              freq=f"{INTERVAL}min", unit="ns")
        started = time.perf_counter()
        result = forecast_calls(raw[raw.index < origin], index, holidays)
        seconds += time.perf_counter() - started
        chosen.append(result.model)
        frame = result.frame.reindex(week.index)
        a = week.to_numpy()
        error += float(np.abs(a - frame["calls"].to_numpy()).sum())
        actual += float(a.sum())
        floor += float(np.sqrt(2 * a / np.pi).sum())
        inside += float(((a >= frame["calls_lo"]) & (a <= frame["calls_hi"])).sum())
        count += a.size
    picks = pd.Series(chosen).value_counts()
    label = ", ".join(f"{m} x{n}" for m, n in picks.items())
    return {"set": name, "model": f"selected ({label})", "wape": error / actual, "mase": None,
            "coverage": inside / count, "fit_s": seconds / len(starts), "weeks": len(starts),
            "floor": floor / actual}


def table(rows: list[dict[str, Any]]) -> str:
    """A markdown table with each model's ratio to seasonal naive and to the 8-week median."""
    lines: list[str] = []
    for name in dict.fromkeys(r["set"] for r in rows):
        part = [r for r in rows if r["set"] == name]
        by = {r["model"]: float(r["wape"]) for r in part}
        naive, median = by["seasonal_naive"], by["median_8w"]
        floor = next(float(r["floor"]) for r in part if "floor" in r)
        lines += [f"**{name}** ({max(int(r['weeks']) for r in part)} origins, 30-min "
                  f"intervals, Poisson floor WAPE {floor:.3f})", "",
                  "| model | WAPE | / seasonal naive | / median 8w | MASE | 80% band coverage "
                  "| s per fit |", "|---|---|---|---|---|---|---|"]
        for r in part:
            wape = float(r["wape"])
            mase = "" if r["mase"] is None else f"{float(r['mase']):.3f}"
            lines.append(f"| {r['model']} | {wape:.4f} | {wape / naive:.3f} | "
                         f"{wape / median:.3f} | {mase} | {float(r['coverage']):.1%} | "
                         f"{float(r['fit_s']):.3f} |")
        lines.append("")
    return "\n".join(lines)


def demo_seconds() -> float:
    """Seconds `forecast_week` takes on the demo center's week."""
    from forecasts import forecast_week
    from inputs.demo import DEMO_WEEK, demo_history, demo_workbook

    workbook = demo_workbook()
    history = demo_history(workbook)
    started = time.perf_counter()
    forecast_week(history, workbook, DEMO_WEEK)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--origins", type=int, default=10)
    parser.add_argument("--demo", action="store_true", help="time forecast_week on the demo")
    parser.add_argument("--write", action="store_true", help="write last-run.md")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for name, path, country in SETS:
        rows += evaluate(name, path, country, args.origins)
    text = table(rows)
    print(text)
    print(f"total {time.perf_counter() - started:.1f} s")
    if args.demo:
        text += f"\ndemo forecast_week: {demo_seconds():.1f} s\n"
        print(text.splitlines()[-1])
    if args.write:
        (Path(__file__).parent / "last-run.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
