"""The HTML report's sections, each a function of the plan returning an HTML fragment.

Figures come from `plan.summary` (what summary.json holds, typed) and the plan's tables; anything
the plan does not have (no simulation, no history, no forecast report) is said in words instead.
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
from scheduler.planned import IntervalBelowTarget
from scheduler.roster import skills_text
from scheduler.summary import SimulatedFigures, SimulatedServiceLevels

SHOWN_RULES = 10  # rule lines under "What to look at"; all of them at the end

# ---------------------------------------------------------------- reading the summary


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
    return plan.summary.currency or plan.workbook.center.currency


def week_text(plan: Plan) -> str:
    """``Week of Sunday 29 November 2026 to Saturday 5 December 2026``."""
    first, last = plan.week_start, plan.week_start + dt.timedelta(days=6)
    spell = lambda d: f"{d:%A} {d.day} {d:%B %Y}"  # noqa: E731
    return f"Week of {spell(first)} to {spell(last)}"


def simulated(plan: Plan) -> SimulatedServiceLevels | None:
    """The simulated service levels when the roster was simulated, else None."""
    return plan.summary.service_level.simulated


def ci_text(figures: SimulatedFigures | None) -> str:
    ci = None if figures is None else figures.ci95
    if ci is not None and len(ci) == 2 and None not in map(number, ci):
        return f"{pct(ci[0])}–{pct(ci[1])}"
    return ""


def target_text(plan: Plan) -> str:
    level = plan.summary.service_level
    target = level.target or plan.workbook.center.service_level
    seconds = level.answer_seconds or plan.workbook.center.answer_seconds
    return f"target {pct(target, 0)} of calls answered within {seconds} s"


# ---------------------------------------------------------------- sections


def headline(plan: Plan) -> str:
    """Cost, planned and simulated service level, solver gap, and what falls short."""
    summary, currency = plan.summary, currency_of(plan)
    hours = number(summary.paid_hours)
    cards = [card("Weekly cost", money(summary.solve.cost, currency),
                  f"{hours:,.1f} paid hours" if hours is not None else "")]  # fmt: skip
    planned = summary.service_level.planned.overall
    note = target_text(plan)
    abandon = number(summary.abandonment.overall)
    if abandon is not None:
        note += f"; {pct(abandon)} of calls expected to hang up (Erlang A)"
    cards.append(card("Planned service level", pct(planned), note))
    cards.append(_simulated_card(plan))
    cards.append(_solver_card(plan))
    below = summary.intervals_below_target
    cards.append(card("Intervals below target", f"{len(below):,}",
                      f"of {len(plan.requirements):,} open queue-intervals", warn=bool(below)))
    short = len(plan.result.shortfalls)
    cards.append(card("Intervals short of staff", f"{short:,}",
                      "queue or lead intervals with fewer on duty than needed", warn=short > 0))
    free = summary.free_time
    if free is not None:
        cards.append(card("Free agent time", f"{free.agent_hours:,.1f} h",
                          f"of {free.on_duty_hours:,.1f} agent-hours on duty: agents the "
                          "service level does not need, capacity for other work"))
    return f'<div class="cards">{"".join(cards)}</div>'


def _simulated_card(plan: Plan) -> str:
    sim = simulated(plan)
    if sim is None:
        return card("Simulated service level", "not simulated",
                    "this plan's roster was not checked by simulation")
    figures = sim.overall
    notes = []
    if ci_text(figures):
        notes.append(f"95% confidence {ci_text(figures)}")
    if number(figures.abandon_rate) is not None:
        notes.append(f"{pct(figures.abandon_rate)} of calls abandoned")
    wait = number(figures.asa_s)
    if wait is not None:
        notes.append(f"average wait {wait:.0f} s")
    notes.append(f"{sim.replications} simulated weeks")
    return card("Simulated service level", pct(figures.service_level), "; ".join(notes))


def _solver_card(plan: Plan) -> str:
    status = plan.summary.solve.status
    gap = number(plan.summary.solve.gap)
    if status == "optimal":
        note = "proven the cheapest roster under the rules"
    else:
        note = ("best roster found in the time limit, not proven cheapest; the gap is how far "
                "the proof is from it (0% is proven best)")
    return card("Solver gap", pct(gap), f"status {status}: {note}")


def look_at(plan: Plan, queues: Sequence[QueueLabel]) -> str:
    """The misses per queue, then the first short-staffing and broken-rule lines in words."""
    lines = rule_lines(plan)
    below = plan.summary.intervals_below_target
    warnings = list(plan.summary.warnings)
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
    """The summary's rule report: one plain line per short run or broken rule."""
    return list(plan.summary.rule_report)


def rule_list(lines: Sequence[str]) -> str:
    return '<ul class="rules">' + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>"


def _below_by_queue(below: Sequence[IntervalBelowTarget], queues: Sequence[QueueLabel]) -> str:
    frame = pd.DataFrame([m.as_dict() for m in below])
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
    planned = plan.summary.service_level.planned.by_queue
    sim = simulated(plan)
    below = pd.DataFrame({"queue": [m.queue for m in plan.summary.intervals_below_target]},
                         columns=["queue"])
    rows, classes = [], []
    for q in queues:
        mine = req[req["queue"] == q.queue_id]
        needed = float(mine["required_agents"].sum()) * hour
        scheduled = float(mine["scheduled_agents"].sum()) * hour
        level = planned.get(q.queue_id)
        figures = None if sim is None else sim.by_queue.get(q.queue_id)
        sim_text = ("not simulated" if sim is None else
                    pct(None if figures is None else figures.service_level))
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
    abandon = plan.summary.abandonment.by_queue
    if abandon:
        headers.insert(6, "Planned abandonment")
        for q, row, css in zip(queues, rows, classes, strict=True):
            row.insert(6, pct(abandon.get(q.queue_id)))
            css.insert(6, "")
    return table(headers, rows, numeric=range(1, len(headers)), classes=classes,
                 caption="Service levels weighted by forecast calls over the week.")


def details(plan: Plan, queues: Sequence[QueueLabel]) -> str:
    """Every interval below target, then how the plan was made (solver, seed, inputs)."""
    below = plan.summary.intervals_below_target
    labels = {q.queue_id: q.label for q in queues}
    parts = []
    lines = rule_lines(plan)
    if len(lines) > SHOWN_RULES:
        parts.append(f"<h3>Short staffing and broken rules ({len(lines)})</h3>")
        parts.append(rule_list(lines))
    if below:
        rows = []
        for r in below:
            when = pd.Timestamp(r.interval_start)
            rows.append([labels.get(r.queue, r.queue), f"{when:%a %d-%m}", f"{when:%H:%M}",
                         pct_down(r.planned_service_level), pct(r.target, 0),
                         r.required_agents, r.scheduled_agents, r.shortfall_agents])
        parts.append(f"<h3>Intervals below target ({len(below)})</h3>")
        parts.append(table(["Queue", "Day", "Interval", "Planned level", "Target",
                            "Agents needed", "Agents scheduled", "Agents short"], rows,
                           numeric=(3, 4, 5, 6, 7)))  # fmt: skip
    else:
        parts.append("<p>No interval is below its target.</p>")
    parts.append(free_time_section(plan))
    parts.append("<h3>How this plan was made</h3>")
    parts.append(table(["Item", "Value"], _made_rows(plan)))
    return "\n".join(parts)


def free_time_section(plan: Plan, shown: int = 15) -> str:
    """When and with which skills agents are on duty beyond what the service level needs."""
    free = plan.summary.free_time
    if free is None or not free.agent_hours:
        return ""
    rows = [[f"{s.start:%a %d-%m}", f"{s.start:%H:%M}–{s.end:%H:%M}",
             str(s.fewest) if s.fewest == s.most else f"{s.fewest}–{s.most}",
             f"{s.agent_hours:,.1f}", skills_text(s.by_skills)] for s in free.largest(shown)]
    more = len(free.spans) - len(rows)
    return (f"<h3>Free agent time ({free.agent_hours:,.1f} agent-hours)</h3>"
            "<p>Agents on duty whom no queue needs for its service level at these times "
            "(kept for their contract hours or shift lengths): time for e-mail, call-backs "
            f"or training. By skills: {esc(skills_text(free.by_skills, 6))}.</p>"
            + table(["Day", "Time", "Agents free", "Agent-hours", "Skills"], rows,
                    numeric=(2, 3))
            + (f"<p>… and {more} shorter runs in summary.json.</p>" if more > 0 else ""))


def _made_rows(plan: Plan) -> list[list[object]]:
    summary, solve = plan.summary, plan.summary.solve
    total = number(summary.runtime_s.get("total"))
    rows: list[list[object]] = [
        ["Solver status", solve.status],
        ["Cost found", money(solve.cost, "")],
        ["Score (cost + shortfall penalties) / lowest possible (bound)",
         f"{money(solve.objective, '')} / {money(solve.lower_bound, '')}"],
        ["Solver time limit", f"{solve.time_limit_s} s"],
        ["Seed", solve.seed],
        ["Service level scope", summary.service_level.scope or
         plan.workbook.center.service_level_scope.value],
    ]  # fmt: skip
    if total is not None:
        rows.append(["Run time", f"{total:,.1f} s"])
    for name, digest in summary.inputs.items():
        rows.append([f"Input {name} (SHA-256)", digest[:16]])
    return rows


def footer(plan: Plan) -> str:
    return (f"<footer>{esc(week_text(plan))}. The roster itself is in roster.xlsx; the figures "
            "here come from summary.json and requirements.csv in the same folder.</footer>")
