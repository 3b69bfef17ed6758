"""Outputs stage: write a finished weekly plan to a plan folder, atomically (all files or none).

The folder's file and column names are an interface other tools read (DESIGN.md "Outputs"):
``roster.xlsx``, ``shifts.csv``, ``forecast.csv``, ``requirements.csv``, ``summary.json``,
``report.html`` (the manager's report, outputs/report_html.py), ``inputs/`` (copies of the
files the plan was made from), ``schedules/`` (each employee's week on one printable page,
outputs/schedules.py) and ``calendars/`` (an .ics per employee and per team,
outputs/calendars.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from outputs import calendars, csvs, folder, report_html, roster_xlsx, schedules
from scheduler.plan import Plan

__all__ = ["PlanWriter", "write_plan"]

PlanWriter = Callable[[Plan, Path], None]  # writes more files into the plan folder it is given


def write_plan(plan: Plan, out_dir: Path, *, extra_writers: Sequence[PlanWriter] = (),
               report: bool = True) -> Path:
    """Write every output of a plan into `out_dir`: all files or none, never half a folder.

    An existing `out_dir` is replaced only when it is a previous wfm plan folder or empty.

    Args:
        plan: the finished plan.
        out_dir: the plan folder to create or replace.
        extra_writers: more writers whose files join the same atomic folder; each gets the
            plan and the folder being built (after the report, so one may replace it).
        report: write ``report.html`` (the default); False leaves it out.

    Returns:
        `out_dir`.

    Raises:
        InputError: `out_dir` exists and is not a wfm plan folder (nothing is written), or an
            input file to copy is gone.
    """

    def build(target: Path) -> None:
        roster_xlsx.write_roster_xlsx(plan, target / "roster.xlsx")
        csvs.write_shifts_csv(plan, target / "shifts.csv")
        csvs.write_forecast_csv(plan, target / "forecast.csv")
        csvs.write_requirements_csv(plan.requirements, target / "requirements.csv")
        folder.copy_inputs(plan.inputs, target / "inputs")
        schedules.write_schedules(plan, target / "schedules")
        calendars.write_calendars(plan, target / "calendars")
        if report:
            report_html.write_report_into(plan, target)
        for writer in extra_writers:
            writer(plan, target)
        csvs.write_summary_json(plan, target / folder.PLAN_MARKER)

    return folder.write_folder_atomically(Path(out_dir), build)
