"""The floor's view of a day: a bar per employee across the day's intervals (``Day bars``).

A block per day: a title row, an hour ruler, then a row per employee working that day (by
start time) with a cell per planning interval, coloured by what the employee does then:
on duty, at lunch (unpaid) or on a short break. Cells are drawn, not conditionally
formatted, so the sheet prints and reads the same in any spreadsheet program. Each day starts
a new printed page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from inputs.domain import Assignment, Employee
from outputs.csvs import shift_rows
from outputs.print_roster import EN_DASH, day_title, page_header_text
from outputs.xlsx_table import put
from scheduler.plan import Plan

ON_DUTY = PatternFill(fill_type="solid", start_color="5B9BD5", end_color="5B9BD5")
LUNCH = PatternFill(fill_type="solid", start_color="D9D9D9", end_color="D9D9D9")
SHORT_BREAK = PatternFill(fill_type="solid", start_color="FFC000", end_color="FFC000")
FILLS = {"on duty": ON_DUTY, "lunch": LUNCH, "short break": SHORT_BREAK}
SMALL = Font(size=8)
BOLD = Font(bold=True)
CENTERED = Alignment(horizontal="center")
FIRST_SLOT_COLUMN = 3  # A: employee, B: the shift in words, then one column per interval
SLOT_WIDTH_PER_MINUTE = 1.6 / 15  # a 15-minute cell 1.6 characters wide: 07:00-21:00 fits A4
LEGEND_SPAN = 8  # interval columns each legend entry spans


def slot_state(assignment: Assignment, moment: dt.datetime) -> str | None:
    """What the employee does at `moment`: ``lunch``, ``short break``, ``on duty`` or None."""
    if not assignment.start <= moment < assignment.end:
        return None
    if any(a <= moment < b for a, b in assignment.breaks):
        return "lunch"
    if any(a <= moment < b for a, b in assignment.short_breaks):
        return "short break"
    return "on duty"


def _ruler(shifts: list[Assignment], step: int) -> tuple[int, int]:
    """The minutes after a day's midnight the ruler covers: whole hours around every shift."""
    starts = [int((a.start - _midnight(a.day)).total_seconds() // 60) for a in shifts]
    ends = [int((a.end - _midnight(a.day)).total_seconds() // 60) for a in shifts]
    first = min(starts, default=8 * 60) // 60 * 60
    last = -(-max(ends, default=17 * 60) // 60) * 60
    return first, max(last, first + step)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def write_day_bars_sheet(plan: Plan, ws: Worksheet) -> None:
    """Write a bar chart of each day of the week, employee by employee, in drawn cells.

    Args:
        plan: the finished plan.
        ws: an empty worksheet.
    """
    step = plan.workbook.center.interval_minutes
    rows = shift_rows(plan)
    first, last = _ruler([r.assignment for r in rows], step)
    slots = list(range(first, last, step))
    by_day: dict[dt.date, list[tuple[Employee, Assignment]]] = defaultdict(list)
    for row in rows:
        by_day[row.assignment.day].append((row.employee, row.assignment))
    _legend(ws)
    r = 3
    for index, day in enumerate(sorted(by_day)):
        if index > 0:
            ws.row_breaks.append(Break(id=r - 1))
        r = _day_block(ws, r, day, by_day[day], slots)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 12
    for c in range(FIRST_SLOT_COLUMN, FIRST_SLOT_COLUMN + len(slots)):
        ws.column_dimensions[get_column_letter(c)].width = SLOT_WIDTH_PER_MINUTE * step
    _page_setup(ws, plan)


def _legend(ws: Worksheet) -> None:
    """Row 1: what each colour means, each entry a coloured span of interval cells."""
    put(ws, 1, 1, "Legend").font = BOLD
    for k, (label, fill) in enumerate(FILLS.items()):
        column = FIRST_SLOT_COLUMN + k * (LEGEND_SPAN + 1)
        cell = put(ws, 1, column, label)
        cell.fill, cell.font = fill, SMALL
        ws.merge_cells(start_row=1, start_column=column, end_row=1,
                       end_column=column + LEGEND_SPAN - 1)


def _day_block(ws: Worksheet, r: int, day: dt.date,
               people: list[tuple[Employee, Assignment]], slots: list[int]) -> int:
    """Write one day's title, hour ruler and bars from row `r`; return the next free row."""
    put(ws, r, 1, f"{day_title(day)} · {len({e.employee_id for e, _ in people})} on shift"
        ).font = BOLD
    r += 1
    for offset, minute in enumerate(slots):
        if minute % 60 == 0:
            cell = put(ws, r, FIRST_SLOT_COLUMN + offset, f"{minute // 60 % 24:02d}")
            cell.font, cell.alignment = SMALL, Alignment(horizontal="left")
    r += 1
    midnight = _midnight(day)
    for employee, assignment in sorted(people, key=lambda p: (p[1].start, p[0].name)):
        put(ws, r, 1, employee.name).font = SMALL
        put(ws, r, 2, f"{assignment.start:%H:%M}{EN_DASH}{assignment.end:%H:%M}").font = SMALL
        for offset, minute in enumerate(slots):
            state = slot_state(assignment, midnight + dt.timedelta(minutes=minute))
            if state is not None:
                ws.cell(row=r, column=FIRST_SLOT_COLUMN + offset).fill = FILLS[state]
        r += 1
    return r + 1


def _page_setup(ws: Worksheet, plan: Plan) -> None:
    """A4 landscape, one page wide, the center and week in the header, page numbers below."""
    ws.freeze_panes = ws.cell(row=2, column=FIRST_SLOT_COLUMN).coordinate
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = page_header_text(
        f"{plan.workbook.center.name} · Day bars, week of {plan.week_start:%d-%m-%Y}")
    ws.oddFooter.center.text = "Page &P of &N"
