"""The facts captured at setup reach the papers — and a file that never recorded them (made
before schema 4) still gets its papers, with blanks to fill by hand instead of invented values."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from app.documents import (
    make_filing_report,
    make_honoraria_sheet,
    make_minutes,
    make_publicity_notice,
    make_work_summary,
)
from app.documents.blocks import FILL_IN
from app.documents.from_db import build_report
from app.documents.model import MeetingReport
from app.domain import Step
from app.services import Conclave
from app.storage.schema import audit_event, committee, meeting, meeting_day
from tests.demo_templates import Templates
from tests.documents.helpers import flat, pypdf_text

OFFICE = "湘西自治州卫生健康委员会职称改革工作办公室"
ORGANIZER = "湘西自治州卫生健康委员会"
HR = "湘西自治州人力资源和社会保障局"


PAPERS = {"publicity": make_publicity_notice, "filing": make_filing_report, "minutes": make_minutes,
          "honoraria": make_honoraria_sheet, "summary": make_work_summary}
ISSUED = {"publicity": "06_公示.pdf", "filing": "07_备案报告.pdf", "minutes": "01_评审会议记录.pdf",
          "honoraria": "09_评审专家劳务费.pdf", "summary": "08_工作总结.pdf", "tally": "21_计票单_第1轮.pdf"}
"""The papers as the demo issued them in its final archive, by the names :data:`PAPERS` gives them."""


def _papers(report: MeetingReport, out: Path) -> dict[str, str]:
    out.mkdir()
    return {name: flat("".join(pypdf_text(make(report, out / f"{name}.pdf").path))) for name, make in PAPERS.items()}


@pytest.fixture(scope="module")
def issued(demo_templates: Templates) -> dict[str, str]:
    """The text of the demo meeting's papers as its final archive holds them — the same papers the
    meeting's facts were printed on once for the whole run (the demo writes them when it finishes)."""
    final = next(demo_templates[Step.PUBLICITY].parent.glob("archive/meeting-*-final"))
    return {name: flat("".join(pypdf_text(final / "documents" / file))) for name, file in ISSUED.items()}


@pytest.fixture
def demo(demo_templates: Templates, tmp_path: Path) -> Iterator[Conclave]:
    with Conclave(demo_templates.copy(Step.PUBLICITY, tmp_path / "demo.sqlite3")) as app:
        yield app


def test_the_demo_facts_are_printed_on_the_papers(demo: Conclave, issued: dict[str, str]) -> None:
    report = build_report(demo.views, demo.calendar, 1)
    assert (report.committee.organizer, report.committee.office) == (ORGANIZER, OFFICE)
    assert (report.meeting.start_date.isoformat(), report.meeting.end_date.isoformat()) == ("2026-11-20", "2026-11-21")
    assert report.filing is not None and (report.filing.addressee, report.filing.issuer) == (HR, OFFICE)
    assert (report.filing.number, report.filing.date.isoformat() if report.filing.date else "") == (
        "州卫职改〔2026〕21号", "2026-12-01")
    # 10.5 hours (a whole day, over 8) and 3.5 hours (half a day, at 50%): 1.5 days at the bottom of the band
    line = report.honoraria[0]
    assert line.days == Decimal("1.5") and line.amount == line.rate * Decimal("1.5")
    text = issued
    assert "公示网站或地点：湘西自治州卫生健康委员会门户网站" in text["publicity"]
    assert f"受理单位：{OFFICE}；联系电话：0743-8221517" in text["publicity"]
    assert f"0743-8221517。{ORGANIZER}2026年11月23日" in text["publicity"]     # issued by the 组建单位
    filing = text["filing"]                        # an upward document from the office, to the HR department
    assert filing.startswith(f"{OFFICE}州卫职改〔2026〕21号签发人：") and f"{HR}：" in filing
    assert "在湘西自治州卫生健康委员会门户网站公示" in filing and "在本单位公示" not in filing
    assert f"附件：1.评审结果2.拟通过人员名单{OFFICE}2026年12月1日" in filing
    assert "附件1评审结果" in filing and "附件2拟通过人员名单" in filing          # both bound and labelled
    assert "秦浩然" in filing.split("附件1评审结果")[1].split("附件2")[0]        # 附件1 lists the failed too
    summary = text["summary"]
    for fact in ("专家库共有评审专家39人", "按规定不列入本次抽取4人", "列入失信黑名单1人",
                 "随机抽取评审专家13人（内科5人、外科4人、护理4人）", "另抽取备选专家3人、实际启用0人",
                 "由周正现场见证",
                 "公示期间无异议", "三、典型经验坚持报到地点", "四、改进方向部分申报人", "五、意见建议建议进一步"):
        assert fact in summary, fact
    assert "随机种子" not in summary and "SHA-256" not in summary and "未填写" not in summary
    minutes = text["minutes"]
    for fact in ("内部资料严格保密", "2026年度卫生系列中级职称评审会议记录", "见证人周正",
                 "蔡丽华王䶮（C004）曾指导该申报人进修，申请回避", "由评委代表蔡丽华宣读", "第8步“签字确认”完成时"):
        assert fact in minutes, fact
    head = demo.views.record_head(1)
    assert head is not None and head.closed and flat(head.hash) in minutes
    fees = text["honoraria"]                       # the sums add up on their face: 29 interviewed, not 30
    for fact in ("30×215＝6450", "30×15＝450", "29×200＝5800", "6450＋5800＝12250", "推荐费450元另行上缴",
                 "全国知名专家2000—4000", "其他专业人员500—800"):
        assert fact in fees, fact
    for fact in (f"组建单位：{ORGANIZER}", f"办事机构{OFFICE}", "评审方案备案州人社职备〔2026〕15号",
                 "2026年11月20日08:00—18:30；2026年11月21日08:30—12:00",
                 "周正（州纪委监委派驻州卫生健康委员会纪检监察组）", f"李文静（{OFFICE}）"):
        assert fact in text["minutes"], fact
    assert "FILL" not in text["minutes"] and "未填写" not in text["minutes"]
    assert "11月21日08:30—12:00（3.5小时，按半天计）" in text["honoraria"]
    assert "2026年11月20日至2026年11月21日" in text["summary"]


def test_the_tally_sheet_prints_the_trail_head_at_the_close_above_the_signatures(
        demo: Conclave, issued: dict[str, str]) -> None:
    """The supervisor (监票人) signs under the audit event that closed the round: it records the count
    and the digest of the box, and ``conclave verify-db`` recounts the box against it."""
    closes = demo.views.round_heads(1)
    with demo.store.read() as conn:
        expected = dict(conn.execute(select(audit_event.c.seq, audit_event.c.hash).where(
            audit_event.c.action == "ballot.close")).all())
    assert sorted((h.seq, h.hash) for h in closes.values()) == sorted(expected.items())
    first = closes[1]
    text = issued["tally"]
    assert f"本轮表决结束于审计记录第{first.seq}号事件" in text and flat(first.hash) in text
    assert text.index(flat(first.hash)) < text.index("监票人（签字）")


def test_an_older_file_without_the_facts_gets_blanks_never_guesses(demo: Conclave, tmp_path: Path) -> None:
    with demo.store.engine.begin() as conn:                # as a schema-3 file migrated: the new columns empty
        conn.execute(update(committee).values(organizer=None, office=None, hr_department=None))
        conn.execute(update(meeting).values(plan_filing_number=None, publicity_where=None, objection_contact=None,
                                            objection_phone=None, secretary_unit=None, supervisor_unit=None,
                                            summary_experience=None, summary_improvements=None,
                                            summary_suggestions=None, filing_report_number=None,
                                            filing_report_date=None))
        conn.execute(delete(meeting_day))
    report = build_report(demo.views, demo.calendar, 1)
    assert (report.committee.organizer, report.committee.office, report.meeting.plan_filing_no) == ("", "", "")
    assert report.filing is not None and (report.filing.addressee, report.filing.issuer) == ("", "")
    assert report.meeting.start_date == report.meeting.end_date == report.meeting.vote_date
    assert report.honoraria[0].days == 1 and report.honoraria[0].note == "时长未记录"
    text = _papers(report, tmp_path / "out")
    blank = flat(FILL_IN)
    assert f"公示网站或地点：{blank}" in text["publicity"]
    assert f"受理单位：{blank}；联系电话：{blank}" in text["publicity"]
    assert f"。{blank}2026年11月23日" in text["publicity"]           # neither 组建单位 nor office: signed by hand
    assert text["filing"].startswith(f"（未填写）{blank}签发人：")      # no issuer, no 发文字号: never made up
    assert text["filing"].count(blank) >= 5               # number, addressee, venue, issuer (×3 with attachments)
    assert "____年__月__日" in text["filing"]              # the 成文日期 not recorded: a line to date by hand
    for part in ("三、典型经验（未填写）", "四、改进方向（未填写）", "五、意见建议（未填写）"):
        assert part in text["summary"], part
    for invented in ("人力资源和社会保障部门：", "在本单位公示", "组建单位：卫生系列", ORGANIZER, OFFICE):
        assert all(invented not in t for t in text.values()), invented
    assert "组建单位：（未填写）" in text["minutes"] and "评审方案备案（未填写）" in text["minutes"]
    assert "办事机构（未填写）" in text["minutes"] and "（起止时间未记录）" in text["minutes"]
    assert "周正（单位未填写）" in text["minutes"]
    assert "会议起止时间未记录，天数暂按1天计" in text["honoraria"]


def test_the_filing_reports_number_and_date_are_recorded_never_before_the_publicity_ends(demo: Conclave) -> None:
    """ClosingService.record_filing_report: the 发文字号 and 成文日期 the report prints, audited; a date before
    the publicity ends is refused in both languages (the report states the publicity's outcome)."""
    import datetime as dt

    from app.errors import RuleViolation

    with pytest.raises(RuleViolation) as refused:
        demo.closing.record_filing_report("S01", 1, number="州卫职改〔2026〕22号", date=dt.date(2026, 11, 26))
    [v] = refused.value.violations
    assert v.rule == "filing.date_early" and "2026-11-27" in str(v.message.zh)
    assert demo.views.filing_report(1).number == "州卫职改〔2026〕21号"          # nothing changed
    demo.closing.record_filing_report("S01", 1, number=" 州卫职改〔2026〕22号 ", date=None)
    assert demo.views.filing_report(1) == type(demo.views.filing_report(1))("州卫职改〔2026〕22号", None)
    with demo.store.read() as conn:
        last = conn.execute(select(audit_event.c.action).order_by(audit_event.c.seq.desc()).limit(1)).scalar()
    assert last == "filing.report"
