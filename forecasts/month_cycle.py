"""The month cycle of daily calls: busier days around the turn of the month, quieter ones later.

Bank and government call centers see more calls when salaries, pensions, statements and bills
land (the first days of the month) and fewer in the weeks after; on both real banks in
`../shared/data` the first business days run 10-40% above a normal day of their weekday. The
effect is learned from the history as the log ratio of each day's total to the median of the
same weekday in the surrounding weeks (which holds the level and the weekday, not the month
position), smoothed over the position in the month with a Gaussian kernel and shrunk toward
no effect when few days lie near a position.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

MEAN_MONTH_DAYS = 365.25 / 12


@dataclass(frozen=True, slots=True, kw_only=True)
class MonthCycle:
    """Learned log ratios of daily totals by month phase; `factor` reads the smoothed cycle.

    `phases` and `log_ratios` are the training days' month phases and log ratios to a normal
    day of their weekday; `bandwidth_days` is the kernel's standard deviation in days and
    `shrink` the kernel weight of the pseudo-observations at ratio 1.
    """

    phases: np.ndarray
    log_ratios: np.ndarray
    bandwidth_days: float
    shrink: float

    def factor(self, days: pd.DatetimeIndex) -> np.ndarray:
        """Each day's expected calls relative to a normal day of its weekday (1: no effect)."""
        if self.phases.size == 0:
            return np.ones(len(days))
        distance = circular_days(month_phase(days)[:, None], self.phases[None, :])
        weight = np.exp(-0.5 * (distance / self.bandwidth_days) ** 2)
        log_factor = (weight @ self.log_ratios) / (weight.sum(axis=1) + self.shrink)
        return np.asarray(np.exp(log_factor))


def month_phase(days: pd.DatetimeIndex) -> np.ndarray:
    """Position of each day in its month, from 0 (the 1st) up to just under 1 (the last day)."""
    days = pd.DatetimeIndex(days)
    return (np.asarray(days.day, dtype=float) - 1.0) / np.asarray(days.days_in_month)


def circular_days(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance in days between month phases, going round the turn of the month."""
    gap = np.abs(a - b) % 1.0
    return np.minimum(gap, 1.0 - gap) * MEAN_MONTH_DAYS


def learn_month_cycle(days: pd.DatetimeIndex, totals: np.ndarray, *, window_weeks: int = 4,
                      bandwidth_days: float = 1.5, shrink: float = 2.0,
                      min_neighbours: int = 2) -> MonthCycle:
    """Learn the month cycle from consecutive days' totals (NaN: unknown, 0: closed).

    Args:
        days: Consecutive calendar days.
        totals: Each day's total calls, NaN where unknown (gaps, holidays).
        window_weeks: A day is compared with the same weekday up to this many weeks before
            and after it (the median of those, at least `min_neighbours` of them).
        bandwidth_days: Standard deviation of the Gaussian kernel over the month, in days.
        shrink: Kernel weight of "no effect" at every position: thin evidence stays near 1.
        min_neighbours: Fewest known neighbours a day needs to be compared.

    Returns:
        The learned cycle (no effect when no day could be compared).
    """
    totals = np.asarray(totals, dtype=float)
    n = totals.size
    shifted = np.full((2 * window_weeks, n), np.nan)
    weeks = (*range(-window_weeks, 0), *range(1, window_weeks + 1))
    for row, k in enumerate(weeks):
        lag = 7 * k  # row holds the total of the same weekday k weeks away
        if abs(lag) >= n:
            continue
        if lag < 0:
            shifted[row, -lag:] = totals[: n + lag]
        else:
            shifted[row, : n - lag] = totals[lag:]
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # days without neighbours
        shifted[~(shifted > 0)] = np.nan  # closed or unknown neighbours are no reference
        reference = np.nanmedian(shifted, axis=0)
        usable = (np.isfinite(shifted).sum(axis=0) >= min_neighbours) & (totals > 0)
    return MonthCycle(
        phases=month_phase(pd.DatetimeIndex(days))[usable],
        log_ratios=np.log(totals[usable] / reference[usable]),
        bandwidth_days=bandwidth_days,
        shrink=shrink,
    )
