"""Opening a constraint workbook file: one clear line for anything that is not an .xlsx.

The file's first bytes say what it really is, so an old .xls, a CSV renamed to .xlsx or a
truncated download each get their own one-line explanation, whatever the file is called.
"""

from __future__ import annotations

import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

import openpyxl

from inputs.cells import RawSheet, blank, norm
from inputs.domain import InputError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
_ZIP_MAGIC = b"PK\x03\x04"
_SAVE_AS = "save it from Excel as 'Excel Workbook (.xlsx)'"


def load_sheets(path: Path) -> dict[str, RawSheet]:
    """Read every sheet of an .xlsx file into memory, read-only; an unreadable file is one problem.

    The file's first bytes say what it really is, so an old .xls, a CSV renamed to .xlsx or a
    truncated download each get their own one-line explanation, whatever the file is called.

    Raises:
        InputError: the file is missing or is not a readable .xlsx workbook.
    """
    name = path.name
    if not path.is_file():
        raise InputError(f"{name}: file not found at {path} — check the path")
    _check_format(path)
    try:
        with warnings.catch_warnings(), path.open("rb") as handle:
            warnings.simplefilter("ignore")  # e.g. "no default style": noise for a planner
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
            try:
                return {norm(ws.title): _raw_sheet(ws) for ws in book.worksheets}
            finally:
                book.close()
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise InputError(
            f"{name}: damaged .xlsx (truncated or corrupt: {type(exc).__name__}) — {_SAVE_AS}"
        ) from None
    except Exception as exc:  # a damaged file can fail anywhere inside openpyxl
        raise InputError(
            f"{name}: could not be read as an .xlsx workbook ({type(exc).__name__}: {exc}) — "
            f"{_SAVE_AS}"
        ) from None


def _check_format(path: Path) -> None:
    """Refuse files that are not .xlsx zips with one clear line naming what they are."""
    name = path.name
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise InputError(f"{name}: the file is empty (0 bytes) — {_SAVE_AS}")
    if head == _OLE_MAGIC or path.suffix.lower() == ".xls":
        raise InputError(
            f"{name}: old Excel 97-2003 (.xls) format or a password-protected workbook — open "
            f"it in Excel, remove any password, and save it as 'Excel Workbook (.xlsx)'"
        )
    if not head.startswith(_ZIP_MAGIC):
        what = "plain text, e.g. a CSV renamed to .xlsx" if _is_text(path) else "an unknown format"
        raise InputError(f"{name}: not an .xlsx workbook (it holds {what}) — {_SAVE_AS}")
    try:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise InputError(
            f"{name}: damaged .xlsx (truncated or corrupt: {type(exc).__name__}) — {_SAVE_AS}"
        ) from None
    if "xl/workbook.bin" in members:
        raise InputError(f"{name}: binary .xlsb format — {_SAVE_AS}")
    if "xl/workbook.xml" not in members:
        raise InputError(
            f"{name}: a zip file but not an Excel workbook (an .ods or .docx renamed?) — {_SAVE_AS}"
        )


def _is_text(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(4096)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in sample


def _raw_sheet(ws: Any) -> RawSheet:
    rows = list(ws.iter_rows(values_only=True))
    header_cells = rows[0] if rows else ()
    header: dict[str, int] = {}
    repeated = []
    for index, cell in enumerate(header_cells):
        if cell is None or not str(cell).strip():
            continue
        if norm(cell) in header:
            repeated.append((str(cell).strip(), header[norm(cell)], index))
        else:
            header[norm(cell)] = index
    data = tuple(
        (number, tuple(row))
        for number, row in enumerate(rows[1:], start=2)
        if any(not blank(v) for v in row)
    )
    text = tuple(str(c).strip() for c in header_cells if c is not None and str(c).strip())
    return RawSheet(
        title=ws.title, header=header, header_text=text, rows=data, repeated=tuple(repeated)
    )
