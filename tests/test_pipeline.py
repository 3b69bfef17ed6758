"""The plan's verify step: cells the simulation finds below target get one more agent."""

from __future__ import annotations

import pandas as pd

from scheduler.pipeline import _raise


def test_raise_adds_one_agent_to_flagged_cells_and_clears_the_old_schedule() -> None:
    stamps = pd.to_datetime(["2026-11-29 08:00", "2026-11-29 08:15"])
    table = pd.DataFrame({"queue": ["A", "A", "B", "B"], "interval_start": [*stamps, *stamps],
                          "calls": 5.0, "aht_s": 200.0, "required_agents": [3, 4, 2, 2],
                          "scheduled_agents": [3, 4, 2, 2],
                          "expected_service_level": 0.85})
    cells = pd.DataFrame({"queue": ["A", "B"], "interval_start": [stamps[1], stamps[0]],
                          "simulated_service_level": [0.7, 0.6]})

    raised = _raise(table, cells)

    assert raised["required_agents"].tolist() == [3, 5, 3, 2]
    assert "scheduled_agents" not in raised and "expected_service_level" not in raised
    assert table["required_agents"].tolist() == [3, 4, 2, 2]  # the input is not changed
