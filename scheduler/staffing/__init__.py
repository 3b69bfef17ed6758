"""Staffing: how many agents each queue and lead role needs, and what service a number buys.

Exact Erlang C and Erlang A in log space (`erlang`), the fewest agents for a target and
shrinkage (`agents`), a queue's service level, abandonment and requirement from its
workbook row (`service`), callers' patience estimated from history (`patience`), and the
week's requirements per queue and interval and per lead role (`requirements`), and what
sets of queues that share agents need together (`pooled`).
"""

from scheduler.staffing.agents import (
    apply_shrinkage,
    erlang_a,
    erlang_c,
    meets_target,
    required_agents,
    service_level_table,
)
from scheduler.staffing.patience import (
    PatienceEstimate,
    estimate_patience,
    with_estimated_patience,
)
from scheduler.staffing.pooled import QueueSet, pooled_requirements, queue_sets, set_label
from scheduler.staffing.requirements import queue_requirements, role_requirements
from scheduler.staffing.service import (
    QueueLoad,
    calls_weighted_level,
    load_service_level,
    queue_abandon_rate,
    queue_required_agents,
    queue_service_level,
    queue_service_level_table,
)

__all__ = [
    "PatienceEstimate",
    "QueueLoad",
    "QueueSet",
    "apply_shrinkage",
    "calls_weighted_level",
    "erlang_a",
    "erlang_c",
    "estimate_patience",
    "load_service_level",
    "meets_target",
    "pooled_requirements",
    "queue_abandon_rate",
    "queue_required_agents",
    "queue_requirements",
    "queue_service_level",
    "queue_service_level_table",
    "queue_sets",
    "required_agents",
    "role_requirements",
    "service_level_table",
    "set_label",
    "with_estimated_patience",
]
