"""The outputs stage: plan folder files, their exact columns and texts, and atomic writing."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import outputs
from inputs.domain import (
    Assignment,
    Center,
    Contract,
    Employee,
    InputError,
    OpeningSpan,
    Premium,
    PremiumKind,
    Queue,
    Role,
    Roster,
    Workbook,
)
from outputs import write_plan
from outputs.csvs import csv_text, to_json_value
from outputs.xlsx_sheets import CoverageStatus, coverage_status, flatten_summary
from scheduler.plan import Plan
from scheduler.roster.result import RuleBreak, Shortfall, SolveResult, SolveStatus
from scheduler.summary import PlannedServiceLevels, ServiceLevelSummary
from tests.summaries import summary_for

SUNDAY = dt.date(2026, 11, 29)
FILES = {"roster.xlsx", "shifts.csv", "forecast.csv", "requirements.csv", "summary.json",
         "report.html", "inputs", "schedules", "calendars"}


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def shift(employee_id: str, day: dt.date, start: tuple[int, int], end: tuple[int, int],
          brk: tuple[tuple[int, int], tuple[int, int]] | None, paid: float, cost: float,
          ) -> Assignment:  # fmt: skip
    """A shift; an end at or before the start is on the next day (a night shift)."""
    begin, finish = at(day, *start), at(day, *end)
    if finish <= begin:
        finish += dt.timedelta(days=1)
    breaks: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    if brk is not None:
        b0 = at(day, *brk[0])
        b0 += dt.timedelta(days=1) if b0 < begin else dt.timedelta(0)
        breaks = ((b0, b0 + (at(day, *brk[1]) - at(day, *brk[0]))),)
    return Assignment(employee_id=employee_id, day=day, start=begin, end=finish, breaks=breaks,
                      paid_hours=paid, cost=cost)  # fmt: skip


def make_workbook(employees: tuple[Employee, ...] | None = None,
                  queues: tuple[Queue, ...] | None = None) -> Workbook:  # fmt: skip
    default_employees = (
        Employee(employee_id="E1", name="Dana Levi", role=Role.AGENT, team="Blue",
                 contract_id="FT", hourly_cost=50.0, skills=("Q1", "Q2")),
        Employee(employee_id="E2", name="Omer Katz", role=Role.AGENT, team="Red",
                 contract_id="PT", hourly_cost=40.0, skills=("Q2",)),
        Employee(employee_id="E3", name="Noa Ben", role=Role.SHIFT_LEAD, team="Blue",
                 contract_id="FT", hourly_cost=60.0),
    )  # fmt: skip
    return Workbook(
        center=Center(name="Demo center"),
        opening_hours=(OpeningSpan(weekday=6, open_min=480, close_min=1020),),
        queues=queues or (Queue(queue_id="Q1", name="Companies"),
                          Queue(queue_id="Q2", name="Legal aid", service_level=0.8)),
        employees=employees or default_employees,
        contracts=(
            Contract(contract_id="FT", min_weekly_hours=10, max_weekly_hours=42, max_days=5,
                     min_shift_hours=4, max_shift_hours=9),
            Contract(contract_id="PT", min_weekly_hours=20, max_weekly_hours=30, max_days=4,
                     min_shift_hours=4, max_shift_hours=8),
        ),
    )  # fmt: skip


ROSTER = Roster(week_start=SUNDAY, assignments=(
    shift("E3", SUNDAY, (22, 0), (6, 0), ((2, 0), (2, 30)), 7.5, 450.0),
    shift("E2", SUNDAY, (10, 0), (18, 0), ((13, 0), (13, 30)), 7.5, 300.0),
    shift("E1", SUNDAY + dt.timedelta(days=1), (8, 0), (16, 30), ((12, 0), (12, 30)), 8.0, 400.0),
    shift("E1", SUNDAY, (8, 0), (16, 30), ((12, 0), (12, 30)), 8.0, 400.0),
))  # fmt: skip

# queue, hh:mm, calls, aht_s, required, scheduled, planned service level (Q2 listed first: the
# files must come out sorted by queue, then interval).
REQUIREMENTS = [
    ("Q2", "08:00", 0.0, 420.0, 0, 1, math.nan),
    ("Q2", "08:15", 6.25, 420.0, 2, 2, 0.79),
    ("Q2", "08:30", 7.0, 420.0, 2, 2, 0.85),
    ("Q1", "08:00", 10.5, 300.0, 3, 3, 0.86),
    ("Q1", "08:15", 9.0, 300.0, 3, 3, 0.82),
    ("Q1", "08:30", 12.0, 300.0, 4, 3, 0.6),
]


def make_plan(workbook: Workbook | None = None, inputs: dict[str, Path] | None = None,
              roster: Roster = ROSTER, shortfalls: bool = True) -> Plan:  # fmt: skip
    starts = [at(SUNDAY, int(t[:2]), int(t[3:])) for _, t, *_ in REQUIREMENTS]
    queues = [r[0] for r in REQUIREMENTS]
    requirements = pd.DataFrame({
        "queue": queues, "interval_start": starts, "calls": [r[2] for r in REQUIREMENTS],
        "aht_s": [r[3] for r in REQUIREMENTS], "required_agents": [r[4] for r in REQUIREMENTS],
        "scheduled_agents": [r[5] for r in REQUIREMENTS],
        "expected_service_level": [r[6] for r in REQUIREMENTS],
    })  # fmt: skip
    forecast = pd.DataFrame({
        "queue": queues, "interval_start": starts, "calls": [r[2] for r in REQUIREMENTS],
        "calls_lo": [r[2] * 0.8 for r in REQUIREMENTS],
        "calls_hi": [r[2] * 1.25 for r in REQUIREMENTS], "aht_s": [r[3] for r in REQUIREMENTS],
    })  # fmt: skip
    roles = pd.DataFrame({"role": ["shift_lead", "shift_lead"],
                          "interval_start": [at(SUNDAY, 8, 15), at(SUNDAY, 8, 0)],
                          "required": [1, 1], "on_duty": [0, 1]})  # fmt: skip
    result = SolveResult(
        status=SolveStatus.FEASIBLE, roster=roster, cost=1550.0, bound=1500.0, gap=0.0323,
        shortfalls=(
            Shortfall(what="shift_lead", interval_start=at(SUNDAY, 8, 15), required=1, scheduled=0),
            Shortfall(what="Q1", interval_start=at(SUNDAY, 8, 30), required=4, scheduled=3),
        ) if shortfalls else (),
        allocation=requirements[["queue", "interval_start", "scheduled_agents"]],
        role_on_duty=roles[["role", "interval_start", "on_duty"]],
        explanation=("Q1 08:30 Sun: 1 agent short of 4 required",) if shortfalls else (),
    )  # fmt: skip
    workbook = workbook or make_workbook()
    planned = PlannedServiceLevels(overall=0.83, by_queue={"Q1": np.float64(0.81), "Q2": math.nan})
    summary = summary_for(
        workbook, SUNDAY, result, runtime_s={"total": np.float64(1.25)},
        service_level=ServiceLevelSummary(target=0.8, answer_seconds=60, scope="interval",
                                          planned=planned),
        staff={"agent": 2}, inputs={"workbook.xlsx": "ab12"}, paid_hours=np.float64(math.inf),
    )  # fmt: skip
    return Plan(workbook=workbook, week_start=SUNDAY, forecast=forecast,
                requirements=requirements, role_requirements=roles, result=result,
                summary=summary, inputs=inputs or {})  # fmt: skip


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("plan")
    source = base / "history.csv"
    source.write_text("queue,interval_start,offered\nQ1,2026-11-01 08:00,3\n", encoding="utf-8")
    return write_plan(make_plan(inputs={"history.csv": source}), base / "out")


@pytest.fixture(scope="module")
def book(written: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(written / "roster.xlsx")


def sheet_rows(book: openpyxl.Workbook, name: str) -> list[tuple[object, ...]]:
    return list(book[name].iter_rows(values_only=True))


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


# ---------------------------------------------------------------- the folder and its files


def test_plan_folder_holds_every_file_and_a_copy_of_the_inputs(written: Path) -> None:
    assert {p.name for p in written.iterdir()} == FILES
    copied = written / "inputs" / "history.csv"
    assert copied.read_text(encoding="utf-8").startswith("queue,interval_start,offered\n")
    assert [p.name for p in written.parent.iterdir() if p.name.startswith(".")] == []


def test_workbook_sheets_in_order_with_no_formula_anywhere(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Roster", "Roster (print)", "Day bars", "Shifts", "Hours & cost",
                               "Coverage", "Summary", "Rule report"]  # fmt: skip
    formulas = [c.coordinate for ws in book for row in ws.iter_rows() for c in row
                if c.data_type == "f"]  # fmt: skip
    assert formulas == []
    for ws in book:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert book["Shifts"].freeze_panes == "A2"
    assert book["Roster"].freeze_panes == "F2"


def test_roster_sheet_one_row_per_employee_by_team_one_column_per_day(
    book: openpyxl.Workbook,
) -> None:
    rows = sheet_rows(book, "Roster")
    assert rows[0] == ("team", "employee_id", "name", "role", "contract", "Sun 29-11",
                       "Mon 30-11", "Tue 01-12", "Wed 02-12", "Thu 03-12", "Fri 04-12",
                       "Sat 05-12")  # fmt: skip
    assert [r[:5] for r in rows[1:]] == [
        ("Blue", "E1", "Dana Levi", "agent", "FT"),
        ("Blue", "E3", "Noa Ben", "shift_lead", "FT"),
        ("Red", "E2", "Omer Katz", "agent", "PT"),
    ]
    assert rows[1][5:8] == ("08:00\u201316:30 \u00b7 break 12:00\u201312:30",
                            "08:00\u201316:30 \u00b7 break 12:00\u201312:30", None)  # fmt: skip
    assert rows[2][5] == "22:00\u201306:00 \u00b7 break 02:00\u201302:30"  # night shift
    assert rows[2][6:] == (None,) * 6
    assert book["Roster"].column_dimensions["F"].width >= len(str(rows[1][5]))


def test_shifts_sheet_long_format_with_real_dates_and_times(book: openpyxl.Workbook) -> None:
    ws = book["Shifts"]
    assert [c.value for c in ws[1]] == ["employee_id", "name", "role", "team", "date", "start",
                                        "end", "breaks", "short_breaks", "paid_hours",
                                        "cost"]  # fmt: skip
    ids = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    assert ids == ["E1", "E2", "E3", "E1"]  # by date, then start
    date_cell, start_cell, end_cell = ws["E2"], ws["F2"], ws["G2"]
    assert date_cell.is_date and date_cell.value.date() == SUNDAY
    assert start_cell.is_date and start_cell.value == dt.time(8, 0)
    assert end_cell.value == dt.time(16, 30) and end_cell.number_format == "hh:mm"
    assert [c.value for c in ws[4]][6:] == [dt.time(6, 0), "02:00\u201302:30", None, 7.5,
                                            450.0]


def test_hours_sheet_per_employee_with_a_totals_row_of_values(book: openpyxl.Workbook) -> None:
    rows = sheet_rows(book, "Hours & cost")
    assert rows[0] == ("team", "employee_id", "name", "role", "contract", "days", "paid_hours",
                       "contract_min_hours", "contract_max_hours", "base_pay", "premiums",
                       "overtime", "cost")  # fmt: skip
    assert rows[1][1:] == ("E1", "Dana Levi", "agent", "FT", 2, 16, 10, 42, 800, 0, 0, 800)
    assert rows[3][1] == "E2" and rows[3][5:] == (1, 7.5, 20, 30, 300, 0, 0, 300)
    assert rows[4] == ("Total", None, None, None, None, 4, 31, None, None, 1550, 0, 0, 1550)
    ws = book["Hours & cost"]
    assert ws["A4"].fill.fgColor.rgb.endswith("FFC7CE")  # 7.5 h is below PT's 20 h
    assert ws["A2"].fill.fill_type is None


def test_hours_sheet_splits_premiums_and_overtime_and_totals_match_the_plan(
    tmp_path: Path,
) -> None:
    """E1 (50/h) works 8 h + 8 h; one shift carries a 60.00 evening premium; overtime pays
    x1.5 after 10 h a week: 6 h x 50 x 0.5 = 150.00. Cost = 800 + 60 + 150 = 1010."""
    overtime = Premium(name="Overtime", kind=PremiumKind.OVERTIME, multiplier=1.5,
                       after_hours=10.0)  # fmt: skip
    workbook = dataclasses.replace(make_workbook(), premiums=(overtime,))
    roster = Roster(week_start=SUNDAY, assignments=(
        shift("E1", SUNDAY, (8, 0), (16, 30), ((12, 0), (12, 30)), 8.0, 400.0),
        shift("E1", SUNDAY + dt.timedelta(days=1), (11, 0), (19, 30), ((14, 0), (14, 30)), 8.0,
              460.0),
    ))  # fmt: skip
    out = write_plan(make_plan(workbook=workbook, roster=roster), tmp_path / "plan")
    rows = sheet_rows(openpyxl.load_workbook(out / "roster.xlsx"), "Hours & cost")
    assert rows[1][1] == "E1" and rows[1][5:] == (2, 16, 10, 42, 800, 60, 150, 1010)
    assert rows[-1][9:] == (800, 60, 150, 1010)


def test_coverage_shows_simulated_service_level_when_the_plan_has_it(tmp_path: Path) -> None:
    plan = make_plan()
    plan.requirements["simulated_service_level"] = [0.7, 0.8, 0.9, 0.81, 0.83, 0.55]
    plan.requirements["simulated_sl_lo"] = plan.requirements["simulated_service_level"] - 0.05
    plan.requirements["simulated_sl_hi"] = plan.requirements["simulated_service_level"] + 0.05
    out = write_plan(plan, tmp_path / "plan")
    ws = openpyxl.load_workbook(out / "roster.xlsx")["Coverage"]
    header = [c.value for c in ws[1]]
    assert header[:12] == ["queue", "date", "time", "forecast_calls", "aht_s", "required",
                           "scheduled", "planned_service_level", "simulated_service_level",
                           "simulated_sl_lo", "simulated_sl_hi", "status"]  # fmt: skip
    assert header[13] == "role"  # the role table moves right, one blank column between
    first = [c.value for c in ws[2]][:12]  # Q1 08:00 comes first: its row holds 0.81
    assert first[7:] == [0.86, 0.81, pytest.approx(0.76), pytest.approx(0.86), "ok"]
    assert ws["I2"].number_format == "0.0%"


def test_coverage_sheet_colours_each_interval_by_status(book: openpyxl.Workbook) -> None:
    ws = book["Coverage"]
    header = [c.value for c in ws[1]]
    assert header[:9] == ["queue", "date", "time", "forecast_calls", "aht_s", "required",
                          "scheduled", "planned_service_level", "status"]  # fmt: skip
    assert header[10:16] == ["role", "date", "time", "required", "on_duty", "status"]
    got = [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=3).value,
            ws.cell(row=r, column=8).value, ws.cell(row=r, column=9).value,
            ws.cell(row=r, column=8).fill.fgColor.rgb[-6:]) for r in range(2, 8)]  # fmt: skip
    assert got == [
        ("Q1", dt.time(8, 0), 0.86, "ok", "C6EFCE"),
        ("Q1", dt.time(8, 15), 0.82, "near target", "FFEB9C"),
        ("Q1", dt.time(8, 30), 0.6, "understaffed", "FFC7CE"),
        ("Q2", dt.time(8, 0), None, "ok", "C6EFCE"),  # no calls: no service level to miss
        ("Q2", dt.time(8, 15), 0.79, "below target", "FFC7CE"),
        ("Q2", dt.time(8, 30), 0.85, "ok", "C6EFCE"),  # exactly 5 points above is ok
    ]
    assert ws["H2"].number_format == "0.0%" and ws["B2"].is_date
    assert [c.value for c in ws[2]][10:16] == ["shift_lead", dt.datetime(2026, 11, 29),
                                               dt.time(8, 0), 1, 1, "ok"]  # fmt: skip
    assert ws["P3"].value == "understaffed" and ws["P3"].fill.fgColor.rgb.endswith("FFC7CE")


def test_summary_sheet_flattens_nested_keys(book: openpyxl.Workbook) -> None:
    rows: dict[object, object] = {r[0]: r[1] for r in sheet_rows(book, "Summary")[1:]}
    assert rows["status"] == "feasible" and rows["cost"] == 1550
    assert rows["service_level.planned.by_queue.Q1"] == 0.81
    assert rows["service_level.planned.by_queue.Q2"] is None  # NaN is blank
    assert rows["week_start"] == "2026-11-29"
    assert rows["staff.agent"] == 2 and rows["seed"] == 0 and rows["paid_hours"] is None
    assert rows["shortfalls[0].what"] == "shift_lead"
    ws = book["Summary"]
    keys = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    row = keys.index("service_level.planned.by_queue.Q1") + 1
    assert ws.cell(row=row, column=2).number_format == "0.0%"


def test_rule_report_lists_shortfalls_then_the_explanation(book: openpyxl.Workbook) -> None:
    rows = sheet_rows(book, "Rule report")
    assert rows[0] == ("queue_or_role", "date", "time", "required", "scheduled", "missing")
    assert rows[1] == ("Q1", dt.datetime(2026, 11, 29), dt.time(8, 30), 4, 3, 1)
    assert rows[2] == ("shift_lead", dt.datetime(2026, 11, 29), dt.time(8, 15), 1, 0, 1)
    assert rows[4][0] == "explanation"
    assert rows[5][0] == "Q1 08:30 Sun: 1 agent short of 4 required"


def test_rule_report_says_no_rule_broken_when_nothing_is_short(tmp_path: Path) -> None:
    out = write_plan(make_plan(shortfalls=False), tmp_path / "plan")
    rows = sheet_rows(openpyxl.load_workbook(out / "roster.xlsx"), "Rule report")
    assert rows == [("No rule broken",)]


def test_empty_roster_writes_headers_and_blank_days(tmp_path: Path) -> None:
    empty = Roster(week_start=SUNDAY, assignments=())
    out = write_plan(make_plan(roster=empty), tmp_path / "plan")
    assert read_lines(out / "shifts.csv") == [
        "employee_id,name,role,date,start,end,breaks,paid_hours,cost,skills,short_breaks"
    ]
    rows = sheet_rows(openpyxl.load_workbook(out / "roster.xlsx"), "Hours & cost")
    assert rows[-1] == ("Total", None, None, None, None, 0, 0, None, None, 0, 0, 0, 0)


def test_split_shifts_share_a_wrapped_cell_and_control_characters_are_dropped(
    tmp_path: Path,
) -> None:
    bell = Employee(employee_id="E1", name="Dana\x07 Levi", role=Role.AGENT, team="Blue",
                    contract_id="FT", hourly_cost=50.0)  # fmt: skip
    roster = Roster(week_start=SUNDAY, assignments=(
        shift("E1", SUNDAY, (16, 0), (20, 0), None, 4.0, 200.0),
        shift("E1", SUNDAY, (7, 0), (11, 0), None, 4.0, 200.0),
    ))  # fmt: skip
    out = write_plan(make_plan(workbook=make_workbook(employees=(bell,)), roster=roster),
                     tmp_path / "plan")  # fmt: skip
    ws = openpyxl.load_workbook(out / "roster.xlsx")["Roster"]
    assert ws["C2"].value == "Dana Levi"
    assert ws["F2"].value == "07:00\u201311:00\n16:00\u201320:00"
    assert ws["F2"].alignment.wrap_text is True


# ---------------------------------------------------------------- CSV and JSON


def test_shifts_csv_exact_columns_and_rows(written: Path) -> None:
    assert read_lines(written / "shifts.csv") == [
        "employee_id,name,role,date,start,end,breaks,paid_hours,cost,skills,short_breaks",
        "E1,Dana Levi,agent,2026-11-29,08:00,16:30,12:00-12:30,8.00,400.00,Q1;Q2,",
        "E2,Omer Katz,agent,2026-11-29,10:00,18:00,13:00-13:30,7.50,300.00,Q2,",
        "E3,Noa Ben,shift_lead,2026-11-29,22:00,06:00,02:00-02:30,7.50,450.00,,",
        "E1,Dana Levi,agent,2026-11-30,08:00,16:30,12:00-12:30,8.00,400.00,Q1;Q2,",
    ]


def test_forecast_csv_exact_columns_sorted_by_queue_and_interval(written: Path) -> None:
    lines = read_lines(written / "forecast.csv")
    assert lines[0] == "queue,interval_start,calls,calls_lo,calls_hi,aht_s"
    assert lines[1] == "Q1,2026-11-29 08:00:00,10.500,8.400,13.125,300.0"
    assert [line[:2] for line in lines[1:]] == ["Q1"] * 3 + ["Q2"] * 3


def test_requirements_csv_exact_columns_and_blank_service_level(written: Path) -> None:
    lines = read_lines(written / "requirements.csv")
    assert lines[0] == ("queue,interval_start,calls,aht_s,required_agents,scheduled_agents,"
                        "expected_service_level")  # fmt: skip
    assert lines[3] == "Q1,2026-11-29 08:30:00,12.000,300.0,4,3,0.6000"
    assert lines[4] == "Q2,2026-11-29 08:00:00,0.000,420.0,0,1,"
    frame = pd.read_csv(written / "requirements.csv")
    assert list(frame["required_agents"]) == [3, 3, 4, 0, 2, 2]


# summary.json's top-level keys in their published order (DESIGN.md "Outputs").
SUMMARY_KEYS = [
    "center", "week_start", "status", "cost", "currency", "lower_bound", "gap",
    "time_to_first_feasible_s", "runtime_s", "seed", "solver", "service_level", "abandonment",
    "patience", "warnings", "intervals_below_target", "shortfalls", "rule_report",
    "soft_rules_broken", "staff", "paid_hours", "forecast", "inputs", "version", "pooling",
    "verify", "free_agent_time",
]


def test_summary_json_round_trip_with_iso_dates_and_null_for_nan(written: Path) -> None:
    data = json.loads((written / "summary.json").read_text(encoding="utf-8"))
    assert list(data) == SUMMARY_KEYS
    assert data["week_start"] == "2026-11-29" and data["status"] == "feasible"
    assert (data["cost"], data["lower_bound"], data["gap"]) == (1550.0, 1500.0, 0.0323)
    assert data["service_level"] == {
        "target": 0.8, "answer_seconds": 60, "scope": "interval",
        "planned": {"overall": 0.83, "by_queue": {"Q1": 0.81, "Q2": None},
                    "by_queue_day": {}, "by_queue_week": {}},
        "simulated": None,
    }  # fmt: skip
    assert data["runtime_s"] == {"total": 1.25} and data["paid_hours"] is None
    assert data["inputs"] == {"workbook.xlsx": {"sha256": "ab12"}}
    assert data["shortfalls"][0] == {"what": "shift_lead", "interval_start": "2026-11-29T08:15:00",
                                     "required": 1, "scheduled": 0, "missing": 1}
    assert data["pooling"] is None and data["verify"] == []
    assert data["free_agent_time"] is None
    assert (written / "summary.json").read_text(encoding="utf-8").startswith('{\n  "center"')


def test_to_json_value_handles_keys_enums_and_arrays() -> None:
    value = {SUNDAY: np.array([1.0, np.nan]), "role": Role.AGENT, 3: np.bool_(True)}
    assert to_json_value(value) == {"2026-11-29": [1.0, None], "role": "agent", "3": True}
    with pytest.raises(TypeError, match="cannot write a object"):
        to_json_value(object())


# ---------------------------------------------------------------- formula injection


def test_user_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    evil = Employee(employee_id="@E9", name='=HYPERLINK("http://x","y")', role=Role.AGENT,
                    team="+Ops", contract_id="FT", hourly_cost=40.0, skills=("-Q3",))  # fmt: skip
    workbook = make_workbook(employees=(evil,), queues=(Queue(queue_id="-Q3", name="=1+1"),))
    roster = Roster(week_start=SUNDAY, assignments=(
        shift("@E9", SUNDAY, (8, 0), (12, 0), None, 4.0, 160.0),))  # fmt: skip
    plan = make_plan(workbook=workbook, roster=roster)
    plan.requirements["queue"] = "-Q3"
    out = write_plan(plan, tmp_path / "plan")

    ws = openpyxl.load_workbook(out / "roster.xlsx")["Roster"]
    for coordinate, text in [("A2", "+Ops"), ("B2", "@E9"), ("C2", '=HYPERLINK("http://x","y")'),
                             ("F2", "08:00\u201312:00")]:  # fmt: skip
        assert (ws[coordinate].value, ws[coordinate].data_type) == (text, "s")
    coverage = openpyxl.load_workbook(out / "roster.xlsx")["Coverage"]
    assert (coverage["A2"].value, coverage["A2"].data_type) == ("-Q3", "s")
    with (out / "shifts.csv").open(encoding="utf-8", newline="") as handle:
        row = list(csv.reader(handle))[1]
    assert row[:3] == ["'@E9", """'=HYPERLINK("http://x","y")""", "agent"]
    assert row[9] == "'-Q3" and row[6] == "" and row[10] == ""
    assert read_lines(out / "requirements.csv")[1].startswith("'-Q3,")


@pytest.mark.parametrize(("text", "written_as"), [
    ("=1+1", "'=1+1"), ("+972", "'+972"), ("-x", "'-x"), ("@sum", "'@sum"), ("\tx", "'\tx"),
    ("Dana", "Dana"), ("a=b", "a=b"), ("", ""),
])  # fmt: skip
def test_csv_text_quotes_formula_starts_only(text: str, written_as: str) -> None:
    assert csv_text(text) == written_as


# ---------------------------------------------------------------- statuses and flattening


@pytest.mark.parametrize(("required", "scheduled", "level", "status"), [
    (3, 2, 0.95, CoverageStatus.UNDERSTAFFED),
    (3, 3, 0.7999, CoverageStatus.BELOW_TARGET),
    (3, 3, 0.80, CoverageStatus.NEAR_TARGET),
    (3, 3, 0.8499, CoverageStatus.NEAR_TARGET),
    (3, 3, 0.85, CoverageStatus.OK),
    (0, 0, None, CoverageStatus.OK),
])  # fmt: skip
def test_coverage_status_boundaries(
    required: int, scheduled: int, level: float | None, status: CoverageStatus
) -> None:
    assert coverage_status(required, scheduled, level, 0.80) is status


def test_flatten_summary_dotted_keys_and_lists_of_dicts() -> None:
    rows = flatten_summary({"a": {"b": 1, "c": {}}, "runs": [{"x": 1}, {"x": 2}], "t": (1, 2)})
    assert rows == [("a.b", 1), ("a.c", None), ("runs[0].x", 1), ("runs[1].x", 2), ("t", "1; 2")]


# ---------------------------------------------------------------- atomic writing


def test_failure_mid_write_leaves_no_folder_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(table: object, path: Path) -> None:
        path.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    monkeypatch.setattr(outputs.csvs, "write_requirements_csv", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        write_plan(make_plan(), tmp_path / "plan")
    assert list(tmp_path.iterdir()) == []


def test_failure_while_replacing_keeps_the_previous_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = write_plan(make_plan(), tmp_path / "plan")
    before = (out / "shifts.csv").read_bytes()
    monkeypatch.setattr(outputs.csvs, "write_summary_json", lambda plan, path: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_plan(make_plan(), out)
    assert (out / "shifts.csv").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]


def test_existing_plan_folder_is_replaced_whole(tmp_path: Path) -> None:
    out = write_plan(make_plan(), tmp_path / "plan")
    (out / "stale.txt").write_text("from last week", encoding="utf-8")
    assert write_plan(make_plan(), out) == out
    assert {p.name for p in out.iterdir()} == FILES
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]


def test_empty_folder_is_filled_and_missing_parents_created(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert {p.name for p in write_plan(make_plan(), tmp_path / "empty").iterdir()} == FILES
    assert (write_plan(make_plan(), tmp_path / "a" / "b") / "summary.json").is_file()


@pytest.mark.parametrize("kind", ["folder", "file"])
def test_other_folder_or_file_is_refused_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    target = tmp_path / "mine"
    if kind == "folder":
        target.mkdir()
        (target / "thesis.docx").write_text("precious", encoding="utf-8")
    else:
        target.write_text("precious", encoding="utf-8")
    monkeypatch.setattr(outputs.roster_xlsx, "write_roster_xlsx", pytest.fail)
    with pytest.raises(InputError) as error:
        write_plan(make_plan(), target)
    assert error.value.problems == [
        f"{target}: out_dir exists and is not a wfm plan folder"
        " — choose another --out or remove it"
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]


def test_missing_input_file_is_an_input_error_and_nothing_is_written(tmp_path: Path) -> None:
    gone = tmp_path / "history.csv"
    with pytest.raises(InputError, match=r"history\.csv: input file 'history\.csv' is gone"):
        write_plan(make_plan(inputs={"history.csv": gone}), tmp_path / "plan")
    assert list(tmp_path.iterdir()) == []


def test_extra_writers_join_the_same_folder(tmp_path: Path) -> None:
    def report(plan: Plan, folder: Path) -> None:
        (folder / "report.html").write_text(f"<p>{plan.result.status}</p>", encoding="utf-8")

    out = write_plan(make_plan(), tmp_path / "plan", extra_writers=[report])
    assert (out / "report.html").read_text(encoding="utf-8") == "<p>feasible</p>"


# ---------------------------------------------------------------- speed


def big_plan(queues: int = 12, days: int = 5, agents: int = 80) -> Plan:
    """About the real size: 12 queues x 5 days x 52 open intervals, 400 shifts."""
    qs = tuple(Queue(queue_id=f"Q{i}", name=f"Queue {i}") for i in range(queues))
    staff = tuple(Employee(employee_id=f"E{i:03}", name=f"Agent {i}", role=Role.AGENT,
                           team=f"T{i % 7}", contract_id="FT", hourly_cost=45.0,
                           skills=(f"Q{i % queues}",)) for i in range(agents))  # fmt: skip
    starts = [at(SUNDAY + dt.timedelta(days=d), 8) + dt.timedelta(minutes=15 * k)
              for d in range(days) for k in range(52)]  # fmt: skip
    n = len(starts) * queues
    rng = np.random.default_rng(0)
    requirements = pd.DataFrame({
        "queue": [q.queue_id for q in qs for _ in starts], "interval_start": starts * queues,
        "calls": rng.uniform(0, 30, n), "aht_s": rng.uniform(200, 600, n),
        "required_agents": rng.integers(0, 8, n), "scheduled_agents": rng.integers(0, 8, n),
        "expected_service_level": rng.uniform(0.6, 1.0, n),
    })  # fmt: skip
    assignments = tuple(shift(e.employee_id, SUNDAY + dt.timedelta(days=d), (8, 0), (16, 30),
                              ((12, 0), (12, 30)), 8.0, 360.0)
                        for e in staff for d in range(days))  # fmt: skip
    base = make_plan(workbook=make_workbook(employees=staff, queues=qs))
    forecast = requirements[["queue", "interval_start", "calls", "aht_s"]].assign(
        calls_lo=requirements["calls"] * 0.8, calls_hi=requirements["calls"] * 1.2)
    result = SolveResult(status=SolveStatus.OPTIMAL, roster=Roster(week_start=SUNDAY,
                         assignments=assignments), cost=1.0, bound=1.0, gap=0.0)  # fmt: skip
    return Plan(workbook=base.workbook, week_start=SUNDAY, forecast=forecast,
                requirements=requirements, role_requirements=base.role_requirements,
                result=result, summary=base.summary)  # fmt: skip


def test_real_size_plan_is_written_in_a_few_seconds(tmp_path: Path) -> None:
    plan = big_plan()
    assert plan.result.roster is not None and len(plan.result.roster.assignments) == 400
    assert len(plan.requirements) == 3120
    out = write_plan(plan, tmp_path / "plan")
    assert len(read_lines(out / "shifts.csv")) == 401


# ---------------------------------------------------------------- opens in a real spreadsheet


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_roster_workbook_and_prints_it(tmp_path: Path) -> None:
    """LibreOffice headless converts a real-size roster.xlsx to PDF: it opens, every sheet
    prints, and the Roster sheet's first page holds the shift texts."""
    out = write_plan(big_plan(), tmp_path / "plan")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(out / "roster.xlsx")], check=True, capture_output=True,
                   timeout=300)  # fmt: skip
    pdf = (tmp_path / "roster.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 6  # one sheet at least a page; landscape, one page wide
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(tmp_path / "roster.pdf"),
                               "-"], check=True, capture_output=True, text=True).stdout
        assert "08:00\u201316:30 \u00b7 break 12:00\u201312:30" in text
        assert "Agent 0" in text


def test_rule_report_lists_soft_rules_broken_with_their_price(tmp_path: Path) -> None:
    plan = make_plan()
    broken = (RuleBreak(rule="preferences", penalty=20.0,
                        text="E1 (Ann) works Sun 29-11 08:00-12:00, hours they asked to avoid"),)
    plan = dataclasses.replace(plan, result=dataclasses.replace(plan.result, rule_breaks=broken))
    rows = sheet_rows(openpyxl.load_workbook(write_plan(plan, tmp_path / "p") / "roster.xlsx"),
                      "Rule report")
    # The two shortfall rows, a blank row, the soft-rule table, a blank row, the explanation.
    assert rows[4] == ("soft rule", "what", "penalty (ILS)", None, None, None)
    assert rows[5] == ("preferences",
                       "E1 (Ann) works Sun 29-11 08:00-12:00, hours they asked to avoid", 20,
                       None, None, None)
    assert rows[7][0] == "explanation"


def test_a_system_refusal_mid_write_is_a_message_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(table: object, path: Path) -> None:
        path.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.csvs, "write_requirements_csv", full)
    with pytest.raises(InputError, match=r"plan: cannot be written \(No space left on device\)"):
        write_plan(make_plan(), tmp_path / "plan")
    assert list(tmp_path.iterdir()) == []
