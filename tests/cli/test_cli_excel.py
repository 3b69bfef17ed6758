"""`wfm template` and `wfm validate`: exact output, exit codes, nothing written on mistakes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from cli import main
from inputs import read_workbook, write_workbook
from inputs.domain import Availability
from inputs.template import template_workbook
from tests.conftest import WEEK_TEXT


def run(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output.splitlines()


def test_template_writes_a_workbook_that_reads_back_as_the_example(tmp_path: Path) -> None:
    out = tmp_path / "rules.xlsx"
    code, lines = run("template", str(out))
    assert code == 0
    assert lines == [
        f"Wrote {out}: fill in every sheet (the Help sheet says how), then run",
        f"  wfm validate --workbook {out}",
    ]
    assert read_workbook(out) == template_workbook()
    assert openpyxl.load_workbook(out).sheetnames[0] == "Help"


def test_template_never_overwrites_without_force(tmp_path: Path) -> None:
    out = tmp_path / "rules.xlsx"
    out.write_bytes(b"my filled-in rules")
    code, lines = run("template", str(out))
    assert code == 1
    assert lines == [f"error: {out}: already exists — choose another name, or pass --force "
                     "to replace it"]  # fmt: skip
    assert out.read_bytes() == b"my filled-in rules"
    assert run("template", str(out), "--force")[0] == 0
    assert read_workbook(out) == template_workbook()


def test_template_into_a_missing_folder_is_exit_1(tmp_path: Path) -> None:
    out = tmp_path / "no" / "rules.xlsx"
    assert run("template", str(out)) == (
        1, [f"error: {out}: folder {out.parent} does not exist — create it first"])


def test_validate_summarizes_the_template_week(tmp_path: Path) -> None:
    out = tmp_path / "rules.xlsx"
    run("template", str(out))
    code, lines = run("validate", "--workbook", str(out), "--week", WEEK_TEXT)
    assert code == 0
    assert lines == [
        f"{out}: OK — 1 employees, 1 queues, 1 contracts",
        "  employees by role: 1 agent",
        "  queues: Q1",
        "  hours in the week of Sun 2026-11-29 (available: the most each person can work",
        "  under opening hours, time off and the contract's shift rules):",
        "    contract   staff   contracted h  available h",
        # Sun-Thu 08:00-19:00, a 9 h shift less its 30-minute break: 5 x 8.5 h (off Friday).
        "    FT             1          36–42         42.5",
        "    all            1          36–42         42.5",
    ]


def test_validate_warns_when_time_off_leaves_too_few_hours(tmp_path: Path) -> None:
    book = template_workbook()
    off = tuple(Availability(employee_id="E01", date=dt.date(2026, 11, 29) + dt.timedelta(days=d))
                for d in (0, 1))  # fmt: skip
    path = tmp_path / "rules.xlsx"
    write_workbook(dataclasses.replace(book, availability=book.availability + off), path)
    code, lines = run("validate", "--workbook", str(path), "--week", WEEK_TEXT)
    assert code == 0
    assert lines[-3:] == [
        "    FT             1          36–42         25.5",
        "    all            1          36–42         25.5",
        "  warning: E01 (Dana Levi) can work at most 25.5 h this week (opening hours, "
        "availability, fixed shifts and contract FT's shift limits) but contract FT needs at "
        "least 36 h — "
        "lower the minimum, move the time off, or change the contract",
    ]
    # The week after is not affected by those dates.
    assert run("validate", "--workbook", str(path), "--week", "2026-12-06")[1][-1] == (
        "    all            1          36–42         42.5")


def test_validate_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "rules.xlsx"
    run("template", str(path))
    book = openpyxl.load_workbook(path)
    book["Employees"]["E2"] = "PT3O"
    book["Queues"]["D2"] = 1.5
    book.save(path)
    assert run("validate", "--workbook", str(path)) == (1, [
        "error: rules.xlsx: Queues!D2 (service_level): 1.5 is not a share between 0 and 1 — "
        "write e.g. 0.8",
        "error: rules.xlsx: Employees!E2 (contract): unknown contract 'PT3O' — known: FT",
    ])  # fmt: skip


def test_validate_notes_ignored_columns_and_sheets(tmp_path: Path) -> None:
    path = tmp_path / "rules.xlsx"
    run("template", str(path))
    book = openpyxl.load_workbook(path)
    book["Employees"]["H1"] = "phone"
    book.create_sheet("My notes")
    book.save(path)
    code, lines = run("validate", "--workbook", str(path), "--week", WEEK_TEXT)
    assert code == 0
    assert lines[-2:] == [
        "  note: Employees!H1: column 'phone' is not one wfm reads — ignored",
        "  note: sheet 'My notes' is not one wfm reads — ignored",
    ]


def test_validate_refuses_a_week_that_starts_on_another_day(tmp_path: Path) -> None:
    path = tmp_path / "rules.xlsx"
    run("template", str(path))
    assert run("validate", "--workbook", str(path), "--week", "2026-11-30") == (1, [
        "error: --week 2026-11-30: is a Monday, but the workbook's week starts on Sunday "
        "(Center!week_start) — pass the Sunday that starts the week"
    ])  # fmt: skip


def test_validate_with_history(tmp_path: Path) -> None:
    path, history = tmp_path / "rules.xlsx", tmp_path / "calls.csv"
    run("template", str(path))
    rows = ["queue,interval_start,offered", "Q1,2026-11-22 08:00,4", "Q1,2026-11-22 08:15,6",
            "Q1,2026-11-23 08:00,5"]  # fmt: skip
    history.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, lines = run("validate", "--workbook", str(path), "--history", str(history),
                      "--week", WEEK_TEXT)  # fmt: skip
    assert code == 0
    assert lines[-1] == (f"{history}: OK — 3 rows, 1 queues, 2026-11-22 08:00 to "
                         "2026-11-23 08:00, 2 days, 15 calls")  # fmt: skip


def test_validate_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "rules.xlsx"
    path.write_text("employee_id,name\nE1,Dana\n", encoding="utf-8")
    assert run("validate", "--workbook", str(path)) == (1, [
        "error: rules.xlsx: not an .xlsx workbook (it holds plain text, e.g. a CSV renamed to "
        ".xlsx) — save it from Excel as 'Excel Workbook (.xlsx)'"
    ])  # fmt: skip
