"""The discrete-event simulator: theory (Erlang C and A), routing, breaks, escalations, seeds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from inputs.domain import (
    Assignment,
    Center,
    Contract,
    CoverageRule,
    Employee,
    OpeningSpan,
    Queue,
    Role,
    Roster,
    ServiceLevelScope,
    Workbook,
)
from scheduler.simulation.engine import Contacts, Duty, Floor, run_replication
from scheduler.simulation.run import (
    HandleModel,
    SimulationResult,
    SimulationSettings,
    simulate_week,
)
from scheduler.simulation.stats import measures
from scheduler.simulation.verdict import cells_below_target, pooling_gain
from scheduler.simulation.week_inputs import (
    ContactModel,
    IntervalLoad,
    closing_times,
    draw_contacts,
)
from scheduler.staffing.agents import erlang_a, erlang_c
from tests.conftest import WEEK

CONTRACT = Contract(contract_id="C", min_weekly_hours=0, max_weekly_hours=60, max_days=7,
                    min_shift_hours=1, max_shift_hours=12)
EXPONENTIAL = SimulationSettings(handle=HandleModel.EXPONENTIAL, closing_grace_s=3600)


def agents(n: int, skills: tuple[str, ...] = ("Q",), prefix: str = "A",
           role: Role = Role.AGENT) -> tuple[Employee, ...]:
    return tuple(Employee(employee_id=f"{prefix}{k}", name=f"{prefix}{k}", role=role, team="T",
                          contract_id="C", hourly_cost=50, skills=skills) for k in range(n))


def workbook(staff: tuple[Employee, ...], *queues: Queue, **center: object) -> Workbook:
    return Workbook(
        center=Center(name="t", interval_minutes=15, **center),  # type: ignore[arg-type]
        opening_hours=(OpeningSpan(weekday=WEEK.weekday(), open_min=8 * 60, close_min=12 * 60),),
        queues=queues or (Queue(queue_id="Q", name="Q", answer_seconds=20),),
        employees=staff, contracts=(CONTRACT,),
        coverage=(CoverageRule(role=Role.SHIFT_LEAD, min_on_duty=1, answer_seconds=60),),
    )


def at(hhmm: str) -> dt.datetime:
    h, m = map(int, hhmm.split(":"))
    return dt.datetime.combine(WEEK, dt.time(h, m))


def roster(staff: tuple[Employee, ...], start: str = "07:00", end: str = "13:00",
           breaks: dict[str, str] | None = None) -> Roster:
    """Everyone works start-end on Sunday; `breaks` maps an employee to a 30-minute break."""
    shifts = []
    for e in staff:
        brk = ()
        if breaks and e.employee_id in breaks:
            b = at(breaks[e.employee_id])
            brk = ((b, b + dt.timedelta(minutes=30)),)
        shifts.append(Assignment(employee_id=e.employee_id, day=WEEK, start=at(start),
                                 end=at(end), breaks=brk, paid_hours=6, cost=300))
    return Roster(week_start=WEEK, assignments=tuple(shifts))


def forecast(calls: float, aht_s: float, queue: str = "Q") -> pd.DataFrame:
    stamps = pd.date_range(at("08:00"), at("11:45"), freq="15min")
    return pd.DataFrame({"queue": queue, "interval_start": stamps, "calls": calls,
                         "calls_lo": calls, "calls_hi": calls, "aht_s": aht_s})


def steady_state(result: SimulationResult, queue: int = 0) -> tuple[float, float, float, float]:
    """Service level (mean, lo, hi) and abandon rate after a 30-minute warm-up."""
    keep = np.asarray(result.interval_starts >= pd.Timestamp(at("08:30")))
    m = measures(result.agents.over((2,), keep))
    return (float(m.service_level[queue, 0]), float(m.sl_lo[queue, 0]),
            float(m.sl_hi[queue, 0]), float(m.abandon_rate[queue, 0]))


def test_agrees_with_erlang_c_within_its_confidence_interval() -> None:
    staff = agents(10)
    result = simulate_week(workbook(staff), roster(staff), forecast(40, 180), replications=30,
                           seed=3, settings=EXPONENTIAL)
    theory = float(erlang_c(40, 180, 900, 10, 20).service_level)  # 0.672
    _, lo, hi, abandoned = steady_state(result)
    assert theory == pytest.approx(0.6724, abs=1e-4)
    assert lo <= theory <= hi
    assert hi - lo < 0.12  # the interval says something
    assert abandoned == 0.0


def test_agrees_with_erlang_a_within_its_confidence_interval() -> None:
    staff = agents(9)
    queue = Queue(queue_id="Q", name="Q", answer_seconds=20, patience_s=120)
    result = simulate_week(workbook(staff, queue), roster(staff), forecast(40, 180),
                           replications=20, seed=5, settings=EXPONENTIAL)
    theory = erlang_a(40, 180, 900, 9, 20, 120)
    _, lo, hi, abandoned = steady_state(result)
    assert lo <= float(theory.service_level) <= hi
    assert abandoned == pytest.approx(float(theory.p_abandon), abs=0.03)  # 0.100


@pytest.mark.slow
def test_agrees_with_erlang_c_on_a_long_stationary_day() -> None:
    staff = agents(30)
    wb = dataclasses.replace(workbook(staff), opening_hours=(
        OpeningSpan(weekday=WEEK.weekday(), open_min=0, close_min=1440),))
    stamps = pd.date_range(at("00:00"), periods=96, freq="15min")
    table = pd.DataFrame({"queue": "Q", "interval_start": stamps, "calls": 135.0,
                          "calls_lo": 135.0, "calls_hi": 135.0, "aht_s": 180.0})
    result = simulate_week(wb, roster(staff, "00:00", "23:59"), table, replications=40, seed=1,
                           settings=EXPONENTIAL)
    keep = np.asarray((result.interval_starts >= pd.Timestamp(at("01:00")))
                      & (result.interval_starts < pd.Timestamp(at("23:00"))))
    m = measures(result.agents.over((2,), keep))
    theory = float(erlang_c(135, 180, 900, 30, 20).service_level)
    assert float(m.sl_lo[0, 0]) <= theory <= float(m.sl_hi[0, 0])
    assert float(m.sl_hi[0, 0]) - float(m.sl_lo[0, 0]) < 0.045


def test_breaks_reduce_capacity_and_service_level() -> None:
    staff = agents(10)
    wb, table = workbook(staff), forecast(40, 180)
    plain = simulate_week(wb, roster(staff), table, replications=4, seed=2, settings=EXPONENTIAL)
    breaks = {f"A{k}": "09:00" for k in range(4)}
    broken = simulate_week(wb, roster(staff, breaks=breaks), table, replications=4, seed=2,
                           settings=EXPONENTIAL)
    lost = plain.staff[:, 0, 1].sum(-1) - broken.staff[:, 0, 1].sum(-1)
    # Each break is exactly 30 minutes unless a call in hand delays it (then still 30 min).
    assert lost == pytest.approx(np.full(4, 4 * 1800.0))
    nine = np.asarray((plain.interval_starts >= pd.Timestamp(at("09:00")))
                      & (plain.interval_starts < pd.Timestamp(at("09:30"))))
    before = measures(plain.agents.over((1, 2), nine)).service_level[0, 0]
    after = measures(broken.agents.over((1, 2), nine)).service_level[0, 0]
    assert after < before - 0.3  # 6 agents for 8 Erlangs: the queue grows


def contacts(arrival: list[float], queue: list[int], handle: list[float],
             escalate_to: list[int] | None = None) -> Contacts:
    n = len(arrival)
    return Contacts(
        arrival_s=np.asarray(arrival, float), queue=np.asarray(queue), handle_s=np.asarray(
            handle, float), patience_s=np.full(n, np.inf),
        escalate_to=np.asarray(escalate_to or [-1] * n),
        escalation_handle_s=np.full(n, 50.0), close_s=np.full(n, np.inf))


def test_an_arriving_call_goes_to_the_longest_idle_agent() -> None:
    floor = Floor(priority=(1,), concurrency=(1,), skills=((0,), (0,)))
    duty = Duty(shifts=((0, 0.0, 1000.0), (1, 100.0, 1000.0)), breaks=())
    trace = run_replication(floor, contacts([200, 210, 500], [0, 0, 0], [100, 50, 10]), duty)
    # Agent 0 has idled since 0, agent 1 since 100: the first call goes to 0, the second
    # to 1; at 500 agent 0 has idled since 300, agent 1 since 260: agent 1 is longest idle.
    assert trace.server.tolist() == [0, 1, 1]
    assert trace.answered_s.tolist() == [200, 210, 500]


def test_a_freed_agent_takes_the_higher_priority_queue_first() -> None:
    contact = contacts([0, 10, 20], [0, 0, 1], [100, 10, 10])
    duty = Duty(shifts=((0, 0.0, 1000.0),), breaks=())
    by_priority = Floor(priority=(1, 2), concurrency=(1, 1), skills=((0, 1),))
    trace = run_replication(by_priority, contact, duty)
    assert trace.answered_s.tolist() == [0, 110, 100]  # queue 1 (priority 2) first
    by_wait = dataclasses.replace(by_priority, by_priority=False)
    assert run_replication(by_wait, contact, duty).answered_s.tolist() == [0, 100, 110]


def test_a_chat_agent_holds_up_to_concurrency_chats() -> None:
    floor = Floor(priority=(1,), concurrency=(3,), skills=((0,),))
    duty = Duty(shifts=((0, 0.0, 1000.0),), breaks=())
    trace = run_replication(floor, contacts([0, 1, 2, 3], [0, 0, 0, 0], [100] * 4), duty)
    assert trace.answered_s.tolist() == [0, 1, 2, 100]


def test_a_break_waits_for_the_call_in_hand_and_lasts_its_full_length() -> None:
    floor = Floor(priority=(1,), concurrency=(1,), skills=((0,),))
    duty = Duty(shifts=((0, 0.0, 5000.0),), breaks=((0, 100.0, 1800.0),))
    trace = run_replication(floor, contacts([50, 150], [0, 0], [200, 10]), duty)
    assert trace.answered_s.tolist() == [50, 250 + 1800]
    assert trace.available == ((0, 0.0, 250.0), (0, 2050.0, 5000.0))


def test_escalations_reach_shift_leads_after_the_agents_handling() -> None:
    floor = Floor(priority=(1, 0), concurrency=(1, 1), skills=((0,), (1,)))
    duty = Duty(shifts=((0, 0.0, 1000.0), (1, 0.0, 1000.0)), breaks=())
    trace = run_replication(floor, contacts([0, 10], [0, 0], [100, 100], [1, -1]), duty)
    assert trace.queue.tolist() == [0, 0, 1]
    assert trace.parent.tolist() == [-1, -1, 0]
    assert trace.server.tolist() == [0, 0, 1]  # the transfer went to the lead
    assert trace.arrival_s[2] == 100 and trace.answered_s[2] == 100


def test_escalation_share_reaches_the_leads_on_duty() -> None:
    staff = agents(10) + agents(2, (), "L", Role.SHIFT_LEAD)
    queue = Queue(queue_id="Q", name="Q", answer_seconds=20, escalation_rate=0.25,
                  escalation_handle_s=300)
    result = simulate_week(workbook(staff, queue), roster(staff), forecast(30, 180),
                           replications=3, seed=4)
    entry = result.summary_entry()
    answered = result.agents.answered.sum(axis=(1, 2))
    transfers = result.escalations.offered.sum(axis=(1, 2))
    assert transfers / answered == pytest.approx(np.full(3, 0.25), abs=0.05)
    assert entry["escalations"]["offered"] == pytest.approx(transfers.mean(), abs=0.05)
    assert entry["escalations"]["occupancy"] > 0.2  # 30 transfers/h x 300 s over 2 leads
    assert result.staff[:, 1, 0].sum() > 0  # shift leads were busy, agents did not take them


def test_absence_removes_whole_shifts() -> None:
    staff = agents(20)
    wb = workbook(staff, shrinkage=0.5)
    result = simulate_week(wb, roster(staff), forecast(10, 180), replications=6, seed=0)
    shifts = result.staff[:, 0, 1].sum(-1) / (6 * 3600)
    assert set(np.round(shifts, 6)) <= set(range(21))
    assert 5 <= shifts.mean() <= 15


def test_band_arrivals_are_over_dispersed() -> None:
    load = IntervalLoad(queue=np.zeros(1, np.int64), start_s=np.zeros(1), calls=np.full(1, 100.0),
                        extra_variance=np.full(1, 900.0), aht_s=np.full(1, 60.0),
                        close_s=np.full(1, np.inf), exact=False)
    poisson = dataclasses.replace(load, extra_variance=np.zeros(1))
    model = ContactModel(handle=HandleModel.LOGNORMAL, handle_cv=1.0, patience_s=(np.inf,),
                         escalation_rate=(0.0,), escalation_handle_s=(0.0,), escalation_queue=1)
    rng = np.random.default_rng(0)
    wide = [draw_contacts(load, model, 900, rng).queue.size for _ in range(400)]
    narrow = [draw_contacts(poisson, model, 900, rng).queue.size for _ in range(400)]
    assert np.var(narrow) == pytest.approx(100, rel=0.25)
    assert np.var(wide) == pytest.approx(1000, rel=0.25)
    assert np.mean(wide) == pytest.approx(100, rel=0.05)


def test_lognormal_handle_times_have_the_asked_mean_and_cv() -> None:
    staff = agents(12)
    settings = SimulationSettings(handle_cv=0.5)
    from scheduler.simulation.run import _job

    job = _job(workbook(staff), roster(staff), forecast(200, 240), None, None, settings)
    assert job.load is not None
    sample = draw_contacts(job.load, job.model, 900, np.random.default_rng(1)).handle_s
    assert sample.mean() == pytest.approx(240, rel=0.03)
    assert sample.std() / sample.mean() == pytest.approx(0.5, rel=0.08)


def test_calls_still_waiting_when_the_queue_closes_are_dropped() -> None:
    staff = agents(1)
    result = simulate_week(workbook(staff), roster(staff, "08:00", "09:00"), forecast(20, 180),
                           replications=1, seed=0)
    # Nobody answers after 09:00: every call of 09:00-12:00 is dropped at 12:00, none waits
    # overnight.
    late = np.asarray(result.interval_starts >= pd.Timestamp(at("09:00")))
    counts = result.agents.over((1, 2), late)
    assert counts.answered[0, 0, 0] < 3
    assert counts.abandoned[0, 0, 0] == counts.offered[0, 0, 0] - counts.answered[0, 0, 0]
    assert counts.offered[0, 0, 0] > 150


def test_closing_times_merge_spans_across_midnight() -> None:
    wb = dataclasses.replace(workbook(agents(1)), opening_hours=tuple(
        OpeningSpan(weekday=d, open_min=0, close_min=1440) for d in range(7)))
    assert closing_times(wb, "Q", WEEK, np.array([100.0, 5 * 86400.0])).tolist() == [
        np.inf, np.inf]
    one_day = workbook(agents(1))
    assert closing_times(one_day, "Q", WEEK, np.array([9 * 3600.0, 13 * 3600.0])).tolist()[0] \
        == 12 * 3600.0


def test_same_seed_same_result_and_workers_do_not_matter() -> None:
    staff = agents(10) + agents(1, (), "L", Role.SHIFT_LEAD)
    queue = Queue(queue_id="Q", name="Q", escalation_rate=0.1, escalation_handle_s=200,
                  patience_s=200)
    wb, rs, table = workbook(staff, queue), roster(staff), forecast(40, 180)
    one = simulate_week(wb, rs, table, replications=3, seed=9).summary_entry()
    again = simulate_week(wb, rs, table, replications=3, seed=9,
                          settings=SimulationSettings(workers=2)).summary_entry()
    other = simulate_week(wb, rs, table, replications=3, seed=10).summary_entry()
    assert json.dumps(one) == json.dumps(again)
    assert json.dumps(one) != json.dumps(other)


def test_summary_entry_and_interval_table_have_the_agreed_shape() -> None:
    staff = agents(10)
    result = simulate_week(workbook(staff), roster(staff), forecast(40, 180), replications=2)
    entry = result.summary_entry()
    assert set(entry) == {"replications", "seed", "overall", "by_queue", "by_day", "escalations"}
    keys = {"service_level", "ci95", "abandon_rate", "asa_s", "occupancy", "offered"}
    assert set(entry["overall"]) == keys
    assert set(entry["by_queue"]) == {"Q"} and set(entry["by_queue"]["Q"]) == keys
    assert list(entry["by_day"]) == ["2026-11-29"]
    assert entry["overall"]["ci95"][0] <= entry["overall"]["service_level"] \
        <= entry["overall"]["ci95"][1]
    table = result.intervals()
    assert list(table.columns[:5]) == ["queue", "interval_start", "simulated_service_level",
                                       "simulated_sl_lo", "simulated_sl_hi"]
    assert len(table) == 16 and table["interval_start"].min() == pd.Timestamp(at("08:00"))


def requirements(calls: float, aht: float, scheduled: int, required: int) -> pd.DataFrame:
    table = forecast(calls, aht)[["queue", "interval_start", "calls", "aht_s"]]
    level = float(erlang_c(calls, aht, 900, scheduled, 20).service_level)
    return table.assign(required_agents=required, scheduled_agents=scheduled,
                        expected_service_level=level)


def test_verify_flags_cells_surely_below_target_only() -> None:
    staff = agents(8)
    wb = workbook(staff)
    result = simulate_week(wb, roster(staff), forecast(40, 180), replications=5, seed=0)
    bad = cells_below_target(result, requirements(40, 180, 8, 11), wb)
    assert len(bad) >= 12 and set(bad["reason"]) == {"interval"}
    assert (bad["simulated_sl_hi"] < 0.8).all()
    good = simulate_week(wb, roster(staff), forecast(20, 180), replications=5, seed=0)
    assert cells_below_target(good, requirements(20, 180, 9, 6), wb).empty


def test_verify_under_a_week_scope_flags_the_span_cells_below_target() -> None:
    staff = agents(9)
    wb = workbook(staff, service_level_scope=ServiceLevelScope.WEEK, service_level_floor=0.1)
    result = simulate_week(wb, roster(staff), forecast(40, 180), replications=5, seed=0)
    bad = cells_below_target(result, requirements(40, 180, 9, 11), wb)
    assert not bad.empty and set(bad["reason"]) == {"week"}
    assert (bad["simulated_service_level"] < 0.8).all()


def test_pooling_gain_reports_saveable_agent_hours_where_skills_are_shared() -> None:
    staff = agents(10, ("Q", "R"))
    queues = (Queue(queue_id="Q", name="Q"), Queue(queue_id="R", name="R"))
    wb = workbook(staff, *queues)
    table = pd.concat([forecast(15, 180), forecast(15, 180, "R")], ignore_index=True)
    result = simulate_week(wb, roster(staff), table, replications=10, seed=0)
    planned = float(erlang_c(15, 180, 900, 5, 60).service_level)
    req = table[["queue", "interval_start", "calls", "aht_s"]].assign(
        required_agents=5, scheduled_agents=5, expected_service_level=planned)
    gain = pooling_gain(result, req, wb)
    # Alone each queue needs 5 agents (Erlang C, 3 Erlangs, 80/60) and plans ~88%; the 10
    # shared agents reach ~98%. One pooled queue of 6 Erlangs needs 8, so at most 2 agents
    # per interval can go: 2 x 4 h = 8 agent-hours at most.
    assert planned == pytest.approx(0.877, abs=0.005)
    assert not gain.cells.empty
    assert (gain.cells["simulated_sl_lo"] > planned).all()
    assert 2.0 < gain.agent_hours <= 8.0
    assert sum(gain.by_queue.values()) == pytest.approx(gain.agent_hours, abs=0.02)


@pytest.mark.slow
def test_the_demo_plan_simulates_near_its_planned_level() -> None:
    folder = Path("/tmp/plan-ref")
    if not (folder / "shifts.csv").is_file():
        pytest.skip("the reference demo plan is not at /tmp/plan-ref")
    from inputs import read_workbook
    from inputs.plan_files import read_forecast_csv, read_shifts_csv

    wb = read_workbook(folder / "inputs" / "workbook.xlsx")
    result = simulate_week(wb, read_shifts_csv(folder / "shifts.csv", wb),
                           read_forecast_csv(folder / "forecast.csv"), replications=5)
    entry = result.summary_entry()
    planned = json.loads((folder / "summary.json").read_text())["service_level"]["planned"]
    assert 14_000 < entry["overall"]["offered"] < 17_000
    assert entry["overall"]["service_level"] >= planned["overall"] - 0.02  # pooling helps
    assert len(entry["by_day"]) >= 5
