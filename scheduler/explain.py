"""Answers in rule language: which hard rules contradict, and where coverage falls short."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from inputs.capacity import contract_shortfalls, fixed_shift_conflicts
from inputs.domain import Role, Workbook
from scheduler.result import Shortfall


def contract_conflicts(workbook: Workbook, week_start: dt.date) -> list[str]:
    """Employees who cannot reach their contract's minimum hours this week, and fixed shifts
    that break a contract or availability, and why.

    The arithmetic lives in `inputs.capacity`, so `wfm validate` warns with the same lines.
    """
    return contract_shortfalls(workbook, week_start) + fixed_shift_conflicts(workbook, week_start)


def _what(label: str, workbook: Workbook) -> str:
    names = {q.queue_id: q.name for q in workbook.queues}
    if label in names:
        return f"{names[label]} ({label})"
    return Role(label).value.replace("_", " ")


def describe_shortfalls(
    shortfalls: list[Shortfall], workbook: Workbook, interval_minutes: int
) -> list[str]:
    """One line per run of consecutive short intervals of one queue or role.

    E.g. "Sun 29-11 09:00–11:00 Legal aid (LEGAL): up to 3 agents short (8 needed, 5 on)".
    """
    lines = []
    step = dt.timedelta(minutes=interval_minutes)
    ordered = sorted(shortfalls, key=lambda s: (s.what, s.interval_start))
    for _, group in groupby(ordered, key=lambda s: s.what):
        run: list[Shortfall] = []
        for s in group:
            if run and s.interval_start != run[-1].interval_start + step:
                lines.append(_run_line(run, workbook, step))
                run = []
            run.append(s)
        if run:
            lines.append(_run_line(run, workbook, step))
    return lines


def _run_line(run: list[Shortfall], workbook: Workbook, step: dt.timedelta) -> str:
    first, last = run[0], run[-1]
    worst = max(run, key=lambda s: s.missing)
    unit = "agents" if first.what in {q.queue_id for q in workbook.queues} else "on duty"
    return (
        f"{first.interval_start:%a %d-%m %H:%M}–{last.interval_start + step:%H:%M} "
        f"{_what(first.what, workbook)}: up to {worst.missing} {unit} short "
        f"({worst.required} needed, {worst.scheduled} scheduled)"
    )
