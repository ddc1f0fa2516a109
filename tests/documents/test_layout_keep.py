"""Layout: a signature block is never alone on a page, the notices' QR codes decode from a
150 dpi scan, and a digest follows what is printed, not how it is stored."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.documents import DocumentResult, make_publicity_notice
from app.documents.blocks import SignatureLine, table
from app.documents.layout import ConclaveDocument, Sheet, SheetStart, Story, render
from app.documents.model import MeetingReport
from app.documents.text import Typesetter
from tests.documents.helpers import flat, pypdf_text


def _sheet(path: Path, rows: int) -> DocumentResult:
    """A sign-in sheet of ``rows`` rows of 11 mm, and the two signature lines under it."""
    ts = Typesetter()
    s = Story(ts, [SheetStart(Sheet("T.sheet", "0" * 64))])
    s.p("签到表")
    s.add(table(ts, ("序号", "姓名"), [(f"行{i}", f"评委{i}") for i in range(1, rows + 1)], [20 * mm, 60 * mm],
                row_heights=11 * mm), Spacer(1, 8 * mm))
    s.add(SignatureLine(ts, "核对人（签字）：", 150 * mm), Spacer(1, 4 * mm),
          SignatureLine(ts, "纪检监察人员（签字）：", 150 * mm))
    return render(ConclaveDocument(path, ts, title="签到表", header="测试"), s.items, "T.sheet")


def test_the_signature_lines_go_over_with_the_last_rows_they_attest(tmp_path: Path) -> None:
    # around the row count where the table just fills the first page and the signatures do not fit
    for rows in range(17, 24):
        pages = [flat(t) for t in pypdf_text(_sheet(tmp_path / f"{rows}.pdf", rows).path)]
        signed = [p for p in pages if "核对人（签字）" in p]
        assert len(signed) == 1, rows
        assert "纪检监察人员（签字）" in signed[0]
        assert f"行{rows}评委{rows}" in signed[0] and f"行{rows - 1}评委{rows - 1}" in signed[0], (rows, pages)


def test_a_notices_qr_code_decodes_from_a_150_dpi_scan(built: dict[str, DocumentResult], tmp_path: Path) -> None:
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.skip("zbarimg (zbar-tools) is not installed")
    notice = built["publicity"]
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(notice.path), str(tmp_path / "p")],
                   check=True)
    scan = next(tmp_path.glob("p*.png"))
    read = subprocess.run([zbarimg, "-q", "--raw", str(scan)], capture_output=True, text=True)
    assert read.stdout.strip() == f"conclave:1:{notice.doc_id}:{notice.sha256}"


def test_a_digest_follows_what_is_printed(report: MeetingReport, built: dict[str, DocumentResult],
                                          tmp_path: Path) -> None:
    notice = built["publicity"]
    assert report.publicity is not None
    # a fact the notice does not print leaves its digest; one it prints changes it
    same = dataclasses.replace(report, committee=dataclasses.replace(report.committee, filing_valid_until=None))
    assert make_publicity_notice(same, tmp_path / "same.pdf").sha256 == notice.sha256
    other = dataclasses.replace(report, publicity=dataclasses.replace(report.publicity, where="州人社局官网"))
    assert make_publicity_notice(other, tmp_path / "other.pdf").sha256 != notice.sha256
