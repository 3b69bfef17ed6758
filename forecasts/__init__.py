"""Forecasts stage: interval call volume (with an 80% band) and handle time per queue.

The week driver is the stage's one call::

    from forecasts import forecast_week
    week = forecast_week(history, workbook, dt.date(2026, 11, 29), source="history.csv")
    week.table   # queue, interval_start, calls, calls_lo, calls_hi, aht_s
    week.models  # one QueueForecastReport per queue (model, backtest WAPE vs baseline)

The forecasters share one contract (fit(y) -> self; predict(index) -> calls, calls_lo,
calls_hi) and can be used alone, e.g. for backtests with `backtest_wape`.
"""

from forecasts.handle_time import HandleTimeProfile
from forecasts.models import Forecaster, SeasonalNaive, TopDownETS
from forecasts.week import (
    QueueForecastReport,
    WeekForecast,
    apply_scenarios,
    backtest_wape,
    forecast_week,
)

__all__ = [
    "Forecaster",
    "HandleTimeProfile",
    "QueueForecastReport",
    "SeasonalNaive",
    "TopDownETS",
    "WeekForecast",
    "apply_scenarios",
    "backtest_wape",
    "forecast_week",
]
