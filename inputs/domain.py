"""Domain objects shared by every stage, validated once at the input boundary.

Conventions used throughout wfm:
- times of day are whole minutes after midnight (``480`` is 08:00, ``1440`` is 24:00);
- weekdays are Python's ``date.weekday()`` numbers (Monday 0 ... Sunday 6);
- timestamps are naive local times in the center's timezone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Role(StrEnum):
    """What an employee does on the floor."""

    AGENT = "agent"
    SHIFT_LEAD = "shift_lead"
    FLOOR_LEAD = "floor_lead"
    TEAM_MANAGER = "team_manager"


class Channel(StrEnum):
    VOICE = "voice"
    CHAT = "chat"
    EMAIL = "email"


class AvailabilityKind(StrEnum):
    UNAVAILABLE = "unavailable"
    PREFER = "prefer"
    AVOID = "avoid"


class ServiceLevelScope(StrEnum):
    INTERVAL = "interval"
    DAY = "day"
    WEEK = "week"


class PremiumKind(StrEnum):
    """How a cost premium is triggered."""

    TIME = "time"  # worked minutes between `start` and `end` on any day
    DAY = "day"  # every worked minute on `weekday`
    OVERTIME = "overtime"  # weekly paid hours beyond `after_hours`


@dataclass(frozen=True, slots=True, kw_only=True)
class Center:
    name: str
    timezone: str = "Asia/Jerusalem"
    interval_minutes: int = 15
    week_start: int = 6  # Sunday
    service_level: float = 0.80
    answer_seconds: int = 60
    service_level_scope: ServiceLevelScope = ServiceLevelScope.INTERVAL
    shrinkage: float = 0.0
    currency: str = "ILS"
    solver_time_limit_s: float = 120.0
    solver_workers: int = 0  # 0: one per core
    seed: int = 0
    holiday_country: str = "IL"
    forecast_quantile: float | None = None  # staff to this quantile of the forecast; None: mean
    service_level_floor: float = 0.60  # lowest interval level under a day or week scope
    max_daily_hours: float = 12.0  # no shift longer, night shifts counted whole
    preference_weight: float = 20.0  # currency per broken wish (prefer/avoid, same start)
    fairness_weight: float = 10.0  # currency per evening/Friday/weekend shift above fair share


@dataclass(frozen=True, slots=True, kw_only=True)
class OpeningSpan:
    """The center (or one queue) is open from `open_min` to `close_min` on a weekday or a date.

    A row with a `date` replaces the weekday rows for that date; ``open_min == close_min``
    on a date means closed all day (a holiday).
    """

    weekday: int | None = None
    date: dt.date | None = None
    open_min: int
    close_min: int
    queue_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Queue:
    queue_id: str
    name: str
    channel: Channel = Channel.VOICE
    service_level: float = 0.80
    answer_seconds: int = 60
    patience_s: float | None = None  # mean caller patience; set: Erlang A, None: Erlang C
    estimate_patience: bool = False  # patience_s "estimate": Erlang A with patience from history
    escalation_rate: float = 0.0
    escalation_handle_s: float = 0.0
    concurrency: int = 1
    priority: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Employee:
    employee_id: str
    name: str
    role: Role
    team: str
    contract_id: str
    hourly_cost: float
    skills: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Contract:
    """Working-time rules shared by the employees on one contract.

    A shift longer than `break_after_hours` gets one unpaid break (the lunch) of
    `break_minutes`, starting between `break_window_start_h` and `break_window_end_h` hours
    after the shift starts.

    Paid short breaks of `short_break_minutes` (0: none): a shift longer than
    `break_after_hours` (it has the lunch) gets two, one before the lunch and one after it; a
    shift longer than `short_break_after_hours` but without a lunch gets one; shorter shifts
    get none. Every short break starts at least `break_spacing_hours` after the shift start or
    after the end of the break before it, and ends at least `break_spacing_hours` before the
    next break or the shift end. Starts lie on interval boundaries.
    """

    contract_id: str
    min_weekly_hours: float
    max_weekly_hours: float
    max_days: int
    min_shift_hours: float
    max_shift_hours: float
    earliest_start: int = 0
    latest_end: int = 1440
    max_consecutive_days: int = 6
    min_rest_hours: float = 8.0
    weekly_rest_hours: float = 36.0
    break_minutes: int = 30
    break_after_hours: float = 6.0
    break_window_start_h: float = 2.0
    break_window_end_h: float = 5.0
    shift_step_minutes: int = 30  # allowed shift lengths: min..max in this step
    same_start: bool = False  # soft: start at the same time every day worked
    short_break_minutes: int = 0  # paid; 0 = no short breaks
    short_break_after_hours: float = 4.0
    break_spacing_hours: float = 1.0

    def has_lunch(self, shift_minutes: float) -> bool:
        """A shift longer than `break_after_hours` has the unpaid lunch (when it lasts > 0)."""
        return self.break_minutes > 0 and shift_minutes > self.break_after_hours * 60 + 1e-6

    def short_break_count(self, shift_minutes: float) -> int:
        """Paid short breaks a shift of this length gets: two around the lunch, one without it."""
        if self.short_break_minutes <= 0:
            return 0
        if self.has_lunch(shift_minutes):
            return 2
        return int(shift_minutes > self.short_break_after_hours * 60 + 1e-6)

    def break_offsets(
        self, length: int, interval: int
    ) -> tuple[tuple[int, ...], tuple[tuple[int, ...], ...]] | None:
        """Where a shift's lunch and short breaks may start, in minutes after the shift starts.

        A shift of `length` minutes starting on an interval boundary gets its lunch inside the
        lunch window and its short breaks at least `break_spacing_hours` from the shift's
        edges and from the lunch, all starting on interval boundaries.

        Returns:
            The lunch starts (empty: no lunch) and one tuple of starts per short break (empty
            tuple: none; two: before and after the lunch); lunch starts that leave no room for
            the short breaks are left out. None when the short breaks cannot be placed.
        """
        up = lambda minute: minute + (-minute % interval)  # noqa: E731
        lunch: tuple[int, ...] = ()
        if self.has_lunch(length):
            last = min(round(self.break_window_end_h * 60), length - self.break_minutes)
            lunch = tuple(range(up(round(self.break_window_start_h * 60)), last + 1, interval))
        count = self.short_break_count(length)
        if count == 0:
            return lunch, ()
        gap, short = round(self.break_spacing_hours * 60), self.short_break_minutes
        first, last = up(gap), length - gap - short  # a short break's edge limits
        if count == 1:
            starts = tuple(range(first, last + 1, interval))
            return ((), (starts,)) if starts else None
        lunch = tuple(x for x in lunch if first + short + gap <= x
                      and up(x + self.break_minutes + gap) <= last)
        if not lunch:
            return None
        before = tuple(range(first, lunch[-1] - gap - short + 1, interval))
        after = tuple(range(up(lunch[0] + self.break_minutes + gap), last + 1, interval))
        return lunch, (before, after)


@dataclass(frozen=True, slots=True, kw_only=True)
class Availability:
    """An employee's limit on one date (or every `weekday`) between `start_min` and `end_min`."""

    employee_id: str
    date: dt.date | None = None
    weekday: int | None = None
    start_min: int = 0
    end_min: int = 1440
    kind: AvailabilityKind = AvailabilityKind.UNAVAILABLE


@dataclass(frozen=True, slots=True, kw_only=True)
class CoverageRule:
    """How many of a role must be on duty (not on break) whenever the center is open."""

    role: Role
    min_on_duty: int = 0
    per_agents: int | None = None
    answer_seconds: int | None = None
    service_level: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Premium:
    name: str
    kind: PremiumKind
    multiplier: float
    weekday: int | None = None
    start_min: int | None = None
    end_min: int | None = None
    after_hours: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioRule:
    """Multiply forecast volume and handle time for a queue (None: all) over a date range."""

    queue_id: str | None
    start_date: dt.date
    end_date: dt.date
    volume_multiplier: float = 1.0
    aht_multiplier: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class FixedShift:
    """An employee must work exactly `start_min`..`end_min` on `date`, or not at all when `off`.

    Minutes count from `date`'s midnight; an end at or before the start is on the next day (a
    night shift). `row` is the FixedShifts sheet row it was read from (0: not from a sheet).
    """

    employee_id: str
    date: dt.date
    start_min: int = 0
    end_min: int = 0
    off: bool = False
    row: int = field(default=0, compare=False)

    @property
    def length_min(self) -> int:
        return (self.end_min - self.start_min) % 1440 or 1440


@dataclass(frozen=True, slots=True, kw_only=True)
class Workbook:
    """Everything the constraint workbook says, validated."""

    center: Center
    opening_hours: tuple[OpeningSpan, ...]
    queues: tuple[Queue, ...]
    employees: tuple[Employee, ...]
    contracts: tuple[Contract, ...]
    availability: tuple[Availability, ...] = ()
    coverage: tuple[CoverageRule, ...] = ()
    premiums: tuple[Premium, ...] = ()
    scenarios: tuple[ScenarioRule, ...] = ()
    fixed_shifts: tuple[FixedShift, ...] = ()
    _contract_index: dict[str, Contract] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_contract_index", {c.contract_id: c for c in self.contracts})

    def contract_of(self, employee: Employee) -> Contract:
        return self._contract_index[employee.contract_id]

    def coverage_for(self, role: Role) -> CoverageRule | None:
        return next((c for c in self.coverage if c.role is role), None)

    def open_spans(self, day: dt.date, queue_id: str | None = None) -> list[tuple[int, int]]:
        """Opening spans (minutes) of the center, or of one queue, on `day`.

        Queue-specific rows override the center's rows for that queue; date rows override
        weekday rows. A date row with open == close means closed all day.
        """
        rows = [s for s in self.opening_hours if s.queue_id == queue_id]
        if queue_id is not None and not rows:
            rows = [s for s in self.opening_hours if s.queue_id is None]
        dated = [s for s in rows if s.date == day]
        chosen = dated or [s for s in rows if s.date is None and s.weekday == day.weekday()]
        return sorted((s.open_min, s.close_min) for s in chosen if s.close_min > s.open_min)

    def is_open(self, moment: dt.datetime, queue_id: str | None = None) -> bool:
        minute = moment.hour * 60 + moment.minute
        return any(a <= minute < b for a, b in self.open_spans(moment.date(), queue_id))


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    """One shift of one employee: when, its breaks, and what it costs.

    `breaks` holds the unpaid lunch (paid_hours = length - breaks); `short_breaks` the paid
    short breaks. The employee is off duty during both.
    """

    employee_id: str
    day: dt.date
    start: dt.datetime
    end: dt.datetime
    breaks: tuple[tuple[dt.datetime, dt.datetime], ...] = ()  # the unpaid lunch
    paid_hours: float  # length less `breaks`; short breaks are paid
    cost: float
    short_breaks: tuple[tuple[dt.datetime, dt.datetime], ...] = ()  # paid, off duty


@dataclass(frozen=True, slots=True, kw_only=True)
class Roster:
    week_start: dt.date
    assignments: tuple[Assignment, ...]

    def for_employee(self, employee_id: str) -> list[Assignment]:
        return sorted(
            (a for a in self.assignments if a.employee_id == employee_id), key=lambda a: a.start
        )


class InputError(Exception):
    """A user's input file is wrong; the message says where and how to fix it.

    `problems` holds one line per problem, e.g.
    ``Employees!F7 (contract): unknown contract 'PT3O' — known: PT30, FT42``.
    """

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))
