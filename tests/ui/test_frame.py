"""The wizard frame: sidebar, gate on Next, lock banner, reopen, language switch."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QTabWidget, QWizard

from app.domain import Step
from ui.i18n import bridge
from ui.main_window import MainWindow

from .conftest import OpenMeeting, wait_ops


def test_window_opens_at_the_current_step_with_next_held_by_the_gate(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.show()
    assert window.wizard.currentId() == int(Step.BALLOT)
    assert not window.wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page = window.wizard.currentPage()
    assert page.missing() and page.checklist.text()


def test_finished_steps_are_read_only_with_a_reopen_button(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.show()
    while window.wizard.currentId() > int(Step.ELIGIBILITY):
        window.wizard.back()
    page = window.wizard.currentPage()
    assert page.step == Step.ELIGIBILITY and page.locked()
    assert page.banner.isVisible()
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView

    buttons = page.body_widget.findChildren(QAbstractButton)
    tables = page.body_widget.findChildren(QAbstractItemView)
    assert buttons and not any(b.isEnabled() for b in buttons)      # nothing can change it
    assert tables and all(t.isEnabled() for t in tables)             # but it can be read and scrolled


def test_reopen_goes_back_to_the_reopened_step(qtbot, meeting_at: OpenMeeting) -> None:
    from ui.dialogs import ReopenDialog

    app, mid = meeting_at(Step.PLENARY)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.show()
    dialog = ReopenDialog(app, mid, Step.GROUP, window)
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "重新开启第5步：小组评议" in shown and "其后各步骤须重新完成" in shown     # which step, and what it undoes
    dialog.reopened.connect(window.wizard.go_to_current)
    dialog.reason.setPlainText("第二组一名申报人的推荐意见记录有误，需更正")
    dialog._reopen()
    wait_ops(qtbot)
    assert window.wizard.currentId() == int(Step.GROUP)
    assert not window.wizard.currentPage().locked()


def test_language_switches_at_run_time(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    assert "表决" in window.wizard.currentPage().title()
    bridge.set_language("en")
    assert "Secret ballot" in window.wizard.currentPage().title()
    assert window.language_action.text() == "中文"


def test_the_window_fits_a_1280_screen_in_both_languages(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    for language in ("zh", "en"):
        bridge.set_language(language)
        window = MainWindow(app, mid)
        qtbot.addWidget(window)
        assert window.minimumSizeHint().width() <= 1280, language
        assert window.minimumSizeHint().height() <= 800, language


def test_no_page_nor_setup_tab_scrolls_sideways_at_1280_in_either_language(qtbot, meeting_at: OpenMeeting) -> None:
    # the setup's English tabs were 1–3 pixels wider than a 1280-pixel window (two long buttons side by
    # side; the pool's 64-digit SHA-256 beside the print buttons): every tab scrolled sideways
    found = []
    for stage, pages in ((0, 1), (Step.PUBLICITY, 11)):      # the setup before the draw; every page after
        app, mid = meeting_at(stage)
        for language in ("zh", "en"):
            bridge.set_language(language)
            window = MainWindow(app, mid)
            qtbot.addWidget(window)
            window.resize(1280, 800)
            window.show()
            window.wizard.restart()
            for n in range(pages):
                page = window.wizard.currentPage()
                tabs = page.findChildren(QTabWidget)
                for tab in range(tabs[0].count() if tabs else 1):
                    if tabs:
                        tabs[0].setCurrentIndex(tab)
                    qtbot.wait(20)
                    found += [(int(stage), language, n, tab) for area in page.findChildren(QScrollArea)
                              if area.isVisible() and area.horizontalScrollBar().isVisible()]
                if n < pages - 1:
                    window.wizard.next()
            window.close()
    bridge.set_language("zh")
    assert found == []


def test_a_departure_is_recorded_from_the_toolbar(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.show()
    dialog = window.record_departure()
    dialog.reason.setPlainText("因急诊返回单位")
    code = dialog.expert.currentData()
    dialog._record()
    wait_ops(qtbot)

    assert next(r for r in app.views.panel(mid) if r.code == code).departed
    # closed: hidden, and deleted too (WA_DeleteOnClose) once the event loop ran while the test waited
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()


def test_the_sidebar_marks_the_current_step_once_and_shades_the_page_on_screen(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)           # step 6 done: the meeting is at step 7
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    sidebar = window.wizard.sidebar

    def shaded() -> list[int]:
        return [i for i in range(sidebar.count()) if sidebar.item(i).background().style() != Qt.BrushStyle.NoBrush]

    assert sidebar.item(int(Step.BALLOT)).text().count("▶") == 1        # was "▶ ▶ 第7步": showing and current
    assert shaded() == [int(Step.BALLOT)]
    window.wizard.back()
    assert shaded() == [int(Step.PLENARY)]
    assert sidebar.item(int(Step.PLENARY)).text().startswith("✓") and "▶" not in sidebar.item(int(Step.PLENARY)).text()
    assert sidebar.item(int(Step.BALLOT)).text().startswith("▶")        # the meeting is still at step 7
    # what the marks mean, on hover: the step the meeting is at, and the page shown on the right
    assert sidebar.item(int(Step.BALLOT)).toolTip() == "会议当前进行到此步骤"
    assert sidebar.item(int(Step.PLENARY)).toolTip() == "已完成（右侧正在显示）"
    assert sidebar.item(int(Step.SIGNING)).toolTip() == "尚未进行"


def test_a_wrapped_summary_stays_indented_under_its_step(qtbot, meeting_at: OpenMeeting) -> None:
    # step 5's summary wraps in the sidebar's width: "一致同意推荐26人，不同意推荐1人，提" / "交大会审议2人" —
    # the second line used to start at the left edge, under the ✓
    app, mid = meeting_at(Step.PUBLICITY)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    sidebar = window.wizard.sidebar
    for language in ("zh", "en"):
        bridge.set_language(language)
        row = Step.GROUP if language == "zh" else Step.PREPARATORY    # "13 experts present, commitments / signed"
        item = sidebar.item(int(row))
        assert "\n" in item.text()                               # the step's line, then its summary
        rect = sidebar.visualItemRect(item)
        line = sidebar.fontMetrics().lineSpacing()
        assert rect.height() >= 2.5 * line, (language, rect.height(), line)   # the summary wraps: three lines
        image = sidebar.viewport().grab().toImage()
        name_x = sidebar.fontMetrics().horizontalAdvance(item.text().split(" ", 1)[0] + " ")
        left = range(rect.left(), rect.left() + name_x - 2)          # the strip left of the step's name
        first, below = range(rect.top(), rect.top() + line), range(rect.top() + line + 2, rect.bottom() - 1)
        assert any(image.pixelColor(x, y).lightness() < 160 for x in left for y in first)   # the ✓ itself
        # below the step's line, nothing left of the step's name: every line of the summary is indented
        assert all(image.pixelColor(x, y).lightness() >= 160 for x in left for y in below), language
    bridge.set_language("zh")


def test_next_finishes_a_step_but_only_moves_on_from_a_step_done(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.PLENARY)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    wizard = window.wizard

    def next_text() -> str:
        return wizard.buttonText(QWizard.WizardButton.NextButton)

    assert wizard.currentPage().step == Step.BALLOT and next_text() == "完成本步骤并继续"
    wizard.back()                                               # step 6, done and locked
    assert next_text() == "下一步 >"
    bridge.set_language("en")
    assert next_text() == "Next >"
    wizard.next()
    assert wizard.currentPage().step == Step.BALLOT and next_text() == "Finish step and continue"
