"""Forecasts stage: interval call volume (with an 80% band) and handle time per queue.

The week driver is the stage's one call::

    from forecasts import forecast_week
    week = forecast_week(history, workbook, dt.date(2026, 11, 29), source="history.csv")
    week.table   # queue, interval_start, calls, calls_lo, calls_hi, aht_s
    week.models  # one QueueForecastReport per queue (chosen model, every candidate's backtest)

Without a workbook, `forecast_history` and `backtest_history` work from the history alone.
`calls_at_quantile` gives the calls to staff to when the workbook asks for a quantile.
The forecasters share one contract (fit(y) -> self; predict(index) -> calls, calls_lo,
calls_hi) and can be used alone, e.g. for backtests with `backtest_wape`.
"""

from forecasts.backtest import ModelScore
from forecasts.handle_time import HandleTimeProfile
from forecasts.models import (
    Combination,
    DoubleSeasonalHW,
    Forecaster,
    MonthTopDown,
    SameSlotAverage,
    SeasonalNaive,
    TopDownETS,
    candidates,
)
from forecasts.quantile import calls_at_quantile
from forecasts.selection import CallsForecast, forecast_calls
from forecasts.standalone import backtest_history, forecast_history
from forecasts.week import (
    QueueForecastReport,
    WeekForecast,
    apply_scenarios,
    backtest_wape,
    forecast_week,
)

__all__ = [
    "CallsForecast",
    "Combination",
    "DoubleSeasonalHW",
    "Forecaster",
    "HandleTimeProfile",
    "ModelScore",
    "MonthTopDown",
    "QueueForecastReport",
    "SameSlotAverage",
    "SeasonalNaive",
    "TopDownETS",
    "WeekForecast",
    "apply_scenarios",
    "backtest_history",
    "backtest_wape",
    "calls_at_quantile",
    "candidates",
    "forecast_calls",
    "forecast_history",
    "forecast_week",
]
