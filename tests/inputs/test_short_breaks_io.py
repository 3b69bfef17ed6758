"""Short breaks through the files: the Contracts sheet, shifts.csv (and --previous), the roster
workbook and the cost report."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from cli import main
from inputs.domain import (
    Assignment,
    Contract,
    InputError,
    OpeningSpan,
    Queue,
    Roster,
)
from inputs.plan_files import previous_roster, read_shifts_csv
from inputs.template import template_workbook, write_template
from inputs.workbook import read_workbook
from inputs.writer import write_workbook
from outputs.csvs import write_shifts_csv
from outputs.report_costs import BASE_PAY, cost_breakdown
from outputs.roster_xlsx import shift_text, write_shifts_sheet
from scheduler.plan import Plan
from scheduler.roster.result import SolveResult, SolveStatus
from tests.conftest import SUNDAY, WEEK, agent, small_workbook
from tests.summaries import summary_for

OLD_HEADER = "employee_id,name,role,date,start,end,breaks,paid_hours,cost,skills\n"
WORKBOOK = small_workbook(
    Contract(contract_id="C", min_weekly_hours=0, max_weekly_hours=50, max_days=6,
             min_shift_hours=4, max_shift_hours=10, short_break_minutes=15),
    opening_hours=(OpeningSpan(weekday=SUNDAY, open_min=0, close_min=1440),),
    queues=(Queue(queue_id="Q1", name="One"),),
    employees=(agent("E1", hourly_cost=50, skills=("Q1",)),),
)


def t(day: int, hhmm: str) -> dt.datetime:
    h, m = map(int, hhmm.split(":"))
    return dt.datetime.combine(WEEK + dt.timedelta(days=day), dt.time(h, m))


LONG = Assignment(employee_id="E1", day=WEEK, start=t(0, "08:00"), end=t(0, "16:00"),
                  breaks=((t(0, "12:00"), t(0, "12:30")),), paid_hours=7.5, cost=375.0,
                  short_breaks=((t(0, "10:00"), t(0, "10:15")), (t(0, "14:00"), t(0, "14:15"))))
NIGHT = Assignment(employee_id="E1", day=WEEK + dt.timedelta(days=1), start=t(1, "22:00"),
                   end=t(2, "03:00"), paid_hours=5.0, cost=250.0,
                   short_breaks=((t(2, "00:30"), t(2, "00:45")),))  # past midnight
ROSTER = Roster(week_start=WEEK, assignments=(LONG, NIGHT))


def plan(roster: Roster = ROSTER) -> Plan:
    result = SolveResult(status=SolveStatus.FEASIBLE, roster=roster, cost=625.0, bound=None,
                         gap=None)
    empty = pd.DataFrame()
    return Plan(workbook=WORKBOOK, week_start=WEEK, forecast=empty, requirements=empty,
                role_requirements=empty, result=result,
                summary=summary_for(WORKBOOK, WEEK, result))


# --- the Contracts sheet -----------------------------------------------------------------


def test_template_round_trip_keeps_the_short_break_columns(tmp_path: Path) -> None:
    back = read_workbook(write_template(tmp_path / "template.xlsx"))
    assert back == template_workbook()
    (contract,) = back.contracts
    assert (contract.short_break_minutes, contract.short_break_after_hours,
            contract.break_spacing_hours) == (15, 4.0, 1.0)
    header = [c.value for c in openpyxl.load_workbook(tmp_path / "template.xlsx")["Contracts"][1]]
    assert header[-3:] == ["short_break_minutes", "short_break_after_hours",
                           "break_spacing_hours"]


def test_blank_short_break_columns_keep_the_defaults(tmp_path: Path) -> None:
    path = write_template(tmp_path / "template.xlsx")
    book = openpyxl.load_workbook(path)
    for coordinate in ("Q2", "R2", "S2"):
        book["Contracts"][coordinate] = None
    book.save(path)
    (contract,) = read_workbook(path).contracts
    assert (contract.short_break_minutes, contract.short_break_after_hours,
            contract.break_spacing_hours) == (0, 4.0, 1.0)


def test_bad_short_break_values_name_the_cell_and_the_fix(tmp_path: Path) -> None:
    (contract,) = template_workbook().contracts
    bad = dataclasses.replace(contract, short_break_after_hours=30, break_spacing_hours=-1)
    path = tmp_path / "bad.xlsx"
    write_workbook(dataclasses.replace(template_workbook(), contracts=(bad,)), path)
    with pytest.raises(InputError) as error:
        read_workbook(path)
    assert error.value.problems == [
        "bad.xlsx: Contracts!R2 (short_break_after_hours): 30 is not a number from 0 to 24 — "
        "write e.g. 4",
        "bad.xlsx: Contracts!S2 (break_spacing_hours): -1 is not a number from 0 to 12 — "
        "write e.g. 1",
    ]


def test_no_room_around_the_lunch_is_refused_by_wfm_validate(tmp_path: Path) -> None:
    """9 h shifts with a lunch 3-5 h in: a 2 h spacing fits (short 2 h in, lunch 4 h 15 min
    in, short 2 h after it, 2 h before the end), but 2.25 h needs the lunch 4 h 45 min in or
    later and 3 h 45 min in at the latest: no room."""
    (contract,) = template_workbook().contracts
    tight = dataclasses.replace(contract, min_shift_hours=9, break_spacing_hours=2.25)
    path = tmp_path / "tight.xlsx"
    write_workbook(dataclasses.replace(template_workbook(), contracts=(tight,)), path)
    result = CliRunner().invoke(main, ["validate", "--workbook", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "error: tight.xlsx: Contracts!S2 (break_spacing_hours): 2.25 h leaves no room for "
        "two 15-min short breaks around the 30-min lunch in a 9 h shift, each 2.25 h from the "
        "shift's edges and the other breaks — lower break_spacing_hours or "
        "short_break_minutes, widen the break_window, or raise min_shift_hours"]
    write_workbook(dataclasses.replace(template_workbook(), contracts=(
        dataclasses.replace(tight, break_spacing_hours=2),)), path)
    assert read_workbook(path).contracts[0].break_spacing_hours == 2


# --- shifts.csv and --previous -----------------------------------------------------------


def test_shifts_csv_round_trip_with_short_breaks(tmp_path: Path) -> None:
    path = tmp_path / "shifts.csv"
    write_shifts_csv(plan(), path)
    lines = path.read_text().splitlines()
    assert lines[0].endswith(",cost,skills,short_breaks")
    assert lines[1] == ("E1,Ann,agent,2026-11-29,08:00,16:00,12:00-12:30,7.50,375.00,Q1,"
                        "10:00-10:15;14:00-14:15")
    assert lines[2].endswith(",5.00,250.00,Q1,00:30-00:45")
    back = read_shifts_csv(path, WORKBOOK)
    assert back.assignments == ROSTER.assignments
    assert previous_roster(tmp_path, WORKBOOK, WEEK + dt.timedelta(days=7)) == back


def test_an_old_shifts_csv_without_the_column_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "shifts.csv"
    path.write_text(OLD_HEADER + "E1,Ann,agent,2026-11-29,08:00,16:00,12:00-12:30,,,Q1\n")
    (shift,) = read_shifts_csv(path, WORKBOOK).assignments
    assert shift.short_breaks == () and shift.paid_hours == 7.5


def test_derived_paid_hours_keep_the_short_breaks_and_bad_cells_are_named(
    tmp_path: Path,
) -> None:
    path = tmp_path / "shifts.csv"
    header = OLD_HEADER.rstrip("\n") + ",short_breaks\n"
    path.write_text(header + "E1,Ann,agent,2026-11-29,08:00,16:00,12:00-12:30,,,Q1,"
                    "10:00-10:15;14:00-14:15\n")
    (shift,) = read_shifts_csv(path, WORKBOOK).assignments
    assert shift.paid_hours == 7.5 and shift.cost == 375.0  # only the lunch is unpaid
    path.write_text(header + "E1,Ann,agent,2026-11-29,08:00,16:00,,7.5,375,Q1,10:00\n"
                    "E1,Ann,agent,2026-11-30,08:00,12:00,,4,200,Q1,13:00-13:15\n")
    with pytest.raises(InputError) as error:
        read_shifts_csv(path, WORKBOOK)
    assert error.value.problems == [
        "shifts.csv line 2 (short_breaks): '10:00' is not a list of breaks — write "
        "HH:MM-HH:MM;HH:MM-HH:MM or leave it blank",
        "shifts.csv line 3 (short_breaks): 13:00-13:15 is not inside the shift 08:00-12:00 — "
        "fix the break or the shift",
    ]


# --- roster.xlsx and the cost report -----------------------------------------------------


def test_roster_cell_and_shifts_sheet_show_the_short_breaks() -> None:
    assert shift_text(LONG) == ("08:00\u201316:00 \u00b7 break 12:00\u201312:30 \u00b7 short "
                                "10:00\u201310:15, 14:00\u201314:15")
    assert shift_text(NIGHT) == "22:00\u201303:00 \u00b7 short 00:30\u201300:45"
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    write_shifts_sheet(plan(), ws)
    header = [c.value for c in ws[1]]
    assert header[7:9] == ["breaks", "short_breaks"]
    assert [c.value for c in ws[2]][7:11] == ["12:00\u201312:30",
                                              "10:00\u201310:15, 14:00\u201314:15", 7.5, 375.0]
    assert ws.cell(row=3, column=8).value is None


def test_short_breaks_are_paid_in_the_cost_report() -> None:
    base = cost_breakdown(plan()).by_premium[0]
    assert (base.label, base.hours, base.cost) == (BASE_PAY, 12.5, 625.0)  # 7.5 h + 5 h
