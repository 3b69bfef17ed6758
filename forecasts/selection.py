"""One queue's call forecast: backtest the candidates, keep the best, calibrate, adjust days.

This is the whole volume procedure for one queue, shared by the weekly plan (with a
workbook) and the stand-alone forecast (without one):
1. days around public holidays are taken out of the training series;
2. every candidate model is backtested one week ahead at the last `origins` week starts;
3. the simplest model that no other beats on both WAPE and MASE is fitted on all history (with
   the smoothing weights it estimated in the backtest);
4. its 80% band is rescaled so that it covered 80% of the backtest's actuals;
5. holidays, their eves and the days after get the learned special-day profile.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasts.backtest import ModelScore, backtest, band_scale, rolling_origins, select
from forecasts.base import step_of
from forecasts.models import candidates
from forecasts.special_days import (
    AFTER,
    EVE,
    HOLIDAY,
    learn_profiles,
    special_day_multiplier,
    training_days_mask,
)

BACKTEST_ORIGINS = 8
BASELINE = "seasonal_naive"


@dataclass(frozen=True, slots=True, kw_only=True)
class CallsForecast:
    """One queue's forecast (calls, calls_lo, calls_hi on the index) and how it was chosen.

    `scores` holds every candidate's backtest; `band_scale` is the factor applied to the chosen
    model's band half-widths; `*_factor` are the whole-day ratios of the special days.
    """

    frame: pd.DataFrame
    model: str
    scores: tuple[ModelScore, ...]
    band_scale: float
    fit_s: float
    holiday_factor: float
    eve_factor: float
    after_factor: float


def forecast_calls(raw: pd.Series, index: pd.DatetimeIndex, holidays: frozenset[dt.date], *,
                   origins: int = BACKTEST_ORIGINS) -> CallsForecast:
    """Forecast one queue's calls on `index` from its history before `index[0]`.

    Args:
        raw: Calls on the planning grid before the forecast, NaN where unknown (gaps) or
            closed; holidays still in.
        index: The intervals to forecast (a regular grid at the same step).
        holidays: Public holiday dates covering the history and the forecast.
        origins: How many past weeks the candidates are backtested on.

    Returns:
        The forecast with its band, and the selection report.
    """
    step = step_of(pd.DatetimeIndex(raw.index))
    y = raw.where(training_days_mask(pd.DatetimeIndex(raw.index), holidays))
    models = candidates()
    trials = backtest(models, y, rolling_origins(y, index[0], origins))
    scores = tuple(t.score for t in trials)
    chosen = select(scores, [m.name for m in models])
    position = [m.name for m in models].index(chosen)
    started = time.perf_counter()
    template = trials[position].last_fit or models[position]  # keeps the backtest's weights
    frame = template.fresh().fit(y).predict(index)
    fit_s = time.perf_counter() - started
    scale = band_scale(trials[position].band_ratios)
    frame = _rescale_band(frame, scale)
    profiles = learn_profiles(raw, holidays, step)
    frame = frame.mul(special_day_multiplier(index, holidays, profiles, step), axis=0)
    return CallsForecast(
        frame=frame, model=chosen, scores=scores, band_scale=scale, fit_s=round(fit_s, 4),
        holiday_factor=profiles[HOLIDAY].day_factor, eve_factor=profiles[EVE].day_factor,
        after_factor=profiles[AFTER].day_factor,
    )


def _rescale_band(frame: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Widen (or narrow) both halves of the band by `scale`, keeping 0 <= lo <= calls <= hi."""
    calls = frame["calls"].to_numpy()
    lo = np.clip(calls - scale * (calls - frame["calls_lo"].to_numpy()), 0.0, calls)
    hi = np.maximum(calls + scale * (frame["calls_hi"].to_numpy() - calls), calls)
    return pd.DataFrame({"calls": calls, "calls_lo": lo, "calls_hi": hi}, index=frame.index)
