"""The interview clock: a large mm:ss display with Start / Stop / Reset.

An interview lasts 5–10 minutes (X§10(四)). The clock is amber while the interview is
still shorter than 5:00, green from 5:00 to 10:00, and red past 10:00. The time source
is injectable (``now``, seconds as a float, ``time.monotonic`` by default) so tests
drive it without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain import INTERVIEW_SECONDS
from ui.i18n import bridge, tr
from ui.pages.common import mm_ss

AMBER, GREEN, RED = "#b26a00", "#2e7d32", "#b3261e"


def clock_colour(seconds: float) -> str:
    low, high = INTERVIEW_SECONDS
    if seconds < low:
        return AMBER
    return GREEN if seconds <= high else RED


class InterviewClock(QWidget):
    """Counts up from 0:00 while running; ``stopped`` carries the whole seconds elapsed."""

    stopped = Signal(int)
    state_changed = Signal()

    def __init__(self, now: Callable[[], float] = time.monotonic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.now = now
        self.started_at: float | None = None
        self.banked = 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self.tick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.display = QLabel()
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.display.font())
        font.setPointSize(56)
        font.setBold(True)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.display.setFont(font)
        self.display.setMinimumHeight(96)
        layout.addWidget(self.display)
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.hint)
        row = QHBoxLayout()
        self.start_button, self.stop_button, self.reset_button = QPushButton(), QPushButton(), QPushButton()
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.reset_button.clicked.connect(self.reset)
        for b in (self.start_button, self.stop_button, self.reset_button):
            row.addWidget(b)
        layout.addLayout(row)
        bridge.language_changed.connect(self._on_language)
        self.retranslate()

    def _on_language(self, _language: str) -> None:
        self.retranslate()

    @property
    def running(self) -> bool:
        return self.started_at is not None

    def elapsed(self) -> float:
        return self.banked + (self.now() - self.started_at if self.started_at is not None else 0.0)

    def start(self) -> None:
        if not self.running:
            self.started_at = self.now()
            self.timer.start()
            self.state_changed.emit()
        self.tick()

    def stop(self) -> None:
        if self.running:
            self.banked = self.elapsed()
            self.started_at = None
            self.timer.stop()
            self.stopped.emit(int(self.banked))
            self.state_changed.emit()
        self.tick()

    def reset(self) -> None:
        self.timer.stop()
        self.started_at = None
        self.banked = 0.0
        self.tick()

    def tick(self) -> None:
        seconds = self.elapsed()
        colour = clock_colour(seconds)
        self.display.setText(mm_ss(int(seconds)))
        self.display.setStyleSheet(f"color:{colour};")
        self.display.setProperty("colour", colour)
        low, high = INTERVIEW_SECONDS
        if seconds == 0 and not self.running:      # not started: nothing is too short yet
            self.hint.setText(tr("An interview lasts 5 to 10 minutes: start the clock as it begins"))
        elif seconds < low:
            self.hint.setText(tr("Under 5 minutes: too short to record"))
        elif seconds <= high:
            self.hint.setText(tr("Within 5–10 minutes"))
        else:
            self.hint.setText(tr("Over 10 minutes: too long to record"))
        self.hint.setStyleSheet(f"color:{colour if seconds or self.running else '#555555'};")
        self.start_button.setEnabled(not self.running)
        self.stop_button.setEnabled(self.running)
        self.reset_button.setEnabled(not self.running and self.banked > 0)

    def retranslate(self) -> None:
        self.start_button.setText(tr("Start"))
        self.stop_button.setText(tr("Stop"))
        self.reset_button.setText(tr("Reset"))
        self.tick()
