"""report.html: headline figures, every queue, embedded SVG, nothing external, user text escaped.

The small plan here is built the way tests/outputs/test_outputs.py builds its plan, with costs
worked out by hand so the cost tables can be checked to the unit.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasts import QueueForecastReport
from inputs.domain import (
    Assignment,
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
from outputs import write_plan
from outputs.charts import HEAT_CATEGORIES, heat_codes, week_axis
from outputs.report_costs import BASE_PAY, CostLine, RoleCost, cost_breakdown
from outputs.report_html import queue_labels, render_report_html, write_report_html
from scheduler.plan import Plan
from scheduler.planned import IntervalBelowTarget
from scheduler.roster.result import Shortfall, SolveResult, SolveStatus
from scheduler.summary import (
    PlannedAbandonment,
    PlannedServiceLevels,
    PlanSummary,
    ServiceLevelSummary,
    SimulatedFigures,
    SimulatedServiceLevels,
    SolveSummary,
)
from tests.summaries import summary_for

SUNDAY = dt.date(2026, 11, 29)
FRIDAY = SUNDAY + dt.timedelta(days=5)
CENTER = "Levi & Sons <Call> center"
ODD_QUEUE = "R&D <urgent> $5"
RULE_LINE = ("Sun 29-11 08:15–08:30 R&D <urgent> $5 (Q2): up to 1 agent short (3 needed, "
             "2 scheduled)")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def shift(eid: str, day: dt.date, start: float, end: float, paid: float, cost: float,
          brk: float | None = None) -> Assignment:  # fmt: skip
    """A shift from `start` to `end` hours (16.5 is 16:30), with a 30-minute break at `brk`."""
    moment = lambda h: at(day, int(h), round(h % 1 * 60))  # noqa: E731
    breaks = ((moment(brk), moment(brk + 0.5)),) if brk is not None else ()
    return Assignment(employee_id=eid, day=day, start=moment(start), end=moment(end),
                      breaks=breaks, paid_hours=paid, cost=cost)  # fmt: skip


def make_workbook() -> Workbook:
    contract = Contract(contract_id="FT", min_weekly_hours=0, max_weekly_hours=42, max_days=5,
                        min_shift_hours=4, max_shift_hours=9)  # fmt: skip
    return Workbook(
        center=Center(name=CENTER, currency="ILS"),
        opening_hours=(OpeningSpan(weekday=6, open_min=480, close_min=1320),
                       OpeningSpan(weekday=4, open_min=480, close_min=780)),
        queues=(Queue(queue_id="Q1", name="Companies"),
                Queue(queue_id="Q2", name=ODD_QUEUE, service_level=0.75)),
        employees=(
            Employee(employee_id="E1", name="Dana Levi", role=Role.AGENT, team="Blue",
                     contract_id="FT", hourly_cost=50.0, skills=("Q1", "Q2")),
            Employee(employee_id="E2", name="Omer Katz", role=Role.AGENT, team="Red",
                     contract_id="FT", hourly_cost=40.0, skills=("Q2",)),
            Employee(employee_id="E3", name="Noa Ben", role=Role.SHIFT_LEAD, team="Blue",
                     contract_id="FT", hourly_cost=60.0),
        ),
        contracts=(contract,),
        premiums=(
            Premium(name="Evening", kind=PremiumKind.TIME, multiplier=1.25, start_min=1140,
                    end_min=1440),
            Premium(name="Friday", kind=PremiumKind.DAY, multiplier=1.5, weekday=4),
            Premium(name="Overtime", kind=PremiumKind.OVERTIME, multiplier=1.25,
                    after_hours=10),
        ),
    )  # fmt: skip


# Costs by hand. E1 (50/h): Sunday 08:00-16:30 less a 30-minute break, 8 h = 400; Friday
# 08:00-12:00 at x1.5, 4 h = 300; 12 h in the week, 2 h beyond the 10 h overtime threshold at
# 50 x 0.25 = 25. E2 (40/h): 15:00-21:00, 4 h = 160 plus 2 evening hours at x1.25 = 100.
# E3 (60/h): 4 h = 240. Total 400 + 300 + 25 + 260 + 240 = 1,225.
ROSTER = Roster(week_start=SUNDAY, assignments=(
    shift("E1", SUNDAY, 8, 16.5, 8.0, 400.0, brk=12),
    shift("E1", FRIDAY, 8, 12, 4.0, 300.0),
    shift("E2", SUNDAY, 15, 21, 6.0, 260.0),
    shift("E3", SUNDAY, 8, 12, 4.0, 240.0),
))  # fmt: skip

# queue, day, hh:mm, calls, required, scheduled, planned level, simulated level
REQUIREMENTS = [
    ("Q1", SUNDAY, "08:00", 10.0, 3, 3, 0.90, 0.88),  # on target (5+ points above)
    ("Q1", SUNDAY, "08:15", 12.0, 3, 3, 0.82, 0.80),  # near target
    ("Q1", SUNDAY, "08:30", 14.0, 4, 3, 0.60, 0.55),  # understaffed
    ("Q1", SUNDAY, "08:45", 0.0, 0, 1, math.nan, math.nan),  # no calls expected
    ("Q1", FRIDAY, "08:00", 6.0, 2, 2, 0.79, 0.82),  # below target
    ("Q1", FRIDAY, "08:15", 5.0, 2, 2, 0.95, 0.93),
    ("Q2", SUNDAY, "08:00", 4.0, 2, 2, 0.88, 0.86),
    ("Q2", SUNDAY, "08:15", 8.0, 3, 2, 0.70, 0.74),
    ("Q2", SUNDAY, "08:30", 6.0, 2, 2, 0.77, 0.79),
    ("Q2", SUNDAY, "08:45", 5.0, 3, 2, 0.81, 0.80),
]  # Q2 is closed on Friday


def requirements_table(simulated: bool = True) -> pd.DataFrame:
    rows = [dict(queue=q, interval_start=at(d, int(t[:2]), int(t[3:])), calls=c, aht_s=300.0,
                 required_agents=r, scheduled_agents=s, expected_service_level=p,
                 simulated_service_level=m, simulated_sl_lo=m - 0.02, simulated_sl_hi=m + 0.02)
            for q, d, t, c, r, s, p, m in REQUIREMENTS]  # fmt: skip
    table = pd.DataFrame(rows)
    return table if simulated else table.drop(
        columns=["simulated_service_level", "simulated_sl_lo", "simulated_sl_hi"])


def history_table() -> pd.DataFrame:
    """Calls offered 08:00-09:00 every day for four weeks before the planned week."""
    starts = [at(SUNDAY - dt.timedelta(days=d), 8) + dt.timedelta(minutes=15 * k)
              for d in range(28, 0, -1) for k in range(4)]  # fmt: skip
    return pd.DataFrame({"queue": ["Q1"] * len(starts) + ["Q2"] * len(starts),
                         "interval_start": starts * 2,
                         "offered": np.arange(2 * len(starts)) % 9})  # fmt: skip


def forecast_report(queue_id: str, model: str, *, wape: float | None,
                    baseline_wape: float | None, backtest_weeks: int,
                    mean_aht_s: float = math.nan) -> QueueForecastReport:
    return QueueForecastReport(
        queue_id=queue_id, model=model, baseline="seasonal_naive", wape=wape,
        baseline_wape=baseline_wape, mase=None, band_coverage=None, band_scale=1.0,
        backtest_weeks=backtest_weeks, fit_s=0.0, candidates=(), mean_aht_s=mean_aht_s,
        holiday_factor=1.0, eve_factor=1.0, after_factor=1.0)  # fmt: skip


def summary() -> PlanSummary:
    below = (
        IntervalBelowTarget(queue="Q1", interval_start=pd.Timestamp("2026-11-29T08:30:00"),
                            planned_service_level=0.6, target=0.8, required_agents=4,
                            scheduled_agents=3, shortfall_agents=1),
        IntervalBelowTarget(queue="Q1", interval_start=pd.Timestamp("2026-12-04T08:00:00"),
                            planned_service_level=0.79996, target=0.8, required_agents=2,
                            scheduled_agents=2, shortfall_agents=0),
        IntervalBelowTarget(queue="Q2", interval_start=pd.Timestamp("2026-11-29T08:15:00"),
                            planned_service_level=0.7, target=0.75, required_agents=3,
                            scheduled_agents=2, shortfall_agents=1),
    )  # fmt: skip
    by_queue = {"Q1": SimulatedFigures(service_level=0.7954, ci95=(0.77, 0.82)),
                "Q2": SimulatedFigures(service_level=0.7812, ci95=(0.7511, 0.8113))}
    simulated = SimulatedServiceLevels(
        replications=20, seed=7, by_queue=by_queue,
        overall=SimulatedFigures(service_level=0.8034, ci95=(0.7812, 0.8256),
                                 abandon_rate=0.031, asa_s=14.2, occupancy=0.82))  # fmt: skip
    return PlanSummary(
        center=CENTER, week_start=SUNDAY, currency="ILS",
        solve=SolveSummary(status="feasible", cost=1225.0, lower_bound=1173.4, gap=0.0421,
                           seed=7, time_limit_s=30.0, workers=1),
        runtime_s={"total": 12.5},
        service_level=ServiceLevelSummary(
            target=0.8, answer_seconds=60, scope="interval", simulated=simulated,
            planned=PlannedServiceLevels(overall=0.8123, by_queue={"Q1": 0.7921, "Q2": 0.7735})),
        abandonment=PlannedAbandonment(overall=0.031, by_queue={"Q1": 0.02, "Q2": 0.045},
                                       note="Erlang A with each queue's patience"),
        warnings=("History has a 3-day gap & ends <early>",),
        intervals_below_target=below,
        rule_report=(RULE_LINE, "Sun 29-11 08:30–08:45 Companies (Q1): up to 1 agents "
                                "short (4 needed, 3 scheduled)"),
        paid_hours=22.0,
        forecast=(
            forecast_report("Q1", "top_down_ets", wape=0.276, baseline_wape=0.368,
                            backtest_weeks=3, mean_aht_s=240.0),
            forecast_report("Q2", "<b>custom</b>", wape=None, baseline_wape=None,
                            backtest_weeks=0),
        ),
        inputs={"workbook.xlsx": "ab" * 32}, version="0.1.0",
    )  # fmt: skip


def make_plan() -> Plan:
    requirements = requirements_table()
    forecast = requirements[["queue", "interval_start", "calls", "aht_s"]].assign(
        calls_lo=requirements["calls"] * 0.8, calls_hi=requirements["calls"] * 1.25)
    roles = pd.DataFrame({"role": ["shift_lead"] * 2,
                          "interval_start": [at(SUNDAY, 8), at(SUNDAY, 8, 15)],
                          "required": [1, 1], "on_duty": [1, 0]})  # fmt: skip
    result = SolveResult(
        status=SolveStatus.FEASIBLE, roster=ROSTER, cost=1225.0, bound=1173.4, gap=0.0421,
        shortfalls=(Shortfall(what="Q1", interval_start=at(SUNDAY, 8, 30), required=4,
                              scheduled=3),
                    Shortfall(what="shift_lead", interval_start=at(SUNDAY, 8, 15), required=1,
                              scheduled=0)),
    )  # fmt: skip
    return Plan(workbook=make_workbook(), week_start=SUNDAY, forecast=forecast,
                requirements=requirements, role_requirements=roles, result=result,
                summary=summary(), history=history_table())  # fmt: skip


@pytest.fixture(scope="module")
def page() -> str:
    return render_report_html(make_plan())


def section(page: str, anchor: str) -> str:
    """The HTML of one report section."""
    start = page.index(f'<section id="{anchor}">')
    return page[start:page.index("</section>", start)]


def text_of(fragment: str) -> str:
    """Visible text (tags removed, entities kept) with runs of space collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def body_rows(fragment: str) -> list[str]:
    """The text of every table body row in the fragment."""
    return [text_of(r).strip() for r in re.findall(r"<tr><td.*?</tr>", fragment)]


def cells(fragment: str) -> list[tuple[str, str]]:
    """Every table cell as (class attribute, text)."""
    return re.findall(r'<td(?: class="([^"]*)")?>([^<]*)</td>', fragment)


ESCAPED_QUEUE = "R&amp;D &lt;urgent&gt; $5 (Q2)"


# ---------------------------------------------------------------- content


def test_headline_figures_match_the_plan(page: str) -> None:
    text = text_of(section(page, "summary"))
    for figure in ("Weekly cost 1,225 ILS 22.0 paid hours",
                   "Planned service level 81.2% target 80% of calls answered within 60 s; "
                   "3.1% of calls expected to hang up (Erlang A)",
                   "Simulated service level 80.3% 95% confidence 78.1%–82.6%; 3.1% of calls "
                   "abandoned; average wait 14 s; 20 simulated weeks",
                   "Solver gap 4.2% status feasible",
                   "Intervals below target 3 of 10 open queue-intervals",
                   "Intervals short of staff 2"):  # fmt: skip
        assert figure in text
    assert page.count('class="card warn"') == 2


def test_every_queue_appears_with_its_levels(page: str) -> None:
    assert body_rows(section(page, "queues")) == [
        "Companies (Q1) 80% 47 3.5 3.5 79.2% 2.0% 79.5% (77.0%–82.0%) 2",
        f"{ESCAPED_QUEUE} 75% 23 2.5 2.0 77.3% 4.5% 78.1% (75.1%–81.1%) 1",
    ]
    for anchor in ("queues", "staffing", "service-level", "forecast"):
        assert "Companies (Q1)" in section(page, anchor)
        assert ESCAPED_QUEUE in section(page, anchor)


def test_look_at_lists_rules_in_words_and_misses_per_queue(page: str) -> None:
    look = section(page, "look-at")
    assert "<li>History has a 3-day gap &amp; ends &lt;early&gt;</li>" in look  # a warning
    assert "<li>Sun 29-11 08:15–08:30 R&amp;D &lt;urgent&gt; $5 (Q2): up to 1 agent short" in look
    assert cells(look) == [
        ("", "Companies (Q1)"), ("num", "2"), ("", "60.0% on Sun 29-11 08:30"), ("num", "1"),
        ("", ESCAPED_QUEUE), ("num", "1"), ("", "70.0% on Sun 29-11 08:15"), ("num", "1"),
    ]  # fmt: skip
    details = section(page, "details")
    assert "79.9%" in details and "80.0%" not in details  # 79.996% is below 80%: never "80.0%"


def test_agent_hours_and_levels_per_queue_and_day(page: str) -> None:
    staffing = section(page, "staffing").split("Leads and managers")
    assert cells(staffing[0]) == [
        ("", "Companies (Q1)"), ("num", "2.5 / 2.5"), ("num", "1.0 / 1.0"),
        ("", ESCAPED_QUEUE), ("num short", "2.0 / 2.5"), ("num", "closed"),
    ]  # fmt: skip
    assert cells(staffing[1]) == [("", "shift lead"), ("num", "0.5"), ("num", "0.2"),
                                  ("num short", "1")]  # fmt: skip
    levels = section(page, "service-level").split("Service level per queue and day")[1]
    # Q1 Sunday: (10 x 0.90 + 12 x 0.82 + 14 x 0.60) / 36 = 75.7%, below 80%.
    assert cells(levels) == [
        ("", "Companies (Q1)"), ("num short", "75.7% / 72.5%"), ("num", "86.3% / 87.0%"),
        ("", ESCAPED_QUEUE), ("num", "77.3% / 78.7%"), ("num", "closed"),
    ]  # fmt: skip


def test_forecast_models_in_plain_words(page: str) -> None:
    forecast = section(page, "forecast")
    assert "Daily trend and weekly pattern (ETS)" in forecast
    assert "27.6%" in forecast and "36.8%" in forecast and "240 s" in forecast
    assert "&lt;b&gt;custom&lt;/b&gt;" in forecast and "<b>" not in forecast
    assert "last two weeks of history" in forecast


def test_cost_breakdown_worked_by_hand() -> None:
    breakdown = cost_breakdown(make_plan())
    assert breakdown.by_role == (
        RoleCost(label="Agents", hours=18.0, base_pay=840.0, premiums=120.0, overtime=25.0,
                 cost=985.0),
        RoleCost(label="Shift leads", hours=4.0, base_pay=240.0, premiums=0.0, overtime=0.0,
                 cost=240.0),
    )  # fmt: skip
    assert breakdown.by_premium == (
        CostLine(label=BASE_PAY, hours=22.0, cost=1080.0),
        CostLine(label="Evening premium (x1.25)", hours=2.0, cost=20.0),
        CostLine(label="Friday premium (x1.5)", hours=4.0, cost=100.0),
        CostLine(label="Overtime premium (weekly hours beyond the threshold)", hours=2.0,
                 cost=25.0),
    )  # fmt: skip
    assert breakdown.total == 1225.0 == make_plan().result.cost
    named = [line.cost for line in breakdown.by_premium if line.label.startswith(("Evening",
                                                                                 "Friday"))]
    assert sum(named) == sum(r.premiums for r in breakdown.by_role)  # the sheet's one figure


def test_cost_section_tables(page: str) -> None:
    rows = body_rows(section(page, "cost"))
    assert rows == [
        "Agents 18.0 840 120 25 985 80.4%", "Shift leads 4.0 240 0 0 240 19.6%",
        "Total 22.0 1,080 120 25 1,225 100.0%",
        "Base pay (hourly rate) 22.0 1,080 88.2%", "Evening premium (x1.25) 2.0 20 1.6%",
        "Friday premium (x1.5) 4.0 100 8.2%",
        "Overtime premium (weekly hours beyond the threshold) 2.0 25 2.0%", "Total 1,225",
    ]


def test_heat_map_categories_per_queue_and_interval() -> None:
    plan = make_plan()
    queues = queue_labels(plan)
    axis = week_axis(plan.requirements)
    assert axis.size == 6 and axis.day_labels == ("Sun 29 Nov", "Fri 04 Dec")
    labels = [label for label, _ in HEAT_CATEGORIES]
    named = lambda codes: [[None if math.isnan(c) else labels[int(c)] for c in row]  # noqa: E731
                           for row in codes]  # fmt: skip
    assert named(heat_codes(plan, queues, axis, "expected_service_level")) == [
        ["on target", "near target", "understaffed", "no calls expected", "below target",
         "on target"],
        ["on target", "understaffed", "near target", "understaffed", None, None],
    ]  # fmt: skip
    assert named(heat_codes(plan, queues, axis, "simulated_service_level"))[1] == [
        "on target", "below target", "near target", "on target", None, None]


# ---------------------------------------------------------------- self-contained and safe


def test_charts_are_inline_svg_with_unique_ids(page: str) -> None:
    svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.DOTALL)
    assert len(svgs) == 4  # staffing, planned heat map, simulated heat map, forecast
    assert all(ESCAPED_QUEUE in svg and "Companies (Q1)" in svg for svg in svgs)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert [i for i, n in collections.Counter(ids).items() if n > 1] == []
    used = set(re.findall(r'(?:url\(#|href="#)([^")]+)', page))
    assert used and used <= set(ids)
    assert "data:image/png;base64," in page  # the heat maps' cells


def test_nothing_is_fetched_from_anywhere(page: str) -> None:
    lowered = page.lower()
    for forbidden in ("http://", "https://", "<script", " src=", "<link", "@import", "<iframe",
                      "<object", "<embed"):  # fmt: skip
        assert forbidden not in lowered
    assert re.findall(r"url\((?!#)", lowered) == []
    assert re.findall(r'href="(?!#|data:)', lowered) == []


def test_user_text_is_escaped_everywhere(page: str) -> None:
    for raw in ("<urgent>", "<Call>", "R&D", "<b>custom"):
        assert raw not in page
    assert "<title>Weekly plan: Levi &amp; Sons &lt;Call&gt; center, Week of Sunday" in page
    assert "<h1>Weekly plan: Levi &amp; Sons &lt;Call&gt; center</h1>" in page


def test_same_plan_gives_the_same_file(page: str) -> None:
    assert render_report_html(make_plan()) == page


# ---------------------------------------------------------------- missing parts


def test_plan_without_simulation_history_or_misses_says_so() -> None:
    base = make_plan()
    full = summary()
    quiet = dataclasses.replace(
        full, service_level=dataclasses.replace(full.service_level, simulated=None),
        intervals_below_target=(), rule_report=(), forecast=(), warnings=())
    plan = dataclasses.replace(
        base, summary=quiet, history=None, requirements=requirements_table(simulated=False),
        result=dataclasses.replace(base.result, shortfalls=()))  # fmt: skip
    page = render_report_html(plan)
    assert "Simulated service level not simulated" in text_of(section(page, "summary"))
    assert "Nothing to look at: every open interval meets" in section(page, "look-at")
    assert len(re.findall(r"<svg\b", page)) == 3  # no simulated heat map
    assert "(no history in this plan)" in page and "Forecast model per queue" not in page
    assert "No interval is below its target." in section(page, "details")
    assert "not simulated" in section(page, "queues")


def test_bare_summary_and_empty_roster_still_render() -> None:
    base = make_plan()
    empty = Roster(week_start=SUNDAY, assignments=())
    result = dataclasses.replace(base.result, roster=empty)
    sim = SimulatedServiceLevels(replications=1, seed=0,
                                 overall=SimulatedFigures(service_level=0.5))
    bare = summary_for(base.workbook, SUNDAY, result, service_level=dataclasses.replace(
        base.summary.service_level, simulated=sim))
    plan = dataclasses.replace(base, summary=bare, result=result)
    page = render_report_html(plan)
    assert "Weekly cost 1,225 ILS" in text_of(section(page, "summary"))  # from the result
    assert "Simulated service level 50.0%" in text_of(section(page, "summary"))
    assert "No shifts in this roster, so no cost." in section(page, "cost")


# ---------------------------------------------------------------- plan folder, size, speed


def test_write_plan_adds_the_report_unless_told_not_to(tmp_path: Path) -> None:
    out = write_plan(make_plan(), tmp_path / "plan")
    assert (out / "report.html").read_text(encoding="utf-8") == render_report_html(make_plan())
    bare = write_plan(make_plan(), tmp_path / "bare", report=False)
    assert not (bare / "report.html").exists() and (bare / "summary.json").is_file()


def big_plan(queues: int = 12, days: int = 6) -> Plan:
    """About the demo's size: 12 queues x 6 days x 52 open intervals, three weeks of history."""
    base = make_plan()
    qs = tuple(Queue(queue_id=f"Q{i}", name=f"Queue {i}") for i in range(queues))
    starts = [at(SUNDAY + dt.timedelta(days=d), 8) + dt.timedelta(minutes=15 * k)
              for d in range(days) for k in range(52)]  # fmt: skip
    n, rng = len(starts) * queues, np.random.default_rng(0)
    requirements = pd.DataFrame({
        "queue": [q.queue_id for q in qs for _ in starts], "interval_start": starts * queues,
        "calls": rng.uniform(0, 30, n), "aht_s": 300.0,
        "required_agents": rng.integers(0, 8, n), "scheduled_agents": rng.integers(0, 8, n),
        "expected_service_level": rng.uniform(0.6, 1.0, n),
        "simulated_service_level": rng.uniform(0.6, 1.0, n),
    })  # fmt: skip
    forecast = requirements[["queue", "interval_start", "calls", "aht_s"]].assign(
        calls_lo=requirements["calls"] * 0.8, calls_hi=requirements["calls"] * 1.2)
    past = pd.date_range(at(SUNDAY, 0) - dt.timedelta(days=21), at(SUNDAY, 0), freq="15min",
                         inclusive="left")  # fmt: skip
    history = pd.DataFrame({"queue": np.repeat([q.queue_id for q in qs], len(past)),
                            "interval_start": np.tile(past, queues),
                            "offered": rng.integers(0, 30, len(past) * queues)})  # fmt: skip
    workbook = dataclasses.replace(base.workbook, queues=qs)
    return dataclasses.replace(base, workbook=workbook, requirements=requirements,
                               forecast=forecast, history=history)  # fmt: skip


def test_real_size_report_is_quick_and_small(tmp_path: Path) -> None:
    plan = big_plan()
    write_report_html(plan, tmp_path / "report.html")
    size = (tmp_path / "report.html").stat().st_size
    assert size < 3_000_000, f"{size:,} bytes"
    assert len(re.findall(r"<svg\b", (tmp_path / "report.html").read_text("utf-8"))) == 4


# ---------------------------------------------------------------- in a real browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    write_report_html(big_plan(), report)
    png = tmp_path / "report.png"
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}",
        "--window-size=1400,3000", report.as_uri(),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1400, 3000)
    assert len(data) > 50_000  # a page of charts and tables, not a blank or an error page
    dom = subprocess.run([*command[:-3], "--dump-dom", report.as_uri()], capture_output=True,
                         text=True, timeout=120, check=False)  # fmt: skip
    assert "Weekly plan: Levi &amp; Sons &lt;Call&gt; center" in dom.stdout
    assert dom.stdout.count("<svg") == 4
