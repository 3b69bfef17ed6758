"""How CP-SAT is run: its parameters, the LP bound beside it, and a Ctrl-C that keeps the roster.

The search runs on a worker thread so the main thread stays free for Ctrl-C; the coverage-aware
LP bound (`scheduler.roster.bound`) is solved on another thread beside it, and each improved
roster is reported with the better of the two bounds.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ortools.sat.python import cp_model

from scheduler.roster.bound import LpBound, lp_bound
from scheduler.roster.model import RosterProblem
from scheduler.roster.result import SolveStatus

if TYPE_CHECKING:
    from scheduler.roster.solve import Progress, SolverSettings

STATUS: dict[Any, SolveStatus] = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.MODEL_INVALID: SolveStatus.UNKNOWN,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
}

_T = TypeVar("_T")


class Background(Generic[_T]):
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


class BoundRunner:
    """The coverage-aware bound (`scheduler.roster.bound`), solved on its own thread once the
    first roster exists, within what is left of the time limit; the search's bound is the
    better of CP-SAT's own and this one, once it is in."""

    def __init__(self, problem: RosterProblem, started: float, time_limit_s: float) -> None:
        self._problem = problem
        self._deadline = started + time_limit_s
        self._job: Background[LpBound | None] | None = None

    def start(self) -> None:
        left = max(self._deadline - time.monotonic(), 1.0)
        self._job = Background(lambda: lp_bound(self._problem, left), "lp-bound")

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


class Watcher(cp_model.CpSolverSolutionCallback):
    """Records when the first roster was found and reports each improvement."""

    def __init__(self, progress: Progress | None, offset: float = 0.0,
                 bound: BoundRunner | None = None) -> None:
        super().__init__()
        self.progress = progress
        self.offset = offset  # seconds of the roster step before the search
        self.bound = bound
        self.first_solution_s: float | None = None

    def on_solution_callback(self) -> None:
        if self.first_solution_s is None:
            self.first_solution_s = self.wall_time
        if self.progress is not None:
            bound = self.best_objective_bound
            if self.bound is not None:
                bound = self.bound.best(bound)
            self.progress(self.offset + self.wall_time, self.objective_value / 100, bound / 100)


class FirstCtrlC:
    """Within the block, the first Ctrl-C sets `pressed` instead of raising; a second raises
    KeyboardInterrupt. Only the main thread receives signals: elsewhere this does nothing."""

    def __init__(self) -> None:
        self.pressed = threading.Event()
        self._previous: Any = None
        self._installed = False

    def __enter__(self) -> FirstCtrlC:
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


def make_solver(settings: SolverSettings, seconds: float) -> cp_model.CpSolver:
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


def solve_interruptibly(solver: cp_model.CpSolver, model: cp_model.CpModel,
                        watcher: Watcher) -> tuple[Any, bool]:
    """Solve; Ctrl-C stops the search and keeps the best roster found so far.

    The search runs in a worker thread so that the main thread, which is where Python
    delivers Ctrl-C, stays free to ask CP-SAT to stop (CP-SAT's own SIGINT handler is turned
    off: it would stop the search silently, and the plan must say it was cut short).

    Returns:
        The solver's status code, and whether the planner interrupted the search.
    """
    solver.parameters.catch_sigint_signal = False
    with FirstCtrlC() as ctrl_c:
        search = Background(lambda: solver.solve(model, watcher), "cp-sat")
        search.wait(ctrl_c.pressed)
        if ctrl_c.pressed.is_set():
            solver.stop_search()  # a second Ctrl-C while it stops gives up on the roster
        code = search.result()
    return code, ctrl_c.pressed.is_set()


__all__ = ["STATUS", "Background", "BoundRunner", "FirstCtrlC", "Watcher", "make_solver",
           "solve_interruptibly"]
