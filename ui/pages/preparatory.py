"""第1步 预备会 Preparatory meeting: check-in, the commitment letter (评委承诺书) signed by
every attending expert, and the representative who reads it aloud.

Experts normally sign at the expert terminal; the secretary can record a signature on
an expert's behalf (for a letter signed on paper) — the audit trail names the secretary.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain import Role
from app.views.panel import PanelRow
from ui.i18n import role_name, tr
from ui.models import Column, RowsModel
from ui.pages.common import CODE, reload, report_batch, selected, table, tick
from ui.wizard import StepPage


def commitment_letter(committee: str, meeting: str) -> str:
    """The letter's text (resources/texts/commitment_letter.txt) with its fields filled."""
    text = resources.files("resources").joinpath("texts/commitment_letter.txt").read_text("utf-8")
    return text.replace("{committee}", committee).replace("{meeting}", meeting)


def letter_html(text: str) -> str:
    title, _, rest = text.strip().partition("\n")
    paragraphs = [p.strip() for p in rest.split("\n\n") if p.strip()]
    return (f"<h3 style='text-align:center'>{title}</h3>"
            + "".join(f"<p style='text-indent:2em;line-height:150%'>{p}</p>" for p in paragraphs))


class PreparatoryPage(StepPage):
    """Check-in, commitments and the reader; the gate lists who is missing."""

    def build(self) -> None:
        self.members: list[PanelRow] = []
        split = QSplitter()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        self.progress = QLabel()
        self.progress.setWordWrap(True)      # a long line must not widen the column past the letter
        column.addWidget(self.progress)
        self.model = RowsModel([
            Column("Code", lambda m: m.code), Column("Name", lambda m: m.name),
            Column("Unit", lambda m: m.unit), Column("Title", lambda m: m.title),
            Column("Role", lambda m: role_name(m.role)), Column("Group", lambda m: m.group),
            Column("Checked in", lambda m: tick(m.checked_in), colour=lambda m: "#2e7d32"),
            Column("Letter signed", lambda m: tick(m.commitment_signed), colour=lambda m: "#2e7d32")], self)
        self.view = table(self.model, (CODE, 70, 0, 0, 0, 0, 0, 0), multi=True, stretch=2)   # the unit gives way
        self.view.selectionModel().selectionChanged.connect(self._selection)
        column.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.check_in_button, self.sign_button = QPushButton(), QPushButton()
        self.check_in_button.clicked.connect(self.check_in_selected)
        self.sign_button.clicked.connect(self.sign_selected)
        buttons.addWidget(self.check_in_button)
        buttons.addWidget(self.sign_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.sign_note = QLabel()
        self.sign_note.setWordWrap(True)
        self.sign_note.setStyleSheet("color:#555;")
        column.addWidget(self.sign_note)
        split.addWidget(left)

        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        self.letter_box = QGroupBox()
        box = QVBoxLayout(self.letter_box)
        self.letter = QTextBrowser()
        box.addWidget(self.letter)
        column.addWidget(self.letter_box, 1)
        self.reader_box = QGroupBox()
        box = QVBoxLayout(self.reader_box)
        self.reader_now = QLabel()
        row = QHBoxLayout()
        self.reader = QComboBox()
        self.reader_button = QPushButton()
        self.reader_button.clicked.connect(self.record_reader)
        row.addWidget(self.reader, 1)
        row.addWidget(self.reader_button)
        box.addWidget(self.reader_now)
        box.addLayout(row)
        column.addWidget(self.reader_box)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([660, 320])
        self.body.addWidget(split)

    def load(self) -> None:
        self.members = self.app.views.panel(self.meeting_id)
        reload(self.view, self.members)
        plan = self.app.views.plan(self.meeting_id)
        self.reader_code = plan.commitment_reader
        self.letter.setHtml(letter_html(commitment_letter(plan.committee, plan.title)))
        current = self.reader.currentData()
        self.reader.clear()
        for m in self.members:
            if m.role == Role.EXPERT.value and m.checked_in:
                self.reader.addItem(f"{m.code} {m.name}", m.code)
        index = self.reader.findData(current or plan.commitment_reader)
        self.reader.setCurrentIndex(max(index, 0))
        self.retranslate()

    def retranslate(self) -> None:
        members = getattr(self, "members", [])
        checked = [m for m in members if m.checked_in]
        presiding = sum(Role(m.role).presides for m in members)
        # the quorum counts the experts without the chair and vice-chair: say both numbers here, or step 7's
        # "评委总数 13 人" reads as a contradiction of "评委会共 15 人"
        self.progress.setText(tr("Panel: {n} people ({e} experts, {p} chair/vice-chair); {c} checked in, of whom {s} "
                                 "have signed the commitment", n=len(members), e=len(members) - presiding, p=presiding,
                                 c=len(checked), s=sum(m.commitment_signed for m in checked)))
        self.check_in_button.setText(tr("Check in"))
        self.sign_button.setText(tr("Record signature on the expert's behalf"))
        self.sign_note.setText(tr("Experts sign the commitment letter at the expert terminal. Record a "
                                  "signature here only for a letter signed on paper; the audit trail "
                                  "names you as the one who recorded it."))
        self.letter_box.setTitle(tr("Commitment letter (评委承诺书)"))
        self.reader_box.setTitle(tr("Read aloud by one representative"))
        self.reader_button.setText(tr("Record the reader"))
        reader = next((m for m in members if m.code == getattr(self, "reader_code", None)), None)
        self.reader_now.setText(tr("Read by: {name}", name=f"{reader.code} {reader.name}") if reader
                                else tr("Nobody recorded yet"))
        self._selection()

    def _selection(self, *_args: object) -> None:
        rows = selected(self.view)
        self.check_in_button.setEnabled(any(not m.checked_in for m in rows))
        self.sign_button.setEnabled(any(m.checked_in and not m.commitment_signed for m in rows))
        self.reader_button.setEnabled(self.reader.count() > 0)

    def check_in_selected(self) -> None:
        """Check in the selected members in one call; anyone already checked in (at the kiosk, a
        moment ago) is skipped, and the message says how many were done and skipped."""
        codes = [m.code for m in selected(self.view) if not m.checked_in]
        actor, app, mid = self.actor(), self.app, self.meeting_id
        self.act(lambda: app.setup.check_in_many(actor, mid, codes),
                 lambda r: report_batch(tr("Check in"), r))

    def sign_selected(self) -> None:
        """Record the selected experts' signatures in one call; those who signed at the terminal
        meanwhile are skipped."""
        codes = [m.code for m in selected(self.view) if m.checked_in and not m.commitment_signed]
        actor, app, mid = self.actor(), self.app, self.meeting_id
        self.act(lambda: app.review.sign_commitments(actor, mid, codes),
                 lambda r: report_batch(tr("Commitment letter (评委承诺书)"), r))

    def record_reader(self) -> None:
        code = self.reader.currentData()
        actor, app, mid = self.actor(), self.app, self.meeting_id
        if code:
            self.act(lambda: app.review.record_commitment_reading(actor, mid, code))
