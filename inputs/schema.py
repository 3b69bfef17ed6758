"""The constraint workbook's layout: sheets, columns, Center keys, their ranges and help text.

One description feeds three things, so they cannot disagree: the reader's number checks
(`Column.parse`), the template's Excel data validation and the help a manager reads (the Help
sheet and the header comments).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from inputs.cells import integer, number, range_words
from inputs.domain import (
    WEEKDAY_NAMES,
    AvailabilityKind,
    Channel,
    PremiumKind,
    Role,
    ServiceLevelScope,
)

SHIFT_STEPS = (15, 30, 60, 90, 120)
WEEKDAYS_FROM_SUNDAY = (WEEKDAY_NAMES[6], *WEEKDAY_NAMES[:6])
ESTIMATE = "estimate"
OFF = "off"
YES_NO = ("yes", "no")
HELP_SHEET = "Help"


class CellKind(StrEnum):
    """How a column's cells are typed in Excel."""

    PLAIN = "plain"  # numbers or text as Excel reads them
    TEXT = "text"  # kept as text so Excel never turns it into a date or number (ids, 2.5-5)
    TIME = "time"  # HH:MM text, 00:00 to 24:00
    DATE = "date"  # a real Excel date


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """One column of a sheet (or one Center key): what it holds, its range and its help.

    `choices`, `ids_from`, `words` and the range become the template's data validation; the
    range also drives the reader's check (`parse`), so both accept the same numbers.
    """

    name: str
    help: str = ""
    required: bool = False  # the column must be in the header row
    width: int = 14
    kind: CellKind = CellKind.PLAIN
    choices: tuple[str, ...] = ()  # drop-down values
    ids_from: str | None = None  # drop-down of the ids in that sheet's first column
    words: tuple[str, ...] = ()  # words allowed besides a number (patience_s: estimate)
    low: float | None = None
    high: float | None = None
    open_low: bool = False  # the value must be above `low`, not equal to it
    open_high: bool = False
    whole: bool = False
    rule: str | None = None  # the range in words, when the generated wording reads badly
    example: str = "1"

    @property
    def ranged(self) -> bool:
        return self.low is not None or self.high is not None

    @property
    def range_text(self) -> str:
        """The range in the words the reader's problem lines use, e.g. "a number from 0 to 24"."""
        if self.rule:
            return self.rule
        noun = "a whole number" if self.whole else "a number"
        return range_words(noun, self.low, self.high, self.open_low, self.open_high)

    @property
    def parse(self) -> Callable[[object], Any]:
        """The reader's parser for this column's numbers, with the column's range."""
        if self.whole:
            low = None if self.low is None else int(self.low)
            high = None if self.high is None else int(self.high)
            return integer(low=low, high=high, example=self.example)
        return number(low=self.low, high=self.high, open_low=self.open_low,
                      open_high=self.open_high, rule=self.rule, example=self.example)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    help: str = ""
    required: bool = True

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def _c(name: str, help: str, **kwargs: Any) -> Column:
    return Column(name=name, help=help, **kwargs)


def _enum(kind: Any) -> tuple[str, ...]:
    return tuple(member.value for member in kind)


_SHARE = {"low": 0, "high": 1, "open_low": True, "open_high": True,
          "rule": "a share between 0 and 1", "example": "0.8"}  # fmt: skip
_RATE = {"low": 0, "high": 1, "rule": "a share from 0 to 1", "example": "0.05"}
_WEEK_HOURS = {"low": 0, "high": 168, "example": "40"}
_DAY_HOURS = {"low": 0, "high": 24, "example": "8"}
_TIME = {"kind": CellKind.TIME, "width": 8}
_DATE = {"kind": CellKind.DATE, "width": 12}
_WEEKDAY = {"choices": WEEKDAYS_FROM_SUNDAY, "width": 12}

CENTER_KEYS = (
    _c("name", "The center's name, shown on every report.", example="Service center"),
    _c("timezone", "IANA time zone of the history and the roster, e.g. Asia/Jerusalem."),
    _c("interval_minutes", "Planning interval: 15 or 30 minutes.", choices=("15", "30"),
       whole=True, example="15"),
    _c("week_start", "The day the planning week starts on.", choices=WEEKDAYS_FROM_SUNDAY),
    _c("service_level", "Share of calls to answer within answer_seconds, e.g. 0.8.", **_SHARE),
    _c("answer_seconds", "The service level's answer time in seconds, e.g. 60.", low=1,
       whole=True, example="60"),
    _c("service_level_scope", "Where the target must hold: every interval, each day, or the "
       "whole week (a floor still holds per interval).", choices=_enum(ServiceLevelScope)),
    _c("shrinkage", "Share of paid time lost to meetings, training and absence (0 to 0.9).",
       low=0, high=0.9, open_high=True, rule="a share from 0 to 0.9", example="0.3"),
    _c("currency", "Currency of hourly costs, e.g. ILS."),
    _c("solver_time_limit_s", "Seconds the roster solver may search.", low=0, open_low=True,
       example="120"),
    _c("solver_workers", "Solver threads; 0 uses one per core.", low=0, whole=True,
       example="0"),
    _c("seed", "Random seed: the same seed gives the same roster.", whole=True, example="0"),
    _c("holiday_country", "Country code of the public holiday calendar, e.g. IL or US."),
    _c("forecast_quantile", "Blank: staff to the mean forecast; 0.5 to below 1: staff to that "
       "quantile of the forecast.", low=0.5, high=1, open_high=True,
       rule="a quantile from 0.5 to below 1", example="0.8"),
    _c("service_level_floor", "Lowest service level of any interval under a day or week "
       "scope.", **_RATE | {"example": "0.6"}),
    _c("max_daily_hours", "Longest shift anyone may work, hours; a night shift counts whole "
       "on the day it starts.", low=0, open_low=True, high=24, example="12"),
    _c("preference_weight", "Cost of one broken wish (a prefer or avoid row, or one more "
       "start time on a same_start contract), in currency.", low=0, example="20"),
    _c("fairness_weight", "Cost of each evening, Friday or weekend shift a person works above "
       "their team's fair share, in currency.", low=0, example="10"),
)  # fmt: skip

SHEETS = (
    SheetSpec(name="Center", help="Settings of the whole center, one key per row; a blank "
              "value keeps the default. Only 'name' is required.", columns=(
        _c("key", "A setting's name (see the Help sheet).", required=True, width=22),
        _c("value", "The setting's value.", required=True, width=26),
        _c("help", "What the setting means (wfm does not read this column).", width=70),
    )),
    SheetSpec(name="OpeningHours", help="When the center (or one queue) is open: a row per "
              "weekday, or per date for one-off days. 00:00-24:00 is around the clock; "
              "00:00-00:00 on a date closes that day.", columns=(
        _c("weekday", "The weekday the row applies to (or give a date).", **_WEEKDAY),
        _c("date", "A single date (YYYY-MM-DD) that replaces its weekday's rows.", **_DATE),
        _c("open", "Opening time, HH:MM.", required=True, **_TIME),
        _c("close", "Closing time, HH:MM, after open; 24:00 is midnight.", required=True,
           **_TIME),
        _c("queue", "Blank: the whole center; a queue id: that queue's own hours.",
           ids_from="Queues", kind=CellKind.TEXT),
    )),
    SheetSpec(name="Queues", help="One row per queue (skill). Blank targets take the "
              "Center's service_level and answer_seconds.", columns=(
        _c("queue_id", "Short unique id, used in skills and the history CSV.", required=True,
           kind=CellKind.TEXT),
        _c("name", "The queue's name as people say it.", required=True, width=30),
        _c("channel", "voice, chat or email.", width=10, choices=_enum(Channel)),
        _c("service_level", "Target share answered within answer_seconds, e.g. 0.8.",
           **_SHARE),
        _c("answer_seconds", "Target answer time in seconds.", low=1, whole=True,
           example="60"),
        _c("patience_s", "Callers' mean patience in seconds (Erlang A), 'estimate' to fit "
           "it from history, or blank (Erlang C).", words=(ESTIMATE,), low=0, open_low=True,
           rule="a number of seconds above 0 or 'estimate'", example="180"),
        _c("escalation_rate", "Share of calls transferred to a shift lead (0 to 1).", **_RATE),
        _c("escalation_handle_s", "A shift lead's handle time of a transferred call, seconds.",
           low=0, high=7200, example="600"),
        _c("concurrency", "Chats one agent handles at once (1 for voice).", low=1, high=20,
           whole=True, example="1"),
        _c("priority", "Higher numbers are served first when agents are short.", whole=True,
           width=10, example="1"),
    )),
    SheetSpec(name="Employees", help="One row per person: agents, shift leads, floor leads "
              "and team managers.", columns=(
        _c("employee_id", "Short unique id.", required=True, kind=CellKind.TEXT),
        _c("name", "Full name.", required=True, width=24),
        _c("role", "agent, shift_lead, floor_lead or team_manager.", required=True,
           choices=_enum(Role)),
        _c("team", "Team name; when team managers are listed, a team one of them leads.",
           width=16),
        _c("contract", "A contract_id from the Contracts sheet.", required=True,
           ids_from="Contracts", kind=CellKind.TEXT),
        _c("hourly_cost", "Cost of one paid hour, before premiums.", required=True, low=0,
           open_low=True, example="55"),
        _c("skills", "Queue ids the person answers, separated by ';' (agents need one).",
           width=30, kind=CellKind.TEXT),
    )),
    SheetSpec(name="Contracts", help="Working-time rules shared by the employees on one "
              "contract; blank optional columns keep the defaults.", columns=(
        _c("contract_id", "Short unique id.", required=True, kind=CellKind.TEXT),
        _c("min_weekly_hours", "Least paid hours a week.", required=True, **_WEEK_HOURS),
        _c("max_weekly_hours", "Most paid hours a week.", required=True, **_WEEK_HOURS),
        _c("max_days", "Most working days a week.", required=True, low=1, high=7, whole=True,
           example="5"),
        _c("min_shift_hours", "Shortest shift, hours.", required=True, **_DAY_HOURS),
        _c("max_shift_hours", "Longest shift, hours.", required=True, **_DAY_HOURS),
        _c("earliest_start", "No shift starts before, HH:MM (blank 00:00).", **_TIME),
        _c("latest_end", "No shift ends after, HH:MM (blank 24:00).", **_TIME),
        _c("max_consecutive_days", "Most working days in a row.", low=1, high=14, whole=True,
           example="6"),
        _c("min_rest_hours", "Least rest between two shifts, hours.", **_DAY_HOURS),
        _c("weekly_rest_hours", "Least unbroken rest once a week, hours.", **_WEEK_HOURS),
        _c("break_minutes", "Length of the unpaid break, minutes.", low=0, high=240,
           whole=True, example="30"),
        _c("break_after_hours", "Shifts longer than this get a break, hours.", **_DAY_HOURS),
        _c("break_window", "When the break starts, hours after the shift starts: A-B, e.g. "
           "2.5-5.", kind=CellKind.TEXT),
        _c("shift_step_minutes", "Shift lengths run from the shortest to the longest in "
           "this step.", choices=tuple(map(str, SHIFT_STEPS)), whole=True, example="30"),
        _c("same_start", "yes: start at the same time every day worked (a wish; blank no).",
           choices=YES_NO, width=11),
        _c("short_break_minutes", "Length of each paid short break, minutes (0: none). A "
           "shift with the lunch gets two, one before it and one after it; a shift longer "
           "than short_break_after_hours without a lunch gets one.", low=0, high=60,
           whole=True, example="15"),
        _c("short_break_after_hours", "Shifts longer than this get a short break even "
           "without a lunch, hours.", **_DAY_HOURS | {"example": "4"}),
        _c("break_spacing_hours", "Each short break starts at least this long after the "
           "shift start or the break before it, and ends at least this long before the next "
           "break or the shift end, hours.", low=0, high=12, example="1"),
    )),
    SheetSpec(name="Availability", required=False, help="Time off and wishes: one row per "
              "employee and date (or weekday). Blank from/to is the whole day.", columns=(
        _c("employee_id", "An employee_id from the Employees sheet.", required=True,
           ids_from="Employees", kind=CellKind.TEXT),
        _c("date", "The date (YYYY-MM-DD), or give a weekday.", **_DATE),
        _c("weekday", "Every such weekday, or give a date.", **_WEEKDAY),
        _c("from", "From, HH:MM (blank 00:00).", **_TIME),
        _c("to", "To, HH:MM (blank 24:00).", **_TIME),
        _c("kind", "unavailable (time off), prefer or avoid.", width=12,
           choices=_enum(AvailabilityKind)),
    )),
    SheetSpec(name="Coverage", required=False, help="How many leads must be on duty whenever "
              "the center is open: one row per role.", columns=(
        _c("role", "The role this row is about.", required=True, choices=_enum(Role)),
        _c("min_on_duty", "At least this many on duty whenever open.", required=True, low=0,
           whole=True, example="1"),
        _c("per_agents", "And one per this many agents on duty.", low=1, whole=True,
           example="15"),
        _c("answer_seconds", "Shift leads: answer time for transferred calls, seconds.",
           low=1, whole=True, example="60"),
        _c("service_level", "Shift leads: target share of transferred calls answered in "
           "time.", **_SHARE),
    )),
    SheetSpec(name="Costs", required=False, help="Pay premiums: a time premium needs from/to, "
              "a day premium a weekday, an overtime premium after_hours.", columns=(
        _c("premium", "A name for the premium, e.g. Evening.", required=True, width=18),
        _c("kind", "time, day or overtime.", required=True, choices=_enum(PremiumKind)),
        _c("weekday", "Day premiums: the weekday.", **_WEEKDAY),
        _c("from", "Time premiums: from, HH:MM.", **_TIME),
        _c("to", "Time premiums: to, HH:MM.", **_TIME),
        _c("after_hours", "Overtime premiums: weekly paid hours after which it applies.",
           **_WEEK_HOURS),
        _c("multiplier", "Pay multiplier, e.g. 1.25.", required=True, low=1, high=10,
           example="1.25"),
    )),
    SheetSpec(name="Scenario", required=False, help="What-ifs: multiply forecast volume and "
              "handle time for a queue (blank or * for all) over a date range.", columns=(
        _c("queue", "A queue_id, or blank/* for every queue.", ids_from="Queues",
           kind=CellKind.TEXT),
        _c("from_date", "First date, YYYY-MM-DD.", required=True, **_DATE),
        _c("to_date", "Last date, YYYY-MM-DD.", required=True, **_DATE),
        _c("volume_multiplier", "Calls times this, e.g. 1.5 for a surge.", low=0,
           open_low=True, high=100, example="1.5"),
        _c("aht_multiplier", "Handle time times this.", low=0, open_low=True, high=100,
           example="1.1"),
    )),
    SheetSpec(name="FixedShifts", required=False, help="Shifts agreed in advance: the "
              "employee works exactly this shift on this date, or 'off' in start for a fixed "
              "day off.", columns=(
        _c("employee_id", "An employee_id from the Employees sheet.", required=True,
           ids_from="Employees", kind=CellKind.TEXT),
        _c("date", "The date the shift starts on, YYYY-MM-DD.", required=True, **_DATE),
        _c("start", "Start, HH:MM, or 'off' for a fixed day off.", required=True,
           words=(OFF,), **_TIME),
        _c("end", "End, HH:MM (blank when off); at or before start ends the next day.",
           **_TIME),
    )),
)  # fmt: skip


@cache
def column(sheet: str, name: str) -> Column:
    """The spec of one column (sheet ``Center``: one key), by exact names.

    Raises:
        KeyError: no such sheet or column (a bug in the caller).
    """
    columns = CENTER_KEYS if sheet == "Center" else sheet_spec(sheet).columns
    for spec in columns:
        if spec.name == name:
            return spec
    raise KeyError(f"{sheet}.{name}")


def sheet_spec(name: str) -> SheetSpec:
    """The spec of one sheet by its exact name.

    Raises:
        KeyError: no such sheet (a bug in the caller).
    """
    for spec in SHEETS:
        if spec.name == name:
            return spec
    raise KeyError(name)
