"""Qt's own dialogs speak the interface's language: ``qtbase_zh_CN.qm`` is installed for Chinese
and removed for English (standard buttons of a message box or a button box, the file dialog)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QMessageBox

from ui.i18n import bridge, localise_file_dialog

Button = QMessageBox.StandardButton


def _message_box(qtbot) -> QMessageBox:  # type: ignore[no-untyped-def]
    box = QMessageBox(QMessageBox.Icon.Question, "t", "?", Button.Save | Button.Discard | Button.Cancel)
    qtbot.addWidget(box)
    return box


def _file_dialog(qtbot, tmp_path) -> QFileDialog:  # type: ignore[no-untyped-def]
    dialog = QFileDialog(None, "t", str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    localise_file_dialog(dialog)
    return dialog


def _labels(dialog: QFileDialog) -> set[str]:
    return {label.text() for label in dialog.findChildren(QLabel)}


def test_standard_buttons_and_the_file_dialog_are_chinese_then_english(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bridge.set_language("zh")
    assert bridge.qt_translator is not None
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    box = _message_box(qtbot)
    assert [box.button(b).text() for b in (Button.Save, Button.Discard, Button.Cancel)] == ["保存", "丢弃", "取消"]
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Close).text() == "关闭"
    dialog = _file_dialog(qtbot, tmp_path)
    open_button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Open)
    assert open_button.text() == "打开(&O)"
    assert {"查找范围(&L)：", "文件名称(&N)：", "文件类型(&T)："} <= _labels(dialog)

    bridge.set_language("en")
    assert bridge.qt_translator is None
    box = _message_box(qtbot)
    assert [box.button(b).text() for b in (Button.Save, Button.Discard, Button.Cancel)] == ["Save", "Discard", "Cancel"]
    dialog = _file_dialog(qtbot, tmp_path)
    assert {"&Look in:", "File &name:", "Files of &type:"} <= _labels(dialog)


def test_setting_the_same_language_again_installs_the_catalogue_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    bridge.set_language("zh")
    first = bridge.qt_translator
    bridge.set_language("zh")
    assert bridge.qt_translator is first
    bridge.set_language("en")
    bridge.set_language("zh")
    assert bridge.qt_translator is not None and QCoreApplication.translate("QPlatformTheme", "OK") == "确定"
