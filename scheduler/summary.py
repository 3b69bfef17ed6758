"""summary.json: the plan's headline figures, and every interval that misses its target.

`PlanSummary` holds them typed, built complete once by `build_summary`; `PlanSummary.as_dict`
is the one place that lays them out as summary.json's keys, in the order other tools read
(DESIGN.md "Outputs"). The planned (Erlang) figures are worked out in `scheduler.planned`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from forecasts import QueueForecastReport, WeekForecast
from inputs.domain import Workbook
from scheduler.planned import (
    IntervalBelowTarget,
    PlannedAbandonment,
    PlannedServiceLevels,
    below_target,
    planned_abandonment,
    planned_levels,
)
from scheduler.roster import (
    FreeTime,
    Shortfall,
    SolveResult,
    SolverSettings,
    describe_shortfalls,
)
from scheduler.staffing import PatienceEstimate

POOLING_NOTE = ("agent-hours the plan could drop because multi-skilled agents answer each "
                "other's queues (a rough upper estimate)")

# ---------------------------------------------------------------- the typed summary


@dataclass(frozen=True, slots=True, kw_only=True)
class SolveSummary:
    """How the roster was found: the solver's status, the roster's cost and how far the proof
    of the cheapest roster got.

    `stats` are the solver's figures as the roster stage reports them (objective, bounds,
    interrupted, roster_from, ...); summary.json's `solver` entry is the settings then these.
    """

    status: str
    cost: float | None
    lower_bound: float | None
    gap: float | None
    seed: int
    time_limit_s: float
    workers: int
    stats: Mapping[str, float | int | str] = field(default_factory=dict)

    @property
    def objective(self) -> float | None:
        """Cost plus shortfall penalties: what the lower bound bounds."""
        value = self.stats.get("objective")
        return None if value is None else float(value)

    @property
    def interrupted(self) -> bool:
        """The planner stopped the search (Ctrl-C); the roster is the best found so far."""
        return bool(self.stats.get("interrupted"))

    @property
    def time_to_first_feasible_s(self) -> float | int | str | None:
        return self.stats.get("first_feasible_s")


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulatedFigures:
    """What the simulated weeks measured over one span (a queue, a day, the whole floor):
    service level with its 95% confidence interval, abandonment, mean wait, occupancy and the
    calls offered; None where there were no calls."""

    service_level: float | None
    ci95: tuple[float | None, float | None] = (None, None)
    abandon_rate: float | None = None
    asa_s: float | None = None
    occupancy: float | None = None
    offered: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulatedEscalations(SimulatedFigures):
    """The shift leads' escalation queue as simulated, with the calls each queue sent to it."""

    answer_seconds: int | float | None = None
    offered_by_queue: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulatedServiceLevels:
    """The roster played call by call over `replications` weeks: overall, per queue, per day
    (by date) and the escalations to shift leads."""

    replications: int
    seed: int
    overall: SimulatedFigures
    by_queue: Mapping[str, SimulatedFigures] = field(default_factory=dict)
    by_day: Mapping[str, SimulatedFigures] = field(default_factory=dict)
    escalations: SimulatedEscalations | None = None

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> SimulatedServiceLevels:
        """From the simulation's own summary entry (`SimulationResult.summary_entry`)."""
        figures = lambda e: SimulatedFigures(**{**e, "ci95": tuple(e["ci95"])})  # noqa: E731
        escalations = entry.get("escalations")
        return cls(
            replications=entry["replications"], seed=entry["seed"],
            overall=figures(entry["overall"]),
            by_queue={q: figures(e) for q, e in entry["by_queue"].items()},
            by_day={d: figures(e) for d, e in entry["by_day"].items()},
            escalations=None if escalations is None else SimulatedEscalations(
                **{**escalations, "ci95": tuple(escalations["ci95"])}),
        )  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceLevelSummary:
    """The service level the plan promises against its target: planned (Erlang on the
    scheduled agents today) and, when the roster was simulated, measured by simulation."""

    target: float
    answer_seconds: int
    scope: str
    planned: PlannedServiceLevels
    simulated: SimulatedServiceLevels | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PatienceUse:
    """One queue's estimated patience, and whether the plan used it."""

    estimate: PatienceEstimate
    used: bool

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self.estimate) | {"used": self.used}


@dataclass(frozen=True, slots=True, kw_only=True)
class PoolingSummary:
    """Agent-hours the plan could drop because multi-skilled agents answer each other's
    queues, overall and per queue (from the simulation; a rough upper estimate)."""

    saveable_agent_hours: float
    by_queue: Mapping[str, float]
    note: str = POOLING_NOTE


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifyRound:
    """One --verify round: queue-intervals simulated below target, the cost of the roster
    checked, and whether the re-solve failed so the previous roster was kept."""

    round_no: int
    cells_below_target: int
    cost: float | None
    kept_previous: bool = False

    def as_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"round": self.round_no,
                                 "cells_below_target": self.cells_below_target,
                                 "cost": self.cost}
        if self.kept_previous:
            entry["kept_previous"] = True
        return entry


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanSummary:
    """The plan's headline figures: what summary.json holds, typed.

    `runtime_s` is the seconds per pipeline step and in total; `inputs` maps a copied input
    file's name to its SHA-256; `pooling` is None and `verify` empty when not simulated.
    """

    center: str
    week_start: dt.date
    currency: str
    solve: SolveSummary
    runtime_s: Mapping[str, float]
    service_level: ServiceLevelSummary
    abandonment: PlannedAbandonment
    patience: tuple[PatienceUse, ...] = ()
    warnings: tuple[str, ...] = ()
    intervals_below_target: tuple[IntervalBelowTarget, ...] = ()
    shortfalls: tuple[Shortfall, ...] = ()
    rule_report: tuple[str, ...] = ()
    soft_rules_broken: Mapping[str, int] = field(default_factory=dict)
    staff: Mapping[str, int] = field(default_factory=dict)
    paid_hours: float = 0.0
    forecast: tuple[QueueForecastReport, ...] = ()
    inputs: Mapping[str, str] = field(default_factory=dict)
    version: str = "unknown"
    pooling: PoolingSummary | None = None
    verify: tuple[VerifyRound, ...] = ()
    free_time: FreeTime | None = None  # agent time the service model does not need

    def as_dict(self) -> dict[str, Any]:
        """summary.json's content, key for key in its published order (DESIGN.md "Outputs")."""
        solve = self.solve
        return {
            "center": self.center,
            "week_start": self.week_start.isoformat(),
            "status": solve.status,
            "cost": solve.cost,
            "currency": self.currency,
            "lower_bound": solve.lower_bound,
            "gap": solve.gap,
            "time_to_first_feasible_s": solve.time_to_first_feasible_s,
            "runtime_s": dict(self.runtime_s),
            "seed": solve.seed,
            "solver": {"time_limit_s": solve.time_limit_s, "workers": solve.workers,
                       **solve.stats},
            "service_level": _plain(self.service_level),
            "abandonment": self.abandonment.as_dict(),
            "patience": [p.as_dict() for p in self.patience],
            "warnings": list(self.warnings),
            "intervals_below_target": [m.as_dict() for m in self.intervals_below_target],
            "shortfalls": [
                {"what": s.what, "interval_start": s.interval_start.isoformat(),
                 "required": s.required, "scheduled": s.scheduled, "missing": s.missing}
                for s in self.shortfalls
            ],
            "rule_report": list(self.rule_report),
            "soft_rules_broken": dict(self.soft_rules_broken),
            "staff": dict(self.staff),
            "paid_hours": self.paid_hours,
            "forecast": [dataclasses.asdict(m) for m in self.forecast],
            "inputs": {name: {"sha256": digest} for name, digest in self.inputs.items()},
            "version": self.version,
            "pooling": None if self.pooling is None else _plain(self.pooling),
            "verify": [r.as_dict() for r in self.verify],
            "free_agent_time": None if self.free_time is None else self.free_time.as_dict(),
        }  # fmt: skip


def _plain(value: Any) -> Any:
    """A summary part as plain JSON values: dataclasses as dicts in field order, tuples as
    lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


# ---------------------------------------------------------------- building it


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version() -> str:
    try:
        return metadata.version("wfm")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_summary(*, workbook: Workbook, week_start: dt.date, result: SolveResult,
                  requirements: pd.DataFrame, forecast: WeekForecast, settings: SolverSettings,
                  inputs: list[Path], timings: Mapping[str, float],
                  patience: Sequence[PatienceEstimate] = (), warnings: Sequence[str] = (),
                  simulated: SimulatedServiceLevels | None = None,
                  pooling: PoolingSummary | None = None,
                  verify: Sequence[VerifyRound] = (),
                  free_time: FreeTime | None = None) -> PlanSummary:
    """The plan's headline figures, complete (DESIGN.md "Outputs": summary.json).

    `simulated`, `pooling` and `verify` are what the simulation and --verify rounds found;
    None and empty when the roster was not simulated. `free_time` is the roster's agent
    time beyond what the service model needs (`scheduler.roster.free_time`).
    """
    center = workbook.center
    hours: defaultdict[str, float] = defaultdict(float)
    if result.roster is not None:
        for a in result.roster.assignments:
            hours[a.employee_id] += a.paid_hours
    return PlanSummary(
        center=center.name, week_start=week_start, currency=center.currency,
        solve=SolveSummary(status=result.status.value, cost=result.cost,
                           lower_bound=result.bound, gap=result.gap, seed=settings.seed,
                           time_limit_s=settings.time_limit_s, workers=settings.workers,
                           stats=dict(result.stats)),
        runtime_s=dict(timings),
        service_level=ServiceLevelSummary(
            target=center.service_level, answer_seconds=center.answer_seconds,
            scope=center.service_level_scope.value,
            planned=planned_levels(requirements, workbook), simulated=simulated),
        abandonment=planned_abandonment(requirements, workbook),
        patience=tuple(PatienceUse(estimate=e, used=any(
            q.queue_id == e.queue_id and q.estimate_patience and e.patience_s
            for q in workbook.queues)) for e in patience),
        warnings=tuple(warnings),
        intervals_below_target=tuple(below_target(requirements, workbook)),
        shortfalls=tuple(result.shortfalls),
        rule_report=(*describe_shortfalls(list(result.shortfalls), workbook,
                                          center.interval_minutes, week_start),
                     *(b.text for b in result.rule_breaks), *result.explanation),
        soft_rules_broken=dict(Counter(b.rule for b in result.rule_breaks)),
        staff=dict(Counter(e.role.value for e in workbook.employees)),
        paid_hours=round(sum(hours.values()), 2),
        forecast=tuple(forecast.models),
        inputs={p.name: _sha256(p) for p in inputs},
        version=_version(), pooling=pooling, verify=tuple(verify), free_time=free_time,
    )  # fmt: skip
