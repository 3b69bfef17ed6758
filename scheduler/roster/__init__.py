"""Roster: the week's shifts for named staff at least cost, with OR-Tools CP-SAT.

`solve_roster` takes a `RosterProblem` (the workbook, the week, the requirements per queue
and lead role, last week's roster) and returns a `SolveResult`: the roster, its cost, the
proven lower bound and gap, the rules it breaks and the coverage it misses. Inside: the
shift options and their pay (`shifts`, `cost`), the variables (`model`), one function per
rule (`rules`, `week_rules`, `wish_rules`, `sl_scope`), the greedy start as weeks that
hint the model (`construct`, `order`, `hint`) and its polish (
`polish`, `allocation`), the search beside the bound (`search`), the results read back
(`extract`), the linear relaxation's bound (`bound`), the reading of
shortfalls and conflicts in words (`explain`, `infeasible`), and the agent time the service
does not need (`free_time`).
"""

from scheduler.roster.cost import overtime_cost, overtime_tiers
from scheduler.roster.explain import describe_shortfalls
from scheduler.roster.free_time import FreeSpan, FreeTime, free_time, skills_text
from scheduler.roster.hint import Week
from scheduler.roster.model import RosterProblem
from scheduler.roster.penalty import AGENT_SHORT_CENTS, ROLE_SHORT_CENTS
from scheduler.roster.result import RuleBreak, Shortfall, SolveResult, SolveStatus
from scheduler.roster.shifts import minute_multipliers
from scheduler.roster.sl_scope import span_service_levels
from scheduler.roster.solve import Progress, SolverSettings, solve_roster

__all__ = [
    "AGENT_SHORT_CENTS",
    "ROLE_SHORT_CENTS",
    "FreeSpan",
    "FreeTime",
    "Progress",
    "RosterProblem",
    "RuleBreak",
    "Shortfall",
    "SolveResult",
    "SolveStatus",
    "SolverSettings",
    "Week",
    "describe_shortfalls",
    "free_time",
    "minute_multipliers",
    "overtime_cost",
    "overtime_tiers",
    "skills_text",
    "solve_roster",
    "span_service_levels",
]
