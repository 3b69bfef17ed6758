"""`wfm simulate DIR`: a finished plan folder simulated, exact error text and exit codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cli import main
from inputs import write_workbook
from inputs.domain import (
    Assignment,
    Center,
    Contract,
    CoverageRule,
    Employee,
    OpeningSpan,
    Queue,
    Role,
    Roster,
    Workbook,
)
from outputs.csvs import write_forecast_csv, write_shifts_csv
from scheduler.plan import Plan
from scheduler.roster.result import SolveResult, SolveStatus
from tests.conftest import WEEK
from tests.summaries import summary_for


def _workbook() -> Workbook:
    staff = tuple(Employee(employee_id=f"A{k}", name=f"Agent {k}", role=Role.AGENT, team="T",
                           contract_id="C", hourly_cost=50, skills=("Q",)) for k in range(6))
    lead = Employee(employee_id="L1", name="Lead", role=Role.SHIFT_LEAD, team="T",
                    contract_id="C", hourly_cost=80)
    return Workbook(
        center=Center(name="Mini"),
        opening_hours=(OpeningSpan(weekday=6, open_min=8 * 60, close_min=12 * 60),),
        queues=(Queue(queue_id="Q", name="Questions", escalation_rate=0.1,
                      escalation_handle_s=300),),
        employees=(*staff, lead),
        contracts=(Contract(contract_id="C", min_weekly_hours=0, max_weekly_hours=40,
                            max_days=5, min_shift_hours=4, max_shift_hours=9),),
        coverage=(CoverageRule(role=Role.SHIFT_LEAD, min_on_duty=1),),
    )


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny finished plan folder: 6 agents and a lead for 4 hours of 20 calls a quarter."""
    folder = tmp_path_factory.mktemp("plan")
    workbook = _workbook()
    start = dt.datetime.combine(WEEK, dt.time(8))
    roster = Roster(week_start=WEEK, assignments=tuple(
        Assignment(employee_id=e.employee_id, day=WEEK, start=start,
                   end=start + dt.timedelta(hours=4), paid_hours=4, cost=4 * e.hourly_cost)
        for e in workbook.employees))
    stamps = pd.date_range(start, periods=16, freq="15min")
    forecast = pd.DataFrame({"queue": "Q", "interval_start": stamps, "calls": 20.0,
                             "calls_lo": 15.0, "calls_hi": 25.0, "aht_s": 180.0})
    result = SolveResult(status=SolveStatus.OPTIMAL, roster=roster, cost=1.0, bound=1.0, gap=0.0)
    plan = Plan(workbook=workbook, week_start=WEEK, forecast=forecast,
                requirements=pd.DataFrame(), role_requirements=pd.DataFrame(),
                result=result, summary=summary_for(workbook, WEEK, result))
    (folder / "inputs").mkdir()
    write_workbook(workbook, folder / "inputs" / "workbook.xlsx")
    write_shifts_csv(plan, folder / "shifts.csv")
    write_forecast_csv(plan, folder / "forecast.csv")
    return folder


def test_simulate_prints_queue_and_overall_levels_with_intervals(plan_dir: Path) -> None:
    as_json = CliRunner().invoke(main, ["simulate", str(plan_dir), "--replications", "4",
                                        "--seed", "2", "--json"])
    assert as_json.exit_code == 0, as_json.output
    entry = json.loads(as_json.stdout)
    assert entry["replications"] == 4 and entry["seed"] == 2
    assert 250 < entry["overall"]["offered"] < 390  # 16 quarters x 20 calls
    # Same seed, same figures, in words; the plan folder is left alone.
    result = CliRunner().invoke(main, ["simulate", str(plan_dir), "--replications", "4",
                                       "--seed", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("Simulated week of 2026-11-29 (4 replications, seed 2); target 80% "
                        "within 60 s")
    assert lines[1].startswith("  Q        ") and "(95% CI " in lines[1]
    assert lines[2].startswith("  overall  ")
    assert lines[3].startswith("  leads    ") and "transfers)" in lines[3]
    assert f"{entry['overall']['service_level']:.1%}" in lines[2]
    assert sorted(p.name for p in plan_dir.iterdir()) == ["forecast.csv", "inputs", "shifts.csv"]


def test_a_folder_that_is_not_a_plan_is_exit_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["simulate", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.output == (f"error: {tmp_path / 'nope'}: no such plan folder — pass the "
                             f"folder `wfm plan --out` wrote\n")
    result = CliRunner().invoke(main, ["simulate", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (f"error: {tmp_path}: not a complete plan folder, missing "
                             f"inputs/workbook.xlsx, shifts.csv, forecast.csv — pass the folder "
                             f"`wfm plan --out` wrote\n")


def test_a_broken_shifts_file_is_exit_1_with_the_line(plan_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "inputs").mkdir()
    (broken / "inputs" / "workbook.xlsx").write_bytes(
        (plan_dir / "inputs" / "workbook.xlsx").read_bytes())
    (broken / "forecast.csv").write_bytes((plan_dir / "forecast.csv").read_bytes())
    text = (plan_dir / "shifts.csv").read_text().replace("A3,", "A33,", 1)
    (broken / "shifts.csv").write_text(text)
    result = CliRunner().invoke(main, ["simulate", str(broken)])
    assert result.exit_code == 1
    assert result.output.startswith("error: shifts.csv line 5 (employee_id): 'A33' is not in "
                                    "the workbook's Employees sheet — known: A0, A1")


def test_replications_must_be_positive(plan_dir: Path) -> None:
    result = CliRunner().invoke(main, ["simulate", str(plan_dir), "--replications", "0"])
    assert result.exit_code == 2
    assert "Invalid value for '--replications'" in result.output
