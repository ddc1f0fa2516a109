"""Summary tables: the vote summary (投票表决汇总表) and the expert honoraria sheet.

Why: the vote summary is one of the three filing materials of X§11 ("投票表决汇总表…
打印名单注明得票数，均加盖公章"), so it lists every candidate with the counts of every
round, the result and the reason, with signature lines and room for the seal. The
honoraria sheet (评审专家劳务费发放表, X§19) is what the finance office pays from;
amounts come computed from the fee rules, the sheet only adds the totals.

The summary's pass line is round 1's; a runoff (再次投票) has none of its own, so each runoff
is stated below the table by its own rule — the tied candidates with their round 1 counts, the
places, "按赞成票多少确定" — and its result (:func:`app.documents.ballots.runoff_rule`).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.documents.ballots import runoff_rule
from app.documents.blocks import (
    SealArea,
    SignatureLine,
    candidate_outcome,
    date_cn,
    date_span,
    doc_id,
    outcome_text,
    percent,
    side_by_side,
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
)
from app.documents.model import OUTCOME_NAMES, MeetingReport, Outcome, RoundKind
from app.documents.text import Typesetter
from app.rules.fees import HUNAN

WIDE = 261 * mm  # landscape A4 less margins
WIDTH = 174 * mm


def make_vote_summary(report: MeetingReport, out_path: Path) -> DocumentResult:
    """投票表决汇总表 (landscape): every candidate, every round's counts, result and reason."""
    report.check()
    ts = Typesetter()
    did = doc_id(report, "votes")
    first = next((rd for rd in report.rounds if rd.kind is RoundKind.FIRST), None)
    runoffs = [rd for rd in report.rounds if rd.kind is RoundKind.RUNOFF]
    s = Story(ts, [SheetStart(Sheet(did))])
    s.p(f"{report.committee.name}\n投票表决汇总表", TITLE)
    line = f"{report.meeting.title}　表决日期：{date_cn(report.meeting.vote_date)}"
    if first:
        line += (f"　出席表决评委{first.voters}人　第{first.number}轮通过票数线：赞成票不少于"
                 f"{first.threshold}票（三分之二）")
    s.p(line, SUBTITLE)
    counts = {(rd.number, t.candidate_id): t for rd in report.rounds for t in rd.tallies}
    rows = []
    for i, c in enumerate(report.candidates, start=1):
        t = counts.get((first.number, c.id)) if first else None
        again = "；".join(f"第{rd.number}轮 赞成{counts[rd.number, c.id].yes}"
                         for rd in runoffs if (rd.number, c.id) in counts)
        rows.append((str(i), c.name, c.unit, c.level, c.title_text,
                     "合格" if c.eligible else "不合格", t.yes if t else "—", t.no if t else "—",
                     t.abstain if t else "—", again or "—", OUTCOME_NAMES[c.outcome],
                     candidate_outcome(c)[len(OUTCOME_NAMES[c.outcome]):].strip("（）") or "—"))
    s.add(table(ts, ("序号", "姓名", "工作单位", "级别", "申报资格", "资格复审", "赞成", "反对",
                     "弃权", "再次投票赞成票", "表决结果", "未通过原因"), rows,
                [10 * mm, 18 * mm, 42 * mm, 11 * mm, 22 * mm, 14 * mm, 11 * mm, 11 * mm,
                 11 * mm, 28 * mm, 16 * mm, 67 * mm],
                aligns=("center", "left", "left", "center", "left", "center", "center",
                        "center", "center", "left", "center", "left")))
    caps = "；".join(f"{x.level}进入评审{x.entered}人，通过率上限{percent(x.rate)}，"
                    f"最多通过{x.max_pass if x.max_pass is not None else '不限'}人，"
                    f"通过{x.passed}人" for x in report.meeting.caps)
    for text in runoff_paragraphs(report):
        s.p(text, BODY.derive(space_before=4))
    if caps:
        s.p(caps + "。", BODY.derive(space_before=4))
    s.add(Spacer(1, 6 * mm))
    sign = [SignatureLine(ts, label, 150 * mm) for label in
            ("主任委员（签字）：", "监票人（签字）：", "计票人（签字）：")]
    lines = [x for line_ in sign for x in (line_, Spacer(1, 3 * mm))]
    s.add(side_by_side(ts, [lines, SealArea(ts, "（公章）", 36 * mm)], [190 * mm, 71 * mm]))
    doc = ConclaveDocument(out_path, ts, title="投票表决汇总表", header=report.committee.name,
                           wide=True)
    return render(doc, s.items, did)


def runoff_paragraphs(report: MeetingReport) -> list[str]:
    """Each runoff under the summary table: its rule and what it decided, candidate by candidate."""
    names = report.candidates_by_id
    out = []
    for rd in report.rounds:
        if rd.kind is not RoundKind.RUNOFF:
            continue
        results = "；".join(f"{names[t.candidate_id].name}赞成{t.yes}票，"
                           + ("赞成票数再次相同，待再次投票" if t.result is Outcome.RUNOFF_PENDING
                              else outcome_text(t.result, t.reason))
                           for t in rd.tallies)
        out.append(f"第{rd.number}轮再次投票：{runoff_rule(report, rd)}"
                   + (f"表决结果：{results}。" if results else ""))
    return out


def make_honoraria_sheet(report: MeetingReport, out_path: Path) -> DocumentResult:
    """评审专家劳务费发放表, with the review-fee summary when the report carries it."""
    report.check()
    ts = Typesetter()
    did = doc_id(report, "honoraria")
    s = Story(ts, [SheetStart(Sheet(did))])
    s.p(f"{report.meeting.title}\n评审专家劳务费发放表", TITLE)
    s.p(f"{report.committee.name}　{date_span(report.meeting.start_date, report.meeting.end_date)}"
        "　金额为税后（元）", SUBTITLE)
    rows = []
    for i, h in enumerate(report.honoraria, start=1):
        e = report.experts_by_id.get(h.expert_id)
        rows.append((str(i), e.name if e else h.expert_id, e.unit if e else "—",
                     e.title if e else "—", h.category, _num(h.days),
                     "" if h.rate is None else _num(h.rate), "" if h.amount is None else _num(h.amount),
                     h.note, ""))
    total = sum((h.amount for h in report.honoraria if h.amount is not None), Decimal(0))
    open_lines = sum(h.amount is None for h in report.honoraria)   # category not given: no band, no sum
    rows.append(("", "合计", "", "", "", "", "", _num(total),
                 f"另{open_lines}人待核定" if open_lines else "", ""))
    s.add(table(ts, ("序号", "姓名", "工作单位", "职称", "类别", "天数", "标准（元/天）",
                     "金额（元）", "备注", "领取人签字"), rows,
                [9 * mm, 16 * mm, 32 * mm, 14 * mm, 24 * mm, 10 * mm, 15 * mm, 15 * mm, 21 * mm,
                 18 * mm],     # 类别 holds 全国知名专家 or （未填写） on one line
                aligns=("center", "left", "left", "left", "center", "center", "right", "right",
                        "left", "center"), row_heights=9 * mm,
                extra=[("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F4F4F4"))]))
    s.p(_hours_note(report), BODY.derive(space_before=4))
    s.p(_bands_note(), BODY)
    if report.fees:
        s.p("评审费收取情况", BODY.derive(role="heading", space_before=10, space_after=4))
        fee_rows = [(f.level, f"{f.candidates}×{_num(f.review_fee)}＝{_num(f.review_total)}",
                     f"{f.candidates}×{_num(f.recommendation_fee)}＝{_num(f.recommendation_total)}",
                     f"{f.interviewed}×{_num(f.interview_fee)}＝{_num(f.interview_total)}",
                     f"{_num(f.review_total)}＋{_num(f.interview_total)}＝{_num(f.total)}") for f in report.fees]
        if len(report.fees) > 1:
            fee_rows.append(("合计", _num(sum((f.review_total for f in report.fees), Decimal(0))),
                             _num(sum((f.recommendation_total for f in report.fees), Decimal(0))),
                             _num(sum((f.interview_total for f in report.fees), Decimal(0))),
                             _num(sum((f.total for f in report.fees), Decimal(0)))))
        s.add(table(ts, ("级别", "评审费（评审人数×标准）", "其中推荐费（人数×标准）", "面试费（面试人数×标准）",
                         "合计（评审费＋面试费）"),
                    fee_rows, [18 * mm, 40 * mm, 38 * mm, 40 * mm, 38 * mm],
                    aligns=("center", "right", "right", "right", "right")))
        rec = sum((f.recommendation_total for f in report.fees), Decimal(0))
        total = sum((f.total for f in report.fees), Decimal(0))
        s.p(f"推荐费{_num(rec)}元另行上缴人力资源和社会保障部门；其余{_num(total - rec)}元由承办单位专款专用"
            "（X§19）。未参加面试的申报人不收面试费。", BODY.derive(space_before=4))
    s.add(Spacer(1, 10 * mm))
    for label in ("经办人（签字）：", "审核人（签字）：", "负责人（签字）："):
        s.add(SignatureLine(ts, label, WIDTH), Spacer(1, 3 * mm))
    doc = ConclaveDocument(out_path, ts, title="评审专家劳务费发放表",
                           header=report.committee.name)
    return render(doc, s.items, did)


def _hours_note(report: MeetingReport) -> str:
    """The days counted, with their hours as recorded — or that the hours were not recorded."""
    days = report.meeting.days
    if not days:
        return ("会议起止时间未记录，天数暂按1天计；请按实际评审时长核实"
                "（不超过半天按标准的50%计，一天超过8小时的最高可上浮50%）。")
    half, long = HUNAN.half_day_hours, HUNAN.long_day_hours       # the fee rules' bands (X§19)
    parts = [f"{d.day.month}月{d.day.day}日 {d.starts}—{d.ends}（{_num(d.hours)}小时"
             + ("，按半天计" if d.hours <= half else f"，超过{_num(long)}小时" if d.hours > long else "") + "）"
             for d in days]
    long_days = sum(1 for d in days if d.hours > long)
    return ("会议时间：" + "；".join(parts) + "。天数按记录的评审时长计（不超过半天按50%）"
            + (f"；超过{_num(long)}小时的{long_days}天，标准上限最高可上浮50%" if long_days else "") + "。")


def _bands_note() -> str:
    """The four bands of X§19, so the finance office sees where each line's rate sits."""
    names = {"national": "全国知名专家", "正高": "正高级专家", "副高": "副高级专家", "other": "其他专业人员"}
    bands = "；".join(f"{names[c.value]}{_num(b.low)}—{_num(b.high)}" for c, b in HUNAN.bands.items())
    return f"劳务费标准（税后，元/人·天）：{bands}。"


def _num(d: Decimal) -> str:
    """Plain figures without trailing zeros: 3000, 1500, 0.5."""
    return format(d.normalize(), "f")
