"""Paid short breaks in the model: where they may go, each rule alone, and solved rosters.

The rule: a shift longer than break_after_hours (it has the lunch) gets two short breaks, one
before the lunch and one after it; a shift longer than short_break_after_hours without a lunch
gets one; shorter shifts none. Every short break starts at least break_spacing_hours after the
shift start or the end of the break before it, and ends at least that long before the next
break or the shift end. Short breaks are paid, and nobody on one is on duty.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from ortools.sat.python import cp_model

from inputs.domain import Contract, OpeningSpan, Workbook
from scheduler.check.core import check_roster
from scheduler.roster import rules
from scheduler.roster.construct import construct_hint
from scheduler.roster.hint import apply_hint
from scheduler.roster.model import RosterVars, build_vars
from scheduler.roster.result import SolveStatus
from scheduler.roster.shifts import employee_options, minute_multipliers
from scheduler.roster.solve import SolverSettings, solve_roster
from tests.conftest import SUNDAY, WEEK, agent, small_workbook
from tests.roster import harness
from tests.roster.harness import SUN, Force, problem, shift_var

# 15-minute intervals; a 30-min lunch 3-5 h into shifts over 6 h; 15-min short breaks after
# 4 h, 1 h from the shift's edges and the lunch.
CONTRACT = Contract(
    contract_id="C", min_weekly_hours=0, max_weekly_hours=60, max_days=7, min_shift_hours=4,
    max_shift_hours=8, earliest_start=8 * 60, latest_end=16 * 60, max_consecutive_days=7,
    min_rest_hours=8, break_minutes=30, break_after_hours=6, break_window_start_h=3,
    break_window_end_h=5, shift_step_minutes=60, short_break_minutes=15,
)


def workbook(contract: Contract = CONTRACT, staff: int = 1, close: int = 16 * 60) -> Workbook:
    return small_workbook(
        contract, opening_hours=(OpeningSpan(weekday=SUNDAY, open_min=8 * 60, close_min=close),),
        employees=tuple(agent(f"E{i}", name=f"N{i}") for i in range(1, staff + 1)),
    )


def at(hhmm: str) -> int:
    """Week minute of a Sunday clock time."""
    h, m = map(int, hhmm.split(":"))
    return SUN * 1440 + h * 60 + m


def t_of(hhmm: str) -> int:
    return at(hhmm) // 15


# --- where short breaks may start --------------------------------------------------------


def test_break_offsets_by_shift_length() -> None:
    c = CONTRACT
    assert c.break_offsets(240, 15) == ((), ())  # 4 h: not longer than 4 h, no short break
    # 5 h: one, from 1 h in to 1 h 15 min before the end.
    assert c.break_offsets(300, 15) == ((), (tuple(range(60, 226, 15)),))
    lunch, (before, after) = c.break_offsets(480, 15) or ((), ((), ()))
    assert lunch == tuple(range(180, 301, 15))  # the lunch window is untouched: 3-5 h in
    assert (before[0], before[-1]) == (60, 225)  # ends 1 h before the latest lunch (5 h in)
    assert (after[0], after[-1]) == (270, 405)  # 1 h after the earliest lunch ends, 1 h to go


def test_break_offsets_leave_out_lunches_without_room_and_refuse_what_cannot_fit() -> None:
    tight = dataclasses.replace(CONTRACT, break_spacing_hours=1.5)
    # 7 h: short 1.5 h in, lunch 1.5 h after it ends, short 1.5 h after the lunch and before
    # the end: one placement only, 09:30 / 11:15 / 13:15 for an 08:00-15:00 shift.
    assert tight.break_offsets(420, 15) == ((195,), ((90,), (315,)))
    assert tight.break_offsets(360, 15) == ((), (tuple(range(90, 256, 15)),))  # 6 h: no lunch
    assert dataclasses.replace(CONTRACT, break_spacing_hours=2.5).break_offsets(300, 15) is None
    assert dataclasses.replace(CONTRACT, short_break_minutes=0).break_offsets(480, 15) == (
        tuple(range(180, 301, 15)), ())


def test_shift_options_carry_the_allowed_short_break_starts_in_week_minutes() -> None:
    wb = workbook()
    options = employee_options(wb, wb.employees[0], WEEK, minute_multipliers(wb, WEEK))
    five = next(o for o in options if o.start == at("08:00") and o.end == at("13:00"))
    assert five.short_break_starts == (tuple(range(at("09:00"), at("11:45") + 1, 15)),)
    assert five.break_starts == () and five.paid_minutes == 300  # short breaks are paid
    four = next(o for o in options if o.start == at("08:00") and o.end == at("12:00"))
    assert four.short_break_starts == ()
    eight = next(o for o in options if o.start == at("08:00") and o.end == at("16:00"))
    assert len(eight.short_break_starts) == 2 and eight.paid_minutes == 450


# --- the rule alone ------------------------------------------------------------------------


def feasible(force: Force, rule_ids: frozenset[str] = frozenset({"breaks", "short_breaks"}),
             contract: Contract = CONTRACT) -> bool:
    """Only the named rules plus `force(model, v)`: is there a roster?"""
    return harness.feasible(problem(workbook(contract)), rule_ids, force)


def works(start: str, end: str, lunch: str | None = None, *shorts: tuple[int, str]) -> Force:
    """Force E1's Sunday shift, and optionally its lunch and short breaks (index, start)."""
    def force(model: cp_model.CpModel, v: RosterVars) -> None:
        model.add(shift_var(v, "E1", SUN, start, (at(end) - at(start)) / 60) == 1)
        if lunch is not None:
            model.add(v.brk["E1", SUN][at(lunch)] == 1)
        for i, minute in shorts:
            model.add(v.short["E1", SUN, i][at(minute)] == 1)
    return force


def test_a_long_enough_shift_must_have_its_short_break() -> None:
    def none(model: cp_model.CpModel, v: RosterVars) -> None:
        works("08:00", "13:00")(model, v)
        model.add(sum(v.short["E1", SUN, 0].values()) == 0)

    assert not feasible(none)
    assert feasible(none, frozenset({"breaks"}))  # without the rule nothing asks for it
    assert feasible(works("08:00", "13:00"))


def test_a_short_break_keeps_its_distance_from_the_shift_end() -> None:
    assert not feasible(works("08:00", "13:00", None, (0, "12:00")))  # ends 45 min before
    assert feasible(works("08:00", "13:00", None, (0, "11:45")))  # ends 1 h before
    assert not feasible(works("09:00", "14:00", None, (0, "09:45")))  # 45 min after start
    assert feasible(works("09:00", "14:00", None, (0, "10:00")))


def test_short_breaks_keep_their_distance_from_the_lunch() -> None:
    # An 08:00-16:00 shift with its lunch at 11:15-11:45.
    assert not feasible(works("08:00", "16:00", "11:15", (0, "10:15"), (1, "13:00")))  # 45 min
    assert not feasible(works("08:00", "16:00", "11:15", (0, "10:00"), (1, "12:30")))  # 45 min
    assert feasible(works("08:00", "16:00", "11:15", (0, "10:00"), (1, "12:45")))  # 1 h each
    # Without the short-break rule the lunch alone does not care.
    assert feasible(works("08:00", "16:00", "11:15", (0, "10:15"), (1, "12:30")),
                    frozenset({"breaks"}))


def test_a_shift_with_the_lunch_gets_one_short_break_on_each_side() -> None:
    def count(i: int, n: int):
        def force(model: cp_model.CpModel, v: RosterVars) -> None:
            works("08:00", "16:00")(model, v)
            model.add(sum(v.short["E1", SUN, i].values()) == n)
        return force

    assert feasible(count(1, 1))
    assert not feasible(count(1, 0))
    assert not feasible(count(0, 0))


# --- solved rosters ------------------------------------------------------------------------


def fixed_hours(hours: int) -> Contract:
    """Exactly one shift of `hours` on Sunday, 08:00 to 08:00 + hours."""
    paid = hours - (0.5 if hours > 6 else 0)  # the lunch is unpaid
    return dataclasses.replace(CONTRACT, min_weekly_hours=paid, max_weekly_hours=paid,
                               min_shift_hours=hours, max_shift_hours=hours,
                               latest_end=(8 + hours) * 60)


def solve(wb: Workbook, need: dict[tuple[str, int], int]):
    result = solve_roster(problem(wb, need), SolverSettings(time_limit_s=20, workers=1))
    assert result.status is SolveStatus.OPTIMAL and result.roster is not None
    assert check_roster(wb, result.roster, allocation=result.allocation) == []
    return result


def test_coverage_cannot_push_a_short_break_out_of_the_shift() -> None:
    """One agent, one queue needing one agent 08:00-13:00: the break is taken anyway, inside
    its window, and costs exactly one interval short; the shift costs its full 5 paid h."""
    wb = workbook(fixed_hours(5), close=13 * 60)
    need = {("A", t): 1 for t in range(t_of("08:00"), t_of("13:00"))}
    result = solve(wb, need)
    (shift,) = result.roster.assignments
    ((start, end),) = shift.short_breaks
    assert dt.time(9, 0) <= start.time() <= dt.time(11, 45) and end - start == dt.timedelta(
        minutes=15)
    assert [s.interval_start for s in result.shortfalls] == [start]
    assert shift.paid_hours == 5.0 and result.cost == 300.0  # 5 paid h at 60/h


def test_two_agents_stagger_their_breaks_so_coverage_holds() -> None:
    """Two agents on 08:00-16:00 (a lunch and two short breaks each), one agent needed all
    day: their breaks never overlap, so no interval is short."""
    wb = workbook(fixed_hours(8), staff=2)
    need = {("A", t): 1 for t in range(t_of("08:00"), t_of("16:00"))}
    result = solve(wb, need)
    assert result.shortfalls == ()
    first, second = result.roster.assignments
    off: list[set[int]] = [set(), set()]
    for spans, a in zip(off, (first, second), strict=True):
        assert len(a.breaks) == 1 and len(a.short_breaks) == 2
        for s, e in (*a.breaks, *a.short_breaks):
            spans.update(range(int((s - a.start).total_seconds() // 900),
                               int((e - a.start).total_seconds() // 900)))
    assert off[0] and off[1] and not off[0] & off[1]
    assert result.cost == 2 * 7.5 * 60  # the lunch is unpaid, the short breaks are paid


def test_the_greedy_start_and_a_solved_roster_hint_every_short_break() -> None:
    """The hint is complete (every lunch, short-break and has-lunch variable) and is itself a
    roster under every hard rule: fixed to it, the full model stays feasible."""
    wb = workbook(fixed_hours(8), staff=2)
    p = problem(wb, {("A", t): 1 for t in range(t_of("08:00"), t_of("16:00"))})
    solved = solve_roster(p, SolverSettings(time_limit_s=20, workers=1))
    for weeks in (construct_hint(p), solved.hint):
        assert weeks is not None
        model = cp_model.CpModel()
        v = build_vars(model, p)
        penalties = [x for rule in rules.RULES for x in rule.add(model, v, p)]
        apply_hint(model, v, p, weeks, penalties)  # type: ignore[arg-type]
        hint = dict(zip(model.proto.solution_hint.vars, model.proto.solution_hint.values,
                        strict=True))
        shorts = [x for d in v.short.values() for x in d.values()]
        wanted = [*shorts, *(x for d in v.brk.values() for x in d.values()),
                  *v.has_lunch.values()]
        assert len(wanted) == 64 and all(x.index in hint for x in wanted)
        assert sum(hint[x.index] for x in shorts) == 4  # 2 agents x 2 short breaks
        solver = cp_model.CpSolver()
        solver.parameters.fix_variables_to_their_hinted_value = True
        assert solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
