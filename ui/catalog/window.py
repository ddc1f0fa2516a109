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
    # meetings as files
    "&File": "文件(&F)",
    "New meeting…": "新建会议…",
    "Open meeting…": "打开会议…",
    "Recent meetings": "最近打开的会议",
    "Quit": "退出",
    "(none)": "（无）",
    "Meeting files (*.{suffix})": "会议文件 (*.{suffix})",
    "review-meeting": "评审会议",
    "New meeting — choose a new file": "新建会议——选择新的会议文件",
    "New meeting": "新建会议",
    "Open meeting": "打开会议",
    "{path} already exists. A new meeting needs a new file; open an existing one with File › Open meeting….":
        "{path} 已存在。新会议须使用新文件；已有的会议请用“文件 › 打开会议…”打开。",
    "This meeting is already open.": "该会议已经打开。",
    "{path} does not exist any more.": "{path} 已不存在。",
    "Please wait": "请稍候",
    "An action is still running on this meeting; open another one when it has finished.":
        "本会议还有操作正在进行，请待其完成后再打开其他会议。",
    "Meeting file: {path}": "会议文件：{path}",
    "The demo is built in its own file, {path}, never in this meeting's.":
        "演示会议建在单独的文件 {path} 中，不会写入本会议的文件。",
})

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
