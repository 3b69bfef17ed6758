"""The direct multi-seasonal model: double-seasonal Holt-Winters at the planning interval.

Taylor (2003, J. Operational Research Society 54:799-805) smooths a level, a within-day cycle
and a within-week cycle of the interval series itself; the week cycle carries the weekday
shapes, the day cycle lets the intraday shape drift from one day to the next.
"""

from __future__ import annotations

import itertools
import warnings
from typing import ClassVar, Self

import numpy as np
import pandas as pd

from forecasts.base import DAY, WEEK, band_frame, open_slots, scaled_quantiles, step_of

ALPHAS = (0.002, 0.01, 0.04)  # level, per known interval
OMEGAS = (0.1, 0.25)  # week cycle
DELTA = 0.05  # day cycle


class DoubleSeasonalHW:
    """Additive double-seasonal Holt-Winters (level + day cycle + week cycle, no trend).

    Fitted on the last `train_weeks` weeks; only known intervals update the states, so gaps,
    holidays and closed hours leave them as they were. The smoothing weights are chosen from a
    small grid by the one-week-ahead error inside the window (or reused via `fixed_params`);
    the band is the spread of those one-week-ahead errors, scaled by sqrt(calls). Slots of the
    week without data in the last weeks are closed (0).
    """

    name: ClassVar[str] = "double_seasonal_hw"
    complexity: ClassVar[int] = 3

    def __init__(self, *, train_weeks: int = 12, init_weeks: int = 2,
                 fixed_params: tuple[float, float, float] | None = None) -> None:
        self.train_weeks = train_weeks
        self.init_weeks = init_weeks
        self.fixed_params = fixed_params

    def fit(self, y: pd.Series) -> Self:
        """Initialize from the first weeks of the window, choose the weights, run the states."""
        index = pd.DatetimeIndex(y.index).as_unit("ns")
        self.step_ = step_of(index)
        self.s1_, self.s2_ = int(DAY // self.step_), int(WEEK // self.step_)
        end = index[-1] + self.step_
        weeks = int(min(self.train_weeks, max((end - index[0]) // WEEK, 1)))
        self.start_ = end - weeks * WEEK
        grid = pd.date_range(self.start_, end - self.step_, freq=self.step_, unit="ns")
        values = y.astype("float64").set_axis(index).reindex(grid).to_numpy()
        matrix = values.reshape(weeks, self.s2_)
        self.open_ = open_slots(matrix[-8:])
        init = matrix[: min(self.init_weeks, weeks)]
        level = float(np.nanmean(matrix)) if np.isfinite(matrix).any() else 0.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-unknown slots: closed
            first = np.nanmean(init, axis=0)
            overall = np.nanmean(matrix, axis=0)
        known = np.isfinite(first)
        week0 = np.nan_to_num(first) * known + np.nan_to_num(overall) * ~known - level
        grid_params = ([self.fixed_params] if self.fixed_params is not None
                       else [(a, DELTA, w) for a, w in itertools.product(ALPHAS, OMEGAS)])
        best = None
        for params in grid_params:
            run = _smooth(values, level, week0, params, self.s1_, self.s2_, self.init_weeks)
            if best is None or run[0] < best[0]:
                best = (*run, params)
        assert best is not None
        _, self.level_, self.day_, self.week_, actual, predicted, self.params_ = best
        self.z_lo_, self.z_hi_ = scaled_quantiles(actual, np.maximum(predicted, 0.0))
        return self

    def fresh(self) -> DoubleSeasonalHW:
        return DoubleSeasonalHW(train_weeks=self.train_weeks, init_weeks=self.init_weeks,
                                fixed_params=getattr(self, "params_", self.fixed_params))

    def predict(self, index: pd.DatetimeIndex) -> pd.DataFrame:
        """Level + day cycle + week cycle of each interval's slot; 0 where closed."""
        position = np.asarray((index - self.start_) // self.step_, dtype=np.int64)
        week_slot = position % self.s2_
        calls = self.level_ + self.day_[position % self.s1_] + self.week_[week_slot]
        calls = np.where(self.open_[week_slot], np.maximum(calls, 0.0), 0.0)
        spread = np.sqrt(calls)
        return band_frame(index, calls, self.z_lo_ * spread, self.z_hi_ * spread)


def _smooth(values: np.ndarray, level: float, week0: np.ndarray,
            params: tuple[float, float, float], s1: int, s2: int, init_weeks: int,
            ) -> tuple[float, float, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Run the recursions over `values`; score the forecasts made at each week boundary.

    Returns:
        (one-week-ahead absolute error, final level, day cycle, week cycle, the actual values
        and the one-week-ahead forecasts that were scored).
    """
    alpha, delta, omega = params
    day = [0.0] * s1
    week = [float(v) for v in week0]
    data = values.tolist()
    actual: list[np.ndarray] = []
    predicted: list[np.ndarray] = []
    slots_of_day = np.arange(s2) % s1
    for t, v in enumerate(data):
        k = t % s2
        if k == 0 and t >= init_weeks * s2:
            block = values[t: t + s2]
            known = np.isfinite(block)
            forecast = level + np.asarray(day)[slots_of_day[: block.size]] + np.asarray(
                week)[: block.size]
            actual.append(block[known])
            predicted.append(forecast[known])
        if v != v:  # NaN: nothing known, the states carry over
            continue
        j = t % s1
        d, w = day[j], week[k]
        level = alpha * (v - d - w) + (1.0 - alpha) * level
        day[j] = delta * (v - level - w) + (1.0 - delta) * d
        week[k] = omega * (v - level - d) + (1.0 - omega) * w
    a = np.concatenate(actual) if actual else np.zeros(0)
    p = np.concatenate(predicted) if predicted else np.zeros(0)
    error = float(np.abs(a - np.maximum(p, 0.0)).sum()) if a.size else 0.0
    return error, level, np.asarray(day), np.asarray(week), a, p
