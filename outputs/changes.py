"""What changed between two rosters of one week: who gains, loses or moves a shift.

`wfm diff OLD NEW` compares a published roster with a re-planned one, employee by employee
and day by day: a day with a shift only in NEW is *gained*, only in OLD *lost*; a day whose
shift times differ is *moved*; the same times with other breaks is *breaks*. The list goes to
the console, and for HR to ``changes.csv`` or a ``Changes`` sheet of an .xlsx.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from openpyxl import Workbook as ExcelWorkbook

from inputs.domain import Assignment, Employee, Roster
from outputs.csvs import csv_text
from outputs.print_roster import day_title
from outputs.roster_xlsx import shift_text
from outputs.xlsx_table import DATE_FORMAT, CellValue, Column, finish_sheet, write_table

CHANGES_COLUMNS = ("employee_id", "name", "team", "date", "change", "old", "new")
NO_CHANGES = "no changes"


class ChangeKind(StrEnum):
    GAINED = "gained"
    LOST = "lost"
    MOVED = "moved"
    BREAKS = "breaks"


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One employee's day that differs: the kind of change, the old and the new shifts as text
    (``08:00–16:30 · break 12:00–12:30``; blank for no shift)."""

    employee_id: str
    name: str
    team: str
    day: dt.date
    kind: ChangeKind
    old: str
    new: str


def _by_day(roster: Roster) -> dict[tuple[str, dt.date], list[Assignment]]:
    shifts: dict[tuple[str, dt.date], list[Assignment]] = defaultdict(list)
    for a in sorted(roster.assignments, key=lambda a: a.start):
        shifts[(a.employee_id, a.day)].append(a)
    return shifts


def _kind(old: list[Assignment], new: list[Assignment]) -> ChangeKind | None:
    if not old:
        return ChangeKind.GAINED
    if not new:
        return ChangeKind.LOST
    if [(a.start, a.end) for a in old] != [(a.start, a.end) for a in new]:
        return ChangeKind.MOVED
    if [(a.breaks, a.short_breaks) for a in old] != [(a.breaks, a.short_breaks) for a in new]:
        return ChangeKind.BREAKS
    return None


def roster_changes(old: Roster, new: Roster, employees: Mapping[str, Employee]) -> list[Change]:
    """The days on which an employee's shifts differ between `old` and `new`, by team, name
    and date.

    Args:
        old: the roster people were given (the published one).
        new: the roster that replaces it.
        employees: employee id -> employee, for names and teams (an id missing from it is
            shown with its id only).
    """
    before, after = _by_day(old), _by_day(new)
    changes = []
    for key in before.keys() | after.keys():
        kind = _kind(before.get(key, []), after.get(key, []))
        if kind is None:
            continue
        employee_id, day = key
        person = employees.get(employee_id)
        changes.append(Change(
            employee_id=employee_id, name=person.name if person else employee_id,
            team=person.team if person else "", day=day, kind=kind,
            old="\n".join(shift_text(a) for a in before.get(key, [])),
            new="\n".join(shift_text(a) for a in after.get(key, [])),
        ))  # fmt: skip
    return sorted(changes, key=lambda c: (c.team.casefold(), c.name.casefold(), c.employee_id,
                                          c.day))


def change_lines(changes: list[Change]) -> list[str]:
    """The console's report: a count per kind, then a line per change; or ``no changes``."""
    if not changes:
        return [NO_CHANGES]
    people = len({c.employee_id for c in changes})
    counts = ", ".join(f"{sum(c.kind is k for c in changes)} {k.value}" for k in ChangeKind
                       if any(c.kind is k for c in changes))
    lines = [f"{len(changes)} {'change' if len(changes) == 1 else 'changes'} for {people} "
             f"{'employee' if people == 1 else 'employees'}: {counts}"]
    for c in changes:
        old, new = c.old.replace("\n", " + ") or "off", c.new.replace("\n", " + ") or "off"
        lines.append(f"  {c.name} ({c.employee_id}, team {c.team}) {day_title(c.day)}: "
                     f"{c.kind.value} — {old} -> {new}")
    return lines


def write_changes_csv(changes: list[Change], path: Path) -> None:
    """changes.csv: employee_id, name, team, date, change, old, new (a shift per line inside
    old and new when a day has two)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CHANGES_COLUMNS)
        for c in changes:
            writer.writerow([csv_text(c.employee_id), csv_text(c.name), csv_text(c.team),
                             c.day.isoformat(), c.kind.value, c.old, c.new])


def write_changes_xlsx(changes: list[Change], path: Path) -> None:
    """A workbook with one ``Changes`` sheet of the same columns, the date a real date."""
    book = ExcelWorkbook()
    ws = book.active
    assert ws is not None  # a new workbook always has one sheet
    ws.title = "Changes"
    columns = [Column(header=h, number_format=DATE_FORMAT if h == "date" else None)
               for h in CHANGES_COLUMNS]
    rows: list[list[CellValue]] = [[c.employee_id, c.name, c.team, c.day, c.kind.value,
                                    c.old or None, c.new or None] for c in changes]
    write_table(ws, columns, rows or [[NO_CHANGES, None, None, None, None, None, None]])
    finish_sheet(ws, autofilter=bool(rows))
    book.save(path)
