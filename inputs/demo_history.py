"""The demo center's synthetic call history: two years of 15-minute intervals per queue.

A pure function of the seed and the workbook's opening hours: no clock, no set or dict
ordering.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from inputs.demo_center import (
    DEMO_WEEK,
    FRIDAY,
    QUEUE_SPECS,
    SATURDAY,
    QueueSpec,
    holiday_calendar,
)
from inputs.domain import Workbook

HISTORY_DAYS = 735  # 105 whole weeks, about two years
TUESDAY_CALLS = 2800.0  # expected offered calls, all queues, on a plain Tuesday of DEMO_WEEK
ANNUAL_GROWTH = 0.04
# Call intensity of each weekday relative to Tuesday (Monday 0 ... Sunday 6); Saturday only
# counts for a workbook that opens on Saturdays.
WEEKDAY_FACTOR = np.array([1.07, 1.0, 0.97, 0.94, 0.55, 0.5, 1.25])
EVE_FACTOR = 0.5  # a holiday eve runs like a Friday, a little quieter still
AFTER_HOLIDAY_FACTOR = 1.2  # callers who could not get through on the holiday call back
DAY_NOISE_CV, QUEUE_DAY_NOISE_CV = 0.04, 0.03  # together about 5% day-level noise
HISTORY_INTERVAL = 15  # minutes
_EVE, _CLOSED = 7, 8  # day kinds after the weekdays 0..6
# Callers' mean patience (s): legal-aid callers hold on longest, general information least.
PATIENCE_S = {"LEGAL": 540.0, "INH": 480.0, "INFO": 300.0}
DEFAULT_PATIENCE_S = 420.0
ABANDONER_WAIT_SHARE = 0.15  # an abandoned caller hangs up after ~15% of the mean patience
_SPEC_BY_ID = {s.queue_id: s for s in QUEUE_SPECS}


def demo_history(workbook: Workbook, *, seed: int = 7, end: dt.date = DEMO_WEEK) -> pd.DataFrame:
    """Two years of 15-minute call history for the demo queues, up to the Saturday before `end`.

    Only open intervals have rows (center weekday hours from the workbook; Israeli holidays
    closed; holiday eves run on Friday hours). Volume follows a daily double peak, a busy
    Sunday, quiet Fridays, a mild summer dip and +4% a year, with gamma day noise and Poisson
    interval counts; 3-7% of calls are abandoned, with the seconds waited by abandoned and by
    answered callers consistent with each queue's mean patience (PATIENCE_S); `aht_s` is the
    interval's mean handle time.

    Args:
        workbook: The demo workbook (its queue ids must be demo queues).
        seed: Seed for numpy's ``default_rng``; the same seed always gives the same history.
        end: The first day after the history (the planned week's start).

    Returns:
        Columns queue, interval_start (datetime64), offered, handled, abandoned (ints),
        aht_s (float, 0.1 s; NaN where nothing was handled), abandon_wait_sum_s and
        answer_wait_sum_s (whole seconds), ordered by interval then queue.
    """
    specs = [_spec(q.queue_id) for q in workbook.queues]
    rng = np.random.default_rng(seed)
    last = end - dt.timedelta(days=(end.weekday() - SATURDAY) % 7 or 7)
    days = [last - dt.timedelta(days=k) for k in range(HISTORY_DAYS - 1, -1, -1)]
    templates, kinds = _day_templates(workbook, days)
    day_idx = np.repeat(np.arange(len(days)), [len(templates[k]) for k in kinds])
    minute = np.concatenate([templates[k] for k in kinds])
    hours = (minute + HISTORY_INTERVAL / 2) / 60.0
    profile = _intraday(hours, specs)
    per_day = _day_factors(days, kinds)[:, None] * _queue_day_factors(days, specs)
    per_day *= rng.gamma(DAY_NOISE_CV**-2, DAY_NOISE_CV**2, size=(len(days), 1))
    per_day *= rng.gamma(QUEUE_DAY_NOISE_CV**-2, QUEUE_DAY_NOISE_CV**2, size=per_day.shape)
    share = np.array([s.share for s in specs])
    rate = TUESDAY_CALLS * share * per_day[day_idx] * profile / _regular_day_mass(specs)
    offered = rng.poisson(rate)
    abandon_p = rng.uniform(0.025, 0.04, size=len(days))[day_idx, None] + 0.025 * (
        profile / profile.max(axis=0)
    )
    abandoned = rng.binomial(offered, abandon_p)
    handled = offered - abandoned
    aht = _interval_aht(rng, hours, handled, specs)
    abandon_wait, answer_wait = _wait_sums(rng, offered * abandon_p, abandoned, specs)
    start = np.array(days, dtype="datetime64[D]")[day_idx] + minute.astype("timedelta64[m]")
    return pd.DataFrame(
        {
            "queue": np.tile([s.queue_id for s in specs], len(minute)),
            "interval_start": np.repeat(start.astype("datetime64[s]"), len(specs)),
            "offered": offered.ravel().astype(np.int64),
            "handled": handled.ravel().astype(np.int64),
            "abandoned": abandoned.ravel().astype(np.int64),
            "aht_s": aht.ravel(),
            "abandon_wait_sum_s": abandon_wait.ravel(),
            "answer_wait_sum_s": answer_wait.ravel(),
        }
    )


def _spec(queue_id: str) -> QueueSpec:
    if queue_id not in _SPEC_BY_ID:
        known = ", ".join(_SPEC_BY_ID)
        raise ValueError(f"demo history: unknown queue {queue_id!r}; demo queues: {known}")
    return _SPEC_BY_ID[queue_id]


def _day_templates(workbook: Workbook, days: list[dt.date]) -> tuple[list[np.ndarray], np.ndarray]:
    """Interval start minutes for each kind of day, and each day's kind (weekday, eve, closed)."""

    def starts(weekday: int) -> np.ndarray:
        spans = [
            (s.open_min, s.close_min)
            for s in workbook.opening_hours
            if s.queue_id is None and s.date is None and s.weekday == weekday
        ]
        grid = [np.arange(a, b, HISTORY_INTERVAL) for a, b in sorted(spans)]
        return np.concatenate(grid) if grid else np.zeros(0, dtype=np.int64)

    templates = [starts(w) for w in range(7)] + [starts(FRIDAY), np.zeros(0, dtype=np.int64)]
    open_weekdays = frozenset(w for w in range(7) if len(templates[w]))
    closed, eves = holiday_calendar(days[0], days[-1], open_weekdays)
    kinds = np.array([_CLOSED if d in closed else _EVE if d in eves else d.weekday() for d in days])
    return templates, kinds


def _day_factors(days: list[dt.date], kinds: np.ndarray) -> np.ndarray:
    """Each day's call level relative to a Tuesday of DEMO_WEEK: weekday, eve, season, trend."""
    factor = np.concatenate([WEEKDAY_FACTOR, [EVE_FACTOR, 0.0]])[kinds]
    after_closed = np.concatenate([[False], kinds[:-1] == _CLOSED]) & (kinds != _CLOSED)
    factor = factor * np.where(after_closed, AFTER_HOLIDAY_FACTOR, 1.0)
    doy = np.array([d.timetuple().tm_yday for d in days], dtype=float)
    season = 1.0 - 0.10 * np.exp(-(((doy - 213) / 28) ** 2))  # summer holidays, Jul-Aug
    years = np.array([(d - DEMO_WEEK).days for d in days]) / 365.25
    return factor * season * (1.0 + ANNUAL_GROWTH) ** years


def _queue_day_factors(days: list[dt.date], specs: list[QueueSpec]) -> np.ndarray:
    """Per queue and day extra factors: accountants' exam registration in Feb and Aug (x1.5)."""
    exam = np.array([d.month in (2, 8) and d.day <= 21 for d in days])
    is_acct = np.array([s.queue_id == "ACCT" for s in specs])
    return np.where(exam[:, None] & is_acct[None, :], 1.5, 1.0)


def _intraday(hours: np.ndarray, specs: list[QueueSpec]) -> np.ndarray:
    """Relative call intensity by hour of day: low at night, a morning and an afternoon peak."""
    h = hours[:, None]
    ramp_up = np.clip((h - 7.0) / 2.0, 0.0, 1.0)
    ramp_down = np.clip((h - 16.0) / 4.0, 0.0, 1.0)
    morning = np.array([s.morning for s in specs]) * 0.5 * np.exp(-(((h - 10.75) / 1.3) ** 2))
    afternoon = np.array([s.afternoon for s in specs]) * 0.4 * np.exp(-(((h - 14.25) / 1.2) ** 2))
    return 0.1 + 0.7 * ramp_up * (1.0 - ramp_down) + morning + afternoon


def _regular_day_mass(specs: list[QueueSpec]) -> np.ndarray:
    """Total intraday intensity of a regular 08:00-19:00 day, so a Tuesday sums to its share."""
    hours = (np.arange(480, 1140, HISTORY_INTERVAL) + HISTORY_INTERVAL / 2) / 60.0
    return _intraday(hours, specs).sum(axis=0)


def _wait_sums(rng: np.random.Generator, expected_abandoned: np.ndarray, abandoned: np.ndarray,
               specs: list[QueueSpec]) -> tuple[np.ndarray, np.ndarray]:
    """Seconds waited per interval by callers who hung up and by callers who were answered.

    With exponential patience of mean θ, abandonments arrive at 1/θ per second waited, so
    the total time waited is about θ × the expected abandonments (gamma noise, CV 0.2).
    """
    theta = np.array([PATIENCE_S.get(s.queue_id, DEFAULT_PATIENCE_S) for s in specs])
    total = expected_abandoned * theta * rng.gamma(25.0, 0.04, size=abandoned.shape)
    by_abandoners = np.minimum(abandoned * ABANDONER_WAIT_SHARE * theta, total)
    return np.round(by_abandoners), np.round(total - by_abandoners)


def _interval_aht(
    rng: np.random.Generator, hours: np.ndarray, handled: np.ndarray, specs: list[QueueSpec]
) -> np.ndarray:
    """Mean handle time per interval: lognormal call times averaged (normal approximation).

    Calls run about 3% shorter at opening and 3% longer at closing than the queue's AHT.
    """
    aht = np.array([s.aht_s for s in specs])
    cv = np.array([s.aht_cv for s in specs])
    mean = aht * (0.97 + 0.06 * np.clip((hours[:, None] - 8.0) / 11.0, 0.0, 1.0))
    sd = cv * mean / np.sqrt(np.maximum(handled, 1))
    sample = np.maximum(mean + sd * rng.standard_normal(handled.shape), 0.3 * mean)
    return np.where(handled > 0, np.round(sample, 1), np.nan)
