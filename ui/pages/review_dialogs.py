"""Dialogs of step 3 (分工初评): a score sheet by the rubric, an interview question with its
standard answer, a declared conflict. Each is non-blocking (``open()``) and emits
``given`` with what was entered; the page records it through a service."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr


def _buttons(dialog: QDialog) -> tuple[QDialogButtonBox, QWidget]:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(tr("OK"))
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
    box.rejected.connect(dialog.reject)
    return box, ok


def _people(combo: QComboBox, people: Sequence[tuple[str, str]], current: str | None) -> None:
    for code, label in people:
        combo.addItem(label, code)
    combo.setCurrentIndex(max(combo.findData(current), 0))


class ScoreDialog(QDialog):
    """One spin box per rubric item, bounded by the item's maximum (量化评分)."""

    given = Signal(str, dict)

    def __init__(self, candidate: str, rubric: Sequence[tuple[str, int]], scorers: Sequence[tuple[str, str]],
                 scorer: str | None, points: dict[str, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Score sheet: {candidate}", candidate=candidate))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{candidate}</b>"))
        form = QFormLayout()
        self.scorer = QComboBox()
        _people(self.scorer, scorers, scorer)
        form.addRow(tr("Scored by"), self.scorer)
        self.spins: dict[str, QSpinBox] = {}
        for name, maximum in rubric:
            spin = QSpinBox()
            spin.setRange(0, maximum)
            spin.setSuffix(tr(" of {n}", n=maximum))
            spin.setValue(points.get(name, 0))
            spin.valueChanged.connect(self._total)
            self.spins[name] = spin
            form.addRow(name, spin)
        self.total = QLabel()
        form.addRow(tr("Total"), self.total)
        self.maximum = sum(m for _, m in rubric)
        layout.addLayout(form)
        box, self.ok = _buttons(self)
        box.accepted.connect(self._accept)
        layout.addWidget(box)
        self._total()

    def _total(self) -> None:
        self.total.setText(tr("{n} of {m} points", n=sum(s.value() for s in self.spins.values()), m=self.maximum))

    def _accept(self) -> None:
        self.given.emit(self.scorer.currentData(), {n: s.value() for n, s in self.spins.items()})
        self.accept()


class QuestionDialog(QDialog):
    """An interview question with its standard answer and the expert who set it (命题)."""

    given = Signal(str, str, str)

    def __init__(self, candidate: str, setters: Sequence[tuple[str, str]], setter: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Interview question: {candidate}", candidate=candidate))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{candidate}</b>"))
        form = QFormLayout()
        self.setter = QComboBox()
        _people(self.setter, setters, setter)
        self.text, self.answer = QPlainTextEdit(), QPlainTextEdit()
        self.text.setMinimumHeight(80)
        self.answer.setMinimumHeight(80)
        form.addRow(tr("Set by"), self.setter)
        form.addRow(tr("Question"), self.text)
        form.addRow(tr("Standard answer"), self.answer)
        layout.addLayout(form)
        box, self.ok = _buttons(self)
        box.accepted.connect(self._accept)
        layout.addWidget(box)
        self.text.textChanged.connect(self._check)
        self.answer.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        self.ok.setEnabled(bool(self.text.toPlainText().strip() and self.answer.toPlainText().strip()))

    def _accept(self) -> None:
        self.given.emit(self.setter.currentData(), self.text.toPlainText().strip(), self.answer.toPlainText().strip())
        self.accept()


class ConflictDialog(QDialog):
    """An expert declares a conflict (回避) with the candidate, with the reason."""

    given = Signal(str, str)

    def __init__(self, candidate: str, experts: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Declare a conflict: {candidate}", candidate=candidate))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        note = QLabel(f"<b>{tr('Declare a conflict: {candidate}', candidate=candidate)}</b><br>"
                      + tr("The expert will not review, score, set or review questions for this candidate.")
                      + "<br>" + tr("At the secret ballot the expert still votes on every candidate, as every "
                                    "expert present does: the pass mark counts the experts present."))
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.expert = QComboBox()
        _people(self.expert, experts, None)
        self.reason = QPlainTextEdit()
        self.reason.setMinimumHeight(70)
        self.reason.setPlaceholderText(tr("e.g. a close relative of the candidate; the same research team"))
        form.addRow(tr("Expert"), self.expert)
        form.addRow(tr("Reason"), self.reason)
        layout.addLayout(form)
        box, self.ok = _buttons(self)
        box.accepted.connect(self._accept)
        layout.addWidget(box)
        self.reason.textChanged.connect(lambda: self.ok.setEnabled(bool(self.reason.toPlainText().strip())))
        self.ok.setEnabled(False)

    def _accept(self) -> None:
        self.given.emit(self.expert.currentData(), self.reason.toPlainText().strip())
        self.accept()
