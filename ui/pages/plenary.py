"""Step 6 大会审议: the disputed candidates (提交大会审议) are presented and deliberated.

For each disputed candidate the page shows why the group disputed it (its reason, step 5) and records
who presented (the group's leader, by name as the chair chose them, or the primary reviewer —
X§10(六)) and the plenary's conclusion; the other candidates are listed read-only with their group
opinion, for reference.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton

from app.domain import Recommendation
from app.text import group_zh
from app.views.candidates import CandidateView, PlenaryNote
from ui.i18n import bridge, tr
from ui.models import Column, RowsModel
from ui.pages.ballot import table
from ui.pages.group_review import recommendation_text
from ui.wizard import StepPage


@dataclass(frozen=True)
class PlenaryRow:
    cand: CandidateView
    note: PlenaryNote


class PlenaryPage(StepPage):
    """大会审议 — a presenter and a conclusion for every candidate the groups sent to the plenary."""

    def build(self) -> None:
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.body.addWidget(self.hint)
        self.model = RowsModel([
            Column("Code", lambda r: r.cand.code), Column("Name", lambda r: r.cand.name),
            Column("Group", lambda r: r.cand.group), Column("Primary reviewer", lambda r: r.note.reviewer_name),
            Column("Presenter", lambda r: r.note.presenter),
            Column("Conclusion", lambda r: r.note.conclusion or tr("not yet recorded"),
                   colour=lambda r: None if r.note.conclusion else "#b3261e"),
            Column("Group's reason", lambda r: r.note.recommendation_note)], self)     # last: the long text stretches
        self.view = table(self.model, stretch_last=True)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.body.addWidget(self.view, 2)
        form = QFormLayout()
        self.reason = QLabel()               # the selected candidate's group reason, whole: the chair reads it out
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason_label = QLabel()
        self.presenter = QComboBox()
        self.presenter.setEditable(True)
        self.conclusion = QPlainTextEdit()
        self.conclusion.setFixedHeight(64)
        self.presenter_label, self.conclusion_label = QLabel(), QLabel()
        form.addRow(self.reason_label, self.reason)
        form.addRow(self.presenter_label, self.presenter)
        form.addRow(self.conclusion_label, self.conclusion)
        row = QHBoxLayout()
        row.addLayout(form, 1)
        self.save = QPushButton()
        self.save.clicked.connect(self.record)
        row.addWidget(self.save)
        self.body.addLayout(row)
        self.others_label = QLabel()
        self.body.addWidget(self.others_label)
        self.others_model = RowsModel([
            Column("Code", lambda c: c.code), Column("Name", lambda c: c.name), Column("Group", lambda c: c.group),
            Column("Group's opinion", lambda c: recommendation_text(c.recommendation) if c.eligible
                   else tr("— ineligible, skips this step"))], self)
        self.others = table(self.others_model, stretch_last=True)
        self.body.addWidget(self.others, 3)
        self.selected_code: str | None = None

    def load(self) -> None:
        notes = self.app.views.plenary_notes(self.meeting_id)
        cands = self.app.views.candidates(self.meeting_id)
        self.leader_of = {m.group: m.name for m in self.app.views.members(self.meeting_id) if m.group and m.leader}
        disputed = [PlenaryRow(c, notes[c.code]) for c in cands
                    if c.recommendation == Recommendation.PLENARY.value]
        self.model.set_rows(disputed)
        self.others_model.set_rows([c for c in cands if c.recommendation != Recommendation.PLENARY.value])
        codes = [r.cand.code for r in disputed]
        if self.selected_code in codes:
            self.view.selectRow(codes.index(self.selected_code))
        elif disputed:
            self.view.selectRow(next((i for i, r in enumerate(disputed) if not r.note.conclusion), 0))
        self._selected()

    def _row(self) -> PlenaryRow | None:
        picked = self.view.selectionModel().selectedRows()
        return self.model.row(picked[0].row()) if picked else None

    def _selected(self) -> None:
        row = self._row()
        self.selected_code = row.cand.code if row else None
        for w in (self.presenter, self.conclusion, self.save):
            w.setEnabled(row is not None)
        self.presenter.clear()
        if row is None:
            self.conclusion.setPlainText("")
            self._show_reason(None)
            return
        self._show_reason(row)
        group = row.cand.group or ""
        leader = getattr(self, "leader_of", {}).get(group)
        g = group_zh(group)          # 内科 → 内科组, 护理组 stays: never 护理组组长
        # what is chosen here is printed on the minutes as typed: written the Chinese way in either language
        # (in English it stored "贾永红 (leader of group G2组)", which the Chinese minutes then printed)
        options = [x for x in (row.note.presenter, f"{leader}（{g}组长）" if leader else f"{g}组长",
                               row.note.reviewer_name) if x]
        self.presenter.addItems(list(dict.fromkeys(options)))
        self.conclusion.setPlainText(row.note.conclusion or "")

    def _show_reason(self, row: PlenaryRow | None) -> None:
        if row is None:
            self.reason.setText("")
            return
        group = row.cand.group or ""
        self.reason.setText(tr("{code} {name} (group {group}): {reason}", code=row.cand.code, name=row.cand.name,
                               group=group_zh(group) if bridge.language == "zh" else group,
                               reason=row.note.recommendation_note or "—"))

    def record(self) -> None:
        row = self._row()
        if row is None:
            return
        code, actor = row.cand.code, self.actor()
        conclusion, presenter = self.conclusion.toPlainText(), self.presenter.currentText()
        rows = self.model.rows
        at = rows.index(row)
        following = [r for r in rows[at + 1:] + rows[:at] if not r.note.conclusion]
        self.selected_code = following[0].cand.code if following else code
        self.act(lambda: self.app.review.record_plenary(actor, self.meeting_id, code, conclusion, presenter))

    def retranslate(self) -> None:
        self.hint.setText(tr("The candidates the groups sent to the plenary (提交大会审议): the group leader or the "
                             "primary reviewer presents, the plenary deliberates; record its conclusion."))
        self.reason_label.setText(tr("Group's reason"))
        self._show_reason(self._row())
        self.presenter_label.setText(tr("Presented by"))
        self.conclusion_label.setText(tr("Conclusion"))
        self.save.setText(tr("Record conclusion"))
        self.others_label.setText(tr("The other candidates (read-only):"))
