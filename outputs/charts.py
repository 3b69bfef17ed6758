"""Charts for the HTML report, drawn with matplotlib and returned as inline SVG text.

Figures are built with `matplotlib.figure.Figure` directly (never pyplot), so no GUI backend
and no global figure state are involved; text stays text (``svg.fonttype: none``) in the
reader's own sans-serif font, and every figure's ids carry the chart's name, so the ids of
several SVGs on one page never clash and the same plan always gives the same file.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from outputs.xlsx_sheets import CoverageStatus, coverage_status
from scheduler.plan import Plan

NEEDED_COLOUR = "#f4a582"
SCHEDULED_COLOUR = "#08519c"
HISTORY_COLOUR = "#636363"
FORECAST_COLOUR = "#2171b5"
BAND_COLOUR = "#9ecae1"
HISTORY_DAYS = 14  # recent history shown before the forecast week
NO_CALLS = "no calls expected"
# Heat map categories, worst first, with their colours (blue for good: readable without red-green).
HEAT_CATEGORIES: tuple[tuple[str, str], ...] = (
    (CoverageStatus.UNDERSTAFFED.value, "#b2182b"),
    (CoverageStatus.BELOW_TARGET.value, "#ef8a62"),
    (CoverageStatus.NEAR_TARGET.value, "#fddc6c"),
    ("on target", "#67a9cf"),
    (NO_CALLS, "#e0e0e0"),
)
_CODES = {CoverageStatus.UNDERSTAFFED: 0, CoverageStatus.BELOW_TARGET: 1,
          CoverageStatus.NEAR_TARGET: 2, CoverageStatus.OK: 3}  # fmt: skip
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_ID_USES = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')
_RC: dict[Any, Any] = {"svg.fonttype": "none", "font.family": "sans-serif", "font.size": 8,
       "axes.spines.top": False, "axes.spines.right": False, "axes.titlesize": 9,
       "axes.titleweight": "bold", "svg.image_inline": True}  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueLabel:
    """A queue as the report names it: id and a plain label such as ``Legal aid (LEGAL)``."""

    queue_id: str
    label: str
    target: float


@dataclass(frozen=True, slots=True, kw_only=True)
class WeekAxis:
    """The week's open intervals laid side by side (closed nights left out), with day marks."""

    stamps: pd.DatetimeIndex
    day_starts: tuple[int, ...]  # position of each day's first open interval
    day_labels: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.stamps)


def week_axis(requirements: pd.DataFrame) -> WeekAxis:
    """Every open interval of any queue, in time order, with where each day begins."""
    stamps = pd.DatetimeIndex(sorted(pd.to_datetime(requirements["interval_start"]).unique()))
    days = stamps.normalize()
    starts = [i for i in range(len(days)) if i == 0 or days[i] != days[i - 1]]
    labels = [f"{days[i]:%a %d %b}" for i in starts]
    return WeekAxis(stamps=stamps, day_starts=tuple(starts), day_labels=tuple(labels))


def plain(text: str) -> str:
    """User text for a chart label: a dollar sign is a dollar sign, never mathematics."""
    return text.replace("$", r"\$")


def figure_svg(fig: Figure, name: str) -> str:
    """The figure as an inline ``<svg>`` element, ids salted with `name`.

    The XML prolog, the metadata block and the namespace declarations are dropped: HTML
    knows the SVG namespace by itself, and the page then holds no web address at all. Every
    id (and every reference to one) gets the prefix `name`, so several charts on one page
    never share an id.
    """
    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": "wfm"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = _NAMESPACES.sub("", _METADATA.sub("", text[text.index("<svg"):]))
    return _ID_USES.sub(lambda m: f"{m[1]}{name}-{m[2]}", text)


def _panels(count: int, columns: int, height: float) -> tuple[Figure, list[Axes]]:
    rows = max(math.ceil(count / columns), 1)
    fig = Figure(figsize=(11.0, height * rows + 0.6), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).ravel().tolist()
    for extra in axes[count:]:
        extra.set_visible(False)
    return fig, axes[:count]


def _mark_days(ax: Axes, axis: WeekAxis) -> None:
    for start in axis.day_starts[1:]:
        ax.axvline(start - 0.5, color="#bdbdbd", linewidth=0.6)
    ends = [*axis.day_starts[1:], axis.size]
    ax.set_xticks([(a + b - 1) / 2 for a, b in zip(axis.day_starts, ends, strict=True)])
    ax.set_xticklabels([label[:3] for label in axis.day_labels])
    ax.tick_params(axis="x", length=0)
    ax.set_xlim(-0.5, axis.size - 0.5)


def staffing_chart(plan: Plan, queues: Sequence[QueueLabel]) -> str | None:
    """Agents needed vs agents scheduled, per queue across the week's open intervals."""
    table = plan.requirements
    if table.empty or not queues:
        return None
    axis = week_axis(table)
    position = pd.Series(np.arange(axis.size), index=axis.stamps)
    with mpl.rc_context(_RC):
        fig, axes = _panels(len(queues), 3, 1.7)
        for ax, queue in zip(axes, queues, strict=True):
            rows = table[table["queue"] == queue.queue_id]
            where = position.reindex(pd.to_datetime(rows["interval_start"])).to_numpy()
            needed = np.full(axis.size, np.nan)
            scheduled = np.full(axis.size, np.nan)
            needed[where] = rows["required_agents"].to_numpy(float)
            scheduled[where] = rows["scheduled_agents"].to_numpy(float)
            x = np.arange(axis.size)
            ax.fill_between(x, needed, step="mid", color=NEEDED_COLOUR, linewidth=0)
            ax.step(x, scheduled, where="mid", color=SCHEDULED_COLOUR, linewidth=0.9)
            ax.set_title(plain(queue.label), loc="left")
            ax.set_ylim(bottom=0)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            _mark_days(ax, axis)
        fig.legend(handles=[Patch(color=NEEDED_COLOUR, label="Agents needed"),
                            Patch(color=SCHEDULED_COLOUR, label="Agents scheduled")],
                   loc="outside upper right", ncols=2, frameon=False)  # fmt: skip
        return figure_svg(fig, "staffing")


def heat_codes(plan: Plan, queues: Sequence[QueueLabel], axis: WeekAxis,
               column: str) -> np.ndarray:  # fmt: skip
    """Heat map category per queue (row) and open interval (column); NaN where closed.

    Planned levels use the Coverage sheet's rule (understaffed first); simulated levels are
    rated on the level alone. No level where calls are expected to be zero: "no calls".
    """
    codes = np.full((len(queues), axis.size), np.nan)
    position = pd.Series(np.arange(axis.size), index=axis.stamps)
    table = plan.requirements
    for r, queue in enumerate(queues):
        rows = table[table["queue"] == queue.queue_id]
        where = position.reindex(pd.to_datetime(rows["interval_start"])).to_numpy()
        planned = column == "expected_service_level"
        required = rows["required_agents"].to_numpy(float) if planned else np.zeros(len(rows))
        scheduled = rows["scheduled_agents"].to_numpy(float) if planned else np.zeros(len(rows))
        for w, need, have, level in zip(where, required, scheduled, rows[column].to_numpy(float),
                                        strict=True):  # fmt: skip
            if math.isnan(level) and have >= need:
                codes[r, w] = len(HEAT_CATEGORIES) - 1
                continue
            sl = None if math.isnan(level) else level
            codes[r, w] = _CODES[coverage_status(int(need), int(have), sl, queue.target)]
    return codes


def heatmap_chart(plan: Plan, queues: Sequence[QueueLabel], column: str,
                  name: str) -> str | None:  # fmt: skip
    """Service level category per queue and open interval of the week, as coloured cells."""
    if column not in plan.requirements.columns or plan.requirements[column].isna().all():
        return None
    axis = week_axis(plan.requirements)
    codes = heat_codes(plan, queues, axis, column)
    colours = ListedColormap([colour for _, colour in HEAT_CATEGORIES]).with_extremes(bad="white")
    with mpl.rc_context(_RC):
        fig = Figure(figsize=(11.0, 0.28 * len(queues) + 1.1), layout="constrained")
        ax = fig.subplots()
        ax.imshow(np.ma.masked_invalid(codes), cmap=colours, vmin=-0.5,
                  vmax=len(HEAT_CATEGORIES) - 0.5, aspect="auto", interpolation="none")
        ax.set_yticks(range(len(queues)), [plain(q.label) for q in queues])
        _mark_days(ax, axis)
        ax.spines[:].set_visible(False)
        ax.tick_params(axis="y", length=0)
        used = set(np.unique(codes[~np.isnan(codes)]).astype(int))
        handles = [Patch(color=colour, label=label)
                   for i, (label, colour) in enumerate(HEAT_CATEGORIES) if i in used]
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles),
                   frameon=False)  # fmt: skip
        return figure_svg(fig, name)


def forecast_chart(plan: Plan, queues: Sequence[QueueLabel]) -> str | None:
    """Per queue: calls offered in the last two weeks, then the forecast with its 80% band."""
    forecast = plan.forecast
    if forecast.empty or not queues:
        return None
    start = pd.Timestamp(plan.week_start)
    recent = _recent_history(plan.history, start)
    with mpl.rc_context(_RC):
        fig, axes = _panels(len(queues), 3, 1.7)
        for ax, queue in zip(axes, queues, strict=True):
            rows = forecast[forecast["queue"] == queue.queue_id].sort_values("interval_start")
            x = pd.to_datetime(rows["interval_start"])
            if {"calls_lo", "calls_hi"} <= set(rows.columns):
                ax.fill_between(x, rows["calls_lo"], rows["calls_hi"], color=BAND_COLOUR,
                                linewidth=0)  # fmt: skip
            ax.plot(x, rows["calls"], color=FORECAST_COLOUR, linewidth=0.7)
            if recent is not None:
                past = recent[recent["queue"] == queue.queue_id]
                ax.plot(past["interval_start"], past["offered"], color=HISTORY_COLOUR,
                        linewidth=0.5)  # fmt: skip
            ax.axvline(date2num(start), color="#252525", linewidth=0.6, linestyle="--")
            ax.set_title(plain(queue.label), loc="left")
            ax.set_ylim(bottom=0)
            _date_ticks(ax, start, has_history=recent is not None)
        handles = [Patch(color=FORECAST_COLOUR, label="Forecast calls"),
                   Patch(color=BAND_COLOUR, label="80% band")]
        if recent is not None:
            handles.insert(0, Patch(color=HISTORY_COLOUR, label="Calls offered (history)"))
        fig.legend(handles=handles, loc="outside upper right", ncols=len(handles), frameon=False)
        return figure_svg(fig, "forecast")


def _recent_history(history: pd.DataFrame | None, start: pd.Timestamp) -> pd.DataFrame | None:
    """The history's last two weeks before the planned week; None when there is none."""
    if history is None or history.empty or "offered" not in history.columns:
        return None
    stamps = pd.to_datetime(history["interval_start"])
    window = history[(stamps >= start - pd.Timedelta(days=HISTORY_DAYS)) & (stamps < start)]
    if window.empty:
        return None
    return window.assign(interval_start=pd.to_datetime(window["interval_start"])).sort_values(
        "interval_start")


def _date_ticks(ax: Axes, start: pd.Timestamp, *, has_history: bool) -> None:
    first = start - pd.Timedelta(days=HISTORY_DAYS if has_history else 0)
    ticks = pd.date_range(first, start + pd.Timedelta(days=7), freq="7D")
    ax.set_xticks(date2num(ticks), [f"{t:%d %b}" for t in ticks])
    ax.set_xlim(date2num(first), date2num(start + pd.Timedelta(days=7)))
