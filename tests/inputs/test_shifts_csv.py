"""shifts.csv and forecast.csv read back: round trip with the writers, and exact error lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from inputs.domain import (
    Assignment,
    Contract,
    Employee,
    InputError,
    OpeningSpan,
    Queue,
    Role,
    Roster,
)
from inputs.plan_files import read_forecast_csv, read_shifts_csv
from outputs.csvs import write_forecast_csv, write_shifts_csv
from scheduler.plan import Plan
from scheduler.roster.result import SolveResult, SolveStatus
from tests.conftest import SUNDAY, WEEK, agent, small_workbook
from tests.summaries import summary_for

HEADER = "employee_id,name,role,date,start,end,breaks,paid_hours,cost,skills\n"
WORKBOOK = small_workbook(
    Contract(contract_id="C", min_weekly_hours=0, max_weekly_hours=50, max_days=6,
             min_shift_hours=4, max_shift_hours=10),
    opening_hours=(OpeningSpan(weekday=SUNDAY, open_min=0, close_min=1440),),
    queues=(Queue(queue_id="Q1", name="One"),),
    employees=(
        agent("E1", hourly_cost=50, skills=("Q1",)),
        Employee(employee_id="=E2", name="+Ben", role=Role.SHIFT_LEAD, team="T",
                 contract_id="C", hourly_cost=80),
    ),
)


def t(day: int, hhmm: str) -> dt.datetime:
    h, m = map(int, hhmm.split(":"))
    return dt.datetime.combine(WEEK + dt.timedelta(days=day), dt.time(h, m))


ROSTER = Roster(week_start=WEEK, assignments=(
    Assignment(employee_id="E1", day=WEEK, start=t(0, "08:00"), end=t(0, "16:30"),
               breaks=((t(0, "12:00"), t(0, "12:30")),), paid_hours=8.0, cost=400.0),
    Assignment(employee_id="=E2", day=WEEK + dt.timedelta(days=1), start=t(1, "20:00"),
               end=t(2, "04:00"), breaks=((t(2, "00:30"), t(2, "01:00")),), paid_hours=7.5,
               cost=712.5),
    Assignment(employee_id="E1", day=WEEK + dt.timedelta(days=2), start=t(2, "16:00"),
               end=t(3, "00:00"), paid_hours=8.0, cost=400.0),
))


def plan(forecast: pd.DataFrame | None = None) -> Plan:
    result = SolveResult(status=SolveStatus.OPTIMAL, roster=ROSTER, cost=1512.5, bound=1512.5,
                         gap=0.0)
    empty = pd.DataFrame()
    return Plan(workbook=WORKBOOK, week_start=WEEK, forecast=empty if forecast is None else
                forecast, requirements=empty, role_requirements=empty, result=result,
                summary=summary_for(WORKBOOK, WEEK, result))


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "shifts.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as error:
        read_shifts_csv(path, WORKBOOK)
    return error.value.problems


def test_shifts_round_trip_through_the_writer(tmp_path: Path) -> None:
    path = tmp_path / "shifts.csv"
    write_shifts_csv(plan(), path)
    assert "'=E2" in path.read_text()  # the writer's formula guard
    back = read_shifts_csv(path, WORKBOOK)
    assert back.week_start == WEEK
    assert sorted(back.assignments, key=lambda a: a.start) == sorted(
        ROSTER.assignments, key=lambda a: a.start)


def test_paid_hours_and_cost_are_derived_when_blank(tmp_path: Path) -> None:
    path = write(tmp_path, "E1,Ann,agent,2026-11-30,08:00,16:30,12:00-12:30,,,Q1\n")
    (shift,) = read_shifts_csv(path, WORKBOOK).assignments
    assert shift.paid_hours == 8.0 and shift.cost == 400.0


def test_week_start_is_the_workbooks_week_day_before_the_first_shift(tmp_path: Path) -> None:
    path = write(tmp_path, "E1,Ann,agent,2026-12-02,08:00,12:00,,4,200,Q1\n")
    assert read_shifts_csv(path, WORKBOOK).week_start == WEEK


def test_each_bad_cell_is_one_line_naming_file_line_column_and_fix(tmp_path: Path) -> None:
    path = write(tmp_path, (
        "E9,Zed,agent,2026-11-29,08:00,16:00,,7.5,300,Q1\n"
        "E1,Ann,agent,2026-13-01,08:00,16:00,,7.5,300,Q1\n"
        "E1,Ann,agent,2026-11-30,8h,16:00,12:00,x,300,Q1\n"
        "E1,Ann,shift_lead,2026-12-01,08:00,16:00,,7.5,300,Q1\n"
    ))
    assert problems(path) == [
        "shifts.csv line 2 (employee_id): 'E9' is not in the workbook's Employees sheet — "
        "known: E1, =E2",
        "shifts.csv line 3 (date): '2026-13-01' is not a date — write YYYY-MM-DD, e.g. "
        "2026-11-29",
        "shifts.csv line 4 (start): '8h' is not a time of day — write HH:MM, e.g. 08:00",
        "shifts.csv line 4 (breaks): '12:00' is not a list of breaks — write "
        "HH:MM-HH:MM;HH:MM-HH:MM or leave it blank",
        "shifts.csv line 4 (paid_hours): 'x' is not a number >= 0 — write e.g. 7.50",
        "shifts.csv line 5 (role): 'shift_lead' but the workbook says E1 is 'agent' — use the "
        "workbook the plan was made with",
    ]


def test_breaks_outside_the_shift_overlaps_and_other_weeks_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, (
        "E1,Ann,agent,2026-11-29,08:00,12:00,13:00-13:30,4,200,Q1\n"
        "E1,Ann,agent,2026-11-30,08:00,16:00,,8,400,Q1\n"
        "E1,Ann,agent,2026-11-30,15:00,18:00,,3,150,Q1\n"
        "E1,Ann,agent,2026-12-06,08:00,12:00,,4,200,Q1\n"
    ))
    assert problems(path) == [
        "shifts.csv line 2 (breaks): 13:00-13:30 is not inside the shift 08:00-12:00 — fix the "
        "break or the shift",
        "shifts.csv line 5 (date): 2026-12-06 is outside the week 2026-11-29 (Sunday) to "
        "2026-12-05 — one file holds one week",
        "shifts.csv line 4 (start): E1's shift 2026-11-30 15:00 overlaps the one on line 3 — "
        "remove or move one of them",
    ]


def test_a_missing_column_or_file_is_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "E1,08:00\n", header="employee_id,start\n")
    assert problems(path) == ["shifts.csv line 1 (header): missing columns date, end — the "
                              "header must hold employee_id, date, start, end"]
    with pytest.raises(InputError, match="file not found"):
        read_shifts_csv(tmp_path / "nope.csv", WORKBOOK)


def test_forecast_round_trips_and_reports_bad_numbers(tmp_path: Path) -> None:
    table = pd.DataFrame({
        "queue": ["Q1", "Q1"], "interval_start": pd.to_datetime(["2026-11-29 08:00",
                                                                 "2026-11-29 08:15"]),
        "calls": [3.25, 0.0], "calls_lo": [1.0, 0.0], "calls_hi": [5.5, 0.0],
        "aht_s": [180.0, float("nan")]})  # fmt: skip
    path = tmp_path / "forecast.csv"
    write_forecast_csv(plan(table), path)
    back = read_forecast_csv(path, ["Q1"])
    pd.testing.assert_frame_equal(back, table, check_dtype=False)
    path.write_text("queue,interval_start,calls,calls_lo,calls_hi,aht_s\n"
                    "Q2,2026-11-29 08:00:00,-1,0,x,180\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_forecast_csv(path, ["Q1"])
    assert error.value.problems == [
        "forecast.csv line 2 (calls): '-1' is not a number >= 0 — write e.g. 12.5",
        "forecast.csv line 2 (calls_hi): 'x' is not a number >= 0 — write e.g. 12.5",
        "forecast.csv line 2 (queue): 'Q2' is not a queue of the workbook — known: Q1",
    ]
