"""summary.json: the plan's headline figures, and every interval that misses its target."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from forecasts import WeekForecast
from inputs.domain import Workbook
from scheduler.roster import SolveResult, SolverSettings, describe_shortfalls, span_service_levels
from scheduler.staffing import (
    PatienceEstimate,
    calls_weighted_level,
    meets_target,
    queue_abandon_rate,
    queue_service_level,
)


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


def planned_abandonment(table: pd.DataFrame, workbook: Workbook) -> dict[str, Any]:
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
    return {
        "planned": {"overall": round(abandoned_total / calls_total, 4) if calls_total else None,
                    "by_queue": by_queue},
        "note": ("Erlang A with each queue's patience" if not without else
                 "Erlang C (no abandonment) for queues without patience_s: " + ", ".join(without)),
    }


def _weighted(table: pd.DataFrame) -> float | None:
    level = calls_weighted_level(table)
    return None if level is None else round(level, 4)


def below_target(table: pd.DataFrame, workbook: Workbook) -> list[dict[str, Any]]:
    """Every open interval whose planned service level misses its queue's target."""
    targets = {q.queue_id: q.service_level for q in workbook.queues}
    rows = []
    for r in table.to_dict("records"):
        level = float(r["expected_service_level"])
        if not np.isnan(level) and not meets_target(level, targets[r["queue"]]):
            required, scheduled = int(r["required_agents"]), int(r["scheduled_agents"])
            rows.append({
                "queue": r["queue"],
                "interval_start": pd.Timestamp(r["interval_start"]).isoformat(),
                "planned_service_level": round(level, 4), "target": targets[r["queue"]],
                "required_agents": required, "scheduled_agents": scheduled,
                "shortfall_agents": max(required - scheduled, 0),
            })
    return rows


def _levels(keys: pd.Series, levels: pd.Series) -> dict[str, float]:
    """Plain JSON numbers keyed by queue or date."""
    return {str(k): round(float(x), 4) for k, x in zip(keys, levels, strict=True)}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version() -> str:
    try:
        return metadata.version("wfm")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_summary(*, workbook: Workbook, week_start: dt.date, result: SolveResult,
                  requirements: pd.DataFrame, forecast: WeekForecast, settings: SolverSettings,
                  inputs: list[Path], timings: dict[str, float],
                  patience: Sequence[PatienceEstimate] = (),
                  warnings: Sequence[str] = ()) -> dict[str, Any]:
    """The content of summary.json (DESIGN.md "Outputs")."""
    center = workbook.center
    hours: defaultdict[str, float] = defaultdict(float)
    if result.roster is not None:
        for a in result.roster.assignments:
            hours[a.employee_id] += a.paid_hours
    misses = below_target(requirements, workbook)
    levels = span_service_levels(requirements, workbook)
    days, weeks = levels[levels["span"] != "week"], levels[levels["span"] == "week"]
    return {
        "center": center.name,
        "week_start": week_start.isoformat(),
        "status": result.status.value,
        "cost": result.cost,
        "currency": center.currency,
        "lower_bound": result.bound,
        "gap": result.gap,
        "time_to_first_feasible_s": result.stats.get("first_feasible_s"),
        "runtime_s": timings,
        "seed": settings.seed,
        "solver": {"time_limit_s": settings.time_limit_s, "workers": settings.workers,
                   **result.stats},
        "service_level": {
            "target": center.service_level, "answer_seconds": center.answer_seconds,
            "scope": center.service_level_scope.value,
            "planned": {"overall": _weighted(requirements),
                        "by_queue": {q: _weighted(g) for q, g in requirements.groupby("queue")},
                        "by_queue_day": {str(q): _levels(g["span"], g["service_level"])
                                         for q, g in days.groupby("queue")},
                        "by_queue_week": _levels(weeks["queue"], weeks["service_level"])},
            "simulated": None,
        },
        "abandonment": planned_abandonment(requirements, workbook),
        "patience": [dataclasses.asdict(e) | {
            "used": any(q.queue_id == e.queue_id and q.estimate_patience and e.patience_s
                        for q in workbook.queues)} for e in patience],
        "warnings": list(warnings),
        "intervals_below_target": misses,
        "shortfalls": [
            {"what": s.what, "interval_start": s.interval_start.isoformat(),
             "required": s.required, "scheduled": s.scheduled, "missing": s.missing}
            for s in result.shortfalls
        ],
        "rule_report": describe_shortfalls(list(result.shortfalls), workbook,
                                           center.interval_minutes, week_start)
                       + [b.text for b in result.rule_breaks] + list(result.explanation),
        "soft_rules_broken": dict(Counter(b.rule for b in result.rule_breaks)),
        "staff": dict(Counter(e.role.value for e in workbook.employees)),
        "paid_hours": round(sum(hours.values()), 2),
        "forecast": [dataclasses.asdict(m) for m in forecast.models],
        "inputs": {p.name: {"sha256": _sha256(p)} for p in inputs},
        "version": _version(),
    }
