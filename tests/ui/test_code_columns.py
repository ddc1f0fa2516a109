"""Candidate codes are shown whole: an office numbers its candidates 2026Z01 (7–8 characters),
which the code columns of fixed pixels cut to "202…" (setup roster, steps 2–4, the draw)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QStyle, QTableView, QWidget

from app.domain import Step
from ui.i18n import bridge
from ui.main_window import MainWindow
from ui.pages.setup_panel import PanelTab

from .conftest import OpenMeeting

#: The longest code an office uses in the tests' eyes: a year, a letter, two or three digits.
LONG_CODES = ("2026Z01", "2026Z011", "2026ZJ01")


def _needed(view: QTableView, text: str) -> int:
    """The width a cell needs to show ``text`` unelided (the style's text margin on both sides)."""
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    return view.fontMetrics().horizontalAdvance(text) + 2 * margin


def _in_panel_tab(view: QWidget) -> bool:
    here: QWidget | None = view
    while here is not None:
        if isinstance(here, PanelTab):     # the panel's tables (members' codes) are another helper's
            return True
        here = here.parentWidget()
    return False


def _code_columns(window: MainWindow) -> list[tuple[str, QTableView, int]]:
    found = []
    for page_id, page in window.wizard.step_pages.items():
        for view in page.findChildren(QTableView):
            if _in_panel_tab(view):
                continue
            model = view.model()
            for column in range(model.columnCount()):
                if model.headerData(column, view.horizontalHeader().orientation()) in ("编号", "Code"):
                    found.append((f"{type(page).__name__}/{page_id}", view, column))
    return found


def test_every_code_column_shows_a_code_of_eight_characters_whole(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(Step.PLENARY)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    for language in ("zh", "en"):
        bridge.set_language(language)
        columns = _code_columns(window)
        pages = {where.split("/")[0] for where, _v, _c in columns}
        assert {"SetupPage", "EligibilityPage", "PrimaryReviewPage", "InterviewPage"} <= pages, pages
        for where, view, column in columns:
            mode = view.horizontalHeader().sectionResizeMode(column)
            if mode == QHeaderView.ResizeMode.ResizeToContents:
                continue                       # sized to what it holds
            for code in LONG_CODES:
                assert view.columnWidth(column) >= _needed(view, code), (where, column, view.columnWidth(column))
