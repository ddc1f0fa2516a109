"""The window fits a committee laptop's screen: 1366×768 less a 40-pixel taskbar, in Chinese and in
English, at the setup page and steps 3, 7 (the ballot) and 10, with the Back/Next row on screen;
long pages and long messages scroll instead of making the window grow.

(Offscreen there is no title bar; the program itself was also looked at under a real X server
with a window manager at 1366×768 and 1280×800.)
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWizard

from app.domain import Step
from ui import ops
from ui.i18n import bridge
from ui.main_window import MAXIMISE_BELOW, MainWindow
from ui.message_bar import VISIBLE_LINES
from ui.scrolling import FRAME

from .conftest import OpenMeeting

LAPTOP = QRect(0, 0, 1366, 768 - 40)          # a Chinese Windows laptop, taskbar at the bottom

#: (finished up to, page shown): the setup page, step 3, the ballot (7) and step 10.
PAGES = [(Step.PLENARY, 0), (Step.ELIGIBILITY, 3), (Step.PLENARY, 7), (Step.ARCHIVE, 10)]


def _global(widget) -> QRect:  # type: ignore[no-untyped-def]
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize(("until", "page_id"), PAGES)
def test_the_window_and_its_next_button_fit_a_1366_by_768_screen(qtbot, meeting_at: OpenMeeting, language: str,
                                                                 until: Step, page_id: int) -> None:
    bridge.set_language(language)
    app, mid = meeting_at(until)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.fit_to_screen(LAPTOP)
    window.show()
    qtbot.waitExposed(window)
    while window.wizard.currentId() > page_id:
        window.wizard.back()
    assert window.wizard.currentId() == page_id
    assert window.minimumSizeHint().width() <= LAPTOP.width() - FRAME[0]
    assert window.minimumSizeHint().height() <= LAPTOP.height() - FRAME[1]
    assert LAPTOP.contains(window.frameGeometry()), (window.frameGeometry(), LAPTOP)
    assert window.height() + FRAME[1] <= LAPTOP.height()              # room for a real title bar
    for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.BackButton):
        button = window.wizard.button(which)
        if which == QWizard.WizardButton.NextButton and page_id == 10:
            button = window.wizard.button(QWizard.WizardButton.FinishButton)
        assert button.isVisible() and LAPTOP.contains(_global(button)), (which, _global(button))


def test_a_long_message_scrolls_instead_of_growing_the_window(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.fit_to_screen(LAPTOP)
    window.show()
    size = window.size()
    ops.messages.post("refused", "规则", "\n".join(f"第{i}条：申报人 C{i:03d} 的材料不符合规定。" for i in range(60)))
    qtbot.waitUntil(window.message_bar.isVisible)
    bar = window.message_bar
    line = bar.text.fontMetrics().lineSpacing()
    assert line * 2 < bar.text_area.height() <= line * (VISIBLE_LINES + 1)
    assert bar.text_area.verticalScrollBar().maximum() > 0            # the rest is there, to scroll to
    assert window.size() == size and window.minimumSizeHint().height() <= LAPTOP.height() - FRAME[1]
    next_button = window.wizard.button(QWizard.WizardButton.NextButton)
    assert LAPTOP.contains(_global(next_button))


def test_a_long_checklist_scrolls_too(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.ELIGIBILITY)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    page = window.wizard.currentPage()
    before = window.minimumSizeHint().height()
    page.checklist.setText("<ul>" + "".join(f"<li>第{i}项尚未完成</li>" for i in range(40)) + "</ul>")
    assert page.checklist_box.height() <= page.checklist.fontMetrics().lineSpacing() * 8
    assert window.minimumSizeHint().height() == before


def test_the_program_opens_maximised_on_a_narrow_screen(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.show_fitted()
    qtbot.waitExposed(window)
    available = window.screen().availableGeometry()
    assert window.isMaximized() == (available.width() < MAXIMISE_BELOW)
    assert window.width() <= available.width() and window.height() <= available.height()


def test_a_wide_screen_gets_the_preferred_size_centred(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    full_hd = QRect(0, 0, 1920, 1040)
    window.fit_to_screen(full_hd)
    assert (window.width(), window.height()) == (1280, 820)
    assert abs(window.x() - (1920 - 1280 - FRAME[0]) // 2) <= 1
