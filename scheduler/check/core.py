"""Independent roster checker: every hard rule re-derived from the workbook, no solver.

The solver builds rosters from its own model; this module re-reads the rules straight from
the `Workbook` and checks the finished `Roster` (and the per-interval queue allocation)
in plain Python, so a modelling slip in the solver shows up as a named `Violation` in rule
language instead of a wrong roster reaching HR.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from inputs.domain import (
    Assignment,
    Availability,
    AvailabilityKind,
    Contract,
    Employee,
    PremiumKind,
    Roster,
    Workbook,
)
from scheduler.rule_ids import (
    AVAILABILITY,
    BREAKS,
    CONSECUTIVE_DAYS,
    CONTRACT_WINDOW,
    COST,
    FIXED_SHIFTS,
    INTERVAL_GRID,
    MAX_DAYS,
    MIN_REST,
    ONE_SHIFT_PER_DAY,
    OPENING_HOURS,
    OVERLAP,
    PAID_HOURS,
    SHIFT_DAY,
    SHIFT_LENGTH,
    SHIFT_ORDER,
    SHIFT_STEP,
    SHORT_BREAKS,
    UNKNOWN_EMPLOYEE,
    WEEKLY_HOURS,
    WEEKLY_REST,
)

DAY_MIN = 1440
EPS = 1e-6
COST_TOL = 0.01 + 1e-6



@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """One broken hard rule, said the way a manager reads it."""

    rule: str
    employee_id: str | None
    day: dt.date | None
    message: str


class RosterCheckError(Exception):
    """A roster breaks hard rules; `violations` lists every one."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = list(violations)
        lines = [f"[{v.rule}] {v.message}" for v in self.violations]
        super().__init__(f"roster breaks {len(lines)} hard rule(s):\n" + "\n".join(lines))


@dataclass(frozen=True, slots=True, kw_only=True)
class _Shift:
    """One assignment with its employee, contract and minute offsets from its day's midnight."""

    workbook: Workbook
    employee: Employee
    contract: Contract
    a: Assignment
    unavailable: tuple[Availability, ...]

    @property
    def start_min(self) -> float:
        return _minutes(self.a.start - midnight(self.a.day))

    @property
    def end_min(self) -> float:
        return _minutes(self.a.end - midnight(self.a.day))

    @property
    def length_min(self) -> float:
        return _minutes(self.a.end - self.a.start)

    @property
    def span(self) -> str:
        return f"{hm_text(self.a.start)}-{hm_text(self.a.end)}"

    def violation(self, rule: str, message: str) -> Violation:
        label = f"{self.employee.employee_id} {day_text(self.a.day)}"
        return Violation(
            rule=rule, employee_id=self.employee.employee_id, day=self.a.day,
            message=f"{label}: {message}",
        )


def _minutes(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 60


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def hm_text(moment: dt.datetime) -> str:
    return f"{moment:%H:%M}"


def day_text(day: dt.date) -> str:
    return f"{day:%a %d-%m}"


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _on_grid(moment: dt.datetime, interval: int) -> bool:
    minute = moment.hour * 60 + moment.minute
    return moment.second == 0 and moment.microsecond == 0 and minute % interval == 0


def check_roster(
    workbook: Workbook, roster: Roster, *, allocation: pd.DataFrame | None = None,
    previous: Roster | None = None,
) -> list[Violation]:
    """Every hard rule the roster (and the queue allocation, if given) breaks; empty if none.

    Args:
        workbook: the validated rules.
        roster: the week's shifts.
        allocation: optional long table `queue, interval_start, scheduled_agents`.
        previous: last week's roster (--previous): rest, weekly rest and consecutive days
            then count its end.
    """
    known = {e.employee_id for e in workbook.employees}
    off: dict[str, list[Availability]] = defaultdict(list)
    for row in workbook.availability:
        if row.kind is AvailabilityKind.UNAVAILABLE:
            off[row.employee_id].append(row)
    out = [
        Violation(rule=UNKNOWN_EMPLOYEE, employee_id=a.employee_id, day=a.day,
                  message=f"{a.employee_id} {day_text(a.day)}: shift {hm_text(a.start)}-"
                  f"{hm_text(a.end)} for an employee who is not on the Employees sheet")
        for a in roster.assignments if a.employee_id not in known
    ]
    for employee in workbook.employees:
        contract = workbook.contract_of(employee)
        shifts = [
            _Shift(workbook=workbook, employee=employee, contract=contract, a=a,
                   unavailable=tuple(off[employee.employee_id]))
            for a in roster.for_employee(employee.employee_id)
        ]
        for shift in shifts:
            out += _check_shift(shift, roster.week_start)
        out += _check_sequence(shifts)
        out += _check_week(employee, contract, shifts, roster.week_start)
        before = previous.for_employee(employee.employee_id) if previous is not None else None
        out += _check_across_weeks(employee, contract, shifts, roster.week_start, before)
        out += _check_weekly_rest(employee, contract, shifts, roster.week_start, before)
        out += _check_fixed(workbook, employee, shifts, roster.week_start)
    if allocation is not None:
        # Imported here: the allocation checks build on this module's Violation and helpers.
        from scheduler.check.allocation import check_allocation

        out += check_allocation(workbook, roster, allocation)
    return out


def require_valid_roster(
    workbook: Workbook, roster: Roster, *, allocation: pd.DataFrame | None = None,
    previous: Roster | None = None,
) -> None:
    """A roster that breaks any hard rule must not leave the pipeline: raise with all of them."""
    violations = check_roster(workbook, roster, allocation=allocation, previous=previous)
    if violations:
        raise RosterCheckError(violations)


def off_duty_spans(a: Assignment) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
    """A shift's spans off duty: its unpaid lunch and its paid short breaks."""
    return (*a.breaks, *a.short_breaks)


def on_duty(workbook: Workbook, roster: Roster, moment: dt.datetime) -> set[str]:
    """Employees of the workbook working at `moment` and not on a lunch or short break then
    (any role)."""
    known = {e.employee_id for e in workbook.employees}
    return {
        a.employee_id
        for a in roster.assignments
        if a.employee_id in known and a.start <= moment < a.end
        and not any(s <= moment < e for s, e in off_duty_spans(a))
    }


# --- one shift -------------------------------------------------------------------------


def _check_shift(shift: _Shift, week_start: dt.date) -> list[Violation]:
    """All single-shift rules; rules that need a sane span are skipped when it is not."""
    out = _check_day(shift, week_start) + _check_grid(shift)
    if shift.a.end <= shift.a.start:
        return [*out, shift.violation(SHIFT_ORDER, f"shift {shift.span} ends before it starts")]
    for rule_check in (_check_length, _check_window, _check_opening, _check_breaks,
                       _check_short_breaks, _check_break_spacing, _check_paid,
                       _check_unavailable, _check_cost):
        out += rule_check(shift)
    return out


def _check_day(shift: _Shift, week_start: dt.date) -> list[Violation]:
    """A shift belongs to the date it starts on, inside the planned week."""
    a, out = shift.a, []
    if a.start.date() != a.day:
        out.append(shift.violation(SHIFT_DAY, f"shift starts {a.start:%a %d-%m %H:%M}, "
                                   "not on its own day"))
    if not 0 <= (a.day - week_start).days < 7:
        out.append(shift.violation(SHIFT_DAY, "shift is outside the week of "
                                   f"{day_text(week_start)}"))
    return out


def _check_grid(shift: _Shift) -> list[Violation]:
    """Shifts start and end on planning-interval boundaries."""
    interval = shift.workbook.center.interval_minutes
    bad = [hm_text(t) for t in (shift.a.start, shift.a.end) if not _on_grid(t, interval)]
    if not bad:
        return []
    return [shift.violation(INTERVAL_GRID, f"shift {shift.span}: {', '.join(bad)} is not on "
                            f"the {interval}-minute interval grid")]


def _check_length(shift: _Shift) -> list[Violation]:
    """Shift length within the contract's min..max (and Center!max_daily_hours), in steps of
    shift_step_minutes; a night shift counts whole on the day it starts."""
    c, length = shift.contract, shift.length_min
    most = shift.workbook.center.max_daily_hours
    low, high = c.min_shift_hours * 60, min(c.max_shift_hours, most) * 60
    if not low - EPS <= length <= high + EPS:
        cap = f" (no shift over {_num(most)} h)" if high < c.max_shift_hours * 60 else ""
        return [shift.violation(SHIFT_LENGTH, f"shift {shift.span} is {_num(length / 60)} h, "
                                f"contract {c.contract_id} allows {_num(low / 60)}-"
                                f"{_num(high / 60)} h{cap}")]
    off = (length - low) % c.shift_step_minutes
    if min(off, c.shift_step_minutes - off) > EPS:
        return [shift.violation(SHIFT_STEP, f"shift {shift.span} is {_num(length / 60)} h, "
                                f"contract {c.contract_id} allows {_num(low / 60)} h plus whole "
                                f"steps of {c.shift_step_minutes} min")]
    return []


def _check_window(shift: _Shift) -> list[Violation]:
    """Shift inside the contract's earliest start and latest end of its day; a latest end of
    24:00 sets no limit (a night shift may run on where the center is open around the clock)."""
    c = shift.contract
    ends_in_time = c.latest_end == DAY_MIN or shift.end_min <= c.latest_end
    if shift.start_min >= c.earliest_start and ends_in_time:
        return []
    return [shift.violation(CONTRACT_WINDOW, f"shift {shift.span} is outside contract "
                            f"{c.contract_id}'s {_clock(c.earliest_start)}-"
                            f"{_clock(c.latest_end)}")]


def _clock(minute: float) -> str:
    return f"{int(minute) // 60:02d}:{int(minute) % 60:02d}"


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


def _check_opening(shift: _Shift) -> list[Violation]:
    """A shift lies within one opening span of the center on its day."""
    until = _open_until(shift.workbook, shift.a.day, shift.start_min)
    if until is not None and shift.end_min <= until:
        return []
    spans = ", ".join(f"{_clock(a)}-{_clock(b)}" for a, b in shift.workbook.open_spans(shift.a.day))
    return [shift.violation(OPENING_HOURS, f"shift {shift.span} is outside opening hours "
                            f"({spans or 'closed'})")]


def _check_breaks(shift: _Shift) -> list[Violation]:
    """A shift longer than break_after_hours has one break in its window; shorter ones none."""
    c, a = shift.contract, shift.a
    needs = shift.length_min > c.break_after_hours * 60 + EPS and c.break_minutes > 0
    if len(a.breaks) != int(needs):
        return [shift.violation(BREAKS, f"shift {shift.span} ({_num(shift.length_min / 60)} h) "
                                f"has {len(a.breaks)} breaks, contract {c.contract_id} needs "
                                f"{int(needs)} (a break after {_num(c.break_after_hours)} h)")]
    out = []
    for start, end in a.breaks:
        after = _minutes(start - a.start)
        text = f"break {hm_text(start)}-{hm_text(end)} of shift {shift.span}"
        interval = shift.workbook.center.interval_minutes
        if _minutes(end - start) != c.break_minutes:
            out.append(f"{text} is {_num(_minutes(end - start))} min, not {c.break_minutes}")
        if not c.break_window_start_h * 60 <= after <= c.break_window_end_h * 60:
            out.append(f"{text} starts {_num(after / 60)} h in, contract {c.contract_id} wants "
                       f"{_num(c.break_window_start_h)}-{_num(c.break_window_end_h)} h")
        if not (_on_grid(start, interval) and _on_grid(end, interval)):
            out.append(f"{text} is not on the {interval}-minute interval grid")
        if start < a.start or end > a.end:
            out.append(f"{text} is not inside the shift")
    return [shift.violation(BREAKS, message) for message in out]


def _check_short_breaks(shift: _Shift) -> list[Violation]:
    """A shift gets its paid short breaks: two when it has the lunch, one when longer than
    short_break_after_hours without it, none when shorter; each as long as the contract says,
    starting on the interval grid, inside the shift."""
    c, a = shift.contract, shift.a
    needs = c.short_break_count(shift.length_min)
    if len(a.short_breaks) != needs:
        why = (f"two around the lunch after {_num(c.break_after_hours)} h, one after "
               f"{_num(c.short_break_after_hours)} h without it"
               if c.short_break_minutes > 0 else "no short breaks")
        return [shift.violation(SHORT_BREAKS, f"shift {shift.span} "
                                f"({_num(shift.length_min / 60)} h) has {len(a.short_breaks)} "
                                f"short breaks, contract {c.contract_id} needs {needs} ({why})")]
    out = []
    interval = shift.workbook.center.interval_minutes
    for start, end in a.short_breaks:
        text = f"short break {hm_text(start)}-{hm_text(end)} of shift {shift.span}"
        if _minutes(end - start) != c.short_break_minutes:
            out.append(f"{text} is {_num(_minutes(end - start))} min, contract "
                       f"{c.contract_id} gives {c.short_break_minutes}")
        if not _on_grid(start, interval):
            out.append(f"{text} does not start on the {interval}-minute interval grid")
        if start < a.start or end > a.end:
            out.append(f"{text} is not inside the shift")
    return [shift.violation(SHORT_BREAKS, message) for message in out]


def _check_break_spacing(shift: _Shift) -> list[Violation]:
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
        for gap_min, what, side in ((_minutes(short[1] - before[2]), before, "after"),
                                    (_minutes(after[1] - short[2]), after, "before")):
            if gap_min < gap - EPS:
                name = what[0] or f"the short break {hm_text(what[1])}-{hm_text(what[2])}"
                out.append(f"{text} is {_num(gap_min / 60)} h {side} {name}, contract "
                           f"{c.contract_id} needs {_num(c.break_spacing_hours)} h")
    if len(a.breaks) == 1 and len(a.short_breaks) == 2:
        lunch = a.breaks[0][0]
        if sum(s < lunch for s, _ in a.short_breaks) != 1:
            out.append(f"short breaks of shift {shift.span} are not one before the lunch "
                       f"{hm_text(a.breaks[0][0])}-{hm_text(a.breaks[0][1])} and one after it")
    return [shift.violation(SHORT_BREAKS, message) for message in out]


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


def _check_paid(shift: _Shift) -> list[Violation]:
    """Paid hours are the shift length minus its breaks."""
    paid = sum(_minutes(e - s) for s, e in _paid_spans(shift.a)) / 60
    if abs(shift.a.paid_hours - paid) <= EPS:
        return []
    return [shift.violation(PAID_HOURS, f"shift {shift.span} says {_num(shift.a.paid_hours)} "
                            f"paid h, but length minus breaks is {_num(paid)} h")]


def _check_unavailable(shift: _Shift) -> list[Violation]:
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
                out.append(shift.violation(AVAILABILITY, f"shift {shift.span} overlaps "
                                           f"unavailable {day_text(day)} {_clock(row.start_min)}-"
                                           f"{_clock(row.end_min)}"))
        day += dt.timedelta(days=1)
    return out


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
        now = _minutes(t - base)
        nxt = min(base + dt.timedelta(minutes=next(c for c in cuts if c > now)), end)
        total += _minutes(nxt - t) * _multiplier(workbook, t)
        t = nxt
    return total


def _check_cost(shift: _Shift) -> list[Violation]:
    """A shift costs the hourly rate times its paid hours, time and day premiums applied."""
    weighted = sum(_premium_minutes(shift.workbook, s, e) for s, e in _paid_spans(shift.a))
    expected = shift.employee.hourly_cost * weighted / 60
    if abs(shift.a.cost - expected) <= COST_TOL:
        return []
    paid = sum(_minutes(e - s) for s, e in _paid_spans(shift.a)) / 60
    return [shift.violation(COST, f"shift {shift.span} costs {shift.a.cost:.2f}, but "
                            f"{_num(paid)} paid h at {shift.employee.hourly_cost:.2f}/h with "
                            f"premiums is {expected:.2f}")]


# --- one employee's week -----------------------------------------------------------------


def _check_sequence(shifts: list[_Shift]) -> list[Violation]:
    """One shift a day, no overlap, and enough rest between one shift and the next."""
    out = []
    seen: set[dt.date] = set()
    for shift in shifts:
        if shift.a.day in seen:
            out.append(shift.violation(ONE_SHIFT_PER_DAY, f"second shift {shift.span} that day"))
        seen.add(shift.a.day)
    for prev, nxt in itertools.pairwise(shifts):
        rest = _minutes(nxt.a.start - prev.a.end) / 60
        need = nxt.contract.min_rest_hours
        if rest < 0:
            out.append(nxt.violation(OVERLAP, f"shift {nxt.span} overlaps shift {prev.span} of "
                                     f"{day_text(prev.a.day)}"))
        elif rest < need - EPS:
            out.append(nxt.violation(MIN_REST, f"shift {nxt.span} starts {_num(rest)} h after "
                                     f"shift {prev.span} of {day_text(prev.a.day)} ends, contract "
                                     f"{nxt.contract.contract_id} needs {_num(need)} h rest"))
    return out


def _check_week(
    employee: Employee, contract: Contract, shifts: list[_Shift], week_start: dt.date
) -> list[Violation]:
    """Weekly paid hours, worked days and consecutive worked days within the contract."""
    def week_violation(rule: str, message: str) -> Violation:
        return Violation(rule=rule, employee_id=employee.employee_id, day=None,
                         message=f"{employee.employee_id} week of {day_text(week_start)}: "
                         f"{message}")

    out, c = [], contract
    paid = sum(s.a.paid_hours for s in shifts)
    if not c.min_weekly_hours - EPS <= paid <= c.max_weekly_hours + EPS:
        out.append(week_violation(WEEKLY_HOURS, f"{_num(paid)} paid h, contract {c.contract_id} "
                                  f"needs {_num(c.min_weekly_hours)}-{_num(c.max_weekly_hours)} h"))
    days = sorted({s.a.day for s in shifts if 0 <= (s.a.day - week_start).days < 7})
    if len(days) > c.max_days:
        out.append(week_violation(MAX_DAYS, f"works {len(days)} days, contract "
                                  f"{c.contract_id} allows {c.max_days}"))
    run, best, best_end = 0, 0, week_start
    for i, day in enumerate(days):
        run = run + 1 if i and (day - days[i - 1]).days == 1 else 1
        if run > best:
            best, best_end = run, day
    if best > c.max_consecutive_days:
        first = best_end - dt.timedelta(days=best - 1)
        out.append(week_violation(CONSECUTIVE_DAYS, f"works {best} days in a row "
                                  f"({day_text(first)} to {day_text(best_end)}), contract "
                                  f"{c.contract_id} allows {c.max_consecutive_days}"))
    return out


def _week_violation(employee: Employee, week_start: dt.date, rule: str,
                   message: str) -> Violation:
    return Violation(rule=rule, employee_id=employee.employee_id, day=None,
                     message=f"{employee.employee_id} week of {day_text(week_start)}: {message}")


def _at(moment: dt.datetime) -> str:
    return f"{moment:%a %d-%m %H:%M}"


def _check_across_weeks(employee: Employee, contract: Contract, shifts: list[_Shift],
                        week_start: dt.date, before: list[Assignment] | None) -> list[Violation]:
    """With last week's roster: rest after its last shift, and its final run of working days
    counted into this week's consecutive days."""
    if not before:
        return []
    out, c = [], contract
    if shifts:
        first, last = shifts[0], before[-1]
        rest = _minutes(first.a.start - last.end) / 60
        if rest < c.min_rest_hours - EPS:
            out.append(first.violation(MIN_REST, f"shift {first.span} starts {_num(rest)} h "
                                       f"after last week's shift {hm_text(last.start)}-"
                                       f"{hm_text(last.end)} of {day_text(last.day)} ends, "
                                       f"contract {c.contract_id} needs "
                                       f"{_num(c.min_rest_hours)} h rest"))
    worked = {a.day for a in before}
    behind = 0
    while week_start - dt.timedelta(days=behind + 1) in worked:
        behind += 1
    this_week = {s.a.day for s in shifts}
    ahead = 0
    while week_start + dt.timedelta(days=ahead) in this_week:
        ahead += 1
    if behind and ahead and behind + ahead > c.max_consecutive_days >= ahead:
        start = week_start - dt.timedelta(days=behind)
        end = week_start + dt.timedelta(days=ahead - 1)
        out.append(_week_violation(employee, week_start, CONSECUTIVE_DAYS,
                                   f"works {behind + ahead} days in a row ({day_text(start)} to "
                                   f"{day_text(end)}, counting last week's), contract "
                                   f"{c.contract_id} allows {c.max_consecutive_days}"))
    return out


def _check_weekly_rest(employee: Employee, contract: Contract, shifts: list[_Shift],
                       week_start: dt.date, before: list[Assignment] | None) -> list[Violation]:
    """One unbroken rest of at least weekly_rest_hours in the week: from the end of last
    week's last shift (when that roster is given) to the week's end; without it the week is
    taken to repeat, so the rest may run from its last shift round to its first."""
    need = contract.weekly_rest_hours
    spans = [(s.a.start, s.a.end) for s in shifts if 0 <= (s.a.day - week_start).days < 7]
    if need <= 0 or (before is None and not spans):
        return []
    week = midnight(week_start)
    if before is None:
        edge = spans[-1][1] - dt.timedelta(days=7)  # the week before, repeated
        last = spans[0][0] + dt.timedelta(days=7)
    else:
        edge = before[-1].end if before else week - dt.timedelta(days=7)
        last = week + dt.timedelta(days=7)
    cuts = [edge, *(t for span in spans for t in span), last]
    gaps = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    start, end = max(gaps, key=lambda g: g[1] - g[0])
    longest = _minutes(end - start) / 60
    if longest >= need - EPS:
        return []
    if before is None and (start, end) in (gaps[0], gaps[-1]):
        start, end = gaps[-1][0], gaps[-1][1]  # say the repeated rest in this week's dates
    return [_week_violation(employee, week_start, WEEKLY_REST,
                            f"longest unbroken rest is {_num(max(longest, 0))} h ({_at(start)} "
                            f"to {_at(end)}), contract {contract.contract_id} needs "
                            f"{_num(need)} h once a week")]


def _check_fixed(workbook: Workbook, employee: Employee, shifts: list[_Shift],
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
