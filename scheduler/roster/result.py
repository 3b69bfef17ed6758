"""What a solve returns: a status, the roster if there is one, and what it falls short of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

from inputs.domain import Roster


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # a roster, not proven optimal within the time limit
    INFEASIBLE = "infeasible"  # the hard rules contradict each other
    UNKNOWN = "unknown"  # no roster found within the time limit


@dataclass(frozen=True, slots=True, kw_only=True)
class Shortfall:
    """Staff missing against a requirement in one interval.

    `what` is a queue id for agents, or a role value ("shift_lead", ...) for leads.
    """

    what: str
    interval_start: dt.datetime
    required: int
    scheduled: int

    @property
    def missing(self) -> int:
        return self.required - self.scheduled


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleBreak:
    """A soft rule the roster breaks, in rule language, and what it cost in the objective."""

    rule: str
    text: str
    penalty: float  # currency units the objective charged for it


@dataclass(frozen=True, slots=True, kw_only=True)
class SolveResult:
    """The outcome of one roster solve.

    `allocation` is long format: queue, interval_start, scheduled_agents (agents on duty, not
    on break, assigned to serve that queue in that interval; a multi-skilled agent counts in
    one queue only). `role_on_duty` is long format: role, interval_start, on_duty.
    """

    status: SolveStatus
    roster: Roster | None
    cost: float | None
    bound: float | None
    gap: float | None
    shortfalls: tuple[Shortfall, ...] = ()
    rule_breaks: tuple[RuleBreak, ...] = ()
    allocation: pd.DataFrame | None = None
    role_on_duty: pd.DataFrame | None = None
    explanation: tuple[str, ...] = ()
    stats: dict[str, float | int | str] = field(default_factory=dict)
    # The roster as a complete solver hint (employee id -> scheduler.roster.hint.Week), so a
    # re-solve of a slightly changed week starts from it instead of from scratch.
    hint: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)
