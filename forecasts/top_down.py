"""The top-down model: daily totals by ETS, split over the day by an intraday profile.

Daily totals carry the trend and the weekday effects well (few, large counts); the intraday
shape is stable from week to week, so it is estimated from recent weeks and shrunk toward the
average weekday shape.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from forecasts.base import DAY, Z80, band_frame, day_matrix, step_of


class TopDownETS:
    """Daily totals from an ETS model, split over the day by a per-weekday intraday profile.

    Daily totals: statsmodels `ETSModel` (additive error, damped additive trend, additive
    weekly seasonality over calendar days) on the last `train_days` days; weekdays with no
    data in most weeks are closed (0), other unknown days (holidays, gaps) are imputed from
    the same weekday of the previous weeks. Profile: each weekday's share of the day's calls
    per interval, averaged over its last `profile_weeks` complete days and shrunk toward the
    average weekday profile by `shrink_days` pseudo-days. Band: the ETS daily interval scaled
    by the profile, plus Poisson noise at the interval.
    """

    name: ClassVar[str] = "top_down_ets"
    complexity: ClassVar[int] = 2

    def __init__(self, *, train_days: int = 364, profile_weeks: int = 8,
                 shrink_days: float = 2.0, min_ets_days: int = 28,
                 fixed_params: tuple[float, ...] | None = None) -> None:
        self.train_days = train_days
        self.profile_weeks = profile_weeks
        self.shrink_days = shrink_days
        self.min_ets_days = min_ets_days
        self.fixed_params = fixed_params  # smoothing parameters to reuse instead of estimating

    def fit(self, y: pd.Series) -> Self:
        """Learn the intraday profiles, the daily totals and the ETS model on them."""
        self.step_, days, matrix = training_days(y, self.train_days, "TopDownETS")
        weekday = np.asarray(days.day_of_week)
        self.open_weekdays_ = _open_weekdays(matrix, weekday)
        self.profile_ = _profiles(matrix, weekday, self.open_weekdays_, self.profile_weeks,
                                  self.shrink_days)
        totals = _daily_totals(matrix, weekday, self.profile_, self.open_weekdays_)
        daily_index = pd.date_range(days[0], periods=len(days), freq="D", unit="ns")
        self.daily_ = pd.Series(_impute_by_weekday(totals, weekday), index=daily_index)
        long_enough = len(days) >= self.min_ets_days
        self.ets_ = fit_daily_ets(self.daily_, self.fixed_params) if long_enough else None
        return self

    def fresh(self) -> TopDownETS:
        fitted = self.ets_params_ if hasattr(self, "ets_") else None
        return TopDownETS(train_days=self.train_days, profile_weeks=self.profile_weeks,
                          shrink_days=self.shrink_days, min_ets_days=self.min_ets_days,
                          fixed_params=fitted or self.fixed_params)

    @property
    def ets_params_(self) -> tuple[float, ...] | None:
        """The fitted smoothing parameters (alpha, beta, gamma, phi), to pass as fixed_params."""
        return ets_params(self.ets_)

    def daily_forecast(self, days: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation of the total calls of each day in `days`."""
        origin = self.daily_.index[0]
        position = np.asarray((days - origin) // DAY, dtype=int)
        if (position < 0).any():
            raise ValueError(f"TopDownETS.predict: days before the history start {origin}")
        mean, sigma = ets_daily(self.ets_, position)
        if mean is None or sigma is None or not np.all(np.isfinite(mean) & np.isfinite(sigma)):
            mean, sigma = self._weekday_means(days)
        open_day = self.open_weekdays_[np.asarray(days.day_of_week)]
        return np.where(open_day, np.maximum(mean, 0.0), 0.0), np.where(open_day, sigma, 0.0)

    def _weekday_means(self, days: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
        """Fallback for short or degenerate histories: the last 4 same-weekday totals."""
        weekday = np.asarray(pd.DatetimeIndex(self.daily_.index).day_of_week)
        values = self.daily_.to_numpy()
        means, sigmas = np.zeros(7), np.zeros(7)
        for w in range(7):
            recent = values[weekday == w][-4:]
            if recent.size:
                means[w] = recent.mean()
                sigmas[w] = recent.std(ddof=1) if recent.size > 1 else np.sqrt(recent.mean())
        target = np.asarray(days.day_of_week)
        return means[target], sigmas[target]

    def predict(self, index: pd.DatetimeIndex) -> pd.DataFrame:
        """Daily forecast x profile share per interval, with the combined 80% band."""
        return spread_by_profile(index, self.step_, self.profile_, self.daily_forecast,
                                 "TopDownETS")


def training_days(y: pd.Series, train_days: int,
                  who: str) -> tuple[pd.Timedelta, pd.DatetimeIndex, np.ndarray]:
    """The series as days x intervals over its last `train_days` days, from the first day
    with data; with the series' step."""
    step = step_of(pd.DatetimeIndex(y.index))
    days, matrix = day_matrix(y, step)
    keep = slice(max(len(days) - train_days, 0), None)
    days, matrix = days[keep], matrix[keep]
    observed = np.isfinite(matrix).any(axis=1)
    if not observed.any():
        raise ValueError(f"{who}.fit: the series holds no observed interval")
    first = int(np.argmax(observed))
    return step, days[first:], matrix[first:]


def spread_by_profile(index: pd.DatetimeIndex, step: pd.Timedelta, profile: np.ndarray,
                      daily_forecast: Callable[[pd.DatetimeIndex],
                                               tuple[np.ndarray, np.ndarray]],
                      who: str) -> pd.DataFrame:
    """Each day's forecast total x its weekday's share per interval, with an 80% band from
    the day's spread and Poisson noise."""
    if len(index) > 1 and step_of(index) != step:
        raise ValueError(f"{who}.predict: index step differs from the fitted {step}")
    days = index.normalize()
    unique_days, position = np.unique(days, return_inverse=True)
    day_mean, day_sigma = daily_forecast(pd.DatetimeIndex(unique_days))
    slot = np.asarray((index - days) // step, dtype=int)
    share = profile[np.asarray(index.day_of_week), slot]
    calls = day_mean[position] * share
    spread = Z80 * np.sqrt((share * day_sigma[position]) ** 2 + calls)
    return band_frame(index, calls, spread, spread)


def _open_weekdays(matrix: np.ndarray, weekday: np.ndarray) -> np.ndarray:
    """A weekday is open when at least half of its days in the window hold data."""
    has_data = np.isfinite(matrix).any(axis=1)
    open_days = np.zeros(7, dtype=bool)
    for w in range(7):
        mine = has_data[weekday == w]
        open_days[w] = mine.size > 0 and mine.mean() >= 0.5
    return open_days


def _profiles(matrix: np.ndarray, weekday: np.ndarray, open_weekdays: np.ndarray,
              weeks: int, shrink_days: float) -> np.ndarray:
    """Share of the day's calls per interval for each weekday (7 x slots; rows sum to 1 or 0).

    A weekday's open intervals are those seen in its last `weeks` days with data; its raw
    profile averages the shares of the complete days among them, and is shrunk toward the
    average weekday profile restricted to its own open intervals.
    """
    slots = matrix.shape[1]
    raw, count, open_slots = np.zeros((7, slots)), np.zeros(7), np.zeros((7, slots), bool)
    for w in np.flatnonzero(open_weekdays):
        recent = matrix[(weekday == w) & np.isfinite(matrix).any(axis=1)][-weeks:]
        open_slots[w] = np.isfinite(recent).any(axis=0)
        complete = recent[np.isfinite(recent[:, open_slots[w]]).all(axis=1)]
        totals = np.nansum(complete, axis=1)
        complete = complete[totals > 0]
        if len(complete):
            raw[w] = np.nanmean(np.nan_to_num(complete) / np.nansum(complete, axis=1)[:, None],
                                axis=0)
            count[w] = len(complete)
    average = raw[count > 0].mean(axis=0) if (count > 0).any() else np.zeros(slots)
    profile = np.zeros((7, slots))
    for w in np.flatnonzero(open_weekdays):
        prior = np.where(open_slots[w], average, 0.0)
        prior = prior / prior.sum() if prior.sum() > 0 else open_slots[w] / open_slots[w].sum()
        profile[w] = (count[w] * raw[w] + shrink_days * prior) / (count[w] + shrink_days)
    return profile


def _daily_totals(matrix: np.ndarray, weekday: np.ndarray, profile: np.ndarray,
                  open_weekdays: np.ndarray) -> np.ndarray:
    """Each day's calls, scaled up for missing intervals; NaN when under half the day is seen."""
    observed = np.isfinite(matrix)
    covered = (profile[weekday] * observed).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        totals = np.where(covered >= 0.5, np.nansum(matrix, axis=1) / covered, np.nan)
    return np.where(open_weekdays[weekday], totals, 0.0)


def _impute_by_weekday(totals: np.ndarray, weekday: np.ndarray, depth: int = 3) -> np.ndarray:
    """Unknown days take the mean of the last `depth` known same-weekday totals (else the next)."""
    filled = totals.copy()
    for w in range(7):
        rows = np.flatnonzero(weekday == w)
        values = totals[rows]
        known = np.flatnonzero(np.isfinite(values))
        for i in np.flatnonzero(~np.isfinite(values)):
            before = known[known < i][-depth:]
            after = known[known > i][:1]
            source = before if before.size else after
            filled[rows[i]] = values[source].mean() if source.size else 0.0
    return filled


def fit_daily_ets(daily: pd.Series, fixed_params: tuple[float, ...] | None = None) -> Any:
    """ETS(A,Ad,A) with weekly seasonality on daily totals; None when no initialization works.

    The heuristic initialization (from the first seasons) comes first: it is fast and keeps a
    poorly estimated start from inflating the residual variance. With `fixed_params` the
    parameters are not estimated, only the states are run through.
    """
    for initialization in ("heuristic", "estimated"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                model = ETSModel(daily, error="add", trend="add", damped_trend=True,
                                 seasonal="add", seasonal_periods=7,
                                 initialization_method=initialization)
                if fixed_params is not None and initialization == "heuristic":
                    return model.smooth(np.asarray(fixed_params))
                return model.fit(disp=False)
            except (ValueError, np.linalg.LinAlgError):
                continue
    return None


def ets_daily(ets: Any, position: np.ndarray, *,
              mean_only: bool = False) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Mean and standard deviation of the fitted ETS at day positions (from the series start);
    (None, None) without a model, and no standard deviation when `mean_only` (faster)."""
    if ets is None:
        return None, None
    if mean_only:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mean = np.asarray(ets.predict(start=int(position.min()), end=int(position.max())))
        return mean[position - position.min()], None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = ets.get_prediction(start=int(position.min()), end=int(position.max())
                                   ).summary_frame(alpha=0.2)
    offset = position - position.min()
    mean = frame["mean"].to_numpy()[offset]
    sigma = (frame["pi_upper"] - frame["pi_lower"]).to_numpy()[offset] / (2 * Z80)
    return mean, sigma


def ets_params(ets: Any) -> tuple[float, ...] | None:
    """The smoothing parameters of a heuristic-initialized fit, to reuse as fixed_params."""
    if ets is None or ets.model.initialization_method != "heuristic":
        return None
    return tuple(float(p) for p in ets.params)
