"""The weekly plan, one call per stage: read, forecast, require, roster (solve, check,
simulate, and with --verify re-solve where the simulation misses the target), summarize."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, cast

import pandas as pd

from forecasts import WeekForecast, forecast_week
from inputs import read_history, read_workbook
from inputs.domain import InputError, Role, Roster, Workbook
from inputs.plan_files import previous_roster
from scheduler.check import require_valid_roster
from scheduler.plan import Plan
from scheduler.planned import planned_service_levels
from scheduler.roster import (
    FreeTime,
    Progress,
    RosterProblem,
    SolveResult,
    SolverSettings,
    Week,
    free_time,
    solve_roster,
)
from scheduler.simulation import SimulationResult, cells_below_target, pooling_gain, simulate_week
from scheduler.staffing import (
    PatienceEstimate,
    QueueLoad,
    estimate_patience,
    pooled_requirements,
    queue_requirements,
    queue_sets,
    role_requirements,
    with_estimated_patience,
)
from scheduler.summary import (
    PoolingSummary,
    SimulatedServiceLevels,
    VerifyRound,
    build_summary,
)

Say = Callable[[str], None]
KEYS = ["queue", "interval_start"]
SIMULATED = [*KEYS, "simulated_service_level", "simulated_sl_lo", "simulated_sl_hi"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanRequest:
    """What the planner asked for: the files, the week, and optional solver overrides."""

    workbook_path: Path
    history_path: Path
    week_start: dt.date
    time_limit_s: float | None = None
    workers: int | None = None
    seed: int | None = None
    # Simulated weeks of the roster (0: do not simulate; the planned figures are then Erlang's
    # on the allocation). 20 keeps the planned queue-days within 4 points of independent
    # simulations (72/72 on the demo; 5 replications: 69/72), in 4-6 s on one core.
    replications: int = 20
    verify_rounds: int = 0  # re-solve rounds where the simulation misses the target
    previous_path: Path | None = None  # last week's shifts.csv or plan folder (--previous)


@dataclass(frozen=True, slots=True, kw_only=True)
class WeekNeeds:
    """A week's inputs read, forecast and turned into staff needed: where a plan starts, and
    all that `wfm requirements` writes.

    `workbook` carries the estimated patience where a queue asks for it; `warnings` say where
    an estimate could not be made. `requirements`: queue, interval_start, calls, aht_s,
    required_agents; `roles`: role, interval_start, required (open intervals only).
    """

    workbook: Workbook
    history: pd.DataFrame
    patience: list[PatienceEstimate]
    warnings: list[str]
    forecast: WeekForecast
    requirements: pd.DataFrame
    roles: pd.DataFrame


def week_needs(workbook_path: Path, history_path: Path, week_start: dt.date,
               say: Say = lambda _: None, clock: _Clock | None = None) -> WeekNeeds:
    """Read the workbook and history, forecast the week and work out the staff it needs;
    raise InputError for bad input. `clock` hears the laps read, forecast and requirements."""
    clock = clock or _Clock()
    workbook = read_workbook(workbook_path)
    check_week(workbook, week_start)
    history = read_week_history(history_path, workbook)
    patience = estimate_patience(history, [q.queue_id for q in workbook.queues])
    workbook, warnings = with_estimated_patience(workbook, patience)
    for warning in warnings:
        say(f"warning: {warning}")
    clock.lap("read")
    say(f"Forecasting {len(workbook.queues)} queues for the week of {week_start}")
    forecast = forecast_week(history, workbook, week_start, source=history_path.name)
    clock.lap("forecast")
    requirements = queue_requirements(forecast.table, workbook)
    roles = role_requirements(requirements, workbook)
    clock.lap("requirements")
    return WeekNeeds(workbook=workbook, history=history, patience=patience, warnings=warnings,
                     forecast=forecast, requirements=requirements, roles=roles)


def read_week_history(path: Path, workbook: Workbook) -> pd.DataFrame:
    """The call history read on the workbook's terms: its interval, its queues and its
    timezone; raise InputError for bad input."""
    return read_history(path, interval_minutes=workbook.center.interval_minutes,
                        queues=[q.queue_id for q in workbook.queues],
                        timezone=workbook.center.timezone)


def requirements_table(needs: WeekNeeds) -> pd.DataFrame:
    """`wfm requirements`' file: plan's requirements.csv columns before any roster, so
    scheduled_agents is blank and expected_service_level is that of exactly the agents
    required."""
    table = needs.requirements.assign(scheduled_agents=float("nan"))
    table["expected_service_level"] = planned_service_levels(
        table.assign(scheduled_agents=table["required_agents"]), needs.workbook)
    return table


def plan_week(request: PlanRequest, say: Say = lambda _: None,
              progress: Progress | None = None) -> Plan:
    """Plan one week end to end; raise InputError for bad input, RosterCheckError on a bug."""
    clock = _Clock()
    needs = week_needs(request.workbook_path, request.history_path, request.week_start, say,
                       clock)
    workbook, forecast, requirements, roles = (needs.workbook, needs.forecast,
                                               needs.requirements, needs.roles)
    previous = (previous_roster(request.previous_path, workbook, request.week_start)
                if request.previous_path is not None else None)
    settings = SolverSettings(
        time_limit_s=request.time_limit_s or workbook.center.solver_time_limit_s,
        workers=request.workers if request.workers is not None else workbook.center.solver_workers,
        seed=request.seed if request.seed is not None else workbook.center.seed,
    )
    say(f"Building the roster of {len(workbook.employees)} staff "
        f"(time limit {settings.time_limit_s:g} s)")
    result, requirements, simulation, verify_rounds, free = _roster(
        workbook, forecast.table, requirements, roles, request, settings, say, progress,
        previous)
    clock.lap("roster")
    pooling = _pooling(simulation, requirements, workbook)  # on the plan before the merge
    if simulation is not None:
        requirements = _planned_is_simulated(requirements.merge(
            simulation.intervals()[SIMULATED], on=KEYS, how="left"))
    roles = _roles_with_duty(roles, result)
    summary = build_summary(
        workbook=workbook, week_start=request.week_start, result=result,
        requirements=requirements, forecast=forecast, settings=settings,
        inputs=list(_inputs(request).values()), timings=clock.laps,
        patience=needs.patience, warnings=needs.warnings,
        simulated=(None if simulation is None else
                   SimulatedServiceLevels.from_entry(simulation.summary_entry())),
        pooling=pooling, verify=verify_rounds, free_time=free,
    )
    return Plan(workbook=workbook, week_start=request.week_start, forecast=forecast.table,
                requirements=requirements, role_requirements=roles, result=result,
                summary=summary, history=needs.history, inputs=_inputs(request))


def _planned_is_simulated(table: pd.DataFrame) -> pd.DataFrame:
    """The planned service level per queue and interval is the simulated one wherever the
    simulation offered calls (Erlang on the allocation elsewhere).

    Erlang per queue on the allocation planned the demo 2.3-10.5 points below what its
    roster simulates (0 of 12 queue-weeks within 2 points, 11 of 72 queue-days within 4);
    the simulator, which routes calls to multi-skilled agents as the floor does, agrees
    with independent simulations within their noise at 20 replications (12/12 and 72/72,
    bench/service_model/FINDINGS.md). So the figures the plan calls planned are the
    simulated ones, and day and week figures are their calls-weighted means.
    """
    simulated = table["simulated_service_level"]
    keep = (table["calls"] > 0) & simulated.notna()
    return table.assign(expected_service_level=table["expected_service_level"].where(
        ~keep, simulated))


def _inputs(request: PlanRequest) -> dict[str, Path]:
    """The source files copied into the plan's inputs/ folder."""
    files = {"workbook.xlsx": request.workbook_path, "history.csv": request.history_path}
    if request.previous_path is not None and request.previous_path.is_file():
        files["previous-shifts.csv"] = request.previous_path
    return files


class _Rostered(NamedTuple):
    """The last solve, the requirements with what it scheduled, its simulation (None when
    not simulated), one record per verify round, and the roster's free agent time."""

    result: SolveResult
    requirements: pd.DataFrame
    simulation: SimulationResult | None
    rounds: list[VerifyRound]
    free: FreeTime | None


def _roster(workbook: Workbook, forecast: pd.DataFrame, requirements: pd.DataFrame,
            roles: pd.DataFrame, request: PlanRequest, settings: SolverSettings, say: Say,
            progress: Progress | None, previous: Roster | None) -> _Rostered:
    """Solve and simulate; with --verify, raise what simulates below target and solve again."""
    problem = _problem(workbook, request.week_start, requirements, roles, previous)
    result = _solve(workbook, problem, settings, progress)
    requirements = _with_schedule(requirements, result, workbook)
    simulation = _simulate(workbook, result, forecast, request, settings, say)
    rounds: list[VerifyRound] = []
    for round_no in range(1, request.verify_rounds + 1):
        if simulation is None:
            break
        cells = cells_below_target(simulation, requirements, workbook)
        rounds.append(VerifyRound(round_no=round_no, cells_below_target=len(cells),
                                  cost=result.cost))
        if cells.empty:
            say(f"Verify round {round_no}: every queue-interval simulates at target")
            break
        say(f"Verify round {round_no}: {len(cells)} queue-intervals simulate below target; "
            "raising each by one agent and re-solving")
        raised = _raise(requirements, cells)
        problem = _problem(workbook, request.week_start, raised, roles, previous)
        again = _solve(workbook, problem, settings, progress, start=result.hint)
        if again.roster is None:
            say(f"Verify round {round_no}: the re-solve found no roster ({again.status.value}); "
                "keeping the previous roster")
            rounds[-1] = dataclasses.replace(rounds[-1], kept_previous=True)
            break
        result = again
        requirements = _with_schedule(raised, result, workbook)
        simulation = _simulate(workbook, result, forecast, request, settings, say)
    free = None if result.roster is None else free_time(
        problem, cast(Mapping[str, Week], result.hint))
    return _Rostered(result, requirements, simulation, rounds, free)


def _pooling(simulation: SimulationResult | None, requirements: pd.DataFrame,
             workbook: Workbook) -> PoolingSummary | None:
    """What pooling the skills gained over the plan's Erlang levels; None when not simulated."""
    if simulation is None:
        return None
    gain = pooling_gain(simulation, requirements, workbook)
    return PoolingSummary(saveable_agent_hours=round(gain.agent_hours, 1),
                          by_queue=gain.by_queue)


def _solve(workbook: Workbook, problem: RosterProblem, settings: SolverSettings,
           progress: Progress | None, start: Mapping[str, object] | None = None,
           ) -> SolveResult:
    """Solve (from `start`, an earlier roster's hint, if given), then re-check every hard
    rule with the independent checker."""
    result = solve_roster(problem, settings, progress, start)
    if result.roster is not None:
        require_valid_roster(workbook, result.roster, allocation=result.allocation,
                             previous=problem.previous)
    return result


def _simulate(workbook: Workbook, result: SolveResult, forecast: pd.DataFrame,
              request: PlanRequest, settings: SolverSettings,
              say: Say) -> SimulationResult | None:
    """Play the roster's week call by call (skills, breaks, abandonment, escalations)."""
    if result.roster is None or request.replications < 1:
        return None
    say(f"Simulating the roster's week ({request.replications} replications)")
    return simulate_week(workbook, result.roster, forecast, replications=request.replications,
                         seed=max(settings.seed, 0))


def _raise(requirements: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """One more agent in each cell the simulation found below target (schedule cleared)."""
    requirements = requirements.drop(columns=["scheduled_agents", "expected_service_level"])
    flagged = requirements.merge(cells[KEYS].assign(flag=1), on=KEYS, how="left")["flag"]
    return requirements.assign(
        required_agents=requirements["required_agents"] + flagged.fillna(0).astype(int).to_numpy())


class _Clock:
    def __init__(self) -> None:
        self.start = self.last = time.monotonic()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps[name] = round(now - self.last, 2)
        self.laps["total"] = round(now - self.start, 2)
        self.last = now


def check_week(workbook: Workbook, week_start: dt.date) -> None:
    """The planned week must start on the workbook's Center!week_start."""
    expected = workbook.center.week_start
    if week_start.weekday() != expected:
        names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        raise InputError(
            f"--week {week_start}: is a {names[week_start.weekday()]}, but the workbook's "
            f"week starts on {names[expected]} (Center!week_start) — pass the "
            f"{names[expected]} that starts the week"
        )


def week_to_check(workbook: Workbook, given: dt.date | None) -> dt.date:
    """The week asked for (it must start on Center!week_start), or else the next week that
    starts on Center!week_start, today included."""
    if given is None:
        today = dt.date.today()
        return today + dt.timedelta(days=(workbook.center.week_start - today.weekday()) % 7)
    check_week(workbook, given)
    return given


def _problem(workbook: Workbook, week_start: dt.date, requirements: pd.DataFrame,
             roles: pd.DataFrame, previous: Roster | None = None) -> RosterProblem:
    start = pd.Timestamp(week_start)
    step = pd.Timedelta(minutes=workbook.center.interval_minutes)
    index = lambda s: (pd.Series(pd.to_datetime(s) - start) // step).astype(int)  # noqa: E731
    queues = {q.queue_id: q for q in workbook.queues}
    loads = {
        (q, t): QueueLoad(queue=queues[q], calls=c, aht_s=a)
        for q, t, c, a in zip(requirements["queue"], index(requirements["interval_start"]),
                              requirements["calls"], requirements["aht_s"], strict=True)
    }
    center = workbook.center
    sets = [s for s in queue_sets(workbook) if len(s) > 1]  # singletons: queue_required
    pooled = pooled_requirements(loads, sets, interval_s=center.interval_minutes * 60.0,
                                 shrinkage=center.shrinkage)
    return RosterProblem(
        workbook=workbook, week_start=week_start, pooled_required=pooled,
        queue_required=dict(zip(zip(requirements["queue"], index(requirements["interval_start"]),
                                    strict=True), requirements["required_agents"].astype(int),
                                strict=True)),
        role_required=dict(zip(zip(roles["role"].map(Role), index(roles["interval_start"]),
                                   strict=True), roles["required"].astype(int), strict=True)),
        loads=loads,
        previous=previous,
    )


def _with_schedule(requirements: pd.DataFrame, result: SolveResult,
                   workbook: Workbook) -> pd.DataFrame:
    table = requirements.copy()
    if result.allocation is None:
        table["scheduled_agents"] = 0
    else:
        table = table.merge(result.allocation, on=["queue", "interval_start"], how="left")
        table["scheduled_agents"] = table["scheduled_agents"].fillna(0).astype(int)
    table["expected_service_level"] = planned_service_levels(table, workbook)
    return table


def _roles_with_duty(roles: pd.DataFrame, result: SolveResult) -> pd.DataFrame:
    if result.role_on_duty is None:
        return roles.assign(on_duty=0)
    return roles.merge(result.role_on_duty, on=["role", "interval_start"], how="left").fillna(
        {"on_duty": 0}).astype({"on_duty": int})
