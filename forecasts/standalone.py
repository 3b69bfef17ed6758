"""Forecasts and backtests straight from a history file, with no workbook (`wfm forecast`,
`wfm backtest`).

Without a workbook the opening hours are inferred from the history: an interval of the week
is open when it holds data in at least a quarter of the last 8 weeks, and is forecast as 0
otherwise. Public holidays are used only when a country is given.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from forecasts.backtest import backtest, rolling_origins, select
from forecasts.base import DAY, WEEK, step_of
from forecasts.baselines import EPOCH_MONDAY
from forecasts.calendar import holiday_dates, interval_grid
from forecasts.models import candidates
from forecasts.selection import forecast_calls
from forecasts.special_days import training_days_mask
from forecasts.week import (
    TRAIN_SPAN,
    WeekForecast,
    prepare_history,
    queue_table,
    round_table,
)
from inputs.domain import InputError

OPEN_WEEKS = 8
BACKTEST_COLUMNS = ["queue", "model", "wape", "mase", "band_coverage", "fit_s", "weeks",
                    "selected"]


def forecast_history(history: pd.DataFrame, start: dt.date, days: int, *,
                     interval_minutes: int = 30, holiday_country: str | None = None,
                     source: str = "history") -> WeekForecast:
    """Forecast every queue of a history for `days` days from `start` 00:00.

    Args:
        history: Long history (queue, interval_start, offered, optional aht_s) at
            `interval_minutes`, as the history reader returns it.
        start: First day to forecast; only history before it is used.
        days: Number of days to forecast (1 or more).
        interval_minutes: The interval of the history and of the forecast.
        holiday_country: Country code for public holidays (e.g. "IL"); None: no holidays.
        source: Name of the history file, for error messages.

    Returns:
        The table (queue, interval_start, calls, calls_lo, calls_hi, aht_s; aht_s blank
        without an aht_s column) and one report per queue.

    Raises:
        InputError: no history before `start`.
    """
    history = prepare_history(history, interval_minutes, source)
    begin = pd.Timestamp(start)
    before = history[history["interval_start"] < begin]
    if before.empty:
        first = history["interval_start"].min()
        raise InputError(f"{source} (column interval_start): no history before {start} (it "
                         f"starts {first:%Y-%m-%d %H:%M}) — pick a later --start")
    index = interval_grid(start, start + dt.timedelta(days=days), interval_minutes)
    holidays = _holidays(holiday_country, before, index[-1])
    tables, reports = [], []
    for queue_id, rows in before.groupby("queue", sort=True):
        raw = queue_grid(rows, begin, interval_minutes)
        calls = forecast_calls(raw, index, holidays)
        closed = ~inferred_open(raw, index)
        table, report = queue_table(rows, str(queue_id), index, calls, closed, interval_minutes,
                                    source, require_aht=False)
        tables.append(table)
        reports.append(report)
    return WeekForecast(table=round_table(pd.concat(tables, ignore_index=True)),
                        models=tuple(reports))


def backtest_history(history: pd.DataFrame, *, weeks: int = 8, interval_minutes: int = 30,
                     holiday_country: str | None = None, source: str = "history") -> pd.DataFrame:
    """Backtest every candidate model on every queue, one week ahead, over the last `weeks`.

    The origins are the starts of the last `weeks` 7-day blocks ending on the history's last
    day; days around holidays are not scored (they have their own profile).

    Returns:
        One row per queue x model: queue, model, wape, mase, band_coverage, fit_s (mean
        seconds per fit), weeks (origins scored), selected (the model a forecast would use).
    """
    history = prepare_history(history, interval_minutes, source)
    end = history["interval_start"].max().normalize() + DAY
    holidays = _holidays(holiday_country, history, end)
    rows = []
    for queue_id, queue_rows in history.groupby("queue", sort=True):
        raw = queue_grid(queue_rows, end, interval_minutes)
        y = raw.where(training_days_mask(pd.DatetimeIndex(raw.index), holidays))
        models = candidates()
        order = [m.name for m in models]
        trials = backtest(models, y, rolling_origins(y, end, weeks))
        scores = [t.score for t in trials]
        chosen = select(scores, order)
        rows += [{"queue": str(queue_id), "model": s.model, "wape": s.wape, "mase": s.mase,
                  "band_coverage": s.band_coverage, "fit_s": s.fit_s, "weeks": s.weeks,
                  "selected": s.model == chosen} for s in scores]
    return pd.DataFrame(rows, columns=BACKTEST_COLUMNS)


def queue_grid(rows: pd.DataFrame, end: pd.Timestamp, interval_minutes: int) -> pd.Series:
    """One queue's calls on the full grid before `end` (at most TRAIN_SPAN), NaN where missing."""
    first = max(rows["interval_start"].min(), end - TRAIN_SPAN).date()
    grid = interval_grid(first, end.date(), interval_minutes)
    return rows.groupby("interval_start")["offered"].sum(min_count=1).reindex(grid)


def inferred_open(raw: pd.Series, index: pd.DatetimeIndex, weeks: int = OPEN_WEEKS) -> np.ndarray:
    """Opening hours read off the history: an interval of the week is open when it holds data
    in at least a quarter of the last `weeks` weeks."""
    recent = raw[raw.index >= raw.index[-1] - weeks * WEEK]
    step = step_of(pd.DatetimeIndex(raw.index))
    slots = int(WEEK // step)
    key = np.asarray((recent.index - EPOCH_MONDAY) // step, dtype=np.int64) % slots
    seen = np.bincount(key[recent.notna().to_numpy()], minlength=slots)
    is_open = seen >= max(1, weeks // 4)
    return is_open[np.asarray((index - EPOCH_MONDAY) // step, dtype=np.int64) % slots]


def _holidays(country: str | None, history: pd.DataFrame,
              last: pd.Timestamp) -> frozenset[dt.date]:
    if country is None:
        return frozenset()
    first = history["interval_start"].min().date() - dt.timedelta(days=1)
    return holiday_dates(country, first, last.date() + dt.timedelta(days=1))



