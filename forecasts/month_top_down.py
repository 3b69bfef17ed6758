"""The month-aware top-down model: daily totals with the month cycle, split by a pooled profile.

Most one-week-ahead error on real call-center data is at the day level, and part of it is the
month cycle (see `forecasts.month_cycle`), which a same-weekday average of recent weeks blurs.
This model takes the cycle out of the daily totals, forecasts the adjusted totals twice (the
mean of the same weekday over recent weeks, and ETS with weekday seasonality), averages the
two (Bates & Granger 1969; Taylor 2008 on combining for call arrivals), puts the cycle back,
and splits each day over its intervals by the weekday's pooled intraday shares.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd

from forecasts.base import DAY
from forecasts.month_cycle import MonthCycle, learn_month_cycle
from forecasts.top_down import (
    _daily_totals,
    _impute_by_weekday,
    _open_weekdays,
    ets_daily,
    ets_params,
    fit_daily_ets,
    spread_by_profile,
    training_days,
)


class MonthTopDown:
    """Daily totals (weekday mean and ETS, month cycle removed then restored) x daily profile.

    Settings (chosen on the weeks before the benchmark's scored weeks, see bench/forecast):
    `profile_weeks` complete days of each weekday pooled for its intraday shares (calls per
    interval summed over the days / their total calls); `level_weeks` same-weekday adjusted
    totals averaged; the month cycle from `learn_month_cycle(window_weeks, bandwidth_days,
    shrink)`; ETS(A,Ad,A) on the last `train_days` adjusted daily totals. The band adds the
    spread of recent adjusted totals around their weekday mean to Poisson noise.
    """

    name: ClassVar[str] = "top_down_month"
    complexity: ClassVar[int] = 5

    def __init__(self, *, profile_weeks: int = 16, level_weeks: int = 12,
                 window_weeks: int = 4, bandwidth_days: float = 1.5, shrink: float = 2.0,
                 train_days: int = 364, min_ets_days: int = 28,
                 fixed_params: tuple[float, ...] | None = None) -> None:
        self.profile_weeks = profile_weeks
        self.level_weeks = level_weeks
        self.window_weeks = window_weeks
        self.bandwidth_days = bandwidth_days
        self.shrink = shrink
        self.train_days = train_days
        self.min_ets_days = min_ets_days
        self.fixed_params = fixed_params

    def fit(self, y: pd.Series) -> Self:
        """Learn the profiles, the month cycle, the weekday levels and ETS on adjusted totals."""
        self.step_, days, matrix = training_days(y, self.train_days, "MonthTopDown")
        weekday = np.asarray(days.day_of_week)
        self.open_weekdays_ = _open_weekdays(matrix, weekday)
        self.profile_ = pooled_profiles(matrix, weekday, self.open_weekdays_, self.profile_weeks)
        totals = _daily_totals(matrix, weekday, self.profile_, self.open_weekdays_)
        self.cycle_: MonthCycle = learn_month_cycle(
            days, totals, window_weeks=self.window_weeks, bandwidth_days=self.bandwidth_days,
            shrink=self.shrink)
        adjusted = totals / self.cycle_.factor(days)
        self.level_, self.spread_ = _weekday_levels(adjusted, weekday, self.level_weeks)
        daily = pd.Series(_impute_by_weekday(adjusted, weekday),
                          index=pd.date_range(days[0], periods=len(days), freq="D", unit="ns"))
        self.origin_ = daily.index[0]
        long_enough = len(days) >= self.min_ets_days
        self.ets_: Any = fit_daily_ets(daily, self.fixed_params) if long_enough else None
        return self

    def fresh(self) -> MonthTopDown:
        fitted = ets_params(self.ets_) if hasattr(self, "ets_") else None
        return MonthTopDown(profile_weeks=self.profile_weeks, level_weeks=self.level_weeks,
                            window_weeks=self.window_weeks, bandwidth_days=self.bandwidth_days,
                            shrink=self.shrink, train_days=self.train_days,
                            min_ets_days=self.min_ets_days,
                            fixed_params=fitted or self.fixed_params)

    def daily_forecast(self, days: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation of the total calls of each day in `days`."""
        position = np.asarray((days - self.origin_) // DAY, dtype=int)
        if (position < 0).any():
            raise ValueError(f"MonthTopDown.predict: days before the history start {self.origin_}")
        weekday = np.asarray(days.day_of_week)
        level = self.level_[weekday]
        ets_mean, _ = ets_daily(self.ets_, position, mean_only=True)
        if ets_mean is not None and np.all(np.isfinite(ets_mean)):
            level = 0.5 * (level + np.maximum(ets_mean, 0.0))
        factor = self.cycle_.factor(days)
        mean = np.where(self.open_weekdays_[weekday], level * factor, 0.0)
        return mean, mean * self.spread_

    def predict(self, index: pd.DatetimeIndex) -> pd.DataFrame:
        """Daily forecast x profile share per interval, with the day spread and Poisson noise."""
        return spread_by_profile(index, self.step_, self.profile_, self.daily_forecast,
                                 "MonthTopDown")


def pooled_profiles(matrix: np.ndarray, weekday: np.ndarray, open_weekdays: np.ndarray,
                    weeks: int) -> np.ndarray:
    """Each weekday's share of the day's calls per interval (7 x slots; rows sum to 1 or 0).

    The shares pool the weekday's last `weeks` complete days: calls per interval summed over
    the days, over their total (a busy day weighs more, as its shares are less noisy). A
    weekday without a complete day takes the average of the other weekdays' shares on its own
    open intervals.
    """
    slots = matrix.shape[1]
    profile, open_slots = np.zeros((7, slots)), np.zeros((7, slots), dtype=bool)
    for w in np.flatnonzero(open_weekdays):
        recent = matrix[(weekday == w) & np.isfinite(matrix).any(axis=1)][-weeks:]
        open_slots[w] = np.isfinite(recent).any(axis=0)
        complete = np.nan_to_num(recent[np.isfinite(recent[:, open_slots[w]]).all(axis=1)])
        if complete.sum() > 0:
            profile[w] = complete.sum(axis=0) / complete.sum()
    known = profile.sum(axis=1) > 0
    average = profile[known].mean(axis=0) if known.any() else np.zeros(slots)
    for w in np.flatnonzero(open_weekdays & ~known):
        prior = np.where(open_slots[w], average, 0.0)
        if prior.sum() <= 0:
            prior = open_slots[w].astype(float)
        profile[w] = prior / prior.sum() if prior.sum() > 0 else 0.0
    return profile


def _weekday_levels(adjusted: np.ndarray, weekday: np.ndarray,
                    weeks: int) -> tuple[np.ndarray, float]:
    """Mean of each weekday's last `weeks` known adjusted totals, and the relative spread of
    those totals around their weekday's mean (pooled over weekdays; 0 with under 2 each)."""
    level = np.zeros(7)
    relative: list[np.ndarray] = []
    for w in range(7):
        values = adjusted[(weekday == w) & np.isfinite(adjusted)][-weeks:]
        if values.size:
            level[w] = values.mean()
        if values.size > 1 and level[w] > 0:
            relative.append(values / level[w] - 1.0)
    pooled = np.concatenate(relative) if relative else np.zeros(0)
    spread = float(np.sqrt(np.mean(pooled ** 2))) if pooled.size > 1 else 0.0
    return level, spread
