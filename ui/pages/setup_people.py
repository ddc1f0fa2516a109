"""Setup, second and third tabs: the candidate roster and the expert pool, imported from Excel or CSV.

An import is all or nothing (:mod:`app.importing`): either "N rows imported", or the
list of problems — Excel row, column, rule, message — and nothing stored. Imports,
additions and corrections (:mod:`ui.pages.setup_roster_buttons`) stay open until step 1
is finished, after the draw too: the draw excluded experts by the candidates' units, and
the setup gate checks the drawn panel again after every change (a drawn expert the draw
would no longer draw means the draw is re-run). Withdrawn candidates are listed below the
roster with who withdrew them and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.views.candidates import WithdrawnCandidate
from app.views.panel import PoolRow
from ui.i18n import bridge, tr
from ui.models import Column, RowsModel
from ui.ops import messages, run_op
from ui.pages.common import CODE, exclusion_name, reload, table
from ui.pages.facts import CANDIDATE_FACT_WIDTHS, POOL_FACT_WIDTHS, candidate_fact_columns, pool_fact_columns
from ui.pages.setup_forms import CorrectionDialog
from ui.pages.setup_roster_buttons import RosterButtons

if TYPE_CHECKING:  # openpyxl loads only when a file is imported or a template written
    from app.importing import ImportProblem, ImportReport

if TYPE_CHECKING:
    from ui.pages.setup import SetupPage as Page

TEMPLATE_NAMES = {"candidates": "申报人花名册模板.xlsx", "pool": "评审专家库模板.xlsx"}


def _approval(e: PoolRow) -> str:
    if e.title != "中级":
        return ""
    return e.hr_approval or tr("needed before the draw")


def _message(p: ImportProblem) -> str:
    return p.message_zh if bridge.language == "zh" else p.message_en


class RosterTab(QWidget):
    """The candidate roster or the expert pool: the rows stored, import, template, problems."""

    def __init__(self, page: Page, kind: str) -> None:
        super().__init__()
        self.page = page
        self.kind = kind
        self.drawn = False
        self.report: ImportReport | None = None
        outer = QVBoxLayout(self)
        row = QHBoxLayout()
        self.count = QLabel()
        self.import_button, self.template_button = QPushButton(), QPushButton()
        self.import_button.clicked.connect(self.choose_import)
        self.template_button.clicked.connect(self.choose_template)
        row.addWidget(self.count, 1)
        row.addWidget(self.import_button)
        row.addWidget(self.template_button)
        outer.addLayout(row)
        self.buttons = RosterButtons(self)
        outer.addWidget(self.buttons)
        if kind == "candidates":     # the facts (申报资格 …) before the ID number, which is long and rarely read
            self.model = RowsModel([
                Column("Code", lambda c: c.code), Column("Name", lambda c: c.name),
                Column("Unit", lambda c: c.unit), Column("Level", lambda c: c.level),
                Column("Specialty", lambda c: c.specialty), *candidate_fact_columns(),
                Column("Group", lambda c: c.group), Column("Quota key", lambda c: c.quota_key),
                Column("ID number", lambda c: c.id_number)], self)
            widths: tuple[int, ...] = (CODE, 70, 140, 0, 0, *CANDIDATE_FACT_WIDTHS, 0, 150)
        else:
            self.model = RowsModel([
                Column("Code", lambda e: e.code), Column("Name", lambda e: e.name),
                Column("Unit", lambda e: e.unit), Column("Specialty", lambda e: e.specialty),
                Column("Title", lambda e: e.title), Column("Years in title", lambda e: e.title_years,
                                                           align_right=True),
                *pool_fact_columns(),
                Column("HR approval (资深中级)", _approval, colour=lambda e: "#b3261e" if e.title == "中级"
                       and not e.hr_approval else None),
                Column("Not drawable", lambda e: "；".join(exclusion_name(r) for r in e.excluded),
                       colour=lambda e: "#b3261e" if e.excluded else None)], self)
            widths = (CODE, 80, 170, 0, 0, 0, *POOL_FACT_WIDTHS)
        self.view = table(self.model, widths)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.buttons.update_state())
        self.split = split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        self.withdrawn = QLabel()
        self.withdrawn.setWordWrap(True)
        self.withdrawn.setStyleSheet("color:#555;")
        self.withdrawn.hide()
        split.addWidget(self.withdrawn)

        self.problem_box = QGroupBox()
        box = QVBoxLayout(self.problem_box)
        self.problem_summary = QLabel()
        self.problem_summary.setWordWrap(True)
        self.problem_summary.setStyleSheet("color:#b3261e;font-weight:bold;")
        self.problems = RowsModel([
            Column("Row", lambda p: p.row, align_right=True),
            Column("Column", lambda p: " ".join(x for x in (p.letter, p.column) if x)),
            Column("Rule", lambda p: p.rule), Column("Message", _message)], self)
        self.problem_view = table(self.problems, (45, 110, 0), numbers=False)
        self.problem_view.setWordWrap(True)
        self.problem_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.problem_close = QPushButton()
        self.problem_close.clicked.connect(self.clear_problems)
        self.update_button = QPushButton()           # a pool file imported before: correct the pool from it
        self.update_button.clicked.connect(self.ask_update)
        self.update_button.hide()
        head = QHBoxLayout()
        head.addWidget(self.problem_summary, 1)
        head.addWidget(self.update_button)
        head.addWidget(self.problem_close)
        box.addLayout(head)
        box.addWidget(self.problem_view)
        self.problem_box.hide()
        split.addWidget(self.problem_box)
        outer.addWidget(split, 1)

    def load(self, rows: Sequence[Any], drawn: bool, withdrawn: Sequence[WithdrawnCandidate] = ()) -> None:
        self.drawn = drawn
        self.withdrawn_rows = list(withdrawn)
        reload(self.view, rows)
        self.retranslate()

    def set_locked(self, locked: bool) -> None:
        self.import_button.setEnabled(not locked)
        self.buttons.set_locked(locked)

    def retranslate(self) -> None:
        n = self.model.rowCount()
        self.count.setText(tr("{n} candidates", n=n) if self.kind == "candidates"
                           else tr("{n} experts in the pool", n=n))
        self.import_button.setText(tr("Import from Excel or CSV…"))
        self.import_button.setToolTip(tr("The drawn panel is checked again against what is imported")
                                      if self.drawn else "")
        self.buttons.retranslate()
        gone = getattr(self, "withdrawn_rows", [])
        self.withdrawn.setVisible(bool(gone))
        self.withdrawn.setText(tr("Withdrawn from the agenda (not on the ballot, not counted in the caps): {rows}",
                                  rows="；".join(tr("{code} {name} — {reason} (by {who})", code=w.code, name=w.name,
                                                    reason=w.reason, who=w.withdrawn_by) for w in gone)))
        self.template_button.setText(tr("Download template…"))
        self.problem_close.setText(tr("Close"))
        self.update_button.setText(tr("Update the pool from this file…"))
        if self.report is not None and not self.report.ok:
            self.problem_box.setTitle(tr("Import problems: {file}", file=self.report.path.name))
            self.problem_summary.setText(tr("{n} problems found; nothing was imported. Correct the file and "
                                            "import it again.", n=len(self.report.problems)))

    # -- import ----------------------------------------------------------------------
    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Import from Excel or CSV…"), "",
                                              tr("Rosters (*.xlsx *.csv)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Import ``path`` into the roster or the pool; show the problems if refused."""
        page = self.page
        actor = page.actor()
        if self.kind == "candidates":
            def job() -> ImportReport:
                from app.importing import import_candidates

                return import_candidates(page.app, actor, page.meeting_id, path)
        else:
            committee_id = page.plan_view().committee_id

            def job() -> ImportReport:
                from app.importing import import_pool

                return import_pool(page.app, actor, committee_id, path)
        page.act(job, self.show_report)

    def show_report(self, report: Any) -> None:
        from app.importing import ImportReport

        assert isinstance(report, ImportReport)
        self.report = report
        self.update_button.setVisible(self.kind == "pool" and not report.ok and not self.page.locked()
                                      and all(p.rule == "expert.duplicate" for p in report.problems))
        if report.ok:
            self.problem_box.hide()
            self.problems.set_rows([])
            text = report.summary_zh if bridge.language == "zh" else report.summary_en
            messages.post("info", tr("Imported"), text)
        else:
            self.problems.set_rows(report.problems)
            self.problem_box.show()
            self.split.setSizes([150, 350])
        self.retranslate()

    def ask_update(self) -> None:
        """Import the refused pool file again as an update: experts already in the pool are corrected
        from it, the others added — with a written reason, all or nothing."""
        if self.report is None:
            return
        page, path = self.page, self.report.path
        actor, mid = page.actor(), page.meeting_id
        dialog = CorrectionDialog(tr("Update the pool from {file}", file=path.name),
                                  tr("The experts of this file already in the pool are corrected from it, the others "
                                     "are added. Each change is kept in the audit trail with the reason."), self,
                                  ok_text=tr("Update"))
        self.buttons.dialog = dialog

        def done(report: object) -> None:
            dialog.accept()
            self.show_report(report)

        def run() -> None:
            from app.importing import reimport_pool

            reason = dialog.reason_text()
            page.act(lambda: reimport_pool(page.app, actor, mid, path, reason), done, dialog.show_refusal)
        dialog.submitted.connect(run)
        dialog.open()

    def clear_problems(self) -> None:
        self.report = None
        self.problems.set_rows([])
        self.problem_box.hide()

    # -- templates ---------------------------------------------------------------------
    def choose_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Download template…"), TEMPLATE_NAMES[self.kind],
                                              tr("Excel workbook (*.xlsx);;CSV (*.csv)"))
        if path:
            self.save_template(Path(path))

    def save_template(self, path: Path) -> None:
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_suffix(".xlsx")
        kind = self.kind
        from app.importing import write_template

        run_op(lambda: write_template(kind, path),  # type: ignore[arg-type]
               lambda done: messages.post("info", tr("Template saved"), str(done)))
