"""The plan's machine-readable files: shifts.csv, forecast.csv, requirements.csv, summary.json.

File and column names are an interface (DESIGN.md "Outputs"): other tools read them. Text that
came from users and could start a spreadsheet formula is prefixed with a single quote, as the
OWASP CSV-injection advice says, so a CSV opened in Excel never runs it.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import enum
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from inputs.domain import Assignment, Employee
from scheduler.plan import Plan
from scheduler.summary import PlanSummary

SHIFTS_COLUMNS = (
    "employee_id", "name", "role", "date", "start", "end", "breaks", "paid_hours", "cost",
    "skills", "short_breaks",
)  # fmt: skip
FORECAST_COLUMNS = ("queue", "interval_start", "calls", "calls_lo", "calls_hi", "aht_s")
REQUIREMENTS_COLUMNS = (
    "queue", "interval_start", "calls", "aht_s", "required_agents", "scheduled_agents",
    "expected_service_level",
)  # fmt: skip

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> str:
    """User text that a spreadsheet would read as a formula gets a leading single quote.

    Args:
        value: a name, id, team or queue as the user typed it.

    Returns:
        The text, prefixed with ``'`` when it starts with ``=``, ``+``, ``-``, ``@``, a tab or
        a carriage return (OWASP CSV injection).
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftRow:
    """One shift with the employee who works it: a row of shifts.csv and of the Shifts sheet."""

    employee: Employee
    assignment: Assignment


def shift_rows(plan: Plan) -> list[ShiftRow]:
    """Every shift of the roster with its employee, in date, start, employee_id order.

    Raises:
        ValueError: a shift belongs to an employee the workbook does not list (a bug upstream).
    """
    if plan.result.roster is None:
        return []
    employees = {e.employee_id: e for e in plan.workbook.employees}
    rows = []
    for assignment in plan.result.roster.assignments:
        employee = employees.get(assignment.employee_id)
        if employee is None:
            raise ValueError(f"roster has a shift for unknown employee {assignment.employee_id!r}")
        rows.append(ShiftRow(employee=employee, assignment=assignment))
    rows.sort(key=lambda r: (r.assignment.day, r.assignment.start, r.employee.employee_id))
    return rows


def hhmm(moment: dt.datetime | dt.time) -> str:
    """Clock time as HH:MM; an end on the next day is read as such when it is <= the start."""
    return f"{moment:%H:%M}"


def _spans_text(spans: tuple[tuple[dt.datetime, dt.datetime], ...]) -> str:
    return ";".join(f"{hhmm(start)}-{hhmm(end)}" for start, end in spans)


def write_shifts_csv(plan: Plan, path: Path) -> None:
    """Write one line per shift: who, when, breaks, paid hours and cost (shifts.csv).

    `breaks` is the unpaid lunch; `short_breaks` (the last column, so older readers keep
    their column positions) the paid short breaks, both as ``HH:MM-HH:MM;HH:MM-HH:MM``.

    Args:
        plan: the finished plan.
        path: the file to write.
    """
    lines = []
    for row in shift_rows(plan):
        e, a = row.employee, row.assignment
        lines.append((
            csv_text(e.employee_id), csv_text(e.name), csv_text(e.role.value),
            a.day.isoformat(), hhmm(a.start), hhmm(a.end), _spans_text(a.breaks),
            f"{a.paid_hours:.2f}", f"{a.cost:.2f}", csv_text(";".join(e.skills)),
            _spans_text(a.short_breaks),
        ))  # fmt: skip
    _write_csv(path, SHIFTS_COLUMNS, lines)


def _fixed(decimals: int) -> Callable[[Any], str]:
    """A formatter for numbers with a fixed number of decimals; NaN and missing are blank."""

    def format_number(value: Any) -> str:
        if value is None or pd.isna(value):
            return ""
        return f"{float(value):.{decimals}f}"

    return format_number


def _timestamp(value: Any) -> str:
    return "" if pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d %H:%M:%S}"


def _write_frame(
    frame: pd.DataFrame, path: Path, columns: Sequence[tuple[str, Callable[[Any], str]]]
) -> None:
    """Write the named columns of a long-format table, sorted by queue and interval."""
    names = [name for name, _ in columns]
    missing = [name for name in names if name not in frame.columns]
    if missing:
        raise ValueError(f"{path.name}: the plan's table lacks columns {missing}")
    ordered = frame.sort_values(["queue", "interval_start"], kind="stable")
    formatted = [[fmt(v) for v in ordered[name].tolist()] for name, fmt in columns]
    _write_csv(path, names, zip(*formatted, strict=True))


def write_forecast_csv(plan: Plan, path: Path) -> None:
    """Write the interval forecast per queue with its band and handle time (forecast.csv)."""
    _write_frame(plan.forecast, path, [
        ("queue", csv_text), ("interval_start", _timestamp), ("calls", _fixed(3)),
        ("calls_lo", _fixed(3)), ("calls_hi", _fixed(3)), ("aht_s", _fixed(1)),
    ])  # fmt: skip


def write_requirements_csv(requirements: pd.DataFrame, path: Path) -> None:
    """Write agents required and scheduled per queue and open interval (requirements.csv).

    A plan's table has every column; `wfm requirements`, before any roster, leaves
    scheduled_agents blank (NaN) and gives the service level of the required agents.
    """
    _write_frame(requirements, path, [
        ("queue", csv_text), ("interval_start", _timestamp), ("calls", _fixed(3)),
        ("aht_s", _fixed(1)), ("required_agents", _fixed(0)), ("scheduled_agents", _fixed(0)),
        ("expected_service_level", _fixed(4)),
    ])  # fmt: skip


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def to_json_value(value: Any) -> Any:
    """Turn a summary value into plain JSON: dates as ISO text, NaN and infinities as null.

    Dicts (keys become text), lists, tuples and sets are converted item by item; numpy scalars
    and arrays, pandas timestamps, enums, dataclasses and paths are converted to their plain
    equivalents. Anything else is left for `json` to reject.
    """
    if isinstance(value, dict):
        return {_json_key(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset | np.ndarray):
        items = value.tolist() if isinstance(value, np.ndarray) else value
        return [to_json_value(v) for v in items]
    if isinstance(value, float | np.floating):
        number = float(value)
        return number if math.isfinite(number) else None
    if value is None or isinstance(value, bool | int | str):
        return value.value if isinstance(value, enum.Enum) else value
    return to_json_value(_json_default(value))


def _json_key(key: Any) -> str:
    plain = to_json_value(key)
    return plain if isinstance(plain, str) else json.dumps(plain)


def _json_default(value: Any) -> Any:
    """`json.dumps` default: dates, numpy, pandas, paths, enums and dataclasses."""
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, dt.date | dt.time):  # datetime and pd.Timestamp included
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"summary.json: cannot write a {type(value).__name__}: {value!r}")


def summary_json(summary: PlanSummary) -> str:
    """summary.json's text: indent 2, ISO dates, null for NaN (the file, and `--json` prints
    the same)."""
    return json.dumps(
        to_json_value(summary.as_dict()), indent=2, ensure_ascii=False, allow_nan=False,
        default=_json_default,
    )  # fmt: skip


def write_summary_json(plan: Plan, path: Path) -> None:
    """Write the plan's summary as JSON (summary.json)."""
    path.write_text(summary_json(plan.summary) + "\n", encoding="utf-8")
