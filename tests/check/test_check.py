"""The independent roster checker: each hard rule alone, passing and broken, plus properties."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inputs.domain import (
    Assignment,
    Availability,
    AvailabilityKind,
    Center,
    Contract,
    Employee,
    OpeningSpan,
    Premium,
    PremiumKind,
    Queue,
    Role,
    Roster,
    Workbook,
)
from scheduler.check import RosterCheckError, Violation, check_roster, require_valid_roster
from scheduler.check import allocation as check_allocation
from scheduler.check.allocation import on_duty
from tests.conftest import WEEK

RATE = 50.0
CONTRACT = Contract(
    contract_id="FT", min_weekly_hours=0, max_weekly_hours=45, max_days=5,
    min_shift_hours=4, max_shift_hours=9, earliest_start=7 * 60, latest_end=21 * 60,
    max_consecutive_days=5, min_rest_hours=11, break_minutes=30, break_after_hours=6,
    break_window_start_h=2, break_window_end_h=5, shift_step_minutes=30,
)
BASE = Workbook(
    center=Center(name="Test", interval_minutes=15),
    opening_hours=tuple(OpeningSpan(weekday=d, open_min=8 * 60, close_min=20 * 60)
                        for d in range(7)),
    queues=(Queue(queue_id="Q1", name="One"), Queue(queue_id="Q2", name="Two")),
    employees=(
        Employee(employee_id="E1", name="Ann", role=Role.AGENT, team="T", contract_id="FT",
                 hourly_cost=RATE, skills=("Q1",)),
        Employee(employee_id="E2", name="Ben", role=Role.AGENT, team="T", contract_id="FT",
                 hourly_cost=RATE, skills=("Q1", "Q2")),
        Employee(employee_id="E3", name="Cal", role=Role.SHIFT_LEAD, team="T", contract_id="FT",
                 hourly_cost=RATE, skills=("Q1", "Q2")),
    ),
    contracts=(CONTRACT,),
)
ALL_DAY = tuple(OpeningSpan(weekday=d, open_min=0, close_min=1440) for d in range(7))


def at(day: int, hhmm: str) -> dt.datetime:
    """Day index in the test week (0 = Sunday; may run past 24:00) and a clock time."""
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return dt.datetime.combine(WEEK, dt.time()) + dt.timedelta(days=day, hours=hours,
                                                               minutes=minutes)


def shift(emp: str, day: int, start: str, end: str, brk: str | None = None, *,
          brk_min: int = 30, **override: object) -> Assignment:
    """A shift with one break starting at `brk`; paid hours and cost (no premiums) derived."""
    s, e = at(day, start), at(day, end)
    if e <= s:
        e += dt.timedelta(days=1)
    breaks: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    if brk is not None:
        b = at(day, brk) + dt.timedelta(days=int(at(day, brk) < s))  # a night break: next day
        breaks = ((b, b + dt.timedelta(minutes=brk_min)),)
    paid = ((e - s) - sum((c - b for b, c in breaks), dt.timedelta())).total_seconds() / 3600
    fields: dict[str, object] = {"employee_id": emp, "day": s.date(), "start": s, "end": e,
                                 "breaks": breaks, "paid_hours": paid, "cost": RATE * paid}
    fields.update(override)
    return Assignment(**fields)  # type: ignore[arg-type]


def roster(*assignments: Assignment) -> Roster:
    return Roster(week_start=WEEK, assignments=assignments)


def wb(contract: dict[str, object] | None = None, **changes: object) -> Workbook:
    """The base workbook with contract fields and workbook fields changed."""
    if contract:
        changes["contracts"] = (dataclasses.replace(CONTRACT, **contract),)  # type: ignore[arg-type]
    return dataclasses.replace(BASE, **changes)  # type: ignore[arg-type]


def rules(violations: list[Violation]) -> list[str]:
    return sorted(v.rule for v in violations)


def only(violations: list[Violation], rule: str, *numbers: str) -> Violation:
    """Exactly one violation, of `rule`, whose message names each of `numbers`."""
    assert rules(violations) == [rule], [v.message for v in violations]
    for number in numbers:
        assert number in violations[0].message, violations[0].message
    return violations[0]


GOOD = shift("E1", 0, "08:00", "16:30", "12:00")  # 8.5 h with a 30-minute break: 8 paid h


def test_valid_roster_has_no_violations() -> None:
    assert check_roster(BASE, roster(GOOD, shift("E2", 1, "11:30", "20:00", "15:00"))) == []
    require_valid_roster(BASE, roster(GOOD))


def test_require_valid_roster_raises_with_every_violation() -> None:
    bad = roster(shift("E1", 0, "08:00", "16:30"), shift("E9", 0, "08:00", "12:00"))
    with pytest.raises(RosterCheckError) as err:
        require_valid_roster(BASE, bad)
    assert rules(err.value.violations) == ["breaks", "unknown_employee"]
    assert "E9" in str(err.value) and "2 hard rule(s)" in str(err.value)


# --- rule 1: who and when ---------------------------------------------------------------


def test_unknown_employee() -> None:
    v = only(check_roster(BASE, roster(GOOD, shift("E9", 0, "08:00", "12:00"))),
             "unknown_employee", "E9", "08:00-12:00")
    assert v.employee_id == "E9" and v.day == WEEK


def test_one_shift_per_day() -> None:
    no_rest = wb({"min_rest_hours": 0})
    two = roster(shift("E1", 0, "08:00", "12:00"), shift("E1", 0, "14:00", "18:00"))
    only(check_roster(no_rest, two), "one_shift_per_day", "14:00-18:00")


def test_overlapping_night_shifts() -> None:
    night = wb({"earliest_start": 0, "latest_end": 2880, "min_rest_hours": 0},
               opening_hours=ALL_DAY)
    first = shift("E1", 0, "20:00", "04:00", "00:00")  # crosses midnight; 24/7 spans merge
    assert check_roster(night, roster(first, shift("E1", 1, "04:00", "10:00"))) == []
    v = only(check_roster(night, roster(first, shift("E1", 1, "03:00", "09:00"))),
             "overlap", "03:00-09:00", "20:00-04:00")
    assert v.day == WEEK + dt.timedelta(days=1)


def test_shift_day_outside_week_and_not_its_start_date() -> None:
    only(check_roster(BASE, roster(shift("E1", 7, "08:00", "16:30", "12:00"))), "shift_day")
    moved = dataclasses.replace(GOOD, day=WEEK + dt.timedelta(days=1))
    assert "shift_day" in rules(check_roster(BASE, roster(moved)))


# --- rules 2 and 3: grid and length -----------------------------------------------------


def test_interval_grid() -> None:
    only(check_roster(BASE, roster(shift("E1", 0, "08:05", "16:35", "12:00"))),
         "interval_grid", "08:05", "16:35", "15-minute")


def test_shift_ends_before_it_starts() -> None:
    backwards = dataclasses.replace(GOOD, start=at(0, "16:00"), end=at(0, "08:00"), breaks=(),
                                    paid_hours=0.0, cost=0.0)
    only(check_roster(BASE, roster(backwards)), "shift_order", "16:00-08:00")


def test_shift_length_against_contract() -> None:
    only(check_roster(BASE, roster(shift("E1", 0, "08:00", "19:30", "12:00"))),
         "shift_length", "E1 Sun 29-11", "11.5 h", "4-9 h")
    only(check_roster(BASE, roster(shift("E1", 0, "08:00", "11:30"))), "shift_length", "3.5 h")


def test_no_shift_over_twelve_hours_whatever_the_contract() -> None:
    long_ok = wb({"max_shift_hours": 14, "earliest_start": 0, "latest_end": 1440})
    assert check_roster(long_ok, roster(shift("E1", 0, "08:00", "20:00", "12:00"))) == []
    only(check_roster(wb({"max_shift_hours": 14, "latest_end": 1440},
                         opening_hours=ALL_DAY),
                      roster(shift("E1", 0, "08:00", "20:30", "12:00"))),
         "shift_length", "12.5 h", "4-12 h")


def test_shift_step() -> None:
    assert check_roster(BASE, roster(shift("E1", 0, "08:00", "12:30"))) == []
    only(check_roster(BASE, roster(shift("E1", 0, "08:00", "12:15"))),
         "shift_step", "4.25 h", "30 min")


# --- rule 4: contract window and opening hours ------------------------------------------


def test_contract_window() -> None:
    late = wb({"earliest_start": 9 * 60})
    assert check_roster(late, roster(shift("E1", 0, "09:00", "17:30", "13:00"))) == []
    only(check_roster(late, roster(GOOD)), "contract_window", "08:00-16:30", "09:00-21:00")


def test_opening_hours_close_and_holiday() -> None:
    only(check_roster(BASE, roster(shift("E1", 0, "12:00", "20:30", "15:00"))),
         "opening_hours", "12:00-20:30", "08:00-20:00")
    holiday = (*BASE.opening_hours, OpeningSpan(date=WEEK, open_min=0, close_min=0))
    only(check_roster(wb(opening_hours=holiday), roster(GOOD)), "opening_hours", "closed")


def test_shift_must_fit_one_span() -> None:
    split = tuple(OpeningSpan(weekday=6, open_min=a, close_min=b)
                  for a, b in ((480, 720), (780, 1200)))
    only(check_roster(wb(opening_hours=split), roster(GOOD)), "opening_hours",
         "08:00-12:00, 13:00-20:00")
    touching = tuple(OpeningSpan(weekday=6, open_min=a, close_min=b)
                     for a, b in ((480, 720), (720, 1200)))
    assert check_roster(wb(opening_hours=touching), roster(GOOD)) == []


# --- rule 5: breaks and paid hours ------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (shift("E1", 0, "08:00", "16:30"), ["has 0 breaks", "needs 1", "6 h"]),
        (shift("E1", 0, "08:00", "12:00", "10:00"), ["has 1 breaks", "needs 0"]),
        (shift("E1", 0, "08:00", "16:30", "09:30"), ["1.5 h in", "2-5 h"]),
        (shift("E1", 0, "08:00", "16:30", "13:30"), ["5.5 h in", "2-5 h"]),
        (shift("E1", 0, "08:00", "16:30", "12:00", brk_min=45), ["45 min, not 30"]),
        (shift("E1", 0, "08:00", "16:30", "12:05"), ["12:05-12:35", "15-minute"]),
    ],
)
def test_break_rules(bad: Assignment, words: list[str]) -> None:
    only(check_roster(BASE, roster(bad)), "breaks", *words)


def test_break_window_is_inclusive_and_six_hours_needs_none() -> None:
    edges = roster(shift("E1", 0, "08:00", "16:30", "10:00"),
                   shift("E2", 0, "08:00", "16:30", "13:00"),
                   shift("E3", 0, "08:00", "14:00"))
    assert check_roster(BASE, edges) == []


def test_break_outside_the_shift() -> None:
    bad = shift("E1", 0, "08:00", "14:30", "14:15", brk_min=30)
    msgs = [v.message for v in check_roster(wb({"break_window_end_h": 7}), roster(bad))]
    assert any("not inside the shift" in m for m in msgs), msgs


def test_paid_hours() -> None:
    only(check_roster(BASE, roster(dataclasses.replace(GOOD, paid_hours=8.5))),
         "paid_hours", "8.5 paid h", "8 h")


# --- rules 6 and 7: the week ------------------------------------------------------------


def test_weekly_hours_minimum_counts_employees_without_shifts() -> None:
    one = wb({"min_weekly_hours": 8}, employees=BASE.employees[:1])
    assert check_roster(one, roster(GOOD)) == []
    only(check_roster(wb({"min_weekly_hours": 30}, employees=BASE.employees[:1]), roster(GOOD)),
         "weekly_hours", "8 paid h", "30-45 h")
    v = only(check_roster(one, roster()), "weekly_hours", "0 paid h")
    assert v.employee_id == "E1" and v.day is None


def three_days() -> Roster:
    return roster(*(shift("E1", d, "08:00", "16:30", "12:00") for d in (0, 1, 2)))


def test_weekly_hours_maximum() -> None:
    assert check_roster(wb({"max_weekly_hours": 24}), three_days()) == []
    only(check_roster(wb({"max_weekly_hours": 20}), three_days()), "weekly_hours",
         "24 paid h", "0-20 h")


def test_max_days() -> None:
    assert check_roster(wb({"max_days": 3}), three_days()) == []
    only(check_roster(wb({"max_days": 2}), three_days()), "max_days", "works 3 days", "allows 2")


def test_consecutive_days() -> None:
    gap = roster(*(shift("E1", d, "08:00", "16:30", "12:00") for d in (0, 1, 3, 4)))
    assert check_roster(wb({"max_consecutive_days": 2}), gap) == []
    only(check_roster(wb({"max_consecutive_days": 2}), three_days()), "consecutive_days",
         "3 days in a row", "Sun 29-11 to Tue 01-12", "allows 2")


def test_min_rest() -> None:
    pair = roster(shift("E1", 0, "12:00", "20:00", "15:00"),
                  shift("E1", 1, "08:00", "16:00", "10:00"))
    assert check_roster(wb({"min_rest_hours": 12}), pair) == []  # exactly 12 h
    v = only(check_roster(wb({"min_rest_hours": 12.5}), pair), "min_rest", "starts 12 h after",
             "20:00", "12.5 h rest")
    assert v.day == WEEK + dt.timedelta(days=1)


SIX_DAYS: dict[str, object] = {"max_days": 7, "max_consecutive_days": 7, "max_weekly_hours": 50}


def test_weekly_rest() -> None:
    """Sun-Fri 08:00-16:30, the week taken to repeat: Friday 16:30 to Sunday 08:00 is 39.5 h."""
    six = roster(*(shift("E1", d, "08:00", "16:30", "12:00") for d in range(6)))
    assert check_roster(wb(SIX_DAYS | {"weekly_rest_hours": 39.5}), six) == []
    v = only(check_roster(wb(SIX_DAYS | {"weekly_rest_hours": 40}), six), "weekly_rest",
             "longest unbroken rest is 39.5 h", "Fri 04-12 16:30 to Sun 06-12 08:00",
             "needs 40 h once a week")
    assert v.employee_id == "E1" and v.day is None
    every = roster(*(shift("E1", d, "08:00", "16:30", "12:00") for d in range(7)))
    only(check_roster(wb(SIX_DAYS | {"max_weekly_hours": 60}), every), "weekly_rest",
         "longest unbroken rest is 15.5 h")
    assert check_roster(wb(SIX_DAYS | {"weekly_rest_hours": 0}), six) == []
    assert check_roster(wb(SIX_DAYS), roster()) == []


def last_week(*shifts: Assignment) -> Roster:
    return Roster(week_start=WEEK - dt.timedelta(days=7), assignments=shifts)


def test_weekly_rest_counts_from_last_weeks_last_shift() -> None:
    """Off Saturday only, with last week's roster: after its last shift ending Friday 16:30, the
    rest up to Sunday 08:00 is 39.5 h; after one ending Saturday 16:30 the longest is the
    31.5 h from this Friday 16:30 to the week's end."""
    six = roster(*(shift("E1", d, "08:00", "16:30", "12:00") for d in range(6)))
    rules7 = wb(SIX_DAYS)
    friday = last_week(shift("E1", -2, "08:00", "16:30", "12:00"))
    assert check_roster(rules7, six, previous=friday) == []
    saturday = last_week(shift("E1", -1, "08:00", "16:30", "12:00"))
    only(check_roster(rules7, six, previous=saturday), "weekly_rest", "31.5 h")


def test_min_rest_and_consecutive_days_across_weeks() -> None:
    monday = roster(shift("E1", 0, "08:00", "16:30", "12:00"))
    late = last_week(shift("E1", -1, "12:00", "20:00", "15:00"))
    assert check_roster(wb({"min_rest_hours": 12}), monday, previous=late) == []
    v = only(check_roster(wb({"min_rest_hours": 12.5}), monday, previous=late), "min_rest",
             "starts 12 h after last week's shift 12:00-20:00 of Sat 28-11", "12.5 h rest")
    assert v.day == WEEK
    run = last_week(*(shift("E1", d, "08:00", "16:30", "12:00") for d in (-3, -2, -1)))
    two = roster(*(shift("E1", d, "08:00", "16:30", "12:00") for d in (0, 1)))
    only(check_roster(wb({"max_consecutive_days": 4}), two, previous=run), "consecutive_days",
         "works 5 days in a row (Thu 26-11 to Mon 30-11, counting last week's)", "allows 4")
    assert check_roster(wb({"max_consecutive_days": 5}), two, previous=run) == []
    gap = last_week(*(shift("E1", d, "08:00", "16:30", "12:00") for d in (-4, -3, -2)))
    assert check_roster(wb({"max_consecutive_days": 2}), two, previous=gap) == []


def test_fixed_shifts_and_fixed_days_off() -> None:
    from inputs.domain import FixedShift

    pinned = (FixedShift(employee_id="E1", date=WEEK, start_min=8 * 60, end_min=16 * 60 + 30,
                         row=2),
              FixedShift(employee_id="E1", date=WEEK + dt.timedelta(days=1), off=True, row=3),
              FixedShift(employee_id="E1", date=WEEK + dt.timedelta(days=9), off=True, row=4))
    rules_ = wb(fixed_shifts=pinned)
    assert check_roster(rules_, roster(GOOD)) == []
    v = only(check_roster(rules_, roster(shift("E1", 0, "08:30", "17:00", "12:00"))),
             "fixed_shifts", "E1 Sun 29-11", "FixedShifts row 2 fixes 08:00-16:30",
             "the roster has 08:30-17:00")
    assert v.day == WEEK
    only(check_roster(rules_, roster()), "fixed_shifts", "the roster has no shift")
    monday = shift("E1", 1, "08:00", "16:30", "12:00")
    only(check_roster(rules_, roster(GOOD, monday)), "fixed_shifts",
         "E1 Mon 30-11: works 08:00-16:30 on a fixed day off (FixedShifts row 3)")


def test_night_shift_with_latest_end_midnight_and_the_centers_daily_cap() -> None:
    """A latest end of 24:00 sets no limit where the center is open around the clock; the
    longest shift is Center!max_daily_hours, counted whole on the day it starts."""
    night = wb({"earliest_start": 0, "latest_end": 1440, "max_shift_hours": 10},
               opening_hours=ALL_DAY)
    overnight = roster(shift("E1", 0, "22:00", "06:00", "01:00"))
    assert check_roster(night, overnight) == []
    short_days = dataclasses.replace(night, center=Center(name="Test", interval_minutes=15,
                                                          max_daily_hours=7.5))
    only(check_roster(short_days, overnight), "shift_length", "8 h", "4-7.5 h",
         "(no shift over 7.5 h)")


# --- rule 8: availability ---------------------------------------------------------------


def off(**kw: object) -> tuple[Availability, ...]:
    return (Availability(employee_id="E1", **kw),)  # type: ignore[arg-type]


def test_unavailable_by_date_includes_break_time() -> None:
    assert check_roster(wb(availability=off(date=WEEK, start_min=990, end_min=1200)),
                        roster(GOOD)) == []  # starts as the shift ends
    only(check_roster(wb(availability=off(date=WEEK, start_min=720, end_min=750)), roster(GOOD)),
         "availability", "12:00-12:30")
    only(check_roster(wb(availability=off(date=WEEK)), roster(GOOD)), "availability",
         "00:00-24:00")


def test_unavailable_by_weekday_and_other_kinds_ignored() -> None:
    monday = off(weekday=0, start_min=600, end_min=660)
    assert check_roster(wb(availability=monday), roster(GOOD)) == []
    only(check_roster(wb(availability=monday), roster(shift("E1", 1, "08:00", "16:30", "12:00"))),
         "availability", "Mon 30-11")
    avoid = off(date=WEEK, kind=AvailabilityKind.AVOID)
    assert check_roster(wb(availability=avoid), roster(GOOD)) == []


# --- rule 9: cost -----------------------------------------------------------------------

PREMIUMS = (
    Premium(name="evening", kind=PremiumKind.TIME, multiplier=1.25, start_min=1140, end_min=1440),
    Premium(name="friday", kind=PremiumKind.DAY, multiplier=1.5, weekday=4),
    Premium(name="overtime", kind=PremiumKind.OVERTIME, multiplier=2.0, after_hours=40),
)


def test_cost_with_time_premium() -> None:
    # 12:00-20:00, break 15:00: 6.5 h at 50 + 1 h after 19:00 at 50 x 1.25 = 325 + 62.5.
    sunday = shift("E1", 0, "12:00", "20:00", "15:00", cost=387.5)
    assert check_roster(wb(premiums=PREMIUMS), roster(sunday)) == []
    only(check_roster(wb(premiums=PREMIUMS), roster(dataclasses.replace(sunday, cost=375.0))),
         "cost", "375.00", "387.50", "7.5 paid h")


def test_cost_takes_largest_premium_not_product() -> None:
    # Friday 12:00-20:00: all 7.5 paid h at x1.5 (the evening x1.25 does not stack) = 562.5.
    friday = shift("E1", 5, "12:00", "20:00", "15:00", cost=562.5)
    assert check_roster(wb(premiums=PREMIUMS), roster(friday)) == []
    only(check_roster(wb(premiums=PREMIUMS), roster(dataclasses.replace(friday, cost=581.25))),
         "cost", "562.50")


def test_cost_day_premium_follows_the_calendar_day_of_each_minute() -> None:
    # Thursday 20:00-04:00, break 00:00-00:30: 4 h Thursday (x1.25 evening), 3.5 h Friday x1.5.
    night = wb({"earliest_start": 0, "latest_end": 2880}, opening_hours=ALL_DAY,
               premiums=PREMIUMS)
    thursday = shift("E1", 4, "20:00", "04:00", "00:00", cost=4 * 62.5 + 3.5 * 75)
    assert check_roster(night, roster(thursday)) == []


# --- rule 10: queue allocation ----------------------------------------------------------


def alloc(*rows: tuple[str, str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {"queue": [q for q, _, _ in rows],
         "interval_start": [pd.Timestamp(at(0, t)) for _, t, _ in rows],
         "scheduled_agents": [n for _, _, n in rows]}
    )


TEAM = roster(GOOD, shift("E2", 0, "08:00", "16:30", "12:00"),
              shift("E3", 0, "08:00", "16:30", "12:00"))


def test_allocation_feasible() -> None:
    ok = alloc(("Q1", "09:00", 1), ("Q2", "09:00", 1), ("Q1", "12:30", 2), ("Q2", "12:00", 0))
    assert check_roster(BASE, TEAM, allocation=ok) == []


def test_allocation_more_than_skilled_on_duty() -> None:
    found = check_roster(BASE, TEAM, allocation=alloc(("Q2", "09:00", 2)))
    assert rules(found) == ["allocation_flow", "allocation_skill"]
    skill = next(v for v in found if v.rule == "allocation_skill")
    assert "2 agents scheduled on Q2 but only 1" in skill.message and "09:00" in skill.message


def test_allocation_during_breaks_and_leads_do_not_count() -> None:
    found = check_roster(BASE, TEAM, allocation=alloc(("Q1", "12:00", 1)))
    assert rules(found) == ["allocation_flow", "allocation_skill", "allocation_total"]
    total = next(v for v in found if v.rule == "allocation_total")
    assert "1 agents scheduled on queues but only 0 agents are on duty" in total.message
    found = check_roster(BASE, TEAM, allocation=alloc(("Q1", "09:00", 3)))
    assert "allocation_total" in rules(found)  # the shift lead E3 is not an agent


def test_allocation_flow_only_when_each_count_passes() -> None:
    three = wb(queues=(*BASE.queues, Queue(queue_id="Q3", name="Three")),
               employees=(*BASE.employees[:2],
                          dataclasses.replace(BASE.employees[0], employee_id="E4",
                                              skills=("Q3",))))
    team = roster(GOOD, shift("E2", 0, "08:00", "16:30", "12:00"),
                  shift("E4", 0, "08:00", "16:30", "12:00"))
    only(check_roster(three, team, allocation=alloc(("Q1", "09:00", 2), ("Q2", "09:00", 1))),
         "allocation_flow", "3 agents scheduled", "at most 2", "short: ")


def test_allocation_needs_augmenting_path() -> None:
    # E1 (Q1, Q2) and E2 (Q1, Q3): greedy E1 -> Q1 strands E2; the max-flow moves E1 to Q2.
    served = check_allocation._max_served
    assert served([("Q1", "Q2"), ("Q1", "Q3")], {"Q1": 1, "Q2": 1}) == {"Q1": 1, "Q2": 1}
    assert served([("Q1",), ("Q1",)], {"Q1": 1, "Q2": 1}) == {"Q1": 1, "Q2": 0}


def test_allocation_unknown_queue() -> None:
    only(check_roster(BASE, TEAM, allocation=alloc(("Q9", "09:00", 1))), "allocation_queue",
         "'Q9'")


def test_on_duty_excludes_breaks_and_shift_end() -> None:
    assert on_duty(BASE, TEAM, at(0, "11:59")) == {"E1", "E2", "E3"}
    assert on_duty(BASE, TEAM, at(0, "12:10")) == set()
    assert on_duty(BASE, TEAM, at(0, "12:30")) == {"E1", "E2", "E3"}
    assert on_duty(BASE, TEAM, at(0, "16:30")) == set()


# --- properties: rosters built to respect every rule pass; a wrong cost is caught -------

MULTIPLIERS = st.sampled_from([1.1, 1.25, 1.5, 2.0])


def _paid_minutes(a: Assignment) -> list[dt.datetime]:
    """Every paid minute of a shift, one by one (the test's own slow oracle)."""
    minutes, t = [], a.start
    while t < a.end:
        if not any(s <= t < e for s, e in a.breaks):
            minutes.append(t)
        t += dt.timedelta(minutes=1)
    return minutes


def _minute_cost(rate: float, premiums: tuple[Premium, ...], a: Assignment) -> float:
    total = 0.0
    for t in _paid_minutes(a):
        clock = t.hour * 60 + t.minute
        hits = [p.multiplier for p in premiums
                if (p.kind is PremiumKind.DAY and p.weekday == t.weekday())
                or (p.kind is PremiumKind.TIME
                    and (p.start_min or 0) <= clock < (p.end_min or 1440))]
        total += rate / 60 * max([1.0, *hits])
    return total


def _draw_premiums(draw: st.DrawFn) -> tuple[Premium, ...]:
    start = draw(st.integers(0, 1400))
    timed = st.builds(Premium, name=st.just("t"), kind=st.just(PremiumKind.TIME),
                      multiplier=MULTIPLIERS, start_min=st.just(start),
                      end_min=st.integers(start + 1, 1440))
    daily = st.builds(Premium, name=st.just("d"), kind=st.just(PremiumKind.DAY),
                      multiplier=MULTIPLIERS, weekday=st.integers(0, 6))
    return tuple(draw(st.lists(st.one_of(timed, daily), max_size=3)))


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    workbook: Workbook
    roster: Roster
    allocation: pd.DataFrame


@st.composite
def valid_cases(draw: st.DrawFn) -> Case:
    """A small random workbook and a roster built, shift by shift, to respect every rule."""
    interval = draw(st.sampled_from([15, 30]))
    grid = st.integers(0, 1440 // interval).map(lambda k: k * interval)
    step = interval * draw(st.integers(1, 2))
    low = draw(st.sampled_from([240, 240 + interval, 300]))
    lengths = [n for n in range(low, 721, step)][: draw(st.integers(1, 12))]
    around_clock = draw(st.booleans())
    earliest = draw(grid.filter(lambda m: m <= 600))
    latest = draw(st.integers(1080, 1800 if around_clock else 1440))
    contract = dataclasses.replace(
        CONTRACT, min_shift_hours=low / 60, max_shift_hours=lengths[-1] / 60,
        shift_step_minutes=step, earliest_start=earliest, latest_end=latest,
        min_rest_hours=draw(st.sampled_from([8, 11, 12])),
        break_minutes=interval * draw(st.integers(1, 2)),
        break_after_hours=draw(st.sampled_from([5, 6])),
        break_window_end_h=draw(st.sampled_from([4, 5])),
    )
    if around_clock:
        opening, hours = ALL_DAY, [(0, 10**6)] * 7
    else:
        hours = [(draw(grid.filter(lambda m: 300 <= m <= 600)),
                  draw(grid.filter(lambda m: m >= 1080))) for _ in range(7)]
        opening = tuple(OpeningSpan(weekday=(6 + i) % 7, open_min=a, close_min=b)
                        for i, (a, b) in enumerate(hours))
    queues = tuple(Queue(queue_id=f"Q{i}", name=f"Q{i}") for i in range(draw(st.integers(1, 3))))
    employees = tuple(
        Employee(employee_id=f"E{i}", name=f"E{i}", role=draw(st.sampled_from(list(Role))),
                 team="T", contract_id="FT", hourly_cost=draw(st.sampled_from([40.0, 55.5])),
                 skills=tuple(draw(st.lists(st.sampled_from([q.queue_id for q in queues]),
                                            min_size=1, max_size=3, unique=True))))
        for i in range(draw(st.integers(1, 3)))
    )
    premiums = _draw_premiums(draw)
    shifts: list[Assignment] = []
    unavailable: list[Availability] = []
    for emp in employees:
        free_from = last_end = dt.datetime.combine(WEEK, dt.time()) - dt.timedelta(days=1)
        for day in range(7):
            length = draw(st.sampled_from(lengths))
            opens, closes = max(earliest, hours[day][0]), min(latest, hours[day][1])
            base = at(day, "00:00")
            first = max(opens, int((free_from - base).total_seconds() // 60))
            first += -first % interval
            last_start = min(closes - length, 1440 - interval)
            if not draw(st.booleans()) or first > last_start:
                if draw(st.booleans()) and last_end <= base:
                    unavailable.append(Availability(employee_id=emp.employee_id, date=base.date()))
                continue
            start = draw(st.integers(first // interval, last_start // interval)) * interval
            s, e = base + dt.timedelta(minutes=start), base + dt.timedelta(minutes=start + length)
            breaks: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
            if length > contract.break_after_hours * 60:
                brk = contract.break_minutes
                last = min(contract.break_window_end_h * 60, length - brk)
                offset = draw(st.integers(120 // interval, int(last) // interval)) * interval
                breaks = ((s + dt.timedelta(minutes=offset),
                           s + dt.timedelta(minutes=offset + brk)),)
            a = Assignment(employee_id=emp.employee_id, day=base.date(), start=s, end=e,
                           breaks=breaks, paid_hours=0.0, cost=0.0)
            paid = len(_paid_minutes(a)) / 60
            shifts.append(dataclasses.replace(
                a, paid_hours=paid, cost=_minute_cost(emp.hourly_cost, premiums, a)))
            spill = max(0, int((last_end - base).total_seconds() // 60))
            if spill < start:
                unavailable.append(Availability(employee_id=emp.employee_id, date=base.date(),
                                                start_min=spill, end_min=start))
            last_end, free_from = e, e + dt.timedelta(hours=contract.min_rest_hours)
    totals = [sum(a.paid_hours for a in shifts if a.employee_id == emp.employee_id)
              for emp in employees]
    days = [sorted(a.day for a in shifts if a.employee_id == emp.employee_id)
            for emp in employees]
    rests = [_longest_rest([a for a in shifts if a.employee_id == emp.employee_id])
             for emp in employees]
    contract = dataclasses.replace(
        contract, min_weekly_hours=min(totals), max_weekly_hours=max(totals),
        max_days=max(len(d) for d in days), max_consecutive_days=max(_longest_run(d) for d in days),
        weekly_rest_hours=min(rests),
    )
    workbook = Workbook(center=Center(name="P", interval_minutes=interval), opening_hours=opening,
                        queues=queues, employees=employees, contracts=(contract,),
                        availability=tuple(unavailable), premiums=premiums)
    rost = Roster(week_start=WEEK, assignments=tuple(shifts))
    return Case(workbook=workbook, roster=rost,
                allocation=_random_allocation(workbook, rost, draw(st.randoms())))


def _longest_rest(shifts: list[Assignment]) -> float:
    """Hours of the longest time off between shifts, the week taken to repeat (as the checker
    does without last week's roster): the rest after the last shift runs on to the first
    shift's start a week later, and a night shift past the week's end cuts into next Sunday."""
    spans = sorted((a.start, a.end) for a in shifts)
    if not spans:
        return 168.0
    gaps = [(spans[i + 1][0] - spans[i][1]) for i in range(len(spans) - 1)]
    gaps.append(spans[0][0] + dt.timedelta(days=7) - spans[-1][1])
    return min(max(g.total_seconds() / 3600 for g in gaps), 168.0)


def _longest_run(days: list[dt.date]) -> int:
    best = run = 0
    for i, day in enumerate(days):
        run = run + 1 if i and (day - days[i - 1]).days == 1 else 1
        best = max(best, run)
    return best


def _random_allocation(workbook: Workbook, rost: Roster, rnd: random.Random) -> pd.DataFrame:
    """Each agent on duty in an interval serves one of its skills, or none."""
    step = dt.timedelta(minutes=workbook.center.interval_minutes)
    roles = {e.employee_id: e for e in workbook.employees}
    counts: dict[tuple[str, dt.datetime], int] = {}
    for a in rost.assignments:
        emp, t = roles[a.employee_id], a.start
        while t < a.end:
            if emp.role is Role.AGENT and not any(s < t + step and t < e for s, e in a.breaks):
                choice = rnd.choice([*emp.skills, None])
                if choice is not None:
                    counts[choice, t] = counts.get((choice, t), 0) + 1
            t += step
    return pd.DataFrame({"queue": [q for q, _ in counts],
                         "interval_start": pd.to_datetime([t for _, t in counts]),
                         "scheduled_agents": list(counts.values())},
                        columns=["queue", "interval_start", "scheduled_agents"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=valid_cases())
def test_rosters_built_by_the_rules_pass(case: Case) -> None:
    found = check_roster(case.workbook, case.roster, allocation=case.allocation)
    assert found == [], [v.message for v in found]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=valid_cases(), which=st.integers(0, 100), delta=st.sampled_from([-1.0, 0.02, 5.0]))
def test_a_wrong_cost_is_caught(case: Case, which: int, delta: float) -> None:
    shifts = list(case.roster.assignments)
    if not shifts:
        return
    i = which % len(shifts)
    shifts[i] = dataclasses.replace(shifts[i], cost=shifts[i].cost + delta)
    found = check_roster(case.workbook, dataclasses.replace(case.roster, assignments=tuple(shifts)))
    assert rules(found) == ["cost"]
    assert found[0].employee_id == shifts[i].employee_id and found[0].day == shifts[i].day


def test_full_size_week_checks_fast() -> None:
    """100 agents x 5 shifts, 672 intervals x 12 queues, fully allocated, in well under 2 s."""
    queues = tuple(Queue(queue_id=f"Q{i}", name=f"Q{i}") for i in range(12))
    rnd = random.Random(7)
    employees = tuple(
        Employee(employee_id=f"E{i}", name=f"E{i}", role=Role.AGENT, team="T", contract_id="FT",
                 hourly_cost=RATE, skills=tuple(rnd.sample([q.queue_id for q in queues],
                                                           rnd.randint(1, 4))))
        for i in range(100)
    )
    workbook = Workbook(center=Center(name="Big", interval_minutes=15), opening_hours=ALL_DAY,
                        queues=queues, employees=employees,
                        contracts=(dataclasses.replace(CONTRACT, earliest_start=0,
                                                       latest_end=1440,
                                                       weekly_rest_hours=24),))
    # (Days off that wrap round the week, Saturday and Sunday, leave under 36 h inside it.)
    shifts = []
    for i, emp in enumerate(employees):
        begin = f"{(i * 15 // 60) % 15:02d}:{i * 15 % 60:02d}"
        start = at(0, begin)
        brk = (start + dt.timedelta(hours=3)).strftime("%H:%M")
        end = (start + dt.timedelta(hours=8, minutes=30)).strftime("%H:%M")
        shifts += [shift(emp.employee_id, d, begin, end, brk) for d in range(7)
                   if d not in (i % 7, (i + 1) % 7)]
    rost = Roster(week_start=WEEK, assignments=tuple(shifts))
    allocation = _random_allocation(workbook, rost, rnd)
    began = time.perf_counter()
    found = check_roster(workbook, rost, allocation=allocation)
    elapsed = time.perf_counter() - began
    assert found == [], [v.message for v in found[:5]]
    assert len(allocation) > 2000
    assert elapsed < 2.0, f"{elapsed:.2f} s"
