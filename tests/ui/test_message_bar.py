"""The message bar tells what is true now: a refusal goes once it is put right or the person moves
to another step, and a refusal still on screen is written again in the other language.

Found by running a real office's meeting in the window: a refusal from step 4 stayed on screen
through steps 5–10, in Chinese after the switch to English.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.domain import Step
from app.errors import RuleViolation
from ui import ops
from ui.i18n import bridge
from ui.main_window import MainWindow

from .conftest import OpenMeeting, wait_ops


def _window(qtbot, meeting_at: OpenMeeting, step: Step) -> MainWindow:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(step)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.show()
    return window


def _select(page, code: str) -> None:  # type: ignore[no-untyped-def]
    page.view.selectRow(next(i for i, r in enumerate(page.model.rows) if r.code == code))


def _refuse_the_chair(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    """Step 3: the chair chosen as a reviewer — the engine refuses (review.presiding)."""
    _select(page, "C004")
    page.whole_panel.setChecked(True)
    page.reviewer.setCurrentIndex(page.reviewer.findData("M01"))
    page.assign_chosen()
    wait_ops(qtbot)


def test_a_refusal_goes_when_the_next_action_succeeds(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, meeting_at, Step.ELIGIBILITY)
    page, bar = window.wizard.currentPage(), window.message_bar
    assert page.step == Step.PRIMARY_REVIEW
    _refuse_the_chair(qtbot, page)
    assert bar.isVisible() and "review.presiding" in bar.text.text()
    _select(page, "C004")
    page.whole_panel.setChecked(False)
    page.reviewer.setCurrentIndex(page.reviewer.findData("P011"))
    page.assign_chosen()                                   # put right: an expert of the group
    wait_ops(qtbot)
    assert next(c for c in window.app.views.candidates(1) if c.code == "C004").reviewer == "P011"
    assert not bar.isVisible() and bar.rewrite is None


def test_a_refusal_goes_when_the_person_moves_to_another_step(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, meeting_at, Step.ELIGIBILITY)
    page, bar = window.wizard.currentPage(), window.message_bar
    _refuse_the_chair(qtbot, page)
    assert bar.isVisible()
    window.wizard.back()                                   # to step 2
    assert window.wizard.currentPage().step == Step.ELIGIBILITY
    assert not bar.isVisible()


def test_a_refusal_on_screen_is_written_again_in_the_new_language(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, meeting_at, Step.ELIGIBILITY)
    page, bar = window.wizard.currentPage(), window.message_bar
    heard: list[RuleViolation] = []
    ops.messages.refused.connect(heard.append)
    try:
        _refuse_the_chair(qtbot, page)
    finally:
        ops.messages.refused.disconnect(heard.append)
    (violation,) = heard[0].violations
    assert "主任委员、副主任委员不参与评审打分" in bar.title.text()
    assert bar.text.text() == f"{violation.zh}\n详情：review.presiding"
    bridge.set_language("en")
    assert bar.isVisible() and "The chair and vice-chair do not review or score" in bar.title.text()
    assert bar.text.text() == f"{violation.en}\nDetails: review.presiding"
    bridge.set_language("zh")
    assert bar.text.text().startswith(violation.zh)


def test_an_unexpected_error_keeps_its_details_through_a_language_switch(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, meeting_at, Step.PLENARY)
    bar = window.message_bar

    def job() -> None:
        raise ValueError("磁盘已满")

    ops.run_op(job)
    wait_ops(qtbot)
    details = ops.messages.last_details()
    bridge.set_language("en")
    assert bar.text.text().startswith("An unexpected error occurred.")
    assert bar.details_button.isVisible() and bar.details_button.text() == "Copy details"
    qtbot.mouseClick(bar.details_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == details and "ValueError: 磁盘已满" in details
    qtbot.mouseClick(bar.close_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible() and not bar.details_button.isVisible()
