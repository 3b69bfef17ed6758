"""What the plan promises by Erlang (C, or A where a queue has a patience) on the scheduled
agents: service levels weighted by forecast calls, abandonment, and the intervals that miss.

These are the summary's planned figures (scheduler.summary); issue 18 moves their source to
the simulator, behind the same types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from inputs.domain import Workbook
from scheduler.roster import span_service_levels
from scheduler.staffing import (
    calls_weighted_level,
    meets_target,
    queue_abandon_rate,
    queue_service_level,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedServiceLevels:
    """The planned service level of the scheduled agents, weighted by forecast calls: overall,
    per queue, per queue and day (by date), and per queue over the week."""

    overall: float | None
    by_queue: Mapping[str, float | None]
    by_queue_day: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    by_queue_week: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedAbandonment:
    """Erlang A's share of calls abandoned with the scheduled agents, overall and per queue
    (queues with a patience only); `note` says which queues were planned without one."""

    overall: float | None
    by_queue: Mapping[str, float]
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {"planned": {"overall": self.overall, "by_queue": dict(self.by_queue)},
                "note": self.note}


@dataclass(frozen=True, slots=True, kw_only=True)
class IntervalBelowTarget:
    """An open interval whose planned service level misses its queue's target."""

    queue: str
    interval_start: pd.Timestamp
    planned_service_level: float
    target: float
    required_agents: int
    scheduled_agents: int
    shortfall_agents: int

    def as_dict(self) -> dict[str, Any]:
        return {"queue": self.queue, "interval_start": self.interval_start.isoformat(),
                "planned_service_level": self.planned_service_level, "target": self.target,
                "required_agents": self.required_agents,
                "scheduled_agents": self.scheduled_agents,
                "shortfall_agents": self.shortfall_agents}


# ---------------------------------------------------------------- working them out


def planned_service_levels(table: pd.DataFrame, workbook: Workbook) -> np.ndarray:
    """Erlang service level of the scheduled agents per row; NaN where no calls are expected."""
    result = np.full(len(table), np.nan)
    interval_s = workbook.center.interval_minutes * 60
    for queue in workbook.queues:
        rows = (table["queue"] == queue.queue_id).to_numpy() & (table["calls"] > 0).to_numpy()
        if rows.any():
            result[rows] = queue_service_level(
                queue, calls=table.loc[rows, "calls"].to_numpy(float),
                aht_s=table.loc[rows, "aht_s"].to_numpy(float),
                agents=table.loc[rows, "scheduled_agents"].to_numpy(float), interval_s=interval_s)
    return result


def planned_abandonment(table: pd.DataFrame, workbook: Workbook) -> PlannedAbandonment:
    """Erlang A's share of calls abandoned with the scheduled agents, per queue and overall.

    Only queues with a patience (set or estimated) have a figure; Erlang C plans assume that
    nobody hangs up, so their abandonment is unknown rather than zero.
    """
    interval_s = workbook.center.interval_minutes * 60
    by_queue: dict[str, float] = {}
    calls_total = abandoned_total = 0.0
    for queue in workbook.queues:
        rows = table[(table["queue"] == queue.queue_id) & (table["calls"] > 0)]
        rate = queue_abandon_rate(queue, calls=rows["calls"].to_numpy(float),
                                  aht_s=rows["aht_s"].to_numpy(float),
                                  agents=rows["scheduled_agents"].to_numpy(float),
                                  interval_s=interval_s)
        if rate is None or rows.empty:
            continue
        calls = rows["calls"].to_numpy(float)
        by_queue[queue.queue_id] = round(float(np.average(rate, weights=calls)), 4)
        calls_total += calls.sum()
        abandoned_total += float((rate * calls).sum())
    without = [q.queue_id for q in workbook.queues if q.patience_s is None]
    return PlannedAbandonment(
        overall=round(abandoned_total / calls_total, 4) if calls_total else None,
        by_queue=by_queue,
        note=("Erlang A with each queue's patience" if not without else
              "Erlang C (no abandonment) for queues without patience_s: " + ", ".join(without)),
    )


def _weighted(table: pd.DataFrame) -> float | None:
    level = calls_weighted_level(table)
    return None if level is None else round(level, 4)


def below_target(table: pd.DataFrame, workbook: Workbook) -> list[IntervalBelowTarget]:
    """Every open interval whose planned service level misses its queue's target."""
    targets = {q.queue_id: q.service_level for q in workbook.queues}
    rows = []
    for r in table.to_dict("records"):
        level = float(r["expected_service_level"])
        if not np.isnan(level) and not meets_target(level, targets[r["queue"]]):
            required, scheduled = int(r["required_agents"]), int(r["scheduled_agents"])
            rows.append(IntervalBelowTarget(
                queue=r["queue"], interval_start=pd.Timestamp(r["interval_start"]),
                planned_service_level=round(level, 4), target=targets[r["queue"]],
                required_agents=required, scheduled_agents=scheduled,
                shortfall_agents=max(required - scheduled, 0),
            ))
    return rows


def _levels(keys: pd.Series, levels: pd.Series) -> dict[str, float]:
    """Plain JSON numbers keyed by queue or date."""
    return {str(k): round(float(x), 4) for k, x in zip(keys, levels, strict=True)}


def planned_levels(requirements: pd.DataFrame, workbook: Workbook) -> PlannedServiceLevels:
    """The scheduled agents' planned service level weighted by forecast calls: overall, per
    queue, per queue and day, and per queue over the week."""
    levels = span_service_levels(requirements, workbook)
    days, weeks = levels[levels["span"] != "week"], levels[levels["span"] == "week"]
    return PlannedServiceLevels(
        overall=_weighted(requirements),
        by_queue={str(q): _weighted(g) for q, g in requirements.groupby("queue")},
        by_queue_day={str(q): _levels(g["span"], g["service_level"])
                      for q, g in days.groupby("queue")},
        by_queue_week=_levels(weeks["queue"], weeks["service_level"]),
    )
