"""Coverage by queue sets: an agent on duty answers every queue they are skilled in."""

from __future__ import annotations

import dataclasses

from ortools.sat.python import cp_model

from inputs.domain import Queue
from scheduler.roster.model import RosterProblem, build_vars, pool_of
from scheduler.roster.penalty import AGENT_SHORT_CENTS
from scheduler.roster.pooled import coverage_cells, linear_credit, pooled_short, uses_pooled
from scheduler.roster.rules import RULES
from scheduler.staffing import QueueLoad, pooled_requirements, queue_required_agents, queue_sets
from tests.conftest import agent
from tests.roster.harness import MON, Force, problem, t_of, workbook, works

AB = frozenset({"A", "B"})


def _two_queue_problem(pooled: dict[tuple[frozenset[str], int], int],
                       ) -> tuple[RosterProblem, int]:
    """E1 holds A and B; at Mon 10:00 each queue needs 1 agent and together they need 1."""
    wb = workbook(employees=(agent("E1", skills=("A", "B")),))
    t = t_of(MON, "10:00")
    return dataclasses.replace(problem(wb, {("A", t): 1, ("B", t): 1}),
                               pooled_required=pooled), t


def _cheapest_shortfall(p: RosterProblem, force: Force) -> int:
    model = cp_model.CpModel()
    v = build_vars(model, p)
    penalties = [pen for rule in RULES for pen in rule.add(model, v, p)]
    force(model, v)
    model.minimize(sum(pen.weight * pen.var for pen in penalties))
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    return sum(solver.value(pen.var) for pen in penalties)


def test_one_agent_with_two_skills_covers_both_queues_when_pooled() -> None:
    p, _ = _two_queue_problem({(AB, t_of(MON, "10:00")): 1})
    assert uses_pooled(p)
    on_monday = works((MON, "08:00", 8.0))
    assert _cheapest_shortfall(p, on_monday) == 0
    # One queue per agent: the same shift leaves one of the two queues a whole agent short.
    per_queue = dataclasses.replace(p, pooled_required={})
    assert _cheapest_shortfall(per_queue, on_monday) == 1


def test_a_set_needing_more_than_its_pools_hold_is_short_by_the_difference() -> None:
    p, _ = _two_queue_problem({(AB, t_of(MON, "10:00")): 3})
    assert _cheapest_shortfall(p, works((MON, "08:00", 8.0))) == 2


def test_rows_implied_by_a_smaller_set_are_left_out() -> None:
    p, t = _two_queue_problem({(AB, t_of(MON, "10:00")): 1})
    assert set(coverage_cells(p)) == {(frozenset("A"), t), (frozenset("B"), t)}
    p2, _ = _two_queue_problem({(AB, t): 2})
    assert coverage_cells(p2)[AB, t] == 2


def test_hinted_shortfall_counts_every_agent_with_a_skill_in_the_set() -> None:
    p, t = _two_queue_problem({(AB, t_of(MON, "10:00")): 3})
    model = cp_model.CpModel()
    v = build_vars(model, p)
    penalties = [pen for rule in RULES for pen in rule.add(model, v, p)]
    pool = next(pool for pool, _ in v.on_duty)
    short = pooled_short(penalties, {(pool, t): 1}, p)
    by_what = {penalties[i].what: n for i, n in short.items()}
    assert by_what == {"A": 0, "B": 0, "A+B": 2}


def _load(queue_id: str, calls: float, aht: float = 300.0) -> QueueLoad:
    return QueueLoad(queue=Queue(queue_id=queue_id, name=queue_id), calls=calls, aht_s=aht)


def test_a_pooled_set_needs_fewer_agents_than_its_queues_apart() -> None:
    loads = {("A", 0): _load("A", 20), ("B", 0): _load("B", 20)}
    alone = [int(queue_required_agents(x.queue, calls=[x.calls], aht_s=[x.aht_s],
                                       interval_s=900)[0]) for x in loads.values()]
    both = pooled_requirements(loads, [AB], interval_s=900, shrinkage=0.0)[AB, 0]
    assert max(alone) < both < sum(alone)
    # Two identical queues pooled need what one queue with both loads needs.
    one = int(queue_required_agents(loads["A", 0].queue, calls=[40], aht_s=[300.0],
                                    interval_s=900)[0])
    assert both == one


def test_the_family_holds_queues_skill_sets_groups_and_the_center() -> None:
    wb = dataclasses.replace(
        workbook(employees=(agent("E1", skills=("A", "B")), agent("E2", skills=("C",)))),
        queues=(Queue(queue_id="A", name="A"), Queue(queue_id="B", name="B"),
                Queue(queue_id="C", name="C")))
    assert queue_sets(wb) == [frozenset("A"), frozenset("B"), frozenset("C"), AB,
                              frozenset("ABC")]


def _rows_cost(cells: dict[tuple[frozenset[str], int], int], on: dict[str, int],
               skills: dict[str, tuple[str, ...]]) -> int:
    """The explicit rows' shortfall cents when each agent in `on` is on duty (1) or not."""
    return sum(AGENT_SHORT_CENTS * max(need - sum(on[e] for e, held in skills.items()
                                                  if not s.isdisjoint(held)), 0)
               for (s, _), need in cells.items())


def test_a_row_the_group_cannot_overfill_becomes_a_credit_per_agent_on_duty() -> None:
    # Both agents hold A; B and the pair {A, B} are held by E1 alone among them.
    e1, e2 = agent("E1", skills=("A", "B")), agent("E2", skills=("A",))
    cells = {(frozenset("A"), 0): 1, (frozenset("B"), 0): 1, (AB, 0): 2,
             (frozenset("A"), 1): 3}
    rows, credit = linear_credit(cells, (e1, e2), {})
    # A at t=0 needs 1 but two agents can fill it: its row stays; the rest are linear.
    assert rows == {(frozenset("A"), 0): 1}
    p1, p2 = pool_of(e1), pool_of(e2)
    assert credit == {(p1, 0): 2 * AGENT_SHORT_CENTS, (p2, 0): AGENT_SHORT_CENTS,
                      (p1, 1): AGENT_SHORT_CENTS, (p2, 1): AGENT_SHORT_CENTS}
    # The rows kept plus the credit price every choice of who is on duty as the rows did,
    # up to one constant.
    skills = {p1: e1.skills, p2: e2.skills}
    offsets = set()
    for on1 in (0, 1):
        for on2 in (0, 1):
            on = {p1: on1, p2: on2}
            kept = _rows_cost(rows, on, skills) - sum(
                cents * on[pool] for (pool, _), cents in credit.items())
            offsets.add(_rows_cost(cells, on, skills) - kept)
    assert len(offsets) == 1


def test_one_agent_keeps_no_coverage_row() -> None:
    e1 = agent("E1", skills=("A", "B"))
    rows, credit = linear_credit({(frozenset("A"), 0): 1, (AB, 0): 4}, (e1,), {"A": 2.0})
    assert rows == {}
    assert credit == {(pool_of(e1), 0): 3 * AGENT_SHORT_CENTS}  # A weighs twice (scarcity)
