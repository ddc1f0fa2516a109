"""The start dialog, shown when the database holds no meeting: create the committee and the
meeting under its filed plan (年度评审方案), or open the demo meeting.

The form checks what it can (required fields, a rubric, the secretary) before the Create
button is enabled; the service checks everything — a lapsed filing (committee.filing_lapsed),
a plan filed fewer than 5 working days before the meeting (plan.filed_late), a year the
working-day calendar does not know — and its refusal is shown in the dialog. The committee
and the meeting are opened by one call (:meth:`SetupService.open_meeting`: one transaction,
one audit event in the name of the secretary the plan names), so a refused attempt leaves
nothing behind; a committee already stored with the same details is reused.

The facts the papers print (:mod:`ui.plan_facts`: 组建单位, 办事机构, the HR department, the plan's
filing number, the publicity's venue and objection contact, the staff's units, the meeting's
days and hours) are asked here too; any of them may stay empty — the form lists those still
empty, the papers leave blanks for them — and they can be corrected until step 1 is finished.

The demo meeting never goes into the database the dialog was opened on: it is built in its own
file (``demo.sqlite3`` beside the default database, rebuilt each time), and the dialog says so in
:attr:`StartDialog.opened_path`, which the caller opens instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.demo import build_demo
from app.domain import Step
from app.errors import RuleViolation
from app.rules.levels import DEFAULT_CAPS, REVIEWS
from app.services import Conclave
from app.services.setup import CommitteeInput, PlanInput, QuotaInput
from ui.calendar_offer import CalendarButton
from ui.i18n import joined, refusal_text, tr
from ui.main import demo_db_path, prepare_demo
from ui.message_bar import CopyDetailsButton
from ui.models import Column, RowsModel
from ui.ops import messages, run_op
from ui.pages.common import AddOnEnter, level_name, organized_name, table
from ui.plan_facts import CommitteeFacts, DaysEditor, PublicityFacts, missing_facts
from ui.scrolling import fit_to_screen, scrolling


def _date(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


def _date_edit(value: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class StartDialog(QDialog):
    """A new committee and meeting, or the demo; ``meeting_id`` is set when accepted, and
    ``opened_path`` too when the meeting is in another file (the demo's)."""

    def __init__(self, app: Conclave, parent: QWidget | None = None, today: dt.date | None = None,
                 demo_path: Path | None = None, offer_demo: bool = True) -> None:
        super().__init__(parent)
        self.app = app
        self.meeting_id: int | None = None
        self.opened_path: Path | None = None
        self.demo_path = demo_path if demo_path is not None else demo_db_path()
        today = today or dt.date.today()
        self.setWindowTitle(tr("Conclave — new meeting"))
        outer = QVBoxLayout(self)
        intro = QLabel(tr("This database holds no meeting yet. Enter the committee and the annual plan as "
                          "filed, or open the demo meeting to try the program."))
        intro.setWordWrap(True)
        outer.addWidget(intro)
        form_area = QWidget()
        columns = QHBoxLayout(form_area)
        columns.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(form_area), 1)        # scrolls on a laptop's 768-pixel screen
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        box = QGroupBox(tr("Committee (评委会)"))
        form = QFormLayout(box)
        self.name, self.field, self.filing_number = QLineEdit(), QLineEdit(), QLineEdit()
        self.name.setPlaceholderText(tr("e.g. 某市卫生系列中级职称评审委员会"))
        self.field.setPlaceholderText(tr("e.g. 卫生系列"))
        self.level, self.organized = QComboBox(), QComboBox()
        for value in ("senior", "intermediate", "junior"):
            self.level.addItem(level_name(value), value)
        for value in ("series", "specialty"):
            self.organized.addItem(organized_name(value), value)
        self.filing_date = _date_edit(today.replace(month=1, day=1))
        self.filing_number.setPlaceholderText(tr("e.g. 湘人社函〔2024〕118号"))
        form.addRow(tr("Committee name"), self.name)
        form.addRow(tr("Committee level"), self.level)
        form.addRow(tr("Organised"), self.organized)
        form.addRow(tr("Series or specialty"), self.field)
        form.addRow(tr("Filing number"), self.filing_number)
        form.addRow(tr("Filing date"), self.filing_date)
        self.committee_facts = CommitteeFacts()
        for label, edit in self.committee_facts.rows():
            form.addRow(label, edit)
        left.addWidget(box)

        box = QGroupBox(tr("Annual plan (年度评审方案)"))
        form = QFormLayout(box)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.title_edit, self.place = QLineEdit(), QLineEdit()
        self.title_edit.setPlaceholderText(tr("e.g. 2026年度卫生系列中级职称评审"))
        self.plan_filed = _date_edit(today)
        self.meeting_date = _date_edit(today + dt.timedelta(days=14))
        self.reduced = QCheckBox(tr("The plan approves a reduced panel (fewer than 10 candidates)"))
        self.secretary, self.supervisor = QLineEdit(), QLineEdit()
        self.secretary.setPlaceholderText(tr("Required: the meeting is opened in this name"))
        self.supervisor.setPlaceholderText(tr("Required: witnesses the draw and the count"))
        self.secretary_unit, self.supervisor_unit = QLineEdit(), QLineEdit()
        self.secretary_unit.setPlaceholderText(tr("The secretary's unit, e.g. the office (办事机构)"))
        self.supervisor_unit.setPlaceholderText(tr("e.g. 州纪委监委派驻纪检监察组"))
        form.addRow(tr("Review year"), self.year)
        form.addRow(tr("Meeting"), self.title_edit)
        form.addRow(tr("Place"), self.place)
        form.addRow(tr("Plan filed"), self.plan_filed)
        form.addRow(tr("Meeting date"), self.meeting_date)
        form.addRow(tr("Secretary (办事机构)"), self.secretary)
        form.addRow(tr("Secretary's unit"), self.secretary_unit)
        form.addRow(tr("Supervisor (纪检监察)"), self.supervisor)
        form.addRow(tr("Supervisor's unit"), self.supervisor_unit)
        form.addRow(self.reduced)
        left.addWidget(box)
        self.days = DaysEditor(_date(self.meeting_date))
        self.meeting_date.dateChanged.connect(lambda _d: self.days.set_meeting_date(_date(self.meeting_date)))
        left.addWidget(self.days)
        left.addStretch(1)

        self.rubric = RowsModel([Column("Rubric item", lambda r: r[0]),
                                 Column("Maximum points", lambda r: r[1], align_right=True)], self)
        self.rubric_view, self.rubric_name, self.rubric_max = self._list_editor(
            right, tr("Scoring rubric (量化评分细则)"), self.rubric, tr("Item"), 1, 1000, 20)
        self.rubric_total = QLabel()
        right.addWidget(self.rubric_total)
        self.caps_box = QGroupBox(tr("Pass-rate caps (通过率上限)"))
        self.caps_form = QFormLayout(self.caps_box)
        self.caps: dict[str, QDoubleSpinBox] = {}
        for level, cap in DEFAULT_CAPS.items():
            spin = QDoubleSpinBox()
            spin.setRange(0, 100)
            spin.setDecimals(1)
            spin.setSuffix(" %")
            spin.setValue(float(cap) * 100)
            self.caps[level] = spin
            self.caps_form.addRow(level, spin)
        self.no_caps = QLabel(tr("初级 has no pass-rate cap."))
        self.caps_form.addRow(self.no_caps)
        right.addWidget(self.caps_box)
        self.quotas = RowsModel([Column("Quota key (unit/post)", lambda r: r[0]),
                                 Column("Places", lambda r: r[1], align_right=True)], self)
        self.quota_view, self.quota_key, self.quota_places = self._list_editor(
            right, tr("Review quotas (评审职数), optional"), self.quotas, tr("Unit/post"), 0, 999, 1)
        self.publicity = PublicityFacts()
        right.addWidget(self.publicity)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        outer.addWidget(self.problems)
        buttons = QHBoxLayout()
        self.demo_until = QComboBox()
        for s in Step:
            self.demo_until.addItem(tr("finished up to step {n}", n=int(s)), int(s))
        self.demo_until.setCurrentIndex(int(Step.PLENARY) - 1)
        self.demo_button = QPushButton(tr("Open the demo meeting"))
        self.demo_button.setToolTip(tr("The demo is built in its own file, {path}, never in this meeting's.",
                                       path=str(self.demo_path)))
        self.demo_button.clicked.connect(self.open_demo)
        self.details_button = CopyDetailsButton()
        self.create_button = QPushButton(tr("Create the meeting"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_meeting)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        # the working-day calendar: next year's holidays, and the way on from a calendar.unknown_year refusal
        self.calendar_button = CalendarButton(app, self, always=True, follow_messages=True, actor=self.secretary)
        for w in (self.demo_button, self.demo_until, self.calendar_button):
            buttons.addWidget(w)
            w.setVisible(offer_demo)      # not offered while the demo's own file is open elsewhere
        buttons.addStretch(1)
        buttons.addWidget(self.details_button)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.cancel_button)
        outer.addLayout(buttons)
        for edit in (self.name, self.field, self.filing_number, self.title_edit, self.place, self.secretary,
                     *(e for _, e in self.committee_facts.rows()), *self.publicity.edits()):
            edit.textChanged.connect(self.validate)
        self.days.changed.connect(self.validate)
        self.level.currentIndexChanged.connect(self.validate)
        self.validate()
        fit_to_screen(self, 1060, 700)

    def _list_editor(self, into: QVBoxLayout, title: str, model: RowsModel, label: str, low: int, high: int,
                     value: int) -> tuple[object, QLineEdit, QSpinBox]:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        # the name takes the room left; the points column fits its header ("Maximum points", "Places")
        view = table(model, (0, 0), stretch=0, numbers=False)
        view.setMinimumHeight(140)
        layout.addWidget(view)
        row = QHBoxLayout()
        name, points = AddOnEnter(), QSpinBox()
        name.setPlaceholderText(label)
        points.setRange(low, high)
        points.setValue(value)
        add, remove = QPushButton(tr("Add")), QPushButton(tr("Remove"))
        add.clicked.connect(lambda: self._add(model, name, points))
        name.returnPressed.connect(add.click)
        remove.clicked.connect(lambda: self._remove(model, view))
        for w in (name, points, add, remove):
            row.addWidget(w)
        row.setStretch(0, 1)
        layout.addLayout(row)
        into.addWidget(box)
        return view, name, points

    def _add(self, model: RowsModel, name: QLineEdit, points: QSpinBox) -> None:
        text = name.text().strip()
        if text:
            model.set_rows([r for r in model.rows if r[0] != text] + [(text, points.value())])
            name.clear()
            self.validate()

    def _remove(self, model: RowsModel, view: object) -> None:
        rows = {i.row() for i in view.selectionModel().selectedRows()}  # type: ignore[attr-defined]
        model.set_rows([r for i, r in enumerate(model.rows) if i not in rows])
        self.validate()

    # -- the form --------------------------------------------------------------------------
    def missing(self) -> list[str]:
        out = []
        for edit, what in ((self.name, tr("the committee's name")), (self.field, tr("its series or specialty")),
                           (self.filing_number, tr("the filing number")), (self.title_edit, tr("the meeting's title")),
                           (self.place, tr("the place")), (self.secretary, tr("the secretary"))):
            if not edit.text().strip():
                out.append(what)
        if not self.rubric.rows:
            out.append(tr("at least one rubric item"))
        return out

    def validate(self) -> bool:
        level = self.level.currentData()
        for lvl, spin in self.caps.items():
            self.caps_form.setRowVisible(spin, lvl in REVIEWS[level])
        self.caps_form.setRowVisible(self.no_caps, level == "junior")
        self.rubric_total.setText(tr("Total: {n} points", n=sum(p for _, p in self.rubric.rows)))
        missing = self.missing()
        self.create_button.setEnabled(not missing)
        self.problems.setStyleSheet("color:#555;")
        empty = missing_facts(self.committee_facts, self.publicity, self.days)
        if missing:
            self.problems.setText(tr("Still needed: {items}", items=joined(missing)))
        elif empty:       # not required: the papers leave a blank for each, to fill by hand
            self.problems.setText(tr("Not entered yet (the papers will leave a blank to fill by hand): {items}",
                                     items=joined(empty)))
        else:
            self.problems.setText("")
        return not missing

    def plan(self) -> PlanInput:
        level = self.level.currentData()
        caps: dict[str, str] = {lvl: str((Decimal(str(round(spin.value(), 1))) / 100).normalize())
                for lvl, spin in self.caps.items() if lvl in REVIEWS[level]}
        return PlanInput(year=self.year.value(), title=self.title_edit.text().strip(),
                         place=self.place.text().strip(), plan_filed=_date(self.plan_filed),
                         meeting_date=_date(self.meeting_date), rubric=list(self.rubric.rows), caps=caps,
                         quotas={k: QuotaInput.from_key(k, n) for k, n in self.quotas.rows},
                         reduced_panel_approved=self.reduced.isChecked(),
                         secretary=self.secretary.text().strip(), supervisor=self.supervisor.text().strip(),
                         secretary_unit=self.secretary_unit.text().strip(),
                         supervisor_unit=self.supervisor_unit.text().strip(),
                         plan_filing_number=self.publicity.filing_number.text().strip(),
                         publicity_where=self.publicity.where.text().strip(),
                         objection_contact=self.publicity.contact.text().strip(),
                         objection_phone=self.publicity.phone.text().strip(), days=self.days.days())

    def committee(self) -> CommitteeInput:
        return CommitteeInput(name=self.name.text().strip(), level=self.level.currentData(),
                              organized_by=self.organized.currentData(), field=self.field.text().strip(),
                              filing_date=_date(self.filing_date), filing_number=self.filing_number.text().strip(),
                              organizer=self.committee_facts.organizer.text().strip(),
                              office=self.committee_facts.office.text().strip(),
                              hr_department=self.committee_facts.hr_department.text().strip())

    def create_meeting(self) -> None:
        if not self.validate():
            return
        setup, committee, plan = self.app.setup, self.committee(), self.plan()
        self._run(lambda: setup.open_meeting(committee, plan).meeting_id)

    def open_demo(self) -> None:
        """Build the demo in its own file (rebuilt from scratch) and have the caller open that."""
        app, until, target = self.app, Step(self.demo_until.currentData()), self.demo_path
        if target.resolve() == app.path.resolve():     # this empty database is the demo's own file
            self._run(lambda: build_demo(app, out=lambda _s: None, until=until))
        else:
            self._run(lambda: prepare_demo(target, until), opened=target)

    def _run(self, job: Callable[[], int], opened: Path | None = None) -> None:
        for b in (self.create_button, self.demo_button):
            b.setEnabled(False)
        self.details_button.set_details("")
        self.problems.setStyleSheet("color:#555;")
        self.problems.setText(tr("Working…"))

        def done(mid: int) -> None:
            self.meeting_id = int(mid)
            self.opened_path = opened
            self.accept()

        def refused(exc: RuleViolation) -> None:
            self._idle(refusal_text(exc))

        def crashed() -> None:
            self._idle(messages.last_told()())
            self.details_button.set_details(messages.last_details())
        run_op(job, done, refused, on_error=crashed)

    def _idle(self, problem: str) -> None:
        """Leave the busy state after a refusal or an error, saying what happened."""
        self.demo_button.setEnabled(True)
        self.validate()
        self.problems.setStyleSheet("color:#b3261e;")
        self.problems.setText(problem)
