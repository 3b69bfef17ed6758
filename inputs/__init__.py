"""Inputs stage: the constraint workbook and the history CSV, read and validated.

from inputs import read_workbook, read_history
workbook = read_workbook(Path("rules.xlsx"))          # -> inputs.domain.Workbook
history = read_history(Path("history.csv"), interval_minutes=15, queues=[...])
"""

from inputs.domain import InputError, Workbook
from inputs.history import read_history
from inputs.workbook import read_workbook
from inputs.writer import write_workbook

__all__ = ["InputError", "Workbook", "read_history", "read_workbook", "write_workbook"]
