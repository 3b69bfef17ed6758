"""Roster rules about the week as a whole: weekly rest, last week's end, fixed shifts, wishes,
a fair spread of unsocial shifts and the same start time.

Same shape as `scheduler.roster.rules`: `add_rule(model, v, problem) -> list[Penalty]`; hard rules
return `[]`, soft rules return penalties whose `text` says in rule language what broke.
`WEEK_RULES` lists them, hard before soft, for the solver to add after `RULES`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from inputs.capacity import fixed_in_week
from inputs.domain import Availability, AvailabilityKind, Employee, PremiumKind, Workbook
from scheduler import rule_ids as ids
from scheduler.roster.model import RosterProblem, RosterVars
from scheduler.roster.penalty import Penalty, Rule
from scheduler.roster.shifts import DAY

EVENING_DEFAULT = 19 * 60  # evening shifts end after this when the Costs sheet has no evening
FRIDAY = 4


def _cents(amount: float) -> int:
    return round(amount * 100)


def _who(e: Employee) -> str:
    return f"{e.employee_id} ({e.name})"


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _date(p: RosterProblem, day: int) -> dt.date:
    return p.week_start + dt.timedelta(days=day)


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


# --- wishes: prefer and avoid ---------------------------------------------------------------


def _applies(row: Availability, day: dt.date) -> bool:
    return row.date == day or (row.date is None and row.weekday == day.weekday())


def add_preferences(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> list[Penalty]:
    """Employees' wishes (soft): no work in hours they asked to avoid, and a shift inside the
    hours they prefer on a day they work; each broken wish costs Center!preference_weight.

    `avoid`: every shift that touches the window is one broken wish (a night shift from the
    day before counts too). `prefer`: on a day with prefer rows, a shift that does not lie
    inside one of them is one broken wish; a day off breaks none.
    """
    weight = _cents(p.workbook.center.preference_weight)
    if weight <= 0:
        return []
    rows: defaultdict[str, list[Availability]] = defaultdict(list)
    for row in p.workbook.availability:
        if row.kind is not AvailabilityKind.UNAVAILABLE and row.employee_id in v.options:
            rows[row.employee_id].append(row)
    penalties = []
    for eid, wishes in rows.items():
        for day in range(7):
            today = [w for w in wishes if _applies(w, _date(p, day))]
            for w in today:
                if w.kind is AvailabilityKind.AVOID:
                    penalties += _avoid(model, v, p, eid, day, w, weight)
            preferred = [w for w in today if w.kind is AvailabilityKind.PREFER]
            if preferred:
                penalties += _prefer(model, v, p, eid, day, preferred, weight)
    return penalties


def _avoid(model: cp_model.CpModel, v: RosterVars, p: RosterProblem, eid: str, day: int,
           w: Availability, weight: int) -> list[Penalty]:
    lo, hi = day * DAY + w.start_min, day * DAY + w.end_min
    touching = [(k, o) for k, o in enumerate(v.options[eid]) if o.start < hi and lo < o.end]
    if not touching:
        return []
    days = len({o.day for _, o in touching})
    var = model.new_int_var(0, days, f"avoided[{eid},{day},{_clock(w.start_min)}]")
    model.add(var == sum(v.shift[eid, k] for k, _ in touching))
    text = (f"{_who(v.employees[eid])} works {_date(p, day):%a %d-%m} "
            f"{_clock(w.start_min)}-{_clock(w.end_min)}, hours they asked to avoid")
    return [Penalty("preferences", var, weight, eid, lo // p.interval, 0, text)]


def _prefer(model: cp_model.CpModel, v: RosterVars, p: RosterProblem, eid: str, day: int,
            wishes: list[Availability], weight: int) -> list[Penalty]:
    base = day * DAY
    outside = [k for k, o in v.options_on(eid, day)
               if not any(base + w.start_min <= o.start and o.end <= base + w.end_min
                          for w in wishes)]
    if not outside:
        return []
    var = model.new_bool_var(f"unpreferred[{eid},{day}]")
    model.add(var == sum(v.shift[eid, k] for k in outside))
    hours = ", ".join(f"{_clock(w.start_min)}-{_clock(w.end_min)}" for w in wishes)
    text = (f"{_who(v.employees[eid])} works {_date(p, day):%a %d-%m} outside the hours they "
            f"prefer ({hours})")
    return [Penalty("preferences", var, weight, eid, base // p.interval, 0, text)]


# --- a fair spread of evening, Friday and weekend shifts ------------------------------------


def evening_start(workbook: Workbook) -> int:
    """Minute of the day evenings start: the Costs sheet's evening premium, else 19:00.

    The evening premium is the earliest time premium that starts at or after noon.
    """
    starts = [pr.start_min for pr in workbook.premiums
              if pr.kind is PremiumKind.TIME and pr.start_min is not None
              and pr.start_min >= 12 * 60]
    return min(starts, default=EVENING_DEFAULT)


Kind = Callable[[dt.date, int], bool]  # (date the shift starts, its end in minutes from then)


def shift_kinds(p: RosterProblem) -> dict[str, Kind]:
    """The unsocial kinds of shift spread fairly: evening (ending after `evening_start`),
    Friday, and weekend (the two days before the week's first day: Fri/Sat for a Sunday week)."""
    evening = evening_start(p.workbook)
    first = p.week_start.weekday()
    weekend = {(first - 2) % 7, (first - 1) % 7}
    return {
        "evening": lambda day, end: end > evening,
        "Friday": lambda day, end: day.weekday() == FRIDAY,
        "weekend": lambda day, end: day.weekday() in weekend,
    }


def _last_week_counts(p: RosterProblem, is_kind: Kind) -> dict[str, int]:
    """Shifts of one kind each employee worked in last week's roster (none without one)."""
    counts: defaultdict[str, int] = defaultdict(int)
    for a in p.previous.assignments if p.previous is not None else ():
        end = round((a.end - dt.datetime.combine(a.day, dt.time())).total_seconds() / 60)
        counts[a.employee_id] += is_kind(a.day, end)
    return counts


def add_fair_spread(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> list[Penalty]:
    """Evening, Friday and weekend shifts spread evenly over each team (soft).

    Per team, role and kind, the fair share is ceil(total / members), over the members who
    have such shifts among their options; each shift a member works above it costs
    Center!fairness_weight. Given last week's roster, its shifts count too (one Friday a
    week can only be shared fairly over two weeks). Staff without a team are left out; a kind
    that is the same shifts as an earlier one (weekend = Friday when Saturday is closed) is
    counted once.
    """
    weight = _cents(p.workbook.center.fairness_weight)
    if weight <= 0:
        return []
    groups: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for eid, e in v.employees.items():
        if e.team:
            groups[e.team, e.role.value].append(eid)
    penalties = []
    seen: list[dict[str, tuple[list[int], int]]] = []
    for kind, is_kind in shift_kinds(p).items():
        before = _last_week_counts(p, is_kind)
        for (team, role), members in sorted(groups.items()):
            able = {eid: [k for k, o in enumerate(v.options[eid])
                          if is_kind(_date(p, o.day), o.end - o.day * DAY)] for eid in members}
            counted = {eid: (ks, before[eid]) for eid, ks in able.items() if ks}
            if len(counted) >= 2 and counted not in seen:  # Saturday closed: weekend is Friday
                seen.append(counted)
                penalties += _fair_share(model, v, (team, role, kind), counted, weight)
    return penalties


def _fair_share(model: cp_model.CpModel, v: RosterVars, group: tuple[str, str, str],
                counted: dict[str, tuple[list[int], int]], weight: int) -> list[Penalty]:
    """share == ceil(total / members); each member's excess >= their count - share."""
    team, role, kind = group
    m = len(counted)
    counts = {}
    for eid, (ks, before) in counted.items():
        count = model.new_int_var(0, 14, f"{kind}_shifts[{eid}]")
        model.add(count == before + sum(v.shift[eid, k] for k in ks))
        counts[eid] = count
    total = sum(counts.values())
    share = model.new_int_var(0, 14, f"fair_{kind}[{team},{role}]")
    model.add(m * share >= total)
    model.add(m * share <= total + m - 1)
    penalties = []
    people = role.replace("_", " ") + "s"
    span = " over this week and last" if any(b for _, b in counted.values()) else ""
    for eid, count in counts.items():
        excess = model.new_int_var(0, 14, f"unfair_{kind}[{eid}]")
        model.add(excess >= count - share)
        text = (f"{_who(v.employees[eid])} works {{n}} {kind} shift(s) more than the fair "
                f"share of team {team}'s {people}{span}")
        penalties.append(Penalty("fair_spread", excess, weight, eid, 0, 0, text))
    return penalties


# --- the same start time --------------------------------------------------------------------


def add_same_start(model: cp_model.CpModel, v: RosterVars, p: RosterProblem) -> list[Penalty]:
    """On a contract with same_start, an employee starts at one time of day all week (soft).

    One boolean per start time the employee could use, true when any day starts then; each
    start time beyond the first costs Center!preference_weight.
    """
    weight = _cents(p.workbook.center.preference_weight)
    penalties: list[Penalty] = []
    if weight <= 0:
        return penalties
    for eid, options in v.options.items():
        contract = p.workbook.contract_of(v.employees[eid])
        if not contract.same_start:
            continue
        by_start: defaultdict[int, defaultdict[int, list[int]]] = defaultdict(
            lambda: defaultdict(list))
        for k, o in enumerate(options):
            by_start[o.start - o.day * DAY][o.day].append(k)
        if len(by_start) < 2:
            continue
        used = []
        for minute, days in sorted(by_start.items()):
            starts = model.new_bool_var(f"starts_at[{eid},{_clock(minute)}]")
            for ks in days.values():
                model.add(sum(v.shift[eid, k] for k in ks) <= starts)
            used.append(starts)
        extra = model.new_int_var(0, len(used) - 1, f"extra_starts[{eid}]")
        model.add(extra >= sum(used) - 1)
        text = (f"{_who(v.employees[eid])} starts at {{n}} more time(s) of day than one; "
                f"contract {contract.contract_id} asks for the same start every day")
        penalties.append(Penalty("same_start", extra, weight, eid, 0, 0, text))
    return penalties


WEEK_RULES: tuple[Rule, ...] = (
    Rule(ids.FIXED_SHIFTS, "Fixed shifts and fixed days off as agreed", True, add_fixed_shifts),
    Rule(ids.WEEKLY_REST, "One unbroken weekly rest of the contract's length", True,
         add_weekly_rest),
    Rule(ids.CONSECUTIVE_DAYS_ACROSS_WEEKS,
         "Consecutive working days count last week's final days", True,
         add_consecutive_days_across_weeks),
    Rule(ids.REST_AFTER_PREVIOUS_WEEK, "Minimum rest after last week's last shift", True,
         add_rest_after_previous_week),
    Rule(ids.PREFERENCES, "Employees' preferred and avoided hours", False, add_preferences),
    Rule(ids.FAIR_SPREAD, "Evening, Friday and weekend shifts spread fairly over each team",
         False, add_fair_spread),
    Rule(ids.SAME_START, "The same start time every day where the contract asks for it", False,
         add_same_start),
)
