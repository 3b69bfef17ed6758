"""The CP-SAT roster model's problem and variables, keyed by domain ids.

The rules that constrain these variables live in `scheduler.roster.rules`, one function each.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from inputs.domain import Employee, Role, Roster, Workbook
from scheduler.roster.shifts import (
    DAY,
    ShiftOption,
    employee_options,
    minute_multipliers,
    week_days,
)
from scheduler.staffing import QueueLoad


@dataclass(frozen=True, slots=True, kw_only=True)
class RosterProblem:
    """What the roster must cover this week.

    `queue_required` maps (queue_id, interval index) to agents needed; `role_required` maps
    (role, interval index) to leads or managers needed on duty. An interval index counts
    intervals from week_start 00:00. `loads` (calls and handle time per queue and interval)
    lets agents the requirement leaves idle be given the queue they help most. `previous`
    is last week's roster when the planner gives it: consecutive days and rest count its end.
    """

    workbook: Workbook
    week_start: dt.date
    queue_required: dict[tuple[str, int], int]
    role_required: dict[tuple[Role, int], int]
    loads: dict[tuple[str, int], QueueLoad] = field(default_factory=dict)
    # (queue set, t) -> agents the set's pooled load needs (`scheduler.staffing.pooled`);
    # when given, coverage counts every agent on duty with a skill in the set
    # (`scheduler.roster.pooled`) instead of one queue per agent.
    pooled_required: dict[tuple[frozenset[str], int], int] = field(default_factory=dict)
    previous: Roster | None = None  # last week's roster (--previous), for rules across weeks

    @property
    def interval(self) -> int:
        return self.workbook.center.interval_minutes

    def moment(self, t: int) -> dt.datetime:
        return week_minute_to_datetime(self.week_start, t * self.interval)

    def label(self, t: int) -> str:
        return _label(self.week_start, self.interval, t)

    @property
    def days(self) -> list[dt.date]:
        return week_days(self.week_start)


def pool_of(employee: Employee) -> str:
    """Employees in one pool are interchangeable for coverage: same role and skills."""
    if employee.role is Role.AGENT:
        return "agent:" + ";".join(sorted(employee.skills))
    return employee.role.value


@dataclass(slots=True)
class RosterVars:
    """Decision variables.

    - `shift[(employee_id, k)]`: employee works option k of `options[employee_id]`;
    - `works[(employee_id, day)]`: employee works on day index `day` (at most one shift);
    - `brk[(employee_id, day)][minute]`: the day's lunch starts at that week minute;
    - `short[(employee_id, day, i)][minute]`: the day's paid short break i (0: the first, 1:
      the one after the lunch) starts at that week minute;
    - `has_lunch[(employee_id, day)]`: the day's shift has its lunch (made by the short-break
      rule where a day has both);
    - `on_duty[(pool, t)]`: pool members working and not on break in interval t;
    - `alloc[(pool, queue_id, t)]`: of those, agents serving queue_id in interval t;
    - `overtime[(employee_id, after_hours)]`: paid minutes beyond an overtime threshold;
    - `week_cost[employee_id]`: the employee's week in cents (see `scheduler.roster.cost`);
    - `scope_cells[(queue_id, t)]`: under a day or week service-level scope, the calls the
      queue answers in time in interval t and the agents serving it (None where nobody
      can), made by `scheduler.roster.sl_scope`.
    """

    model: cp_model.CpModel
    options: dict[str, list[ShiftOption]]
    employees: dict[str, Employee]
    mult: list[float]  # premium multiplier of every minute of the week
    shift: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    works: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    brk: dict[tuple[str, int], dict[int, cp_model.IntVar]] = field(default_factory=dict)
    short: dict[tuple[str, int, int], dict[int, cp_model.IntVar]] = field(default_factory=dict)
    has_lunch: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    on_duty: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    alloc: dict[tuple[str, str, int], cp_model.IntVar] = field(default_factory=dict)
    overtime: dict[tuple[str, float], cp_model.IntVar] = field(default_factory=dict)
    week_cost: dict[str, cp_model.IntVar] = field(default_factory=dict)
    scope_cells: dict[tuple[str, int], tuple[cp_model.IntVar, cp_model.IntVar | None]] = field(
        default_factory=dict)

    def options_on(self, employee_id: str, day: int) -> list[tuple[int, ShiftOption]]:
        return [(k, o) for k, o in enumerate(self.options[employee_id]) if o.day == day]


def build_vars(model: cp_model.CpModel, problem: RosterProblem) -> RosterVars:
    """Create the variables: shifts, work days, lunches, short breaks, on-duty counts."""
    workbook = problem.workbook
    mult = minute_multipliers(workbook, problem.week_start)
    v = RosterVars(
        model=model,
        options={
            e.employee_id: employee_options(workbook, e, problem.week_start, mult)
            for e in workbook.employees
        },
        employees={e.employee_id: e for e in workbook.employees},
        mult=mult,
    )
    for eid, options in v.options.items():
        for k, option in enumerate(options):
            v.shift[eid, k] = model.new_bool_var(f"shift[{eid},{option.day},{k}]")
        for day in range(7):
            on_day = v.options_on(eid, day)
            works = model.new_bool_var(f"works[{eid},{day}]")
            # At most one shift a day: `works` is a 0/1 sum of the day's options.
            model.add(works == sum(v.shift[eid, k] for k, _ in on_day))
            v.works[eid, day] = works
            v.brk[eid, day] = {
                minute: model.new_bool_var(f"break[{eid},{day},{minute}]")
                for minute in sorted({b for _, o in on_day for b in o.break_starts})
            }
            for i in range(max((len(o.short_break_starts) for _, o in on_day), default=0)):
                starts = {m for _, o in on_day if len(o.short_break_starts) > i
                          for m in o.short_break_starts[i]}
                v.short[eid, day, i] = {
                    minute: model.new_bool_var(f"short_break[{eid},{day},{i},{minute}]")
                    for minute in sorted(starts)
                }
    _build_on_duty(v, problem)
    return v


def _build_on_duty(v: RosterVars, problem: RosterProblem) -> None:
    """on_duty[p, t] by a running sum: +1 where a shift or break ends, -1 where one starts.

    Each option enters two equations (its start and its end) instead of one per interval
    it covers, which keeps the model sparse. Lunches and paid short breaks both take the
    employee off duty for every interval they touch.
    """
    interval = problem.interval
    events: dict[str, defaultdict[int, list[tuple[int, cp_model.IntVar]]]] = {}
    covered: dict[str, set[int]] = defaultdict(set)
    for eid, options in v.options.items():
        pool = pool_of(v.employees[eid])
        pool_events = events.setdefault(pool, defaultdict(list))
        for k, o in enumerate(options):
            a, b = o.start // interval, o.end // interval
            pool_events[a].append((1, v.shift[eid, k]))
            pool_events[b].append((-1, v.shift[eid, k]))
            covered[pool].update(range(a, b))
    breaks = [(eid, v.options[eid][0].break_minutes, starts)
              for (eid, _), starts in v.brk.items() if starts]
    breaks += [(eid, v.options[eid][0].short_break_minutes, starts)
               for (eid, _, _), starts in v.short.items() if starts]
    for eid, length, starts in breaks:
        pool_events = events[pool_of(v.employees[eid])]
        for minute, var in starts.items():
            pool_events[minute // interval].append((-1, var))
            pool_events[-(-(minute + length) // interval)].append((1, var))
    members: defaultdict[str, int] = defaultdict(int)
    for e in v.employees.values():
        members[pool_of(e)] += 1
    for pool, ts in covered.items():
        for t in sorted(ts):
            n = v.model.new_int_var(0, members[pool], f"on_duty[{pool},{problem.label(t)}]")
            previous = v.on_duty.get((pool, t - 1), 0)
            change = sum(sign * var for sign, var in events[pool].get(t, []))
            v.model.add(n == previous + change)
            v.on_duty[pool, t] = n


@functools.lru_cache(maxsize=65536)
def _label(week_start: dt.date, interval: int, t: int) -> str:
    """"Sun 29-11 08:00": names the model's variables (cached: every sub-model of the greedy
    start names the same intervals)."""
    return week_minute_to_datetime(week_start, t * interval).strftime("%a %d-%m %H:%M")


def week_minute_to_datetime(week_start: dt.date, minute: int) -> dt.datetime:
    return dt.datetime.combine(week_start, dt.time()) + dt.timedelta(minutes=minute)


__all__ = ["DAY", "RosterProblem", "RosterVars", "build_vars", "pool_of"]
