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

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from app.documents.blocks import (
    CELL,
    CELL_HEAD,
    FILL_IN,
    content_sha,
    date_cn,
    date_span,
    doc_id,
    draw_when,
    root_fingerprint_line,
    table,
)
from app.documents.blocks import entered as recorded
from app.documents.layout import (
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
from app.documents.model import Candidate, MeetingReport, Outcome, Publicity
from app.documents.text import Typesetter
from app.errors import RuleViolation
from app.text import bi, in_chinese

REPORT_LIMIT = 500  # X§11(一) 不超过500字
SUMMARY_LIMIT = 2000  # X§11(二) 不超过2000字
_H1 = re.compile(r"^[一二三四五六七八九十]+、")
_H2 = re.compile(r"^（[一二三四五六七八九十]+）")
_FILL = "（请办事机构补充。）"


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
            s.p(para, style)


def _signature(s: Story, issuer: str, day: str) -> None:
    s.add(_blank(2))
    s.p(issuer + "　" * 5, OFFICIAL_SIGN)
    s.p(day + "　" * 4, OFFICIAL_SIGN)  # 成文日期右空四字


def _passed(report: MeetingReport) -> list[Candidate]:
    return [c for c in report.candidates if c.outcome is Outcome.PASSED]


def _name_list(ts: Typesetter, report: MeetingReport, title: str) -> list[Flowable]:
    s = Story(ts, [PageBreak()])
    s.p("附件", OFFICIAL_PLAIN.derive(role="heading"))
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
    sha = content_sha(report, "publicity", publicity=pub, passed=passed)
    s = Story(ts, [SheetStart(Sheet(did, sha))])
    s.p(f"关于{_subject(report)}结果的公示", OFFICIAL_TITLE)
    s.add(_blank())
    s.p(f"经{report.committee.name}评审表决，{len(passed)}名同志拟通过相应专业技术资格"
        "（名单见附件），现予以公示。", OFFICIAL_BODY)
    s.p(f"公示时间：{date_cn(pub.start)}至{date_cn(pub.end)}（{pub.working_days}个工作日）。",
        OFFICIAL_BODY)
    s.p(f"公示网站或地点：{recorded(pub.where, FILL_IN)}。", OFFICIAL_BODY)
    s.p("公示期间，对公示对象有异议的，请以书面形式实名反映，并提供必要的调查核实线索。"
        f"受理单位及电话：{recorded(pub.contact, FILL_IN)}。", OFFICIAL_BODY)
    # the committee's office publishes the result (X§10(十)); not recorded: a line to sign by hand
    _signature(s, recorded(report.committee.office, FILL_IN), date_cn(pub.start))
    s.add(*_name_list(ts, report, "拟通过人员名单"))
    doc = ConclaveDocument(out_path, ts, title="评审结果公示", header=report.committee.name,
                           official=True)
    return render(doc, s.items, did, sha)


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
            "现将评审结果报请备案。\n附件：1.评审结果；2.拟通过人员名单")


def outcome_clause(objections: str | None) -> str:
    """The publicity's outcome as the secretary typed it at step 10, as a clause of the papers'
    sentence: typed as a sentence of its own ("公示期内未收到异议。"), its closing punctuation gives
    way to the paper's own (never "。。")."""
    return (objections or "").strip().rstrip("。.；;，,、 ")


def make_filing_report(report: MeetingReport, out_path: Path) -> DocumentResult:
    """备案报告 (≤ 500 字), addressed to the HR department, with the name list attached."""
    if report.filing is None:
        if report.calendar_gap is not None:      # its deadline falls in a year nobody entered
            raise RuleViolation.single("calendar.unknown_year",
                                       report.calendar_gap.publicity or report.calendar_gap.filing)
        raise RuleViolation.single("documents.filing", bi("the filing details are not entered yet", "备案信息尚未录入"))
    text = filing_report_text(report)
    check_length(text, REPORT_LIMIT, "filing.report_length", bi("filing report", "备案报告"))
    ts = Typesetter()
    did = doc_id(report, "filing-report")
    sha = content_sha(report, "filing-report", text=text, filing=report.filing,
                      passed=[c.id for c in _passed(report)], root=report.root_fingerprint)
    s = Story(ts, [SheetStart(Sheet(did, sha))])
    s.p(f"关于{_subject(report)}结果备案的报告", OFFICIAL_TITLE)
    s.add(_blank())
    s.p(f"{recorded(report.filing.addressee, FILL_IN)}：", OFFICIAL_PLAIN)
    _official_text(s, text)
    _signature(s, recorded(report.filing.issuer, FILL_IN), date_cn(report.filing.date))
    s.add(root_fingerprint_line(ts, report))        # the anchor the HR department checks seals against
    s.add(*_name_list(ts, report, "拟通过人员名单"))
    doc = ConclaveDocument(out_path, ts, title="评审结果备案报告", header=report.committee.name,
                           official=True)
    return render(doc, s.items, did, sha)


def work_summary_text(report: MeetingReport) -> str:
    """The summary written into the report, else one composed from the record: 一、二 from the
    data, 三、四、五 the texts the office wrote at step 10 (:class:`SummaryTexts`) — a section
    nobody wrote yet is left to fill in (:data:`_FILL`), never written for them."""
    if report.filing and report.filing.work_summary is not None:
        return report.filing.work_summary
    m, texts = report.meeting, report.summary_texts
    present = [e for e in report.panel if e.present]
    ineligible = sum(1 for c in report.candidates if not c.eligible)
    runoffs = sum(1 for r in report.rounds if r.number > 1)
    pub = _publicity(report) if report.calendar_gap and report.calendar_gap.publicity else report.publicity
    outcome = outcome_clause(pub.objections) if pub else ""
    publicity = (f"评审结果于{date_cn(pub.start)}至{date_cn(pub.end)}公示"
                 f"{'，' + outcome if outcome else ''}。" if pub else "")
    return "\n".join([
        "一、评委库使用及评委抽取情况",
        f"本次评审使用{report.committee.name}评审专家库，"
        f"{draw_when(m) or '会前'}在纪检监察人员监督下随机抽取评审专家"
        f"{m.panel_size}人。{m.draw_note + '。' if m.draw_note else ''}实际出席评审专家{len(present)}人。",
        "二、评审流程",
        f"评审会议于{date_span(m.start_date, m.end_date)}在{m.place}召开，依次进行预备会、"
        "资格复审、分工初评、面试、小组评议、大会审议、投票表决和签字确认。出席评委现场签署《评委承诺书》。"
        f"参评{len(report.candidates)}人，资格复审不合格{ineligible}人；共进行{len(report.rounds)}轮表决，"
        f"其中再次投票{runoffs}轮；评审通过{len(_passed(report))}人。{publicity}",
        "三、典型经验", texts.experience or _FILL,
        "四、改进方向", texts.improvements or _FILL,
        "五、意见建议", texts.suggestions or _FILL,
    ])


def make_work_summary(report: MeetingReport, out_path: Path) -> DocumentResult:
    """评审工作总结 (≤ 2,000 字)."""
    text = work_summary_text(report)
    check_length(text, SUMMARY_LIMIT, "filing.summary_length", bi("work summary", "评审工作总结"))
    ts = Typesetter()
    did = doc_id(report, "work-summary")
    sha = content_sha(report, "work-summary", text=text)
    s = Story(ts, [SheetStart(Sheet(did, sha))])
    s.p(f"{report.committee.name}\n{report.meeting.year}年度职称评审工作总结", OFFICIAL_TITLE)
    s.add(_blank())
    _official_text(s, text)
    issuer = report.filing.issuer if report.filing else report.committee.office
    _signature(s, recorded(issuer, FILL_IN), date_cn(report.filing.date if report.filing else None))
    doc = ConclaveDocument(out_path, ts, title="评审工作总结", header=report.committee.name,
                           official=True)
    return render(doc, s.items, did, sha)
