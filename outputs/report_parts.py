"""HTML building blocks for the report: escaped text, tables, charts with captions, cards."""

from __future__ import annotations

import html
from collections.abc import Sequence


def esc(value: object) -> str:
    """Any value as HTML-safe text (quotes too, so it is safe inside attributes)."""
    return html.escape(str(value), quote=True)


def card(label: str, value: str, note: str = "", *, warn: bool = False) -> str:
    """A headline figure: a small label, the figure, and a line saying what it means."""
    css = "card warn" if warn else "card"
    return (f'<div class="{css}"><div class="label">{esc(label)}</div>'
            f'<div class="value">{esc(value)}</div><div class="note">{esc(note)}</div></div>')


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], *,
          numeric: Sequence[int] = (), classes: Sequence[Sequence[str]] | None = None,
          caption: str | None = None) -> str:  # fmt: skip
    """An HTML table; every header and cell is escaped; `numeric` columns align right.

    Args:
        headers: column titles.
        rows: cell values (``None`` shows blank).
        numeric: indexes of the columns to right-align.
        classes: an optional CSS class per cell (e.g. ``short``), same shape as `rows`.
        caption: an optional line under the table.
    """
    right = set(numeric)
    head = "".join(f'<th{" class=num" if i in right else ""}>{esc(h)}</th>'
                   for i, h in enumerate(headers))  # fmt: skip
    lines = []
    for r, row in enumerate(rows):
        cells = []
        for i, value in enumerate(row):
            css = [c for c in ("num" if i in right else "", classes[r][i] if classes else "") if c]
            attr = f' class="{" ".join(css)}"' if css else ""
            cells.append(f"<td{attr}>{'' if value is None else esc(value)}</td>")
        lines.append(f"<tr>{''.join(cells)}</tr>")
    under = f'<p class="muted">{esc(caption)}</p>' if caption else ""
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(lines) + (
        f"\n</tbody>\n</table>{under}")


def figure(svg: str | None, caption: str) -> str:
    """A chart with its caption; a plain sentence instead when there is no chart."""
    if svg is None:
        return f'<p class="muted">{esc(caption)} — nothing to draw for this plan.</p>'
    return f"<figure>\n{svg}\n<figcaption>{esc(caption)}</figcaption>\n</figure>"
