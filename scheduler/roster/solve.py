"""Solve the roster with CP-SAT: every rule from the registry, cost plus shortfall penalties."""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import cast

from ortools.sat.python import cp_model

from scheduler.roster.construct import construct_hint, greedy_work
from scheduler.roster.cost import add_cost
from scheduler.roster.explain import contract_conflicts
from scheduler.roster.extract import HintValues, read_result
from scheduler.roster.hint import Week, apply_hint
from scheduler.roster.infeasible import infeasible_rule_lines
from scheduler.roster.model import RosterProblem, RosterVars, build_vars
from scheduler.roster.polish import polish
from scheduler.roster.result import SolveResult, SolveStatus
from scheduler.roster.rules import RULES, Penalty
from scheduler.roster.search import (
    STATUS,
    Background,
    BoundRunner,
    FirstCtrlC,
    Watcher,
    make_solver,
    solve_interruptibly,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SolverSettings:
    """Explicit, reproducible solver settings (STYLE.md item 8)."""

    time_limit_s: float = 120.0
    workers: int = 0  # 0: CP-SAT picks one per core
    seed: int = 0


# Seconds since the roster step started, best objective and bound (currency); the bound is
# NaN while the greedy first roster is polished (the model that proves it is not solved yet).
Progress = Callable[[float, float, float], None]



@dataclass(frozen=True, slots=True, kw_only=True)
class _Built:
    """The full model with the first roster as its hint, and what building them took."""

    model: cp_model.CpModel
    v: RosterVars
    penalties: list[Penalty]
    weeks: dict[str, Week] | None  # the first roster (None: the greedy found none)
    start_stats: dict[str, float | int]
    modelled: float  # seconds to build the model
    built: float  # seconds from the start of the roster step to the search
    ctrl_c: bool  # a first Ctrl-C came before the search


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
    bound = BoundRunner(problem, started, settings.time_limit_s)
    built = _model_and_first_roster(problem, settings, progress, start, started, bound)
    if built.ctrl_c:
        return _interrupted_before_search(problem, built)
    return _search(problem, settings, progress, built, bound)


def _build_model(problem: RosterProblem,
                 ) -> tuple[cp_model.CpModel, RosterVars, list[Penalty]]:
    """The full model: every rule of the registry, minimising cost plus the penalties."""
    model = cp_model.CpModel()
    v = build_vars(model, problem)
    penalties: list[Penalty] = []
    for rule in RULES:
        penalties.extend(rule.add(model, v, problem))
    cost = add_cost(model, v, problem)
    model.minimize(cost + sum(p.weight * p.var for p in penalties))
    return model, v, penalties


def _model_and_first_roster(
    problem: RosterProblem, settings: SolverSettings, progress: Progress | None,
    start: Mapping[str, object] | None, started: float, bound: BoundRunner,
) -> _Built:
    """The full model, hinted with the first roster (`start`, or the greedy one, polished)."""
    # The greedy first roster is built on every core first (the first roster comes soonest
    # so); the full model is then built while the greedy roster is polished in the background
    # (CP-SAT frees the interpreter while it solves each employee's week), and the bound that
    # sees coverage is solved beside them. A first Ctrl-C meanwhile stops the greedy or the
    # polish and keeps the roster so far; a second gives up.
    with FirstCtrlC() as ctrl_c:
        greedy_done = threading.Event()
        greedy = None if start else Background(lambda: _first_roster(
            problem, settings, started, ctrl_c.pressed, greedy_done, progress), "greedy-start")
        try:
            if greedy is not None:
                greedy.wait(greedy_done)
                if ctrl_c.pressed.is_set() and greedy.result()[0] is None:
                    raise KeyboardInterrupt  # before the greedy had a roster: nothing to keep
            bound.start()  # after the first roster: it would slow the greedy down
            building = time.monotonic()
            model, v, penalties = _build_model(problem)
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
    return _Built(model=model, v=v, penalties=penalties, weeks=weeks,
                  start_stats=start_stats, modelled=modelled,
                  built=time.monotonic() - started, ctrl_c=ctrl_c.pressed.is_set())


def _interrupted_before_search(problem: RosterProblem, b: _Built) -> SolveResult:
    """After a first Ctrl-C before the search: the first roster as far as it was polished."""
    if b.weeks is None:
        raise KeyboardInterrupt  # no roster yet: nothing to keep
    cut: dict[str, float | int | str] = {
        "build_s": round(b.modelled, 2), **b.start_stats, "solve_s": 0.0, "interrupted": 1,
        "roster_from": "greedy start",
        "first_feasible_s": b.start_stats.get("first_feasible_s", round(b.built, 2))}
    return read_result(HintValues(b.model), b.v, problem, b.penalties, SolveStatus.FEASIBLE,
                       None, None, cut,
                       ("Interrupted (Ctrl-C) before the search: this is the greedy first "
                        "roster as far as it was polished (every hard rule holds; its soft "
                        "wishes and fairness are not priced).",))


def _search(problem: RosterProblem, settings: SolverSettings, progress: Progress | None,
            b: _Built, bound: BoundRunner) -> SolveResult:
    """CP-SAT's search from the first roster, and the roster it ends with."""
    # The time limit is the whole roster step's: the model and the greedy start spend from it
    # (the search keeps at least 10 s).
    solver = make_solver(settings, max(settings.time_limit_s - b.built, 10.0))
    watcher = Watcher(progress, b.built, bound)
    code, interrupted = solve_interruptibly(solver, b.model, watcher)
    # From the start of this call. The greedy start is itself a complete roster under every
    # hard rule, so the first feasible roster exists once it is built.
    feasible = (b.start_stats.get("first_feasible_s", b.built) if b.weeks is not None
                else None if watcher.first_solution_s is None
                else b.built + watcher.first_solution_s)
    stats: dict[str, float | int | str] = {
        "build_s": round(b.modelled, 2),
        **b.start_stats,
        "solve_s": round(solver.wall_time, 2),
        "first_feasible_s": -1.0 if feasible is None else round(feasible, 2),
        "variables": len(b.model.proto.variables),
        "constraints": len(b.model.proto.constraints),
        "solver_status": solver.status_name(code),
        "interrupted": int(interrupted),
        **bound.stats(solver.best_objective_bound),
    }
    return _search_result(problem, settings, solver, STATUS[code], b, bound, stats)


def _search_result(problem: RosterProblem, settings: SolverSettings,
                   solver: cp_model.CpSolver, status: SolveStatus, b: _Built,
                   bound: BoundRunner, stats: dict[str, float | int | str]) -> SolveResult:
    """The search's roster; the first roster if the search found none; else why not."""
    if status is SolveStatus.UNKNOWN and b.weeks is not None:
        # No roster from the search in the time (or Ctrl-C before one): the greedy start is
        # one, and a better answer than none.
        return read_result(HintValues(b.model), b.v, problem, b.penalties,
                           SolveStatus.FEASIBLE, None, None,
                           stats | {"roster_from": "greedy start"},
                           ("The search found no roster within the time; this is the greedy "
                            "first roster (every hard rule holds, coverage is rougher; its "
                            "soft wishes and fairness are not priced). Allow more time for a "
                            "better one.",))
    if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        why = ("The hard rules contradict each other: no roster satisfies them all."
               if status is SolveStatus.INFEASIBLE
               else f"No roster found within {settings.time_limit_s:g} s; allow more time.")
        named = infeasible_rule_lines(problem) if status is SolveStatus.INFEASIBLE else []
        return SolveResult(status=status, roster=None, cost=None, bound=None, gap=None,
                           explanation=(why, *named), stats=stats)
    objective, best = solver.objective_value, bound.best(solver.best_objective_bound)
    gap = round((objective - best) / objective, 6) if objective > 0 else 0.0
    # The bound is on the objective (cost plus shortfall and soft-rule penalties), which can
    # exceed the cost alone: both are reported.
    return read_result(solver, b.v, problem, b.penalties, status, round(best / 100, 2), gap,
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



__all__ = ["Progress", "SolverSettings", "solve_roster"]
