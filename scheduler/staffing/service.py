"""How agents turn into service on one queue: Erlang C or A, and chat concurrency, in one place.

Every stage that asks "how many agents does this queue need" or "what service level do these
agents give" goes through these two functions, so requirements, the solver's allocation of
idle agents and the planned service level in the outputs can never disagree.

- Voice and email queues: one call per agent; Erlang A when the queue has a mean patience
  (callers hang up, and abandoned calls count against the service level), else Erlang C.
- Chat queues with ``concurrency = k``: an agent holds up to k chats at once, so n agents are
  n·k servers for chats whose mean duration is the queue's `aht_s` (measured at that
  concurrency, as chat platforms report it). A queue needing s servers needs ceil(s / k)
  agents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from inputs.domain import Queue
from scheduler.staffing.agents import erlang_a, erlang_c, required_agents, service_level_table


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueLoad:
    """A queue's forecast calls and handle time in one interval."""

    queue: Queue
    calls: float
    aht_s: float


def queue_service_level(queue: Queue, *, calls: ArrayLike, aht_s: ArrayLike, agents: ArrayLike,
                        interval_s: float) -> NDArray[np.float64]:
    """Share of offered calls answered within the queue's target time with `agents` serving.

    Args:
        queue: the queue (answer_seconds, patience_s, concurrency).
        calls: calls offered per interval.
        aht_s: mean handle time (chat: mean chat duration at the queue's concurrency).
        agents: agents serving the queue.
        interval_s: interval length in seconds.

    Returns:
        The service level per cell; 1.0 where no calls are offered.
    """
    servers = np.asarray(agents, dtype=float) * max(queue.concurrency, 1)
    args = dict(calls=calls, aht_s=aht_s, interval_s=interval_s, agents=servers,
                answer_s=queue.answer_seconds)
    if queue.patience_s is not None:
        level = erlang_a(**args, patience_s=queue.patience_s).service_level
    else:
        level = erlang_c(**args).service_level
    return np.where(np.asarray(calls, dtype=float) > 0, level, 1.0)


def queue_abandon_rate(queue: Queue, *, calls: ArrayLike, aht_s: ArrayLike, agents: ArrayLike,
                       interval_s: float) -> NDArray[np.float64] | None:
    """Share of offered calls abandoned (Erlang A); None when the queue plans without patience."""
    if queue.patience_s is None:
        return None
    servers = np.asarray(agents, dtype=float) * max(queue.concurrency, 1)
    result = erlang_a(calls=calls, aht_s=aht_s, interval_s=interval_s, agents=servers,
                      answer_s=queue.answer_seconds, patience_s=queue.patience_s)
    return np.where(np.asarray(calls, dtype=float) > 0, result.p_abandon, 0.0)


def queue_required_agents(queue: Queue, *, calls: ArrayLike, aht_s: ArrayLike,
                          interval_s: float) -> NDArray[np.int64]:
    """Fewest agents whose service level meets the queue's target (before shrinkage)."""
    servers = required_agents(calls=calls, aht_s=aht_s, interval_s=interval_s,
                              service_level=queue.service_level, answer_s=queue.answer_seconds,
                              patience_s=queue.patience_s)
    per_agent = max(queue.concurrency, 1)
    return np.asarray(-(-np.asarray(servers, dtype=np.int64) // per_agent), dtype=np.int64)


def queue_service_level_table(queue: Queue, *, calls: ArrayLike, aht_s: ArrayLike,
                              interval_s: float, max_agents: int) -> NDArray[np.float64]:
    """Service level of each cell with 0, 1, ..., `max_agents` agents serving the queue.

    Returns:
        Shape (cells, max_agents + 1); row i, column n is cell i with n agents.
    """
    per_agent = max(queue.concurrency, 1)
    servers = service_level_table(calls, aht_s, interval_s, queue.answer_seconds,
                                  max_agents * per_agent, queue.patience_s)
    return servers[:, ::per_agent]


def load_service_level(load: QueueLoad, agents: int, interval_s: float) -> float:
    """Planned service level of `agents` on one interval's load."""
    return float(queue_service_level(load.queue, calls=load.calls, aht_s=load.aht_s,
                                     agents=agents, interval_s=interval_s))


def calls_weighted_level(frame: pd.DataFrame,
                         column: str = "expected_service_level") -> float | None:
    """The service level callers get over a span: each interval's level weighted by its calls.

    Intervals without calls or without a level are left out; None when none is left.
    """
    busy = frame[(frame["calls"] > 0) & frame[column].notna()]
    calls = float(busy["calls"].sum())
    if busy.empty or calls <= 0:
        return None
    return float((busy[column] * busy["calls"]).sum() / calls)
