"""The roster workbook HR reads (roster.xlsx): who works when, hours and cost, coverage, rules.

Sheets, in order: ``Roster`` (a row per employee, a column per day), ``Roster (print)`` (the
same laid out for A4 paper, outputs/print_roster.py), ``Day bars`` (a bar per employee
across each day, outputs/day_bars.py), ``Shifts`` (a row per shift), ``Hours & cost``,
``Coverage``, ``Summary`` and ``Rule report``. The workbook holds
values only, never a formula: totals are computed here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook as ExcelWorkbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from inputs.domain import Assignment, Employee
from outputs import day_bars, print_roster, xlsx_sheets
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
from scheduler.roster import overtime_cost

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
    print_roster.write_print_roster_sheet(plan, book.create_sheet("Roster (print)"))
    day_bars.write_day_bars_sheet(plan, book.create_sheet("Day bars"))
    write_shifts_sheet(plan, book.create_sheet("Shifts"))
    write_hours_sheet(plan, book.create_sheet("Hours & cost"))
    xlsx_sheets.write_coverage_sheet(plan, book.create_sheet("Coverage"))
    xlsx_sheets.write_summary_sheet(plan, book.create_sheet("Summary"))
    xlsx_sheets.write_rule_report_sheet(plan, book.create_sheet("Rule report"))
    book.save(path)


def day_header(day: dt.date) -> str:
    """A day column's title, e.g. ``Sun 29-11``."""
    return f"{WEEKDAY_ABBREVIATIONS[day.weekday()]} {day:%d-%m}"


def shift_text(assignment: Assignment) -> str:
    """A shift as a roster cell: ``08:00–16:30 · break 12:00–12:30 · short 10:00–10:15,
    14:30–14:45`` (the unpaid lunch, then the paid short breaks)."""
    text = f"{hhmm(assignment.start)}{EN_DASH}{hhmm(assignment.end)}"
    if assignment.breaks:
        text += f" {MIDDLE_DOT} break {breaks_text(assignment)}"
    if assignment.short_breaks:
        text += f" {MIDDLE_DOT} short {spans_text(assignment.short_breaks)}"
    return text


def breaks_text(assignment: Assignment) -> str:
    """A shift's lunch for people to read: ``12:00`` en dash ``12:30``, comma-separated."""
    return spans_text(assignment.breaks)


def spans_text(spans: tuple[tuple[dt.datetime, dt.datetime], ...]) -> str:
    """Breaks for people to read: ``10:00`` en dash ``10:15``, comma-separated."""
    return ", ".join(f"{hhmm(start)}{EN_DASH}{hhmm(end)}" for start, end in spans)


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
    """A row per shift in date, start, employee order, with real Excel dates and times; the
    unpaid lunch under breaks, the paid short breaks under short_breaks."""
    columns = [
        Column(header="employee_id"), Column(header="name"), Column(header="role"),
        Column(header="team"), Column(header="date", number_format=DATE_FORMAT),
        Column(header="start", number_format=TIME_FORMAT),
        Column(header="end", number_format=TIME_FORMAT), Column(header="breaks"),
        Column(header="short_breaks"),
        Column(header="paid_hours", number_format=HOURS_FORMAT),
        Column(header="cost", number_format=MONEY_FORMAT),
    ]  # fmt: skip
    rows: list[list[CellValue]] = []
    for row in shift_rows(plan):
        e, a = row.employee, row.assignment
        rows.append([
            e.employee_id, e.name, e.role.value, e.team, a.day, a.start.time(), a.end.time(),
            breaks_text(a) or None, spans_text(a.short_breaks) or None, a.paid_hours, a.cost,
        ])  # fmt: skip
    write_table(ws, columns, rows)
    finish_sheet(ws, autofilter=True)


HOURS_COLUMNS = (
    *EMPLOYEE_COLUMNS, Column(header="days"),
    Column(header="paid_hours", number_format=HOURS_FORMAT),
    Column(header="contract_min_hours", number_format=HOURS_FORMAT),
    Column(header="contract_max_hours", number_format=HOURS_FORMAT),
    Column(header="base_pay", number_format=MONEY_FORMAT),
    Column(header="premiums", number_format=MONEY_FORMAT),
    Column(header="overtime", number_format=MONEY_FORMAT),
    Column(header="cost", number_format=MONEY_FORMAT),
)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class EmployeeCost:
    """One employee's week in money: base pay, time and day premiums, overtime, and the total."""

    days: int
    paid_hours: float
    base_pay: float
    premiums: float
    overtime: float

    @property
    def cost(self) -> float:
        return round(self.base_pay + self.premiums + self.overtime, 2)


def employee_cost(plan: Plan, employee: Employee, shifts: list[Assignment]) -> EmployeeCost:
    """Split an employee's week cost: paid hours at the hourly cost, the evening/day premiums
    on top (each shift's cost already holds them), and overtime beyond the weekly thresholds."""
    paid = round(sum(a.paid_hours for a in shifts), 2)
    base = round(paid * employee.hourly_cost, 2)
    return EmployeeCost(
        days=len({a.day for a in shifts}),
        paid_hours=paid,
        base_pay=base,
        premiums=round(sum(a.cost for a in shifts) - base, 2),
        overtime=round(overtime_cost(plan.workbook, employee, paid), 2),
    )


def write_hours_sheet(plan: Plan, ws: Worksheet) -> None:
    """Per employee: days, paid hours against the contract's range, base pay, premiums,
    overtime and cost; a totals row of values (no formulas).

    A row is red when its paid hours fall outside the contract's weekly minimum and maximum.
    """
    shifts = _shifts_by_employee(plan)
    rows: list[list[CellValue]] = []
    fills: list[PatternFill | None] = []
    totals = [0.0] * 6  # days, paid hours, base pay, premiums, overtime, cost
    for employee in employees_by_team(plan):
        contract = plan.workbook.contract_of(employee)
        week = employee_cost(plan, employee, shifts.get(employee.employee_id, []))
        values = [week.days, week.paid_hours, week.base_pay, week.premiums, week.overtime,
                  week.cost]  # fmt: skip
        contract_range = [contract.min_weekly_hours, contract.max_weekly_hours]
        rows.append([*_employee_cells(employee), *values[:2], *contract_range, *values[2:]])
        low, high = contract.min_weekly_hours - 1e-6, contract.max_weekly_hours + 1e-6
        fills.append(None if low <= week.paid_hours <= high else RED)
        totals = [t + v for t, v in zip(totals, values, strict=True)]
    days, hours, base, premiums, overtime, cost = (round(t, 2) for t in totals)
    total_row: list[CellValue] = ["Total", None, None, None, None, int(days), hours, None, None,
                                  base, premiums, overtime, cost]  # fmt: skip
    write_table(ws, HOURS_COLUMNS, [*rows, total_row], fills=[*fills, None])
    for c in range(1, len(HOURS_COLUMNS) + 1):
        ws.cell(row=len(rows) + 2, column=c).font = BOLD
    finish_sheet(ws)
