"""Excel exports: the candidate roster (花名册) and the vote summary (投票表决汇总表).

Why Excel as well as PDF: the plan filed with the HR department includes the roster
(X§7 "花名册"), and departments re-key vote figures into their own systems; a workbook
with one header row, Chinese column names, sensible widths and the header frozen is
what they ask for. The content is the same read model as the PDFs, so the digest of a
workbook's data (``sha256``) can be registered like a document's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.documents.blocks import content_sha, doc_id, outcome_text
from app.documents.model import FAIL_REASON_NAMES, NOT_GIVEN, OUTCOME_NAMES, Candidate, MeetingReport, RoundKind

HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MAX_WIDTH = 48


@dataclass(frozen=True, slots=True)
class ExcelResult:
    """What an export wrote: the file, its document id, the digest of its rows."""

    path: Path
    doc_id: str
    sha256: str
    rows: int


def _display_width(value: Any) -> int:
    """Columns a value needs: a CJK character is two, others one."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(value))


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
    for i, title in enumerate(header, start=1):
        values = [title, *(r[i - 1] for r in rows)]
        width = max(_display_width(v) for v in values) + 2
        ws.column_dimensions[get_column_letter(i)].width = min(max(width, 6), MAX_WIDTH)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
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
            c.current_title_date.isoformat() if c.current_title_date else NOT_GIVEN,
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
                "通过票数线", "赞成", "反对", "弃权", "再次投票", "表决结果", "未通过原因")
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
                     FAIL_REASON_NAMES[c.fail_reason] if c.fail_reason else ""))
    names = report.candidates_by_id
    detail = [(rd.number, "表决" if rd.kind is RoundKind.FIRST else "再次投票", rd.date.isoformat(),
               rd.batch_code, rd.voters, rd.threshold, rd.places, t.candidate_id,
               names[t.candidate_id].name, t.yes, t.no, t.abstain, outcome_text(t.result, t.reason))
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
