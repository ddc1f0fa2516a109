"""第3步 分工初评 Primary review: each eligible candidate gets a primary reviewer (主审评委) from
its group, who scores it by the plan's rubric and drafts interview questions.

The rules are the service's: the chair and vice-chair never review; an expert of the
candidate's unit, or one who declared a conflict, never acts for that candidate — a
refusal appears in the message bar with its rule. Conflicted and absent experts are
marked in the reviewer list — by the engine's own rule, :func:`app.rules.conflicts.conflict` —
so the secretary sees why before choosing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import Role
from app.rules.conflicts import ConflictKind, conflict
from app.views.candidates import CandidateView, ScoreSheet
from app.views.panel import PanelRow
from ui.i18n import bracketed, joined, tr
from ui.models import Column, RowsModel
from ui.pages.common import CODE, reload, selected, table
from ui.pages.review_dialogs import ConflictDialog, QuestionDialog, ScoreDialog
from ui.wizard import StepPage


@dataclass(frozen=True)
class Row:
    c: CandidateView
    reviewer: PanelRow | None
    sheet: ScoreSheet | None
    questions: int

    @property
    def code(self) -> str:
        return self.c.code


class PrimaryReviewPage(StepPage):
    def build(self) -> None:
        self.rows: list[Row] = []
        self.members: list[PanelRow] = []
        self.rubric: tuple[tuple[str, int], ...] = ()
        self.dialog: QWidget | None = None
        self.tabs = QTabWidget()
        self.body.addWidget(self.tabs)
        work = QWidget()
        line = QHBoxLayout(work)
        left = QVBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        left.addWidget(self.summary)
        self.model = RowsModel([
            Column("Code", lambda r: r.c.code), Column("Name", lambda r: r.c.name),
            Column("Unit", lambda r: r.c.unit), Column("Group", lambda r: r.c.group),
            Column("Primary reviewer", lambda r: f"{r.reviewer.code} {r.reviewer.name}" if r.reviewer else "—",
                   colour=lambda r: None if r.reviewer else "#b3261e"),
            Column("Score", lambda r: f"{r.sheet.total} / {self.maximum()}" if r.sheet else "—",
                   colour=lambda r: None if r.sheet else "#b3261e", align_right=True),
            Column("Questions", lambda r: r.questions, colour=lambda r: None if r.questions else "#b3261e",
                   align_right=True)], self)
        self.view = table(self.model, (CODE, 70, 140, 0, 135, 80))
        self.view.selectionModel().selectionChanged.connect(self._selection)
        left.addWidget(self.view, 1)
        line.addLayout(left, 1)
        line.addWidget(self._side())
        self.tabs.addTab(work, "")
        self.overview: RowsModel | None = None

    def _side(self) -> QWidget:
        side = QWidget()
        side.setFixedWidth(300)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        self.selected_label = QLabel()
        self.selected_label.setWordWrap(True)
        column.addWidget(self.selected_label)
        self.reviewer_box = QGroupBox()
        box = QVBoxLayout(self.reviewer_box)
        self.reviewer = QComboBox()
        self.whole_panel = QCheckBox()
        self.whole_panel.toggled.connect(self._fill_reviewers)
        self.assign_button = QPushButton()
        self.assign_button.clicked.connect(self.assign_chosen)
        for w in (self.reviewer, self.whole_panel, self.assign_button):
            box.addWidget(w)
        column.addWidget(self.reviewer_box)
        self.score_button, self.question_button, self.conflict_button = QPushButton(), QPushButton(), QPushButton()
        self.score_button.clicked.connect(self.ask_scores)
        self.question_button.clicked.connect(self.ask_question)
        self.conflict_button.clicked.connect(self.ask_conflict)
        for b in (self.score_button, self.question_button, self.conflict_button):
            column.addWidget(b)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setStyleSheet("color:#444;")
        column.addWidget(self.details)
        column.addStretch(1)
        return side

    def maximum(self) -> int:
        return sum(m for _, m in self.rubric)

    def load(self) -> None:
        app, mid = self.app, self.meeting_id
        self.rubric = app.views.plan(mid).rubric
        self.members = app.views.panel(mid)
        by_code = {m.code: m for m in self.members}
        sheets = {(s.candidate, s.scorer): s for s in app.views.score_sheets(mid)}
        asked: dict[str, list[str]] = {}
        for question in app.views.questions(mid):
            asked.setdefault(question.candidate, []).append(question.text)
        self.asked = asked
        cands = app.views.candidates(mid)
        self.ineligible = sum(c.eligible is False for c in cands)
        self.rows = [Row(c, by_code.get(c.reviewer or ""), sheets.get((c.code, c.reviewer or "")),
                         len(asked.get(c.code, []))) for c in cands if c.eligible]
        reload(self.view, self.rows)
        if self.overview is None:
            self._build_overview()
        assert self.overview is not None
        self.overview.set_rows(self.rows)
        self.retranslate()

    def _build_overview(self) -> None:
        """The score overview: one column per rubric item (the rubric is fixed by the plan)."""
        def points(name: str) -> Callable[[Row], object]:
            return lambda r: r.sheet.points.get(name) if r.sheet else ""
        items = [Column(name, points(name), align_right=True) for name, _ in self.rubric]
        self.overview = RowsModel([
            Column("Code", lambda r: r.c.code), Column("Name", lambda r: r.c.name),
            Column("Primary reviewer", lambda r: r.reviewer.name if r.reviewer else ""), *items,
            Column("Total", lambda r: r.sheet.total if r.sheet else "", align_right=True)], self)
        self.overview_view = table(self.overview, (CODE, 80, 110, *([100] * len(items))))
        self.tabs.addTab(self.overview_view, "")

    def current(self) -> Row | None:
        rows = selected(self.view)
        return rows[0] if rows else None

    def people(self, row: Row, whole: bool = False) -> list[tuple[str, str]]:
        """Experts who could act for the candidate: its group (or the whole panel), marked."""
        out = []
        for m in self.members:
            if not whole and (m.role != Role.EXPERT.value or (row.c.group and m.group != row.c.group)):
                continue
            notes = []
            why = conflict(m, row.c)
            if why is not None:
                notes.append(tr("presides") if why.kind is ConflictKind.PRESIDING else tr("conflict"))
            if not m.checked_in or m.departed:
                notes.append(tr("absent"))
            out.append((m.code, f"{m.code} {m.name}" + (bracketed(joined(notes)) if notes else "")))
        return out

    def retranslate(self) -> None:
        self.tabs.setTabText(0, tr("Reviewers, scores and questions"))
        if self.tabs.count() > 1:
            self.tabs.setTabText(1, tr("Score overview"))
        rows = self.rows
        self.summary.setText(tr("{n} eligible candidates: {r} with a reviewer, {s} scored, {q} with questions; "
                                "{i} ineligible (they skip this step)", n=len(rows),
                                r=sum(bool(r.reviewer) for r in rows),
                                s=sum(bool(r.sheet) for r in rows), q=sum(bool(r.questions) for r in rows),
                                i=getattr(self, "ineligible", 0)))
        self.reviewer_box.setTitle(tr("Primary reviewer (主审评委)"))
        self.whole_panel.setText(tr("List the whole panel"))
        self.assign_button.setText(tr("Assign as primary reviewer"))
        self.score_button.setText(tr("Enter scores…"))
        self.question_button.setText(tr("Add an interview question…"))
        self.conflict_button.setText(tr("Declare a conflict…"))
        self._selection()

    def _selection(self, *_args: object) -> None:
        row = self.current()
        for w in (self.reviewer_box, self.score_button, self.question_button, self.conflict_button):
            w.setEnabled(row is not None)
        self.selected_label.setText(f"<b>{row.c.code} {row.c.name}</b>　{row.c.unit}" if row
                                    else tr("Select a candidate"))
        texts = self.asked.get(row.c.code, []) if row and hasattr(self, "asked") else []
        self.details.setText("".join(f"<p>{i}. {t}</p>" for i, t in enumerate(texts, 1)))
        self._fill_reviewers()

    def _fill_reviewers(self, *_args: object) -> None:
        row = self.current()
        self.reviewer.clear()
        if row is not None:
            for code, label in self.people(row, self.whole_panel.isChecked()):
                self.reviewer.addItem(label, code)
            self.reviewer.setCurrentIndex(max(self.reviewer.findData(row.c.reviewer), 0))
        self.assign_button.setEnabled(self.reviewer.count() > 0)

    # -- actions ---------------------------------------------------------------------------
    def assign(self, code: str, member: str) -> None:
        actor, app, mid = self.actor(), self.app, self.meeting_id
        self.act(lambda: app.review.assign_reviewer(actor, mid, code, member))

    def assign_chosen(self) -> None:
        row, member = self.current(), self.reviewer.currentData()
        if row and member:
            self.assign(row.c.code, member)

    def ask_scores(self) -> None:
        row = self.current()
        if row is None:
            return
        points = row.sheet.points if row.sheet else {}
        self.dialog = dialog = ScoreDialog(f"{row.c.code} {row.c.name}", self.rubric, self.people(row),
                                           row.c.reviewer, points, self)
        actor, app, mid, code = self.actor(), self.app, self.meeting_id, row.c.code
        dialog.given.connect(lambda scorer, pts: self.act(
            lambda: app.review.record_scores(actor, mid, code, scorer, pts)))
        dialog.open()

    def ask_question(self) -> None:
        row = self.current()
        if row is None:
            return
        self.dialog = dialog = QuestionDialog(f"{row.c.code} {row.c.name}", self.people(row), row.c.reviewer, self)
        actor, app, mid, code = self.actor(), self.app, self.meeting_id, row.c.code
        dialog.given.connect(lambda setter, text, answer: self.act(
            lambda: app.review.add_question(actor, mid, code, setter, text, answer)))
        dialog.open()

    def ask_conflict(self) -> None:
        row = self.current()
        if row is None:
            return
        experts = [(m.code, f"{m.code} {m.name}") for m in self.members if m.role == Role.EXPERT.value]
        self.dialog = dialog = ConflictDialog(f"{row.c.code} {row.c.name}", experts, self)
        actor, app, mid, code = self.actor(), self.app, self.meeting_id, row.c.code
        dialog.given.connect(lambda member, reason: self.act(
            lambda: app.setup.declare_conflict(actor, mid, member, code, reason)))
        dialog.open()
