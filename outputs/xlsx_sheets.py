"""The roster workbook's checking sheets: Coverage, Summary and Rule report.

Coverage colours each queue interval by its planned service level against the queue's target:
red below target (or fewer agents scheduled than required), amber within 5 points above it,
green otherwise; a status column says the same in words for readers who cannot see colour.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import pandas as pd
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from inputs.domain import Role
from outputs.csvs import to_json_value
from outputs.xlsx_table import (
    AMBER,
    BOLD,
    DATE_FORMAT,
    GREEN,
    PERCENT_FORMAT,
    RED,
    TIME_FORMAT,
    CellValue,
    Column,
    finish_sheet,
    put,
    write_table,
)
from scheduler.plan import Plan
from scheduler.staffing import meets_target

NEAR_TARGET_POINTS = 0.05  # amber: planned service level less than 5 points above target
NO_RULE_BROKEN = "No rule broken"

QUEUE_COLUMNS = (
    Column(header="queue"),
    Column(header="date", number_format=DATE_FORMAT),
    Column(header="time", number_format=TIME_FORMAT),
    Column(header="forecast_calls", number_format="0.0"),
    Column(header="aht_s", number_format="0"),
    Column(header="required"),
    Column(header="scheduled"),
    Column(header="planned_service_level", number_format=PERCENT_FORMAT),
    Column(header="status"),
)
ROLE_COLUMNS = (
    Column(header="role"),
    Column(header="date", number_format=DATE_FORMAT),
    Column(header="time", number_format=TIME_FORMAT),
    Column(header="required"),
    Column(header="on_duty"),
    Column(header="status"),
)
SHORTFALL_COLUMNS = (
    Column(header="queue_or_role"),
    Column(header="date", number_format=DATE_FORMAT),
    Column(header="time", number_format=TIME_FORMAT),
    Column(header="required"),
    Column(header="scheduled"),
    Column(header="missing"),
)


class CoverageStatus(StrEnum):
    """How one interval's staffing compares with what it needs."""

    UNDERSTAFFED = "understaffed"  # fewer on duty than required
    BELOW_TARGET = "below target"  # planned service level under the queue's target
    NEAR_TARGET = "near target"  # at most 5 points above the target
    OK = "ok"


STATUS_FILLS: dict[CoverageStatus, PatternFill] = {
    CoverageStatus.UNDERSTAFFED: RED,
    CoverageStatus.BELOW_TARGET: RED,
    CoverageStatus.NEAR_TARGET: AMBER,
    CoverageStatus.OK: GREEN,
}


def coverage_status(
    required: int, scheduled: int, service_level: float | None, target: float
) -> CoverageStatus:
    """Rate an interval: understaffed, below target, near target (within 5 points) or ok.

    An interval with no planned service level (no calls expected) is ok when fully staffed.
    """
    if scheduled < required:
        return CoverageStatus.UNDERSTAFFED
    if service_level is None:
        return CoverageStatus.OK
    if not meets_target(service_level, target):
        return CoverageStatus.BELOW_TARGET
    if not meets_target(service_level, target + NEAR_TARGET_POINTS):
        return CoverageStatus.NEAR_TARGET
    return CoverageStatus.OK


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _count(value: Any) -> int:
    return 0 if value is None or pd.isna(value) else round(float(value))


def _records(frame: pd.DataFrame, columns: list[str]) -> list[tuple[Any, ...]]:
    """The named columns as row tuples, interval_start as Python datetimes; none if empty."""
    if frame.empty:
        return []
    lists = [frame[c].tolist() for c in columns]
    starts = pd.to_datetime(frame["interval_start"]).dt.to_pydatetime().tolist()
    lists[columns.index("interval_start")] = starts
    return list(zip(*lists, strict=True))


SIMULATED = ("simulated_service_level", "simulated_sl_lo", "simulated_sl_hi")


def queue_columns(plan: Plan) -> tuple[Column, ...]:
    """The queue table's columns; the simulated service level and its 95% interval join them
    when the plan was simulated."""
    if not set(SIMULATED) <= set(plan.requirements.columns):
        return QUEUE_COLUMNS
    simulated = tuple(Column(header=name, number_format=PERCENT_FORMAT) for name in SIMULATED)
    return (*QUEUE_COLUMNS[:8], *simulated, QUEUE_COLUMNS[8])


def _queue_rows(plan: Plan) -> tuple[list[list[CellValue]], list[PatternFill | None]]:
    """Coverage rows per queue (workbook order) and interval, with their status fills."""
    order = {q.queue_id: i for i, q in enumerate(plan.workbook.queues)}
    targets = {q.queue_id: q.service_level for q in plan.workbook.queues}
    simulated = len(queue_columns(plan)) > len(QUEUE_COLUMNS)
    names = ["queue", "interval_start", "calls", "aht_s", "required_agents",
             "scheduled_agents", "expected_service_level",
             *(SIMULATED if simulated else ())]  # fmt: skip
    records = sorted(
        _records(plan.requirements, names),
        key=lambda r: (order.get(str(r[0]), len(order)), str(r[0]), r[1]),
    )
    rows: list[list[CellValue]] = []
    fills: list[PatternFill | None] = []
    for queue, start, calls, aht_s, required, scheduled, level, *measured in records:
        req, sched, sl = _count(required), _count(scheduled), _number(level)
        target = targets.get(str(queue), plan.workbook.center.service_level)
        status = coverage_status(req, sched, sl, target)
        rows.append([str(queue), start.date(), start.time(), _number(calls), _number(aht_s),
                     req, sched, sl, *(_number(m) for m in measured), status.value])  # fmt: skip
        fills.append(STATUS_FILLS[status])
    return rows, fills


def _role_rows(plan: Plan) -> tuple[list[list[CellValue]], list[PatternFill | None]]:
    """Coverage rows per lead role and interval: red where fewer are on duty than required."""
    order = {role.value: i for i, role in enumerate(Role)}
    records = sorted(
        _records(plan.role_requirements, ["role", "interval_start", "required", "on_duty"]),
        key=lambda r: (order.get(str(r[0]), len(order)), str(r[0]), r[1]),
    )
    rows: list[list[CellValue]] = []
    fills: list[PatternFill | None] = []
    for role, start, required, on_duty in records:
        req, duty = _count(required), _count(on_duty)
        status = coverage_status(req, duty, None, 0.0)
        rows.append([str(role), start.date(), start.time(), req, duty, status.value])
        fills.append(STATUS_FILLS[status])
    return rows, fills


def write_coverage_sheet(plan: Plan, ws: Worksheet) -> None:
    """Queue intervals (forecast, required, scheduled, planned and, when simulated, measured
    service level), coloured by status, and to their right the lead roles' intervals."""
    columns = queue_columns(plan)
    queue_rows, queue_fills = _queue_rows(plan)
    write_table(ws, columns, queue_rows, fills=queue_fills)
    role_rows, role_fills = _role_rows(plan)
    write_table(ws, ROLE_COLUMNS, role_rows, fills=role_fills, first_column=len(columns) + 2)
    finish_sheet(ws)


def flatten_summary(value: Any, prefix: str = "") -> list[tuple[str, CellValue]]:
    """Nested summary values as (dotted key, value) rows: ``service_level.planned.Q1``.

    Lists of plain values become one ``; ``-separated text; lists holding dicts get ``[i]``
    keys. NaN and infinities become blank cells.
    """
    if isinstance(value, dict):
        if not value:
            return [(prefix, None)]
        rows: list[tuple[str, CellValue]] = []
        for key, item in value.items():
            name = str(to_json_value(key))
            rows += flatten_summary(item, f"{prefix}.{name}" if prefix else name)
        return rows
    if isinstance(value, list | tuple | set | frozenset):
        items = list(value)
        if any(isinstance(i, dict | list | tuple) for i in items):
            rows = []
            for i, item in enumerate(items):
                rows += flatten_summary(item, f"{prefix}[{i}]")
            return rows
        return [(prefix, "; ".join(str(_cell(i)) for i in items))]
    return [(prefix, _cell(value))]


def _cell(value: Any) -> CellValue:
    """A summary value as a cell: dates stay dates, everything else goes through JSON rules."""
    if isinstance(value, dt.date | dt.time):
        return value.replace(tzinfo=None) if isinstance(value, dt.datetime) else value
    plain = to_json_value(value)
    if isinstance(plain, bool | int | float | str) or plain is None:
        return plain
    return str(plain)


def write_summary_sheet(plan: Plan, ws: Worksheet) -> None:
    """Key/value rows of the plan summary; service levels shown as percentages."""
    rows = flatten_summary(plan.summary.as_dict())
    write_table(ws, (Column(header="key"), Column(header="value")), [list(r) for r in rows])
    for r, (key, value) in enumerate(rows, start=2):
        is_rate = isinstance(value, float) and not isinstance(value, bool) and 0 <= value <= 1
        if is_rate and "service_level" in key:
            ws.cell(row=r, column=2).number_format = PERCENT_FORMAT
    finish_sheet(ws)


def _shortfall_rows(plan: Plan) -> list[list[CellValue]]:
    shortfalls = sorted(plan.result.shortfalls, key=lambda s: (s.what, s.interval_start))
    return [
        [s.what, s.interval_start.date(), s.interval_start.time(), s.required, s.scheduled,
         s.missing]
        for s in shortfalls
    ]  # fmt: skip


def write_rule_report_sheet(plan: Plan, ws: Worksheet) -> None:
    """One row per shortfall (queue or role, interval, required, scheduled, missing), then one
    row per other soft rule broken (rule, what, penalty), then the solver's explanation lines;
    "No rule broken" when there is none of these."""
    rows = _shortfall_rows(plan)
    breaks = plan.result.rule_breaks
    explanation = plan.result.explanation
    if not rows and not breaks and not explanation:
        put(ws, 1, 1, NO_RULE_BROKEN).font = BOLD
        finish_sheet(ws, freeze=None)
        return
    next_row = 1
    if rows:
        write_table(ws, SHORTFALL_COLUMNS, rows, fills=[RED] * len(rows))
        next_row = len(rows) + 3
    if breaks:
        put(ws, next_row, 1, "soft rule").font = BOLD
        put(ws, next_row, 2, "what").font = BOLD
        put(ws, next_row, 3, f"penalty ({plan.workbook.center.currency})").font = BOLD
        for offset, b in enumerate(breaks, start=1):
            put(ws, next_row + offset, 1, b.rule)
            put(ws, next_row + offset, 2, b.text)
            put(ws, next_row + offset, 3, b.penalty)
        next_row += len(breaks) + 2
    if explanation:
        put(ws, next_row, 1, "explanation").font = BOLD
        for offset, line in enumerate(explanation, start=1):
            put(ws, next_row + offset, 1, line)
    finish_sheet(ws, freeze="A2" if rows else None)
