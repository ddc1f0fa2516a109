"""Setup, fourth tab: the chair and vice-chair (designated, not drawn) — replaced or removed with a
written reason until step 1 is finished — and the discipline groups (评议组) of the drawn experts, each
with the leader (组长) the chair chose among its experts (X§10(五): the leader presides over the group's
deliberation). The setup is not complete while a group has no leader; seating a leader in another
group leaves their group without one."""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import Role
from app.services.setup import MemberInput
from app.views.candidates import CandidateView
from app.views.panel import DrawView, PanelRow
from ui.i18n import bridge, tr
from ui.models import Column, RowsModel
from ui.pages.common import role_name, selected, table
from ui.pages.setup_forms import CorrectionDialog, PresidingDialog

if TYPE_CHECKING:
    from ui.pages.setup import SetupPage as Page

TITLES = ("正高", "副高", "中级")


def suggested_groups(experts: list[PanelRow], specialty_of: dict[str, str],
                     candidates: list[CandidateView]) -> dict[str, list[str]]:
    """Each expert to the group most of their specialty's candidates are in (评议组 by specialty)."""
    votes: dict[str, Counter[str]] = {}
    for c in candidates:
        if c.group:
            votes.setdefault(c.specialty, Counter())[c.group] += 1
    out: dict[str, list[str]] = {}
    for e in experts:
        counter = votes.get(specialty_of.get(e.code, ""))
        if counter:
            out.setdefault(counter.most_common(1)[0][0], []).append(e.code)
    return out


class PanelTab(QWidget):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.specialty_of: dict[str, str] = {}
        self.candidates: list[CandidateView] = []
        self.locked = False
        layout = QHBoxLayout(self)

        self.presiding_box = QGroupBox()
        left = QVBoxLayout(self.presiding_box)
        self.presiding = RowsModel([
            Column("Role", lambda m: role_name(m.role)), Column("Code", lambda m: m.code),
            Column("Name", lambda m: m.name), Column("Unit", lambda m: m.unit)], self)
        self.presiding_view = table(self.presiding, (90, 50, 80))
        self.presiding_view.selectionModel().selectionChanged.connect(lambda *_: self._check())
        left.addWidget(self.presiding_view, 1)
        change = QHBoxLayout()
        self.replace, self.remove = QPushButton(), QPushButton()
        self.replace.clicked.connect(self.ask_replace)
        self.remove.clicked.connect(self.ask_remove)
        change.addWidget(self.replace)
        change.addWidget(self.remove)
        change.addStretch(1)
        left.addLayout(change)
        self.dialog: CorrectionDialog | None = None
        form = QFormLayout()
        self.role = QComboBox()
        self.code, self.name, self.unit = QLineEdit(), QLineEdit(), QLineEdit()
        self.title = QComboBox()
        self.title.setEditable(True)
        self.title.addItems(TITLES)
        self.add = QPushButton()
        self.add.clicked.connect(self.add_presiding)
        self.form_labels = [QLabel() for _ in range(5)]
        for label, field in zip(self.form_labels, (self.role, self.code, self.name, self.unit, self.title),
                                strict=True):
            form.addRow(label, field)
        form.addRow("", self.add)
        left.addLayout(form)
        for edit in (self.code, self.name, self.unit):
            edit.textChanged.connect(self._check)
        layout.addWidget(self.presiding_box, 2)

        self.group_box = QGroupBox()
        right = QVBoxLayout(self.group_box)
        self.experts = RowsModel([
            Column("Code", lambda m: m.code), Column("Name", lambda m: m.name),
            Column("Unit", lambda m: m.unit), Column("Title", lambda m: m.title),
            Column("Specialty", lambda m: self.specialty_of.get(m.code, "")),
            Column("Group", lambda m: m.group or "—", colour=lambda m: None if m.group else "#b3261e"),
            Column("Leader", lambda m: "★ " + tr("Leader") if m.leader else "",
                   colour=lambda m: "#2e7d32" if m.leader else None)], self)
        self.expert_view = table(self.experts, (55, 75, 150, 50, 70, 50), multi=True)
        self.expert_view.selectionModel().selectionChanged.connect(lambda *_: self._check())
        right.addWidget(self.expert_view, 1)
        row = QHBoxLayout()
        self.group = QComboBox()
        self.group.setEditable(True)
        self.group.setMinimumWidth(90)
        self.assign = QPushButton()
        self.assign.clicked.connect(self.assign_selected)
        self.suggest = QPushButton()
        self.suggest.clicked.connect(self.apply_suggestion)
        self.group_label = QLabel()
        row.addWidget(self.group_label)
        row.addWidget(self.group)
        row.addWidget(self.assign)
        row.addStretch(1)
        right.addLayout(row)
        self.make_leader = QPushButton()   # the chair's choice of each group's leader (组长)
        self.make_leader.clicked.connect(self.choose_leader)
        second = QHBoxLayout()          # on its own row: both long labels side by side overflow 1280 px
        second.addStretch(1)
        second.addWidget(self.make_leader)
        second.addWidget(self.suggest)
        right.addLayout(second)
        self.leaders = QLabel()         # each group with its leader, the full width of the box
        self.leaders.setWordWrap(True)
        right.addWidget(self.leaders)
        layout.addWidget(self.group_box, 3)

    def load(self, members: list[PanelRow], record: DrawView | None, candidates: list[CandidateView]) -> None:
        self.candidates = candidates
        self.specialty_of = {code: s for s, codes in (record.drawn if record else {}).items() for code in codes}
        self.presiding.set_rows([m for m in members if m.role != Role.EXPERT.value])
        self.experts.set_rows([m for m in members if m.role == Role.EXPERT.value])
        groups = sorted({c.group for c in candidates if c.group} | {m.group for m in members if m.group})
        current = self.group.currentText()
        self.group.clear()
        self.group.addItems(groups)
        if current:
            self.group.setCurrentText(current)
        self.retranslate()

    def retranslate(self) -> None:
        self.presiding_box.setTitle(tr("Chair and vice-chair (designated, not drawn)"))
        self.group_box.setTitle(tr("Discipline groups (评议组) of the drawn experts"))
        role = self.role.currentIndex()
        self.role.clear()
        self.role.addItem(tr("Chair"), Role.CHAIR.value)
        self.role.addItem(tr("Vice-chair"), Role.VICE_CHAIR.value)
        self.role.setCurrentIndex(max(role, 0))
        for label, text in zip(self.form_labels, (tr("Role"), tr("Code"), tr("Name"), tr("Unit"), tr("Title")),
                               strict=True):
            label.setText(text)
        self.add.setText(tr("Add to the panel"))
        self.replace.setText(tr("Replace…"))
        self.remove.setText(tr("Remove…"))
        self.group_label.setText(tr("Group"))
        self.assign.setText(tr("Put the selected experts in this group"))
        self.suggest.setText(tr("Group by the candidates' groups"))
        self.suggest.setToolTip(tr("Each expert joins the group of most candidates of their specialty"))
        self.make_leader.setText(tr("Make leader of the group (组长)"))
        self.make_leader.setToolTip(tr("The chair chooses one leader per group among its experts; the leader "
                                       "presides over the group's deliberation and presents it to the plenary"))
        self._show_leaders()
        self._check()

    def _show_leaders(self) -> None:
        """Each group with its leader, or a red “not chosen” the setup's list repeats."""
        experts = self.experts.rows
        groups = sorted({m.group for m in experts if m.group})
        if not groups:
            self.leaders.setText("")
            return
        sep = "：" if bridge.language == "zh" else ": "
        parts = []
        for g in groups:
            leader = next((m for m in experts if m.group == g and m.leader), None)
            who = leader.name if leader else f"<span style='color:#b3261e'>{tr('no leader chosen')}</span>"
            parts.append(f"{g}{sep}{who}")
        self.leaders.setText(f"<b>{tr('Leaders (组长)')}</b>　" + "　".join(parts))

    def set_locked(self, locked: bool) -> None:
        for w in (self.role, self.code, self.name, self.unit, self.title, self.group, self.suggest):
            w.setEnabled(not locked)
        self.make_leader.setVisible(not locked)
        self.locked = locked
        self._check()

    def _check(self) -> None:
        locked = self.locked
        self.add.setEnabled(not locked and all(e.text().strip() for e in (self.code, self.name, self.unit)))
        self.assign.setEnabled(not locked)
        picked = selected(self.expert_view)
        self.make_leader.setEnabled(not locked and len(picked) == 1 and bool(picked[0].group)
                                    and not picked[0].leader)
        chosen = bool(selected(self.presiding_view))
        for button in (self.replace, self.remove):
            button.setVisible(not locked)
            button.setEnabled(chosen)

    def ask_replace(self) -> None:
        rows = selected(self.presiding_view)
        if not rows:
            return
        page, old = self.page, rows[0]
        self.dialog = dialog = PresidingDialog(self, old)
        actor, mid = page.actor(), page.meeting_id
        dialog.submitted.connect(lambda: page.act(
            partial(page.app.setup.replace_presiding, actor, mid, old.code, dialog.value(), dialog.reason_text()),
            lambda _r: dialog.accept(), dialog.show_refusal))
        dialog.open()

    def ask_remove(self) -> None:
        rows = selected(self.presiding_view)
        if not rows:
            return
        page, old = self.page, rows[0]
        self.dialog = dialog = CorrectionDialog(
            tr("Remove {name}", name=f"{old.name}（{role_name(old.role)}）"),
            tr("The chair or vice-chair leaves the panel; the meeting cannot start without a chair."), self,
            ok_text=tr("Remove"))
        actor, mid = page.actor(), page.meeting_id
        dialog.submitted.connect(lambda: page.act(
            partial(page.app.setup.remove_presiding, actor, mid, old.code, dialog.reason_text()),
            lambda _r: dialog.accept(), dialog.show_refusal))
        dialog.open()

    def add_presiding(self) -> None:
        page, actor = self.page, self.page.actor()
        row = MemberInput(self.code.text().strip(), self.name.text().strip(), self.unit.text().strip(),
                          self.title.currentText().strip(), Role(self.role.currentData()))

        def clear(_r: object) -> None:
            for edit in (self.code, self.name, self.unit):
                edit.clear()
        page.act(lambda: page.app.setup.add_members(actor, page.meeting_id, [row]), clear)

    def assign_selected(self) -> None:
        codes = [m.code for m in selected(self.expert_view)]
        group = self.group.currentText().strip()
        if codes and group:
            self.set_groups({group: codes})

    def choose_leader(self) -> None:
        """The selected expert leads their group (组长); the group's earlier leader steps down."""
        picked = selected(self.expert_view)
        if len(picked) != 1 or not picked[0].group:
            return
        page, actor, expert = self.page, self.page.actor(), picked[0]
        page.act(lambda: page.app.setup.set_group_leader(actor, page.meeting_id, expert.group or "", expert.code))

    def apply_suggestion(self) -> None:
        groups = suggested_groups(self.experts.rows, self.specialty_of, self.candidates)
        if groups:
            self.set_groups(groups)

    def set_groups(self, groups: dict[str, list[str]]) -> None:
        page, actor = self.page, self.page.actor()
        page.act(lambda: page.app.setup.set_groups(actor, page.meeting_id, groups))
