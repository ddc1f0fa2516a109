"""The committee key is created in the window only through its dialog, offered where documents
must be written and there is no key yet: passphrase typed twice, the key file's place shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.domain import Step
from tests.demo_templates import without_key
from ui import ops
from ui.documents import DocumentsDialog
from ui.i18n import bridge
from ui.key_dialog import CommitteeKeyDialog

from .conftest import OpenMeeting, wait_ops

PASSPHRASE = "评审会 correct horse 2025"
SEALING_TIMEOUT = 60_000


@pytest.fixture
def dialog(qtbot, meeting_at: OpenMeeting) -> DocumentsDialog:
    """The documents dialog on the demo meeting signed but not archived, before its committee key
    was made (the demo makes it at setup)."""
    app, mid = meeting_at(Step.SIGNING)
    without_key(app)
    assert not app.documents.key_status(mid).exists
    widget = DocumentsDialog(app, mid)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _offered(qtbot, dialog: DocumentsDialog) -> CommitteeKeyDialog:
    """Generate all, with no key: the key dialog opens, and nothing is written or made busy."""
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    key_dialog = dialog.key_dialog
    assert key_dialog is not None and key_dialog.isVisible()
    assert not ops.busy() and not dialog.busy and dialog.model.rowCount() == 0
    return key_dialog


def test_documents_wait_for_the_key_which_is_made_with_a_passphrase_typed_twice(
        qtbot, dialog: DocumentsDialog, tmp_path: Path) -> None:
    app, mid = dialog.app, dialog.meeting_id
    path = app.documents.key_status(mid).path
    folder = tmp_path / "out"
    dialog.folder.setText(str(folder))
    assert "尚无评委会签章密钥" in dialog.key_info.text()

    key_dialog = _offered(qtbot, dialog)
    assert str(path) in key_dialog.where.text() and "妥善保管并备份" in key_dialog.keep.text()
    assert "至少须有10个字符" in key_dialog.rule.text()
    assert not key_dialog.create_button.isEnabled() and key_dialog.problem.text() == "请输入口令。"
    assert not key_dialog.strength_label.text() and key_dialog.strength_bar.value() == 0
    qtbot.keyClicks(key_dialog.passphrase, "correct horse")       # typed (QTest types Latin-1 only)
    assert key_dialog.strength_label.text() == "弱——不能使用" and key_dialog.strength_bar.value() == 1
    assert not key_dialog.create_button.isEnabled() and "签章口令太容易被猜到" in key_dialog.problem.text()
    qtbot.keyClicks(key_dialog.passphrase, " 7 staple")
    assert key_dialog.strength_label.text() == "强" and key_dialog.strength_bar.value() == 3
    assert not key_dialog.create_button.isEnabled() and key_dialog.problem.text() == "请再次输入口令。"
    qtbot.keyClicks(key_dialog.repeat, "correct horse 7 staplf")
    assert not key_dialog.create_button.isEnabled() and key_dialog.problem.text() == "两次输入的口令不一致。"
    key_dialog.reject()                                              # cancelled: no key, nothing written
    assert not key_dialog.isVisible() and not path.exists() and not folder.exists()
    assert app.documents.issued(mid) == []

    assert _offered(qtbot, dialog) is key_dialog and not key_dialog.passphrase.text()   # what was typed is gone
    qtbot.keyClicks(key_dialog.passphrase, "short12")                # weak, though typed twice the same
    qtbot.keyClicks(key_dialog.repeat, "short12")
    assert not key_dialog.create_button.isEnabled() and "只有7个字符，少于10个" in key_dialog.problem.text()
    qtbot.mouseClick(key_dialog.create_button, Qt.MouseButton.LeftButton)
    key_dialog.create_key()                                          # nor by a stray call: nothing started
    assert key_dialog.isVisible() and not key_dialog.busy and not ops.busy() and not path.exists()

    key_dialog.passphrase.setText(PASSPHRASE)                      # Chinese in a passphrase is fine
    key_dialog.repeat.setText(PASSPHRASE)
    assert key_dialog.create_button.isEnabled() and not key_dialog.problem.text()
    qtbot.mouseClick(key_dialog.create_button, Qt.MouseButton.LeftButton)
    assert key_dialog.busy and key_dialog.progress.isVisible() and not key_dialog.create_button.isEnabled()
    key_dialog.reject()                                              # not while the key is being made
    assert key_dialog.isVisible()
    qtbot.waitUntil(lambda: not key_dialog.isVisible(), timeout=SEALING_TIMEOUT)
    assert dialog.busy                                               # the documents follow at once ...
    qtbot.waitUntil(lambda: not ops.busy(), timeout=SEALING_TIMEOUT)
    status = app.documents.key_status(mid)
    assert status.exists and status.root_fingerprint and status.root_fingerprint[:23] in dialog.key_info.text()
    rows = {row.kind: row for row in dialog.model.rows}                # ... sealed with the new key
    for kind in ("minutes", "result-sheets"):
        assert rows[kind].sealed and rows[kind].verdict is not None and rows[kind].verdict.ok
    assert app.documents.issued(mid) and not dialog.passphrase.text()

    bridge.set_language("en")
    assert dialog.key_info.text().startswith("Committee key: ")


def test_an_unexpected_error_leaves_nothing_busy(qtbot, dialog: DocumentsDialog, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    app, mid = dialog.app, dialog.meeting_id
    key_dialog = _offered(qtbot, dialog)

    def broken(*_args: object) -> None:
        raise OSError("disk unplugged")

    monkeypatch.setattr(app.documents, "create_key", broken)
    key_dialog.passphrase.setText(PASSPHRASE)
    key_dialog.repeat.setText(PASSPHRASE)
    qtbot.mouseClick(key_dialog.create_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    kind, _title, text, details = ops.messages.history[-1]
    assert kind == "error" and text.startswith("出现意外错误，操作未完成，未作任何更改")
    assert "disk unplugged" not in text and "OSError: disk unplugged" in details
    assert not key_dialog.busy and key_dialog.create_button.isEnabled() and key_dialog.passphrase.isEnabled()
    assert key_dialog.problem.text() == text and not key_dialog.progress.isVisible()
    assert key_dialog.details_button.isVisible() and key_dialog.details_button.details == details
    key_dialog.reject()
    assert not key_dialog.isVisible()

    monkeypatch.undo()
    app.documents.create_key("秘书", mid, PASSPHRASE)
    monkeypatch.setattr(app.documents, "write", broken)
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert dialog.busy
    wait_ops(qtbot)
    assert ops.messages.history[-1][0] == "error"
    assert not dialog.busy and not dialog.progress.isVisible() and dialog.generate_button.isEnabled()
    dialog.close()
    assert not dialog.isVisible()
