"""Paper ballots (表决票), runoff ballots (再次投票表决票) and the tally sheet (计票单).

Why they look like this: the ballot is secret (无记名, X§10(七)) and the design rule is
that nothing links a ballot to a voter. So every copy of a round's ballot is identical:
no serial number, no voter name, no copy number; the QR code and the batch code name
the round, never the copy; page numbers run within one ballot. One candidate per row
with three boxes 赞成 / 反对 / 弃权; a row left blank counts as an abstention (the
rules' reading, printed on the ballot so voters know it).

A candidate found ineligible at step 2 stays on the ballot (X§10(二): "不合格者可在投票环节
直接投票予以不通过") but their outcome is fixed, so their row carries that outcome where the
boxes would be: nothing for a voter to decide. The tally sheet has a 废票 column beside the
three counts, for the counters' hand count.

A runoff (再次投票) is not a second pass/fail vote: its candidates all reached the pass line
in round 1 and tied for places a cap or quota could not all give. Its papers therefore print
its own rule — the tied candidates, the places, "按赞成票多少确定" — and round 1's pass line
only as met, never as a line the runoff's winner had to reach (:func:`runoff_rule`, shared
with the result sheets and the vote summary).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from app.documents.blocks import (
    CELL,
    Box,
    SignatureLine,
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
from app.documents.model import BallotRound, FailReason, MeetingReport, Outcome, RoundKind
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


#: What an ineligible candidate's row says where the boxes would be: the fixed outcome (X§10(二)).
INELIGIBLE_ROW = "资格复审不合格，不予通过"


def first_round(report: MeetingReport) -> BallotRound | None:
    return next((r for r in report.rounds if r.kind is RoundKind.FIRST), None)


def tied_round(report: MeetingReport, rd: BallotRound) -> BallotRound | None:
    """The round whose tie a runoff settles: the latest earlier round that left every one of
    its candidates pending a runoff (round 1, or a runoff that tied again)."""
    ids = set(rd.candidate_ids)
    for earlier in sorted((r for r in report.rounds if r.number < rd.number),
                          key=lambda r: r.number, reverse=True):
        pending = {t.candidate_id for t in earlier.tallies if t.result is Outcome.RUNOFF_PENDING}
        if ids <= pending:
            return earlier
    return None


def _yes_counts(rd: BallotRound | None, ids: tuple[str, ...]) -> list[int] | None:
    """The yes votes of ``ids`` in ``rd``, or None when the round does not hold all of them."""
    if rd is None:
        return None
    yes = {t.candidate_id: t.yes for t in rd.tallies}
    return [yes[cid] for cid in ids] if all(cid in yes for cid in ids) else None


def _counted(names: list[str], yes: list[int]) -> str:
    """均为10票 when the counts are one, else 郑志强10票、董美玲9票."""
    if len(set(yes)) == 1:
        return f"均为{yes[0]}票"
    return "、".join(f"{n}{y}票" for n, y in zip(names, yes, strict=True))


def round_result(rd: BallotRound, result: Outcome, reason: FailReason | None) -> str:
    """A round's result for one candidate; one left for a runoff reached the pass line in round 1
    (a runoff's tie again is just that: no line to reach)."""
    if result is Outcome.RUNOFF_PENDING:
        return ("已达到通过票数线，同票待再次投票" if rd.kind is RoundKind.FIRST
                else "赞成票数再次相同，待再次投票")
    return outcome_text(result, reason)


def runoff_rule(report: MeetingReport, rd: BallotRound) -> str:
    """A runoff's own rule in words, for its ballot, tally sheet, result sheets and the summary:
    who tied (with round 1's counts, its pass line shown as met), the places, and that the places
    go by yes votes with no pass line of the runoff's own; a tie again means another runoff.

    ``郑志强、董美玲2人第1轮赞成票均为10票，均已达到通过票数线（赞成票不少于9票），因赞成票数相同、剩余通过
    名额不足，进行再次投票。本轮在上述2人中确定1个通过名额，按本轮赞成票多少确定，不设通过票数线；赞成票数
    再次相同的，再次投票。``
    """
    names = [report.candidates_by_id[cid].name for cid in rd.candidate_ids]
    first = first_round(report)
    text = f"{'、'.join(names)}{len(names)}人"
    yes1 = _yes_counts(first, rd.candidate_ids)
    if first is not None and yes1 is not None:
        text += (f"第{first.number}轮赞成票{_counted(names, yes1)}，均已达到通过票数线"
                 f"（赞成票不少于{first.threshold}票）")
    else:
        text += "均已在第1轮达到通过票数线"
    tie = tied_round(report, rd)
    tie_yes = _yes_counts(tie, rd.candidate_ids)
    if tie is not None and tie is not first and tie_yes is not None:
        text += f"，在第{tie.number}轮再次投票中赞成票又相同（{_counted(names, tie_yes)}）"
    else:
        text += "，因赞成票数相同、剩余通过名额不足"
    places = f"{rd.places}个" if rd.places is not None else "____个"
    return (text + f"，进行再次投票。本轮在上述{len(names)}人中确定{places}通过名额，按本轮赞成票多少确定，"
            "不设通过票数线；赞成票数再次相同的，再次投票。")


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
    sheet = Sheet(did)  # the same for every copy: nothing tells one copy from another
    title = "表决票" if rd.kind is RoundKind.FIRST else "再次投票表决票"
    # laid out and drawn once; every copy's pages show the first copy's (ConclaveDocument.copies)
    doc = ConclaveDocument(out_path, ts, title=title, header=report.committee.name, copies=copies)
    return render(doc, sheets_story([(sheet, _ballot(ts, report, rd))]), did)


def _ballot(ts: Typesetter, r: MeetingReport, rd: BallotRound) -> list[Flowable]:
    s = Story(ts)
    if rd.kind is RoundKind.FIRST:
        s.p(f"{r.committee.name}\n{r.meeting.title}表决票", TITLE)
    else:
        s.p(f"{r.committee.name}\n再次投票表决票（第{rd.number}轮）", TITLE)
    s.p(f"表决日期：{date_cn(rd.date)}　　票号：{rd.batch_code or '—'}", SUBTITLE)
    notes = ["本票为无记名投票，请勿在票面署名或作任何记号。",
             "对每名参评人员，在“赞成”“反对”“弃权”中选择一项，在对应方框内画“√”；"
             "未作选择的，视为弃权。"]
    if rd.kind is RoundKind.FIRST:
        notes.append(f"赞成票达到出席表决评委数的三分之二（{rd.threshold}票）及以上方可通过，"
                     "并按核定的评审通过率和评审职数确定通过人选。")
    else:                                   # no pass line of its own: the rule of the runoff
        notes.append(runoff_rule(r, rd))
    names = r.candidates_by_id
    candidates = [names[cid] for cid in rd.candidate_ids]
    if any(not c.eligible for c in candidates):
        notes.append(f"标明“{INELIGIBLE_ROW}”的人员资格复审不合格，依规定直接不予通过，无需勾选。")
    for n, note in enumerate(notes, start=1):
        s.p(f"{n}. {note}", NOTE)
    s.add(Spacer(1, 3 * mm))
    rows: list[tuple[object, ...]] = []
    spans: list[tuple[object, ...]] = []
    fixed = CELL.derive(size=9, leading=12, align="center")
    for i, c in enumerate(candidates, start=1):
        row = [str(i), c.name, c.unit, f"{c.title_text}（{c.level}）"]
        if c.eligible:
            rows.append((*row, Box(), Box(), Box()))
        else:                               # the fixed outcome where the boxes would be
            rows.append((*row, ts.para(INELIGIBLE_ROW, fixed), "", ""))
            spans.append(("SPAN", (4, i), (6, i)))
    s.add(table(ts, ("序号", "姓名", "工作单位", "申报资格", "赞成", "反对", "弃权"), rows,
                [12 * mm, 26 * mm, 52 * mm, 36 * mm, 16 * mm, 16 * mm, 16 * mm],
                aligns=("center", "left", "left", "left", "center", "center", "center"),
                style=CELL.derive(size=10.5, leading=15), row_heights=9 * mm, extra=spans))
    return s.items


def make_tally_sheet(report: MeetingReport, round_number: int, out_path: Path) -> DocumentResult:
    """计票单 for a round: counts when the round is counted, else blank spaces to fill.

    Signed by the caller (唱票人), the counter (计票人) and the supervisor (监票人).
    """
    report.check()
    rd = find_round(report, round_number)
    ts = Typesetter()
    did = doc_id(report, "tally", str(rd.number))
    s = Story(ts, [SheetStart(Sheet(did))])
    kind = "表决" if rd.kind is RoundKind.FIRST else "再次投票"
    s.p(f"{report.committee.name}\n计票单（第{rd.number}轮{kind}）", TITLE)
    s.p(f"{report.meeting.title}　表决日期：{date_cn(rd.date)}　票号：{rd.batch_code or '—'}",
        SUBTITLE)
    counted = bool(rd.tallies)
    rule = (f"通过票数线：赞成票不少于{rd.threshold}票。" if rd.kind is RoundKind.FIRST
            else runoff_rule(report, rd))
    s.p(f"出席表决评委{rd.voters}人；发出表决票{rd.ballots_issued if counted else '____'}张，"
        f"收回{rd.ballots_returned if counted else '____'}张。{rule}"
        + ("" if counted else "请用“正”字计票，计毕填写票数。"),
        BODY.derive(indent=0))
    tallies = {t.candidate_id: t for t in rd.tallies}
    names = report.candidates_by_id
    rows: list[tuple[object, ...]] = []
    spans: list[tuple[object, ...]] = []
    for i, cid in enumerate(rd.candidate_ids, start=1):
        c, t = names[cid], tallies.get(cid)
        if t is not None:                   # as counted; the record keeps no invalid rows apart
            rows.append((str(i), c.name, c.level, t.yes, t.no, t.abstain, "—",
                         t.yes + t.no + t.abstain, round_result(rd, t.result, t.reason)))
        elif not c.eligible:                # nothing to count: the outcome is fixed (X§10(二))
            rows.append((str(i), c.name, c.level, f"{INELIGIBLE_ROW}，不计票", "", "", "", "",
                         outcome_text(Outcome.FAILED, FailReason.INELIGIBLE)))
            spans.append(("SPAN", (3, i), (7, i)))
        else:
            rows.append((str(i), c.name, c.level, "", "", "", "", "", ""))
    s.add(table(ts, ("序号", "姓名", "级别", "赞成", "反对", "弃权", "废票", "合计", "本轮结果"), rows,
                [10 * mm, 22 * mm, 12 * mm, 13 * mm, 13 * mm, 13 * mm, 13 * mm, 13 * mm, 65 * mm],
                aligns=("center", "left", "center", "center", "center", "center", "center",
                        "center", "left"), row_heights=None if counted else 10 * mm, extra=spans))
    if counted:
        s.p("注：合计为收回的表决票数；票数按录入的表决票统计，未作选择的计为弃权，废票未单独记录（“—”）。",
            NOTE.derive(size=9, leading=13, space_before=3))
    s.add(Spacer(1, 8 * mm if rd.closed_at is None else 4 * mm))
    signed: list[Flowable] = []
    if rd.closed_at is not None:       # the supervisor signs under the trail's head at the close, on one page
        note = NOTE.derive(size=9, leading=13)
        signed += [ts.para(f"本轮表决结束于审计记录第{rd.closed_at.seq}号事件（记载本轮计票结果及票箱摘要），"
                           "可使用 conclave verify-db 核验。该事件的哈希（SHA-256）为：", note),
                   ts.para(rd.closed_at.hash, note), Spacer(1, 4 * mm)]
    for label in ("唱票人（签字）：", "计票人（签字）：", "监票人（签字）："):
        signed += [SignatureLine(ts, label, WIDTH), Spacer(1, 3 * mm)]
    s.add(KeepTogether(signed))
    doc = ConclaveDocument(out_path, ts, title="计票单", header=report.committee.name)
    return render(doc, s.items, did)
