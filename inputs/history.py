"""Reading the history CSV: interval call counts per queue, re-aggregated to the planning interval.

The source interval is detected per queue from the data (any length that divides an hour).
Finer data is summed into planning intervals; coarser data is split evenly across them.
Missing intervals stay missing (gaps, not zeros): consumers build the full grid.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from inputs.domain import InputError

REQUIRED = ("queue", "interval_start", "offered")
# summed when re-aggregated
COUNT_COLUMNS = ("handled", "abandoned", "abandon_wait_sum_s", "answer_wait_sum_s")
ANSWERED = re.compile(r"^answered_in_(\d+)s$")
MAX_PROBLEMS = 20
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d*)?")
_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"


@dataclass(slots=True)
class _Problems:
    """Problems in one file; only the first `MAX_PROBLEMS` are spelled out."""

    file: str
    lines: list[str] = field(default_factory=list)
    more: int = 0

    def add(self, line: str) -> None:
        if len(self.lines) < MAX_PROBLEMS:
            self.lines.append(f"{self.file}: {line}")
        else:
            self.more += 1

    def rows(
        self,
        bad: pd.Series,
        frame: pd.DataFrame,
        column: str,
        fix: str,
        *,
        value_column: str | None = None,
    ) -> None:
        """One line per bad row: line number, column, value, and what is wrong with it."""
        if not bad.any():
            return
        hits = frame.loc[bad.to_numpy(), ["line", value_column or column]]
        room = max(MAX_PROBLEMS - len(self.lines), 0)
        for line, value in hits.head(room).itertuples(index=False):
            self.add(f"line {line} ({column}): {_show(value)}{fix}")
        self.more += max(len(hits) - room, 0)

    def raise_if_any(self) -> None:
        if self.lines:
            tail = [f"... and {self.more} more problems"] if self.more else []
            raise InputError(self.lines + tail)


def _show(value: object) -> str:
    """A value as a problem line quotes it; blank cells show as nothing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return f"{int(value)} "
    if isinstance(value, str) and not _NUMBER.fullmatch(value.strip()):
        return f"{value!r} "
    return f"{value} "


def read_history(
    path: Path,
    *,
    interval_minutes: int,
    queues: Collection[str] | None = None,
    timezone: str = "Asia/Jerusalem",
) -> pd.DataFrame:
    """Read interval history and re-aggregate it to the planning interval.

    Counts (offered, handled, abandoned, answered_in_<N>s, abandon_wait_sum_s) are summed into
    the planning interval, or split evenly when the source is coarser; ``aht_s`` is averaged
    weighted by handled calls (offered calls when there is no handled column), or copied.

    Args:
        path: The CSV file.
        interval_minutes: The planning interval; it divides 60.
        queues: Known queue ids; a row for another queue is a problem. None: any queue.
        timezone: Timestamps with a UTC offset are converted to wall-clock time here.

    Returns:
        Long table sorted by queue, interval_start: ``queue`` (str), ``interval_start``
        (datetime64[ns], naive local), ``offered`` and the optional columns present (float64).

    Raises:
        InputError: one line per problem (the first 20), naming line, column, value and fix.
    """
    if interval_minutes <= 0 or 60 % interval_minutes:
        raise ValueError(f"interval_minutes must divide 60, got {interval_minutes}")
    path = Path(path)
    problems = _Problems(path.name)
    frame = _read_csv(path)
    columns = _pick_columns(frame, problems)
    frame = frame[columns].assign(line=frame.index + 2)
    frame = _check_rows(frame, columns[3:], problems, queues, timezone)
    steps = _detect_steps(frame, problems)
    problems.raise_if_any()
    return _reaggregate(frame, steps, interval_minutes, columns[3:])


def _read_csv(path: Path) -> pd.DataFrame:
    """The CSV with normalized column names; queue and time as text, counts parsed by pandas."""
    name = path.name
    if not path.is_file():
        raise InputError(f"{name}: file not found at {path} — check the path")
    options: dict[str, Any] = {
        "skip_blank_lines": False,
        "encoding": "utf-8-sig",
        "low_memory": False,  # one dtype per column, no mixed-type warnings
    }
    try:
        header = pd.read_csv(path, nrows=0, **options).columns
        text = {c: str for c in header if _column_name(c) in ("queue", "interval_start")}
        frame = pd.read_csv(path, dtype=text, **options)
    except pd.errors.EmptyDataError:
        raise InputError(
            f"{name}: line 1 (header): the file is empty — export the history with a header "
            "row queue,interval_start,offered and one row per queue and interval"
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(
            f"{name}: not a readable CSV file ({exc}) — save it as comma-separated UTF-8 text"
        ) from None
    frame.columns = [_column_name(c) for c in frame.columns]
    frame = frame.dropna(how="all")
    if frame.empty:
        raise InputError(f"{name}: line 2 (queue): no data rows under the header — the "
                         "history is empty; add one row per queue and interval")
    return frame


def _column_name(raw: object) -> str:
    return re.sub(r"\s+", "_", str(raw).strip().lower())


def _pick_columns(frame: pd.DataFrame, problems: _Problems) -> list[str]:
    """The required columns, then the optional ones present; other columns are ignored."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns))
        raise InputError(
            [
                f"{problems.file}: line 1 (header): column '{c}' is missing "
                f"(found: {found}) — add a '{c}' column"
                for c in missing
            ]
        )
    answered = sorted(
        (c for c in frame.columns if ANSWERED.match(c)), key=lambda c: int(c.split("_")[2][:-1])
    )
    optional = [c for c in ("handled", "abandoned", "aht_s") if c in frame.columns]
    tail = [c for c in ("abandon_wait_sum_s", "answer_wait_sum_s") if c in frame.columns]
    return [*REQUIRED, *optional, *answered, *tail]


def _check_rows(
    frame: pd.DataFrame,
    optional: list[str],
    problems: _Problems,
    queues: Collection[str] | None,
    timezone: str,
) -> pd.DataFrame:
    """Parse every column; bad rows are reported and dropped so detection can go on."""
    codes, names = pd.factorize(frame["queue"], use_na_sentinel=False)
    queue = pd.Series(
        pd.Index(names).fillna("").str.strip().to_numpy()[codes], index=frame.index, dtype=str
    )
    problems.rows(queue == "", frame, "queue", "is blank — every row needs a queue id")
    if queues is not None:
        _unknown_queues(frame.assign(queue=queue), set(queues), problems)
    stamp, with_offset = _parse_stamps(frame["interval_start"], timezone)
    problems.rows(
        stamp.isna(),
        frame,
        "interval_start",
        "is not a time — write YYYY-MM-DD HH:MM[:SS] (local) or ISO 8601 with offset",
    )
    parsed = {"queue": queue, "interval_start": stamp}
    for column in ("offered", *optional):
        parsed[column] = _numbers(frame, column, problems, required=column == "offered")
    offered = parsed["offered"]
    clean = pd.DataFrame(parsed).assign(line=frame["line"], raw_start=frame["interval_start"],
                                        _offset=with_offset)
    clean = clean[((queue != "") & stamp.notna() & offered.notna()).to_numpy()]
    # At the autumn clock change an hour repeats on the wall clock: rows written with a UTC
    # offset are distinct instants even when their local times coincide, and are summed
    # into that wall-clock interval; rows without an offset must not repeat.
    offset = clean.pop("_offset")
    duplicated = pd.concat([
        clean[offset].duplicated(["queue", "raw_start"], keep="first"),
        clean[~offset].duplicated(["queue", "interval_start"], keep="first"),
    ]).reindex(clean.index)
    problems.rows(
        duplicated,
        clean,
        "interval_start",
        "repeats an earlier row of the same queue — keep one row per queue and interval",
        value_column="raw_start",
    )
    return clean[~duplicated.to_numpy()]


def _numbers(frame: pd.DataFrame, column: str, problems: _Problems, required: bool) -> pd.Series:
    """A numeric column, 0 or more; text that is not a number is a problem, blank is NaN."""
    raw = frame[column]
    values = raw if pd.api.types.is_numeric_dtype(raw) else pd.to_numeric(raw, errors="coerce")
    values = values.astype("float64")
    if required:
        problems.rows(raw.isna(), frame, column, "is blank — write the calls offered (0 if none)")
    problems.rows(
        raw.notna() & values.isna(), frame, column, "is not a number — write a number like 12"
    )
    problems.rows(values < 0, frame, column, "is negative — write 0 or more")
    if required:
        whole = (values % 1).fillna(0) == 0
        problems.rows(~whole, frame, column, "is not a whole number — it counts calls")
    return values


def _unknown_queues(frame: pd.DataFrame, known: set[str], problems: _Problems) -> None:
    """One line per unknown queue id, at its first row."""
    unknown = frame[~frame["queue"].isin(known) & (frame["queue"] != "")]
    listing = ", ".join(sorted(known)) or "none"
    for queue_id, rows in unknown.groupby("queue", sort=False)["line"]:
        problems.add(
            f"line {rows.iloc[0]} (queue): unknown queue {queue_id!r} ({len(rows)} rows) "
            f"— known: {listing}; fix the id or add the queue to the workbook"
        )


def _parse_stamps(raw: pd.Series, timezone: str) -> tuple[pd.Series, pd.Series]:
    """Local wall-clock times, and which rows carried a UTC offset (those are converted to
    `timezone` first)."""
    stamps = pd.to_datetime(raw, format="%Y-%m-%d %H:%M:%S", errors="coerce")
    with_offset = pd.Series(False, index=raw.index)
    other = stamps.isna() & raw.notna()
    if other.any():  # the slower, general parse only for rows in another layout
        text = raw[other].str.strip()
        has_offset = text.str.contains(_OFFSET, regex=True)
        naive = pd.to_datetime(text.where(~has_offset), format="ISO8601", errors="coerce")
        stamps[other] = naive
        if has_offset.any():
            aware = pd.to_datetime(text[has_offset], format="ISO8601", utc=True, errors="coerce")
            stamps[has_offset[has_offset].index] = aware.dt.tz_convert(timezone).dt.tz_localize(
                None
            )
            with_offset[has_offset[has_offset].index] = True
    return stamps.astype("datetime64[ns]"), with_offset


def _detect_steps(frame: pd.DataFrame, problems: _Problems) -> dict[str, int]:
    """Each queue's source interval in minutes: the most common step between its timestamps.

    The interval divides 60, every step is a multiple of it, and every timestamp is on its
    boundary; otherwise the problem is reported.
    """
    frame = frame.sort_values(["queue", "interval_start"])
    gap_s = frame.groupby("queue", sort=False)["interval_start"].diff().dt.total_seconds()
    positive = pd.DataFrame({"queue": frame["queue"], "gap": gap_s, "line": frame["line"]})
    positive = positive[positive["gap"] > 0]
    counts = positive.groupby(["queue", "gap"]).size().rename("n").reset_index()
    counts = counts.sort_values(["queue", "n", "gap"], ascending=[True, False, True])
    mode: dict[str, float] = dict(
        counts.drop_duplicates("queue")[["queue", "gap"]].itertuples(index=False)
    )
    fallback = int(counts["gap"].mode().min()) if len(counts) else 3600
    steps: dict[str, int] = {}
    for queue_id in frame["queue"].unique():
        seconds = int(mode.get(queue_id, fallback))
        if seconds % 60 or 3600 % seconds:
            problems.add(
                f"queue {queue_id!r}: the data comes every {seconds / 60:g} minutes, "
                "which does not divide an hour — use 5, 6, 10, 12, 15, 20, 30 or 60"
            )
        else:
            steps[queue_id] = seconds // 60
    step_s = _per_queue(positive["queue"], steps) * 60
    odd = positive[(positive["gap"].to_numpy() % step_s) > 0]
    for queue_id, rows in odd.groupby("queue", sort=False):
        seen = positive.loc[positive["queue"] == queue_id, "gap"].unique()
        lengths = ", ".join(f"{g / 60:g}" for g in sorted(seen)[:6])
        problems.add(
            f"line {rows['line'].iloc[0]} (interval_start): queue {queue_id!r} mixes "
            f"interval lengths (steps of {lengths} minutes, mostly {steps[queue_id]}) "
            "— export the whole history with one interval length"
        )
    _off_boundary(frame, steps, problems)
    return steps


def _off_boundary(frame: pd.DataFrame, steps: dict[str, int], problems: _Problems) -> None:
    step = _per_queue(frame["queue"], steps)
    stamp = frame["interval_start"]
    seconds = (stamp.dt.minute * 60 + stamp.dt.second).to_numpy()
    bad = pd.Series(~np.isnan(step) & (seconds % (np.nan_to_num(step, nan=1) * 60) != 0))
    problems.rows(
        bad,
        frame,
        "interval_start",
        "is not on an interval boundary — with intervals of "
        f"{', '.join(sorted({f'{v} min' for v in steps.values()}))}, times start on "
        "whole multiples of the interval (e.g. 08:00, 08:15)",
        value_column="raw_start",
    )


def _per_queue(queue: pd.Series, values: dict[str, int]) -> np.ndarray:
    """Each row's queue setting as a float array (NaN where the queue has none)."""
    codes, names = pd.factorize(queue)
    lookup = np.array([values.get(name, np.nan) for name in names], dtype="float64")
    return lookup[codes]


def _reaggregate(
    frame: pd.DataFrame, steps: dict[str, int], interval: int, optional: list[str]
) -> pd.DataFrame:
    """Split each source interval into pieces of gcd(source, planning) minutes, then sum pieces."""
    step = _per_queue(frame["queue"], steps).astype(np.int64)
    piece = np.gcd(step, interval)
    count = step // piece
    position = np.repeat(np.arange(len(frame)), count)
    offset = np.arange(len(position)) - np.repeat(np.cumsum(count) - count, count)
    rows = frame[["queue", "interval_start", "offered", *optional]].iloc[position]
    rows = rows.reset_index(drop=True)
    minutes = pd.to_timedelta(offset * piece[position], unit="min")
    bucket = (rows["interval_start"] + minutes).dt.floor(f"{interval}min")
    share = 1.0 / count[position]
    sums = [c for c in ("offered", *optional) if c != "aht_s"]
    data = {"queue": rows["queue"], "interval_start": bucket}
    data |= {c: rows[c].astype("float64") * share for c in sums}
    if "aht_s" in optional:
        weight = (
            rows["handled"].fillna(rows["offered"]) if "handled" in optional else rows["offered"]
        ) * share
        aht = rows["aht_s"].astype("float64")
        data |= {"_weighted": aht * weight, "_weight": weight.where(aht.notna()), "aht_s": aht}
    grouped = pd.DataFrame(data).groupby(["queue", "interval_start"], sort=True)
    out = grouped[sums].sum(min_count=1)
    if "aht_s" in optional:
        sum_w = grouped["_weight"].sum()
        mean = grouped["aht_s"].mean()  # an interval whose calls all weigh 0: plain mean
        out["aht_s"] = (grouped["_weighted"].sum() / sum_w).where(sum_w > 0, mean)
    out = out.reset_index()[["queue", "interval_start", "offered", *optional]]
    out["interval_start"] = out["interval_start"].astype("datetime64[ns]")
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class HistorySummary:
    """What a history table covers, for `wfm validate` and reports."""

    first_interval: dt.datetime
    last_interval: dt.datetime
    queues: tuple[str, ...]
    rows: int
    days: int
    total_offered: float


def history_summary(history: pd.DataFrame) -> HistorySummary:
    """The span, queues, row count, number of distinct days and total calls of a history table."""
    stamps = history["interval_start"]
    return HistorySummary(
        first_interval=stamps.min().to_pydatetime(),
        last_interval=stamps.max().to_pydatetime(),
        queues=tuple(sorted(history["queue"].unique())),
        rows=len(history),
        days=int(stamps.dt.normalize().nunique()),
        total_offered=float(history["offered"].sum()),
    )
