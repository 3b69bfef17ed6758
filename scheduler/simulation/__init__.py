"""Simulation: the roster's week played out call by call.

`run.simulate_week` draws the week's calls (from the forecast, or replays history or call
records), routes them to the agents on duty by skill with breaks, abandonment and
escalations (`engine`, on inputs built by `week_inputs`), and bins what happened per queue
and interval over several replications (`stats`). `verdict` reads the result against the
plan: the cells below target and what pooling the skills gained.
"""

from scheduler.simulation.run import (
    HandleModel,
    SimulationResult,
    SimulationSettings,
    simulate_week,
)
from scheduler.simulation.verdict import cells_below_target, pooling_gain

__all__ = [
    "HandleModel",
    "SimulationResult",
    "SimulationSettings",
    "cells_below_target",
    "pooling_gain",
    "simulate_week",
]
