"""Paper ballots (表决票), runoff ballots (再次投票表决票) and the tally sheet (计票单).

Why they look like this: the ballot is secret (无记名, X§10(七)) and the design rule is
that nothing links a ballot to a voter. So every copy of a round's ballot is identical:
no serial number, no voter name, no copy number; the QR code and the batch code name
the round, never the copy; page numbers run within one ballot. One candidate per row
with three boxes 赞成 / 反对 / 弃权; a row left blank counts as an abstention (the
rules' reading, printed on the ballot so voters know it).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.documents.blocks import (
    CELL,
    Box,
    SignatureLine,
    content_sha,
    date_cn,
    doc_id,
    outcome_text,
    table,
)
from app.documents.layout import (
    BODY,
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
from app.documents.model import BallotRound, MeetingReport, RoundKind
from app.documents.text import Typesetter
from app.errors import RuleViolation
from app.text import bi

WIDTH = 174 * mm
NOTE = BODY.derive(size=9.5, leading=15, indent=0)


def find_round(report: MeetingReport, number: int) -> BallotRound:
    rd = next((r for r in report.rounds if r.number == number), None)
    if rd is None:
        raise RuleViolation.single("documents.round", bi(f"there is no ballot round {number}",
                                                         f"第{number}轮表决不存在"))
    return rd


def ballot_content(report: MeetingReport, rd: BallotRound) -> dict[str, object]:
    """What a blank ballot shows: the round and its candidates — nothing about any voter."""
    names = report.candidates_by_id
    return {"round": rd.number, "kind": rd.kind, "date": rd.date, "batch": rd.batch_code,
            "threshold": rd.threshold, "places": rd.places,
            "candidates": [{"id": c.id, "name": c.name, "unit": c.unit, "level": c.level,
                            "title": c.title_applied}
                           for c in (names[cid] for cid in rd.candidate_ids)]}


def make_ballots(report: MeetingReport, round_number: int, out_path: Path,
                 copies: int | None = None) -> DocumentResult:
    """``copies`` identical ballots for a round (default: one per voter at the vote).

    A runoff round gets the runoff heading and the number of places to fill.
    """
    report.check()
    rd = find_round(report, round_number)
    copies = rd.voters if copies is None else copies
    if copies < 1:
        raise RuleViolation.single("documents.ballots", bi("print at least 1 ballot paper", "至少印制1张表决票"))
    ts = Typesetter()
    kind = "ballot" if rd.kind is RoundKind.FIRST else "runoff-ballot"
    did = doc_id(report, kind, str(rd.number))
    sha = content_sha(report, kind, **ballot_content(report, rd))
    sheet = Sheet(did, sha)  # the same for every copy: nothing tells one copy from another
    parts = [(sheet, _ballot(ts, report, rd)) for _ in range(copies)]
    title = "表决票" if rd.kind is RoundKind.FIRST else "再次投票表决票"
    doc = ConclaveDocument(out_path, ts, title=title, header=report.committee.name)
    return render(doc, sheets_story(parts), did, sha)


def _ballot(ts: Typesetter, r: MeetingReport, rd: BallotRound) -> list[Flowable]:
    s = Story(ts)
    if rd.kind is RoundKind.FIRST:
        s.p(f"{r.committee.name}\n{r.meeting.title}表决票", TITLE)
    else:
        s.p(f"{r.committee.name}\n再次投票表决票（第{rd.number}轮）", TITLE)
    s.p(f"表决日期：{date_cn(rd.date)}　　票号：{rd.batch_code or '—'}", SUBTITLE)
    notes = ["1. 本票为无记名投票，请勿在票面署名或作任何记号。",
             "2. 对每名参评人员，在“赞成”“反对”“弃权”中选择一项，在对应方框内画“√”；"
             "未作选择的，视为弃权。",
             f"3. 赞成票达到出席表决评委数的三分之二（{rd.threshold}票）及以上方可通过，"
             "并按核定的评审通过率和评审职数确定通过人选。"]
    if rd.places is not None:
        notes.append(f"4. 本轮在下列{len(rd.candidate_ids)}名参评人员中确定{rd.places}个通过名额，"
                     "按赞成票多少依次确定。")
    for n in notes:
        s.p(n, NOTE)
    s.add(Spacer(1, 3 * mm))
    names = r.candidates_by_id
    rows = []
    for i, cid in enumerate(rd.candidate_ids, start=1):
        c = names[cid]
        rows.append((str(i), c.name, c.unit, f"{c.title_text}（{c.level}）", Box(), Box(), Box()))
    s.add(table(ts, ("序号", "姓名", "工作单位", "申报资格", "赞成", "反对", "弃权"), rows,
                [12 * mm, 26 * mm, 52 * mm, 36 * mm, 16 * mm, 16 * mm, 16 * mm],
                aligns=("center", "left", "left", "left", "center", "center", "center"),
                style=CELL.derive(size=10.5, leading=15), row_heights=9 * mm))
    return s.items


def make_tally_sheet(report: MeetingReport, round_number: int, out_path: Path) -> DocumentResult:
    """计票单 for a round: counts when the round is counted, else blank spaces to fill.

    Signed by the caller (唱票人), the counter (计票人) and the supervisor (监票人).
    """
    report.check()
    rd = find_round(report, round_number)
    ts = Typesetter()
    did = doc_id(report, "tally", str(rd.number))
    sha = content_sha(report, "tally", **ballot_content(report, rd), voters=rd.voters,
                      issued=rd.ballots_issued, returned=rd.ballots_returned, tallies=rd.tallies)
    s = Story(ts, [SheetStart(Sheet(did, sha))])
    kind = "表决" if rd.kind is RoundKind.FIRST else "再次投票"
    s.p(f"{report.committee.name}\n计票单（第{rd.number}轮{kind}）", TITLE)
    s.p(f"{report.meeting.title}　表决日期：{date_cn(rd.date)}　票号：{rd.batch_code or '—'}",
        SUBTITLE)
    counted = bool(rd.tallies)
    s.p(f"出席表决评委{rd.voters}人；发出表决票{rd.ballots_issued if counted else '____'}张，"
        f"收回{rd.ballots_returned if counted else '____'}张。通过票数线：赞成票不少于"
        f"{rd.threshold}票。" + ("" if counted else "请用“正”字计票，计毕填写票数。"),
        BODY.derive(indent=0))
    tallies = {t.candidate_id: t for t in rd.tallies}
    names = report.candidates_by_id
    rows = []
    for i, cid in enumerate(rd.candidate_ids, start=1):
        c, t = names[cid], tallies.get(cid)
        counts = (t.yes, t.no, t.abstain, t.yes + t.no + t.abstain,
                  outcome_text(t.result, t.reason)) if t else ("", "", "", "", "")
        rows.append((str(i), c.name, c.level, *counts))
    s.add(table(ts, ("序号", "姓名", "级别", "赞成", "反对", "弃权", "合计", "本轮结果"), rows,
                [12 * mm, 24 * mm, 14 * mm, 18 * mm, 18 * mm, 18 * mm, 16 * mm, 54 * mm],
                aligns=("center", "left", "center", "center", "center", "center", "center",
                        "left"), row_heights=None if counted else 10 * mm), Spacer(1, 8 * mm))
    for label in ("唱票人（签字）：", "计票人（签字）：", "监票人（签字）："):
        s.add(SignatureLine(ts, label, WIDTH), Spacer(1, 3 * mm))
    doc = ConclaveDocument(out_path, ts, title="计票单", header=report.committee.name)
    return render(doc, s.items, did, sha)
