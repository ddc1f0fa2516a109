"""The committee's expert pool (评审专家库): the checks of one expert, corrections, and the HR
department's approval of 资深中级 experts.

A pool expert can be corrected or removed, each with a written reason, and added one at a time,
until the preparatory meeting (step 1) of the meeting at hand is finished; a corrected pool file
can be imported again (:meth:`PoolCorrections.update_pool`: the experts already in the pool are
corrected, the others added, with one reason). An expert who sits on
the drawn panel is corrected there too (name, unit, title); whether the draw would still draw
them is the setup gate's question (:func:`app.services.drawing.drawn_panel_problems`).

资深中级 (X§6): the pool template asks for a senior intermediate-titled expert to be entered
as 中级; such an expert may serve only with the approval of the HR department (人力资源和社会保障
部门同意), and they are at most 1/4 of the pool. :meth:`PoolCorrections.approve_senior_intermediate`
records the approval (its reference, e.g. the approval's document number) for one expert,
refusing it beyond the quarter; the draw then accepts approved 中级 experts and refuses while
any 中级 expert lacks an approval — which the pool tab now lets the secretary record, or the
expert be removed.

Each expert may also carry a telephone (联系电话, to notify the drawn) and the honoraria category
(专家类别: 全国知名专家 / 正高 / 副高 / 其他, X§19) — both optional, since old pool files have
neither; the honoraria sheet then says the category is missing rather than reading it off the
title. Neither is part of the draw (:meth:`PoolExpert.canonical`). A correction or a re-import
that does not give them (``None``: a pool file without these columns) keeps what is stored; an
empty text clears it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from app.domain import Role, Step
from app.errors import RuleViolation, Violation
from app.rules.committee import senior_intermediate_allowed
from app.rules.draw import PoolExpert
from app.rules.fees import CATEGORY_NAMES, category_name
from app.rules.phone import normal_phone, phone_problem
from app.services.base import Store, fail, meeting_row, require_step, written_reason
from app.services.roster import where_zh
from app.storage.schema import member, pool_expert
from app.text import bi

POOL_TITLES = ("正高", "副高", "中级")


def pool_problems(e: PoolExpert, where: str) -> list[Violation]:
    """Every problem of one pool expert (duplicates aside); each message starts with ``where``."""
    problems: list[Violation] = []
    zh = where_zh(where)
    if not e.id.strip() or not e.name.strip() or not e.unit.strip() or not e.specialty.strip():
        problems.append(Violation("format.missing_field",
                                  bi(f"{where}: code, name, unit and specialty are required",
                                     f"{zh}：编号、姓名、工作单位和专业必须填写")))
    if e.title not in POOL_TITLES:
        problems.append(Violation("format.value", bi(f"{where}: title must be 正高, 副高 or 中级; got {e.title!r}",
                                                     f"{zh}：职称须为正高、副高或中级，现为“{e.title}”"),
                                  field="title"))
    if e.title_years < 0:
        problems.append(Violation("format.value", bi(f"{where}: years in title cannot be negative",
                                                     f"{zh}：任职年限不能为负数"), field="title_years"))
    if e.phone and e.phone.strip() and (bad := phone_problem(e.phone)) is not None:
        problems.append(Violation("format.value", bi(f"{where}: phone {bad}", f"{zh}：联系电话{bad.zh}"),
                                  field="phone"))
    if e.category and e.category.strip() and category_name(e.category) is None:
        names = "、".join(CATEGORY_NAMES)
        problems.append(Violation("format.value", bi(
            f"{where}: the category (专家类别) must be one of {', '.join(CATEGORY_NAMES)}; got {e.category!r}",
            f"{zh}：专家类别须为{names}之一，现为“{e.category}”"), field="category", ref="X§19"))
    return problems


def pool_values(e: PoolExpert) -> dict[str, Any]:
    """The expert's columns as stored (the category by its short Chinese name, :data:`CATEGORY_NAMES`)."""
    return {"name": e.name.strip(), "unit": e.unit.strip(), "specialty": e.specialty.strip(), "title": e.title,
            "title_years": int(e.title_years), "served": sorted(set(e.served)), "blacklisted": bool(e.blacklisted),
            "conflict_units": sorted({u.strip() for u in e.conflict_units if u.strip()}),
            "phone": normal_phone(e.phone) or None if e.phone else None, "category": category_name(e.category)}


class PoolCorrections:
    """Corrections of the pool; a part of :class:`~app.services.setup.SetupService`."""

    store: Store

    def edit_pool_expert(self, actor: str, meeting_id: int, expert: PoolExpert, reason: str) -> dict[str, list[Any]]:
        """Correct pool expert ``expert.id`` of this meeting's committee with a written reason; returns
        and audits what changed. A title changed away from 中级 drops a 资深中级 approval."""
        why = written_reason(reason, "pool.reason", "Correcting a pool expert", "更正专家库专家信息")
        with self.store.write(actor, "pool.edit", meeting_id, expert=expert.id, reason=why) as tx:
            conn = tx.conn
            require_step(conn, meeting_id, Step.PREPARATORY)
            old = _pool_row(conn, meeting_id, expert.id)
            problems = pool_problems(expert, f"expert {expert.id}")
            if problems:
                raise RuleViolation(problems)
            changed = _apply(conn, meeting_id, old, expert)
            if not changed:
                raise fail("pool.unchanged", bi(f"nothing was changed for expert {expert.id}",
                                                f"专家{expert.id}的信息没有任何更改"))
            tx.data["changed"] = changed
        return changed

    def update_pool(self, actor: str, meeting_id: int, experts: Sequence[PoolExpert], reason: str) -> tuple[int, int]:
        """Re-import: the experts of a corrected pool file, all or nothing, with a written reason —
        those already in the pool are corrected (as :meth:`edit_pool_expert` does), the others added.
        Returns (corrected, added); the audit names what changed for each expert."""
        why = written_reason(reason, "pool.reason", "Updating the pool from a file", "按文件更新专家库")
        problems: list[Violation] = []
        seen: set[str] = set()
        for i, e in enumerate(experts, 1):
            where = f"row {i} ({e.id or '?'})"
            if e.id in seen:
                problems.append(Violation("expert.duplicate", bi(f"{where}: pool code {e.id!r} is used twice",
                                                                 f"{where_zh(where)}：专家编号“{e.id}”重复"),
                                          field="code"))
            seen.add(e.id)
            problems += pool_problems(e, where)
        if problems:
            raise RuleViolation(problems)
        with self.store.write(actor, "pool.update", meeting_id, reason=why, count=len(experts)) as tx:
            conn = tx.conn
            require_step(conn, meeting_id, Step.PREPARATORY)
            committee_id = meeting_row(conn, meeting_id).committee_id
            stored = {r.code: r for r in conn.execute(select(pool_expert).where(
                pool_expert.c.committee_id == committee_id))}
            corrected: dict[str, dict[str, list[Any]]] = {}
            added = [e for e in experts if e.id not in stored]
            for e in experts:
                if e.id in stored and (changed := _apply(conn, meeting_id, stored[e.id], e)):
                    corrected[e.id] = changed
            if added:
                conn.execute(insert(pool_expert), [{"committee_id": committee_id, "code": e.id.strip(),
                                                    **pool_values(e)} for e in added])
            if not corrected and not added:
                raise fail("pool.unchanged", bi("the file holds the pool as it is: nothing to update",
                                                "文件内容与专家库一致，没有需要更新的内容"))
            tx.data.update(corrected=corrected, added=[e.id for e in added])
        return len(corrected), len(added)

    def remove_pool_expert(self, actor: str, meeting_id: int, code: str, reason: str) -> None:
        """Remove an expert from this meeting's committee's pool, with a written reason. An expert on the
        drawn panel stays there until the draw is re-run (the setup gate says so)."""
        why = written_reason(reason, "pool.reason", "Removing a pool expert", "移出专家库")
        with self.store.write(actor, "pool.remove", meeting_id, expert=code, reason=why) as tx:
            conn = tx.conn
            require_step(conn, meeting_id, Step.PREPARATORY)
            old = _pool_row(conn, meeting_id, code)
            conn.execute(delete(pool_expert).where(pool_expert.c.id == old.id))
            tx.data.update(name=old.name, unit=old.unit, specialty=old.specialty, title=old.title,
                           hr_approval=old.hr_approval)

    def approve_senior_intermediate(self, actor: str, meeting_id: int, code: str, approval: str) -> None:
        """Record the HR department's approval (人社部门批准) of 中级 expert ``code`` as 资深中级; ``approval``
        names it (e.g. its document number). Refused for an expert who is not 中级, and beyond 1/4 of
        the pool (X§6)."""
        reference = approval.strip()
        if not reference:
            raise fail("pool.approval", bi("name the HR department's approval (e.g. its document number)",
                                           "请填写人力资源和社会保障部门的批准文件（如批准文号）"))
        with self.store.write(actor, "pool.approve_senior_intermediate", meeting_id, expert=code,
                              approval=reference) as tx:
            conn = tx.conn
            require_step(conn, meeting_id, Step.PREPARATORY)
            row = _pool_row(conn, meeting_id, code)
            if row.title != "中级":
                raise fail("pool.approval", bi(f"{code} {row.name} holds {row.title}: only a 中级 expert needs the "
                                               "资深中级 approval", f"{code} {row.name}为{row.title}职称，"
                                               "只有中级职称专家才需资深中级批准"))
            if row.hr_approval == reference:
                raise fail("pool.approval", bi(f"this approval is already recorded for {code} {row.name}",
                                               f"{code} {row.name}的批准文件已登记"))
            total = int(conn.execute(select(func.count()).select_from(pool_expert).where(
                pool_expert.c.committee_id == row.committee_id)).scalar_one())
            approved = int(conn.execute(select(func.count()).select_from(pool_expert).where(
                pool_expert.c.committee_id == row.committee_id, pool_expert.c.title == "中级",
                pool_expert.c.hr_approval.is_not(None), pool_expert.c.id != row.id)).scalar_one()) + 1
            allowed = senior_intermediate_allowed(total)
            if approved > allowed:
                raise fail("pool.senior_intermediate", bi(
                    f"the pool holds {total} experts: at most {allowed} may be 资深中级 (1/4, X§6); "
                    f"approving {code} would make {approved}",
                    f"专家库共{total}人，资深中级不得超过{allowed}人（1/4，X§6），批准{code}后将达{approved}人"))
            conn.execute(update(pool_expert).where(pool_expert.c.id == row.id).values(hr_approval=reference))
            tx.data.update(name=row.name, previous=row.hr_approval)


def _apply(conn: Connection, meeting_id: int, old: Row[Any], expert: PoolExpert) -> dict[str, list[Any]]:
    """Write what differs between stored ``old`` and ``expert`` — in the pool, and on this meeting's
    panel when the expert sits on it — and return it as ``{column: [old, new]}``. A title changed
    away from 中级 drops a 资深中级 approval. A phone or category of ``None`` is not given and stays as
    stored (an old pool file imported again has no such columns); an empty one clears it."""
    new = pool_values(expert)
    for name in ("phone", "category"):      # None: not given (a pool file without the column) — kept as stored
        if getattr(expert, name) is None:
            del new[name]
    if old.hr_approval and new["title"] != "中级":
        new["hr_approval"] = None
    changed = {k: [getattr(old, k), v] for k, v in new.items() if getattr(old, k) != v}
    if changed:
        conn.execute(update(pool_expert).where(pool_expert.c.id == old.id).values(**{k: new[k] for k in changed}))
    seat = {k: new[k] for k in ("name", "unit", "title") if k in changed}
    if seat:
        conn.execute(update(member).where(member.c.meeting_id == meeting_id, member.c.code == expert.id,
                                          member.c.role == Role.EXPERT.value).values(**seat))
    return changed


def _pool_row(conn: Connection, meeting_id: int, code: str) -> Row[Any]:
    m = meeting_row(conn, meeting_id)
    row = conn.execute(select(pool_expert).where(pool_expert.c.committee_id == m.committee_id,
                                                 pool_expert.c.code == code)).first()
    if row is None:
        raise fail("expert.unknown", bi(f"no expert {code!r} in this committee's pool",
                                        f"本评委会专家库中没有专家{code}"))
    return row
