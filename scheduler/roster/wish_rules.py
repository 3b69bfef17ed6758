"""Soft roster rules about people's wishes and fairness: preferred and avoided hours, a fair
spread of evening, Friday and weekend shifts over each team, and the same start time.

Same shape as `scheduler.roster.rules`: `add_rule(model, v, problem) -> list[Penalty]`;
each returns penalties whose `text` says in rule language what broke. `WISH_RULES` lists
them for `WEEK_RULES` to add after the week's hard rules.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from inputs.cells import format_time
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


def _date(p: RosterProblem, day: int) -> dt.date:
    return p.week_start + dt.timedelta(days=day)


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
    var = model.new_int_var(0, days, f"avoided[{eid},{day},{format_time(w.start_min)}]")
    model.add(var == sum(v.shift[eid, k] for k, _ in touching))
    text = (f"{_who(v.employees[eid])} works {_date(p, day):%a %d-%m} "
            f"{format_time(w.start_min)}-{format_time(w.end_min)}, hours they asked to avoid")
    return [Penalty(ids.PREFERENCES, var, weight, eid, lo // p.interval, 0, text)]


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
    hours = ", ".join(f"{format_time(w.start_min)}-{format_time(w.end_min)}" for w in wishes)
    text = (f"{_who(v.employees[eid])} works {_date(p, day):%a %d-%m} outside the hours they "
            f"prefer ({hours})")
    return [Penalty(ids.PREFERENCES, var, weight, eid, base // p.interval, 0, text)]


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
        penalties.append(Penalty(ids.FAIR_SPREAD, excess, weight, eid, 0, 0, text))
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
            starts = model.new_bool_var(f"starts_at[{eid},{format_time(minute)}]")
            for ks in days.values():
                model.add(sum(v.shift[eid, k] for k in ks) <= starts)
            used.append(starts)
        extra = model.new_int_var(0, len(used) - 1, f"extra_starts[{eid}]")
        model.add(extra >= sum(used) - 1)
        text = (f"{_who(v.employees[eid])} starts at {{n}} more time(s) of day than one; "
                f"contract {contract.contract_id} asks for the same start every day")
        penalties.append(Penalty(ids.SAME_START, extra, weight, eid, 0, 0, text))
    return penalties


WISH_RULES: tuple[Rule, ...] = (
    Rule(ids.PREFERENCES, "Employees' preferred and avoided hours", False, add_preferences),
    Rule(ids.FAIR_SPREAD, "Evening, Friday and weekend shifts spread fairly over each team",
         False, add_fair_spread),
    Rule(ids.SAME_START, "The same start time every day where the contract asks for it", False,
         add_same_start),
)
