"""Official notices on the GB/T 9704 template: publicity (公示), filing report, work summary.

Why these rules: X§10(十) publishes the result within 3 working days of the vote for at
least 5 working days; X§11 files, within 15 working days, a report of at most 500
characters (vote date; entered, passed and pass rate per level; the publicity and
whether there were objections) and a work summary of at most 2,000 characters (draw,
procedure, experience, improvements, suggestions). The dates arrive computed in the
report; the length limits are enforced here, before anything is printed, with a
:class:`~app.errors.RuleViolation` that says how long the text is.

Characters are counted as a person counts 字: every character except whitespace,
headings and punctuation included.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from app.documents.blocks import (
    CELL,
    CELL_HEAD,
    FILL_IN,
    date_cn,
    date_span,
    doc_id,
    draw_when,
    outcome_text,
    root_fingerprint_line,
    table,
)
from app.documents.blocks import entered as recorded
from app.documents.layout import (
    GB_WIDTH,
    LINE_PITCH,
    OFFICIAL_BODY,
    OFFICIAL_H1,
    OFFICIAL_H2,
    OFFICIAL_PLAIN,
    OFFICIAL_SIGN,
    OFFICIAL_TITLE,
    ConclaveDocument,
    DocumentResult,
    Sheet,
    SheetStart,
    Story,
    render,
)
from app.documents.model import (
    NOT_GIVEN,
    Candidate,
    Meeting,
    MeetingReport,
    Outcome,
    PoolUse,
    Publicity,
    RoundKind,
)
from app.documents.text import TextStyle, Typesetter, break_title
from app.errors import RuleViolation
from app.text import bi, in_chinese

REPORT_LIMIT = 500  # X§11(一) 不超过500字
SUMMARY_LIMIT = 2000  # X§11(二) 不超过2000字
_H1 = re.compile(r"^[一二三四五六七八九十]+、")
_H2 = re.compile(r"^（[一二三四五六七八九十]+）")
ATTACHMENTS = ("评审结果", "拟通过人员名单")  # X§11(一): 备案报告附件包含评审结果、拟通过人员名单，均加盖公章


def count_chars(text: str) -> int:
    """字数: characters other than whitespace."""
    return sum(1 for ch in text if not ch.isspace())


def check_length(text: str, limit: int, rule: str, what: str) -> None:
    """Refuse a text over ``limit`` characters; ``what`` names it, as ``bi(english, chinese)``."""
    n = count_chars(text)
    if n > limit:
        raise RuleViolation.single(
            rule, bi(f"the {what} has {n} characters, the limit is {limit}: shorten it by {n - limit}",
                     f"{in_chinese(what)}共{n}字，超过{limit}字的上限，请删减{n - limit}字后再生成"), ref="X§11")


def _subject(report: MeetingReport) -> str:
    """2026年度卫生系列高级职称评审 (the meeting title without 会议)."""
    return report.meeting.title.removesuffix("会议")


def _blank(lines: int = 1) -> Spacer:
    return Spacer(1, LINE_PITCH * lines)


def _official_text(s: Story, text: str) -> None:
    """Paragraphs of ``text``; lines opening with 一、 are 黑体 headings, （一） 楷体."""
    for para in (p.strip() for p in text.split("\n")):
        if para:
            style = OFFICIAL_H1 if _H1.match(para) else OFFICIAL_H2 if _H2.match(para) else (
                OFFICIAL_BODY)
            if style is not OFFICIAL_BODY:          # a heading never ends a page alone
                style = style.derive(keep_with_next=True)
            s.p(para, style)


def _title(s: Story, text: str) -> None:
    """The title (2号小标宋), broken at word boundaries only (GB/T 9704 7.3.1, :func:`break_title`)."""
    s.p(break_title(text, lambda line: s.ts.width(line, OFFICIAL_TITLE), GB_WIDTH), OFFICIAL_TITLE)


def _signature(s: Story, issuer: str, day: str) -> None:
    """落款 with room for the seal (GB/T 9704 7.3.5.1): the issuing body's name centred over the date,
    the date 右空四字, and the seal's circle pressing down on both."""
    s.add(_blank(), SealedSignature(s.ts, issuer, day))


class SealedSignature(Flowable):
    """发文机关署名 and 成文日期 with the place of the seal: a dashed circle of 42 mm, centred on the
    signature and a little above it, so that the stamped seal 端正、居中下压署名和成文日期 (GB/T 9704
    7.3.5.1). The names and the date are never stamped by the program — only where the seal goes."""

    DIAMETER = 42 * mm

    def __init__(self, ts: Typesetter, issuer: str, day: str, style: TextStyle = OFFICIAL_SIGN) -> None:
        super().__init__()
        self.ts, self.issuer, self.day, self.style = ts, issuer, day, style
        self.width, self.height = GB_WIDTH, 3 * LINE_PITCH

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return self.width, self.height

    def draw(self) -> None:
        c, ts, style = self.canv, self.ts, self.style
        cell = style.size + style.tracking
        date_right = self.width - 4 * cell                      # 成文日期右空四字
        date_w = ts.width(self.day, style)
        centre = date_right - date_w / 2                        # 署名以成文日期为准居中
        y_date, y_name = LINE_PITCH * 0.35, LINE_PITCH * 1.35
        issuer_w = ts.width(self.issuer, style)
        if centre + issuer_w / 2 > self.width:                  # a long name keeps inside the 版心
            centre = self.width - issuer_w / 2
        ts.draw_text(c, centre, y_name, self.issuer, style, anchor="center")
        ts.draw_text(c, date_right, y_date, self.day, style, anchor="right")
        r = self.DIAMETER / 2
        c.saveState()
        c.setStrokeColor(colors.HexColor("#C0504D"))
        c.setDash(3, 3)
        c.circle(centre, (y_name + y_date) / 2 + 4 * mm, r)
        c.restoreState()
        ts.draw_text(c, centre, (y_name + y_date) / 2 + 4 * mm + r - 7 * mm, "（印章）",
                     style.derive(role="plain", size=9, tracking=0, color=colors.HexColor("#C0504D")), anchor="center")


def _passed(report: MeetingReport) -> list[Candidate]:
    return [c for c in report.candidates if c.outcome is Outcome.PASSED]


def _name_list(ts: Typesetter, report: MeetingReport, title: str, label: str = "附件") -> list[Flowable]:
    s = Story(ts, [PageBreak()])
    s.p(label, OFFICIAL_PLAIN.derive(role="heading"))
    s.add(_blank())
    s.p(title, OFFICIAL_TITLE)
    s.add(_blank())
    rows = [(str(i), c.name, c.unit, c.level, c.title_text)
            for i, c in enumerate(_passed(report), start=1)]
    s.add(table(ts, ("序号", "姓名", "工作单位", "级别", "拟通过资格"), rows,
                [14 * mm, 28 * mm, 62 * mm, 18 * mm, 34 * mm],
                aligns=("center", "left", "left", "center", "left"),
                style=CELL.derive(size=12, leading=18),
                head_style=CELL_HEAD.derive(size=12, leading=18)))
    return s.items


def _results_list(ts: Typesetter, report: MeetingReport, label: str) -> list[Flowable]:
    """附件1 评审结果: every candidate who entered the review, the first round's count, any runoff's
    yes votes, and the result with the reason of a failure — as the vote summary and the minutes say."""
    s = Story(ts, [PageBreak()])
    s.p(label, OFFICIAL_PLAIN.derive(role="heading"))
    s.add(_blank())
    s.p(ATTACHMENTS[0], OFFICIAL_TITLE)
    first = next((r for r in report.rounds if r.kind is RoundKind.FIRST), None)
    if first is not None:
        s.p(f"表决日期：{date_cn(first.date)}　出席表决评委{first.voters}人　"
            f"通过票数线：赞成票不少于{first.threshold}票",
            CELL.derive(size=12, leading=20, align="center", space_after=4))
    counts = {(r.number, t.candidate_id): t for r in report.rounds for t in r.tallies}
    rows = []
    for i, c in enumerate(report.candidates, start=1):
        t = counts.get((first.number, c.id)) if first is not None else None
        again = "；".join(f"再次投票赞成{counts[r.number, c.id].yes}票" for r in report.rounds
                         if r.kind is RoundKind.RUNOFF and (r.number, c.id) in counts)
        result = outcome_text(c.outcome, c.fail_reason, c.fail_note)
        rows.append((str(i), c.name, c.unit, c.title_text, t.yes if t else "—", t.no if t else "—",
                     t.abstain if t else "—", result + (f"；{again}" if again else "")))
    s.add(table(ts, ("序号", "姓名", "工作单位", "申报资格", "赞成", "反对", "弃权", "评审结果"), rows,
                [10 * mm, 18 * mm, 32 * mm, 20 * mm, 11 * mm, 11 * mm, 11 * mm, 43 * mm],
                aligns=("center", "left", "left", "left", "center", "center", "center", "left"),
                style=CELL.derive(size=10, leading=14), head_style=CELL_HEAD.derive(size=10, leading=14)))
    passed = len(_passed(report))
    s.p(f"进入评审{len(report.candidates)}人，评审通过{passed}人，未通过{len(report.candidates) - passed}人。",
        CELL.derive(size=12, leading=20, space_before=6))
    return s.items


def _publicity(report: MeetingReport) -> Publicity:
    if report.publicity is None:
        gap = report.calendar_gap
        if gap is not None and gap.publicity is not None:     # the period runs into a year nobody entered
            raise RuleViolation.single("calendar.unknown_year", gap.publicity)
        raise RuleViolation.single("documents.publicity", bi("the publicity dates are not set yet", "公示日期尚未确定"))
    return report.publicity


def make_publicity_notice(report: MeetingReport, out_path: Path) -> DocumentResult:
    """公示: who is proposed to pass, the computed publicity period and where to object."""
    pub = _publicity(report)
    ts = Typesetter()
    did = doc_id(report, "publicity")
    passed = [{"id": c.id, "name": c.name, "unit": c.unit, "level": c.level,
               "title": c.title_applied} for c in _passed(report)]
    s = Story(ts, [SheetStart(Sheet(did))])
    _title(s, f"关于{_subject(report)}结果的公示")
    s.add(_blank())
    s.p(f"经{report.committee.name}评审表决，{len(passed)}名同志拟通过相应专业技术资格"
        "（名单见附件），现予以公示。", OFFICIAL_BODY)
    s.p(f"公示时间：{date_cn(pub.start)}至{date_cn(pub.end)}（{pub.working_days}个工作日）。",
        OFFICIAL_BODY)
    s.p(f"公示网站或地点：{recorded(pub.where, FILL_IN)}。", OFFICIAL_BODY)
    s.p("公示期间，对公示对象有异议的，请以书面形式实名反映，并提供必要的调查核实线索。"
        f"受理单位：{recorded(pub.contact, FILL_IN)}；联系电话：{recorded(pub.phone, FILL_IN)}。", OFFICIAL_BODY)
    _signature(s, publicity_issuer(report), date_cn(pub.start))
    s.add(*_name_list(ts, report, "拟通过人员名单"))
    doc = ConclaveDocument(out_path, ts, title="评审结果公示", header=report.committee.name,
                           official=True)
    return render(doc, s.items, did)


def publicity_issuer(report: MeetingReport) -> str:
    """Who issues the 公示: the 组建单位 (committee.organizer) — the results are published on its
    portal (X§10(十)) — else, not recorded, the 办事机构 that publishes for it; neither recorded: a
    line to sign by hand. Never the series or the field (卫生系列 is no body)."""
    return recorded(report.committee.organizer, "") or recorded(report.committee.office, FILL_IN)


def _level_counts(report: MeetingReport) -> tuple[str, str, str]:
    caps = report.meeting.caps
    entered = "，".join(f"{x.level}{x.entered}人" for x in caps)
    passed = "，".join(f"{x.level}{x.passed}人" for x in caps)
    rates = "，".join(
        f"{x.level}{format((Decimal(x.passed) * 100 / x.entered).quantize(Decimal('0.1')).normalize(), 'f')}%"
        for x in caps if x.entered)
    return entered, passed, rates


def filing_report_text(report: MeetingReport) -> str:
    """The report text: the one written into the report, else the standard one."""
    if report.filing and report.filing.report_text is not None:
        return report.filing.report_text
    pub = _publicity(report)
    if pub.objections is None:
        raise RuleViolation.single("documents.objections", bi(
            "the filing report needs the outcome of the publicity: record whether it raised objections",
            "公示期满前不能生成备案报告：须写明公示有无异议"))
    entered, passed, rates = _level_counts(report)
    total_in = len(report.candidates)
    ineligible = sum(1 for c in report.candidates if not c.eligible)
    total_ok = len(_passed(report))
    recheck = f"，其中资格复审不合格{ineligible}人" if ineligible else ""
    outcome = outcome_clause(pub.objections) or "无异议"
    return (f"{date_cn(report.meeting.vote_date)}，{report.committee.name}召开"
            f"{report.meeting.title}，进行无记名投票表决。进入评委会评审{total_in}人"
            f"（{entered}）{recheck}；评审通过{total_ok}人（{passed}）；评审通过率{rates}。"
            f"评审结果于{date_cn(pub.start)}至{date_cn(pub.end)}在{recorded(pub.where, FILL_IN)}公示，"
            f"公示期间{outcome}。\n"
            "现将评审结果报请备案。")


def outcome_clause(objections: str | None) -> str:
    """The publicity's outcome as the secretary typed it at step 10, as a clause of the papers'
    sentence: typed as a sentence of its own ("公示期内未收到异议。"), its closing punctuation gives
    way to the paper's own (never "。。")."""
    return (objections or "").strip().rstrip("。.；;，,、 ")


def make_filing_report(report: MeetingReport, out_path: Path) -> DocumentResult:
    """备案报告 (≤ 500 字): a GB/T 9704 上行文 from the committee's 办事机构 (X§11) to the HR department
    by name — 发文机关标志, 发文字号 and 签发人, title broken at word boundaries, 主送机关, the text, the
    附件说明, the 署名 and 成文日期 with the seal's place — and both attachments bound behind it:
    附件1 评审结果 and 附件2 拟通过人员名单, each with its own seal's place (均加盖公章). A fact not
    recorded (number, date, addressee, issuer) is a line to fill by hand."""
    if report.filing is None:
        if report.calendar_gap is not None:      # its deadline falls in a year nobody entered
            raise RuleViolation.single("calendar.unknown_year",
                                       report.calendar_gap.publicity or report.calendar_gap.filing)
        raise RuleViolation.single("documents.filing", bi("the filing details are not entered yet", "备案信息尚未录入"))
    filing = report.filing
    text = filing_report_text(report)
    check_length(text, REPORT_LIMIT, "filing.report_length", bi("filing report", "备案报告"))
    ts = Typesetter()
    did = doc_id(report, "filing-report")
    issuer, day = recorded(filing.issuer, FILL_IN), date_cn(filing.date)
    s = Story(ts, [SheetStart(Sheet(did))])
    s.add(OfficialHead(ts, recorded(filing.issuer, NOT_GIVEN), recorded(filing.number, FILL_IN)))
    s.add(_blank())
    _title(s, f"关于{_subject(report)}结果备案的报告")
    s.add(_blank())
    s.p(f"{recorded(filing.addressee, FILL_IN)}：", OFFICIAL_PLAIN)
    _official_text(s, text)
    s.add(_blank())
    s.p(f"附件：1.{ATTACHMENTS[0]}", OFFICIAL_BODY)
    for i, name in enumerate(ATTACHMENTS[1:], start=2):     # 回行时与上一行附件名称对齐
        s.p(f"{i}.{name}", OFFICIAL_BODY.derive(indent=5))
    _signature(s, issuer, day)
    s.add(*_results_list(ts, report, "附件1"))
    s.add(KeepTogether([_blank(), SealedSignature(ts, issuer, day)]))
    s.add(*_name_list(ts, report, ATTACHMENTS[1], "附件2"))
    # the anchor the HR department checks seals against, after the last attachment's seal: on the first
    # page it pushed the report's own page over for one line
    s.add(KeepTogether([_blank(), SealedSignature(ts, issuer, day), root_fingerprint_line(ts, report)]))
    doc = ConclaveDocument(out_path, ts, title="评审结果备案报告", header=report.committee.name,
                           official=True)
    return render(doc, s.items, did)


class OfficialHead(Flowable):
    """The 版头 of an upward document (上行文, GB/T 9704 7.2): the issuing body's mark (发文机关标志)
    centred in red 小标宋, below it the 发文字号 (左空一字) and 签发人 (右空一字) on one line, and the red
    separating rule. The 签发人 signs by hand: the program never writes a name nobody recorded."""

    RED = colors.HexColor("#C8102E")

    def __init__(self, ts: Typesetter, issuer: str, number: str) -> None:
        super().__init__()
        self.ts, self.issuer, self.number = ts, issuer, number
        self.width, self.height = GB_WIDTH, 3 * LINE_PITCH

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return self.width, self.height

    def draw(self) -> None:
        c, ts = self.canv, self.ts
        mark = OFFICIAL_TITLE.derive(color=self.RED)
        natural = ts.width(self.issuer, mark)
        if natural > self.width:                             # a long name shrinks to the 版心's width
            mark = mark.derive(size=mark.size * self.width / natural)
        ts.draw_text(c, self.width / 2, 2.2 * LINE_PITCH, self.issuer, mark, anchor="center")
        cell = OFFICIAL_PLAIN.size + OFFICIAL_PLAIN.tracking
        line = OFFICIAL_PLAIN.derive(tracking=0)
        y = 0.9 * LINE_PITCH
        ts.draw_text(c, cell, y, self.number, line)
        sign = "签发人："
        x = self.width - cell - 5 * cell
        ts.draw_text(c, x, y, sign, line, anchor="right")
        c.setLineWidth(0.6)
        c.line(x + 2, y - 3, self.width - cell, y - 3)       # 签发人 signs by hand
        c.saveState()
        c.setStrokeColor(self.RED)
        c.setLineWidth(1.2)
        c.line(0, 0.35 * LINE_PITCH, self.width, 0.35 * LINE_PITCH)   # 版头分隔线
        c.restoreState()


def work_summary_text(report: MeetingReport) -> str:
    """The summary written into the report, else one composed from the record in the five parts of
    X§11(二): 一 the pool and the draw in words (its size, who the rules kept out and why, how many
    were drawn, alternates drawn and seated — the seed and the pool's hash stay in the minutes), 二 the
    procedure, and 三、四、五 the texts the office wrote at step 10 (:class:`SummaryTexts`) — a part
    nobody wrote is said to be missing (:data:`NOT_GIVEN`), never written for them."""
    if report.filing and report.filing.work_summary is not None:
        return report.filing.work_summary
    m, texts = report.meeting, report.summary_texts
    present = [e for e in report.panel if e.present]
    ineligible = sum(1 for c in report.candidates if not c.eligible)
    runoffs = sum(1 for r in report.rounds if r.number > 1)
    pub = _publicity(report) if report.calendar_gap and report.calendar_gap.publicity else report.publicity
    outcome = (outcome_clause(pub.objections) or "无异议") if pub and pub.objections is not None else ""
    publicity = (f"评审结果于{date_cn(pub.start)}至{date_cn(pub.end)}在{recorded(pub.where, FILL_IN)}公示"
                 f"{'，公示期间' + outcome if outcome else ''}。" if pub else "")
    return "\n".join([
        "一、评委库使用及评委抽取情况",
        f"本次评审使用{report.committee.name}评审专家库。{pool_text(m.pool)}{draw_text(m)}"
        f"实际出席评审专家{len(present)}人。",
        "二、评审流程",
        f"评审会议于{date_span(m.start_date, m.end_date)}在{m.place}召开，依次进行预备会、"
        "资格复审、分工初评、面试、小组评议、大会审议、投票表决和签字确认。出席评委现场签署《评委承诺书》。"
        f"参评{len(report.candidates)}人，资格复审不合格{ineligible}人；共进行{len(report.rounds)}轮表决，"
        f"其中再次投票{runoffs}轮；评审通过{len(_passed(report))}人。{publicity}",
        "三、典型经验", texts.experience or NOT_GIVEN,
        "四、改进方向", texts.improvements or NOT_GIVEN,
        "五、意见建议", texts.suggestions or NOT_GIVEN,
    ])


def pool_text(pool: PoolUse | None) -> str:
    """The pool in words: 专家库共有评审专家39人；按规定不列入本次抽取4人（…）。 "" when no draw was recorded."""
    if pool is None:
        return ""
    out = f"专家库共有评审专家{pool.size}人"
    if pool.excluded:
        reasons = "，".join(f"{why}{n}人" for why, n in pool.excluded)
        out += f"；按规定不列入本次抽取{sum(n for _, n in pool.excluded)}人（{reasons}）"
    return out + "。"


def draw_text(m: Meeting) -> str:
    """The draw in words: when, how many by specialty, the alternates drawn and seated, the witness."""
    pool = m.pool
    needs = "、".join(f"{specialty}{n}人" for specialty, n in pool.needs) if pool else ""
    out = (f"{draw_when(m) or '会前'}在纪检监察人员监督下随机抽取评审专家{pool.drawn if pool else m.panel_size}人"
           + (f"（{needs}）" if needs else ""))
    if pool is not None and pool.alternates:
        out += f"，另抽取备选专家{pool.alternates}人、实际启用{pool.alternates_seated}人"
    return out + (f"，由{m.draw_witness}现场见证。" if m.draw_witness else "。")


def make_work_summary(report: MeetingReport, out_path: Path) -> DocumentResult:
    """评审工作总结 (≤ 2,000 字)."""
    text = work_summary_text(report)
    check_length(text, SUMMARY_LIMIT, "filing.summary_length", bi("work summary", "评审工作总结"))
    ts = Typesetter()
    did = doc_id(report, "work-summary")
    s = Story(ts, [SheetStart(Sheet(did))])
    _title(s, f"{report.committee.name}\n{report.meeting.year}年度职称评审工作总结")
    s.add(_blank())
    _official_text(s, text)
    issuer = report.filing.issuer if report.filing else report.committee.office
    _signature(s, recorded(issuer, FILL_IN), date_cn(report.filing.date if report.filing else None))
    doc = ConclaveDocument(out_path, ts, title="评审工作总结", header=report.committee.name,
                           official=True)
    return render(doc, s.items, did)
