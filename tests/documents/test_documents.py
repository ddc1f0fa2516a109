"""Every document from the sample meeting: what it says, how many pages, what it never says."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.documents import DocumentResult, make_ballots, make_minutes, make_result_sheets
from app.documents.ballots import INELIGIBLE_ROW
from app.documents.model import MeetingReport, Outcome
from app.documents.text import NO_START
from app.errors import RuleViolation
from tests.documents.helpers import flat, pdftotext, pypdf_text

FORBIDDEN_STARTS = "，；：！？、。）》”"


def _text(result: DocumentResult) -> str:
    return flat(pdftotext(result.path))


def test_every_document_is_built_with_nothing_missing(built: dict[str, DocumentResult]) -> None:
    expected_pages = {"results": 30, "commitments": 27, "ballots": 6, "runoff": 2}
    for name, result in built.items():
        assert result.path.is_file() and result.pages >= 1, name
        assert result.missing_glyphs == (), (name, result.missing_glyphs)
        if name in expected_pages:
            assert result.pages == expected_pages[name], (name, result.pages)
        assert all(p.mediabox.width < p.mediabox.height or name == "votes"
                   for p in PdfReader(result.path).pages)


def test_minutes_record_every_candidate_round_and_reason(built: dict[str, DocumentResult],
                                                         report: MeetingReport) -> None:
    text = _text(built["minutes"])
    both = flat("".join(pypdf_text(built["minutes"].path)))
    for c in report.candidates:
        assert c.name in text and c.name in both, c.name
        assert f"编号{c.id}" in text
    for rd in report.rounds:
        assert f"第{rd.number}轮" in text
    for fragment in ("出席表决评委24人", "赞成票不少于16票", "最多通过4人", "评审职数",
                     "超出核定的评审通过率", "超出核准的评审职数", "资格复审不合格",
                     "赞成票未达到出席表决评委数的三分之二", "出题人", "审核人", "一致同意推荐",
                     "提交大会审议", "不同意推荐", "曹瑞云", "因病请假", "主任委员（签字）",
                     "记录人（签字）", "郑凯、谢婷婷、韩磊同得17票"):
        assert fragment in text, fragment
    assert "第1页共" in text


def test_no_line_starts_with_closing_punctuation(built: dict[str, DocumentResult]) -> None:
    for name in ("minutes", "publicity", "filing", "summary", "commitments", "results"):
        for line in pdftotext(built[name].path).splitlines():
            line = line.strip()
            assert not line or line[0] not in FORBIDDEN_STARTS, (name, line)
    assert set(FORBIDDEN_STARTS) <= NO_START


def test_result_sheets_one_per_candidate_with_signature_and_seal(
        built: dict[str, DocumentResult], report: MeetingReport) -> None:
    result = built["results"]
    pages = [flat(t) for t in pypdf_text(result.path)]
    assert len(pages) == len(report.candidates)
    for page, c, sheet in zip(pages, report.candidates, result.sheets, strict=True):
        assert c.name in page and sheet.doc_id.endswith(c.id)
        assert "主任委员或副主任委员（签字）" in page and "评委会印章" in page
        assert ("通过" if c.outcome is Outcome.PASSED else "未通过") in page


def test_ballots_are_identical_and_identify_no_voter(built: dict[str, DocumentResult],
                                                   report: MeetingReport) -> None:
    result = built["ballots"]
    pages = pypdf_text(result.path)
    per_ballot = result.pages // 3
    copies = [pages[i * per_ballot:(i + 1) * per_ballot] for i in range(3)]
    assert copies[0] == copies[1] == copies[2]
    assert {s.doc_id for s in result.sheets} == {f"{report.meeting.id}.ballot.1"}
    assert len({s.sha256 for s in result.sheets}) == 1
    text = flat("".join(pages))
    for c in report.candidates:
        assert c.name in text
    for e in report.experts:  # no voter, chair or staff name on a ballot
        assert e.name not in text, e.name
    assert "赞成反对弃权" in text and "第1页共2页" in text and "QC2026-WSGJ-1" in text
    row = text.index("曹宇航")                       # the ineligible one: no boxes, the fixed outcome
    assert text.index(INELIGIBLE_ROW, row) - row < 40


def test_a_qr_code_is_drawn_once_for_every_sheet_that_carries_it(built: dict[str, DocumentResult],
                                                                 report: MeetingReport) -> None:
    """A round's ballots are one sheet printed once per voter: the same code on every copy, one form
    in the PDF (drawn once); the result sheets, one code each."""
    import re

    def qr_forms(result: DocumentResult) -> set[bytes]:
        return set(re.findall(rb"/FormXob\.qr\d+", result.path.read_bytes()))

    assert len(built["ballots"].sheets) == 3 and qr_forms(built["ballots"]) == {b"/FormXob.qr0"}
    assert len(qr_forms(built["results"])) == len(report.candidates)


def test_a_rounds_ballots_are_laid_out_and_drawn_once_and_shown_on_every_copy(
        built: dict[str, DocumentResult]) -> None:
    """The copies of a ballot are one sheet: its pages are drawn once, as forms, and each copy's pages
    show them — the same pages (the text of every copy, their sheet references, one digest)."""
    import re

    result = built["ballots"]
    forms = set(re.findall(rb"/FormXob\.page\d+", result.path.read_bytes()))
    per_ballot = result.pages // 3
    assert per_ballot == 2 and forms == {b"/FormXob.page0", b"/FormXob.page1"}
    assert [(s.first_page, s.pages) for s in result.sheets] == [(1, 2), (3, 2), (5, 2)]
    pages = pypdf_text(result.path)
    assert pages[0:2] == pages[2:4] == pages[4:6] and "第1页共2页" in flat(pages[4])


def test_runoff_ballot_lists_only_the_tied_candidates(built: dict[str, DocumentResult]) -> None:
    text = flat(pypdf_text(built["runoff"].path)[0])
    assert "再次投票表决票（第2轮）" in text and "确定2个通过名额" in text
    assert all(n in text for n in ("郑凯", "谢婷婷", "韩磊")) and "王䶮" not in text
    assert "按本轮赞成票多少确定，不设通过票数线" in text and "及以上方可通过" not in text


def test_tally_sheet_and_vote_summary_show_the_counts(built: dict[str, DocumentResult]) -> None:
    tally = _text(built["tally"])
    assert "唱票人（签字）" in tally and "监票人（签字）" in tally and "王䶮" in tally
    votes = _text(built["votes"])
    assert "第2轮赞成18" in votes and "第3轮赞成16" in votes and "监票人（签字）" in votes
    assert "废票" in tally and "第3轮再次投票：谢婷婷、韩磊2人" in votes
    assert "在第2轮再次投票中赞成票又相同（均为15票）" in votes      # the tie round 3 settles


def test_commitment_letters_one_per_attending_expert(built: dict[str, DocumentResult],
                                                     report: MeetingReport) -> None:
    pages = [flat(t) for t in pypdf_text(built["commitments"].path)]
    signers = [e for e in report.experts if e.present and e.role.value in
               ("chair", "vice_chair", "expert")]
    assert len(pages) == len(signers)
    for page, e in zip(pages, signers, strict=True):
        assert f"承诺人：{e.name}" in page and "保密纪律" in page and "回避" in page


def test_checkin_and_honoraria(built: dict[str, DocumentResult], report: MeetingReport) -> None:
    checkin = _text(built["checkin"])
    assert all(e.name in checkin for e in report.experts) and "本人签名" in checkin
    honoraria = _text(built["honoraria"])
    assert "81000" in honoraria and "18000" in honoraria and "领取人签字" in honoraria


def test_inconsistent_report_is_refused(report: MeetingReport, tmp_path: Path) -> None:
    rd = report.rounds[1]
    broken = replace(report, rounds=(*report.rounds[:1], replace(rd, candidate_ids=("C999",))))
    with pytest.raises(RuleViolation) as err:
        make_minutes(broken, tmp_path / "m.pdf")
    assert err.value.rule == "documents.model"
    assert any("C999" in v.message for v in err.value.violations)
    with pytest.raises(RuleViolation):
        make_ballots(report, 9, tmp_path / "b.pdf")


def test_a_glyph_no_font_has_is_boxed_and_reported(report: MeetingReport, tmp_path: Path) -> None:
    odd = replace(report.candidates[0], name="赵𰀀")  # U+30000, CJK Ext G: in no bundled font
    r = replace(report, candidates=(odd, *report.candidates[1:]))
    result = make_result_sheets(r, tmp_path / "r.pdf")
    assert [(g.char, g.codepoint) for g in result.missing_glyphs] == [("𰀀", "U+30000")]
    first = flat(pdftotext(result.path, "-f", "1", "-l", "1"))
    assert "姓名赵" in first and "赵30000同志" in first  # the box shows the code point: 300 / 00


def test_a_report_whose_parts_do_not_fit_is_refused_with_every_problem_every_time(
        report: MeetingReport, tmp_path: Path) -> None:
    """A dangling expert, a tally for a candidate not on the ballot and counts that do not add up:
    every paper refuses the report, naming each problem — the whole set of result sheets and one
    candidate's sheet alike, and again on the second paper (the report is looked at once, and what
    was found stands) — and nothing is written."""
    first, second = report.candidates[0], report.candidates[1]
    rd = report.rounds[0]
    stray = replace(rd.tallies[0], candidate_id="C999")
    short = replace(rd.tallies[1], yes=rd.tallies[1].yes - 1)
    broken = replace(report,
                     candidates=(replace(first, primary_reviewer_id="E999"), *report.candidates[1:]),
                     rounds=(replace(rd, tallies=(stray, short, *rd.tallies[2:])), *report.rounds[1:]))
    for make in (lambda: make_result_sheets(broken, tmp_path / "all.pdf"),
                 lambda: make_result_sheets(broken, tmp_path / "one.pdf", only=second.id),
                 lambda: make_minutes(broken, tmp_path / "minutes.pdf")):
        with pytest.raises(RuleViolation) as refused:
            make()
        assert refused.value.rule == "documents.model"
        said = [v.message.zh for v in refused.value.violations]   # type: ignore[attr-defined]
        assert said == [f"申报人{first.id}：没有评委E999", "第1轮：申报人C999不在选票上却有计票",
                        f"第1轮：申报人{short.candidate_id}的票数合计不等于收回选票{rd.ballots_returned}张"], said
    assert list(tmp_path.iterdir()) == []
    report.check()                                   # the report it was made from is untouched, and fine
