"""The printouts rendered by LibreOffice (headless) to PDF: pages, orientation, font sizes.

Debian's `libreoffice-calc` converts each workbook as HR's print would; pypdf reads the PDF
back. Skipped where `soffice` is not installed (CI has only python3 and make).
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook
from pypdf import PdfReader

from outputs.print_roster import write_print_roster_sheet
from outputs.schedules import write_schedules
from scheduler.plan import Plan
from tests.outputs.demo_plan import demo_plan

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.skipif(shutil.which("soffice") is None,
                       reason="LibreOffice (soffice) is not installed: apt-get install "
                              "libreoffice-calc to render the printouts"),
]
A4_LANDSCAPE = (841.9, 595.3)  # points


def to_pdf(xlsx: Path) -> PdfReader:
    """Convert with a private LibreOffice profile, so parallel runs do not share one."""
    profile = xlsx.parent / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(xlsx.parent), str(xlsx)],
        check=True, capture_output=True, timeout=180)
    return PdfReader(xlsx.with_suffix(".pdf"))


def font_sizes(reader: PdfReader) -> Counter[float]:
    """Characters printed at each font size in points (the text matrix's scale included)."""
    sizes: Counter[float] = Counter()
    for page in reader.pages:
        def visit(text: str, cm: list[float], tm: list[float], font: object,
                  size: float) -> None:
            if text.strip():
                scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
                sizes[round(size * scale, 1)] += len(text.strip())
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.fixture(scope="module")
def plan() -> Plan:
    return demo_plan()


@pytest.fixture(scope="module")
def roster_pdf(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Roster (print)"
    write_print_roster_sheet(plan, ws)
    path = tmp_path_factory.mktemp("pdf") / "roster-print.xlsx"
    book.save(path)
    return to_pdf(path)


def test_printable_roster_is_a4_landscape_pages_with_numbers(roster_pdf: PdfReader) -> None:
    pages = roster_pdf.pages
    # 94 staff at 2 to 4 lines each, 7 teams each from a new page: 14 pages (LibreOffice 7.4
    # prints the Roster sheet of the same week on one page at 2.5 points).
    assert len(pages) == 14
    for number, page in enumerate(pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == A4_LANDSCAPE
        text = page.extract_text()
        assert f"Page {number} of 14" in text
        assert "Roster, week of Sun 29-11-2026 to Fri 04-12-2026" in text
        assert "Employee" in text and "Fri 04-12" in text  # the repeated day header


def test_each_team_starts_a_page(roster_pdf: PdfReader) -> None:
    starts = [re.search(r"Team (T\d) ·", page.extract_text()) for page in roster_pdf.pages]
    assert [m.group(1) for m in starts if m] == ["T1", "T2", "T3", "T4", "T5", "T6", "T7"]


def test_printed_text_is_ten_points_none_below_nine(roster_pdf: PdfReader) -> None:
    sizes = font_sizes(roster_pdf)
    assert sizes.most_common(1)[0][0] == 10.0
    assert min(sizes) >= 9.0


def test_a_personal_schedule_prints_on_one_page(plan: Plan, tmp_path: Path) -> None:
    write_schedules(plan, tmp_path / "schedules")
    reader = to_pdf(tmp_path / "schedules" / "A29.xlsx")
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Anna Shulman (A29)" in text and "155.00" in text
