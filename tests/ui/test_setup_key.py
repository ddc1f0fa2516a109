"""The committee key at setup: the setup's 签章密钥 box shows that there is none yet (a warning, not
a condition of step 1), creates it through the key dialog — Create disabled while the passphrase is
weak, the strength shown as it is typed — and then shows the key file's place, its root fingerprint
and the reminder to back it up."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.domain import Step
from app.services import Conclave
from tests.demo_templates import without_key
from ui import ops
from ui.i18n import bridge
from ui.pages.setup_key import KeyBox, grouped

from .conftest import OpenMeeting, wait_ops

SET_UP = 0
STRONG = "river 7 teacup bicycle moon"
KEY_TIMEOUT = 60_000


def key_box(qtbot, app: Conclave, mid: int) -> KeyBox:  # type: ignore[no-untyped-def]
    from ui.pages.setup import SetupPage

    page = SetupPage(app, mid, None)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    box = page.findChild(KeyBox)
    assert box is not None and box.isVisibleTo(page)
    return box


def test_the_key_is_created_at_setup_with_a_passphrase_strong_enough(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(SET_UP)
    without_key(app)                                  # the demo makes its key at setup
    box = key_box(qtbot, app, mid)
    path = app.documents.key_status(mid).path
    assert box.title() == "评委会签章密钥" and "尚未创建评委会签章密钥" in box.state.text()
    assert str(path) in box.state.text() and "没有密钥也可以开始会议" in box.note.text()
    assert box.create_button.isVisible() and box.create_button.isEnabled() and not box.fingerprint.isVisible()
    assert box.page.missing() == []                      # the gate does not wait for the key: a warning only

    qtbot.mouseClick(box.create_button, Qt.MouseButton.LeftButton)
    dialog = box.dialog
    assert dialog is not None and dialog.isVisible() and str(path) in dialog.where.text()
    for weak in ("1234567890", "aaaaaaaaaaaaaaa", "password2026"):
        dialog.passphrase.setText(weak)
        dialog.repeat.setText(weak)
        assert dialog.strength_label.text() == "弱——不能使用" and not dialog.create_button.isEnabled()
        assert dialog.problem.text().startswith("签章口令太容易被猜到：")
    committee = app.views.plan(mid).committee                       # the committee's own name: weak too
    dialog.passphrase.setText(committee + "2026")
    dialog.repeat.setText(committee + "2026")
    assert not dialog.create_button.isEnabled() and "本评委会自己的信息" in dialog.problem.text()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert not ops.busy() and not path.exists()

    dialog.passphrase.setText(STRONG)
    dialog.repeat.setText(STRONG)
    assert dialog.strength_label.text() == "强" and dialog.create_button.isEnabled() and not dialog.problem.text()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.busy
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=KEY_TIMEOUT)
    wait_ops(qtbot)
    status = app.documents.key_status(mid)
    assert status.exists and status.path == path and status.root_fingerprint
    assert box.state.text() == f"密钥文件：{path}" and box.fingerprint.text() == grouped(status.root_fingerprint)
    assert box.fingerprint.text().replace(" ", ":") == status.root_fingerprint
    assert "妥善保管并备份" in box.note.text() and not box.create_button.isVisible()
    assert box.page.missing() == []

    bridge.set_language("en")
    assert box.title() == "Committee key (签章密钥)" and box.state.text() == f"Key file: {path}"
    assert box.fingerprint_name.text() == "Root certificate SHA-256 (printed on the papers):"
    assert box.note.text().startswith("Keep this file and back it up")


def test_once_step_1_is_over_the_key_can_still_be_made_and_a_refusal_stays_in_the_dialog(
        qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(Step.PREPARATORY)
    without_key(app)
    box = key_box(qtbot, app, mid)
    assert box.page.locked() and box.create_button.isVisible() and box.create_button.isEnabled()
    box.ask_create()
    dialog = box.dialog
    assert dialog is not None
    dialog.passphrase.setText(STRONG)
    dialog.repeat.setText(STRONG)
    app.documents.create_key("秘书", mid, "made elsewhere: 42 lanterns")      # meanwhile, by another window
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert dialog.isVisible() and not dialog.busy and "已有评委会签章密钥" in dialog.problem.text()
    dialog.reject()
    assert box.state.text().startswith("密钥文件：") and not box.create_button.isVisible()   # the box shows it


def test_a_lost_key_file_is_to_be_restored_never_made_again(qtbot, meeting_at: OpenMeeting) -> None:  # type: ignore[no-untyped-def]
    app, mid = meeting_at(SET_UP)
    without_key(app)                                  # the demo makes its key at setup
    status = app.documents.create_key("秘书", mid, STRONG)
    status.path.unlink()
    box = key_box(qtbot, app, mid)
    assert "请从备份中恢复" in box.state.text() and "不能新建密钥" in box.note.text()
    assert box.fingerprint.isVisible() and not box.create_button.isVisible()
