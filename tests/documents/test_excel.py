"""Excel exports: Chinese headers, widths, frozen header, every candidate, rare names intact; dates as
dates, fit-to-width printing, and no text ever turned into a formula."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from zipfile import ZipFile

from openpyxl import load_workbook

from app.documents import make_roster_xlsx, make_vote_summary_xlsx
from app.documents.excel import ROSTER_HEADER, ROUNDS_HEADER, RUNOFF_LINE, VOTES_HEADER
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


def _with_names(report: MeetingReport, **names: str) -> MeetingReport:
    """The report with some candidates renamed (by id) and the first given a title date."""
    cands = tuple(replace(c, name=names.get(c.id, c.name),
                          current_title_date=dt.date(2019, 7, 1) if i == 0 else c.current_title_date)
                  for i, c in enumerate(report.candidates))
    return replace(report, candidates=cands)


def test_dates_are_dates_and_print_fits_the_width(report: MeetingReport, tmp_path: Path) -> None:
    first = report.candidates[0]
    roster = load_workbook(make_roster_xlsx(_with_names(report), tmp_path / "roster.xlsx").path).active
    since = roster.cell(row=2, column=ROSTER_HEADER.index("现职称取得时间") + 1)
    assert since.is_date and since.value.date() == dt.date(2019, 7, 1) and since.number_format == "yyyy-mm-dd"
    assert roster.cell(row=3, column=ROSTER_HEADER.index("现职称取得时间") + 1).value == "（未填写）"
    wb = load_workbook(make_vote_summary_xlsx(report, tmp_path / "votes.xlsx").path)
    day = wb["各轮表决"].cell(row=2, column=ROUNDS_HEADER.index("表决日期") + 1)
    assert day.is_date and day.value.date() == report.rounds[0].date and day.number_format == "yyyy-mm-dd"
    voted = wb["投票表决汇总表"].cell(row=2, column=VOTES_HEADER.index("表决日期") + 1)
    assert voted.is_date and voted.value.date() == report.meeting.vote_date
    for ws in (roster, *wb.worksheets):
        setup = ws.page_setup
        assert (setup.fitToWidth, setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
        assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"      # header repeated and frozen
        assert setup.paperSize == 9                                  # A4
    assert roster.page_setup.orientation == "landscape"            # twenty columns: wide
    assert first.name == roster.cell(row=2, column=3).value


def test_a_text_that_looks_like_a_formula_stays_text(report: MeetingReport, tmp_path: Path) -> None:
    ids = [c.id for c in report.candidates[:5]]
    bad = ["=1+1", '=HYPERLINK("http://evil.example","点击")', "+SUM(A1:A9)", "-2+3", "@cmd"]
    changed = _with_names(report, **dict(zip(ids, bad, strict=True)))
    for make, sheet in ((make_roster_xlsx, "花名册"), (make_vote_summary_xlsx, "投票表决汇总表")):
        path = make(changed, tmp_path / f"{sheet}.xlsx").path
        ws = load_workbook(path)[sheet]
        cells = [ws.cell(row=r, column=3) for r in range(2, 7)]
        assert [c.value for c in cells] == bad
        assert all(c.data_type == "s" and c.quotePrefix for c in cells)
        assert not ws.cell(row=7, column=3).quotePrefix           # an ordinary name as it was
        with ZipFile(path) as z:                                   # no formula anywhere in the file
            assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_the_rounds_sheet_gives_a_runoff_no_pass_line(report: MeetingReport, tmp_path: Path) -> None:
    wb = load_workbook(make_vote_summary_xlsx(report, tmp_path / "votes.xlsx").path)
    col = ROUNDS_HEADER.index("通过票数线")
    lines = {(r[0], r[1]): r[col] for r in wb["各轮表决"].iter_rows(min_row=2, values_only=True)}
    assert lines[1, "表决"] == report.rounds[0].threshold
    assert lines[2, "再次投票"] == lines[3, "再次投票"] == RUNOFF_LINE == "不设（按赞成票多少确定）"
    results = {(r[0], r[8]): r[-1] for r in wb["各轮表决"].iter_rows(min_row=2, values_only=True)}
    assert results[2, "谢婷婷"] == "赞成票数再次相同，待再次投票" and results[3, "谢婷婷"] == "通过"
