"""Hours available against hours contracted: can each employee reach the contract's minimum?

The most an employee can work in a week is the longest allowed shift on each of their best
`max_days` days, where a shift lies inside opening hours and the contract's earliest start and
latest end, starts on an interval boundary, has a length from the contract's minimum to its
maximum (at most Center!max_daily_hours, 12 h by default) in its step, and does not touch the
employee's unavailable time; a shift longer than `break_after_hours` loses its unpaid break.
A fixed shift (FixedShifts sheet) is the only shift of its day, a fixed day off has none.
When the center is open around the clock, a shift may start late and end after midnight; it
belongs to the day it starts on. `wfm validate` warns with these lines and the solver's
precheck refuses the week with the same lines (exit 3).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from functools import lru_cache

from inputs.cells import format_time
from inputs.domain import AvailabilityKind, Contract, Employee, FixedShift, Workbook

DAY = 1440


@dataclass(frozen=True, slots=True, kw_only=True)
class EmployeeHours:
    """One employee's week: the most paid minutes they can work, and the contract's range."""

    employee: Employee
    contract: Contract
    available_minutes: int

    @property
    def available_hours(self) -> float:
        return self.available_minutes / 60

    @property
    def short(self) -> bool:
        """The contract's minimum cannot be reached this week."""
        return self.available_minutes < self.contract.min_weekly_hours * 60

    fixed: bool = False  # fixed shifts or days off shaped the week

    def message(self) -> str:
        """The rule-language line for an employee who cannot reach the minimum."""
        e, c = self.employee, self.contract
        fixed = ", fixed shifts" if self.fixed else ""
        return (
            f"{e.employee_id} ({e.name}) can work at most {_hours(self.available_minutes)} "
            f"this week (opening hours, availability{fixed} and contract {c.contract_id}'s "
            f"shift limits) but contract {c.contract_id} needs at least "
            f"{_hours(c.min_weekly_hours * 60)} — lower the minimum, move the time off, or "
            "change the contract"
        )


def _hours(minutes: float) -> str:
    return f"{minutes / 60:g} h"


def weekly_hours(workbook: Workbook, week_start: dt.date) -> list[EmployeeHours]:
    """Every employee's most workable paid minutes in the week from `week_start`, in sheet order."""
    blocked = unavailable_windows(workbook, week_start)
    windows = [_day_windows(workbook, contract, week_start) for contract in workbook.contracts]
    by_contract = dict(zip((c.contract_id for c in workbook.contracts), windows, strict=True))
    interval, cap = workbook.center.interval_minutes, max_shift_minutes(workbook)
    fixed = fixed_in_week(workbook, week_start)
    result = []
    for employee in workbook.employees:
        contract = workbook.contract_of(employee)
        spans = blocked.get(employee.employee_id, ())
        mine = fixed.get(employee.employee_id, {})
        best = [
            _best_day(contract, interval, cap, day, by_contract[contract.contract_id][day], spans)
            for day in range(7) if day not in mine
        ]
        forced = [fixed_paid_minutes(contract, interval, f) for f in mine.values() if not f.off]
        free_days = max(contract.max_days - len(forced), 0)
        most = sum(forced) + sum(sorted(best, reverse=True)[:free_days])
        result.append(EmployeeHours(employee=employee, contract=contract,
                                    available_minutes=most, fixed=bool(mine)))
    return result


def max_shift_minutes(workbook: Workbook) -> int:
    """The longest shift anyone may work (Center!max_daily_hours), in minutes."""
    return round(workbook.center.max_daily_hours * 60)


def shift_lengths(contract: Contract, interval: int, cap: int) -> list[int]:
    """Allowed shift lengths: minimum to maximum (at most `cap`) in the contract's step, whole
    intervals only."""
    step = contract.shift_step_minutes
    low, high = round(contract.min_shift_hours * 60), round(contract.max_shift_hours * 60)
    return [n for n in range(low, min(high, cap) + 1, step) if n % interval == 0]


def fixed_in_week(workbook: Workbook, week_start: dt.date) -> dict[str, dict[int, FixedShift]]:
    """Fixed shifts and days off of the week by employee and day index (0 is `week_start`)."""
    result: dict[str, dict[int, FixedShift]] = {}
    for item in workbook.fixed_shifts:
        day = (item.date - week_start).days
        if 0 <= day < 7:
            result.setdefault(item.employee_id, {})[day] = item
    return result


def fixed_paid_minutes(contract: Contract, interval: int, item: FixedShift) -> int:
    """Paid minutes of a fixed shift: its length less the unpaid break it gets."""
    length = item.length_min
    return length - (contract.break_minutes if _has_break(contract, length, interval) else 0)


def contract_shortfalls(workbook: Workbook, week_start: dt.date) -> list[str]:
    """One line per employee who cannot reach their contract's minimum hours this week."""
    return [hours.message() for hours in weekly_hours(workbook, week_start) if hours.short]


def _day_windows(
    workbook: Workbook, contract: Contract, week_start: dt.date
) -> list[tuple[tuple[int, int], ...]]:
    """Per day of the week, the minute-of-day windows a shift starting that day may lie in."""
    return [day_windows(workbook, contract, week_start + dt.timedelta(days=index))
            for index in range(7)]


def day_windows(workbook: Workbook, contract: Contract,
                day: dt.date) -> tuple[tuple[int, int], ...]:
    """Minute-of-day windows in which a shift on `day` may lie: open hours within the contract.

    A span closing at 24:00 runs on into the next day's span opening at 00:00 (around the
    clock); the contract's latest end cuts a window only when it is before 24:00.
    """
    following = workbook.open_spans(day + dt.timedelta(days=1))
    windows = []
    for open_min, close_min in workbook.open_spans(day):
        if close_min == DAY and following and following[0][0] == 0:
            close_min += following[0][1]
        low, high = max(open_min, contract.earliest_start), close_min
        if contract.latest_end != DAY:  # 24:00 sets no limit; past it (code only) does
            high = min(high, contract.latest_end)
        if high > low:
            windows.append((low, high))
    return tuple(windows)


def unavailable_windows(workbook: Workbook,
                        week_start: dt.date) -> dict[str, tuple[tuple[int, int], ...]]:
    """Week-minute spans (0 is `week_start` 00:00) when each employee is unavailable
    (approved time off or a standing limit)."""
    blocked: dict[str, list[tuple[int, int]]] = {}
    for row in workbook.availability:
        if row.kind is not AvailabilityKind.UNAVAILABLE:
            continue
        for index in range(8):  # the day after the week: night shifts run into it
            day = week_start + dt.timedelta(days=index)
            if row.date == day or (row.date is None and row.weekday == day.weekday()):
                span = (index * DAY + row.start_min, index * DAY + row.end_min)
                blocked.setdefault(row.employee_id, []).append(span)
    return {key: tuple(spans) for key, spans in blocked.items()}


@lru_cache(maxsize=4096)
def _best_day(
    contract: Contract,
    interval: int,
    cap: int,
    day: int,
    windows: tuple[tuple[int, int], ...],
    blocked: tuple[tuple[int, int], ...],
) -> int:
    """The most paid minutes of one allowed shift starting on `day` (0 when none fits)."""
    lengths = shift_lengths(contract, interval, cap)
    base, best = day * DAY, 0
    for open_min, close_min in windows:
        first = open_min + (-open_min % interval)
        for length in lengths:
            paid = length - (
                contract.break_minutes if _has_break(contract, length, interval) else 0
            )
            if paid <= best:
                continue
            for start in range(first, min(close_min - length, DAY - 1) + 1, interval):
                s, e = base + start, base + start + length
                if not any(s < b_end and b_start < e for b_start, b_end in blocked):
                    best = paid
                    break
    return best


def _has_break(contract: Contract, length: int, interval: int) -> bool:
    """A shift gets its break when longer than `break_after_hours` and a break start fits.

    Break starts lie on interval boundaries inside the window measured from the shift start,
    which is itself on a boundary, so the answer does not depend on where the shift starts.
    """
    if length <= contract.break_after_hours * 60:
        return False
    first = round(contract.break_window_start_h * 60)
    last = min(round(contract.break_window_end_h * 60), length - contract.break_minutes)
    first += -first % interval
    return first <= last


def fixed_shift_conflicts(workbook: Workbook, week_start: dt.date) -> list[str]:
    """One line per fixed shift of the week that another hard rule forbids, naming its row.

    A fixed shift must be a shift the employee could be given anyway: on the interval grid, of
    an allowed length, inside the contract's hours and the opening hours, clear of unavailable
    time; together the fixed shifts of one employee keep the minimum rest, the most working
    days and the most weekly hours.
    """
    blocked = unavailable_windows(workbook, week_start)
    employees = {e.employee_id: e for e in workbook.employees}
    lines = []
    for eid, days in fixed_in_week(workbook, week_start).items():
        employee = employees.get(eid)
        if employee is None:
            continue
        contract = workbook.contract_of(employee)
        working = sorted((day, f) for day, f in days.items() if not f.off)
        for day, item in working:
            why = _single_conflict(workbook, contract, week_start, day, item, blocked.get(eid, ()))
            if why:
                lines.append(f"{_where(item, employee)} {why}")
        lines += _week_conflicts(workbook, employee, contract, working)
    return lines


def _where(item: FixedShift, employee: Employee) -> str:
    row = f"FixedShifts row {item.row}" if item.row else "FixedShifts"
    end = item.end_min % DAY
    return (f"{row}: {employee.employee_id} ({employee.name}) {item.date:%a %d-%m} "
            f"{format_time(item.start_min)}-{format_time(end)}")



def _single_conflict(workbook: Workbook, contract: Contract, week_start: dt.date, day: int,
                     item: FixedShift, blocked: tuple[tuple[int, int], ...]) -> str:
    """Why one fixed shift is not a shift the employee may work ('' when it is)."""
    interval, c = workbook.center.interval_minutes, contract
    start, length = item.start_min, item.length_min
    fix = " — change the fixed shift or the contract"
    if start % interval or length % interval:
        return f"is not on the {interval}-minute planning grid — move it onto the grid"
    if length not in shift_lengths(c, interval, max_shift_minutes(workbook)):
        cap = min(round(c.max_shift_hours * 60), max_shift_minutes(workbook))
        return (f"is {length / 60:g} h but contract {c.contract_id} allows "
                f"{c.min_shift_hours:g}-{cap / 60:g} h in steps of {c.shift_step_minutes} min"
                f"{fix}")
    if start < c.earliest_start or (c.latest_end != DAY and start + length > c.latest_end):
        return (f"is outside contract {c.contract_id}'s hours {format_time(c.earliest_start)}-"
                f"{format_time(c.latest_end)}{fix}")
    windows = day_windows(workbook, c, week_start + dt.timedelta(days=day))
    if not any(low <= start and start + length <= high for low, high in windows):
        return "is outside opening hours — change the fixed shift or the OpeningHours"
    s, e = day * DAY + start, day * DAY + start + length
    if any(s < b_end and b_start < e for b_start, b_end in blocked):
        return ("overlaps time the Availability sheet marks unavailable — remove one of the "
                "two rows")
    return ""


def _week_conflicts(workbook: Workbook, employee: Employee, contract: Contract,
                    working: list[tuple[int, FixedShift]]) -> list[str]:
    """Fixed shifts of one employee that together break rest, days or weekly hours."""
    c, lines = contract, []
    for (day_a, a), (day_b, b) in itertools.pairwise(working):
        rest = (day_b * DAY + b.start_min) - (day_a * DAY + a.start_min + a.length_min)
        if rest < c.min_rest_hours * 60:
            lines.append(f"{_where(b, employee)} starts {rest / 60:g} h after the fixed shift of "
                         f"row {a.row} ends, but contract {c.contract_id} needs "
                         f"{c.min_rest_hours:g} h rest — move one of them")
    if len(working) > c.max_days:
        rows = ", ".join(str(f.row) for _, f in working)
        lines.append(f"FixedShifts rows {rows}: {employee.employee_id} ({employee.name}) has "
                     f"{len(working)} fixed working days, but contract {c.contract_id} allows "
                     f"{c.max_days} — remove {len(working) - c.max_days} of them")
    interval = workbook.center.interval_minutes
    paid = sum(fixed_paid_minutes(c, interval, f) for _, f in working)
    if paid > c.max_weekly_hours * 60:
        rows = ", ".join(str(f.row) for _, f in working)
        lines.append(f"FixedShifts rows {rows}: {employee.employee_id} ({employee.name}) has "
                     f"{paid / 60:g} paid h of fixed shifts, but contract {c.contract_id} "
                     f"allows {c.max_weekly_hours:g} h a week — shorten or remove one")
    return lines
