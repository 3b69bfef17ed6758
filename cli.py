"""The `wfm` command: parse arguments, call the pipeline, map errors to exit codes.

Exit codes (DESIGN.md): 0 ok, 1 bad input, 2 usage, 3 no feasible roster, 4 internal error
(the independent checker caught the solver breaking a hard rule: a bug, please report it),
130 interrupted by Ctrl-C before any roster was found (Ctrl-C once the greedy first roster
exists, while it is polished or during the search, keeps the best roster so far and exits 0).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from cli_options import HOLIDAYS, INTERVAL, plan_options, week_inputs
from inputs.domain import InputError

if TYPE_CHECKING:
    from outputs.console import Reporter

EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_INTERNAL, EXIT_INTERRUPTED = 1, 3, 4, 130


def _fail(lines: list[str], code: int) -> NoReturn:
    for line in lines:
        click.echo(f"error: {line}", err=True)
    sys.exit(code)


@contextmanager
def _exit_codes(interrupted: str | None = None) -> Iterator[None]:
    """The one mapping of the library's typed errors to `error:` lines and exit codes.

    InputError exits 1 with its problems; RosterCheckError (the checker caught the solver
    breaking a hard rule) exits 4 with its violations. Ctrl-C exits 130 with `interrupted`
    where a command gives one, and is otherwise left to click, as are usage errors (exit 2).
    """
    try:
        yield
    except InputError as error:
        _fail(error.problems, EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        if interrupted is None:
            raise
        _fail([interrupted], EXIT_INTERRUPTED)
    except Exception as error:
        from scheduler.check import RosterCheckError  # loaded only when something failed
        if not isinstance(error, RosterCheckError):
            raise
        _fail(["internal error: the roster breaks hard rules (please report this bug):",
               *(v.message for v in error.violations)], EXIT_INTERNAL)


def _run_plan(request: Any, out: Path, reporter: Reporter, as_json: bool) -> None:
    """Plan, check and write; every user mistake becomes a message and an exit code (the
    reporter's live solver line is closed after the error lines, as before)."""
    from outputs import write_plan
    from outputs.console import plan_summary_lines
    from outputs.csvs import summary_json
    from scheduler.pipeline import plan_week

    with closing(reporter), _exit_codes(
            interrupted="interrupted before the solver found a roster; nothing was written"):
        plan = plan_week(request, say=reporter.say, progress=reporter.solver)
    if plan.result.roster is None:
        _fail([f"no feasible roster ({plan.result.status.value}); nothing was written",
               *plan.result.explanation], EXIT_INFEASIBLE)
    for line in plan_summary_lines(plan.summary, out):
        reporter.say(line)
    with _exit_codes():
        folder = write_plan(plan, out, extra_writers=[reporter.write_log])
    click.echo(summary_json(plan.summary) if as_json else
               f"Plan written to {folder}/ (roster.xlsx, report.html, summary.json, wfm.log, "
               "schedules/, calendars/)")


@click.group()
@click.version_option(package_name="wfm", prog_name="wfm")
def main() -> None:
    """Plan a contact center's week: forecast, staffing, roster, Excel.

    \b
    Example:
      wfm demo --out plan-demo
    """


@main.command()
@week_inputs
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="Plan folder to write.")
@click.option("--previous", type=click.Path(path_type=Path),
              help="Last week's shifts.csv (or its plan folder): rest, weekly rest, "
                   "consecutive days and fair spread count from it.")
@plan_options
def plan(workbook: Path, history: Path, week: dt.datetime, out: Path, previous: Path | None,
         time_limit: float | None, workers: int | None, seed: int | None, quiet: bool,
         as_json: bool, replications: int, verify_rounds: int) -> None:
    """Plan one week from your workbook and history.

    \b
    Example:
      wfm plan --workbook rules.xlsx --history calls.csv --week 2026-11-29 --out plan-2026-11-29
      wfm plan --workbook rules.xlsx --history calls.csv --week 2026-12-06 \\
               --previous plan-2026-11-29/shifts.csv --out plan-2026-12-06
    """
    from outputs.console import Reporter
    from scheduler.pipeline import PlanRequest

    request = PlanRequest(workbook_path=workbook, history_path=history, week_start=week.date(),
                          time_limit_s=time_limit, workers=workers, seed=seed,
                          replications=replications, verify_rounds=verify_rounds,
                          previous_path=previous)
    _run_plan(request, out, Reporter(quiet), as_json)


@main.command()
@click.option("--out", default=Path("plan-demo"), show_default=True,
              type=click.Path(path_type=Path), help="Plan folder to write.")
@plan_options
def demo(out: Path, time_limit: float | None, workers: int | None, seed: int | None,
         quiet: bool, as_json: bool, replications: int, verify_rounds: int) -> None:
    """Plan a week for the embedded demo center (12 queues, 94 staff).

    The demo's two years of history and its workbook are generated deterministically and
    read back through the same reader as your files; both are copied to OUT/inputs/.

    \b
    Example:
      wfm demo --out plan-demo --time-limit 60
    """
    from inputs.demo import DEMO_WEEK, write_demo
    from outputs.console import Reporter
    from scheduler.pipeline import PlanRequest

    reporter = Reporter(quiet)
    with tempfile.TemporaryDirectory(prefix="wfm-demo-") as folder:
        reporter.say("Generating the demo center: workbook and two years of history")
        workbook, history = write_demo(Path(folder))
        request = PlanRequest(workbook_path=workbook, history_path=history, week_start=DEMO_WEEK,
                              time_limit_s=time_limit, workers=workers, seed=seed,
                              replications=replications, verify_rounds=verify_rounds)
        _run_plan(request, out, reporter, as_json)


@main.command()
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace OUT if it already exists.")
def template(out: Path, force: bool) -> None:
    """Write a constraint workbook to fill in: every sheet, help, drop-downs, an example row.

    \b
    Example:
      wfm template rules.xlsx
      wfm validate --workbook rules.xlsx
    """
    from inputs.template import write_template

    with _exit_codes():
        if out.exists() and not force:
            raise InputError(f"{out}: already exists — choose another name, or pass --force "
                             "to replace it")
        if not out.parent.is_dir():
            raise InputError(f"{out}: folder {out.parent} does not exist — create it first")
    write_template(out)
    click.echo(f"Wrote {out}: fill in every sheet (the Help sheet says how), then run")
    click.echo(f"  wfm validate --workbook {out}")


@main.command()
@click.option("--workbook", required=True, type=click.Path(path_type=Path),
              help="The constraint workbook (.xlsx).")
@click.option("--history", type=click.Path(path_type=Path), help="The call history CSV.")
@click.option("--week", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="First day of the week whose hours to check (default: the next "
                   "Center!week_start from today).")
def validate(workbook: Path, history: Path | None, week: dt.datetime | None) -> None:
    """Check a workbook (and history) without planning, and summarize it.

    Prints employees by role, queues, contracts, and hours available against hours
    contracted for the week; warns about anyone who cannot reach their contract's minimum
    (planning that week would stop with exit code 3). Exit code 1 lists every problem.

    \b
    Example:
      wfm validate --workbook rules.xlsx --history calls.csv --week 2026-11-29
    """
    from inputs.workbook import check_workbook
    from outputs.cli_support import validate_lines
    from scheduler.pipeline import read_week_history, week_to_check

    with _exit_codes():
        check = check_workbook(workbook)
        week_start = week_to_check(check.workbook, week.date() if week else None)
        frame = None if history is None else read_week_history(history, check.workbook)
    for line in validate_lines(workbook, check, week_start, history, frame):
        click.echo(line)


@main.command()
@click.option("--history", required=True, type=click.Path(path_type=Path),
              help="The call history CSV (queue, interval_start, offered[, aht_s]).")
@click.option("--start", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="First day to forecast (YYYY-MM-DD); only history before it is used.")
@click.option("--days", default=7, show_default=True, type=click.IntRange(min=1, max=62),
              help="Number of days to forecast.")
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="Forecast CSV to write (queue, interval_start, calls, calls_lo, calls_hi, "
                   "aht_s).")
@INTERVAL
@HOLIDAYS
def forecast(history: Path, start: dt.datetime, days: int, out: Path, interval: str,
             holiday_country: str | None) -> None:
    """Forecast calls per queue and interval from a history alone (no workbook).

    Opening hours are read off the history; each queue gets the model that did best in a
    one-week-ahead backtest, with an 80% band (calls_lo, calls_hi).

    \b
    Example:
      wfm forecast --history calls.csv --start 2026-11-29 --days 7 --out forecast.csv
      wfm forecast --history calls.csv --start 2026-11-29 --holidays IL --out forecast.csv
    """
    from forecasts import forecast_history
    from inputs import read_history
    from outputs.cli_support import forecast_lines, write_forecast_csv

    minutes = int(interval)
    with _exit_codes():
        frame = read_history(history, interval_minutes=minutes)
        week = forecast_history(frame, start.date(), days, interval_minutes=minutes,
                                holiday_country=holiday_country, source=history.name)
        table = write_forecast_csv(out, week.table)
    for line in forecast_lines(out, table, days, week):
        click.echo(line)


@main.command()
@week_inputs
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="requirements.csv to write (queue, interval_start, calls, aht_s, "
                   "required_agents, scheduled_agents, expected_service_level).")
def requirements(workbook: Path, history: Path, week: dt.datetime, out: Path) -> None:
    """Work out the agents each queue needs per interval, without building a roster.

    The same forecast and staffing as `wfm plan` (Erlang C, or Erlang A where patience is
    known; shrinkage; Center!forecast_quantile). The file has plan's requirements.csv
    columns: scheduled_agents is blank (there is no roster yet) and
    expected_service_level is the service level of exactly the agents required. Prints
    per queue and lead role the calls, staff-hours needed and the peak.

    \b
    Example:
      wfm requirements --workbook rules.xlsx --history calls.csv --week 2026-11-29 \\
        --out requirements.csv
    """
    from inputs.writer import write_file_atomically
    from outputs.cli_support import requirements_report
    from outputs.csvs import write_requirements_csv
    from scheduler.pipeline import requirements_table, week_needs

    with _exit_codes():
        needs = week_needs(workbook, history, week.date(),
                           say=lambda line: click.echo(line, err=True))
        table = requirements_table(needs)
        write_file_atomically(out, lambda tmp: write_requirements_csv(table, tmp))
    for line in requirements_report(out, week.date(), table, needs.roles,
                                    needs.workbook.center.interval_minutes):
        click.echo(line)


@main.command()
@click.option("--history", required=True, type=click.Path(path_type=Path),
              help="The call history CSV (queue, interval_start, offered).")
@click.option("--weeks", default=8, show_default=True, type=click.IntRange(min=1, max=52),
              help="Past weeks to backtest, one week ahead each.")
@INTERVAL
@HOLIDAYS
def backtest(history: Path, weeks: int, interval: str, holiday_country: str | None) -> None:
    """Backtest every forecasting model on each queue, one week ahead over past weeks.

    Prints per queue and model the WAPE, MASE, 80% band coverage and fit time; `*` marks
    the model a forecast would use.

    \b
    Example:
      wfm backtest --history calls.csv --weeks 8
    """
    from forecasts import backtest_history
    from inputs import read_history
    from outputs.cli_support import backtest_lines

    minutes = int(interval)
    with _exit_codes():
        frame = read_history(history, interval_minutes=minutes)
        table = backtest_history(frame, weeks=weeks, interval_minutes=minutes,
                                 holiday_country=holiday_country, source=history.name)
    for line in backtest_lines(table):
        click.echo(line)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--replications", type=click.IntRange(min=1), default=5, show_default=True,
              help="Independent runs of the week (2 or more give confidence intervals).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Replication r uses the random streams of (seed, r).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes to run replications in (results do not depend on it).")
@click.option("--json", "as_json", is_flag=True,
              help="Print the simulated entry of summary.json on stdout (for scripts).")
def simulate(folder: Path, replications: int, seed: int, workers: int, as_json: bool) -> None:
    """Simulate a finished plan's roster call by call and print the service level it reaches.

    Routing is skill-based (longest-idle agent; a freed agent takes the highest-priority,
    longest-waiting call), breaks and absence (Center!shrinkage) are played out, and a share
    of calls is transferred to the shift leads on duty. The plan folder is not changed.

    \b
    Example:
      wfm simulate plan-2026-11-29 --replications 20 --seed 1
    """
    from outputs.cli_support import read_plan_folder, simulate_lines
    from scheduler.simulation import SimulationSettings, simulate_week

    with _exit_codes():
        workbook, roster, table = read_plan_folder(folder)
    result = simulate_week(workbook, roster, table, replications=replications, seed=seed,
                           settings=SimulationSettings(workers=workers))
    entry = result.summary_entry()
    if as_json:
        click.echo(json.dumps(entry, indent=2))
        return
    for line in simulate_lines(entry, workbook, roster.week_start, replications, seed):
        click.echo(line)


def _changes_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None and value.suffix.lower() not in (".csv", ".xlsx"):
        raise click.BadParameter(f"{value}: name a .csv or an .xlsx file, e.g. changes.csv")
    return value


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), callback=_changes_file,
              help="Also write the changes for HR: a .csv, or an .xlsx with a Changes sheet.")
def diff(old: Path, new: Path, out: Path | None) -> None:
    """Say who gains, loses or moves a shift between two rosters of one week.

    OLD and NEW are plan folders, or one of them the shifts.csv that was published; the
    employees come from the plan folder's inputs/workbook.xlsx. Identical rosters print
    "no changes".

    \b
    Example:
      wfm diff plan-2026-11-29 plan-2026-11-29-v2 --out changes.csv
      wfm diff published/shifts.csv plan-2026-11-29-v2
    """
    from inputs.writer import write_file_atomically
    from outputs.changes import change_lines, roster_changes, write_changes_csv, write_changes_xlsx
    from outputs.cli_support import read_rosters_to_compare

    with _exit_codes():
        before, after, people = read_rosters_to_compare(old, new)
        changes = roster_changes(before, after, people)
        if out is not None:
            writer = write_changes_csv if out.suffix.lower() == ".csv" else write_changes_xlsx
            write_file_atomically(out, lambda tmp: writer(changes, tmp))
    for line in change_lines(changes):
        click.echo(line)
    if out is not None:
        click.echo(f"Changes written to {out}")


if __name__ == "__main__":
    main()
