"""The planning calendar: interval grids, opening hours and public holidays as arrays.

Every forecaster works on a regular grid of interval starts (naive local time); this module
builds those grids and says which of their intervals are open for a queue and which days are
public holidays, so the models themselves never need the workbook.
"""

from __future__ import annotations

import datetime as dt

import holidays as holidays_lib
import numpy as np
import pandas as pd

from inputs.domain import Workbook

MINUTES_PER_DAY = 1440


def interval_grid(start: dt.date, end: dt.date, interval_minutes: int) -> pd.DatetimeIndex:
    """Every interval start from `start` 00:00 up to (not including) `end` 00:00.

    Args:
        start: First day of the grid.
        end: Day after the last day of the grid.
        interval_minutes: The planning interval (15 or 30).

    Returns:
        A regular DatetimeIndex (nanosecond resolution) with `freq` set.
    """
    first = pd.Timestamp(start).as_unit("ns")
    stop = pd.Timestamp(end).as_unit("ns") - pd.Timedelta(minutes=interval_minutes)
    return pd.date_range(first, stop, freq=pd.Timedelta(minutes=interval_minutes), unit="ns")


def week_index(week_start: dt.date, interval_minutes: int) -> pd.DatetimeIndex:
    """Every interval of the 7 days from `week_start` 00:00, the grid a week is planned on."""
    return interval_grid(week_start, week_start + dt.timedelta(days=7), interval_minutes)


def open_mask(index: pd.DatetimeIndex, workbook: Workbook, queue_id: str | None) -> np.ndarray:
    """An interval is open when its start minute lies in an opening span of its day.

    This is `Workbook.is_open` evaluated for a whole index at once: date rows (one-off days,
    holidays closed all day) override weekday rows, queue rows override the center's.

    Args:
        index: Interval starts (naive local time).
        workbook: The validated workbook.
        queue_id: The queue whose hours apply (None: the center's).

    Returns:
        A boolean array aligned with `index`.
    """
    if len(index) == 0:
        return np.zeros(0, dtype=bool)
    days, position = np.unique(index.normalize(), return_inverse=True)
    minute_of_day = np.arange(MINUTES_PER_DAY)
    table = np.zeros((len(days), MINUTES_PER_DAY), dtype=bool)
    for row, day in enumerate(pd.DatetimeIndex(days)):
        for open_min, close_min in workbook.open_spans(day.date(), queue_id):
            table[row] |= (minute_of_day >= open_min) & (minute_of_day < close_min)
    minutes = np.asarray(index.hour * 60 + index.minute)
    return table[position.ravel(), minutes]


def holiday_dates(country: str, first: dt.date, last: dt.date) -> frozenset[dt.date]:
    """The public holidays of `country` (ISO code, e.g. "IL", "US") between two dates, inclusive.

    Args:
        country: Country code understood by the `holidays` package.
        first: First day of interest.
        last: Last day of interest.

    Returns:
        The holiday dates in that range.
    """
    years = range(first.year, last.year + 1)
    calendar = holidays_lib.country_holidays(country, years=years)
    return frozenset(day for day in calendar if first <= day <= last)


