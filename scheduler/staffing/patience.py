"""Callers' mean patience per queue, estimated from history, for Erlang A staffing.

With exponential patience of mean θ, every second a caller spends waiting is a second in
which they may hang up at rate 1/θ. The maximum-likelihood estimate of θ is therefore the
total time all callers waited (the abandoned callers until they hung up, the answered callers
until they were answered: censored observations of their patience) divided by the number of
abandonments (the censored-data estimator of Brown et al. 2005, "Statistical analysis of a
telephone call center: a queueing-science perspective", JASA 100:36–50, who studied the
same Israeli bank as ../shared/data/anonymous_bank_1999; `bench/staffing` validates it).

History without `answer_wait_sum_s` only says how long the abandoned callers waited; their
mean wait is then used as a lower bound of patience and reported as such.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from inputs.domain import Workbook

ALL_WAITS = "all waits / abandonments"
ABANDONED_ONLY = "abandoned callers' mean wait (a lower bound: history has no answer_wait_sum_s)"
MIN_ABANDONED = 30  # fewer abandonments than this say too little about patience
WEEKS = 13  # a quarter of recent history: patience drifts with the service callers get


@dataclass(frozen=True, slots=True, kw_only=True)
class PatienceEstimate:
    """The mean patience of one queue's callers, and what it rests on."""

    queue_id: str
    patience_s: float | None  # None: not enough data (see `method`)
    abandoned: int
    waited_s: float  # total waiting time the estimate divides by `abandoned`
    method: str
    weeks: int


def estimate_patience(history: pd.DataFrame, queue_ids: Sequence[str], *, weeks: int = WEEKS,
                      min_abandoned: int = MIN_ABANDONED) -> list[PatienceEstimate]:
    """Estimate each queue's mean patience from the last `weeks` weeks of history.

    Args:
        history: the history frame (queue, interval_start, abandoned, abandon_wait_sum_s and,
            when present, answer_wait_sum_s).
        queue_ids: the queues to estimate.
        weeks: how many weeks back from the last interval to use.
        min_abandoned: fewest abandonments needed for an estimate.

    Returns:
        One estimate per queue, in the order of `queue_ids`.
    """
    missing = [c for c in ("abandoned", "abandon_wait_sum_s") if c not in history.columns]
    if missing or history.empty:
        why = f"history has no {' or '.join(missing)} column" if missing else "history is empty"
        return [PatienceEstimate(queue_id=q, patience_s=None, abandoned=0, waited_s=0.0,
                                 method=why, weeks=weeks) for q in queue_ids]
    stamps = pd.to_datetime(history["interval_start"])
    recent = history[stamps > stamps.max() - pd.Timedelta(weeks=weeks)]
    columns = ["abandoned", "abandon_wait_sum_s"]
    answered = "answer_wait_sum_s" in recent.columns
    if answered:
        columns.append("answer_wait_sum_s")
    # Rows missing a measure are gaps, not zeros: use only rows that have all of them.
    usable = recent.dropna(subset=columns)
    records = usable.groupby("queue")[columns].sum().to_dict("index")
    result = []
    for queue_id in queue_ids:
        row: dict[Hashable, Any] = records.get(queue_id, {})
        abandoned = int(row.get("abandoned", 0))
        waited = float(sum(row.get(c, 0.0) for c in columns[1:]))
        if abandoned < min_abandoned or waited <= 0:
            method = (f"only {abandoned} abandonments in the last {weeks} weeks "
                      f"(at least {min_abandoned} needed)")
            result.append(PatienceEstimate(queue_id=queue_id, patience_s=None,
                                           abandoned=abandoned, waited_s=waited, method=method,
                                           weeks=weeks))
            continue
        result.append(PatienceEstimate(
            queue_id=queue_id, patience_s=round(waited / abandoned, 1), abandoned=abandoned,
            waited_s=waited, method=ALL_WAITS if answered else ABANDONED_ONLY, weeks=weeks))
    return result


def with_estimated_patience(workbook: Workbook, estimates: Sequence[PatienceEstimate],
                            ) -> tuple[Workbook, list[str]]:
    """Give every queue whose patience_s says `estimate` its estimated patience.

    A queue whose patience cannot be estimated plans with Erlang C (no abandonment), and a
    warning says why and how to fix it.

    Returns:
        The workbook with those queues' patience set, and the warnings.
    """
    by_queue = {e.queue_id: e for e in estimates}
    queues, warnings = [], []
    for queue in workbook.queues:
        estimate = by_queue.get(queue.queue_id)
        if not queue.estimate_patience or estimate is None:
            queues.append(queue)
            continue
        if estimate.patience_s is None:
            warnings.append(
                f"Queues!patience_s for {queue.queue_id} says 'estimate', but {estimate.method}"
                " — planning it with Erlang C (no abandonment); write a patience in seconds to"
                " use Erlang A")
        queues.append(dataclasses.replace(queue, patience_s=estimate.patience_s))
    return dataclasses.replace(workbook, queues=tuple(queues)), warnings
