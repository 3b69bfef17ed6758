"""The demo center's fixed facts, shared by its workbook and its history: the week it plans,
its queues and how their callers behave, and the Israeli holidays that close it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays

DEMO_WEEK = dt.date(2026, 11, 29)  # a Sunday: the week the demo plans
FRIDAY, SATURDAY, SUNDAY = 4, 5, 6
EVE_HOLIDAYS = frozenset({"Rosh Hashanah", "Yom Kippur", "Sukkot", "Pesach", "Shavuot"})


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


def holiday_calendar(
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
