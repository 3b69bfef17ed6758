"""Writing a `Workbook` to the constraint .xlsx that `read_workbook` reads back unchanged.

The file is what a manager edits, so it guides them: a Help sheet first, then every sheet
with one bold, frozen header row whose cells carry the column's help as a comment, widths that
fit, drop-downs for enumerated and id columns, range checks on numbers, an ``HH:MM`` check on
times, and a help prompt on every checked cell. Times are written as ``HH:MM`` text, dates as
real Excel dates, ids as text. The file is written atomically.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook as XlsxBook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from inputs.cells import format_time
from inputs.domain import WEEKDAY_NAMES, InputError, Workbook
from inputs.schema import CENTER_KEYS, HELP_SHEET, OFF, SHEETS, CellKind, Column, SheetSpec

VALIDATED_ROWS = 1000  # drop-downs and checks reach this row, so new rows get them too
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
AUTHOR = "wfm"

Cells = tuple[Any, ...]
_FORMATS = {CellKind.DATE: DATE_FORMAT, CellKind.TIME: "@", CellKind.TEXT: "@"}


def write_workbook(workbook: Workbook, path: Path) -> None:
    """Write the Help sheet and every sheet of the constraint workbook, replacing `path` only
    when the file is complete.

    Args:
        workbook: The validated workbook to write.
        path: Where the .xlsx goes; a temporary file in the same folder is renamed onto it.
    """
    book = XlsxBook()
    book.remove(book.active)
    write_help_sheet(book.create_sheet(HELP_SHEET))
    for spec in SHEETS:
        ws = book.create_sheet(spec.name)
        if spec.name == "Center":
            _write_center(ws, spec, workbook)
        else:
            _write_table(ws, spec, _ROWS[spec.name](workbook))
    _save_atomically(book, Path(path))


def _save_atomically(book: XlsxBook, path: Path) -> None:
    write_file_atomically(path, lambda tmp: book.save(tmp))


def write_file_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Write one file with `write` into a hidden sibling, then rename it over `path`.

    A reader sees the old file or the new one, never half; on any exception the sibling is
    removed and `path` is left as it was.

    Raises:
        InputError: `path` is a folder, or it cannot be written there (its folder cannot be
            made, no permission, disk full).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise cannot_write(path, error) from None
    if path.is_dir():
        raise InputError(f"{path}: is a folder — give a file name, e.g. {path / 'out.csv'}")
    tmp = path.parent / f".{path.name}.tmp-{secrets.token_hex(4)}"
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise cannot_write(path, error) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def cannot_write(path: Path, error: OSError) -> InputError:
    """The message for an output the system refused to write, with the system's reason."""
    return InputError(f"{path}: cannot be written ({error.strerror or error}) — choose a "
                      "place you may write to, with free space")


def _day(weekday: int | None) -> str | None:
    return None if weekday is None else WEEKDAY_NAMES[weekday]


def _time(minutes: int | None) -> str | None:
    return None if minutes is None else format_time(minutes)


def _hours(value: float) -> str:
    return f"{value:g}"


def center_values(wb: Workbook) -> dict[str, Any]:
    """The Center settings as cell values, one per key of `CENTER_KEYS` (None: blank)."""
    c = wb.center
    return {
        "name": c.name, "timezone": c.timezone, "interval_minutes": c.interval_minutes,
        "week_start": WEEKDAY_NAMES[c.week_start], "service_level": c.service_level,
        "answer_seconds": c.answer_seconds, "service_level_scope": c.service_level_scope.value,
        "shrinkage": c.shrinkage, "currency": c.currency,
        "solver_time_limit_s": c.solver_time_limit_s, "solver_workers": c.solver_workers,
        "seed": c.seed, "holiday_country": c.holiday_country,
        "forecast_quantile": c.forecast_quantile, "service_level_floor": c.service_level_floor,
        "max_daily_hours": c.max_daily_hours, "preference_weight": c.preference_weight,
        "fairness_weight": c.fairness_weight,
    }  # fmt: skip


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
         c.shift_step_minutes, "yes" if c.same_start else "no", c.short_break_minutes,
         c.short_break_after_hours, c.break_spacing_hours)
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
    "FixedShifts": lambda wb: [
        (f.employee_id, f.date, OFF if f.off else _time(f.start_min),
         None if f.off else _time(f.end_min))
        for f in wb.fixed_shifts
    ],
}  # fmt: skip


def _header(ws: Worksheet, spec: SheetSpec) -> None:
    """Bold, shaded, frozen header; each cell's comment is its column's help (A1: the sheet's)."""
    ws.append([c.name for c in spec.columns])
    for index, (cell, column) in enumerate(zip(ws[1], spec.columns, strict=True)):
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        note = f"{spec.help}\n\n{column.name}: {column.help}" if index == 0 else column.help
        cell.comment = Comment(note, AUTHOR, width=320, height=140)
    ws.freeze_panes = "A2"


def _write_table(ws: Worksheet, spec: SheetSpec, rows: list[Cells]) -> None:
    """One header row, then one row per item; formats and checks reach `VALIDATED_ROWS`."""
    _header(ws, spec)
    for row in rows:
        ws.append(list(row))
    last = max(VALIDATED_ROWS, len(rows) + 1)
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        number_format = _FORMATS.get(column.kind)
        if number_format is not None:  # the column's style formats the rows people add
            ws.column_dimensions[letter].number_format = number_format
            for number in range(2, len(rows) + 2):
                ws.cell(row=number, column=index).number_format = number_format
        values = [row[index - 1] for row in rows]
        ws.column_dimensions[letter].width = _width(column, values)
        validation = cell_validation(column, f"{letter}2")
        if validation is not None:
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last}")


def _width(column: Column, values: Sequence[Any]) -> float:
    longest = max((len(str(v)) for v in values if v is not None), default=0)
    return min(max(column.width, len(column.name) + 2, longest + 2), 70)


def cell_validation(column: Column, cell: str) -> DataValidation | None:
    """Excel's check for a column whose first checked cell is `cell` (None: nothing to check).

    Drop-downs for enumerated and id columns, ``HH:MM`` for times, number-or-word for columns
    such as patience_s, and the column's range for numbers; each shows the column's help.
    """
    if column.choices:
        listing = f'"{",".join(column.choices)}"'
        validation = _validation("list", listing, "Pick a value from the list")
    elif column.ids_from:
        formula = f"{column.ids_from}!$A$2:$A${VALIDATED_ROWS}"
        validation = _validation("list", formula, f"Pick an id from the {column.ids_from} sheet")
        if column.ids_from == "Queues" and column.name == "queue":
            validation.errorStyle = "warning"  # blank or * also mean "all queues"
    elif column.kind is CellKind.TIME:
        words = "".join(f'TRIM({cell})="{word}",' for word in column.words)
        or_words = f"OR({words}{time_formula(cell)})" if words else time_formula(cell)
        told = "".join(f" or {word}" for word in column.words)
        validation = _validation("custom", or_words, f"Write a time as HH:MM, e.g. 08:30{told}")
    elif column.words:
        validation = _validation("custom", _words_formula(column, cell), _range_text(column))
    elif column.ranged:
        validation = _range_validation(column, cell)
    else:
        return None
    validation.promptTitle = column.name[:32]
    validation.prompt = column.help[:255]
    validation.showInputMessage = True
    return validation


def _validation(kind: str, formula: str, error: str) -> DataValidation:
    validation = DataValidation(type=kind, formula1=formula, allow_blank=True)
    validation.showErrorMessage = True
    validation.errorTitle = "Not a valid value"
    validation.error = error[:255]
    return validation


def time_formula(cell: str) -> str:
    """True for an Excel time, ``24:00``, or ``H:MM``/``HH:MM`` text from 00:00 to 23:59."""
    hours, minutes = f"VALUE(LEFT({cell},LEN({cell})-3))", f"VALUE(RIGHT({cell},2))"
    text = (
        f'AND(LEN({cell})>=4,LEN({cell})<=5,MID({cell},LEN({cell})-2,1)=":",'
        f"{hours}>=0,{hours}<=23,{hours}=INT({hours}),{minutes}>=0,{minutes}<=59,"
        f"{minutes}=INT({minutes}))"
    )
    return f'OR(AND(ISNUMBER({cell}),{cell}>=0,{cell}<=1),{cell}="24:00",IFERROR({text},FALSE))'


def _words_formula(column: Column, cell: str) -> str:
    words = ",".join(f'TRIM({cell})="{word}"' for word in column.words)
    return f"OR({words},AND({_number_test(column, cell)}))"


def _number_test(column: Column, cell: str) -> str:
    tests = [f"ISNUMBER({cell})"]
    if column.low is not None:
        tests.append(f"{cell}{'>' if column.open_low else '>='}{column.low:g}")
    if column.high is not None:
        tests.append(f"{cell}{'<' if column.open_high else '<='}{column.high:g}")
    if column.whole:
        tests.append(f"{cell}=INT({cell})")
    return ",".join(tests)


def _range_validation(column: Column, cell: str) -> DataValidation:
    """A whole/decimal range; a range open at both ends needs a formula (Excel's is closed)."""
    error = f"{column.name}: {_range_text(column)}"
    if column.low is not None and column.high is not None and (column.open_low or column.open_high):
        return _validation("custom", f"AND({_number_test(column, cell)})", error)
    kind = "whole" if column.whole else "decimal"
    if column.low is not None and column.high is not None:
        validation = _validation(kind, f"{column.low:g}", error)
        validation.operator, validation.formula2 = "between", f"{column.high:g}"
    elif column.low is not None:
        validation = _validation(kind, f"{column.low:g}", error)
        validation.operator = "greaterThan" if column.open_low else "greaterThanOrEqual"
    else:
        validation = _validation(kind, f"{column.high:g}", error)
        validation.operator = "lessThan" if column.open_high else "lessThanOrEqual"
    return validation


def _range_text(column: Column) -> str:
    return f"{column.range_text} — write e.g. {column.example}"


def _write_center(ws: Worksheet, spec: SheetSpec, workbook: Workbook) -> None:
    """Every Center key as a key/value row with its help, and a check on each value cell."""
    _header(ws, spec)
    values = center_values(workbook)
    for number, key in enumerate(CENTER_KEYS, start=2):
        ws.append([key.name, values[key.name], key.help])
        ws.cell(row=number, column=3).alignment = Alignment(wrap_text=False)
        validation = cell_validation(key, f"B{number}")
        if validation is not None:
            ws.add_data_validation(validation)
            validation.add(f"B{number}")
    rows = [(k.name, values[k.name], k.help) for k in CENTER_KEYS]
    for index, column in enumerate(spec.columns):
        letter = get_column_letter(index + 1)
        ws.column_dimensions[letter].width = _width(column, [row[index] for row in rows])


def write_help_sheet(ws: Worksheet) -> None:
    """What each sheet is for and what to write in each column, for the manager who edits."""
    ws.append(["How to fill in this workbook"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in HELP_LINES:
        ws.append([line])
    ws.append([])
    ws.append(["sheet", "column", "required", "what to write"])
    header = ws.max_row
    for cell in ws[header]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for spec in SHEETS:
        ws.append([spec.name, None, "yes" if spec.required else "optional", spec.help])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        columns = CENTER_KEYS if spec.name == "Center" else spec.columns
        for column in columns:
            ws.append([None, column.name, _required(spec, column), column.help])
    for letter, width in zip("ABCD", (16, 24, 10, 100), strict=True):
        ws.column_dimensions[letter].width = width


def _required(spec: SheetSpec, column: Column) -> str:
    if spec.name == "Center":
        return "yes" if column.name == "name" else ""
    return "yes" if column.required else ""


HELP_LINES = (
    "Each sheet has one header row; write one item per row below it. Hover over a header for "
    "its help.",
    "Header names may be in any case and order; extra columns and sheets are ignored.",
    "Times are HH:MM (00:00 to 24:00); dates are YYYY-MM-DD; shares are 0 to 1 (0.8 or 80%).",
    "Check the file without planning: wfm validate --workbook this.xlsx",
)
