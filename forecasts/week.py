"""The week forecast: calls (with an 80% band) and handle time per queue x interval of a week.

Per queue: the calls series is built on the planning grid from the history before the week
(NaN for gaps, closed hours and public holidays), TopDownETS forecasts the week, holidays that
stay open are scaled by the queue's learned holiday factor, closed intervals are zero, the
seasonal naive baseline is backtested beside the model, and the workbook's scenarios are
applied last.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from forecasts.calendar import holiday_dates, interval_grid, is_holiday, open_mask, week_index
from forecasts.handle_time import HandleTimeProfile
from forecasts.models import Forecaster, SeasonalNaive, TopDownETS
from inputs.domain import InputError, ScenarioRule, Workbook

TABLE_COLUMNS = ["queue", "interval_start", "calls", "calls_lo", "calls_hi", "aht_s"]
CALL_COLUMNS = ["calls", "calls_lo", "calls_hi"]
MAX_HISTORY_AGE = pd.Timedelta(weeks=8)
TRAIN_SPAN = pd.Timedelta(days=364 + 7 * 5)  # the model's year plus the backtest weeks
BACKTEST_WEEKS = 3
DEFAULT_HOLIDAY_FACTOR = 0.5
WEEK = pd.Timedelta(days=7)


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueForecastReport:
    """How one queue's week was forecast, and how the model and the baseline did lately.

    `wape` and `baseline_wape` are one-week-ahead weighted absolute percentage errors
    (sum |actual - forecast| / sum actual) over the last `backtest_weeks` complete weeks before
    the week, open intervals with data only; None when no such week exists.
    """

    queue_id: str
    model: str
    baseline: str
    wape: float | None
    baseline_wape: float | None
    backtest_weeks: int
    mean_aht_s: float
    holiday_factor: float


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
    history = _prepare(history, interval, source)
    start = pd.Timestamp(week_start)
    before = history[history["interval_start"] < start]
    by_queue = {str(q): rows for q, rows in before.groupby("queue", sort=False)}
    _check_history(history, by_queue, workbook, week_start, source)
    first_day = max(before["interval_start"].min(), start - TRAIN_SPAN).date()
    holidays = holiday_dates(workbook.center.holiday_country, first_day,
                             week_start + dt.timedelta(days=6))
    index = week_index(week_start, interval)
    tables, reports = [], []
    for queue in workbook.queues:
        table, report = _forecast_queue(by_queue[queue.queue_id], queue.queue_id, workbook,
                                        index, holidays, source)
        tables.append(table)
        reports.append(report)
    table = apply_scenarios(pd.concat(tables, ignore_index=True), workbook.scenarios)
    table[CALL_COLUMNS] = table[CALL_COLUMNS].round(3)
    table["aht_s"] = table["aht_s"].round(1)
    return WeekForecast(table=table[TABLE_COLUMNS], models=tuple(reports))


@dataclass(frozen=True, slots=True, kw_only=True)
class _QueueSeries:
    """One queue's calls on the planning grid before the week.

    `y` is NaN for gaps, closed hours and holidays (what the models train on); `open_calls`
    keeps the holidays (to learn the holiday factor); `is_open` is the workbook's hours.
    """

    y: pd.Series
    open_calls: pd.Series
    is_open: np.ndarray


def _queue_series(rows: pd.DataFrame, queue_id: str, workbook: Workbook,
                  week_start: pd.Timestamp, holidays: frozenset[dt.date],
                  source: str) -> _QueueSeries:
    """Calls per interval from the history rows; a missing interval is unknown, not zero."""
    first = max(rows["interval_start"].min(), week_start - TRAIN_SPAN).date()
    grid = interval_grid(first, week_start.date(), workbook.center.interval_minutes)
    offered = rows.groupby("interval_start")["offered"].sum(min_count=1).reindex(grid)
    is_open = open_mask(grid, workbook, queue_id)
    y = offered.where(is_open & ~is_holiday(grid, holidays))
    if not y.notna().any():
        raise InputError(
            f"{source}: queue {queue_id!r} has no calls inside its opening hours before "
            f"{week_start:%Y-%m-%d} — check the OpeningHours sheet or the history's times"
        )
    return _QueueSeries(y=y, open_calls=offered.where(is_open), is_open=is_open)


def _forecast_queue(rows: pd.DataFrame, queue_id: str, workbook: Workbook,
                    index: pd.DatetimeIndex, holidays: frozenset[dt.date],
                    source: str) -> tuple[pd.DataFrame, QueueForecastReport]:
    """One queue's week: volume model, holiday factor, closed hours, handle time, backtest."""
    series = _queue_series(rows, queue_id, workbook, index[0], holidays, source)
    aht = HandleTimeProfile(interval_minutes=workbook.center.interval_minutes,
                            source=source).fit(rows).predict(index)
    factor = holiday_factor(series.open_calls, holidays)
    closed = ~open_mask(index, workbook, queue_id)
    scale = np.where(closed, 0.0, np.where(is_holiday(index, holidays), factor, 1.0))
    forecast = TopDownETS().fit(series.y).predict(index).mul(scale, axis=0)
    weeks = backtest_week_starts(pd.DatetimeIndex(series.y.index), series.is_open,
                                 rows["interval_start"].max(), index[0])
    table = forecast.assign(aht_s=aht.to_numpy()).rename_axis("interval_start").reset_index()
    table.insert(0, "queue", queue_id)
    report = QueueForecastReport(
        queue_id=queue_id,
        model=TopDownETS.name,
        baseline=SeasonalNaive.name,
        wape=_backtest_top_down(series.y, weeks),
        baseline_wape=backtest_wape(SeasonalNaive, series.y, weeks),
        backtest_weeks=len(weeks),
        mean_aht_s=_mean_aht(forecast["calls"].to_numpy(), aht.to_numpy(), ~closed),
        holiday_factor=factor,
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


def _backtest_top_down(y: pd.Series, weeks: Sequence[pd.Timestamp]) -> float | None:
    """TopDownETS backtest, ETS parameters estimated once before the first week (fast)."""
    if not weeks or not y[y.index < weeks[0]].notna().any():
        return backtest_wape(TopDownETS, y, weeks)
    params = TopDownETS().fit(y[y.index < weeks[0]]).ets_params_
    return backtest_wape(partial(TopDownETS, fixed_params=params), y, weeks)


def backtest_week_starts(grid: pd.DatetimeIndex, is_open: np.ndarray, last_seen: pd.Timestamp,
                         week_start: pd.Timestamp, count: int = BACKTEST_WEEKS,
                         search: int = 12) -> list[pd.Timestamp]:
    """The last `count` complete weeks (7-day blocks ending at `week_start`, or earlier).

    A block is complete when the history reaches into its last open day and it has at least
    two weeks of history before it.
    """
    starts: list[pd.Timestamp] = []
    for k in range(1, search + 1):
        start = week_start - k * WEEK
        if start - 2 * WEEK < grid[0] or len(starts) == count:
            break
        in_block = (grid >= start) & (grid < start + WEEK) & is_open
        if in_block.any() and grid[in_block].max().normalize() <= last_seen:
            starts.append(start)
    return sorted(starts)


def holiday_factor(day_calls: pd.Series, holidays: frozenset[dt.date]) -> float:
    """Calls on an open holiday relative to a normal day: the median over past holidays.

    Each holiday with data is compared with the mean of the same weekday one and two weeks
    before and after (non-holidays with data); without any, 0.5.
    """
    totals = day_calls.groupby(pd.DatetimeIndex(day_calls.index).normalize()).sum(min_count=1)
    known = totals.dropna()
    ratios = []
    for day in holidays:
        stamp = pd.Timestamp(day)
        if stamp not in known.index:
            continue
        neighbours = [stamp + k * WEEK for k in (-2, -1, 1, 2)]
        normal = [known[d] for d in neighbours if d in known.index and d.date() not in holidays]
        if normal and np.mean(normal) > 0:
            ratios.append(known[stamp] / np.mean(normal))
    return float(np.clip(np.median(ratios), 0.0, 2.0)) if ratios else DEFAULT_HOLIDAY_FACTOR


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


def _prepare(history: pd.DataFrame, interval_minutes: int, source: str) -> pd.DataFrame:
    """The history with naive nanosecond timestamps on the planning grid."""
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
