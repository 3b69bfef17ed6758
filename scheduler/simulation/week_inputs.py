"""What one replication of the simulator is fed: the floor, the contacts and who turned up.

Times are seconds after the week's first midnight. Random draws come from the numpy
generator the caller passes, so a replication is fixed by its seed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from forecasts.calendar import open_mask
from inputs.domain import Role, Roster, Workbook
from scheduler.simulation.engine import Contacts, Duty, Floor

Z80 = 1.2815515655446004  # standard normal quantile of 0.90: the forecast's band is 80% wide


class ArrivalModel(StrEnum):
    """How many calls arrive in a forecast interval."""

    POISSON = "poisson"  # Poisson at the forecast's mean
    BAND = "band"  # Poisson at a gamma-distributed rate, as wide as the forecast's 80% band


class HandleModel(StrEnum):
    """How long one contact's handling takes around its interval's mean."""

    LOGNORMAL = "lognormal"  # with the settings' coefficient of variation
    EXPONENTIAL = "exponential"  # what Erlang C and Erlang A assume


@dataclass(frozen=True, slots=True, kw_only=True)
class Staffing:
    """The servers of the floor: agents first (by workbook order), then shift leads.

    `index` maps an employee id to its server number; `is_lead[s]` marks shift leads, who
    serve only the escalation queue (number `escalation_queue`, after the workbook's queues).
    """

    floor: Floor
    employee_ids: tuple[str, ...]
    index: dict[str, int]
    is_lead: tuple[bool, ...]
    escalation_queue: int


def build_staffing(workbook: Workbook, *, by_priority: bool = True) -> Staffing:
    """Agents answer the queues they are skilled in; shift leads answer the escalation queue.

    Skills naming a queue the workbook does not list are ignored; floor leads and team
    managers take no contacts.
    """
    queue_index = {q.queue_id: k for k, q in enumerate(workbook.queues)}
    escalation = len(workbook.queues)
    agents = [e for e in workbook.employees if e.role is Role.AGENT]
    leads = [e for e in workbook.employees if e.role is Role.SHIFT_LEAD]
    skills = [tuple(queue_index[s] for s in e.skills if s in queue_index) for e in agents]
    skills += [(escalation,)] * len(leads)
    ids = tuple(e.employee_id for e in agents + leads)
    floor = Floor(
        priority=(*(q.priority for q in workbook.queues), 0),
        concurrency=(*(max(q.concurrency, 1) for q in workbook.queues), 1),
        skills=tuple(skills),
        by_priority=by_priority,
    )
    return Staffing(floor=floor, employee_ids=ids, index={e: k for k, e in enumerate(ids)},
                    is_lead=(False,) * len(agents) + (True,) * len(leads),
                    escalation_queue=escalation)


def seconds_after(moment: dt.datetime | pd.Timestamp, week_start: dt.date) -> float:
    """Seconds from the week's first midnight to `moment`."""
    return (pd.Timestamp(moment) - pd.Timestamp(week_start)).total_seconds()


def build_duty(roster: Roster, staffing: Staffing, absence: float,
               rng: np.random.Generator) -> Duty:
    """The shifts and breaks of servers who turned up: each shift is missed with `absence`.

    Breaks are the unpaid lunch and the paid short breaks alike: the server takes no contact.

    Shifts of employees who take no contacts are left out.
    """
    shifts, breaks = [], []
    assignments = [a for a in roster.assignments if a.employee_id in staffing.index]
    missed = rng.random(len(assignments)) < absence
    for assignment, absent in zip(assignments, missed, strict=True):
        if absent:
            continue
        s = staffing.index[assignment.employee_id]
        start = seconds_after(assignment.start, roster.week_start)
        shifts.append((s, start, seconds_after(assignment.end, roster.week_start)))
        for b_start, b_end in (*assignment.breaks, *assignment.short_breaks):
            breaks.append((s, seconds_after(b_start, roster.week_start),
                           (b_end - b_start).total_seconds()))
    return Duty(shifts=tuple(shifts), breaks=tuple(breaks))


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactModel:
    """How contacts are drawn: handle-time shape, patience and escalation, per queue."""

    handle: HandleModel
    handle_cv: float
    patience_s: tuple[float, ...]  # per queue; inf: callers never hang up
    escalation_rate: tuple[float, ...]
    escalation_handle_s: tuple[float, ...]
    escalation_queue: int
    grace_s: float = 0.0  # how long after closing waiting calls are still answered

    def handle_times(self, mean_s: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One handle time per contact around its mean: lognormal or exponential."""
        if self.handle is HandleModel.EXPONENTIAL:
            return rng.exponential(1.0, mean_s.size) * mean_s
        sigma2 = np.log1p(self.handle_cv**2)
        return mean_s * np.exp(rng.normal(-sigma2 / 2.0, np.sqrt(sigma2), mean_s.size))

    def contacts(self, arrival_s: np.ndarray, queue: np.ndarray, handle_s: np.ndarray,
                 rng: np.random.Generator, patience_s: np.ndarray | None = None,
                 close_s: np.ndarray | None = None) -> Contacts:
        """Sort the arrivals and add patience (unless given), closing times and escalations.

        A call still waiting when its queue closes (`close_s`, plus the grace) is dropped:
        it counts as abandoned.
        """
        order = np.argsort(arrival_s, kind="stable")
        arrival_s, queue, handle_s = arrival_s[order], queue[order], handle_s[order]
        if patience_s is None:
            mean = np.asarray(self.patience_s)[queue]
            patience_s = rng.exponential(1.0, queue.size) * mean
        else:
            patience_s = patience_s[order]
        close = np.full(queue.size, np.inf) if close_s is None else close_s[order] + self.grace_s
        patience_s = np.minimum(patience_s, np.maximum(close - arrival_s, 0.0))
        rate = np.asarray(self.escalation_rate)[queue]
        escalate = rng.random(queue.size) < rate
        esc_mean = np.asarray(self.escalation_handle_s)[queue]
        esc_handle = np.where(escalate, self.handle_times(np.maximum(esc_mean, 1e-9), rng), 0.0)
        return Contacts(
            arrival_s=arrival_s.astype(np.float64), queue=queue.astype(np.int64),
            handle_s=handle_s.astype(np.float64), patience_s=patience_s.astype(np.float64),
            escalate_to=np.where(escalate, self.escalation_queue, -1).astype(np.int64),
            escalation_handle_s=esc_handle, close_s=close.astype(np.float64),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class IntervalLoad:
    """Expected contacts per queue and open interval: the cells arrivals are drawn from."""

    queue: np.ndarray  # queue number per cell
    start_s: np.ndarray  # interval start, seconds after the week's first midnight
    calls: np.ndarray  # mean (or exact, for a replayed history) count
    extra_variance: np.ndarray  # variance of the count beyond Poisson (0: Poisson)
    aht_s: np.ndarray
    close_s: np.ndarray  # when the queue closes after the interval: waiting calls are dropped
    exact: bool  # True: `calls` are counts to replay, not means


def forecast_load(forecast: pd.DataFrame, workbook: Workbook, week_start: dt.date,
                  arrivals: ArrivalModel) -> IntervalLoad:
    """The forecast's open intervals of the week; the band sets over-dispersion if asked."""
    table = _open_week_rows(forecast, workbook, week_start)
    calls = table["calls"].to_numpy(float)
    extra = np.zeros_like(calls)
    if arrivals is ArrivalModel.BAND:
        sd = (table["calls_hi"].to_numpy(float) - table["calls_lo"].to_numpy(float)) / (2 * Z80)
        extra = np.maximum(sd**2 - calls, 0.0)
    return _load(table, workbook, week_start, calls, extra, exact=False)


def history_load(history: pd.DataFrame, workbook: Workbook, week_start: dt.date,
                 fallback_aht_s: float) -> IntervalLoad:
    """A history week replayed: each interval's `offered` calls, at its `aht_s` if known."""
    table = _open_week_rows(history, workbook, week_start)
    if "aht_s" not in table.columns:
        table = table.assign(aht_s=np.nan)
    table = table.assign(aht_s=table["aht_s"].astype(float).fillna(fallback_aht_s))
    calls = table["offered"].to_numpy(float)
    return _load(table, workbook, week_start, calls, np.zeros_like(calls), exact=True)


def _open_week_rows(table: pd.DataFrame, workbook: Workbook, week_start: dt.date) -> pd.DataFrame:
    start = pd.Timestamp(week_start)
    stamps = pd.to_datetime(table["interval_start"])
    rows = table[(stamps >= start) & (stamps < start + pd.Timedelta(days=7))]
    known = {q.queue_id for q in workbook.queues}
    rows = rows[rows["queue"].isin(known)]
    keep = np.zeros(len(rows), dtype=bool)
    for queue_id in known:
        mine = (rows["queue"] == queue_id).to_numpy()
        index = pd.DatetimeIndex(pd.to_datetime(rows.loc[mine, "interval_start"]))
        keep[mine] = open_mask(index, workbook, queue_id)
    return rows[keep]


def _load(table: pd.DataFrame, workbook: Workbook, week_start: dt.date, calls: np.ndarray,
          extra: np.ndarray, *, exact: bool) -> IntervalLoad:
    index = {q.queue_id: k for k, q in enumerate(workbook.queues)}
    stamps = pd.to_datetime(table["interval_start"])
    start_s = ((stamps - pd.Timestamp(week_start)).dt.total_seconds()).to_numpy(float)
    busy = calls > 0
    queue = table["queue"].map(index).to_numpy(np.int64)[busy]
    close = np.full(int(busy.sum()), np.inf)
    for queue_id, k in index.items():
        mine = queue == k
        close[mine] = closing_times(workbook, queue_id, week_start, start_s[busy][mine])
    return IntervalLoad(
        queue=queue, start_s=start_s[busy], calls=calls[busy], extra_variance=extra[busy],
        aht_s=table["aht_s"].to_numpy(float)[busy], close_s=close, exact=exact,
    )


def closing_times(workbook: Workbook, queue_id: str | None, week_start: dt.date,
                  moments_s: np.ndarray) -> np.ndarray:
    """When the opening span holding each moment ends (seconds; inf: never, NaN: closed).

    Spans that meet at midnight are one span, so a 24/7 queue closes after the week.
    """
    spans: list[list[float]] = []
    for offset in range(9):
        day = week_start + dt.timedelta(days=offset)
        for a, b in workbook.open_spans(day, queue_id):
            lo, hi = offset * 86400.0 + a * 60, offset * 86400.0 + b * 60
            if spans and spans[-1][1] >= lo:
                spans[-1][1] = max(spans[-1][1], hi)
            else:
                spans.append([lo, hi])
    if not spans:
        return np.full(moments_s.shape, np.nan)
    table = np.asarray(spans)
    k = np.clip(np.searchsorted(table[:, 0], moments_s, side="right") - 1, 0, None)
    inside = (table[k, 0] <= moments_s) & (moments_s < table[k, 1])
    close = np.where(inside, table[k, 1], np.nan)
    return np.where(close >= 8 * 86400.0, np.inf, close)


def draw_contacts(load: IntervalLoad, model: ContactModel, interval_s: float,
                  rng: np.random.Generator) -> Contacts:
    """One replication's contacts: counts per interval, arrival times uniform within it.

    Poisson counts arrive at uniform times given the count, so this is a Poisson process
    at the interval's rate; a gamma-distributed rate (mean: the forecast, variance: what
    the band holds beyond Poisson) gives the over-dispersed version.
    """
    if load.exact:
        counts = np.round(load.calls).astype(np.int64)
    else:
        mean = load.calls
        dispersed = load.extra_variance > 0
        if dispersed.any():
            mean = mean.copy()
            shape = load.calls[dispersed] ** 2 / load.extra_variance[dispersed]
            mean[dispersed] = rng.gamma(shape, load.calls[dispersed] / shape)
        counts = rng.poisson(mean)
    arrival = np.repeat(load.start_s, counts) + rng.random(int(counts.sum())) * interval_s
    queue = np.repeat(load.queue, counts)
    handle = model.handle_times(np.repeat(load.aht_s, counts), rng)
    return model.contacts(arrival, queue, handle, rng, close_s=np.repeat(load.close_s, counts))
