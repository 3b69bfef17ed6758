"""read_history: real public data re-aggregated, synthetic edge cases, and every user mistake."""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inputs.domain import InputError
from inputs.history import history_summary, read_history

DATA = Path("/work/shared/data")
US_BANK = DATA / "us_bank_2003" / "history_5min.csv"
ANON_6MIN = DATA / "anonymous_bank_1999" / "history_6min.csv"
ANON_15MIN = DATA / "anonymous_bank_1999" / "history_15min_by_queue.csv"
needs_data = pytest.mark.skipif(not US_BANK.exists(), reason="shared real data not present")


def _raw_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _write(tmp_path: Path, text: str, name: str = "history.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _problems(path: Path, **kwargs: object) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_history(path, **{"interval_minutes": 15, **kwargs})  # type: ignore[arg-type]
    return caught.value.problems


# --- real data ------------------------------------------------------------------------------


@needs_data
def test_us_bank_5min_to_30min_matches_sums_from_the_raw_csv() -> None:
    # Source: fpp3 bank_calls (Weinberg, Brown & Stroud 2007), see /work/shared/data/README.md.
    raw = _raw_rows(US_BANK)
    first_day = [r for r in raw if r["interval_start"].startswith("2003-03-03")]
    first_day_total = sum(int(r["offered"]) for r in first_day)
    seven = sum(int(r["offered"]) for r in first_day if r["interval_start"][11:13] == "07")
    seven_half = sum(
        int(r["offered"])
        for r in first_day
        if r["interval_start"][11:13] == "07" and int(r["interval_start"][14:16]) < 30
    )

    out = read_history(US_BANK, interval_minutes=30)

    day = out[out["interval_start"].dt.date == dt.date(2003, 3, 3)]
    assert day["offered"].sum() == first_day_total
    first = day.set_index("interval_start")["offered"]
    assert first[pd.Timestamp("2003-03-03 07:00")] == seven_half == 560
    assert first[pd.Timestamp("2003-03-03 07:30")] == seven - seven_half
    assert out["offered"].sum() == sum(int(r["offered"]) for r in raw)
    assert list(out.columns) == ["queue", "interval_start", "offered"]
    assert out["interval_start"].dtype == "datetime64[ns]"
    assert out["offered"].dtype == "float64"
    # 07:00..21:00 in 5-minute steps is 169 intervals: 29 half hours (the 21:00 one has one).
    assert len(day) == 29
    assert first[pd.Timestamp("2003-03-03 21:00")] == int(first_day[-1]["offered"])
    # Missing weekdays stay missing (gaps, not zeros): 2003-04-04 is not in the file.
    assert not (out["interval_start"].dt.date == dt.date(2003, 4, 4)).any()


@needs_data
def test_anonymous_bank_6min_sums_into_30min_and_splits_into_15min() -> None:
    # Source: Technion SEE "Anonymous Bank" (Brown et al. 2005), see /work/shared/data/README.md.
    raw = {r["interval_start"]: float(r["offered"]) for r in _raw_rows(ANON_6MIN)}
    day = "1999-01-04 "
    half_hour = sum(raw[f"{day}10:{m:02d}:00"] for m in (0, 6, 12, 18, 24))
    quarter = raw[f"{day}10:00:00"] + raw[f"{day}10:06:00"] + raw[f"{day}10:12:00"] / 2

    by_30 = read_history(ANON_6MIN, interval_minutes=30).set_index("interval_start")["offered"]
    by_15 = read_history(ANON_6MIN, interval_minutes=15).set_index("interval_start")["offered"]

    assert by_30[pd.Timestamp(f"{day}10:00")] == half_hour
    assert by_15[pd.Timestamp(f"{day}10:00")] == pytest.approx(quarter)
    assert by_30.sum() == pytest.approx(sum(raw.values()))
    assert by_15.sum() == pytest.approx(sum(raw.values()))
    assert len(by_30) == 243 * 48  # 1999-01-01 .. 1999-08-31, 24 hours a day


@needs_data
def test_anonymous_bank_by_queue_keeps_measures_and_weights_handle_time() -> None:
    raw = _raw_rows(ANON_15MIN)
    out15 = read_history(ANON_15MIN, interval_minutes=15)
    out30 = read_history(ANON_15MIN, interval_minutes=30)

    assert sorted(out15["queue"].unique()) == ["IN", "NE", "NW", "PE", "PS", "TT"]
    assert list(out15.columns) == [
        "queue", "interval_start", "offered", "handled", "abandoned", "aht_s",
        "answered_in_20s", "answered_in_60s", "abandon_wait_sum_s", "answer_wait_sum_s",
    ]  # fmt: skip
    assert len(out15) == len(raw)
    # At the source interval every value is the file's own (blank aht_s stays NaN).
    row = next(
        r for r in raw if r["queue"] == "PS" and r["interval_start"] == "1999-01-04 10:00:00"
    )
    got = out15[(out15["queue"] == "PS") & (out15["interval_start"] == "1999-01-04 10:00")]
    assert got["aht_s"].item() == pytest.approx(float(row["aht_s"]))
    assert out15["aht_s"].isna().sum() == sum(r["aht_s"] == "" for r in raw)

    # Into 30 minutes: counts add up, aht_s is weighted by handled calls.
    starts = ("1999-01-04 10:00:00", "1999-01-04 10:15:00")
    pair = [r for r in raw if r["queue"] == "PS" and r["interval_start"] in starts]
    handled = [float(r["handled"]) for r in pair]
    aht = sum(float(r["aht_s"]) * h for r, h in zip(pair, handled, strict=True)) / sum(handled)
    got30 = out30[(out30["queue"] == "PS") & (out30["interval_start"] == "1999-01-04 10:00")]
    assert got30["aht_s"].item() == pytest.approx(aht)
    assert got30["answered_in_60s"].item() == sum(float(r["answered_in_60s"]) for r in pair)
    assert out30["offered"].sum() == sum(float(r["offered"]) for r in raw)


@needs_data
def test_history_summary_of_the_us_bank() -> None:
    summary = history_summary(read_history(US_BANK, interval_minutes=30))
    assert summary.first_interval == dt.datetime(2003, 3, 3, 7, 0)
    assert summary.last_interval == dt.datetime(2003, 8, 29, 21, 0)
    assert summary.queues == ("bank",)
    assert summary.days == 126
    assert summary.total_offered == sum(int(r["offered"]) for r in _raw_rows(US_BANK))


# --- synthetic cases -----------------------------------------------------------------------


def test_hourly_data_is_split_evenly_into_quarter_hours_and_handle_time_copied(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path,
        "queue,interval_start,offered,handled,aht_s\n"
        "A,2026-01-04 08:00,40,36,300\n"
        "A,2026-01-04 09:00,8,8,\n"
        "A,2026-01-04 11:00,4,4,200\n",
    )
    out = read_history(path, interval_minutes=15)
    first = out[out["interval_start"] < "2026-01-04 09:00"]
    assert first["interval_start"].dt.minute.tolist() == [0, 15, 30, 45]
    assert first["offered"].tolist() == [10.0] * 4
    assert first["handled"].tolist() == [9.0] * 4
    assert first["aht_s"].tolist() == [300.0] * 4
    assert out["aht_s"].isna().sum() == 4  # the 09:00 hour has no handle time
    assert len(out) == 12  # 10:00 is a gap: it does not appear
    assert out["offered"].sum() == 52


def test_finer_data_weights_handle_time_by_offered_without_a_handled_column(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path,
        "queue,interval_start,offered,aht_s\n"
        "A,2026-01-04 08:00,10,100\n"
        "A,2026-01-04 08:05,30,200\n"
        "A,2026-01-04 08:10,0,\n",
    )
    out = read_history(path, interval_minutes=15)
    assert out["offered"].tolist() == [40.0]
    assert out["aht_s"].tolist() == [pytest.approx((10 * 100 + 30 * 200) / 40)]


def test_timestamps_with_an_offset_become_local_wall_clock_time(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "Queue , Interval Start,Offered\n"  # header names are forgiving about case and spaces
        "A,2026-03-01T06:00:00Z,1\n"  # winter: UTC+2
        "A,2026-07-01T05:15:00+00:00,2\n"  # summer: UTC+3
        "A,2026-07-01 08:30,3\n",
    )
    out = read_history(path, interval_minutes=15, timezone="Asia/Jerusalem")
    assert out["interval_start"].tolist() == [
        pd.Timestamp("2026-03-01 08:00"),
        pd.Timestamp("2026-07-01 08:15"),
        pd.Timestamp("2026-07-01 08:30"),
    ]


def test_each_queue_has_its_own_source_interval(tmp_path: Path) -> None:
    rows = ["queue,interval_start,offered"]
    rows += [f"A,2026-01-04 08:{m:02d},1" for m in range(0, 60, 5)]
    rows += ["B,2026-01-04 08:00,6", "B,2026-01-04 08:30,6"]
    out = read_history(_write(tmp_path, "\n".join(rows) + "\n"), interval_minutes=15)
    assert out[out["queue"] == "A"]["offered"].tolist() == [3.0] * 4
    assert out[out["queue"] == "B"]["offered"].tolist() == [3.0] * 4


@pytest.mark.parametrize("plan", [15, 30])
def test_300k_rows_read_fast(tmp_path: Path, plan: int) -> None:
    days = pd.date_range("2024-01-01", periods=570, freq="D")
    times = pd.to_timedelta(np.arange(480, 1140, 15), "min").to_numpy()
    stamps = (days.to_numpy()[:, None] + times).ravel()
    text = pd.Series(stamps).dt.strftime("%Y-%m-%d %H:%M:%S")
    frame = pd.concat(
        pd.DataFrame({"queue": f"Q{q}", "interval_start": text, "offered": 3, "aht_s": 240.0})
        for q in range(12)
    )
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)
    started = time.perf_counter()
    out = read_history(path, interval_minutes=plan)
    elapsed = time.perf_counter() - started
    assert len(frame) > 300_000
    assert len(out) == len(frame) * 15 // plan
    assert elapsed < 4.0, f"reading {len(frame)} rows took {elapsed:.1f} s"


# --- user mistakes -------------------------------------------------------------------------


def test_missing_and_empty_files(tmp_path: Path) -> None:
    assert _problems(tmp_path / "nope.csv") == [
        f"nope.csv: file not found at {tmp_path / 'nope.csv'} — check the path"
    ]
    (tmp_path / "empty.csv").write_text("")
    assert _problems(tmp_path / "empty.csv") == [
        "empty.csv: line 1 (header): the file is empty — export the history with a header row "
        "queue,interval_start,offered and one row per queue and interval"
    ]
    (tmp_path / "header.csv").write_text("queue,interval_start,offered\n")
    assert _problems(tmp_path / "header.csv") == [
        "header.csv: line 2 (queue): no data rows under the header — the history is empty; "
        "add one row per queue and interval"
    ]


def test_missing_required_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "queue,start,calls\nA,2026-01-04 08:00,1\n")
    assert _problems(path) == [
        "history.csv: line 1 (header): column 'interval_start' is missing "
        "(found: queue, start, calls) — add a 'interval_start' column",
        "history.csv: line 1 (header): column 'offered' is missing "
        "(found: queue, start, calls) — add a 'offered' column",
    ]


def test_bad_rows_are_all_reported_with_their_line_numbers(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "queue,interval_start,offered,handled\n"
        "A,2026-01-04 08:00,1,1\n"
        "\n"  # a blank line still counts: the next row is line 4
        "A,04/01/2026 08:15,1,1\n"
        "A,2026-01-04 08:30,-3,1\n"
        "A,2026-01-04 08:45,2.5,1\n"
        "A,2026-01-04 09:00,many,x\n"
        "A,2026-01-04 09:15,,1\n"
        "A,2026-01-04 08:00,1,1\n",
    )
    assert _problems(path) == [
        "history.csv: line 4 (interval_start): '04/01/2026 08:15' is not a time — write "
        "YYYY-MM-DD HH:MM[:SS] (local) or ISO 8601 with offset",
        "history.csv: line 8 (offered): is blank — write the calls offered (0 if none)",
        "history.csv: line 7 (offered): 'many' is not a number — write a number like 12",
        "history.csv: line 5 (offered): -3 is negative — write 0 or more",
        "history.csv: line 6 (offered): 2.5 is not a whole number — it counts calls",
        "history.csv: line 7 (handled): 'x' is not a number — write a number like 12",
        "history.csv: line 9 (interval_start): '2026-01-04 08:00' repeats an earlier row of "
        "the same queue — keep one row per queue and interval",
    ]


def test_unknown_queue_is_reported_once_with_the_known_ids(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "queue,interval_start,offered\nQ1,2026-01-04 08:00,1\nQX,2026-01-04 08:00,1\n"
        "QX,2026-01-04 08:15,1\n",
    )
    assert _problems(path, queues=["Q1", "Q2"]) == [
        "history.csv: line 3 (queue): unknown queue 'QX' (2 rows) — known: Q1, Q2; "
        "fix the id or add the queue to the workbook"
    ]


def test_off_boundary_mixed_and_odd_intervals(tmp_path: Path) -> None:
    off = _write(
        tmp_path, "queue,interval_start,offered\nA,2026-01-04 08:00,1\nA,2026-01-04 08:15,1\n"
        "A,2026-01-04 08:30,1\nA,2026-01-04 08:50,1\nA,2026-01-04 09:00,1\n", "off.csv"
    )  # fmt: skip
    lines = _problems(off)
    assert lines[0].startswith(
        "off.csv: line 5 (interval_start): queue 'A' mixes interval lengths (steps of 10, 15, "
        "20 minutes, mostly 15)"
    )
    assert lines[1].startswith("off.csv: line 5 (interval_start): '2026-01-04 08:50' is not on")

    rows = [f"A,2026-01-04 08:{m:02d},1" for m in (0, 7, 14, 21)]
    odd = "\n".join(["queue,interval_start,offered", *rows])
    assert _problems(_write(tmp_path, odd + "\n", "odd.csv")) == [
        "odd.csv: queue 'A': the data comes every 7 minutes, which does not divide an hour "
        "— use 5, 6, 10, 12, 15, 20, 30 or 60"
    ]


def test_problems_are_capped_at_twenty(tmp_path: Path) -> None:
    rows = ["queue,interval_start,offered"] + [f"A,2026-01-04 08:{m:02d},-1" for m in range(25)]
    lines = _problems(_write(tmp_path, "\n".join(rows) + "\n"), interval_minutes=15)
    assert len(lines) == 21
    assert lines[-1].startswith("... and ")


def test_summary_counts_queues_days_and_calls(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "queue,interval_start,offered\nB,2026-01-05 08:00,2\nA,2026-01-04 08:00,1\n"
        "A,2026-01-04 08:15,4\n",
    )
    summary = history_summary(read_history(path, interval_minutes=15))
    assert summary.queues == ("A", "B")
    assert summary.rows == 3 and summary.days == 2 and summary.total_offered == 7.0
    assert summary.first_interval == dt.datetime(2026, 1, 4, 8, 0)


def test_grid_counts_are_independent_of_row_order(tmp_path: Path) -> None:
    lines = [f"A,2026-01-04 {h:02d}:{m:02d},{h + m}" for h in (8, 9) for m in range(0, 60, 5)]
    shuffled = lines[::-1]
    header = "queue,interval_start,offered\n"
    a = read_history(_write(tmp_path, header + "\n".join(lines), "a.csv"), interval_minutes=30)
    b = read_history(_write(tmp_path, header + "\n".join(shuffled), "b.csv"), interval_minutes=30)
    pd.testing.assert_frame_equal(a, b)
    expected: dict[int, int] = defaultdict(int)
    for h in (8, 9):
        for m in range(0, 60, 5):
            expected[h * 60 + (m // 30) * 30] += h + m
    assert a["offered"].tolist() == [float(v) for _, v in sorted(expected.items())]


def test_the_repeated_autumn_hour_with_utc_offsets_is_summed_not_refused(tmp_path: Path) -> None:
    # Israel leaves summer time on Sun 2026-10-25 at 02:00 local (23:00 UTC the day before):
    # 22:00Z and 23:00Z are both 01:00 on the wall clock, so that hour holds both hours' calls.
    path = tmp_path / "h.csv"
    stamps = ["2026-10-24T21:00:00Z", "2026-10-24T22:00:00Z", "2026-10-24T23:00:00Z",
              "2026-10-25T00:00:00Z"]
    rows = "".join(f"Q1,{s},{n}\n" for s, n in zip(stamps, (10, 20, 30, 40), strict=True))
    path.write_text("queue,interval_start,offered\n" + rows, encoding="utf-8")
    table = read_history(path, interval_minutes=60, queues=["Q1"], timezone="Asia/Jerusalem")
    got = dict(zip(table["interval_start"].dt.strftime("%H:%M"), table["offered"], strict=True))
    assert got == {"00:00": 10, "01:00": 50, "02:00": 40}
