"""The forecaster contract and the helpers every volume model shares.

Every forecaster stores only settings in `__init__`; `fit(y)` takes the calls of ONE queue on a
regular DatetimeIndex at the planning interval, NaN where nothing is known (gaps, closed
hours, holidays), and returns the fitted model; `predict(index)` returns a DataFrame indexed by
`index` with `calls`, `calls_lo`, `calls_hi` (an 80% band, 0 <= lo <= calls <= hi). An interval
of the week never seen open in the recent history is closed: it is forecast as exactly 0.
"""

from __future__ import annotations

from typing import Protocol, Self

import numpy as np
import pandas as pd

Z80 = 1.2815515655446004  # standard normal quantile of 0.90: a central 80% band
FORECAST_COLUMNS = ("calls", "calls_lo", "calls_hi")
DAY = pd.Timedelta(days=1)
WEEK = pd.Timedelta(days=7)


class Forecaster(Protocol):
    """What the week driver and the backtests need from a volume model.

    `complexity` orders the models for model selection: a tie goes to the lower number.
    """

    @property
    def name(self) -> str: ...

    @property
    def complexity(self) -> int: ...

    def fit(self, y: pd.Series) -> Self: ...

    def predict(self, index: pd.DatetimeIndex) -> pd.DataFrame: ...

    def fresh(self) -> Forecaster:
        """An unfitted copy with the same settings; smoothing weights estimated by a fit are
        kept fixed, so a rolling backtest re-runs the model without re-estimating them."""
        ...


def step_of(index: pd.DatetimeIndex) -> pd.Timedelta:
    """The interval length of a regular index: the smallest gap between its timestamps."""
    if len(index) < 2:
        raise ValueError("a forecaster needs at least two intervals to know the interval length")
    return pd.Timedelta(int(np.diff(index.as_unit("ns").asi8).min()), unit="ns")


def band_frame(index: pd.DatetimeIndex, calls: np.ndarray, half_lo: np.ndarray,
               half_hi: np.ndarray) -> pd.DataFrame:
    """The contract's output: calls with an 80% band, never negative, lo <= calls <= hi."""
    calls = np.maximum(np.nan_to_num(calls), 0.0)
    lo = np.clip(calls - np.maximum(np.nan_to_num(half_lo), 0.0), 0.0, calls)
    hi = np.maximum(calls + np.maximum(np.nan_to_num(half_hi), 0.0), calls)
    return pd.DataFrame({"calls": calls, "calls_lo": lo, "calls_hi": hi}, index=index)


def day_matrix(y: pd.Series, step: pd.Timedelta) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """The series as a days x intervals-of-day matrix (NaN where unknown)."""
    index = pd.DatetimeIndex(y.index).as_unit("ns")
    y = y.set_axis(index)
    slots = int(DAY // step)
    first = index[0].normalize()
    last = index[-1].normalize()
    grid = pd.date_range(first, last + DAY - step, freq=step, unit="ns")
    values = y.astype("float64").reindex(grid).to_numpy()
    days = pd.date_range(first, last, freq="D", unit="ns")
    return days, values.reshape(len(days), slots)




def slot_of_week(index: pd.DatetimeIndex, anchor: pd.Timestamp, step: pd.Timedelta) -> np.ndarray:
    """Position of each interval within the week cycle that `anchor` starts (0 .. slots-1)."""
    slots = int(WEEK // step)
    return np.asarray(((index - anchor) // step), dtype=np.int64) % slots


def open_slots(matrix: np.ndarray, min_share: float = 0.25) -> np.ndarray:
    """A slot of the week is open when it holds data in at least `min_share` of the weeks
    that hold any data on that day of the cycle (closed hours are never seen)."""
    seen = np.isfinite(matrix)
    if not seen.any():
        return np.zeros(matrix.shape[1], dtype=bool)
    return seen.mean(axis=0) >= min_share * seen.any(axis=1).mean()


def scaled_quantiles(now: np.ndarray, reference: np.ndarray,
                     minimum: int = 30) -> tuple[float, float]:
    """Spread of (now - reference) / sqrt(reference): its 10% and 90% points, as positive z.

    Counts vary like Poisson counts, so errors are scaled by sqrt(level); with fewer than
    `minimum` pairs the plain Poisson z of an 80% band is returned.
    """
    known = np.isfinite(now) & np.isfinite(reference) & (reference > 0)
    scaled = (now[known] - reference[known]) / np.sqrt(reference[known])
    if scaled.size < minimum:
        return Z80, Z80
    lo, hi = np.quantile(scaled, [0.10, 0.90])
    return float(max(-lo, 0.0)), float(max(hi, 0.0))
