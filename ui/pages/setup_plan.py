"""Setup, first tab: the committee and the filed plan — corrected, with a written reason, until
step 1 is finished (:class:`~ui.pages.setup_plan_dialog.PlanDialog`) — and the meeting's staff,
each with their unit.

The facts the papers print are shown with the plan, "not entered" where empty: the committee's
组建单位, 办事机构 and HR department (corrected at any step with a reason,
:class:`~ui.pages.setup_plan_dialog.CommitteeDialog` — an older file fills them in here), the
plan's filing number, the meeting's days and hours, the publicity's venue and objection contact."""

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
from ui.i18n import bridge, tr
from ui.models import Column, RowsModel
from ui.pages.common import level_name, organized_name, table
from ui.pages.setup_key import KeyBox
from ui.pages.setup_plan_dialog import CommitteeDialog, PlanDialog
from ui.staff_sign_in import StaffCodeDialog

if TYPE_CHECKING:
    from ui.pages.setup import SetupPage as Page

_FIELDS = ("committee", "level", "organised", "field", "filing", "organizer", "office", "hr_department", "year",
           "meeting", "plan_filed", "plan_filing_number", "date", "days", "place", "publicity_where", "objections",
           "caps", "quorum", "reduced")
_FACTS = ("organizer", "office", "hr_department", "plan_filing_number", "publicity_where", "objections")


def _field_names() -> dict[str, str]:
    return {"committee": tr("Committee"), "level": tr("Committee level"), "organised": tr("Organised"),
            "field": tr("Series or specialty"), "filing": tr("Filing (核准备案)"), "year": tr("Review year"),
            "meeting": tr("Meeting"), "plan_filed": tr("Plan filed"), "date": tr("Meeting date"),
            "place": tr("Place"), "caps": tr("Pass-rate caps"), "quorum": tr("Quorum at the vote"),
            "reduced": tr("Reduced panel"), "organizer": tr("Organizer (组建单位)"),
            "office": tr("Office (办事机构)"), "hr_department": tr("Files with (备案机关)"),
            "plan_filing_number": tr("Plan filing no. (备案文号)"), "days": tr("Days and hours"),
            "publicity_where": tr("Publicity website or place"), "objections": tr("Objections to")}


def days_text(plan: PlanView) -> str:
    """The meeting's days with their hours, or its date with the hours not recorded."""
    if not plan.days:
        return tr("{date}, hours not recorded", date=plan.meeting_date.isoformat())
    return ("；" if bridge.language == "zh" else "; ").join(f"{d.day.isoformat()} {d.starts}–{d.ends}"
                                                          for d in plan.days)


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
        self.committee_button = QPushButton()      # the committee's details: at any step
        self.committee_button.clicked.connect(self.ask_committee)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.committee_button)
        buttons.addStretch(1)
        self.form.addRow(buttons)                  # across both columns: two long buttons beside the labels
        #                                          widened the tab past a 1280-pixel window in English
        self.dialog: PlanDialog | None = None
        self.committee_dialog: CommitteeDialog | None = None
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
                                 Column("Places", lambda r: r[1], align_right=True),
                                 Column("Bound to (X§10(七))", lambda r: r[2])], self)
        box.addWidget(table(self.quotas, (200, 50), stretch=2, numbers=False))
        right.addWidget(self.quota_box, 2)

        self.staff_box = QGroupBox()
        staff = QFormLayout(self.staff_box)
        self.supervisor = QLineEdit()
        self.secretary = QLineEdit()
        self.supervisor_unit, self.secretary_unit = QLineEdit(), QLineEdit()
        self.save = QPushButton()
        self.save.clicked.connect(self.save_staff)
        for edit in self._staff_edits():
            edit.textChanged.connect(self._staff_edited)
        self.supervisor_label, self.secretary_label = QLabel(), QLabel()
        self.supervisor_unit_label, self.secretary_unit_label = QLabel(), QLabel()
        staff.addRow(self.supervisor_label, self.supervisor)
        staff.addRow(self.supervisor_unit_label, self.supervisor_unit)
        staff.addRow(self.secretary_label, self.secretary)
        staff.addRow(self.secretary_unit_label, self.secretary_unit)
        self.codes_button = QPushButton()        # each staff member's own code (paper ballots' double entry)
        self.codes_button.setProperty("allowed_when_locked", True)
        self.codes_button.clicked.connect(self.staff_codes)
        staff_buttons = QHBoxLayout()
        staff_buttons.addWidget(self.save)
        staff_buttons.addWidget(self.codes_button)
        staff_buttons.addStretch(1)
        staff.addRow("", staff_buttons)
        right.addWidget(self.staff_box)
        row.addLayout(right, 4)

    def load(self, plan: PlanView, quorum: QuorumView | None = None) -> None:
        self.plan, self.quorum = plan, quorum
        self.rubric.set_rows(plan.rubric)
        self.quotas.set_rows([(key, places, _binding(plan.quota_bindings.get(key)))
                              for key, places in sorted(plan.quotas.items())])
        for edit, value in zip(self._staff_edits(), self._staff_stored(), strict=True):
            if not edit.hasFocus():
                edit.setText(value)
        self.retranslate()

    def _staff_edits(self) -> tuple[QLineEdit, QLineEdit, QLineEdit, QLineEdit]:
        return (self.supervisor, self.supervisor_unit, self.secretary, self.secretary_unit)

    def _staff_stored(self) -> tuple[str, str, str, str]:
        p = self.plan
        return (p.supervisor, p.supervisor_unit, p.secretary, p.secretary_unit) if p else ("", "", "", "")

    def retranslate(self) -> None:
        self.plan_box.setTitle(tr("Committee and plan (as filed)"))
        self.edit_button.setText(tr("Correct the plan…"))
        self.committee_button.setText(tr("Correct the committee's details…"))
        self.rubric_box.setTitle(tr("Scoring rubric (量化评分细则)"))
        self.quota_box.setTitle(tr("Review quotas (评审职数)"))
        self.staff_box.setTitle(tr("Staff"))
        self.supervisor_label.setText(tr("Supervisor (纪检监察)"))
        self.secretary_label.setText(tr("Secretary (办事机构)"))
        self.supervisor_unit_label.setText(tr("Supervisor's unit"))
        self.secretary_unit_label.setText(tr("Secretary's unit"))
        self.supervisor.setPlaceholderText(tr("Required: witnesses the draw and the count"))
        self.supervisor_unit.setPlaceholderText(tr("e.g. 州纪委监委派驻纪检监察组"))
        self.secretary_unit.setPlaceholderText(tr("The secretary's unit, e.g. the office (办事机构)"))
        self.save.setText(tr("Save staff"))
        self.codes_button.setText(tr("Staff codes…"))
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
            "organizer": p.organizer, "office": p.office, "hr_department": p.hr_department,
            "plan_filing_number": p.plan_filing_number, "days": days_text(p), "publicity_where": p.publicity_where,
            "objections": "，".join(x for x in (p.objection_contact, p.objection_phone) if x),
        }
        for key, text in values.items():
            empty = key in _FACTS and not text
            # a fact not entered: the papers leave a blank for it, and this says so
            self.values[key].setText(tr("Not entered — the papers leave a blank") if empty else text)
            self.values[key].setStyleSheet("color:#8a5a00;" if empty else "")
        self.rubric_total.setText(tr("Total: {n} points", n=sum(m for _, m in p.rubric)))

    def set_locked(self, locked: bool) -> None:
        self.edit_button.setVisible(not locked)
        for edit in self._staff_edits():
            edit.setReadOnly(locked)
        self.save.setVisible(not locked)

    def _staff_edited(self) -> None:
        changed = self.plan is not None and tuple(e.text().strip() for e in self._staff_edits()) != self._staff_stored()
        self.save.setEnabled(bool(changed and self.supervisor.text().strip()))

    def save_staff(self) -> None:
        supervisor, supervisor_unit, secretary, secretary_unit = (e.text() for e in self._staff_edits())
        page = self.page
        actor = secretary.strip() or page.actor()
        page.act(lambda: page.app.setup.set_staff(actor, page.meeting_id, supervisor=supervisor,
                                                  secretary=secretary, supervisor_unit=supervisor_unit,
                                                  secretary_unit=secretary_unit))

    def staff_codes(self) -> None:
        """Where the secretary and the supervisor each set their own code (:class:`StaffCodeDialog`)."""
        self.codes_dialog = StaffCodeDialog(self.page.app, self.page.meeting_id, self)
        self.codes_dialog.open()

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

    def ask_committee(self) -> None:
        """The committee's 组建单位, 办事机构 and HR department: filled in or corrected at any step."""
        if self.plan is None:
            return
        self.committee_dialog = dialog = CommitteeDialog(self, self.plan)
        page, committee_id = self.page, self.plan.committee_id

        def save() -> None:
            details, reason, actor = dialog.value(), dialog.reason_text(), page.actor()
            page.act(lambda: page.app.setup.edit_committee(actor, committee_id, details, reason),
                     lambda _r: dialog.accept(), dialog.show_refusal)
        dialog.submitted.connect(save)
        dialog.open()


def _binding(bound: tuple[str | None, str | None] | None) -> str:
    """A quota's unit and post, or that it is bound to none (written as 单位/岗位 it would be)."""
    unit, post = bound or (None, None)
    if unit and post:
        return f"{unit} · {post}"
    return tr("not bound: write the key as unit/post")
