"""An unexpected error: a plain sentence on screen, the full traceback on the clipboard through
"复制详细信息", and every page and dialog that started the job leaves its busy state.

Each test injects a job that raises into real widgets (offscreen), as a full disk or a bug would.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.demo import DEMO_STAFF_CODES
from app.domain import Step
from ui import ops
from ui.i18n import bridge
from ui.main_window import MainWindow

from .conftest import OpenMeeting, round_passphrase, wait_ops

PLAIN_ZH = "出现意外错误，操作未完成，未作任何更改"


def _boom(*_args: object, **_kw: object) -> None:
    raise OSError("磁盘已拔出 (disk unplugged)")


def _window(qtbot, meeting_at: OpenMeeting, step: Step) -> MainWindow:
    app, mid = meeting_at(step)
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.show()
    return window


def _last_error() -> tuple[str, str]:
    kind, _title, text, details = ops.messages.history[-1]
    assert kind == "error"
    return text, details


def test_the_message_bar_says_it_plainly_and_copies_the_whole_traceback(qtbot, meeting_at: OpenMeeting) -> None:
    window = _window(qtbot, meeting_at, Step.PLENARY)
    bar = window.message_bar
    deep = "x" * 3000                                  # far beyond the 1,200 characters once shown

    def job() -> None:
        raise ValueError(deep)

    ops.run_op(job)
    wait_ops(qtbot)
    text, details = _last_error()
    assert text.startswith(PLAIN_ZH) and "Traceback" not in bar.text.text() and deep not in bar.text.text()
    assert bar.isVisible() and bar.details_button.isVisible() and bar.details_button.text() == "复制详细信息"
    qtbot.mouseClick(bar.details_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied == details and "Traceback (most recent call last)" in copied and f"ValueError: {deep}" in copied
    assert copied.startswith("Conclave ") and "PySide6" in copied.splitlines()[0]

    bridge.set_language("en")
    ops.run_op(job)
    wait_ops(qtbot)
    assert bar.text.text().startswith("An unexpected error occurred. The action was not completed")
    assert bar.details_button.text() == "Copy details"

    ops.messages.post("info", "Saved", "a plain message")         # a message without details: no button
    assert not bar.details_button.isVisible()


def test_a_synchronous_job_that_raises_is_told_too(qtbot) -> None:
    left: list[bool] = []
    ops.run_op(_boom, synchronous=True, on_error=lambda: left.append(True))
    assert left == [True]
    assert "OSError: 磁盘已拔出" in _last_error()[1]


def test_an_exception_in_a_slot_reaches_the_screen(qtbot) -> None:
    before = sys.excepthook
    ops.install_excepthook()
    try:
        try:
            raise KeyError("no such candidate")
        except KeyError:
            sys.excepthook(*sys.exc_info())          # as Qt does for a slot that raised
    finally:
        sys.excepthook = before
    text, details = _last_error()
    assert text.startswith(PLAIN_ZH) and "KeyError: 'no such candidate'" in details


def test_the_archive_page_leaves_its_busy_state(qtbot, meeting_at: OpenMeeting, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, meeting_at, Step.SIGNING)
    page = window.wizard.currentPage()
    assert page.step == Step.ARCHIVE
    monkeypatch.setattr(page.app.documents, "archive", _boom)
    page.documents.setChecked(False)
    page.folder.setText(str(tmp_path / "archive"))
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert page.busy.isVisible() and not page.archive_button.isEnabled()
    wait_ops(qtbot)
    assert "OSError" in _last_error()[1]
    assert not page.busy.isVisible() and page.archive_button.isEnabled()
    assert window.message_bar.isVisible() and window.message_bar.details_button.isVisible()


def test_the_start_dialog_leaves_its_busy_state(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services import Conclave
    from ui.start import StartDialog

    with Conclave(tmp_path / "empty.sqlite3") as app:
        dialog = StartDialog(app)
        qtbot.addWidget(dialog)
        dialog.show()
        for edit, text in ((dialog.name, "某市卫生系列中级职称评审委员会"), (dialog.field, "卫生系列"),
                           (dialog.filing_number, "湘人社函〔2024〕118号"), (dialog.title_edit, "2026年度评审"),
                           (dialog.place, "第三会议室"), (dialog.secretary, "人事科 李文静"),
                           (dialog.rubric_name, "工作业绩")):
            edit.setText(text)
        dialog._add(dialog.rubric, dialog.rubric_name, dialog.rubric_max)
        monkeypatch.setattr(app.setup, "open_meeting", _boom)
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        assert not dialog.create_button.isEnabled() and not dialog.demo_button.isEnabled()
        wait_ops(qtbot)
        assert dialog.isVisible() and dialog.result() == 0
        assert dialog.create_button.isEnabled() and dialog.demo_button.isEnabled()
        assert dialog.problems.text().startswith(PLAIN_ZH)
        assert dialog.details_button.isVisible() and "OSError" in dialog.details_button.details
        assert not app.views.meetings()
        dialog.reject()


def app_staff_token(page) -> str:  # type: ignore[no-untyped-def]
    """The demo's secretary signed in, as the ballot page asks before a paper ballot is ticked."""
    return str(page.app.staff.sign_in(page.meeting_id, "secretary", DEMO_STAFF_CODES["secretary"]).token)


def test_the_paper_entry_dialog_leaves_its_busy_state(qtbot, meeting_at: OpenMeeting,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, meeting_at, Step.PLENARY)
    page = window.wizard.currentPage()
    page.vote_day.setCurrentIndex(1)                      # the demo's first day (the chair chooses it)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    round_passphrase(page)
    wait_ops(qtbot)
    page.roll.selectRow(0)
    page.staff_token = app_staff_token(page)
    qtbot.mouseClick(page.mark_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    qtbot.mouseClick(page.new_batch_button, Qt.MouseButton.LeftButton)
    dialog = page.paper_dialog
    dialog.staff.code.setText(DEMO_STAFF_CODES["secretary"])
    dialog.grid.setCurrentIndex(dialog.grid_model.index(0, 0))
    qtbot.keyClicks(dialog.grid, "1" * dialog.grid_model.columnCount())
    monkeypatch.setattr(page.app.voting, "enter_paper_batch", _boom)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert dialog.save_button.isEnabled() and dialog.message.text().startswith(PLAIN_ZH)
    assert dialog.details_button.isVisible() and dialog.grid_model.blanks() == 0   # nothing typed is lost
    dialog.reject()


def test_the_kiosk_tells_the_expert_to_call_the_staff(qtbot, meeting_at: OpenMeeting,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.kiosk import KioskWindow

    app, mid = meeting_at(Step.PLENARY)
    kiosk = KioskWindow(app, mid)
    qtbot.addWidget(kiosk)
    kiosk.show()
    monkeypatch.setattr(app.terminals, "unlock", _boom)
    kiosk.unlock("P004", "123456")
    wait_ops(qtbot)
    assert kiosk.message.isVisible() and kiosk.message.text() == "出现意外错误，本次操作未记录。请告知工作人员。"
    assert "Traceback" not in kiosk.message.text()
    kiosk.close()


def test_nothing_is_left_running_while_a_job_waits(qtbot) -> None:
    """The busy count comes back to zero after an error, as after a success (the leak check relies on it)."""
    gate = threading.Event()

    def job() -> None:
        gate.wait(10)
        raise RuntimeError("late failure")

    ops.run_op(job)
    assert ops.busy()
    gate.set()
    wait_ops(qtbot)
    assert not ops.busy() and "RuntimeError: late failure" in _last_error()[1]


def test_a_file_the_system_refuses_is_named_with_its_reason_in_either_language(qtbot) -> None:
    """An error of the system naming a path (a full disk, a read-only USB stick, a folder that was
    removed) is said as what it is — which file, and why — in the language on screen, not as "an
    unexpected error"; the traceback stays in the details and the job's widget still leaves its busy state."""
    import errno

    def full() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/media/usb/评审材料/minutes.pdf")

    left: list[bool] = []
    ops.run_op(full, on_error=lambda: left.append(True))
    wait_ops(qtbot)
    text, details = _last_error()
    assert left == [True]
    assert text.startswith("无法使用/media/usb/评审材料/minutes.pdf：磁盘空间不足——请检查路径后重试"), text
    assert PLAIN_ZH not in text and "OSError: [Errno 28] No space left on device" in details
    bridge.set_language("en")
    try:
        assert ops.messages.last_told()().startswith(
            "cannot use /media/usb/评审材料/minutes.pdf: No space left on device — check the path and try again")
    finally:
        bridge.set_language("zh")
