"""The HTML report's sections, each a function of the plan returning an HTML fragment.

Figures come from `plan.summary` (what summary.json holds) and the plan's tables; anything the
plan does not have (no simulation, no history, no forecast report) is said in words instead.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from outputs.charts import QueueLabel
from outputs.report_parts import card, esc, table
from scheduler.plan import Plan

SHOWN_RULES = 10  # rule lines under "What to look at"; all of them at the end

# ---------------------------------------------------------------- reading the summary


def dig(summary: dict[str, Any], *keys: str) -> Any:
    """The value at summary[k1][k2]...; None when any level is missing or not a mapping."""
    value: Any = summary
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def number(value: Any) -> float | None:
    """A summary value as a float; None for missing, text, NaN or infinity."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def pct(value: Any, digits: int = 1) -> str:
    share = number(value)
    return "—" if share is None else f"{share:.{digits}%}"


def pct_down(value: Any) -> str:
    """A level below its target, rounded down so that 79.96% never reads as 80.0%."""
    share = number(value)
    return "—" if share is None else pct(math.floor(share * 1000) / 1000)


def money(value: Any, currency: str) -> str:
    amount = number(value)
    return "—" if amount is None else f"{amount:,.0f} {currency}".strip()


def currency_of(plan: Plan) -> str:
    return str(plan.summary.get("currency") or plan.workbook.center.currency)


def week_text(plan: Plan) -> str:
    """``Week of Sunday 29 November 2026 to Saturday 5 December 2026``."""
    first, last = plan.week_start, plan.week_start + dt.timedelta(days=6)
    spell = lambda d: f"{d:%A} {d.day} {d:%B %Y}"  # noqa: E731
    return f"Week of {spell(first)} to {spell(last)}"


def simulated(plan: Plan) -> dict[str, Any] | None:
    """summary["service_level"]["simulated"] when the roster was simulated, else None."""
    value = dig(plan.summary, "service_level", "simulated")
    return value if isinstance(value, dict) and value else None


def sim_figures(entry: Any) -> dict[str, Any]:
    """One simulated entry ({service_level, ci95, ...} or a bare level) as a mapping."""
    return entry if isinstance(entry, dict) else {"service_level": entry}


def ci_text(figures: dict[str, Any]) -> str:
    ci = figures.get("ci95")
    if isinstance(ci, list | tuple) and len(ci) == 2 and None not in map(number, ci):
        return f"{pct(ci[0])}–{pct(ci[1])}"
    return ""


def target_text(plan: Plan) -> str:
    target = dig(plan.summary, "service_level", "target") or plan.workbook.center.service_level
    seconds = dig(plan.summary, "service_level", "answer_seconds")
    seconds = seconds or plan.workbook.center.answer_seconds
    return f"target {pct(target, 0)} of calls answered within {seconds} s"


# ---------------------------------------------------------------- sections


def headline(plan: Plan) -> str:
    """Cost, planned and simulated service level, solver gap, and what falls short."""
    summary, currency = plan.summary, currency_of(plan)
    hours = number(summary.get("paid_hours"))
    cards = [card("Weekly cost", money(summary.get("cost", plan.result.cost), currency),
                  f"{hours:,.1f} paid hours" if hours is not None else "")]  # fmt: skip
    planned = dig(summary, "service_level", "planned", "overall")
    note = target_text(plan)
    abandon = number(dig(summary, "abandonment", "planned", "overall"))
    if abandon is not None:
        note += f"; {pct(abandon)} of calls expected to hang up (Erlang A)"
    cards.append(card("Planned service level", pct(planned), note))
    cards.append(_simulated_card(plan))
    cards.append(_solver_card(plan))
    below = summary.get("intervals_below_target")
    if isinstance(below, list):
        cards.append(card("Intervals below target", f"{len(below):,}",
                          f"of {len(plan.requirements):,} open queue-intervals",
                          warn=bool(below)))  # fmt: skip
    short = len(plan.result.shortfalls)
    cards.append(card("Intervals short of staff", f"{short:,}",
                      "queue or lead intervals with fewer on duty than needed", warn=short > 0))
    return f'<div class="cards">{"".join(cards)}</div>'


def _simulated_card(plan: Plan) -> str:
    sim = simulated(plan)
    if sim is None:
        return card("Simulated service level", "not simulated",
                    "this plan's roster was not checked by simulation")
    figures = sim_figures(sim.get("overall"))
    notes = []
    if ci_text(figures):
        notes.append(f"95% confidence {ci_text(figures)}")
    if number(figures.get("abandon_rate")) is not None:
        notes.append(f"{pct(figures['abandon_rate'])} of calls abandoned")
    if number(figures.get("asa_s")) is not None:
        notes.append(f"average wait {number(figures['asa_s']):.0f} s")
    if number(sim.get("replications")) is not None:
        notes.append(f"{sim['replications']} simulated weeks")
    return card("Simulated service level", pct(figures.get("service_level")), "; ".join(notes))


def _solver_card(plan: Plan) -> str:
    status = str(plan.summary.get("status") or plan.result.status)
    gap = number(plan.summary.get("gap", plan.result.gap))
    if status == "optimal":
        note = "proven the cheapest roster under the rules"
    else:
        note = ("best roster found in the time limit, not proven cheapest; the gap is how far "
                "the proof is from it (0% is proven best)")
    return card("Solver gap", pct(gap), f"status {status}: {note}")


def look_at(plan: Plan, queues: Sequence[QueueLabel]) -> str:
    """The misses per queue, then the first short-staffing and broken-rule lines in words."""
    lines = rule_lines(plan)
    below = plan.summary.get("intervals_below_target") or []
    warnings = [str(w) for w in plan.summary.get("warnings") or []]
    parts = []
    if warnings:
        parts.append(f"<h3>Warnings ({len(warnings)})</h3>\n{rule_list(warnings)}")
    if not lines and not below:
        return "\n".join([*parts, "<p>Nothing to look at: every open interval meets its "
                           "service level target and no rule is broken.</p>"])  # fmt: skip
    if below:
        parts.append("<h3>Intervals below the service level target, by queue</h3>")
        parts.append(_below_by_queue(below, queues))
    if lines:
        parts.append(f"<h3>Short staffing and broken rules ({len(lines)})</h3>")
        parts.append(rule_list(lines[:SHOWN_RULES]))
        if len(lines) > SHOWN_RULES:
            parts.append(f'<p class="muted">… and {len(lines) - SHOWN_RULES} more, all listed '
                         'at the end of this report.</p>')
    else:
        parts.append("<p>No rule is broken and no interval is short of staff.</p>")
    return "\n".join(parts)


def rule_lines(plan: Plan) -> list[str]:
    """summary["rule_report"]: one plain line per short run or broken rule."""
    return [str(line) for line in plan.summary.get("rule_report") or []]


def rule_list(lines: Sequence[str]) -> str:
    return '<ul class="rules">' + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>"


def _below_by_queue(below: list[dict[str, Any]], queues: Sequence[QueueLabel]) -> str:
    frame = pd.DataFrame(below)
    rows = []
    for q in queues:
        mine = frame[frame["queue"] == q.queue_id]
        if mine.empty:
            continue
        worst = mine.sort_values("planned_service_level", kind="stable").iloc[0]
        when = pd.Timestamp(worst["interval_start"])
        rows.append([q.label, len(mine), f"{pct_down(worst['planned_service_level'])} on "
                     f"{when:%a %d-%m %H:%M}", int(mine["shortfall_agents"].sum())])  # fmt: skip
    return table(["Queue", "Intervals below target", "Lowest planned level",
                  "Agent-intervals short"], rows, numeric=(1, 3),
                 caption="Every interval is listed at the end of this report.")  # fmt: skip


def queue_table(plan: Plan, queues: Sequence[QueueLabel]) -> str:
    """Per queue: target, forecast calls, agent-hours needed and scheduled, levels."""
    req = plan.requirements
    hour = plan.workbook.center.interval_minutes / 60
    planned = dig(plan.summary, "service_level", "planned", "by_queue") or {}
    sim = simulated(plan)
    by_queue_sim = (sim or {}).get("by_queue") or {}
    below = pd.DataFrame(plan.summary.get("intervals_below_target") or [], columns=["queue"])
    rows, classes = [], []
    for q in queues:
        mine = req[req["queue"] == q.queue_id]
        needed = float(mine["required_agents"].sum()) * hour
        scheduled = float(mine["scheduled_agents"].sum()) * hour
        level = planned.get(q.queue_id) if isinstance(planned, dict) else None
        figures = sim_figures(by_queue_sim.get(q.queue_id)) if sim else {}
        sim_text = pct(figures.get("service_level")) if sim else "not simulated"
        if ci_text(figures):
            sim_text += f" ({ci_text(figures)})"
        misses = int((below["queue"] == q.queue_id).sum())
        rows.append([q.label, pct(q.target, 0), f"{mine['calls'].sum():,.0f}",
                     f"{needed:,.1f}", f"{scheduled:,.1f}", pct(level), sim_text, misses])
        low = number(level) is not None and number(level) < q.target  # type: ignore[operator]
        classes.append(["", "", "", "", "short" if scheduled < needed else "",
                        "short" if low else "", "", "short" if misses else ""])
    headers = ["Queue", "Target", "Forecast calls", "Agent-hours needed",
               "Agent-hours scheduled", "Planned service level", "Simulated (95% confidence)",
               "Intervals below target"]  # fmt: skip
    abandon = dig(plan.summary, "abandonment", "planned", "by_queue")
    if isinstance(abandon, dict) and abandon:
        headers.insert(6, "Planned abandonment")
        for q, row, css in zip(queues, rows, classes, strict=True):
            row.insert(6, pct(abandon.get(q.queue_id)))
            css.insert(6, "")
    return table(headers, rows, numeric=range(1, len(headers)), classes=classes,
                 caption="Service levels weighted by forecast calls over the week.")


def details(plan: Plan, queues: Sequence[QueueLabel]) -> str:
    """Every interval below target, then how the plan was made (solver, seed, inputs)."""
    below = plan.summary.get("intervals_below_target") or []
    labels = {q.queue_id: q.label for q in queues}
    parts = []
    lines = rule_lines(plan)
    if len(lines) > SHOWN_RULES:
        parts.append(f"<h3>Short staffing and broken rules ({len(lines)})</h3>")
        parts.append(rule_list(lines))
    if below:
        rows = []
        for r in below:
            when = pd.Timestamp(r.get("interval_start"))
            rows.append([labels.get(r.get("queue"), r.get("queue")), f"{when:%a %d-%m}",
                         f"{when:%H:%M}", pct_down(r.get("planned_service_level")),
                         pct(r.get("target"), 0), r.get("required_agents"),
                         r.get("scheduled_agents"), r.get("shortfall_agents")])  # fmt: skip
        parts.append(f"<h3>Intervals below target ({len(below)})</h3>")
        parts.append(table(["Queue", "Day", "Interval", "Planned level", "Target",
                            "Agents needed", "Agents scheduled", "Agents short"], rows,
                           numeric=(3, 4, 5, 6, 7)))  # fmt: skip
    else:
        parts.append("<p>No interval is below its target.</p>")
    parts.append("<h3>How this plan was made</h3>")
    parts.append(table(["Item", "Value"], _made_rows(plan)))
    return "\n".join(parts)


def _made_rows(plan: Plan) -> list[list[object]]:
    summary = plan.summary
    given = summary.get("solver")
    solver: dict[str, Any] = given if isinstance(given, dict) else {}
    runtime = summary.get("runtime_s")
    total = number(runtime.get("total")) if isinstance(runtime, dict) else number(runtime)
    rows: list[list[object]] = [
        ["Solver status", summary.get("status", plan.result.status)],
        ["Cost found", money(summary.get("cost"), "")],
        ["Score (cost + shortfall penalties) / lowest possible (bound)",
         f"{money(solver.get('objective'), '')} / {money(summary.get('lower_bound'), '')}"],
        ["Solver time limit", f"{solver.get('time_limit_s', '—')} s"],
        ["Seed", summary.get("seed", plan.workbook.center.seed)],
        ["Service level scope", dig(summary, "service_level", "scope") or
         plan.workbook.center.service_level_scope.value],
    ]  # fmt: skip
    if total is not None:
        rows.append(["Run time", f"{total:,.1f} s"])
    for name, entry in (summary.get("inputs") or {}).items():
        digest = entry.get("sha256", "") if isinstance(entry, dict) else entry
        rows.append([f"Input {name} (SHA-256)", str(digest)[:16]])
    return rows


def footer(plan: Plan) -> str:
    return (f"<footer>{esc(week_text(plan))}. The roster itself is in roster.xlsx; the figures "
            "here come from summary.json and requirements.csv in the same folder.</footer>")
