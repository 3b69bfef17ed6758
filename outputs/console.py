"""What the planner sees while a plan runs: progress lines on stderr and the same in wfm.log."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.text import Text

from inputs.capacity import EmployeeHours
from inputs.domain import WEEKDAY_NAMES, Role, Workbook
from scheduler.plan import Plan
from scheduler.roster import skills_text
from scheduler.summary import PlanSummary


class Reporter:
    """Progress on stderr (a live solver line on a terminal), and the same lines for wfm.log.

    `--quiet` silences everything but errors and the final paths; the log keeps every line.
    """

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.console = Console(stderr=True, highlight=False, soft_wrap=True)
        self.log: list[str] = []
        self.live: Live | None = None
        self.last_logged = -10.0

    def say(self, text: str) -> None:
        self._stop_live()
        self._log(text)
        if not self.quiet:
            self.console.print(text, markup=False)

    def solver(self, elapsed: float, objective: float, bound: float) -> None:
        """A progress line; a NaN bound means the first roster is still being polished."""
        if math.isnan(bound):
            proof = "(first roster, polishing)"
        else:
            gap = (objective - bound) / objective if objective > 0 else 0.0
            proof = f"bound {bound:12,.0f}  gap {gap:6.1%}"
        line = f"  solver {elapsed:6.1f} s  best cost {objective:12,.0f}  {proof}"
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

    def write_log(self, plan: Plan, folder: Path) -> None:
        """Plan writer: the progress lines as wfm.log in the plan folder."""
        (folder / "wfm.log").write_text("\n".join(self.log) + "\n", encoding="utf-8")

    def _log(self, text: str) -> None:
        self.log.append(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S}  {text}")

    def _stop_live(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None


def workbook_lines(
    path: Path, book: Workbook, week_start: dt.date, hours: list[EmployeeHours]
) -> list[str]:
    """The summary: who, which queues and contracts, and each contract's hours for the week."""
    roles = Counter(e.role for e in book.employees)
    by_role = ", ".join(f"{roles[r]} {r.value}" for r in Role if roles[r])
    queues = ", ".join(q.queue_id for q in book.queues)
    lines = [
        f"{path}: OK — {len(book.employees)} employees, {len(book.queues)} queues, "
        f"{len(book.contracts)} contracts",
        f"  employees by role: {by_role or 'none'}",
        f"  queues: {queues}",
        f"  hours in the week of {WEEKDAY_NAMES[week_start.weekday()][:3]} {week_start} "
        "(available: the most each person can work",
        "  under opening hours, time off and the contract's shift rules):",
        f"    {'contract':<10} {'staff':>5} {'contracted h':>14} {'available h':>12}",
    ]
    total = (0.0, 0.0, 0.0, 0.0)
    for contract in book.contracts:
        own = [h for h in hours if h.contract.contract_id == contract.contract_id]
        row = (float(len(own)), contract.min_weekly_hours * len(own),
               contract.max_weekly_hours * len(own), sum(h.available_hours for h in own))
        total = (total[0] + row[0], total[1] + row[1], total[2] + row[2], total[3] + row[3])
        lines.append(_hours_line(contract.contract_id, row))
    lines.append(_hours_line("all", total))
    return lines


def _hours_line(name: str, row: tuple[float, float, float, float]) -> str:
    staff, low, high, available = row
    contracted = f"{low:,.0f}–{high:,.0f}"
    return f"    {name:<10} {staff:>5.0f} {contracted:>14} {available:>12,.1f}"


def plan_summary_lines(summary: PlanSummary, out: Path) -> list[str]:
    """The plan in a few plain lines: cost, service level, and what to look at."""
    solve, level = summary.solve, summary.service_level
    # The bound is on cost plus penalties (the score), which may be above the cost alone.
    proof = ("no bound: the search found no roster in the time, this is the greedy start"
             if solve.lower_bound is None else
             f"with its shortfall penalties it scores {solve.objective:,.2f} "
             f"against a proven lower bound of {solve.lower_bound:,.2f}, "
             f"gap {solve.gap:.1%}")
    lines = [f"Summary of the week of {summary.week_start.isoformat()}:",
             f"  cost {solve.cost:,.2f} {summary.currency} ({solve.status}; "
             f"{proof})"]
    if solve.interrupted:
        lines.append("  stopped early by Ctrl-C: this is the best roster found so far")
    planned, simulated = level.planned.overall, level.simulated
    target = f"target {level.target:.0%} within {level.answer_seconds} s"
    if planned is not None:
        lines.append(f"  planned service level {planned:.1%} ({target})")
    if simulated:
        low, high = simulated.overall.ci95
        lines.append(f"  simulated service level {simulated.overall.service_level:.1%} "
                     f"(95% CI {low:.1%}–{high:.1%}, {simulated.replications} replications)")
    if summary.abandonment.overall is not None:
        lines.append(f"  planned abandonment {summary.abandonment.overall:.1%} (Erlang A)")
    lines += free_time_lines(summary)
    for warning in summary.warnings:
        lines.append(f"  warning: {warning}")
    misses = summary.intervals_below_target
    if misses:
        lines.append(f"  look at: {len(misses)} queue-intervals below target — see the Rule "
                     f"report sheet of {out}/roster.xlsx and {out}/report.html")
    lines += [f"  - {line}" for line in summary.rule_report[:10]]
    if len(summary.rule_report) > 10:
        lines.append(f"  ... and {len(summary.rule_report) - 10} more in the Rule report")
    return lines


def free_time_lines(summary: PlanSummary) -> list[str]:
    """The agent time the service does not need, and its largest run."""
    free = summary.free_time
    if free is None or not free.agent_hours:
        return []
    lines = [f"  free agent time {free.agent_hours:,.1f} of {free.on_duty_hours:,.1f} "
             "agent-hours on duty: agents the service level does not need (contract hours, "
             "shift lengths), capacity for other work"]
    for span in free.largest(1):
        agents = (f"{span.fewest}" if span.fewest == span.most
                  else f"{span.fewest}–{span.most}")
        lines.append(f"    most on {span.start:%a %d-%m %H:%M}–{span.end:%H:%M}: {agents} "
                     f"agents ({span.agent_hours:,.1f} h; {skills_text(span.by_skills)})")
    return lines


def simulated_level_text(entry: dict[str, Any]) -> str:
    if entry["service_level"] is None:
        return "no calls"
    low, high = entry["ci95"]
    text = f"{entry['service_level']:6.1%}  (95% CI {low:.1%}–{high:.1%})"
    return (f"{text}  abandoned {entry['abandon_rate']:.1%}  ASA {entry['asa_s']:.0f} s  "
            f"occupancy {entry['occupancy']:.0%}")


def requirements_lines(requirements: Any, roles: Any, interval_minutes: int) -> list[str]:
    """Per queue and lead role: calls, staff-hours needed and the peak with its first time.

    `requirements` and `roles` are the long tables of `scheduler.pipeline.WeekNeeds`.
    """
    hours = interval_minutes / 60
    rows: list[tuple[str, str, float, int, str]] = []
    for queue, part in requirements.groupby("queue", sort=True):
        peak = part.loc[part["required_agents"].idxmax()]
        rows.append((str(queue), f"{part['calls'].sum():,.0f}",
                     part["required_agents"].sum() * hours, int(peak["required_agents"]),
                     f"{peak['interval_start']:%a %H:%M}"))
    for role, part in roles.groupby("role", sort=True):
        peak = part.loc[part["required"].idxmax()]
        rows.append((str(role), "", part["required"].sum() * hours, int(peak["required"]),
                     f"{peak['interval_start']:%a %H:%M}"))
    width = max([10, *(len(r[0]) for r in rows)])
    lines = [f"  {'queue/role':<{width}} {'calls':>8} {'hours':>8} {'peak':>5}  first at"]
    lines += [f"  {name:<{width}} {calls:>8} {staff_hours:>8,.1f} {peak:>5}  {when}"
              for name, calls, staff_hours, peak, when in rows]
    return lines
