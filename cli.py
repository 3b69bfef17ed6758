"""The `wfm` command: parse arguments, call the pipeline, map errors to exit codes.

Exit codes (DESIGN.md): 0 ok, 1 bad input, 2 usage, 3 no feasible roster, 4 internal error
(the independent checker caught the solver breaking a hard rule: a bug, please report it).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from inputs.domain import InputError

EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_INTERNAL = 1, 3, 4


class _Reporter:
    """Progress lines on stderr, unless --quiet; solver updates at most every 2 s."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.last = -10.0

    def say(self, text: str) -> None:
        if not self.quiet:
            click.echo(text, err=True)

    def solver(self, elapsed: float, objective: float, bound: float) -> None:
        if self.quiet or time.monotonic() - self.last < 2.0:
            return
        self.last = time.monotonic()
        gap = (objective - bound) / objective if objective > 0 else 0.0
        click.echo(f"  solver {elapsed:6.1f} s  objective {objective:12,.0f}  "
                   f"bound {bound:12,.0f}  gap {gap:6.1%}", err=True)


def _fail(lines: list[str], code: int) -> None:
    for line in lines:
        click.echo(f"error: {line}", err=True)
    sys.exit(code)


def _run_plan(request: Any, out: Path, reporter: _Reporter) -> None:
    """Plan, check and write; every user mistake becomes a message and an exit code."""
    from outputs import write_plan
    from scheduler.check import RosterCheckError
    from scheduler.pipeline import plan_week

    try:
        plan = plan_week(request, say=reporter.say, progress=reporter.solver)
    except InputError as error:
        _fail(error.problems, EXIT_BAD_INPUT)
    except RosterCheckError as error:
        _fail(["internal error: the roster breaks hard rules (please report this bug):",
               *(v.message for v in error.violations)], EXIT_INTERNAL)
    if plan.result.roster is None:
        _fail([f"no feasible roster ({plan.result.status.value}); nothing was written",
               *plan.result.explanation], EXIT_INFEASIBLE)
    try:
        folder = write_plan(plan, out)
    except InputError as error:
        _fail(error.problems, EXIT_BAD_INPUT)
    _print_summary(plan.summary, folder)


def _print_summary(summary: dict[str, Any], folder: Path) -> None:
    planned = summary["service_level"]["planned"]["overall"]
    click.echo(f"Plan written to {folder}/")
    click.echo(f"  status {summary['status']}, cost {summary['cost']:,.2f} "
               f"{summary['currency']} (bound {summary['lower_bound']:,.2f}, "
               f"gap {summary['gap']:.1%})")
    if planned is not None:
        click.echo(f"  planned service level {planned:.1%} "
                   f"(target {summary['service_level']['target']:.0%} within "
                   f"{summary['service_level']['answer_seconds']} s)")
    misses = summary["intervals_below_target"]
    if misses:
        click.echo(f"  look at: {len(misses)} queue-intervals below target — see the "
                   "Rule report sheet and summary.json")
    for line in summary["rule_report"][:10]:
        click.echo(f"  - {line}")


def _solver_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--quiet", is_flag=True, help="Print only errors and the result.")(f)
    f = click.option("--seed", type=int, help="Solver seed (default: Center!seed).")(f)
    f = click.option("--workers", type=click.IntRange(min=0),
                     help="Solver threads, 0 = one per core (default: Center!solver_workers).")(f)
    limit_help = "Solver time limit in seconds (default: Center!solver_time_limit_s)."
    return click.option("--time-limit", type=click.FloatRange(min=1), help=limit_help)(f)


@click.group()
@click.version_option(package_name="wfm", prog_name="wfm")
def main() -> None:
    """Plan a contact center's week: forecast, staffing, roster, Excel.

    \b
    Example:
      wfm demo --out plan-demo
    """


@main.command()
@click.option("--workbook", required=True, type=click.Path(path_type=Path),
              help="The constraint workbook (.xlsx).")
@click.option("--history", required=True, type=click.Path(path_type=Path),
              help="The call history CSV.")
@click.option("--week", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="First day of the week to plan (YYYY-MM-DD).")
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="Plan folder to write.")
@_solver_options
def plan(workbook: Path, history: Path, week: dt.datetime, out: Path, time_limit: float | None,
         workers: int | None, seed: int | None, quiet: bool) -> None:
    """Plan one week from your workbook and history.

    \b
    Example:
      wfm plan --workbook rules.xlsx --history calls.csv --week 2026-11-29 --out plan-2026-11-29
    """
    from scheduler.pipeline import PlanRequest

    request = PlanRequest(workbook_path=workbook, history_path=history, week_start=week.date(),
                          time_limit_s=time_limit, workers=workers, seed=seed)
    _run_plan(request, out, _Reporter(quiet))


@main.command()
@click.option("--out", default=Path("plan-demo"), show_default=True,
              type=click.Path(path_type=Path), help="Plan folder to write.")
@_solver_options
def demo(out: Path, time_limit: float | None, workers: int | None, seed: int | None,
         quiet: bool) -> None:
    """Plan a week for the embedded demo center (12 queues, 94 staff).

    The demo's two years of history and its workbook are generated deterministically and
    read back through the same reader as your files; both are copied to OUT/inputs/.

    \b
    Example:
      wfm demo --out plan-demo --time-limit 60
    """
    from inputs.demo import DEMO_WEEK, write_demo
    from scheduler.pipeline import PlanRequest

    reporter = _Reporter(quiet)
    with tempfile.TemporaryDirectory(prefix="wfm-demo-") as folder:
        reporter.say("Generating the demo center: workbook and two years of history")
        workbook, history = write_demo(Path(folder))
        request = PlanRequest(workbook_path=workbook, history_path=history, week_start=DEMO_WEEK,
                              time_limit_s=time_limit, workers=workers, seed=seed)
        _run_plan(request, out, reporter)


@main.command()
@click.option("--workbook", required=True, type=click.Path(path_type=Path),
              help="The constraint workbook (.xlsx).")
@click.option("--history", type=click.Path(path_type=Path), help="The call history CSV.")
def validate(workbook: Path, history: Path | None) -> None:
    """Check a workbook (and history) and summarize it, without planning.

    \b
    Example:
      wfm validate --workbook rules.xlsx --history calls.csv
    """
    from inputs import read_history, read_workbook
    from inputs.history import history_summary

    try:
        book = read_workbook(workbook)
        frame = None
        if history is not None:
            frame = read_history(history, interval_minutes=book.center.interval_minutes,
                                 queues=[q.queue_id for q in book.queues],
                                 timezone=book.center.timezone)
    except InputError as error:
        _fail(error.problems, EXIT_BAD_INPUT)
    roles: dict[str, int] = {}
    for e in book.employees:
        roles[e.role.value] = roles.get(e.role.value, 0) + 1
    click.echo(f"{workbook}: OK — {len(book.queues)} queues, {len(book.contracts)} contracts, "
               + ", ".join(f"{n} {r}" for r, n in sorted(roles.items())))
    hours = [(book.contract_of(e).min_weekly_hours, book.contract_of(e).max_weekly_hours)
             for e in book.employees]
    click.echo(f"  contracted hours a week: {sum(h[0] for h in hours):g}–"
               f"{sum(h[1] for h in hours):g}")
    if frame is not None:
        s = history_summary(frame)
        click.echo(f"{history}: OK — {s.rows} rows, {len(s.queues)} queues, "
                   f"{s.first_interval} to {s.last_interval}, {s.total_offered:,.0f} calls")


if __name__ == "__main__":
    main()
