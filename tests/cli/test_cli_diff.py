"""`wfm diff OLD NEW`: two demo-sized plan folders, exact text, files and exit codes."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from inputs import write_workbook
from inputs.demo import demo_workbook
from tests.outputs.demo_plan import DEMO_SHIFTS


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo plan as published, and a re-plan where A15 starts an hour later on Sunday and
    A29 loses Friday."""
    base = tmp_path_factory.mktemp("plans")
    old, new = base / "old", base / "new"
    for folder in (old, new):
        (folder / "inputs").mkdir(parents=True)
    write_workbook(demo_workbook(), old / "inputs" / "workbook.xlsx")
    shutil.copy(old / "inputs" / "workbook.xlsx", new / "inputs" / "workbook.xlsx")
    shutil.copy(DEMO_SHIFTS, old / "shifts.csv")
    lines = DEMO_SHIFTS.read_text(encoding="utf-8").splitlines(keepends=True)
    edited = []
    for line in lines:
        if line.startswith("A29,") and ",2026-12-04," in line:
            continue
        if line.startswith("A15,") and ",2026-11-29," in line:
            line = line.replace(",08:45,17:45,13:15-13:45,", ",09:45,18:45,14:15-14:45,")
            line = line.replace("12:00-12:15;15:30-15:45", "13:00-13:15;16:30-16:45")
        edited.append(line)
    (new / "shifts.csv").write_text("".join(edited), encoding="utf-8")
    return old, new


def run(*args: str):
    return CliRunner().invoke(main, ["diff", *args])


def test_same_plan_prints_no_changes(plans: tuple[Path, Path]) -> None:
    result = run(str(plans[0]), str(plans[0]))
    assert (result.exit_code, result.output) == (0, "no changes\n")


def test_changes_in_the_console_and_in_changes_csv(plans: tuple[Path, Path],
                                                   tmp_path: Path) -> None:
    old, new = plans
    result = run(str(old), str(new), "--out", str(tmp_path / "changes.csv"))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "2 changes for 2 employees: 1 lost, 1 moved",
        "  Anna Shulman (A29, team T1) Fri 04-12: lost — 08:00–13:00 · short 11:30–11:45 -> off",
        "  Orly Ben-David (A15, team T1) Sun 29-11: moved — 08:45–17:45 · break 13:15–13:45 · "
        "short 12:00–12:15, 15:30–15:45 -> 09:45–18:45 · break 14:15–14:45 · short "
        "13:00–13:15, 16:30–16:45",
        f"Changes written to {tmp_path / 'changes.csv'}",
    ]
    with (tmp_path / "changes.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["employee_id"], r["date"], r["change"]) for r in rows] == [
        ("A29", "2026-12-04", "lost"), ("A15", "2026-11-29", "moved")]


def test_a_published_shifts_csv_against_a_plan_folder(plans: tuple[Path, Path]) -> None:
    old, new = plans
    result = run(str(old / "shifts.csv"), str(new))
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "2 changes for 2 employees: 1 lost, 1 moved"


def test_missing_folder_is_exit_1_and_writes_nothing(plans: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    out = tmp_path / "changes.csv"
    result = run(str(plans[0]), str(tmp_path / "nope"), "--out", str(out))
    assert result.exit_code == 1
    assert result.output == (f"error: {tmp_path / 'nope'}: no such plan folder or shifts.csv — "
                             "pass the folder `wfm plan --out` wrote, or a shifts.csv\n")
    assert not out.exists()


def test_two_shifts_files_without_a_plan_folder_is_exit_1(plans: tuple[Path, Path]) -> None:
    old, new = plans
    result = run(str(old / "shifts.csv"), str(new / "shifts.csv"))
    assert result.exit_code == 1
    assert "at least one of OLD and NEW must be the folder `wfm plan --out` wrote" in \
        result.output


def test_rosters_of_different_weeks_are_exit_1(plans: tuple[Path, Path],
                                               tmp_path: Path) -> None:
    later = tmp_path / "later.csv"
    lines = (plans[0] / "shifts.csv").read_text(encoding="utf-8").splitlines()
    sunday = [line.replace(",2026-11-29,", ",2026-12-06,") for line in lines
              if ",2026-11-29," in line]  # the next Sunday's shifts only
    later.write_text("\n".join([lines[0], *sunday]) + "\n", encoding="utf-8")
    result = run(str(plans[0]), str(later))
    assert result.exit_code == 1
    assert f"{plans[0]} is the week of 2026-11-29 and {later} of 2026-12-06" in result.output


def test_out_must_be_csv_or_xlsx(plans: tuple[Path, Path]) -> None:
    result = run(str(plans[0]), str(plans[1]), "--out", "changes.txt")
    assert result.exit_code == 2
    assert "changes.txt: name a .csv or an .xlsx file, e.g. changes.csv" in result.output
