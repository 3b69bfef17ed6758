"""Measurement 3: agreement of candidate planned-SL methods with the 20-replication
simulation (seed 0), on saved rosters.

    python bench/service_model/agree.py baseline_demo proto_demo_r3 ...
"""
from __future__ import annotations

import sys

import pandas as pd
from common import case_inputs, load
from planned import compare

rows = []
for name in sys.argv[1:]:
    case = "flex" if "flex" in name else "demo"
    wb, forecast, _, problem = case_inputs(case)
    saved = load(name)
    if "result" in saved:
        roster, alloc = saved["result"].roster, saved["result"].allocation
    else:
        roster, alloc = saved["roster"], None
    rows += compare(name, wb, roster, forecast, problem, saved["levels"], alloc)
    print(pd.DataFrame(rows).to_string(), flush=True)
pd.DataFrame(rows).to_csv(f"/tmp/proto18/agree_{'_'.join(sys.argv[1:])}.csv", index=False)
