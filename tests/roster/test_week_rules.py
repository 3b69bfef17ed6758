"""The week's rules (scheduler/roster/week_rules.py), each alone on a tiny instance: a case
that breaks it and a case that does not; soft rules by the penalty they charge."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from inputs.capacity import fixed_shift_conflicts, weekly_hours
from inputs.domain import (
    Assignment,
    Availability,
    AvailabilityKind,
    Center,
    Contract,
    Employee,
    FixedShift,
    InputError,
    OpeningSpan,
    Premium,
    PremiumKind,
    Roster,
    Workbook,
)
from inputs.plan_files import previous_roster
from scheduler.check.core import check_roster
from scheduler.roster import rules, week_rules, wish_rules
from scheduler.roster.extract import extract_roster
from scheduler.roster.model import RosterProblem, build_vars
from scheduler.roster.result import SolveStatus
from scheduler.roster.solve import SolverSettings, solve_roster
from tests.conftest import WEEK, agent, small_workbook
from tests.roster import harness
from tests.roster.harness import (
    FRI,
    MON,
    SAT,
    SUN,
    THU,
    TUE,
    WED,
    Force,
    both,
    charged,
    feasible,
    hhmm,
    problem,
)

CONTRACT = dataclasses.replace(harness.CONTRACT, max_weekly_hours=80)
EVERY_DAY = tuple(OpeningSpan(weekday=d, open_min=8 * 60, close_min=19 * 60) for d in range(7))
ALL_DAY = tuple(OpeningSpan(weekday=d, open_min=0, close_min=1440) for d in range(7))


def person(eid: str, name: str = "Ann", team: str = "T") -> Employee:
    return agent(eid, name=name, team=team)


def workbook(contract: Contract = CONTRACT, opening_hours: tuple[OpeningSpan, ...] = EVERY_DAY,
             **changes: object) -> Workbook:
    return small_workbook(contract, interval_minutes=30, opening_hours=opening_hours, **changes)


def contract(**changes: object) -> Contract:
    return dataclasses.replace(CONTRACT, **changes)  # type: ignore[arg-type]


def works(*shifts: tuple[int, str, float], eid: str = "E1", only: bool = True) -> Force:
    """Force these shifts; unless told otherwise, no other working day for `eid`."""
    return harness.works(*shifts, eid=eid, only=only)


def last_week(*shifts: tuple[int, str, str], eid: str = "E1") -> Roster:
    """Last week's roster; day -1 is the Saturday before WEEK."""
    out = []
    for day, start, end in shifts:
        s = dt.datetime.combine(WEEK, dt.time()) + dt.timedelta(days=day, minutes=hhmm(start))
        e = s + dt.timedelta(minutes=(hhmm(end) - hhmm(start)) % 1440)
        out.append(Assignment(employee_id=eid, day=s.date(), start=s, end=e,
                              paid_hours=(e - s).total_seconds() / 3600, cost=0.0))
    return Roster(week_start=WEEK - dt.timedelta(days=7), assignments=tuple(out))


# --- weekly rest ----------------------------------------------------------------------------

EVERY_DAY_4H = tuple((d, "08:00", 4) for d in range(7))


def test_weekly_rest_needs_one_long_enough_gap() -> None:
    p = problem(workbook())
    assert not feasible(p, week_rules.add_weekly_rest, works(*EVERY_DAY_4H))
    # Off Tuesday: Monday 15:00-19:00 to Wednesday 08:00 is 37 h.
    week = [(SUN, "08:00", 4), (MON, "15:00", 4), (WED, "08:00", 4), (THU, "08:00", 4),
            (FRI, "08:00", 4), (SAT, "08:00", 4)]
    assert feasible(p, week_rules.add_weekly_rest, works(*week))
    strict = problem(workbook(contract(weekly_rest_hours=38)))
    assert not feasible(strict, week_rules.add_weekly_rest, works(*week))
    later = [*week[:2], (WED, "10:00", 4), *week[3:]]  # 39 h
    assert feasible(strict, week_rules.add_weekly_rest, works(*later))


def test_weekly_rest_counts_the_weeks_edges_and_last_weeks_end() -> None:
    # Off Saturday, the week taken to repeat: Friday 12:00 to Sunday 08:00 is 44 h.
    p = problem(workbook())
    assert feasible(p, week_rules.add_weekly_rest, works(*EVERY_DAY_4H[:6]))
    strict = problem(workbook(contract(weekly_rest_hours=45)))
    assert not feasible(strict, week_rules.add_weekly_rest, works(*EVERY_DAY_4H[:6]))
    assert feasible(strict, week_rules.add_weekly_rest, works())  # no work: all rest
    # Working every day: only a rest running back into last week can hold (from Friday 19:00
    # to Sunday 08:00 is 37 h; from Saturday 19:00, 13 h).
    after_friday = problem(workbook(), previous=last_week((-2, "11:00", "19:00")))
    assert feasible(after_friday, week_rules.add_weekly_rest, works(*EVERY_DAY_4H))
    after_saturday = problem(workbook(), previous=last_week((-1, "11:00", "19:00")))
    assert not feasible(after_saturday, week_rules.add_weekly_rest, works(*EVERY_DAY_4H))


def test_weekly_rest_of_zero_hours_is_no_rule() -> None:
    p = problem(workbook(contract(weekly_rest_hours=0)))
    assert feasible(p, week_rules.add_weekly_rest, works(*EVERY_DAY_4H))


@pytest.mark.parametrize("seed", range(2))
def test_weekly_rest_model_agrees_with_the_checker_on_random_weeks(seed: int) -> None:
    """Random weeks (day shifts or around the clock, with or without last week): the model
    accepts a week exactly when the independent checker finds a long enough rest."""
    rnd = random.Random(seed)
    verdicts = []
    for _ in range(12):
        around = rnd.random() < 0.5
        c = contract(earliest_start=0 if around else 480, latest_end=1440 if around else 1140,
                     weekly_rest_hours=rnd.choice([24, 36, 48]), max_shift_hours=10)
        wb = workbook(c, opening_hours=ALL_DAY if around else EVERY_DAY)
        previous = rnd.choice([None, last_week((-1, "20:00", "04:00")),
                               last_week((-2, "08:00", "16:00")), last_week()])
        p = problem(wb, previous=previous)
        v = build_vars(cp_model.CpModel(), p)
        picks = [rnd.choice(v.options_on("E1", d))[1] for d in range(7)
                 if rnd.random() < 0.75]
        force = works(*((o.day, f"{o.start % 1440 // 60:02d}:{o.start % 60:02d}",
                         (o.end - o.start) / 60) for o in picks))
        model_says = feasible(p, week_rules.add_weekly_rest, force)
        start = dt.datetime.combine(WEEK, dt.time())
        week = Roster(week_start=WEEK, assignments=tuple(
            Assignment(employee_id="E1", day=WEEK + dt.timedelta(days=o.day),
                       start=start + dt.timedelta(minutes=o.start),
                       end=start + dt.timedelta(minutes=o.end), paid_hours=0, cost=0)
            for o in picks))
        found = [x for x in check_roster(wb, week, previous=previous) if x.rule == "weekly_rest"]
        assert model_says == (not found), (picks, previous, found)
        verdicts.append(model_says)
    assert True in verdicts and False in verdicts


# --- last week's roster ---------------------------------------------------------------------


def test_consecutive_days_count_last_weeks_final_run() -> None:
    three = workbook(contract(max_consecutive_days=3))
    run_of_three = problem(three, previous=last_week((-3, "08:00", "12:00"),
                                                     (-2, "08:00", "12:00"),
                                                     (-1, "08:00", "12:00")))
    rule = week_rules.add_consecutive_days_across_weeks
    assert not feasible(run_of_three, rule, works((SUN, "08:00", 4)))
    assert feasible(run_of_three, rule, works((MON, "08:00", 4), (TUE, "08:00", 4)))
    run_of_two = problem(three, previous=last_week((-3, "08:00", "12:00"), (-2, "08:00", "12:00")))
    assert feasible(run_of_two, rule, works((SUN, "08:00", 4), (MON, "08:00", 4)))  # Sat off
    ends_saturday = problem(three, previous=last_week((-2, "08:00", "12:00"),
                                                      (-1, "08:00", "12:00")))
    assert feasible(ends_saturday, rule, works((SUN, "08:00", 4)))
    assert not feasible(ends_saturday, rule, works((SUN, "08:00", 4), (MON, "08:00", 4)))
    assert feasible(problem(three), rule, works(*EVERY_DAY_4H))  # no previous: no rule


def test_rest_after_last_weeks_last_shift() -> None:
    p = problem(workbook(contract(min_rest_hours=14)), previous=last_week((-1, "11:00", "19:00")))
    rule = week_rules.add_rest_after_previous_week
    assert not feasible(p, rule, works((SUN, "08:00", 4)))  # 13 h after Saturday 19:00
    assert feasible(p, rule, works((SUN, "09:00", 4)))  # 14 h


# --- fixed shifts ---------------------------------------------------------------------------


def fixed(day: int, start: str | None, end: str | None = None, row: int = 2) -> FixedShift:
    if start is None:
        return FixedShift(employee_id="E1", date=WEEK + dt.timedelta(days=day), off=True,
                          row=row)
    return FixedShift(employee_id="E1", date=WEEK + dt.timedelta(days=day),
                      start_min=hhmm(start), end_min=hhmm(end or "00:00"), row=row)


def test_fixed_shift_is_worked_exactly_and_a_fixed_day_off_is_kept() -> None:
    p = problem(workbook(fixed_shifts=(fixed(MON, "10:00", "16:00"), fixed(TUE, None, row=3))))
    rule = week_rules.add_fixed_shifts
    assert feasible(p, rule, works((MON, "10:00", 6), only=False))
    assert not feasible(p, rule, works((MON, "09:00", 6), only=False))
    assert not feasible(p, rule, works((TUE, "10:00", 6), only=False))
    assert feasible(p, rule, works((MON, "10:00", 6), (WED, "10:00", 6)))
    next_week = problem(workbook(fixed_shifts=(fixed(MON + 7, "10:00", "16:00"),)))
    assert feasible(next_week, rule, works((MON, "08:00", 4)))  # not this week: no rule


def test_a_fixed_shift_that_is_no_shift_option_leaves_no_roster_and_is_explained() -> None:
    wb = workbook(fixed_shifts=(fixed(MON, "07:00", "13:00"),))
    assert not feasible(problem(wb), week_rules.add_fixed_shifts, lambda m, v: None)
    assert fixed_shift_conflicts(wb, WEEK) == [
        "FixedShifts row 2: E1 (Ann) Mon 30-11 07:00-13:00 is outside contract C's hours "
        "08:00-19:00 — change the fixed shift or the contract"
    ]


@pytest.mark.parametrize(("items", "availability", "expected"), [
    ((fixed(MON, "08:00", "10:00"),), (),
     "is 2 h but contract C allows 4-9 h in steps of 60 min — change the fixed shift or the "
     "contract"),
    ((fixed(MON, "08:15", "12:15"),), (),
     "is not on the 30-minute planning grid — move it onto the grid"),
    ((fixed(SAT, "08:00", "12:00"),), (),
     "is outside opening hours — change the fixed shift or the OpeningHours"),
    ((fixed(MON, "08:00", "12:00"),),
     (Availability(employee_id="E1", weekday=0, start_min=11 * 60, end_min=13 * 60),),
     "overlaps time the Availability sheet marks unavailable — remove one of the two rows"),
])
def test_fixed_shift_conflicts_name_the_row_and_the_rule(
    items: tuple[FixedShift, ...], availability: tuple[Availability, ...], expected: str
) -> None:
    open_weekdays = tuple(s for s in EVERY_DAY if s.weekday != 5)  # Saturday closed
    wb = workbook(fixed_shifts=items, availability=availability, opening_hours=open_weekdays)
    item = items[0]
    label = f"{item.date:%a %d-%m} {item.start_min // 60:02d}:{item.start_min % 60:02d}"
    (line,) = fixed_shift_conflicts(wb, WEEK)
    assert line.startswith(f"FixedShifts row 2: E1 (Ann) {label}-")
    assert line.endswith(expected)


def test_fixed_shifts_that_break_rest_days_or_hours_together() -> None:
    wb = workbook(contract(min_rest_hours=14, max_days=2, max_weekly_hours=14),
                  fixed_shifts=(fixed(SUN, "11:00", "19:00", row=2),
                                fixed(MON, "08:00", "12:00", row=3),
                                fixed(WED, "08:00", "12:00", row=4)))
    assert fixed_shift_conflicts(wb, WEEK) == [
        "FixedShifts row 3: E1 (Ann) Mon 30-11 08:00-12:00 starts 13 h after the fixed shift of "
        "row 2 ends, but contract C needs 14 h rest — move one of them",
        "FixedShifts rows 2, 3, 4: E1 (Ann) has 3 fixed working days, but contract C allows 2 "
        "— remove 1 of them",
        "FixedShifts rows 2, 3, 4: E1 (Ann) has 15.5 paid h of fixed shifts, but contract C "
        "allows 14 h a week — shorten or remove one",
    ]
    fine = workbook(fixed_shifts=(fixed(SUN, "11:00", "19:00"), fixed(MON, None, row=3)))
    assert fixed_shift_conflicts(fine, WEEK) == []


def test_fixed_days_shape_the_hours_available() -> None:
    """Seven open days, at most 5 worked, 8.5 paid h each (9 h less a break): 42.5 h. Two
    fixed days off leave the same five; a fixed 4 h shift takes one of the five: 38 h."""
    base = workbook(contract(max_days=5))
    assert weekly_hours(base, WEEK)[0].available_minutes == 5 * 510
    off = dataclasses.replace(base, fixed_shifts=(fixed(SUN, None), fixed(MON, None)))
    assert weekly_hours(off, WEEK)[0].available_minutes == 5 * 510
    short = dataclasses.replace(base, fixed_shifts=(fixed(SUN, "08:00", "12:00"),))
    hours = weekly_hours(short, WEEK)[0]
    assert hours.available_minutes == 4 * 510 + 240 and hours.fixed


# --- wishes ---------------------------------------------------------------------------------


def wish(kind: AvailabilityKind, weekday: int, start: str, end: str) -> Availability:
    return Availability(employee_id="E1", weekday=weekday, start_min=hhmm(start),
                        end_min=hhmm(end), kind=kind)


def test_avoided_hours_cost_one_wish_per_shift_touching_them() -> None:
    p = problem(workbook(availability=(wish(AvailabilityKind.AVOID, 0, "17:00", "19:00"),)))
    rule = wish_rules.add_preferences
    assert charged(p, rule, works((MON, "14:00", 4))) == [
        "E1 (Ann) works Mon 30-11 17:00-19:00, hours they asked to avoid"]
    assert charged(p, rule, works((MON, "08:00", 9))) == []  # ends 17:00: does not touch
    assert charged(p, rule, works((TUE, "14:00", 4))) == []


def test_preferred_hours_cost_one_wish_when_the_days_shift_is_outside_them() -> None:
    p = problem(workbook(availability=(wish(AvailabilityKind.PREFER, 1, "08:00", "13:00"),)))
    rule = wish_rules.add_preferences
    assert charged(p, rule, works((TUE, "08:00", 5))) == []
    assert charged(p, rule, works((TUE, "12:00", 4))) == [
        "E1 (Ann) works Tue 01-12 outside the hours they prefer (08:00-13:00)"]
    assert charged(p, rule, works((WED, "12:00", 4))) == []  # a day off breaks no wish


def test_preference_weight_is_the_centers_and_zero_turns_wishes_off() -> None:
    avoid = (wish(AvailabilityKind.AVOID, 0, "17:00", "19:00"),)
    model = cp_model.CpModel()
    p = problem(workbook(availability=avoid, center=Center(name="t", interval_minutes=30,
                                                           preference_weight=35.5)))
    (penalty,) = wish_rules.add_preferences(model, build_vars(model, p), p)
    assert penalty.weight == 3550 and penalty.rule == "preferences"  # cents
    off = problem(workbook(availability=avoid, center=Center(name="t", interval_minutes=30,
                                                             preference_weight=0)))
    assert charged(off, wish_rules.add_preferences, works((MON, "14:00", 4))) == []


# --- fairness -------------------------------------------------------------------------------

TEAM = (person("E1"), person("E2", "Ben"), person("E3", "Cy"))


def test_weekend_shifts_spread_over_the_team() -> None:
    """Two weekend shifts over three people: the fair share is ceil(2/3) = 1 each."""
    p = problem(workbook(employees=TEAM))
    rule = wish_rules.add_fair_spread
    friday_and_saturday = works((FRI, "08:00", 4), (SAT, "08:00", 4))
    nobody_else = both(works(eid="E2"), works(eid="E3"))
    assert charged(p, rule, both(friday_and_saturday, nobody_else)) == [
        "E1 (Ann) works 1 weekend shift(s) more than the fair share of team T's agents"]
    shared = both(works((FRI, "08:00", 4)), works((SAT, "08:00", 4), eid="E2"),
                  works(eid="E3"))
    assert charged(p, rule, shared) == []


def test_evening_shifts_follow_the_evening_premium_and_last_week_counts() -> None:
    """Evening premium from 17:00: shifts ending after 17:00 are evening shifts."""
    evening = Premium(name="Evening", kind=PremiumKind.TIME, multiplier=1.25,
                      start_min=17 * 60, end_min=24 * 60)
    wb = workbook(employees=TEAM[:2], premiums=(evening,))
    assert wish_rules.evening_start(wb) == 17 * 60
    assert wish_rules.evening_start(workbook()) == 19 * 60
    p = problem(wb)
    rule = wish_rules.add_fair_spread
    two_evenings = both(works((SUN, "13:00", 5), (MON, "13:00", 5)), works(eid="E2"))
    assert charged(p, rule, two_evenings) == [
        "E1 (Ann) works 1 evening shift(s) more than the fair share of team T's agents"]
    mornings = both(works((SUN, "08:00", 9), (MON, "08:00", 9)), works(eid="E2"))
    assert charged(p, rule, mornings) == []  # ending 17:00 is not after 17:00
    # Ben worked two evenings last week: one evening each way this week is fair.
    after = problem(wb, previous=last_week((-3, "13:00", "18:00"), (-2, "13:00", "18:00"),
                                           eid="E2"))
    assert charged(after, rule, two_evenings) == []
    assert charged(after, rule, both(works(), works((SUN, "13:00", 5), eid="E2"))) == [
        "E2 (Ben) works 1 evening shift(s) more than the fair share of team T's agents over "
        "this week and last"]


def test_staff_without_a_team_or_alone_in_theirs_are_not_compared() -> None:
    wb = workbook(employees=(person("E1", team=""), person("E2", "Ben", team="")))
    model = cp_model.CpModel()
    p = problem(wb)
    assert wish_rules.add_fair_spread(model, build_vars(model, p), p) == []
    alone = problem(workbook())
    assert charged(alone, wish_rules.add_fair_spread, works((FRI, "08:00", 4),
                                                            (SAT, "08:00", 4))) == []


# --- the same start time --------------------------------------------------------------------


def test_same_start_costs_each_extra_start_time() -> None:
    p = problem(workbook(contract(same_start=True)))
    rule = wish_rules.add_same_start
    assert charged(p, rule, works((SUN, "08:00", 4), (MON, "08:00", 8))) == []
    assert charged(p, rule, works((SUN, "08:00", 4), (MON, "09:00", 4), (TUE, "10:00", 4))) == [
        "E1 (Ann) starts at 2 more time(s) of day than one; contract C asks for the same start "
        "every day"]
    assert charged(problem(workbook()), rule, works((SUN, "08:00", 4), (MON, "09:00", 4))) == []


# --- night shifts across midnight -----------------------------------------------------------

NIGHT = contract(earliest_start=0, latest_end=1440, max_shift_hours=10, min_rest_hours=10,
                 weekly_rest_hours=0, min_weekly_hours=16, max_weekly_hours=16,
                 break_after_hours=10)


def test_night_shifts_belong_to_their_start_day_and_rest_counts_across_midnight() -> None:
    p = problem(workbook(NIGHT, opening_hours=ALL_DAY))
    model = cp_model.CpModel()
    v = build_vars(model, p)
    night = [o for o in v.options["E1"] if o.day == SUN and o.start == 22 * 60]
    assert [o.end - o.start for o in night] == [240, 300, 360, 420, 480, 540, 600]
    rest = {r.rule_id: r for r in rules.RULES}["min_rest"].add
    assert not feasible(p, rest, works((SUN, "22:00", 8), (MON, "15:00", 8)))  # 9 h after 06:00
    assert feasible(p, rest, works((SUN, "22:00", 8), (MON, "16:00", 8)))
    capped = problem(workbook(NIGHT, opening_hours=ALL_DAY,
                              center=Center(name="t", interval_minutes=30, max_daily_hours=7)))
    model = cp_model.CpModel()
    assert max(o.end - o.start for o in build_vars(model, capped).options["E1"]) == 7 * 60


def test_a_solved_night_roster_passes_the_checker_and_the_capacity_arithmetic() -> None:
    """Calls only at night: the roster works two nights, checked rule by rule and costed
    with the evening premium running to midnight."""
    evening = Premium(name="Evening", kind=PremiumKind.TIME, multiplier=1.25,
                      start_min=19 * 60, end_min=24 * 60)
    wb = workbook(NIGHT, opening_hours=ALL_DAY, premiums=(evening,))
    need = {("A", t): 1 for d in (SUN, TUE) for t in range((d * 1440 + 23 * 60) // 30,
                                                            (d * 1440 + 1440 + 7 * 60) // 30)}
    p = RosterProblem(workbook=wb, week_start=WEEK, queue_required=need, role_required={})
    result = solve_roster(p, SolverSettings(time_limit_s=20, workers=1))
    assert result.status is SolveStatus.OPTIMAL and result.roster is not None
    starts = sorted((a.start.strftime("%a %H:%M"), a.end.strftime("%a %H:%M"))
                    for a in result.roster.assignments)
    assert starts == [("Sun 23:00", "Mon 07:00"), ("Tue 23:00", "Wed 07:00")]
    assert check_roster(wb, result.roster, allocation=result.allocation) == []
    # Each night: 23:00-24:00 at the evening premium, then 7 h at the plain rate.
    assert result.cost == pytest.approx(2 * (60 * 1.25 + 7 * 60))
    assert weekly_hours(wb, WEEK)[0].available_minutes == 7 * 600  # 10 h shifts, 7 days


def test_week_rules_are_listed_hard_before_soft_with_labels() -> None:
    kinds = [r.hard for r in week_rules.WEEK_RULES]
    assert kinds == sorted(kinds, reverse=True)
    assert all(r.label[0].isupper() for r in week_rules.WEEK_RULES)
    ids = [r.rule_id for r in rules.RULES]  # the registry holds the week rules once
    assert len(ids) == len(set(ids))
    assert set(week_rules.WEEK_RULES) <= set(rules.RULES)


def test_every_week_rule_together_on_the_solver_gives_a_checked_roster() -> None:
    """All rules at once (the registry the lead will use), solved and re-checked."""
    team = (person("E1"), person("E2", "Ben"))
    wb = workbook(contract(min_weekly_hours=20, max_days=5, same_start=True), employees=team,
                  availability=(wish(AvailabilityKind.AVOID, 0, "08:00", "12:00"),),
                  fixed_shifts=(fixed(TUE, "09:00", "17:00"),))
    previous = last_week((-1, "11:00", "19:00"))
    p = problem(wb, previous=previous)
    model = cp_model.CpModel()
    v = build_vars(model, p)
    penalties = []
    for rule in rules.RULES:
        penalties += rule.add(model, v, p)
    model.minimize(sum(x.weight * x.var for x in penalties)
                   + sum(o.cost_cents * v.shift[e, k] for e, os in v.options.items()
                         for k, o in enumerate(os)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    roster = extract_roster(solver, v, p)
    assert check_roster(wb, roster, previous=previous) == []
    assert [x for x in penalties if x.text and solver.value(x.var)] == []


def test_previous_roster_reads_last_weeks_shifts_csv_or_its_plan_folder(tmp_path: Path) -> None:
    wb = workbook()
    (tmp_path / "shifts.csv").write_text(
        "employee_id,date,start,end\nE1,2026-11-27,08:00,16:00\nE1,2026-11-28,22:00,06:00\n")
    for given in (tmp_path / "shifts.csv", tmp_path):
        roster = previous_roster(given, wb, WEEK)
        assert roster.week_start == WEEK - dt.timedelta(days=7)
        assert [a.end for a in roster.assignments][-1] == dt.datetime(2026, 11, 29, 6, 0)
    p = problem(wb, previous=previous_roster(tmp_path, wb, WEEK))
    assert week_rules.previous_ends(p) == {"E1": 360} and week_rules.previous_run(p, "E1") == 2
    (tmp_path / "shifts.csv").write_text("employee_id,date,start,end\nE1,2026-11-29,08:00,16:00\n")
    with pytest.raises(InputError) as caught:
        previous_roster(tmp_path, wb, WEEK)
    assert caught.value.problems == [
        "shifts.csv line 2 (date): 2026-11-29 is outside the week 2026-11-22 (Sunday) to "
        "2026-11-28 — one file holds one week"]


def test_friday_and_weekend_count_once_when_saturday_is_closed() -> None:
    no_saturday = tuple(s for s in EVERY_DAY if s.weekday != 5)
    p = problem(workbook(employees=TEAM, opening_hours=no_saturday))
    model = cp_model.CpModel()
    penalties = wish_rules.add_fair_spread(model, build_vars(model, p), p)
    assert {x.text.split(" shift(s)")[0].split()[-1] for x in penalties} == {"Friday"}
