"""Simulator traces counted per queue and interval, and measures with confidence intervals.

A replication is one independent run of the week; a measure (service level, abandon rate,
ASA, occupancy) is computed per replication over a span of cells, then averaged, with a
95% Student-t interval across the replications in which the span had calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from scheduler.simulation.engine import Trace
from scheduler.simulation.week_inputs import Staffing

FloatArray = NDArray[np.float64]
COUNT_FIELDS = ("offered", "answered", "in_target", "abandoned", "wait_sum_s", "busy_s",
                "available_s")


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Counts:
    """Per-replication sums, each an array of shape (replications, rows, intervals).

    Rows are queues for the agents' contacts (busy_s and available_s: of the agents skilled
    in that queue, so a multi-skilled agent counts in each of its queues), or the queue the
    call came from for escalations (busy_s and available_s: every shift lead's, repeated).
    """

    offered: FloatArray
    answered: FloatArray
    in_target: FloatArray
    abandoned: FloatArray
    wait_sum_s: FloatArray  # waits of answered contacts
    busy_s: FloatArray
    available_s: FloatArray

    def over(self, axis: tuple[int, ...], keep: NDArray[np.bool_] | None = None) -> Counts:
        """Sum over `axis` (rows 1, intervals 2), over the intervals in `keep` only if given.

        Summed over rows, busy and available time count a multi-skilled agent once per
        queue; for the whole floor use the staff time instead (`with_time`).
        """
        def total(a: FloatArray) -> FloatArray:
            chosen = a if keep is None else a[:, :, keep]
            return chosen.sum(axis=axis, keepdims=True)

        return Counts(**{f: total(getattr(self, f)) for f in COUNT_FIELDS})

    def with_time(self, busy_s: FloatArray, available_s: FloatArray) -> Counts:
        """The same counts with other busy and available seconds (e.g. the whole floor's)."""
        fields = {f: getattr(self, f) for f in COUNT_FIELDS[:5]}
        return Counts(**fields, busy_s=busy_s, available_s=available_s)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Measures:
    """Means over replications and the 95% interval of the service level; NaN: no calls."""

    offered: FloatArray
    answered: FloatArray
    abandoned: FloatArray
    service_level: FloatArray
    sl_lo: FloatArray
    sl_hi: FloatArray
    abandon_rate: FloatArray
    asa_s: FloatArray
    occupancy: FloatArray


def _ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _mean(values: FloatArray) -> FloatArray:
    """Mean over replications (axis 0), ignoring replications where it is undefined."""
    count = np.sum(~np.isnan(values), axis=0)
    total = np.nansum(values, axis=0)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def t_interval(values: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Mean and 95% Student-t interval over axis 0, NaN-aware; one value gives a point."""
    mean = _mean(values)
    count = np.sum(~np.isnan(values), axis=0)
    spread = np.nan_to_num(values - mean[None], nan=0.0)
    var = np.sum(spread**2, axis=0) / np.maximum(count - 1, 1)
    half = stats.t.ppf(0.975, np.maximum(count - 1, 1)) * np.sqrt(var / np.maximum(count, 1))
    half = np.where(count > 1, half, 0.0)
    return mean, mean - half, mean + half


def measures(counts: Counts) -> Measures:
    """Service level (answered within target over offered), abandon rate, ASA, occupancy."""
    level, lo, hi = t_interval(_ratio(counts.in_target, counts.offered))
    return Measures(
        offered=counts.offered.mean(axis=0),
        answered=counts.answered.mean(axis=0),
        abandoned=counts.abandoned.mean(axis=0),
        service_level=level,
        sl_lo=np.clip(lo, 0.0, 1.0),
        sl_hi=np.clip(hi, 0.0, 1.0),
        abandon_rate=_mean(_ratio(counts.abandoned, counts.offered)),
        asa_s=_mean(_ratio(counts.wait_sum_s, counts.answered)),
        occupancy=_mean(_ratio(counts.busy_s, counts.available_s)),
    )


def binned_time(who: np.ndarray, start: np.ndarray, end: np.ndarray, weight: np.ndarray,
                rows: int, interval_s: float, bins: int) -> FloatArray:
    """Seconds of [start, end) spans falling in each (row, interval), times `weight`."""
    out = np.zeros(rows * bins)
    if who.size == 0:
        return out.reshape(rows, bins)
    first = np.floor(start / interval_s).astype(np.int64)
    last = np.ceil(end / interval_s).astype(np.int64) - 1
    step = 0
    while True:
        b = first + step
        live = (b <= last) & (b < bins)
        if not live.any():
            break
        b = b[live]
        lo = np.maximum(start[live], b * interval_s)
        hi = np.minimum(end[live], (b + 1) * interval_s)
        ok = b >= 0
        out += np.bincount(who[live][ok] * bins + b[ok],
                           weights=(np.maximum(hi - lo, 0.0) * weight[live])[ok],
                           minlength=rows * bins)
        step += 1
    return out.reshape(rows, bins)


@dataclass(frozen=True, slots=True, kw_only=True)
class Binning:
    """How traces are counted: interval width and count, targets per queue, who is who."""

    interval_s: float
    bins: int
    answer_s: tuple[float, ...]  # per queue; the last is the escalation queue's
    staffing: Staffing


def count_trace(trace: Trace, binning: Binning) -> tuple[FloatArray, FloatArray, FloatArray]:
    """One replication counted: (agents' contacts, escalations, staff time).

    The first two have shape (fields, queues, intervals) in `COUNT_FIELDS` order, the last
    (2, 2, intervals): [agents, shift leads] x [busy, available] seconds.
    """
    staffing, bins, width = binning.staffing, binning.bins, binning.interval_s
    n_queues, n_servers = staffing.escalation_queue, len(staffing.floor.skills)
    conc = np.asarray(staffing.floor.concurrency, dtype=float)
    answered = ~np.isnan(trace.answered_s)
    served = np.flatnonzero(answered)
    busy = binned_time(trace.server[served], trace.answered_s[served],
                       trace.answered_s[served] + trace.handle_s[served],
                       1.0 / conc[trace.queue[served]], n_servers, width, bins)
    spans = np.asarray(trace.available, dtype=float).reshape(-1, 3)
    available = binned_time(spans[:, 0].astype(np.int64), spans[:, 1], spans[:, 2],
                            np.ones(len(spans)), n_servers, width, bins)
    skill = np.zeros((n_queues, n_servers))
    for s, queues in enumerate(staffing.floor.skills):
        for q in queues:
            if q < n_queues:
                skill[q, s] = 1.0
    lead = np.asarray(staffing.is_lead)
    staff = np.array([[busy[~lead].sum(0), available[~lead].sum(0)],
                      [busy[lead].sum(0), available[lead].sum(0)]])
    own = trace.queue < n_queues
    agents = _count_contacts(trace, own, trace.queue, binning, skill @ busy, skill @ available)
    origin = np.where(own, trace.queue, trace.queue[np.maximum(trace.parent, 0)])
    leads = _count_contacts(trace, ~own, origin, binning,
                            np.broadcast_to(staff[1, 0], (n_queues, bins)),
                            np.broadcast_to(staff[1, 1], (n_queues, bins)))
    return agents, leads, staff


def _count_contacts(trace: Trace, chosen: NDArray[np.bool_], row: np.ndarray, binning: Binning,
                    busy: FloatArray, available: FloatArray) -> FloatArray:
    """Offered, answered, in target, abandoned and wait per (row, arrival interval)."""
    rows, bins = busy.shape
    b = np.clip(np.floor(trace.arrival_s[chosen] / binning.interval_s), 0, bins - 1)
    cell = row[chosen] * bins + b.astype(np.int64)
    wait = trace.answered_s[chosen] - trace.arrival_s[chosen]
    answered = ~np.isnan(wait)
    target = np.asarray(binning.answer_s)[trace.queue[chosen]]
    in_target = answered & (np.where(answered, wait, np.inf) <= target)
    abandoned = ~np.isnan(trace.abandoned_s[chosen])

    def per_cell(weights: np.ndarray) -> FloatArray:
        counted: FloatArray = np.bincount(cell, weights=weights.astype(float),
                                          minlength=rows * bins).astype(np.float64)
        return counted.reshape(rows, bins)

    return np.stack([per_cell(np.ones(cell.size)), per_cell(answered), per_cell(in_target),
                     per_cell(abandoned), per_cell(np.where(answered, wait, 0.0)),
                     busy, available])


def stack_counts(per_replication: list[FloatArray]) -> Counts:
    """Replications' (fields, rows, intervals) arrays as one `Counts`."""
    stacked = np.stack(per_replication)  # (replications, fields, rows, intervals)
    return Counts(**{f: stacked[:, k] for k, f in enumerate(COUNT_FIELDS)})
