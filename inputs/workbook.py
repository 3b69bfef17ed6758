"""The constraint workbook: its sheets and columns, and reading it into a validated `Workbook`.

Every problem in the file is collected in one pass and raised together as an `InputError`,
one line per problem naming file, sheet!cell, column, value and the fix.
"""

from __future__ import annotations

import dataclasses
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import holidays

from inputs.cells import (
    CellError,
    Problems,
    RawSheet,
    Row,
    check_columns,
    choice,
    integer,
    iter_rows,
    known_id,
    load_sheets,
    norm,
    number,
    one_of,
    parse_date,
    parse_time,
    parse_weekday,
    show,
    text,
    unique_id,
)
from inputs.domain import (
    WEEKDAY_NAMES,
    Availability,
    AvailabilityKind,
    Center,
    Channel,
    Contract,
    CoverageRule,
    Employee,
    InputError,
    OpeningSpan,
    Premium,
    PremiumKind,
    Queue,
    Role,
    ScenarioRule,
    ServiceLevelScope,
    Workbook,
)

_T = TypeVar("_T")

SHIFT_STEPS = (15, 30, 60, 90, 120)
WEEKDAYS_FROM_SUNDAY = (WEEKDAY_NAMES[6], *WEEKDAY_NAMES[:6])


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """One column of a sheet; `choices`, `ids_from` and the range feed the template's checks."""

    name: str
    required: bool = False  # the column must be in the header row
    width: int = 14
    choices: tuple[str, ...] = ()  # drop-down values
    ids_from: str | None = None  # drop-down of the ids in that sheet's first column
    low: float | None = None
    high: float | None = None
    whole: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    required: bool = True

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def _c(name: str, **kwargs: Any) -> Column:
    return Column(name=name, **kwargs)


def _enum(kind: Any) -> tuple[str, ...]:
    return tuple(member.value for member in kind)


SHEETS = (
    SheetSpec(name="Center", columns=(
        _c("key", required=True, width=22), _c("value", required=True, width=26),
    )),
    SheetSpec(name="OpeningHours", columns=(
        _c("weekday", width=12, choices=WEEKDAYS_FROM_SUNDAY), _c("date", width=12),
        _c("open", required=True, width=8), _c("close", required=True, width=8),
        _c("queue", ids_from="Queues"),
    )),
    SheetSpec(name="Queues", columns=(
        _c("queue_id", required=True), _c("name", required=True, width=30),
        _c("channel", width=10, choices=_enum(Channel)),
        _c("service_level", low=0, high=1), _c("answer_seconds", low=1, whole=True),
        _c("patience_s"), _c("escalation_rate", low=0, high=1),
        _c("escalation_handle_s", low=0), _c("concurrency", low=1, high=20, whole=True),
        _c("priority", whole=True, width=10),
    )),
    SheetSpec(name="Employees", columns=(
        _c("employee_id", required=True), _c("name", required=True, width=24),
        _c("role", required=True, choices=_enum(Role)), _c("team", width=16),
        _c("contract", required=True, ids_from="Contracts"),
        _c("hourly_cost", required=True, low=0), _c("skills", width=30),
    )),
    SheetSpec(name="Contracts", columns=(
        _c("contract_id", required=True),
        _c("min_weekly_hours", required=True, low=0, high=168),
        _c("max_weekly_hours", required=True, low=0, high=168),
        _c("max_days", required=True, low=1, high=7, whole=True),
        _c("min_shift_hours", required=True, low=0, high=24),
        _c("max_shift_hours", required=True, low=0, high=24),
        _c("earliest_start"), _c("latest_end"),
        _c("max_consecutive_days", low=1, high=14, whole=True),
        _c("min_rest_hours", low=0, high=24), _c("weekly_rest_hours", low=0, high=168),
        _c("break_minutes", low=0, high=240, whole=True), _c("break_after_hours", low=0, high=24),
        _c("break_window"), _c("shift_step_minutes", choices=tuple(map(str, SHIFT_STEPS))),
    )),
    SheetSpec(name="Availability", required=False, columns=(
        _c("employee_id", required=True, ids_from="Employees"), _c("date", width=12),
        _c("weekday", width=12, choices=WEEKDAYS_FROM_SUNDAY), _c("from", width=8),
        _c("to", width=8), _c("kind", width=12, choices=_enum(AvailabilityKind)),
    )),
    SheetSpec(name="Coverage", required=False, columns=(
        _c("role", required=True, choices=_enum(Role)),
        _c("min_on_duty", required=True, low=0, whole=True), _c("per_agents", low=1, whole=True),
        _c("answer_seconds", low=1, whole=True), _c("service_level", low=0, high=1),
    )),
    SheetSpec(name="Costs", required=False, columns=(
        _c("premium", required=True, width=18),
        _c("kind", required=True, choices=_enum(PremiumKind)),
        _c("weekday", width=12, choices=WEEKDAYS_FROM_SUNDAY), _c("from", width=8),
        _c("to", width=8), _c("after_hours", low=0, high=168),
        _c("multiplier", required=True, low=1, high=10),
    )),
    SheetSpec(name="Scenario", required=False, columns=(
        _c("queue", ids_from="Queues"), _c("from_date", required=True),
        _c("to_date", required=True), _c("volume_multiplier", low=0, high=100),
        _c("aht_multiplier", low=0, high=100),
    )),
)  # fmt: skip

SHARE = number(
    low=0, high=1, open_low=True, open_high=True, rule="a share between 0 and 1", example="0.8"
)
SECONDS = integer(low=1, example="60")
RATE = number(low=0, high=1, rule="a share from 0 to 1", example="0.05")
CONTRACT_DEFAULTS: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(Contract)}


def _positive(example: str) -> Callable[[object], float]:
    return number(low=0, open_low=True, rule="a number above 0", example=example)


ESTIMATE = "estimate"


def _patience(value: object) -> float | None:
    """Mean patience in seconds, or None for the word `estimate` (fitted from history)."""
    if isinstance(value, str) and value.strip().lower() == ESTIMATE:
        return None
    return number(low=0, open_low=True, rule="a number of seconds above 0 or 'estimate'",
                  example="180")(value)


def _estimate(value: object) -> bool | None:
    return True if isinstance(value, str) and value.strip().lower() == ESTIMATE else None


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


_CENTER_KEYS: dict[str, Callable[[object], Any]] = {
    "name": text,
    "timezone": _timezone,
    "interval_minutes": _one_of_values((15, 30), "15"),
    "week_start": parse_weekday,
    "service_level": SHARE,
    "answer_seconds": SECONDS,
    "service_level_scope": choice(ServiceLevelScope),
    "shrinkage": number(low=0, high=0.9, open_high=True, rule="a share from 0 to 0.9",
                        example="0.3"),
    "currency": text,
    "solver_time_limit_s": _positive("120"),
    "solver_workers": integer(low=0, example="0"),
    "seed": integer(example="0"),
    "holiday_country": _country,
    "forecast_quantile": number(low=0.5, high=1, open_high=True,
                                rule="a quantile from 0.5 to below 1", example="0.8"),
    "service_level_floor": number(low=0, high=1, rule="a share from 0 to 1", example="0.6"),
}  # fmt: skip


def read_workbook(path: Path) -> Workbook:
    """Read the constraint workbook; every problem in it is reported at once.

    Raises:
        InputError: one line per problem, naming file, sheet!cell, column, value and the fix.
    """
    path = Path(path)
    raw = load_sheets(path)
    problems = Problems(path.name)
    sheets = {spec.name: _sheet(raw, spec, problems) for spec in SHEETS}
    center = _center(sheets["Center"], problems)
    queues, queue_ids = _id_rows(sheets["Queues"], problems, lambda r, ids: _queue(r, center, ids))
    contracts, contract_ids = _id_rows(sheets["Contracts"], problems, _contract)
    employees, employee_ids = _id_rows(
        sheets["Employees"], problems, lambda r, ids: _employee(r, ids, contract_ids, queue_ids)
    )
    opening = _rows(sheets["OpeningHours"], problems, lambda r: _opening(r, queue_ids))
    availability = _rows(sheets["Availability"], problems, lambda r: _availability(r, employee_ids))
    coverage = _rows(sheets["Coverage"], problems, _coverage)
    _no_repeats(sheets["Coverage"], coverage, problems)
    premiums = _rows(sheets["Costs"], problems, _premium)
    scenarios = _rows(sheets["Scenario"], problems, lambda r: _scenario(r, queue_ids))
    if problems.lines:
        raise InputError(problems.lines)
    return Workbook(
        center=center,
        opening_hours=opening,
        queues=queues,
        employees=employees,
        contracts=contracts,
        availability=availability,
        coverage=coverage,
        premiums=premiums,
        scenarios=scenarios,
    )


def _sheet(raw: dict[str, RawSheet], spec: SheetSpec, problems: Problems) -> RawSheet | None:
    """The sheet if present with its required columns; absent or broken sheets give None."""
    sheet = raw.get(norm(spec.name))
    if sheet is None:
        if spec.required:
            expected = ", ".join(s.name for s in SHEETS if s.required)
            optional = ", ".join(s.name for s in SHEETS if not s.required)
            problems.add(
                f"sheet '{spec.name}' is missing — expected sheets: {expected} "
                f"(optional: {optional})"
            )
        return None
    if not check_columns(sheet, spec.required_columns, problems):
        return None
    if spec.required and not sheet.rows and spec.name != "Center":
        problems.add(f"sheet '{sheet.title}' has no rows — add at least one row under the header")
    return sheet


def _rows(sheet: RawSheet | None, problems: Problems, build: Callable[[Row], _T]) -> tuple[_T, ...]:
    """One object per good row; a row with any bad cell is reported and left out."""
    if sheet is None:
        return ()
    built = [(row, build(row)) for row in iter_rows(sheet, problems)]
    return tuple(item for row, item in built if not row.failed)


def _id_rows(
    sheet: RawSheet | None, problems: Problems, build: Callable[[Row, dict[str, int]], _T]
) -> tuple[tuple[_T, ...], dict[str, int] | None]:
    """Rows of a sheet keyed by unique ids, and the ids seen (None: sheet unreadable)."""
    if sheet is None:
        return (), None
    ids: dict[str, int] = {}
    return _rows(sheet, problems, lambda row: build(row, ids)), ids


def _center(sheet: RawSheet | None, problems: Problems) -> Center:
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


def _queue(row: Row, center: Center, ids: dict[str, int]) -> Queue:
    """A blank target takes the Center's; escalated calls need a shift-lead handle time."""
    queue = Queue(
        queue_id=unique_id(row, "queue_id", ids, "queue", "Q1"),
        name=row.need("name", text, "General information"),
        channel=row.get("channel", choice(Channel), Channel.VOICE),
        service_level=row.get("service_level", SHARE, center.service_level),
        answer_seconds=row.get("answer_seconds", SECONDS, center.answer_seconds),
        patience_s=row.maybe("patience_s", _patience),
        estimate_patience=row.maybe("patience_s", _estimate) is not None,
        escalation_rate=row.get("escalation_rate", RATE, 0.0),
        escalation_handle_s=row.get("escalation_handle_s", number(low=0, example="600"), 0.0),
        concurrency=row.get("concurrency", integer(low=1, example="1"), 1),
        priority=row.get("priority", integer(example="1"), 1),
    )
    if queue.escalation_rate > 0 and queue.escalation_handle_s <= 0:
        row.fail(
            "escalation_handle_s",
            "must be above 0 when escalation_rate is above 0 — write the shift lead's "
            "handle time in seconds, e.g. 600",
        )
    return queue


def _break_window(value: object) -> tuple[float, float]:
    """A break window is ``A-B``: hours after the shift starts, e.g. ``2.5-5``."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*[-\u2013]\s*(\d+(?:\.\d+)?)", text(value).strip())
    if not match or float(match[1]) >= float(match[2]):
        raise CellError(f"{show(value)} is not a window of hours A-B — write e.g. 2.5-5")
    return float(match[1]), float(match[2])


def _contract(row: Row, ids: dict[str, int]) -> Contract:
    """Contract columns left blank keep the Contract defaults; each minimum is at most its max."""
    d = CONTRACT_DEFAULTS
    week, shift = number(low=0, high=168, example="40"), number(low=0, high=24, example="8")

    def hours(column: str) -> float:
        return row.get(column, shift, d[column])

    contract = Contract(
        contract_id=unique_id(row, "contract_id", ids, "contract", "FT"),
        min_weekly_hours=row.need("min_weekly_hours", week, "30"),
        max_weekly_hours=row.need("max_weekly_hours", week, "42"),
        max_days=row.need("max_days", integer(low=1, high=7, example="5"), "5"),
        min_shift_hours=row.need("min_shift_hours", shift, "4"),
        max_shift_hours=row.need("max_shift_hours", shift, "9"),
        earliest_start=row.get("earliest_start", parse_time, d["earliest_start"]),
        latest_end=row.get("latest_end", parse_time, d["latest_end"]),
        max_consecutive_days=row.get(
            "max_consecutive_days", integer(low=1, high=14, example="6"), d["max_consecutive_days"]
        ),
        min_rest_hours=hours("min_rest_hours"),
        weekly_rest_hours=row.get("weekly_rest_hours", week, d["weekly_rest_hours"]),
        break_minutes=row.get(
            "break_minutes", integer(low=0, high=240, example="30"), d["break_minutes"]
        ),
        break_after_hours=hours("break_after_hours"),
        shift_step_minutes=row.get(
            "shift_step_minutes", _one_of_values(SHIFT_STEPS, "30"), d["shift_step_minutes"]
        ),
    )
    default_window = (d["break_window_start_h"], d["break_window_end_h"])
    start_h, end_h = row.get("break_window", _break_window, default_window)
    contract = dataclasses.replace(contract, break_window_start_h=start_h, break_window_end_h=end_h)
    if not row.failed:
        _check_contract(row, contract)
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


def _employee(
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
        hourly_cost=row.need("hourly_cost", _positive("55"), "55"),
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


def _opening(row: Row, queue_ids: dict[str, int] | None) -> OpeningSpan:
    """Close is after open; ``00:00``-``00:00`` on a date row means closed all day."""
    one_of(row, "weekday", "date", "a weekday (e.g. Sunday) or a date (e.g. 2026-12-25)")
    span = OpeningSpan(
        weekday=row.maybe("weekday", parse_weekday),
        date=row.maybe("date", parse_date),
        open_min=row.need("open", parse_time, "08:00"),
        close_min=row.need("close", parse_time, "17:00"),
        queue_id=row.maybe("queue", text),
    )
    known_id(row, "queue", span.queue_id, queue_ids, "queue")
    closed_day = span.date is not None and span.open_min == span.close_min == 0
    if not row.failed and span.close_min <= span.open_min and not closed_day:
        row.fail(
            "close",
            f"{show(row.raw('close'))} is not after open {show(row.raw('open'))} — write a later "
            "close (00:00-24:00 is around the clock; 00:00-00:00 on a date closes that day)",
        )
    return span


def _availability(row: Row, employee_ids: dict[str, int] | None) -> Availability:
    """Blank from/to mean the whole day; to is after from."""
    one_of(row, "date", "weekday", "a date (e.g. 2026-12-01) or a weekday (e.g. Friday)")
    item = Availability(
        employee_id=row.need("employee_id", text, "E01"),
        date=row.maybe("date", parse_date),
        weekday=row.maybe("weekday", parse_weekday),
        start_min=row.get("from", parse_time, 0),
        end_min=row.get("to", parse_time, 1440),
        kind=row.get("kind", choice(AvailabilityKind), AvailabilityKind.UNAVAILABLE),
    )
    known_id(row, "employee_id", item.employee_id, employee_ids, "employee")
    if not row.failed and item.end_min <= item.start_min:
        to = show(row.raw("to"))
        row.fail("to", f"{to} is not after from — write e.g. from 08:00 to 12:00")
    return item


def _coverage(row: Row) -> CoverageRule:
    return CoverageRule(
        role=row.need("role", choice(Role), "shift_lead"),
        min_on_duty=row.get("min_on_duty", integer(low=0, example="1"), 0),
        per_agents=row.maybe("per_agents", integer(low=1, example="15")),
        answer_seconds=row.maybe("answer_seconds", SECONDS),
        service_level=row.maybe("service_level", SHARE),
    )


def _no_repeats(
    sheet: RawSheet | None, rules: tuple[CoverageRule, ...], problems: Problems
) -> None:
    seen = [rule.role for rule in rules]
    for role in dict.fromkeys(r for r in seen if seen.count(r) > 1):
        title = sheet.title if sheet else "Coverage"
        problems.add(f"{title} (role): {role.value!r} has more than one row — keep one per role")


_PREMIUM_NEEDS = {
    PremiumKind.TIME: ("from", "to"),
    PremiumKind.DAY: ("weekday",),
    PremiumKind.OVERTIME: ("after_hours",),
}


def _premium(row: Row) -> Premium:
    """A time premium needs from/to, a day premium a weekday, an overtime premium after_hours."""
    premium = Premium(
        name=row.need("premium", text, "evening"),
        kind=row.need("kind", choice(PremiumKind), "time"),
        multiplier=row.need("multiplier", number(low=1, example="1.25"), "1.25"),
        weekday=row.maybe("weekday", parse_weekday),
        start_min=row.maybe("from", parse_time),
        end_min=row.maybe("to", parse_time),
        after_hours=row.maybe("after_hours", number(low=0, example="40")),
    )
    if premium.kind not in _PREMIUM_NEEDS:
        return premium
    needs = _PREMIUM_NEEDS[premium.kind]
    kind, uses = premium.kind.value, " and ".join(needs)
    for column in ("weekday", "from", "to", "after_hours"):
        given = row.raw(column) is not None
        if column in needs and not given:
            row.fail(column, f"is blank — a {kind} premium needs {uses}")
        elif given and column not in needs:
            row.fail(column, f"a {kind} premium uses only {uses} — leave {column} blank")
    start, end = premium.start_min, premium.end_min
    if not row.failed and start is not None and end is not None and end <= start:
        row.fail(
            "to",
            f"{show(row.raw('to'))} is not after from — split an overnight premium into "
            "two rows, e.g. 22:00-24:00 and 00:00-06:00",
        )
    return premium


def _scenario(row: Row, queue_ids: dict[str, int] | None) -> ScenarioRule:
    """A blank queue or ``*`` means every queue; to_date is on or after from_date."""
    queue = row.maybe("queue", text)
    rule = ScenarioRule(
        queue_id=None if queue in (None, "*") else queue,
        start_date=row.need("from_date", parse_date, "2026-12-01"),
        end_date=row.need("to_date", parse_date, "2026-12-31"),
        volume_multiplier=row.get("volume_multiplier", _positive("1.5"), 1.0),
        aht_multiplier=row.get("aht_multiplier", _positive("1.1"), 1.0),
    )
    known_id(row, "queue", rule.queue_id, queue_ids, "queue")
    if not row.failed and rule.end_date < rule.start_date:
        row.fail("to_date", f"{rule.end_date} is before from_date {rule.start_date} — swap them")
    return rule
