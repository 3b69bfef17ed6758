"""Rows of the Center, Queues, Contracts and Employees sheets: the center's settings, its
queues, the working-time contracts and the people, each row checked cell by cell and against
the ids of the sheets before it.
"""

from __future__ import annotations

import dataclasses
import re
import zoneinfo
from collections.abc import Callable
from typing import Any, cast

import holidays

from inputs.capacity import shift_lengths
from inputs.cells import (
    CellError,
    Problems,
    RawSheet,
    Row,
    choice,
    integer,
    iter_rows,
    known_id,
    norm,
    parse_number,
    parse_time,
    parse_weekday,
    show,
    text,
    unique_id,
)
from inputs.domain import Center, Channel, Contract, Employee, Queue, Role, ServiceLevelScope
from inputs.schema import CENTER_KEYS, ESTIMATE, SHIFT_STEPS, YES_NO, column

__all__ = ["center_settings", "contract_row", "employee_row", "queue_row"]

SHARE = column("Queues", "service_level").parse
SECONDS = column("Queues", "answer_seconds").parse
CONTRACT_DEFAULTS: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(Contract)}


def _patience(value: object) -> float | None:
    """Mean patience in seconds, or None for the word `estimate` (fitted from history)."""
    if _is_estimate(value):
        return None
    spec = column("Queues", "patience_s")
    try:
        parse_number(value)
    except CellError:
        raise CellError(
            f"{show(value)} is not {spec.range_text} — write e.g. {spec.example}"
        ) from None
    return cast(float, spec.parse(value))


def _is_estimate(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower() == ESTIMATE


def _one_of_values(options: tuple[int, ...], example: str) -> Callable[[object], int]:
    whole = integer(example=example)

    def parse(value: object) -> int:
        result = whole(value)
        if result not in options:
            allowed = ", ".join(map(str, options))
            raise CellError(f"{show(value)} is not one of {allowed} — write e.g. {example}")
        return result

    return parse


def _timezone(value: object) -> str:
    name = text(value)
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise CellError(f"{show(value)} is not a time zone — write e.g. Asia/Jerusalem") from None
    return name


def _country(value: object) -> str:
    code = text(value).upper()
    if code not in holidays.list_supported_countries():
        raise CellError(f"{show(value)} is not a supported holiday country — write e.g. IL or US")
    return code


_CENTER_TEXT: dict[str, Callable[[object], Any]] = {
    "name": text,
    "timezone": _timezone,
    "interval_minutes": _one_of_values((15, 30), "15"),
    "week_start": parse_weekday,
    "service_level_scope": choice(ServiceLevelScope),
    "currency": text,
    "holiday_country": _country,
}
_CENTER_KEYS: dict[str, Callable[[object], Any]] = {
    key.name: _CENTER_TEXT.get(key.name, key.parse) for key in CENTER_KEYS
}


def center_settings(sheet: RawSheet | None, problems: Problems) -> Center:
    """Center settings are key/value rows; blank values keep the defaults; `name` is required."""
    values: dict[str, Any] = {}
    seen: dict[str, int] = {}
    keys = {norm(key): key for key in _CENTER_KEYS}
    for row in iter_rows(sheet, problems) if sheet else []:
        key_text = row.need("key", text, "name")
        key = keys.get(norm(key_text)) if key_text else None
        if key_text and key is None:
            row.fail("key", f"unknown key {show(key_text)} — known keys: {', '.join(_CENTER_KEYS)}")
        if key is None:
            continue
        if key in seen:
            row.fail("key", f"{show(key_text)} is set twice (first on row {seen[key]}) — keep one")
            continue
        seen[key] = row.number
        row.labels["value"] = key
        value = (
            row.need("value", _CENTER_KEYS[key], "Service center")
            if key == "name"
            else (row.maybe("value", _CENTER_KEYS[key]))
        )
        if value is not None:
            values[key] = value
    if sheet is not None and "name" not in seen:
        problems.add(f"{sheet.title}: key 'name' is missing — add a row: name | <center name>")
    return Center(**({"name": ""} | values))


def _queues(name: str) -> Callable[[object], Any]:
    return column("Queues", name).parse


def queue_row(row: Row, center: Center, ids: dict[str, int]) -> Queue:
    """A blank target takes the Center's; escalated calls need a shift-lead handle time."""
    queue = Queue(
        queue_id=unique_id(row, "queue_id", ids, "queue", "Q1"),
        name=row.need("name", text, "General information"),
        channel=row.get("channel", choice(Channel), Channel.VOICE),
        service_level=row.get("service_level", SHARE, center.service_level),
        answer_seconds=row.get("answer_seconds", SECONDS, center.answer_seconds),
        patience_s=row.maybe("patience_s", _patience),
        estimate_patience=_is_estimate(row.raw("patience_s")),
        escalation_rate=row.get("escalation_rate", _queues("escalation_rate"), 0.0),
        escalation_handle_s=row.get("escalation_handle_s", _queues("escalation_handle_s"), 0.0),
        concurrency=row.get("concurrency", _queues("concurrency"), 1),
        priority=row.get("priority", _queues("priority"), 1),
    )
    if queue.escalation_rate > 0 and queue.escalation_handle_s <= 0:
        row.fail(
            "escalation_handle_s",
            "must be above 0 when escalation_rate is above 0 — write the shift lead's "
            "handle time in seconds, e.g. 600",
        )
    return queue


def _yes_no(value: object) -> bool:
    """``yes`` or ``no`` (any case; Excel's TRUE/FALSE too)."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word not in YES_NO:
        raise CellError(f"{show(value)} is not yes or no — write yes or no")
    return word == "yes"


def _break_window(value: object) -> tuple[float, float]:
    """A break window is ``A-B``: hours after the shift starts, e.g. ``2.5-5``."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*[-\u2013]\s*(\d+(?:\.\d+)?)", text(value).strip())
    if not match or float(match[1]) >= float(match[2]):
        raise CellError(f"{show(value)} is not a window of hours A-B — write e.g. 2.5-5")
    return float(match[1]), float(match[2])


def contract_row(row: Row, ids: dict[str, int], center: Center) -> Contract:
    """Contract columns left blank keep the Contract defaults; each minimum is at most its max;
    the short breaks fit in every allowed shift length."""
    d = CONTRACT_DEFAULTS

    def need(name: str, example: str) -> Any:
        return row.need(name, column("Contracts", name).parse, example)

    def get(name: str) -> Any:
        return row.get(name, column("Contracts", name).parse, d[name])

    contract = Contract(
        contract_id=unique_id(row, "contract_id", ids, "contract", "FT"),
        min_weekly_hours=need("min_weekly_hours", "30"),
        max_weekly_hours=need("max_weekly_hours", "42"),
        max_days=need("max_days", "5"),
        min_shift_hours=need("min_shift_hours", "4"),
        max_shift_hours=need("max_shift_hours", "9"),
        earliest_start=row.get("earliest_start", parse_time, d["earliest_start"]),
        latest_end=row.get("latest_end", parse_time, d["latest_end"]),
        max_consecutive_days=get("max_consecutive_days"),
        min_rest_hours=get("min_rest_hours"),
        weekly_rest_hours=get("weekly_rest_hours"),
        break_minutes=get("break_minutes"),
        break_after_hours=get("break_after_hours"),
        shift_step_minutes=row.get(
            "shift_step_minutes", _one_of_values(SHIFT_STEPS, "30"), d["shift_step_minutes"]
        ),
        same_start=row.get("same_start", _yes_no, d["same_start"]),
        short_break_minutes=get("short_break_minutes"),
        short_break_after_hours=get("short_break_after_hours"),
        break_spacing_hours=get("break_spacing_hours"),
    )
    default_window = (d["break_window_start_h"], d["break_window_end_h"])
    start_h, end_h = row.get("break_window", _break_window, default_window)
    contract = dataclasses.replace(contract, break_window_start_h=start_h, break_window_end_h=end_h)
    if not row.failed:
        _check_contract(row, contract)
    if not row.failed:
        _check_short_breaks(row, contract, center)
    return contract


def _check_contract(row: Row, c: Contract) -> None:
    """Each minimum is at most its maximum and a shortest shift fits the working window."""
    pairs = (
        ("min_weekly_hours", c.min_weekly_hours, "max_weekly_hours", c.max_weekly_hours),
        ("min_shift_hours", c.min_shift_hours, "max_shift_hours", c.max_shift_hours),
    )
    for low_col, low, high_col, high in pairs:
        if low > high:
            row.fail(low_col, f"{show(low)} is above {high_col} {show(high)} — lower one of them")
    if c.max_shift_hours <= 0:
        row.fail("max_shift_hours", "0 leaves no possible shift — write e.g. 9")
    if c.latest_end <= c.earliest_start:
        row.fail("latest_end", "is not after earliest_start — write e.g. 07:00 and 22:00")
    elif c.min_shift_hours * 60 > c.latest_end - c.earliest_start:
        row.fail(
            "min_shift_hours",
            f"{show(c.min_shift_hours)} h does not fit between earliest_start and latest_end "
            "— shorten it or widen the window",
        )


def _check_short_breaks(row: Row, c: Contract, center: Center) -> None:
    """Every shift length the contract allows has room for its short breaks, spaced from the
    shift's edges and the lunch."""
    interval = center.interval_minutes
    lengths = shift_lengths(c, interval, round(center.max_daily_hours * 60))
    bad = [n for n in lengths if c.break_offsets(n, interval) is None]
    if not bad:
        return
    n = bad[0]
    breaks = (f"two {c.short_break_minutes}-min short breaks around the {c.break_minutes}-min "
              "lunch" if c.short_break_count(n) == 2
              else f"a {c.short_break_minutes}-min short break")
    spaced = c.break_spacing_hours > 0
    column_name = "break_spacing_hours" if spaced else "short_break_minutes"
    value = f"{show(c.break_spacing_hours)} h" if spaced else f"{c.short_break_minutes} min"
    row.fail(column_name, f"{value} leaves no room for {breaks} in a {show(n / 60)} h "
             f"shift, each {show(c.break_spacing_hours)} h from the shift's edges and the "
             "other breaks — lower break_spacing_hours or short_break_minutes, widen the "
             "break_window, or raise min_shift_hours")


def employee_row(
    row: Row,
    ids: dict[str, int],
    contract_ids: dict[str, int] | None,
    queue_ids: dict[str, int] | None,
) -> Employee:
    """An agent needs at least one skill; skills are known queue ids separated by ';'."""
    employee = Employee(
        employee_id=unique_id(row, "employee_id", ids, "employee", "E01"),
        name=row.need("name", text, "Dana Levi"),
        role=row.need("role", choice(Role), "agent"),
        team=row.get("team", text, ""),
        contract_id=row.need("contract", text, "FT"),
        hourly_cost=row.need("hourly_cost", column("Employees", "hourly_cost").parse, "55"),
        skills=_skills(row.get("skills", text, "")),
    )
    known_id(row, "contract", employee.contract_id, contract_ids, "contract")
    for skill in employee.skills:
        known_id(row, "skills", skill, queue_ids, "queue")
    if employee.role is Role.AGENT and not employee.skills and row.raw("skills") is None:
        row.fail("skills", "is blank — an agent needs at least one queue id, e.g. Q1;Q2")
    return employee


def _skills(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.strip() for s in re.split(r"[;,]", cell) if s.strip()))
