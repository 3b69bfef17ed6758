"""Rolling-origin backtests: how each model did one week ahead, and which one a queue gets.

At each origin (a week start) every model is fitted on the history before it and scored on the
week's known intervals (closed hours, holidays and gaps are NaN and not scored):
- WAPE = sum |actual - forecast| / sum actual, pooled over the origins;
- MASE = mean |actual - forecast| / mean |y_t - y_(t-1 week)| in the 8 weeks before the
  origin, averaged over the origins (below 1: better than last week's calls in-sample);
- band coverage = share of actuals inside [calls_lo, calls_hi] (the goal is 80%).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasts.base import WEEK, Forecaster
from forecasts.combination import Combination, combine

TIE_TOLERANCE = 0.01  # a model must beat a simpler one by more than 1% on WAPE and MASE
MIN_TRAIN = 2 * WEEK
BAND_TARGET = 0.80
BAND_SCALE_LIMITS = (0.5, 4.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelScore:
    """One model's one-week-ahead backtest over `weeks` origins (None: nothing scored)."""

    model: str
    wape: float | None
    mase: float | None
    band_coverage: float | None
    fit_s: float  # mean seconds to fit and predict one origin
    weeks: int


@dataclass(frozen=True, slots=True)
class Trial:
    """A model's backtest: its score, the band ratios |error| / band half-width, and the model
    as fitted at the last origin (None for a combination of cached members), whose `fresh()`
    keeps the smoothing weights estimated in the backtest."""

    score: ModelScore
    band_ratios: np.ndarray
    last_fit: Forecaster | None = None


def rolling_origins(y: pd.Series, week_start: pd.Timestamp, count: int) -> list[pd.Timestamp]:
    """The last `count` week starts before `week_start` with a known interval and >= 2 weeks
    of known history before them, oldest first."""
    known = pd.DatetimeIndex(y.index[y.notna().to_numpy()])
    if known.empty:
        return []
    first, last = known[0], known[-1]
    origins: list[pd.Timestamp] = []
    start = week_start - WEEK
    while len(origins) < count and start - MIN_TRAIN >= first:
        if start <= last:
            origins.append(start)
        start -= WEEK
    return sorted(origins)


def backtest(models: Sequence[Forecaster], y: pd.Series,
             origins: Sequence[pd.Timestamp]) -> list[Trial]:
    """Score every model at every origin; a combination reuses its members' forecasts."""
    weeks = [_week(y, o) for o in origins]
    scales = [_naive_scale(y[y.index < o]) for o in origins]
    cache: dict[str, tuple[list[pd.DataFrame], float]] = {}
    trials = []
    for model in models:
        if isinstance(model, Combination) and all(m.name in cache for m in model.members):
            parts = [cache[m.name] for m in model.members]
            frames = [combine([p[0][i] for p in parts]) for i in range(len(origins))]
            seconds, last_fit = sum(p[1] for p in parts), None
        else:
            frames, seconds, last_fit = _run(model, y, origins, weeks)
        cache[model.name] = (frames, seconds)
        trials.append(_score(model.name, frames, weeks, scales, seconds, last_fit))
    return trials


def _week(y: pd.Series, origin: pd.Timestamp) -> pd.Series:
    return y[(y.index >= origin) & (y.index < origin + WEEK)].dropna()


def _run(model: Forecaster, y: pd.Series, origins: Sequence[pd.Timestamp],
         weeks: Sequence[pd.Series]) -> tuple[list[pd.DataFrame], float, Forecaster | None]:
    """Fit at each origin (weights estimated at the first, then reused) and predict its week;
    also returns the model fitted at the last origin (None when nothing was fitted)."""
    frames = []
    started = time.perf_counter()
    current, last_fit = model, None
    for origin, week in zip(origins, weeks, strict=True):
        train = y[y.index < origin]
        if week.empty or not train.notna().any():
            frames.append(pd.DataFrame(columns=["calls", "calls_lo", "calls_hi"], dtype=float))
            continue
        fitted = current.fresh().fit(train)
        frames.append(fitted.predict(pd.DatetimeIndex(week.index)))
        current = last_fit = fitted
    seconds = (time.perf_counter() - started) / max(len(origins), 1)
    return frames, seconds, last_fit


def _naive_scale(train: pd.Series, weeks: int = 8) -> float:
    """Mean |y_t - y_(t-1 week)| over the last `weeks` weeks of known pairs (MASE's scale)."""
    if train.empty:
        return float("nan")
    recent = train[train.index >= train.index[-1] - weeks * WEEK]
    lagged = train.reindex(recent.index - WEEK).to_numpy()
    diffs = np.abs(recent.to_numpy() - lagged)
    diffs = diffs[np.isfinite(diffs)]
    return float(diffs.mean()) if diffs.size and diffs.mean() > 0 else float("nan")


def _score(name: str, frames: Sequence[pd.DataFrame], weeks: Sequence[pd.Series],
           scales: Sequence[float], seconds: float,
           last_fit: Forecaster | None = None) -> Trial:
    errors = actual = 0.0
    mases, inside, ratios = [], [], []
    for frame, week, scale in zip(frames, weeks, scales, strict=True):
        if week.empty or frame.empty:
            continue
        a = week.to_numpy()
        f, lo, hi = (frame[c].to_numpy() for c in ("calls", "calls_lo", "calls_hi"))
        errors += float(np.abs(a - f).sum())
        actual += float(a.sum())
        if np.isfinite(scale):
            mases.append(float(np.abs(a - f).mean()) / scale)
        inside.append((a >= lo - 1e-9) & (a <= hi + 1e-9))
        ratios.append(band_ratios(a, f, lo, hi))
    scored = len(inside)
    score = ModelScore(
        model=name,
        wape=errors / actual if actual > 0 else None,
        mase=float(np.mean(mases)) if mases else None,
        band_coverage=float(np.concatenate(inside).mean()) if inside else None,
        fit_s=round(seconds, 4),
        weeks=scored,
    )
    return Trial(score=score, band_ratios=np.concatenate(ratios) if ratios else np.zeros(0),
                 last_fit=last_fit)


def band_ratios(actual: np.ndarray, calls: np.ndarray, lo: np.ndarray,
                hi: np.ndarray) -> np.ndarray:
    """|error| / the band half-width on the error's side (inf when that half-width is 0)."""
    error = actual - calls
    half = np.where(error > 0, hi - calls, calls - lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(error == 0, 0.0, np.abs(error) / half)


def band_scale(ratios: np.ndarray, minimum: int = 50) -> float:
    """The factor that makes the backtest's bands cover 80% (1.0 with too few points)."""
    if ratios.size < minimum:
        return 1.0
    low, high = BAND_SCALE_LIMITS
    return float(np.clip(np.quantile(ratios, BAND_TARGET), low, high))


def select(scores: Sequence[ModelScore], order: Sequence[str]) -> str:
    """The simplest model (earliest in `order`) that no other model beats by more than 1% on
    both WAPE and MASE; the first of `order` when nothing was scored."""
    scored = {s.model: s for s in scores if s.wape is not None}
    if not scored:
        return order[0]

    def beats(a: ModelScore, b: ModelScore) -> bool:
        margin = 1 + TIE_TOLERANCE
        better_mase = a.mase is None or b.mase is None or a.mase * margin < b.mase
        return a.wape is not None and b.wape is not None and a.wape * margin < b.wape \
            and better_mase

    eligible = [n for n in order if n in scored
                and not any(beats(other, scored[n]) for other in scored.values())]
    return eligible[0] if eligible else next(n for n in order if n in scored)
