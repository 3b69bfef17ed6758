"""Staffing math: published Erlang C/A numbers, exactness, edge cases, search, simulation."""

from __future__ import annotations

import heapq
import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import special

from scheduler.staffing.agents import (
    apply_shrinkage,
    erlang_a,
    erlang_c,
    required_agents,
    service_level_table,
)

# ---------------------------------------------------------------- published numbers


def test_call_centre_helper_example() -> None:
    # Call Centre Helper, "Erlang C formula - made simple" (100 calls / 30 min, AHT 180 s,
    # 80/20): 14 agents, P(wait) 17.41%, SL 88.8%, ASA 7.8 s, occupancy 71.4%, 20 agents
    # after 30% shrinkage. Same figures in the CRAN ErlangC package README
    # (P(wait) 0.1741319, SL 0.88835, ASA 7.8359 s, 11 agents: 0.6821182 / 0.3896138).
    r = erlang_c(calls=100, aht_s=180, interval_s=1800, agents=[14, 11], answer_s=20)
    assert r.p_wait == pytest.approx([0.1741319, 0.6821182], abs=5e-8)
    assert r.service_level == pytest.approx([0.88835, 0.3896138], abs=5e-6)
    assert r.asa_s[0] == pytest.approx(7.8359, abs=5e-5)
    assert r.occupancy[0] == pytest.approx(0.7142857, abs=5e-8)
    raw = required_agents(calls=100, aht_s=180, interval_s=1800, service_level=0.8, answer_s=20)
    assert raw == 14
    assert apply_shrinkage(raw, 0.3) == 20


def test_second_published_erlang_c_example() -> None:
    # 360 calls / 30 min, AHT 240 s, as published in issue 3 item 2 (a larger center):
    # 55 agents give P(wait) 0.23870, SL(20 s) 0.8668, ASA 8.184 s; 54 agents meet 80/20.
    r = erlang_c(calls=360, aht_s=240, interval_s=1800, agents=55, answer_s=20)
    assert float(r.p_wait) == pytest.approx(0.23870, abs=5e-6)
    assert float(r.service_level) == pytest.approx(0.8668, abs=5e-5)
    assert float(r.asa_s) == pytest.approx(8.184, abs=5e-4)
    assert (
        required_agents(calls=360, aht_s=240, interval_s=1800, service_level=0.8, answer_s=20) == 54
    )


def test_published_erlang_a_example() -> None:
    # Erlang A (M/M/n+M; Garnett, Mandelbaum & Reiman 2002), values of issue 3 item 2:
    # 100 calls / 30 min, AHT 180 s, mean patience 120 s, 20 s threshold. 12 agents:
    # P(wait) 0.27981,
    # P(abandon) 0.06160, SL over all arrivals 0.82558, ASA of answered calls 6.335 s;
    # 8 agents: P(abandon) 0.25798, SL 0.40321.
    r = erlang_a(calls=100, aht_s=180, interval_s=1800, agents=[12, 8], answer_s=20, patience_s=120)
    assert r.p_wait[0] == pytest.approx(0.27981, abs=5e-6)
    assert r.p_abandon == pytest.approx([0.06160, 0.25798], abs=5e-6)
    assert r.service_level == pytest.approx([0.82558, 0.40321], abs=5e-6)
    assert r.asa_s[0] == pytest.approx(6.335, abs=5e-4)
    needed = required_agents(
        calls=100, aht_s=180, interval_s=1800, service_level=0.8, answer_s=20, patience_s=120
    )
    assert needed == 12  # 11 agents give 0.7422


def test_shrinkage_floating_point_trap() -> None:
    # 21 / (1 - 0.3) is 30.000000000000004 in floats; a naive ceil gives 31.
    assert apply_shrinkage(21, 0.3) == 30
    assert apply_shrinkage([21, 22, 0, 14], [0.3, 0.3, 0.5, 0.0]).tolist() == [30, 32, 0, 14]
    with pytest.raises(ValueError, match="shrinkage"):
        apply_shrinkage(10, 1.0)


# ---------------------------------------------------------------- exactness


def _erlang_c_exact(calls: int, aht: int, interval: int, n: int) -> Fraction:
    """P(wait) by the Erlang B recurrence in exact rational arithmetic."""
    a = Fraction(calls * aht, interval)
    b = Fraction(1)
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return n * b / (n - a * (1 - b))


@pytest.mark.parametrize(("calls", "aht", "n"), [(100, 180, 11), (7, 300, 2), (900, 95, 50)])
def test_erlang_c_matches_exact_rational_recurrence(calls: int, aht: int, n: int) -> None:
    c = _erlang_c_exact(calls, aht, 1800, n)
    load = calls * aht / 1800
    r = erlang_c(calls=calls, aht_s=aht, interval_s=1800, agents=n, answer_s=30)
    assert float(r.p_wait) == pytest.approx(float(c), rel=1e-12)
    expected_sl = 1 - float(c) * math.exp(-(n - load) * 30 / aht)
    assert float(r.service_level) == pytest.approx(expected_sl, rel=1e-12)


def _erlang_c_float_recurrence(load: float, n: int) -> float:
    b = 1.0
    for k in range(1, n + 1):
        b = load * b / (k + load * b)
    return n * b / (n - load * (1 - b))


def test_erlang_c_to_10000_agents_matches_recurrence() -> None:
    # 9,500 Erlangs (e.g. 190,000 calls per hour at 180 s): the log-space formula against
    # the plain Erlang B recurrence (stable, relative error ~ n * eps ~ 2e-12).
    calls, aht, interval = 190_000.0, 180.0, 3600.0
    load = calls * aht / interval
    agents = np.array([9_501, 9_520, 9_550, 9_600, 9_700, 10_000])
    r = erlang_c(calls=calls, aht_s=aht, interval_s=interval, agents=agents, answer_s=20)
    for i, n in enumerate(agents):
        c = _erlang_c_float_recurrence(load, int(n))
        assert r.p_wait[i] == pytest.approx(c, rel=1e-9, abs=1e-300)
        sl = 1 - c * math.exp(-(n - load) * 20 / aht)
        assert r.service_level[i] == pytest.approx(sl, abs=1e-9)
        assert r.asa_s[i] == pytest.approx(c * aht / (n - load), rel=1e-9)
    assert 0.5 < r.p_wait[1] < 0.99 and r.p_wait[-1] < 1e-6  # heavy and light traffic


def test_no_overflow_far_from_the_load() -> None:
    r = erlang_c(calls=10, aht_s=60, interval_s=900, agents=20_000, answer_s=20)
    assert float(r.p_wait) == 0.0 and float(r.service_level) == 1.0
    a = erlang_a(calls=1e6, aht_s=300, interval_s=900, agents=5, answer_s=20, patience_s=60)
    assert np.isfinite([a.service_level, a.p_abandon, a.p_wait, a.asa_s]).all()
    assert float(a.p_abandon) == pytest.approx(1 - 5 * 900 / (1e6 * 300), rel=1e-6)


# ---------------------------------------------------------------- edge cases and shapes


def test_erlang_c_edge_cases() -> None:
    r = erlang_c(
        calls=[100, 100, 100, 0], aht_s=180, interval_s=1800, agents=[10, 9, 0, 0], answer_s=20
    )
    # load is 10: 10 and 9 agents are unstable; 0 agents too; no calls is perfect service.
    assert r.service_level.tolist() == [0.0, 0.0, 0.0, 1.0]
    assert r.p_wait.tolist() == [1.0, 1.0, 1.0, 0.0]
    assert r.asa_s.tolist() == [math.inf, math.inf, math.inf, 0.0]
    assert r.occupancy.tolist() == [1.0, 1.0, 1.0, 0.0]


def test_erlang_a_edge_cases() -> None:
    r = erlang_a(
        calls=[100, 0, 100],
        aht_s=[180, np.nan, 180],
        interval_s=1800,
        agents=[0, 3, 14],
        answer_s=20,
        patience_s=[120, 120, np.inf],
    )
    assert r.service_level[:2].tolist() == [0.0, 1.0]
    assert r.p_abandon[:2].tolist() == [1.0, 0.0]
    assert math.isnan(r.asa_s[0]) and r.asa_s[1] == 0.0
    # Infinite patience is Erlang C.
    assert r.service_level[2] == pytest.approx(0.88835, abs=5e-6) and r.p_abandon[2] == 0.0


def test_broadcasting_shapes() -> None:
    r = erlang_c(calls=[[50], [100]], aht_s=180, interval_s=1800, agents=[8, 12, 16], answer_s=20)
    assert r.service_level.shape == (2, 3)
    assert r.service_level[1, 1] == pytest.approx(
        float(erlang_c(calls=100, aht_s=180, interval_s=1800, agents=12, answer_s=20).service_level)
    )
    need = required_agents(
        calls=[[0, 50], [100, 200]], aht_s=180, interval_s=1800, service_level=0.8, answer_s=20
    )
    assert need.shape == (2, 2) and need.dtype == np.int64 and need[0, 0] == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"calls": -1}, "calls must be a number >= 0"),
        ({"aht_s": 0}, "aht_s must be > 0 where calls > 0"),
        ({"interval_s": 0}, "interval_s must be a number > 0"),
        ({"agents": np.nan}, "agents must be a number >= 0"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, float], message: str) -> None:
    args = {"calls": 100, "aht_s": 180, "interval_s": 1800, "agents": 14, "answer_s": 20} | kwargs
    with pytest.raises(ValueError, match=message):
        erlang_c(**args)


def test_required_agents_rejects_unreachable_target() -> None:
    with pytest.raises(ValueError, match="service_level must be below 1"):
        required_agents(calls=100, aht_s=180, interval_s=1800, service_level=1.0, answer_s=20)


# ---------------------------------------------------------------- Erlang A against the chain


def _erlang_a_chain(calls: float, aht: float, interval: float, n: int, t: float, patience: float):
    """Erlang A from the birth-death chain itself (log weights, truncated 60 nats down).

    Independent of the incomplete-gamma formulas: P(abandon) = theta * E[queue] / lambda,
    and a caller meeting m waiting is answered within t with probability
    x/(x+m+1) * I_{1-exp(-theta t)}(m+1, x+1) (order statistics of exponential clocks).
    """
    lam, mu, theta = calls / interval, 1 / aht, 1 / patience
    log_pi = [j * math.log(lam / mu) - math.lgamma(j + 1) for j in range(n + 1)]
    top = max(log_pi)
    m = 0
    while True:
        m += 1
        log_pi.append(log_pi[-1] + math.log(lam / (n * mu + m * theta)))
        top = max(top, log_pi[-1])
        if n * mu + m * theta > lam and log_pi[-1] < top - 60:
            break
    pi = np.exp(np.array(log_pi) - top)
    pi /= pi.sum()
    queue = pi[n:]
    ms = np.arange(queue.size)
    x = n * mu / theta
    served = x / (x + ms + 1)
    within = served * special.betainc(ms + 1, x + 1, 1 - math.exp(-theta * t))
    harmonic = np.cumsum(1 / (theta * (x + ms + 1)))
    p_ab = theta * (ms * queue).sum() / lam
    asa = (queue * served * harmonic).sum() / (1 - p_ab)
    return pi[:n].sum() + (queue * within).sum(), p_ab, queue.sum(), asa


@pytest.mark.parametrize(
    ("calls", "aht", "n", "t", "patience"),
    [
        (100, 180, 12, 20, 120),
        (100, 180, 7, 60, 30),  # overloaded
        (40, 600, 20, 60, 900),
        (3000, 240, 380, 20, 200),
        (20000, 60, 1000, 60, 600),  # 1,000 agents
        (2000, 60, 150, 20, 60000),  # P(x, y) underflows: the upper share's series
    ],
)
def test_erlang_a_matches_the_chain(
    calls: float, aht: float, n: int, t: float, patience: float
) -> None:
    sl, p_ab, p_wait, asa = _erlang_a_chain(calls, aht, 900, n, t, patience)
    r = erlang_a(calls=calls, aht_s=aht, interval_s=900, agents=n, answer_s=t, patience_s=patience)
    assert float(r.service_level) == pytest.approx(sl, abs=1e-9)
    assert float(r.p_abandon) == pytest.approx(p_ab, abs=1e-9)
    assert float(r.p_wait) == pytest.approx(p_wait, abs=1e-9)
    assert float(r.asa_s) == pytest.approx(asa, rel=1e-8, abs=1e-9)


def test_erlang_a_tends_to_erlang_c_as_patience_grows() -> None:
    c = erlang_c(calls=100, aht_s=180, interval_s=1800, agents=14, answer_s=20)
    a = erlang_a(calls=100, aht_s=180, interval_s=1800, agents=14, answer_s=20, patience_s=1e7)
    assert float(a.service_level) == pytest.approx(float(c.service_level), abs=1e-5)
    assert float(a.p_wait) == pytest.approx(float(c.p_wait), abs=1e-5)
    assert float(a.asa_s) == pytest.approx(float(c.asa_s), rel=1e-4)


def _simulate_mmn_m(calls_per_s: float, aht: float, n: int, t: float, patience: float, calls: int):
    """FCFS M/M/n+M: a call takes the first agent free before its patience runs out."""
    rng = np.random.default_rng(20261122)
    arrivals = np.cumsum(rng.exponential(1 / calls_per_s, calls))
    services = rng.exponential(aht, calls)
    patiences = rng.exponential(patience, calls)
    free = [0.0] * n  # heap of the times agents become free
    waits = np.empty(calls)
    answered = np.empty(calls, dtype=bool)
    for i in range(calls):
        wait = max(free[0] - arrivals[i], 0.0)
        answered[i] = wait <= patiences[i]
        waits[i] = wait if answered[i] else patiences[i]
        if answered[i]:
            heapq.heapreplace(free, arrivals[i] + wait + services[i])
    return waits, answered


def test_erlang_a_agrees_with_simulation() -> None:
    # 200,000 calls of the published example with 11 agents, the first 5,000 dropped as
    # warm-up. Calls are correlated, so the standard error comes from 20 batch means; the
    # tolerance is 4 standard errors (a seeded run, so the test is deterministic).
    waits, answered = _simulate_mmn_m(100 / 1800, 180, 11, 20, 120, 200_000)
    waits, answered = waits[5_000:], answered[5_000:]
    r = erlang_a(calls=100, aht_s=180, interval_s=1800, agents=11, answer_s=20, patience_s=120)
    measures = {
        "service_level": (answered & (waits <= 20), float(r.service_level)),
        "p_abandon": (~answered, float(r.p_abandon)),
        "p_wait": (waits > 0, float(r.p_wait)),
    }
    for name, (hits, expected) in measures.items():
        batches = hits.reshape(20, -1).mean(axis=1)
        se = batches.std(ddof=1) / math.sqrt(batches.size)
        assert se < 0.006, name
        assert abs(batches.mean() - expected) < 4 * se, (name, batches.mean(), expected, se)
    asa_batches = np.array(
        [w[a].mean() for w, a in zip(waits.reshape(20, -1), answered.reshape(20, -1), strict=True)]
    )
    se = asa_batches.std(ddof=1) / math.sqrt(20)
    assert abs(asa_batches.mean() - float(r.asa_s)) < 4 * se


# ---------------------------------------------------------------- search and table


def _linear_scan(
    calls: float, aht: float, target: float, answer: float, patience: float | None
) -> int:
    n = 0
    while True:
        if patience is None:
            sl = erlang_c(calls=calls, aht_s=aht, interval_s=900, agents=n, answer_s=answer)
        else:
            sl = erlang_a(
                calls=calls,
                aht_s=aht,
                interval_s=900,
                agents=n,
                answer_s=answer,
                patience_s=patience,
            )
        if float(sl.service_level) >= target:
            return n
        n += 1


@pytest.mark.parametrize("patience", [None, 90.0])
def test_required_agents_is_the_smallest_meeting_the_target(patience: float | None) -> None:
    rng = np.random.default_rng(3)
    calls = rng.gamma(2.0, 60.0, 400).round()
    aht = rng.uniform(60, 900, 400)
    target = rng.uniform(0.5, 0.95, 400)
    answer = rng.choice([20.0, 30.0, 60.0], 400)
    kw = {} if patience is None else {"patience_s": patience}
    need = required_agents(
        calls=calls, aht_s=aht, interval_s=900, service_level=target, answer_s=answer, **kw
    )
    model = erlang_c if patience is None else erlang_a
    at = model(calls=calls, aht_s=aht, interval_s=900, agents=need, answer_s=answer, **kw)
    below = model(
        calls=calls,
        aht_s=aht,
        interval_s=900,
        agents=np.maximum(need - 1, 0),
        answer_s=answer,
        **kw,
    )
    busy = calls > 0
    assert (at.service_level >= target - 1e-12).all()
    assert (below.service_level[busy & (need > 0)] < target[busy & (need > 0)]).all()
    assert (need[~busy] == 0).all()
    for i in range(5):
        assert need[i] == _linear_scan(calls[i], aht[i], target[i], answer[i], patience)


def test_erlang_a_service_level_grows_with_agents() -> None:
    table = service_level_table(
        calls=[10, 100, 400],
        aht_s=[300, 180, 240],
        interval_s=900,
        answer_s=60,
        max_agents=150,
        patience_s=[30, 120, 600],
    )
    assert (np.diff(table, axis=1) >= -1e-12).all()
    assert table[:, 0].tolist() == [0.0, 0.0, 0.0] and table[:, -1].min() > 0.999


def test_service_level_table_matches_erlang_c() -> None:
    table = service_level_table(
        calls=[100, 0], aht_s=180, interval_s=1800, answer_s=20, max_agents=20
    )
    direct = erlang_c(calls=100, aht_s=180, interval_s=1800, agents=np.arange(21), answer_s=20)
    assert table.shape == (2, 21)
    np.testing.assert_allclose(table[0], direct.service_level, rtol=0, atol=1e-15)
    assert table[0, 14] == pytest.approx(0.88835, abs=5e-6)
    assert (table[1] == 1.0).all()
