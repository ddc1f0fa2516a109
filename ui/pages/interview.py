"""第4步 面试 Interview: every question is reviewed before use by a second, named expert (审题,
实名签字), then each eligible candidate is interviewed for 5–10 minutes, timed by the
clock, and told the result (X§10(四) 面试结果应及时告知参评人员本人): the result is written as it was
told, and the minutes print it with the duration. The service refuses a reviewer who set the question or
must stay out, and an interview outside 5–10 minutes; the refusal shows in the message bar.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import Role
from app.rules.conflicts import conflict
from app.views.candidates import CandidateView, InterviewRow, QuestionRow
from app.views.panel import PanelRow
from ui.i18n import bracketed, bridge, joined, tr
from ui.models import Column, RowsModel
from ui.pages.common import CODE, mm_ss, reload, selected, table, tick
from ui.pages.interview_clock import InterviewClock
from ui.wizard import StepPage


@dataclass(frozen=True)
class Interviewee:
    c: CandidateView
    questions: int
    reviewed: int
    interview: InterviewRow | None

    @property
    def code(self) -> str:
        return self.c.code


class InterviewPage(StepPage):
    #: The clock's time source; tests replace it before the page is built.
    now: Callable[[], float] = staticmethod(time.monotonic)

    def build(self) -> None:
        self.members: list[PanelRow] = []
        self.candidates: list[CandidateView] = []
        split = QSplitter()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        self.questions = RowsModel([
            Column("Candidate", lambda x: f"{x.candidate} {x.candidate_name}"),
            Column("Set by", lambda x: x.setter_name),
            Column("Reviewed by", lambda x: x.reviewer_name or "—", colour=lambda x: None if x.reviewer else "#b3261e"),
            Column("Question", lambda x: x.text)], self)
        self.question_view = table(self.questions, (0, 0, 0))
        self.question_view.selectionModel().selectionChanged.connect(self._question_selected)
        self.questions_heading = QLabel()
        column.addWidget(self.questions_heading)
        column.addWidget(self.question_view, 3)
        self.question_text = QLabel()
        self.question_text.setWordWrap(True)
        self.question_text.setStyleSheet("color:#333;")
        column.addWidget(self.question_text)
        row = QHBoxLayout()
        self.reviewer_label = QLabel()
        self.reviewer = QComboBox()
        self.review_button = QPushButton()
        self.review_button.clicked.connect(self.review_chosen)
        row.addWidget(self.reviewer_label)
        row.addWidget(self.reviewer, 1)
        row.addWidget(self.review_button)
        column.addLayout(row)
        self.interviews = RowsModel([
            Column("Code", lambda i: i.c.code), Column("Name", lambda i: i.c.name),
            Column("Questions reviewed", lambda i: f"{i.reviewed} / {i.questions}",
                   colour=lambda i: None if i.questions and i.reviewed == i.questions else "#b3261e"),
            Column("Interview", lambda i: mm_ss(i.interview.seconds) if i.interview else "—",
                   colour=lambda i: None if i.interview else "#b3261e"),
            Column("Result told", lambda i: tick(i.interview and i.interview.result_told)),
            Column("Interview result", lambda i: (i.interview.result or "") if i.interview else "")], self)
        self.interview_view = table(self.interviews, (CODE, 80, 0, 0, 0))
        self.interview_view.selectionModel().selectionChanged.connect(self._interviewee_selected)
        self.interviews_heading = QLabel()
        column.addWidget(self.interviews_heading)
        column.addWidget(self.interview_view, 2)
        split.addWidget(left)
        split.addWidget(self._interview_box())
        split.setSizes([620, 360])
        self.body.addWidget(split)

    def _interview_box(self) -> QWidget:
        self.interview_box = QGroupBox()
        box = QVBoxLayout(self.interview_box)
        self.candidate = QComboBox()
        box.addWidget(self.candidate)
        self.clock = InterviewClock(type(self).now)
        self.clock.stopped.connect(self._clock_stopped)
        self.clock.state_changed.connect(self._check)
        box.addWidget(self.clock)
        form = QFormLayout()
        self.duration = QTimeEdit()
        self.duration.setDisplayFormat("mm:ss")
        self.told = QCheckBox()
        self.result = QLineEdit()            # the result as told to the candidate: printed in the minutes
        self.note = QLineEdit()
        self.duration_label, self.note_label, self.result_label = QLabel(), QLabel(), QLabel()
        self.result_label.setWordWrap(True)
        form.addRow(self.duration_label, self.duration)
        form.addRow(self.result_label, self.result)
        form.addRow(self.told)
        form.addRow(self.note_label, self.note)
        box.addLayout(form)
        self.record_button = QPushButton()
        self.record_button.clicked.connect(self.record_interview)
        box.addWidget(self.record_button)
        box.addStretch(1)
        self.told.toggled.connect(self._check)
        return self.interview_box

    def load(self) -> None:
        app, mid = self.app, self.meeting_id
        self.members = app.views.panel(mid)
        rows = app.views.questions(mid)
        reload(self.question_view, rows, key=lambda x: x.id)
        done = app.views.interviews(mid)
        self.candidates = [c for c in app.views.candidates(mid) if c.eligible]
        mine = {c.code: [x for x in rows if x.candidate == c.code] for c in self.candidates}
        reload(self.interview_view, [Interviewee(c, len(mine[c.code]), sum(bool(x.reviewer) for x in mine[c.code]),
                                                 done.get(c.code)) for c in self.candidates])
        current = self.candidate.currentData()
        self.candidate.clear()
        for c in self.candidates:
            self.candidate.addItem(f"{c.code} {c.name}" + ("  ✓" if c.code in done else ""), c.code)
        self.candidate.setCurrentIndex(max(self.candidate.findData(current), 0))
        self.retranslate()

    def retranslate(self) -> None:
        rows = self.questions.rows
        self.questions_heading.setText(tr("Interview questions: {r} of {n} reviewed", n=len(rows),
                                          r=sum(bool(x.reviewer) for x in rows)))
        people = self.interviews.rows
        self.interviews_heading.setText(tr("Interviews: {d} of {n} recorded", n=len(people),
                                           d=sum(bool(i.interview) for i in people)))
        self.reviewer_label.setText(tr("Reviewer (审题人)"))
        self.review_button.setText(tr("Record the review"))
        self.interview_box.setTitle(tr("Interview"))
        self.duration_label.setText(tr("Duration"))
        self.note_label.setText(tr("Note"))
        self.result_label.setText(tr("Interview result"))
        self.result.setPlaceholderText(tr("The interview result as told to the candidate; printed in the minutes"))
        self.told.setText(tr("The result was told to the candidate"))
        self.record_button.setText(tr("Record the interview"))
        self._question_selected()
        self._check()

    # -- question review -----------------------------------------------------------------
    def current_question(self) -> QuestionRow | None:
        rows = selected(self.question_view)
        return rows[0] if rows else None

    def reviewers_for(self, x: QuestionRow) -> list[tuple[str, str]]:
        """The candidate's group except the setter; conflicted or absent experts are marked."""
        cand = next((c for c in self.candidates if c.code == x.candidate), None)
        out = []
        for m in self.members:
            if m.role != Role.EXPERT.value or m.code == x.setter or (cand and cand.group and m.group != cand.group):
                continue
            notes = []
            if cand and conflict(m, cand) is not None:     # the engine's rule (回避)
                notes.append(tr("conflict"))
            if not m.checked_in or m.departed:
                notes.append(tr("absent"))
            out.append((m.code, f"{m.code} {m.name}" + (bracketed(joined(notes)) if notes else "")))
        return out

    def _question_selected(self, *_args: object) -> None:
        x = self.current_question()
        self.reviewer.clear()
        if x is None:
            self.question_text.setText(tr("Select a question to review it"))
        else:
            sep = "：" if bridge.language == "zh" else ": "
            self.question_text.setText(f"<b>{tr('Question')}</b>{sep}{x.text}<br>"
                                       f"<b>{tr('Standard answer')}</b>{sep}{x.answer}")
            for code, label in self.reviewers_for(x):
                self.reviewer.addItem(label, code)
            self.reviewer.setCurrentIndex(max(self.reviewer.findData(x.reviewer), 0))
        self.review_button.setEnabled(x is not None and self.reviewer.count() > 0)

    def review(self, question_id: int, reviewer: str) -> None:
        actor, app, mid = self.actor(), self.app, self.meeting_id
        self.act(lambda: app.review.review_question(actor, mid, question_id, reviewer))

    def review_chosen(self) -> None:
        x, reviewer = self.current_question(), self.reviewer.currentData()
        if x and reviewer:
            self.review(x.id, reviewer)

    # -- interview -------------------------------------------------------------------------
    def _interviewee_selected(self, *_args: object) -> None:
        rows = selected(self.interview_view)
        if rows and not self.clock.running:
            self.candidate.setCurrentIndex(max(self.candidate.findData(rows[0].c.code), 0))

    def _clock_stopped(self, seconds: int) -> None:
        self.duration.setTime(QTime(0, 0).addSecs(min(seconds, 59 * 60 + 59)))

    def seconds(self) -> int:
        return QTime(0, 0).secsTo(self.duration.time())

    def _check(self, *_args: object) -> None:
        self.record_button.setEnabled(self.candidate.count() > 0 and not self.clock.running)

    def record_interview(self) -> None:
        code = self.candidate.currentData()
        if not code:
            return
        actor, app, mid = self.actor(), self.app, self.meeting_id
        seconds, told, note = self.seconds(), self.told.isChecked(), self.note.text()
        result = self.result.text()

        def done(_r: object) -> None:
            self.clock.reset()
            self.duration.setTime(QTime(0, 0))
            self.told.setChecked(False)
            self.note.clear()
            self.result.clear()
        self.act(lambda: app.review.record_interview(actor, mid, code, seconds, told, note, result), done)
