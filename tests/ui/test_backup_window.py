"""Backing up and restoring from the window (File › 备份会议… / 从备份恢复…), the offer to back up
after a finished step, and the start-up check — in a real window, offscreen, on the demo meeting."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.demo import DEMO_PASSPHRASE
from app.domain import Step
from app.services import Conclave
from app.storage import backup_file
from ui.backup import BackupDialog, RestoreDialog, pick_removable
from ui.main_window import MainWindow
from ui.ops import messages

from .conftest import OpenMeeting, wait_ops


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup_file, "SCRYPT_N", backup_file.N_BOUNDS[0])


def _window(qtbot, app: Conclave, mid: int) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(app, mid)
    qtbot.addWidget(window)
    window.show()
    return window


def _back_up(qtbot, window: MainWindow, out: Path) -> BackupDialog:  # type: ignore[no-untyped-def]
    dialog = window.backups.ask_backup()
    dialog.path.setText(str(out))
    dialog.passphrase.setText(DEMO_PASSPHRASE)
    assert not dialog.go.isEnabled() and "再次" in dialog.problem.text()
    dialog.repeat.setText(DEMO_PASSPHRASE)
    assert dialog.go.isEnabled()
    dialog.go.click()
    wait_ops(qtbot)
    return dialog


def test_the_file_menu_backs_up_and_restores_the_meeting(qtbot, meeting_at: OpenMeeting, tmp_path: Path) -> None:
    app, mid = meeting_at(Step.PUBLICITY)
    window = _window(qtbot, app, mid)
    texts = [a.text() for a in window.files.menu.actions()]
    assert "备份会议…" in texts and "从备份恢复…" in texts and texts[-1] == "退出"
    out = tmp_path / "usb" / "meeting.conclave-backup"
    dialog = _back_up(qtbot, window, out)
    assert out.is_file() and not dialog.isVisible() and dialog.report is not None
    assert messages.history[-1][1] == "备份已写入"
    before = app.views.meeting(mid)
    db = app.path
    with sqlite3.connect(db) as conn:            # the meeting changed since the backup (by hand, say)
        conn.execute("UPDATE audit_event SET actor = 'x' WHERE seq = 3")
    conn.close()

    restore = window.backups.ask_restore(out)
    assert restore.path.text() == str(out) and not restore.go.isEnabled()
    restore.passphrase.setText(DEMO_PASSPHRASE)
    restore.go.click()
    wait_ops(qtbot)
    assert not restore.isVisible()
    assert window.app is not app and window.app.path == db
    assert window.app.backups.check().ok and window.app.views.meeting(mid).title == before.title
    assert messages.history[-1][1] == "会议已恢复"
    assert [p for p in db.parent.glob(f"{db.name}.before-restore-*") if not p.name.endswith(("-wal", "-shm"))]
    window.close()
    window.app.close()


def test_a_refused_restore_leaves_the_meeting_open_and_the_dialog_usable(qtbot, meeting_at: OpenMeeting,
                                                                          tmp_path: Path) -> None:
    app, mid = meeting_at(Step.PUBLICITY)
    window = _window(qtbot, app, mid)
    out = tmp_path / "meeting.conclave-backup"
    _back_up(qtbot, window, out)
    dialog = window.backups.ask_restore(out)
    dialog.passphrase.setText("not-the-passphrase-42")
    dialog.go.click()
    wait_ops(qtbot)
    assert dialog.isVisible() and not dialog.busy and "口令不正确" in dialog.problem.text()
    assert window.app is app and app.backups.check().ok
    assert dialog.close_button.isEnabled()
    dialog.reject()
    assert not dialog.isVisible()


def test_finishing_a_step_offers_a_backup_to_a_usb_drive(qtbot, meeting_at: OpenMeeting) -> None:
    app, mid = meeting_at(Step.BALLOT)
    window = _window(qtbot, app, mid)
    assert window.wizard.currentId() == int(Step.SIGNING)
    assert not window.backups.offer_button.isVisible()
    app.closing.sign_conclusions("M01", mid, "M01")
    window.wizard.page_for(int(Step.SIGNING)).refresh()
    window.wizard.next()
    qtbot.waitUntil(lambda: window.backups.offer_button.isVisible(), timeout=2000)
    assert window.backups.offer_button.text() == "备份到U盘…"
    assert window.message_bar.title.text().endswith("第8步已完成：签字确认</b>") or "第8步已完成" in \
        window.message_bar.title.text()
    window.backups.offer_button.click()
    dialog = window.backups.dialog
    assert isinstance(dialog, BackupDialog) and dialog.isVisible()
    assert dialog.path.text().endswith(".conclave-backup")
    dialog.reject()
    messages.clear()
    assert not window.backups.offer_button.isVisible()


def test_a_damaged_meeting_is_told_on_opening_with_its_latest_backup(qtbot, meeting_at: OpenMeeting,
                                                                     tmp_path: Path) -> None:
    app, mid = meeting_at(Step.PLENARY)
    window = _window(qtbot, app, mid)
    out = app.path.parent / "latest.conclave-backup"
    _back_up(qtbot, window, out)
    window.close()
    with sqlite3.connect(app.path) as conn:
        conn.execute("DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)")
    conn.close()
    window = _window(qtbot, app, mid)
    qtbot.waitUntil(lambda: window.backups.offer_button.isVisible(), timeout=2000)
    assert window.backups.offer_button.text() == "从备份恢复…"
    assert "检查未通过" in window.message_bar.title.text()
    shown = window.message_bar.text.text()
    assert "审计日志" in shown and str(out) in shown
    window.backups.offer_button.click()
    dialog = window.backups.dialog
    assert isinstance(dialog, RestoreDialog) and dialog.path.text() == str(out)
    dialog.reject()


def test_a_compaction_another_program_still_blocks_is_told_on_opening(qtbot, meeting_at: OpenMeeting) -> None:
    """A closed round's compaction that another program kept from completing, at the close and again
    at this opening, is not left silent: the window says which file to free."""
    app, mid = meeting_at(Step.PLENARY)
    path = app.path
    app.close()
    with sqlite3.connect(path) as conn:                   # the close recorded it; another program holds the file
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('compaction_pending', '1')")
    conn.close()
    reader = sqlite3.connect(path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM meta").fetchone()          # a snapshot held open
    try:
        app = Conclave(path)
        window = _window(qtbot, app, mid)
        qtbot.waitUntil(lambda: bool(messages.history) and messages.history[-1][1] == "会议数据文件尚未整理",
                        timeout=3000)
        assert str(path) in messages.history[-1][2] and "关闭所有打开" in messages.history[-1][2]
        assert window.message_bar.isVisible() and not window.backups.offer_button.isVisible()
    finally:
        reader.close()
    window.close()
    app.close()
    again = Conclave(path)                                   # freed: done at the next opening, nothing to say
    try:
        assert not again.voting.compaction_pending()
    finally:
        again.close()


def test_a_result_changed_outside_conclave_is_told_on_opening(qtbot, meeting_at: OpenMeeting) -> None:
    """The window's check is the full one: an outcome edited with an SQLite tool (the audit trail
    untouched) is found by rebuilding the tables from the trail, and named."""
    app, mid = meeting_at(Step.PUBLICITY)
    with sqlite3.connect(app.path) as conn:
        conn.execute("UPDATE candidate SET outcome = 'passed' WHERE outcome = 'failed'")
    conn.close()
    window = _window(qtbot, app, mid)
    qtbot.waitUntil(lambda: window.backups.offer_button.isVisible(), timeout=2000)
    assert "检查未通过" in window.message_bar.title.text()
    shown = window.message_bar.text.text()
    assert "数据与审计日志不符" in shown and "数据表candidate" in shown and "outcome" in shown
    window.close()


def test_removable_drives_are_the_writable_mounted_media() -> None:
    volumes = [("/", "ext4", True, True), ("/media/office/KINGSTON", "vfat", True, True),
               ("/run/media/u/RO", "iso9660", False, True), ("/dev/shm", "tmpfs", True, True),
               ("/mnt/usb", "exfat", True, False), ("/home", "ext4", True, True)]
    assert pick_removable(volumes, "/", "linux") == [Path("/media/office/KINGSTON")]
    windows = [("C:/", "NTFS", True, True), ("E:/", "FAT32", True, True), ("F:/", "UDF", False, True)]
    assert pick_removable(windows, "C:/", "win32") == [Path("E:/")]


def test_a_backup_the_system_refuses_says_which_file_and_why(qtbot, meeting_at: OpenMeeting, tmp_path: Path) -> None:
    """A folder that cannot be made (a file where it would be, as a full or read-only USB stick would
    refuse too): the dialog names the path and the system's reason, not "an unexpected error"; the
    traceback is still there to copy, and the dialog can be used again."""
    app, mid = meeting_at(Step.PUBLICITY)
    window = _window(qtbot, app, mid)
    (tmp_path / "usb").write_text("a file where the folder would be", encoding="utf-8")
    dialog = _back_up(qtbot, window, tmp_path / "usb" / "meeting.conclave-backup")
    problem = dialog.problem.text()
    assert dialog.isVisible() and str(tmp_path / "usb") in problem and "请检查路径后重试" in problem, problem
    assert "意外" not in problem
    assert "FileExistsError" in dialog.details_button.details and dialog.go.isEnabled()
    assert messages.history[-1][0] == "error" and messages.history[-1][2] == problem
    layout = dialog.layout()
    assert layout is not None and dialog.height() >= layout.totalHeightForWidth(dialog.width())  # grown: no text cut
    dialog.reject()
    window.close()
