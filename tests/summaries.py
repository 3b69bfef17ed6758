"""Plan summaries for tests that build a Plan by hand (the pipeline builds real ones)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from inputs.domain import Workbook
from scheduler.roster import SolveResult
from scheduler.summary import (
    PlannedAbandonment,
    PlannedServiceLevels,
    PlanSummary,
    ServiceLevelSummary,
    SolveSummary,
)


def summary_for(workbook: Workbook, week_start: dt.date, result: SolveResult,
                **parts: Any) -> PlanSummary:
    """The summary of a plan with `result` and nothing planned; `parts` replace its fields."""
    center = workbook.center
    fields: dict[str, Any] = {
        "center": center.name, "week_start": week_start, "currency": center.currency,
        "solve": SolveSummary(status=result.status.value, cost=result.cost,
                              lower_bound=result.bound, gap=result.gap, seed=center.seed,
                              time_limit_s=center.solver_time_limit_s, workers=1,
                              stats=dict(result.stats)),
        "runtime_s": {},
        "service_level": ServiceLevelSummary(
            target=center.service_level, answer_seconds=center.answer_seconds,
            scope=center.service_level_scope.value,
            planned=PlannedServiceLevels(overall=None, by_queue={})),
        "abandonment": PlannedAbandonment(overall=None, by_queue={}, note=""),
        "shortfalls": tuple(result.shortfalls),
    }  # fmt: skip
    return PlanSummary(**(fields | parts))
