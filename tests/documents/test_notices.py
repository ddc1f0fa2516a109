"""Official notices: GB/T 9704 page, 22 lines of 28 characters, dates, the 500/2000 limits."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from app.documents import (
    REPORT_LIMIT,
    SUMMARY_LIMIT,
    DocumentResult,
    make_filing_report,
    make_work_summary,
)
from app.documents.layout import CHAR_PITCH, GB_HEIGHT, GB_LINES, GB_WIDTH, LINE_PITCH
from app.documents.model import MeetingReport
from app.documents.notices import count_chars, filing_report_text, work_summary_text
from app.errors import RuleViolation
from tests.documents.helpers import flat, pdftotext


def test_grid_is_gbt_9704() -> None:
    assert pytest.approx(28) == GB_WIDTH / CHAR_PITCH
    assert pytest.approx(GB_HEIGHT) == GB_LINES * LINE_PITCH
    assert pytest.approx(156 / 28 / 25.4 * 72) == 16 + (CHAR_PITCH - 16)


def test_publicity_notice(built: dict[str, DocumentResult], report: MeetingReport) -> None:
    result = built["publicity"]
    page = PdfReader(result.path).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4)
    text = pdftotext(result.path)
    flat_text = flat(text)
    assert "关于2026年度卫生系列高级职称评审结果的公示" in flat_text
    assert "公示时间：2026年11月23日至2026年11月27日（5个工作日）" in flat_text
    assert "—1—" in flat_text and "—2—" in flat_text  # page numbers, GB/T 9704 7.5
    layout = pdftotext(result.path, "-layout")
    assert layout.rstrip().splitlines()[-1].strip().startswith("—")  # even page: on the left
    passed = [c.name for c in report.candidates if c.outcome.value == "passed"]
    assert len(passed) == 15 and all(n in flat_text for n in passed)
    assert "韩磊" not in flat_text


def _body_lines(path: Path) -> list[str]:
    lines = [ln.strip() for ln in pdftotext(path, "-layout", "-f", "1", "-l", "1").splitlines()]
    return [ln for ln in lines if ln and not ln.startswith("—")]


def test_page_holds_22_lines_of_28_characters(report: MeetingReport, tmp_path: Path) -> None:
    body = "评" * 28 * 30  # one long paragraph without punctuation
    assert report.filing is not None
    r = replace(report, filing=replace(report.filing, work_summary="审" * 26 + body[:600]))
    result = make_work_summary(r, tmp_path / "grid.pdf")
    lines = _body_lines(result.path)
    # title (2 lines) + blank + body: 22 lines on the page, the blank one not printed
    assert len(lines) == GB_LINES - 1, lines
    full = [ln.replace(" ", "") for ln in lines[2:]]
    assert full[0] == "审" * 26  # first line indented two characters
    assert all(len(ln) == 28 for ln in full[1:]), [len(ln) for ln in full]


def test_filing_report_text_and_length(built: dict[str, DocumentResult],
                                       report: MeetingReport) -> None:
    text = filing_report_text(report)
    assert count_chars(text) <= REPORT_LIMIT
    for fragment in ("2026年11月20日", "进入评委会评审30人", "正高10人", "评审通过15人",
                     "评审通过率正高40%，副高55%", "公示期间无异议"):
        assert fragment in text, fragment
    assert "请予备案" in flat(pdftotext(built["filing"].path)) or "报请备案" in text


@pytest.mark.parametrize(("n", "ok"), [(REPORT_LIMIT, True), (REPORT_LIMIT + 1, False)])
def test_filing_report_over_500_characters_is_refused(report: MeetingReport, tmp_path: Path,
                                                      n: int, ok: bool) -> None:
    assert report.filing is not None
    text = "备" * (n - 10) + "\n" + "案 " * 10  # whitespace is not counted
    r = replace(report, filing=replace(report.filing, report_text=text))
    if ok:
        assert make_filing_report(r, tmp_path / "ok.pdf").pages >= 1
        return
    with pytest.raises(RuleViolation) as err:
        make_filing_report(r, tmp_path / "no.pdf")
    assert err.value.rule == "filing.report_length"
    zh = err.value.violations[0].zh or ""
    assert "501字" in zh and "500字" in zh and "501 characters" in str(err.value)
    assert not (tmp_path / "no.pdf").exists()


@pytest.mark.parametrize(("n", "ok"), [(SUMMARY_LIMIT, True), (SUMMARY_LIMIT + 1, False)])
def test_work_summary_over_2000_characters_is_refused(report: MeetingReport, tmp_path: Path,
                                                      n: int, ok: bool) -> None:
    assert report.filing is not None
    r = replace(report, filing=replace(report.filing, work_summary="一、总结\n" + "结" * (n - 4)))
    if ok:
        assert make_work_summary(r, tmp_path / "ok.pdf").pages >= 4
        return
    with pytest.raises(RuleViolation) as err:
        make_work_summary(r, tmp_path / "no.pdf")
    assert err.value.rule == "filing.summary_length" and "2001字" in (err.value.violations[0].zh or "")
    assert "2001 characters" in str(err.value)


def test_filing_report_needs_the_publicity_outcome(report: MeetingReport, tmp_path: Path) -> None:
    assert report.publicity is not None
    r = replace(report, publicity=replace(report.publicity, objections=None))
    with pytest.raises(RuleViolation) as err:
        make_filing_report(r, tmp_path / "x.pdf")
    assert err.value.rule == "documents.objections"


def test_the_publicity_outcome_typed_with_its_full_stop_is_not_doubled(report: MeetingReport) -> None:
    """Found in the office's try: the outcome typed at step 10 as a sentence ("未收到异议。")
    was printed "公示期间未收到异议。。" in the filing report."""
    assert report.publicity is not None
    r = replace(report, publicity=replace(report.publicity, objections="未收到异议。"))
    text = filing_report_text(r)
    assert "公示期间未收到异议。\n" in text and "。。" not in text
    summary = work_summary_text(r)
    assert "公示，公示期间未收到异议。" in summary and "。。" not in summary
