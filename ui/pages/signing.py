"""Step 8 签字确认: every candidate's conclusion, signed by the chair or the vice-chair.

The outcomes come from the ballot and cannot change here; signing marks each
conclusion with the signer's name and role (and the committee seal goes on the
printed sheet). The page shows who signed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton

from ui.announce import outcome_text, reason_text
from ui.i18n import bracketed, joined, role_name, tr
from ui.models import Column, RowsModel
from ui.pages.ballot import _OUTCOME_COLOUR, table
from ui.wizard import StepPage


class SigningPage(StepPage):
    """签字确认 — the chair or vice-chair signs all conclusions at once."""

    def build(self) -> None:
        self.votes: dict[str, str] = {}
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.body.addWidget(self.hint)
        self.model = RowsModel([
            Column("Code", lambda c: c.code), Column("Name", lambda c: c.name), Column("Level", lambda c: c.level),
            Column("Outcome", lambda c: outcome_text(c.outcome), colour=lambda c: _OUTCOME_COLOUR.get(c.outcome)),
            # the counts the conclusion follows from, read before signing it: first round, then any runoff
            Column("Votes (yes / no / abstain)", lambda c: self.votes.get(c.code, "")),
            Column("Reason", lambda c: reason_text(c.reason)),
            Column("Signed by", lambda c: c.signed_by or tr("not signed"),
                   colour=lambda c: None if c.signed_by else "#b3261e")], self)
        self.view = table(self.model, stretch_last=True)
        self.body.addWidget(self.view, 1)
        self.signed = QLabel()
        self.signed.setWordWrap(True)
        self.body.addWidget(self.signed)
        row = QHBoxLayout()
        self.signer_label = QLabel()
        self.signer = QComboBox()
        self.sign_button = QPushButton()
        self.sign_button.clicked.connect(self.sign)
        row.addWidget(self.signer_label)
        row.addWidget(self.signer)
        row.addStretch(1)
        row.addWidget(self.sign_button)
        self.body.addLayout(row)

    def load(self) -> None:
        self.cands = self.app.views.candidates(self.meeting_id)
        self.votes = self._votes()
        self.model.set_rows(self.cands)
        self._show()

    def _votes(self) -> dict[str, str]:
        counts = self.app.views.results(self.meeting_id).counts
        votes = {code: f"{t.yes}/{t.no}/{t.abstain}" for code, t in counts.get(1, {}).items()}
        for number in sorted(n for n in counts if n > 1):
            for code, t in counts[number].items():
                votes[code] = votes.get(code, "") + tr("; runoff (round {n}): {y}/{no}/{a}", n=number,
                                                        y=t.yes, no=t.no, a=t.abstain)
        return votes

    def _show(self) -> None:
        cands = self.cands
        keep = self.signer.currentData()
        self.signer.clear()
        for m in self.app.views.members(self.meeting_id):
            if m.role in ("chair", "vice_chair"):
                self.signer.addItem(m.name + bracketed(role_name(m.role)), m.code)
        if keep is not None and self.signer.findData(keep) >= 0:
            self.signer.setCurrentIndex(self.signer.findData(keep))
        signers = sorted({c.signed_by for c in cands if c.signed_by})
        unsigned = sum(1 for c in cands if not c.signed_by)
        passed = sum(1 for c in cands if c.outcome == "passed")
        text = tr("{p} passed and {f} not passed of {n} candidates.", p=passed,
                  f=sum(1 for c in cands if c.outcome == "failed"), n=len(cands))
        if signers:
            text += " " + tr("Signed by: {who}.", who=joined(signers))
        if unsigned:
            text += " " + tr("{n} conclusions are not signed yet.", n=unsigned)
        self.signed.setText(text)
        self.sign_button.setEnabled(unsigned > 0)

    def sign(self) -> None:
        signer, actor = self.signer.currentData(), self.actor()
        if signer:
            self.act(lambda: self.app.closing.sign_conclusions(actor, self.meeting_id, signer))

    def retranslate(self) -> None:
        self.hint.setText(tr("The conclusions follow from the ballot and cannot be changed. The chair or the "
                             "vice-chair signs them all; the committee seal goes on the printed result sheets."))
        self.signer_label.setText(tr("Signed by"))
        self.sign_button.setText(tr("Sign all conclusions"))
        if hasattr(self, "cands"):
            self._show()
