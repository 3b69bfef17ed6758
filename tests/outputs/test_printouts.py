"""The printable roster, the day bars and the personal schedules, read back with openpyxl."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from inputs.domain import Roster
from outputs.day_bars import LUNCH, ON_DUTY, SHORT_BREAK, write_day_bars_sheet
from outputs.print_roster import (
    PAGE_WIDTH_CHARACTERS,
    day_width,
    page_header_text,
    write_print_roster_sheet,
)
from outputs.schedules import file_stem, unique_stems, write_schedules
from scheduler.plan import Plan
from tests.outputs.demo_plan import demo_plan
from tests.outputs.test_outputs import SUNDAY, make_plan, shift

MONDAY = SUNDAY + dt.timedelta(days=1)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return demo_plan()


@pytest.fixture(scope="module")
def printed(plan: Plan) -> openpyxl.worksheet.worksheet.Worksheet:
    book = Workbook()
    ws = book.active
    assert ws is not None
    write_print_roster_sheet(plan, ws)
    return ws


def test_print_roster_has_a_column_per_open_day_and_a_block_per_team(printed) -> None:
    # The demo center is closed on Saturday and nobody works then: no Saturday column.
    assert [c.value for c in printed[1]] == ["Employee", "Sun 29-11", "Mon 30-11", "Tue 01-12",
                                             "Wed 02-12", "Thu 03-12", "Fri 04-12"]
    titles = [(r, printed.cell(row=r, column=1).value) for r in range(2, printed.max_row + 1)
              if str(printed.cell(row=r, column=1).value).startswith("Team ")]
    assert [t for _, t in titles] == ["Team T1 · 14 people", "Team T2 · 14 people",
                                      "Team T3 · 14 people", "Team T4 · 13 people",
                                      "Team T5 · 13 people", "Team T6 · 13 people",
                                      "Team T7 · 13 people"]
    # A page break after the row above each team's title but the first.
    assert [b.id for b in printed.row_breaks.brk] == [r - 1 for r, _ in titles[1:]]
    assert printed.max_row == 1 + 7 + 94


def test_print_roster_cell_holds_shift_lunch_and_short_breaks_on_lines(printed) -> None:
    row = next(r for r in range(2, printed.max_row + 1)
               if printed.cell(row=r, column=1).value == "Orly Ben-David\nA15 · agent")
    assert printed.cell(row=row, column=2).value == (
        "08:45–17:45\nlunch 13:15–13:45\nshort 12:00–12:15\nshort 15:30–15:45")
    assert printed.cell(row=row, column=3).value == "08:45–14:45\nshort 11:45–12:00"
    assert printed.cell(row=row, column=7).value is None  # Friday off
    assert printed.row_dimensions[row].height == 4 * 13 + 2
    assert printed.cell(row=row, column=2).font.sz == 10


def test_print_roster_page_setup_a4_landscape_headers_and_page_numbers(printed) -> None:
    assert printed.page_setup.orientation == "landscape"
    assert printed.page_setup.paperSize == 9  # A4 in the OOXML paper size list
    assert printed.print_title_rows == "$1:$1"
    # The demo center's name holds "&", a header code: it must be doubled to print.
    assert printed.oddHeader.center.text == (
        "Government Service && Information Center (demo) · Roster, week of Sun 29-11-2026 to "
        "Fri 04-12-2026")
    assert printed.oddFooter.center.text == "Page &P of &N"
    widths = [printed.column_dimensions[c].width for c in "ABCDEFG"]
    assert widths == [18, 15, 15, 15, 15, 15, 15]
    assert sum(widths) <= PAGE_WIDTH_CHARACTERS


@pytest.mark.parametrize(("days", "width"), [(5, 17), (6, 15), (7, 13)])
def test_day_columns_share_the_page_width(days: int, width: int) -> None:
    assert day_width(days) == width


def test_page_header_doubles_ampersands() -> None:
    assert page_header_text("R&D && co") == "R&&D &&&& co"


def test_day_bars_colour_each_interval_by_what_the_employee_does(plan: Plan) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    write_day_bars_sheet(plan, ws)
    # The ruler runs from 08:00 (the earliest start) in 15-minute cells from column C.
    assert ws.cell(row=4, column=3).value == "08"
    assert ws.cell(row=3, column=1).value == "Sun 29-11 · 90 on shift"
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value ==
               "Orly Ben-David")  # Sunday 08:45-17:45, lunch 13:15-13:45, short 12:00, 15:30
    assert ws.cell(row=row, column=2).value == "08:45–17:45"
    colour = {ON_DUTY.fgColor.rgb: "duty", LUNCH.fgColor.rgb: "lunch",
              SHORT_BREAK.fgColor.rgb: "short"}

    def at(hour: int, minute: int) -> str | None:
        fill = ws.cell(row=row, column=3 + (hour * 60 + minute - 480) // 15).fill
        return colour.get(fill.fgColor.rgb) if fill.fill_type == "solid" else None

    assert [at(8, 30), at(8, 45), at(12, 0), at(12, 15), at(13, 15), at(13, 30), at(13, 45),
            at(17, 30), at(17, 45)] == [None, "duty", "short", "duty", "lunch", "lunch", "duty",
                                        "duty", None]
    assert len(ws.row_breaks.brk) == 5  # six working days, each from a new page


@pytest.fixture(scope="module")
def schedules(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plan") / "schedules"
    write_schedules(plan, folder)
    return folder


def rows_of(path: Path) -> list[tuple[object, ...]]:
    ws = openpyxl.load_workbook(path)["Schedule"]
    return list(ws.iter_rows(min_row=5, values_only=True))


def test_a_schedule_per_employee(schedules: Path, plan: Plan) -> None:
    assert sorted(p.name for p in schedules.iterdir()) == sorted(
        f"{e.employee_id}.xlsx" for e in plan.workbook.employees)


def test_schedule_rows_breaks_hours_friday_premium_and_skills(schedules: Path) -> None:
    book = openpyxl.load_workbook(schedules / "A29.xlsx")
    ws = book["Schedule"]
    assert ws["A1"].value == "Anna Shulman (A29)"
    assert ws["A2"].value == "Team T1 · agent · contract FT"
    rows = rows_of(schedules / "A29.xlsx")
    assert rows[0] == ("day", "start", "end", "lunch", "short breaks", "paid hours", "premiums",
                       "skills")
    assert rows[1] == ("Sun 29-11", "08:30", "17:30", "11:30–12:00", "10:00–10:15, 13:00–13:15",
                       8.5, 0, "Companies registrar, Pledges registrar, Non-profits registrar")
    assert rows[4][:2] == ("Wed 02-12", "off")
    # Friday 08:00-13:00, 5 paid hours at 62 ILS with the Friday premium x1.5 (cost 465.00):
    # 155.00 on top of the hourly rate.
    assert rows[6][:7] == ("Fri 04-12", "08:00", "13:00", None, "11:30–11:45", 5, 155)
    assert rows[7][:2] == ("Sat 05-12", "off")
    assert rows[8][:7] == ("Total", "5 days", None, None, None, 36, 155)
    assert ws.page_setup.fitToHeight == 1 and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.orientation == "landscape"


def test_schedule_lists_only_skills_whose_queues_are_open_during_the_shift(
        tmp_path: Path) -> None:
    # make_plan's center opens on Sundays 08:00-17:00 only; E1 knows Q1 and Q2.
    roster = Roster(week_start=SUNDAY, assignments=(
        shift("E1", SUNDAY, (8, 0), (16, 30), ((12, 0), (12, 30)), 8.0, 500.0),
        shift("E1", MONDAY, (8, 0), (12, 0), None, 4.0, 200.0),
    ))
    write_schedules(make_plan(roster=roster), tmp_path / "schedules")
    rows = rows_of(tmp_path / "schedules" / "E1.xlsx")
    assert rows[1] == ("Sun 29-11", "08:00", "16:30", "12:00–12:30", None, 8, 100,
                       "Companies, Legal aid")  # 500 - 8 h x 50: a premium of 100
    assert rows[2] == ("Mon 30-11", "08:00", "12:00", None, None, 4, 0, None)
    assert rows[-1] == ("Total", "2 days", None, None, None, 12, 100, None)


def test_overtime_gets_its_own_line(tmp_path: Path) -> None:
    plan = make_plan()
    workbook = plan.workbook
    premiums = (dataclasses.replace(demo_plan().workbook.premiums[-1], after_hours=10.0),)
    plan = dataclasses.replace(plan, workbook=dataclasses.replace(workbook, premiums=premiums))
    write_schedules(plan, tmp_path / "schedules")
    rows = rows_of(tmp_path / "schedules" / "E1.xlsx")
    # E1 works 16 paid hours at 50; 6 beyond 10 at x1.25 is 0.25 x 6 x 50 = 75.
    assert rows[-1] == ("Overtime", None, None, None, None, None, 75, None)


def test_file_names_are_safe_and_distinct() -> None:
    assert file_stem("../E 1/x") == "E_1_x"
    assert unique_stems(["A/1", "A:1", "B"]) == {"A/1": "A_1", "A:1": "A_1-2", "B": "B"}
