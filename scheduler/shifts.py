"""Shift options: every shift an employee may work on a day, under contract and opening hours.

Times here are minutes from the start of the planning week (Sunday 00:00 is 0), so a
shift that crosses midnight is simply a span that passes a multiple of 1440.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from inputs.capacity import day_windows, max_shift_minutes, shift_lengths
from inputs.domain import Contract, Employee, PremiumKind, Workbook

DAY = 1440


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftOption:
    """One possible shift: `start`..`end` in week minutes, with its break window if it has one.

    `break_starts` lists the week minutes at which its unpaid break may start (empty: no break).
    `cost_cents` is the cost of the whole span at the employee's rate with time and day
    premiums; the break's own cost is subtracted by the model where the break lands.
    """

    day: int  # day index in the week, 0 = week_start
    start: int
    end: int
    break_minutes: int
    break_starts: tuple[int, ...]
    cost_cents: int

    @property
    def paid_minutes(self) -> int:
        return self.end - self.start - (self.break_minutes if self.break_starts else 0)


def week_days(week_start: dt.date) -> list[dt.date]:
    return [week_start + dt.timedelta(days=i) for i in range(7)]


def minute_multipliers(workbook: Workbook, week_start: dt.date) -> list[float]:
    """Premium multiplier of every minute of the week (the largest premium that applies)."""
    mult = [1.0] * (7 * DAY)
    for day_index, day in enumerate(week_days(week_start)):
        base = day_index * DAY
        for premium in workbook.premiums:
            if premium.kind is PremiumKind.DAY and premium.weekday == day.weekday():
                span = range(base, base + DAY)
            elif premium.kind is PremiumKind.TIME:
                span = range(base + (premium.start_min or 0), base + (premium.end_min or DAY))
            else:
                continue
            for m in span:
                mult[m] = max(mult[m], premium.multiplier)
    return mult


def span_cost_cents(rate: float, mult: list[float], start: int, end: int) -> int:
    """Cost in cents of working minutes start..end at `rate` per hour with premiums."""
    # Minutes past the week (a night shift on the last day) take Sunday's multipliers.
    return round(rate * 100 / 60 * sum(mult[m % len(mult)] for m in range(start, end)))


def _break_starts(contract: Contract, start: int, length: int, interval: int) -> tuple[int, ...]:
    if length <= contract.break_after_hours * 60:
        return ()
    first = start + round(contract.break_window_start_h * 60)
    last = min(
        start + round(contract.break_window_end_h * 60), start + length - contract.break_minutes
    )
    first += -first % interval
    return tuple(range(first, last + 1, interval))


def employee_options(
    workbook: Workbook, employee: Employee, week_start: dt.date, mult: list[float]
) -> list[ShiftOption]:
    """Every shift `employee` may work this week under the contract's shift rules.

    Starts lie on interval boundaries; lengths run from the contract's minimum to its
    maximum (at most Center!max_daily_hours) in `shift_step_minutes`; shifts lie inside
    opening hours and the contract's earliest start and latest end. Where the center is open
    around the clock a shift may run past midnight: it belongs to the day it starts on.
    """
    contract = workbook.contract_of(employee)
    interval = workbook.center.interval_minutes
    lengths = shift_lengths(contract, interval, max_shift_minutes(workbook))
    options = []
    for day_index, day in enumerate(week_days(week_start)):
        base = day_index * DAY
        for low, high in day_windows(workbook, contract, day):
            first = low + (-low % interval)
            for length in lengths:
                # A shift belongs to the day it starts on.
                for start in range(first, min(high - length, DAY - 1) + 1, interval):
                    s, e = base + start, base + start + length
                    options.append(
                        ShiftOption(
                            day=day_index,
                            start=s,
                            end=e,
                            break_minutes=contract.break_minutes,
                            break_starts=_break_starts(contract, s, length, interval),
                            cost_cents=span_cost_cents(employee.hourly_cost, mult, s, e),
                        )
                    )
    return options
