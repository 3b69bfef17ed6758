"""The checker's pay rules: a shift's paid hours and its cost with time and day premiums."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from inputs.domain import Assignment, PremiumKind, Workbook
from scheduler.check.violations import (
    COST_TOL,
    DAY_MIN,
    EPS,
    ShiftView,
    Violation,
    midnight,
    minutes,
    num,
)
from scheduler.rule_ids import COST, PAID_HOURS


def _paid_spans(a: Assignment) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """The shift minus its unpaid lunch (clipped to the shift), in time order; paid short
    breaks stay in."""
    cursor = a.start
    for start, end in sorted(a.breaks):
        start, end = max(start, a.start), min(end, a.end)
        if start > cursor:
            yield cursor, start
        cursor = max(cursor, end)
    if a.end > cursor:
        yield cursor, a.end


def check_paid(shift: ShiftView) -> list[Violation]:
    """Paid hours are the shift length minus its breaks."""
    paid = sum(minutes(e - s) for s, e in _paid_spans(shift.a)) / 60
    if abs(shift.a.paid_hours - paid) <= EPS:
        return []
    return [shift.violation(PAID_HOURS, f"shift {shift.span} says {num(shift.a.paid_hours)} "
                            f"paid h, but length minus breaks is {num(paid)} h")]


def _multiplier(workbook: Workbook, moment: dt.datetime) -> float:
    """The largest time or day premium at `moment` (1.0 when none applies)."""
    minute = moment.hour * 60 + moment.minute + moment.second / 60
    best = 1.0
    for p in workbook.premiums:
        if p.kind is PremiumKind.DAY and p.weekday == moment.weekday():
            best = max(best, p.multiplier)
        elif p.kind is PremiumKind.TIME:
            lo, hi = p.start_min or 0, DAY_MIN if p.end_min is None else p.end_min
            inside = lo <= minute < hi if lo <= hi else (minute >= lo or minute < hi)
            if inside:
                best = max(best, p.multiplier)
    return best


def _premium_minutes(workbook: Workbook, start: dt.datetime, end: dt.datetime) -> float:
    """Paid minutes from `start` to `end`, each weighted by its premium multiplier."""
    cuts = sorted({p.start_min or 0 for p in workbook.premiums if p.kind is PremiumKind.TIME}
                  | {p.end_min for p in workbook.premiums
                     if p.kind is PremiumKind.TIME and p.end_min is not None} | {DAY_MIN})
    total, t = 0.0, start
    while t < end:
        base = midnight(t.date())
        now = minutes(t - base)
        nxt = min(base + dt.timedelta(minutes=next(c for c in cuts if c > now)), end)
        total += minutes(nxt - t) * _multiplier(workbook, t)
        t = nxt
    return total


def check_cost(shift: ShiftView) -> list[Violation]:
    """A shift costs the hourly rate times its paid hours, time and day premiums applied."""
    weighted = sum(_premium_minutes(shift.workbook, s, e) for s, e in _paid_spans(shift.a))
    expected = shift.employee.hourly_cost * weighted / 60
    if abs(shift.a.cost - expected) <= COST_TOL:
        return []
    paid = sum(minutes(e - s) for s, e in _paid_spans(shift.a)) / 60
    return [shift.violation(COST, f"shift {shift.span} costs {shift.a.cost:.2f}, but "
                            f"{num(paid)} paid h at {shift.employee.hourly_cost:.2f}/h with "
                            f"premiums is {expected:.2f}")]
