"""The blank constraint workbook a manager starts from (`wfm template OUT.xlsx`).

It is the writer's workbook with one example row per sheet — an agent, a contract, a queue, a
day off, a shift-lead rule, an evening premium, a surge and a fixed shift — plus the opening
hours of an ordinary week, so the example reads back through `read_workbook` without a problem
and a manager sees every column filled in once. The Center sheet lists every setting.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from inputs.domain import (
    Availability,
    AvailabilityKind,
    Center,
    Contract,
    CoverageRule,
    Employee,
    FixedShift,
    OpeningSpan,
    Premium,
    PremiumKind,
    Queue,
    Role,
    ScenarioRule,
    Workbook,
)
from inputs.writer import write_workbook

SUNDAY, FRIDAY = 6, 4
EXAMPLE_SURGE = (dt.date(2026, 12, 6), dt.date(2026, 12, 17))
EXAMPLE_FIXED = dt.date(2026, 12, 1)  # a Tuesday


def template_workbook() -> Workbook:
    """The example workbook: one row per sheet, the opening hours of a Sunday-to-Friday week.

    The example agent's contract fits those hours, so `wfm validate` passes it with no warning.
    """
    weekdays = (SUNDAY, 0, 1, 2, 3)
    return Workbook(
        center=Center(name="My contact center"),
        opening_hours=(
            *(OpeningSpan(weekday=day, open_min=8 * 60, close_min=19 * 60) for day in weekdays),
            OpeningSpan(weekday=FRIDAY, open_min=8 * 60, close_min=13 * 60),
        ),
        queues=(
            Queue(queue_id="Q1", name="General information", escalation_rate=0.05,
                  escalation_handle_s=600.0),
        ),
        employees=(
            Employee(employee_id="E01", name="Dana Levi", role=Role.AGENT, team="Team 1",
                     contract_id="FT", hourly_cost=55.0, skills=("Q1",)),
        ),
        contracts=(
            Contract(contract_id="FT", min_weekly_hours=36.0, max_weekly_hours=42.0, max_days=5,
                     min_shift_hours=5.0, max_shift_hours=9.0, earliest_start=7 * 60,
                     latest_end=22 * 60, break_window_start_h=3.0, break_window_end_h=5.0,
                     short_break_minutes=15),
        ),
        availability=(
            Availability(employee_id="E01", weekday=FRIDAY, kind=AvailabilityKind.UNAVAILABLE),
        ),
        coverage=(
            CoverageRule(role=Role.SHIFT_LEAD, min_on_duty=1, per_agents=15, answer_seconds=60,
                         service_level=0.8),
        ),
        premiums=(
            Premium(name="Evening", kind=PremiumKind.TIME, multiplier=1.25, start_min=19 * 60,
                    end_min=24 * 60),
        ),
        scenarios=(
            ScenarioRule(queue_id="Q1", start_date=EXAMPLE_SURGE[0], end_date=EXAMPLE_SURGE[1],
                         volume_multiplier=1.5),
        ),
        fixed_shifts=(
            FixedShift(employee_id="E01", date=EXAMPLE_FIXED, start_min=8 * 60,
                       end_min=17 * 60, row=2),
        ),
    )  # fmt: skip


def write_template(path: Path) -> Path:
    """Write the example constraint workbook to `path` (atomically) and return the path.

    Args:
        path: The .xlsx file to create or replace.
    """
    path = Path(path)
    write_workbook(template_workbook(), path)
    return path
