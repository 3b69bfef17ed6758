"""A plan folder's tables read back: shifts.csv as a Roster, forecast.csv as the forecast table.

Used to simulate a finished plan (`wfm simulate DIR`) and to start from last week's roster
(`--previous shifts.csv`). The files are the ones `outputs.csvs` writes (DESIGN.md
"Outputs"); a hand-edited file gets one problem line per bad cell, naming file, line,
column, value and the fix. Text that `outputs.csvs.csv_text` protected against spreadsheet
formulas (a leading ``'``) is read back without the quote.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from inputs.cells import format_time
from inputs.domain import WEEKDAY_NAMES, Assignment, Employee, InputError, Roster, Workbook

SHIFT_COLUMNS = ("employee_id", "date", "start", "end")  # required; the rest are optional
FORECAST_COLUMNS = ("queue", "interval_start", "calls", "calls_lo", "calls_hi", "aht_s")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MAX_PROBLEMS = 20
T = TypeVar("T")


class _Problems:
    """Problem lines of one file; a cell that fails gives None and one line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: list[str] = []

    def cell(self, line: int, column: str, value: str, parse: Callable[[str], T],
             fix: str) -> T | None:
        try:
            return parse(value)
        except ValueError:
            self.add(f"{self.path.name} line {line} ({column}): {value!r} {fix}")
            return None

    def add(self, text: str) -> None:
        self.lines.append(text)

    def raise_if_any(self) -> None:
        if self.lines:
            extra = len(self.lines) - _MAX_PROBLEMS
            shown = self.lines[:_MAX_PROBLEMS]
            raise InputError(shown + ([f"... and {extra} more problems"] if extra > 0 else []))


def unquote(text: str) -> str:
    """Undo the formula guard of `outputs.csvs.csv_text`: ``'=x`` reads as ``=x``."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS) else text


def _minutes(text: str) -> int:
    match = _TIME.match(text.strip())
    if not match or int(match[2]) > 59 or int(match[1]) > 24 or (
            int(match[1]) == 24 and int(match[2]) > 0):
        raise ValueError(text)
    return int(match[1]) * 60 + int(match[2])


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(text)
    return value


def _read_rows(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a CSV as text by column name, after checking the file and its header."""
    if not path.is_file():
        raise InputError(f"{path}: file not found — pass the plan folder that holds {path.name}")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in reader.fieldnames or []]
            reader.fieldnames = header
            rows = [{k: (v or "").strip() for k, v in r.items() if k is not None} for r in reader]
    except (UnicodeDecodeError, csv.Error) as error:
        raise InputError(f"{path.name}: not a readable UTF-8 CSV file ({error}) — "
                         f"save it as CSV UTF-8") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"{path.name} line 1 (header): missing columns {', '.join(missing)} — "
                         f"the header must hold {', '.join(required)}")
    return rows


def read_shifts_csv(path: Path, workbook: Workbook, week_start: dt.date | None = None) -> Roster:
    """Read a plan's shifts.csv back into the roster it was written from.

    A shift ending at or before its start ends the next day; a break clock time before the
    shift's start is on the next day. `breaks` is the unpaid lunch; the optional
    `short_breaks` column (files written before it existed have none) the paid short breaks.
    Paid hours and cost are read when present, else derived from the times (length less the
    lunch; cost from the employee's hourly rate, without premiums).

    Args:
        path: the shifts.csv file.
        workbook: the plan's workbook; every employee must be in it, with the same role.
        week_start: the roster's week; None: the workbook's week-start day on or before the
            first shift's date.

    Raises:
        InputError: one line per problem (file, line, column, value, fix).
    """
    path = Path(path)
    rows = _read_rows(path, SHIFT_COLUMNS)
    problems = _Problems(path)
    employees = {e.employee_id: e for e in workbook.employees}
    parsed = [_shift(row, line, employees, problems) for line, row in enumerate(rows, start=2)]
    assignments = [a for a in parsed if a is not None]
    if week_start is None:
        first = min((a.day for a, _ in assignments), default=dt.date.today())
        week_start = first - dt.timedelta(days=(first.weekday() - workbook.center.week_start) % 7)
    _check_week(assignments, week_start, problems, path)
    problems.raise_if_any()
    return Roster(week_start=week_start, assignments=tuple(a for a, _ in assignments))


def _shift(row: dict[str, str], line: int, employees: dict[str, Employee],
           problems: _Problems) -> tuple[Assignment, int] | None:
    """One line of shifts.csv as an Assignment (and its line number), or None when bad."""
    before = len(problems.lines)
    employee_id = unquote(row["employee_id"])
    employee = employees.get(employee_id)
    if employee is None:
        known = ", ".join(list(employees)[:8]) + (", ..." if len(employees) > 8 else "")
        problems.add(f"{problems.path.name} line {line} (employee_id): {employee_id!r} is not "
                     f"in the workbook's Employees sheet — known: {known}")
    role = unquote(row.get("role", ""))
    if employee is not None and role and role != employee.role.value:
        problems.add(f"{problems.path.name} line {line} (role): {role!r} but the workbook says "
                     f"{employee_id} is {employee.role.value!r} — use the workbook the plan was "
                     f"made with")
    day = problems.cell(line, "date", row["date"], dt.date.fromisoformat,
                        "is not a date — write YYYY-MM-DD, e.g. 2026-11-29")
    fix = "is not a time of day — write HH:MM, e.g. 08:00"
    start = problems.cell(line, "start", row["start"], _minutes, fix)
    end = problems.cell(line, "end", row["end"], _minutes, fix)
    spans = [problems.cell(line, column, row.get(column, ""), _break_spans,
                           "is not a list of breaks — write HH:MM-HH:MM;HH:MM-HH:MM or leave it "
                           "blank") for column in ("breaks", "short_breaks")]
    paid = cost = None
    for column in ("paid_hours", "cost"):
        if row.get(column):
            value = problems.cell(line, column, row[column], _number,
                                  "is not a number >= 0 — write e.g. 7.50")
            paid, cost = (value, cost) if column == "paid_hours" else (paid, value)
    if len(problems.lines) > before or employee is None or day is None:
        return None
    assert start is not None and end is not None
    breaks, short = (s or [] for s in spans)
    return _assignment(employee, day, start, end, (breaks, short), paid, cost, line,
                       problems), line


def _break_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        a, sep, b = part.partition("-")
        if not sep:
            raise ValueError(part)
        spans.append((_minutes(a), _minutes(b)))
    return spans


def _assignment(employee: Employee, day: dt.date, start: int, end: int,
                breaks: tuple[list[tuple[int, int]], list[tuple[int, int]]],
                paid: float | None, cost: float | None, line: int,
                problems: _Problems) -> Assignment:
    """The shift with its unpaid lunch (`breaks`) and paid short breaks (`short_breaks`);
    derived paid hours leave out the lunch only."""
    midnight = dt.datetime.combine(day, dt.time())
    begin = midnight + dt.timedelta(minutes=start)
    finish = midnight + dt.timedelta(minutes=end + (1440 if end <= start else 0))
    lunch: list[tuple[dt.datetime, dt.datetime]] = []
    short: list[tuple[dt.datetime, dt.datetime]] = []
    for column, clock_spans, spans in zip(("breaks", "short_breaks"), breaks, (lunch, short),
                                          strict=True):
        for b_start, b_end in clock_spans:
            b0 = midnight + dt.timedelta(minutes=b_start + (1440 if b_start < start else 0))
            b1 = b0 + dt.timedelta(minutes=(b_end - b_start) % 1440)
            if not (begin <= b0 < b1 <= finish):
                problems.add(f"{problems.path.name} line {line} ({column}): "
                             f"{format_time(b_start)}-{format_time(b_end)} is not inside the "
                             f"shift {format_time(start)}-{format_time(end)} — fix the break or "
                             "the shift")
            spans.append((b0, b1))
    worked_h = ((finish - begin) - sum((b - a for a, b in lunch), dt.timedelta())).total_seconds()
    paid_hours = worked_h / 3600 if paid is None else paid
    return Assignment(employee_id=employee.employee_id, day=day, start=begin, end=finish,
                      breaks=tuple(sorted(lunch)), paid_hours=paid_hours,
                      cost=paid_hours * employee.hourly_cost if cost is None else cost,
                      short_breaks=tuple(sorted(short)))



def _check_week(assignments: list[tuple[Assignment, int]], week_start: dt.date,
                problems: _Problems, path: Path) -> None:
    """Every shift lies in the week; no employee works two overlapping shifts."""
    week_end = week_start + dt.timedelta(days=7)
    for a, line in assignments:
        if not week_start <= a.day < week_end:
            problems.add(f"{path.name} line {line} (date): {a.day} is outside the week "
                         f"{week_start} ({WEEKDAY_NAMES[week_start.weekday()]}) to "
                         f"{week_end - dt.timedelta(days=1)} — one file holds one week")
    last: dict[str, tuple[Assignment, int]] = {}
    for a, line in sorted(assignments, key=lambda x: (x[0].employee_id, x[0].start)):
        previous = last.get(a.employee_id)
        if previous is not None and previous[0].end > a.start:
            problems.add(f"{path.name} line {line} (start): {a.employee_id}'s shift "
                         f"{a.start:%Y-%m-%d %H:%M} overlaps the one on line {previous[1]} — "
                         f"remove or move one of them")
        last[a.employee_id] = (a, line)


def read_forecast_csv(path: Path, queues: list[str] | None = None) -> pd.DataFrame:
    """Read a plan's forecast.csv: queue, interval_start, calls, calls_lo, calls_hi, aht_s.

    Args:
        path: the forecast.csv file.
        queues: the workbook's queue ids; None: any queue is accepted.

    Returns:
        The forecast table with interval_start as datetime64 and the numbers as floats
        (aht_s NaN where blank).

    Raises:
        InputError: one line per bad cell (at most 20 shown).
    """
    path = Path(path)
    rows = _read_rows(path, FORECAST_COLUMNS)
    problems = _Problems(path)
    table = pd.DataFrame(rows, columns=list(FORECAST_COLUMNS), dtype=object).fillna("")
    table["queue"] = table["queue"].map(unquote)
    stamps = pd.to_datetime(table["interval_start"], errors="coerce", format="mixed")
    _flag(problems, table, "interval_start", stamps.isna().to_numpy(),
          "is not a time stamp — write YYYY-MM-DD HH:MM:SS")
    out = {"queue": table["queue"].astype(str), "interval_start": stamps}
    for column in FORECAST_COLUMNS[2:]:
        values = pd.to_numeric(table[column].replace("", np.nan), errors="coerce")
        blank = (table[column] == "").to_numpy()
        bad = (values.isna().to_numpy() & ~blank) | (values < 0).to_numpy()
        if column != "aht_s":
            bad |= blank
        _flag(problems, table, column, bad, "is not a number >= 0 — write e.g. 12.5")
        out[column] = values.astype(float)
    if queues is not None:
        unknown = ~table["queue"].isin(queues).to_numpy()
        _flag(problems, table, "queue", unknown,
              f"is not a queue of the workbook — known: {', '.join(queues)}")
    problems.raise_if_any()
    return pd.DataFrame(out)


def _flag(problems: _Problems, table: pd.DataFrame, column: str, bad: np.ndarray,
          fix: str) -> None:
    for k in np.flatnonzero(bad)[:_MAX_PROBLEMS + 1]:
        problems.add(f"{problems.path.name} line {k + 2} ({column}): "
                     f"{table[column].iloc[k]!r} {fix}")



def previous_roster(path: Path, workbook: Workbook, week_start: dt.date) -> Roster:
    """Last week's roster (`--previous`): the shifts.csv of the week before `week_start`.

    Rest, weekly rest and consecutive working days of the planned week count from its end.
    `path` may be the shifts.csv itself or the plan folder that holds it.

    Raises:
        InputError: the file is missing or bad, or a shift lies outside the week before
            `week_start` (one line per problem).
    """
    path = Path(path)
    if path.is_dir():
        path = path / "shifts.csv"
    return read_shifts_csv(path, workbook, week_start - dt.timedelta(days=7))
