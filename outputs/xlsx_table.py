"""Plain tables on worksheets: values only (never formulas), readable widths, printable pages.

Every text cell is stored as a string cell, so user text such as ``=HYPERLINK(...)`` or
``#N/A`` stays text: openpyxl would otherwise store it as a formula or an error value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.worksheet import Worksheet

CellValue = str | int | float | dt.date | dt.time | None

RED = PatternFill(fill_type="solid", start_color="FFC7CE", end_color="FFC7CE")
AMBER = PatternFill(fill_type="solid", start_color="FFEB9C", end_color="FFEB9C")
GREEN = PatternFill(fill_type="solid", start_color="C6EFCE", end_color="C6EFCE")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
HOURS_FORMAT = "0.00"
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"

_MAX_WIDTH = 60
_SAMPLE_WIDTHS: dict[type, int] = {dt.datetime: 16, dt.date: 10, dt.time: 5}


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """A table column: its header and how its numbers or dates are shown."""

    header: str
    number_format: str | None = None


def put(
    ws: Worksheet, row: int, column: int, value: CellValue, number_format: str | None = None
) -> Cell:
    """Write one value; text is always stored as text, never as a formula or an error value."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format is not None and value is not None:
        cell.number_format = number_format
    return cell


def write_table(
    ws: Worksheet,
    columns: Sequence[Column],
    rows: Sequence[Sequence[CellValue]],
    *,
    fills: Sequence[PatternFill | None] | None = None,
    first_row: int = 1,
    first_column: int = 1,
) -> None:
    """Write a bold header row and the rows under it, each row optionally filled with a colour.

    Each column is as wide as its longest value (capped).
    """
    for offset, column in enumerate(columns):
        put(ws, first_row, first_column + offset, column.header).font = BOLD
    for r, values in enumerate(rows, start=first_row + 1):
        fill = fills[r - first_row - 1] if fills is not None else None
        for offset, (column, value) in enumerate(zip(columns, values, strict=True)):
            cell = put(ws, r, first_column + offset, value, column.number_format)
            if fill is not None:
                cell.fill = fill
    for offset, column in enumerate(columns):
        widest = max([_width(column.header)] + [_width(values[offset]) for values in rows])
        fit_width(ws, first_column + offset, widest)


def _width(value: CellValue) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return _SAMPLE_WIDTHS.get(type(value), len(str(value)))


def fit_width(ws: Worksheet, column: int, characters: int) -> None:
    """Size a column to show `characters` characters, capped so no column hides the others."""
    ws.column_dimensions[get_column_letter(column)].width = min(characters, _MAX_WIDTH) + 2


def finish_sheet(ws: Worksheet, *, freeze: str | None = "A2", autofilter: bool = False) -> None:
    """Freeze the header, and print landscape, one page wide, with the header on every page."""
    if freeze is not None:
        ws.freeze_panes = freeze
        header_rows = coordinate_from_string(freeze)[1] - 1
        if header_rows > 0:
            ws.print_title_rows = f"1:{header_rows}"
    if autofilter and ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
