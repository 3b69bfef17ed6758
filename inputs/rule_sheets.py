"""Rows of the rule sheets (OpeningHours, Availability, Coverage, Costs, Scenario,
FixedShifts) and the checks that look across rows: overlapping spans, repeated roles, teams
without a manager, two fixed shifts for one employee and date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from inputs.cells import (
    CellError,
    Problems,
    RawSheet,
    Row,
    choice,
    format_time,
    known_id,
    one_of,
    parse_date,
    parse_time,
    parse_weekday,
    show,
    text,
)
from inputs.domain import (
    Availability,
    AvailabilityKind,
    CoverageRule,
    Employee,
    FixedShift,
    OpeningSpan,
    Premium,
    PremiumKind,
    Role,
    ScenarioRule,
)
from inputs.schema import OFF, column


def _coverage(name: str) -> Callable[[object], Any]:
    return column("Coverage", name).parse


def _scenario(name: str) -> Callable[[object], Any]:
    return column("Scenario", name).parse


def opening_row(row: Row, queue_ids: dict[str, int] | None) -> OpeningSpan:
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


def availability_row(row: Row, employee_ids: dict[str, int] | None) -> Availability:
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


def coverage_row(row: Row) -> CoverageRule:
    return CoverageRule(
        role=row.need("role", choice(Role), "shift_lead"),
        min_on_duty=row.get("min_on_duty", _coverage("min_on_duty"), 0),
        per_agents=row.maybe("per_agents", _coverage("per_agents")),
        answer_seconds=row.maybe("answer_seconds", _coverage("answer_seconds")),
        service_level=row.maybe("service_level", _coverage("service_level")),
    )


def no_repeated_roles(
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


def premium_row(row: Row) -> Premium:
    """A time premium needs from/to, a day premium a weekday, an overtime premium after_hours."""
    premium = Premium(
        name=row.need("premium", text, "evening"),
        kind=row.need("kind", choice(PremiumKind), "time"),
        multiplier=row.need("multiplier", column("Costs", "multiplier").parse, "1.25"),
        weekday=row.maybe("weekday", parse_weekday),
        start_min=row.maybe("from", parse_time),
        end_min=row.maybe("to", parse_time),
        after_hours=row.maybe("after_hours", column("Costs", "after_hours").parse),
    )
    if premium.kind not in _PREMIUM_NEEDS:
        return premium
    needs = _PREMIUM_NEEDS[premium.kind]
    kind, uses = premium.kind.value, " and ".join(needs)
    for name in ("weekday", "from", "to", "after_hours"):
        given = row.raw(name) is not None
        if name in needs and not given:
            row.fail(name, f"is blank — a {kind} premium needs {uses}")
        elif given and name not in needs:
            row.fail(name, f"a {kind} premium uses only {uses} — leave {name} blank")
    start, end = premium.start_min, premium.end_min
    if not row.failed and start is not None and end is not None and end <= start:
        row.fail(
            "to",
            f"{show(row.raw('to'))} is not after from — split an overnight premium into "
            "two rows, e.g. 22:00-24:00 and 00:00-06:00",
        )
    return premium


def scenario_row(row: Row, queue_ids: dict[str, int] | None) -> ScenarioRule:
    """A blank queue or ``*`` means every queue; to_date is on or after from_date."""
    queue = row.maybe("queue", text)
    rule = ScenarioRule(
        queue_id=None if queue in (None, "*") else queue,
        start_date=row.need("from_date", parse_date, "2026-12-01"),
        end_date=row.need("to_date", parse_date, "2026-12-31"),
        volume_multiplier=row.get("volume_multiplier", _scenario("volume_multiplier"), 1.0),
        aht_multiplier=row.get("aht_multiplier", _scenario("aht_multiplier"), 1.0),
    )
    known_id(row, "queue", rule.queue_id, queue_ids, "queue")
    if not row.failed and rule.end_date < rule.start_date:
        row.fail("to_date", f"{rule.end_date} is before from_date {rule.start_date} — swap them")
    return rule


def check_teams(
    sheet: RawSheet | None,
    employees: Sequence[Employee],
    rows: dict[str, int] | None,
    problems: Problems,
) -> None:
    """When team managers are listed, every team named is one that a team manager leads.

    A team nobody leads is almost always a typo ("Nroth" for "North"); a blank team is fine.
    """
    led = sorted({e.team for e in employees if e.role is Role.TEAM_MANAGER and e.team})
    if sheet is None or rows is None or not led:
        return
    for employee in employees:
        if employee.team and employee.team not in led:
            problems.add(
                sheet.ref("team", rows[employee.employee_id]),
                f"unknown team {show(employee.team)} — teams with a team manager: "
                f"{', '.join(led)}; check the spelling or add the team's manager",
            )


def _day_key(item: OpeningSpan | Availability) -> tuple[str | None, dt.date | None, int | None]:
    owner = item.queue_id if isinstance(item, OpeningSpan) else item.employee_id
    return owner, item.date, item.weekday


def _span(item: OpeningSpan | Availability) -> tuple[int, int]:
    if isinstance(item, OpeningSpan):
        return item.open_min, item.close_min
    return item.start_min, item.end_min


def check_overlaps(
    sheet: RawSheet | None,
    rows: Sequence[tuple[int, OpeningSpan | Availability]],
    problems: Problems,
) -> None:
    """Two rows for the same day (and queue, or employee) must not overlap in time.

    Overlapping time off or opening hours is a copy-paste slip that makes the rows say
    different things about the same minutes; each overlap is reported on the later row.
    """
    if sheet is None:
        return
    groups: dict[tuple[Any, ...], list[tuple[int, OpeningSpan | Availability]]] = defaultdict(list)
    for number, item in rows:
        if _span(item)[1] > _span(item)[0]:  # 00:00-00:00 closes a date: no span to overlap
            groups[_day_key(item)].append((number, item))
    found: list[tuple[int, str, str]] = []
    for group in groups.values():
        ordered = sorted(group, key=lambda pair: (_span(pair[1]), pair[0]))
        reach_row, reach = ordered[0][0], _span(ordered[0][1])
        for number, item in ordered[1:]:
            span = _span(item)
            if span[0] < reach[1]:
                found.append(_overlap(sheet, (reach_row, reach), (number, span)))
            if span[1] > reach[1]:
                reach_row, reach = number, span
    for _, where, message in sorted(found):
        problems.add(where, message)


def _overlap(
    sheet: RawSheet, a: tuple[int, tuple[int, int]], b: tuple[int, tuple[int, int]]
) -> tuple[int, str, str]:
    (early, early_span), (late, late_span) = sorted([a, b])
    opening = "open" in sheet.header
    where = sheet.ref("open" if opening else "from", late)
    whose = "queue" if opening else "employee"
    message = (
        f"{_hhmm(late_span)} overlaps row {early} ({_hhmm(early_span)}) for the same {whose} "
        "and day — merge the two rows or fix the times"
    )
    return late, where, message


def _hhmm(span: tuple[int, int]) -> str:
    return f"{format_time(span[0])}-{format_time(span[1])}"


def _start_or_off(value: object) -> int | None:
    """A fixed shift's start: a time of day, or None for the word `off` (a fixed day off)."""
    if isinstance(value, str) and value.strip().lower() == OFF:
        return None
    try:
        return parse_time(value)
    except CellError:
        raise CellError(f"{show(value)} is not a time of day or 'off' — write HH:MM, e.g. "
                        "08:00, or off for a fixed day off") from None


def fixed_shift_row(row: Row, employee_ids: dict[str, int] | None) -> FixedShift:
    """A fixed shift has a start and an end (the end may be past midnight); `off` has no end."""
    employee_id = row.need("employee_id", text, "E01")
    day = row.need("date", parse_date, "2026-12-01")
    start = row.need("start", _start_or_off, "08:00")
    end = row.maybe("end", parse_time)
    known_id(row, "employee_id", employee_id, employee_ids, "employee")
    off = not row.failed and start is None
    if start == 1440:
        row.fail("start", "'24:00' is the next day — write 00:00 and the next date")
    elif off:
        if end is not None:
            row.fail("end", f"{show(row.raw('end'))} is given for a day off — leave end "
                     "blank, or write a start time instead of off")
    elif not row.failed and end is None:
        row.fail("end", "is blank — write the shift's end, e.g. 17:00 (or off in start for a "
                 "fixed day off)")
    elif not row.failed and end is not None and start is not None and (end - start) % 1440 == 0:
        row.fail("end", f"{show(row.raw('end'))} ends the shift when it starts — write the "
                 "shift's end")
    return FixedShift(employee_id=employee_id, date=day, start_min=start or 0,
                      end_min=end if end is not None and not off else 0, off=off,
                      row=row.number)


def no_repeated_fixed_days(
    sheet: RawSheet | None, rows: Sequence[tuple[int, FixedShift]], problems: Problems
) -> None:
    """One fixed shift (or day off) per employee and date; a repeat is reported on its row."""
    seen: dict[tuple[str, dt.date], int] = {}
    for number, item in rows:
        key = (item.employee_id, item.date)
        if key in seen and sheet is not None:
            problems.add(sheet.ref("date", number),
                         f"{item.date} is already fixed for {item.employee_id} on row "
                         f"{seen[key]} — keep one row per employee and date")
        seen.setdefault(key, number)
