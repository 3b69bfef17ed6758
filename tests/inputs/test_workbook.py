"""The constraint workbook: write/read round trip, forgiving reading, and one line per mistake."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from inputs.capacity import contract_shortfalls, weekly_hours
from inputs.domain import (
    Availability,
    AvailabilityKind,
    Center,
    Channel,
    Contract,
    CoverageRule,
    Employee,
    FixedShift,
    InputError,
    OpeningSpan,
    Premium,
    PremiumKind,
    Queue,
    Role,
    ScenarioRule,
    ServiceLevelScope,
    Workbook,
)
from inputs.workbook import SHEETS, check_workbook, read_workbook
from inputs.writer import write_workbook

SUN, MON, FRI, SAT = 6, 0, 4, 5


def full_workbook() -> Workbook:
    """Every sheet filled, with None values, date rows and queue-specific rows."""
    return Workbook(
        center=Center(
            name="Registry call center", timezone="Europe/London", interval_minutes=30,
            week_start=MON, service_level=0.85, answer_seconds=30,
            service_level_scope=ServiceLevelScope.DAY, shrinkage=0.25, currency="GBP",
            solver_time_limit_s=45.5, solver_workers=2, seed=11, holiday_country="GB",
            max_daily_hours=10.5, preference_weight=12.5, fairness_weight=0,
        ),
        opening_hours=(
            OpeningSpan(weekday=SUN, open_min=480, close_min=1140),
            OpeningSpan(weekday=FRI, open_min=480, close_min=780),
            OpeningSpan(weekday=SAT, open_min=0, close_min=1440),
            OpeningSpan(date=dt.date(2026, 12, 25), open_min=0, close_min=0),
            OpeningSpan(date=dt.date(2026, 12, 24), open_min=540, close_min=750),
            OpeningSpan(weekday=SUN, open_min=600, close_min=960, queue_id="LEGAL"),
            OpeningSpan(date=dt.date(2026, 12, 31), open_min=600, close_min=720, queue_id="LEGAL"),
        ),
        queues=(
            Queue(queue_id="GEN", name="General information"),
            Queue(
                queue_id="LEGAL", name="Legal aid", channel=Channel.CHAT, service_level=0.7,
                answer_seconds=120, patience_s=185.5, escalation_rate=0.12,
                escalation_handle_s=640.0, concurrency=2, priority=3,
            ),
            Queue(queue_id="MAIL", name="Letters", channel=Channel.EMAIL, priority=0),
        ),
        employees=(
            Employee(employee_id="E01", name="Dana Levi", role=Role.AGENT, team="North",
                     contract_id="FT", hourly_cost=55.25, skills=("GEN", "LEGAL")),
            Employee(employee_id="007", name="Omar Haddad", role=Role.AGENT, team="",
                     contract_id="PT", hourly_cost=48.0, skills=("MAIL",)),
            Employee(employee_id="L1", name="Rina Katz", role=Role.SHIFT_LEAD, team="North",
                     contract_id="FT", hourly_cost=70.0, skills=()),
            Employee(employee_id="F1", name="Yossi Mor", role=Role.FLOOR_LEAD, team="Ops",
                     contract_id="FT", hourly_cost=72.5),
            Employee(employee_id="M1", name="Tal Ben", role=Role.TEAM_MANAGER, team="Ops",
                     contract_id="FT", hourly_cost=90.0, skills=("GEN",)),
            Employee(employee_id="M2", name="Gal Or", role=Role.TEAM_MANAGER, team="North",
                     contract_id="FT", hourly_cost=90.0),
        ),
        contracts=(
            Contract(contract_id="FT", min_weekly_hours=35.0, max_weekly_hours=42.5, max_days=5,
                     min_shift_hours=6.0, max_shift_hours=9.5),
            Contract(
                contract_id="PT", min_weekly_hours=12.0, max_weekly_hours=24.0, max_days=4,
                min_shift_hours=4.0, max_shift_hours=6.0, earliest_start=420, latest_end=1320,
                max_consecutive_days=3, min_rest_hours=11.0, weekly_rest_hours=48.0,
                break_minutes=15, break_after_hours=4.5, break_window_start_h=2.5,
                break_window_end_h=4.0, shift_step_minutes=15, same_start=True,
            ),
        ),
        availability=(
            Availability(employee_id="E01", date=dt.date(2026, 12, 1)),
            Availability(employee_id="007", weekday=FRI, start_min=720, end_min=1440,
                         kind=AvailabilityKind.AVOID),
            Availability(employee_id="L1", weekday=SUN, start_min=480, end_min=720,
                         kind=AvailabilityKind.PREFER),
        ),
        coverage=(
            CoverageRule(role=Role.SHIFT_LEAD, min_on_duty=1, per_agents=15, answer_seconds=60,
                         service_level=0.8),
            CoverageRule(role=Role.FLOOR_LEAD, min_on_duty=1),
        ),
        premiums=(
            Premium(name="Evening", kind=PremiumKind.TIME, multiplier=1.25, start_min=1140,
                    end_min=1440),
            Premium(name="Friday", kind=PremiumKind.DAY, multiplier=1.5, weekday=FRI),
            Premium(name="Overtime", kind=PremiumKind.OVERTIME, multiplier=1.25,
                    after_hours=42.0),
        ),
        scenarios=(
            ScenarioRule(queue_id=None, start_date=dt.date(2026, 12, 1),
                         end_date=dt.date(2026, 12, 20), volume_multiplier=1.5),
            ScenarioRule(queue_id="LEGAL", start_date=dt.date(2026, 12, 7),
                         end_date=dt.date(2026, 12, 7), aht_multiplier=1.2),
        ),
        fixed_shifts=(
            FixedShift(employee_id="E01", date=dt.date(2026, 12, 2), start_min=1320,
                       end_min=360),
            FixedShift(employee_id="007", date=dt.date(2026, 12, 4), off=True),
        ),
    )  # fmt: skip


# --- writer and round trip -----------------------------------------------------------------


def test_round_trip_gives_an_equal_workbook(tmp_path: Path) -> None:
    original = full_workbook()
    path = tmp_path / "rules.xlsx"
    write_workbook(original, path)
    again = read_workbook(path)
    for name in ("center", "opening_hours", "queues", "employees", "contracts",
                 "availability", "coverage", "premiums", "scenarios",
                 "fixed_shifts"):  # fmt: skip
        assert getattr(again, name) == getattr(original, name), name
    assert again == original
    assert [p.name for p in tmp_path.iterdir()] == ["rules.xlsx"]  # no temp file left behind


def test_round_trip_of_the_demo_workbook(tmp_path: Path) -> None:
    demo = pytest.importorskip("inputs.demo")
    original = demo.demo_workbook()
    write_workbook(original, tmp_path / "demo.xlsx")
    assert read_workbook(tmp_path / "demo.xlsx") == original


def test_minimal_workbook_round_trips_with_empty_optional_sheets(tmp_path: Path) -> None:
    full = full_workbook()
    minimal = Workbook(
        center=Center(name="Tiny"), opening_hours=full.opening_hours[:1], queues=full.queues[:1],
        employees=(
            Employee(employee_id="E1", name="A", role=Role.AGENT, team="", contract_id="FT",
                     hourly_cost=40.0, skills=("GEN",)),
        ),
        contracts=full.contracts[:1],
    )  # fmt: skip
    write_workbook(minimal, tmp_path / "min.xlsx")
    assert read_workbook(tmp_path / "min.xlsx") == minimal


def test_writer_layout_header_formats_and_drop_downs(tmp_path: Path) -> None:
    path = tmp_path / "rules.xlsx"
    write_workbook(full_workbook(), path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Help", *(spec.name for spec in SHEETS)]
    for spec in SHEETS:
        ws = book[spec.name]
        assert [c.value for c in ws[1]] == [c.name for c in spec.columns]
        assert all(c.font.bold for c in ws[1]) and ws.freeze_panes == "A2"
        assert all(c.comment is not None and c.comment.text for c in ws[1])
    hours = book["OpeningHours"]
    assert (hours["A2"].value, hours["C2"].value, hours["D2"].value) == ("Sunday", "08:00", "19:00")
    assert hours["D4"].value == "24:00" and hours["C4"].data_type == "s"
    assert hours["B5"].value == dt.datetime(2026, 12, 25) and hours["B5"].is_date
    assert book["Contracts"]["N3"].value == "2.5-4"
    employees = book["Employees"]
    formulas = {str(dv.sqref): dv.formula1 for dv in employees.data_validations.dataValidation}
    assert formulas["C2:C1000"] == '"agent,shift_lead,floor_lead,team_manager"'
    assert formulas["E2:E1000"] == "Contracts!$A$2:$A$1000"
    center = {str(dv.sqref): dv.formula1 for dv in book["Center"].data_validations.dataValidation}
    assert center["B8"] == '"interval,day,week"'  # service_level_scope, the 7th key
    assert center["B6"] == "AND(ISNUMBER(B6),B6>0,B6<1)"  # service_level: 0 < x < 1
    ranges = {str(dv.sqref): (dv.type, dv.formula1, dv.formula2)
              for dv in book["Queues"].data_validations.dataValidation}  # fmt: skip
    assert ranges["D2:D1000"] == ("custom", "AND(ISNUMBER(D2),D2>0,D2<1)", None)
    assert ranges["G2:G1000"] == ("decimal", "0", "1")  # escalation_rate: 0 <= x <= 1
    assert ranges["F2:F1000"][1] == 'OR(TRIM(F2)="estimate",AND(ISNUMBER(F2),F2>0))'
    times = {str(dv.sqref): dv.formula1 for dv in hours.data_validations.dataValidation}
    assert times["C2:C1000"].startswith('OR(AND(ISNUMBER(C2),C2>=0,C2<=1),C2="24:00",')


def test_writer_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.xlsx"
    path.write_bytes(b"old")
    write_workbook(full_workbook(), path)
    assert zipfile.is_zipfile(path)


# --- reading what people type ----------------------------------------------------------------


def _book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def _sheets() -> dict[str, list[list[Any]]]:
    """A small valid workbook as people type it."""
    return {
        "Center": [["Key", "Value"], ["Name", "Demo"], ["interval minutes", 15],
                   ["week_start", "sun"], ["Service Level", 0.8]],
        "OpeningHours": [["Weekday", "Date", "Open", "Close", "Queue"],
                         ["Sun", None, dt.time(8, 0), "19:00", None],
                         [None, "2026-12-25", "00:00", "00:00", None],
                         ["Friday", None, "08:00", "13:00", "Q1"]],
        "Queues": [["Queue ID", "Name", "Service_Level"], ["Q1", "General", None],
                   ["Q2", "Legal", 0.7]],
        "Contracts": [["contract_id", "min_weekly_hours", "max_weekly_hours", "max_days",
                       "min_shift_hours", "max_shift_hours", "break_window"],
                      ["FT", 35, 42, 5, 6, 9, "3-5"], ["PT", 10, 20, 4, 4, 6, None]],
        "Employees": [["employee_id", "name", "role", "team", "contract", "hourly_cost",
                       "skills", "notes"],
                      ["E1", "Dana", "Agent", "A", "FT", 50, "Q1; Q2", "extra column"],
                      [None, None, None, None, None, None, None, None],
                      [101, "Lior", "shift lead", None, "PT", "60", None, None]],
        "Ignored": [["anything"], [1]],
    }  # fmt: skip


def test_reader_forgives_case_spaces_order_and_cell_types(tmp_path: Path) -> None:
    wb = read_workbook(_book(tmp_path / "typed.xlsx", _sheets()))
    assert wb.center == Center(name="Demo", interval_minutes=15, week_start=SUN)
    assert wb.opening_hours == (
        OpeningSpan(weekday=SUN, open_min=480, close_min=1140),
        OpeningSpan(date=dt.date(2026, 12, 25), open_min=0, close_min=0),
        OpeningSpan(weekday=FRI, open_min=480, close_min=780, queue_id="Q1"),
    )
    assert [q.service_level for q in wb.queues] == [0.8, 0.7]  # blank takes the Center's
    assert wb.employees[0].skills == ("Q1", "Q2")
    assert wb.employees[1].employee_id == "101" and wb.employees[1].role is Role.SHIFT_LEAD
    assert wb.employees[1].hourly_cost == 60.0 and wb.employees[1].team == ""
    ft, pt = wb.contracts
    assert (ft.break_window_start_h, ft.break_window_end_h) == (3.0, 5.0)
    assert pt.break_window_start_h == Contract.__dataclass_fields__["break_window_start_h"].default
    assert wb.availability == () and wb.coverage == () and wb.premiums == () and wb.scenarios == ()


def test_reading_never_modifies_the_file(tmp_path: Path) -> None:
    path = _book(tmp_path / "typed.xlsx", _sheets())
    before = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    read_workbook(path)
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before


# --- mistakes --------------------------------------------------------------------------------


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    return caught.value.problems


def test_every_mistake_is_reported_in_one_pass(tmp_path: Path) -> None:
    sheets = _sheets()
    sheets["Center"][2][1] = 20
    sheets["Center"] += [["colour", "blue"], ["holiday_country", "XX"]]
    sheets["Queues"] += [["Q1", "Again", 1.5], ["Q3", "Esc", None]]
    sheets["Queues"][0] += ["escalation_rate"]
    sheets["Queues"][-1] += [0.1]
    sheets["OpeningHours"] += [["Mon", "2026-12-01", "08:00", "12:00", None],
                               ["Tue", None, "18:00", "08:00", "QX"]]  # fmt: skip
    sheets["Employees"] += [["E2", "Noa", "agent", "A", "PT3O", 50, None, None],
                            ["E3", "Gil", "agent", "A", "FT", -5, "Q9", None]]  # fmt: skip
    sheets["Contracts"] += [["BAD", 40, 30, 8, 6, 9, "5-3"]]
    sheets["Costs"] = [["premium", "kind", "weekday", "from", "to", "multiplier"],
                       ["Evening", "time", "Friday", "19:00", None, 0.5]]  # fmt: skip
    sheets["Availability"] = [["employee_id", "date", "weekday", "from", "to"],
                              ["E9", None, None, "12:00", "08:00"]]  # fmt: skip
    sheets["Scenario"] = [["queue", "from_date", "to_date", "volume_multiplier"],
                          ["*", "2026-12-10", "2026-12-01", 0]]  # fmt: skip
    lines = _problems(_book(tmp_path / "demo.xlsx", sheets))
    assert lines == [
        "demo.xlsx: Center!B3 (interval_minutes): 20 is not one of 15, 30 — write e.g. 15",
        "demo.xlsx: Center!A6 (key): unknown key 'colour' — known keys: name, timezone, "
        "interval_minutes, week_start, service_level, answer_seconds, service_level_scope, "
        "shrinkage, currency, solver_time_limit_s, solver_workers, seed, holiday_country, "
        "forecast_quantile, service_level_floor, max_daily_hours, preference_weight, "
        "fairness_weight",
        "demo.xlsx: Center!B7 (holiday_country): 'XX' is not a supported holiday country — "
        "write e.g. IL or US",
        "demo.xlsx: Queues!A4 (queue_id): duplicate queue 'Q1' — already on row 2; ids must "
        "be unique",
        "demo.xlsx: Queues!C4 (service_level): 1.5 is not a share between 0 and 1 — write e.g. 0.8",
        "demo.xlsx: Queues row 5 (escalation_handle_s): must be above 0 when escalation_rate "
        "is above 0 — write the shift lead's handle time in seconds, e.g. 600",
        "demo.xlsx: Contracts!D4 (max_days): 8 is not a whole number from 1 to 7 — write e.g. 5",
        "demo.xlsx: Contracts!G4 (break_window): '5-3' is not a window of hours A-B — write "
        "e.g. 2.5-5",
        "demo.xlsx: Employees!E5 (contract): unknown contract 'PT3O' — known: FT, PT, BAD",
        "demo.xlsx: Employees!G5 (skills): is blank — an agent needs at least one queue id, "
        "e.g. Q1;Q2",
        "demo.xlsx: Employees!F6 (hourly_cost): -5 is not a number above 0 — write e.g. 55",
        "demo.xlsx: Employees!G6 (skills): unknown queue 'Q9' — known: Q1, Q2, Q3",
        "demo.xlsx: OpeningHours!A5 (weekday): give a weekday (e.g. Sunday) or a date (e.g. "
        "2026-12-25), not both weekday and date — clear one",
        "demo.xlsx: OpeningHours!E6 (queue): unknown queue 'QX' — known: Q1, Q2, Q3",
        "demo.xlsx: Availability!B2 (date): is blank — give a date (e.g. 2026-12-01) or a "
        "weekday (e.g. Friday)",
        "demo.xlsx: Availability!A2 (employee_id): unknown employee 'E9' — known: E1, 101, E2, E3",
        "demo.xlsx: Costs!F2 (multiplier): 0.5 is not a number from 1 to 10 — write e.g. 1.25",
        "demo.xlsx: Costs!C2 (weekday): a time premium uses only from and to — leave weekday blank",
        "demo.xlsx: Costs!E2 (to): is blank — a time premium needs from and to",
        "demo.xlsx: Scenario!D2 (volume_multiplier): 0 is not a number above 0 and at most 100 "
        "— write e.g. 1.5",
    ]


def test_contract_minimum_above_maximum_and_closing_before_opening(tmp_path: Path) -> None:
    sheets = _sheets()
    sheets["Contracts"] += [["BAD", 40, 30, 5, 10, 9, None]]
    sheets["OpeningHours"] += [["Tue", None, "18:00", "08:00", None]]
    lines = _problems(_book(tmp_path / "demo.xlsx", sheets))
    assert lines == [
        "demo.xlsx: Contracts!B4 (min_weekly_hours): 40 is above max_weekly_hours 30 — lower "
        "one of them",
        "demo.xlsx: Contracts!E4 (min_shift_hours): 10 is above max_shift_hours 9 — lower one "
        "of them",
        "demo.xlsx: OpeningHours!D5 (close): '08:00' is not after open '18:00' — write a later "
        "close (00:00-24:00 is around the clock; 00:00-00:00 on a date closes that day)",
    ]


def test_missing_sheet_and_missing_column(tmp_path: Path) -> None:
    sheets = _sheets()
    del sheets["Employees"]
    sheets["Queues"] = [["id", "name"], ["Q1", "General"]]
    lines = _problems(_book(tmp_path / "demo.xlsx", sheets))
    assert lines == [
        "demo.xlsx: sheet 'Queues' header row 1: column 'queue_id' is missing (found: id, "
        "name) — add a 'queue_id' column",
        "demo.xlsx: sheet 'Employees' is missing — expected sheets: Center, OpeningHours, "
        "Queues, Employees, Contracts (optional: Availability, Coverage, Costs, Scenario, "
        "FixedShifts)",
    ]


def test_bad_times_dates_and_weekdays(tmp_path: Path) -> None:
    sheets = _sheets()
    sheets["OpeningHours"] += [["Funday", None, "8am", "25:00", None],
                               [None, "2026-02-30", "08:00", "12:00", None]]  # fmt: skip
    lines = _problems(_book(tmp_path / "demo.xlsx", sheets))
    assert lines == [
        "demo.xlsx: OpeningHours!A5 (weekday): 'Funday' is not a weekday — write e.g. Sunday "
        "or Sun",
        "demo.xlsx: OpeningHours!C5 (open): '8am' is not a time of day — write HH:MM, e.g. "
        "08:30 or 24:00",
        "demo.xlsx: OpeningHours!D5 (close): '25:00' is not a time of day — write HH:MM, e.g. "
        "08:30 or 24:00",
        "demo.xlsx: OpeningHours!B6 (date): '2026-02-30' is not a date — write YYYY-MM-DD, "
        "e.g. 2026-11-29",
    ]


SAVE_AS = "save it from Excel as 'Excel Workbook (.xlsx)'"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.xlsx", b"", f"the file is empty (0 bytes) — {SAVE_AS}"),
        ("renamed.xlsx", b"queue,interval_start\nA,1\n",
         f"not an .xlsx workbook (it holds plain text, e.g. a CSV renamed to .xlsx) — {SAVE_AS}"),
        ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
         "old Excel 97-2003 (.xls) format or a password-protected workbook — open it in Excel, "
         "remove any password, and save it as 'Excel Workbook (.xlsx)'"),
        ("image.xlsx", b"\x89PNG\r\n\x1a\n\0\0\xff",
         f"not an .xlsx workbook (it holds an unknown format) — {SAVE_AS}"),
    ],
)  # fmt: skip
def test_files_that_are_not_workbooks_give_one_clear_line(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert _problems(path) == [f"{name}: {expected}"]


def test_zips_that_are_not_workbooks(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "report.xlsx", "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert _problems(tmp_path / "report.xlsx") == [
        "report.xlsx: a zip file but not an Excel workbook (an .ods or .docx renamed?) — "
        + SAVE_AS
    ]
    with zipfile.ZipFile(tmp_path / "binary.xlsx", "w") as archive:
        archive.writestr("xl/workbook.bin", b"\0")
    assert _problems(tmp_path / "binary.xlsx") == [f"binary.xlsx: binary .xlsb format — {SAVE_AS}"]


def test_a_real_workbook_is_read_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "rules.backup"
    write_workbook(full_workbook(), path)
    assert read_workbook(path) == full_workbook()


def test_truncated_and_missing_files(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    write_workbook(full_workbook(), good)
    data = good.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    assert _problems(tmp_path / "cut.xlsx") == [
        f"cut.xlsx: damaged .xlsx (truncated or corrupt: BadZipFile) — {SAVE_AS}"
    ]
    assert _problems(tmp_path / "gone.xlsx") == [
        f"gone.xlsx: file not found at {tmp_path / 'gone.xlsx'} — check the path"
    ]


def test_fixed_shifts_are_read_with_their_rows_and_checked(tmp_path: Path) -> None:
    sheets = _sheets()
    sheets["FixedShifts"] = [["employee_id", "date", "start", "end"],
                             ["E1", "2026-12-01", "22:00", "06:00"],
                             ["101", dt.datetime(2026, 12, 2), "OFF", None],
                             ["E1", "2026-12-03", "08:00", "16:00"]]  # fmt: skip
    wb = read_workbook(_book(tmp_path / "fixed.xlsx", sheets))
    night, off, day = wb.fixed_shifts
    assert (night.start_min, night.end_min, night.length_min, night.row) == (1320, 360, 480, 2)
    assert off.off and off.employee_id == "101" and off.row == 3
    assert day.length_min == 480 and not day.off
    sheets["FixedShifts"] += [["E1", "2026-12-01", "09:00", "17:00"],
                              ["E1", "2026-12-04", "24:00", "08:00"],
                              ["E1", "2026-12-05", "08:00", "08:00"]]  # fmt: skip
    assert _problems(_book(tmp_path / "bad.xlsx", sheets)) == [
        "bad.xlsx: FixedShifts!C6 (start): '24:00' is the next day — write 00:00 and the next "
        "date",
        "bad.xlsx: FixedShifts!D7 (end): '08:00' ends the shift when it starts — write the "
        "shift's end",
        "bad.xlsx: FixedShifts!B5 (date): 2026-12-01 is already fixed for E1 on row 2 — keep "
        "one row per employee and date",
    ]


def test_same_start_and_the_new_center_keys(tmp_path: Path) -> None:
    sheets = _sheets()
    sheets["Contracts"][0].append("same_start")
    sheets["Contracts"][1].append("Yes")
    sheets["Contracts"][2].append("maybe")
    sheets["Center"] += [["max_daily_hours", 30], ["preference_weight", -1]]
    assert _problems(_book(tmp_path / "bad.xlsx", sheets)) == [
        "bad.xlsx: Center!B6 (max_daily_hours): 30 is not a number above 0 and at most 24 — "
        "write e.g. 12",
        "bad.xlsx: Center!B7 (preference_weight): -1 is not a number of at least 0 — write "
        "e.g. 20",
        "bad.xlsx: Contracts!H3 (same_start): 'maybe' is not yes or no — write yes or no",
    ]
    sheets["Contracts"][2][-1] = None
    sheets["Center"][-2:] = [["max_daily_hours", 10], ["fairness_weight", 0]]
    wb = read_workbook(_book(tmp_path / "good.xlsx", sheets))
    assert [c.same_start for c in wb.contracts] == [True, False]
    assert (wb.center.max_daily_hours, wb.center.preference_weight,
            wb.center.fairness_weight) == (10, 20, 0)


# --- checks across rows, notes --------------------------------------------------------------


def test_extra_columns_and_sheets_are_noted_not_errors(tmp_path: Path) -> None:
    check = check_workbook(_book(tmp_path / "typed.xlsx", _sheets()))
    assert check.notes == (
        "typed.xlsx: note: Employees!H1: column 'notes' is not one wfm reads — ignored",
        "typed.xlsx: note: sheet 'Ignored' is not one wfm reads — ignored",
    )
    assert check.workbook == read_workbook(tmp_path / "typed.xlsx")


def test_repeated_column_unknown_team_and_overlapping_rows(tmp_path: Path) -> None:
    sheets = _sheets()
    sheets["Queues"][0] += ["Name"]
    sheets["Employees"] += [["M1", "Tal", "team_manager", "A", "FT", 80, None, None],
                            ["E4", "Ran", "agent", "a ", "FT", 50, "Q1", None]]  # fmt: skip
    sheets["OpeningHours"] += [["Sun", None, "18:00", "20:00", None]]
    sheets["Availability"] = [["employee_id", "date", "from", "to", "kind"],
                              ["E1", "2026-12-01", None, None, "unavailable"],
                              ["E1", "2026-12-02", "08:00", "12:00", "unavailable"],
                              ["E1", "2026-12-01", "09:00", "10:00", "prefer"],
                              ["101", "2026-12-01", "09:00", "10:00", "prefer"]]  # fmt: skip
    lines = _problems(_book(tmp_path / "demo.xlsx", sheets))
    assert lines == [
        "demo.xlsx: Queues!D1: column 'Name' appears twice (also B1) — keep one",
        "demo.xlsx: Employees!D6 (team): unknown team 'a' — teams with a team manager: A; "
        "check the spelling or add the team's manager",
        "demo.xlsx: OpeningHours!C5 (open): 18:00-20:00 overlaps row 2 (08:00-19:00) for the "
        "same queue and day — merge the two rows or fix the times",
        "demo.xlsx: Availability!C4 (from): 09:00-10:00 overlaps row 2 (00:00-24:00) for the "
        "same employee and day — merge the two rows or fix the times",
    ]


def test_teams_are_free_text_when_no_team_manager_is_listed(tmp_path: Path) -> None:
    wb = read_workbook(_book(tmp_path / "typed.xlsx", _sheets()))
    assert [e.team for e in wb.employees] == ["A", ""]


def test_text_typed_numbers_times_and_dates_are_accepted(tmp_path: Path) -> None:
    sheets = _sheets()
    sheets["Queues"][2][2] = "70%"
    sheets["OpeningHours"][1][2:4] = ["8:00", "19:00:00"]
    sheets["Contracts"][1][1:3] = ["35", " 42 "]
    sheets["Scenario"] = [["queue", "from_date", "to_date"], [None, "2026-12-01",
                                                               dt.datetime(2026, 12, 3)]]
    wb = read_workbook(_book(tmp_path / "text.xlsx", sheets))
    assert wb.queues[1].service_level == 0.7
    assert (wb.opening_hours[0].open_min, wb.opening_hours[0].close_min) == (480, 1140)
    assert (wb.contracts[0].min_weekly_hours, wb.contracts[0].max_weekly_hours) == (35, 42)
    assert wb.scenarios[0].end_date == dt.date(2026, 12, 3)


# --- hours available against hours contracted ------------------------------------------------


def _capacity_workbook(availability: tuple[Availability, ...] = ()) -> Workbook:
    """Open Sun-Thu 08:00-17:00; one 30 h part-timer with 4-6 h shifts on 4 days at most."""
    return Workbook(
        center=Center(name="C"),
        opening_hours=tuple(OpeningSpan(weekday=d, open_min=480, close_min=1020)
                            for d in (SUN, MON, 1, 2, 3)),
        queues=(Queue(queue_id="Q", name="Q"),),
        employees=(Employee(employee_id="E12", name="Dana", role=Role.AGENT, team="",
                            contract_id="PT30", hourly_cost=50.0, skills=("Q",)),),
        contracts=(Contract(contract_id="PT30", min_weekly_hours=20, max_weekly_hours=30,
                            max_days=4, min_shift_hours=4, max_shift_hours=6.5,
                            break_after_hours=6),),
        availability=availability,
    )  # fmt: skip


def test_hours_available_worked_out_by_hand() -> None:
    week = dt.date(2026, 11, 29)
    # 6.5 h shifts lose a 30-minute break: 6 h paid, the same as a 6 h shift; 4 days: 24 h.
    (hours,) = weekly_hours(_capacity_workbook(), week)
    assert hours.available_minutes == 24 * 60 and not hours.short
    # Off Sunday and Monday, and until 12:00 on Tuesday, where 12:00-17:00 leaves a 5 h shift
    # ("avoid" 12:00-13:00 is a wish, not a block): 6 + 6 + 5 = 17 h, below the 20 h minimum.
    off = (Availability(employee_id="E12", date=week),
           Availability(employee_id="E12", date=week + dt.timedelta(days=1)),
           Availability(employee_id="E12", date=week + dt.timedelta(days=2), start_min=0,
                        end_min=12 * 60),
           Availability(employee_id="E12", date=week + dt.timedelta(days=2), start_min=12 * 60,
                        end_min=13 * 60, kind=AvailabilityKind.AVOID))  # fmt: skip
    (hours,) = weekly_hours(_capacity_workbook(off), week)
    assert hours.available_minutes == 17 * 60 and hours.short
    assert contract_shortfalls(_capacity_workbook(off), week) == [
        "E12 (Dana) can work at most 17 h this week (opening hours, availability and contract "
        "PT30's shift limits) but contract PT30 needs at least 20 h — lower the minimum, move "
        "the time off, or change the contract"
    ]


def test_hours_available_match_the_schedulers_shift_options() -> None:
    """The shared arithmetic gives what enumerating every shift option gives (demo, 30 staff)."""
    from inputs.capacity import unavailable_windows
    from inputs.demo import DEMO_WEEK, demo_workbook
    from scheduler.roster.shifts import employee_options, minute_multipliers

    demo = demo_workbook()
    wb = dataclasses.replace(demo, employees=demo.employees[::3])
    mult = minute_multipliers(wb, DEMO_WEEK)
    blocked = unavailable_windows(wb, DEMO_WEEK)
    for hours in weekly_hours(wb, DEMO_WEEK):
        per_day: dict[int, int] = {}
        for o in employee_options(wb, hours.employee, DEMO_WEEK, mult):
            spans = blocked.get(hours.employee.employee_id, [])
            if not any(o.start < end and start < o.end for start, end in spans):
                per_day[o.day] = max(per_day.get(o.day, 0), o.paid_minutes)
        best = sorted(per_day.values(), reverse=True)[: hours.contract.max_days]
        assert hours.available_minutes == sum(best), hours.employee.employee_id


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    from inputs.writer import write_file_atomically

    target = tmp_path / "forecast.csv"
    target.write_text("old\n")

    def half_then_fail(tmp: Path) -> None:
        tmp.write_text("new, but only ha")
        raise OSError("disk full")

    with pytest.raises(InputError, match=r"forecast.csv: cannot be written \(disk full\)"):
        write_file_atomically(target, half_then_fail)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["forecast.csv"]
    write_file_atomically(target, lambda tmp: tmp.write_text("new\n"))
    assert target.read_text() == "new\n"
