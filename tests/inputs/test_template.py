"""`wfm template`'s workbook: reads back clean, guides the manager, and its Excel checks agree
with the reader's."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from inputs.cells import CellError, parse_time
from inputs.schema import CENTER_KEYS, SHEETS, CellKind, Column, column
from inputs.template import template_workbook, write_template
from inputs.workbook import check_workbook


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("template") / "rules.xlsx")


@pytest.fixture(scope="module")
def book(template: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(template)


def validations(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, tuple[str, str | None]]:
    """Column letter of each checked range -> (type, formula1)."""
    return {str(dv.sqref)[0]: (dv.type, dv.formula1) for dv in ws.data_validations.dataValidation}


def test_template_reads_back_without_a_problem_or_a_note(template: Path) -> None:
    check = check_workbook(template)
    assert check.workbook == template_workbook()
    assert check.notes == ()


def test_one_example_row_per_sheet_and_a_week_of_opening_hours(book: openpyxl.Workbook) -> None:
    filled = {ws.title: sum(1 for row in ws.iter_rows(min_row=2, values_only=True) if any(row))
              for ws in book.worksheets[1:]}  # fmt: skip
    assert filled == {"Center": len(CENTER_KEYS), "OpeningHours": 6, "Queues": 1, "Employees": 1,
                      "Contracts": 1, "Availability": 1, "Coverage": 1, "Costs": 1,
                      "Scenario": 1, "FixedShifts": 1}  # fmt: skip
    employees = book["Employees"]
    assert [c.value for c in employees[2]] == ["E01", "Dana Levi", "agent", "Team 1", "FT", 55,
                                               "Q1"]  # fmt: skip


def test_headers_are_frozen_and_carry_their_help(book: openpyxl.Workbook) -> None:
    for spec in SHEETS:
        ws = book[spec.name]
        assert ws.freeze_panes == "A2", spec.name
        assert ws["A1"].comment.text.startswith(spec.help)
        for cell, col in zip(ws[1], spec.columns, strict=True):
            assert col.help in cell.comment.text
    assert book["Employees"]["F1"].comment.text == "Cost of one paid hour, before premiums."


def test_help_sheet_comes_first_and_explains_every_sheet_and_column(
    book: openpyxl.Workbook,
) -> None:
    assert book.sheetnames[0] == "Help"
    rows = list(book["Help"].iter_rows(values_only=True))
    assert rows[0][0] == "How to fill in this workbook"
    listed = {(r[0], None) for r in rows if r[0]} | {(None, r[1]) for r in rows if r[1]}
    for spec in SHEETS:
        assert (spec.name, None) in listed
        for col in CENTER_KEYS if spec.name == "Center" else spec.columns:
            assert (None, col.name) in listed
    assert ("Employees", None, "yes", SHEETS[3].help) in rows
    assert (None, "hourly_cost", "yes", "Cost of one paid hour, before premiums.") in rows


def test_drop_downs_for_roles_contracts_queues_weekdays_kinds_and_channels(
    book: openpyxl.Workbook,
) -> None:
    assert validations(book["Employees"])["C"] == (
        "list", '"agent,shift_lead,floor_lead,team_manager"')
    assert validations(book["Employees"])["E"] == ("list", "Contracts!$A$2:$A$1000")
    assert validations(book["OpeningHours"])["E"] == ("list", "Queues!$A$2:$A$1000")
    assert validations(book["OpeningHours"])["A"] == (
        "list", '"Sunday,Monday,Tuesday,Wednesday,Thursday,Friday,Saturday"')
    assert validations(book["Availability"])["F"] == ("list", '"unavailable,prefer,avoid"')
    assert validations(book["Availability"])["A"] == ("list", "Employees!$A$2:$A$1000")
    assert validations(book["Costs"])["B"] == ("list", '"time,day,overtime"')
    assert validations(book["Queues"])["C"] == ("list", '"voice,chat,email"')
    assert validations(book["Coverage"])["A"][0] == "list"
    center = {str(dv.sqref): dv.formula1 for dv in book["Center"].data_validations.dataValidation}
    assert center["B4"] == '"15,30"' and center["B5"].startswith('"Sunday,Monday')


def test_number_ranges_and_times_are_checked(book: openpyxl.Workbook) -> None:
    contracts = {str(dv.sqref)[0]: dv for dv in book["Contracts"].data_validations.dataValidation}
    weekly = contracts["B"]
    assert (weekly.type, weekly.operator, weekly.formula1, weekly.formula2) == (
        "decimal", "between", "0", "168")
    assert (contracts["D"].type, contracts["D"].formula1, contracts["D"].formula2) == (
        "whole", "1", "7")
    assert weekly.error == "min_weekly_hours: a number from 0 to 168 — write e.g. 40"
    assert weekly.prompt == "Least paid hours a week." and weekly.showInputMessage
    assert contracts["G"].type == "custom" and "G2" in contracts["G"].formula1
    cost = {str(dv.sqref)[0]: dv for dv in book["Employees"].data_validations.dataValidation}["F"]
    assert (cost.type, cost.operator, cost.formula1) == ("decimal", "greaterThan", "0")
    queues = validations(book["Queues"])
    assert queues["F"] == ("custom", 'OR(TRIM(F2)="estimate",AND(ISNUMBER(F2),F2>0))')
    assert queues["D"] == ("custom", "AND(ISNUMBER(D2),D2>0,D2<1)")
    start = validations(book["FixedShifts"])["C"]
    assert start[0] == "custom"
    assert str(start[1]).startswith('OR(TRIM(C2)="off",OR(AND(ISNUMBER(C2)')
    same = validations(book["Contracts"])["P"]
    assert same == ("list", '"yes,no"')


def test_every_column_is_either_checked_or_free_text(book: openpyxl.Workbook) -> None:
    free = {("Queues", "queue_id"), ("Queues", "name"), ("Employees", "employee_id"),
            ("Employees", "name"), ("Employees", "team"), ("Employees", "skills"),
            ("Contracts", "contract_id"), ("Contracts", "break_window"),
            ("Costs", "premium"), ("Queues", "priority"), ("Scenario", "from_date"),
            ("Scenario", "to_date"), ("OpeningHours", "date"),
            ("Availability", "date"), ("FixedShifts", "date")}  # fmt: skip
    for spec in SHEETS[1:]:
        checked = validations(book[spec.name])
        for letter, col in zip("ABCDEFGHIJKLMNO", spec.columns, strict=False):
            assert (letter in checked) != ((spec.name, col.name) in free), (spec.name, col.name)


def test_spec_ranges_are_the_readers_ranges() -> None:
    """One spec feeds both the reader and Excel: the reader rejects just outside the range."""
    for spec in SHEETS:
        for col in spec.columns:
            if not col.ranged or col.words:
                continue
            if col.low is not None:
                assert _accepts(col.parse, col.low) is not col.open_low, col.name
                assert not _accepts(col.parse, col.low - 0.5)
            if col.high is not None:
                assert _accepts(col.parse, col.high) is not col.open_high, col.name
                assert not _accepts(col.parse, col.high + 0.5)
    assert column("Center", "service_level").range_text == "a share between 0 and 1"


def _accepts(parse: Callable[[object], object], value: object) -> bool:
    try:
        parse(value)
    except CellError:
        return False
    return True


# --- LibreOffice evaluates the template's own check formulas ---------------------------------

SAMPLES: dict[str, list[object]] = {
    "time": ["08:30", "7:05", "24:00", "23:59", "24:01", "25:00", "8am", "12:60", "-1:00", 0.25],
    "number": [-1, 0, 0.5, 1, 1.5, 60, 180, "estimate", "soon"],
}


def _reader_verdict(col: Column) -> Callable[[object], bool]:
    if col.kind is CellKind.TIME:
        return lambda value: _accepts(parse_time, value)
    if col.words:
        return lambda value: value in col.words or (
            not isinstance(value, str) and _accepts(col.parse, value))
    return lambda value: not isinstance(value, str) and _accepts(col.parse, value)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_excel_check_formulas_agree_with_the_reader(book: openpyxl.Workbook,
                                                    tmp_path: Path) -> None:  # fmt: skip
    """Every custom check (times, patience, open ranges) is evaluated by LibreOffice on sample
    values and gives the reader's verdict on each."""
    cases = []
    for spec in SHEETS[1:]:
        for dv in book[spec.name].data_validations.dataValidation:
            if dv.type != "custom":
                continue
            letter = str(dv.sqref)[0]
            col = spec.columns["ABCDEFGHIJKLMNO".index(letter)]
            samples = SAMPLES["time" if col.kind is CellKind.TIME else "number"]
            cases += [(col, dv.formula1, f"{letter}2", value) for value in samples]
    assert len({c[0].name for c in cases}) >= 8  # open, close, from, to, patience, shares...
    sheet = openpyxl.Workbook()
    ws = sheet.active
    for number, (_, formula, anchor, value) in enumerate(cases, start=1):
        ws.cell(row=number, column=1, value=value).data_type = (
            "s" if isinstance(value, str) else "n")
        ws.cell(row=number, column=2, value="=" + re.sub(rf"\b{anchor}\b", f"A{number}", formula))
    sheet.save(tmp_path / "checks.xlsx")
    subprocess.run(["soffice", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path),
                    str(tmp_path / "checks.xlsx")], check=True, capture_output=True,
                   timeout=180)  # fmt: skip
    with (tmp_path / "checks.csv").open(encoding="utf-8") as handle:
        excel = [row[1] == "TRUE" for row in csv.reader(handle)]
    reader = [_reader_verdict(col)(value) for col, _, _, value in cases]
    wrong = [(c[0].name, c[3], e) for c, e, r in zip(cases, excel, reader, strict=True) if e != r]
    assert wrong == []
