"""The committee's own details the papers print: its 组建单位, its 办事机构 and the HR department
it files its results with — and their correction, with a written reason.

Why they can be corrected at any step: they belong to the committee, not to one meeting's plan,
and a file made before they were recorded (schema 3 and older) has them empty — the publicity
notice (signed by the office, X§10(十)), the filing report (from the office to the HR department,
X§11) and the minutes print them, so the window lets them be filled in whenever they are missing
or wrong. Each change names who and why and is kept, old and new, in the audit trail; papers
already issued keep what they printed (the register holds them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from app.services.base import Store, fail, written_reason
from app.storage.schema import committee as committee_table
from app.text import bi

#: The details, with their names in messages (English, Chinese).
DETAILS: dict[str, tuple[str, str]] = {
    "organizer": ("organizing authority (组建单位)", "组建单位"),
    "office": ("office (办事机构)", "办事机构"),
    "hr_department": ("HR department it files with (备案机关)", "备案的人力资源和社会保障部门"),
}


@dataclass(frozen=True)
class CommitteeDetails:
    """What :meth:`CommitteeCorrections.edit_committee` sets (empty: not known)."""

    organizer: str = ""        # 组建单位, e.g. 湘西自治州人力资源和社会保障局
    office: str = ""           # 办事机构, e.g. 湘西自治州卫生健康委员会职称改革工作办公室
    hr_department: str = ""    # 人力资源和社会保障部门 the results are filed with


class CommitteeCorrections:
    """Corrections of the committee's details; a part of :class:`~app.services.setup.SetupService`."""

    store: Store

    def edit_committee(self, actor: str, committee_id: int, details: CommitteeDetails,
                       reason: str) -> dict[str, list[Any]]:
        """Fill in or correct the committee's 组建单位, 办事机构 and HR department, with a written
        reason; returns (and audits) what changed as ``{field: [old, new]}``."""
        why = written_reason(reason, "committee.reason", "Correcting the committee's details", "更正评委会信息")
        with self.store.write(actor, "committee.edit", None, committee_id=committee_id, reason=why) as tx:
            row = tx.conn.execute(select(committee_table).where(committee_table.c.id == committee_id)).first()
            if row is None:
                raise fail("committee.unknown", bi(f"no committee with id {committee_id}",
                                                   f"没有编号为{committee_id}的评委会"))
            after = {k: getattr(details, k).strip() for k in DETAILS}
            changed = {k: [getattr(row, k) or "", v] for k, v in after.items() if (getattr(row, k) or "") != v}
            if not changed:
                raise fail("committee.unchanged", bi("nothing in the committee's details was changed",
                                                     "评委会信息没有任何更改"))
            tx.conn.execute(update(committee_table).where(committee_table.c.id == committee_id).values(
                **{k: new or None for k, (_old, new) in changed.items()}))
            tx.data["changed"] = changed
        return changed
