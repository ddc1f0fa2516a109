"""Correcting the annual plan (更正评审方案) before step 1 is finished: title, place, dates, the
pass-rate caps, the rubric, the quotas, the reduced panel, the ballot's quorum, and the facts the
papers print (the plan's filing number, the publicity's venue and objection contact, the meeting's
days and hours) — with a written reason. The engine checks the corrected plan as it checked the
filed one. And correcting the committee's own details (组建单位, 办事机构, the HR department it
files with) at any step, with a reason (:class:`CommitteeDialog`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.setup import CommitteeDetails, PlanEdit, QuotaInput
from app.views.meeting import PlanView
from ui.i18n import tr
from ui.models import Column, RowsModel
from ui.pages.common import AddOnEnter, table
from ui.pages.setup_forms import CorrectionDialog
from ui.plan_facts import CommitteeFacts, DaysEditor, PublicityFacts


def date_edit(value: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def date_of(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


class ListEditor(QGroupBox):
    """Rows of (name, number) — the rubric's items or the quotas — added, replaced and removed."""

    def __init__(self, title: str, headers: tuple[str, str], name_label: str,
                 rows: tuple[tuple[str, int], ...] | list[tuple[str, int]], low: int, high: int, value: int) -> None:
        super().__init__(title)
        layout = QVBoxLayout(self)
        self.model = RowsModel([Column(headers[0], lambda r: r[0]),
                                Column(headers[1], lambda r: r[1], align_right=True)], self)
        self.model.set_rows(list(rows))
        self.view: QTableView = table(self.model, (220,), stretch=1, numbers=False)
        self.view.setMinimumHeight(150)
        layout.addWidget(self.view)
        row = QHBoxLayout()
        self.name, self.number = AddOnEnter(), QSpinBox()
        self.name.setPlaceholderText(name_label)
        self.number.setRange(low, high)
        self.number.setValue(value)
        self.add, self.remove = QPushButton(tr("Add")), QPushButton(tr("Remove"))
        self.add.clicked.connect(self.add_row)
        self.name.returnPressed.connect(self.add.click)
        self.remove.clicked.connect(self.remove_selected)
        for w in (self.name, self.number, self.add, self.remove):
            row.addWidget(w)
        row.setStretch(0, 1)
        layout.addLayout(row)

    def add_row(self) -> None:
        text = self.name.text().strip()
        if text:
            rows = list(self.model.rows)
            at = next((i for i, r in enumerate(rows) if r[0] == text), None)
            if at is None:
                rows.append((text, self.number.value()))
            else:
                rows[at] = (text, self.number.value())
            self.model.set_rows(rows)
            self.name.clear()

    def remove_selected(self) -> None:
        gone = {i.row() for i in self.view.selectionModel().selectedRows()}
        self.model.set_rows([r for i, r in enumerate(self.model.rows) if i not in gone])

    def rows(self) -> list[tuple[str, int]]:
        return [(str(n), int(v)) for n, v in self.model.rows]


class PlanDialog(CorrectionDialog):
    """The plan's correctable parts, pre-filled with the plan as stored."""

    def __init__(self, parent: QWidget | None, plan: PlanView) -> None:
        super().__init__(tr("Correct the plan"), tr("Correct the plan to match the plan as filed. The change, its "
                                                    "reason and who made it are kept in the audit trail; after the "
                                                    "preparatory meeting the plan can no longer change."), parent)
        self.setMinimumWidth(1000)
        self.title_edit, self.place = QLineEdit(plan.title), QLineEdit(plan.place)
        self.plan_filed, self.meeting_date = date_edit(plan.plan_filed), date_edit(plan.meeting_date)
        self.reduced = QCheckBox(tr("The plan approves a reduced panel (fewer than 10 candidates)"))
        self.reduced.setChecked(plan.reduced_panel_approved)
        self.quorum = QLineEdit(plan.quorum)
        self.quorum.setToolTip(tr("A share of the panel's experts between 1/2 and 1, e.g. 2/3"))
        self.caps: dict[str, QDoubleSpinBox] = {}
        for label, field, needed in ((tr("Meeting"), self.title_edit, True), (tr("Place"), self.place, True),
                                     (tr("Plan filed"), self.plan_filed, False),
                                     (tr("Meeting date"), self.meeting_date, False),
                                     (tr("Quorum at the vote (share of the panel)"), self.quorum, True),
                                     ("", self.reduced, False)):
            self.add_row(label, field, required=needed)
        for level, cap in plan.caps.items():
            spin = QDoubleSpinBox()
            spin.setRange(0, 100)
            spin.setDecimals(1)
            spin.setSuffix(" %")
            spin.setValue(float(cap) * 100)
            self.caps[level] = spin
            self.add_row(tr("Pass-rate cap {level}", level=level), spin)
        # two tabs keep the dialog within a laptop's 768 pixels: the lists, and the facts the papers print
        self.tabs = QTabWidget()
        lists_page, facts_page = QWidget(), QWidget()
        lists = QHBoxLayout(lists_page)
        self.rubric = ListEditor(tr("Scoring rubric (量化评分细则)"), ("Rubric item", "Maximum points"), tr("Item"),
                                 plan.rubric, 1, 1000, 20)
        self.quotas = ListEditor(tr("Review quotas (评审职数)"), ("Quota key (unit/post)", "Places"), tr("Unit/post"),
                                 sorted(plan.quotas.items()), 0, 999, 1)
        lists.addWidget(self.rubric)
        lists.addWidget(self.quotas)
        facts = QHBoxLayout(facts_page)
        self.publicity = PublicityFacts(plan.plan_filing_number, plan.publicity_where, plan.objection_contact,
                                        plan.objection_phone)
        self.days = DaysEditor(plan.meeting_date, [(d.day, d.starts, d.ends) for d in plan.days])
        self.meeting_date.dateChanged.connect(lambda _d: self.days.set_meeting_date(date_of(self.meeting_date)))
        facts.addWidget(self.publicity, 3)
        facts.addWidget(self.days, 2)
        self.tabs.addTab(lists_page, tr("Rubric and quotas"))
        self.tabs.addTab(facts_page, tr("Filing, publicity and days"))
        self.form.insertRow(self.form.rowCount() - 1, self.tabs)
        self.check()

    def value(self) -> PlanEdit:
        caps = {level: str((Decimal(str(round(spin.value(), 1))) / 100).normalize())
                for level, spin in self.caps.items()}
        return PlanEdit(title=self.title_edit.text().strip(), place=self.place.text().strip(),
                        plan_filed=date_of(self.plan_filed), meeting_date=date_of(self.meeting_date),
                        rubric=self.rubric.rows(), caps=caps,
                        quotas={k: QuotaInput.from_key(k, n) for k, n in self.quotas.rows()},
                        reduced_panel_approved=self.reduced.isChecked(), quorum=self.quorum.text().strip(),
                        plan_filing_number=self.publicity.filing_number.text().strip(),
                        publicity_where=self.publicity.where.text().strip(),
                        objection_contact=self.publicity.contact.text().strip(),
                        objection_phone=self.publicity.phone.text().strip(), days=self.days.days())


class CommitteeDialog(CorrectionDialog):
    """The committee's 组建单位, 办事机构 and HR department, pre-filled as stored."""

    def __init__(self, parent: QWidget | None, plan: PlanView) -> None:
        super().__init__(tr("Correct the committee's details"), tr(
            "The minutes name the organizing authority; the office signs the publicity notice and the filing "
            "report, which is addressed to the HR department. The change and its reason are kept in the audit "
            "trail; papers already issued keep what they printed."), parent)
        self.setMinimumWidth(680)
        self.facts = CommitteeFacts(plan.organizer, plan.office, plan.hr_department)
        for label, edit in self.facts.rows():
            self.add_row(label, edit)
        self.check()

    def value(self) -> CommitteeDetails:
        return CommitteeDetails(organizer=self.facts.organizer.text().strip(), office=self.facts.office.text().strip(),
                                hr_department=self.facts.hr_department.text().strip())
