"""A demo-sized plan without the solver: the demo workbook and a roster the product made.

tests/data/demo-shifts.csv is the shifts.csv of `wfm demo --time-limit 30` (2026-11-29, 471
shifts of 94 staff in 7 teams), so the printouts are tested at the size HR prints them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from inputs.demo import DEMO_WEEK, demo_workbook
from inputs.plan_files import read_shifts_csv
from scheduler.plan import Plan
from scheduler.roster.result import SolveResult, SolveStatus
from tests.summaries import summary_for

DEMO_SHIFTS = Path(__file__).parents[1] / "data" / "demo-shifts.csv"


def demo_plan() -> Plan:
    """The demo week with the recorded roster; the tables no printout reads are empty."""
    workbook = demo_workbook()
    roster = read_shifts_csv(DEMO_SHIFTS, workbook, DEMO_WEEK)
    empty = pd.DataFrame()
    result = SolveResult(status=SolveStatus.FEASIBLE, roster=roster, cost=None, bound=None,
                         gap=None, allocation=empty, role_on_duty=empty)
    return Plan(workbook=workbook, week_start=DEMO_WEEK, forecast=empty, requirements=empty,
                role_requirements=empty, result=result,
                summary=summary_for(workbook, DEMO_WEEK, result))
