"""Excel exports: Chinese headers, widths, frozen header, every candidate, rare names intact."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from app.documents import make_roster_xlsx, make_vote_summary_xlsx
from app.documents.excel import ROSTER_HEADER, ROUNDS_HEADER, VOTES_HEADER
from app.documents.model import MeetingReport


def test_roster(report: MeetingReport, tmp_path: Path) -> None:
    result = make_roster_xlsx(report, tmp_path / "roster.xlsx")
    ws = load_workbook(result.path).active
    assert ws.title == "花名册"
    assert tuple(c.value for c in ws[1]) == ROSTER_HEADER
    assert ws.freeze_panes == "A2"
    assert ws.max_row == len(report.candidates) + 1 == result.rows + 1
    names = [ws.cell(row=r, column=3).value for r in range(2, ws.max_row + 1)]
    assert names == [c.name for c in report.candidates]
    assert "李𠈌" in names and "王䶮" in names
    assert ws.column_dimensions["D"].width > ws.column_dimensions["A"].width
    ineligible = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[8] == "不合格"]
    assert len(ineligible) == 1 and ineligible[0][14] == "资格复审不合格"


def test_vote_summary(report: MeetingReport, tmp_path: Path) -> None:
    result = make_vote_summary_xlsx(report, tmp_path / "votes.xlsx")
    wb = load_workbook(result.path)
    ws, rounds = wb["投票表决汇总表"], wb["各轮表决"]
    assert tuple(c.value for c in ws[1]) == VOTES_HEADER
    assert tuple(c.value for c in rounds[1]) == ROUNDS_HEADER
    assert ws.freeze_panes == "A2" and rounds.freeze_panes == "A2"
    rows = {r[2]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["王䶮"][9:12] == (22, 1, 1)
    assert rows["谢婷婷"][12] == "第2轮赞成15；第3轮赞成16" and rows["谢婷婷"][13] == "通过"
    assert rounds.max_row - 1 == sum(len(rd.tallies) for rd in report.rounds)
    assert {r[0] for r in rounds.iter_rows(min_row=2, values_only=True)} == {1, 2, 3}
    assert len(result.sha256) == 64 and result.doc_id.endswith("votes-xlsx")
