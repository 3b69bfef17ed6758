"""The checker's single-shift rules: day, grid, order, length, step, contract window, opening
hours, lunch and short breaks, paid hours, availability and cost; plus fixed shifts.

`check_shift` runs them in the order the violations are reported; `check_fixed` checks one
employee's week against the FixedShifts sheet.
"""

from __future__ import annotations

import datetime as dt

from inputs.cells import format_time
from inputs.domain import Employee, Workbook
from scheduler.check.pay import check_cost, check_paid
from scheduler.check.violations import (
    DAY_MIN,
    EPS,
    ShiftView,
    Violation,
    day_text,
    hm_text,
    midnight,
    minutes,
    num,
)
from scheduler.rule_ids import (
    AVAILABILITY,
    BREAKS,
    CONTRACT_WINDOW,
    FIXED_SHIFTS,
    INTERVAL_GRID,
    OPENING_HOURS,
    SHIFT_DAY,
    SHIFT_LENGTH,
    SHIFT_ORDER,
    SHIFT_STEP,
    SHORT_BREAKS,
)


def check_shift(shift: ShiftView, week_start: dt.date) -> list[Violation]:
    """All single-shift rules; rules that need a sane span are skipped when it is not."""
    out = _check_day(shift, week_start) + _check_grid(shift)
    if shift.a.end <= shift.a.start:
        return [*out, shift.violation(SHIFT_ORDER, f"shift {shift.span} ends before it starts")]
    for rule_check in (_check_length, _check_window, _check_opening, _check_breaks,
                       _check_short_breaks, _check_break_spacing, check_paid,
                       _check_unavailable, check_cost):
        out += rule_check(shift)
    return out


def _check_day(shift: ShiftView, week_start: dt.date) -> list[Violation]:
    """A shift belongs to the date it starts on, inside the planned week."""
    a, out = shift.a, []
    if a.start.date() != a.day:
        out.append(shift.violation(SHIFT_DAY, f"shift starts {a.start:%a %d-%m %H:%M}, "
                                   "not on its own day"))
    if not 0 <= (a.day - week_start).days < 7:
        out.append(shift.violation(SHIFT_DAY, "shift is outside the week of "
                                   f"{day_text(week_start)}"))
    return out


def _on_grid(moment: dt.datetime, interval: int) -> bool:
    minute = moment.hour * 60 + moment.minute
    return moment.second == 0 and moment.microsecond == 0 and minute % interval == 0


def _check_grid(shift: ShiftView) -> list[Violation]:
    """Shifts start and end on planning-interval boundaries."""
    interval = shift.workbook.center.interval_minutes
    bad = [hm_text(t) for t in (shift.a.start, shift.a.end) if not _on_grid(t, interval)]
    if not bad:
        return []
    return [shift.violation(INTERVAL_GRID, f"shift {shift.span}: {', '.join(bad)} is not on "
                            f"the {interval}-minute interval grid")]


def _check_length(shift: ShiftView) -> list[Violation]:
    """Shift length within the contract's min..max (and Center!max_daily_hours), in steps of
    shift_step_minutes; a night shift counts whole on the day it starts."""
    c, length = shift.contract, shift.length_min
    most = shift.workbook.center.max_daily_hours
    low, high = c.min_shift_hours * 60, min(c.max_shift_hours, most) * 60
    if not low - EPS <= length <= high + EPS:
        cap = f" (no shift over {num(most)} h)" if high < c.max_shift_hours * 60 else ""
        return [shift.violation(SHIFT_LENGTH, f"shift {shift.span} is {num(length / 60)} h, "
                                f"contract {c.contract_id} allows {num(low / 60)}-"
                                f"{num(high / 60)} h{cap}")]
    off = (length - low) % c.shift_step_minutes
    if min(off, c.shift_step_minutes - off) > EPS:
        return [shift.violation(SHIFT_STEP, f"shift {shift.span} is {num(length / 60)} h, "
                                f"contract {c.contract_id} allows {num(low / 60)} h plus whole "
                                f"steps of {c.shift_step_minutes} min")]
    return []


def _check_window(shift: ShiftView) -> list[Violation]:
    """Shift inside the contract's earliest start and latest end of its day; a latest end of
    24:00 sets no limit (a night shift may run on where the center is open around the clock)."""
    c = shift.contract
    ends_in_time = c.latest_end == DAY_MIN or shift.end_min <= c.latest_end
    if shift.start_min >= c.earliest_start and ends_in_time:
        return []
    return [shift.violation(CONTRACT_WINDOW, f"shift {shift.span} is outside contract "
                            f"{c.contract_id}'s {format_time(c.earliest_start)}-"
                            f"{format_time(c.latest_end)}")]



def _open_until(workbook: Workbook, day: dt.date, minute: float) -> float | None:
    """Minutes after `day`'s midnight until which the center stays open from `minute`.

    Touching spans merge, also across midnight (a 24/7 center). None if closed at `minute`.
    """
    reach, offset, found = minute, 0.0, False
    for _ in range(3):
        moved = True
        while moved:
            moved = False
            for a, b in workbook.open_spans(day):
                if a <= reach - offset < b:
                    reach, moved, found = offset + b, True, True
        if not found or reach < offset + DAY_MIN:
            break
        day, offset = day + dt.timedelta(days=1), offset + DAY_MIN
    return reach if found else None


def _check_opening(shift: ShiftView) -> list[Violation]:
    """A shift lies within one opening span of the center on its day."""
    until = _open_until(shift.workbook, shift.a.day, shift.start_min)
    if until is not None and shift.end_min <= until:
        return []
    spans = ", ".join(f"{format_time(a)}-{format_time(b)}"
                      for a, b in shift.workbook.open_spans(shift.a.day))
    return [shift.violation(OPENING_HOURS, f"shift {shift.span} is outside opening hours "
                            f"({spans or 'closed'})")]


def _check_breaks(shift: ShiftView) -> list[Violation]:
    """A shift longer than break_after_hours has one break in its window; shorter ones none."""
    c, a = shift.contract, shift.a
    needs = shift.length_min > c.break_after_hours * 60 + EPS and c.break_minutes > 0
    if len(a.breaks) != int(needs):
        return [shift.violation(BREAKS, f"shift {shift.span} ({num(shift.length_min / 60)} h) "
                                f"has {len(a.breaks)} breaks, contract {c.contract_id} needs "
                                f"{int(needs)} (a break after {num(c.break_after_hours)} h)")]
    out = []
    for start, end in a.breaks:
        after = minutes(start - a.start)
        text = f"break {hm_text(start)}-{hm_text(end)} of shift {shift.span}"
        interval = shift.workbook.center.interval_minutes
        if minutes(end - start) != c.break_minutes:
            out.append(f"{text} is {num(minutes(end - start))} min, not {c.break_minutes}")
        if not c.break_window_start_h * 60 <= after <= c.break_window_end_h * 60:
            out.append(f"{text} starts {num(after / 60)} h in, contract {c.contract_id} wants "
                       f"{num(c.break_window_start_h)}-{num(c.break_window_end_h)} h")
        if not (_on_grid(start, interval) and _on_grid(end, interval)):
            out.append(f"{text} is not on the {interval}-minute interval grid")
        if start < a.start or end > a.end:
            out.append(f"{text} is not inside the shift")
    return [shift.violation(BREAKS, message) for message in out]


def _check_short_breaks(shift: ShiftView) -> list[Violation]:
    """A shift gets its paid short breaks: two when it has the lunch, one when longer than
    short_break_after_hours without it, none when shorter; each as long as the contract says,
    starting on the interval grid, inside the shift."""
    c, a = shift.contract, shift.a
    needs = c.short_break_count(shift.length_min)
    if len(a.short_breaks) != needs:
        why = (f"two around the lunch after {num(c.break_after_hours)} h, one after "
               f"{num(c.short_break_after_hours)} h without it"
               if c.short_break_minutes > 0 else "no short breaks")
        return [shift.violation(SHORT_BREAKS, f"shift {shift.span} "
                                f"({num(shift.length_min / 60)} h) has {len(a.short_breaks)} "
                                f"short breaks, contract {c.contract_id} needs {needs} ({why})")]
    out = []
    interval = shift.workbook.center.interval_minutes
    for start, end in a.short_breaks:
        text = f"short break {hm_text(start)}-{hm_text(end)} of shift {shift.span}"
        if minutes(end - start) != c.short_break_minutes:
            out.append(f"{text} is {num(minutes(end - start))} min, contract "
                       f"{c.contract_id} gives {c.short_break_minutes}")
        if not _on_grid(start, interval):
            out.append(f"{text} does not start on the {interval}-minute interval grid")
        if start < a.start or end > a.end:
            out.append(f"{text} is not inside the shift")
    return [shift.violation(SHORT_BREAKS, message) for message in out]


def _check_break_spacing(shift: ShiftView) -> list[Violation]:
    """Every short break starts at least break_spacing_hours after the shift start or the end
    of the break before it, and ends at least that long before the next break or the shift
    end; with the lunch, one short break lies before it and one after it."""
    c, a = shift.contract, shift.a
    if not a.short_breaks:
        return []
    gap = c.break_spacing_hours * 60
    marks = [("the shift start", a.start, a.start), ("the shift end", a.end, a.end)]
    marks += [(f"the lunch {hm_text(s)}-{hm_text(e)}", s, e) for s, e in a.breaks]
    marks += [("", s, e) for s, e in a.short_breaks]  # a short break has no name here
    marks.sort(key=lambda m: (m[1], m[2]))
    out = []
    for before, short, after in zip(marks, marks[1:], marks[2:], strict=False):
        if short[0]:
            continue
        text = f"short break {hm_text(short[1])}-{hm_text(short[2])} of shift {shift.span}"
        for gap_min, what, side in ((minutes(short[1] - before[2]), before, "after"),
                                    (minutes(after[1] - short[2]), after, "before")):
            if gap_min < gap - EPS:
                name = what[0] or f"the short break {hm_text(what[1])}-{hm_text(what[2])}"
                out.append(f"{text} is {num(gap_min / 60)} h {side} {name}, contract "
                           f"{c.contract_id} needs {num(c.break_spacing_hours)} h")
    if len(a.breaks) == 1 and len(a.short_breaks) == 2:
        lunch = a.breaks[0][0]
        if sum(s < lunch for s, _ in a.short_breaks) != 1:
            out.append(f"short breaks of shift {shift.span} are not one before the lunch "
                       f"{hm_text(a.breaks[0][0])}-{hm_text(a.breaks[0][1])} and one after it")
    return [shift.violation(SHORT_BREAKS, message) for message in out]


def _check_unavailable(shift: ShiftView) -> list[Violation]:
    """No shift overlaps a time the employee marked unavailable."""
    a, out = shift.a, []
    day = a.start.date()
    while midnight(day) < a.end:
        for row in shift.unavailable:
            if not (row.date == day or (row.date is None and row.weekday == day.weekday())):
                continue
            lo = midnight(day) + dt.timedelta(minutes=row.start_min)
            hi = midnight(day) + dt.timedelta(minutes=row.end_min)
            if a.start < hi and lo < a.end:
                when = f"{format_time(row.start_min)}-{format_time(row.end_min)}"
                out.append(shift.violation(AVAILABILITY, f"shift {shift.span} overlaps "
                                           f"unavailable {day_text(day)} {when}"))
        day += dt.timedelta(days=1)
    return out


def check_fixed(workbook: Workbook, employee: Employee, shifts: list[ShiftView],
                week_start: dt.date) -> list[Violation]:
    """A fixed shift is worked exactly as fixed; nobody works on a fixed day off."""
    out = []
    for item in workbook.fixed_shifts:
        if item.employee_id != employee.employee_id or not 0 <= (item.date - week_start).days < 7:
            continue
        worked = [s for s in shifts if s.a.day == item.date]
        row = f"FixedShifts row {item.row}" if item.row else "FixedShifts"
        label = f"{employee.employee_id} {day_text(item.date)}"
        if item.off:
            found = [f"works {s.span} on a fixed day off ({row})" for s in worked]
        else:
            start = midnight(item.date) + dt.timedelta(minutes=item.start_min)
            end = start + dt.timedelta(minutes=item.length_min)
            exact = any(s.a.start == start and s.a.end == end for s in worked)
            has = ", ".join(s.span for s in worked) or "no shift"
            found = [] if exact else [f"{row} fixes {hm_text(start)}-{hm_text(end)}, the "
                                      f"roster has {has}"]
        out += [Violation(rule=FIXED_SHIFTS, employee_id=employee.employee_id, day=item.date,
                          message=f"{label}: {text}") for text in found]
    return out
