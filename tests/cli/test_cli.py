"""The `wfm` command: help with examples, exact error text and exit codes, nothing half-written."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from inputs import read_workbook, write_workbook
from inputs.demo import write_demo

COMMANDS = sorted(main.commands)


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_demo(tmp_path_factory.mktemp("demo-inputs"))


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"wfm {command}" in result.output


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("wfm, version ")


def test_usage_error_is_exit_2() -> None:
    result = CliRunner().invoke(main, ["plan", "--workbook", "w.xlsx"])
    assert result.exit_code == 2
    assert "Missing option" in result.output


def test_missing_workbook_is_exit_1_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", "--workbook", str(tmp_path / "nope.xlsx"),
                                       "--history", str(tmp_path / "h.csv"),
                                       "--week", "2026-11-29", "--out", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.startswith("error: ")
    assert "nope.xlsx" in result.output
    assert not out.exists()


def test_a_week_that_does_not_start_on_the_workbook_week_start(
    demo_files: tuple[Path, Path], tmp_path: Path
) -> None:
    workbook, history = demo_files
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", "--workbook", str(workbook), "--history",
                                       str(history), "--week", "2026-11-30", "--out", str(out)])
    assert result.exit_code == 1
    assert result.output == (
        "error: --week 2026-11-30: is a Monday, but the workbook's week starts on Sunday "
        "(Center!week_start) — pass the Sunday that starts the week\n"
    )
    assert not out.exists()


def test_contradicting_rules_exit_3_with_the_reason_and_nothing_written(
    demo_files: tuple[Path, Path], tmp_path: Path
) -> None:
    workbook, history = demo_files
    book = read_workbook(workbook)
    part_time = next(c for c in book.contracts if c.contract_id == "PT")
    greedy = dataclasses.replace(part_time, min_weekly_hours=29.5, max_weekly_hours=30,
                                 max_days=5, max_shift_hours=5, min_shift_hours=4)
    changed = tmp_path / "rules.xlsx"
    write_workbook(dataclasses.replace(
        book, contracts=tuple(greedy if c.contract_id == "PT" else c for c in book.contracts)),
        changed)
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", "--workbook", str(changed), "--history",
                                       str(history), "--week", "2026-11-29", "--out", str(out),
                                       "--quiet"])
    assert result.exit_code == 3
    lines = result.output.splitlines()
    assert lines[0] == "error: no feasible roster (infeasible); nothing was written"
    # 5 days x 5-hour shifts = 25 h < 29.5 h, for every part-timer.
    assert "can work at most 25 h this week" in lines[1]
    assert "contract PT needs at least 29.5 h" in lines[1]
    assert not out.exists()


@pytest.mark.slow
def test_ctrl_c_at_the_first_progress_line_writes_the_roster_so_far(tmp_path: Path) -> None:
    # The first line comes while the greedy first roster is polished (the search's own
    # Ctrl-C is tested in test_rules): the plan is written from the roster so far.
    import json
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "plan"
    wfm = Path(sys.executable).with_name("wfm")
    process = subprocess.Popen(  # SIGINT as in a terminal, even when pytest runs in a job
        [str(wfm), "demo", "--out", str(out), "--time-limit", "300"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("  solver "):
            break
    time.sleep(2)
    process.send_signal(signal.SIGINT)
    sent = time.monotonic()
    stdout, _ = process.communicate(timeout=120)

    assert process.returncode == 0, stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["solver"]["interrupted"] == 1
    assert summary["solver"]["roster_from"] == "greedy start"
    assert summary["solver"]["solve_s"] == 0
    assert time.monotonic() - sent < 60  # not the 300 s limit
    assert "stopped early by Ctrl-C" in (out / "wfm.log").read_text()


def test_progress_lines_are_never_wrapped(capsys: pytest.CaptureFixture[str]) -> None:
    from outputs.console import Reporter

    line = "Verify round 1: 13 queue-intervals simulate below target; " + "x" * 120
    Reporter(quiet=False).say(line)
    assert capsys.readouterr().err == line + "\n"


def test_a_previous_roster_that_cannot_be_read_is_exit_1_and_writes_nothing(
    demo_files: tuple[Path, Path], tmp_path: Path
) -> None:
    workbook, history = demo_files
    previous = tmp_path / "last-week.csv"
    previous.write_text("employee_id,date,start\nA01,2026-11-26,08:00\n", encoding="utf-8")
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", "--workbook", str(workbook), "--history",
                                       str(history), "--week", "2026-11-29", "--out", str(out),
                                       "--previous", str(previous), "--quiet"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: ")
    assert "last-week.csv" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def _requirements_fails(demo_files: tuple[Path, Path], week: str, out: Path) -> str:
    """`wfm requirements` that must exit 1 with a message, not a traceback: its output."""
    workbook, history = demo_files
    result = CliRunner().invoke(main, ["requirements", "--workbook", str(workbook),
                                       "--history", str(history), "--week", week,
                                       "--out", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    return result.output


def test_requirements_for_a_week_the_history_does_not_reach_is_exit_1_and_writes_nothing(
    demo_files: tuple[Path, Path], tmp_path: Path
) -> None:
    output = _requirements_fails(demo_files, "2030-11-24", tmp_path / "requirements.csv")
    assert "error: " in output and "history" in output
    assert list(tmp_path.iterdir()) == []


def test_requirements_into_a_place_that_cannot_be_written_is_exit_1(
    demo_files: tuple[Path, Path], tmp_path: Path
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    out = blocker / "requirements.csv"
    assert f"error: {out}: cannot be written (" in _requirements_fails(demo_files,
                                                                      "2026-11-29", out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize(("raised", "code", "lines"), [
    (KeyboardInterrupt(), 130,
     ["error: interrupted before the solver found a roster; nothing was written"]),
    ("check", 4, ["error: internal error: the roster breaks hard rules (please report this bug):",
                  "error: A01 works 13 h on Sunday"]),
])
def test_plan_maps_ctrl_c_and_a_broken_roster_to_their_exit_codes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raised: object, code: int,
        lines: list[str]) -> None:
    import scheduler.pipeline
    from scheduler.check import RosterCheckError, Violation

    error = raised if isinstance(raised, BaseException) else RosterCheckError(
        [Violation(rule="R", employee_id="A01", day=None, message="A01 works 13 h on Sunday")])

    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(scheduler.pipeline, "plan_week", fail)
    out = tmp_path / "plan"
    result = CliRunner().invoke(main, ["plan", "--workbook", "w.xlsx", "--history", "h.csv",
                                       "--week", "2026-11-29", "--out", str(out), "--quiet"])
    assert result.exit_code == code
    assert result.output.splitlines() == lines
    assert not out.exists()
