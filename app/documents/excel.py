"""Excel exports: the candidate roster (花名册) and the vote summary (投票表决汇总表).

Why Excel as well as PDF: the plan filed with the HR department includes the roster
(X§7 "花名册"), and departments re-key vote figures into their own systems; a workbook
with one header row, Chinese column names, sensible widths and the header frozen is
what they ask for. The content is the same read model as the PDFs, so the digest of a
workbook's data (``sha256``) can be registered like a document's.

Cells are written for people who will re-key, sort and print them: dates are real dates
(``yyyy-mm-dd``, so they sort and filter as dates), each sheet prints fitted to the page width
(landscape when it is wide) with its header row repeated on every page and frozen on screen,
and a text beginning with ``= + - @`` (or a tab or carriage return) stays text — stored as a
string with Excel's quote prefix — so a name such as ``=HYPERLINK(...)`` in an imported roster
can never become a live formula (formula injection).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from app.documents.ballots import round_result
from app.documents.blocks import content_sha, doc_id
from app.documents.model import FAIL_REASON_NAMES, NOT_GIVEN, OUTCOME_NAMES, Candidate, MeetingReport, RoundKind

HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MAX_WIDTH = 48
DATE_FORMAT = "yyyy-mm-dd"
#: A text starting with one of these is what a spreadsheet reads as a formula (or a DDE call).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Total column width (characters) that still prints upright on A4; wider sheets print landscape.
PORTRAIT_WIDTH = 100


@dataclass(frozen=True, slots=True)
class ExcelResult:
    """What an export wrote: the file, its document id, the digest of its rows."""

    path: Path
    doc_id: str
    sha256: str
    rows: int


def _display_width(value: Any) -> int:
    """Columns a value needs: a CJK character is two, others one; a date its ten figures."""
    if isinstance(value, dt.date):
        return len(DATE_FORMAT)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value))


def _as_text(cell: Any) -> None:
    """Keep a string that a spreadsheet would read as a formula a string: stored as text
    (openpyxl would otherwise write ``=…`` as a formula) and quote-prefixed, so Excel keeps it
    text when someone edits the cell too."""
    cell.data_type = "s"
    cell.quotePrefix = True


def _write_sheet(ws: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            cell.border = BORDER
            if (cell.row or 0) > 1:
                cell.alignment = Alignment(vertical="center", wrap_text=True)
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                _as_text(cell)
            elif isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
    total = 0.0
    for i, title in enumerate(header, start=1):
        values = [title, *(r[i - 1] for r in rows)]
        width = min(max(max(_display_width(v) for v in values) + 2, 6), MAX_WIDTH)
        ws.column_dimensions[get_column_letter(i)].width = width
        total += width
    ws.freeze_panes = "A2"                      # the header stays on screen ...
    ws.print_title_rows = "1:1"                 # ... and on every printed page
    ws.page_setup.orientation = "landscape" if total > PORTRAIT_WIDTH else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1                # one page wide, as many pages tall as it takes
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.auto_filter.ref = ws.dimensions


def _save(wb: Workbook, report: MeetingReport, out_path: Path, title: str) -> None:
    wb.properties.title = title
    wb.properties.creator = "Conclave"
    wb.properties.subject = report.committee.name
    out_path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out_path)


def roster_rows(report: MeetingReport) -> list[tuple[Any, ...]]:
    return [(i, c.id, c.name, c.unit, c.level, c.title_text, c.specialty,
             report.group_name(c.group_id) if c.group_id else "", "合格" if c.eligible else "不合格",
             c.eligibility_note, report.expert_name(c.primary_reviewer_id) if c.eligible else "",
             float(c.score_total) if c.score_total is not None else None,
             c.recommendation.value if c.recommendation else "", OUTCOME_NAMES[c.outcome],
             FAIL_REASON_NAMES[c.fail_reason] if c.fail_reason else "", *_facts(c))
            for i, c in enumerate(report.candidates, start=1)]


def _facts(c: Candidate) -> tuple[Any, ...]:
    """The eligibility facts as captured; a fact not captured says so."""
    return (c.education or NOT_GIVEN, c.current_title or NOT_GIVEN,
            c.current_title_date if c.current_title_date else NOT_GIVEN,
            c.years_in_post if c.years_in_post is not None else NOT_GIVEN,
            NOT_GIVEN if c.exceptional is None else ("是" if c.exceptional else "否"))


ROSTER_HEADER = ("序号", "编号", "姓名", "工作单位", "级别", "申报资格", "专业", "评议组", "资格复审",
                 "不合格原因", "主审评委", "量化评分", "小组推荐意见", "评审结果", "未通过原因",
                 "学历", "现职称", "现职称取得时间", "任职年限", "破格申报")


def make_roster_xlsx(report: MeetingReport, out_path: Path) -> ExcelResult:
    """花名册: one row per candidate with the record of every step."""
    report.check()
    rows = roster_rows(report)
    wb = Workbook()
    ws = _first_sheet(wb)
    ws.title = "花名册"
    _write_sheet(ws, ROSTER_HEADER, rows)
    _save(wb, report, out_path, f"{report.meeting.title}花名册")
    did = doc_id(report, "roster-xlsx")
    return ExcelResult(out_path, did, content_sha(report, "roster-xlsx", rows=rows), len(rows))


VOTES_HEADER = ("序号", "编号", "姓名", "工作单位", "级别", "申报资格", "资格复审", "出席表决评委数",
                "第1轮通过票数线", "赞成", "反对", "弃权", "再次投票", "表决结果", "未通过原因", "表决日期")
#: What a runoff prints where a round's pass line goes: it has none of its own (rules: 再次投票).
RUNOFF_LINE = "不设（按赞成票多少确定）"
ROUNDS_HEADER = ("轮次", "类型", "表决日期", "票号", "出席表决评委数", "通过票数线", "名额", "编号",
                 "姓名", "赞成", "反对", "弃权", "本轮结果")


def make_vote_summary_xlsx(report: MeetingReport, out_path: Path) -> ExcelResult:
    """投票表决汇总表 (first sheet) and every round's counts (second sheet, 各轮表决)."""
    report.check()
    counts = {(rd.number, t.candidate_id): (rd, t) for rd in report.rounds for t in rd.tallies}
    first = next((rd for rd in report.rounds if rd.kind is RoundKind.FIRST), None)
    rows = []
    for i, c in enumerate(report.candidates, start=1):
        hit = counts.get((first.number, c.id)) if first else None
        t = hit[1] if hit else None
        again = "；".join(f"第{rd.number}轮赞成{t2.yes}" for (_, cid), (rd, t2) in counts.items()
                         if cid == c.id and rd.kind is RoundKind.RUNOFF)
        rows.append((i, c.id, c.name, c.unit, c.level, c.title_text,
                     "合格" if c.eligible else "不合格", first.voters if first else None,
                     first.threshold if first else None, t.yes if t else None,
                     t.no if t else None, t.abstain if t else None, again,
                     OUTCOME_NAMES[c.outcome],
                     FAIL_REASON_NAMES[c.fail_reason] if c.fail_reason else "",
                     max((rd.date for rd, t2 in counts.values() if t2.candidate_id == c.id), default=None)))
    names = report.candidates_by_id
    detail = [(rd.number, "表决" if rd.kind is RoundKind.FIRST else "再次投票", rd.date,
               rd.batch_code, rd.voters, rd.threshold if rd.kind is RoundKind.FIRST else RUNOFF_LINE,
               rd.places, t.candidate_id,
               names[t.candidate_id].name, t.yes, t.no, t.abstain, round_result(rd, t.result, t.reason))
              for rd in report.rounds for t in rd.tallies]
    wb = Workbook()
    ws = _first_sheet(wb)
    ws.title = "投票表决汇总表"
    _write_sheet(ws, VOTES_HEADER, rows)
    _write_sheet(wb.create_sheet("各轮表决"), ROUNDS_HEADER, detail)
    _save(wb, report, out_path, f"{report.meeting.title}投票表决汇总表")
    did = doc_id(report, "votes-xlsx")
    sha = content_sha(report, "votes-xlsx", rows=rows, rounds=detail)
    return ExcelResult(out_path, did, sha, len(rows))


def _first_sheet(wb: Workbook) -> Worksheet:
    """A new workbook's one worksheet."""
    ws = wb.active
    assert isinstance(ws, Worksheet)
    return ws
