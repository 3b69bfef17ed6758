"""The Hall LP bound on a saved prototype round's model (same cells, same weights)."""
import sys

from common import case_inputs, load
from hall_bound import hall_lp_bound

from scheduler.roster.bound import lp_bound

name = sys.argv[1]
case = "flex" if "flex" in name else "demo"
_, _, _, problem = case_inputs(case)
saved = load(name)
b = hall_lp_bound(problem, saved["reqs"], 300)
rec = saved["rec"]
print(name, "Hall LP bound", None if b is None else b.cents / 100, "s", None if b is None else round(b.seconds, 1),
      "objective", rec["objective"], "gap", None if b is None else round((rec["objective"] - b.cents / 100) / rec["objective"], 4))
if len(sys.argv) > 2:
    m = lp_bound(problem, 300)
    print("main's per-queue LP bound on the same case", m.cents / 100, round(m.seconds, 1), "s")
