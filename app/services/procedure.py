"""The ten steps as a procedure: each step's gate, locking, and reopening.

A step is finished with :meth:`ProcedureService.complete` only when its gate
holds — the gate lists exactly what is missing, in words the secretary can act
on. A finished step is locked (services refuse changes to it with
``step.locked``). The chair may reopen a finished step with a written reason;
that reopens it and every later step, is audited, and is impossible once a
ballot round has been closed (results are never edited).

Before step 1 there is the setup (会前准备): the plan's supervisor, the candidates,
the panel (drawn or seated), the chair, and — where candidates are reviewed in
discipline groups — experts seated in every group, each group with its leader (组长, X§10(五)),
and every candidate on the agenda (eligible, or not yet decided) in one of the groups: the primary
review (step 3) and the group deliberation (step 5) take the candidates group by group.
:meth:`ProcedureService.setup_gate` lists what it still misses — also a drawn expert whom a
correction made undrawable (:func:`app.services.drawing.drawn_panel_problems`: the draw is
re-run) — and while anything is missing, step 1 does not begin: the calls that open it
(check-in, commitments, the reader) are refused with ``setup.incomplete`` (:func:`require_setup`),
and step 1's own gate repeats the list.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from app.domain import Recommendation, Role, Step, StepStatus
from app.rules.calendar import WorkCalendar
from app.rules.calendar_years import deadlines, unknown_year_violation
from app.rules.panel import check_groups, check_panel
from app.services.base import Store, fail, meeting_row, member_row
from app.services.drawing import drawn_panel_problems
from app.storage.schema import (
    ballot_round,
    candidate,
    committee,
    interview,
    meeting,
    member,
    question,
    rubric_item,
    score,
    step_state,
)
from app.text import Bilingual, bi, dump, group_zh, in_chinese, load
from app.views.ballot import remembered_results_on, results_on


class ProcedureService:
    def __init__(self, store: Store, calendar: WorkCalendar | None = None) -> None:
        self.store = store
        self.calendar = calendar     # step 10's gate: the filing deadline must be known (None: not checked)

    def status(self, meeting_id: int) -> list[StepStatus]:
        """All ten steps: done, current, and what the current step's gate still misses."""
        with self.store.read() as conn:
            m = meeting_row(conn, meeting_id)
            states = {r.step: r for r in conn.execute(select(step_state).where(
                step_state.c.meeting_id == meeting_id))}
            closed = _closed_rounds(conn, meeting_id)
            out = []
            for s in Step:
                st = states[int(s)]
                current = m.current_step == s and not st.done
                missing = tuple(self.missing(conn, meeting_id, s, reading=True)) if current else ()
                out.append(StepStatus(s, bool(st.done), current, missing, load(st.summary), not closed))
            return out

    def gate(self, meeting_id: int, step: Step) -> list[str]:
        with self.store.read() as conn:
            return self.missing(conn, meeting_id, step, reading=True)

    def setup_gate(self, meeting_id: int) -> list[str]:
        """What the setup (会前准备) still misses before step 1 may begin; empty when complete."""
        with self.store.read() as conn:
            return setup_missing(conn, meeting_id)

    def complete(self, actor: str, meeting_id: int, step: Step) -> None:
        """Finish and lock ``step``; the meeting moves to the next one."""
        with self.store.write(actor, "step.complete", meeting_id, step=int(step)) as tx:
            m = meeting_row(tx.conn, meeting_id)
            if m.current_step != step or m.finished:
                raise fail("step.order", bi(f"the meeting is at step {m.current_step}, not {int(step)}",
                                            "会议各步骤均已完成" if m.finished else
                                            f"会议正在进行第{m.current_step}步，不是第{int(step)}步"))
            missing = self.missing(tx.conn, meeting_id, step)
            if missing:
                zh = "；".join(in_chinese(m) for m in missing)
                raise fail("step.gate", bi(f"step {int(step)} {step.zh} cannot finish yet: " + "; ".join(missing),
                                           f"第{int(step)}步“{step.zh}”尚不能完成：{zh}"))
            summary = self.summary(tx.conn, meeting_id, step)
            tx.conn.execute(update(step_state).where(
                step_state.c.meeting_id == meeting_id, step_state.c.step == int(step)).values(
                done=True, summary=dump(summary)))
            values: dict[str, Any] = {"current_step": min(int(step) + 1, int(Step.PUBLICITY))}
            if step == Step.PUBLICITY:
                values["finished"] = True
            tx.conn.execute(update(meeting).where(meeting.c.id == meeting_id).values(**values))
            tx.data["summary"] = summary

    def reopen(self, actor: str, meeting_id: int, step: Step, chair_code: str, reason: str) -> None:
        """The chair reopens a finished step, with a written reason, until the ballot closes."""
        if len(reason.strip()) < 4:
            raise fail("step.reopen_reason", bi("reopening a step needs the chair's written reason",
                                                "重新开启步骤须由主任委员书面说明理由"))
        with self.store.write(actor, "step.reopen", meeting_id, step=int(step), chair=chair_code,
                              reason=reason.strip()) as tx:
            chair = member_row(tx.conn, meeting_id, chair_code)
            if chair.role not in (Role.CHAIR.value, Role.VICE_CHAIR.value):
                raise fail("step.reopen_chair", bi(f"{chair.name} is not the chair or vice-chair",
                                                   f"{chair.name}不是主任委员或副主任委员"))
            if _closed_rounds(tx.conn, meeting_id):
                raise fail("step.reopen_after_ballot", bi("a ballot round has been closed: no step can be "
                                                          "reopened, results are never edited",
                                                          "已有表决轮次结束，任何步骤均不得重新开启，表决结果不得更改"))
            done = tx.conn.execute(select(step_state.c.done).where(
                step_state.c.meeting_id == meeting_id, step_state.c.step == int(step))).scalar()
            if not done:
                raise fail("step.reopen_open", bi(f"step {int(step)} {step.zh} is not finished",
                                                  f"第{int(step)}步“{step.zh}”尚未完成，无须重新开启"))
            tx.conn.execute(update(step_state).where(
                step_state.c.meeting_id == meeting_id, step_state.c.step >= int(step)).values(done=False))
            tx.conn.execute(update(meeting).where(meeting.c.id == meeting_id).values(
                current_step=int(step)))

    # -- gates -------------------------------------------------------------------
    def missing(self, conn: Connection, meeting_id: int, step: Step, reading: bool = False) -> list[str]:
        """What ``step``'s gate still misses. ``reading``: a read outside any write, which may use
        the allocation remembered for the current state of the meeting."""
        if step == Step.BALLOT:
            return self._gate_ballot(conn, meeting_id, reading)
        check = _GATES[step]
        return check(self, conn, meeting_id)

    def _gate_preparatory(self, conn: Connection, meeting_id: int) -> list[str]:
        m = meeting_row(conn, meeting_id)
        com = conn.execute(select(committee).where(committee.c.id == m.committee_id)).one()
        people = conn.execute(select(member).where(member.c.meeting_id == meeting_id)).all()
        experts = [p for p in people if p.role == Role.EXPERT.value and p.checked_in]
        n_cands = conn.execute(select(func.count()).select_from(candidate).where(
            candidate.c.meeting_id == meeting_id)).scalar_one()
        out = setup_missing(conn, meeting_id)
        if experts:
            out += [v.message for v in check_panel(len(experts), com.level, com.organized_by,
                                                   n_cands, m.reduced_panel_approved)]
        else:           # "出席评审专家0人，组成人员应当是单数" read as if 0 were the panel's size
            out.append(bi("no expert has checked in yet", "尚无评审专家签到"))
        groups: dict[str, int] = {}
        for e in experts:
            if e.group_code:
                groups[e.group_code] = groups.get(e.group_code, 0) + 1
        out += [v.message for v in check_groups(groups)]      # experts without a group: in the setup's list
        if any(p.role == Role.CHAIR.value for p in people) and not any(
                p.role == Role.CHAIR.value and p.checked_in for p in people):
            out.append(bi("the chair (主任委员) has not checked in", "主任委员尚未签到"))
        unsigned = [p.name for p in people if p.checked_in and not p.commitment_signed]
        if unsigned:
            names = "、".join(unsigned)
            out.append(bi(f"commitment letter (评委承诺书) not signed by: {names}", f"尚未签署评委承诺书：{names}"))
        if not m.commitment_reader:
            out.append(bi("name the expert who read the commitment aloud", "请指定宣读承诺书的评委代表"))
        return out

    def _gate_eligibility(self, conn: Connection, meeting_id: int) -> list[str]:
        undecided = _codes(conn, meeting_id, candidate.c.eligible.is_(None))
        return [_list("eligibility not decided for", "尚未作出资格复审结论", undecided)] if undecided else []

    def _gate_primary(self, conn: Connection, meeting_id: int) -> list[str]:
        out: list[str] = []
        no_reviewer = _codes(conn, meeting_id, candidate.c.eligible.is_(True), candidate.c.reviewer_id.is_(None))
        if no_reviewer:
            out.append(_list("no primary reviewer (主审评委) for", "尚未指定主审评委", no_reviewer))
        items = conn.execute(select(func.count()).select_from(rubric_item).where(
            rubric_item.c.meeting_id == meeting_id)).scalar_one()
        unscored = []
        no_question = []
        for c in conn.execute(select(candidate).where(candidate.c.meeting_id == meeting_id,
                                                      candidate.c.eligible.is_(True))):
            if c.reviewer_id is not None:
                n = conn.execute(select(func.count()).select_from(score).where(
                    score.c.candidate_id == c.id, score.c.member_id == c.reviewer_id)).scalar_one()
                if n < items:
                    unscored.append(c.code)
            if not conn.execute(select(question.c.id).where(question.c.candidate_id == c.id)).first():
                no_question.append(c.code)
        if unscored:
            out.append(_list("the primary reviewer has not scored", "主审评委尚未评分", unscored))
        if no_question:
            out.append(_list("no interview question drafted for", "尚未拟定面试题", no_question))
        return out

    def _gate_interview(self, conn: Connection, meeting_id: int) -> list[str]:
        out: list[str] = []
        unreviewed = conn.execute(select(candidate.c.code).join(question).where(
            candidate.c.meeting_id == meeting_id, candidate.c.eligible.is_(True),
            question.c.reviewer_id.is_(None)).distinct()).scalars().all()
        if unreviewed:
            out.append(_list("questions not yet reviewed (审题) for", "面试题尚未审核", sorted(unreviewed)))
        done = set(conn.execute(select(interview.c.candidate_id)).scalars())
        rows = conn.execute(select(candidate.c.id, candidate.c.code).where(
            candidate.c.meeting_id == meeting_id, candidate.c.eligible.is_(True))).all()
        not_done = [r.code for r in rows if r.id not in done]
        if not_done:
            out.append(_list("not interviewed yet", "尚未面试", not_done))
        return out

    def _gate_group(self, conn: Connection, meeting_id: int) -> list[str]:
        missing = _codes(conn, meeting_id, candidate.c.eligible.is_(True), candidate.c.recommendation.is_(None))
        return [_list("no group recommendation for", "尚无小组评议意见", missing)] if missing else []

    def _gate_plenary(self, conn: Connection, meeting_id: int) -> list[str]:
        missing = _codes(conn, meeting_id, candidate.c.recommendation == Recommendation.PLENARY.value,
                         candidate.c.plenary_conclusion.is_(None))
        if not missing:
            return []
        return [_list("no plenary conclusion yet for the disputed candidates", "提交大会审议的申报人尚未记录审议结论",
                      missing)]

    def _gate_ballot(self, conn: Connection, meeting_id: int, reading: bool = False) -> list[str]:
        rounds = conn.execute(select(ballot_round).where(ballot_round.c.meeting_id == meeting_id)).all()
        if not rounds:
            return [bi("the ballot has not been held", "尚未进行表决")]
        if any(r.status == "open" for r in rounds):
            return [bi("a ballot round is still open", "本轮表决尚未结束")]
        results = remembered_results_on(self.store, conn, meeting_id) if reading else \
            results_on(conn, meeting_id)
        pending = results.allocation.pending
        out: list[str] = [_list("a runoff (再次投票) is needed among", "需再次投票", sorted(pending[0].candidates))
               ] if pending else []
        if not meeting_row(conn, meeting_id).vote_presider:     # the minutes name who presided (X§10(七))
            out.append(bi("record who presided at the vote (主持表决): the chair or the vice-chair",
                          "尚未记录主持表决的主任委员或副主任委员"))
        return out

    def _gate_signing(self, conn: Connection, meeting_id: int) -> list[str]:
        unsigned = _codes(conn, meeting_id, candidate.c.signed_by.is_(None))
        return [_list("conclusions not signed for", "评审结论尚未签字", unsigned)] if unsigned else []

    def _gate_archive(self, conn: Connection, meeting_id: int) -> list[str]:
        if meeting_row(conn, meeting_id).archived_path:
            return []
        return [bi("the meeting has not been archived", "尚未归档")]

    def _gate_publicity(self, conn: Connection, meeting_id: int) -> list[str]:
        m = meeting_row(conn, meeting_id)
        if not m.publicity_start:
            return [bi("the publicity start date is not set", "尚未确定公示开始日期")]
        if self.calendar is not None and m.vote_date is not None:
            found = deadlines(self.calendar, m.vote_date, m.publicity_start)
            if found.missing_year is not None:      # the meeting ends knowing its filing deadline
                return [unknown_year_violation(found.missing_year, self.store.path,
                                               bi("the filing deadline (备案)", "备案截止日期")).message]
        return []

    # -- summaries (what each finished step recorded, for the sidebar) ------------
    def summary(self, conn: Connection, meeting_id: int, step: Step) -> str:
        def count(*where: Any) -> int:
            return int(conn.execute(select(func.count()).select_from(candidate).where(
                candidate.c.meeting_id == meeting_id, *where)).scalar_one())
        if step == Step.PREPARATORY:
            n = conn.execute(select(func.count()).select_from(member).where(
                member.c.meeting_id == meeting_id, member.c.role == Role.EXPERT.value,
                member.c.checked_in.is_(True))).scalar_one()
            return bi(f"{n} experts present, commitments signed", f"出席评委{n}人，均已签署承诺书")
        if step == Step.ELIGIBILITY:
            ok, bad = count(candidate.c.eligible.is_(True)), count(candidate.c.eligible.is_(False))
            return bi(f"{ok} eligible, {bad} ineligible", f"合格{ok}人，不合格{bad}人")
        if step == Step.PRIMARY_REVIEW:
            n = count(candidate.c.reviewer_id.is_not(None))
            return bi(f"{n} candidates reviewed and scored", f"{n}人已分工初评并评分")
        if step == Step.INTERVIEW:
            n = int(conn.execute(select(func.count()).select_from(interview).join(
                candidate, candidate.c.id == interview.c.candidate_id).where(
                candidate.c.meeting_id == meeting_id)).scalar_one())
            return bi(f"{n} interviews, questions reviewed", f"面试{n}人，试题均已审核")
        if step == Step.GROUP:
            parts = [(r, count(candidate.c.recommendation == r.value)) for r in Recommendation]
            return bi(", ".join(f"{r.value} {n}" for r, n in parts), "，".join(f"{r.zh}{n}人" for r, n in parts))
        if step == Step.PLENARY:
            n = count(candidate.c.plenary_conclusion.is_not(None))
            return bi(f"{n} disputed candidates deliberated", f"大会审议{n}人")
        if step == Step.BALLOT:
            ok, bad = count(candidate.c.outcome == "passed"), count(candidate.c.outcome == "failed")
            return bi(f"{ok} passed, {bad} not passed", f"通过{ok}人，未通过{bad}人")
        if step == Step.SIGNING:
            return bi("every conclusion signed", "评审结论均已签字")
        if step == Step.ARCHIVE:
            return bi("archived", "已归档")
        m = meeting_row(conn, meeting_id)
        return bi(f"publicity from {m.publicity_start}", f"公示自{m.publicity_start}起")


#: Built once: every change of the setup after candidates are added checks what it still misses.
_PEOPLE = (select(member.c.name, member.c.role, member.c.group_code, member.c.leader)
           .where(member.c.meeting_id == bindparam("meeting_id")).order_by(member.c.id))
_SEATED = (select(candidate.c.code, candidate.c.group_code, candidate.c.eligible)
           .where(candidate.c.meeting_id == bindparam("meeting_id")).order_by(candidate.c.id))


def setup_missing(conn: Connection, meeting_id: int) -> list[str]:
    """What the setup (会前准备) still misses before the preparatory meeting (step 1) may begin."""
    m = meeting_row(conn, meeting_id)
    people = conn.execute(_PEOPLE, {"meeting_id": meeting_id}).all()
    cands = conn.execute(_SEATED, {"meeting_id": meeting_id}).all()
    experts = [p for p in people if p.role == Role.EXPERT.value]
    out: list[str] = []
    if not (m.supervisor or "").strip():
        out.append(bi("The supervisor (纪检监察) is not named", "尚未填写纪检监察人员"))
    if not cands:
        out.append(bi("No candidates: import the candidate roster", "尚无申报人：请导入申报人花名册"))
    if not experts:
        out.append(bi("The panel has not been drawn", "尚未抽取评审专家"))
    if not any(p.role == Role.CHAIR.value for p in people):
        out.append(bi("The chair (主任委员) is not on the panel", "尚未确定主任委员"))
    seated = {e.group_code for e in experts if e.group_code}
    if experts and (seated or any(c.group_code for c in cands)):    # candidates reviewed in groups
        empty: dict[str, list[str]] = {}
        for c in cands:
            if c.group_code and c.group_code not in seated:
                empty.setdefault(c.group_code, []).append(c.code)
        for group, codes in sorted(empty.items()):
            out.append(_list(f"No expert is seated in group {group}, which reviews",
                             f"评议组{group}尚无评委，该组申报人", codes))
        ungrouped = [c.code for c in cands if not c.group_code and c.eligible is not False]
        if seated and ungrouped:        # steps 3 and 5 work group by group: no one is left outside
            n = len(ungrouped)
            out.append(_list(f"{n} candidate{'s' if n > 1 else ''} in no discipline group (评议组) — group the "
                             "candidates by specialty, or put each in a group",
                             f"{n}名申报人尚未分入评议组（可按专业分组，或逐一指定）", ungrouped))
        loose = "、".join(e.name for e in experts if not e.group_code)
        if loose:
            out.append(bi(f"Experts not seated in a discipline group (评议组): {loose}",
                          f"尚未分入评议组的评委：{loose}"))
        led = {e.group_code for e in experts if e.group_code and e.leader}
        leaderless = sorted(seated - led)      # X§10(五): the leader presides over the group's deliberation
        if leaderless:
            groups = ", ".join(leaderless)
            out.append(bi(f"No leader (组长) chosen for group {groups}: the chair chooses one among its experts",
                          f"{'、'.join(group_zh(g) for g in leaderless)}尚未指定组长（由主任委员在本组评委中指定）"))
    out += drawn_panel_problems(conn, meeting_id)      # a correction made a drawn expert undrawable
    return out


def require_setup(conn: Connection, meeting_id: int) -> None:
    """Refuse to begin step 1 while the setup is incomplete (``setup.incomplete``)."""
    missing = setup_missing(conn, meeting_id)
    if missing:
        zh = "；".join(in_chinese(x) for x in missing)
        raise fail("setup.incomplete", bi("the preparatory meeting cannot begin before the setup is complete: "
                                          + "; ".join(missing), f"会前准备尚未完成，预备会不能开始：{zh}"))


def _list(en: str, zh: str, codes: list[str], shown: int = 20) -> Bilingual:
    """A gate item naming the candidates concerned — the first ``shown`` and how many more."""
    head = codes[:shown]
    more_en = f" and {len(codes) - shown} more" if len(codes) > shown else ""
    more_zh = f"等{len(codes)}人" if len(codes) > shown else ""
    return bi(f"{en}: {', '.join(head)}{more_en}", f"{zh}：{'、'.join(head)}{more_zh}")


def _closed_rounds(conn: Connection, meeting_id: int) -> int:
    return int(conn.execute(select(func.count()).select_from(ballot_round).where(
        ballot_round.c.meeting_id == meeting_id, ballot_round.c.status == "closed")).scalar_one())


def _codes(conn: Connection, meeting_id: int, *where: Any) -> list[str]:
    return list(conn.execute(select(candidate.c.code).where(
        candidate.c.meeting_id == meeting_id, *where).order_by(candidate.c.id)).scalars())


_GATES = {
    Step.PREPARATORY: ProcedureService._gate_preparatory,
    Step.ELIGIBILITY: ProcedureService._gate_eligibility,
    Step.PRIMARY_REVIEW: ProcedureService._gate_primary,
    Step.INTERVIEW: ProcedureService._gate_interview,
    Step.GROUP: ProcedureService._gate_group,
    Step.PLENARY: ProcedureService._gate_plenary,
    Step.BALLOT: ProcedureService._gate_ballot,
    Step.SIGNING: ProcedureService._gate_signing,
    Step.ARCHIVE: ProcedureService._gate_archive,
    Step.PUBLICITY: ProcedureService._gate_publicity,
}
