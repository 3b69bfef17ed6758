"""One polishing pass over the greedy first roster: each week re-chosen against the rest.

The greedy fixes each employee's week before it knows who comes after, so early weeks
cover hours that later ones would have covered anyway. The pass takes each employee in
the greedy's order, alone, gives back what their week covers, and solves their week again
against what everyone else now covers, starting from the week they have. The new week is
kept when it costs less in pay plus shortfall, the two things the full objective weighs
most; the full solve then prices the soft wishes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from inputs.domain import Employee, Role
from scheduler.construct import (
    Week,
    in_order,
    left_for,
    order_of,
    solve_group,
    take_covered,
)
from scheduler.model import RosterProblem
from scheduler.penalty import AGENT_SHORT_CENTS, ROLE_SHORT_CENTS


def score(employee: Employee, week: Week, queue_left: dict[tuple[str, int], int],
          role_left: dict[tuple[Role, int], int]) -> int:
    """Cents: the week's pay plus the shortfall left in its queues or role when it is
    worked, against what the others leave (its own cover given back)."""
    if employee.role is Role.AGENT:
        short = sum(max(n - week.alloc.get(k, 0), 0) for k, n in queue_left.items() if n > 0)
        return week.cost + AGENT_SHORT_CENTS * short
    short = sum(max(n - week.on_duty.get(t, 0), 0)
                for (role, t), n in role_left.items() if n > 0 and role is employee.role)
    return week.cost + ROLE_SHORT_CENTS * short


def polish(problem: RosterProblem, weeks: dict[str, Week], seed: int = 0, threads: int = 1,
           deadline: float | None = None, cancel: threading.Event | None = None,
           passes: int = 1) -> tuple[dict[str, Week], int]:
    """Up to `passes` passes, until one improves nothing; stops early at `deadline`
    (time.monotonic()) or when `cancel` is set, with every week kept so far.

    Returns:
        The weeks, and how many weeks the passes improved.
    """
    better = 0
    for _ in range(passes):
        weeks, improved = _pass(problem, weeks, seed, threads, deadline, cancel)
        better += improved
        if not improved:
            break
    return weeks, better


def _pass(problem: RosterProblem, weeks: dict[str, Week], seed: int, threads: int,
          deadline: float | None, cancel: threading.Event | None,
          ) -> tuple[dict[str, Week], int]:
    weeks = dict(weeks)
    queue_left = dict(problem.queue_required)
    role_left = dict(problem.role_required)
    take_covered(problem, weeks, queue_left, role_left)
    groups: list[tuple[Employee, ...]] = [
        (e,) for group in order_of(problem.workbook.employees) for e in group]
    better = 0

    def prepare(i: int) -> Callable[[], tuple[Week | None, int, int]]:
        (employee,) = groups[i]
        eid = employee.employee_id
        queues, roles = left_for(groups[i], queue_left, role_left)
        take_covered(problem, {eid: weeks[eid]}, queues, roles, sign=+1)
        old = score(employee, weeks[eid], queues, roles)

        def work() -> tuple[Week | None, int, int]:
            found = solve_group(problem, groups[i], queues, roles, seed,
                                hint={eid: weeks[eid]})
            new = None if found is None else found[eid]
            return new, old, -1 if new is None else score(employee, new, queues, roles)
        return work

    def land(i: int, result: tuple[Week | None, int, int]) -> bool:
        nonlocal better
        new, old, new_score = result
        eid = groups[i][0].employee_id
        if new is not None and new_score < old:
            take_covered(problem, {eid: weeks[eid]}, queue_left, role_left, sign=+1)
            take_covered(problem, {eid: new}, queue_left, role_left)
            weeks[eid] = new
            better += 1
        return True

    def stop() -> bool:
        late = deadline is not None and time.monotonic() > deadline
        return late or (cancel is not None and cancel.is_set())

    in_order(groups, threads, prepare, land, stop)
    return weeks, better
