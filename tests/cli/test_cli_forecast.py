"""`wfm forecast` and `wfm backtest`: real commands, exact errors and exit codes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from click.testing import CliRunner

from cli import main
from tests.forecasts.test_forecasts import history


def _history(tmp_path: Path, aht: bool = True) -> Path:
    rows = history("2023-12-04", "2024-03-04", ("sales", "support"), scale=4.0, seed=5)
    if not aht:
        rows = rows.drop(columns=["aht_s"])
    rows["interval_start"] = rows["interval_start"].dt.strftime("%Y-%m-%d %H:%M:%S")
    rows["offered"] = rows["offered"].round().astype(int)
    rows["handled"] = rows["offered"]
    path = tmp_path / "calls.csv"
    rows.to_csv(path, index=False)
    return path


def test_forecast_writes_the_csv_with_bands_for_every_queue(tmp_path: Path) -> None:
    out = tmp_path / "f" / "forecast.csv"
    result = CliRunner().invoke(main, ["forecast", "--history", str(_history(tmp_path)),
                                       "--start", "2024-03-04", "--days", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table.columns) == ["queue", "interval_start", "calls", "calls_lo", "calls_hi",
                                   "aht_s"]
    assert len(table) == 2 * 2 * 48
    assert table["interval_start"].iloc[0] == "2024-03-04 00:00:00"
    assert (table["calls_lo"] <= table["calls"]).all()
    assert (table["calls"] <= table["calls_hi"]).all()
    night = pd.to_datetime(table["interval_start"]).dt.hour < 8
    assert (table.loc[night, "calls"] == 0).all()  # closed hours inferred from the history
    assert np.allclose(table.loc[table["queue"] == "support", "aht_s"], 360.0)
    assert result.output.startswith(f"Forecast written to {out}: 2 queues, 2 days, ")
    assert "  sales: " in result.output and "backtest WAPE" in result.output


def test_forecast_at_15_minutes_without_handle_time(tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    result = CliRunner().invoke(main, ["forecast", "--history", str(_history(tmp_path, False)),
                                       "--start", "2024-03-04", "--days", "1", "--out", str(out),
                                       "--interval", "15"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert len(table) == 2 * 96 and table["aht_s"].isna().all()


def test_backtest_prints_every_model_per_queue(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["backtest", "--history", str(_history(tmp_path)),
                                       "--weeks", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["queue", "model", "WAPE", "MASE", "band", "fit", "s", "weeks"]
    assert len(lines) == 1 + 2 * 7  # seven candidate models per queue
    assert sum("*" in line for line in lines) == 2  # one selected model per queue
    assert all(line.split()[-1] == "3" for line in lines[1:])


def test_bad_history_is_exit_1_with_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("queue,interval_start,offered\nA,2024-03-01 08:00,-2\n")
    result = CliRunner().invoke(main, ["backtest", "--history", str(path)])
    assert result.exit_code == 1
    assert result.output == "error: bad.csv: line 2 (offered): -2 is negative — write 0 or more\n"


def test_forecast_before_the_history_starts_is_exit_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["forecast", "--history", str(_history(tmp_path)),
                                       "--start", "2020-01-06", "--out", str(tmp_path / "f.csv")])
    assert result.exit_code == 1
    assert result.output == ("error: calls.csv (column interval_start): no history before "
                             "2020-01-06 (it starts 2023-12-04 08:00) — pick a later --start\n")
    assert not (tmp_path / "f.csv").exists()


def test_forecast_needs_its_options() -> None:
    result = CliRunner().invoke(main, ["forecast", "--history", "h.csv"])
    assert result.exit_code == 2 and "Missing option" in result.output


def test_an_unknown_holiday_country_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["backtest", "--history", str(_history(tmp_path)),
                                       "--holidays", "XX"])
    assert result.exit_code == 2
    assert "'XX' is not a country code the holidays package knows" in result.output


def test_a_holiday_country_is_accepted_in_any_case(tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    result = CliRunner().invoke(main, ["forecast", "--history", str(_history(tmp_path)),
                                       "--start", "2024-02-19", "--days", "1", "--out", str(out),
                                       "--holidays", "us"])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out)) == 2 * 48
