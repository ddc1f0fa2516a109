"""Strings of backing up and restoring a meeting and of the start-up check (:mod:`ui.backup`)."""

ZH = {
    # the File menu and the message bar
    "Back up the meeting…": "备份会议…",
    "Restore from a backup…": "从备份恢复…",
    "Back up to a USB drive…": "备份到U盘…",
    "Step {n} finished: {name}": "第{n}步已完成：{name}",
    "Back up the meeting now, to a USB drive kept apart from this laptop.":
        "请现在备份会议，存到与本机分开保管的U盘上。",
    "Backup written": "备份已写入",
    "{path} — {size} MB, {files} files; audit trail of {events} events.":
        "{path}——{size} MB，{files}个文件；审计日志{events}条。",
    "Meeting restored": "会议已恢复",
    "Restored from {backup} (backed up {created}); audit trail of {events} events intact. Kept: {kept}":
        "已从{backup}恢复（备份时间{created}）；审计日志{events}条，完整无误。原文件保留为：{kept}",
    "(nothing was replaced)": "（未替换任何文件）",
    # the start-up check
    "This meeting file failed its check": "会议文件检查未通过",
    "The meeting file {path} is not sound: {problem}. Do not continue the meeting in it: restore the latest backup.":
        "会议文件{path}检查未通过：{problem}。请勿继续在此文件中进行会议：请恢复最近的备份。",
    "The latest backup found: {path}": "找到的最近备份：{path}",
    "No backup was found beside the meeting file or on a removable drive.":
        "在会议文件所在文件夹和可移动磁盘上均未找到备份。",
    "The meeting file is not yet compacted": "会议数据文件尚未整理",
    "A closed ballot round left the file to be compacted, and another program is still using it (reading or "
    "writing it), so it could not be done at opening either. Close every other program that has {path} open, "
    "then close and reopen the meeting.":
        "已结束的表决轮次要求整理会议数据文件，但另一程序仍在使用该文件（读取或写入），打开会议时也未能完成整理。"
        "请关闭所有打开{path}的其他程序，然后关闭并重新打开本会议。",
    # the dialogs
    "Back up the meeting": "备份会议",
    "Restore from a backup": "从备份恢复",
    "Backup file": "备份文件",
    "Meeting backups (*{suffix})": "会议备份（*{suffix}）",
    "Back up the meeting — choose a file": "备份会议——选择文件",
    "Restore from a backup — choose the file": "从备份恢复——选择备份文件",
    "One encrypted file holds the whole meeting: the database, the committee key and the archive with its sealed "
    "papers. Keep it apart from this laptop (a USB drive kept by the office), and the passphrase apart from it: "
    "without the passphrase it cannot be restored.":
        "一个加密文件即包含整个会议：数据库、评委会签章密钥和归档（含已盖章的文书）。请与本机分开保管"
        "（如由办事机构保管的U盘），口令另行保管：没有口令无法恢复。",
    "No removable drive was found: the backup is proposed beside the meeting file; plug in a USB drive and "
    "choose it.": "未找到可移动磁盘：备份暂定保存在会议文件旁；请插入U盘并选择它。",
    "Back up": "备份",
    "Choose where to write the backup.": "请选择备份保存的位置。",
    "Writing the backup…": "正在写入备份…",
    "The backup is decrypted and checked first — every file against its manifest, the database's integrity and "
    "its audit trail — while this meeting stays open. Only then is the meeting file replaced; the current one is "
    "kept beside it as “…before-restore-<time>”.\nMeeting file: {path}":
        "先解密并检查备份（每个文件与清单核对、数据库完整性和审计日志），其间本会议保持打开。"
        "全部通过后才替换会议文件；当前文件保留在旁边，名为“…before-restore-<时间>”。\n会议文件：{path}",
    "Replace it although it is another meeting (the current one is kept aside)":
        "即使是另一个会议也替换（当前会议另行保留）",
    "Restore": "恢复",
    "Choose the backup file.": "请选择备份文件。",
    "An action is still running on this meeting; restore when it has finished.":
        "本会议仍有操作正在进行，请待其完成后再恢复。",
    "Decrypting and checking the backup…": "正在解密并检查备份…",
}

#: A short title for a refusal under each rule id (or its prefix before the dot): English here,
#: Chinese in ZH below (:func:`ui.i18n.rule_title`).
RULE_TITLES = {
    "backup": "Backup and restore",
    "storage.check": "The meeting database failed its check",
}

ZH.update({
    "Backup and restore": "备份与恢复",
    "The meeting database failed its check": "会议数据库检查未通过",
})
