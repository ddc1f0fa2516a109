"""Setup, draw tab: the earlier draws (重新抽取前的抽取记录), each replaced by a re-draw with a written
reason — kept in the record, listed here and printed in the minutes."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHeaderView, QVBoxLayout

from app.views.panel import EarlierDraw
from ui.i18n import bridge, joined, tr
from ui.models import Column, RowsModel
from ui.pages.common import table


def _drawn(d: EarlierDraw) -> str:
    return ("；" if bridge.language == "zh" else "; ").join(f"{s} {joined(codes)}" for s, codes in d.drawn.items())


class DrawHistory(QGroupBox):
    """The earlier draws: number, witness, seed, who was drawn, who re-ran the draw and why."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.model = RowsModel([
            Column("No.", lambda d: d.number, align_right=True),
            Column("Drawn at", lambda d: f"{d.drawn_local:%Y-%m-%d %H:%M}" if d.drawn_local else tr("not recorded")),
            Column("Witness", lambda d: d.witness),
            Column("Seed", lambda d: d.seed[:16] + "…" if len(d.seed) > 16 else d.seed),
            Column("Drawn", _drawn), Column("Re-run by", lambda d: d.replaced_by),
            Column("Reason", lambda d: d.reason)], self)
        self.view = table(self.model, (40, 125, 0, 0, 260, 0), numbers=False)
        self.view.setWordWrap(True)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.setMinimumHeight(90)
        self.view.setMaximumHeight(160)
        layout.addWidget(self.view)
        self.hide()

    def load(self, history: list[EarlierDraw]) -> None:
        self.model.set_rows(history)
        self.setVisible(bool(history))
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(tr("Earlier draws, replaced by a re-draw ({n})", n=self.model.rowCount()))
