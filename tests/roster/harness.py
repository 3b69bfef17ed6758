"""The harness for testing roster rules alone: a tiny instance, forced shifts, and a solve.

A rule test builds a problem, forces some shifts (`works`) and asks whether any roster
satisfies only the rules under test (`feasible`), or which penalty lines the cheapest one
charges (`charged`). Days are counted from the week's Sunday (SUN = 0).
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from ortools.sat.python import cp_model

from inputs.domain import Contract, OpeningSpan, Queue, Role, Roster, Workbook
from scheduler.roster.model import RosterProblem, RosterVars, build_vars
from scheduler.roster.rules import RULES, RuleFn
from tests.conftest import ALPHA, WEEK, small_workbook

SUN, MON, TUE, WED, THU, FRI, SAT = range(7)
CONTRACT = Contract(
    contract_id="C", min_weekly_hours=0, max_weekly_hours=60, max_days=7, min_shift_hours=4,
    max_shift_hours=9, earliest_start=8 * 60, latest_end=19 * 60, max_consecutive_days=7,
    min_rest_hours=8, break_minutes=30, break_after_hours=6, break_window_start_h=3,
    break_window_end_h=5, shift_step_minutes=60,
)
OPEN = tuple(OpeningSpan(weekday=d, open_min=8 * 60, close_min=19 * 60) for d in (6, 0, 1, 2, 3, 4))

Force = Callable[[cp_model.CpModel, RosterVars], None]


def workbook(contract: Contract = CONTRACT, opening_hours: tuple[OpeningSpan, ...] = OPEN,
             **changes: object) -> Workbook:
    """Agent E1 on queue A (of A and B), open 08:00-19:00 Sunday to Thursday, 30-min intervals."""
    return small_workbook(contract, interval_minutes=30, opening_hours=opening_hours,
                          queues=(ALPHA, Queue(queue_id="B", name="Beta")), **changes)


def problem(wb: Workbook, queue_required: dict[tuple[str, int], int] | None = None,
            role_required: dict[tuple[Role, int], int] | None = None, *,
            previous: Roster | None = None) -> RosterProblem:
    return RosterProblem(workbook=wb, week_start=WEEK, queue_required=queue_required or {},
                         role_required=role_required or {}, previous=previous)


def hhmm(text: str) -> int:
    h, m = map(int, text.split(":"))
    return h * 60 + m


def t_of(day: int, clock: str, interval: int = 30) -> int:
    """The interval index of a clock time on a day of the week."""
    return (day * 1440 + hhmm(clock)) // interval


def shift_var(v: RosterVars, eid: str, day: int, start: str, hours: float) -> cp_model.IntVar:
    """The one shift variable of `eid` starting at `start` on `day` and lasting `hours`."""
    begin = day * 1440 + hhmm(start)
    found = [v.shift[eid, k] for k, o in enumerate(v.options[eid])
             if o.start == begin and o.end == begin + round(hours * 60)]
    assert len(found) <= 1, f"{len(found)} options {eid} day {day} {start} {hours} h"
    if not found:
        raise AssertionError(f"no option {eid} day {day} {start} {hours} h")
    return found[0]


def works(*shifts: tuple[int, str, float], eid: str = "E1", only: bool = False) -> Force:
    """Force these (day, start, hours) shifts; with `only`, no other working day for `eid`."""
    def force(model: cp_model.CpModel, v: RosterVars) -> None:
        for day, start, hours in shifts:
            model.add(shift_var(v, eid, day, start, hours) == 1)
        if only:
            model.add(sum(v.works[eid, d] for d in range(7)) == len(shifts))
    return force


def both(*forces: Force) -> Force:
    def force(model: cp_model.CpModel, v: RosterVars) -> None:
        for f in forces:
            f(model, v)
    return force


def feasible(p: RosterProblem, rules: RuleFn | Collection[str], force: Force) -> bool:
    """Only the given rules (and at most one shift a day) plus `force`: is there a roster?

    `rules` is one hard rule's function, which must charge nothing, or rule ids from the
    registry, added in its order.
    """
    model = cp_model.CpModel()
    v = build_vars(model, p)
    if callable(rules):
        assert rules(model, v, p) == []
    else:
        for rule in RULES:
            if rule.rule_id in rules:
                rule.add(model, v, p)
    force(model, v)
    return cp_model.CpSolver().solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def charged(p: RosterProblem, rule: RuleFn, force: Force) -> list[str]:
    """The soft rule's broken lines, cheapest roster under `force`, as the Rule report says them."""
    model = cp_model.CpModel()
    v = build_vars(model, p)
    penalties = rule(model, v, p)
    force(model, v)
    model.minimize(sum(x.weight * x.var for x in penalties))
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    return [x.text.format(n=n) for x in penalties if (n := solver.value(x.var)) > 0]

