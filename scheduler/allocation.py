"""Give every agent on duty a queue: idle agents go where they add the most service."""

from __future__ import annotations

from collections import defaultdict

from scheduler.service import QueueLoad, load_service_level


def spread_idle_agents(
    alloc: dict[tuple[str, str, int], int],
    on_duty: dict[tuple[str, int], int],
    skills: dict[str, tuple[str, ...]],
    loads: dict[tuple[str, int], QueueLoad],
    interval_s: float,
) -> dict[tuple[str, str, int], int]:
    """Assign each on-duty agent the solver left idle to the skilled queue they help most.

    The solver staffs each queue to its requirement; agents on duty beyond that still take
    calls. Each goes, one at a time, to the queue where one more agent answers the most
    extra calls within target. Returns the new allocation per (pool, queue, interval).
    """
    result = dict(alloc)
    per_queue: defaultdict[tuple[str, int], int] = defaultdict(int)
    for (_, q, t), n in alloc.items():
        per_queue[q, t] += n
    for (pool, t), n in sorted(on_duty.items()):
        if pool not in skills:
            continue
        spare = n - sum(alloc.get((pool, q, t), 0) for q in skills[pool])
        for _ in range(max(spare, 0)):
            best, best_gain = None, 0.0
            for q in skills[pool]:
                load = loads.get((q, t))
                if load is None or load.calls <= 0:
                    continue
                have = per_queue[q, t]
                gain = load.calls * (load_service_level(load, have + 1, interval_s)
                                     - load_service_level(load, have, interval_s))
                if best is None or gain > best_gain:
                    best, best_gain = q, gain
            if best is None:
                break
            result[pool, best, t] = result.get((pool, best, t), 0) + 1
            per_queue[best, t] += 1
    return result
