"""第2步 资格复审 Eligibility re-check: every candidate is found eligible, or ineligible with a
written reason. An ineligible candidate skips steps 3–6 and is voted down at the ballot.

The table shows what the re-check looks at, as the roster gave it: the title applied for
(申报资格), education, the current title and the day it was obtained, the years in post, and
whether the application is exceptional (破格, highlighted); a fact the roster did not give says
so (:mod:`ui.pages.facts`). The line under the table spells out the selected candidate's facts.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from app.views.candidates import CandidateView
from ui.i18n import joined, tr
from ui.models import Column, RowsModel
from ui.pages.common import CODE, TextDialog, reload, report_batch, selected, table
from ui.pages.facts import CANDIDATE_FACT_WIDTHS, candidate_fact_columns, given, held_title, years_text
from ui.wizard import StepPage


def eligibility_text(c: CandidateView) -> str:
    if c.eligible is None:
        return tr("Not decided")
    return tr("Eligible") if c.eligible else tr("Ineligible")


def eligibility_colour(c: CandidateView) -> str | None:
    if c.eligible is None:
        return "#8a6d00"
    return "#2e7d32" if c.eligible else "#b3261e"


def facts_line(c: CandidateView) -> str:
    """One candidate's facts in a sentence, for the line under the table."""
    if c.exceptional is None:
        exceptional = tr("exceptional application (破格): not given")
    else:
        exceptional = tr("an exceptional application (破格)") if c.exceptional else tr("not an exceptional application")
    return tr("{code} {name} applies for {title} ({level}, {specialty}); education {education}; current title "
              "{held}; years in post: {years}; {exceptional}.", code=c.code, name=c.name,
              title=given(c.applied_title), level=c.level, specialty=c.specialty, education=given(c.education),
              held=held_title(c), years=years_text(c), exceptional=exceptional)


class EligibilityPage(StepPage):
    """The candidates with their eligibility; decisions act on the selected rows."""

    def build(self) -> None:
        self.candidates: list[CandidateView] = []
        self.dialog: TextDialog | None = None
        self.summary = QLabel()
        self.body.addWidget(self.summary)
        self.model = RowsModel([      # the decision first, then the facts it rests on
            Column("Code", lambda c: c.code), Column("Name", lambda c: c.name),
            Column("Eligibility", eligibility_text, colour=eligibility_colour),
            Column("Unit", lambda c: c.unit), Column("Level", lambda c: c.level),
            Column("Specialty", lambda c: c.specialty), *candidate_fact_columns(),
            Column("Reason", lambda c: c.eligibility_reason)], self)
        self.view = table(self.model, (CODE, 70, 0, 130, 0, 0, *CANDIDATE_FACT_WIDTHS), multi=True)
        self.view.selectionModel().selectionChanged.connect(self._selection)
        self.body.addWidget(self.view, 1)
        self.facts = QLabel()               # the selected candidate's facts, in full
        self.facts.setWordWrap(True)
        self.facts.setStyleSheet("color:#333;")
        self.body.addWidget(self.facts)
        row = QHBoxLayout()
        self.eligible_button, self.ineligible_button, self.rest_button = QPushButton(), QPushButton(), QPushButton()
        self.eligible_button.clicked.connect(self.mark_selected_eligible)
        self.ineligible_button.clicked.connect(self.ask_ineligible)
        self.rest_button.clicked.connect(self.mark_rest_eligible)
        row.addWidget(self.eligible_button)
        row.addWidget(self.ineligible_button)
        row.addStretch(1)
        row.addWidget(self.rest_button)
        self.body.addLayout(row)

    def load(self) -> None:
        self.candidates = self.app.views.candidates(self.meeting_id)
        reload(self.view, self.candidates)
        self.retranslate()

    def retranslate(self) -> None:
        c = self.candidates
        self.summary.setText(tr("{n} candidates: {e} eligible, {i} ineligible, {u} not decided", n=len(c),
                                e=sum(x.eligible is True for x in c), i=sum(x.eligible is False for x in c),
                                u=sum(x.eligible is None for x in c)))
        self.eligible_button.setText(tr("Eligible"))
        self.ineligible_button.setText(tr("Ineligible…"))
        self.rest_button.setText(tr("All undecided are eligible"))
        self._selection()

    def _selection(self, *_args: object) -> None:
        rows = selected(self.view)
        self.facts.setText(facts_line(rows[0]) if len(rows) == 1 else tr("Select a candidate to see the facts "
                                                                          "the re-check looks at."))
        self.eligible_button.setEnabled(bool(rows))
        self.ineligible_button.setEnabled(bool(rows))
        self.rest_button.setEnabled(any(c.eligible is None for c in self.candidates))

    def record(self, codes: list[str], eligible: bool, reason: str = "") -> None:
        """One decision for the rows given, in one call; rows already decided alike are skipped."""
        actor, app, mid = self.actor(), self.app, self.meeting_id
        self.act(lambda: app.review.record_eligibility_many(actor, mid, codes, eligible, reason),
                 lambda r: report_batch(tr("Eligibility"), r))

    def mark_selected_eligible(self) -> None:
        self.record([c.code for c in selected(self.view)], True)

    def mark_rest_eligible(self) -> None:
        self.record([c.code for c in self.candidates if c.eligible is None], True)

    def ask_ineligible(self) -> None:
        """The reason is required: the dialog's OK stays disabled until it is written."""
        rows = selected(self.view)
        if not rows:
            return
        names = joined(f"{c.code} {c.name}" for c in rows)
        self.dialog = TextDialog(tr("Ineligible"), tr("Ineligible: {names}. The reason is recorded in the "
                                                      "minutes.", names=names),
                                 tr("Reason"), self)
        codes = [c.code for c in rows]
        self.dialog.given.connect(lambda reason: self.record(codes, False, reason))
        self.dialog.open()
