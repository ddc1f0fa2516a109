"""The facts recorded during the meeting, on paper: the minutes name the groups' leaders, when the panel
was drawn (北京时间), who read the commitment and who presided at the vote, each group opinion's reason
and the interview result told to the candidate; the work summary prints the office's 典型经验, 改进方向
and 意见建议. A meeting that did not record them (an older file) prints them as missing — never a
leader, a day or a name made up."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from app.documents import make_minutes, make_work_summary
from app.documents.from_db import build_report
from app.documents.model import MeetingReport
from app.domain import LOCAL_TIME, Step
from app.services import Conclave
from tests.demo_templates import Templates

from .helpers import flat, pdftotext


def _report(db: Path) -> MeetingReport:
    with Conclave(db) as app:
        return build_report(app.views, app.calendar, 1)


@pytest.fixture(scope="module")
def recorded(demo_templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo meeting, finished, with every fact recorded."""
    return demo_templates.copy(Step.PUBLICITY, tmp_path_factory.mktemp("facts") / "demo.sqlite3")


@pytest.fixture(scope="module")
def unrecorded(demo_templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same meeting as an older file holds it: the facts' columns empty (schema 4's upgrade)."""
    db = demo_templates.copy(Step.PUBLICITY, tmp_path_factory.mktemp("old") / "old.sqlite3")
    with sqlite3.connect(db) as conn:
        conn.executescript("UPDATE member SET leader = 0; UPDATE draw SET drawn_at = NULL; "
                           "UPDATE meeting SET vote_presider = NULL, commitment_reader = NULL, "
                           "summary_experience = NULL, summary_improvements = NULL, summary_suggestions = NULL; "
                           "UPDATE interview SET result = NULL; UPDATE candidate SET recommendation_note = NULL;")
    conn.close()
    return db


def test_the_report_carries_the_recorded_facts(recorded: Path) -> None:
    r = _report(recorded)
    assert {g.id: r.expert_name(g.leader_id) for g in r.groups} == {"G1": "何桂兰", "G2": "贾永红", "G3": "魏雅琴"}
    assert r.meeting.draw_time == dt.datetime(2026, 11, 19, 9, 30, tzinfo=LOCAL_TIME)
    assert r.meeting.draw_date == dt.date(2026, 11, 19)
    assert r.meeting.vote_presider == "欧阳立群（主任委员）" and r.meeting.commitment_reader == "蔡丽华"
    c005 = r.candidates_by_id["C005"]
    assert c005.recommendation_note.startswith("量化评分居中")
    assert c005.interview_result.startswith("面试") and "面试结果（已告知本人）：回答欠清晰" in c005.interview_result
    assert r.summary_texts.experience.startswith("坚持报到地点与评审地点分开")


def test_the_minutes_print_leaders_draw_time_reader_presider_reasons_and_results(
        recorded: Path, tmp_path: Path) -> None:
    make_minutes(_report(recorded), tmp_path / "minutes.pdf")
    text = flat(pdftotext(tmp_path / "minutes.pdf"))
    assert "G1（内科）何桂兰蔡丽华、曹思远、何桂兰" in text                   # 评议组 | 组长 | 成员
    assert "G2（外科）贾永红" in text and "G3（护理）魏雅琴" in text
    assert "评委抽取2026年11月19日09:30（北京时间）随机种子" in text
    assert "主持表决欧阳立群（主任委员）" in text
    assert "由评委代表蔡丽华宣读" in text
    assert "提交大会审议。理由：量化评分居中；面试中对所述中西医结合术式适应证的把握不够准确" in text
    assert "不同意推荐。理由：申报的两项代表性手术病例均由上级医师主刀" in text
    assert "面试结果（已告知本人）：回答切题，对申报材料所述技术的适应证和并发症处置掌握扎实" in text
    assert "未指定" not in text and "未记录" not in text


def test_the_work_summary_prints_the_offices_texts_under_their_headings(recorded: Path, tmp_path: Path) -> None:
    make_work_summary(_report(recorded), tmp_path / "summary.pdf")
    text = flat(pdftotext(tmp_path / "summary.pdf"))
    assert "2026年11月19日09:30（北京时间）在纪检监察人员监督下随机抽取评审专家13人" in text
    assert "三、典型经验坚持报到地点与评审地点分开" in text
    assert "四、改进方向部分申报人的业绩佐证材料不够规范" in text
    assert "五、意见建议建议进一步明确基层卫生专业技术人员业绩成果的认定口径" in text
    assert "请办事机构补充" not in text
    assert "二、评审流程评审会议于2026年11月20日" in text             # the parts composed from the record stay


def test_an_older_file_prints_the_facts_it_never_recorded_as_missing(unrecorded: Path, tmp_path: Path) -> None:
    r = _report(unrecorded)
    assert [g.leader_id for g in r.groups] == [None, None, None]     # not the first member of each group
    assert r.meeting.draw_date is None and r.meeting.draw_time is None    # not the day before the meeting
    assert r.meeting.vote_presider == "" and r.meeting.commitment_reader == ""
    make_minutes(r, tmp_path / "minutes.pdf")
    text = flat(pdftotext(tmp_path / "minutes.pdf"))
    assert "G1（内科）（未指定）蔡丽华" in text
    assert "评委抽取抽取时间未记录随机种子" in text and "2026年11月19日" not in text
    assert "主持表决（未记录）" in text and "由评委代表宣读（宣读人未记录）" in text
    assert "提交大会审议（理由未记录）" in text and "面试结果未记录（已告知本人）" in text
    make_work_summary(r, tmp_path / "summary.pdf")
    summary = flat(pdftotext(tmp_path / "summary.pdf"))
    for heading in ("三、典型经验", "四、改进方向", "五、意见建议"):
        assert f"{heading}（未填写）" in summary            # said to be missing, nothing invented
