"""The roster workbook HR reads (roster.xlsx): who works when, hours and cost, coverage, rules.

Sheets, in order: ``Roster`` (a row per employee, a column per day), ``Shifts`` (a row per
shift), ``Hours & cost``, ``Coverage``, ``Summary`` and ``Rule report``. The workbook holds
values only, never a formula: totals are computed here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook as ExcelWorkbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from inputs.domain import Assignment, Employee
from outputs import report_sheets
from outputs.csvs import hhmm, shift_rows
from outputs.xlsx_table import (
    BOLD,
    DATE_FORMAT,
    HOURS_FORMAT,
    MONEY_FORMAT,
    RED,
    TIME_FORMAT,
    WRAP,
    CellValue,
    Column,
    finish_sheet,
    write_table,
)
from scheduler.plan import Plan

EN_DASH = "\u2013"
MIDDLE_DOT = "\u00b7"
WEEKDAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EMPLOYEE_COLUMNS = (
    Column(header="team"),
    Column(header="employee_id"),
    Column(header="name"),
    Column(header="role"),
    Column(header="contract"),
)


def write_roster_xlsx(plan: Plan, path: Path) -> None:
    """Write the roster workbook for HR, one sheet per view of the plan.

    Args:
        plan: the finished plan.
        path: the .xlsx file to write.
    """
    book = ExcelWorkbook()
    roster_sheet = book.active
    assert roster_sheet is not None  # a new workbook always has one sheet
    roster_sheet.title = "Roster"
    write_roster_sheet(plan, roster_sheet)
    write_shifts_sheet(plan, book.create_sheet("Shifts"))
    write_hours_sheet(plan, book.create_sheet("Hours & cost"))
    report_sheets.write_coverage_sheet(plan, book.create_sheet("Coverage"))
    report_sheets.write_summary_sheet(plan, book.create_sheet("Summary"))
    report_sheets.write_rule_report_sheet(plan, book.create_sheet("Rule report"))
    book.save(path)


def day_header(day: dt.date) -> str:
    """A day column's title, e.g. ``Sun 29-11``."""
    return f"{WEEKDAY_ABBREVIATIONS[day.weekday()]} {day:%d-%m}"


def shift_text(assignment: Assignment) -> str:
    """A shift as a roster cell: ``08:00`` en dash ``16:30 · break 12:00`` en dash ``12:30``."""
    text = f"{hhmm(assignment.start)}{EN_DASH}{hhmm(assignment.end)}"
    if assignment.breaks:
        text += f" {MIDDLE_DOT} break {breaks_text(assignment)}"
    return text


def breaks_text(assignment: Assignment) -> str:
    """A shift's breaks for people to read: ``12:00`` en dash ``12:30``, comma-separated."""
    return ", ".join(f"{hhmm(start)}{EN_DASH}{hhmm(end)}" for start, end in assignment.breaks)


def employees_by_team(plan: Plan) -> list[Employee]:
    """Employees grouped by team (teams alphabetically), in workbook order within a team."""
    return sorted(plan.workbook.employees, key=lambda e: e.team.casefold())


def _employee_cells(employee: Employee) -> list[CellValue]:
    return [employee.team, employee.employee_id, employee.name, employee.role.value,
            employee.contract_id]  # fmt: skip


def _shifts_by_employee(plan: Plan) -> dict[str, list[Assignment]]:
    shifts: dict[str, list[Assignment]] = defaultdict(list)
    for row in shift_rows(plan):
        shifts[row.employee.employee_id].append(row.assignment)
    return shifts


def write_roster_sheet(plan: Plan, ws: Worksheet) -> None:
    """A row per employee and a column per day; a day off is a blank cell.

    The columns are the seven days from the plan's week start, plus any other day a shift is
    on, so no shift is ever left out.
    """
    shifts = _shifts_by_employee(plan)
    days = {plan.week_start + dt.timedelta(days=i) for i in range(7)}
    days |= {a.day for assignments in shifts.values() for a in assignments}
    ordered_days = sorted(days)
    columns = [*EMPLOYEE_COLUMNS, *(Column(header=day_header(d)) for d in ordered_days)]
    rows: list[list[CellValue]] = []
    for employee in employees_by_team(plan):
        by_day: dict[dt.date, list[str]] = defaultdict(list)
        for assignment in shifts.get(employee.employee_id, []):
            by_day[assignment.day].append(shift_text(assignment))
        cells = ["\n".join(by_day[d]) if d in by_day else None for d in ordered_days]
        rows.append([*_employee_cells(employee), *cells])
    write_table(ws, columns, rows)
    for r, values in enumerate(rows, start=2):
        if any(isinstance(v, str) and "\n" in v for v in values):
            for c in range(len(EMPLOYEE_COLUMNS) + 1, len(columns) + 1):
                ws.cell(row=r, column=c).alignment = WRAP
    finish_sheet(ws, freeze="F2", autofilter=True)


def write_shifts_sheet(plan: Plan, ws: Worksheet) -> None:
    """A row per shift in date, start, employee order, with real Excel dates and times."""
    columns = [
        Column(header="employee_id"), Column(header="name"), Column(header="role"),
        Column(header="team"), Column(header="date", number_format=DATE_FORMAT),
        Column(header="start", number_format=TIME_FORMAT),
        Column(header="end", number_format=TIME_FORMAT), Column(header="breaks"),
        Column(header="paid_hours", number_format=HOURS_FORMAT),
        Column(header="cost", number_format=MONEY_FORMAT),
    ]  # fmt: skip
    rows: list[list[CellValue]] = []
    for row in shift_rows(plan):
        e, a = row.employee, row.assignment
        rows.append([
            e.employee_id, e.name, e.role.value, e.team, a.day, a.start.time(), a.end.time(),
            breaks_text(a) or None, a.paid_hours, a.cost,
        ])  # fmt: skip
    write_table(ws, columns, rows)
    finish_sheet(ws, autofilter=True)


def write_hours_sheet(plan: Plan, ws: Worksheet) -> None:
    """Per employee: days worked, paid hours against the contract's range, and cost; totals.

    A row is red when its paid hours fall outside the contract's weekly minimum and maximum.
    """
    columns = [
        *EMPLOYEE_COLUMNS, Column(header="days"),
        Column(header="paid_hours", number_format=HOURS_FORMAT),
        Column(header="contract_min_hours", number_format=HOURS_FORMAT),
        Column(header="contract_max_hours", number_format=HOURS_FORMAT),
        Column(header="cost", number_format=MONEY_FORMAT),
    ]  # fmt: skip
    shifts = _shifts_by_employee(plan)
    rows: list[list[CellValue]] = []
    fills: list[PatternFill | None] = []
    total_days, total_hours, total_cost = 0, 0.0, 0.0
    for employee in employees_by_team(plan):
        own = shifts.get(employee.employee_id, [])
        contract = plan.workbook.contract_of(employee)
        days, paid = len({a.day for a in own}), round(sum(a.paid_hours for a in own), 2)
        cost = round(sum(a.cost for a in own), 2)
        rows.append([*_employee_cells(employee), days, paid, contract.min_weekly_hours,
                     contract.max_weekly_hours, cost])  # fmt: skip
        inside = contract.min_weekly_hours - 1e-6 <= paid <= contract.max_weekly_hours + 1e-6
        fills.append(None if inside else RED)
        total_days += days
        total_hours += paid
        total_cost += cost
    totals: list[CellValue] = ["Total", None, None, None, None, total_days,
                               round(total_hours, 2), None, None, round(total_cost, 2)]  # fmt: skip
    write_table(ws, columns, [*rows, totals], fills=[*fills, None])
    for c in range(1, len(columns) + 1):
        ws.cell(row=len(rows) + 2, column=c).font = BOLD
    finish_sheet(ws)
