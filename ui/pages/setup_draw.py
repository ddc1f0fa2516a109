"""Setup, third tab: the witnessed draw of the panel (随机抽取评审专家), and its printable record.

Before the draw the secretary sets how many experts each specialty needs (by default
the committee's minimum panel shared out by the candidates' specialties), the number
of alternates and the witness; the draw runs once, with a seed from the OS. After it,
the tab shows the record an auditor needs — seed, pool SHA-256, witness, drawn and
alternate experts in draw order, excluded experts with their rule — and prints it or
saves it as PDF.

Until step 1 is finished the draw can be re-run (重新抽取), witnessed like the first and only
with a written reason: *Re-run the draw…* shows the draw's settings again with a field for the
reason. The earlier draws stay in the record and are listed below it (:class:`DrawHistory`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.rules.panel import minimum_panel
from app.views.meeting import PlanView
from app.views.panel import DrawView, EarlierDraw, PoolRow
from ui.i18n import joined, tr
from ui.models import Column, RowsModel
from ui.pages.common import CODE, exclusion_name, heading, table
from ui.pages.setup_draw_history import DrawHistory
from ui.pages.setup_print import DrawnRow, PrintButtons, drawn_rows, drawn_time

if TYPE_CHECKING:
    from ui.pages.setup import SetupPage as Page


def default_needs(counts: dict[str, tuple[int, int, int]], minimum: int) -> dict[str, int]:
    """The minimum panel shared out by the candidates' specialties (largest remainder), within
    what each specialty's pool can give."""
    wanted = {s: c for s, (c, _pool, _free) in counts.items() if c > 0}
    total = sum(wanted.values())
    if not total:
        return {}
    exact = {s: minimum * c / total for s, c in wanted.items()}
    needs = {s: int(v) for s, v in exact.items()}
    for s in sorted(exact, key=lambda s: (-(exact[s] - needs[s]), s)):
        if sum(needs.values()) >= minimum:
            break
        needs[s] += 1
    return {s: max(1, min(n, counts[s][2])) for s, n in needs.items()}


class DrawTab(QWidget):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.record: DrawView | None = None
        self.plan: PlanView | None = None
        self.minimum = 0
        self.counts: dict[str, tuple[int, int, int]] | None = None
        self.redrawing = False
        self.record_seed: str | None = None
        self._pool: list[PoolRow] = []
        self._counts: dict[str, tuple[int, int, int]] = {}
        self._candidates = 0
        self.spins: dict[str, QSpinBox] = {}
        self.spin_labels: dict[str, tuple[QLabel, QLabel]] = {}
        layout = QVBoxLayout(self)

        # -- before the draw ------------------------------------------------------------
        self.setup_box = QGroupBox()
        setup = QHBoxLayout(self.setup_box)
        self.needs_area = QScrollArea()
        self.needs_area.setWidgetResizable(True)
        self.needs_widget = QWidget()
        self.needs_grid = QGridLayout(self.needs_widget)
        self.needs_area.setWidget(self.needs_widget)
        setup.addWidget(self.needs_area, 3)
        side = QFormLayout()
        self.alternates = QSpinBox()
        self.alternates.setRange(0, 10)
        self.alternates.setValue(1)
        self.witness = QLineEdit()
        self.witnessed = QCheckBox()
        self.total = QLabel()
        self.total.setWordWrap(True)
        self.run = QPushButton()
        self.run.clicked.connect(self.run_draw)
        self.cancel_redraw = QPushButton()
        self.cancel_redraw.clicked.connect(lambda: self.start_redraw(False))
        self.reason = QPlainTextEdit()
        self.reason.setMaximumHeight(60)
        self.reason.textChanged.connect(self._check)
        self.alternates_label, self.witness_label, self.reason_label = QLabel(), QLabel(), QLabel()
        side.addRow(self.alternates_label, self.alternates)
        side.addRow(self.witness_label, self.witness)
        side.addRow(self.reason_label, self.reason)
        side.addRow(self.witnessed)
        side.addRow(self.total)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_redraw)
        buttons.addWidget(self.run, 1)
        side.addRow(buttons)
        self.side_form = side
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color:#555;")
        side.addRow(self.note)
        setup.addLayout(side, 2)
        layout.addWidget(self.setup_box)
        self.witness.textChanged.connect(self._check)
        self.witnessed.toggled.connect(self._check)

        # -- after the draw ---------------------------------------------------------------
        self.record_box = QGroupBox()
        rec = QVBoxLayout(self.record_box)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(self.facts.textInteractionFlags().TextSelectableByMouse)
        self.print_buttons = PrintButtons(self)
        rec.addWidget(self.facts)
        self.rerun = QPushButton()
        self.rerun.clicked.connect(lambda: self.start_redraw(True))
        # under the facts, not beside them: the pool's SHA-256 (64 digits that do not wrap) and the
        # buttons side by side widened the tab past a 1280-pixel window
        under = QHBoxLayout()
        under.addStretch(1)
        under.addWidget(self.print_buttons)
        under.addWidget(self.rerun)
        rec.addLayout(under)
        self.drawn = RowsModel([
            Column("Specialty", lambda r: r.specialty), Column("Order", lambda r: r.order, align_right=True),
            Column("Code", lambda r: r.code), Column("Name", lambda r: r.name),
            Column("Unit", lambda r: r.unit), Column("Title", lambda r: r.title),
            Column("Drawn as", lambda r: tr("Alternate") if r.alternate else tr("Panel"),
                   colour=lambda r: "#6b6b6b" if r.alternate else None)], self)
        self.excluded = RowsModel([
            Column("Code", lambda r: r.code), Column("Name", lambda r: r.name),
            Column("Why not drawn", lambda r: exclusion_name(r.rule))], self)
        lists = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        self.drawn_heading, self.excluded_heading = heading(), heading()
        left.addWidget(self.drawn_heading)
        left.addWidget(table(self.drawn, (75, 50, CODE, 70, 150, 45), numbers=False))
        right.addWidget(self.excluded_heading)
        excluded_view = table(self.excluded, (CODE, 70), numbers=False)
        excluded_view.setWordWrap(True)
        excluded_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        right.addWidget(excluded_view)
        lists.addLayout(left, 5)
        lists.addLayout(right, 3)
        rec.addLayout(lists, 1)
        layout.addWidget(self.record_box, 1)
        self.history = DrawHistory()
        layout.addWidget(self.history)

    # -- data --------------------------------------------------------------------------
    def load(self, plan: PlanView, record: DrawView | None, pool: list[PoolRow],
             counts: dict[str, tuple[int, int, int]], n_candidates: int,
             history: list[EarlierDraw] | None = None) -> None:
        self.plan, self.record = plan, record
        self._pool, self._counts, self._candidates = pool, counts, n_candidates
        self.minimum = minimum_panel(plan.level, plan.organized_by, n_candidates,  # type: ignore[arg-type]
                                     plan.reduced_panel_approved)
        if record is None or (self.record_seed is not None and record.seed != self.record_seed):
            self.redrawing = False                   # drawn (again): back to the record
        self.record_seed = record.seed if record else None
        self.setup_box.setVisible(record is None or self.redrawing)
        self.record_box.setVisible(record is not None and not self.redrawing)
        self.history.load(history or [])
        if record is None or self.redrawing:
            self._fill_needs(counts)
            if not self.witness.text().strip():
                self.witness.setText(plan.supervisor)
                self.witness.setCursorPosition(0)
        if record is not None:
            names = {e.code: e for e in pool}
            self.drawn.set_rows(drawn_rows(record, names))
            self.excluded.set_rows([DrawnRow("", 0, code, names[code].name if code in names else "", "", "",
                                             False, rule) for code, rule in record.excluded])
            self.print_buttons.set_document(plan, record, names)
        self.retranslate()

    def _fill_needs(self, counts: dict[str, tuple[int, int, int]]) -> None:
        """One row per specialty, set to the default needs; kept as edited while the counts stay."""
        if counts == self.counts:
            return
        self.counts = dict(counts)
        while self.needs_grid.count():
            item = self.needs_grid.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.deleteLater()
        self.spins.clear()
        self.spin_labels.clear()
        self.grid_heads = [heading(), heading(), heading(), heading()]
        for col, head in enumerate(self.grid_heads):
            self.needs_grid.addWidget(head, 0, col)
        needs = default_needs(counts, self.minimum)
        for row, (s, (c, p, f)) in enumerate(counts.items(), start=1):
            spin = QSpinBox()
            spin.setRange(0, max(f, 0))
            spin.setValue(needs.get(s, 0))
            spin.valueChanged.connect(self._check)
            self.spins[s] = spin
            self.spin_labels[s] = (QLabel(), QLabel())
            self.needs_grid.addWidget(QLabel(s), row, 0)
            self.needs_grid.addWidget(self.spin_labels[s][0], row, 1)
            self.needs_grid.addWidget(self.spin_labels[s][1], row, 2)
            self.needs_grid.addWidget(spin, row, 3)
            self.spin_labels[s][0].setProperty("counts", (c, p, f))
        self.needs_grid.setRowStretch(len(counts) + 1, 1)
        self.needs_grid.setColumnStretch(4, 1)
        self.needs_grid.setHorizontalSpacing(18)

    def set_locked(self, locked: bool) -> None:
        self.setup_box.setEnabled(not locked)
        self.rerun.setVisible(not locked)
        if locked:
            self.redrawing = False
            self.setup_box.setVisible(self.record is None)

    def start_redraw(self, on: bool) -> None:
        """Show the draw's settings again, with the reason a re-draw needs (or hide them)."""
        self.redrawing = on and self.record is not None
        if self.redrawing:
            self.reason.clear()
            self.witnessed.setChecked(False)
            if self.counts is not None:
                self.counts = None                       # recompute the default needs
        if self.plan is not None:
            self.load(self.plan, self.record, self._pool, self._counts, self._candidates,
                      self.history.model.rows)

    def needs(self) -> dict[str, int]:
        return {s: spin.value() for s, spin in self.spins.items() if spin.value() > 0}

    def retranslate(self) -> None:
        self.setup_box.setTitle(tr("Draw the panel again (witnessed, with a written reason)") if self.redrawing
                                else tr("Draw the panel (witnessed, the day before the meeting)"))
        self.history.retranslate()
        self.record_box.setTitle(tr("Draw record (抽取记录)"))
        self.alternates_label.setText(tr("Alternates per specialty"))
        self.reason_label.setText(tr("Reason for re-drawing"))
        self.reason.setPlaceholderText(tr("Required: kept in the audit trail and printed in the minutes"))
        self.side_form.setRowVisible(self.reason, self.redrawing)
        self.cancel_redraw.setVisible(self.redrawing)
        self.cancel_redraw.setText(tr("Cancel"))
        self.rerun.setText(tr("Re-run the draw…"))
        self.rerun.setToolTip(tr("Only with a written reason; the earlier draw stays in the record"))
        self.witness_label.setText(tr("Witness (纪检监察)"))
        self.witnessed.setText(tr("The witness is present and watches the draw"))
        self.run.setText(tr("Re-run the draw") if self.redrawing else tr("Run the draw"))
        self.note.setText(tr("The draw is run again with a new seed; the current draw moves to the earlier draws "
                             "below, with the reason.") if self.redrawing else
                          tr("The draw runs once; it can be re-run only with a written reason, before step 1 is "
                             "finished. Its seed comes from the computer's random source and is recorded with the "
                             "pool's SHA-256 and the witness, so that anyone can check it afterwards."))
        self.drawn_heading.setText(tr("Drawn experts, in draw order"))
        self.excluded_heading.setText(tr("Excluded from the draw"))
        heads = (tr("Specialty"), tr("Candidates"), tr("In the pool"), tr("Experts needed"))
        for head, text in zip(getattr(self, "grid_heads", []), heads, strict=False):
            head.setText(text)
        for (cand, pool_label), _spin in zip(self.spin_labels.values(), self.spins.values(), strict=True):
            c, p, f = cand.property("counts")
            cand.setText(str(c))
            pool_label.setText(tr("{pool} ({free} drawable)", pool=p, free=f))
        r = self.record
        if r is not None:
            facts = ((tr("Drawn at"), drawn_time(r.drawn_local)), (tr("Witness"), r.witness),
                     (tr("Seed"), f"<code>{r.seed}</code>"),
                     (tr("Pool SHA-256"), f"<code>{r.pool_sha256}</code>"),
                     (tr("Needs"), joined(f"{s} {n}" for s, n in r.needs.items())))
            self.facts.setText("<table>" + "".join(f"<tr><td style='padding-right:12px'>{k}</td><td>{v}</td></tr>"
                                                   for k, v in facts) + "</table>")
        self.print_buttons.retranslate()
        self._check()

    def _check(self) -> None:
        total = sum(self.needs().values())
        problems = []
        if total % 2 == 0:
            problems.append(tr("the panel must be odd"))
        if total < self.minimum:
            problems.append(tr("the minimum is {n}", n=self.minimum))
        text = tr("Panel: {n} experts (at least {m}, an odd number)", n=total, m=self.minimum)
        if problems:
            text += " — " + "；".join(problems)
        self.total.setText(text)
        self.total.setStyleSheet("color:#b3261e;" if problems else "color:#2e7d32;")
        self.run.setEnabled(total > 0 and not problems and bool(self.witness.text().strip())
                            and self.witnessed.isChecked()
                            and (not self.redrawing or bool(self.reason.toPlainText().strip())))

    def run_draw(self) -> None:
        page, needs, actor = self.page, self.needs(), self.page.actor()
        witness, alternates = self.witness.text(), self.alternates.value()
        if self.redrawing:
            reason = self.reason.toPlainText()
            page.act(lambda: page.app.setup.redraw(actor, page.meeting_id, reason=reason, witness=witness,
                                                   needs=needs, alternates=alternates))
            return
        page.act(lambda: page.app.setup.run_draw(actor, page.meeting_id, witness=witness,
                                                 needs=needs, alternates=alternates))
