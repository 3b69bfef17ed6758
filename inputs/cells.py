"""Reading spreadsheet cells: a bad cell becomes one problem line, never a traceback.

A problem line names the file, the sheet and cell, the column, the value and the fix, e.g.
``demo.xlsx: Queues!E3 (service_level): 1.5 is not a share between 0 and 1 — write e.g. 0.8``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar, cast

from openpyxl.utils import get_column_letter

from inputs.domain import WEEKDAY_NAMES

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

_TIME_TEXT = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_WEEKDAYS = {name.lower(): i for i, name in enumerate(WEEKDAY_NAMES)} | {
    name[:3].lower(): i for i, name in enumerate(WEEKDAY_NAMES)
}


class CellError(ValueError):
    """A cell value cannot be read; the message is the problem and its fix."""


def norm(name: object) -> str:
    """Header, sheet and key names match ignoring case, spaces and underscores."""
    return re.sub(r"[\s_]+", "", str(name).lower())


def show(value: object) -> str:
    """A cell value as a problem line quotes it: text in quotes, numbers and dates plain."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def format_time(minutes: int) -> str:
    """Minutes after midnight as ``HH:MM`` text (1440 is ``24:00``)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_time(value: object) -> int:
    """A time of day is ``HH:MM`` text or an Excel time cell; ``24:00`` is the end of the day."""
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, dt.timedelta):
        minutes = round(value.total_seconds() / 60)
        if 0 <= minutes <= 1440:
            return minutes
    elif isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1:
        return round(value * 1440)  # an Excel time stored as a fraction of a day
    elif isinstance(value, str) and (match := _TIME_TEXT.match(value)):
        hours, minutes = int(match[1]), int(match[2])
        if minutes < 60 and (hours < 24 or (hours == 24 and minutes == 0)):
            return hours * 60 + minutes
    raise CellError(f"{show(value)} is not a time of day — write HH:MM, e.g. 08:30 or 24:00")


def parse_date(value: object) -> dt.date:
    """A date is an Excel date cell or ``YYYY-MM-DD`` text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise CellError(f"{show(value)} is not a date — write YYYY-MM-DD, e.g. 2026-11-29")


def parse_weekday(value: object) -> int:
    """A weekday is an English name, full or three letters; returns Monday 0 ... Sunday 6."""
    if isinstance(value, str) and value.lower() in _WEEKDAYS:
        return _WEEKDAYS[value.lower()]
    raise CellError(f"{show(value)} is not a weekday — write e.g. Sunday or Sun")


def parse_number(value: object) -> float:
    """A number is a numeric cell or numeric text; ``80%`` text means 0.8."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        text = value.replace(" ", "")
        try:
            return float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            pass
    raise CellError(f"{show(value)} is not a number")


@dataclass(frozen=True, slots=True, kw_only=True)
class RawSheet:
    """One sheet's cell values: the header (normalized name -> column index) and data rows."""

    title: str
    header: dict[str, int]
    header_text: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]
    repeated: tuple[tuple[str, int, int], ...] = ()  # (header text, first index, repeat index)

    def ref(self, column: str, number: int, label: str | None = None) -> str:
        """Where a column's cell is on row `number`, e.g. ``Queues!E3 (service_level)``."""
        index = self.header.get(norm(column))
        label = label or column
        if index is None:
            return f"{self.title} row {number} ({label})"
        return f"{self.title}!{get_column_letter(index + 1)}{number} ({label})"


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(slots=True)
class Problems:
    """Every problem found in one file, in the order found."""

    file: str
    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # harmless things the reader ignored

    def add(self, where: str, message: str | None = None) -> None:
        self.lines.append(f"{self.file}: {where}" + (f": {message}" if message else ""))

    def note(self, message: str) -> None:
        self.notes.append(f"{self.file}: {message}")


def number(
    *,
    low: float | None = None,
    high: float | None = None,
    open_low: bool = False,
    open_high: bool = False,
    rule: str | None = None,
    example: str = "1",
) -> Callable[[object], float]:
    """A parser for numbers in a range; `rule` words the range for the problem line."""

    def parse(value: object) -> float:
        try:
            result = parse_number(value)
        except CellError:
            raise CellError(f"{show(value)} is not a number — write e.g. {example}") from None
        bad_low = low is not None and (result <= low if open_low else result < low)
        bad_high = high is not None and (result >= high if open_high else result > high)
        if bad_low or bad_high:
            what = rule or range_words("a number", low, high, open_low, open_high)
            raise CellError(f"{show(value)} is not {what} — write e.g. {example}")
        return result

    return parse


def integer(
    *, low: int | None = None, high: int | None = None, example: str = "1"
) -> Callable[[object], int]:
    """A parser for whole numbers from `low` to `high` (both included)."""
    rule = range_words("a whole number", low, high, False, False)
    check = number(low=low, high=high, rule=rule, example=example)

    def parse(value: object) -> int:
        result = check(value)
        if not result.is_integer():
            raise CellError(f"{show(value)} is not {rule} — write e.g. {example}")
        return int(result)

    return parse


def choice(kind: type[E]) -> Callable[[object], E]:
    """A parser for one of an enumeration's values, ignoring case, spaces and underscores."""

    def parse(value: object) -> E:
        for member in kind:
            if norm(member.value) == norm(value):
                return member
        options = ", ".join(member.value for member in kind)
        raise CellError(f"{show(value)} is not one of {options} — pick one")

    return parse


def text(value: object) -> str:
    """Text as typed; a whole number typed as an id (``101``) reads as ``'101'``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        raise CellError(f"Excel turned this cell into {show(value)} — format it as Text")
    return str(value)


def range_words(
    noun: str, low: float | None, high: float | None, open_low: bool, open_high: bool
) -> str:
    """Words for a range: "a number from 1 to 7", "a number of at least 1", "a number above 0"."""
    if low is not None and high is not None and not (open_low or open_high):
        return f"{noun} from {show(float(low))} to {show(float(high))}"
    parts = [noun]
    if low is not None:
        parts.append(f"above {show(float(low))}" if open_low else f"of at least {show(float(low))}")
    if high is not None:
        word = "below" if open_high else ("at most" if low is not None else "of at most")
        parts.append(f"{'and ' if low is not None else ''}{word} {show(float(high))}")
    return " ".join(parts)


class Row:
    """One data row of a sheet; a bad cell records a problem and marks the row `failed`."""

    def __init__(
        self, sheet: RawSheet, number: int, values: tuple[Any, ...], problems: Problems
    ) -> None:
        self.sheet, self.number, self.values, self.problems = sheet, number, values, problems
        self.failed = False
        self.labels: dict[str, str] = {}

    def ref(self, column: str) -> str:
        """Where a column's cell is, e.g. ``Queues!E3 (service_level)``."""
        return self.sheet.ref(column, self.number, self.labels.get(column))

    def fail(self, column: str, message: str) -> None:
        self.problems.add(self.ref(column), message)
        self.failed = True

    def raw(self, column: str) -> Any:
        """The cell value, stripped; None when blank or when the column is absent."""
        index = self.sheet.header.get(norm(column))
        value = self.values[index] if index is not None and index < len(self.values) else None
        if isinstance(value, str):
            value = value.strip()
        return None if blank(value) else value

    def maybe(self, column: str, parser: Callable[[object], T]) -> T | None:
        """The parsed cell, or None when blank (or bad: then a problem is recorded)."""
        value = self.raw(column)
        if value is None:
            return None
        try:
            return parser(value)
        except CellError as exc:
            self.fail(column, str(exc))
            return None

    def get(self, column: str, parser: Callable[[object], T], default: T) -> T:
        """The parsed cell, or `default` when blank (or bad: then a problem is recorded)."""
        result = self.maybe(column, parser)
        return default if result is None else result

    def need(self, column: str, parser: Callable[[object], T], example: str) -> T:
        """The parsed cell, which must not be blank.

        A blank or bad cell records a problem and marks the row failed; the caller then drops
        the row, so the placeholder returned is never used.
        """
        if self.raw(column) is None:
            self.fail(column, f"is blank — write e.g. {example}")
        return cast(T, self.maybe(column, parser))


def iter_rows(sheet: RawSheet, problems: Problems) -> list[Row]:
    """The sheet's non-empty data rows."""
    return [Row(sheet, number, values, problems) for number, values in sheet.rows]


def check_header(
    sheet: RawSheet, known: tuple[str, ...], required: tuple[str, ...], problems: Problems
) -> bool:
    """Every required column is in the header row once; unknown columns are noted and ignored.

    Returns:
        False when a required column is missing (the sheet's rows cannot be read).
    """
    missing = [c for c in required if norm(c) not in sheet.header]
    found = ", ".join(sheet.header_text) or "nothing"
    for column in missing:
        problems.add(
            f"sheet '{sheet.title}' header row 1",
            f"column '{column}' is missing (found: {found}) — add a '{column}' column",
        )
    for text_, first, again in sheet.repeated:
        problems.add(
            f"{sheet.title}!{get_column_letter(again + 1)}1",
            f"column {text_!r} appears twice (also {get_column_letter(first + 1)}1) — keep one",
        )
    names = {norm(k) for k in known}
    for heading, index in sheet.header.items():
        if heading not in names:
            title = next(t for t in sheet.header_text if norm(t) == heading)
            problems.note(
                f"note: {sheet.title}!{get_column_letter(index + 1)}1: column {title!r} is not "
                "one wfm reads — ignored"
            )
    return not missing


def unique_id(row: Row, column: str, seen: dict[str, int], what: str, example: str) -> str:
    """An id that must be filled in and appear only once in its sheet."""
    value = row.need(column, text, example)
    if value is not None and value in seen:
        row.fail(
            column,
            f"duplicate {what} {show(value)} — already on row {seen[value]}; ids must be unique",
        )
    elif value is not None:
        seen[value] = row.number
    return value


def known_id(
    row: Row, column: str, value: str | None, known: dict[str, int] | None, what: str
) -> None:
    """An id that must name a row of another sheet (unchecked when that sheet is unreadable)."""
    if value is None or known is None or value in known:
        return
    ids = list(known)
    listing = ", ".join(ids[:20]) + (f", ... ({len(ids)} in all)" if len(ids) > 20 else "")
    row.fail(column, f"unknown {what} {show(value)} — known: {listing or 'none'}")


def one_of(row: Row, first: str, second: str, what: str) -> None:
    """Exactly one of two columns is filled in."""
    given = [row.raw(first) is not None, row.raw(second) is not None]
    if all(given):
        row.fail(first, f"give {what}, not both {first} and {second} — clear one")
    elif not any(given):
        row.fail(first, f"is blank — give {what}")


def numbered_rows(
    sheet: RawSheet | None, problems: Problems, build: Callable[[Row], T]
) -> tuple[tuple[int, T], ...]:
    """(row number, object) for every good row; a row with any bad cell is reported and left out."""
    if sheet is None:
        return ()
    built = [(row, build(row)) for row in iter_rows(sheet, problems)]
    return tuple((row.number, item) for row, item in built if not row.failed)
