"""What the `wfm` commands print beyond the plan summary, and the plan folder they read back.

The commands in cli.py only parse options, call the pipeline and print these lines; the
formatting and the plan folder's layout live here so each command stays a short recipe.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inputs import read_workbook
from inputs.capacity import weekly_hours
from inputs.domain import Employee, InputError, Roster, Workbook
from inputs.history import HistorySummary, history_summary
from inputs.plan_files import read_forecast_csv, read_shifts_csv
from inputs.writer import write_file_atomically
from outputs.console import requirements_lines, simulated_level_text, workbook_lines

if TYPE_CHECKING:
    import pandas as pd

    from forecasts import WeekForecast
    from inputs.workbook import WorkbookCheck


def read_plan_folder(folder: Path) -> tuple[Workbook, Roster, pd.DataFrame]:
    """A finished plan read back, as `wfm simulate` takes it: its workbook, its roster and its
    forecast; raise InputError naming what is missing or wrong.
    """
    workbook_path, shifts_path, forecast_path = _plan_files(folder)
    workbook = read_workbook(workbook_path)
    roster = read_shifts_csv(shifts_path, workbook)
    return workbook, roster, read_forecast_csv(forecast_path,
                                               [q.queue_id for q in workbook.queues])


def _plan_files(folder: Path) -> tuple[Path, Path, Path]:
    """A plan folder must hold its workbook, shifts and forecast, or an InputError names
    what is missing.

    Returns:
        inputs/workbook.xlsx, shifts.csv and forecast.csv inside `folder`.
    """
    if not folder.is_dir():
        raise InputError(f"{folder}: no such plan folder — pass the folder `wfm plan --out` wrote")
    files = (folder / "inputs" / "workbook.xlsx", folder / "shifts.csv", folder / "forecast.csv")
    missing = [str(f.relative_to(folder)) for f in files if not f.is_file()]
    if missing:
        raise InputError(f"{folder}: not a complete plan folder, missing {', '.join(missing)} — "
                         f"pass the folder `wfm plan --out` wrote")
    return files


def read_rosters_to_compare(old: Path, new: Path) -> tuple[Roster, Roster, dict[str, Employee]]:
    """`wfm diff`'s two rosters of one week, and every employee either plan names.

    Each of `old` and `new` is a plan folder or a shifts.csv (e.g. the roster published last
    time); the employees come from the plan folders' inputs/workbook.xlsx, so at least one
    must be a plan folder.

    Raises:
        InputError: a path is missing, neither is a plan folder, a file is bad, or the two
            rosters are of different weeks.
    """
    workbooks = [read_workbook(p / "inputs" / "workbook.xlsx") for p in (new, old)
                 if p.is_dir() and (p / "inputs" / "workbook.xlsx").is_file()]
    for path in (old, new):
        if not path.exists():
            raise InputError(f"{path}: no such plan folder or shifts.csv — pass the folder "
                             "`wfm plan --out` wrote, or a shifts.csv")
    if not workbooks:
        raise InputError(f"{new}: not a plan folder — at least one of OLD and NEW must be the "
                         "folder `wfm plan --out` wrote (its inputs/workbook.xlsx names the "
                         "employees)")
    people: dict[str, Employee] = {}
    for workbook in workbooks:
        people |= {e.employee_id: e for e in workbook.employees if e.employee_id not in people}
    everyone = dataclasses.replace(workbooks[0], employees=tuple(people.values()))
    rosters = [read_shifts_csv(p / "shifts.csv" if p.is_dir() else p, everyone)
               for p in (old, new)]
    if rosters[0].assignments and rosters[1].assignments and \
            rosters[0].week_start != rosters[1].week_start:
        raise InputError(f"{old} is the week of {rosters[0].week_start} and {new} of "
                         f"{rosters[1].week_start} — wfm diff compares two rosters of one "
                         "week; pass the roster published for the same week")
    return rosters[0], rosters[1], people


def fmt(value: object, spec: str) -> str:
    """A missing number (None or NaN) prints as n/a, any other in `spec`."""
    return "n/a" if value is None or value != value else format(value, spec)


def history_line(history: Path, s: HistorySummary) -> str:
    """`wfm validate`'s one line on a history that read cleanly."""
    return (f"{history}: OK — {s.rows:,} rows, {len(s.queues)} queues, "
            f"{s.first_interval:%Y-%m-%d %H:%M} to {s.last_interval:%Y-%m-%d %H:%M}, "
            f"{s.days} days, {s.total_offered:,.0f} calls")


def validate_lines(path: Path, check: WorkbookCheck, week_start: dt.date,
                   history: Path | None, frame: pd.DataFrame | None) -> list[str]:
    """`wfm validate`'s report: the workbook summary, a warning for each person who cannot
    reach their contract's minimum that week, the reader's notes, and the history's line."""
    hours = weekly_hours(check.workbook, week_start)
    lines = workbook_lines(path, check.workbook, week_start, hours)
    lines += [f"  warning: {hour.message()}" for hour in hours if hour.short]
    lines += [f"  {note.removeprefix(f'{path.name}: ')}" for note in check.notes]
    if history is not None and frame is not None:
        lines.append(history_line(history, history_summary(frame)))
    return lines


def requirements_report(out: Path, week_start: dt.date, table: pd.DataFrame,
                        roles: pd.DataFrame, interval_minutes: int) -> list[str]:
    """`wfm requirements`' report: the file's totals, then per queue and lead role the
    calls, staff-hours needed and the peak."""
    hours = table["required_agents"].sum() * interval_minutes / 60
    return [f"Requirements written to {out}: week of {week_start}, "
            f"{table['queue'].nunique()} queues, {table['calls'].sum():,.0f} calls, "
            f"{hours:,.1f} agent-hours on duty",
            *requirements_lines(table, roles, interval_minutes)]


def write_forecast_csv(out: Path, forecast: pd.DataFrame) -> pd.DataFrame:
    """`wfm forecast`'s file, written atomically with interval_start as plain text; returns
    the table as written."""
    table = forecast.assign(
        interval_start=forecast["interval_start"].dt.strftime("%Y-%m-%d %H:%M:%S"))
    write_file_atomically(out, lambda tmp: table.to_csv(tmp, index=False))
    return table


def forecast_lines(out: Path, table: pd.DataFrame, days: int, week: WeekForecast) -> list[str]:
    """`wfm forecast`'s report: the file's totals, then each queue's model and backtest."""
    lines = [f"Forecast written to {out}: {table['queue'].nunique()} queues, {days} days, "
             f"{table['calls'].sum():,.0f} calls"]
    for report in week.models:
        wape = "n/a" if report.wape is None else f"{report.wape:.3f}"
        base = "n/a" if report.baseline_wape is None else f"{report.baseline_wape:.3f}"
        lines.append(f"  {report.queue_id}: {report.model} (backtest WAPE {wape}, "
                     f"seasonal naive {base})")
    return lines


def backtest_lines(table: pd.DataFrame) -> list[str]:
    """`wfm backtest`'s table: per queue and model the scores; `*` marks the one selected."""
    lines = [f"{'queue':<12} {'model':<28} {'WAPE':>7} {'MASE':>6} {'band':>6} "
             f"{'fit s':>7} {'weeks':>5}"]
    for row in table.itertuples(index=False):
        mark = "*" if row.selected else " "
        lines.append(f"{row.queue:<12} {mark}{row.model:<27} {fmt(row.wape, '.3f'):>7} "
                     f"{fmt(row.mase, '.2f'):>6} {fmt(row.band_coverage, '.0%'):>6} "
                     f"{row.fit_s:>7.3f} {row.weeks:>5}")
    return lines


def simulate_lines(entry: dict[str, Any], workbook: Workbook, week_start: dt.date,
                   replications: int, seed: int) -> list[str]:
    """`wfm simulate`'s report: the target, then the simulated level per queue, overall and
    of the transfers to the shift leads (when there were any)."""
    width = max([7, *(len(q) for q in entry["by_queue"])])
    lines = [f"Simulated week of {week_start} ({replications} replications, "
             f"seed {seed}); target {workbook.center.service_level:.0%} within "
             f"{workbook.center.answer_seconds} s"]
    for queue_id, level in entry["by_queue"].items():
        lines.append(f"  {queue_id:<{width}}  {simulated_level_text(level)}")
    lines.append(f"  {'overall':<{width}}  {simulated_level_text(entry['overall'])}")
    escalations = entry["escalations"]
    if escalations["offered"]:
        lines.append(f"  {'leads':<{width}}  {simulated_level_text(escalations)}  "
                     f"({escalations['offered']:.0f} transfers)")
    return lines
