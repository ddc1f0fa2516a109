"""The minutes — 评审会议记录 (X§10(九) calls them 会议记录; one name on the file, the title and the
register): the archive's record of the whole meeting, kept secret by the 组建单位 (归档备查并严格保密),
hence 内部资料 严格保密 at the top of every page.

What X§10(九) requires — attending experts, the candidates, the opinions with the reason
for each failure, the vote results — plus what the other steps leave behind: the
committee, date and place, chair and supervisor, absent experts, groups; per candidate
the eligibility re-check, primary reviewer, score summary, interview questions with
setter and reviewer, group recommendation and plenary conclusion; every ballot round
with yes/no/abstain, threshold, the caps and quotas applied and the outcome; and the
signature block. Nothing is recomputed: the report carries the decisions.

Also the conflicts (回避) the experts declared, with their reasons, the draw's witness, who read the
commitment, and at the end the audit trail's event where the record closed (its number and hash, for
``conclave verify-db``). Facts the meeting did not record are printed as missing — 组长（未指定）, 抽取时间未记录,
主持表决（未记录） — so that the record is completed by hand, never guessed.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from app.documents.blocks import (
    SignatureLine,
    candidate_outcome,
    date_cn,
    date_span,
    doc_id,
    draw_when,
    entered,
    kv_table,
    outcome_text,
    percent,
    root_fingerprint_line,
    table,
)
from app.documents.layout import (
    BODY,
    H1,
    H2,
    SUBTITLE,
    TITLE,
    ConclaveDocument,
    DocumentResult,
    Sheet,
    SheetStart,
    Story,
    render,
)
from app.documents.model import (
    NOT_GIVEN,
    ROLE_NAMES,
    BallotRound,
    Candidate,
    Meeting,
    MeetingReport,
    Outcome,
    Recommendation,
    Role,
    RoundKind,
    VoidedRound,
)
from app.documents.text import Typesetter
from app.rules.quorum import quorum_share

KIND = "minutes"
NAME = "评审会议记录"  # the one name of this document: file (01_评审会议记录.pdf), title, register
MARKING = "内部资料　严格保密"  # X§10(九): 会议记录…归档备查并严格保密
WIDTH = 174 * mm
NUMERALS = "一二三四五六七八九十"
MISSING = "（未记录）"


def make_minutes(report: MeetingReport, out_path: Path) -> DocumentResult:
    """Write the minutes of ``report`` to ``out_path``."""
    report.check()
    ts = Typesetter()
    did = doc_id(report, KIND)
    s = Story(ts, [SheetStart(Sheet(did))])
    m, com = report.meeting, report.committee
    s.p(f"{com.name}\n{m.title.removesuffix('会议')}{NAME.removeprefix('评审')}", TITLE)
    s.p(f"{date_span(m.start_date, m.end_date)}　{m.place}", SUBTITLE)
    sections = (_basics, _attendance, _groups, _preparatory, _corrections, _candidates, _rounds, _results,
                _audit, _signatures)
    for i, section in enumerate(sections):
        section(s, report, f"{NUMERALS[i]}、")
    s.add(Spacer(1, 4 * mm), root_fingerprint_line(ts, report))     # the anchor a verifier trusts
    doc = ConclaveDocument(out_path, ts, title=NAME, header=com.name, marking=MARKING)
    return render(doc, s.items, did)


def _basics(s: Story, r: MeetingReport, no: str) -> None:
    m, com = r.meeting, r.committee
    people = {role: "、".join(e.name for e in r.with_role(role)) or "—"
              for role in (Role.CHAIR, Role.VICE_CHAIR)}
    staff = {role: "、".join(f"{e.name}（{entered(e.unit, '单位未填写')}）" for e in r.with_role(role)) or "—"
             for role in (Role.SUPERVISOR, Role.SECRETARY)}
    s.p(f"{no}会议基本情况", H1)
    s.add(kv_table(s.ts, [
        ("评审委员会", f"{com.name}（组建单位：{entered(com.organizer)}）"),
        ("办事机构", entered(com.office)),
        ("评委会备案", entered(com.filing_no) + (f"，有效期至{date_cn(com.filing_valid_until)}"
                                                 if com.filing_valid_until else "")),
        ("评审方案备案", entered(m.plan_filing_no)),
        ("会议时间", f"{_sittings(m)}，表决日期{date_cn(m.vote_date)}"),
        ("会议地点", m.place),
        ("主持人", f"主任委员 {people[Role.CHAIR]}；副主任委员 {people[Role.VICE_CHAIR]}"),
        ("主持表决", m.vote_presider or MISSING),
        ("纪检监察", staff[Role.SUPERVISOR]),
        ("记录人", staff[Role.SECRETARY]),
        ("评委抽取", _draw(r)),
        ("评审专家人数", f"{m.panel_size}人" + ("（经批准适当调整）" if m.reduced_panel_approved else "")),
        ("参评人数", _count_by_level(r.candidates)),
    ], WIDTH))


def _sittings(m: Meeting) -> str:
    """The days the meeting sat with their hours, as recorded; else its dates, hours not recorded."""
    if not m.days:
        return f"{date_span(m.start_date, m.end_date)}（起止时间未记录）"
    return "；".join(f"{date_cn(d.day)} {d.starts}—{d.ends}" for d in m.days)


def _draw(r: MeetingReport) -> str:
    m = r.meeting
    if not m.draw_note:
        return "—"
    return f"{draw_when(m) or '抽取时间未记录'}　{m.draw_note}"


def _count_by_level(cands: tuple[Candidate, ...]) -> str:
    levels: dict[str, int] = {}
    for c in cands:
        levels[c.level] = levels.get(c.level, 0) + 1
    return f"{len(cands)}人（" + "，".join(f"{k}{v}人" for k, v in levels.items()) + "）"


def _attendance(s: Story, r: MeetingReport, no: str) -> None:
    s.p(f"{no}出席和缺席人员", H1)
    present = [e for e in r.experts if e.present]
    absent = [e for e in r.experts if not e.present]
    leaving = [e for e in present if e.role is Role.EXPERT and not e.present_at_vote]
    voters = sum(1 for e in present if e.role is Role.EXPERT and e.present_at_vote)
    s.p(f"出席会议人员{len(present)}人，其中评审专家{sum(e.role is Role.EXPERT for e in present)}人；"
        f"缺席{len(absent)}人；中途离会未参加表决{len(leaving)}人；出席表决评委{voters}人。", BODY)
    rows = [(str(i), e.name, entered(e.unit), e.title or "—", ROLE_NAMES[e.role], r.group_name(e.group_id)
             if e.group_id else "—", "出席" if e.present else "缺席",
             "是" if e.present and e.present_at_vote and e.role is Role.EXPERT else "否",
             e.absence_note) for i, e in enumerate(r.experts, start=1)]
    s.add(table(s.ts, ("序号", "姓名", "工作单位", "职称", "身份", "评议组", "出席", "参加表决",
                       "备注"), rows,
                [10 * mm, 17 * mm, 36 * mm, 16 * mm, 20 * mm, 22 * mm, 10 * mm, 15 * mm, 28 * mm],
                aligns=("center", "left", "left", "left", "left", "left", "center", "center",
                        "left")))


def _groups(s: Story, r: MeetingReport, no: str) -> None:
    s.p(f"{no}评议组", H1)
    if not r.groups:
        s.p("本次会议未设评议组，由各评委按分工负责初评。", BODY)
        return
    rows = [(g.name, r.expert_name(g.leader_id) if g.leader_id else "（未指定）",
             "、".join(r.expert_name(x) for x in g.member_ids),
             str(len(g.member_ids))) for g in r.groups]
    s.add(table(s.ts, ("评议组", "组长", "成员", "人数"), rows,
                [28 * mm, 20 * mm, 111 * mm, 15 * mm], aligns=("left", "left", "left", "center")))


def _preparatory(s: Story, r: MeetingReport, no: str) -> None:
    s.p(f"{no}预备会", H1)
    signed = [e for e in r.experts if e.present and e.signed_commitment]
    reader = r.meeting.commitment_reader
    s.p(f"主任委员宣布开评批复、评委名单及分组，明确评审政策、标准和纪律。出席评委{len(signed)}人"
        f"现场签署《评委承诺书》，由评委代表{reader + '宣读' if reader else '宣读（宣读人未记录）'}。", BODY)
    recusals = r.meeting.recusals
    if not recusals:
        s.p("会上无评委申报回避。", BODY)
        return
    s.p(f"评委申报回避{len(recusals)}人次，其所回避申报人的初评、面试由其他评委承担：", BODY)
    s.add(table(s.ts, ("评委", "回避申报人", "理由"),
                [(x.expert, f"{x.candidate}（{x.candidate_id}）", x.reason or MISSING) for x in recusals],
                [24 * mm, 36 * mm, 114 * mm]))


def _corrections(s: Story, r: MeetingReport, no: str) -> None:
    """What changed before the meeting and stays on record: candidates withdrawn from the
    agenda, and draws replaced by a re-draw — each with who did it and why."""
    m = r.meeting
    s.p(f"{no}会前变更", H1)
    if not m.withdrawn and not m.earlier_draws:
        s.p("评审方案确定后，无申报人撤回申报，评委未重新抽取。", BODY)
        return
    if m.withdrawn:
        s.p(f"撤回申报{len(m.withdrawn)}人，不列入评审，不计入进入评审人数：", BODY)
        s.add(table(s.ts, ("编号", "姓名", "级别", "工作单位", "原因", "经办人"),
                    [(w.id, w.name, w.level, w.unit, w.reason, w.withdrawn_by) for w in m.withdrawn],
                    [16 * mm, 20 * mm, 14 * mm, 40 * mm, 62 * mm, 22 * mm],
                    aligns=("center", "left", "center", "left", "left", "left")))
    for d in m.earlier_draws:
        s.p(f"第{d.number}次抽取（随机种子 {d.seed}，见证人 {d.witness}）经{d.replaced_by}重新抽取作废，"
            f"原因：{d.reason}。原抽取记录存档备查。", BODY)


def _candidates(s: Story, r: MeetingReport, no: str) -> None:
    s.p(f"{no}参评人员评审情况", H1)
    for i, c in enumerate(r.candidates, start=1):
        s.p(f"（{i}）{c.name}　{c.unit}　申报{c.title_text}（{c.level}）　编号{c.id}", H2)
        s.add(kv_table(s.ts, _candidate_rows(r, c), WIDTH, 26 * mm))


def _candidate_rows(r: MeetingReport, c: Candidate) -> list[tuple[str, str]]:
    rows = [("申报条件", c.facts_text),
            ("资格复审", "合格" if c.eligible else f"不合格：{c.eligibility_note}")]
    if c.eligible:
        rows.append(("主审评委", r.expert_name(c.primary_reviewer_id)))
        if c.scores:
            items = "；".join(f"{x.name} {x.points}/{x.max_points}" for x in c.scores)
            total = sum(x.max_points for x in c.scores)
            rows.append(("量化评分", f"{items}；合计 {c.score_total}/{total}"))
        for q in c.interview:
            rows.append((f"面试题{q.number}", f"{q.question}（出题人：{r.expert_name(q.setter_id)}；"
                                              f"审核人：{r.expert_name(q.reviewer_id)}）"))
        rows.append(("面试情况", c.interview_result or "—"))
        rows.append(("小组推荐意见", _opinion(c)))
    rows.append(("大会审议结论", c.plenary_conclusion or "—"))
    votes = [f"第{rd.number}轮：赞成{t.yes}票，反对{t.no}票，弃权{t.abstain}票，"
             f"{outcome_text(t.result, t.reason)}"
             for rd in r.rounds for t in rd.tallies if t.candidate_id == c.id]
    rows.append(("表决情况", "\n".join(votes) or "—"))
    rows.append(("评审结果", candidate_outcome(c)))
    return rows


def _opinion(c: Candidate) -> str:
    """The group's opinion with its reason (X§10(九) 评议意见，未通过人员写明原因)."""
    if c.recommendation is None:
        return "—"
    if c.recommendation_note:
        return f"{c.recommendation.value}。理由：{c.recommendation_note}"
    if c.recommendation is Recommendation.RECOMMEND:
        return c.recommendation.value
    return f"{c.recommendation.value}（理由未记录）"


def _rounds(s: Story, r: MeetingReport, no: str) -> None:
    s.p(f"{no}投票表决情况", H1)
    m = r.meeting
    if m.quorum:
        needed = f"，即不少于{m.quorum_needed}人" if m.quorum_needed is not None else ""
        s.p(f"表决法定出席人数：评审方案规定为评审专家的{_share_cn(m.quorum)}{needed}。", BODY)
    caps = r.meeting.caps
    if caps:
        s.p("评审通过率（按进入评委会评审人数计算，含资格复审不合格人员）", H2)
        s.add(table(s.ts, ("级别", "进入评审人数", "通过率上限", "最多通过人数", "通过人数"),
                    [(x.level, x.entered, percent(x.rate), "—" if x.max_pass is None
                      else x.max_pass, x.passed) for x in caps],
                    [34 * mm, 35 * mm, 35 * mm, 35 * mm, 35 * mm], aligns=["center"] * 5))
    if r.meeting.quotas:
        s.p("评审职数", H2)
        s.add(table(s.ts, ("职数", "单位", "岗位（申报资格）", "核准职数", "通过人数"),
                    [(q.key, q.unit or NOT_GIVEN, q.post or NOT_GIVEN, q.quota, q.passed) for q in r.meeting.quotas],
                    [54 * mm, 42 * mm, 32 * mm, 23 * mm, 23 * mm],
                    aligns=("left", "left", "left", "center", "center")))
    for v in r.voided_rounds:
        s.items.extend(voided_block(s.ts, v))
    for rd in r.rounds:
        s.items.extend(round_block(s.ts, r, rd))


def voided_block(ts: Typesetter, v: VoidedRound) -> list[Flowable]:
    """A round voided unopened: what it was, that nothing of it was counted, who decided and why."""
    s = Story(ts)
    kind = "表决" if v.kind is RoundKind.FIRST else "再次投票"
    s.p(f"第{v.number}轮　{kind}（已作废，重新进行）", H2)
    s.p(f"出席表决评委{v.voters}人，作废时已投票{v.voted}人。经{v.decided_by}决定，本轮表决作废，"
        f"已投入票箱的{v.discarded}张选票未经开启、未予计票，一律作废；出席评委重新投票，表决结果以重新进行的"
        f"第{v.number}轮为准。作废理由：{v.reason.rstrip('。.')}。", BODY)
    return s.items


def _share_cn(share: str) -> str:
    """The plan's quorum (:func:`app.rules.quorum.quorum_share`) in words: 2/3 → 三分之二 for the
    common shares, else the fraction as written."""
    fraction = quorum_share(share)
    digits = "零一二三四五六七八九十"
    if 1 < fraction.denominator <= 10:
        return f"{digits[fraction.denominator]}分之{digits[fraction.numerator]}"
    return share


def round_block(ts: Typesetter, r: MeetingReport, rd: BallotRound) -> list[Flowable]:
    """One round: header, counts, notes and the per-candidate tally table."""
    s = Story(ts)
    kind = "表决" if rd.kind is RoundKind.FIRST else "再次投票"
    s.p(f"第{rd.number}轮　{kind}（{date_cn(rd.date)}，票号{rd.batch_code or '—'}）", H2)
    text = f"出席表决评委{rd.voters}人，发出表决票{rd.ballots_issued}张，收回{rd.ballots_returned}张。"
    if rd.kind is RoundKind.FIRST:
        text += f"通过票数线：赞成票不少于{rd.threshold}票（出席表决评委数的三分之二）。"
    if rd.places is not None:
        # A runoff has no pass mark of its own: its candidates all reached it in the first round.
        text += (f"本轮在{len(rd.candidate_ids)}名同票人员中确定{rd.places}个名额，按赞成票多少依次确定"
                 "（参加再次投票人员均已在第1轮达到通过票数线）。")
    s.p(text, BODY)
    for note in rd.notes:
        s.p(f"· {note}", BODY.derive(indent=0))
    names = r.candidates_by_id
    rows = [(str(i), names[t.candidate_id].name, names[t.candidate_id].level, t.yes, t.no,
             t.abstain, outcome_text(t.result, t.reason))
            for i, t in enumerate(rd.tallies, start=1)]
    s.add(table(ts, ("序号", "姓名", "级别", "赞成", "反对", "弃权", "本轮结果"), rows,
                [12 * mm, 24 * mm, 14 * mm, 14 * mm, 14 * mm, 14 * mm, 82 * mm],
                aligns=("center", "left", "center", "center", "center", "center", "left")))
    return s.items


def _results(s: Story, r: MeetingReport, no: str) -> None:
    s.p(f"{no}评审结果", H1)
    for level in dict.fromkeys(c.level for c in r.candidates):
        ok = [c.name for c in r.candidates if c.level == level and c.outcome is Outcome.PASSED]
        s.p(f"{level}通过{len(ok)}人：{'、'.join(ok) or '无'}。", BODY)
    failed = [c for c in r.candidates if c.outcome is not Outcome.PASSED]
    if failed:
        s.p("未通过人员及原因", H2)
        s.add(table(s.ts, ("姓名", "级别", "工作单位", "未通过原因"),
                    [(c.name, c.level, c.unit, candidate_outcome(c)) for c in failed],
                    [24 * mm, 14 * mm, 50 * mm, 86 * mm], aligns=("left", "center", "left", "left")))
    s.p("表决结束后，由主任委员当场公布评审结果。未获通过人员当年度不得进行复评。", BODY)


def _audit(s: Story, r: MeetingReport, no: str) -> None:
    """Where the audit trail stood when the record closed: the event and its hash, so that a reader
    with the database checks with ``conclave verify-db`` that the record printed is the one kept."""
    s.p(f"{no}审计记录", H1)
    head = r.meeting.record_head
    if head is None:
        s.p("本会议无审计记录。", BODY)
        return
    when = "第8步“签字确认”完成时" if head.closed else "本记录生成时（签字确认尚未完成）"
    s.p(f"本记录所载会议过程均记入防篡改的审计记录（哈希链）。{when}，审计记录截至第{head.seq}号事件，"
        f"其哈希（SHA-256）为：", BODY)
    s.p(head.hash, BODY.derive(indent=2))
    s.p("可使用 conclave verify-db 核验审计记录完整，并核对上述事件哈希。", BODY)


def _signatures(s: Story, r: MeetingReport, no: str) -> None:
    block: list[Flowable] = [s.ts.para(f"{no}签字", H1), Spacer(1, 4 * mm)]
    for label in ("主任委员（签字）：", "副主任委员（签字）：", "纪检监察人员（签字）：",
                  "记录人（签字）："):
        block += [SignatureLine(s.ts, label, WIDTH), Spacer(1, 3 * mm)]
    s.add(KeepTogether(block))
