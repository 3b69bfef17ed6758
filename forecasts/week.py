"""The week forecast: calls (with an 80% band) and handle time per queue x interval of a week.

Per queue: the calls series is built on the planning grid from the history before the week
(NaN for gaps and closed hours), `forecast_calls` backtests the candidate models, keeps the
best, calibrates its band and applies the special-day profiles; closed intervals are zero; the
handle-time profile gives aht_s; the workbook's scenarios are applied last.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasts.backtest import ModelScore
from forecasts.base import WEEK, Forecaster
from forecasts.calendar import holiday_dates, interval_grid, open_mask, week_index
from forecasts.handle_time import HandleTimeProfile
from forecasts.selection import BASELINE, CallsForecast, forecast_calls
from inputs.domain import InputError, ScenarioRule, Workbook

TABLE_COLUMNS = ["queue", "interval_start", "calls", "calls_lo", "calls_hi", "aht_s"]
CALL_COLUMNS = ["calls", "calls_lo", "calls_hi"]
MAX_HISTORY_AGE = pd.Timedelta(weeks=8)
TRAIN_SPAN = pd.Timedelta(days=364 + 7 * 5)  # the longest model's year plus the backtest weeks


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueForecastReport:
    """How one queue's week was forecast: the chosen model and every candidate's backtest.

    `wape`, `mase` and `band_coverage` are the chosen model's one-week-ahead backtest figures
    (None when no past week could be scored), `baseline_wape` the seasonal naive's;
    `band_scale` is the factor its band was widened by to cover 80% in the backtest;
    `holiday_factor`, `eve_factor` and `after_factor` are the learned whole-day ratios of a
    holiday, the day before and the day after to a normal day.
    """

    queue_id: str
    model: str
    baseline: str
    wape: float | None
    baseline_wape: float | None
    mase: float | None
    band_coverage: float | None
    band_scale: float
    backtest_weeks: int
    fit_s: float
    candidates: tuple[ModelScore, ...]
    mean_aht_s: float
    holiday_factor: float
    eve_factor: float
    after_factor: float


@dataclass(frozen=True, slots=True, kw_only=True)
class WeekForecast:
    """`table`: queue, interval_start, calls, calls_lo, calls_hi, aht_s (every interval)."""

    table: pd.DataFrame
    models: tuple[QueueForecastReport, ...]


def forecast_week(history: pd.DataFrame, workbook: Workbook, week_start: dt.date, *,
                  source: str = "history") -> WeekForecast:
    """Forecast every queue of the workbook for the 7 days from `week_start` 00:00.

    Only history before `week_start` is used, so past weeks can be re-forecast (backtests).

    Args:
        history: Long history (queue, interval_start, offered, optional handled, aht_s) at
            the planning interval, as the history reader returns it.
        workbook: The validated workbook (interval, opening hours, holidays, scenarios).
        week_start: First day of the planning week.
        source: Name of the history file, for error messages.

    Returns:
        The forecast table and one report per queue.

    Raises:
        InputError: a queue has no history, none before the week, or history too old.
    """
    interval = workbook.center.interval_minutes
    history = prepare_history(history, interval, source)
    start = pd.Timestamp(week_start)
    before = history[history["interval_start"] < start]
    by_queue = {str(q): rows for q, rows in before.groupby("queue", sort=False)}
    _check_history(history, by_queue, workbook, week_start, source)
    first_day = max(before["interval_start"].min(), start - TRAIN_SPAN).date()
    holidays = holiday_dates(workbook.center.holiday_country, first_day - dt.timedelta(days=1),
                             week_start + dt.timedelta(days=7))
    index = week_index(week_start, interval)
    tables, reports = [], []
    for queue in workbook.queues:
        rows = by_queue[queue.queue_id]
        raw = _queue_calls(rows, queue.queue_id, workbook, start, source)
        calls = forecast_calls(raw, index, holidays)
        closed = ~open_mask(index, workbook, queue.queue_id)
        table, report = queue_table(rows, queue.queue_id, index, calls, closed, interval, source)
        tables.append(table)
        reports.append(report)
    table = apply_scenarios(pd.concat(tables, ignore_index=True), workbook.scenarios)
    return WeekForecast(table=round_table(table), models=tuple(reports))


def round_table(table: pd.DataFrame) -> pd.DataFrame:
    """The forecast.csv precision: calls to 0.001, handle time to 0.1 s."""
    table = table.copy()
    table[CALL_COLUMNS] = table[CALL_COLUMNS].round(3)
    table["aht_s"] = table["aht_s"].round(1)
    return table[TABLE_COLUMNS]


def _queue_calls(rows: pd.DataFrame, queue_id: str, workbook: Workbook,
                 week_start: pd.Timestamp, source: str) -> pd.Series:
    """Calls per interval before the week; a missing interval is unknown, not zero, and a
    closed interval (the workbook's hours) is not data."""
    first = max(rows["interval_start"].min(), week_start - TRAIN_SPAN).date()
    grid = interval_grid(first, week_start.date(), workbook.center.interval_minutes)
    offered = rows.groupby("interval_start")["offered"].sum(min_count=1).reindex(grid)
    y = offered.where(open_mask(grid, workbook, queue_id))
    if not y.notna().any():
        raise InputError(
            f"{source}: queue {queue_id!r} has no calls inside its opening hours before "
            f"{week_start:%Y-%m-%d} — check the OpeningHours sheet or the history's times"
        )
    return y


def queue_table(rows: pd.DataFrame, queue_id: str, index: pd.DatetimeIndex,
                calls: CallsForecast, closed: np.ndarray, interval: int, source: str, *,
                require_aht: bool = True) -> tuple[pd.DataFrame, QueueForecastReport]:
    """One queue's rows of the table (closed intervals zero) with handle time, and its report.

    Without an aht_s column, handle time is an error when `require_aht`, else NaN.
    """
    frame = calls.frame.mul(np.where(closed, 0.0, 1.0), axis=0)
    if "aht_s" in rows.columns or require_aht:
        aht = HandleTimeProfile(interval_minutes=interval, source=source).fit(rows).predict(index)
        aht_values = aht.to_numpy()
        mean_aht = _mean_aht(frame["calls"].to_numpy(), aht_values, ~closed)
    else:
        aht_values, mean_aht = np.full(len(index), np.nan), float("nan")
    table = frame.assign(aht_s=aht_values).rename_axis("interval_start").reset_index()
    table.insert(0, "queue", queue_id)
    scores = {s.model: s for s in calls.scores}
    chosen = scores[calls.model]
    report = QueueForecastReport(
        queue_id=queue_id, model=calls.model, baseline=BASELINE, wape=chosen.wape,
        baseline_wape=scores[BASELINE].wape, mase=chosen.mase,
        band_coverage=chosen.band_coverage, band_scale=round(calls.band_scale, 4),
        backtest_weeks=chosen.weeks, fit_s=calls.fit_s, candidates=calls.scores,
        mean_aht_s=mean_aht, holiday_factor=calls.holiday_factor,
        eve_factor=calls.eve_factor, after_factor=calls.after_factor,
    )
    return table, report


def backtest_wape(make_model: Callable[[], Forecaster], y: pd.Series,
                  week_starts: Sequence[pd.Timestamp]) -> float | None:
    """One-week-ahead WAPE pooled over weeks: fit on `y` before each week, score the week.

    Only intervals with a known value in the week are scored (NaN marks closed hours,
    holidays and gaps).

    Args:
        make_model: A forecaster class (or factory) to fit afresh for each week.
        y: Calls on the planning grid, NaN where unknown.
        week_starts: Midnight of each week to score.

    Returns:
        sum |actual - forecast| / sum actual, or None when nothing could be scored.
    """
    error = actual = 0.0
    for start in week_starts:
        train = y[y.index < start]
        week = y[(y.index >= start) & (y.index < start + WEEK)]
        known = week.notna().to_numpy()
        if not known.any() or not train.notna().any():
            continue
        predicted = make_model().fit(train).predict(pd.DatetimeIndex(week.index))["calls"]
        values = week.to_numpy()[known]
        error += float(np.abs(values - predicted.to_numpy()[known]).sum())
        actual += float(values.sum())
    return error / actual if actual > 0 else None


def apply_scenarios(table: pd.DataFrame, scenarios: Sequence[ScenarioRule]) -> pd.DataFrame:
    """Multiply calls (and band) and handle time by every scenario covering the row's date."""
    table = table.copy()
    day = table["interval_start"].dt.normalize()
    for rule in scenarios:
        hit = (day >= pd.Timestamp(rule.start_date)) & (day <= pd.Timestamp(rule.end_date))
        if rule.queue_id is not None:
            hit &= table["queue"] == rule.queue_id
        volume = np.where(hit, rule.volume_multiplier, 1.0)
        table[CALL_COLUMNS] = table[CALL_COLUMNS].mul(volume, axis=0)
        table["aht_s"] = table["aht_s"] * np.where(hit, rule.aht_multiplier, 1.0)
    return table


def prepare_history(history: pd.DataFrame, interval_minutes: int, source: str) -> pd.DataFrame:
    """The history with naive nanosecond timestamps on the planning grid (str queue ids)."""
    missing = [c for c in ("queue", "interval_start", "offered") if c not in history.columns]
    if missing:
        raise InputError([f"{source} (column {c}): missing — add it" for c in missing])
    history = history.copy()
    stamps = pd.to_datetime(history["interval_start"]).astype("datetime64[ns]")
    history["interval_start"] = stamps.dt.floor(f"{interval_minutes}min")
    history["queue"] = history["queue"].astype(str)
    history["offered"] = history["offered"].astype("float64")
    return history


def _check_history(history: pd.DataFrame, by_queue: dict[str, pd.DataFrame],
                   workbook: Workbook, week_start: dt.date, source: str) -> None:
    """Every workbook queue needs history before the week, ending at most 8 weeks before it."""
    problems = []
    start = pd.Timestamp(week_start)
    known = set(history["queue"].unique())
    for queue in workbook.queues:
        q = queue.queue_id
        if q not in known:
            problems.append(f"{source} (column queue): no rows for queue {q!r} — add its "
                            "history, or remove the queue from the Queues sheet")
        elif q not in by_queue:
            problems.append(f"{source} (column interval_start): queue {q!r} has no history "
                            f"before the week of {week_start} — add older rows or plan a later "
                            "week")
        elif start - (last := by_queue[q]["interval_start"].max()) > MAX_HISTORY_AGE:
            age = (start - last) / pd.Timedelta(weeks=1)
            problems.append(f"{source} (column interval_start): history of queue {q!r} ends "
                            f"{last:%Y-%m-%d %H:%M}, {age:.1f} weeks before the week of "
                            f"{week_start} (at most 8) — add recent rows for {q!r}")
    if problems:
        raise InputError(problems)


def _mean_aht(calls: np.ndarray, aht: np.ndarray, is_open: np.ndarray) -> float:
    """Calls-weighted mean handle time over the open intervals (plain mean without calls)."""
    if calls[is_open].sum() > 0:
        return float(np.average(aht[is_open], weights=calls[is_open]))
    return float(aht[is_open].mean()) if is_open.any() else float(aht.mean())
