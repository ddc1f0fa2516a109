"""Documents (会议文书): everything the meeting puts on paper or hands to the archive.

Each document is a function ``make_<document>(report, out_path[, ...]) ->
DocumentResult`` from a :class:`~app.documents.model.MeetingReport` (the read model the
services fill from the database) to a PDF made with reportlab — never Qt. The result
names the document id and the SHA-256 of its canonical content (printed in the QR code
of every sheet), the page count, and any character no bundled or system font could
draw (``missing_glyphs``: printed as a boxed code point, never dropped).

    from app.documents import make_minutes, sample_report
    result = make_minutes(sample_report(), Path("out/minutes.pdf"))

Fonts: bundled Noto Serif CJK SC (TrueType) and a GlyphWiki CJK Ext B fallback under
``resources/fonts``; official fonts (仿宋_GB2312, 方正小标宋, 宋体, 黑体, 楷体) are
preferred when the machine has them. See ``fonts.py``, ``text.py`` (避头尾 line
breaking) and ``tounicode.py`` (correct copy/search of characters beyond U+FFFF).
"""

from __future__ import annotations

from app.documents.ballots import make_ballots, make_tally_sheet
from app.documents.excel import ExcelResult, make_roster_xlsx, make_vote_summary_xlsx
from app.documents.fonts import MissingGlyph, font_roles
from app.documents.layout import DocumentResult, SheetRef
from app.documents.minutes import make_minutes
from app.documents.model import MeetingReport
from app.documents.notices import (
    REPORT_LIMIT,
    SUMMARY_LIMIT,
    make_filing_report,
    make_publicity_notice,
    make_work_summary,
)
from app.documents.qr import canonical_sha256, parse_qr_payload, qr_payload
from app.documents.sample import generate_report, sample_report
from app.documents.sheets import make_checkin_sheet, make_commitment_letters, make_result_sheets
from app.documents.summaries import make_honoraria_sheet, make_vote_summary

__all__ = [
    "REPORT_LIMIT", "SUMMARY_LIMIT", "DocumentResult", "ExcelResult", "MeetingReport",
    "MissingGlyph", "SheetRef", "canonical_sha256", "font_roles", "generate_report",
    "make_ballots", "make_checkin_sheet", "make_commitment_letters", "make_filing_report",
    "make_honoraria_sheet", "make_minutes", "make_publicity_notice", "make_result_sheets",
    "make_roster_xlsx", "make_tally_sheet", "make_vote_summary", "make_vote_summary_xlsx",
    "make_work_summary", "parse_qr_payload", "qr_payload", "sample_report",
]
