"""report.html: the weekly plan for a manager, one self-contained page readable without Excel.

Everything is inside the one file: styles inline, charts as inline SVG (outputs/charts.py),
no script, no font or image fetched from anywhere, so it opens offline and prints on A4.
Every piece of user text (queue and center names, rule lines) is HTML-escaped. Parts the plan
does not have (no simulation, no history, nothing short) are left out or said in words.

    from outputs.report_html import write_report_html
    write_report_html(plan, folder / "report.html")
"""

from __future__ import annotations

from pathlib import Path

from outputs import report_sections as sections
from outputs import report_views as views
from outputs.charts import QueueLabel
from outputs.report_parts import esc
from scheduler.plan import Plan

REPORT_FILE = "report.html"

STYLE = """
:root { --ink: #1a1a1a; --muted: #5f5f5f; --line: #d9d9d9; --short: #fddbc7; --ok: #deebf7; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 24px;
       line-height: 1.4; font-size: 14px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 2px solid var(--ink);
     padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.lead, .muted { color: var(--muted); }
nav { margin: 12px 0 8px; font-size: 13px; }
nav a { margin-right: 14px; color: #08519c; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr));
         gap: 12px; margin: 16px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .label { font-size: 12px; color: var(--muted); text-transform: uppercase;
               letter-spacing: .03em; }
.card .value { font-size: 24px; font-weight: 700; margin: 2px 0; }
.card .note { font-size: 12px; color: var(--muted); }
.card.warn { border-color: #b2182b; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.short { background: var(--short); }
td.ok { background: var(--ok); }
ul.rules { columns: 2; column-gap: 32px; padding-left: 18px; font-size: 13px; }
ul.rules li { break-inside: avoid; margin-bottom: 2px; }
figure { margin: 8px 0 16px; }
figure svg { width: 100%; height: auto; }
figcaption { font-size: 12px; color: var(--muted); }
footer { margin-top: 40px; font-size: 12px; color: var(--muted); }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure, table, .cards { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def queue_labels(plan: Plan) -> list[QueueLabel]:
    """The plan's queues in workbook order, named ``Legal aid (LEGAL)``."""
    return [QueueLabel(queue_id=q.queue_id, label=f"{q.name} ({q.queue_id})",
                       target=q.service_level) for q in plan.workbook.queues]  # fmt: skip


def render_report_html(plan: Plan) -> str:
    """The whole report as one HTML document (UTF-8 text)."""
    queues = queue_labels(plan)
    parts = [
        ("summary", "Headline figures", sections.headline(plan)),
        ("look-at", "What to look at", sections.look_at(plan, queues)),
        ("queues", "Service level by queue", sections.queue_table(plan, queues)),
        ("staffing", "Agents needed and scheduled", views.staffing(plan, queues)),
        ("service-level", "Service level through the week", views.heat_maps(plan, queues)),
        ("forecast", "Forecast and recent history", views.forecast(plan, queues)),
        ("cost", "Cost", views.cost(plan)),
        ("details", "Full lists and plan details", sections.details(plan, queues)),
    ]
    nav = " ".join(f'<a href="#{anchor}">{esc(title)}</a>' for anchor, title, _ in parts)
    body = "\n".join(f'<section id="{anchor}">\n<h2>{esc(title)}</h2>\n{content}\n</section>'
                     for anchor, title, content in parts)  # fmt: skip
    center = esc(plan.workbook.center.name or "Contact center")
    week = sections.week_text(plan)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Weekly plan: {center}, {esc(week)}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>Weekly plan: {center}</h1>\n"
        f'<p class="lead">{esc(week)} &middot; made by wfm {esc(plan.summary.version)}'
        f"</p>\n<nav>{nav}</nav>\n</header>\n<main>\n{body}\n</main>\n"
        f"{sections.footer(plan)}\n</body>\n</html>\n"
    )


def write_report_html(plan: Plan, path: Path) -> None:
    """Write the manager's report for `plan` to `path` (normally ``<plan folder>/report.html``).

    Args:
        plan: the finished plan.
        path: the HTML file to write.
    """
    Path(path).write_text(render_report_html(plan), encoding="utf-8")


def write_report_into(plan: Plan, folder: Path) -> None:
    """Plan-folder writer (outputs.PlanWriter): the report as ``report.html`` in `folder`."""
    write_report_html(plan, Path(folder) / REPORT_FILE)
