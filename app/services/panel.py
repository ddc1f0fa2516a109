"""The panel before and during the preparatory meeting: the chair and vice-chair replaced or
removed (with a written reason), the leader (组长) of each discipline group, and experts checked
in as a batch.

The chair (主任委员) and vice-chair (副主任委员) are designated, not drawn; until step 1 is
finished either can be replaced (another person, or the same person's details corrected) or
removed. Drawn experts leave the panel only by a re-draw (:meth:`DrawCorrections.redraw`).

Each discipline group has one leader, chosen by the chair among the group's experts: the leader
presides over the group's deliberation (X§10(五) 由组长主持召开会议) and presents its candidates to the
plenary (X§10(六) 由组长介绍初评和面试情况); the minutes name them. The setup is not complete while a
group has none (:func:`app.services.procedure.setup_missing`); seating an expert in another group
takes their leadership with it (:meth:`SetupService.set_groups`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, delete, select, update

from app.domain import Role, Step
from app.services.base import Store, fail, member_row, member_rows, require_step, written_reason
from app.services.batch import BatchResult, unique
from app.services.procedure import require_setup
from app.storage.schema import member, terminal_code
from app.text import bi, group_zh


@dataclass(frozen=True)
class MemberInput:
    """One person on the meeting's panel: a drawn expert, or the chair / vice-chair."""

    code: str
    name: str
    unit: str
    title: str
    role: Role = Role.EXPERT
    group: str | None = None


class PanelCorrections:
    """Presiding members replaced or removed, and check-in by batch; part of :class:`SetupService`."""

    store: Store

    def replace_presiding(self, actor: str, meeting_id: int, code: str, new: MemberInput, reason: str) -> None:
        """Put ``new`` in the place of presiding member ``code`` (a new person, or corrected details),
        with a written reason. Another person starts unchecked-in, without a signed commitment."""
        why = written_reason(reason, "panel.reason", "Replacing the chair or vice-chair", "更换主任委员或副主任委员")
        if not (new.code.strip() and new.name.strip() and new.unit.strip()):
            raise fail("format.missing_field", bi("code, name and unit are required", "编号、姓名和工作单位为必填项"))
        if not new.role.presides:
            raise fail("panel.role", bi(
                "the chair or vice-chair is replaced by a chair or vice-chair; experts are drawn",
                "主任委员、副主任委员只能由主任委员、副主任委员替换；评审专家须抽取产生"))
        with self.store.write(actor, "panel.replace", meeting_id, member=code, reason=why,
                              new={"code": new.code.strip(), "name": new.name.strip(), "unit": new.unit.strip(),
                                   "title": new.title.strip(), "role": new.role.value}) as tx:
            conn = tx.conn
            require_step(conn, meeting_id, Step.PREPARATORY)
            old = _presiding(conn, meeting_id, code)
            other = new.code.strip() != old.code
            if other and conn.execute(select(member.c.id).where(
                    member.c.meeting_id == meeting_id, member.c.code == new.code.strip())).first():
                raise fail("expert.duplicate", bi(f"{new.code.strip()} is already on this meeting's panel",
                                                  f"{new.code.strip()}已在本次会议评委名单中"))
            values: dict[str, Any] = {"code": new.code.strip(), "name": new.name.strip(), "unit": new.unit.strip(),
                                      "title": new.title.strip(), "role": new.role.value}
            if other or new.name.strip() != old.name:       # another person: their own check-in and signature
                values.update(checked_in=False, commitment_signed=False, departed=False)
                conn.execute(delete(terminal_code).where(terminal_code.c.member_id == old.id))
            conn.execute(update(member).where(member.c.id == old.id).values(**values))
            tx.data["old"] = {"code": old.code, "name": old.name, "unit": old.unit, "title": old.title,
                              "role": old.role, "checked_in": bool(old.checked_in)}

    def remove_presiding(self, actor: str, meeting_id: int, code: str, reason: str) -> None:
        """Take the chair or vice-chair off the panel, with a written reason."""
        why = written_reason(reason, "panel.reason", "Removing the chair or vice-chair", "移除主任委员或副主任委员")
        with self.store.write(actor, "panel.remove", meeting_id, member=code, reason=why) as tx:
            conn = tx.conn
            require_step(conn, meeting_id, Step.PREPARATORY)
            old = _presiding(conn, meeting_id, code)
            conn.execute(delete(terminal_code).where(terminal_code.c.member_id == old.id))
            conn.execute(delete(member).where(member.c.id == old.id))
            tx.data.update(name=old.name, role=old.role, checked_in=bool(old.checked_in))

    def set_group_leader(self, actor: str, meeting_id: int, group: str, member_code: str) -> None:
        """Make expert ``member_code`` the leader (组长) of discipline group ``group``, as the chair chose;
        a leader chosen earlier for the group steps down (one leader per group, both in the audit event).
        Until step 1 is finished, like the rest of the setup."""
        name = (group or "").strip()
        with self.store.write(actor, "panel.leader", meeting_id, group=name, member=member_code) as tx:
            conn = tx.conn
            require_step(conn, meeting_id, Step.PREPARATORY)
            row = member_row(conn, meeting_id, member_code)
            if Role(row.role).presides:
                raise fail("panel.role", bi(f"{row.name} presides over the meeting and sits in no group: a group's "
                                            "leader is one of its experts",
                                            f"{row.name}是主任委员或副主任委员，不分入评议组，不能担任组长"),
                           ref="X§10(五)")
            if row.group_code != name:
                where = (f"sits in group {row.group_code}" if row.group_code else "is not seated in any group")
                where_zh = (f"属{group_zh(row.group_code)}" if row.group_code else "尚未分入评议组")
                raise fail("panel.leader_group", bi(f"{row.name} {where}: the leader of group {name} is one of "
                                                    "that group's experts",
                                                    f"{row.name}{where_zh}，{group_zh(name)}的组长须由本组评委担任"),
                           field="group", ref="X§10(五)")
            before = conn.execute(select(member.c.code).where(
                member.c.meeting_id == meeting_id, member.c.group_code == name,
                member.c.leader.is_(True))).scalars().all()
            conn.execute(update(member).where(member.c.meeting_id == meeting_id, member.c.group_code == name)
                         .values(leader=False))
            conn.execute(update(member).where(member.c.id == row.id).values(leader=True))
            tx.data.update(name=row.name, previous=list(before))

    def check_in_many(self, actor: str, meeting_id: int, codes: Sequence[str]) -> BatchResult:
        """Check in several panel members at once (签到); those already checked in are skipped."""
        wanted = unique(codes)
        with self.store.write(actor, "panel.check_in", meeting_id, members=wanted) as tx:
            require_setup(tx.conn, meeting_id)
            rows = member_rows(tx.conn, meeting_id, wanted)
            done = tuple(r.code for r in rows if not r.checked_in)
            skipped = tuple(r.code for r in rows if r.checked_in)
            if done:
                tx.conn.execute(update(member).where(member.c.meeting_id == meeting_id,
                                                     member.c.code.in_(done)).values(checked_in=True))
            tx.data.update(members=list(done), skipped=list(skipped))
        return BatchResult(done, skipped)


def _presiding(conn: Connection, meeting_id: int, code: str) -> Row[Any]:
    row = member_row(conn, meeting_id, code)
    if not Role(row.role).presides:
        raise fail("panel.role", bi(f"{row.name} is a drawn expert: experts leave the panel only by re-running the "
                                    "draw (with a written reason)",
                                    f"{row.name}为抽取的评审专家，只能通过重新抽取（须书面说明理由）退出评委名单"))
    return row
