"""The `wfm` command: parse arguments, call the pipeline, map errors to exit codes.

Exit codes (DESIGN.md): 0 ok, 1 bad input, 2 usage, 3 no feasible roster, 4 internal error
(the independent checker caught the solver breaking a hard rule: a bug, please report it),
130 interrupted by Ctrl-C before any roster was found (Ctrl-C during the search keeps the
best roster so far and exits 0).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.live import Live
from rich.text import Text

from inputs.domain import InputError

EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_INTERNAL, EXIT_INTERRUPTED = 1, 3, 4, 130


class _Reporter:
    """Progress on stderr (a live solver line on a terminal), and the same lines for wfm.log.

    `--quiet` silences everything but errors and the final paths; the log keeps every line.
    """

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.console = Console(stderr=True, highlight=False)
        self.log: list[str] = []
        self.live: Live | None = None
        self.last_logged = -10.0

    def say(self, text: str) -> None:
        self._stop_live()
        self._log(text)
        if not self.quiet:
            self.console.print(text, markup=False)

    def solver(self, elapsed: float, objective: float, bound: float) -> None:
        gap = (objective - bound) / objective if objective > 0 else 0.0
        line = (f"  solver {elapsed:6.1f} s  best cost {objective:12,.0f}  "
                f"bound {bound:12,.0f}  gap {gap:6.1%}")
        if time.monotonic() - self.last_logged >= 5.0:
            self.last_logged = time.monotonic()
            self._log(line)
            if not self.quiet and not self.console.is_terminal:
                self.console.print(line, markup=False)
        if not self.quiet and self.console.is_terminal:
            if self.live is None:
                self.live = Live(console=self.console, refresh_per_second=4)
                self.live.start()
            self.live.update(Text(line))

    def close(self) -> None:
        self._stop_live()

    def write_log(self, plan: Any, folder: Path) -> None:
        """Plan writer: the progress lines as wfm.log in the plan folder."""
        (folder / "wfm.log").write_text("\n".join(self.log) + "\n", encoding="utf-8")

    def _log(self, text: str) -> None:
        self.log.append(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S}  {text}")

    def _stop_live(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None


def _fail(lines: list[str], code: int) -> None:
    for line in lines:
        click.echo(f"error: {line}", err=True)
    sys.exit(code)


def _run_plan(request: Any, out: Path, reporter: _Reporter, as_json: bool) -> None:
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
    except KeyboardInterrupt:
        _fail(["interrupted before the solver found a roster; nothing was written"],
              EXIT_INTERRUPTED)
    finally:
        reporter.close()
    if plan.result.roster is None:
        _fail([f"no feasible roster ({plan.result.status.value}); nothing was written",
               *plan.result.explanation], EXIT_INFEASIBLE)
    lines = _summary_lines(plan.summary, out)
    for line in lines:
        reporter.say(line)
    try:
        folder = write_plan(plan, out, extra_writers=[reporter.write_log])
    except InputError as error:
        _fail(error.problems, EXIT_BAD_INPUT)
    if as_json:
        click.echo(json.dumps(plan.summary, indent=2, ensure_ascii=False))
    else:
        click.echo(f"Plan written to {folder}/ (roster.xlsx, report.html, summary.json, wfm.log)")


def _summary_lines(summary: dict[str, Any], out: Path) -> list[str]:
    """The plan in a few plain lines: cost, service level, and what to look at."""
    level = summary["service_level"]
    lines = [f"Summary of the week of {summary['week_start']}:",
             f"  cost {summary['cost']:,.2f} {summary['currency']} ({summary['status']}; within "
             f"{summary['gap']:.1%} of the best possible, bound {summary['lower_bound']:,.2f})"]
    if summary["solver"].get("interrupted"):
        lines.append("  stopped early by Ctrl-C: this is the best roster found so far")
    planned, simulated = level["planned"]["overall"], level["simulated"]
    target = f"target {level['target']:.0%} within {level['answer_seconds']} s"
    if planned is not None:
        lines.append(f"  planned service level {planned:.1%} ({target})")
    if simulated:
        low, high = simulated["overall"]["ci95"]
        lines.append(f"  simulated service level {simulated['overall']['service_level']:.1%} "
                     f"(95% CI {low:.1%}–{high:.1%}, {simulated['replications']} replications)")
    abandon = summary["abandonment"]["planned"]
    if abandon and abandon["overall"] is not None:
        lines.append(f"  planned abandonment {abandon['overall']:.1%} (Erlang A)")
    for warning in summary.get("warnings", []):
        lines.append(f"  warning: {warning}")
    misses = summary["intervals_below_target"]
    if misses:
        lines.append(f"  look at: {len(misses)} queue-intervals below target — see the Rule "
                     f"report sheet of {out}/roster.xlsx and {out}/report.html")
    lines += [f"  - {line}" for line in summary["rule_report"][:10]]
    if len(summary["rule_report"]) > 10:
        lines.append(f"  ... and {len(summary['rule_report']) - 10} more in the Rule report")
    return lines


def _solver_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--json", "as_json", is_flag=True,
                     help="Print summary.json on stdout (for scripts).")(f)
    f = click.option("--quiet", is_flag=True,
                     help="Print only errors and the plan folder's path.")(f)
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
         workers: int | None, seed: int | None, quiet: bool, as_json: bool) -> None:
    """Plan one week from your workbook and history.

    \b
    Example:
      wfm plan --workbook rules.xlsx --history calls.csv --week 2026-11-29 --out plan-2026-11-29
    """
    from scheduler.pipeline import PlanRequest

    request = PlanRequest(workbook_path=workbook, history_path=history, week_start=week.date(),
                          time_limit_s=time_limit, workers=workers, seed=seed)
    _run_plan(request, out, _Reporter(quiet), as_json)


@main.command()
@click.option("--out", default=Path("plan-demo"), show_default=True,
              type=click.Path(path_type=Path), help="Plan folder to write.")
@_solver_options
def demo(out: Path, time_limit: float | None, workers: int | None, seed: int | None,
         quiet: bool, as_json: bool) -> None:
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
        _run_plan(request, out, reporter, as_json)


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
