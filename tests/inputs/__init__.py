"""Tests of the input readers: the workbook, history, plan files."""
