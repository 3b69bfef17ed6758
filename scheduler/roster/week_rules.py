"""Hard roster rules about the week as a whole: weekly rest, last week's end and fixed
shifts; the soft rules on wishes and fairness (`wish_rules`) follow them in `WEEK_RULES`.

Same shape as `scheduler.roster.rules`: `add_rule(model, v, problem) -> list[Penalty]`; hard rules
return `[]`, soft rules return penalties whose `text` says in rule language what broke.
`WEEK_RULES` lists them, hard before soft, for the solver to add after `RULES`.
"""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from inputs.capacity import fixed_in_week
from scheduler import rule_ids as ids
from scheduler.roster.model import RosterProblem, RosterVars
from scheduler.roster.penalty import Penalty, Rule
from scheduler.roster.shifts import DAY
from scheduler.roster.wish_rules import WISH_RULES

# --- last week's roster ---------------------------------------------------------------------


def previous_ends(p: RosterProblem) -> dict[str, int]:
    """Week minute at which each employee's last shift of the previous roster ended.

    Negative: before this week started; positive: a night shift ran into this week. An
    employee with no shift last week is absent.
    """
    if p.previous is None:
        return {}
    start = dt.datetime.combine(p.week_start, dt.time())
    ends: dict[str, int] = {}
    for a in p.previous.assignments:
        minute = round((a.end - start).total_seconds() / 60)
        ends[a.employee_id] = max(ends.get(a.employee_id, minute), minute)
    return ends


def previous_run(p: RosterProblem, employee_id: str) -> int:
    """Consecutive days the employee worked up to the day before this week (0 without one)."""
    if p.previous is None:
        return 0
    days = {a.day for a in p.previous.assignments if a.employee_id == employee_id}
    run = 0
    while p.week_start - dt.timedelta(days=run + 1) in days:
        run += 1
    return run


def add_consecutive_days_across_weeks(
    model: cp_model.CpModel, v: RosterVars, p: RosterProblem
) -> list[Penalty]:
    """The run of working days that ended last week counts toward this week's consecutive days."""
    for eid in v.options:
        limit = p.workbook.contract_of(v.employees[eid]).max_consecutive_days
        run = previous_run(p, eid)
        if run == 0:
            continue
        first = max(limit - run + 1, 1)  # working all of days 0..first-1 would exceed the limit
        if first <= 7:
            model.add(sum(v.works[eid, d] for d in range(first)) <= first - 1)
    return []


def add_rest_after_previous_week(
    model: cp_model.CpModel, v: RosterVars, p: RosterProblem
) -> list[Penalty]:
    """The first shift of the week starts at least the minimum rest after last week's last."""
    for eid, end in previous_ends(p).items():
        if eid not in v.options:
            continue
        rest = round(p.workbook.contract_of(v.employees[eid]).min_rest_hours * 60)
        for k, o in enumerate(v.options[eid]):
            if o.start < end + rest:
                model.add(v.shift[eid, k] == 0)
    return []


# --- weekly rest ----------------------------------------------------------------------------


class _DayTimes:
    """Start and end of each employee's shift on a day, as variables made on first use."""

    def __init__(self, model: cp_model.CpModel, v: RosterVars) -> None:
        self.model, self.v = model, v
        self.made: dict[tuple[str, int, str], cp_model.IntVar] = {}

    def get(self, eid: str, day: int, edge: str) -> cp_model.IntVar:
        key = (eid, day, edge)
        if key not in self.made:
            on_day = self.v.options_on(eid, day)
            var = self.model.new_int_var(0, 9 * DAY, f"{edge}[{eid},{day}]")
            self.model.add(var == sum(getattr(o, edge) * self.v.shift[eid, k] for k, o in on_day))
            self.made[key] = var
        return self.made[key]


def _edges(v: RosterVars, eid: str) -> dict[int, tuple[int, int, int, int]]:
    """Per workable day: earliest and latest start, earliest and latest end (week minutes)."""
    result = {}
    for day in range(7):
        on_day = [o for _, o in v.options_on(eid, day)]
        if on_day:
            starts, ends = [o.start for o in on_day], [o.end for o in on_day]
            result[day] = (min(starts), max(starts), min(ends), max(ends))
    return result


def add_weekly_rest(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> list[Penalty]:
    """One unbroken rest of at least the contract's weekly rest hours in the week.

    A rest runs from the end of one shift to the start of a later one with no work between:
    one boolean per pair of days that could be far enough apart, at least one of them true.
    With last week's roster the rest may start at its last shift's end and run to the week's
    end; without it the week is taken to repeat, so the rest may run from the week's last
    shift round to its first (over the weekend).
    """
    ends = previous_ends(p)
    times = _DayTimes(model, v)
    for eid in v.options:
        need = round(p.workbook.contract_of(v.employees[eid]).weekly_rest_hours * 60)
        first = None if p.previous is None else ends.get(eid, -7 * DAY)  # None: repeating
        if need <= 0 or _longest_free(v, eid, first) >= need:
            continue  # no shift option can take the rest away (e.g. a closed weekend)
        if first is None:
            model.add_bool_or(_cyclic_rest_choices(model, v, times, eid, need))
        else:
            model.add_bool_or(_rest_choices(model, v, times, eid, need, first))
    return []


def _longest_free(v: RosterVars, eid: str, first: int | None) -> int:
    """Minutes of the longest time no shift option of `eid` covers: after `first` up to the
    week's end, or round a repeating week when `first` is None."""
    spans = sorted((o.start, o.end) for o in v.options[eid])
    if not spans:
        return 7 * DAY
    cuts: list[int] = []
    reach = spans[-1][1] - 7 * DAY if first is None else first
    for start, end in spans:
        cuts.append(start - reach)
        reach = max(reach, end)
    end_of_week = spans[0][0] + 7 * DAY if first is None else 7 * DAY
    return max([*cuts, end_of_week - reach])


def _cyclic_rest_choices(model: cp_model.CpModel, v: RosterVars, times: _DayTimes, eid: str,
                         need: int) -> list[cp_model.IntVar]:
    """Rest pairs of a repeating week: from day a's shift end to day b's start, a week later
    when b <= a, nothing worked between; plus a week with no work at all."""
    edges = _edges(v, eid)
    idle = model.new_bool_var(f"weekly_rest[{eid},idle]")
    model.add(sum(v.works[eid, d] for d in edges) == 0).only_enforce_if(idle)
    choices = [idle]
    for a, (_, _, end_lo, end_hi) in edges.items():
        for b, (start_lo, start_hi, _, _) in edges.items():
            later = 7 * DAY if b <= a else 0
            if start_hi + later - end_lo < need:
                continue  # never long enough
            rest = model.new_bool_var(f"weekly_rest[{eid},{a},{b}]")
            model.add_implication(rest, v.works[eid, a])
            model.add_implication(rest, v.works[eid, b])
            between = [v.works[eid, d] for d in edges
                       if (a < d < b if b > a else (d > a or d < b))]
            if between:
                model.add(sum(between) == 0).only_enforce_if(rest)
            if start_lo + later - end_hi < need:
                start, end = times.get(eid, b, "start"), times.get(eid, a, "end")
                model.add(start + later - end >= need).only_enforce_if(rest)
            choices.append(rest)
    return choices


def _rest_choices(model: cp_model.CpModel, v: RosterVars, times: _DayTimes, eid: str,
                  need: int, first: int) -> list[cp_model.IntVar]:
    """One boolean per possible weekly rest of `eid`: from a left edge (-1: `first`, the end of
    last week's work; or a worked day's shift end) to a right edge (a worked day's shift start,
    or 7: the week's end), nothing worked between, at least `need` minutes long.

    A pair long enough whatever the shift times needs its edge days worked only when an
    earlier day's shift could end later (or a later day's start earlier) than theirs would.
    """
    edges = _edges(v, eid)
    lefts = [(-1, first, first), *((d, e[2], e[3]) for d, e in edges.items())]
    rights = [*((d, e[0], e[1]) for d, e in edges.items()), (7, 7 * DAY, 7 * DAY)]
    choices = []
    for a, end_lo, end_hi in lefts:
        for b, start_lo, start_hi in rights:
            if b <= a or start_hi - end_lo < need:
                continue  # never long enough
            rest = model.new_bool_var(f"weekly_rest[{eid},{a},{b}]")
            timed = start_lo - end_hi < need  # long enough only for some shift times
            ends_before = max([first] + [e[3] for d, e in edges.items() if d < a])
            starts_after = min([7 * DAY] + [e[0] for d, e in edges.items() if d > b])
            if a in edges and (timed or ends_before > end_lo):
                model.add_implication(rest, v.works[eid, a])
            if b in edges and (timed or starts_after < start_hi):
                model.add_implication(rest, v.works[eid, b])
            between = [v.works[eid, d] for d in range(a + 1, b) if d in edges]
            if between:
                model.add(sum(between) == 0).only_enforce_if(rest)
            if timed:
                start = start_lo if b > 6 else times.get(eid, b, "start")
                end = end_lo if a < 0 else times.get(eid, a, "end")
                model.add(start - end >= need).only_enforce_if(rest)
            choices.append(rest)
    return choices


# --- fixed shifts ---------------------------------------------------------------------------


def add_fixed_shifts(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> list[Penalty]:
    """An employee works exactly the fixed shift of a date, and not at all on a fixed day off.

    A fixed shift that is not one of the employee's shift options leaves no roster; the
    solver's precheck (`inputs.capacity.fixed_shift_conflicts`) names its row first.
    """
    for eid, days in fixed_in_week(p.workbook, p.week_start).items():
        if eid not in v.options:
            continue
        for day, item in days.items():
            if item.off:
                model.add(v.works[eid, day] == 0)
                continue
            start = day * DAY + item.start_min
            match = [k for k, o in v.options_on(eid, day)
                     if o.start == start and o.end == start + item.length_min]
            if match:
                model.add(v.shift[eid, match[0]] == 1)
            else:
                model.add_bool_or([])  # no such shift option: the week has no roster
    return []


WEEK_RULES: tuple[Rule, ...] = (
    Rule(ids.FIXED_SHIFTS, "Fixed shifts and fixed days off as agreed", True, add_fixed_shifts),
    Rule(ids.WEEKLY_REST, "One unbroken weekly rest of the contract's length", True,
         add_weekly_rest),
    Rule(ids.CONSECUTIVE_DAYS_ACROSS_WEEKS,
         "Consecutive working days count last week's final days", True,
         add_consecutive_days_across_weeks),
    Rule(ids.REST_AFTER_PREVIOUS_WEEK, "Minimum rest after last week's last shift", True,
         add_rest_after_previous_week),
    *WISH_RULES,
)
