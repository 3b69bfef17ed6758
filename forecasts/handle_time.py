"""Handle-time forecast: what one call of a queue takes, per interval of the week.

Agents' call length is not pushed down here: the forecast is the honest recent average.
"""

from __future__ import annotations

from typing import ClassVar, Self

import numpy as np
import pandas as pd

from inputs.domain import InputError

MINUTES_PER_DAY = 1440
NEIGHBOUR_WEIGHT = 0.5  # weight of the interval just before and just after when smoothing


class HandleTimeProfile:
    """Each interval of the week gets the recent call-weighted mean handle time of that interval.

    Uses the last `weeks` weeks of one queue's history, weighted by handled calls (offered
    where handled is unknown), smoothed with the neighbouring intervals of the same day, and
    shrunk toward the queue's mean for that weekday by `shrink_calls` pseudo-calls, so thin
    intervals lean on the day's mean. Intervals never seen fall back to the weekday mean, then
    to the queue's mean over its whole history.
    """

    name: ClassVar[str] = "handle_time_profile"

    def __init__(self, *, interval_minutes: int = 15, weeks: int = 8,
                 shrink_calls: float = 20.0, source: str = "history") -> None:
        self.interval_minutes = interval_minutes
        self.weeks = weeks
        self.shrink_calls = shrink_calls
        self.source = source

    def fit(self, history: pd.DataFrame) -> Self:
        """Learn the weekly handle-time profile from one queue's history rows.

        Raises:
            InputError: the history has no `aht_s` column, or no handle time for this queue.
        """
        aht, weight, stamps = self._usable(history)
        self.overall_ = float(np.average(aht, weights=weight))
        recent = stamps >= stamps.max() - pd.Timedelta(weeks=self.weeks)
        aht, weight, stamps = aht[recent], weight[recent], stamps[recent]
        weekday = np.asarray(stamps.day_of_week)
        minute = np.asarray(stamps.hour * 60 + stamps.minute)
        sums = (
            pd.DataFrame({"weekday": weekday, "minute": minute, "w": weight, "wa": weight * aht})
            .groupby(["weekday", "minute"], sort=True)[["w", "wa"]]
            .sum()
        )
        self.weekday_mean_ = np.full(7, self.overall_)
        keys: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for day, day_sums in sums.groupby(level="weekday"):
            minutes = day_sums.index.get_level_values("minute").to_numpy()
            w, wa = day_sums["w"].to_numpy(), day_sums["wa"].to_numpy()
            mean = wa.sum() / w.sum()
            self.weekday_mean_[int(day)] = mean  # type: ignore[call-overload]
            keys.append(int(day) * MINUTES_PER_DAY + minutes)  # type: ignore[call-overload]
            values.append(self._smooth(minutes, w, wa, mean))
        self.profile_ = pd.Series(
            np.concatenate(values) if values else np.zeros(0),
            index=np.concatenate(keys) if keys else np.zeros(0, dtype=int),
            dtype="float64",
        )
        return self

    def predict(self, index: pd.DatetimeIndex) -> pd.Series:
        """Handle time in seconds (`aht_s`) for each interval start in `index`."""
        weekday = np.asarray(index.day_of_week)
        key = weekday * MINUTES_PER_DAY + np.asarray(index.hour * 60 + index.minute)
        found = self.profile_.reindex(key).to_numpy()
        fallback = self.weekday_mean_[weekday]
        return pd.Series(np.where(np.isfinite(found), found, fallback), index=index, name="aht_s")

    def _usable(self, history: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pd.DatetimeIndex]:
        """Rows with a handle time and calls behind it: (aht_s, weight, interval_start)."""
        queue = _queue_label(history)
        if "aht_s" not in history.columns:
            raise InputError(
                f"{self.source} (column aht_s): missing — the handle-time forecast needs aht_s, "
                "the mean handle time in seconds (talk plus wrap-up) per interval; add it"
            )
        aht = history["aht_s"].to_numpy(dtype="float64", na_value=np.nan)
        weight = _call_weights(history)
        usable = np.isfinite(aht) & (aht >= 0) & (weight > 0)
        if not usable.any():
            raise InputError(
                f"{self.source} (column aht_s): no handle time for queue {queue} — fill aht_s "
                "(mean handle time in seconds, talk plus wrap-up) on intervals with calls"
            )
        stamps = pd.DatetimeIndex(history["interval_start"])[usable]
        return aht[usable], weight[usable], stamps

    def _smooth(self, minutes: np.ndarray, w: np.ndarray, wa: np.ndarray,
                mean: float) -> np.ndarray:
        """Pool each interval with its neighbours, then shrink toward the weekday mean."""
        distance = np.abs(minutes[:, None] - minutes[None, :])
        neighbour = distance <= self.interval_minutes
        kernel = np.where(distance == 0, 1.0, np.where(neighbour, NEIGHBOUR_WEIGHT, 0.0))
        pooled_w, pooled_wa = kernel @ w, kernel @ wa
        return (pooled_wa + self.shrink_calls * mean) / (pooled_w + self.shrink_calls)


def _call_weights(history: pd.DataFrame) -> np.ndarray:
    """Handled calls per row, offered where handled is unknown, else 1."""
    weight = np.full(len(history), np.nan)
    for column in ("handled", "offered"):
        if column in history.columns:
            values = history[column].to_numpy(dtype="float64", na_value=np.nan)
            weight = np.where(np.isfinite(weight), weight, values)
    return np.where(np.isfinite(weight), weight, 1.0)


def _queue_label(history: pd.DataFrame) -> str:
    if "queue" in history.columns and len(history):
        names = sorted({str(q) for q in history["queue"].unique()})
        return ", ".join(repr(q) for q in names)
    return "(unnamed)"
