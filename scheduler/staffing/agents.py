"""How many agents each queue x interval needs: Erlang C or Erlang A, vectorized.

Public face of the staffing math (the formulas live in `scheduler.staffing.erlang`):

- `erlang_c` / `erlang_a`: measures for a given number of agents;
- `required_agents`: the fewest agents meeting a service-level target, per cell;
- `apply_shrinkage`: agents to roster so that enough are on the phones;
- `service_level_table`: service level for 0..max agents, per cell (for the solver).

Every argument broadcasts like numpy; a cell is one element of the broadcast shape.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scheduler.staffing.erlang import (
    ErlangAResult,
    ErlangCResult,
    FloatArray,
    erlang_a,
    erlang_a_service_level,
    erlang_c,
    erlang_c_service_level,
    prepare,
)

__all__ = [
    "ErlangAResult",
    "ErlangCResult",
    "apply_shrinkage",
    "erlang_a",
    "erlang_c",
    "meets_target",
    "required_agents",
    "service_level_table",
]

IntArray = NDArray[np.int64]
# A computed service level this close below the target counts as meeting it, so that a
# target met exactly on paper (e.g. 0.8 by construction) is not missed by rounding. The one
# tolerance for "meets the target" everywhere: staffing, the scope rules, summary, report.
TARGET_TOLERANCE = 1e-9
_MAX_DOUBLINGS = 64


def meets_target(level: ArrayLike, target: ArrayLike) -> NDArray[np.bool_]:
    """A service level meets its target when it is at least the target, less rounding."""
    return np.asarray(level, dtype=float) >= np.asarray(target, dtype=float) - TARGET_TOLERANCE


def required_agents(
    calls: ArrayLike,
    aht_s: ArrayLike,
    interval_s: ArrayLike,
    service_level: ArrayLike,
    answer_s: ArrayLike,
    patience_s: ArrayLike | None = None,
) -> IntArray:
    """The fewest whole agents whose service level meets the target, per cell.

    Erlang A (answered within `answer_s` over all offered calls) when `patience_s` is given,
    else Erlang C; cells with ``patience_s = inf`` use Erlang C. Cells without calls, or
    with a target of 0, need 0 agents.

    Args:
        calls: calls offered in the interval.
        aht_s: mean handle time, seconds (> 0 where calls > 0; ignored elsewhere).
        interval_s: interval length, seconds.
        service_level: target share of calls answered within `answer_s`, in [0, 1).
        answer_s: the answer-time threshold, seconds.
        patience_s: mean caller patience, seconds, or None for Erlang C.

    Returns:
        An int64 array of the broadcast shape.

    Raises:
        ValueError: an argument is NaN or out of range (the message names it).
    """
    named: dict[str, ArrayLike] = {
        "calls": calls,
        "aht_s": aht_s,
        "interval_s": interval_s,
        "service_level": service_level,
        "answer_s": answer_s,
        "patience_s": np.inf if patience_s is None else patience_s,
    }
    calls_a, aht, interval, target, answer, patience = prepare(**named)
    if (target >= 1).any():
        raise ValueError(f"service_level must be below 1, got {target[target >= 1].flat[0]}")
    out = np.zeros(calls_a.shape, dtype=np.int64)
    need = (calls_a > 0) & (target > 0)
    for model_c in (True, False):
        cells = need & (np.isinf(patience) == model_c)
        if cells.any():
            out[cells] = _required(
                calls_a[cells] / interval[cells],
                aht[cells],
                target[cells],
                answer[cells],
                None if model_c else patience[cells],
            )
    return out


def _required(
    rate: FloatArray,
    aht: FloatArray,
    target: FloatArray,
    answer: FloatArray,
    patience: FloatArray | None,
) -> IntArray:
    """`required_agents` on flat cells that all have calls and a positive target."""
    load = rate * aht
    if patience is None:

        def meets(cells: IntArray, n: FloatArray) -> NDArray[np.bool_]:
            sl = erlang_c_service_level(load[cells], aht[cells], n, answer[cells])
            return meets_target(sl, target[cells])

        # Erlang C needs more agents than the load; the square-root rule is a close guess.
        failing = np.floor(load)
        guess = failing + np.ceil(np.sqrt(load))
    else:

        def meets(cells: IntArray, n: FloatArray) -> NDArray[np.bool_]:
            sl = erlang_a_service_level(rate[cells], aht[cells], n, answer[cells], patience[cells])
            return meets_target(sl, target[cells])

        failing = np.zeros_like(load)  # nobody answers with no agents
        guess = np.maximum(np.round(load), 1.0)
    return _smallest_meeting(meets, failing, guess, np.maximum(np.ceil(np.sqrt(load)), 1.0))


def _smallest_meeting(
    meets: Callable[[IntArray, FloatArray], NDArray[np.bool_]],
    failing: FloatArray,
    guess: FloatArray,
    step: FloatArray,
) -> IntArray:
    """Smallest whole n with meets(n), per cell, by a vectorized bracket and bisection.

    `meets` must be monotone in n and false at `failing`; `guess` > `failing`.
    Cells meeting at `guess` bisect (failing, guess]; the others double `step` upward
    from `guess` until they meet, then bisect.
    """
    everyone = np.arange(failing.size)
    ok = meets(everyone, guess)
    lo = np.where(ok, failing, guess)
    hi = guess.copy()
    pending = everyone[~ok]
    for _ in range(_MAX_DOUBLINGS):
        if not pending.size:
            break
        hi[pending] = lo[pending] + step[pending]
        ok = meets(pending, hi[pending])
        lo[pending[~ok]] = hi[pending[~ok]]
        step[pending] *= 2.0
        pending = pending[~ok]
    else:
        raise RuntimeError("required_agents: the service level target was never reached")
    open_ = everyone[hi - lo > 1]
    while open_.size:
        mid = np.floor((lo[open_] + hi[open_]) / 2.0)
        ok = meets(open_, mid)
        hi[open_[ok]] = mid[ok]
        lo[open_[~ok]] = mid[~ok]
        open_ = open_[hi[open_] - lo[open_] > 1]
    return hi.astype(np.int64)


def apply_shrinkage(raw: ArrayLike, shrinkage: ArrayLike) -> IntArray:
    """Agents to roster so that `raw` remain on the phones after `shrinkage` is lost.

    ``ceil(raw / (1 - shrinkage))`` with the quotient rounded to 9 decimals first, so
    that 21 agents at 30% shrinkage gives 30 (21 / 0.7 is 30.000000000000004 in floats).

    Raises:
        ValueError: raw is negative or shrinkage is outside [0, 1).
    """
    raw_a, shrink = np.broadcast_arrays(
        np.asarray(raw, dtype=np.float64), np.asarray(shrinkage, dtype=np.float64)
    )
    if np.isnan(raw_a).any() or (raw_a < 0).any():
        raise ValueError("raw agents must be numbers >= 0")
    if np.isnan(shrink).any() or (shrink < 0).any() or (shrink >= 1).any():
        raise ValueError("shrinkage must be in [0, 1)")
    return np.ceil(np.round(raw_a / (1.0 - shrink), 9)).astype(np.int64)


def service_level_table(
    calls: ArrayLike,
    aht_s: ArrayLike,
    interval_s: ArrayLike,
    answer_s: ArrayLike,
    max_agents: int,
    patience_s: ArrayLike | None = None,
) -> FloatArray:
    """Service level of every cell with 0, 1, ..., max_agents agents on duty.

    Erlang A where `patience_s` is given and finite, else Erlang C; cells are the
    broadcast arguments flattened in C order.

    Returns:
        A float array of shape (cells, max_agents + 1); row i, column n is cell i with n
        agents (1.0 across a row whose cell has no calls).
    """
    if max_agents < 0:
        raise ValueError(f"max_agents must be >= 0, got {max_agents}")
    calls_a, aht, interval, answer, patience = (
        a.ravel()
        for a in prepare(
            calls=calls,
            aht_s=aht_s,
            interval_s=interval_s,
            answer_s=answer_s,
            patience_s=np.inf if patience_s is None else patience_s,
        )
    )
    n = np.arange(max_agents + 1, dtype=np.float64)[None, :]
    table = np.ones((calls_a.size, max_agents + 1))
    busy = calls_a > 0
    for model_c in (True, False):
        rows = busy & (np.isinf(patience) == model_c)
        if not rows.any():
            continue
        shape = (int(rows.sum()), max_agents + 1)
        rate = np.broadcast_to((calls_a[rows] / interval[rows])[:, None], shape).ravel()
        aht_r = np.broadcast_to(aht[rows][:, None], shape).ravel()
        t = np.broadcast_to(answer[rows][:, None], shape).ravel()
        agents = np.broadcast_to(n, shape).ravel()
        if model_c:
            sl = erlang_c_service_level(rate * aht_r, aht_r, agents, t)
        else:
            pat = np.broadcast_to(patience[rows][:, None], shape).ravel()
            sl = erlang_a_service_level(rate, aht_r, agents, t, pat)
        table[rows] = sl.reshape(shape)
    return table
