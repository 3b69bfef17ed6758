"""Staff needed per queue and per lead role in every open interval of the week."""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from forecasts import calls_at_quantile
from forecasts.calendar import open_mask
from inputs.domain import CoverageRule, Role, Workbook
from scheduler.staffing.agents import apply_shrinkage, required_agents
from scheduler.staffing.service import queue_required_agents


def queue_requirements(forecast: pd.DataFrame, workbook: Workbook) -> pd.DataFrame:
    """Agents each queue needs per open interval to meet its service level, after shrinkage.

    Erlang C on the forecast calls and handle time, or Erlang A where the queue's patience
    is known; chat queues count each agent as `concurrency` servers (scheduler.staffing.service).
    With Center!forecast_quantile set, `calls` is that quantile of the forecast (staffing for
    a busier week than expected) rather than its mean.
    Returns queue, interval_start, calls, aht_s, required_agents (open intervals).
    """
    interval_s = workbook.center.interval_minutes * 60
    forecast = forecast.assign(calls=calls_at_quantile(forecast, workbook.center.forecast_quantile))
    parts = []
    for queue in workbook.queues:
        rows = forecast[forecast["queue"] == queue.queue_id]
        rows = rows[open_mask(pd.DatetimeIndex(rows["interval_start"]), workbook, queue.queue_id)]
        raw = queue_required_agents(queue, calls=rows["calls"].to_numpy(float),
                                    aht_s=rows["aht_s"].to_numpy(float), interval_s=interval_s)
        parts.append(rows[["queue", "interval_start", "calls", "aht_s"]].assign(
            required_agents=apply_shrinkage(raw, workbook.center.shrinkage)))
    return pd.concat(parts, ignore_index=True)


def role_requirements(requirements: pd.DataFrame, workbook: Workbook) -> pd.DataFrame:
    """Shift leads, floor leads and managers needed on duty per open interval.

    Shift leads answer the calls agents transfer to them (each queue's escalation rate of
    its calls, at its escalation handle time) to the Coverage sheet's own target, and never
    fall below `min_on_duty`; floor leads are at least `min_on_duty` and one per
    `per_agents` agents required; other roles are `min_on_duty`.
    """
    stamps = pd.Series(sorted(requirements["interval_start"].unique()))
    stamps = stamps[open_mask(pd.DatetimeIndex(stamps), workbook, None)].reset_index(drop=True)
    wide = requirements.pivot_table(
        index="interval_start", columns="queue", values=["calls", "required_agents"],
        aggfunc="sum", fill_value=0,
    ).reindex(stamps, fill_value=0)
    parts = []
    for rule in workbook.coverage:
        need = np.full(len(stamps), rule.min_on_duty, dtype=np.int64)
        if rule.role is Role.SHIFT_LEAD:
            calls = cast(pd.DataFrame, wide["calls"])  # one column per queue
            need = np.maximum(need, _escalation_leads(calls, workbook, rule))
        if rule.role is Role.FLOOR_LEAD and rule.per_agents:
            required = cast(pd.DataFrame, wide["required_agents"])
            agents = required.sum(axis=1).to_numpy()
            need = np.maximum(need, -(-agents // rule.per_agents))
        parts.append(pd.DataFrame({"role": rule.role.value, "interval_start": stamps,
                                   "required": need}))
    if not parts:
        return pd.DataFrame(columns=["role", "interval_start", "required"])
    return pd.concat(parts, ignore_index=True)


def _escalation_leads(calls: pd.DataFrame, workbook: Workbook, rule: CoverageRule) -> np.ndarray:
    rates = {q.queue_id: q.escalation_rate for q in workbook.queues}
    handle = {q.queue_id: q.escalation_handle_s for q in workbook.queues}
    escalated = sum(calls[q].to_numpy() * rates[q] for q in calls.columns)
    work = sum(calls[q].to_numpy() * rates[q] * handle[q] for q in calls.columns)
    escalated = np.asarray(escalated, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_handle = np.where(escalated > 0, np.asarray(work) / escalated, 0.0)
    raw = required_agents(
        calls=escalated,
        aht_s=np.where(escalated > 0, mean_handle, 1.0),
        interval_s=workbook.center.interval_minutes * 60,
        service_level=rule.service_level or workbook.center.service_level,
        answer_s=rule.answer_seconds or workbook.center.answer_seconds,
    )
    return apply_shrinkage(raw, workbook.center.shrinkage)
