"""Erlang C (M/M/n) and Erlang A (M/M/n+M) queue measures: exact, vectorized, stable.

Every function takes numpy-broadcastable arguments (one cell per queue x interval) and
works in log space, so nothing overflows up to tens of thousands of agents:

- the birth-death chain of calls in the system is summed in two halves, relative to the
  state "all n agents busy, nobody waiting" (pi_n):
  ``lower = sum_{j<n} pi_j / pi_n = Q(n, a) / pois(n, a)`` (regularized upper incomplete
  gamma over a Poisson term, the Erlang B recurrence in closed form) and, with exponential
  patience, ``upper = sum_{m>=0} pi_{n+m} / pi_n = M(1; x+1; y) = P(x, y) / pois(x, y)``
  with ``x = n * patience / aht`` and ``y = calls_per_s * patience`` (Kummer's function);
- scipy.special's incomplete gamma gives both halves in O(1) per cell; where it would
  underflow (far from the load, where the queue is either empty or hopeless) a short
  series takes over.

Erlang A follows Garnett, Mandelbaum & Reiman (2002), "Designing a call center with
impatient customers", MSOM 4:208-227, and Mandelbaum & Zeltyn, "The M/M/n+G queue:
summary of performance measures" (Technion note). The service level within t used here
is derived from the offered-wait density ``f_V(v) ~ exp(lambda*H(v) - n*mu*v)`` with
``H(v) = (1 - exp(-theta*v)) / theta``:
``P(answered within t | wait) = x/y * [P(x+1, y) - P(x+1, y*exp(-theta*t))] / P(x, y)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

FloatArray = NDArray[np.float64]

# Below this an incomplete-gamma value has lost relative precision (subnormals start at
# 2.2e-308); the series below take over.
_TINY = 1e-250
_SERIES_EPS = 1e-17
_MAX_SERIES_TERMS = 1_000_000


@dataclass(frozen=True, slots=True, kw_only=True)
class ErlangCResult:
    """Erlang C measures per cell; arrays have the broadcast shape of the arguments."""

    service_level: FloatArray  # P(wait <= answer_s)
    p_wait: FloatArray  # P(wait > 0)
    asa_s: FloatArray  # mean wait of all calls (inf when agents <= load)
    occupancy: FloatArray  # load / agents, capped at 1


@dataclass(frozen=True, slots=True, kw_only=True)
class ErlangAResult:
    """Erlang A measures per cell; arrays have the broadcast shape of the arguments."""

    service_level: FloatArray  # answered within answer_s / ALL offered calls
    p_abandon: FloatArray  # share of offered calls that hang up while waiting
    p_wait: FloatArray  # P(a call finds every agent busy)
    asa_s: FloatArray  # mean wait of answered calls (NaN when nobody is answered)


def prepare(**named: ArrayLike) -> list[FloatArray]:
    """Broadcast the named arguments to one shape as writable float arrays, checked.

    Every value must be a number >= 0; ``interval_s`` must be > 0; ``aht_s`` must be > 0
    where calls arrive and is set to 1 where none do (it may be NaN there).

    Raises:
        ValueError: naming the argument and the first bad value.
    """
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in named.values()))
    out = {name: np.array(arr, dtype=np.float64) for name, arr in zip(named, arrays, strict=True)}
    calls = out["calls"]
    if "aht_s" in out:
        aht = out["aht_s"]
        bad_aht = (calls > 0) & ~(aht > 0)
        if bad_aht.any():
            raise ValueError(f"aht_s must be > 0 where calls > 0, got {aht[bad_aht].flat[0]}")
        aht[~(calls > 0)] = 1.0
    for name, arr in out.items():
        positive = name in ("interval_s", "patience_s")
        bad = np.isnan(arr) | (arr <= 0 if positive else arr < 0)
        if bad.any():
            limit = "> 0" if positive else ">= 0"
            raise ValueError(f"{name} must be a number {limit}, got {arr[bad].flat[0]}")
    return list(out.values())


def log_poisson(k: FloatArray, mu: FloatArray) -> FloatArray:
    """log(exp(-mu) * mu**k / Gamma(k + 1)), the Poisson term extended to real k."""
    result: FloatArray = special.xlogy(k, mu) - mu - special.gammaln(k + 1.0)
    return result


def log_lower_share(n: FloatArray, load: FloatArray) -> FloatArray:
    """log(sum_{j<n} pi_j / pi_n): the chain below 'all busy', i.e. log(1/ErlangB - 1).

    Args:
        n: agents, > 0.
        load: offered load in Erlangs, > 0.
    """
    with np.errstate(divide="ignore"):
        q = special.gammaincc(n, load)
        out: FloatArray = np.log(q) - log_poisson(n, load)
    bad = q < _TINY
    if bad.any():
        out[bad] = _log_backward_series(n[bad], load[bad])
    return out


def log_upper_share(x: FloatArray, y: FloatArray) -> FloatArray:
    """log(sum_{m>=0} prod_{k=1..m} y / (x + k)) = log M(1; x+1; y) = log(P(x, y) / pois(x, y)).

    With ``x = n * patience / aht`` and ``y = calls_per_s * patience`` this is the chain
    above 'all busy' of the Erlang A queue, relative to pi_n.
    """
    with np.errstate(divide="ignore"):
        p = special.gammainc(x, y)
        out: FloatArray = np.log(p) - log_poisson(x, y)
    bad = p < _TINY
    if bad.any():
        out[bad] = _log_forward_series(x[bad], y[bad])
    return out


def _log_backward_series(n: FloatArray, load: FloatArray) -> FloatArray:
    """log(sum_{k>=1} prod_{i<k} (n - i) / load), used where n is far below the load."""
    total = np.zeros_like(n)
    term = np.ones_like(n)
    active = np.ones(n.shape, dtype=bool)
    for k in range(1, _MAX_SERIES_TERMS):
        term = np.where(active, term * np.maximum(n - (k - 1), 0.0) / load, 0.0)
        total += term
        active &= term > _SERIES_EPS * total
        if not active.any():
            break
    with np.errstate(divide="ignore"):
        return np.log(total)


def _log_forward_series(x: FloatArray, y: FloatArray) -> FloatArray:
    """log(sum_{m>=0} prod_{k=1..m} y / (x + k)), used where y is far below x."""
    total = np.ones_like(x)
    term = np.ones_like(x)
    active = np.ones(x.shape, dtype=bool)
    for k in range(1, _MAX_SERIES_TERMS):
        term = np.where(active, term * y / (x + k), 0.0)
        total += term
        active &= term > _SERIES_EPS * total
        if not active.any():
            break
    return np.log(total)


def erlang_c(
    calls: ArrayLike,
    aht_s: ArrayLike,
    interval_s: ArrayLike,
    agents: ArrayLike,
    answer_s: ArrayLike,
) -> ErlangCResult:
    """Service level, wait probability, ASA and occupancy of `agents` answering `calls` (M/M/n).

    With agents <= offered load the queue grows without bound: service level 0, p_wait 1,
    ASA inf. With no calls: service level 1, p_wait 0, ASA 0, occupancy 0 (aht_s is then
    ignored and may be NaN).

    Args:
        calls: calls offered in the interval.
        aht_s: mean handle time in seconds (> 0 where calls > 0).
        interval_s: interval length in seconds (> 0).
        agents: agents on duty (whole numbers; real values follow the gamma extension).
        answer_s: the service-level threshold in seconds.
    """
    calls_a, aht, interval, agents_a, answer = prepare(
        calls=calls, aht_s=aht_s, interval_s=interval_s, agents=agents, answer_s=answer_s
    )
    busy = calls_a > 0
    load = np.where(busy, calls_a * aht / interval, 0.0)
    stable = busy & (agents_a > load)

    sl, p_wait, asa = _erlang_c_stable(load[stable], aht[stable], agents_a[stable], answer[stable])
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = np.where(busy, np.minimum(load / agents_a, 1.0), 0.0)
    return ErlangCResult(
        service_level=_fill(busy.shape, stable, sl, ~busy, 1.0, 0.0),
        p_wait=_fill(busy.shape, stable, p_wait, ~busy, 0.0, 1.0),
        asa_s=_fill(busy.shape, stable, asa, ~busy, 0.0, np.inf),
        occupancy=occupancy,
    )


def _erlang_c_stable(
    load: FloatArray, aht: FloatArray, n: FloatArray, t: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(service level, p_wait, ASA) for flat cells with 0 < load < n."""
    with np.errstate(over="ignore"):
        lower = np.exp(log_lower_share(n, load))  # may be inf: nobody ever waits
    p_wait = 1.0 / (1.0 + (1.0 - load / n) * lower)
    sl = 1.0 - p_wait * np.exp(-(n - load) * t / aht)
    asa = p_wait * aht / (n - load)
    return sl, p_wait, asa


def erlang_c_service_level(
    load: FloatArray, aht: FloatArray, n: FloatArray, t: FloatArray
) -> FloatArray:
    """Erlang C service level on flat cells with load > 0 (0 where n <= load)."""
    stable = n > load
    out = np.zeros_like(load)
    out[stable] = _erlang_c_stable(load[stable], aht[stable], n[stable], t[stable])[0]
    return out


def erlang_a(
    calls: ArrayLike,
    aht_s: ArrayLike,
    interval_s: ArrayLike,
    agents: ArrayLike,
    answer_s: ArrayLike,
    patience_s: ArrayLike,
) -> ErlangAResult:
    """Service level, abandonment, wait probability and ASA when callers hang up (M/M/n+M).

    Service level counts abandoned calls as failures: answered within `answer_s` over all
    calls offered. Patience is exponential with mean `patience_s`; ``patience_s = inf``
    gives the Erlang C answer for that cell (p_abandon 0). With no agents every call is
    abandoned (ASA NaN); with no calls: service level 1, everything else 0.

    Args:
        calls, aht_s, interval_s, agents, answer_s: as for `erlang_c`.
        patience_s: mean time a caller waits before hanging up, seconds (> 0).
    """
    calls_a, aht, interval, agents_a, answer, patience = prepare(
        calls=calls,
        aht_s=aht_s,
        interval_s=interval_s,
        agents=agents,
        answer_s=answer_s,
        patience_s=patience_s,
    )
    if (patience == 0).any():
        raise ValueError("patience_s must be > 0 (use inf for callers who never hang up)")
    busy = calls_a > 0
    mask = busy & (agents_a > 0) & np.isfinite(patience)
    rate, pat = calls_a[mask] / interval[mask], patience[mask]
    sl, p_ab, p_wait, served_wait = _erlang_a_cells(
        rate, aht[mask], agents_a[mask], answer[mask], pat, with_wait=True
    )
    sl_all = _fill(busy.shape, mask, sl, ~busy, 1.0, 0.0)
    p_ab_all = _fill(busy.shape, mask, p_ab, ~busy, 0.0, 1.0)
    p_wait_all = _fill(busy.shape, mask, p_wait, ~busy, 0.0, 1.0)
    asa_all = _fill(busy.shape, mask, p_wait * served_wait / (1.0 - p_ab), ~busy, 0.0, np.nan)
    never = busy & (agents_a > 0) & np.isinf(patience)
    if never.any():
        c = erlang_c(calls_a[never], aht[never], interval[never], agents_a[never], answer[never])
        sl_all[never], p_wait_all[never], asa_all[never] = c.service_level, c.p_wait, c.asa_s
        p_ab_all[never] = 0.0
    return ErlangAResult(service_level=sl_all, p_abandon=p_ab_all, p_wait=p_wait_all, asa_s=asa_all)


def _erlang_a_cells(
    rate: FloatArray,
    aht: FloatArray,
    n: FloatArray,
    t: FloatArray,
    patience: FloatArray,
    *,
    with_wait: bool,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(service level, p_abandon, p_wait, E[wait; answered | wait]) on flat cells, n > 0."""
    load = rate * aht
    x = n * patience / aht
    y = rate * patience
    z = y * np.exp(-t / patience)
    log_upper = log_upper_share(x, y)
    p_wait = special.expit(log_upper - log_lower_share(n, load))
    served_given_wait = x / y * -np.expm1(-log_upper)  # x/y * P(x+1, y) / P(x, y)
    p_ab = p_wait * (1.0 - served_given_wait)
    log_p_xy = log_poisson(x, y) + log_upper
    with np.errstate(divide="ignore"):
        late = np.exp(log_poisson(x + 1.0, z) + log_upper_share(x + 1.0, z) - log_p_xy)
    sl = (1.0 - p_wait) + p_wait * x / y * (-np.expm1(-log_upper) - late)
    wait = _served_wait_given_wait(x, y, patience) if with_wait else np.zeros_like(x)
    return np.clip(sl, 0.0, 1.0), p_ab, p_wait, wait


def _served_wait_given_wait(x: FloatArray, y: FloatArray, patience: FloatArray) -> FloatArray:
    """E[wait * 1(answered) | the call waits], seconds, summed over the queue length met.

    A caller who finds m others waiting is answered with probability x/(x+m+1) after a
    wait of sum_{j=1..m+1} Exp(theta*(x+j)) (theta = 1/patience). Queue lengths are
    weighted by y^m / (x+1)_m over a window of +-40 nats around the mode.
    """
    mode = np.maximum(np.ceil(y - x), 0.0)
    lo = np.maximum(mode - np.ceil(9.0 * np.sqrt(y + 1.0)) - 1.0, 0.0)
    width = (mode + np.ceil(9.0 * np.sqrt(x + mode + 1.0)) + 45.0 - lo).astype(np.int64)
    out = np.empty_like(x)
    order = np.argsort(width, kind="stable")
    start = 0
    while start < order.size:
        k = int(width[order[start]]) + 1
        rows = max(1, 2_000_000 // k)
        chunk = order[start : start + rows]
        k = int(width[chunk].max()) + 1
        m = lo[chunk, None] + np.arange(k)[None, :]
        xc, yc = x[chunk, None], y[chunk, None]
        log_w = m * np.log(yc) - special.gammaln(xc + m + 1.0)
        log_w = np.where(m <= lo[chunk, None] + width[chunk, None], log_w, -np.inf)
        w = np.exp(log_w - log_w.max(axis=1, keepdims=True))
        f = xc * (special.digamma(xc + m + 2.0) - special.digamma(xc + 1.0)) / (xc + m + 1.0)
        out[chunk] = (w * f).sum(axis=1) / w.sum(axis=1) * patience[chunk]
        start += rows
    return out


def erlang_a_service_level(
    rate: FloatArray, aht: FloatArray, n: FloatArray, t: FloatArray, patience: FloatArray
) -> FloatArray:
    """Erlang A service level on flat cells with calls > 0 (0 where n == 0)."""
    out = np.zeros_like(rate)
    ok = n > 0
    out[ok] = _erlang_a_cells(rate[ok], aht[ok], n[ok], t[ok], patience[ok], with_wait=False)[0]
    return out


def _fill(
    shape: tuple[int, ...],
    mask: NDArray[np.bool_],
    values: FloatArray,
    idle: NDArray[np.bool_],
    idle_value: float,
    other_value: float,
) -> FloatArray:
    """An array of `shape`: `values` on `mask`, `idle_value` on `idle`, else `other_value`."""
    out = np.full(shape, other_value, dtype=np.float64)
    out[idle] = idle_value
    out[mask] = values
    return out
