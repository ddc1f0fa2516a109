"""The facts captured at setup reach the papers — and a file that never recorded them (made
before schema 4) still gets its papers, with blanks to fill by hand instead of invented values."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import delete, update

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
from app.storage.schema import committee, meeting, meeting_day
from tests.demo_templates import Templates
from tests.documents.helpers import flat, pypdf_text

OFFICE = "湘西自治州卫生健康委员会职称改革工作办公室"
ORGANIZER = "湘西自治州人力资源和社会保障局"


def _papers(report: MeetingReport, out: Path) -> dict[str, str]:
    out.mkdir()
    built = {"publicity": make_publicity_notice, "filing": make_filing_report, "minutes": make_minutes,
             "honoraria": make_honoraria_sheet, "summary": make_work_summary}
    return {name: flat("".join(pypdf_text(make(report, out / f"{name}.pdf").path))) for name, make in built.items()}


@pytest.fixture
def demo(demo_templates: Templates, tmp_path: Path) -> Iterator[Conclave]:
    with Conclave(demo_templates.copy(Step.PUBLICITY, tmp_path / "demo.sqlite3")) as app:
        yield app


def test_the_demo_facts_are_printed_on_the_papers(demo: Conclave, tmp_path: Path) -> None:
    report = build_report(demo.views, demo.calendar, 1)
    assert (report.committee.organizer, report.committee.office) == (ORGANIZER, OFFICE)
    assert (report.meeting.start_date.isoformat(), report.meeting.end_date.isoformat()) == ("2026-11-20", "2026-11-21")
    assert report.filing is not None and (report.filing.addressee, report.filing.issuer) == (ORGANIZER, OFFICE)
    # 10.5 hours (a whole day, over 8) and 3.5 hours (half a day, at 50%): 1.5 days at the bottom of the band
    line = report.honoraria[0]
    assert line.days == Decimal("1.5") and line.amount == line.rate * Decimal("1.5")
    text = _papers(report, tmp_path / "out")
    assert "公示网站或地点：湘西自治州卫生健康委员会门户网站" in text["publicity"]
    assert f"受理单位及电话：{OFFICE}，0743-8221517" in text["publicity"]
    assert text["publicity"].count(OFFICE) >= 2                      # signed by the office (X§10(十))
    assert text["filing"].startswith("关于") and f"{ORGANIZER}：" in text["filing"]
    assert "在湘西自治州卫生健康委员会门户网站公示" in text["filing"]
    for fact in (f"组建单位：{ORGANIZER}", f"办事机构{OFFICE}", "评审方案备案州人社职备〔2026〕15号",
                 "2026年11月20日08:00—18:30；2026年11月21日08:30—12:00",
                 "周正（州纪委监委派驻州卫生健康委员会纪检监察组）", f"李文静（{OFFICE}）"):
        assert fact in text["minutes"], fact
    assert "FILL" not in text["minutes"] and "未填写" not in text["minutes"]
    assert "11月21日08:30—12:00（3.5小时，按半天计）" in text["honoraria"]
    assert "2026年11月20日至2026年11月21日" in text["summary"]


def test_an_older_file_without_the_facts_gets_blanks_never_guesses(demo: Conclave, tmp_path: Path) -> None:
    with demo.store.engine.begin() as conn:                # as a schema-3 file migrated: the new columns empty
        conn.execute(update(committee).values(organizer=None, office=None, hr_department=None))
        conn.execute(update(meeting).values(plan_filing_number=None, publicity_where=None, objection_contact=None,
                                            objection_phone=None, secretary_unit=None, supervisor_unit=None))
        conn.execute(delete(meeting_day))
    report = build_report(demo.views, demo.calendar, 1)
    assert (report.committee.organizer, report.committee.office, report.meeting.plan_filing_no) == ("", "", "")
    assert report.filing is not None and (report.filing.addressee, report.filing.issuer) == ("", "")
    assert report.meeting.start_date == report.meeting.end_date == report.meeting.vote_date
    assert report.honoraria[0].days == 1 and report.honoraria[0].note == "时长未记录"
    text = _papers(report, tmp_path / "out")
    blank = flat(FILL_IN)
    assert f"公示网站或地点：{blank}" in text["publicity"] and f"受理单位及电话：{blank}" in text["publicity"]
    assert text["filing"].count(blank) >= 3               # addressee, venue, issuer: filled by hand
    for invented in ("人力资源和社会保障部门：", "在本单位公示", "组建单位：卫生系列", ORGANIZER, OFFICE):
        assert all(invented not in t for t in text.values()), invented
    assert "组建单位：（未填写）" in text["minutes"] and "评审方案备案（未填写）" in text["minutes"]
    assert "办事机构（未填写）" in text["minutes"] and "（起止时间未记录）" in text["minutes"]
    assert "周正（单位未填写）" in text["minutes"]
    assert "会议起止时间未记录，天数暂按1天计" in text["honoraria"]
