"""Free agent time: agents on duty that every queue-set row can spare, when and with which
skills."""

from __future__ import annotations

import dataclasses
import datetime as dt

from scheduler.roster import RosterProblem, Week, free_time
from scheduler.roster.free_time import free_agents
from tests.conftest import WEEK, agent
from tests.roster.harness import MON, problem, t_of, workbook

AB = frozenset({"A", "B"})
STAFF = (agent("E1", skills=("A",)), agent("E2", skills=("A",)), agent("E3", skills=("B",)),
         agent("E4", skills=("A", "B")))


def _week(*ts: int) -> Week:
    return Week(shifts=set(), breaks=set(), on_duty=dict.fromkeys(ts, 1), alloc={})


def _case() -> tuple[RosterProblem, dict[str, Week], int, int]:
    """Everyone on duty Mon 10:00 and 10:30. At 10:00 A needs 2, B 1, {A, B} 3; at 10:30
    A needs 1, B 1 and the pair 1 (a row A's own implies)."""
    t1, t2 = t_of(MON, "10:00"), t_of(MON, "10:30")
    wb = workbook(employees=STAFF)
    p = dataclasses.replace(
        problem(wb, {("A", t1): 2, ("B", t1): 1, ("A", t2): 1, ("B", t2): 1}),
        pooled_required={(AB, t1): 3, (AB, t2): 1})
    return p, {e.employee_id: _week(t1, t2) for e in STAFF}, t1, t2


def test_the_agents_no_row_needs_are_free_fewest_skills_first() -> None:
    p, weeks, t1, t2 = _case()
    free = free_agents(p, weeks)
    # 10:00: A has 3 (E1, E2, E4) for 2, B 2 (E3, E4) for 1, the pair 4 for 3: one A
    # specialist can go (E1); then A is at its need, so E2 and E4 stay, and E3 is B's last
    # spare but the pair would drop to 2 of 3 without it.
    assert [e.employee_id for e in free[t1]] == ["E1"]
    # 10:30: A needs 1 and B 1: E1 and E2 go (A keeps E4), then E3 goes (B keeps E4).
    assert [e.employee_id for e in free[t2]] == ["E1", "E2", "E3"]


def test_free_time_sums_hours_by_day_skills_and_clock_hour() -> None:
    p, weeks, _, _ = _case()
    free = free_time(p, weeks)
    assert free is not None
    # 30-minute intervals: 1 + 3 agents free, 4 + 4 on duty.
    assert free.agent_hours == 2.0
    assert free.on_duty_hours == 4.0
    assert free.by_day == {(WEEK + dt.timedelta(days=1)).isoformat(): 2.0}
    assert free.by_skills == {"A": 1.5, "B": 0.5}
    # One run for the clock hour 10:00-11:00, one agent free at 10:00 and three at 10:30.
    (span,) = free.spans
    assert (span.start.time(), span.end.time()) == (dt.time(10), dt.time(11))
    assert (span.fewest, span.most, span.agent_hours) == (1, 3, 2.0)


def test_no_free_time_without_coverage_by_queue_sets() -> None:
    p, weeks, _, _ = _case()
    per_queue = dataclasses.replace(p, pooled_required={})
    assert free_time(per_queue, weeks) is None
