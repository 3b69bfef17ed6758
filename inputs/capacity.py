"""Hours available against hours contracted: can each employee reach the contract's minimum?

The most an employee can work in a week is the longest allowed shift on each of their best
`max_days` days, where a shift lies inside opening hours and the contract's earliest start and
latest end, starts on an interval boundary, has a length from the contract's minimum to its
maximum (at most 12 h) in its step, and does not touch the employee's unavailable time; a shift
longer than `break_after_hours` loses its unpaid break. `wfm validate` warns with these lines
and the solver's precheck refuses the week with the same lines (exit 3).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from inputs.domain import AvailabilityKind, Contract, Employee, Workbook

DAY = 1440
MAX_SHIFT_MINUTES = 12 * 60


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

    def message(self) -> str:
        """The rule-language line for an employee who cannot reach the minimum."""
        e, c = self.employee, self.contract
        return (
            f"{e.employee_id} ({e.name}) can work at most {_hours(self.available_minutes)} "
            f"this week (opening hours, availability and contract {c.contract_id}'s shift "
            f"limits) but contract {c.contract_id} needs at least "
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
    interval = workbook.center.interval_minutes
    result = []
    for employee in workbook.employees:
        contract = workbook.contract_of(employee)
        spans = blocked.get(employee.employee_id, ())
        best = [
            _best_day(contract, interval, day, by_contract[contract.contract_id][day], spans)
            for day in range(7)
        ]
        most = sum(sorted(best, reverse=True)[: contract.max_days])
        result.append(EmployeeHours(employee=employee, contract=contract, available_minutes=most))
    return result


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
        if contract.latest_end < DAY:
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
        for index in range(7):
            day = week_start + dt.timedelta(days=index)
            if row.date == day or (row.date is None and row.weekday == day.weekday()):
                span = (index * DAY + row.start_min, index * DAY + row.end_min)
                blocked.setdefault(row.employee_id, []).append(span)
    return {key: tuple(spans) for key, spans in blocked.items()}


@lru_cache(maxsize=4096)
def _best_day(
    contract: Contract,
    interval: int,
    day: int,
    windows: tuple[tuple[int, int], ...],
    blocked: tuple[tuple[int, int], ...],
) -> int:
    """The most paid minutes of one allowed shift starting on `day` (0 when none fits)."""
    step = contract.shift_step_minutes
    low = round(contract.min_shift_hours * 60)
    high = min(round(contract.max_shift_hours * 60), MAX_SHIFT_MINUTES)
    lengths = [n for n in range(low, high + 1, step) if n % interval == 0]
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
