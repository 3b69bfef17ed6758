"""Prove the service level: a discrete-event simulation of the roster answering the week.

Erlang C and Erlang A assume one queue, no breaks, no absence and exponential times; the
planner's question is whether *this* roster answers 80% of calls within 60 seconds. The
simulator plays the week call by call (`scheduler.simulation.engine`): arrivals per queue and
interval from the forecast (Poisson, or over-dispersed to the forecast's band) or replayed
from history; lognormal (or exponential) handle times around each interval's mean;
exponential patience with the queue's mean (`Queue.patience_s`; callers never hang up
when it is blank unless `SimulationSettings.patience_s` is given); the rostered agents
minus breaks, each shift missed with probability `Center.shrinkage`; skill-based routing
where a higher `Queue.priority` number is served first; a share
(`Queue.escalation_rate`) of answered calls transferred to the shift leads on duty.

    result = simulate_week(workbook, roster, forecast, replications=5, seed=0)
    result.intervals()       # queue, interval_start, simulated_service_level, ...
    result.summary_entry()   # summary.json's "simulated" entry

Service level = answered within the queue's `answer_seconds` / offered (abandoned calls
count against it); ASA is the mean wait of answered calls; occupancy is handling time over
time available (on shift, not on break; a chat counts 1/concurrency).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from inputs.domain import Role, Roster, Workbook
from scheduler.simulation.engine import Contacts, run_replication
from scheduler.simulation.stats import (
    Binning,
    Counts,
    Measures,
    count_trace,
    measures,
    stack_counts,
)
from scheduler.simulation.week_inputs import (
    ArrivalModel,
    ContactModel,
    HandleModel,
    IntervalLoad,
    Staffing,
    build_duty,
    build_staffing,
    draw_contacts,
    forecast_load,
    history_load,
    seconds_after,
)

__all__ = [
    "ArrivalModel",
    "HandleModel",
    "SimulationResult",
    "SimulationSettings",
    "simulate_week",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulationSettings:
    """How the week is simulated beyond what the workbook says.

    `absence` None takes `Center.shrinkage`; `patience_s` is the mean patience for queues
    whose `patience_s` is blank (None: those callers never hang up); `by_priority` False
    serves the longest-waiting call whatever its queue's priority; `workers` > 1 runs
    replications in that many processes (the results do not depend on it). A call still
    waiting `closing_grace_s` after its queue closes is dropped (counted as abandoned), so
    nobody waits overnight for the next shift.
    """

    arrivals: ArrivalModel = ArrivalModel.POISSON
    handle: HandleModel = HandleModel.LOGNORMAL
    handle_cv: float = 1.0  # Anonymous Bank 1999 talk times: CV 1.1-1.3 per queue
    patience_s: float | None = None
    absence: float | None = None
    by_priority: bool = True
    closing_grace_s: float = 0.0
    workers: int = 1


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class SimulationResult:
    """Per-replication counts of the simulated week, and the measures drawn from them.

    `agents` counts the queues' own contacts per (replication, queue, interval of arrival);
    `escalations` the transfers to shift leads by the queue they came from; `staff` holds
    busy and available seconds of [agents, shift leads] per replication and interval.
    """

    replications: int
    seed: int
    week_start: dt.date
    interval_minutes: int
    queues: tuple[str, ...]
    agents: Counts
    escalations: Counts
    staff: np.ndarray = field(repr=False)  # (replications, 2, 2, intervals)
    escalation_answer_s: float

    @property
    def interval_starts(self) -> pd.DatetimeIndex:
        return pd.date_range(pd.Timestamp(self.week_start), periods=self.agents.offered.shape[2],
                             freq=f"{self.interval_minutes}min")

    def intervals(self) -> pd.DataFrame:
        """Long table per queue and interval with calls: simulated level, its 95% interval,
        abandon rate, ASA and occupancy (of the agents skilled in the queue), offered,
        answered and abandoned (means over replications).
        """
        m = measures(self.agents)
        queue, when = np.nonzero(m.offered > 0)
        table = pd.DataFrame({
            "queue": np.asarray(self.queues, dtype=object)[queue],
            "interval_start": self.interval_starts[when],
            "simulated_service_level": m.service_level[queue, when],
            "simulated_sl_lo": m.sl_lo[queue, when], "simulated_sl_hi": m.sl_hi[queue, when],
            "simulated_abandon_rate": m.abandon_rate[queue, when],
            "simulated_asa_s": m.asa_s[queue, when],
            "simulated_occupancy": m.occupancy[queue, when],
            "simulated_offered": m.offered[queue, when],
            "simulated_answered": m.answered[queue, when],
            "simulated_abandoned": m.abandoned[queue, when],
        })  # fmt: skip
        return table.astype({"queue": "str"}).reset_index(drop=True)

    def _floor(self, keep: np.ndarray | None = None) -> Counts:
        """All queues summed, with the whole floor's agent time (each agent once)."""
        total = self.agents.over((1, 2), keep)
        time = self.staff[:, 0] if keep is None else self.staff[:, 0][:, :, keep]
        return total.with_time(time[:, 0].sum(-1)[:, None, None], time[:, 1].sum(-1)[:, None, None])

    def summary_entry(self) -> dict[str, Any]:
        """summary.json's simulated entry: overall, per queue, per day, and escalations."""
        per_queue = measures(self.agents.over((2,)))
        days = self.interval_starts.normalize()
        by_day = {}
        for day in days.unique():
            entry = _entry(measures(self._floor(np.asarray(days == day))), 0)
            if entry["offered"]:
                by_day[f"{day:%Y-%m-%d}"] = entry
        return {
            "replications": self.replications,
            "seed": self.seed,
            "overall": _entry(measures(self._floor()), 0),
            "by_queue": {q: _entry(per_queue, k) for k, q in enumerate(self.queues)},
            "by_day": by_day,
            "escalations": self._escalation_entry(),
        }

    def _escalation_entry(self) -> dict[str, Any]:
        leads = self.staff[:, 1]
        total = self.escalations.over((1, 2)).with_time(
            leads[:, 0].sum(-1)[:, None, None], leads[:, 1].sum(-1)[:, None, None])
        per_queue = self.escalations.over((2,)).offered.mean(axis=0)[:, 0]
        return {
            **_entry(measures(total), 0),
            "answer_seconds": self.escalation_answer_s,
            "offered_by_queue": {q: round(float(v), 2) for q, v in zip(self.queues, per_queue,
                                                                        strict=True)},
        }


def _entry(m: Measures, row: int) -> dict[str, Any]:
    """One summary.json entry from row `row` of flat (rows, 1) measures."""
    def number(values: np.ndarray, digits: int = 4) -> float | None:
        value = float(values.reshape(values.shape[0], -1)[row, 0])
        return None if np.isnan(value) else round(value, digits)

    return {
        "service_level": number(m.service_level),
        "ci95": [number(m.sl_lo), number(m.sl_hi)],
        "abandon_rate": number(m.abandon_rate),
        "asa_s": number(m.asa_s, 1),
        "occupancy": number(m.occupancy),
        "offered": number(m.offered, 1),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class _Job:
    """Everything one replication needs; plain data, so it can go to another process."""

    staffing: Staffing
    roster: Roster
    absence: float
    load: IntervalLoad | None
    replay: pd.DataFrame | None
    model: ContactModel
    binning: Binning


def simulate_week(workbook: Workbook, roster: Roster, forecast: pd.DataFrame | None = None, *,
                  history: pd.DataFrame | None = None, calls: pd.DataFrame | None = None,
                  replications: int = 5, seed: int = 0,
                  settings: SimulationSettings | None = None) -> SimulationResult:
    """Simulate the roster's week `replications` times and count what happened to every call.

    Give exactly one source of calls:
    - `forecast`: queue, interval_start, calls, calls_lo, calls_hi, aht_s (the plan's
      forecast; only open intervals of each queue get calls);
    - `history`: queue, interval_start, offered[, aht_s] (each interval's calls replayed at
      random times within it);
    - `calls`: one row per call with queue, arrival (timestamp), handle_s[, patience_s],
      replayed exactly.

    Args:
        workbook: the validated workbook (queues, staff, opening hours, shrinkage).
        roster: the week's shifts; its `week_start` is the simulated week.
        replications: independent runs of the week (2 or more give confidence intervals).
        seed: replication r uses numpy's generator seeded with [seed, r] (seed >= 0).
        settings: arrival and handle-time models, patience default, absence, workers.

    Raises:
        ValueError: not exactly one source of calls, replications < 1 or seed < 0.
    """
    settings = settings or SimulationSettings()
    if sum(x is not None for x in (forecast, history, calls)) != 1:
        raise ValueError("give exactly one of forecast, history or calls")
    if replications < 1 or seed < 0:
        raise ValueError(f"replications must be >= 1 and seed >= 0, got {replications}, {seed}")
    job = _job(workbook, roster, forecast, history, calls, settings)
    seeds = [(seed, r) for r in range(replications)]
    if settings.workers > 1 and replications > 1:
        with ProcessPoolExecutor(max_workers=min(settings.workers, replications)) as pool:
            counted = list(pool.map(_replicate, [job] * replications, seeds))
    else:
        counted = [_replicate(job, s) for s in seeds]
    return SimulationResult(
        replications=replications, seed=seed, week_start=roster.week_start,
        interval_minutes=workbook.center.interval_minutes, queues=tuple(
            q.queue_id for q in workbook.queues),
        agents=stack_counts([c[0] for c in counted]),
        escalations=stack_counts([c[1] for c in counted]),
        staff=np.stack([c[2] for c in counted]),
        escalation_answer_s=job.binning.answer_s[-1],
    )


def _job(workbook: Workbook, roster: Roster, forecast: pd.DataFrame | None,
         history: pd.DataFrame | None, calls: pd.DataFrame | None,
         settings: SimulationSettings) -> _Job:
    center = workbook.center
    staffing = build_staffing(workbook, by_priority=settings.by_priority)
    default_patience = np.inf if settings.patience_s is None else settings.patience_s
    lead_rule = workbook.coverage_for(Role.SHIFT_LEAD)
    lead_answer = (lead_rule.answer_seconds if lead_rule and lead_rule.answer_seconds
                   else center.answer_seconds)
    model = ContactModel(
        handle=settings.handle, handle_cv=settings.handle_cv,
        patience_s=tuple(default_patience if q.patience_s is None else q.patience_s
                         for q in workbook.queues),
        escalation_rate=tuple(q.escalation_rate for q in workbook.queues),
        escalation_handle_s=tuple(q.escalation_handle_s for q in workbook.queues),
        escalation_queue=staffing.escalation_queue, grace_s=settings.closing_grace_s,
    )
    load = None
    if forecast is not None:
        load = forecast_load(forecast, workbook, roster.week_start, settings.arrivals)
    elif history is not None:
        fallback = float(np.nanmean(history["aht_s"])) if "aht_s" in history else 300.0
        load = history_load(history, workbook, roster.week_start, fallback)
    binning = Binning(
        interval_s=center.interval_minutes * 60.0, bins=7 * 1440 // center.interval_minutes,
        answer_s=(*(float(q.answer_seconds) for q in workbook.queues), float(lead_answer)),
        staffing=staffing,
    )
    replay = None if calls is None else _replay_table(calls, workbook, roster.week_start)
    absence = center.shrinkage if settings.absence is None else settings.absence
    return _Job(staffing=staffing, roster=roster, absence=absence, load=load, replay=replay,
                model=model, binning=binning)


def _replay_table(calls: pd.DataFrame, workbook: Workbook, week_start: dt.date) -> pd.DataFrame:
    index = {q.queue_id: k for k, q in enumerate(workbook.queues)}
    unknown = sorted(set(calls["queue"]) - set(index))
    if unknown:
        raise ValueError(f"calls: queues {unknown} are not in the workbook")
    table = pd.DataFrame({
        "arrival_s": [seconds_after(t, week_start) for t in pd.to_datetime(calls["arrival"])],
        "queue": calls["queue"].map(index).astype("int64"),
        "handle_s": calls["handle_s"].astype(float),
    })  # fmt: skip
    if "patience_s" in calls:
        table["patience_s"] = calls["patience_s"].astype(float).fillna(np.inf)
    return table


def _replicate(job: _Job, seed: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One replication: draw the contacts and who turns up, run, count."""
    rng = np.random.default_rng(list(seed))
    duty = build_duty(job.roster, job.staffing, job.absence, rng)
    contacts: Contacts
    if job.load is not None:
        contacts = draw_contacts(job.load, job.model, job.binning.interval_s, rng)
    else:
        assert job.replay is not None
        r = job.replay
        contacts = job.model.contacts(
            r["arrival_s"].to_numpy(float), r["queue"].to_numpy(np.int64),
            r["handle_s"].to_numpy(float), rng,
            r["patience_s"].to_numpy(float) if "patience_s" in r else None)
    trace = run_replication(job.staffing.floor, contacts, duty)
    return count_trace(trace, job.binning)
