"""Agent time the service does not need: how many agent-hours are free, when, with which skills.

Contracts' minimum hours, shift lengths and lunch rules often put more agents on duty than
the calls need; the roster keeps them (their pay is owed anyway) and the plan says where
they are, as capacity for other work (e-mail, training, call-backs). In each interval the
agents on duty are taken away one at a time, fewest skills first, while every queue-set row
of the service model (`scheduler.roster.pooled.coverage_cells`) keeps the agents it needs;
those taken away are free. Taking fewest skills first keeps the agents who can answer most
on the phones; the count is a floor, since another choice of whom to free could free more.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inputs.domain import Employee, Role
from scheduler.roster.hint import Week
from scheduler.roster.model import RosterProblem
from scheduler.roster.pooled import coverage_cells, uses_pooled
from scheduler.staffing import QueueSet, set_label


@dataclass(frozen=True, slots=True, kw_only=True)
class FreeSpan:
    """A run of consecutive intervals with at least one agent free, within a clock hour."""

    start: dt.datetime
    end: dt.datetime
    fewest: int  # agents free in the run's leanest interval
    most: int  # and in its fullest
    agent_hours: float
    by_skills: Mapping[str, float]  # skill set ("COMP+INFO") -> agent-hours

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "fewest": self.fewest, "most": self.most, "agent_hours": self.agent_hours,
                "by_skills": dict(self.by_skills)}


@dataclass(frozen=True, slots=True, kw_only=True)
class FreeTime:
    """The week's free agent time: in all, by day, by skill set, and hour by hour."""

    agent_hours: float
    on_duty_hours: float  # agent-hours on duty (not on break), for scale
    by_day: Mapping[str, float]  # ISO date -> agent-hours
    by_skills: Mapping[str, float]
    spans: tuple[FreeSpan, ...]  # in time order, at most one per clock hour

    def largest(self, n: int) -> list[FreeSpan]:
        """The n runs with the most agent-hours, largest first."""
        return sorted(self.spans, key=lambda s: (-s.agent_hours, s.start))[:n]

    def as_dict(self) -> dict[str, Any]:
        return {"agent_hours": self.agent_hours, "on_duty_hours": self.on_duty_hours,
                "by_day": dict(self.by_day), "by_skills": dict(self.by_skills),
                "spans": [s.as_dict() for s in self.spans]}


def free_time(problem: RosterProblem, weeks: Mapping[str, Week]) -> FreeTime | None:
    """The free agent time of a roster given as weeks (`SolveResult.hint`); None unless the
    service model is the queue-set one (`uses_pooled`) and every agent has a week."""
    staff = [e for e in problem.workbook.employees if e.role is Role.AGENT]
    if not uses_pooled(problem) or any(e.employee_id not in weeks for e in staff):
        return None
    on_duty = _on_duty(staff, weeks)
    free = free_agents(problem, weeks)
    hours = problem.interval / 60
    by_day: defaultdict[str, float] = defaultdict(float)
    by_skills: defaultdict[str, float] = defaultdict(float)
    for t, agents in free.items():
        by_day[problem.moment(t).date().isoformat()] += len(agents) * hours
        for e in agents:
            by_skills[set_label(frozenset(e.skills))] += hours
    return FreeTime(
        agent_hours=round(sum(by_day.values()), 2),
        on_duty_hours=round(sum(map(len, on_duty.values())) * hours, 2),
        by_day={d: round(h, 2) for d, h in sorted(by_day.items()) if h},
        by_skills={k: round(h, 2) for k, h in sorted(by_skills.items(), key=_most)},
        spans=tuple(_spans(problem, free)),
    )


def free_agents(problem: RosterProblem, weeks: Mapping[str, Week]) -> dict[int, list[Employee]]:
    """Per interval, the agents on duty that every queue-set row can spare (see above)."""
    rows: defaultdict[int, list[tuple[QueueSet, int]]] = defaultdict(list)
    for (s, t), need in coverage_cells(problem).items():
        rows[t].append((s, need))
    staff = [e for e in problem.workbook.employees
             if e.role is Role.AGENT and e.employee_id in weeks]
    return {t: _free_at(agents, rows[t])
            for t, agents in sorted(_on_duty(staff, weeks).items())}


def _on_duty(staff: Sequence[Employee], weeks: Mapping[str, Week],
             ) -> defaultdict[int, list[Employee]]:
    on_duty: defaultdict[int, list[Employee]] = defaultdict(list)
    for e in staff:
        for t, n in weeks[e.employee_id].on_duty.items():
            if n:
                on_duty[t].append(e)
    return on_duty


def _free_at(agents: Sequence[Employee], rows: Sequence[tuple[QueueSet, int]]) -> list[Employee]:
    """The agents of one interval that can go while every row keeps its need."""
    count = {s: sum(1 for e in agents if not s.isdisjoint(e.skills)) for s, _ in rows}
    need = dict(rows)
    free = []
    for e in sorted(agents, key=lambda e: (len(e.skills), e.employee_id)):
        mine = [s for s in need if not s.isdisjoint(e.skills)]
        if all(count[s] > need[s] for s in mine):
            for s in mine:
                count[s] -= 1
            free.append(e)
    return free


def _spans(problem: RosterProblem, free: Mapping[int, list[Employee]]) -> list[FreeSpan]:
    """Runs of consecutive intervals with someone free, within one clock hour each (on a
    center with spare staff all day, a run per hour says when the most are free)."""
    runs: list[list[int]] = []
    for t in sorted(t for t, agents in free.items() if agents):
        last = runs[-1][-1] if runs else None
        same_hour = last is not None and _hour(problem, t) == _hour(problem, last)
        if last == t - 1 and same_hour:
            runs[-1].append(t)
        else:
            runs.append([t])
    hours = problem.interval / 60
    spans = []
    for run in runs:
        by_skills: defaultdict[str, float] = defaultdict(float)
        for t in run:
            for e in free[t]:
                by_skills[set_label(frozenset(e.skills))] += hours
        counts = [len(free[t]) for t in run]
        spans.append(FreeSpan(
            start=problem.moment(run[0]),
            end=problem.moment(run[-1]) + dt.timedelta(minutes=problem.interval),
            fewest=min(counts), most=max(counts), agent_hours=round(sum(counts) * hours, 2),
            by_skills={k: round(h, 2) for k, h in sorted(by_skills.items(), key=_most)}))
    return spans


def _hour(problem: RosterProblem, t: int) -> dt.datetime:
    return problem.moment(t).replace(minute=0)


def skills_text(by_skills: Mapping[str, float], shown: int = 3) -> str:
    """'INFO 8.0 h, COMP+INFO 4.5 h and 2 more skill sets' (largest first)."""
    parts = [f"{label} {hours:,.1f} h" for label, hours in list(by_skills.items())[:shown]]
    more = len(by_skills) - shown
    return ", ".join(parts) + (f" and {more} more skill sets" if more > 0 else "")


def _most(item: tuple[str, float]) -> tuple[float, str]:
    return -item[1], item[0]


__all__ = ["FreeSpan", "FreeTime", "free_agents", "free_time", "skills_text"]
