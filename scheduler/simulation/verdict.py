"""What the simulation says about the plan: cells to re-staff, and what pooling gives for free.

- `cells_below_target` (for ``wfm plan --verify``): the queue x interval cells whose
  simulated service level is below target beyond the 95% confidence interval, or, under a
  day or week scope, the cells dragging a span that misses its target beyond the interval;
- `pooling_gain`: where multi-skilled agents answering each other's queues make the
  simulated level surely better than the planned one (Erlang per queue on its own
  allocation), and roughly how many agent-hours the plan could drop while still meeting
  the target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from inputs.domain import ServiceLevelScope, Workbook
from scheduler.simulation.run import SimulationResult
from scheduler.simulation.stats import measures
from scheduler.staffing import queue_required_agents, queue_service_level_table, required_agents

KEYS = ["queue", "interval_start"]
_LEVEL_CAP = 0.995  # a simulated level of 1.0 has no finite Erlang equivalent


def span_levels(result: SimulationResult, scope: ServiceLevelScope) -> pd.DataFrame:
    """Simulated service level per queue and day (or week) with its 95% interval.

    Returns:
        queue, span (the day as a Timestamp, or the week start), service_level, sl_lo, sl_hi.
    """
    days = result.interval_starts.normalize()
    spans = [days[0]] if scope is ServiceLevelScope.WEEK else list(days.unique())
    parts = []
    for span in spans:
        keep = None if scope is ServiceLevelScope.WEEK else np.asarray(days == span)
        m = measures(result.agents.over((2,), keep))
        parts.append(pd.DataFrame({
            "queue": list(result.queues), "span": span, "service_level": m.service_level[:, 0],
            "sl_lo": m.sl_lo[:, 0], "sl_hi": m.sl_hi[:, 0],
        }))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def cells_below_target(result: SimulationResult, requirements: pd.DataFrame,
                       workbook: Workbook) -> pd.DataFrame:
    """The requirement cells to raise because the simulation says they miss the target.

    Under the interval scope a cell is flagged when even the top of its 95% interval is
    below its queue's target. Under a day or week scope, a cell is flagged when its span
    (queue x day, or queue x week) misses the target beyond its interval and the cell itself
    is below target, or when the top of the cell's interval is below the Center's
    `service_level_floor`.

    Args:
        result: the simulated week.
        requirements: the plan's table (queue, interval_start, required_agents, ...).
        workbook: targets per queue, scope and floor.

    Returns:
        queue, interval_start, required_agents, simulated_service_level, simulated_sl_lo,
        simulated_sl_hi, target, reason ("interval", "day", "week" or "floor"), sorted.
    """
    table = requirements[[*KEYS, "required_agents"]].merge(
        result.intervals(), on=KEYS, how="inner")
    table["target"] = table["queue"].map({q.queue_id: q.service_level for q in workbook.queues})
    scope = workbook.center.service_level_scope
    reason = pd.Series("", index=table.index, dtype=object)
    if scope is ServiceLevelScope.INTERVAL:
        reason[table["simulated_sl_hi"] < table["target"]] = "interval"
    else:
        spans = span_levels(result, scope)
        failing = spans[spans["sl_hi"] < spans["queue"].map(
            {q.queue_id: q.service_level for q in workbook.queues})]
        stamp = pd.to_datetime(table["interval_start"])
        span = stamp.dt.normalize() if scope is ServiceLevelScope.DAY else pd.Series(
            result.interval_starts[0], index=table.index)
        in_failing = pd.MultiIndex.from_arrays([table["queue"], span]).isin(
            pd.MultiIndex.from_frame(failing[["queue", "span"]]))
        reason[in_failing & (table["simulated_service_level"] < table["target"])] = scope.value
        reason[table["simulated_sl_hi"] < workbook.center.service_level_floor] = "floor"
    out = table.assign(reason=reason)[reason != ""]
    columns = [*KEYS, "required_agents", "simulated_service_level", "simulated_sl_lo",
               "simulated_sl_hi", "target", "reason"]
    return out[columns].sort_values(KEYS, kind="stable").reset_index(drop=True)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class PoolingGain:
    """Where the simulated roster beats its plan, and the agent-hours that would still do.

    `cells`: queue, interval_start, scheduled_agents, expected_service_level (planned),
    simulated_sl_lo, equivalent_agents (dedicated agents Erlang needs for the simulated
    level's lower bound), needed_agents (dedicated agents Erlang needs for the target, on
    the phones) and saveable_agents = min(equivalent - needed, scheduled) >= 0, scaled
    down so that an interval never keeps fewer agents than a fully pooled floor needs.
    `agent_hours` sums saveable agents over the cells' durations, grossed up for shrinkage:
    a rough estimate, since removing agents also removes some of the pooling.
    """

    cells: pd.DataFrame
    agent_hours: float
    by_queue: dict[str, float]


def pooling_gain(result: SimulationResult, requirements: pd.DataFrame,
                 workbook: Workbook) -> PoolingGain:
    """Cells whose simulated level is surely above both the planned level and the target.

    Args:
        result: the simulated week.
        requirements: the plan's table with calls, aht_s, scheduled_agents and
            expected_service_level.
        workbook: targets, patience, concurrency, interval and shrinkage.
    """
    table = requirements.merge(result.intervals(), on=KEYS, how="inner")
    queues = {q.queue_id: q for q in workbook.queues}
    target = table["queue"].map({k: q.service_level for k, q in queues.items()})
    better = (table["simulated_sl_lo"] > np.maximum(table["expected_service_level"].fillna(0),
                                                    target)) & (table["calls"] > 0)
    cells = table[better].copy()
    cells["equivalent_agents"] = 0
    cells["needed_agents"] = 0
    interval_s = workbook.center.interval_minutes * 60
    for queue_id, rows in cells.groupby("queue"):
        queue = queues[str(queue_id)]
        calls = rows["calls"].to_numpy(float)
        aht = rows["aht_s"].to_numpy(float)
        top = int(rows["scheduled_agents"].max()) * 2 + 10
        levels = queue_service_level_table(queue, calls=calls, aht_s=aht,
                                           interval_s=interval_s, max_agents=top)
        goal = np.minimum(rows["simulated_sl_lo"].to_numpy(float), _LEVEL_CAP)[:, None]
        reached = levels >= goal
        cells.loc[rows.index, "equivalent_agents"] = np.where(
            reached.any(axis=1), reached.argmax(axis=1), top)
        cells.loc[rows.index, "needed_agents"] = queue_required_agents(
            queue, calls=calls, aht_s=aht, interval_s=interval_s)
    cells["saveable_agents"] = np.clip(
        cells["equivalent_agents"] - cells["needed_agents"], 0, cells["scheduled_agents"])
    cells = _within_pooled_bound(cells, requirements, workbook)
    hours = workbook.center.interval_minutes / 60 / (1 - workbook.center.shrinkage)
    by_queue = (cells.groupby("queue")["saveable_agents"].sum() * hours).round(2)
    columns = [*KEYS, "scheduled_agents", "expected_service_level", "simulated_sl_lo",
               "equivalent_agents", "needed_agents", "saveable_agents"]
    return PoolingGain(cells=cells[columns].reset_index(drop=True),
                       agent_hours=round(float(cells["saveable_agents"].sum() * hours), 2),
                       by_queue={str(k): float(v) for k, v in by_queue.items()})


def _within_pooled_bound(cells: pd.DataFrame, requirements: pd.DataFrame,
                         workbook: Workbook) -> pd.DataFrame:
    """Scale each interval's savings down to what a fully pooled floor could spare.

    No roster can answer an interval's calls with fewer agents than one queue of
    universal agents needs (Erlang C on the summed load, the strictest target): the
    savings of an interval never exceed scheduled agents minus that.
    """
    req = requirements[requirements["calls"] > 0]
    conc = req["queue"].map({q.queue_id: max(q.concurrency, 1) for q in workbook.queues})
    work = (req["calls"] / conc * req["aht_s"]).groupby(req["interval_start"]).sum()
    calls = (req["calls"] / conc).groupby(req["interval_start"]).sum()
    scheduled = req.groupby("interval_start")["scheduled_agents"].sum()
    pooled = required_agents(
        calls.to_numpy(float), (work / calls).to_numpy(float),
        workbook.center.interval_minutes * 60, max(q.service_level for q in workbook.queues),
        min(q.answer_seconds for q in workbook.queues))
    room = (scheduled - pd.Series(pooled, index=calls.index)).clip(lower=0)
    wanted = cells.groupby("interval_start")["saveable_agents"].transform("sum")
    cap = cells["interval_start"].map(room).fillna(0)
    share = np.where(wanted > cap, cap / wanted.where(wanted > 0, 1), 1.0)
    return cells.assign(saveable_agents=cells["saveable_agents"] * share)
