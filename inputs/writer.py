"""Writing a `Workbook` to the constraint .xlsx that `read_workbook` reads back unchanged.

Every sheet gets one bold, frozen header row, column widths that fit, drop-downs for the
enumerated and id columns, and range checks on simple numeric columns. Times are written as
``HH:MM`` text and dates as real Excel dates. The file is written atomically.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook as XlsxBook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from inputs.cells import format_time
from inputs.domain import WEEKDAY_NAMES, ServiceLevelScope, Workbook
from inputs.workbook import SHEETS, WEEKDAYS_FROM_SUNDAY, Column, SheetSpec

VALIDATED_ROWS = 1000  # drop-downs and formats reach this row, so new rows get them too
FORMATTED_BLANK_ROWS = 100  # blank rows that keep text/date formats for new entries
TEXT_COLUMNS = frozenset(
    {"open", "close", "from", "to", "earliest_start", "latest_end", "break_window", "skills"}
)
DATE_COLUMNS = frozenset({"date", "from_date", "to_date"})
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

Cells = tuple[Any, ...]


def write_workbook(workbook: Workbook, path: Path) -> None:
    """Write every sheet of the constraint workbook to `path`, replacing it only when complete.

    Args:
        workbook: The validated workbook to write.
        path: Where the .xlsx goes; a temporary file in the same folder is renamed onto it.
    """
    book = XlsxBook()
    book.remove(book.active)
    for spec in SHEETS:
        ws = book.create_sheet(spec.name)
        if spec.name == "Center":
            _write_center(ws, spec, workbook)
        else:
            _write_table(ws, spec, _ROWS[spec.name](workbook))
    _save_atomically(book, Path(path))


def _save_atomically(book: XlsxBook, path: Path) -> None:
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".xlsx")
    os.close(handle)
    try:
        book.save(temp_name)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _day(weekday: int | None) -> str | None:
    return None if weekday is None else WEEKDAY_NAMES[weekday]


def _time(minutes: int | None) -> str | None:
    return None if minutes is None else format_time(minutes)


def _hours(value: float) -> str:
    return f"{value:g}"


def _center_rows(wb: Workbook) -> list[Cells]:
    c = wb.center
    return [
        ("name", c.name),
        ("timezone", c.timezone),
        ("interval_minutes", c.interval_minutes),
        ("week_start", WEEKDAY_NAMES[c.week_start]),
        ("service_level", c.service_level),
        ("answer_seconds", c.answer_seconds),
        ("service_level_scope", c.service_level_scope.value),
        ("shrinkage", c.shrinkage),
        ("currency", c.currency),
        ("solver_time_limit_s", c.solver_time_limit_s),
        ("solver_workers", c.solver_workers),
        ("seed", c.seed),
        ("holiday_country", c.holiday_country),
        *([("forecast_quantile", c.forecast_quantile)] if c.forecast_quantile else []),
        ("service_level_floor", c.service_level_floor),
    ]


_ROWS: dict[str, Callable[[Workbook], list[Cells]]] = {
    "OpeningHours": lambda wb: [
        (_day(s.weekday), s.date, _time(s.open_min), _time(s.close_min), s.queue_id)
        for s in wb.opening_hours
    ],
    "Queues": lambda wb: [
        (q.queue_id, q.name, q.channel.value, q.service_level, q.answer_seconds,
         "estimate" if q.estimate_patience else q.patience_s,
         q.escalation_rate, q.escalation_handle_s, q.concurrency, q.priority)
        for q in wb.queues
    ],
    "Employees": lambda wb: [
        (e.employee_id, e.name, e.role.value, e.team or None, e.contract_id, e.hourly_cost,
         ";".join(e.skills) or None)
        for e in wb.employees
    ],
    "Contracts": lambda wb: [
        (c.contract_id, c.min_weekly_hours, c.max_weekly_hours, c.max_days, c.min_shift_hours,
         c.max_shift_hours, _time(c.earliest_start), _time(c.latest_end),
         c.max_consecutive_days, c.min_rest_hours, c.weekly_rest_hours, c.break_minutes,
         c.break_after_hours,
         f"{_hours(c.break_window_start_h)}-{_hours(c.break_window_end_h)}",
         c.shift_step_minutes)
        for c in wb.contracts
    ],
    "Availability": lambda wb: [
        (a.employee_id, a.date, _day(a.weekday), _time(a.start_min), _time(a.end_min),
         a.kind.value)
        for a in wb.availability
    ],
    "Coverage": lambda wb: [
        (r.role.value, r.min_on_duty, r.per_agents, r.answer_seconds, r.service_level)
        for r in wb.coverage
    ],
    "Costs": lambda wb: [
        (p.name, p.kind.value, _day(p.weekday), _time(p.start_min), _time(p.end_min),
         p.after_hours, p.multiplier)
        for p in wb.premiums
    ],
    "Scenario": lambda wb: [
        (s.queue_id, s.start_date, s.end_date, s.volume_multiplier, s.aht_multiplier)
        for s in wb.scenarios
    ],
}  # fmt: skip


def _header(ws: Worksheet, names: Sequence[str]) -> None:
    ws.append(list(names))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    ws.freeze_panes = "A2"


def _write_table(ws: Worksheet, spec: SheetSpec, rows: list[Cells]) -> None:
    """One header row, then one row per item; formats and checks reach `VALIDATED_ROWS`."""
    _header(ws, [c.name for c in spec.columns])
    for row in rows:
        ws.append(list(row))
    last = max(VALIDATED_ROWS, len(rows) + 1)
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        number_format = "@" if column.name in TEXT_COLUMNS else None
        number_format = DATE_FORMAT if column.name in DATE_COLUMNS else number_format
        if number_format:
            for number in range(2, len(rows) + FORMATTED_BLANK_ROWS):
                ws.cell(row=number, column=index).number_format = number_format
        values = [row[index - 1] for row in rows]
        ws.column_dimensions[letter].width = _width(column, values)
        validation = _validation(column)
        if validation is not None:
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last}")


def _width(column: Column, values: Sequence[Any]) -> float:
    longest = max((len(str(v)) for v in values if v is not None), default=0)
    return min(max(column.width, len(column.name) + 2, longest + 2), 50)


def _validation(column: Column) -> DataValidation | None:
    """A drop-down for enumerated and id columns; a range check for simple numeric ones."""
    if column.choices:
        return _list_validation(f'"{",".join(column.choices)}"')
    if column.ids_from:
        validation = _list_validation(f"={column.ids_from}!$A$2:$A${VALIDATED_ROWS}")
        if column.ids_from == "Queues" and column.name == "queue":
            validation.errorStyle = "warning"  # blank or * also mean "all queues"
        return validation
    if column.low is None and column.high is None:
        return None
    kind = "whole" if column.whole else "decimal"
    if column.high is None:
        validation = DataValidation(
            type=kind, operator="greaterThanOrEqual", formula1=f"{column.low:g}"
        )
    else:
        low = column.low if column.low is not None else -1e9
        validation = DataValidation(
            type=kind, operator="between", formula1=f"{low:g}", formula2=f"{column.high:g}"
        )
    validation.allow_blank = True
    validation.error = f"{column.name}: {_range_text(column)}"
    validation.showErrorMessage = True
    return validation


def _range_text(column: Column) -> str:
    noun = "a whole number" if column.whole else "a number"
    if column.high is None:
        return f"{noun} of at least {column.low:g}"
    return f"{noun} from {column.low:g} to {column.high:g}"


def _list_validation(formula: str) -> DataValidation:
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.showErrorMessage = True
    validation.error = "Pick a value from the list"
    return validation


_CENTER_CHOICES = {
    "week_start": WEEKDAYS_FROM_SUNDAY,
    "service_level_scope": tuple(s.value for s in ServiceLevelScope),
    "interval_minutes": ("15", "30"),
}


def _write_center(ws: Worksheet, spec: SheetSpec, workbook: Workbook) -> None:
    """Center settings as key/value rows, with a drop-down on each enumerated value."""
    _header(ws, [c.name for c in spec.columns])
    rows = _center_rows(workbook)
    for number, (key, value) in enumerate(rows, start=2):
        ws.append([key, value])
        if key in _CENTER_CHOICES:
            validation = _list_validation(f'"{",".join(_CENTER_CHOICES[key])}"')
            ws.add_data_validation(validation)
            validation.add(f"B{number}")
    for letter, column, index in (("A", spec.columns[0], 0), ("B", spec.columns[1], 1)):
        ws.column_dimensions[letter].width = _width(column, [row[index] for row in rows])
