"""Model selection, band calibration, special days, quantiles and the no-workbook forecast."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasts import backtest_history, calls_at_quantile, forecast_history, forecast_week
from forecasts.backtest import ModelScore, band_ratios, band_scale, rolling_origins, select
from forecasts.calendar import interval_grid
from forecasts.special_days import day_kinds, learn_profiles
from inputs.history import read_history
from tests.forecasts.test_forecasts import history, pattern, series, workbook


def score(model: str, wape: float, mase: float) -> ModelScore:
    return ModelScore(model=model, wape=wape, mase=mase, band_coverage=0.8, fit_s=0.0, weeks=4)


def test_a_tie_goes_to_the_simpler_model_and_a_win_needs_both_scores() -> None:
    order = ["seasonal_naive", "median_8w", "top_down_ets"]
    tie = [score("seasonal_naive", 0.300, 1.00), score("median_8w", 0.2990, 0.995),
           score("top_down_ets", 0.2985, 0.99)]
    assert select(tie, order) == "seasonal_naive"  # all within 1%
    clear = [score("seasonal_naive", 0.30, 1.0), score("median_8w", 0.25, 0.9),
             score("top_down_ets", 0.20, 0.8)]
    assert select(clear, order) == "top_down_ets"
    split = [score("seasonal_naive", 0.30, 1.0), score("median_8w", 0.25, 0.7),
             score("top_down_ets", 0.20, 0.8)]  # better WAPE but worse MASE: no win
    assert select(split, order) == "median_8w"
    assert select([ModelScore(model="top_down_ets", wape=None, mase=None, band_coverage=None,
                              fit_s=0.0, weeks=0)], order) == "seasonal_naive"


def test_band_scale_makes_the_backtest_band_cover_80_percent() -> None:
    calls = np.full(100, 100.0)
    actual = calls + np.linspace(-20, 20, 100)  # errors spread evenly up to 20
    ratios = band_ratios(actual, calls, calls - 10.0, calls + 10.0)  # band +-10: 50% inside
    assert np.mean(ratios <= 1) == pytest.approx(0.5)
    scale = band_scale(ratios)
    assert scale == pytest.approx(np.quantile(np.abs(np.linspace(-20, 20, 100)) / 10, 0.8))
    assert np.mean(ratios <= scale) == pytest.approx(0.8, abs=0.01)
    assert band_scale(ratios[:10]) == 1.0  # too few points to calibrate


def test_rolling_origins_are_week_starts_with_two_weeks_of_history_before() -> None:
    y = series("2024-01-01", "2024-03-04")
    origins = rolling_origins(y, pd.Timestamp("2024-03-04"), 4)
    assert origins == [pd.Timestamp(d) for d in ("2024-02-05", "2024-02-12", "2024-02-19",
                                                 "2024-02-26")]
    # The data starts 2024-01-01 08:00: the first week with two full weeks before it is 01-22.
    assert rolling_origins(y, pd.Timestamp("2024-03-04"), 20)[0] == pd.Timestamp("2024-01-22")


def test_calls_at_quantile_reads_the_band_as_a_split_normal() -> None:
    table = pd.DataFrame({"calls": [10.0, 10.0, 0.0], "calls_lo": [6.0, 9.0, 0.0],
                          "calls_hi": [12.0, 20.0, 0.0]})
    pd.testing.assert_series_equal(calls_at_quantile(table, None), table["calls"])
    np.testing.assert_allclose(calls_at_quantile(table, 0.9), [12.0, 20.0, 0.0])
    np.testing.assert_allclose(calls_at_quantile(table, 0.1), [6.0, 9.0, 0.0])
    np.testing.assert_allclose(calls_at_quantile(table, 0.5), [10.0, 10.0, 0.0])
    z95 = 1.6448536269514722
    np.testing.assert_allclose(calls_at_quantile(table, 0.95), [10 + 2 * z95 / 1.2815515655446004,
                                                                 10 + 10 * z95 / 1.2815515655446004,
                                                                 0.0])
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        calls_at_quantile(table, 1.0)


def test_day_kinds_around_a_holiday() -> None:
    days = pd.date_range("2024-07-02", "2024-07-06", freq="D")
    kinds = day_kinds(days, frozenset({dt.date(2024, 7, 4)}))
    assert kinds.tolist() == ["", "eve", "holiday", "after", ""]


def test_the_day_after_a_holiday_learns_its_own_profile() -> None:
    y = series("2024-01-01", "2024-12-02") * 10
    after = pd.DatetimeIndex(y.index).normalize().isin(
        [pd.Timestamp(d) for d in ("2024-05-28", "2024-09-03")])  # after Memorial/Labor Day
    morning = pd.DatetimeIndex(y.index).hour < 12
    y[after & morning] *= 1.5  # callers come back the morning after
    holidays = frozenset({dt.date(2024, 5, 27), dt.date(2024, 9, 2)})
    y[pd.DatetimeIndex(y.index).normalize().isin([pd.Timestamp(d) for d in holidays])] = np.nan
    profiles = learn_profiles(y, holidays, pd.Timedelta(minutes=30))
    assert profiles["after"].occurrences == 2
    slots = profiles["after"].slot_factor
    assert slots[9 * 2] == pytest.approx((2 * 1.5 + 2 * profiles["after"].day_factor) / 4)
    assert slots[15 * 2] == pytest.approx((2 * 1.0 + 2 * profiles["after"].day_factor) / 4)
    assert 1.0 < profiles["after"].day_factor < 1.5
    assert profiles["holiday"].occurrences == 0 and profiles["holiday"].day_factor == 0.5


def test_forecast_history_without_a_workbook_infers_opening_hours() -> None:
    rows = history("2023-12-04", "2024-03-04", ("sales", "support"))
    rows = rows.drop(columns=["aht_s"])
    week = forecast_history(rows, dt.date(2024, 3, 4), 3, interval_minutes=30)
    table = week.table
    assert len(table) == 2 * 3 * 48
    sales = table[table["queue"] == "sales"]
    truth = np.nan_to_num(pattern(pd.DatetimeIndex(sales["interval_start"])))
    np.testing.assert_allclose(sales["calls"], truth, atol=1e-3)  # closed hours: exactly 0
    assert table["aht_s"].isna().all()
    assert [r.queue_id for r in week.models] == ["sales", "support"]


def test_backtest_history_scores_every_model_and_marks_one_selected() -> None:
    rows = history("2023-12-04", "2024-03-04", ("sales",), scale=10.0, seed=3)
    table = backtest_history(rows, weeks=3, interval_minutes=30)
    assert list(table.columns) == ["queue", "model", "wape", "mase", "band_coverage", "fit_s",
                                   "weeks", "selected"]
    assert table["selected"].sum() == 1 and (table["weeks"] == 3).all()
    naive = table.set_index("model").loc["seasonal_naive"]
    median = table.set_index("model").loc["median_8w"]
    assert median["wape"] < naive["wape"]  # Poisson noise: averaging weeks beats one week
    assert 0.5 < naive["band_coverage"] <= 1.0


def test_daylight_saving_does_not_shift_the_profile(tmp_path: Path) -> None:
    """History exported in UTC: after Israel's clocks go forward the peak stays at 10:00."""
    local = interval_grid(dt.date(2026, 2, 1), dt.date(2026, 4, 19), 60)
    local = local[(local.hour >= 8) & (local.hour < 18)]
    calls = np.where(local.hour == 10, 50, 10)
    utc = local.tz_localize("Asia/Jerusalem").tz_convert("UTC")
    pd.DataFrame({"queue": "A", "interval_start": utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "offered": calls}).to_csv(tmp_path / "utc.csv", index=False)
    rows = read_history(tmp_path / "utc.csv", interval_minutes=60, timezone="Asia/Jerusalem")
    week = forecast_history(rows, dt.date(2026, 4, 19), 7, interval_minutes=60)
    peak = week.table.loc[week.table["calls"].idxmax(), "interval_start"]
    assert peak.hour == 10
    daily_peaks = week.table.groupby(week.table["interval_start"].dt.date)["calls"].idxmax()
    assert {week.table.loc[i, "interval_start"].hour for i in daily_peaks} == {10}


def test_forecast_week_reports_every_candidate_for_summary_json() -> None:
    import dataclasses
    import json

    week = forecast_week(history("2023-12-04", "2024-03-04", scale=5.0, seed=2), workbook(),
                         dt.date(2024, 3, 4))
    report = dataclasses.asdict(week.models[0])
    text = json.dumps(report)  # summary.json must be able to hold it
    assert report["model"] in {c["model"] for c in report["candidates"]}
    assert {"wape", "mase", "band_coverage", "fit_s"} <= set(report["candidates"][0])
    assert "NaN" not in text
