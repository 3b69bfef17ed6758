"""Patience from history (issue 3 item 3) and chat concurrency (item 4)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from inputs.demo import demo_workbook
from inputs.domain import Channel, Queue
from scheduler.staffing.agents import erlang_a, erlang_c
from scheduler.staffing.patience import (
    ABANDONED_ONLY,
    ALL_WAITS,
    estimate_patience,
    with_estimated_patience,
)
from scheduler.staffing.service import (
    queue_abandon_rate,
    queue_required_agents,
    queue_service_level,
    queue_service_level_table,
)


def _callers(theta: float, n: int, seed: int = 3) -> pd.DataFrame:
    """Callers with exponential patience facing a random wait; one history row per 100."""
    rng = np.random.default_rng(seed)
    patience = rng.exponential(theta, n)
    offered_wait = rng.exponential(40.0, n)  # how long each caller would have to wait
    abandoned = patience < offered_wait
    waited = np.minimum(patience, offered_wait)
    rows = np.arange(n) // 100
    frame = pd.DataFrame({"row": rows, "abandoned": abandoned.astype(int),
                          "abandon_wait_sum_s": np.where(abandoned, waited, 0.0),
                          "answer_wait_sum_s": np.where(abandoned, 0.0, waited)})
    table = frame.groupby("row").sum().reset_index(drop=True)
    start = pd.Timestamp("2026-11-01 08:00")
    return table.assign(queue="Q1", offered=100,
                        interval_start=start + pd.to_timedelta(np.arange(len(table)) * 15, "min"))


def test_total_wait_over_abandonments_recovers_the_mean_patience() -> None:
    history = _callers(theta=300.0, n=200_000)

    (estimate,) = estimate_patience(history, ["Q1"], weeks=52)

    assert estimate.method == ALL_WAITS
    assert estimate.patience_s == pytest.approx(300.0, rel=0.04)
    # The abandoned callers alone wait far less than their patience: a biased estimate.
    biased = history["abandon_wait_sum_s"].sum() / history["abandoned"].sum()
    assert biased < 50.0


def test_without_answered_waits_the_abandoners_mean_wait_is_reported_as_a_lower_bound() -> None:
    history = _callers(theta=300.0, n=20_000).drop(columns="answer_wait_sum_s")

    (estimate,) = estimate_patience(history, ["Q1"], weeks=52)

    assert estimate.method == ABANDONED_ONLY
    expected = history["abandon_wait_sum_s"].sum() / history["abandoned"].sum()
    assert estimate.patience_s == pytest.approx(expected, abs=0.05)


def test_only_recent_weeks_count_and_gaps_are_not_zeros() -> None:
    old = _callers(theta=100.0, n=20_000, seed=1)
    new = _callers(theta=400.0, n=40_000, seed=2)
    new["interval_start"] += pd.Timedelta(weeks=30)
    new.loc[5, ["abandoned", "answer_wait_sum_s"]] = np.nan  # a gap in the measures

    (estimate,) = estimate_patience(pd.concat([old, new]), ["Q1"], weeks=13)

    assert estimate.patience_s == pytest.approx(400.0, rel=0.08)


def test_too_few_abandonments_give_no_estimate_and_a_warning() -> None:
    history = _callers(theta=300.0, n=20_000)
    history["abandoned"] = 0
    history.loc[0, "abandoned"] = 12
    queue = Queue(queue_id="Q1", name="One", estimate_patience=True)
    book = dataclasses.replace(demo_workbook(), queues=(queue,), employees=())

    estimates = estimate_patience(history, ["Q1"], weeks=52)
    resolved, warnings = with_estimated_patience(book, estimates)

    assert estimates[0].patience_s is None
    assert resolved.queues[0].patience_s is None
    assert warnings == [
        "Queues!patience_s for Q1 says 'estimate', but only 12 abandonments in the last 52 "
        "weeks (at least 30 needed) — planning it with Erlang C (no abandonment); write a "
        "patience in seconds to use Erlang A"]


def test_estimated_patience_reaches_only_queues_that_ask_for_it() -> None:
    history = pd.concat([_callers(theta=300.0, n=20_000).assign(queue=q) for q in ("A", "B")])
    queues = (Queue(queue_id="A", name="A", estimate_patience=True),
              Queue(queue_id="B", name="B", patience_s=120.0))
    book = dataclasses.replace(demo_workbook(), queues=queues, employees=())

    resolved, warnings = with_estimated_patience(book, estimate_patience(history, ["A", "B"],
                                                                         weeks=52))

    assert warnings == []
    assert resolved.queues[0].patience_s == pytest.approx(300.0, rel=0.1)
    assert resolved.queues[1].patience_s == 120.0


def test_a_chat_agent_is_as_many_servers_as_the_queue_allows_chats() -> None:
    # 100 chats per 30 min of 180 s need 14 servers at 80/20 (the voice example of
    # test_staffing); three chats at a time make that ceil(14 / 3) = 5 agents.
    chat = Queue(queue_id="C", name="Chat", channel=Channel.CHAT, concurrency=3,
                 answer_seconds=20, service_level=0.8)
    voice = Queue(queue_id="V", name="Voice", answer_seconds=20, service_level=0.8)

    args = dict(calls=100.0, aht_s=180.0, interval_s=1800.0)
    assert int(queue_required_agents(voice, **args)) == 14
    assert int(queue_required_agents(chat, **args)) == 5
    level = queue_service_level(chat, **args, agents=5)
    assert level == pytest.approx(float(erlang_c(**args, agents=15, answer_s=20).service_level))
    assert queue_service_level(chat, **args, agents=4) < 0.8 <= level


def test_the_table_by_agents_counts_chat_agents_as_servers_too() -> None:
    chat = Queue(queue_id="C", name="Chat", channel=Channel.CHAT, concurrency=3,
                 answer_seconds=20, patience_s=150.0)
    args = dict(calls=[100.0, 40.0], aht_s=[180.0, 240.0], interval_s=1800.0)

    table = queue_service_level_table(chat, **args, max_agents=8)

    assert table.shape == (2, 9)
    for n in range(9):
        expected = queue_service_level(chat, **args, agents=n)
        assert table[:, n] == pytest.approx(expected, abs=1e-12)


def test_abandonment_is_erlang_a_and_unknown_without_patience() -> None:
    queue = Queue(queue_id="A", name="A", answer_seconds=20, patience_s=120.0)
    args = dict(calls=100.0, aht_s=180.0, interval_s=1800.0, agents=12)

    rate = queue_abandon_rate(queue, **args)

    assert rate == pytest.approx(0.06160, abs=5e-5)  # the Erlang A example of issue 3
    assert rate == pytest.approx(float(erlang_a(**args, answer_s=20, patience_s=120).p_abandon))
    assert queue_abandon_rate(Queue(queue_id="C", name="C"), **args) is None
    assert queue_service_level(queue, **{**args, "calls": 0.0}) == 1.0
