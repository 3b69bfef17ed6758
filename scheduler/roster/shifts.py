"""Shift options: every shift an employee may work on a day, under contract and opening hours.

Times here are minutes from the start of the planning week (Sunday 00:00 is 0), so a
shift that crosses midnight is simply a span that passes a multiple of 1440.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from dataclasses import dataclass

from inputs.capacity import day_windows, max_shift_minutes, shift_lengths
from inputs.domain import Employee, Premium, PremiumKind, Workbook

DAY = 1440


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftOption:
    """One possible shift: `start`..`end` in week minutes, with its break windows.

    `break_starts` lists the week minutes at which its unpaid lunch may start (empty: no
    lunch). `short_break_starts` holds, per paid short break, the week minutes at which it may
    start (one tuple per short break, empty tuple when none): a shift with the lunch gets two
    (before and after it), a shift longer than the contract's `short_break_after_hours`
    without a lunch one; each at least `break_spacing_hours` from the shift's edges. The
    spacing to the lunch, which depends on where the lunch lands, is the model's rule.
    `cost_cents` is the cost of the whole span at the employee's rate with time and day
    premiums; the lunch's own cost is subtracted by the model where it lands (short breaks
    are paid).
    """

    day: int  # day index in the week, 0 = week_start
    start: int
    end: int
    break_minutes: int
    break_starts: tuple[int, ...]
    cost_cents: int
    short_break_minutes: int = 0
    short_break_starts: tuple[tuple[int, ...], ...] = ()

    @property
    def paid_minutes(self) -> int:
        return self.end - self.start - (self.break_minutes if self.break_starts else 0)

    def meets(self, spans: tuple[tuple[int, int], ...]) -> bool:
        """Whether the shift overlaps any of the (start, end) week-minute spans."""
        return any(self.start < end and start < self.end for start, end in spans)


def week_days(week_start: dt.date) -> list[dt.date]:
    return [week_start + dt.timedelta(days=i) for i in range(7)]


def minute_multipliers(workbook: Workbook, week_start: dt.date) -> list[float]:
    """Premium multiplier of every minute of the week (the largest premium that applies)."""
    return list(_multipliers(workbook.premiums, week_start))


@functools.lru_cache(maxsize=16)
def _multipliers(premiums: tuple[Premium, ...], week_start: dt.date) -> tuple[float, ...]:
    # Cached: every sub-model of the greedy start asks for the same week.
    mult = [1.0] * (7 * DAY)
    for day_index, day in enumerate(week_days(week_start)):
        base = day_index * DAY
        for premium in premiums:
            if premium.kind is PremiumKind.DAY and premium.weekday == day.weekday():
                span = range(base, base + DAY)
            elif premium.kind is PremiumKind.TIME:
                span = range(base + (premium.start_min or 0), base + (premium.end_min or DAY))
            else:
                continue
            for m in span:
                mult[m] = max(mult[m], premium.multiplier)
    return tuple(mult)


def span_cost_cents(rate: float, running: list[float], start: int, end: int) -> int:
    """Cost in cents of working minutes start..end at `rate` per hour with premiums.

    `running` is `running_multipliers(mult)`: the sum over a span is then two lookups.
    """
    week = len(running) - 1
    # Minutes past the week (a night shift on the last day) take Sunday's multipliers.
    def upto(m: int) -> float:
        return running[week] * (m // week) + running[m % week]
    return round(rate * 100 / 60 * (upto(end) - upto(start)))


def running_multipliers(mult: list[float]) -> list[float]:
    """The running sum of the week's multipliers: item m is the sum of mult[:m]."""
    return [0.0, *itertools.accumulate(mult)]


def employee_options(
    workbook: Workbook, employee: Employee, week_start: dt.date, mult: list[float]
) -> list[ShiftOption]:
    """Every shift `employee` may work this week under the contract's shift rules.

    Starts lie on interval boundaries; lengths run from the contract's minimum to its
    maximum (at most Center!max_daily_hours) in `shift_step_minutes`; shifts lie inside
    opening hours and the contract's earliest start and latest end. Where the center is open
    around the clock a shift may run past midnight: it belongs to the day it starts on.
    Lunch and short-break starts come from `Contract.break_offsets`; a length whose short
    breaks cannot be placed gives no option.
    """
    contract = workbook.contract_of(employee)
    interval = workbook.center.interval_minutes
    lengths = shift_lengths(contract, interval, max_shift_minutes(workbook))
    offsets = {length: contract.break_offsets(length, interval) for length in lengths}
    running = running_multipliers(mult)
    options = []
    for day_index, day in enumerate(week_days(week_start)):
        base = day_index * DAY
        for low, high in day_windows(workbook, contract, day):
            first = low + (-low % interval)
            for length in lengths:
                placed = offsets[length]
                if placed is None:
                    continue  # the short breaks do not fit (the workbook reader refuses it)
                lunch, shorts = placed
                # A shift belongs to the day it starts on.
                for start in range(first, min(high - length, DAY - 1) + 1, interval):
                    s, e = base + start, base + start + length
                    options.append(
                        ShiftOption(
                            day=day_index,
                            start=s,
                            end=e,
                            break_minutes=contract.break_minutes,
                            break_starts=tuple(s + m for m in lunch),
                            cost_cents=span_cost_cents(employee.hourly_cost, running, s, e),
                            short_break_minutes=contract.short_break_minutes,
                            short_break_starts=tuple(tuple(s + m for m in one)
                                                     for one in shorts),
                        )
                    )
    return options
