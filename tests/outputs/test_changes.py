"""Changes between two rosters of one week: each kind alone, the console text, the files."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl

from inputs.domain import Roster
from outputs.changes import (
    ChangeKind,
    change_lines,
    roster_changes,
    write_changes_csv,
    write_changes_xlsx,
)
from tests.outputs.test_outputs import ROSTER, SUNDAY, make_workbook, shift

PEOPLE = {e.employee_id: e for e in make_workbook().employees}
MONDAY = SUNDAY + dt.timedelta(days=1)
E1_SUNDAY = shift("E1", SUNDAY, (8, 0), (16, 30), ((12, 0), (12, 30)), 8.0, 400.0)


def week(*assignments) -> Roster:
    return Roster(week_start=SUNDAY, assignments=assignments)


def test_identical_rosters_have_no_changes() -> None:
    assert roster_changes(ROSTER, ROSTER, PEOPLE) == []
    assert change_lines([]) == ["no changes"]


def test_a_shift_only_in_new_is_gained_only_in_old_lost() -> None:
    [gained] = roster_changes(week(), week(E1_SUNDAY), PEOPLE)
    assert (gained.kind, gained.old, gained.new) == (
        ChangeKind.GAINED, "", "08:00–16:30 · break 12:00–12:30")
    [lost] = roster_changes(week(E1_SUNDAY), week(), PEOPLE)
    assert (lost.kind, lost.name, lost.team, lost.day) == (ChangeKind.LOST, "Dana Levi", "Blue",
                                                           SUNDAY)


def test_other_times_are_moved_same_times_other_breaks_are_breaks() -> None:
    later = shift("E1", SUNDAY, (9, 0), (17, 30), ((12, 0), (12, 30)), 8.0, 400.0)
    assert [c.kind for c in roster_changes(week(E1_SUNDAY), week(later), PEOPLE)] == [
        ChangeKind.MOVED]
    lunch = shift("E1", SUNDAY, (8, 0), (16, 30), ((13, 0), (13, 30)), 8.0, 400.0)
    assert [c.kind for c in roster_changes(week(E1_SUNDAY), week(lunch), PEOPLE)] == [
        ChangeKind.BREAKS]
    # A shift moved to another day is a day lost and a day gained, in date order.
    monday = shift("E1", MONDAY, (8, 0), (16, 30), ((12, 0), (12, 30)), 8.0, 400.0)
    assert [(c.day, c.kind) for c in roster_changes(week(E1_SUNDAY), week(monday), PEOPLE)] == [
        (SUNDAY, ChangeKind.LOST), (MONDAY, ChangeKind.GAINED)]


def test_console_counts_kinds_then_a_line_per_change() -> None:
    other = shift("E2", SUNDAY, (10, 0), (18, 0), None, 8.0, 320.0)
    changes = roster_changes(week(E1_SUNDAY), week(other), PEOPLE)
    assert change_lines(changes) == [
        "2 changes for 2 employees: 1 gained, 1 lost",
        "  Dana Levi (E1, team Blue) Sun 29-11: lost — 08:00–16:30 · break 12:00–12:30 -> off",
        "  Omer Katz (E2, team Red) Sun 29-11: gained — off -> 10:00–18:00",
    ]


def test_changes_csv_and_sheet_for_hr(tmp_path: Path) -> None:
    changes = roster_changes(week(E1_SUNDAY), week(), PEOPLE)
    write_changes_csv(changes, tmp_path / "changes.csv")
    with (tmp_path / "changes.csv").open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["employee_id", "name", "team", "date", "change", "old", "new"],
            ["E1", "Dana Levi", "Blue", "2026-11-29", "lost", "08:00–16:30 · break 12:00–12:30",
             ""]]
    write_changes_xlsx(changes, tmp_path / "changes.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "changes.xlsx")["Changes"].iter_rows(
        values_only=True))
    assert rows[1] == ("E1", "Dana Levi", "Blue", dt.datetime(2026, 11, 29), "lost",
                       "08:00–16:30 · break 12:00–12:30", None)
    write_changes_xlsx([], tmp_path / "none.xlsx")
    none = list(openpyxl.load_workbook(tmp_path / "none.xlsx")["Changes"].iter_rows(
        values_only=True))
    assert none[1][0] == "no changes"
