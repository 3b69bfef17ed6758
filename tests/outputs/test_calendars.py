"""The calendars/ .ics files, read back with icalendar: events, time zone, daylight saving."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from inputs.domain import Roster
from outputs.calendars import write_calendars
from scheduler.plan import Plan
from tests.outputs.demo_plan import demo_plan
from tests.outputs.test_outputs import make_plan, shift

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def read(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plan") / "calendars"
    write_calendars(demo_plan(), out, now=NOW)
    return out


def test_one_calendar_per_employee_and_per_team(folder: Path) -> None:
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 94 + 7
    assert [n for n in names if n.startswith("team-")] == [f"team-T{k}.ics" for k in range(1, 8)]


def test_employee_calendar_reads_back_with_the_centers_time_zone(folder: Path) -> None:
    calendar = read(folder / "A15.ics")
    assert str(calendar["x-wr-calname"]) == "Orly Ben-David · Government Service & Information " \
                                            "Center (demo)"
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["Asia/Jerusalem"]
    events = calendar.walk("VEVENT")
    assert len(events) == 5  # A15 works Sunday to Thursday
    first = events[0]
    start, end = first.decoded("dtstart"), first.decoded("dtend")
    assert start.tzinfo is not None and str(first["dtstart"].params["TZID"]) == "Asia/Jerusalem"
    # 08:45 in Jerusalem in winter (UTC+2) is 06:45 UTC.
    assert start.astimezone(UTC) == dt.datetime(2026, 11, 29, 6, 45, tzinfo=UTC)
    assert end.astimezone(UTC) == dt.datetime(2026, 11, 29, 15, 45, tzinfo=UTC)
    assert str(first["summary"]) == "Shift (agent) 08:45–17:45"
    assert str(first["description"]).splitlines() == [
        "Orly Ben-David (A15), team T1", "Paid hours: 8.50", "Lunch (unpaid): 13:15–13:45",
        "Short break: 12:00–12:15", "Short break: 15:30–15:45"]
    assert str(first["uid"]) == "A15-20261129-1@wfm"
    assert first.decoded("dtstamp") == NOW


def test_team_calendar_holds_every_shift_of_the_team_named(folder: Path) -> None:
    plan = demo_plan()
    team = {e.employee_id for e in plan.workbook.employees if e.team == "T1"}
    assert plan.result.roster is not None
    expected = sum(a.employee_id in team for a in plan.result.roster.assignments)
    events = read(folder / "team-T1.ics").walk("VEVENT")
    assert len(events) == expected
    assert "Orly Ben-David 08:45–17:45" in {str(e["summary"]) for e in events}
    assert len({str(e["uid"]) for e in events}) == expected


def test_daylight_saving_start_moves_the_utc_time_not_the_clock(tmp_path: Path) -> None:
    # Israel moves its clocks to UTC+3 on Friday 27 March 2026: 08:00 on Thursday the 26th
    # is 06:00 UTC, 08:00 on Sunday the 29th is 05:00 UTC.
    week = dt.date(2026, 3, 22)
    roster = Roster(week_start=week, assignments=(
        shift("E1", dt.date(2026, 3, 26), (8, 0), (16, 0), None, 8.0, 400.0),
        shift("E1", dt.date(2026, 3, 29), (8, 0), (16, 0), None, 8.0, 400.0),
    ))
    plan: Plan = dataclasses.replace(make_plan(roster=roster), week_start=week)
    write_calendars(plan, tmp_path / "calendars", now=NOW)
    starts = [e.decoded("dtstart") for e in read(tmp_path / "calendars" / "E1.ics").walk("VEVENT")]
    assert [s.astimezone(UTC).hour for s in starts] == [6, 5]
    assert [s.astimezone(ZoneInfo("Asia/Jerusalem")).hour for s in starts] == [8, 8]


def test_an_employee_without_shifts_gets_an_empty_calendar(tmp_path: Path) -> None:
    roster = Roster(week_start=make_plan().week_start, assignments=())
    write_calendars(make_plan(roster=roster), tmp_path / "calendars", now=NOW)
    calendar = read(tmp_path / "calendars" / "E2.ics")
    assert calendar.walk("VEVENT") == []
    assert str(calendar["version"]) == "2.0"


def test_file_is_rfc5545_text_with_crlf_and_folded_lines(folder: Path) -> None:
    raw = (folder / "team-T1.ics").read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
