"""What every roster rule shares: the shortfall weights, the penalty it returns, its registry entry.

Hard rules add constraints; soft rules return `Penalty` objects whose weighted sum enters the
objective. Kept apart from the rules themselves so that rule modules can import it freely.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.roster.model import RosterProblem, RosterVars

# Objective weights in cents. One agent missing for one interval must cost far more than
# any staffing it could save: ~100 times an agent's pay for a 15-minute interval.
AGENT_SHORT_CENTS = 160_000
ROLE_SHORT_CENTS = 320_000


@dataclass(frozen=True, slots=True)
class Penalty:
    """A soft rule's shortfall variable: `var` units missing of `required` for `what` at `t`.

    `text` says in rule language what a positive value means; `{n}` in it is replaced by the
    value the solver chose (e.g. "E12 works Fri 17:00-21:00, which they asked to avoid").
    Coverage penalties leave it empty: their lines come from `scheduler.roster.explain`.
    """

    rule: str
    var: cp_model.IntVar
    weight: int
    what: str
    t: int
    required: int
    text: str = ""


RuleFn = Callable[[cp_model.CpModel, RosterVars, RosterProblem], list[Penalty]]


@dataclass(frozen=True, slots=True)
class Rule:
    rule_id: str
    label: str
    hard: bool
    add: RuleFn
