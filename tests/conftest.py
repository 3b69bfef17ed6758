"""What the small test instances share: the week they plan and a builder for their workbook.

Every small instance plans the same week, so a date in one test reads the same in another.
The builder fills what a test does not care about (a center named "t", one agent E1 on
queue A) and takes what it does (the contract, the opening hours, the interval, the staff).
Workbooks that differ in more than these (a full center, extra sheets) stay in their tests.
"""

from __future__ import annotations

import datetime as dt

from inputs.domain import Center, Contract, Employee, OpeningSpan, Queue, Role, Workbook

WEEK = dt.date(2026, 11, 29)  # a Sunday
WEEK_TEXT = WEEK.isoformat()  # as typed after --week
SUNDAY = 6  # WEEK's weekday in OpeningSpan.weekday (Monday is 0)
ALPHA = Queue(queue_id="A", name="Alpha")


def agent(employee_id: str, *, name: str = "Ann", skills: tuple[str, ...] = ("A",),
          contract_id: str = "C", hourly_cost: float = 60, team: str = "T") -> Employee:
    """An agent of team T on `contract_id`; only what a test sets differs between agents."""
    return Employee(employee_id=employee_id, name=name, role=Role.AGENT, team=team,
                    contract_id=contract_id, hourly_cost=hourly_cost, skills=skills)


def small_workbook(*contracts: Contract, opening_hours: tuple[OpeningSpan, ...],
                   interval_minutes: int = 15, queues: tuple[Queue, ...] = (ALPHA,),
                   employees: tuple[Employee, ...] | None = None, center: Center | None = None,
                   **changes: object) -> Workbook:
    """A center named "t" with the given contracts and opening hours, and agent E1 unless the
    test names its staff; `changes` sets any other Workbook field (availability, premiums)."""
    return Workbook(
        center=center or Center(name="t", interval_minutes=interval_minutes),
        opening_hours=opening_hours, queues=queues,
        employees=(agent("E1"),) if employees is None else employees, contracts=contracts,
        **changes,  # type: ignore[arg-type]
    )
