"""Strings of the main window's own: the File menu (meetings as files), the status bar, errors."""

ZH = {
    # Qt's file dialog, where its own catalogue misses them
    "&Look in:": "查找范围(&L)：",
    "Files of &type:": "文件类型(&T)：",
}
