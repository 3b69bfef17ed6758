"""The HTML report's chart and table sections: staffing, service level, forecast and cost."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from forecasts import QueueForecastReport
from outputs import charts
from outputs.charts import HEAT_CATEGORIES, QueueLabel
from outputs.report_costs import cost_breakdown
from outputs.report_parts import esc, figure, table
from outputs.report_sections import currency_of, number, pct, simulated
from scheduler.plan import Plan
from scheduler.staffing import calls_weighted_level

MODEL_NAMES = {
    "top_down_ets": "Daily trend and weekly pattern (ETS), spread by the intraday profile",
    "seasonal_naive": "Same interval in previous weeks (seasonal naive)",
    "top_down_month": "Daily totals with the month cycle (weekday mean + ETS), spread by the "
                      "intraday profile",
}
SIMULATED_COLUMN = "simulated_service_level"
PLANNED_COLUMN = "expected_service_level"


def staffing(plan: Plan, queues: Sequence[QueueLabel]) -> str:
    """The needed-vs-scheduled chart, agent-hours per queue and day, and lead coverage."""
    svg = charts.staffing_chart(plan, queues)
    parts = [figure(svg, "Agents needed to meet the target (shaded) and agents scheduled on the "
                         "queue (line), every open interval of the week; nights left out.")]
    parts.append("<h3>Agent-hours scheduled / needed, per queue and day</h3>")
    parts.append(_per_day_table(plan, queues))
    parts.append(_lead_table(plan))
    return "\n".join(parts)


def _per_day_table(plan: Plan, queues: Sequence[QueueLabel]) -> str:
    req = plan.requirements.assign(
        day=pd.to_datetime(plan.requirements["interval_start"]).dt.date)
    hour = plan.workbook.center.interval_minutes / 60
    days = sorted(req["day"].unique())
    sums = req.groupby(["queue", "day"])[["required_agents", "scheduled_agents"]].sum() * hour
    rows, classes = [], []
    for q in queues:
        row: list[object] = [q.label]
        css = [""]
        for d in days:
            if (q.queue_id, d) not in sums.index:
                row.append("closed")
                css.append("")
                continue
            need, have = sums.loc[(q.queue_id, d)]
            row.append(f"{have:,.1f} / {need:,.1f}")
            css.append("short" if have < need - 1e-9 else "")
        rows.append(row)
        classes.append(css)
    return table(["Queue", *(f"{d:%a %d-%m}" for d in days)], rows,
                 numeric=range(1, len(days) + 1), classes=classes,
                 caption="Shaded: fewer agent-hours scheduled than needed that day.")  # fmt: skip


def _lead_table(plan: Plan) -> str:
    roles = plan.role_requirements
    if roles is None or roles.empty:
        return ""
    hour = plan.workbook.center.interval_minutes / 60
    rows, classes = [], []
    for role, mine in roles.groupby("role", sort=False):
        short = int((mine["on_duty"] < mine["required"]).sum())
        rows.append([str(role).replace("_", " "), f"{mine['required'].sum() * hour:,.1f}",
                     f"{mine['on_duty'].sum() * hour:,.1f}", short])
        classes.append(["", "", "", "short" if short else ""])
    return "<h3>Leads and managers on duty</h3>\n" + table(
        ["Role", "Hours needed on duty", "Hours on duty", "Intervals short"], rows,
        numeric=(1, 2, 3), classes=classes)  # fmt: skip


def heat_maps(plan: Plan, queues: Sequence[QueueLabel]) -> str:
    """Planned (and simulated) service level per queue and interval, then per queue and day."""
    legend = ", ".join(label for label, _ in HEAT_CATEGORIES)
    parts = [figure(charts.heatmap_chart(plan, queues, PLANNED_COLUMN, "heat-planned"),
                    "Planned service level (Erlang, on the agents scheduled) of every open "
                    f"interval, rated against the queue's target: {legend}. Understaffed: "
                    "fewer agents than needed; near target: less than 5 points above it; "
                    "white: the queue is closed.")]  # fmt: skip
    if simulated(plan) is not None or SIMULATED_COLUMN in plan.requirements.columns:
        parts.append(figure(charts.heatmap_chart(plan, queues, SIMULATED_COLUMN, "heat-sim"),
                            "Simulated service level of every open interval (mean over the "
                            "simulated weeks), rated the same way."))  # fmt: skip
    parts.append("<h3>Service level per queue and day</h3>")
    parts.append(_level_by_day(plan, queues))
    return "\n".join(parts)




def _level_by_day(plan: Plan, queues: Sequence[QueueLabel]) -> str:
    """Calls-weighted planned level per queue and day (simulated beside it when present)."""
    req = plan.requirements.assign(
        day=pd.to_datetime(plan.requirements["interval_start"]).dt.date)
    days = sorted(req["day"].unique())
    has_sim = SIMULATED_COLUMN in req.columns and req[SIMULATED_COLUMN].notna().any()
    rows, classes = [], []
    for q in queues:
        row: list[object] = [q.label]
        css = [""]
        for d in days:
            mine = req[(req["queue"] == q.queue_id) & (req["day"] == d)]
            level = calls_weighted_level(mine, PLANNED_COLUMN) if not mine.empty else None
            text = pct(level) if level is not None else ("closed" if mine.empty else "no calls")
            if has_sim and not mine.empty:
                text += f" / {pct(calls_weighted_level(mine, SIMULATED_COLUMN))}"
            row.append(text)
            css.append("short" if level is not None and level < q.target - 1e-9 else "")
        rows.append(row)
        classes.append(css)
    what = "planned / simulated" if has_sim else "planned"
    return table(["Queue", *(f"{d:%a %d-%m}" for d in days)], rows,
                 numeric=range(1, len(days) + 1), classes=classes,
                 caption=f"Service level ({what}) weighted by forecast calls; shaded: below "
                         "the queue's target.")  # fmt: skip


def forecast(plan: Plan, queues: Sequence[QueueLabel]) -> str:
    """Forecast against the last two weeks of history, and the model chosen per queue."""
    history = ("calls offered in the last two weeks of history (grey), then " if
               plan.history is not None else "(no history in this plan) ")  # fmt: skip
    parts = [figure(charts.forecast_chart(plan, queues),
                    f"Calls per interval: {history}the forecast (blue line) with its 80% band "
                    "(shaded): 8 intervals in 10 should fall inside it. The dashed line is the "
                    "start of the planned week.")]  # fmt: skip
    models = plan.summary.forecast
    if models:
        parts.append("<h3>Forecast model per queue</h3>")
        parts.append(_model_table(models, queues))
    return "\n".join(parts)


def _model_table(models: Sequence[QueueForecastReport], queues: Sequence[QueueLabel]) -> str:
    labels = {q.queue_id: q.label for q in queues}
    rows = []
    for m in models:
        wape, base, aht = number(m.wape), number(m.baseline_wape), number(m.mean_aht_s)
        rows.append([labels.get(m.queue_id, m.queue_id), MODEL_NAMES.get(m.model, m.model),
                     pct(wape), pct(base), m.backtest_weeks,
                     "—" if aht is None else f"{aht:,.0f} s"])  # fmt: skip
    return table(["Queue", "Model chosen", "Backtest error (WAPE)", "Baseline error",
                  "Weeks tested", "Mean handle time"], rows, numeric=(2, 3, 4, 5),
                 caption="WAPE: calls the forecast got wrong, as a share of calls, over the "
                         "last weeks of history; the baseline repeats earlier weeks. Lower is "
                         "better.")  # fmt: skip


def cost(plan: Plan) -> str:
    """The week's cost by role (as the Hours & cost sheet splits it) and by pay premium."""
    breakdown = cost_breakdown(plan)
    if not breakdown.by_role:
        return "<p>No shifts in this roster, so no cost.</p>"
    currency = currency_of(plan)
    total = breakdown.total or 1.0
    money = lambda value: f"{value:,.0f}"  # noqa: E731
    roles = [[r.label, f"{r.hours:,.1f}", money(r.base_pay), money(r.premiums),
              money(r.overtime), money(r.cost), pct(r.cost / total)] for r in breakdown.by_role]
    roles.append(["Total", f"{sum(r.hours for r in breakdown.by_role):,.1f}",
                  *(money(sum(getattr(r, f) for r in breakdown.by_role))
                    for f in ("base_pay", "premiums", "overtime")),
                  money(breakdown.total), pct(1.0)])  # fmt: skip
    pay = [[line.label, f"{line.hours:,.1f}", money(line.cost), pct(line.cost / total)]
           for line in breakdown.by_premium]  # fmt: skip
    pay.append(["Total", "", money(sum(line.cost for line in breakdown.by_premium)), ""])
    note = esc("Base pay is every paid hour at the hourly rate; a premium line is only the "
               "extra it adds (x1.5 on Friday adds half the rate) over the hours it applies to.")
    return (
        "<h3>By role</h3>\n"
        + table(["Role", "Paid hours", "Base pay", "Premiums", "Overtime",
                 f"Cost ({currency})", "Share"], roles, numeric=range(1, 7))
        + "\n<h3>By pay premium</h3>\n"
        + table(["Pay", "Paid hours", f"Cost ({currency})", "Share"], pay, numeric=(1, 2, 3))
        + f'\n<p class="muted">{note} The role table is the Hours &amp; cost sheet of '
        "roster.xlsx summed by role.</p>"
    )  # fmt: skip
