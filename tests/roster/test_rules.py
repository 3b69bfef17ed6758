"""Each roster rule alone on a tiny instance: a case that breaks it and a case that does not."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from ortools.sat.python import cp_model

from inputs.domain import (
    Availability,
    Employee,
    FixedShift,
    Premium,
    PremiumKind,
    Role,
)
from scheduler.roster import rules
from scheduler.roster.model import RosterVars, build_vars
from scheduler.roster.result import SolveStatus
from scheduler.roster.solve import SolverSettings, solve_roster
from tests.conftest import WEEK
from tests.roster.harness import (
    CONTRACT,
    MON,
    SUN,
    THU,
    TUE,
    WED,
    feasible,
    problem,
    t_of,
    workbook,
    works,
)


def test_at_most_one_shift_a_day_is_built_in() -> None:
    p = problem(workbook())
    assert not feasible(p, set(), works((SUN, "08:00", 4), (SUN, "14:00", 4)))
    assert feasible(p, set(), works((SUN, "08:00", 4), (MON, "14:00", 4)))


def test_availability() -> None:
    off = (Availability(employee_id="E1", date=WEEK + dt.timedelta(days=MON)),
           Availability(employee_id="E1", weekday=1, start_min=8 * 60, end_min=12 * 60))  # Tue
    p = problem(workbook(availability=off))
    assert not feasible(p, {"availability"}, works((MON, "10:00", 4)))
    assert not feasible(p, {"availability"}, works((TUE, "11:00", 4)))  # overlaps 11–12
    assert feasible(p, {"availability"}, works((TUE, "12:00", 4), (WED, "08:00", 4)))


def test_weekly_hours() -> None:
    p = problem(workbook(dataclasses.replace(CONTRACT, min_weekly_hours=10, max_weekly_hours=12)))
    exactly = lambda *s: lambda m, v: (works(*s)(m, v), m.add(sum(v.works.values()) == len(s)))  # noqa: E731
    assert not feasible(p, {"weekly_hours"}, exactly((SUN, "08:00", 9)))  # 8.5 h paid < 10
    assert not feasible(p, {"weekly_hours"}, exactly((SUN, "08:00", 7), (MON, "08:00", 6)))
    assert feasible(p, {"weekly_hours"}, exactly((SUN, "08:00", 6), (MON, "08:00", 5)))


def test_max_days() -> None:
    p = problem(workbook(dataclasses.replace(CONTRACT, max_days=2)))
    assert not feasible(p, {"max_days"}, works((SUN, "08:00", 4), (TUE, "08:00", 4),
                                              (THU, "08:00", 4)))
    assert feasible(p, {"max_days"}, works((SUN, "08:00", 4), (THU, "08:00", 4)))


def test_max_consecutive_days() -> None:
    p = problem(workbook(dataclasses.replace(CONTRACT, max_consecutive_days=2)))
    run = [(d, "08:00", 4) for d in (SUN, MON, TUE)]
    assert not feasible(p, {"consecutive_days"}, works(*run))
    assert feasible(p, {"consecutive_days"}, works((SUN, "08:00", 4), (MON, "08:00", 4),
                                                   (WED, "08:00", 4), (THU, "08:00", 4)))


def test_min_rest() -> None:
    p = problem(workbook(dataclasses.replace(CONTRACT, min_rest_hours=14)))
    # 19:00 to 08:00 is 13 h of rest; to 09:00 is 14 h.
    assert not feasible(p, {"min_rest"}, works((SUN, "11:00", 8), (MON, "08:00", 4)))
    assert feasible(p, {"min_rest"}, works((SUN, "11:00", 8), (MON, "09:00", 4)))


def test_breaks() -> None:
    p = problem(workbook())

    def no_break(model: cp_model.CpModel, v: RosterVars) -> None:
        works((SUN, "08:00", 8))(model, v)
        model.add(sum(v.brk["E1", SUN].values()) == 0)

    assert not feasible(p, {"breaks"}, no_break)
    assert feasible(p, {"breaks"}, works((SUN, "08:00", 8)))
    assert feasible(p, {"breaks"}, works((SUN, "08:00", 6)))  # 6 h: no break needed

    def late_break(model: cp_model.CpModel, v: RosterVars) -> None:
        works((SUN, "08:00", 8))(model, v)
        model.add(v.brk["E1", SUN][SUN * 1440 + 13 * 60 + 30] == 1)  # 5.5 h in: too late

    assert not feasible(p, {"breaks"}, late_break)


def test_skills_and_queue_coverage_penalties() -> None:
    """Ann knows queue A only: she can cover A's need, never B's."""
    t = t_of(SUN, "10:00")
    for queue, short in (("A", 0), ("B", 1)):
        p = problem(workbook(), queue_required={(queue, t): 1})
        model = cp_model.CpModel()
        v = build_vars(model, p)
        rules.add_skills(model, v, p)
        penalties = rules.add_queue_coverage(model, v, p)
        assert len(penalties) == 1
        model.minimize(sum(x.var for x in penalties))
        solver = cp_model.CpSolver()
        assert solver.solve(model) == cp_model.OPTIMAL
        assert solver.value(penalties[0].var) == short


def test_role_coverage_counts_only_that_role_off_break() -> None:
    lead = Employee(employee_id="L1", name="Lea", role=Role.SHIFT_LEAD, team="T",
                    contract_id="C", hourly_cost=80)
    t = t_of(SUN, "10:00")
    for staff, short in (((lead,), 0), ((), 1)):
        wb = workbook(employees=(*workbook().employees, *staff))
        p = problem(wb, role_required={(Role.SHIFT_LEAD, t): 1})
        model = cp_model.CpModel()
        v = build_vars(model, p)
        penalties = rules.add_role_coverage(model, v, p)
        model.minimize(sum(x.var for x in penalties))
        solver = cp_model.CpSolver()
        assert solver.solve(model) == cp_model.OPTIMAL
        assert solver.value(penalties[0].var) == short


def test_cost_optimum_worked_by_hand() -> None:
    """5 h a week at 60/h: cheapest is one 5-hour shift (no break) on a non-premium day: 300.

    With every day but Friday blocked, the shift must be on Friday at x1.5: 450.
    """
    wb = workbook(dataclasses.replace(CONTRACT, min_weekly_hours=5, max_weekly_hours=5),
                  premiums=(Premium(name="Fri", kind=PremiumKind.DAY, weekday=4, multiplier=1.5),))
    result = solve_roster(problem(wb), SolverSettings(time_limit_s=10, workers=1))
    assert result.status is SolveStatus.OPTIMAL
    assert result.cost == pytest.approx(300.0)
    assert result.bound == pytest.approx(300.0)
    blocked = tuple(Availability(employee_id="E1", date=WEEK + dt.timedelta(days=d))
                    for d in (SUN, MON, TUE, WED, THU))
    friday = solve_roster(problem(dataclasses.replace(wb, availability=blocked)),
                          SolverSettings(time_limit_s=10, workers=1))
    assert friday.cost == pytest.approx(450.0)
    assert friday.roster is not None
    assert [a.day.weekday() for a in friday.roster.assignments] == [4]


def test_overtime_premium_worked_by_hand() -> None:
    """12 h needed, overtime x1.25 after 10 h: 12 h at 60 plus 2 h at 15 extra = 750."""
    wb = workbook(dataclasses.replace(CONTRACT, min_weekly_hours=12, max_weekly_hours=12),
                  premiums=(Premium(name="OT", kind=PremiumKind.OVERTIME, after_hours=10,
                                    multiplier=1.25),))
    result = solve_roster(problem(wb), SolverSettings(time_limit_s=10, workers=1))
    assert result.cost == pytest.approx(750.0)


def test_an_employee_who_cannot_reach_the_contract_minimum_is_infeasible_with_reason() -> None:
    blocked = tuple(Availability(employee_id="E1", date=WEEK + dt.timedelta(days=d))
                    for d in (SUN, MON, TUE, WED, THU))
    wb = workbook(dataclasses.replace(CONTRACT, min_weekly_hours=20), availability=blocked)
    result = solve_roster(problem(wb), SolverSettings(time_limit_s=10, workers=1))
    assert result.status is SolveStatus.INFEASIBLE
    assert result.roster is None
    assert result.explanation == (
        "E1 (Ann) can work at most 8.5 h this week (opening hours, availability and contract "
        "C's shift limits) but contract C needs at least 20 h — lower the minimum, move the "
        "time off, or change the contract",
    )


def test_rules_are_listed_hard_before_soft_with_labels() -> None:
    kinds = [r.hard for r in rules.RULES]
    assert kinds == sorted(kinds, reverse=True)
    assert all(r.label[0].isupper() for r in rules.RULES)


def test_ctrl_c_during_the_search_keeps_the_best_roster_so_far() -> None:
    import os
    import signal
    import time

    staff = tuple(Employee(employee_id=f"E{k}", name=f"N{k}", role=Role.AGENT, team="T",
                           contract_id="C", hourly_cost=60 + k, skills=("A",))
                  for k in range(8))
    p = problem(workbook(employees=staff),
                {("A", t_of(d, f"{h:02d}:00") + half): 3
                 for d in range(6) for h in range(8, 19) for half in (0, 1)})
    sent: list[float] = []

    def ctrl_c_at_first_roster(elapsed: float, best: float, bound: float) -> None:
        if not sent and bound == bound:  # a search line (the polish's have a NaN bound)
            sent.append(elapsed)
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1.0)  # the search is still running when the main thread gets Ctrl-C

    started = time.monotonic()
    # As in an interactive shell (a background job may have inherited SIGINT ignored).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        result = solve_roster(p, SolverSettings(time_limit_s=60, workers=1, seed=0),
                              ctrl_c_at_first_roster)
    finally:
        signal.signal(signal.SIGINT, previous)

    assert sent and result.stats["interrupted"] == 1
    assert result.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    assert result.roster is not None and result.roster.assignments
    assert time.monotonic() - started < 30


def test_rules_that_contradict_for_one_employee_are_named() -> None:
    # 50 h needs all six open days (5 x 8.5 h is 42.5 h), which leaves no 60 h rest: the
    # capacity precheck (which knows nothing of weekly rest) lets it through, the solver
    # finds it infeasible, and the deletion filter names exactly these two rules.
    contract = dataclasses.replace(CONTRACT, min_weekly_hours=50, weekly_rest_hours=60)
    result = solve_roster(problem(workbook(contract)), SolverSettings(time_limit_s=20,
                                                                      workers=1))
    assert result.status is SolveStatus.INFEASIBLE
    labels = {r.rule_id: r.label for r in rules.RULES}
    assert result.explanation[1] == (
        f"E1 (Ann), contract C: '{labels['weekly_hours']}' and '{labels['weekly_rest']}' "
        "cannot all hold this week — change one of them for this employee (Contracts, "
        "Availability or FixedShifts)")
    assert len(result.explanation) == 2


def test_a_shortfall_line_says_how_many_could_work_then_and_what_would_close_it() -> None:
    from scheduler.roster.explain import describe_shortfalls
    from scheduler.roster.result import Shortfall

    sunday_9 = dt.datetime(2026, 11, 29, 9, 0)
    short = [Shortfall(what="A", interval_start=sunday_9 + dt.timedelta(minutes=30 * i),
                       required=3, scheduled=1) for i in range(4)]
    wb = workbook()
    assert describe_shortfalls(short, wb, 30, WEEK) == [
        "Sun 29-11 09:00–11:00 Alpha (A): up to 2 agents short (3 needed, 1 scheduled); only "
        "1 agent with the skill can work then: 2 more would close it"]
    off = Availability(employee_id="E1", date=WEEK, start_min=0, end_min=1440)
    assert describe_shortfalls(short[:1], dataclasses.replace(wb, availability=(off,)), 30,
                               WEEK)[0].endswith(
        "only 0 agents with the skill can work then: 3 more would close it")
    # Before the contract's earliest start (08:00) nobody can work.
    early = Shortfall(what="A", interval_start=dt.datetime(2026, 11, 29, 7, 0), required=1,
                      scheduled=0)
    assert "up to 1 agent short (1 needed, 0 scheduled); only 0 agents" in describe_shortfalls(
        [early], wb, 30, WEEK)[0]


def test_a_shortfall_line_does_not_count_a_fixed_day_off_or_hours_outside_a_fixed_shift(
) -> None:
    from scheduler.roster.explain import describe_shortfalls
    from scheduler.roster.result import Shortfall

    sunday_9 = dt.datetime(2026, 11, 29, 9, 0)
    short = [Shortfall(what="A", interval_start=sunday_9, required=3, scheduled=1)]
    wb = workbook()
    day_off = FixedShift(employee_id="E1", date=WEEK, off=True)
    assert describe_shortfalls(short, dataclasses.replace(wb, fixed_shifts=(day_off,)), 30,
                               WEEK)[0].endswith("only 0 agents with the skill can work then: "
                                                 "3 more would close it")
    # A fixed 12:00-18:00 shift that Sunday: not there at 09:00, there at 13:00.
    noon = FixedShift(employee_id="E1", date=WEEK, start_min=720, end_min=1080)
    fixed = dataclasses.replace(wb, fixed_shifts=(noon,))
    assert "only 0 agents" in describe_shortfalls(short, fixed, 30, WEEK)[0]
    later = [dataclasses.replace(short[0], interval_start=sunday_9.replace(hour=13))]
    assert "only 1 agent with the skill" in describe_shortfalls(later, fixed, 30, WEEK)[0]
    # The fixed day off is Sunday's alone: Monday counts the agent again.
    monday = [dataclasses.replace(short[0], interval_start=sunday_9 + dt.timedelta(days=1))]
    assert "only 1 agent with the skill" in describe_shortfalls(
        monday, dataclasses.replace(wb, fixed_shifts=(day_off,)), 30, WEEK)[0]


def test_a_re_solve_starts_from_the_earlier_roster() -> None:
    # Two agents and a one-interval need on Monday; a second interval is then raised (as
    # --verify does). The re-solve starts from the first roster's hint: no greedy start, and
    # it ends at the same optimum a cold solve reaches.
    second = Employee(employee_id="E2", name="Bo", role=Role.AGENT, team="T", contract_id="C",
                      hourly_cost=70, skills=("A",))
    wb = workbook(employees=(workbook().employees[0], second))
    need = {("A", t_of(MON, "10:00")): 1}
    first = solve_roster(problem(wb, need), SolverSettings(time_limit_s=10, workers=1))
    assert first.status is SolveStatus.OPTIMAL and set(first.hint) == {"E1", "E2"}
    raised = need | {("A", t_of(MON, "10:00")): 2}
    warm = solve_roster(problem(wb, raised), SolverSettings(time_limit_s=10, workers=1),
                        start=first.hint)
    cold = solve_roster(problem(wb, raised), SolverSettings(time_limit_s=10, workers=1))
    assert warm.status is SolveStatus.OPTIMAL
    # No greedy start and no polish for the warm one (a timing would be flaky: the cold
    # greedy on two agents takes a few hundredths of a second).
    assert warm.stats["start_s"] == 0.0 and "polish_s" not in warm.stats
    assert "polish_s" in cold.stats
    assert warm.cost == cold.cost == pytest.approx(4 * 60 + 4 * 70)  # a 4-h shift each


def test_without_a_roster_from_the_search_the_greedy_start_is_returned(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # As when Ctrl-C comes, or the time runs out, before CP-SAT reports any roster.
    from scheduler.check.core import check_roster
    from scheduler.roster import solve as solve_module

    def no_roster_yet(solver: cp_model.CpSolver, model: cp_model.CpModel,
                      watcher: object) -> tuple[int, bool]:
        solver.solve(cp_model.CpModel())  # an empty solve: timings to read, no roster
        return cp_model.UNKNOWN, True

    monkeypatch.setattr(solve_module, "solve_interruptibly", no_roster_yet)
    wb = workbook()
    need = {("A", t_of(d, f"{h:02d}:00")): 1 for d in range(5) for h in (9, 10, 11)}
    result = solve_roster(problem(wb, need), SolverSettings(time_limit_s=10, workers=1))
    assert result.status is SolveStatus.FEASIBLE
    assert result.stats["roster_from"] == "greedy start" and result.bound is None
    assert result.roster is not None and len(result.roster.assignments) == 5
    assert result.shortfalls == ()  # the greedy week covers 09:00-12:00 every weekday
    assert check_roster(wb, result.roster, allocation=result.allocation) == []
    assert result.explanation[0].startswith("The search found no roster within the time")


def test_one_worker_and_a_seed_give_the_same_roster_twice() -> None:
    staff = tuple(Employee(employee_id=f"E{i}", name=f"N{i}", role=Role.AGENT, team="T",
                           contract_id="C", hourly_cost=60 + i, skills=("A",))
                  for i in range(1, 4))
    p = problem(workbook(employees=staff),
                {("A", t_of(d, f"{h:02d}:00") + half): 2
                 for d in range(2) for h in range(8, 19) for half in (0, 1)})
    settings = SolverSettings(time_limit_s=2, workers=1, seed=3)
    first, second = solve_roster(p, settings), solve_roster(p, settings)
    assert first.roster is not None and first.roster.assignments
    assert first.roster == second.roster
    assert first.cost == second.cost
