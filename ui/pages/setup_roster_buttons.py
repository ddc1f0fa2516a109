"""The correction buttons under the candidate roster and the expert pool (setup, second and third
tabs): add, correct, withdraw or remove the selected row, and record a 资深中级 expert's approval by
the HR department (人社部门批准). Each opens a dialog (:mod:`ui.pages.setup_forms`); the services
refuse every correction once step 1 is finished, and the buttons are hidden then."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from app.rules.levels import REVIEWS, is_committee_level
from app.views.candidates import CandidateView
from app.views.panel import PoolRow
from ui.i18n import tr
from ui.pages.common import selected
from ui.pages.setup_forms import CandidateDialog, CorrectionDialog, PoolExpertDialog

if TYPE_CHECKING:
    from ui.pages.setup_people import RosterTab


class RosterButtons(QWidget):
    """Add / correct / withdraw (candidates) or add / correct / remove / approve (pool experts)."""

    def __init__(self, tab: RosterTab) -> None:
        super().__init__()
        self.tab = tab
        self.dialog: CorrectionDialog | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.add, self.edit, self.drop = QPushButton(), QPushButton(), QPushButton()
        self.approve = QPushButton()
        self.add.clicked.connect(self.ask_add)
        self.edit.clicked.connect(self.ask_edit)
        self.drop.clicked.connect(self.ask_drop)
        self.approve.clicked.connect(self.ask_approve)
        for button in (self.add, self.edit, self.drop, self.approve):
            row.addWidget(button)
        row.addStretch(1)
        self.approve.setVisible(tab.kind == "pool")
        self.locked = False

    # -- state ----------------------------------------------------------------------------------------
    def current(self) -> Any:
        rows = selected(self.tab.view)
        return rows[0] if len(rows) == 1 else None

    def update_state(self) -> None:
        row = self.current()
        for button in (self.add, self.edit, self.drop, self.approve):
            button.setVisible(not self.locked and (button is not self.approve or self.tab.kind == "pool"))
        self.edit.setEnabled(row is not None)
        self.drop.setEnabled(row is not None)
        self.approve.setEnabled(isinstance(row, PoolRow) and row.title == "中级")

    def set_locked(self, locked: bool) -> None:
        self.locked = locked
        self.update_state()

    def retranslate(self) -> None:
        self.add.setText(tr("Add…"))
        self.edit.setText(tr("Correct…"))
        self.drop.setText(tr("Withdraw…") if self.tab.kind == "candidates" else tr("Remove from the pool…"))
        self.approve.setText(tr("Record HR approval (资深中级)…"))
        self.update_state()

    # -- dialogs ------------------------------------------------------------------------------------
    def _open(self, dialog: CorrectionDialog, build: Callable[[], Callable[[], object]]) -> None:
        """Show ``dialog``; on OK, ``build()`` reads the dialog (on the UI thread) into the service call
        that runs off it. The dialog closes when the call succeeds, and shows a refusal in place."""
        self.dialog = dialog
        page = self.tab.page

        def run() -> None:
            page.act(build(), lambda _r: dialog.accept(), dialog.show_refusal)
        dialog.submitted.connect(run)
        dialog.open()

    def _candidate_dialog(self, row: CandidateView | None) -> CandidateDialog:
        plan = self.tab.page.plan_view()
        groups = sorted({c.group for c in self.tab.model.rows if c.group})
        levels = REVIEWS[plan.level] if is_committee_level(plan.level) else ()
        return CandidateDialog(self, levels, sorted(plan.quotas), groups, row)

    def ask_add(self) -> None:
        page = self.tab.page
        actor, mid = page.actor(), page.meeting_id
        if self.tab.kind == "candidates":
            cand = self._candidate_dialog(None)
            self._open(cand, lambda: partial(page.app.setup.add_candidates, actor, mid, [cand.value()]))
            return
        cid = page.plan_view().committee_id
        expert = PoolExpertDialog(self)
        self._open(expert, lambda: partial(page.app.setup.add_pool, actor, cid, [expert.value()]))

    def ask_edit(self) -> None:
        row, page = self.current(), self.tab.page
        if row is None:
            return
        actor, mid = page.actor(), page.meeting_id
        if isinstance(row, CandidateView):
            cand = self._candidate_dialog(row)
            self._open(cand, lambda: partial(page.app.setup.edit_candidate, actor, mid, cand.value(),
                                             cand.reason_text()))
            return
        expert = PoolExpertDialog(self, row)
        self._open(expert, lambda: partial(page.app.setup.edit_pool_expert, actor, mid, expert.value(),
                                           expert.reason_text()))

    def ask_drop(self) -> None:
        row, page = self.current(), self.tab.page
        if row is None:
            return
        actor, mid, code = page.actor(), page.meeting_id, row.code
        if isinstance(row, CandidateView):
            dialog = CorrectionDialog(tr("Withdraw {name}", name=f"{row.code} {row.name}"),
                                      tr("The candidate leaves the agenda: not on the ballot, not counted in the "
                                         "pass-rate base. The withdrawal and its reason stay in the record."),
                                      self, ok_text=tr("Withdraw"), reason_label=tr("Reason for the withdrawal"))
            self._open(dialog, lambda: partial(page.app.setup.withdraw_candidate, actor, mid, code,
                                               dialog.reason_text()))
            return
        dialog = CorrectionDialog(tr("Remove {name} from the pool", name=f"{row.code} {row.name}"),
                                  tr("An expert on the drawn panel stays there until the draw is re-run; the setup "
                                     "lists them until then."), self, ok_text=tr("Remove"),
                                  reason_label=tr("Reason for the removal"))
        self._open(dialog, lambda: partial(page.app.setup.remove_pool_expert, actor, mid, code, dialog.reason_text()))

    def ask_approve(self) -> None:
        row, page = self.current(), self.tab.page
        if not isinstance(row, PoolRow):
            return
        actor, mid, code = page.actor(), page.meeting_id, row.code
        note = tr("A 中级 expert serves in the pool as 资深中级 only with the approval of the HR department "
                  "(人力资源和社会保障部门), and such experts are at most 1/4 of the pool (X§6).")
        dialog = CorrectionDialog(tr("HR approval of {name} as 资深中级", name=f"{row.code} {row.name}"), note,
                                  self, reason=False, ok_text=tr("Record"))
        reference = QLineEdit(row.hr_approval or "")
        reference.setPlaceholderText(tr("e.g. 湘人社函〔2026〕12号"))
        dialog.add_row(tr("Approval (document number)"), reference, required=True)
        dialog.check()
        self._open(dialog, lambda: partial(page.app.setup.approve_senior_intermediate, actor, mid, code,
                                           reference.text()))
