"""The strong simple baselines: last week's calls, and the same slot over the last k weeks.

Taylor (2008, Management Science 54:253-265) found that beyond a few days ahead the average of
the same weekday and interval over recent weeks is hard to beat on call-center arrivals; these
two models are the yardsticks every other model must beat in the backtest.
"""

from __future__ import annotations

import warnings
from typing import ClassVar, Self

import numpy as np
import pandas as pd

from forecasts.base import WEEK, band_frame, scaled_quantiles, slot_of_week, step_of

EPOCH_MONDAY = pd.Timestamp("2000-01-03")  # any Monday: the origin of the slot-of-week cycle


class SeasonalNaive:
    """Each interval gets the calls of the same interval one season earlier (the baseline).

    Where that interval is unknown (a gap, a holiday), the model goes back one more season, up
    to `max_seasons`; an interval never seen (a closed hour) is forecast as 0. The band comes
    from the empirical distribution of season-on-season differences, scaled by
    sqrt(calls) (counts vary like Poisson counts), or plain Poisson noise when there are too
    few differences to estimate it.
    """

    name: ClassVar[str] = "seasonal_naive"
    complexity: ClassVar[int] = 0

    def __init__(self, season_days: int = 7, *, max_seasons: int = 52,
                 min_differences: int = 30) -> None:
        self.season_days = season_days
        self.max_seasons = max_seasons
        self.min_differences = min_differences

    def fit(self, y: pd.Series) -> Self:
        """Remember the history and the spread of season-on-season changes."""
        index = pd.DatetimeIndex(y.index).as_unit("ns")
        self.step_ = step_of(index)
        grid = pd.date_range(index[0], index[-1], freq=self.step_, unit="ns")
        self.values_ = y.astype("float64").set_axis(index).reindex(grid).to_numpy()
        self.origin_ = grid[0]
        lag = int(pd.Timedelta(days=self.season_days) // self.step_)
        self.z_lo_, self.z_hi_ = scaled_quantiles(self.values_[lag:], self.values_[:-lag],
                                                  self.min_differences)
        return self

    def fresh(self) -> SeasonalNaive:
        return SeasonalNaive(self.season_days, max_seasons=self.max_seasons,
                             min_differences=self.min_differences)

    def predict(self, index: pd.DatetimeIndex) -> pd.DataFrame:
        """Look each interval up one season back (further back across unknown intervals)."""
        lag = int(pd.Timedelta(days=self.season_days) // self.step_)
        position = np.asarray((index - self.origin_) // self.step_, dtype=np.int64)
        calls = np.full(len(index), np.nan)
        seasons_back = np.zeros(len(index))
        for k in range(1, self.max_seasons + 1):
            missing = np.isnan(calls) & (position - k * lag >= 0)
            if not missing.any():
                break
            source = position[missing] - k * lag
            found = np.full(source.size, np.nan)
            inside = source < self.values_.size
            found[inside] = self.values_[source[inside]]
            rows = np.flatnonzero(missing)[np.isfinite(found)]
            calls[rows] = found[np.isfinite(found)]
            seasons_back[rows] = k
        calls = np.nan_to_num(calls)
        spread = np.sqrt(calls * np.maximum(seasons_back, 1.0))
        return band_frame(index, calls, self.z_lo_ * spread, self.z_hi_ * spread)


class SameSlotAverage:
    """Each interval gets the median (or mean) of the same weekday and interval over k weeks.

    Unknown weeks (gaps, holidays) are skipped; a slot known in fewer than a quarter of the
    `weeks` is closed and forecast as 0. The band is the spread of those weeks around their
    centre, scaled by sqrt(calls) and widened for the error of the centre itself.
    """

    complexity: ClassVar[int] = 1

    def __init__(self, weeks: int = 8, *, statistic: str = "median") -> None:
        if statistic not in ("median", "mean"):
            raise ValueError(f"statistic must be 'median' or 'mean', got {statistic!r}")
        self.weeks = weeks
        self.statistic = statistic

    @property
    def name(self) -> str:
        return f"{self.statistic}_{self.weeks}w"

    def fit(self, y: pd.Series) -> Self:
        """The centre of each slot of the week over the last `weeks` weeks, and its spread."""
        index = pd.DatetimeIndex(y.index).as_unit("ns")
        self.step_ = step_of(index)
        end = index[-1] + self.step_
        grid = pd.date_range(end - self.weeks * WEEK, end - self.step_, freq=self.step_,
                             unit="ns")
        values = y.astype("float64").set_axis(index).reindex(grid).to_numpy()
        order = np.argsort(slot_of_week(grid, EPOCH_MONDAY, self.step_), kind="stable")
        matrix = values[order].reshape(-1, self.weeks).T  # weeks x slots of the week
        known = np.isfinite(matrix).sum(axis=0)
        enough = known >= max(1, self.weeks // 4)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-unknown slots: closed
            centre = np.nanmedian(matrix, axis=0) if self.statistic == "median" else np.nanmean(
                matrix, axis=0)
        self.centre_ = np.where(enough, np.nan_to_num(centre), 0.0)
        inflate = np.sqrt(1.0 + (1.57 if self.statistic == "median" else 1.0) / self.weeks)
        z_lo, z_hi = scaled_quantiles(matrix.ravel(), np.tile(self.centre_, self.weeks))
        self.z_lo_, self.z_hi_ = z_lo * inflate, z_hi * inflate
        return self

    def fresh(self) -> SameSlotAverage:
        return SameSlotAverage(self.weeks, statistic=self.statistic)

    def predict(self, index: pd.DatetimeIndex) -> pd.DataFrame:
        """The slot's centre, with the band from the weekly spread."""
        calls = self.centre_[slot_of_week(index, EPOCH_MONDAY, self.step_)]
        spread = np.sqrt(calls)
        return band_frame(index, calls, self.z_lo_ * spread, self.z_hi_ * spread)
