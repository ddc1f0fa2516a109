"""Meetings as files: File › New meeting… / Open meeting… / Recent meetings, in one window that
replaces its meeting cleanly; the demo always in its own file; the file shown in the status bar."""

from __future__ import annotations

import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.domain import Step
from app.services import Conclave
from ui import ops
from ui.main import demo_db_path
from ui.main_window import MainWindow

from .conftest import OpenMeeting, wait_ops


def _window(qtbot, app: Conclave, mid: int) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.show()
    return window


def _deleted_later() -> None:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_opening_another_meeting_replaces_the_old_one_cleanly(qtbot, meeting_at: OpenMeeting) -> None:
    first, mid = meeting_at(Step.PLENARY)
    second, _ = meeting_at(Step.ARCHIVE)
    second_path = second.path
    second.close()
    window = _window(qtbot, first, mid)
    assert first.path.name in window.windowTitle() and str(first.path) in window.path_label.text()
    helpers: list[QWidget] = [window.issue_code(), window.record_departure(), window.open_results()]
    old_wizard = window.wizard
    old_timers = old_wizard.findChildren(QTimer)
    ballot = old_wizard.page_for(int(Step.BALLOT))
    ballot.timer.start()                                   # a page's timer running at the switch

    window.files.open_path(second_path)
    assert window.app is not first and window.app.path == second_path and window.owns_app
    assert window.wizard is not old_wizard and window.wizard.currentId() == int(Step.PUBLICITY)
    assert second_path.name in window.windowTitle() and str(second_path) in window.path_label.text()
    assert not any(shiboken6.isValid(w) and w.isVisible() for w in helpers)
    assert old_timers and not any(shiboken6.isValid(t) and t.isActive() for t in old_timers)
    _deleted_later()
    assert not shiboken6.isValid(old_wizard) and not shiboken6.isValid(ballot)
    assert all(window.wizard.isAncestorOf(t.parent()) for t in window.findChildren(QTimer)
               if t.isActive() and isinstance(t.parent(), QWidget))
    assert [m.path for m in window.recent.entries()] == [second_path.resolve(), first.path.resolve()]
    assert first.views.meetings()                         # the caller's services were left open to it
    first.close()                   # one writer per meeting file: the caller lets it go before it comes back

    window.files.fill_recent()
    actions = window.files.recent_menu.actions()
    assert second_path.name in actions[0].text() and first.path.name in actions[1].text()
    actions[1].trigger()
    assert window.app.path.resolve() == first.path.resolve()
    assert window.wizard.currentId() == int(Step.BALLOT)


def test_the_open_dialog_opens_the_chosen_file(qtbot, meeting_at: OpenMeeting) -> None:
    first, mid = meeting_at(Step.PLENARY)
    second, _ = meeting_at(Step.ARCHIVE)
    second.close()
    window = _window(qtbot, first, mid)
    window.files.ask_open()
    dialog = window.files.dialog
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "打开会议"
    assert dialog.directory().absolutePath() == str(first.path.parent)
    dialog.selectFile(str(second.path))
    dialog.accept()
    assert window.app.path == second.path and not dialog.isVisible()


def test_nothing_is_opened_while_an_action_runs(qtbot, meeting_at: OpenMeeting) -> None:
    first, mid = meeting_at(Step.PLENARY)
    second, _ = meeting_at(Step.ARCHIVE)
    window = _window(qtbot, first, mid)
    gate = threading.Event()
    ops.run_op(lambda: gate.wait(10))
    try:
        window.files.open_path(second.path)
        window.files.ask_new()
        assert window.app is first and window.files.dialog is None
        assert ops.messages.history[-1][1] == "请稍候"
    finally:
        gate.set()
        wait_ops(qtbot)


def test_a_file_that_is_not_a_meeting_is_refused(qtbot, meeting_at: OpenMeeting, tmp_path: Path) -> None:
    first, mid = meeting_at(Step.PLENARY)
    window = _window(qtbot, first, mid)
    text = tmp_path / "笔记.sqlite3"
    text.write_text("这不是数据库" * 400, encoding="utf-8")
    window.files.open_path(text)
    assert window.app is first and ops.messages.history[-1][0] == "refused"
    assert "storage.unreadable" in ops.messages.history[-1][2]
    window.files.open_path(tmp_path / "gone.sqlite3")
    assert window.app is first and "已不存在" in ops.messages.history[-1][2]


def test_a_new_meeting_cancelled_leaves_no_file(qtbot, meeting_at: OpenMeeting, tmp_path: Path) -> None:
    first, mid = meeting_at(Step.PLENARY)
    window = _window(qtbot, first, mid)
    window.files.ask_new()
    dialog = window.files.dialog
    assert dialog is not None and dialog.windowTitle() == "新建会议——选择新的会议文件"
    dialog.selectFile(str(tmp_path / "2027年度评审"))
    dialog.accept()
    new = tmp_path / "2027年度评审.sqlite3"
    start = window.files.start
    assert start is not None and start.isVisible() and new.exists() and start.demo_button.isVisibleTo(start)
    start.reject()
    assert not new.exists() and not Path(f"{new}-wal").exists() and window.app is first

    existing = first.path
    window.files.new_meeting(existing)
    assert ops.messages.history[-1][0] == "refused" and "已存在" in ops.messages.history[-1][2]
    assert window.files.start is start and window.app is first


def test_an_empty_meeting_file_opens_the_start_dialog_and_keeps_the_file(qtbot, meeting_at: OpenMeeting,
                                                                         tmp_path: Path) -> None:
    first, mid = meeting_at(Step.PLENARY)
    window = _window(qtbot, first, mid)
    empty = tmp_path / "空.sqlite3"
    Conclave(empty).close()
    window.files.open_path(empty)
    start = window.files.start
    assert start is not None and start.isVisible()
    start.reject()
    assert empty.exists() and window.app is first


def test_the_demo_chosen_for_a_new_meeting_goes_into_its_own_file(qtbot, meeting_at: OpenMeeting,
                                                                  tmp_path: Path) -> None:
    first, mid = meeting_at(Step.PLENARY)
    window = _window(qtbot, first, mid)
    new = tmp_path / "正式会议.sqlite3"
    window.files.new_meeting(new)
    start = window.files.start
    start.demo_until.setCurrentIndex(start.demo_until.findData(int(Step.PREPARATORY)))
    start.open_demo()
    wait_ops(qtbot)
    assert window.app.path == demo_db_path() and window.app.views.meetings()
    assert window.wizard.currentId() == int(Step.ELIGIBILITY)
    assert not new.exists()                                # the real meeting's file holds no demo
    assert window.recent.entries()[0].path == demo_db_path().resolve()

    window.files.new_meeting(tmp_path / "另一个.sqlite3")     # with the demo open, it is not rebuilt under it
    assert not window.files.start.demo_button.isVisibleTo(window.files.start)
    window.files.start.reject()
