"""Solve the roster with CP-SAT: every rule from the registry, cost plus shortfall penalties."""

from __future__ import annotations

import datetime as dt
import math
import os
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, cast

import pandas as pd
from ortools.sat.python import cp_model

from inputs.domain import Assignment, Role, Roster
from scheduler.roster.allocation import spread_idle_agents
from scheduler.roster.bound import LpBound, lp_bound
from scheduler.roster.construct import (
    Week,
    apply_hint,
    construct_hint,
    greedy_work,
    weeks_from_solution,
)
from scheduler.roster.cost import add_cost, overtime_cost
from scheduler.roster.explain import contract_conflicts
from scheduler.roster.infeasible import infeasible_rule_lines
from scheduler.roster.model import (
    RosterProblem,
    RosterVars,
    build_vars,
    pool_of,
    week_minute_to_datetime,
)
from scheduler.roster.polish import polish
from scheduler.roster.result import RuleBreak, Shortfall, SolveResult, SolveStatus
from scheduler.roster.rules import RULES, Penalty


@dataclass(frozen=True, slots=True, kw_only=True)
class SolverSettings:
    """Explicit, reproducible solver settings (STYLE.md item 8)."""

    time_limit_s: float = 120.0
    workers: int = 0  # 0: CP-SAT picks one per core
    seed: int = 0


# Seconds since the roster step started, best objective and bound (currency); the bound is
# NaN while the greedy first roster is polished (the model that proves it is not solved yet).
Progress = Callable[[float, float, float], None]


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Records when the first roster was found and reports each improvement."""

    def __init__(self, progress: Progress | None, offset: float = 0.0,
                 floor: _Floor | None = None) -> None:
        super().__init__()
        self.progress = progress
        self.offset = offset  # seconds of the roster step before the search
        self.floor = floor
        self.first_solution_s: float | None = None

    def on_solution_callback(self) -> None:
        if self.first_solution_s is None:
            self.first_solution_s = self.wall_time
        if self.progress is not None:
            bound = self.best_objective_bound
            if self.floor is not None:
                bound = self.floor.best(bound)
            self.progress(self.offset + self.wall_time, self.objective_value / 100, bound / 100)


_STATUS: dict[Any, SolveStatus] = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.MODEL_INVALID: SolveStatus.UNKNOWN,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
}


def solve_roster(
    problem: RosterProblem, settings: SolverSettings, progress: Progress | None = None,
    start: Mapping[str, object] | None = None,
) -> SolveResult:
    """Build the roster of least cost that covers the requirements as far as the rules allow.

    `start` is an earlier result's `hint` for the same staff and week: the search starts from
    that roster instead of building a greedy one (the verify loop re-solves this way).

    Hard rules that contradict each other before any coverage is asked for (an employee who
    cannot reach the contract's minimum hours) come back as INFEASIBLE with an explanation.
    """
    started = time.monotonic()
    conflicts = contract_conflicts(problem.workbook, problem.week_start)
    if conflicts:
        return SolveResult(
            status=SolveStatus.INFEASIBLE, roster=None, cost=None, bound=None, gap=None,
            explanation=tuple(conflicts),
        )
    # The greedy first roster is built on every core first (the first roster comes soonest
    # so); the full model is then built while the greedy roster is polished in the background
    # (CP-SAT frees the interpreter while it solves each employee's week), and the bound that
    # sees coverage is solved beside them. A first Ctrl-C meanwhile stops the greedy or the
    # polish and keeps the roster so far; a second gives up.
    floor = _Floor(problem, started, settings.time_limit_s)
    with _FirstCtrlC() as ctrl_c:
        greedy_done = threading.Event()
        greedy = None if start else _Background(lambda: _first_roster(
            problem, settings, started, ctrl_c.pressed, greedy_done, progress), "greedy-start")
        try:
            if greedy is not None:
                greedy.wait(greedy_done)
                if ctrl_c.pressed.is_set() and greedy.result()[0] is None:
                    raise KeyboardInterrupt  # before the greedy had a roster: nothing to keep
            floor.start()  # after the first roster: it would slow the greedy down
            building = time.monotonic()
            model = cp_model.CpModel()
            v = build_vars(model, problem)
            penalties: list[Penalty] = []
            for rule in RULES:
                penalties.extend(rule.add(model, v, problem))
            cost = add_cost(model, v, problem)
            model.minimize(cost + sum(p.weight * p.var for p in penalties))
            modelled = time.monotonic() - building
            weeks, start_stats = (
                greedy.result() if greedy is not None
                else (cast(dict[str, Week], dict(start or {})), {"start_s": 0.0}))
        except KeyboardInterrupt:
            if greedy is not None:
                ctrl_c.pressed.set()  # the greedy and the polish stop at their next group
                greedy.wait()
            raise
    if weeks is not None:
        apply_hint(model, v, problem, weeks, penalties)
    built = time.monotonic() - started
    if ctrl_c.pressed.is_set():
        if weeks is None:
            raise KeyboardInterrupt  # no roster yet: nothing to keep
        cut: dict[str, float | int | str] = {
            "build_s": round(modelled, 2), **start_stats, "solve_s": 0.0, "interrupted": 1,
            "roster_from": "greedy start",
            "first_feasible_s": start_stats.get("first_feasible_s", round(built, 2))}
        return _result(_HintValues(model), v, problem, penalties, SolveStatus.FEASIBLE,
                       None, None, cut,
                       ("Interrupted (Ctrl-C) before the search: this is the greedy first "
                        "roster as far as it was polished (every hard rule holds; its soft "
                        "wishes and fairness are not priced).",))

    # The time limit is the whole roster step's: the model and the greedy start spend from it
    # (the search keeps at least 10 s).
    solver = _solver(settings, max(settings.time_limit_s - built, 10.0))
    watcher = _Watcher(progress, built, floor)
    code, interrupted = _solve_interruptibly(solver, model, watcher)
    status = _STATUS[code]
    # From the start of this call. The greedy start is itself a complete roster under every
    # hard rule, so the first feasible roster exists once it is built.
    feasible = (start_stats.get("first_feasible_s", built) if weeks is not None
                else None if watcher.first_solution_s is None
                else built + watcher.first_solution_s)
    stats: dict[str, float | int | str] = {
        "build_s": round(modelled, 2),
        **start_stats,
        "solve_s": round(solver.wall_time, 2),
        "first_feasible_s": -1.0 if feasible is None else round(feasible, 2),
        "variables": len(model.proto.variables),
        "constraints": len(model.proto.constraints),
        "solver_status": solver.status_name(code),
        "interrupted": int(interrupted),
        **floor.stats(solver.best_objective_bound),
    }
    if status is SolveStatus.UNKNOWN and weeks is not None:
        # No roster from the search in the time (or Ctrl-C before one): the greedy start is
        # one, and a better answer than none.
        return _result(_HintValues(model), v, problem, penalties, SolveStatus.FEASIBLE,
                       None, None, stats | {"roster_from": "greedy start"},
                       ("The search found no roster within the time; this is the greedy "
                        "first roster (every hard rule holds, coverage is rougher; its soft "
                        "wishes and fairness are not priced). Allow more time for a better "
                        "one.",))
    if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        why = ("The hard rules contradict each other: no roster satisfies them all."
               if status is SolveStatus.INFEASIBLE
               else f"No roster found within {settings.time_limit_s:g} s; allow more time.")
        named = infeasible_rule_lines(problem) if status is SolveStatus.INFEASIBLE else []
        return SolveResult(status=status, roster=None, cost=None, bound=None, gap=None,
                           explanation=(why, *named), stats=stats)
    objective, bound = solver.objective_value, floor.best(solver.best_objective_bound)
    gap = round((objective - bound) / objective, 6) if objective > 0 else 0.0
    # The bound is on the objective (cost plus shortfall and soft-rule penalties), which can
    # exceed the cost alone: both are reported.
    return _result(solver, v, problem, penalties, status, round(bound / 100, 2), gap,
                   stats | {"roster_from": "search", "objective": round(objective / 100, 2)},
                   ())


# Share of the time limit the greedy start and its polish may take (wall time on several
# workers; on one worker, deterministic time, so that the roster does not depend on the
# machine's speed). Measured on the demo at 120 s: 0.4 -> objective 399,000-412,000, 0.6 ->
# 340,000, 0.8 -> 363,000 (CP-SAT's own search still pays in the last 50 s).
POLISH_SHARE = 0.6
POLISH_PASSES = 3


def _threads(settings: SolverSettings) -> int:
    return settings.workers or os.cpu_count() or 1


def _first_roster(problem: RosterProblem, settings: SolverSettings, started: float,
                  cancel: threading.Event, greedy_done: threading.Event,
                  progress: Progress | None = None,
                  ) -> tuple[dict[str, Week] | None, dict[str, float | int]]:
    """The greedy first roster, polished, with its timings (seconds from `started`);
    `greedy_done` is set between the two. `progress` hears the objective after each step."""
    threads = _threads(settings)
    t0 = time.monotonic()
    weeks = construct_hint(problem, settings.seed, threads, cancel)
    greedy = time.monotonic()
    greedy_done.set()

    def report(objective_cents: int) -> None:
        if progress is not None:
            progress(time.monotonic() - started, objective_cents / 100, math.nan)

    stats: dict[str, float | int] = {"start_s": round(greedy - t0, 2),
                                     "first_feasible_s": round(greedy - started, 2)}
    if weeks is None:
        return None, stats
    share = POLISH_SHARE * settings.time_limit_s
    one = settings.workers == 1
    weeks, better = polish(problem, weeks, settings.seed, threads,
                           deadline=None if one else started + share,
                           budget=max(share - greedy_work(problem), 0.0) if one else None,
                           cancel=cancel, passes=POLISH_PASSES, progress=report)
    return weeks, stats | {"polish_s": round(time.monotonic() - greedy, 2),
                           "polish_better": better}


_T = TypeVar("_T")


class _Floor:
    """The coverage-aware bound (`scheduler.roster.bound`), solved on its own thread once the
    first roster exists, within what is left of the time limit; the search's bound is the
    better of CP-SAT's own and this one, once it is in."""

    def __init__(self, problem: RosterProblem, started: float, time_limit_s: float) -> None:
        self._problem = problem
        self._deadline = started + time_limit_s
        self._job: _Background[LpBound | None] | None = None

    def start(self) -> None:
        left = max(self._deadline - time.monotonic(), 1.0)
        self._job = _Background(lambda: lp_bound(self._problem, left), "lp-bound")

    def found(self) -> LpBound | None:
        """The bound if it is solved by now (never waits)."""
        if self._job is None or not self._job.done():
            return None
        return self._job.result()

    def best(self, cp_sat_bound: float) -> float:
        """The better of CP-SAT's bound and this one, in cents."""
        found = self.found()
        return cp_sat_bound if found is None else max(cp_sat_bound, found.cents)

    def stats(self, cp_sat_bound: float) -> dict[str, float | int | str]:
        found = self.found()
        stats: dict[str, float | int | str] = {"bound_cp_sat": round(cp_sat_bound / 100, 2)}
        if found is not None:
            stats |= {"bound_lp": round(found.cents / 100, 2), "lp_s": round(found.seconds, 2)}
        return stats


class _FirstCtrlC:
    """Within the block, the first Ctrl-C sets `pressed` instead of raising; a second raises
    KeyboardInterrupt. Only the main thread receives signals: elsewhere this does nothing."""

    def __init__(self) -> None:
        self.pressed = threading.Event()
        self._previous: Any = None
        self._installed = False

    def __enter__(self) -> _FirstCtrlC:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_sigint)
            self._installed = True
        return self

    def __exit__(self, *_: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)

    def _on_sigint(self, signum: int, frame: Any) -> None:
        if self.pressed.is_set():
            raise KeyboardInterrupt
        self.pressed.set()


class _Background(Generic[_T]):
    """`work()` on its own daemon thread. The waits poll, so the calling thread still takes
    Ctrl-C (not Thread.join: an interrupted join can misreport is_alive)."""

    def __init__(self, work: Callable[[], _T], name: str) -> None:
        self._done = threading.Event()
        self._out: list[_T] = []
        self._errors: list[BaseException] = []

        def run() -> None:
            try:
                self._out.append(work())
            except BaseException as error:  # re-raised by result()
                self._errors.append(error)
            finally:
                self._done.set()

        threading.Thread(target=run, name=name, daemon=True).start()

    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, until: threading.Event | None = None) -> None:
        """Until the work ends, or `until` is set."""
        while not self._done.wait(0.2):
            if until is not None and until.is_set():
                return

    def result(self) -> _T:
        """The work's result, once it ends; what it raised is raised here."""
        self.wait()
        if self._errors:
            raise self._errors[0]
        return self._out[0]


def _solver(settings: SolverSettings, seconds: float) -> cp_model.CpSolver:
    """A CP-SAT solver with the planner's workers and seed, stopping after `seconds`.

    One worker counts CP-SAT's deterministic time (roughly seconds): the same inputs and
    seed then give the same roster on any machine, however loaded.
    """
    solver = cp_model.CpSolver()
    if settings.workers == 1:
        solver.parameters.max_deterministic_time = seconds
        solver.parameters.max_time_in_seconds = 3 * seconds  # a safety net
    else:
        solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = settings.workers
    solver.parameters.random_seed = settings.seed
    return solver


class _Values(Protocol):
    def value(self, var: cp_model.IntVar) -> int: ...
    def boolean_value(self, var: cp_model.IntVar) -> bool: ...


class _HintValues:
    """The model's solution hint read like a solved model (unhinted variables read 0)."""

    def __init__(self, model: cp_model.CpModel) -> None:
        hint = model.proto.solution_hint
        self._values = dict(zip(hint.vars, hint.values, strict=True))

    def value(self, var: cp_model.IntVar) -> int:
        return int(self._values.get(var.index, 0))

    def boolean_value(self, var: cp_model.IntVar) -> bool:
        return bool(self.value(var))


def _result(solver: _Values, v: RosterVars, problem: RosterProblem, penalties: list[Penalty],
            status: SolveStatus, bound: float | None, gap: float | None,
            stats: dict[str, float | int | str], explanation: tuple[str, ...]) -> SolveResult:
    """The SolveResult of a roster read from solved (or hinted) variable values."""
    roster = extract_roster(solver, v, problem)
    cost_total = sum(a.cost for a in roster.assignments) + _overtime(roster, problem)
    return SolveResult(
        status=status,
        roster=roster,
        cost=round(cost_total, 2),
        bound=bound,
        gap=gap,
        explanation=explanation,
        shortfalls=tuple(_shortfalls(solver, penalties, problem)),
        rule_breaks=tuple(_rule_breaks(solver, penalties)),
        allocation=_allocation(solver, v, problem),
        role_on_duty=_role_on_duty(solver, v, problem),
        stats=stats,
        hint=weeks_from_solution(solver, v, problem),
    )


def _solve_interruptibly(solver: cp_model.CpSolver, model: cp_model.CpModel,
                         watcher: _Watcher) -> tuple[Any, bool]:
    """Solve; Ctrl-C stops the search and keeps the best roster found so far.

    The search runs in a worker thread so that the main thread, which is where Python
    delivers Ctrl-C, stays free to ask CP-SAT to stop (CP-SAT's own SIGINT handler is turned
    off: it would stop the search silently, and the plan must say it was cut short).

    Returns:
        The solver's status code, and whether the planner interrupted the search.
    """
    solver.parameters.catch_sigint_signal = False
    with _FirstCtrlC() as ctrl_c:
        search = _Background(lambda: solver.solve(model, watcher), "cp-sat")
        search.wait(ctrl_c.pressed)
        if ctrl_c.pressed.is_set():
            solver.stop_search()  # a second Ctrl-C while it stops gives up on the roster
        code = search.result()
    return code, ctrl_c.pressed.is_set()


def extract_roster(solver: _Values, v: RosterVars, problem: RosterProblem) -> Roster:
    """The chosen shifts as Assignments, with their lunch, paid short breaks and exact cost.

    Paid hours and cost leave out the unpaid lunch only: short breaks are paid.
    """
    mult = v.mult
    at = lambda minute: week_minute_to_datetime(problem.week_start, minute)  # noqa: E731
    assignments = []
    for eid, options in v.options.items():
        employee = v.employees[eid]
        for k, o in enumerate(options):
            if not solver.boolean_value(v.shift[eid, k]):
                continue
            breaks = [m for m, var in v.brk[eid, o.day].items() if solver.boolean_value(var)]
            paid = [m for m in range(o.start, o.end)
                    if not any(b <= m < b + o.break_minutes for b in breaks)]
            cost = employee.hourly_cost / 60 * sum(mult[m % len(mult)] for m in paid)
            short = sorted(m for i in range(len(o.short_break_starts))
                           for m, var in v.short[eid, o.day, i].items()
                           if solver.boolean_value(var))
            assignments.append(Assignment(
                employee_id=eid,
                day=problem.week_start + dt.timedelta(days=o.day),
                start=at(o.start),
                end=at(o.end),
                breaks=tuple((at(b), at(b + o.break_minutes)) for b in breaks),
                paid_hours=len(paid) / 60,
                cost=round(cost, 2),
                short_breaks=tuple((at(m), at(m + o.short_break_minutes)) for m in short),
            ))
    assignments.sort(key=lambda a: (a.start, a.employee_id))
    return Roster(week_start=problem.week_start, assignments=tuple(assignments))


def _overtime(roster: Roster, problem: RosterProblem) -> float:
    hours: defaultdict[str, float] = defaultdict(float)
    for a in roster.assignments:
        hours[a.employee_id] += a.paid_hours
    employees = {e.employee_id: e for e in problem.workbook.employees}
    return sum(overtime_cost(problem.workbook, employees[eid], h) for eid, h in hours.items())


def _rule_breaks(solver: _Values, penalties: list[Penalty]) -> list[RuleBreak]:
    """Soft rules other than coverage that the roster breaks, in their own words."""
    result = []
    for p in penalties:
        if p.text and (n := solver.value(p.var)) > 0:
            result.append(RuleBreak(rule=p.rule, text=p.text.format(n=n),
                                    penalty=round(n * p.weight / 100, 2)))
    return result


def _shortfalls(
    solver: _Values, penalties: list[Penalty], problem: RosterProblem
) -> list[Shortfall]:
    result = []
    for p in penalties:
        if p.text:
            continue
        missing = solver.value(p.var)
        if missing > 0:
            result.append(Shortfall(what=p.what, interval_start=problem.moment(p.t),
                                    required=p.required, scheduled=p.required - missing))
    return result


def _allocation(solver: _Values, v: RosterVars, problem: RosterProblem) -> pd.DataFrame:
    """Agents serving each queue per interval, idle agents spread to where they help most."""
    alloc = {key: solver.value(var) for key, var in v.alloc.items()}
    on_duty = {key: solver.value(var) for key, var in v.on_duty.items()}
    skills = {pool_of(e): e.skills for e in v.employees.values() if e.role is Role.AGENT}
    interval_s = problem.interval * 60
    alloc = spread_idle_agents(alloc, on_duty, skills, problem.loads, interval_s)
    scheduled: defaultdict[tuple[str, int], int] = defaultdict(int)
    for (_, q, t), n in alloc.items():
        scheduled[q, t] += n
    rows = [(q, problem.moment(t), n) for (q, t), n in sorted(scheduled.items())]
    return pd.DataFrame(rows, columns=["queue", "interval_start", "scheduled_agents"])


def _role_on_duty(solver: _Values, v: RosterVars, problem: RosterProblem) -> pd.DataFrame:
    rows = []
    for role, t in sorted(problem.role_required):
        var = v.on_duty.get((role.value, t))
        rows.append((role.value, problem.moment(t), solver.value(var) if var is not None else 0))
    return pd.DataFrame(rows, columns=["role", "interval_start", "on_duty"])


__all__ = ["SolverSettings", "extract_roster", "solve_roster"]
