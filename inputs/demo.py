"""The embedded demo center: a seeded government service and information center.

`demo_workbook` builds its constraint workbook (12 professional queues, 80 agents, 5 shift
leads, 2 floor leads, 7 team managers); `demo_history` generates two years of 15-minute call
history for it (in `inputs.demo_history`, importable from here too); `write_demo` writes both
as the files a planner would hand to `wfm plan`. Everything is a pure function of the seed: no
clock, no set or dict ordering.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from inputs.demo_center import (
    DEMO_WEEK,
    FRIDAY,
    QUEUE_SPECS,
    SATURDAY,
    SUNDAY,
    holiday_calendar,
)
from inputs.demo_history import demo_history
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

__all__ = ["CENTER_NAME", "DEMO_WEEK", "SKILL_PROFILES", "TEAMS", "demo_history",
           "demo_opening_hours", "demo_workbook", "write_demo"]  # fmt: skip

CENTER_NAME = "Government Service & Information Center (demo)"

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
    return Workbook(
        center=_center(seed),
        opening_hours=demo_opening_hours(DEMO_WEEK),
        queues=_queues(),
        employees=_employees(rng),
        contracts=_contracts(),
        availability=_availability(),
        coverage=_coverage(),
        premiums=_premiums(),
    )


def _center(seed: int) -> Center:
    """Israeli time, 15-minute intervals, weeks from Sunday, 80% answered within 60 s."""
    return Center(
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


def _queues() -> tuple[Queue, ...]:
    """The twelve demo queues at the center's target, their patience fitted from history."""
    return tuple(
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


def _coverage() -> tuple[CoverageRule, ...]:
    """One shift lead (answering escalations, 80% within 60 s), one floor lead and one team
    manager on duty whenever the center is open."""
    return (
        CoverageRule(role=Role.SHIFT_LEAD, min_on_duty=1, answer_seconds=60, service_level=0.80),
        CoverageRule(role=Role.FLOOR_LEAD, min_on_duty=1),
        CoverageRule(role=Role.TEAM_MANAGER, min_on_duty=1),
    )


def _premiums() -> tuple[Premium, ...]:
    """A quarter more after 19:00 and beyond 42 h a week, half more on Fridays and Saturdays."""
    return (
        Premium(
            name="Evening", kind=PremiumKind.TIME, multiplier=1.25, start_min=1140, end_min=1440
        ),
        Premium(name="Friday", kind=PremiumKind.DAY, multiplier=1.5, weekday=FRIDAY),
        Premium(name="Saturday", kind=PremiumKind.DAY, multiplier=1.5, weekday=SATURDAY),
        Premium(name="Overtime", kind=PremiumKind.OVERTIME, multiplier=1.25, after_hours=42.0),
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
    closed, eves = holiday_calendar(days[0], days[-1], frozenset(_WEEKDAY_HOURS))
    friday = _WEEKDAY_HOURS[FRIDAY]
    for day in days:
        if day in closed:
            rows.append(OpeningSpan(date=day, open_min=0, close_min=0))
        elif day in eves:
            rows.append(OpeningSpan(date=day, open_min=friday[0], close_min=friday[1]))
    return tuple(rows)


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
