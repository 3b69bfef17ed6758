"""Interval call-volume forecasters behind one fit/predict contract (statsforecast-like).

Every forecaster stores only settings in `__init__`; `fit(y)` takes the calls of ONE queue on a
regular DatetimeIndex at the planning interval, NaN where nothing is known (gaps, closed
hours, holidays), and returns the fitted model; `predict(index)` returns a DataFrame indexed by
`index` with `calls`, `calls_lo`, `calls_hi` (an 80% band, 0 <= lo <= calls <= hi).
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar, Protocol, Self

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

Z80 = 1.2815515655446004  # standard normal quantile of 0.90: a central 80% band
FORECAST_COLUMNS = ("calls", "calls_lo", "calls_hi")
DAY = pd.Timedelta(days=1)


class Forecaster(Protocol):
    """What the week driver and the backtests need from a volume model."""

    name: ClassVar[str]

    def fit(self, y: pd.Series) -> Self: ...

    def predict(self, index: pd.DatetimeIndex) -> pd.DataFrame: ...


def _step_of(index: pd.DatetimeIndex) -> pd.Timedelta:
    """The interval length of a regular index: the smallest gap between its timestamps."""
    if len(index) < 2:
        raise ValueError("a forecaster needs at least two intervals to know the interval length")
    return pd.Timedelta(int(np.diff(index.as_unit("ns").asi8).min()), unit="ns")


def _band_frame(index: pd.DatetimeIndex, calls: np.ndarray, half_lo: np.ndarray,
                half_hi: np.ndarray) -> pd.DataFrame:
    """The contract's output: calls with an 80% band, never negative, lo <= calls <= hi."""
    calls = np.maximum(np.nan_to_num(calls), 0.0)
    lo = np.clip(calls - np.maximum(half_lo, 0.0), 0.0, calls)
    hi = np.maximum(calls + np.maximum(half_hi, 0.0), calls)
    return pd.DataFrame({"calls": calls, "calls_lo": lo, "calls_hi": hi}, index=index)


class SeasonalNaive:
    """Each interval gets the calls of the same interval one season earlier (the baseline).

    Where that interval is unknown (a gap, a holiday), the model goes back one more season, up
    to `max_seasons`; an interval never seen (a closed hour) is forecast as 0. The band comes
    from the empirical distribution of season-on-season differences, scaled by
    sqrt(calls) (counts vary like Poisson counts), or plain Poisson noise when there are too
    few differences to estimate it.
    """

    name: ClassVar[str] = "seasonal_naive"

    def __init__(self, season_days: int = 7, *, max_seasons: int = 52,
                 min_differences: int = 30) -> None:
        self.season_days = season_days
        self.max_seasons = max_seasons
        self.min_differences = min_differences

    def fit(self, y: pd.Series) -> Self:
        """Remember the history and the spread of season-on-season changes."""
        index = pd.DatetimeIndex(y.index).as_unit("ns")
        self.step_ = _step_of(index)
        grid = pd.date_range(index[0], index[-1], freq=self.step_, unit="ns")
        self.values_ = y.astype("float64").set_axis(index).reindex(grid).to_numpy()
        self.origin_ = grid[0]
        lag = int(pd.Timedelta(days=self.season_days) // self.step_)
        now, earlier = self.values_[lag:], self.values_[:-lag]
        known = np.isfinite(earlier) & np.isfinite(now) & (earlier > 0)
        scaled = (now[known] - earlier[known]) / np.sqrt(earlier[known])
        if scaled.size >= self.min_differences:
            lo, hi = np.quantile(scaled, [0.10, 0.90])
            self.z_lo_, self.z_hi_ = float(max(-lo, 0.0)), float(max(hi, 0.0))
        else:
            self.z_lo_, self.z_hi_ = Z80, Z80
        return self

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
        return _band_frame(index, calls, self.z_lo_ * spread, self.z_hi_ * spread)


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
        self.step_ = _step_of(pd.DatetimeIndex(y.index))
        days, matrix = _day_matrix(y, self.step_)
        keep = slice(max(len(days) - self.train_days, 0), None)
        days, matrix = days[keep], matrix[keep]
        observed_days = np.isfinite(matrix).any(axis=1)
        if not observed_days.any():
            raise ValueError("TopDownETS.fit: the series holds no observed interval")
        first = int(np.argmax(observed_days))
        days, matrix = days[first:], matrix[first:]
        weekday = np.asarray(days.day_of_week)
        self.open_weekdays_ = _open_weekdays(matrix, weekday)
        self.profile_ = _profiles(matrix, weekday, self.open_weekdays_, self.profile_weeks,
                                  self.shrink_days)
        totals = _daily_totals(matrix, weekday, self.profile_, self.open_weekdays_)
        daily_index = pd.date_range(days[0], periods=len(days), freq="D", unit="ns")
        self.daily_ = pd.Series(_impute_by_weekday(totals, weekday), index=daily_index)
        self.ets_ = self._fit_ets(self.daily_) if len(days) >= self.min_ets_days else None
        return self

    @property
    def ets_params_(self) -> tuple[float, ...] | None:
        """The fitted smoothing parameters (alpha, beta, gamma, phi), to pass as fixed_params."""
        if self.ets_ is None or self.ets_.model.initialization_method != "heuristic":
            return None
        return tuple(float(p) for p in self.ets_.params)

    def _fit_ets(self, daily: pd.Series) -> Any:
        """ETS(A,Ad,A) on the daily totals; None when neither initialization works.

        The heuristic initialization (from the first seasons) comes first: it is fast and
        keeps a poorly estimated start from inflating the residual variance. With
        `fixed_params` the parameters are not estimated, only the states are run through.
        """
        for initialization in ("heuristic", "estimated"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    model = ETSModel(daily, error="add", trend="add", damped_trend=True,
                                     seasonal="add", seasonal_periods=7,
                                     initialization_method=initialization)
                    if self.fixed_params is not None and initialization == "heuristic":
                        return model.smooth(np.asarray(self.fixed_params))
                    return model.fit(disp=False)
                except (ValueError, np.linalg.LinAlgError):
                    continue
        return None

    def daily_forecast(self, days: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation of the total calls of each day in `days`."""
        origin = self.daily_.index[0]
        position = np.asarray((days - origin) // DAY, dtype=int)
        if (position < 0).any():
            raise ValueError(f"TopDownETS.predict: days before the history start {origin}")
        mean = sigma = None
        if self.ets_ is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                frame = self.ets_.get_prediction(
                    start=int(position.min()), end=int(position.max())
                ).summary_frame(alpha=0.2)
            offset = position - position.min()
            mean = frame["mean"].to_numpy()[offset]
            sigma = (frame["pi_upper"] - frame["pi_lower"]).to_numpy()[offset] / (2 * Z80)
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
        if len(index) > 1 and _step_of(index) != self.step_:
            raise ValueError(f"TopDownETS.predict: index step differs from the fitted {self.step_}")
        days = index.normalize()
        unique_days, position = np.unique(days, return_inverse=True)
        day_mean, day_sigma = self.daily_forecast(pd.DatetimeIndex(unique_days))
        slot = np.asarray((index - days) // self.step_, dtype=int)
        share = self.profile_[np.asarray(index.day_of_week), slot]
        calls = day_mean[position] * share
        spread = Z80 * np.sqrt((share * day_sigma[position]) ** 2 + calls)
        return _band_frame(index, calls, spread, spread)


def _day_matrix(y: pd.Series, step: pd.Timedelta) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """The series as a days x intervals-of-day matrix (NaN where unknown)."""
    index = pd.DatetimeIndex(y.index).as_unit("ns")
    y = y.set_axis(index)
    slots = int(DAY // step)
    first = index[0].normalize()
    last = index[-1].normalize()
    grid = pd.date_range(first, last + DAY - step, freq=step, unit="ns")
    values = y.astype("float64").reindex(grid).to_numpy()
    days = pd.date_range(first, last, freq="D")
    return days, values.reshape(len(days), slots)


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
