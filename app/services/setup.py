"""Setting a meeting up: committee, annual plan and rubric, expert pool, candidates,
the witnessed draw, the panel, check-in and declared conflicts.

Every function validates all of its input first and names each bad row and
field with its rule; nothing is stored unless everything is right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from app.domain import Role, Step
from app.errors import RuleViolation, Violation
from app.rules.draw import PoolExpert
from app.rules.quorum import quorum_text
from app.services.base import Store, candidate_row, fail, meeting_row, member_row, require_step
from app.services.committee import DETAILS, CommitteeCorrections, CommitteeDetails
from app.services.drawing import (
    DrawCorrections,
    checked_draw,
    draw_inputs,
    draw_json,
    need_witness,
    store_draw,
    utc_now,
)
from app.services.panel import MemberInput, PanelCorrections
from app.services.plan import (
    PlanCorrections,
    PlanEdit,
    PlanInput,
    QuotaInput,
    plan_problems,
    quota_values,
    store_days,
    stored_caps,
)
from app.services.pool import PoolCorrections, pool_problems, pool_values
from app.services.procedure import require_setup
from app.services.roster import CandidateCorrections, CandidateInput, candidate_problems, candidate_values, roster_rules
from app.storage.schema import (
    candidate,
    draw,
    meeting,
    member,
    pool_expert,
    question,
    quota,
    rubric_item,
    score,
    step_state,
    terminal_code,
)
from app.storage.schema import committee as committee_table
from app.storage.store import inserted_id
from app.text import bi

__all__ = ["CandidateInput", "CommitteeDetails", "CommitteeInput", "MemberInput", "OpenedMeeting", "PlanEdit",
           "PlanInput", "QuotaInput", "SetupService"]


@dataclass(frozen=True)
class CommitteeInput:
    """A review committee (评审委员会) as approved and filed (核准备案)."""

    name: str
    level: str                 # senior / intermediate / junior
    organized_by: str          # series / specialty (按系列 / 按专业)
    field: str                 # the series or specialty it reviews, e.g. 卫生系列
    filing_date: dt.date
    filing_number: str = ""
    organizer: str = ""        # 组建单位, e.g. 湘西自治州人力资源和社会保障局
    office: str = ""           # 办事机构: publishes the result and files it (X§10(十), X§11)
    hr_department: str = ""    # the HR department the results are filed with (备案机关)


@dataclass(frozen=True)
class OpenedMeeting:
    """What :meth:`SetupService.open_meeting` stored."""

    committee_id: int
    meeting_id: int
    committee_created: bool


class SetupService(PlanCorrections, CandidateCorrections, PoolCorrections, DrawCorrections, PanelCorrections,
                   CommitteeCorrections):
    """The setup of a meeting, and its corrections until step 1 is finished (the mixins, by subject)."""

    def __init__(self, store: Store, calendar: Any, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.store = store
        self.calendar = calendar
        self.clock = clock      # when a draw ran, as it records it: now (tests and the demo set their own)

    # -- committee and plan ---------------------------------------------------
    def open_meeting(self, committee: CommitteeInput | int, plan: PlanInput) -> OpenedMeeting:
        """Open a meeting under its filed plan, and its committee with it when ``committee`` is
        a new one (an identical committee already stored is reused): one change, one audit
        event, in the name of the secretary the plan names.

        Refuses, naming every problem at once and storing nothing: a plan without a secretary,
        a committee's level or organisation that does not exist, a committee name already used
        with other details, a lapsed filing or a meeting before it (X§3), a plan filed fewer
        than 5 working days before the meeting (X§7), a year the working-day calendar does not
        know, a rubric, cap or quota that cannot be applied.
        """
        actor = plan.secretary.strip()
        if not actor:
            raise fail("plan.secretary", bi(
                "the plan names no secretary (办事机构工作人员): name who runs the meeting — "
                "the meeting is opened in their name in the audit trail",
                "评审方案未写明会务工作人员（办事机构）；会议以其名义开设并记入审计记录"))
        with self.store.write(actor, "meeting.open", year=plan.year, title=plan.title) as tx:
            problems: list[Violation] = []
            new: CommitteeInput | None = None
            fill: dict[str, str] = {}
            if isinstance(committee, CommitteeInput):
                cid, problems, fill = _same_committee(tx.conn, committee)
                filing_date = committee.filing_date
                new = committee if cid is None else None
            else:
                row = tx.conn.execute(select(committee_table).where(committee_table.c.id == committee)).first()
                if row is None:
                    raise fail("committee.unknown", bi(f"no committee with id {committee}",
                                                       f"没有编号为{committee}的评委会"))
                cid, filing_date = row.id, row.filing_date
            problems += plan_problems(plan, filing_date, self.calendar, self.store.path)
            if problems:
                raise RuleViolation(problems)
            if new is not None:
                cid = inserted_id(tx.conn.execute(insert(committee_table).values(
                    name=new.name.strip(), level=new.level, organized_by=new.organized_by, field=new.field.strip(),
                    filing_date=new.filing_date, filing_number=new.filing_number.strip(),
                    **{k: getattr(new, k).strip() or None for k in DETAILS})))
                tx.data.update(committee=new.name.strip(), level=new.level)
            elif fill:                  # a committee stored without its 组建单位 etc.: filled in now
                tx.conn.execute(update(committee_table).where(committee_table.c.id == cid).values(**fill))
                tx.data["committee_filled"] = fill
            mid = inserted_id(tx.conn.execute(insert(meeting).values(
                committee_id=cid, year=plan.year, title=plan.title, place=plan.place,
                plan_filed=plan.plan_filed, meeting_date=plan.meeting_date,
                reduced_panel_approved=plan.reduced_panel_approved,
                caps=stored_caps(plan.caps), fees=dict(plan.fees),
                supervisor=plan.supervisor.strip() or None, secretary=actor,
                current_step=1, quorum=quorum_text(plan.quorum),
                plan_filing_number=plan.plan_filing_number.strip() or None,
                publicity_where=plan.publicity_where.strip() or None,
                objection_contact=plan.objection_contact.strip() or None,
                objection_phone=plan.objection_phone.strip() or None,
                secretary_unit=plan.secretary_unit.strip() or None,
                supervisor_unit=plan.supervisor_unit.strip() or None)))
            store_days(tx.conn, int(mid), plan.days)
            tx.conn.execute(insert(rubric_item), [
                {"meeting_id": mid, "position": i, "name": n, "max_points": p}
                for i, (n, p) in enumerate(plan.rubric, 1)])
            if plan.quotas:
                tx.conn.execute(insert(quota), [{"meeting_id": mid, "key": k, **quota_values(k, v)}
                                                for k, v in plan.quotas.items()])
            tx.conn.execute(insert(step_state), [{"meeting_id": mid, "step": int(s), "done": False}
                                                 for s in Step])
            tx.meeting_id = int(mid)
            tx.data.update(committee_id=cid, committee_created=new is not None, meeting_id=mid,
                           secretary=actor, supervisor=plan.supervisor.strip())
        assert cid is not None
        return OpenedMeeting(int(cid), int(mid), new is not None)

    def set_staff(self, actor: str, meeting_id: int, *, supervisor: str, secretary: str,
                  supervisor_unit: str | None = None, secretary_unit: str | None = None) -> None:
        """Name the supervisor (纪检监察) and the secretary (办事机构工作人员), each with their unit in
        a field of its own (the papers print unit and name apart); a unit given as None is kept."""
        if not supervisor.strip():
            raise fail("meeting.supervisor", bi("the supervisor (纪检监察) must be named", "须填写纪检监察人员"))
        units = {k: (v.strip() or None) for k, v in (("supervisor_unit", supervisor_unit),
                                                      ("secretary_unit", secretary_unit)) if v is not None}
        with self.store.write(actor, "meeting.staff", meeting_id, supervisor=supervisor,
                              secretary=secretary, **units) as tx:
            meeting_row(tx.conn, meeting_id)
            tx.conn.execute(update(meeting).where(meeting.c.id == meeting_id).values(
                supervisor=supervisor.strip(), secretary=secretary.strip(), **units))

    # -- candidates -------------------------------------------------------------
    def add_candidates(self, actor: str, meeting_id: int, rows: Sequence[CandidateInput]) -> int:
        """Add candidates all-or-nothing; each problem names its row, field and rule."""
        with self.store.read() as conn:
            meeting_row(conn, meeting_id)
            rules = roster_rules(conn, meeting_id)
            existing = set(conn.execute(select(candidate.c.code).where(
                candidate.c.meeting_id == meeting_id)).scalars())
        problems: list[Violation] = []
        seen: set[str] = set()
        for i, c in enumerate(rows, 1):
            where, zh = f"row {i} ({c.code or '?'})", f"第{i}行（{c.code or '?'}）"
            if c.code in existing or c.code in seen:
                problems.append(Violation("candidate.duplicate", bi(f"{where}: code {c.code!r} is used twice",
                                                                    f"{zh}：编号“{c.code}”重复"), row=i, field="code"))
            seen.add(c.code)
            problems += candidate_problems(c, where, rules)
        if problems:
            raise RuleViolation(problems)
        with self.store.write(actor, "candidate.add", meeting_id, count=len(rows),
                              codes=[c.code for c in rows]) as tx:
            require_step(tx.conn, meeting_id, Step.PREPARATORY)   # the agenda is fixed at step 1
            if rows:
                tx.conn.execute(insert(candidate), [{"meeting_id": meeting_id, **candidate_values(c)}
                                                    for c in rows])
        return len(rows)

    # -- the expert pool and the draw ----------------------------------------------
    def add_pool(self, actor: str, committee_id: int, experts: Sequence[PoolExpert]) -> int:
        """Add experts to the committee's pool (评审专家库), all or nothing."""
        with self.store.read() as conn:
            if not conn.execute(select(committee_table.c.id).where(committee_table.c.id == committee_id)).first():
                raise fail("committee.unknown", bi(f"no committee with id {committee_id}",
                                                   f"没有编号为{committee_id}的评委会"))
            existing = set(conn.execute(select(pool_expert.c.code).where(
                pool_expert.c.committee_id == committee_id)).scalars())
        problems: list[Violation] = []
        seen: set[str] = set()
        for i, e in enumerate(experts, 1):
            where, zh = f"row {i} ({e.id or '?'})", f"第{i}行（{e.id or '?'}）"
            if e.id in existing or e.id in seen:
                problems.append(Violation("expert.duplicate", bi(f"{where}: pool code {e.id!r} is used twice",
                                                                 f"{zh}：专家编号“{e.id}”重复"), row=i, field="code"))
            seen.add(e.id)
            problems += pool_problems(e, where)
        if problems:
            raise RuleViolation(problems)
        if not experts:
            return 0
        with self.store.write(actor, "pool.add", None, committee_id=committee_id,
                              count=len(experts)) as tx:
            tx.conn.execute(insert(pool_expert), [{
                "committee_id": committee_id, "code": e.id, "name": e.name, "unit": e.unit,
                "specialty": e.specialty, "title": e.title, "title_years": e.title_years,
                "served": sorted(e.served), "blacklisted": e.blacklisted,
                "conflict_units": sorted(e.conflict_units),
                **{k: pool_values(e)[k] for k in ("phone", "category")}} for e in experts])
        return len(experts)

    def run_draw(self, actor: str, meeting_id: int, *, witness: str, needs: Mapping[str, int],
                 alternates: int = 0, seed: str | None = None) -> dict[str, Any]:
        """The witnessed random draw (随机抽取); the drawn experts join the panel. It runs once;
        :meth:`redraw` runs it again with a written reason, keeping this one in the record."""
        need_witness(witness)
        with self.store.read() as conn:
            if conn.execute(select(draw.c.seed).where(draw.c.meeting_id == meeting_id)).first():
                raise fail("draw.done", bi("this meeting's panel has already been drawn; re-run the draw "
                                           "with a written reason to draw it again",
                                           "本次会议已抽取评委；如需重新抽取，须书面说明理由"))
            inputs = draw_inputs(conn, meeting_id)
        result = checked_draw(inputs, needs, alternates, seed)
        with self.store.write(actor, "draw.run", meeting_id, witness=witness, seed=result.seed,
                              pool_sha256=result.pool_sha256, drawn=result.drawn,
                              alternates=result.alternates) as tx:
            require_step(tx.conn, meeting_id, Step.PREPARATORY)
            store_draw(tx.conn, meeting_id, inputs, result, witness, needs, self.clock())
        return draw_json(result)

    def add_members(self, actor: str, meeting_id: int, rows: Sequence[MemberInput]) -> None:
        """Add presiding members (chair, vice-chair) or experts seated without a draw record."""
        with self.store.write(actor, "panel.add", meeting_id,
                              members=[(r.code, r.role.value) for r in rows]) as tx:
            require_step(tx.conn, meeting_id, Step.PREPARATORY)   # the panel is announced at step 1
            for r in rows:
                if tx.conn.execute(select(member.c.id).where(
                        member.c.meeting_id == meeting_id, member.c.code == r.code)).first():
                    raise fail("expert.duplicate", bi(f"{r.code} is already on this meeting's panel",
                                                      f"{r.code}已在本次会议的评委名单中"))
            tx.conn.execute(insert(member), [{
                "meeting_id": meeting_id, "code": r.code, "name": r.name, "unit": r.unit,
                "title": r.title, "role": r.role.value, "group_code": r.group,
                "declared_conflicts": []} for r in rows])

    def set_groups(self, actor: str, meeting_id: int, groups: Mapping[str, Sequence[str]]) -> None:
        """Seat the experts in discipline groups (评议组). A group's leader (组长) seated in another
        group leaves the leadership behind: the chair chooses that group's leader again."""
        with self.store.write(actor, "panel.groups", meeting_id, groups=dict(groups)) as tx:
            require_step(tx.conn, meeting_id, Step.PREPARATORY)
            stepped_down: list[str] = []
            for group, codes in groups.items():
                for code in codes:
                    row = member_row(tx.conn, meeting_id, code)
                    if Role(row.role).presides:
                        raise fail("panel.role", bi(f"{row.name} presides and sits in no group",
                                                    f"{row.name}是主任委员或副主任委员，主持会议，不分入评议组"),
                                   ref="X§8")
                    moved = row.group_code != group
                    if moved and row.leader:
                        stepped_down.append(row.code)
                    tx.conn.execute(update(member).where(member.c.id == row.id).values(
                        group_code=group, leader=bool(row.leader) and not moved))
            if stepped_down:
                tx.data["leaders_stepped_down"] = stepped_down

    def check_in(self, actor: str, meeting_id: int, code: str) -> None:
        """A panel member arrives (签到) — the preparatory meeting begins, so only once the setup is complete."""
        with self.store.write(actor, "panel.check_in", meeting_id, member=code) as tx:
            require_setup(tx.conn, meeting_id)
            row = member_row(tx.conn, meeting_id, code)
            if row.checked_in:
                raise fail("panel.checked_in", bi(f"{row.name} has already checked in", f"{row.name}已签到"))
            tx.conn.execute(update(member).where(member.c.id == row.id).values(checked_in=True))

    def record_departure(self, actor: str, meeting_id: int, member_code: str, reason: str) -> None:
        """An expert leaves during the meeting (中途离会): from now on they neither review nor vote —
        their terminal code is revoked in the same transaction and the roll refuses their ballot
        (see :mod:`app.services.voting`)."""
        if not reason.strip():
            raise fail("panel.departure_reason", bi("a departure needs its reason", "离会须写明原因"))
        with self.store.write(actor, "panel.depart", meeting_id, member=member_code, reason=reason.strip()) as tx:
            row = member_row(tx.conn, meeting_id, member_code)
            if not row.checked_in:
                raise fail("panel.not_present", bi(f"{row.name} has not checked in",
                                                   f"{row.name}尚未签到"))
            if row.departed:
                raise fail("panel.departed", bi(f"{row.name} has already left", f"{row.name}已登记离会"))
            tx.conn.execute(update(member).where(member.c.id == row.id).values(departed=True))
            revoked = tx.conn.execute(update(terminal_code).where(    # their terminal code, at once
                terminal_code.c.meeting_id == meeting_id, terminal_code.c.member_id == row.id).values(
                status="revoked")).rowcount
            tx.data["code_revoked"] = bool(revoked)

    def declare_conflict(self, actor: str, meeting_id: int, member_code: str,
                         candidate_code: str, reason: str) -> None:
        """An expert declares a conflict (回避) with a candidate.

        Declared after they acted for the candidate — scored, reviewed as primary reviewer (主审评委),
        set or checked a question — what they did is undone in the same transaction (X§10(三): an
        expert with a conflict never reviews, scores or questions that candidate): their scores are
        deleted, the assignment is lifted, the questions they set are removed and the ones they
        checked lose their check. The audit event carries everything removed (``removed``). The
        candidate's review is thereby open again: step 3's gate lists the candidate as without a
        primary reviewer, then as not scored, until another expert reviews and scores. Once step 3
        is finished that cannot happen silently: the declaration is refused (``conflict.after_review``)
        until the chair reopens step 3 with a written reason (:meth:`ProcedureService.reopen`)."""
        if not reason.strip():
            raise fail("conflict.reason", bi("a declared conflict needs a reason", "申报回避须写明理由"))
        with self.store.write(actor, "conflict.declare", meeting_id, member=member_code,
                              candidate=candidate_code, reason=reason) as tx:
            row = member_row(tx.conn, meeting_id, member_code)
            cand = candidate_row(tx.conn, meeting_id, candidate_code)
            declared = sorted({*row.declared_conflicts, candidate_code})
            tx.conn.execute(update(member).where(member.c.id == row.id).values(
                declared_conflicts=declared))
            removed = _undo_review(tx.conn, meeting_id, row, cand)
            if removed:
                tx.data["removed"] = removed


def _same_committee(conn: Connection, c: CommitteeInput) -> tuple[int | None, list[Violation], dict[str, str]]:
    """The id of a stored committee with exactly these details (None: a new one), the
    problems of ``c`` as a new committee, and the 组建单位, 办事机构 and HR department to fill in
    where the stored committee has none (a committee stored with other ones is refused: its
    details are corrected on their own, with a reason)."""
    problems: list[Violation] = []
    if not c.name.strip() or not c.field.strip():
        problems.append(Violation("format.missing_field", bi("a committee needs its name and its series or specialty",
                                                             "评委会须写明名称及所评系列或专业")))
    if c.level not in ("senior", "intermediate", "junior"):
        problems.append(Violation("format.value", bi(f"committee level must be senior, intermediate or junior; "
                                                     f"got {c.level!r}",
                                                     f"评委会级别须为高级、中级或初级，现为“{c.level}”"),
                                  field="level"))
    if c.organized_by not in ("series", "specialty"):
        problems.append(Violation("format.value", bi(f"a committee is organised by series or specialty; "
                                                     f"got {c.organized_by!r}",
                                                     f"评委会须按系列或按专业组建，现为“{c.organized_by}”"),
                                  field="organized_by", ref="X§8"))
    row = conn.execute(select(committee_table).where(committee_table.c.name == c.name.strip())).first()
    if row is None:
        return None, problems, {}
    same = (row.level, row.organized_by, row.field, row.filing_date, row.filing_number or "") == (
        c.level, c.organized_by, c.field.strip(), c.filing_date, c.filing_number.strip())
    if not same:
        problems.append(Violation("committee.duplicate", bi(
            f"a committee named {c.name.strip()!r} already exists with other details (level, series or "
            "specialty, filing); choose it, or give the new committee another name",
            f"已有名为“{c.name.strip()}”的评委会，但级别、系列专业或备案信息不同；请选用该评委会，或为新评委会另起名称")))
    fill: dict[str, str] = {}
    for key, (en, zh) in DETAILS.items():
        given, stored = getattr(c, key).strip(), (getattr(row, key) or "").strip()
        if given and not stored:
            fill[key] = given
        elif given and given != stored:
            problems.append(Violation("committee.details_differ", bi(
                f"the committee {c.name.strip()!r} is stored with {en} {stored!r}, not {given!r}: correct the "
                "committee's details (with a reason) rather than opening a meeting with other ones",
                f"评委会“{c.name.strip()}”已登记的{zh}为“{stored}”，与“{given}”不同；如需更改，请先更正评委会信息并说明理由"),
                field=key))
    return row.id, problems, fill


def _undo_review(conn: Connection, meeting_id: int, expert: Row[Any], cand: Row[Any]) -> dict[str, Any]:
    """Undo what ``expert`` did for ``cand`` (see :meth:`SetupService.declare_conflict`); returns what
    was removed, for the audit event — empty when they had done nothing for the candidate."""
    points = {name: pts for name, pts in conn.execute(
        select(rubric_item.c.name, score.c.points).join(score, score.c.item_id == rubric_item.c.id)
        .where(score.c.candidate_id == cand.id, score.c.member_id == expert.id))}
    set_q = conn.execute(select(question).where(question.c.candidate_id == cand.id,
                                                question.c.setter_id == expert.id)).all()
    checked = conn.execute(select(question.c.id).where(question.c.candidate_id == cand.id,
                                                       question.c.reviewer_id == expert.id)).scalars().all()
    reviewer = cand.reviewer_id == expert.id
    if not (points or set_q or checked or reviewer):
        return {}
    done = conn.execute(select(step_state.c.done).where(
        step_state.c.meeting_id == meeting_id, step_state.c.step == int(Step.PRIMARY_REVIEW))).scalar()
    if done:
        raise fail("conflict.after_review", bi(
            f"{expert.name} already acted for candidate {cand.code} in the primary review, which is finished: "
            "the chair reopens step 3 (with a written reason) so another expert reviews, then the conflict "
            "is declared", f"{expert.name}已参与申报人{cand.code}的分工初评，而第3步已完成：须由主任委员书面说明"
            "理由重新开启第3步，由其他评委重新评审后，再申报回避"), ref="X§10(三)")
    removed: dict[str, Any] = {}
    if points:
        conn.execute(delete(score).where(score.c.candidate_id == cand.id, score.c.member_id == expert.id))
        removed["scores"] = points
    if reviewer:
        conn.execute(update(candidate).where(candidate.c.id == cand.id).values(reviewer_id=None))
        removed["primary_reviewer"] = expert.code
    if set_q:
        conn.execute(delete(question).where(question.c.id.in_([q.id for q in set_q])))
        removed["questions"] = [{"id": q.id, "text": q.text, "answer": q.answer} for q in set_q]
    if checked:
        conn.execute(update(question).where(question.c.id.in_(checked)).values(reviewer_id=None))
        removed["question_checks"] = list(checked)
    return removed
