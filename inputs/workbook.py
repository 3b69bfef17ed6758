"""The constraint workbook: its sheets and columns, and reading it into a validated `Workbook`.

Every problem in the file is collected in one pass and raised together as an `InputError`,
one line per problem naming file, sheet!cell, column, value and the fix. This module drives
the reading sheet by sheet; the rows themselves are built in `inputs.center_sheets` (Center,
Queues, Contracts, Employees) and `inputs.rule_sheets` (the rule sheets).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from inputs.cells import (
    Problems,
    RawSheet,
    Row,
    check_header,
    norm,
    numbered_rows,
)
from inputs.center_sheets import center_settings, contract_row, employee_row, queue_row
from inputs.domain import InputError, Workbook
from inputs.rule_sheets import (
    availability_row,
    check_overlaps,
    check_teams,
    coverage_row,
    fixed_shift_row,
    no_repeated_fixed_days,
    no_repeated_roles,
    opening_row,
    premium_row,
    scenario_row,
)
from inputs.schema import HELP_SHEET, SHEETS, WEEKDAYS_FROM_SUNDAY, Column, SheetSpec
from inputs.xlsx_file import load_sheets

__all__ = ["SHEETS", "WEEKDAYS_FROM_SUNDAY", "Column", "SheetSpec", "WorkbookCheck",
           "check_workbook", "read_workbook"]  # fmt: skip

_T = TypeVar("_T")

KNOWN_SHEETS = frozenset(norm(name) for name in (*(s.name for s in SHEETS), HELP_SHEET))


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkbookCheck:
    """A validated workbook and the notes about what the reader ignored (extra sheets/columns)."""

    workbook: Workbook
    notes: tuple[str, ...] = ()


def read_workbook(path: Path) -> Workbook:
    """Read the constraint workbook; every problem in it is reported at once.

    Raises:
        InputError: one line per problem, naming file, sheet!cell, column, value and the fix.
    """
    return check_workbook(path).workbook


def check_workbook(path: Path) -> WorkbookCheck:
    """Read and validate the constraint workbook, keeping notes on what was ignored.

    Raises:
        InputError: one line per problem, naming file, sheet!cell, column, value and the fix.
    """
    path = Path(path)
    raw = load_sheets(path)
    problems = Problems(path.name)
    sheets = {spec.name: _sheet(raw, spec, problems) for spec in SHEETS}
    center = center_settings(sheets["Center"], problems)
    queues, queue_ids = _id_rows(sheets["Queues"], problems,
                                 lambda r, ids: queue_row(r, center, ids))
    contracts, contract_ids = _id_rows(sheets["Contracts"], problems,
                                       lambda r, ids: contract_row(r, ids, center))
    employees, employee_ids = _id_rows(
        sheets["Employees"], problems, lambda r, ids: employee_row(r, ids, contract_ids, queue_ids)
    )
    check_teams(sheets["Employees"], employees, employee_ids, problems)
    opening = numbered_rows(sheets["OpeningHours"], problems, lambda r: opening_row(r, queue_ids))
    check_overlaps(sheets["OpeningHours"], opening, problems)
    availability = numbered_rows(
        sheets["Availability"], problems, lambda r: availability_row(r, employee_ids)
    )
    check_overlaps(sheets["Availability"], availability, problems)
    coverage = _rows(sheets["Coverage"], problems, coverage_row)
    no_repeated_roles(sheets["Coverage"], coverage, problems)
    premiums = _rows(sheets["Costs"], problems, premium_row)
    scenarios = _rows(sheets["Scenario"], problems, lambda r: scenario_row(r, queue_ids))
    fixed = numbered_rows(sheets["FixedShifts"], problems,
                          lambda r: fixed_shift_row(r, employee_ids))
    no_repeated_fixed_days(sheets["FixedShifts"], fixed, problems)
    if problems.lines:
        raise InputError(problems.lines)
    for key, sheet in raw.items():
        if key not in KNOWN_SHEETS:
            problems.note(f"note: sheet '{sheet.title}' is not one wfm reads — ignored")
    workbook = Workbook(
        center=center, opening_hours=tuple(i for _, i in opening), queues=queues,
        employees=employees, contracts=contracts, availability=tuple(i for _, i in availability),
        coverage=coverage, premiums=premiums, scenarios=scenarios,
        fixed_shifts=tuple(item for _, item in fixed),
    )  # fmt: skip
    return WorkbookCheck(workbook=workbook, notes=tuple(problems.notes))


def _sheet(raw: dict[str, RawSheet], spec: SheetSpec, problems: Problems) -> RawSheet | None:
    """The sheet if present with its required columns; absent or broken sheets give None."""
    sheet = raw.get(norm(spec.name))
    if sheet is None:
        if spec.required:
            expected = ", ".join(s.name for s in SHEETS if s.required)
            optional = ", ".join(s.name for s in SHEETS if not s.required)
            problems.add(
                f"sheet '{spec.name}' is missing — expected sheets: {expected} "
                f"(optional: {optional})"
            )
        return None
    known = tuple(c.name for c in spec.columns)
    if not check_header(sheet, known, spec.required_columns, problems):
        return None
    if spec.required and not sheet.rows and spec.name != "Center":
        problems.add(f"sheet '{sheet.title}' has no rows — add at least one row under the header")
    return sheet


def _rows(sheet: RawSheet | None, problems: Problems, build: Callable[[Row], _T]) -> tuple[_T, ...]:
    """One object per good row; a row with any bad cell is reported and left out."""
    return tuple(item for _, item in numbered_rows(sheet, problems, build))


def _id_rows(
    sheet: RawSheet | None, problems: Problems, build: Callable[[Row, dict[str, int]], _T]
) -> tuple[tuple[_T, ...], dict[str, int] | None]:
    """Rows of a sheet keyed by unique ids, and the ids seen (None: sheet unreadable)."""
    if sheet is None:
        return (), None
    ids: dict[str, int] = {}
    return _rows(sheet, problems, lambda row: build(row, ids)), ids
