"""A finished weekly plan: every table the outputs stage writes, in one object."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from inputs.domain import Workbook
from scheduler.roster import SolveResult
from scheduler.summary import PlanSummary


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """One week's plan.

    Tables are long format, one row per (queue or role) x interval of the week:
    - `forecast`: queue, interval_start, calls, calls_lo, calls_hi, aht_s;
    - `requirements`: queue, interval_start, calls, aht_s, required_agents, scheduled_agents,
      expected_service_level (Erlang on scheduled_agents; NaN where no calls are expected);
    - `role_requirements`: role, interval_start, required, on_duty (leads and managers).
    Only open intervals appear in `requirements` and `role_requirements`.
    When the roster was simulated, `requirements` also holds simulated_service_level,
    simulated_sl_lo and simulated_sl_hi (95% confidence interval over replications).
    `history` is the call history the forecast was fitted on (queue, interval_start, offered,
    ...; DESIGN.md history format at the planning interval), for charts of forecast vs history.
    `summary` is what summary.json holds (`PlanSummary.as_dict` lays it out); `inputs` maps a
    file name to the source file copied into the plan's `inputs/` folder.
    """

    workbook: Workbook
    week_start: dt.date
    forecast: pd.DataFrame
    requirements: pd.DataFrame
    role_requirements: pd.DataFrame
    result: SolveResult
    summary: PlanSummary
    history: pd.DataFrame | None = None
    inputs: dict[str, Path] = field(default_factory=dict)
