"""The checker's leaf: `Violation`, `RosterCheckError`, the shift view and the text helpers.

Every rule module of `scheduler.check` builds on this one and it imports none of them, so the
package has no import cycle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from inputs.domain import Assignment, Availability, Contract, Employee, Workbook

DAY_MIN = 1440
EPS = 1e-6
COST_TOL = 0.01 + 1e-6


@dataclass(frozen=True, slots=True, kw_only=True)
class Violation:
    """One broken hard rule, said the way a manager reads it."""

    rule: str
    employee_id: str | None
    day: dt.date | None
    message: str


class RosterCheckError(Exception):
    """A roster breaks hard rules; `violations` lists every one."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = list(violations)
        lines = [f"[{v.rule}] {v.message}" for v in self.violations]
        super().__init__(f"roster breaks {len(lines)} hard rule(s):\n" + "\n".join(lines))


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftView:
    """One assignment with its employee, contract and minute offsets from its day's midnight."""

    workbook: Workbook
    employee: Employee
    contract: Contract
    a: Assignment
    unavailable: tuple[Availability, ...]

    @property
    def start_min(self) -> float:
        return minutes(self.a.start - midnight(self.a.day))

    @property
    def end_min(self) -> float:
        return minutes(self.a.end - midnight(self.a.day))

    @property
    def length_min(self) -> float:
        return minutes(self.a.end - self.a.start)

    @property
    def span(self) -> str:
        return f"{hm_text(self.a.start)}-{hm_text(self.a.end)}"

    def violation(self, rule: str, message: str) -> Violation:
        label = f"{self.employee.employee_id} {day_text(self.a.day)}"
        return Violation(
            rule=rule, employee_id=self.employee.employee_id, day=self.a.day,
            message=f"{label}: {message}",
        )


def minutes(delta: dt.timedelta) -> float:
    """A time span in (fractional) minutes."""
    return delta.total_seconds() / 60


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def hm_text(moment: dt.datetime) -> str:
    return f"{moment:%H:%M}"


def day_text(day: dt.date) -> str:
    return f"{day:%a %d-%m}"


def num(value: float) -> str:
    """A number as a manager reads it: at most two decimals, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def off_duty_spans(a: Assignment) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
    """A shift's spans off duty: its unpaid lunch and its paid short breaks."""
    return (*a.breaks, *a.short_breaks)
