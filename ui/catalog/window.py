"""Strings of the main window's own: the File menu (meetings as files), the status bar, errors."""

ZH = {
    # unexpected errors
    "Unexpected error": "意外错误",
    "An unexpected error occurred. The action was not completed and nothing was changed. "
    "Press \"Copy details\" and send the text to whoever supports the program.":
        "出现意外错误，操作未完成，未作任何更改。请点击“复制详细信息”，将复制的内容发给技术支持人员。",
    "Copy details": "复制详细信息",
    "Copied": "已复制",
}

ZH.update({
    # Qt's file dialog, where its own catalogue misses them
    "&Look in:": "查找范围(&L)：",
    "Files of &type:": "文件类型(&T)：",
})

ZH.update({
    # the kiosk, after an unexpected error
    "An unexpected error occurred and nothing was recorded. Please tell the staff.":
        "出现意外错误，本次操作未记录。请告知工作人员。",
})
