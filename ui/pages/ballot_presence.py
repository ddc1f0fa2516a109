"""Step 7, before a round: who is present at the vote, against the plan's quorum.

A round opens only with the plan's quorum of the drawn panel present (default: two thirds of
the panel's experts, rounded up — :mod:`app.rules.quorum`); the panel shows the quorum, counts
the ticks, and keeps *Open the ballot* disabled below it (the engine refuses too). Below the
X§8 minimum composition of the panel the chair is warned, and the vote may still be held.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.rules.ballot import threshold
from app.views.panel import MemberView, QuorumView
from ui.i18n import bracketed, joined, tr


class PresencePanel(QWidget):
    """Who is present at the vote (出席表决的评委): a tick per expert; the chair and vice-chair never vote."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        inner = QWidget()
        self.grid = QGridLayout(inner)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.grid.setHorizontalSpacing(28)
        self.grid.setVerticalSpacing(10)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color:#b3261e;font-weight:bold;")
        self.warning.hide()
        layout.addWidget(self.warning)
        self.boxes: dict[str, QCheckBox] = {}
        self.presiding: list[MemberView] = []
        self.runoff = False
        self.quorum: QuorumView | None = None

    def set_members(self, members: list[MemberView], departed: set[str], preselect: set[str] | None,
                    quorum: QuorumView | None = None) -> None:
        for box in self.boxes.values():
            box.deleteLater()
        self.boxes = {}
        self.quorum = quorum
        self.runoff = preselect is not None
        experts = sorted((m for m in members if m.role == "expert" and m.checked_in), key=lambda m: m.code)
        self.presiding = [m for m in members if m.role != "expert"]
        for i, m in enumerate(experts):
            box = QCheckBox(f"{m.code}  {m.name}  {m.group or ''}" + (f"  ({tr('departed')})" if m.code in departed
                                                                     else ""))
            box.setChecked(m.code in preselect if preselect is not None else m.code not in departed)
            box.toggled.connect(lambda _on: self.retranslate())
            self.grid.addWidget(box, i // 3, i % 3)
            self.boxes[m.code] = box
        self.retranslate()

    def present(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def quorate(self) -> bool:
        """Whether the ticked experts reach the plan's quorum (unknown quorum: the engine decides)."""
        return self.quorum is None or len(self.present()) >= self.quorum.needed

    def retranslate(self) -> None:
        chair = joined(m.name + bracketed(tr("Chair") if m.role == "chair" else tr("Vice-chair"))
                       for m in self.presiding)
        self.note.setText(tr("Untick an expert who is absent or has left: the round records them as absent. "
                             "No proxy, no late vote. {chair} preside and do not vote.", chair=chair))
        n = len(self.present())
        text = tr("Present at the vote: {n}; absent or departed: {a}.", n=n, a=len(self.boxes) - n)
        if n and not self.runoff:
            text += " " + tr("Pass mark: at least {t} yes votes (two thirds).", t=threshold(n))
        q = self.quorum
        warnings: list[str] = []
        if q is not None:
            text += " " + tr("Quorum: {share} of the panel's {panel} experts (the presiding chair and vice-chair not "
                              "counted), at least {needed} present.",
                             share=q.share, panel=q.panel, needed=q.needed)
            if n < q.needed:
                warnings.append(tr("Below the quorum: the round cannot open with {n} present; {needed} are needed.",
                                   n=n, needed=q.needed))
            elif q.below_minimum(n):
                warnings.append(tr("Warning to the chair: {n} present is below the minimum panel of {m} for this "
                                   "committee (X§8).", n=n, m=q.minimum))
        self.summary.setText(text)
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))
        self.changed.emit()
