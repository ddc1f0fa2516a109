"""The witnessed draw as the services store it, and its re-run (重新抽取) with a written reason.

:meth:`SetupService.run_draw` draws the panel once; :meth:`DrawCorrections.redraw` draws it
again — until step 1 is finished, with a written reason, witnessed like the first. The earlier
draw is never overwritten: it moves to ``draw_history`` with who replaced it and why (the draw
tab lists it and the minutes print it), and the experts it seated leave the panel.

A drawn panel can also go stale without a re-draw: a candidate added, or a candidate's unit
corrected, so that a drawn expert now meets a candidate's unit; a pool expert edited onto the
blacklist, or removed from the pool. :func:`drawn_panel_problems` lists each such expert for
the setup gate (:func:`app.services.procedure.setup_missing`), so step 1 cannot begin — nor
finish — with a panel the draw would not have drawn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, or_, select

from app.domain import Role, Step
from app.errors import RuleViolation
from app.rules.committee import PoolMember, check_pool
from app.rules.draw import DrawResult, PoolExpert, draw_panel, exclusion_rules
from app.services.base import Store, fail, meeting_row, require_step, written_reason
from app.storage.schema import (
    ballot_round,
    candidate,
    draw,
    draw_history,
    member,
    pool_expert,
    question,
    score,
    terminal_code,
    voter_roll,
)
from app.storage.schema import committee as committee_table
from app.text import Bilingual, bi

_RULE_NAMES = {"draw.consecutive_years": ("served in both of the two previous years", "已连续两个年度担任本评委会评委"),
               "draw.blacklist": ("on the integrity blacklist", "列入失信黑名单"),
               "draw.conflict": ("same unit as a candidate, or a conflict unit", "与申报人同一单位或属其回避单位")}


@dataclass(frozen=True)
class DrawInputs:
    """What a draw reads: the meeting, the committee's pool and level, the candidates' units."""

    meeting: Row[Any]
    pool: list[PoolExpert]
    level: str
    units: list[str]
    approved: frozenset[str]          # 中级 experts with the HR department's 资深中级 approval


def pool_expert_of(row: Row[Any]) -> PoolExpert:
    return PoolExpert(id=row.code, name=row.name, unit=row.unit, specialty=row.specialty,
                      title=row.title, title_years=row.title_years, served=tuple(row.served),
                      blacklisted=row.blacklisted, conflict_units=tuple(row.conflict_units))


def draw_inputs(conn: Connection, meeting_id: int) -> DrawInputs:
    m = meeting_row(conn, meeting_id)
    rows = conn.execute(select(pool_expert).where(
        pool_expert.c.committee_id == m.committee_id).order_by(pool_expert.c.code)).all()
    level = conn.execute(select(committee_table.c.level).where(
        committee_table.c.id == m.committee_id)).scalar_one()
    units = sorted(set(conn.execute(select(candidate.c.unit).where(
        candidate.c.meeting_id == meeting_id)).scalars()))
    return DrawInputs(m, [pool_expert_of(r) for r in rows], level, units,
                      frozenset(r.code for r in rows if r.hr_approval))


def checked_draw(inputs: DrawInputs, needs: Mapping[str, int], alternates: int,
                 seed: str | None) -> DrawResult:
    """The pool rules (X§6, 资深中级 approvals per expert), then the draw itself."""
    qualification = check_pool(
        [PoolMember(e.id, e.name, e.title, e.title_years, approved=e.id in inputs.approved)
         for e in inputs.pool], level=inputs.level, on=inputs.meeting.meeting_date)
    if qualification:
        raise RuleViolation(qualification)
    return draw_panel(inputs.pool, needs, alternates=alternates, candidate_units=inputs.units,
                      year=inputs.meeting.year, level=inputs.level, seed=seed)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def store_draw(conn: Connection, meeting_id: int, inputs: DrawInputs, result: DrawResult, witness: str,
               needs: Mapping[str, int], at: dt.datetime | None = None) -> None:
    """The draw record, with the time it ran (``at``, default now; stored in UTC), and its drawn
    experts on the panel."""
    conn.execute(insert(draw).values(
        meeting_id=meeting_id, seed=result.seed, pool_sha256=result.pool_sha256,
        witness=witness.strip(), needs=dict(needs), drawn=result.drawn, alternates=result.alternates,
        excluded=[x.as_json() for x in result.excluded],
        drawn_at=(at or utc_now()).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")))
    by_code = {e.id: e for e in inputs.pool}
    rows = [by_code[code] for codes in result.drawn.values() for code in codes]
    conn.execute(insert(member), [{
        "meeting_id": meeting_id, "code": e.id, "name": e.name, "unit": e.unit, "title": e.title,
        "role": Role.EXPERT.value, "group_code": None, "declared_conflicts": []} for e in rows])


def draw_json(result: DrawResult) -> dict[str, Any]:
    return {"seed": result.seed, "pool_sha256": result.pool_sha256, "drawn": result.drawn,
            "alternates": result.alternates, "excluded": [x.as_json() for x in result.excluded]}


def need_witness(witness: str) -> None:
    if not witness.strip():
        raise fail("draw.witness", bi("the draw must be witnessed: name the supervisor (纪检监察)",
                                      "抽取须有纪检监察人员现场监督，请填写监督人"))


def drawn_panel_problems(conn: Connection, meeting_id: int) -> list[Bilingual]:
    """Drawn experts on the panel whom the draw would not draw now (removed from the pool, or
    excluded by a rule after a correction): each means the draw must be re-run."""
    record = conn.execute(select(draw).where(draw.c.meeting_id == meeting_id)).first()
    if record is None:
        return []
    inputs = draw_inputs(conn, meeting_id)
    pool = {e.id: e for e in inputs.pool}
    seated = set(conn.execute(select(member.c.code).where(
        member.c.meeting_id == meeting_id, member.c.role == Role.EXPERT.value)).scalars())
    out: list[Bilingual] = []
    for code in (c for codes in record.drawn.values() for c in codes):
        if code not in seated:
            continue
        expert = pool.get(code)
        if expert is None:
            out.append(bi(f"Drawn expert {code} is no longer in the expert pool: re-run the draw (with a "
                          "written reason)", f"抽取的评委{code}已不在专家库中：请书面说明理由后重新抽取"))
            continue
        rules = exclusion_rules(expert, inputs.meeting.year, inputs.units)
        if rules:
            en = "; ".join(_RULE_NAMES.get(r, (r, r))[0] for r in rules)
            zh = "；".join(_RULE_NAMES.get(r, (r, r))[1] for r in rules)
            out.append(bi(f"Drawn expert {code} {expert.name} may no longer be drawn ({en}): re-run the draw "
                          "(with a written reason)",
                          f"抽取的评委{code} {expert.name}现已不得抽取（{zh}）：请书面说明理由后重新抽取"))
    return out


class DrawCorrections:
    """The re-run of the draw; a part of :class:`~app.services.setup.SetupService`."""

    store: Store
    clock: Callable[[], dt.datetime]     # the time a draw records it ran

    def redraw(self, actor: str, meeting_id: int, *, reason: str, witness: str, needs: Mapping[str, int],
               alternates: int = 0, seed: str | None = None) -> dict[str, Any]:
        """Draw the panel again, witnessed, with a written reason; the earlier draw is kept in
        ``draw_history`` and the experts it seated leave the panel (their check-in, groups and
        declared conflicts with them). Refused once step 1 is finished, and refused while a drawn
        expert has reviewed, scored, set a question or voted (after a reopen of step 1)."""
        why = written_reason(reason, "draw.reason", "Re-running the draw", "重新抽取评委")
        need_witness(witness)
        with self.store.read() as conn:
            inputs = draw_inputs(conn, meeting_id)
        result = checked_draw(inputs, needs, alternates, seed)
        with self.store.write(actor, "draw.rerun", meeting_id, reason=why, witness=witness.strip(),
                              seed=result.seed, pool_sha256=result.pool_sha256, drawn=result.drawn,
                              alternates=result.alternates) as tx:
            conn = tx.conn
            require_step(conn, meeting_id, Step.PREPARATORY)
            old = conn.execute(select(draw).where(draw.c.meeting_id == meeting_id)).first()
            if old is None:
                raise fail("draw.none", bi("the panel has not been drawn yet: run the draw",
                                           "尚未抽取评委，请先进行抽取"))
            if draw_inputs(conn, meeting_id) != inputs:
                raise fail("draw.changed", bi("the pool or the candidates changed during the draw; draw again",
                                              "抽取过程中专家库或申报人发生变化，请重新抽取"))
            codes = [c for cs in old.drawn.values() for c in cs]
            leaving = conn.execute(select(member).where(
                member.c.meeting_id == meeting_id, member.c.role == Role.EXPERT.value,
                member.c.code.in_(codes))).all()
            _refuse_if_worked(conn, meeting_id, leaving)
            number = int(conn.execute(select(func.count()).select_from(draw_history).where(
                draw_history.c.meeting_id == meeting_id)).scalar_one()) + 1
            conn.execute(insert(draw_history).values(
                meeting_id=meeting_id, number=number, seed=old.seed, pool_sha256=old.pool_sha256,
                witness=old.witness, needs=old.needs, drawn=old.drawn, alternates=old.alternates,
                excluded=old.excluded, replaced_by=actor.strip(), reason=why, drawn_at=old.drawn_at))
            ids = [r.id for r in leaving]
            if ids:
                conn.execute(delete(terminal_code).where(terminal_code.c.member_id.in_(ids)))
                conn.execute(delete(member).where(member.c.id.in_(ids)))
            conn.execute(delete(draw).where(draw.c.meeting_id == meeting_id))
            store_draw(conn, meeting_id, inputs, result, witness, needs, self.clock())
            tx.data.update(replaces=number, left=[{"code": r.code, "checked_in": bool(r.checked_in)}
                                                  for r in leaving])
        return draw_json(result)


def _refuse_if_worked(conn: Connection, meeting_id: int, leaving: Sequence[Row[Any]]) -> None:
    """A drawn expert who already reviewed, scored, set or reviewed a question, or is on a ballot
    round's roll, cannot leave the panel: their work would be erased."""
    ids = [r.id for r in leaving]
    if not ids:
        return
    codes = {r.code for r in leaving}
    worked = set(conn.execute(select(member.c.code).where(member.c.id.in_(ids), or_(
        member.c.id.in_(select(candidate.c.reviewer_id).where(candidate.c.reviewer_id.is_not(None))),
        member.c.id.in_(select(score.c.member_id)),
        member.c.id.in_(select(question.c.setter_id)),
        member.c.id.in_(select(question.c.reviewer_id).where(question.c.reviewer_id.is_not(None))),
        member.c.id.in_(select(voter_roll.c.member_id))))).scalars())
    for r in conn.execute(select(ballot_round.c.voters).where(ballot_round.c.meeting_id == meeting_id)):
        worked |= codes & set(r.voters)
    if worked:
        names = "、".join(sorted(worked))
        raise fail("draw.worked", bi(f"drawn experts {names} have already reviewed, scored or voted: the draw "
                                     "cannot be re-run", f"抽取的评委{names}已参与评审、评分或表决，不能重新抽取"))
