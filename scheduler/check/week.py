"""The checker's rules over one employee's week: one shift a day, no overlap, rest between
shifts, weekly paid hours, worked days, consecutive days and the weekly rest, counting last
week's roster when it is given.
"""

from __future__ import annotations

import datetime as dt
import itertools

from inputs.domain import Assignment, Contract, Employee
from scheduler.check.violations import (
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
    CONSECUTIVE_DAYS,
    MAX_DAYS,
    MIN_REST,
    ONE_SHIFT_PER_DAY,
    OVERLAP,
    WEEKLY_HOURS,
    WEEKLY_REST,
)


def check_sequence(shifts: list[ShiftView]) -> list[Violation]:
    """One shift a day, no overlap, and enough rest between one shift and the next."""
    out = []
    seen: set[dt.date] = set()
    for shift in shifts:
        if shift.a.day in seen:
            out.append(shift.violation(ONE_SHIFT_PER_DAY, f"second shift {shift.span} that day"))
        seen.add(shift.a.day)
    for prev, nxt in itertools.pairwise(shifts):
        rest = minutes(nxt.a.start - prev.a.end) / 60
        need = nxt.contract.min_rest_hours
        if rest < 0:
            out.append(nxt.violation(OVERLAP, f"shift {nxt.span} overlaps shift {prev.span} of "
                                     f"{day_text(prev.a.day)}"))
        elif rest < need - EPS:
            out.append(nxt.violation(MIN_REST, f"shift {nxt.span} starts {num(rest)} h after "
                                     f"shift {prev.span} of {day_text(prev.a.day)} ends, contract "
                                     f"{nxt.contract.contract_id} needs {num(need)} h rest"))
    return out


def check_week(
    employee: Employee, contract: Contract, shifts: list[ShiftView], week_start: dt.date
) -> list[Violation]:
    """Weekly paid hours, worked days and consecutive worked days within the contract."""
    def week_violation(rule: str, message: str) -> Violation:
        return Violation(rule=rule, employee_id=employee.employee_id, day=None,
                         message=f"{employee.employee_id} week of {day_text(week_start)}: "
                         f"{message}")

    out, c = [], contract
    paid = sum(s.a.paid_hours for s in shifts)
    if not c.min_weekly_hours - EPS <= paid <= c.max_weekly_hours + EPS:
        out.append(week_violation(WEEKLY_HOURS, f"{num(paid)} paid h, contract {c.contract_id} "
                                  f"needs {num(c.min_weekly_hours)}-{num(c.max_weekly_hours)} h"))
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


def check_across_weeks(employee: Employee, contract: Contract, shifts: list[ShiftView],
                       week_start: dt.date, before: list[Assignment] | None) -> list[Violation]:
    """With last week's roster: rest after its last shift, and its final run of working days
    counted into this week's consecutive days."""
    if not before:
        return []
    out, c = [], contract
    if shifts:
        first, last = shifts[0], before[-1]
        rest = minutes(first.a.start - last.end) / 60
        if rest < c.min_rest_hours - EPS:
            out.append(first.violation(MIN_REST, f"shift {first.span} starts {num(rest)} h "
                                       f"after last week's shift {hm_text(last.start)}-"
                                       f"{hm_text(last.end)} of {day_text(last.day)} ends, "
                                       f"contract {c.contract_id} needs "
                                       f"{num(c.min_rest_hours)} h rest"))
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


def check_weekly_rest(employee: Employee, contract: Contract, shifts: list[ShiftView],
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
    longest = minutes(end - start) / 60
    if longest >= need - EPS:
        return []
    if before is None and (start, end) in (gaps[0], gaps[-1]):
        start, end = gaps[-1][0], gaps[-1][1]  # say the repeated rest in this week's dates
    return [_week_violation(employee, week_start, WEEKLY_REST,
                            f"longest unbroken rest is {num(max(longest, 0))} h ({_at(start)} "
                            f"to {_at(end)}), contract {contract.contract_id} needs "
                            f"{num(need)} h once a week")]
