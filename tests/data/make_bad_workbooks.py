"""The corpus of broken constraint workbooks: how each file is broken, its exact messages and
its exit code.

Every case starts from `wfm template`'s example workbook and breaks one thing the way people
do (or several, to show they are all reported in one run); a few are files that are not .xlsx
workbooks at all. tests/inputs/test_bad_workbooks.py writes them to a temporary folder and runs
`wfm validate` on each. To look at them in Excel:

    .venv/bin/python tests/data/make_bad_workbooks.py /tmp/bad-workbooks
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import openpyxl

from inputs.template import write_template

Edit = Callable[[openpyxl.Workbook], None]
SAVE_AS = "save it from Excel as 'Excel Workbook (.xlsx)'"
SHEETS_LISTING = (
    "expected sheets: Center, OpeningHours, Queues, Employees, Contracts (optional: "
    "Availability, Coverage, Costs, Scenario, FixedShifts)"
)
CENTER_KEYS = (
    "name, timezone, interval_minutes, week_start, service_level, answer_seconds, "
    "service_level_scope, shrinkage, currency, solver_time_limit_s, solver_workers, seed, "
    "holiday_country, forecast_quantile, service_level_floor, max_daily_hours, "
    "preference_weight, fairness_weight"
)
TEAMS = "check the spelling or add the team's manager"


@dataclass(frozen=True, slots=True, kw_only=True)
class BadCase:
    """One broken workbook: its file name, how to make it, and what `wfm validate` says."""

    name: str
    make: Callable[[Path], None]
    expected: tuple[str, ...]  # problem lines, each after "error: "
    exit_code: int = 1


def edited(*edits: Edit) -> Callable[[Path], None]:
    """A maker that writes the template to the path and applies `edits` to it."""

    def make(path: Path) -> None:
        path.write_bytes(_template_bytes())
        book = openpyxl.load_workbook(path)
        for edit in edits:
            edit(book)
        book.save(path)

    return make


@cache
def _template_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return write_template(Path(folder) / "template.xlsx").read_bytes()


def cell(sheet: str, coordinate: str, value: object) -> Edit:
    def edit(book: openpyxl.Workbook) -> None:
        book[sheet][coordinate] = value

    return edit


def row(sheet: str, *values: object) -> Edit:
    """Fill the first blank row (the template formats blank rows, so `append` goes too far)."""

    def edit(book: openpyxl.Workbook) -> None:
        ws = book[sheet]
        number = next(r for r in range(2, ws.max_row + 2) if all(
            c.value is None for c in ws[r]))  # fmt: skip
        for index, value in enumerate(values, start=1):
            ws.cell(row=number, column=index, value=value)

    return edit


def no_sheet(sheet: str) -> Edit:
    def edit(book: openpyxl.Workbook) -> None:
        del book[sheet]

    return edit


def clear_rows(sheet: str) -> Edit:
    def edit(book: openpyxl.Workbook) -> None:
        book[sheet].delete_rows(2, book[sheet].max_row)

    return edit


def raw(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def truncated(path: Path) -> None:
    data = _template_bytes()
    path.write_bytes(data[: len(data) // 2])


CASES = (
    BadCase(name="missing_sheet.xlsx", make=edited(no_sheet("Employees")), expected=(
        f"missing_sheet.xlsx: sheet 'Employees' is missing — {SHEETS_LISTING}",
    )),
    BadCase(name="missing_column.xlsx", make=edited(cell("Contracts", "D1", None)), expected=(
        "missing_column.xlsx: sheet 'Contracts' header row 1: column 'max_days' is missing "
        "(found: contract_id, min_weekly_hours, max_weekly_hours, min_shift_hours, "
        "max_shift_hours, earliest_start, latest_end, max_consecutive_days, min_rest_hours, "
        "weekly_rest_hours, break_minutes, break_after_hours, break_window, "
        "shift_step_minutes, same_start, short_break_minutes, short_break_after_hours, "
        "break_spacing_hours) — add a 'max_days' column",
    )),
    BadCase(name="repeated_column.xlsx", make=edited(cell("Employees", "H1", "Role")), expected=(
        "repeated_column.xlsx: Employees!H1: column 'Role' appears twice (also C1) — keep one",
    )),
    BadCase(name="text_in_number.xlsx", make=edited(cell("Employees", "F2", "fifty")),
            expected=(
        "text_in_number.xlsx: Employees!F2 (hourly_cost): 'fifty' is not a number — write "
        "e.g. 55",
    )),
    BadCase(name="negative_cost.xlsx", make=edited(cell("Employees", "F2", -55)), expected=(
        "negative_cost.xlsx: Employees!F2 (hourly_cost): -55 is not a number above 0 — write "
        "e.g. 55",
    )),
    BadCase(name="unknown_contract.xlsx", make=edited(cell("Employees", "E2", "PT3O")),
            expected=(
        "unknown_contract.xlsx: Employees!E2 (contract): unknown contract 'PT3O' — known: FT",
    )),
    BadCase(name="unknown_skill.xlsx", make=edited(cell("Employees", "G2", "Q1;Q9")), expected=(
        "unknown_skill.xlsx: Employees!G2 (skills): unknown queue 'Q9' — known: Q1",
    )),
    BadCase(name="unknown_employee.xlsx", make=edited(cell("Availability", "A2", "E99")),
            expected=(
        "unknown_employee.xlsx: Availability!A2 (employee_id): unknown employee 'E99' — "
        "known: E01",
    )),
    BadCase(name="unknown_team.xlsx",
            make=edited(row("Employees", "M01", "Gil Amar", "team_manager", "Team 2", "FT", 80)),
            expected=(
        f"unknown_team.xlsx: Employees!D2 (team): unknown team 'Team 1' — teams with a team "
        f"manager: Team 2; {TEAMS}",
    )),
    BadCase(name="duplicate_id.xlsx",
            make=edited(row("Employees", "E01", "Omer Katz", "agent", None, "FT", 50, "Q1")),
            expected=(
        "duplicate_id.xlsx: Employees!A3 (employee_id): duplicate employee 'E01' — already on "
        "row 2; ids must be unique",
    )),
    BadCase(name="time_past_midnight.xlsx", make=edited(cell("OpeningHours", "D2", "25:00")),
            expected=(
        "time_past_midnight.xlsx: OpeningHours!D2 (close): '25:00' is not a time of day — "
        "write HH:MM, e.g. 08:30 or 24:00",
    )),
    BadCase(name="close_before_open.xlsx",
            make=edited(cell("OpeningHours", "C3", "19:00"), cell("OpeningHours", "D3", "08:00")),
            expected=(
        "close_before_open.xlsx: OpeningHours!D3 (close): '08:00' is not after open '19:00' — "
        "write a later close (00:00-24:00 is around the clock; 00:00-00:00 on a date closes "
        "that day)",
    )),
    BadCase(name="min_above_max.xlsx", make=edited(cell("Contracts", "B2", 50)), expected=(
        "min_above_max.xlsx: Contracts!B2 (min_weekly_hours): 50 is above max_weekly_hours 42 "
        "— lower one of them",
    )),
    BadCase(name="service_level_1_5.xlsx", make=edited(cell("Queues", "D2", 1.5)), expected=(
        "service_level_1_5.xlsx: Queues!D2 (service_level): 1.5 is not a share between 0 and "
        "1 — write e.g. 0.8",
    )),
    BadCase(name="interval_7.xlsx", make=edited(cell("Center", "B4", 7)), expected=(
        "interval_7.xlsx: Center!B4 (interval_minutes): 7 is not one of 15, 30 — write e.g. 15",
    )),
    BadCase(name="absurd_shift.xlsx", make=edited(cell("Contracts", "F2", 30)), expected=(
        "absurd_shift.xlsx: Contracts!F2 (max_shift_hours): 30 is not a number from 0 to 24 — "
        "write e.g. 8",
    )),
    BadCase(name="time_off_overlaps.xlsx",
            make=edited(row("Availability", "E01", None, "Friday", "10:00", "12:00", "avoid")),
            expected=(
        "time_off_overlaps.xlsx: Availability!D3 (from): 10:00-12:00 overlaps row 2 "
        "(00:00-24:00) for the same employee and day — merge the two rows or fix the times",
    )),
    BadCase(name="opening_overlaps.xlsx",
            make=edited(row("OpeningHours", "Sunday", None, "18:00", "21:00")), expected=(
        "opening_overlaps.xlsx: OpeningHours!C8 (open): 18:00-21:00 overlaps row 2 "
        "(08:00-19:00) for the same queue and day — merge the two rows or fix the times",
    )),
    BadCase(name="bad_date.xlsx", make=edited(cell("Scenario", "B2", "2026-02-30")), expected=(
        "bad_date.xlsx: Scenario!B2 (from_date): '2026-02-30' is not a date — write "
        "YYYY-MM-DD, e.g. 2026-11-29",
    )),
    BadCase(name="bad_weekday.xlsx", make=edited(cell("OpeningHours", "A2", "Funday")),
            expected=(
        "bad_weekday.xlsx: OpeningHours!A2 (weekday): 'Funday' is not a weekday — write e.g. "
        "Sunday or Sun",
    )),
    BadCase(name="unknown_center_key.xlsx", make=edited(cell("Center", "A9", "shrinkge")),
            expected=(
        f"unknown_center_key.xlsx: Center!A9 (key): unknown key 'shrinkge' — known keys: "
        f"{CENTER_KEYS}",
    )),
    BadCase(name="no_center_name.xlsx", make=edited(cell("Center", "B2", None)), expected=(
        "no_center_name.xlsx: Center!B2 (name): is blank — write e.g. Service center",
    )),
    BadCase(name="two_coverage_rows.xlsx",
            make=edited(row("Coverage", "shift_lead", 2)), expected=(
        "two_coverage_rows.xlsx: Coverage (role): 'shift_lead' has more than one row — keep "
        "one per role",
    )),
    BadCase(name="break_window.xlsx", make=edited(cell("Contracts", "N2", "5-3")), expected=(
        "break_window.xlsx: Contracts!N2 (break_window): '5-3' is not a window of hours A-B — "
        "write e.g. 2.5-5",
    )),
    BadCase(name="short_break_too_long.xlsx", make=edited(cell("Contracts", "Q2", 90)),
            expected=(
        "short_break_too_long.xlsx: Contracts!Q2 (short_break_minutes): 90 is not a whole "
        "number from 0 to 60 — write e.g. 15",
    )),
    BadCase(name="break_spacing_no_room.xlsx", make=edited(cell("Contracts", "S2", 2.5)),
            expected=(
        "break_spacing_no_room.xlsx: Contracts!S2 (break_spacing_hours): 2.5 h leaves no room "
        "for a 15-min short break in a 5 h shift, each 2.5 h from the shift's edges and the "
        "other breaks — lower break_spacing_hours or short_break_minutes, widen the "
        "break_window, or raise min_shift_hours",
    )),
    BadCase(name="premium_without_end.xlsx", make=edited(cell("Costs", "E2", None)), expected=(
        "premium_without_end.xlsx: Costs!E2 (to): is blank — a time premium needs from and to",
    )),
    BadCase(name="scenario_backwards.xlsx",
            make=edited(cell("Scenario", "C2", dt.datetime(2026, 12, 1))), expected=(
        "scenario_backwards.xlsx: Scenario!C2 (to_date): 2026-12-01 is before from_date "
        "2026-12-06 — swap them",
    )),
    BadCase(name="agent_without_skills.xlsx", make=edited(cell("Employees", "G2", None)),
            expected=(
        "agent_without_skills.xlsx: Employees!G2 (skills): is blank — an agent needs at least "
        "one queue id, e.g. Q1;Q2",
    )),
    BadCase(name="patience_word.xlsx", make=edited(cell("Queues", "F2", "soon")), expected=(
        "patience_word.xlsx: Queues!F2 (patience_s): 'soon' is not a number of seconds above 0 "
        "or 'estimate' — write e.g. 180",
    )),
    BadCase(name="id_became_date.xlsx",
            make=edited(cell("Contracts", "A2", dt.datetime(2026, 3, 1)),
                        cell("Employees", "E2", dt.datetime(2026, 3, 1))),
            expected=(
        "id_became_date.xlsx: Contracts!A2 (contract_id): Excel turned this cell into "
        "2026-03-01 — format it as Text",
        "id_became_date.xlsx: Employees!E2 (contract): Excel turned this cell into 2026-03-01 "
        "— format it as Text",
    )),
    BadCase(name="no_queues.xlsx", make=edited(clear_rows("Queues")), expected=(
        "no_queues.xlsx: sheet 'Queues' has no rows — add at least one row under the header",
        "no_queues.xlsx: Employees!G2 (skills): unknown queue 'Q1' — known: none",
        "no_queues.xlsx: Scenario!A2 (queue): unknown queue 'Q1' — known: none",
    )),
    BadCase(name="many_mistakes.xlsx", make=edited(
        cell("Center", "B6", "80"), cell("Queues", "I2", 0), cell("Employees", "C2", "agnet"),
        cell("Contracts", "D2", 8), cell("Coverage", "B2", -1), cell("Costs", "G2", 0.5),
    ), expected=(
        "many_mistakes.xlsx: Center!B6 (service_level): '80' is not a share between 0 and 1 — "
        "write e.g. 0.8",
        "many_mistakes.xlsx: Queues!I2 (concurrency): 0 is not a whole number from 1 to 20 — "
        "write e.g. 1",
        "many_mistakes.xlsx: Contracts!D2 (max_days): 8 is not a whole number from 1 to 7 — "
        "write e.g. 5",
        "many_mistakes.xlsx: Employees!C2 (role): 'agnet' is not one of agent, shift_lead, "
        "floor_lead, team_manager — pick one",
        "many_mistakes.xlsx: Coverage!B2 (min_on_duty): -1 is not a whole number of at least 0 "
        "— write e.g. 1",
        "many_mistakes.xlsx: Costs!G2 (multiplier): 0.5 is not a number from 1 to 10 — write "
        "e.g. 1.25",
    )),
    BadCase(name="fixed_shift_mistakes.xlsx", make=edited(
        cell("FixedShifts", "C2", "8am"),
        row("FixedShifts", "E01", dt.datetime(2026, 12, 2), "off", "17:00"),
        row("FixedShifts", "E01", dt.datetime(2026, 12, 2), "09:00"),
        row("FixedShifts", "E07", dt.datetime(2026, 12, 3), "09:00", "17:00"),
    ), expected=(
        "fixed_shift_mistakes.xlsx: FixedShifts!C2 (start): '8am' is not a time of day or "
        "'off' — write HH:MM, e.g. 08:00, or off for a fixed day off",
        "fixed_shift_mistakes.xlsx: FixedShifts!D3 (end): '17:00' is given for a day off — "
        "leave end blank, or write a start time instead of off",
        "fixed_shift_mistakes.xlsx: FixedShifts!D4 (end): is blank — write the shift's end, "
        "e.g. 17:00 (or off in start for a fixed day off)",
        "fixed_shift_mistakes.xlsx: FixedShifts!A5 (employee_id): unknown employee 'E07' — "
        "known: E01",
    )),
    BadCase(name="empty.xlsx", make=raw(b""), expected=(
        f"empty.xlsx: the file is empty (0 bytes) — {SAVE_AS}",
    )),
    BadCase(name="renamed_csv.xlsx", make=raw(b"employee_id,name\nE01,Dana Levi\n"), expected=(
        f"renamed_csv.xlsx: not an .xlsx workbook (it holds plain text, e.g. a CSV renamed to "
        f".xlsx) — {SAVE_AS}",
    )),
    BadCase(name="truncated.xlsx", make=truncated, expected=(
        f"truncated.xlsx: damaged .xlsx (truncated or corrupt: BadZipFile) — {SAVE_AS}",
    )),
    BadCase(name="old_format.xls", make=raw(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
            expected=(
        "old_format.xls: old Excel 97-2003 (.xls) format or a password-protected workbook — "
        "open it in Excel, remove any password, and save it as 'Excel Workbook (.xlsx)'",
    )),
)  # fmt: skip


def write_corpus(folder: Path) -> list[Path]:
    """Write every case's file into `folder` and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for case in CASES:
        case.make(folder / case.name)
        paths.append(folder / case.name)
    return paths


if __name__ == "__main__":
    for written in write_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "bad-workbooks")):
        print(written)
