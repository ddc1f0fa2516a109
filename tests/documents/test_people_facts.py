"""The papers print the facts captured with the candidates, the pool and the quotas (issue 8): the
title applied for (申报资格), never the specialty in its place; the honoraria category the pool
records, never one read off the title; quotas with their unit and post. A fact not captured is
said to be missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from app.documents import make_honoraria_sheet, make_minutes, make_result_sheets, make_roster_xlsx
from app.documents.from_db import build_report
from app.documents.model import NOT_GIVEN, MeetingReport
from app.domain import Step
from app.services import Conclave
from app.storage.schema import candidate, pool_expert
from tests.demo_templates import Templates
from tests.documents.helpers import flat, pdftotext


@pytest.fixture(scope="module")
def finished(demo_templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Conclave]:
    """The demo meeting after step 10, with C001's applied title and P014's category not captured
    (as in a meeting imported from an old roster)."""
    db = demo_templates.copy(Step.PUBLICITY, tmp_path_factory.mktemp("facts") / "demo.sqlite3")
    app = Conclave(db)
    with app.store.engine.begin() as conn:
        conn.execute(update(candidate).where(candidate.c.code == "C001").values(applied_title=None))
        conn.execute(update(pool_expert).where(pool_expert.c.code == "P011").values(category=None))
    yield app
    app.close()


@pytest.fixture(scope="module")
def report(finished: Conclave) -> MeetingReport:
    return build_report(finished.views, finished.calendar, 1)


def test_the_title_applied_for_is_the_captured_one(report: MeetingReport) -> None:
    c = report.candidates_by_id
    assert (c["C002"].title_applied, c["C002"].specialty) == ("主治医师", "外科")
    assert (c["C003"].title_applied, c["C003"].title_text) == ("主管护师", "主管护师")
    assert (c["C001"].title_applied, c["C001"].title_text) == ("", NOT_GIVEN)         # not the specialty 内科
    assert c["C012"].facts_text == "学历：大学本科；现职称：护师（2023年7月1日取得）；任职年限：3年；破格申报：是"


def test_the_result_sheets_print_the_title_and_a_blank_where_it_is_missing(report: MeetingReport,
                                                                           tmp_path: Path) -> None:
    text = flat(pdftotext(make_result_sheets(report, tmp_path / "r.pdf").path))
    assert "申报资格主管护师（中级）" in text and "刘婷婷同志通过主管护师任职资格评审" in text
    assert "申报资格（未填写）（中级）" in text and "魏明轩同志通过＿＿＿＿＿＿＿＿任职资格评审" in text
    assert "内科（中级）" not in text and "通过内科" not in text and "通过外科" not in text
    assert "于2026年11月20日评审表决，秦浩然同志未通过主治医师任职资格评审" in text     # the vote date
    assert text.count("表决日期2026年11月20日") == len(report.candidates)
    winner = text[text.index("姓名郑志强"):text.index("郑志强同志通过主管护师任职资格评审")]
    assert "第2轮再次投票：郑志强、董美玲2人第1轮赞成票均为10票，均已达到通过票数线" in winner
    assert "按本轮赞成票多少确定，不设通过票数线" in winner and "通过票数线9票；赞成8票" not in winner


def test_the_minutes_print_the_facts_and_the_quotas_unit_and_post(report: MeetingReport, tmp_path: Path) -> None:
    text = flat(pdftotext(make_minutes(report, tmp_path / "m.pdf").path))
    assert "魏明轩市人民医院申报（未填写）（中级）" in text
    assert "申报条件学历：大学本科；现职称：护师（2023年7月1日取得）；任职年限：3年；破格申报：是" in text
    assert "市人民医院/主管护师市人民医院主管护师11" in text
    quotas = {q.key: (q.unit, q.post, q.quota, q.passed) for q in report.meeting.quotas}
    assert quotas == {"市人民医院/主治医师": ("市人民医院", "主治医师", 2, 2),
                      "市人民医院/主管护师": ("市人民医院", "主管护师", 1, 1)}


def test_honoraria_follow_the_pools_category_and_say_when_it_is_missing(report: MeetingReport,
                                                                       tmp_path: Path) -> None:
    lines = {h.expert_id: h for h in report.honoraria}
    assert (lines["P014"].category, lines["P014"].rate) == ("全国知名专家", Decimal(2000))   # a 正高 by title
    assert (lines["P007"].category, lines["P007"].rate) == ("正高", Decimal(1200))
    for code in ("P011", "M01"):       # no category in the pool / not in the pool: no band, not guessed
        assert (lines[code].category, lines[code].rate, lines[code].amount) == (NOT_GIVEN, None, None)
    text = flat(pdftotext(make_honoraria_sheet(report, tmp_path / "h.pdf").path))
    assert "全国知名专家" in text and "类别待填" in text and "另3人待核定" in text
    total = sum(h.amount for h in report.honoraria if h.amount is not None)
    # P014; six 正高; five 副高 besides P011 — for the demo's days: one whole (over 8 hours) and one half
    assert total == (2000 + 1200 * 6 + 800 * 5) * Decimal("1.5")


def test_the_roster_workbook_carries_the_facts(report: MeetingReport, tmp_path: Path) -> None:
    ws = load_workbook(make_roster_xlsx(report, tmp_path / "r.xlsx").path).active
    header = [c.value for c in ws[1]]
    rows = {r[2]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["魏明轩"]["申报资格"] == NOT_GIVEN
    assert (rows["贾丽华"]["申报资格"], rows["贾丽华"]["现职称取得时间"], rows["贾丽华"]["破格申报"]) == (
        "主管护师", dt.datetime(2023, 7, 1), "是")                 # a date, not its text
