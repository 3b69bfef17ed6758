"""Measurement (a): pooled requirements of queue-set families vs the per-queue sum.

For every open interval: r(S, t) for each family, and the fewest agents on duty (a small
MIP per interval, each pool capped at its members, shifts ignored) that meet
- main's model: every queue its own Erlang number, each agent on one queue;
- Hall over a family: agents holding a skill in S >= r(S) for every S in the family.

    python bench/service_model/analysis.py demo
"""

from __future__ import annotations

import sys
from collections import defaultdict

import numpy as np
from common import case_inputs
from family import agent_pools, family, neighbours, pooled_requirements
from scipy.optimize import Bounds, LinearConstraint, milp


def min_hall(pools: list[str], size: dict[str, int], skills, reqs_t) -> float:
    c = np.ones(len(pools))
    rows, lo = [], []
    for s, n in reqs_t:
        nb = neighbours(skills, s)
        rows.append([1.0 if p in nb else 0.0 for p in pools])
        lo.append(n)
    res = milp(c, constraints=LinearConstraint(np.array(rows), lo, np.inf),
               integrality=np.ones(len(pools)),
               bounds=Bounds(0, [size[p] for p in pools]))
    return res.fun if res.status == 0 else float("nan")


def min_alloc(pools: list[str], size, skills, need: dict[str, int]) -> float:
    """Main's model: x[p,q] integer, sum_q x[p,q] <= n_p <= size_p, sum_p x[p,q] >= need_q."""
    cols = [(p, q) for p in pools for q in sorted(skills[p]) if need.get(q, 0) > 0]
    nvar = len(pools) + len(cols)
    c = np.r_[np.ones(len(pools)), np.zeros(len(cols))]
    rows, lo, hi = [], [], []
    for i, p in enumerate(pools):
        r = np.zeros(nvar)
        r[i] = -1
        for j, (pp, _) in enumerate(cols):
            if pp == p:
                r[len(pools) + j] = 1
        rows.append(r); lo.append(-np.inf); hi.append(0)
    for q, n in need.items():
        if n <= 0:
            continue
        r = np.zeros(nvar)
        for j, (_, qq) in enumerate(cols):
            if qq == q:
                r[len(pools) + j] = 1
        rows.append(r); lo.append(n); hi.append(np.inf)
    ub = [size[p] for p in pools] + [np.inf] * len(cols)
    res = milp(c, constraints=LinearConstraint(np.array(rows), lo, hi),
               integrality=np.ones(nvar), bounds=Bounds(0, ub))
    return res.fun if res.status == 0 else float("nan")


def main(case: str) -> None:
    wb, _, _, pb = case_inputs(case)
    skills, size = agent_pools(wb)
    pools = sorted(skills)
    queues = [q.queue_id for q in wb.queues]
    h = pb.interval / 60
    fams = {k: family(wb, k) for k in ("single", "basic", "closed")}
    reqs = {k: pooled_requirements(pb, f) for k, f in fams.items()}
    center = frozenset(queues)
    load_h = sum(l.calls * l.aht_s for l in pb.loads.values()) / 3600
    print(f"== {case}: whole load {load_h:,.0f} Erlang-hours")
    print(f"sum of per-queue requirements: {sum(pb.queue_required.values()) * h:,.0f} agent-h")
    print(f"whole center pooled (one queue): "
          f"{sum(n for (s, _), n in reqs['basic'].items() if s == center) * h:,.0f} agent-h")
    for s in sorted({s for s in fams["basic"] if len(s) > 1}, key=len):
        tot = sum(n for (ss, _), n in reqs["basic"].items() if ss == s) * h
        alone = sum(pb.queue_required.get((q, t), 0) for q in s
                    for t in {t for (_, t) in pb.queue_required}) * h
        print(f"  set {'+'.join(sorted(s)) if len(s) < 12 else 'CENTER'}: pooled {tot:,.0f} "
              f"vs per-queue sum {alone:,.0f} agent-h")
    times = sorted({t for (_, t) in pb.queue_required})
    totals: defaultdict[str, float] = defaultdict(float)
    for t in times:
        need = {q: pb.queue_required.get((q, t), 0) for q in queues}
        totals["main: per-queue allocation"] += min_alloc(pools, size, skills, need) * h
        for k in ("single", "basic", "closed"):
            rt = [(s, n) for (s, tt), n in reqs[k].items() if tt == t]
            totals[f"Hall, family {k} ({len(fams[k])} sets)"] += min_hall(
                pools, size, skills, rt) * h
    print("fewest agent-hours on duty per interval, shifts ignored (sum over the week):")
    for k, v in totals.items():
        print(f"  {k}: {v:,.0f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo")
