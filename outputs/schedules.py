"""Each employee's own week on one printable page (``schedules/<employee_id>.xlsx``).

A row per day of the week: the shift, its unpaid lunch and paid short breaks, the paid hours,
the premium money the shift earns on top of the hourly rate (evening, Friday, ... from the
Costs sheet), and the skills the employee may be routed to during it (their queues open
then). A day without a shift reads "off". Totals, and overtime when the week has any, close
the table. The page is A4 landscape, fitted to one page, so it prints or mails as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook as ExcelWorkbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from inputs.domain import Assignment, Employee, Workbook
from outputs.csvs import hhmm, shift_rows
from outputs.print_roster import EN_DASH, TOP_WRAP, day_title, page_header_text
from outputs.roster_xlsx import employee_cost
from outputs.xlsx_table import BOLD, HOURS_FORMAT, MONEY_FORMAT, CellValue, Column, put, write_table
from scheduler.plan import Plan

TITLE = Font(size=14, bold=True)
TABLE_ROW = 5  # the table's header row, under the title lines
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_stem(text: str) -> str:
    """A file name made from an id or team name: letters, digits, ``.``, ``_``, ``-`` only."""
    stem = _UNSAFE.sub("_", text).strip("._")
    return stem or "_"


def unique_stems(names: Iterable[str]) -> dict[str, str]:
    """A distinct file stem per name; two names that clean to the same stem get ``-2``, ``-3``."""
    taken: dict[str, int] = {}
    stems: dict[str, str] = {}
    for name in names:
        stem = file_stem(name)
        count = taken.get(stem.casefold(), 0) + 1
        taken[stem.casefold()] = count
        stems[name] = stem if count == 1 else f"{stem}-{count}"
    return stems


def shift_premium(employee: Employee, assignment: Assignment) -> float:
    """The money a shift earns beyond its paid hours at the hourly rate: its time and day
    premiums (overtime is a weekly figure, shown on its own line)."""
    return round(assignment.cost - assignment.paid_hours * employee.hourly_cost, 2)


def skills_on_shift(workbook: Workbook, employee: Employee, assignment: Assignment) -> list[str]:
    """The names of the employee's queues that are open at some time during the shift."""
    names = {q.queue_id: q.name for q in workbook.queues}
    start = (assignment.start - dt.datetime.combine(assignment.day, dt.time())).seconds // 60
    end = start + int((assignment.end - assignment.start).total_seconds() // 60)
    return [names.get(q, q) for q in employee.skills
            if any(a < end and start < b for a, b in workbook.open_spans(assignment.day, q))]


SCHEDULE_COLUMNS = (
    Column(header="day"), Column(header="start"), Column(header="end"), Column(header="lunch"),
    Column(header="short breaks"), Column(header="paid hours", number_format=HOURS_FORMAT),
    Column(header="premiums", number_format=MONEY_FORMAT), Column(header="skills"),
)  # fmt: skip


def write_schedules(plan: Plan, folder: Path) -> None:
    """Write one schedule workbook per employee of the plan's workbook into `folder`.

    Args:
        plan: the finished plan.
        folder: the plan's ``schedules/`` folder (created here).
    """
    folder.mkdir()
    shifts: dict[str, list[Assignment]] = defaultdict(list)
    for row in shift_rows(plan):
        shifts[row.employee.employee_id].append(row.assignment)
    stems = unique_stems(e.employee_id for e in plan.workbook.employees)
    for employee in plan.workbook.employees:
        book = ExcelWorkbook()
        ws = book.active
        assert ws is not None  # a new workbook always has one sheet
        ws.title = "Schedule"
        write_schedule_sheet(plan, employee, shifts.get(employee.employee_id, []), ws)
        book.save(folder / f"{stems[employee.employee_id]}.xlsx")


def write_schedule_sheet(plan: Plan, employee: Employee, shifts: list[Assignment],
                         ws: Worksheet) -> None:
    """One employee's week: title lines, a row per day (or per shift), totals, print setup."""
    center = plan.workbook.center
    days = [plan.week_start + dt.timedelta(days=i) for i in range(7)]
    days += sorted({a.day for a in shifts} - set(days))
    put(ws, 1, 1, f"{employee.name} ({employee.employee_id})").font = TITLE
    put(ws, 2, 1, f"Team {employee.team} · {employee.role.value} · contract "
                  f"{employee.contract_id}")
    put(ws, 3, 1, f"{center.name} · week of {day_title(days[0], year=True)} to "
                  f"{day_title(days[6], year=True)} · "
                  f"money in {center.currency}")
    rows: list[list[CellValue]] = []
    for day in days:
        own = sorted((a for a in shifts if a.day == day), key=lambda a: a.start)
        label = day_title(day)
        if not own:
            rows.append([label, "off", None, None, None, None, None, None])
        for a in own:
            rows.append([
                label, hhmm(a.start), hhmm(a.end), _spans(a.breaks) or None,
                _spans(a.short_breaks) or None, round(a.paid_hours, 2),
                shift_premium(employee, a),
                ", ".join(skills_on_shift(plan.workbook, employee, a)) or None,
            ])  # fmt: skip
    week = employee_cost(plan, employee, shifts)
    rows.append(["Total", f"{week.days} days", None, None, None, week.paid_hours,
                 week.premiums, None])
    if week.overtime > 0:
        rows.append(["Overtime", None, None, None, None, None, week.overtime, None])
    write_table(ws, SCHEDULE_COLUMNS, rows, first_row=TABLE_ROW)
    for r in range(TABLE_ROW + 1, TABLE_ROW + len(rows) + 1):
        for c in range(1, len(SCHEDULE_COLUMNS) + 1):
            ws.cell(row=r, column=c).alignment = TOP_WRAP
    for r in range(TABLE_ROW + len(rows) - (week.overtime > 0), TABLE_ROW + len(rows) + 1):
        for c in range(1, len(SCHEDULE_COLUMNS) + 1):
            ws.cell(row=r, column=c).font = BOLD
    ws.column_dimensions["A"].width = 20
    _page_setup(ws, plan, employee)


def _spans(spans: tuple[tuple[dt.datetime, dt.datetime], ...]) -> str:
    return ", ".join(f"{hhmm(a)}{EN_DASH}{hhmm(b)}" for a, b in spans)


def _page_setup(ws: Worksheet, plan: Plan, employee: Employee) -> None:
    """A4 landscape on exactly one page, the center in the header."""
    ws.print_area = ws.dimensions
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.left.text = page_header_text(plan.workbook.center.name)
    ws.oddHeader.right.text = page_header_text(f"{employee.name} · {plan.week_start:%d-%m-%Y}")
