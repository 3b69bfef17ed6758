"""Answers in rule language: which hard rules contradict, and where coverage falls short."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from inputs.capacity import (
    contract_shortfalls,
    day_windows,
    fixed_in_week,
    fixed_shift_conflicts,
    unavailable_windows,
)
from inputs.domain import Employee, Role, Workbook
from scheduler.roster.result import Shortfall


def contract_conflicts(workbook: Workbook, week_start: dt.date) -> list[str]:
    """Employees who cannot reach their contract's minimum hours this week, and fixed shifts
    that break a contract or availability, and why.

    The arithmetic lives in `inputs.capacity`, so `wfm validate` warns with the same lines.
    """
    return contract_shortfalls(workbook, week_start) + fixed_shift_conflicts(workbook, week_start)


def _what(label: str, workbook: Workbook) -> str:
    """A queue "Legal aid (LEGAL)", a set of queues that share agents "Legal aid + Notary
    (LEGAL+NOTARY) together", or a role "shift lead"."""
    names = {q.queue_id: q.name for q in workbook.queues}
    if label in names:
        return f"{names[label]} ({label})"
    if _is_queues(label, workbook):
        return f"{' + '.join(names[q] for q in label.split('+'))} ({label}) together"
    return Role(label).value.replace("_", " ")


def _is_queues(label: str, workbook: Workbook) -> bool:
    """Whether a shortfall's label names a queue or a set of queues ("A+B"), not a role."""
    return set(label.split("+")) <= {q.queue_id for q in workbook.queues}


def describe_shortfalls(
    shortfalls: list[Shortfall], workbook: Workbook, interval_minutes: int,
    week_start: dt.date | None = None,
) -> list[str]:
    """One line per run of consecutive short intervals of one queue or role, with what binds.

    E.g. "Sun 29-11 09:00–11:00 Legal aid (LEGAL): up to 3 agents short (8 needed, 5
    scheduled); only 6 agents with the skill can work then: 2 more would close it". Without
    `week_start` the line stops after the counts.
    """
    lines = []
    able = _Able(workbook, week_start) if week_start is not None else None
    step = dt.timedelta(minutes=interval_minutes)
    ordered = sorted(shortfalls, key=lambda s: (s.what, s.interval_start))
    for _, group in groupby(ordered, key=lambda s: s.what):
        run: list[Shortfall] = []
        for s in group:
            if run and s.interval_start != run[-1].interval_start + step:
                lines.append(_run_line(run, workbook, step, able))
                run = []
            run.append(s)
        if run:
            lines.append(_run_line(run, workbook, step, able))
    return lines


class _Able:
    """Who could be on duty at a moment: the skill or role, open hours within the contract's
    window, not unavailable, and within the day's fixed shift (never on a fixed day off) —
    whatever their weekly hours and days allow."""

    def __init__(self, workbook: Workbook, week_start: dt.date) -> None:
        self.workbook = workbook
        self.week_start = week_start
        self.blocked = unavailable_windows(workbook, week_start)
        self.fixed = fixed_in_week(workbook, week_start)

    def count(self, what: str, moment: dt.datetime, minutes: int) -> int:
        wanted = set(what.split("+"))
        staff = [e for e in self.workbook.employees
                 if (e.role is Role.AGENT and not wanted.isdisjoint(e.skills)
                     if _is_queues(what, self.workbook) else e.role.value == what)]
        return sum(self._can_work(e, moment, minutes) for e in staff)

    def _can_work(self, employee: Employee, moment: dt.datetime, minutes: int) -> bool:
        start = round((moment - dt.datetime.combine(self.week_start, dt.time()))
                      .total_seconds() / 60)
        if any(a < start + minutes and start < b
               for a, b in self.blocked.get(employee.employee_id, ())):
            return False
        contract = self.workbook.contract_of(employee)
        fixed = self.fixed.get(employee.employee_id, {})
        for back in (0, 1):  # a shift from the day before may run past midnight
            day = moment.date() - dt.timedelta(days=back)
            offset = back * 1440 + moment.hour * 60 + moment.minute
            item = fixed.get((day - self.week_start).days)
            windows = (day_windows(self.workbook, contract, day) if item is None
                       else [] if item.off
                       else [(item.start_min, item.start_min + item.length_min)])
            if any(low <= offset and offset + minutes <= high for low, high in windows):
                return True
        return False


def _run_line(run: list[Shortfall], workbook: Workbook, step: dt.timedelta,
              able: _Able | None) -> str:
    first, last = run[0], run[-1]
    worst = max(run, key=lambda s: s.missing)
    is_queue = _is_queues(first.what, workbook)
    unit = ("agent" if worst.missing == 1 else "agents") if is_queue else "on duty"
    line = (
        f"{first.interval_start:%a %d-%m %H:%M}–{last.interval_start + step:%H:%M} "
        f"{_what(first.what, workbook)}: up to {worst.missing} {unit} short "
        f"({worst.required} needed, {worst.scheduled} scheduled)"
    )
    if able is None:
        return line
    n = able.count(first.what, worst.interval_start, int(step.total_seconds() // 60))
    plural = "" if n == 1 else "s"
    skill = "the skill" if "+" not in first.what else "one of the skills"
    who = (f"agent{plural} with {skill}" if is_queue
           else f"{_what(first.what, workbook)}{plural}")
    if n < worst.required:
        return (f"{line}; only {n} {who} can work then: {worst.required - n} more would "
                "close it")
    return (f"{line}; {n} {who} could work then but are off or elsewhere (weekly hours "
            "and days, breaks, other queues)")
