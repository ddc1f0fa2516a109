"""Filling the documents' read model (:class:`MeetingReport`) from a stored meeting.

An assembler over the read side (:mod:`app.views`): no SQL here. The documents
never recompute a rule: counts, thresholds, caps, quotas and outcomes come from
the same views (``views.results``) and rule
functions the meeting used. What the database does not hold is never made up: a fact
not recorded (组建单位, 办事机构, the HR department, the plan's filing number, the
publicity's venue and contact, a staff member's unit) reaches the papers empty and they
print a blank to fill by hand. Facts the roster or the pool did not give are not filled in
from something else either: a candidate's title applied for (申报资格) is not their
specialty, an expert's honoraria category (专家类别) is not read off their title — an expert
without one gets no band, and the sheet says the category is to be filled in. The honoraria
count the meeting's recorded days with the fee rules' half-day and over-8-hours bands
(:func:`app.rules.fees.honorarium_band`), at the bottom of each expert's band (the finance
office adjusts the sheet); a meeting whose hours were not recorded is counted as one day and
the sheet says so. The fees follow the plan's price list. A fact the meeting did not record —
a group without its leader, a draw without its time, who presided at the vote — stays empty
here too, and the papers say it is missing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from app.documents import model as dm
from app.rules.calendar import WorkCalendar
from app.rules.calendar_years import deadlines, missing_calendar
from app.rules.committee import filing_last_day
from app.rules.fees import CATEGORY_NAMES, HUNAN, honorarium_band, review_fees
from app.rules.levels import plan_caps
from app.views import Views
from app.views.candidates import InterviewRow
from app.views.meeting import MeetingDayView

_RECOMMENDATION = {"recommend": dm.Recommendation.RECOMMEND, "reject": dm.Recommendation.NOT_RECOMMEND,
                   "plenary": dm.Recommendation.TO_PLENARY}
_LIMIT_ZH = {"pass_rate_cap": "通过率", "quota": "评审职数"}
#: Why the draw's rules kept an expert out (app.rules.draw), as the work summary says it.
_EXCLUDED = {"draw.conflict": "与申报人同一单位或属其回避单位需回避",
             "draw.consecutive_years": "已连续两个年度担任评委", "draw.blacklist": "列入失信黑名单"}
_ROLE = {"expert": dm.Role.EXPERT, "chair": dm.Role.CHAIR, "vice_chair": dm.Role.VICE_CHAIR}


def build_report(views: Views, calendar: WorkCalendar, meeting_id: int) -> dm.MeetingReport:
    """Everything the documents show about one stored meeting, read through :mod:`app.views`;
    the publicity and filing dates count working days of ``calendar``."""
    info = views.meeting(meeting_id)
    plan = views.plan(meeting_id)
    closed = [r for r in views.rounds(meeting_id) if r.status == "closed"]
    final = views.results(meeting_id)
    members = views.panel(meeting_id)
    cands = views.candidates(meeting_id)
    items = {i.name: i for i in views.rubric(meeting_id)}
    sheets = {(s.candidate, s.scorer): s for s in views.score_sheets(meeting_id)}
    questions = views.questions(meeting_id)
    interviews = views.interviews(meeting_id)
    drawn = views.draw_record(meeting_id)
    drawn_at = drawn.drawn_local if drawn else None          # 北京时间, from the time the draw recorded
    opinions = views.plenary_notes(meeting_id)          # the group's reasons (recommendation notes)
    first_voters = set(closed[0].voters) if closed else set()
    vote_date = info.vote_date or info.meeting_date

    experts = [dm.Expert(
        id=r.code, name=r.name, unit=r.unit, title=r.title, role=_ROLE[r.role], group_id=r.group,
        present=bool(r.checked_in), present_at_vote=(r.code in first_voters) if r.role == "expert" else False,
        absence_note="中途离会" if r.departed else ("" if r.checked_in else "未出席"),
        signed_commitment=bool(r.commitment_signed))
        for r in members]
    if info.supervisor:
        experts.append(dm.Expert(id="SUPERVISOR", name=info.supervisor, unit=info.supervisor_unit, title="",
                                 role=dm.Role.SUPERVISOR, present_at_vote=False, signed_commitment=False))
    if info.secretary:
        experts.append(dm.Expert(id="SECRETARY", name=info.secretary, unit=info.secretary_unit, title="",
                                 role=dm.Role.SECRETARY, present_at_vote=False, signed_commitment=False))

    groups = []
    for g in sorted({r.group for r in members if r.group}):
        ids = tuple(r.code for r in members if r.group == g)
        specialty = Counter(c.specialty for c in cands if c.group == g).most_common(1)
        name = f"{g}（{specialty[0][0]}）" if specialty else g
        leader = next((r.code for r in members if r.group == g and r.leader), None)   # None: not chosen
        groups.append(dm.Group(id=g, name=name, leader_id=leader, member_ids=ids))

    candidates = []
    for c in cands:
        sheet = sheets.get((c.code, c.reviewer or ""))
        score_items = tuple(dm.ScoreItem(name, Decimal(items[name].max_points), Decimal(points))
                            for name, points in (sheet.points.items() if sheet else ()))
        qs = tuple(dm.InterviewQuestion(n, q.text, q.setter, q.reviewer or "—")
                   for n, q in enumerate((q for q in questions if q.candidate == c.code), 1))
        iv = interviews.get(c.code)
        iv_text = _interview_text(iv) if iv else ""
        candidates.append(dm.Candidate(
            id=c.code, name=c.name, unit=c.unit, level=c.level, title_applied=c.applied_title or "",
            specialty=c.specialty, group_id=c.group, eligible=c.eligible is not False,
            eligibility_note=c.eligibility_reason or "", primary_reviewer_id=c.reviewer,
            scores=score_items, interview=qs, interview_result=iv_text,
            recommendation=_RECOMMENDATION.get(c.recommendation or ""),
            recommendation_note=(opinions[c.code].recommendation_note or "") if c.code in opinions else "",
            plenary_conclusion=c.plenary_conclusion or "",
            outcome=dm.Outcome(c.outcome) if c.outcome else dm.Outcome.RUNOFF_PENDING,
            fail_reason=dm.FailReason(c.reason) if c.reason else None, quota_key=c.quota_key,
            education=c.education or "", current_title=c.current_title or "",
            current_title_date=c.current_title_date, years_in_post=c.years_in_post, exceptional=c.exceptional))

    passed = Counter(c.level for c in cands if c.outcome == "passed")
    shares: dict[str, Decimal] = {str(level): cap for level, cap in plan_caps(plan.caps).items()}
    caps = tuple(dm.PassRateCap(level, shares[level], v["entered"], v["max_pass"], passed[level])
                 for level, v in final.caps.items())
    passed_by_key = Counter(c.quota_key for c in cands if c.outcome == "passed" and c.quota_key)
    quotas = tuple(dm.Quota(q.key, q.places, passed_by_key[q.key], q.unit or "", q.post or "")
                   for q in views.quota_details(meeting_id))

    rounds = []
    closed_at = views.round_heads(meeting_id)
    for rv in closed:
        after = views.results(meeting_id, upto=rv.number)
        counts = after.counts[rv.number]
        tallies = tuple(dm.Tally(code, counts[code].yes, counts[code].no, counts[code].abstain,
                                 dm.Outcome(after.allocation.outcomes[code].outcome),
                                 _reason(after.allocation.outcomes[code].reason))
                        for code in rv.candidates)
        notes = tuple(f"{'、'.join(sorted(p.candidates))}票数相同，超出{_LIMIT_ZH[p.limit]}控制（{p.key}），"
                      f"再次投票决定{p.places}个名额" for p in after.allocation.pending)
        rounds.append(dm.BallotRound(
            number=rv.number, kind=dm.RoundKind.FIRST if rv.kind == "first" else dm.RoundKind.RUNOFF,
            date=vote_date, candidate_ids=rv.candidates, voters=len(rv.voters),
            threshold=final.threshold, ballots_issued=len(rv.voters), ballots_returned=rv.ballots,
            tallies=tallies, places=rv.places, batch_code=f"{info.year}-{meeting_id}-R{rv.number}", notes=notes,
            closed_at=(dm.RecordHead(closed_at[rv.number].seq, closed_at[rv.number].hash, True)
                       if rv.number in closed_at else None)))

    who = {m.code: f"{dm.ROLE_NAMES[_ROLE[m.role]]}{m.name}" for m in members}
    voided = tuple(dm.VoidedRound(
        number=v.number, kind=dm.RoundKind.FIRST if v.kind == "first" else dm.RoundKind.RUNOFF,
        voters=len(v.voters), voted=len(v.voted), discarded=v.discarded, decided_by=who.get(v.chair, v.chair),
        reason=v.reason) for v in views.voided_rounds(meeting_id))

    publicity = filing = gap = None
    filed = views.filing_report(meeting_id)               # 发文字号 and 成文日期, as recorded at step 10
    if info.vote_date:      # dates in a year nobody entered are left out, and the papers printing them wait
        found = deadlines(calendar, info.vote_date, info.publicity_start)
        if found.publicity is not None:
            dates = found.publicity
            publicity = dm.Publicity(start_by=dates.start_by, start=dates.start, end=dates.end,
                                     objections=info.publicity_objections, where=plan.publicity_where,
                                     contact=plan.objection_contact, phone=plan.objection_phone)
        if found.filing_due is not None:    # the office reports to the HR department it files with (X§11)
            filing = dm.Filing(due=found.filing_due, addressee=plan.hr_department, issuer=plan.office,
                               number=filed.number, date=filed.date)
        missing = missing_calendar(found, views.store.path)
        if missing is not None and found.missing_year is not None:
            gap = dm.CalendarGap(year=found.missing_year, filing=missing.message,
                                 publicity=missing.message if publicity is None else None)

    panel = [r for r in members if r.checked_in]
    honoraria = tuple(_honorarium(r.code, r.category, plan.days) for r in panel)
    levels = [c.level for c in cands]
    fees = []
    for level in sorted(set(levels), key=levels.index):
        n = levels.count(level)
        interviewed = sum(1 for c in cands if c.level == level and c.code in interviews)
        f = review_fees([level] * n, interviews=interviewed)
        # per-candidate rates of the price list, with the counts they apply to: reviewed and interviewed
        fees.append(dm.FeeLine(level, n, f.review / n, HUNAN.interview_fee, f.total, interviewed=interviewed,
                               recommendation_fee=f.recommendation / n))

    draw_note = (f"随机种子 {drawn.seed}；见证人 {drawn.witness}；专家库摘要 SHA-256 {drawn.pool_sha256[:16]}…"
                 if drawn else "")
    pool_use = None
    if drawn is not None:       # the pool and the draw in figures (the work summary says them in words)
        seated = {r.code for r in members}
        reasons = Counter(_EXCLUDED.get(rule, rule) for _code, rule in drawn.excluded)
        spares = [code for codes in drawn.alternates.values() for code in codes]
        pool_use = dm.PoolUse(size=len(views.pool(meeting_id)), needs=tuple(drawn.needs.items()),
                              excluded=tuple(reasons.items()),
                              drawn=sum(len(v) for v in drawn.drawn.values()), alternates=len(spares),
                              alternates_seated=sum(1 for code in spares if code in seated))
    recusals = tuple(dm.Recusal(c.member_name, c.candidate, c.candidate_name, c.reason)
                     for c in views.declared_conflicts(meeting_id))
    head = views.record_head(meeting_id)
    quorum = views.quorum(meeting_id)
    earlier = tuple(dm.EarlierDraw(d.number, d.seed, d.witness, d.replaced_by, d.reason)
                    for d in views.draw_history(meeting_id))
    withdrawn = tuple(dm.Withdrawal(w.code, w.name, w.unit, w.level, w.withdrawn_by, w.reason)
                      for w in views.withdrawn(meeting_id))
    days = tuple(dm.MeetingDay(d.day, d.starts, d.ends, d.hours) for d in plan.days)
    names = {r.code: r.name for r in members}
    presider = views.vote_presider(meeting_id)
    meeting = dm.Meeting(
        id=f"{info.year}-M{meeting_id}", title=info.title, year=info.year,
        start_date=days[0].day if days else info.meeting_date, end_date=days[-1].day if days else info.meeting_date,
        place=info.place, vote_date=vote_date, plan_filing_no=plan.plan_filing_number, days=days,
        panel_size=sum(1 for r in panel if r.role == "expert"),
        reduced_panel_approved=plan.reduced_panel_approved, caps=caps, quotas=quotas,
        draw_date=drawn_at.date() if drawn_at else None, draw_note=draw_note, draw_time=drawn_at,
        vote_presider=f"{presider.name}（{dm.ROLE_NAMES[_ROLE[presider.role]]}）" if presider else "",
        commitment_reader=names.get(plan.commitment_reader or "", ""),
        quorum=quorum.share, quorum_needed=quorum.needed, earlier_draws=earlier, withdrawn=withdrawn,
        draw_witness=drawn.witness if drawn else "", pool=pool_use, recusals=recusals,
        record_head=dm.RecordHead(head.seq, head.hash, head.closed) if head else None)
    texts = views.work_summary(meeting_id)
    report = dm.MeetingReport(
        committee=dm.Committee(name=plan.committee, level=plan.level, organized_by=plan.organized_by,
                               organizer=plan.organizer, filing_no=plan.filing_number,
                               filing_valid_until=filing_last_day(plan.filing_date), office=plan.office),
        meeting=meeting, experts=tuple(experts), candidates=tuple(candidates), groups=tuple(groups),
        rounds=tuple(rounds), voided_rounds=voided, publicity=publicity, filing=filing, honoraria=honoraria,
        fees=tuple(fees),
        calendar_gap=gap,
        summary_texts=dm.SummaryTexts(texts.experience, texts.improvements, texts.suggestions))
    report.check()
    return report


def _interview_text(iv: InterviewRow) -> str:
    """面试情况: the duration, the result as told to the candidate (or that none was recorded), and
    whether it was told."""
    told = "已告知本人" if iv.result_told else "未告知本人"
    result = f"面试结果（{told}）：{iv.result}" if iv.result else f"面试结果未记录（{told}）"
    return f"面试{iv.seconds // 60}分{iv.seconds % 60:02d}秒；{result}"


def _reason(reason: str | None) -> dm.FailReason | None:
    return dm.FailReason(reason) if reason else None


def _honorarium(code: str, category: str | None, days: Sequence[MeetingDayView] = ()) -> dm.HonorariumLine:
    """An expert's pay for the days the meeting sat, in the band of the expert's category as the
    pool records it (X§19's bands are by category, not title: a 正高 expert may be a nationally
    known one), each day in its band for its hours (at most half a day: 50%; over 8 hours the top
    may rise, the bottom stays): the bottom of the band, the day counted as half when it pays
    half. Without a category no band applies and the line says so; no hours recorded: one day,
    and the note says so."""
    known = CATEGORY_NAMES.get(category or "")
    if known is None:
        return dm.HonorariumLine(expert_id=code, category=dm.NOT_GIVEN, days=Decimal(max(len(days), 1)),
                                 rate=None, amount=None, note="类别待填，未计")
    full = honorarium_band(known, HUNAN.long_day_hours)          # a whole day's band
    if not days:
        return dm.HonorariumLine(expert_id=code, category=str(category), days=Decimal(1),
                                 rate=full.low, amount=full.low, note="时长未记录")
    bands = [honorarium_band(known, d.hours) for d in days]
    counted = sum((Decimal(1) if b.low == full.low else b.low / full.low for b in bands), Decimal(0))
    return dm.HonorariumLine(expert_id=code, category=str(category), days=counted,
                             rate=full.low, amount=sum((b.low for b in bands), Decimal(0)), note="按标准下限计，可调整")
