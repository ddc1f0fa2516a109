"""Step 5 小组评议: the group's opinion on each candidate, exactly one of three.

一致同意推荐 / 不同意推荐 / 提交大会审议, set with three buttons (or keys 1–3)
for the selected candidate, with the group's reason: 不同意推荐 and 提交大会审议
need it (the minutes give the reason of every opinion against, X§10(九), and the
plenary deliberates on what the group disputed, X§10(六)) — their buttons wait
for it, and the service refuses without. The quantitative score is shown beside it to
inform the discussion; there is no cut-off and the page never suggests one.
Candidates who failed the eligibility re-check are listed but skip this step.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton

from app.domain import Recommendation
from app.views.candidates import CandidateView, ScoreTotal
from ui.i18n import bridge, tr
from ui.models import Column, RowsModel
from ui.pages.ballot import table
from ui.wizard import StepPage

_REC_EN = {"recommend": "Unanimously recommended", "reject": "Not recommended", "plenary": "To the plenary"}
_REC_COLOUR = {"recommend": "#2e7d32", "reject": "#b3261e", "plenary": "#a66300"}


def needs_reason(rec: Recommendation) -> bool:
    """不同意推荐 and 提交大会审议 are recorded with the group's reason (the service's rule)."""
    return rec is not Recommendation.RECOMMEND


def recommendation_text(value: str | None) -> str:
    if not value:
        return ""
    return Recommendation(value).zh if bridge.language == "zh" else tr(_REC_EN[value])


@dataclass(frozen=True)
class GroupRow:
    cand: CandidateView
    score: ScoreTotal | None
    note: str | None

    def score_text(self) -> str:
        if self.score is None:
            return "—"
        total = f"{self.score.total:g}" if self.score.total == int(self.score.total) else f"{self.score.total:.1f}"
        return f"{total} / {self.score.maximum}"

    def opinion(self) -> str:
        if self.cand.eligible is not True:
            return tr("— ineligible, skips this step")
        return recommendation_text(self.cand.recommendation) or tr("not yet decided")


class GroupReviewPage(StepPage):
    """小组评议 — one recommendation per eligible candidate; scores inform, never decide."""

    def build(self) -> None:
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.body.addWidget(self.hint)
        self.model = RowsModel([
            Column("Code", lambda r: r.cand.code), Column("Name", lambda r: r.cand.name),
            Column("Unit", lambda r: r.cand.unit), Column("Group", lambda r: r.cand.group),
            Column("Score", lambda r: r.score_text(), align_right=True),
            Column("Group's opinion", lambda r: r.opinion(),
                   colour=lambda r: _REC_COLOUR.get(r.cand.recommendation or "", "#888888")),
            Column("Group's reason", lambda r: r.note)], self)
        self.view = table(self.model, stretch_last=True)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.body.addWidget(self.view, 1)
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.body.addWidget(self.current)
        reason = QHBoxLayout()           # the group's reason first, the whole width: then the opinion
        self.note_label = QLabel()
        self.note = QLineEdit()          # the group's reason: required for 不同意推荐 and 提交大会审议
        self.note.textChanged.connect(lambda _t: self._enable())
        reason.addWidget(self.note_label)
        reason.addWidget(self.note, 1)
        self.body.addLayout(reason)
        row = QHBoxLayout()
        self.buttons: dict[Recommendation, QPushButton] = {}
        for i, rec in enumerate(Recommendation, 1):
            button = QPushButton()
            button.clicked.connect(lambda _c=False, r=rec: self.record(r))
            key = QShortcut(QKeySequence(str(i)), self.view)
            key.setContext(Qt.ShortcutContext.WidgetShortcut)
            key.activated.connect(lambda r=rec: self.record(r))
            row.addWidget(button)
            self.buttons[rec] = button
        row.addStretch(1)
        self.body.addLayout(row)
        self.reason_hint = QLabel()
        self.reason_hint.setWordWrap(True)
        self.reason_hint.setStyleSheet("color:#555;")
        self.body.addWidget(self.reason_hint)
        self.selected_code: str | None = None

    def load(self) -> None:
        totals = self.app.views.score_totals(self.meeting_id)
        notes = self.app.views.plenary_notes(self.meeting_id)
        rows = [GroupRow(c, totals.get(c.code), notes[c.code].recommendation_note if c.code in notes else None)
                for c in self.app.views.candidates(self.meeting_id)]
        self.model.set_rows(rows)
        codes = [r.cand.code for r in rows]
        if self.selected_code in codes:
            self.view.selectRow(codes.index(self.selected_code))
        elif rows:
            self.view.selectRow(next((i for i, r in enumerate(rows) if r.cand.eligible and
                                      not r.cand.recommendation), 0))
        self._selected()

    def _row(self) -> GroupRow | None:
        picked = self.view.selectionModel().selectedRows()
        return self.model.row(picked[0].row()) if picked else None

    def _selected(self) -> None:
        row = self._row()
        self.selected_code = row.cand.code if row else None
        ok = row is not None and row.cand.eligible is True
        self.note.setEnabled(ok)
        if row is None:
            self.current.setText("")
            self._enable()
            return
        self.note.setText(row.note or "")
        self._enable()
        self.current.setText(tr("{code} {name} ({unit}) — score {score}; opinion: {opinion}", code=row.cand.code,
                                name=row.cand.name, unit=row.cand.unit, score=row.score_text(),
                                opinion=row.opinion()))

    def _enable(self) -> None:
        """一致同意推荐 for an eligible candidate; the other two once the group's reason is written."""
        row = self._row()
        ok = row is not None and row.cand.eligible is True
        reason = bool(self.note.text().strip())
        for rec, button in self.buttons.items():
            button.setEnabled(ok and (reason or not needs_reason(rec)))

    def record(self, rec: Recommendation) -> None:
        row = self._row()
        if row is None or row.cand.eligible is not True or not self.buttons[rec].isEnabled():
            return
        code, note, actor = row.cand.code, self.note.text(), self.actor()
        rows = self.model.rows
        at = rows.index(row)
        following = [r for r in rows[at + 1:] + rows[:at] if r.cand.eligible and not r.cand.recommendation]
        self.selected_code = following[0].cand.code if following else code
        self.act(lambda: self.app.review.record_recommendation(actor, self.meeting_id, code, rec, note))

    def retranslate(self) -> None:
        self.hint.setText(tr("Select a candidate and set the group's opinion: exactly one of the three (keys 1–3). "
                             "The score informs the discussion but decides nothing: there is no cut-off."))
        for i, (rec, button) in enumerate(self.buttons.items(), 1):
            button.setText(f"{i}  {recommendation_text(rec.value)}")
        self.note_label.setText(tr("Group's reason"))
        self.note.setPlaceholderText(tr("The group's reason (required for 不同意推荐 and 提交大会审议)"))
        self.reason_hint.setText(tr("The reason is printed in the minutes with the opinion: an opinion against, or "
                                    "one sent to the plenary, says why (X§10(五)、(九))."))
        self._selected()
