"""The roster as HR prints it: one team per printed block, readable day columns, page headers.

The ``Roster`` sheet keeps its one-line cells for reading on screen and filtering; printed, its
long cells shrink to unreadable text (issue 21 counted 59 pages of about 6 points; LibreOffice
7.4 puts the demo's on one page at 2.5 points). ``Roster (print)`` is laid out for A4
landscape at 100%: a cell holds the shift, its lunch and each short break on lines of their
own, day columns are sized for 10-point text, only days with opening hours or shifts get a
column, each team starts a new page under the repeated day header, and the page header names
the center and the week, the footer the page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from inputs.domain import Assignment, Employee
from outputs.csvs import hhmm, shift_rows
from outputs.xlsx_table import put
from scheduler.plan import Plan

EN_DASH = "\u2013"
PRINT_FONT_POINTS = 10  # the floor is 9 points on paper; 10 leaves room to shrink
HEADER_FONT = Font(size=PRINT_FONT_POINTS, bold=True)
BODY_FONT = Font(size=PRINT_FONT_POINTS)
TEAM_FILL = PatternFill(fill_type="solid", start_color="D9E1F2", end_color="D9E1F2")
TOP_WRAP = Alignment(wrap_text=True, vertical="top")
NAME_WIDTH = 18  # characters: a name, then "E001 · agent"
MAX_DAY_WIDTH = 17  # characters: "lunch 12:00–12:30" at 10 points with room to spare
# Column widths count characters of the workbook's default font (Calibri 11, 7 px). Where
# Calibri is missing LibreOffice measures them in its stand-in, 9.3 px a character with
# Debian's fonts: 124 characters then printed 867 pt wide and shrank to 88% (8.8-point text).
# 110 characters fit A4 landscape's 784 pt between 0.4-inch margins there too.
PAGE_WIDTH_CHARACTERS = 110
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # not %a: that follows the locale
LINE_POINTS = 13.0  # row height per line of 10-point text
PAGE_MARGIN_INCHES = 0.4


def week_days(plan: Plan) -> list[dt.date]:
    """The days that get a column: the week's days that are open or hold a shift (a Saturday
    the center never opens would only waste a seventh of the page width)."""
    week = [plan.week_start + dt.timedelta(days=i) for i in range(7)]
    shift_days = {row.assignment.day for row in shift_rows(plan)}
    return sorted({d for d in week if plan.workbook.open_spans(d)} | shift_days)


def day_width(day_count: int) -> int:
    """Day columns share the page width left of the name column: 15 characters for six days,
    13 for seven (a 24/7 center), never more than 17."""
    return min(MAX_DAY_WIDTH, (PAGE_WIDTH_CHARACTERS - NAME_WIDTH) // max(day_count, 1))


def day_title(day: dt.date, *, year: bool = False) -> str:
    """A day as people read it on paper: ``Sun 29-11`` (``Sun 29-11-2026`` with the year)."""
    return f"{WEEKDAYS[day.weekday()]} {day:%d-%m-%Y}" if year else \
        f"{WEEKDAYS[day.weekday()]} {day:%d-%m}"


def print_cell_text(assignment: Assignment) -> str:
    """A shift on lines of its own: ``08:00–16:30``, ``lunch 12:00–12:30``,
    ``short 10:00–10:15``."""
    lines = [f"{hhmm(assignment.start)}{EN_DASH}{hhmm(assignment.end)}"]
    lines += [f"lunch {hhmm(a)}{EN_DASH}{hhmm(b)}" for a, b in assignment.breaks]
    lines += [f"short {hhmm(a)}{EN_DASH}{hhmm(b)}" for a, b in assignment.short_breaks]
    return "\n".join(lines)


def teams(plan: Plan) -> dict[str, list[Employee]]:
    """Employees by team, teams alphabetically, workbook order within a team."""
    grouped: dict[str, list[Employee]] = defaultdict(list)
    for employee in sorted(plan.workbook.employees, key=lambda e: e.team.casefold()):
        grouped[employee.team].append(employee)
    return dict(grouped)


def page_header_text(text: str) -> str:
    """Text for an Excel page header: ``&`` starts a header code, so a literal one is doubled."""
    return text.replace("&", "&&")


def write_print_roster_sheet(plan: Plan, ws: Worksheet) -> None:
    """Write the printable roster: a header row of days, then per team a title row and a row per
    employee; a page break before every team but the first.

    Args:
        plan: the finished plan.
        ws: an empty worksheet.
    """
    days = week_days(plan)
    by_employee: dict[str, dict[dt.date, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in shift_rows(plan):
        by_employee[row.employee.employee_id][row.assignment.day].append(
            print_cell_text(row.assignment))
    _header_row(ws, days)
    r = 2
    for index, (team, members) in enumerate(teams(plan).items()):
        if index > 0:
            ws.row_breaks.append(Break(id=r - 1))
        _team_row(ws, r, team, len(members), len(days))
        r += 1
        for employee in members:
            cells = ["\n".join(by_employee[employee.employee_id].get(d, [])) for d in days]
            _employee_row(ws, r, employee, cells)
            r += 1
    _page_setup(ws, plan, days)


def _header_row(ws: Worksheet, days: Sequence[dt.date]) -> None:
    titles = ["Employee", *(day_title(d) for d in days)]
    for c, title in enumerate(titles, start=1):
        put(ws, 1, c, title).font = HEADER_FONT
    ws.column_dimensions["A"].width = NAME_WIDTH
    for c in range(2, len(titles) + 1):
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = \
            day_width(len(days))
    ws.row_dimensions[1].height = LINE_POINTS + 2


def _team_row(ws: Worksheet, r: int, team: str, people: int, day_count: int) -> None:
    for c in range(1, day_count + 2):
        ws.cell(row=r, column=c).fill = TEAM_FILL
    put(ws, r, 1, f"Team {team} · {people} {'person' if people == 1 else 'people'}").font = \
        HEADER_FONT
    ws.row_dimensions[r].height = LINE_POINTS + 2


def _employee_row(ws: Worksheet, r: int, employee: Employee, cells: Sequence[str]) -> None:
    name = put(ws, r, 1, f"{employee.name}\n{employee.employee_id} · {employee.role.value}")
    name.font, name.alignment = BODY_FONT, TOP_WRAP
    for c, text in enumerate(cells, start=2):
        cell = put(ws, r, c, text or None)
        cell.font, cell.alignment = BODY_FONT, TOP_WRAP
    lines = max([2, *(text.count("\n") + 1 for text in cells if text)])
    ws.row_dimensions[r].height = lines * LINE_POINTS + 2


def _page_setup(ws: Worksheet, plan: Plan, days: Sequence[dt.date]) -> None:
    """A4 landscape, the day header on every page, center and week above, page numbers below.

    Fit to one page wide is a safety net: the column widths above fit at 100%, so the text
    prints at its 10 points.
    """
    ws.freeze_panes = "B2"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    margins = ws.page_margins
    margins.left = margins.right = PAGE_MARGIN_INCHES
    margins.top = margins.bottom = 0.6
    margins.header = margins.footer = 0.25
    first, last = (days[0], days[-1]) if days else (plan.week_start, plan.week_start)
    # One centred header: a long center name in the left third ran into the centre third.
    ws.oddHeader.center.text = page_header_text(
        f"{plan.workbook.center.name} · Roster, week of {day_title(first, year=True)} to "
        f"{day_title(last, year=True)}")
    ws.oddHeader.center.size = PRINT_FONT_POINTS + 2
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddFooter.right.text = "wfm"
