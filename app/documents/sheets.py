"""Per-person sheets: result sheets (评审结论), commitment letters (评委承诺书), check-in.

Why one sheet per person: a result sheet is signed by the chair or vice-chair and
sealed per candidate (X§10(八)) and filed with that candidate's papers; a commitment
letter is signed by each expert (X§10(一)). Each sheet therefore has its own document
id and QR code (``<meeting>.result.<candidate>``, ``<meeting>.commitment.<expert>``),
while the PDF as a whole has the id ``<meeting>.results`` / ``.commitments``.

A result sheet names the title conferred (申报资格, e.g. 主治医师 — never the specialty; a blank
to fill by hand when it was not captured) and the vote date, and states each round by its own
rule: round 1 with its pass line, a runoff (再次投票) by the places it filled among the tied
candidates "按赞成票多少确定" — never a pass line the runoff's winner did not reach
(:func:`app.documents.ballots.runoff_rule`).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.documents.ballots import runoff_rule
from app.documents.blocks import (
    CELL,
    SealArea,
    SignatureLine,
    candidate_outcome,
    date_cn,
    doc_id,
    kv_table,
    outcome_text,
    root_fingerprint_line,
    side_by_side,
    table,
)
from app.documents.layout import (
    BODY,
    QR_SIZE,
    SUBTITLE,
    TITLE,
    ConclaveDocument,
    DocumentResult,
    Sheet,
    SheetStart,
    Story,
    render,
    sheets_story,
)
from app.documents.model import (
    ROLE_NAMES,
    BallotRound,
    Candidate,
    MeetingReport,
    Outcome,
    Role,
    RoundKind,
    Tally,
)
from app.documents.text import Typesetter
from app.sealing.qrfacts import ResultFacts, RoundVotes, signed_payload

WIDTH = 174 * mm
LETTER = BODY.derive(size=12, leading=22, indent=2)


def _votes(report: MeetingReport, c: Candidate) -> list[tuple[BallotRound, Tally]]:
    return [(rd, t) for rd in report.rounds for t in rd.tallies if t.candidate_id == c.id]


def vote_date(report: MeetingReport, c: Candidate) -> str:
    """The day of the candidate's last round (the vote that decided), or a blank to fill."""
    votes = _votes(report, c)
    return date_cn(votes[-1][0].date if votes else None)


def vote_lines(report: MeetingReport, c: Candidate) -> list[str]:
    """表决情况, one line per round, each by its own rule.

    Round 1: the pass line, the counts, the result — a candidate who reached the line but was
    left for a runoff is said to have reached it. A runoff: its rule (the tied candidates, the
    places, by yes votes, no pass line of its own), the counts, the result.
    """
    lines = []
    for rd, t in _votes(report, c):
        counts = f"赞成{t.yes}票，反对{t.no}票，弃权{t.abstain}票"
        reached = c.eligible and t.yes >= rd.threshold
        if rd.kind is RoundKind.FIRST:
            if t.result is Outcome.RUNOFF_PENDING:
                result = "已达到通过票数线，因赞成票数相同、剩余通过名额不足，待再次投票"
            elif t.result is Outcome.FAILED and reached:
                result = "已达到通过票数线；" + outcome_text(t.result, t.reason)
            else:
                result = outcome_text(t.result, t.reason)
            lines.append(f"第{rd.number}轮表决：出席表决评委{rd.voters}人，通过票数线{rd.threshold}票；"
                         f"{counts}；{result}")
        else:
            result = ("赞成票数再次相同，待再次投票" if t.result is Outcome.RUNOFF_PENDING
                      else outcome_text(t.result, t.reason))
            lines.append(f"第{rd.number}轮再次投票：{runoff_rule(report, rd)}本轮出席表决评委{rd.voters}人；"
                         f"{counts}；{result}")
    return lines


#: The result sheets' QR code when it carries the signed facts (about 300 characters, version 13):
#: 32 mm keeps a module above 2.8 pixels at 150 dpi, which zbarimg reads from a pdftoppm render.
FACTS_QR_SIZE = 32 * mm
_OUTCOME_CODE = {Outcome.PASSED: "P", Outcome.FAILED: "F", Outcome.RUNOFF_PENDING: "R"}


def result_facts(report: MeetingReport, c: Candidate) -> ResultFacts:
    """What the sheet's signed QR code states (:mod:`app.sealing.qrfacts`): the title conferred as
    recorded ("" when not — never the specialty), the count of every round, the last round's day."""
    votes = _votes(report, c)
    vote_date = votes[-1][0].date if votes else report.meeting.vote_date
    return ResultFacts(
        doc_id(report, "result", c.id), c.name, c.title_applied, _OUTCOME_CODE[c.outcome], vote_date.isoformat(),
        tuple(RoundVotes(rd.number, "r" if rd.kind is RoundKind.RUNOFF else "f", t.yes, t.no, t.abstain)
              for rd, t in votes))


def make_result_sheets(report: MeetingReport, out_path: Path, *, sign: Callable[[bytes], bytes] | None = None,
                       only: str | None = None) -> DocumentResult:
    """One 评审结论 per candidate: record, conclusion, signature lines and seal area.

    With ``sign`` (the committee's QR key), each sheet's QR code carries its facts signed
    (:mod:`app.sealing.qrfacts`); without, the ``conclave:1:`` code checked against the archive.
    ``only`` makes the file of one candidate's sheet (to be sealed and handed out alone).
    """
    report.check()
    ts = Typesetter()
    parts: list[tuple[Sheet, list[Flowable]]] = []
    for c in report.candidates:
        if only is not None and c.id != only:
            continue
        qr_text = signed_payload(result_facts(report, c), sign) if sign is not None else ""
        parts.append((Sheet(doc_id(report, "result", c.id), qr_text=qr_text), _result_sheet(ts, report, c)))
    doc = ConclaveDocument(out_path, ts, title="评审结论", header=report.committee.name,
                           qr_size=FACTS_QR_SIZE if sign is not None else QR_SIZE)
    return render(doc, sheets_story(parts), doc_id(report, "results"))


def _result_sheet(ts: Typesetter, r: MeetingReport, c: Candidate) -> list[Flowable]:
    s = Story(ts)
    s.p(f"{r.committee.name}\n评审结论", TITLE)
    s.p(r.meeting.title, SUBTITLE)
    votes = "\n".join(vote_lines(r, c)) or "—"
    when = vote_date(r, c)
    rows = [("姓名", c.name), ("工作单位", c.unit), ("申报资格", f"{c.title_text}（{c.level}）"),
            ("专业/评议组", f"{c.specialty or '—'}／{r.group_name(c.group_id)}"),
            ("资格复审", "合格" if c.eligible else f"不合格：{c.eligibility_note}"),
            ("量化评分", f"{c.score_total}" if c.score_total is not None else "—"),
            ("小组推荐意见", c.recommendation.value if c.recommendation else "—"),
            ("大会审议结论", c.plenary_conclusion or "—"), ("表决日期", when), ("表决情况", votes),
            ("评审结论", candidate_outcome(c))]
    s.add(kv_table(ts, rows, WIDTH, 30 * mm), Spacer(1, 8 * mm))
    verdict = "通过" if c.outcome is Outcome.PASSED else "未通过"
    title = c.title_applied or "＿" * 8        # not captured: a blank to fill in by hand, never the specialty
    s.p(f"经{r.committee.name}于{when}评审表决，{c.name}同志{verdict}{title}任职资格评审。",
        BODY.derive(size=12, leading=22, indent=2))
    s.add(Spacer(1, 10 * mm))
    sign = [SignatureLine(ts, "主任委员或副主任委员（签字）：", 110 * mm, with_date=False),
            Spacer(1, 6 * mm), SignatureLine(ts, "日期：", 110 * mm, with_date=False)]
    s.add(side_by_side(ts, [sign, SealArea(ts)], [120 * mm, 54 * mm]))
    s.add(Spacer(1, 4 * mm), root_fingerprint_line(ts, r))
    return s.items


def commitment_text(report: MeetingReport) -> tuple[str, list[str]]:
    """Title and paragraphs of the 评委承诺书 (``resources/texts/commitment_letter.txt``)."""
    raw = files("resources").joinpath("texts", "commitment_letter.txt").read_text("utf-8")
    paras = [p.strip() for p in raw.strip().split("\n\n")]
    filled = [p.format(committee=report.committee.name, meeting=report.meeting.title)
              for p in paras]
    return filled[0], filled[1:]


def make_commitment_letters(report: MeetingReport, out_path: Path) -> DocumentResult:
    """One 评委承诺书 per attending expert, chair and vice-chair, with a signature line."""
    ts = Typesetter()
    title, paras = commitment_text(report)
    signers = [e for e in report.experts if e.present and e.role in
               (Role.CHAIR, Role.VICE_CHAIR, Role.EXPERT)]
    parts = []
    for e in signers:
        sheet = Sheet(doc_id(report, "commitment", e.id))
        s = Story(ts)
        s.p(title, TITLE.derive(space_after=12))
        for p in paras:
            s.p(p, LETTER)
        s.add(Spacer(1, 12 * mm))
        s.p(f"承诺人：{e.name}　　工作单位：{e.unit}　　职称：{e.title or '—'}", LETTER.derive(indent=0))
        s.add(Spacer(1, 8 * mm), SignatureLine(ts, "承诺人（签字）：", WIDTH,
                                               style=CELL.derive(size=12)))
        parts.append((sheet, s.items))
    did = doc_id(report, "commitments")
    doc = ConclaveDocument(out_path, ts, title="评委承诺书", header=report.committee.name)
    return render(doc, sheets_story(parts), did)


def make_checkin_sheet(report: MeetingReport, out_path: Path) -> DocumentResult:
    """签到表: every person of the meeting with room to sign in."""
    ts = Typesetter()
    rows = [(str(i), e.name, e.unit, e.title or "—", ROLE_NAMES[e.role],
             report.group_name(e.group_id) if e.group_id else "—", "", "")
            for i, e in enumerate(report.experts, start=1)]
    did = doc_id(report, "checkin")
    s = Story(ts)
    m = report.meeting
    s.p(f"{m.title}\n签到表", TITLE)
    s.p(f"{report.committee.name}　{date_cn(m.start_date)}　{m.place}", SUBTITLE)
    s.add(table(ts, ("序号", "姓名", "工作单位", "职称", "身份", "评议组", "签到时间", "本人签名"),
                rows, [10 * mm, 18 * mm, 40 * mm, 18 * mm, 20 * mm, 22 * mm, 18 * mm, 28 * mm],
                aligns=("center", "left", "left", "left", "left", "left", "center", "center"),
                row_heights=11 * mm), Spacer(1, 8 * mm))
    s.add(SignatureLine(ts, "核对人（签字）：", WIDTH), Spacer(1, 4 * mm),
          SignatureLine(ts, "纪检监察人员（签字）：", WIDTH))
    doc = ConclaveDocument(out_path, ts, title="签到表", header=report.committee.name)
    return render(doc, [SheetStart(Sheet(did)), *s.items], did)
