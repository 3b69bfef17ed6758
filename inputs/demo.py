"""The embedded demo center: a seeded government service and information center.

`demo_workbook` builds its constraint workbook (12 professional queues, 80 agents, 5 shift
leads, 2 floor leads, 7 team managers); `demo_history` generates two years of 15-minute call
history for it; `write_demo` writes both as the files a planner would hand to `wfm plan`.
Everything is a pure function of the seed: no clock, no set or dict ordering.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

from inputs.demo_names import NAME_GROUPS
from inputs.domain import (
    Availability,
    Center,
    Contract,
    CoverageRule,
    Employee,
    OpeningSpan,
    Premium,
    PremiumKind,
    Queue,
    Role,
    ServiceLevelScope,
    Workbook,
)

DEMO_WEEK = dt.date(2026, 11, 29)  # a Sunday: the week the demo plans
CENTER_NAME = "Government Service & Information Center (demo)"
HISTORY_DAYS = 735  # 105 whole weeks, about two years
TUESDAY_CALLS = 2800.0  # expected offered calls, all queues, on a plain Tuesday of DEMO_WEEK
ANNUAL_GROWTH = 0.04
FRIDAY, SATURDAY, SUNDAY = 4, 5, 6
# Call intensity of each weekday relative to Tuesday (Monday 0 ... Sunday 6); Saturday only
# counts for a workbook that opens on Saturdays.
WEEKDAY_FACTOR = np.array([1.07, 1.0, 0.97, 0.94, 0.55, 0.5, 1.25])
EVE_FACTOR = 0.5  # a holiday eve runs like a Friday, a little quieter still
AFTER_HOLIDAY_FACTOR = 1.2  # callers who could not get through on the holiday call back
EVE_HOLIDAYS = frozenset({"Rosh Hashanah", "Yom Kippur", "Sukkot", "Pesach", "Shavuot"})
DAY_NOISE_CV, QUEUE_DAY_NOISE_CV = 0.04, 0.03  # together about 5% day-level noise
HISTORY_INTERVAL = 15  # minutes
_EVE, _CLOSED = 7, 8  # day kinds after the weekdays 0..6
# Callers' mean patience (s): legal-aid callers hold on longest, general information least.
PATIENCE_S = {"LEGAL": 540.0, "INH": 480.0, "INFO": 300.0}
DEFAULT_PATIENCE_S = 420.0
ABANDONER_WAIT_SHARE = 0.15  # an abandoned caller hangs up after ~15% of the mean patience


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueSpec:
    """How one demo queue behaves: its share of calls, handle time and intraday shape."""

    queue_id: str
    name: str
    share: float
    aht_s: float
    escalation_rate: float
    escalation_handle_s: float
    priority: int = 1
    morning: float = 1.0  # weight of the 10:00-11:30 peak
    afternoon: float = 1.0  # weight of the 13:30-15:00 peak
    aht_cv: float = 0.6  # coefficient of variation of a single call's handle time


_QUEUE_TABLE = (  # id, name, share, AHT s, escalation rate, escalation s, priority, am, pm, cv
    ("COMP", "Companies registrar", 0.14, 240, 0.03, 300, 1, 1.1, 1.0, 0.6),
    ("INH", "Inheritance registrar", 0.10, 300, 0.04, 360, 1, 1.0, 1.0, 0.6),
    ("LEGAL", "Legal aid", 0.08, 420, 0.08, 480, 2, 0.8, 1.2, 0.7),
    ("LAND", "Land registration", 0.13, 270, 0.03, 300, 1, 1.05, 0.95, 0.6),
    ("PLEDGE", "Pledges registrar", 0.07, 210, 0.02, 300, 1, 1.15, 0.9, 0.6),
    ("NPO", "Non-profits registrar", 0.05, 240, 0.03, 300, 1, 1.0, 1.0, 0.6),
    ("INSOLV", "Insolvency", 0.06, 330, 0.05, 420, 1, 1.0, 1.1, 0.65),
    ("ADMIN", "Administrator general", 0.04, 300, 0.04, 360, 1, 1.0, 1.0, 0.6),
    ("NOTARY", "Notaries", 0.03, 210, 0.02, 300, 1, 1.1, 1.0, 0.6),
    ("PATENT", "Patents", 0.03, 270, 0.03, 360, 1, 1.0, 1.0, 0.6),
    ("ACCT", "Accountants council exams", 0.03, 180, 0.02, 240, 1, 1.0, 1.1, 0.6),
    ("INFO", "General information", 0.24, 150, 0.02, 240, 1, 1.0, 1.0, 0.55),
)
QUEUE_SPECS = tuple(
    QueueSpec(
        queue_id=qid,
        name=name,
        share=share,
        aht_s=aht,
        escalation_rate=esc,
        escalation_handle_s=esc_s,
        priority=prio,
        morning=am,
        afternoon=pm,
        aht_cv=cv,
    )
    for qid, name, share, aht, esc, esc_s, prio, am, pm, cv in _QUEUE_TABLE
)
_SPEC_BY_ID = {s.queue_id: s for s in QUEUE_SPECS}

# (skills, agents, of whom part-time). Many agents share a skill set, which helps the solver.
SKILL_PROFILES: tuple[tuple[tuple[str, ...], int, int], ...] = (
    (("INFO",), 10, 5),
    (("INFO", "ACCT"), 2, 1),
    (("INFO", "COMP"), 5, 2),
    (("INFO", "LAND"), 5, 2),
    (("INFO", "INH"), 4, 1),
    (("INFO", "ACCT", "PATENT", "NOTARY"), 3, 0),
    (("COMP",), 5, 2),
    (("COMP", "PLEDGE", "NPO"), 4, 0),
    (("COMP", "NPO", "ACCT"), 3, 0),
    (("LAND",), 5, 3),
    (("LAND", "PLEDGE"), 4, 0),
    (("LAND", "PLEDGE", "NOTARY"), 2, 0),
    (("LAND", "PATENT"), 1, 0),
    (("INH",), 5, 2),
    (("INH", "ADMIN"), 4, 0),
    (("LEGAL",), 6, 2),
    (("LEGAL", "INSOLV"), 4, 0),
    (("INSOLV",), 1, 0),
    (("INSOLV", "ADMIN"), 2, 0),
    (("INSOLV", "ADMIN", "INH"), 2, 0),
    (("LEGAL", "PATENT", "NOTARY", "INFO"), 2, 0),
    (("NPO", "PATENT"), 1, 0),
)
TEAMS = tuple(f"T{k}" for k in range(1, 8))


def demo_workbook(seed: int = 7) -> Workbook:
    """The demo center's constraint workbook; the seed picks only names, pay and skill holders.

    Args:
        seed: Seed for numpy's ``default_rng``; the same seed always gives the same workbook.

    Returns:
        A validated `Workbook` for planning the week starting `DEMO_WEEK`.
    """
    rng = np.random.default_rng(seed)
    center = Center(
        name=CENTER_NAME,
        timezone="Asia/Jerusalem",
        interval_minutes=15,
        week_start=SUNDAY,
        service_level=0.80,
        answer_seconds=60,
        service_level_scope=ServiceLevelScope.INTERVAL,
        # Breaks are rostered explicitly; a per-cell shrinkage uplift would turn every
        # 1-agent interval into 2 on twelve small queues (issue 3 revisits shrinkage).
        shrinkage=0.0,
        currency="ILS",
        solver_time_limit_s=60.0,
        seed=seed,
        holiday_country="IL",
    )
    queues = tuple(
        Queue(
            queue_id=s.queue_id,
            name=s.name,
            service_level=0.80,
            answer_seconds=60,
            escalation_rate=s.escalation_rate,
            escalation_handle_s=s.escalation_handle_s,
            priority=s.priority,
            estimate_patience=True,
        )
        for s in QUEUE_SPECS
    )
    return Workbook(
        center=center,
        opening_hours=demo_opening_hours(DEMO_WEEK),
        queues=queues,
        employees=_employees(rng),
        contracts=_contracts(),
        availability=_availability(),
        coverage=(
            CoverageRule(
                role=Role.SHIFT_LEAD, min_on_duty=1, answer_seconds=60, service_level=0.80
            ),
            CoverageRule(role=Role.FLOOR_LEAD, min_on_duty=1),
            CoverageRule(role=Role.TEAM_MANAGER, min_on_duty=1),
        ),
        premiums=(
            Premium(
                name="Evening", kind=PremiumKind.TIME, multiplier=1.25, start_min=1140, end_min=1440
            ),
            Premium(name="Friday", kind=PremiumKind.DAY, multiplier=1.5, weekday=FRIDAY),
            Premium(name="Saturday", kind=PremiumKind.DAY, multiplier=1.5, weekday=SATURDAY),
            Premium(name="Overtime", kind=PremiumKind.OVERTIME, multiplier=1.25, after_hours=42.0),
        ),
    )


_WEEKDAY_HOURS = {
    0: (480, 1140),
    1: (480, 1140),
    2: (480, 1140),
    3: (480, 1140),
    FRIDAY: (480, 780),
    SUNDAY: (480, 1140),
}


def demo_opening_hours(week: dt.date) -> tuple[OpeningSpan, ...]:
    """Sun-Thu 08:00-19:00, Fri 08:00-13:00; in `week`, holidays close and eves run as Fridays."""
    rows = [
        OpeningSpan(weekday=w, open_min=a, close_min=b)
        for w, (a, b) in sorted(_WEEKDAY_HOURS.items())
    ]
    days = [week + dt.timedelta(days=k) for k in range(7)]
    closed, eves = _holiday_calendar(days[0], days[-1], frozenset(_WEEKDAY_HOURS))
    friday = _WEEKDAY_HOURS[FRIDAY]
    for day in days:
        if day in closed:
            rows.append(OpeningSpan(date=day, open_min=0, close_min=0))
        elif day in eves:
            rows.append(OpeningSpan(date=day, open_min=friday[0], close_min=friday[1]))
    return tuple(rows)


def _holiday_calendar(
    first: dt.date, last: dt.date, open_weekdays: frozenset[int]
) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """Israeli public holidays that close the center, and the eves that run as short days.

    Returns:
        (closed dates, eve dates) between `first` and `last`, only on weekdays that are open.
    """
    years = range(first.year - 1, last.year + 2)
    table = holidays.country_holidays("IL", years=years, language="en_US")
    dates = sorted(table)
    closed = {d for d in dates if d.weekday() in open_weekdays and first <= d <= last}
    eves: set[dt.date] = set()
    for day in dates:
        eve = day - dt.timedelta(days=1)
        names = {n.strip() for n in table.get_list(day)}
        if names & EVE_HOLIDAYS and eve not in table and eve.weekday() in open_weekdays:
            eves.add(eve)
    return frozenset(closed), frozenset(e for e in eves if first <= e <= last)


def _employees(rng: np.random.Generator) -> tuple[Employee, ...]:
    """80 agents from the skill profiles, 5 shift leads, 2 floor leads and 7 team managers."""
    slots = [(skills, k < part) for skills, count, part in SKILL_PROFILES for k in range(count)]
    order = rng.permutation(len(slots))
    names = iter(_names(rng, len(slots) + 14))
    staff = []
    for number, slot in enumerate(order, start=1):
        skills, part_time = slots[int(slot)]
        cost = 52.0 + 4.0 * (len(skills) - 1) + float(rng.integers(0, 5))
        staff.append(
            Employee(
                employee_id=f"A{number:02d}",
                name=next(names),
                role=Role.AGENT,
                team=TEAMS[(number - 1) % len(TEAMS)],
                contract_id="PT" if part_time else "FT",
                hourly_cost=cost,
                skills=skills,
            )
        )
    all_queues = tuple(s.queue_id for s in QUEUE_SPECS)
    for k in range(1, 6):
        staff.append(
            Employee(
                employee_id=f"SL{k}",
                name=next(names),
                role=Role.SHIFT_LEAD,
                team=TEAMS[k - 1],
                contract_id="LEAD",
                hourly_cost=85.0,
                skills=all_queues,
            )
        )
    for k in range(1, 3):
        staff.append(
            Employee(
                employee_id=f"FL{k}",
                name=next(names),
                role=Role.FLOOR_LEAD,
                team=TEAMS[4 + k],
                contract_id="FLOOR",
                hourly_cost=90.0,
            )
        )
    for k, team in enumerate(TEAMS, start=1):
        staff.append(
            Employee(
                employee_id=f"TM{k}",
                name=next(names),
                role=Role.TEAM_MANAGER,
                team=team,
                contract_id="MGR",
                hourly_cost=95.0,
            )
        )
    return tuple(staff)


def _names(rng: np.random.Generator, count: int) -> list[str]:
    """Distinct full names, each first name paired with a surname of the same origin."""
    shares = np.array([g[0] for g in NAME_GROUPS])
    chosen: list[str] = []
    while len(chosen) < count:
        _, firsts, lasts = NAME_GROUPS[int(rng.choice(len(NAME_GROUPS), p=shares / shares.sum()))]
        name = f"{firsts[int(rng.integers(len(firsts)))]} {lasts[int(rng.integers(len(lasts)))]}"
        if name not in chosen:
            chosen.append(name)
    return chosen


def _contracts() -> tuple[Contract, ...]:
    """Full-time, part-time, shift lead, floor lead and team manager contracts (08:00-19:00),
    each with a 30-minute unpaid lunch. Agents, who work at a screen all day, also get paid
    15-minute short breaks; leads and managers, who walk the floor, do not (and their lunch
    is covered by each other, which with two floor leads leaves no room for more)."""
    table = (  # id, min weekly h, max weekly h, max days, min shift h, max shift h
        ("FT", 36.0, 42.0, 5, 5.0, 9.0),
        ("PT", 20.0, 30.0, 5, 4.0, 6.0),
        ("LEAD", 36.0, 42.0, 5, 5.0, 9.0),
        ("FLOOR", 36.0, 45.0, 6, 5.0, 9.0),
        ("MGR", 36.0, 42.0, 5, 5.0, 9.0),
    )
    return tuple(
        Contract(
            contract_id=cid,
            min_weekly_hours=lo,
            max_weekly_hours=hi,
            max_days=days,
            min_shift_hours=short,
            max_shift_hours=long,
            earliest_start=480,
            latest_end=1140,
            max_consecutive_days=6,
            min_rest_hours=8.0,
            weekly_rest_hours=36.0,
            break_minutes=30,
            break_after_hours=6.0,
            break_window_start_h=3.0,
            break_window_end_h=5.0,
            shift_step_minutes=60,
            short_break_minutes=15 if cid in ("FT", "PT") else 0,
            short_break_after_hours=4.0,
            break_spacing_hours=1.0,
        )
        for cid, lo, hi, days, short, long in table
    )


def _availability() -> tuple[Availability, ...]:
    """Three approved days off, two recurring weekday limits and a shift lead off on Monday."""
    week = DEMO_WEEK
    return (
        Availability(employee_id="A07", date=week),
        Availability(employee_id="A23", date=week + dt.timedelta(days=2)),
        Availability(employee_id="A58", date=week + dt.timedelta(days=3)),
        Availability(employee_id="A34", weekday=FRIDAY),
        Availability(employee_id="A45", weekday=1, start_min=0, end_min=720),
        Availability(employee_id="SL3", date=week + dt.timedelta(days=1)),
    )


def demo_history(workbook: Workbook, *, seed: int = 7, end: dt.date = DEMO_WEEK) -> pd.DataFrame:
    """Two years of 15-minute call history for the demo queues, up to the Saturday before `end`.

    Only open intervals have rows (center weekday hours from the workbook; Israeli holidays
    closed; holiday eves run on Friday hours). Volume follows a daily double peak, a busy
    Sunday, quiet Fridays, a mild summer dip and +4% a year, with gamma day noise and Poisson
    interval counts; 3-7% of calls are abandoned, with the seconds waited by abandoned and by
    answered callers consistent with each queue's mean patience (PATIENCE_S); `aht_s` is the
    interval's mean handle time.

    Args:
        workbook: The demo workbook (its queue ids must be demo queues).
        seed: Seed for numpy's ``default_rng``; the same seed always gives the same history.
        end: The first day after the history (the planned week's start).

    Returns:
        Columns queue, interval_start (datetime64), offered, handled, abandoned (ints),
        aht_s (float, 0.1 s; NaN where nothing was handled), abandon_wait_sum_s and
        answer_wait_sum_s (whole seconds), ordered by interval then queue.
    """
    specs = [_spec(q.queue_id) for q in workbook.queues]
    rng = np.random.default_rng(seed)
    last = end - dt.timedelta(days=(end.weekday() - SATURDAY) % 7 or 7)
    days = [last - dt.timedelta(days=k) for k in range(HISTORY_DAYS - 1, -1, -1)]
    templates, kinds = _day_templates(workbook, days)
    day_idx = np.repeat(np.arange(len(days)), [len(templates[k]) for k in kinds])
    minute = np.concatenate([templates[k] for k in kinds])
    hours = (minute + HISTORY_INTERVAL / 2) / 60.0
    profile = _intraday(hours, specs)
    per_day = _day_factors(days, kinds)[:, None] * _queue_day_factors(days, specs)
    per_day *= rng.gamma(DAY_NOISE_CV**-2, DAY_NOISE_CV**2, size=(len(days), 1))
    per_day *= rng.gamma(QUEUE_DAY_NOISE_CV**-2, QUEUE_DAY_NOISE_CV**2, size=per_day.shape)
    share = np.array([s.share for s in specs])
    rate = TUESDAY_CALLS * share * per_day[day_idx] * profile / _regular_day_mass(specs)
    offered = rng.poisson(rate)
    abandon_p = rng.uniform(0.025, 0.04, size=len(days))[day_idx, None] + 0.025 * (
        profile / profile.max(axis=0)
    )
    abandoned = rng.binomial(offered, abandon_p)
    handled = offered - abandoned
    aht = _interval_aht(rng, hours, handled, specs)
    abandon_wait, answer_wait = _wait_sums(rng, offered * abandon_p, abandoned, specs)
    start = np.array(days, dtype="datetime64[D]")[day_idx] + minute.astype("timedelta64[m]")
    return pd.DataFrame(
        {
            "queue": np.tile([s.queue_id for s in specs], len(minute)),
            "interval_start": np.repeat(start.astype("datetime64[s]"), len(specs)),
            "offered": offered.ravel().astype(np.int64),
            "handled": handled.ravel().astype(np.int64),
            "abandoned": abandoned.ravel().astype(np.int64),
            "aht_s": aht.ravel(),
            "abandon_wait_sum_s": abandon_wait.ravel(),
            "answer_wait_sum_s": answer_wait.ravel(),
        }
    )


def _spec(queue_id: str) -> QueueSpec:
    if queue_id not in _SPEC_BY_ID:
        known = ", ".join(_SPEC_BY_ID)
        raise ValueError(f"demo history: unknown queue {queue_id!r}; demo queues: {known}")
    return _SPEC_BY_ID[queue_id]


def _day_templates(workbook: Workbook, days: list[dt.date]) -> tuple[list[np.ndarray], np.ndarray]:
    """Interval start minutes for each kind of day, and each day's kind (weekday, eve, closed)."""

    def starts(weekday: int) -> np.ndarray:
        spans = [
            (s.open_min, s.close_min)
            for s in workbook.opening_hours
            if s.queue_id is None and s.date is None and s.weekday == weekday
        ]
        grid = [np.arange(a, b, HISTORY_INTERVAL) for a, b in sorted(spans)]
        return np.concatenate(grid) if grid else np.zeros(0, dtype=np.int64)

    templates = [starts(w) for w in range(7)] + [starts(FRIDAY), np.zeros(0, dtype=np.int64)]
    open_weekdays = frozenset(w for w in range(7) if len(templates[w]))
    closed, eves = _holiday_calendar(days[0], days[-1], open_weekdays)
    kinds = np.array([_CLOSED if d in closed else _EVE if d in eves else d.weekday() for d in days])
    return templates, kinds


def _day_factors(days: list[dt.date], kinds: np.ndarray) -> np.ndarray:
    """Each day's call level relative to a Tuesday of DEMO_WEEK: weekday, eve, season, trend."""
    factor = np.concatenate([WEEKDAY_FACTOR, [EVE_FACTOR, 0.0]])[kinds]
    after_closed = np.concatenate([[False], kinds[:-1] == _CLOSED]) & (kinds != _CLOSED)
    factor = factor * np.where(after_closed, AFTER_HOLIDAY_FACTOR, 1.0)
    doy = np.array([d.timetuple().tm_yday for d in days], dtype=float)
    season = 1.0 - 0.10 * np.exp(-(((doy - 213) / 28) ** 2))  # summer holidays, Jul-Aug
    years = np.array([(d - DEMO_WEEK).days for d in days]) / 365.25
    return factor * season * (1.0 + ANNUAL_GROWTH) ** years


def _queue_day_factors(days: list[dt.date], specs: list[QueueSpec]) -> np.ndarray:
    """Per queue and day extra factors: accountants' exam registration in Feb and Aug (x1.5)."""
    exam = np.array([d.month in (2, 8) and d.day <= 21 for d in days])
    is_acct = np.array([s.queue_id == "ACCT" for s in specs])
    return np.where(exam[:, None] & is_acct[None, :], 1.5, 1.0)


def _intraday(hours: np.ndarray, specs: list[QueueSpec]) -> np.ndarray:
    """Relative call intensity by hour of day: low at night, a morning and an afternoon peak."""
    h = hours[:, None]
    ramp_up = np.clip((h - 7.0) / 2.0, 0.0, 1.0)
    ramp_down = np.clip((h - 16.0) / 4.0, 0.0, 1.0)
    morning = np.array([s.morning for s in specs]) * 0.5 * np.exp(-(((h - 10.75) / 1.3) ** 2))
    afternoon = np.array([s.afternoon for s in specs]) * 0.4 * np.exp(-(((h - 14.25) / 1.2) ** 2))
    return 0.1 + 0.7 * ramp_up * (1.0 - ramp_down) + morning + afternoon


def _regular_day_mass(specs: list[QueueSpec]) -> np.ndarray:
    """Total intraday intensity of a regular 08:00-19:00 day, so a Tuesday sums to its share."""
    hours = (np.arange(480, 1140, HISTORY_INTERVAL) + HISTORY_INTERVAL / 2) / 60.0
    return _intraday(hours, specs).sum(axis=0)


def _wait_sums(rng: np.random.Generator, expected_abandoned: np.ndarray, abandoned: np.ndarray,
               specs: list[QueueSpec]) -> tuple[np.ndarray, np.ndarray]:
    """Seconds waited per interval by callers who hung up and by callers who were answered.

    With exponential patience of mean θ, abandonments arrive at 1/θ per second waited, so
    the total time waited is about θ × the expected abandonments (gamma noise, CV 0.2).
    """
    theta = np.array([PATIENCE_S.get(s.queue_id, DEFAULT_PATIENCE_S) for s in specs])
    total = expected_abandoned * theta * rng.gamma(25.0, 0.04, size=abandoned.shape)
    by_abandoners = np.minimum(abandoned * ABANDONER_WAIT_SHARE * theta, total)
    return np.round(by_abandoners), np.round(total - by_abandoners)


def _interval_aht(
    rng: np.random.Generator, hours: np.ndarray, handled: np.ndarray, specs: list[QueueSpec]
) -> np.ndarray:
    """Mean handle time per interval: lognormal call times averaged (normal approximation).

    Calls run about 3% shorter at opening and 3% longer at closing than the queue's AHT.
    """
    aht = np.array([s.aht_s for s in specs])
    cv = np.array([s.aht_cv for s in specs])
    mean = aht * (0.97 + 0.06 * np.clip((hours[:, None] - 8.0) / 11.0, 0.0, 1.0))
    sd = cv * mean / np.sqrt(np.maximum(handled, 1))
    sample = np.maximum(mean + sd * rng.standard_normal(handled.shape), 0.3 * mean)
    return np.where(handled > 0, np.round(sample, 1), np.nan)


def write_demo(folder: Path, *, seed: int = 7) -> tuple[Path, Path]:
    """Write the demo center's workbook and history into `folder`, ready for `wfm plan`.

    Args:
        folder: Where to write ``workbook.xlsx`` and ``history.csv`` (created if missing).
        seed: Seed for both the workbook and the history.

    Returns:
        The paths of the workbook and the history CSV.
    """
    from inputs.writer import write_workbook  # imported late: the writer is a separate module

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    workbook = demo_workbook(seed)
    workbook_path, history_path = folder / "workbook.xlsx", folder / "history.csv"
    write_workbook(workbook, workbook_path)
    history = demo_history(workbook, seed=seed)
    history.to_csv(history_path, index=False, float_format="%.1f", date_format="%Y-%m-%d %H:%M:%S")
    return workbook_path, history_path
