"""Setup, first tab: the committee and the filed plan — corrected, with a written reason, until
step 1 is finished (:class:`~ui.pages.setup_plan_dialog.PlanDialog`) — and the meeting's staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.views.meeting import PlanView
from app.views.panel import QuorumView
from ui.i18n import tr
from ui.models import Column, RowsModel
from ui.pages.common import level_name, organized_name, table
from ui.pages.setup_key import KeyBox
from ui.pages.setup_plan_dialog import PlanDialog

if TYPE_CHECKING:
    from ui.pages.setup import SetupPage as Page

_FIELDS = ("committee", "level", "organised", "field", "filing", "year", "meeting", "plan_filed", "date",
           "place", "caps", "quorum", "reduced")


def _field_names() -> dict[str, str]:
    return {"committee": tr("Committee"), "level": tr("Committee level"), "organised": tr("Organised"),
            "field": tr("Series or specialty"), "filing": tr("Filing (核准备案)"), "year": tr("Review year"),
            "meeting": tr("Meeting"), "plan_filed": tr("Plan filed"), "date": tr("Meeting date"),
            "place": tr("Place"), "caps": tr("Pass-rate caps"), "quorum": tr("Quorum at the vote"),
            "reduced": tr("Reduced panel")}


class PlanTab(QWidget):
    """What the plan fixed, corrected through a dialog until step 1 is finished, and who staffs the meeting."""

    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.plan: PlanView | None = None
        self.quorum: QuorumView | None = None
        row = QHBoxLayout(self)
        self.plan_box = QGroupBox()
        self.form = QFormLayout(self.plan_box)
        self.values: dict[str, QLabel] = {}
        self.names: dict[str, QLabel] = {}
        for key in _FIELDS:
            name, value = QLabel(), QLabel()
            value.setWordWrap(True)
            self.names[key], self.values[key] = name, value
            self.form.addRow(name, value)
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self.ask_edit)
        self.form.addRow("", self.edit_button)
        self.dialog: PlanDialog | None = None
        row.addWidget(self.plan_box, 5)

        right = QVBoxLayout()
        right.addWidget(KeyBox(page))                    # the committee key, created here at setup
        self.rubric_box = QGroupBox()
        box = QVBoxLayout(self.rubric_box)
        self.rubric = RowsModel([Column("Rubric item", lambda r: r[0]),
                                 Column("Maximum points", lambda r: r[1], align_right=True)], self)
        self.rubric_view = table(self.rubric, (200,), stretch=1, numbers=False)
        self.rubric_total = QLabel()
        box.addWidget(self.rubric_view)
        box.addWidget(self.rubric_total)
        right.addWidget(self.rubric_box, 3)
        self.quota_box = QGroupBox()
        box = QVBoxLayout(self.quota_box)
        self.quotas = RowsModel([Column("Quota key (unit/post)", lambda r: r[0]),
                                 Column("Places", lambda r: r[1], align_right=True)], self)
        box.addWidget(table(self.quotas, (220,), stretch=1, numbers=False))
        right.addWidget(self.quota_box, 2)

        self.staff_box = QGroupBox()
        staff = QFormLayout(self.staff_box)
        self.supervisor = QLineEdit()
        self.secretary = QLineEdit()
        self.save = QPushButton()
        self.save.clicked.connect(self.save_staff)
        self.supervisor.textChanged.connect(self._staff_edited)
        self.secretary.textChanged.connect(self._staff_edited)
        self.supervisor_label, self.secretary_label = QLabel(), QLabel()
        staff.addRow(self.supervisor_label, self.supervisor)
        staff.addRow(self.secretary_label, self.secretary)
        staff.addRow("", self.save)
        right.addWidget(self.staff_box)
        row.addLayout(right, 4)

    def load(self, plan: PlanView, quorum: QuorumView | None = None) -> None:
        self.plan, self.quorum = plan, quorum
        self.rubric.set_rows(plan.rubric)
        self.quotas.set_rows(sorted(plan.quotas.items()))
        if not self.supervisor.hasFocus():
            self.supervisor.setText(plan.supervisor)
        if not self.secretary.hasFocus():
            self.secretary.setText(plan.secretary)
        self.retranslate()

    def retranslate(self) -> None:
        self.plan_box.setTitle(tr("Committee and plan (as filed)"))
        self.edit_button.setText(tr("Correct the plan…"))
        self.rubric_box.setTitle(tr("Scoring rubric (量化评分细则)"))
        self.quota_box.setTitle(tr("Review quotas (评审职数)"))
        self.staff_box.setTitle(tr("Staff"))
        self.supervisor_label.setText(tr("Supervisor (纪检监察)"))
        self.secretary_label.setText(tr("Secretary (办事机构)"))
        self.supervisor.setPlaceholderText(tr("Required: witnesses the draw and the count"))
        self.save.setText(tr("Save staff"))
        names = _field_names()
        for key, label in self.names.items():
            label.setText(names[key])
        self._staff_edited()
        p = self.plan
        if p is None:
            return
        caps = "；".join(f"{level} {float(cap):.0%}" for level, cap in p.caps.items()) or tr("none")
        values = {
            "committee": p.committee, "level": level_name(p.level), "organised": organized_name(p.organized_by),
            "field": p.field, "filing": f"{p.filing_number}  {p.filing_date.isoformat()}".strip(),
            "year": str(p.year), "meeting": p.title, "plan_filed": p.plan_filed.isoformat(),
            "date": p.meeting_date.isoformat(), "place": p.place, "caps": caps,
            "quorum": tr("{share} of the panel's experts present ({needed} of {panel})", share=p.quorum,
                         needed=self.quorum.needed, panel=self.quorum.panel) if self.quorum else p.quorum,
            "reduced": tr("approved in the plan") if p.reduced_panel_approved else tr("not approved"),
        }
        for key, text in values.items():
            self.values[key].setText(text)
        self.rubric_total.setText(tr("Total: {n} points", n=sum(m for _, m in p.rubric)))

    def set_locked(self, locked: bool) -> None:
        self.edit_button.setVisible(not locked)
        self.supervisor.setReadOnly(locked)
        self.secretary.setReadOnly(locked)
        self.save.setVisible(not locked)

    def _staff_edited(self) -> None:
        p = self.plan
        changed = p is not None and (self.supervisor.text().strip() != p.supervisor
                                     or self.secretary.text().strip() != p.secretary)
        self.save.setEnabled(bool(changed and self.supervisor.text().strip()))

    def save_staff(self) -> None:
        supervisor, secretary = self.supervisor.text(), self.secretary.text()
        page = self.page
        actor = secretary.strip() or page.actor()
        page.act(lambda: page.app.setup.set_staff(actor, page.meeting_id, supervisor=supervisor,
                                                  secretary=secretary))

    def ask_edit(self) -> None:
        """The plan dialog; it closes when the engine accepts the correction, else shows why not."""
        if self.plan is None:
            return
        self.dialog = dialog = PlanDialog(self, self.plan)
        page = self.page

        def save() -> None:
            edit, reason, actor = dialog.value(), dialog.reason_text(), page.actor()
            page.act(lambda: page.app.setup.edit_plan(actor, page.meeting_id, edit, reason),
                     lambda _r: dialog.accept(), dialog.show_refusal)
        dialog.submitted.connect(save)
        dialog.open()
