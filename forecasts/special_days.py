"""Days around public holidays: kept out of the models' training, forecast by their own profile.

A holiday, the eve before it and the first day after it do not behave like a normal day of
their weekday (shorter hours, fewer calls, callers who come back). Each kind is learned from
its past occurrences as a ratio to the normal days around it (the same weekday one and two
weeks before and after), per time of day, shrunk toward the kind's whole-day ratio; a normal
forecast times that ratio profile gives the special day.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasts.base import day_matrix

HOLIDAY, EVE, AFTER = "holiday", "eve", "after"
KINDS = (HOLIDAY, EVE, AFTER)
DEFAULT_FACTOR = {HOLIDAY: 0.5, EVE: 1.0, AFTER: 1.0}  # with no past occurrence to learn from
SHRINK_OCCURRENCES = 2.0
NEIGHBOUR_WEEKS = (-2, -1, 1, 2)


@dataclass(frozen=True, slots=True, kw_only=True)
class SpecialDayProfile:
    """Calls on one kind of special day relative to a normal day, whole day and per slot."""

    kind: str
    day_factor: float
    slot_factor: np.ndarray  # one ratio per interval of the day
    occurrences: int


def day_kinds(days: pd.DatetimeIndex, holidays: frozenset[dt.date]) -> np.ndarray:
    """Each day's kind: "holiday", "eve" (the day before one), "after" (the day after), or ""."""
    dates = [d.date() for d in days]
    kinds = np.full(len(dates), "", dtype=object)
    for i, day in enumerate(dates):
        if day in holidays:
            kinds[i] = HOLIDAY
        elif day + dt.timedelta(days=1) in holidays:
            kinds[i] = EVE
        elif day - dt.timedelta(days=1) in holidays:
            kinds[i] = AFTER
    return kinds


def interval_kinds(index: pd.DatetimeIndex, holidays: frozenset[dt.date]) -> np.ndarray:
    """`day_kinds` for every interval of `index`."""
    days, position = np.unique(index.normalize(), return_inverse=True)
    return day_kinds(pd.DatetimeIndex(days), holidays)[position.ravel()]


def learn_profiles(raw: pd.Series, holidays: frozenset[dt.date],
                   step: pd.Timedelta) -> dict[str, SpecialDayProfile]:
    """Learn each kind's ratio profile from the raw calls (NaN where unknown or closed)."""
    days, matrix = day_matrix(raw, step)
    kinds = day_kinds(days, holidays)
    normal = np.where((kinds == "")[:, None], matrix, np.nan)
    slots = matrix.shape[1]
    profiles = {}
    for kind in KINDS:
        actual, expected, count = np.zeros(slots), np.zeros(slots), 0
        for i in np.flatnonzero(kinds == kind):
            rows = [i + 7 * k for k in NEIGHBOUR_WEEKS if 0 <= i + 7 * k < len(days)]
            if not rows or not np.isfinite(matrix[i]).any():
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # no normal neighbour there
                around = np.nanmean(normal[rows], axis=0)
            both = np.isfinite(around) & np.isfinite(matrix[i])
            if not both.any() or around[both].sum() <= 0:
                continue
            actual += np.where(both, matrix[i], 0.0)
            expected += np.where(both, around, 0.0)
            count += 1
        profiles[kind] = _profile(kind, actual, expected, count)
    return profiles


def _profile(kind: str, actual: np.ndarray, expected: np.ndarray, count: int) -> SpecialDayProfile:
    """Whole-day ratio, and per-slot ratios shrunk toward it by SHRINK_OCCURRENCES days."""
    if count == 0 or expected.sum() <= 0:
        factor = DEFAULT_FACTOR[kind]
        return SpecialDayProfile(kind=kind, day_factor=factor,
                                 slot_factor=np.full(actual.size, factor), occurrences=0)
    factor = float(np.clip(actual.sum() / expected.sum(), 0.0, 3.0))
    with np.errstate(all="ignore"):
        raw = np.where(expected > 0, actual / expected, factor)
    weight = np.where(expected > 0, float(count), 0.0)
    slot = (weight * raw + SHRINK_OCCURRENCES * factor) / (weight + SHRINK_OCCURRENCES)
    return SpecialDayProfile(kind=kind, day_factor=factor, slot_factor=np.clip(slot, 0.0, 3.0),
                             occurrences=count)


def special_day_multiplier(index: pd.DatetimeIndex, holidays: frozenset[dt.date],
                           profiles: dict[str, SpecialDayProfile],
                           step: pd.Timedelta) -> np.ndarray:
    """The factor on each interval's normal forecast: 1 on normal days, the profile otherwise."""
    kinds = interval_kinds(index, holidays)
    slot = np.asarray((index - index.normalize()) // step, dtype=np.int64)
    factor = np.ones(len(index))
    for kind, profile in profiles.items():
        hit = kinds == kind
        factor[hit] = profile.slot_factor[slot[hit]]
    return factor


def training_days_mask(index: pd.DatetimeIndex, holidays: frozenset[dt.date]) -> np.ndarray:
    """True on the intervals of normal days, the only ones the models learn from."""
    return interval_kinds(index, holidays) == ""
