"""The roster's start and its bound: the week-cost floor, the greedy's order, the polish."""

from __future__ import annotations

import dataclasses
import math
import os
import signal
import threading
from collections import defaultdict

import pytest
from ortools.sat.python import cp_model

from inputs.domain import Employee, Role
from scheduler.roster import construct
from scheduler.roster import solve as solve_module
from scheduler.roster.construct import construct_hint, scarcity, solve_group
from scheduler.roster.cost import add_cost, least_week_cents
from scheduler.roster.hint import Week, apply_hint
from scheduler.roster.model import RosterProblem, build_vars
from scheduler.roster.order import after_whom, order_of
from scheduler.roster.penalty import AGENT_SHORT_CENTS, Penalty
from scheduler.roster.polish import polish
from scheduler.roster.rules import RULES
from scheduler.roster.shifts import ShiftOption, employee_options, minute_multipliers
from scheduler.roster.solve import SolverSettings, solve_roster
from tests.roster.harness import CONTRACT, MON, SUN, TUE, problem, t_of, workbook


def option(start: int, end: int, cost: int, lunch: tuple[int, ...] = ()) -> ShiftOption:
    return ShiftOption(day=0, start=start, end=end, break_minutes=30, break_starts=lunch,
                       cost_cents=cost)


def test_week_floor_is_the_cheapest_paid_minute_times_the_minimum_hours() -> None:
    # 8 h with a 30-min lunch that saves 450: (5400 - 450) / 450 paid min = 11.0 a minute;
    # 4 h without: 2760 / 240 = 11.5. Forty hours at 11.0: 26,400.
    options = [option(0, 480, 5400, lunch=(240, 270)), option(600, 840, 2760)]
    saved = {240: 450, 270: 300}
    assert least_week_cents(options, saved, 2400) == 26_400
    assert least_week_cents(options, saved, 0) == 0  # no minimum hours: no floor


def small(agents: int = 6, minimum_hours: float = 0) -> RosterProblem:
    """Agents on A, on B and on both, with a morning need on A and an evening need on B."""
    contract = dataclasses.replace(CONTRACT, min_weekly_hours=minimum_hours, max_days=3)
    skills = [("A",), ("B",), ("A", "B")]
    staff = tuple(Employee(employee_id=f"E{i}", name=f"E{i}", role=Role.AGENT, team="T",
                           contract_id="C", hourly_cost=50 + i, skills=skills[i % 3])
                  for i in range(agents))
    need: dict[tuple[str, int], int] = {}
    for day in (SUN, MON, TUE):
        for t in range(t_of(day, "08:00"), t_of(day, "13:00")):
            need["A", t] = 2
        for t in range(t_of(day, "14:00"), t_of(day, "19:00")):
            need["B", t] = 2
    return problem(workbook(contract, employees=staff), need)


def objective_parts(p: RosterProblem, weeks: dict[str, Week]) -> tuple[int, int]:
    """The roster the weeks make, fixed in the full model: (cost cents, agents short)."""
    model = cp_model.CpModel()
    v = build_vars(model, p)
    penalties: list[Penalty] = [x for rule in RULES for x in rule.add(model, v, p)]
    cost = add_cost(model, v, p)
    model.minimize(cost + sum(x.weight * x.var for x in penalties))
    apply_hint(model, v, p, weeks, penalties)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE), "hint is not a roster"
    short = sum(solver.value(x.var) for x in penalties if x.rule == "queue_coverage")
    return solver.value(cost), short


def tally(p: RosterProblem, weeks: dict[str, Week]) -> tuple[int, int]:
    covered: defaultdict[tuple[str, int], int] = defaultdict(int)
    for week in weeks.values():
        for key, n in week.alloc.items():
            covered[key] += n
    short = sum(max(n - covered[key], 0) for key, n in p.queue_required.items())
    return sum(w.cost for w in weeks.values()), short


def test_the_solver_bound_starts_from_every_contract_minimum() -> None:
    p = small(agents=3, minimum_hours=8)
    model = cp_model.CpModel()
    v = build_vars(model, p)
    for rule in RULES:
        rule.add(model, v, p)
    model.minimize(add_cost(model, v, p))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    # Each agent's cheapest 8 h are four 4-hour shifts without a lunch, at (50 + i) an hour.
    floors = [v.week_cost[f"E{i}"].proto.domain[0] for i in range(3)]
    assert floors == [40_000, 40_800, 41_600]
    assert solver.objective_value >= sum(floors)


def test_groups_wait_only_for_earlier_groups_that_share_a_queue() -> None:
    a, b, ab, a2 = (Employee(employee_id=f"E{i}", name="x", role=Role.AGENT, team="T",
                             contract_id="C", hourly_cost=50, skills=s)
                    for i, s in enumerate([("A",), ("B",), ("A", "B"), ("A",)]))
    assert after_whom([(a,), (b,), (ab,), (a2,)]) == [set(), set(), {0, 1}, {0, 2}]


def test_a_queue_few_can_serve_weighs_more_in_the_greedy() -> None:
    weights = scarcity(small())
    # A and B need the same hours; each has 2 specialists and shares 2 generalists: even.
    assert weights == {"A": pytest.approx(1.0), "B": pytest.approx(1.0)}
    p = small()
    p = dataclasses.replace(p, queue_required={k: n * (3 if k[0] == "B" else 1)
                                               for k, n in p.queue_required.items()})
    weights = scarcity(p)
    assert weights["A"] == pytest.approx(1.0)
    assert weights["B"] == pytest.approx(1.5)  # 3/4 of the need over 1/2 of the supply


def test_the_greedy_is_the_same_on_one_thread_or_two() -> None:
    p = small()
    one, two = construct_hint(p, threads=1), construct_hint(p, threads=2)
    assert one is not None and two is not None
    assert {e: (w.shifts, w.breaks, w.alloc) for e, w in one.items()} == {
        e: (w.shifts, w.breaks, w.alloc) for e, w in two.items()}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_polish_never_makes_the_roster_worse_and_keeps_it_legal(seed: int) -> None:
    p = small()
    weeks = construct_hint(p, seed=seed)
    assert weeks is not None
    polished, _ = polish(p, weeks, seed=seed, passes=2)
    cost, short = tally(p, weeks)
    new_cost, new_short = tally(p, polished)
    assert new_cost + AGENT_SHORT_CENTS * new_short <= cost + AGENT_SHORT_CENTS * short
    # What the weeks say they cost and cover is what the full model scores them at.
    assert objective_parts(p, polished) == (new_cost, new_short)


def test_ctrl_c_while_the_model_is_built_stops_the_greedy_start_too(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(solve_module, "build_vars", interrupted)
    with pytest.raises(KeyboardInterrupt):
        solve_roster(small(), SolverSettings(time_limit_s=10))
    assert not [t for t in threading.enumerate() if t.name == "greedy-start"]


def test_two_of_one_pool_solved_together_each_get_their_own_share_of_the_queue() -> None:
    p = small()
    twins = (p.workbook.employees[0], p.workbook.employees[3])  # both on queue A only
    found = solve_group(p, twins, dict(p.queue_required), {}, seed=0, time_limit_s=2.0)
    assert found is not None
    a, b = (found[e.employee_id] for e in twins)
    for week in (a, b):
        assert set(week.alloc.values()) == {1}, "one person serves one queue at a time"
        assert all(week.on_duty.get(t) for (_, t) in week.alloc), "serves while off duty"
    both = [k for k in a.alloc if k in b.alloc]
    assert both, "the two never serve A at the same time: the need of 2 is not met"
    assert tally(p, found)[1] == sum(
        max(n - a.alloc.get(k, 0) - b.alloc.get(k, 0), 0)
        for k, n in p.queue_required.items() if k[0] == "A") + sum(
        n for k, n in p.queue_required.items() if k[0] == "B")


def test_one_worker_and_a_seed_give_the_same_roster_twice() -> None:
    settings = SolverSettings(time_limit_s=5, workers=1, seed=3)
    first, second = (solve_roster(small(), settings) for _ in range(2))
    assert first.roster is not None and second.roster is not None
    assert first.stats["polish_better"] == second.stats["polish_better"]
    assert first.roster.assignments == second.roster.assignments
    assert first.cost == second.cost


def test_progress_starts_with_the_polished_first_roster_and_counts_from_the_step_start(
) -> None:
    heard: list[tuple[float, float, float]] = []
    result = solve_roster(small(), SolverSettings(time_limit_s=5, workers=1),
                          lambda *line: heard.append(line))
    polishing = [line for line in heard if math.isnan(line[2])]
    searching = [line for line in heard if not math.isnan(line[2])]
    assert polishing, "no line while the first roster is polished"
    # Each polishing line scores the roster as the search does; it only gets better.
    scores = [objective for _, objective, _ in polishing]
    assert scores == sorted(scores, reverse=True)
    assert searching[0][1] <= scores[-1] + 0.01  # the search starts from the polished roster
    # Seconds count from the start of the roster step, through the polish and the search: they
    # never go back. How far the last line runs past the time limit is wall-clock, so it is
    # measured by bench/roster/progress.py, not asserted here.
    times = [elapsed for elapsed, _, _ in heard]
    assert times[0] >= 0 and times == sorted(times)
    assert result.roster is not None


def test_ctrl_c_while_the_first_roster_is_polished_returns_it() -> None:
    sent: list[float] = []

    def ctrl_c_while_polishing(elapsed: float, best: float, bound: float) -> None:
        if not sent and math.isnan(bound):
            sent.append(best)
            os.kill(os.getpid(), signal.SIGINT)

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        result = solve_roster(small(agents=9), SolverSettings(time_limit_s=60, workers=1),
                              ctrl_c_while_polishing)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert sent and result.stats["interrupted"] == 1
    assert result.stats["roster_from"] == "greedy start"
    assert result.roster is not None and result.roster.assignments
    assert "Interrupted (Ctrl-C) before the search" in result.explanation[0]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler restored


def test_ctrl_c_before_the_greedy_has_a_roster_gives_up_at_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[bool] = []
    monkeypatch.setattr(solve_module, "build_vars",
                        lambda *a: built.append(True) or construct.build_vars(*a))
    real = construct.solve_group_retrying

    sent: list[bool] = []

    def ctrl_c_in_the_greedy(*args: object, **kwargs: object) -> object:
        if not sent:  # one Ctrl-C, at the first group
            sent.append(True)
            os.kill(os.getpid(), signal.SIGINT)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(construct, "solve_group_retrying", ctrl_c_in_the_greedy)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            solve_roster(small(), SolverSettings(
                time_limit_s=60, workers=1))
    finally:
        signal.signal(signal.SIGINT, previous)
    assert not built, "the full model was built after Ctrl-C, for nothing"


def test_a_queue_nobody_can_serve_weighs_the_most() -> None:
    p = small()
    p = dataclasses.replace(p, queue_required=p.queue_required | {("C", t_of(SUN, "09:00")): 1})
    weights = scarcity(p)
    assert weights["C"] == 3.0  # SCARCITY_CAP
    assert weights["A"] == weights["B"] == pytest.approx(1.0)


def paid_hours(p: RosterProblem, weeks: dict[str, Week]) -> dict[str, float]:
    mult = minute_multipliers(p.workbook, p.week_start)
    return {e.employee_id: sum(employee_options(p.workbook, e, p.week_start, mult)[k]
                               .paid_minutes for k in weeks[e.employee_id].shifts) / 60
            for e in p.workbook.employees}


def test_the_greedy_keeps_near_the_minimum_and_the_polish_adds_where_short() -> None:
    """Three agents, 8 h minimum, 60 h maximum, and 60 agent-hours of need: the greedy gives
    each at most the minimum plus the headroom (the rest of the need would otherwise go to
    whoever comes first); the polish then lets them work longer where queues are short."""
    p = small(agents=3, minimum_hours=8)
    weeks = construct_hint(p)
    assert weeks is not None
    hours = paid_hours(p, weeks)
    assert all(8 <= h <= 8 + construct.GREEDY_HEADROOM_H for h in hours.values()), hours
    polished, _ = polish(p, weeks, passes=2)
    assert max(paid_hours(p, polished).values()) > 8 + construct.GREEDY_HEADROOM_H
    assert tally(p, polished)[1] < tally(p, weeks)[1]


def test_where_no_week_fits_the_headroom_the_greedy_uses_the_contract_in_full() -> None:
    """Only 9-hour shifts (8.5 h paid) and a 9 h minimum: two shifts (17 h) are the least
    legal week, beyond 9 h + the headroom, so the greedy takes the contract's own 60 h."""
    contract = dataclasses.replace(CONTRACT, min_weekly_hours=9, min_shift_hours=9,
                                   max_shift_hours=9)
    assert 9 + construct.GREEDY_HEADROOM_H < 17
    p = problem(workbook(contract), {("A", t_of(SUN, "08:00")): 1})
    weeks = construct_hint(p)
    assert weeks is not None
    assert paid_hours(p, weeks) == {"E1": 17.0}


def _on(t: int, alloc: dict[tuple[str, int], int] | None = None) -> Week:
    return Week(shifts={7}, breaks={(0, 600)}, on_duty={t: 1}, alloc=alloc or {}, cost=123)


def test_re_allocation_covers_first_then_shows_the_spare() -> None:
    from scheduler.roster.allocation import cover_most

    t = t_of(SUN, "09:00")
    staff = (Employee(employee_id="X", name="X", role=Role.AGENT, team="T", contract_id="C",
                      hourly_cost=50, skills=("A",)),
             Employee(employee_id="XY", name="XY", role=Role.AGENT, team="T", contract_id="C",
                      hourly_cost=50, skills=("A", "B")),
             Employee(employee_id="L", name="L", role=Role.SHIFT_LEAD, team="T",
                      contract_id="C", hourly_cost=50))
    book = workbook(CONTRACT, employees=staff)
    # The greedy gave the two-skilled agent A first: B is short, the A-only agent idle.
    weeks = {"X": _on(t), "XY": _on(t, {("A", t): 1}), "L": _on(t)}
    both = cover_most(problem(book, {("A", t): 1, ("B", t): 1}), weeks)
    assert (both["X"].alloc, both["XY"].alloc) == ({("A", t): 1}, {("B", t): 1})
    # B needs nobody: A gets its one, and the other agent is shown on A as spare.
    spare = cover_most(problem(book, {("A", t): 1}), weeks)
    assert (spare["X"].alloc, spare["XY"].alloc) == ({("A", t): 1}, {("A", t): 1})
    # Shifts, breaks, costs and the lead's week are as they were; the input is untouched.
    assert both["L"] is weeks["L"] and weeks["XY"].alloc == {("A", t): 1}
    assert all((both[e].shifts, both[e].breaks, both[e].on_duty, both[e].cost)
               == (weeks[e].shifts, weeks[e].breaks, weeks[e].on_duty, weeks[e].cost)
               for e in weeks)


def test_re_allocation_gives_a_queue_no_more_than_it_needs_from_one_skill_group() -> None:
    from scheduler.roster.allocation import cover_most

    t = t_of(SUN, "09:00")
    staff = tuple(Employee(employee_id=f"E{i}", name=f"E{i}", role=Role.AGENT, team="T",
                           contract_id="C", hourly_cost=50, skills=("A",)) for i in range(3))
    weeks = {e.employee_id: _on(t) for e in staff}
    out = cover_most(problem(workbook(CONTRACT, employees=staff), {("A", t): 2}), weeks)
    assert sorted(len(w.alloc) for w in out.values()) == [0, 1, 1]


def test_pooled_agents_take_turns_by_skill_set_and_go_in_batches() -> None:
    def a(i: int, *skills: str) -> Employee:
        return Employee(employee_id=f"E{i}", name="x", role=Role.AGENT, team="T",
                        contract_id="C", hourly_cost=50, skills=skills)
    staff = (a(0, "A"), a(1, "A"), a(2, "A"), a(3, "B"), a(4, "A", "B"))
    assert [g[0].employee_id for g in order_of(staff)] == ["E0", "E1", "E2", "E3", "E4"]
    order = order_of(staff, pooled=True)
    # Among single-skill agents, A and B take turns; each skill set keeps its own order.
    assert [g[0].employee_id for g in order] == ["E0", "E3", "E1", "E2", "E4"]
    # Two to a batch: a batch waits for the batches before it, not for its own members.
    assert after_whom(order, pooled=True) == [set(), set(), {0, 1}, {0, 1}, {0, 1, 2, 3}]
