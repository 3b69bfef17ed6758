"""The demo center: deterministic, realistic history and a workbook a roster can cover."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inputs.demo import (
    DEMO_WEEK,
    demo_history,
    demo_opening_hours,
    demo_workbook,
    write_demo,
)
from inputs.domain import OpeningSpan, Role, Workbook


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return demo_workbook()


@pytest.fixture(scope="module")
def history(workbook: Workbook) -> pd.DataFrame:
    frame = demo_history(workbook)
    frame["date"] = frame["interval_start"].dt.date
    frame["clock"] = frame["interval_start"].dt.strftime("%H:%M")
    return frame


def test_same_seed_gives_the_same_center_and_another_seed_does_not() -> None:
    assert demo_workbook(7) == demo_workbook(7)
    assert demo_workbook(7) != demo_workbook(8)
    first, again = demo_history(demo_workbook(7)), demo_history(demo_workbook(7))
    pd.testing.assert_frame_equal(first, again)
    other = demo_history(demo_workbook(7), seed=8)
    assert len(other) == len(first)  # same calendar, different calls
    assert not np.array_equal(other["offered"].to_numpy(), first["offered"].to_numpy())


def test_history_covers_two_years_ending_the_saturday_before_the_week(history) -> None:
    assert DEMO_WEEK.weekday() == 6
    assert history["date"].min() == dt.date(2024, 11, 24)
    assert history["date"].max() == dt.date(2026, 11, 27)  # Friday; Saturday 11-28 is closed
    assert list(history.columns[:6]) == [
        "queue", "interval_start", "offered", "handled", "abandoned", "aht_s"
    ]


def test_history_is_fast(workbook: Workbook) -> None:
    started = time.perf_counter()
    demo_history(workbook, seed=3)
    assert time.perf_counter() - started < 5.0


@pytest.mark.parametrize("month", ["2025-12", "2026-01", "2026-06", "2026-10"])
def test_a_typical_month_has_about_65000_calls(history, month: str) -> None:
    in_month = history["interval_start"].dt.strftime("%Y-%m") == month
    assert 60_000 <= history.loc[in_month, "offered"].sum() <= 70_000


def test_sunday_is_busiest_and_friday_quietest(history) -> None:
    daily = history.groupby("date")["offered"].sum()
    weekday = pd.Series([d.weekday() for d in daily.index], index=daily.index)
    mean = daily.groupby(weekday).mean()
    sunday, tuesday, friday = mean[6], mean[1], mean[4]
    assert sunday > tuesday > friday
    assert 1.15 < sunday / tuesday < 1.35
    assert friday < 0.4 * tuesday


def test_handle_times_follow_each_queue(history) -> None:
    served = history[history["handled"] > 0]
    weighted = (served["aht_s"] * served["handled"]).groupby(served["queue"]).sum()
    mean_aht = weighted / served.groupby("queue")["handled"].sum()
    assert 360 <= mean_aht["LEGAL"] <= 480
    assert 120 <= mean_aht["INFO"] <= 180
    assert mean_aht["LEGAL"] > mean_aht["INSOLV"] > mean_aht["INFO"]
    assert history["aht_s"].isna().equals(history["handled"] == 0)


def test_calls_are_handled_or_abandoned(history) -> None:
    assert (history["handled"] + history["abandoned"] == history["offered"]).all()
    assert (history[["offered", "handled", "abandoned"]] >= 0).all().all()
    rate = history["abandoned"].sum() / history["offered"].sum()
    assert 0.03 <= rate <= 0.07


def test_information_calls_peak_twice_a_day(history) -> None:
    info = history[(history["queue"] == "INFO") & (history["interval_start"].dt.day_of_week != 4)]
    by_clock = info.groupby("clock")["offered"].mean()
    dip = by_clock["12:30":"13:15"].mean()
    assert by_clock["10:00":"11:15"].mean() > 1.2 * dip
    assert by_clock["13:30":"14:45"].mean() > 1.1 * dip
    assert by_clock["08:00"] < dip and by_clock["18:45"] < dip


def test_closed_on_saturdays_and_holidays_short_on_eves(history) -> None:
    dates = set(history["date"])
    assert not any(d.weekday() == 5 for d in dates)
    assert dt.date(2025, 10, 2) not in dates  # Yom Kippur, a Thursday
    assert dt.date(2026, 5, 22) not in dates  # Shavuot, a Friday
    eve = history[history["date"] == dt.date(2025, 10, 1)]  # Erev Yom Kippur, a Wednesday
    assert eve["clock"].min() == "08:00" and eve["clock"].max() == "12:45"


def test_every_open_interval_has_a_row_per_queue(history, workbook: Workbook) -> None:
    sunday = history[history["date"] == dt.date(2026, 11, 22)]
    assert len(sunday) == 44 * len(workbook.queues)
    assert set(history.groupby("interval_start").size()) == {len(workbook.queues)}


def test_history_follows_around_the_clock_opening_hours(workbook: Workbook) -> None:
    all_day = tuple(OpeningSpan(weekday=w, open_min=0, close_min=1440) for w in range(7))
    frame = demo_history(dataclasses.replace(workbook, opening_hours=all_day))
    per_day = frame.groupby(frame["interval_start"].dt.date)["offered"].size() / 12
    assert per_day[dt.date(2026, 11, 28)] == 96  # a Saturday
    night = frame["interval_start"].dt.hour < 6
    assert 0 < frame.loc[night, "offered"].mean() < frame.loc[~night, "offered"].mean() / 3


def test_staff_has_the_reference_roles_and_contracts(workbook: Workbook) -> None:
    roles = Counter(e.role for e in workbook.employees)
    assert roles == {Role.AGENT: 80, Role.SHIFT_LEAD: 5, Role.FLOOR_LEAD: 2, Role.TEAM_MANAGER: 7}
    agents = [e for e in workbook.employees if e.role is Role.AGENT]
    assert Counter(e.contract_id for e in agents) == {"FT": 60, "PT": 20}
    assert len({e.employee_id for e in workbook.employees}) == 94
    assert len({e.name for e in workbook.employees}) == 94
    assert all(1 <= len(e.skills) <= 4 and 52 <= e.hourly_cost <= 68 for e in agents)
    queue_ids = tuple(q.queue_id for q in workbook.queues)
    for lead in (e for e in workbook.employees if e.role is Role.SHIFT_LEAD):
        assert lead.skills == queue_ids
    assert {e.contract_id for e in workbook.employees} == {
        c.contract_id for c in workbook.contracts
    }


def test_every_queue_has_experts_and_skill_sets_repeat(workbook: Workbook) -> None:
    agents = [e for e in workbook.employees if e.role is Role.AGENT]
    experts = Counter(q for e in agents for q in e.skills)
    assert {q.queue_id for q in workbook.queues} == set(experts)
    assert min(experts.values()) >= 5
    assert experts["INFO"] == max(experts.values())
    assert len({e.skills for e in agents}) <= 25


def test_every_agent_has_a_team_manager(workbook: Workbook) -> None:
    managed = {e.team for e in workbook.employees if e.role is Role.TEAM_MANAGER}
    assert len(managed) == 7
    assert all(e.team in managed for e in workbook.employees)


def test_center_rules(workbook: Workbook) -> None:
    center = workbook.center
    assert (center.interval_minutes, center.week_start, center.answer_seconds) == (15, 6, 60)
    assert center.shrinkage == 0.0  # breaks are rostered; a per-queue uplift cannot be covered
    assert [q.queue_id for q in workbook.queues if q.priority == 2] == ["LEGAL"]
    assert workbook.open_spans(DEMO_WEEK) == [(480, 1140)]
    assert workbook.open_spans(DEMO_WEEK + dt.timedelta(days=5)) == [(480, 780)]
    assert workbook.open_spans(DEMO_WEEK + dt.timedelta(days=6)) == []
    week = {DEMO_WEEK + dt.timedelta(days=k) for k in range(7)}
    ids = {e.employee_id for e in workbook.employees}
    for row in workbook.availability:
        assert row.employee_id in ids
        assert row.date is None or row.date in week
    assert not workbook.scenarios


def test_a_planned_week_with_a_holiday_gets_date_rows() -> None:
    rows = demo_opening_hours(dt.date(2026, 9, 20))  # Erev Yom Kippur Sun, Yom Kippur Mon
    dated = {r.date: (r.open_min, r.close_min) for r in rows if r.date is not None}
    assert dated == {
        dt.date(2026, 9, 20): (480, 780),
        dt.date(2026, 9, 21): (0, 0),
        dt.date(2026, 9, 25): (480, 780),  # Erev Sukkot, a Friday anyway
    }
    assert not [r for r in demo_opening_hours(DEMO_WEEK) if r.date is not None]


def test_write_demo_round_trips(tmp_path: Path, workbook: Workbook) -> None:
    pytest.importorskip("inputs.writer")
    reader = pytest.importorskip("inputs.workbook")
    history_reader = pytest.importorskip("inputs.history")
    workbook_path, history_path = write_demo(tmp_path / "demo")
    assert workbook_path.name == "workbook.xlsx" and history_path.name == "history.csv"
    assert reader.read_workbook(workbook_path) == workbook
    header = history_path.read_text(encoding="utf-8").splitlines()[:2]
    assert header[0] == ("queue,interval_start,offered,handled,abandoned,aht_s,"
                         "abandon_wait_sum_s,answer_wait_sum_s")
    assert header[1].split(",")[1] == "2024-11-24 08:00:00"
    read = history_reader.read_history(history_path, interval_minutes=15)
    assert len(read) == len(demo_history(workbook))
