"""Check: an independent roster checker in plain Python, with no solver and no roster model.

`check_roster` re-checks every hard rule of a finished roster against the workbook (shift
grid and lengths, contract windows, opening hours, breaks, paid hours, weekly hours and
days, rest, availability, fixed shifts, cost and the queue allocation) and lists the
violations; `require_valid_roster` raises `RosterCheckError` when there are any.
"""

from scheduler.check.core import check_roster, require_valid_roster
from scheduler.check.violations import RosterCheckError, Violation

__all__ = ["RosterCheckError", "Violation", "check_roster", "require_valid_roster"]
