"""The month cycle and the month-aware top-down model: known answers on synthetic calendars."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from forecasts import MonthTopDown, SameSlotAverage
from forecasts.calendar import interval_grid
from forecasts.month_cycle import circular_days, learn_month_cycle, month_phase
from forecasts.month_top_down import pooled_profiles
from tests.forecasts.test_forecasts import pattern, series


def test_month_phase_and_the_distance_round_the_turn_of_the_month() -> None:
    days = pd.DatetimeIndex(["2024-01-01", "2024-01-31", "2024-02-29", "2024-02-15"])
    np.testing.assert_allclose(month_phase(days), [0.0, 30 / 31, 28 / 29, 14 / 29])
    # The 31st of January is one day (in mean month days) before the 1st, not thirty.
    assert circular_days(np.array(30 / 31), np.array(0.0)) == pytest.approx(
        365.25 / 12 / 31, rel=1e-12)


def test_month_cycle_factor_is_the_shrunk_kernel_mean_of_log_ratios() -> None:
    days = pd.date_range("2024-01-01", "2024-04-30", freq="D")
    totals = np.full(len(days), 100.0)
    surge = days.isin(pd.DatetimeIndex(["2024-02-01", "2024-03-01"]))
    totals[surge] = 150.0
    cycle = learn_month_cycle(days, totals, window_weeks=4, bandwidth_days=0.1, shrink=2.0)
    # Every day is compared with the median of its weekday 1-4 weeks around it: one 150 among
    # 100s leaves that median at 100, so only the two surge days carry a log ratio (ln 1.5).
    assert np.count_nonzero(cycle.log_ratios) == 2
    # On a 1st the (narrow) kernel sees four 1sts, Jan 1 and Apr 1 at ratio 1: the factor is
    # exp(2 ln 1.5 / (4 + shrink 2)) = 1.5 ** (1/3), not 1.5 (no shrinkage) nor 1.5 ** 0.5.
    first, middle = cycle.factor(pd.DatetimeIndex(["2024-05-01", "2024-05-15"]))
    assert first == pytest.approx(1.5 ** (1 / 3), rel=1e-9)
    assert middle == pytest.approx(1.0, abs=1e-12)


def test_month_cycle_with_too_little_history_has_no_effect() -> None:
    days = pd.date_range("2024-01-01", periods=6, freq="D")
    cycle = learn_month_cycle(days, np.array([10.0, 12, np.nan, 0, 11, 9]))
    assert cycle.phases.size == 0
    np.testing.assert_array_equal(cycle.factor(days), np.ones(6))


def test_pooled_profile_weighs_a_busy_day_by_its_calls() -> None:
    matrix = np.array([[50.0, 50.0], [200.0, 100.0]])  # two Mondays, two intervals each
    weekday = np.array([0, 0])
    opened = np.array([True] + [False] * 6)
    profile = pooled_profiles(matrix, weekday, opened, weeks=16)
    # (50 + 200) / 400, not the mean of the days' shares (0.5 + 0.667) / 2 = 0.583.
    np.testing.assert_allclose(profile[0], [0.625, 0.375])
    assert profile[1:].sum() == 0


def test_month_top_down_reproduces_a_pure_weekly_pattern() -> None:
    y = series("2024-01-01", "2024-04-01")
    index = interval_grid(dt.date(2024, 4, 1), dt.date(2024, 4, 8), 30)
    out = MonthTopDown().fit(y).predict(index)
    truth = pattern(index)
    is_open = np.isfinite(truth)
    np.testing.assert_allclose(out["calls"].to_numpy()[is_open], truth[is_open], rtol=1e-3)
    assert (out.to_numpy()[~is_open] == 0).all()


def test_month_top_down_learns_the_month_start_surge_a_weekly_average_misses() -> None:
    y = series("2024-01-01", "2024-07-01")
    index = pd.DatetimeIndex(y.index)
    y[np.asarray(index.day <= 2)] *= 1.4  # the 1st and 2nd of every month: 40% more calls
    week = interval_grid(dt.date(2024, 7, 1), dt.date(2024, 7, 8), 30)  # Mon 1st .. Sun 7th
    truth = np.nan_to_num(pattern(week)) * np.where(week.day <= 2, 1.4, 1.0)
    days = week.normalize()
    month = MonthTopDown().fit(y).predict(week)["calls"].groupby(days).sum().to_numpy()
    median = SameSlotAverage(8).fit(y).predict(week)["calls"].groupby(days).sum().to_numpy()
    actual = pd.Series(truth).groupby(days).sum().to_numpy()
    # The 1st and 2nd: the kernel (1.5 days wide) also sees the 3rd, 4th, 30th and 31st at
    # ratio 1 and the shrinkage holds the rest back, so about 1.16x of the 1.4x is learned;
    # a weekly median sees 1.0x.
    np.testing.assert_allclose(month[:2] / (actual[:2] / 1.4), 1.16, atol=0.03)
    np.testing.assert_allclose(median[:2], actual[:2] / 1.4, rtol=1e-9)
    # The kernel blurs the surge onto the 3rd (about 1.1x); the 5th is a normal Friday again.
    assert month[2] / actual[2] == pytest.approx(1.1, abs=0.03)
    assert month[4] == pytest.approx(actual[4], rel=0.02)
    # Over the week the month cycle still errs less than the weekly median.
    assert np.abs(month - actual).sum() < 0.85 * np.abs(median - actual).sum()
