"""The independent checker on paid short breaks: count, length, grid, spacing, and duty.

Each check alone: a shift that breaks it (with the exact message) and one that does not.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from inputs.domain import (
    Assignment,
    Contract,
    OpeningSpan,
    Queue,
    Roster,
)
from scheduler.check import check_roster
from scheduler.check.allocation import on_duty
from tests.conftest import SUNDAY, WEEK, agent, small_workbook

RATE = 60.0
CONTRACT = Contract(
    contract_id="FT", min_weekly_hours=0, max_weekly_hours=45, max_days=5, min_shift_hours=4,
    max_shift_hours=9, earliest_start=7 * 60, latest_end=21 * 60, break_minutes=30,
    break_after_hours=6, break_window_start_h=2, break_window_end_h=5, shift_step_minutes=30,
    short_break_minutes=15, short_break_after_hours=4, break_spacing_hours=1,
)
WORKBOOK = small_workbook(
    CONTRACT, opening_hours=(OpeningSpan(weekday=SUNDAY, open_min=7 * 60, close_min=21 * 60),),
    queues=(Queue(queue_id="Q1", name="One"),),
    employees=(agent("E1", contract_id="FT", hourly_cost=RATE, skills=("Q1",)),),
)


def at(hhmm: str) -> dt.datetime:
    h, m = map(int, hhmm.split(":"))
    return dt.datetime.combine(WEEK, dt.time(h, m))


def shift(start: str, end: str, lunch: str | None, *shorts: str,
          short_min: int = 15) -> Assignment:
    """E1's Sunday shift with a 30-minute lunch and short breaks; paid hours leave out the
    lunch only (short breaks are paid)."""
    breaks = ((at(lunch), at(lunch) + dt.timedelta(minutes=30)),) if lunch else ()
    short = tuple((at(s), at(s) + dt.timedelta(minutes=short_min)) for s in shorts)
    paid = (at(end) - at(start) - sum((e - s for s, e in breaks), dt.timedelta()))
    hours = paid.total_seconds() / 3600
    return Assignment(employee_id="E1", day=WEEK, start=at(start), end=at(end), breaks=breaks,
                      short_breaks=short, paid_hours=hours, cost=RATE * hours)


def messages(*assignments: Assignment) -> list[str]:
    violations = check_roster(WORKBOOK, Roster(week_start=WEEK, assignments=assignments))
    return [v.message for v in violations]


def test_legal_short_breaks_pass_and_are_paid() -> None:
    assert messages(shift("08:00", "16:00", "12:00", "10:00", "14:00")) == []
    assert messages(shift("08:00", "13:00", None, "10:00")) == []  # 5 h: one, no lunch
    assert messages(shift("08:00", "12:00", None)) == []  # 4 h: none


def test_missing_and_extra_short_breaks() -> None:
    assert messages(shift("08:00", "16:00", "12:00", "10:00")) == [
        "E1 Sun 29-11: shift 08:00-16:00 (8 h) has 1 short breaks, contract FT needs 2 (two "
        "around the lunch after 6 h, one after 4 h without it)"]
    assert messages(shift("08:00", "12:00", None, "10:00")) == [
        "E1 Sun 29-11: shift 08:00-12:00 (4 h) has 1 short breaks, contract FT needs 0 (two "
        "around the lunch after 6 h, one after 4 h without it)"]


def test_wrong_length_and_off_the_grid() -> None:
    assert messages(shift("08:00", "13:00", None, "10:00", short_min=20)) == [
        "E1 Sun 29-11: short break 10:00-10:20 of shift 08:00-13:00 is 20 min, contract FT "
        "gives 15"]
    assert messages(shift("08:00", "13:00", None, "10:05")) == [
        "E1 Sun 29-11: short break 10:05-10:20 of shift 08:00-13:00 does not start on the "
        "15-minute interval grid"]


def test_too_close_to_the_shift_edges() -> None:
    assert messages(shift("08:00", "13:00", None, "08:45")) == [
        "E1 Sun 29-11: short break 08:45-09:00 of shift 08:00-13:00 is 0.75 h after the shift "
        "start, contract FT needs 1 h"]
    assert messages(shift("08:00", "13:00", None, "12:00")) == [
        "E1 Sun 29-11: short break 12:00-12:15 of shift 08:00-13:00 is 0.75 h before the shift "
        "end, contract FT needs 1 h"]
    assert messages(shift("08:00", "13:00", None, "11:45")) == []  # exactly 1 h


def test_too_close_to_the_lunch() -> None:
    assert messages(shift("08:00", "16:00", "12:00", "11:00", "14:00")) == [
        "E1 Sun 29-11: short break 11:00-11:15 of shift 08:00-16:00 is 0.75 h before the lunch "
        "12:00-12:30, contract FT needs 1 h"]
    assert messages(shift("08:00", "16:00", "12:00", "10:45", "13:30")) == []  # 1 h each
    assert messages(shift("08:00", "16:00", "12:00", "10:00", "13:15")) == [
        "E1 Sun 29-11: short break 13:15-13:30 of shift 08:00-16:00 is 0.75 h after the lunch "
        "12:00-12:30, contract FT needs 1 h"]


def test_both_short_breaks_on_one_side_of_the_lunch() -> None:
    assert messages(shift("08:00", "16:00", "10:00", "11:30", "13:45")) == [
        "E1 Sun 29-11: short breaks of shift 08:00-16:00 are not one before the lunch "
        "10:00-10:30 and one after it"]


def test_nobody_is_on_duty_during_a_short_break() -> None:
    a = shift("08:00", "13:00", None, "10:00")
    roster = Roster(week_start=WEEK, assignments=(a,))
    assert on_duty(WORKBOOK, roster, at("10:00")) == set()
    assert on_duty(WORKBOOK, roster, at("10:15")) == {"E1"}
    allocation = pd.DataFrame({"queue": ["Q1", "Q1"], "interval_start": [at("09:45"),
                                                                         at("10:00")],
                               "scheduled_agents": [1, 1]})
    violations = check_roster(WORKBOOK, roster, allocation=allocation)
    assert [v.message for v in violations] == [
        "Sun 29-11 10:00: 1 agents scheduled on Q1 but only 0 agents with that skill are on "
        "duty",
        "Sun 29-11 10:00: 1 agents scheduled on queues but only 0 agents are on duty",
        "Sun 29-11 10:00: 1 agents scheduled on queues but at most 0 can be served by the 0 "
        "agents on duty, one queue each (short: Q1 0 of 1)"]
