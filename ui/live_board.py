"""The live board (投票进度) for the projector: who has voted in the open round — never how — and
how many terminals are connected.

It reads :func:`app.views.board` once a second (terminals cast into the same database from the
host's server thread) and shows two lists of names, *voted* and *waiting*, with the count, and
the number of terminals connected. That is all it can show: the view it reads holds no choice
and no tally. ``Esc`` closes it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.services import Conclave
from ui.i18n import bridge, tr

REFRESH_MS = 1_000
COLUMNS = 3


class NameGrid(QWidget):
    """Names in a grid of :data:`COLUMNS` columns, large enough to read across a meeting room."""

    def __init__(self, colour: str) -> None:
        super().__init__()
        self.colour = colour
        self.grid = QGridLayout(self)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.grid.setHorizontalSpacing(28)
        self.labels: list[QLabel] = []
        self.names: tuple[str, ...] = ()

    def set_names(self, names: tuple[str, ...], mark: str) -> None:
        if names == self.names and self.labels:
            return
        self.names = names
        for label in self.labels:
            label.hide()
            label.deleteLater()
        self.labels = []
        for i, name in enumerate(names):
            label = QLabel(f"{mark} {name}")
            label.setStyleSheet(f"font-size: 26pt; color: {self.colour};")
            self.grid.addWidget(label, i // COLUMNS, i % COLUMNS)
            self.labels.append(label)


class LiveBoard(QWidget):
    """The projector's view of an open round: voted / waiting, and terminals connected."""

    def __init__(self, app: Conclave, meeting_id: int, refresh_ms: int = REFRESH_MS) -> None:
        super().__init__()
        self.app, self.meeting_id = app, meeting_id
        self.board: Any = None
        self.setStyleSheet("background: #10243e; color: white;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 36, 48, 36)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 40pt; font-weight: bold;")
        self.count = QLabel()
        self.count.setStyleSheet("font-size: 30pt; color: #ffd166; font-weight: bold;")
        self.stations = QLabel()
        self.stations.setStyleSheet("font-size: 20pt; color: #cfd8e3;")
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.stations)
        self.voted_title, self.waiting_title = QLabel(), QLabel()
        for label in (self.voted_title, self.waiting_title):
            label.setStyleSheet("font-size: 24pt; font-weight: bold; color: #cfd8e3;")
        self.voted, self.waiting = NameGrid("#9be59f"), NameGrid("#ffffff")
        lists = QHBoxLayout()
        for caption, grid in ((self.voted_title, self.voted), (self.waiting_title, self.waiting)):
            column = QVBoxLayout()
            column.addWidget(caption)
            column.addWidget(grid, 1)
            lists.addLayout(column, 1)
        self.note = QLabel()
        self.note.setStyleSheet("font-size: 16pt; color: #cfd8e3;")
        layout.addLayout(head)
        layout.addWidget(self.count)
        layout.addLayout(lists, 1)
        layout.addWidget(self.note)
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self.refresh)
        bridge.language_changed.connect(self.retranslate)
        self.resize(1366, 768)
        self.refresh()
        self.timer.start()

    def refresh(self) -> None:
        self.board = self.app.views.board(self.meeting_id)
        self.retranslate()

    def retranslate(self, _language: str = "") -> None:
        b = self.board
        self.setWindowTitle(tr("Live board"))
        self.stations.setText(tr("LAN terminals online: {n}", n=b.stations_connected if b else 0))
        if b is None or b.round_number is None:
            self.title.setText(tr("No ballot round is open"))
            self.count.setText("")
            self.voted.set_names((), "")
            self.waiting.set_names((), "")
            self.voted_title.setText("")
            self.waiting_title.setText("")
        else:
            voted, waiting = tuple(b.voted), tuple(b.waiting)
            # "表决票（第1轮）" is what an expert's ballot is called; the board shows the vote's progress
            self.title.setText(tr("Voting in round {n}", n=b.round_number) if getattr(b, "open", True) else
                               tr("Ballot, round {n} — closed", n=b.round_number))
            self.count.setText(tr("{voted} of {total} have voted", voted=len(voted), total=len(voted) + len(waiting)))
            self.voted_title.setText(tr("Voted ({n})", n=len(voted)))
            self.waiting_title.setText(tr("Not yet voted ({n})", n=len(waiting)))
            self.voted.set_names(voted, "✓")
            self.waiting.set_names(waiting, "○")
        self.note.setText(tr("Who has voted is shown, never how. Press Esc to close."))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)
