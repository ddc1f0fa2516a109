"""The demo's runoff (C024 郑志强 and C029 董美玲, tied at 10 yes votes in round 1 for the last 中级
place; C024 wins the runoff with 8) on its papers: the runoff ballot, its tally sheet, the result
sheets and the vote summary state the runoff's own rule — the tied candidates, the place, 按赞成票多少
确定 — and round 1's pass line only as met, never as a line the winner (8 votes) had to reach.
The demo's ineligible candidate (C011) is marked on the ballot with the fixed outcome."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from app.documents import make_ballots, make_tally_sheet, make_vote_summary
from app.documents.ballots import INELIGIBLE_ROW, runoff_rule
from app.documents.from_db import build_report
from app.documents.model import MeetingReport, RoundKind
from app.documents.sheets import vote_date, vote_lines
from app.documents.summaries import runoff_paragraphs
from app.domain import Step
from app.services import Conclave
from tests.demo_templates import Templates
from tests.documents.helpers import flat, pypdf_text

RULE = ("郑志强、董美玲2人第1轮赞成票均为10票，均已达到通过票数线（赞成票不少于9票），因赞成票数相同、剩余通过"
        "名额不足，进行再次投票。本轮在上述2人中确定1个通过名额，按本轮赞成票多少确定，不设通过票数线；"
        "赞成票数再次相同的，再次投票。")


@pytest.fixture(scope="module")
def report(demo_templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> MeetingReport:
    db = demo_templates.copy(Step.PUBLICITY, tmp_path_factory.mktemp("runoff") / "demo.sqlite3")
    with Conclave(db) as app:
        return build_report(app.views, app.calendar, 1)


def _runoff(report: MeetingReport) -> int:
    rd = next(rd for rd in report.rounds if rd.kind is RoundKind.RUNOFF)
    assert rd.candidate_ids == ("C024", "C029") and rd.places == 1 and rd.threshold == 9
    assert {t.candidate_id: t.yes for t in rd.tallies} == {"C024": 8, "C029": 5}
    return rd.number


def _no_line_the_winner_missed(text: str, winner_yes: int = 8) -> None:
    """Every pass line printed (通过票数线 N / 不少于N票) is one the runoff's winner reached in round 1 and
    is printed as round 1's: never a line above the runoff's winning count as the runoff's own."""
    assert "三分之二（9票）及以上方可通过" not in text
    assert "通过票数线：赞成票不少于9票" not in text and "通过票数线9票" not in text
    for n in re.findall(r"不少于(\d+)票", text):
        assert int(n) > winner_yes and "均已达到通过票数线（赞成票不少于9票）" in text


def test_the_runoff_rule_names_the_tied_the_place_and_round_1_as_met(report: MeetingReport) -> None:
    number = _runoff(report)
    assert runoff_rule(report, report.rounds[number - 1]) == RULE


def test_the_runoff_ballot_and_tally_state_its_rule(report: MeetingReport, tmp_path: Path) -> None:
    number = _runoff(report)
    ballot = flat("".join(pypdf_text(make_ballots(report, number, tmp_path / "b.pdf", copies=1).path)))
    assert "再次投票表决票（第2轮）" in ballot and "3." + RULE in ballot
    _no_line_the_winner_missed(ballot)
    tally = flat("".join(pypdf_text(make_tally_sheet(report, number, tmp_path / "t.pdf").path)))
    assert "计票单（第2轮再次投票）" in tally and "收回13张。" + RULE in tally
    assert "赞成反对弃权废票合计本轮结果" in tally and "郑志强中级850—13通过" in tally
    _no_line_the_winner_missed(tally)
    first = flat("".join(pypdf_text(make_tally_sheet(report, 1, tmp_path / "t1.pdf").path)))
    assert "通过票数线：赞成票不少于9票。" in first                # round 1 keeps its own pass line
    assert "郑志强中级1030—13已达到通过票数线，同票待再次投票" in first


def test_the_result_sheet_lines_give_each_round_its_own_rule(report: MeetingReport) -> None:
    c = report.candidates_by_id
    winner = vote_lines(report, c["C024"])
    assert winner == [
        "第1轮表决：出席表决评委13人，通过票数线9票；赞成10票，反对3票，弃权0票；"
        "已达到通过票数线，因赞成票数相同、剩余通过名额不足，待再次投票",
        f"第2轮再次投票：{RULE}本轮出席表决评委13人；赞成8票，反对5票，弃权0票；通过"]
    _no_line_the_winner_missed(winner[1])
    assert vote_lines(report, c["C029"])[1].endswith("赞成5票，反对6票，弃权2票；未通过（超出核定的评审通过率）")
    assert vote_lines(report, c["C005"]) == [
        "第1轮表决：出席表决评委13人，通过票数线9票；赞成8票，反对4票，弃权1票；"
        "未通过（赞成票未达到出席表决评委数的三分之二）"]
    assert vote_date(report, c["C024"]) == "2026年11月20日"


def test_the_vote_summary_states_the_runoff_and_its_result(report: MeetingReport, tmp_path: Path) -> None:
    _runoff(report)
    assert runoff_paragraphs(report) == [
        f"第2轮再次投票：{RULE}表决结果：郑志强赞成8票，通过；董美玲赞成5票，未通过（超出核定的评审通过率）。"]
    text = flat("".join(pypdf_text(make_vote_summary(report, tmp_path / "v.pdf").path)))
    assert "第1轮通过票数线：赞成票不少于9票（三分之二）" in text
    assert "表决结果：郑志强赞成8票，通过；董美玲赞成5票，未通过" in text


def test_the_ineligible_candidate_is_marked_with_the_fixed_outcome(report: MeetingReport,
                                                                   tmp_path: Path) -> None:
    assert not report.candidates_by_id["C011"].eligible
    ballot = flat("".join(pypdf_text(make_ballots(report, 1, tmp_path / "b.pdf", copies=1).path)))
    assert f"林慧敏县人民医院主治医师（中级）{INELIGIBLE_ROW}" in ballot
    assert f"标明“{INELIGIBLE_ROW}”的人员资格复审不合格，依规定直接不予通过，无需勾选" in ballot
    assert ballot.count(INELIGIBLE_ROW) == 2                        # the note and C011's row only
    blank = replace(report, rounds=(replace(report.rounds[0], tallies=()),))   # before the count
    sheet = flat("".join(pypdf_text(make_tally_sheet(blank, 1, tmp_path / "t.pdf").path)))
    assert f"林慧敏中级{INELIGIBLE_ROW}，不计票未通过（资格复审不合格）" in sheet
    assert "赞成反对弃权废票合计本轮结果" in sheet and "发出表决票____张" in sheet
