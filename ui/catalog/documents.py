"""Strings of the documents dialog (文书) and the PDF preview."""

ZH = {
    # the dialog
    "Documents": "文书",
    "Output folder": "输出文件夹",
    "Choose the output folder": "选择输出文件夹",
    "Committee key passphrase": "评委会签章口令",
    "Generate unsealed": "不盖章生成",
    "Generate all": "全部生成",
    "\"Generate all\" writes the meeting's papers into the output folder and lists them here: the minutes, the "
    "result sheets, the vote summary, the commitment letters, the sign-in sheet, the publicity notice, the work "
    "summary, the experts' fees, each round's ballots and tally sheet, the filing report once the publicity has "
    "ended, and the Excel tables — sealed with the committee key when its passphrase is given.":
        "点击“全部生成”后，本会议的文书写入输出文件夹并列于此处：评审会议记录、评审结论、投票表决汇总表、评委承诺书、"
        "签到表、公示、评审工作总结、评审专家劳务费、各轮表决票和计票单、公示期满后的备案报告以及 Excel 表格；"
        "如填写签章口令，文书将加盖电子签章。",
    "Select a document to preview it.": "选择一份文书即可预览。",
    "Excel workbooks are not previewed here: open the folder, or export a copy.":
        "Excel 表格不在此预览：请打开所在文件夹，或导出副本。",
    "Verify seal": "核验签章",
    "Print…": "打印…",
    "Export copy…": "导出副本…",
    "Open folder": "打开文件夹",
    "Close": "关闭",
    "Choose an output folder first.": "请先选择输出文件夹。",
    "Enter the committee key passphrase, or choose to generate unsealed.":
        "请输入评委会签章口令，或选择不盖章生成。",
    "Writing the documents…": "正在生成文书…",
    "Writing {name}…": "正在生成 {name}…",
    "Checking the seal of {name}…": "正在核验 {name} 的签章…",
    "{n} documents written to {folder}": "已生成 {n} 份文书，保存在 {folder}",
    "{n} sealed, {bad} with a broken seal.": "已盖章 {n} 份，其中签章失效 {bad} 份。",
    "Nothing was sealed.": "本次未加盖电子签章。",
    "Not written, or not sealed:": "未生成或未盖章：",
    "written unsealed, no passphrase given": "未提供签章口令，已生成但未盖章",
    "Characters missing from the fonts:": "字体中缺少以下字符：",
    "Printing…": "正在打印…",
    "Checking the seal…": "正在核验签章…",
    "Copying…": "正在复制…",
    "Printing page {page} of {n}…": "正在打印第 {page} 页，共 {n} 页…",
    "{name}: {pages} sent to the printer.": "{name}：已向打印机发送 {pages}。",
    "Export a copy": "导出副本",
    "Copied to {path}": "已复制到 {path}",
    " — sealed by {signer}": "，签章单位：{signer}",
    ", sealed on {when}": "，签章时间：{when}",
    # the committee key
    "Create the committee key": "创建评委会签章密钥",
    "Documents are sealed with the committee's own key. There is none yet: create it now, once, with a passphrase.":
        "文书须用本评委会自己的签章密钥盖章。目前尚无密钥：请现在设置口令创建（只需创建一次）。",
    "The key file will be kept at:\n{path}": "密钥文件将保存在：\n{path}",
    "Keep this file and back it up (for example on a backup medium), with the passphrase kept apart: without "
    "them no further document can be sealed, and a new key would not verify the documents sealed so far.":
        "请妥善保管并备份此文件（例如存入备份介质），口令另行保管：二者缺一则无法再为文书盖章，"
        "新建的密钥也无法核验此前盖章的文书。",
    "Passphrase": "口令",
    "Passphrase again": "再次输入口令",
    "Create the key": "创建密钥",
    "Type the passphrase.": "请输入口令。",
    "Type the passphrase again.": "请再次输入口令。",
    "The two passphrases differ.": "两次输入的口令不一致。",
    "Creating the committee key…": "正在创建评委会签章密钥…",
    "Committee key: {path} (root SHA-256 {fingerprint}…)": "评委会签章密钥：{path}（根证书 SHA-256 {fingerprint}…）",
    "The committee key file is missing: restore it from its backup to {path}":
        "评委会签章密钥文件缺失：请从备份中恢复到 {path}",
    "No committee key yet: it is created once, before the first documents are written.":
        "尚无评委会签章密钥：首次生成文书前须创建一次。",
    # the list
    "File": "文件",
    "Document": "文书",
    "Pages / rows": "页数／行数",
    "Seal": "签章",
    "Seal check": "签章核验",
    "{n} pages": "{n} 页",
    "1 page": "1 页",
    "1 row": "1 行",
    "{what}: {why}": "{what}：{why}",
    "{n} rows": "{n} 行",
    "sealed": "已盖章",
    "unsealed": "未盖章",
    # kinds of document
    "Seal of the {document}": "{document}的签章",
    "Minutes": "评审会议记录",
    "Result sheets": "评审结论",
    "Result sheet of one candidate": "单人评审结论",
    "Vote summary": "投票表决汇总表",
    "Commitment letters": "评委承诺书",
    "Check-in sheet": "签到表",
    "Publicity notice": "公示",
    "Filing report": "备案报告",
    "Work summary": "工作总结",
    "Expert honoraria": "评审专家劳务费",
    "Candidate roster": "申报人花名册",
    "Vote summary (Excel)": "投票表决汇总表（Excel）",
    "Ballot papers": "表决票",
    "Ballots, round {n}": "第{n}轮表决票",
    "Tally sheet, round {n}": "第{n}轮计票单",
    # seal check verdicts
    "intact": "完好可信",
    "changed after sealing": "盖章后内容被改动",
    "content added after sealing": "盖章后被追加内容",
    "unknown signer": "签章人不明",
    "certificate not valid": "证书无效",
    "rejected by the signature policy": "不符合签章策略",
    "not sealed": "未盖章",
    "unreadable": "无法读取",
    # the preview
    "Previous page": "上一页",
    "Next page": "下一页",
    "of {n}": "共 {n} 页",
    "Zoom in": "放大",
    "Zoom out": "缩小",
    "Fit width": "适合宽度",
    "Whole page": "整页",
}

#: A short title for a refusal under each rule id (or its prefix before the dot): English here,
#: Chinese in ZH below (:func:`ui.i18n.rule_title`).
RULE_TITLES = {
    "seal.passphrase": "Wrong seal passphrase",
    "seal.key": "Committee key problem",
    "seal.key_exists": "The committee key already exists",
    "seal.root": "Seal root certificate problem",
    "documents.no_key": "No committee key yet",
    "documents": "Document problem",
    "documents.export": "Cannot export",
    "documents.print": "Cannot print",
}

ZH.update({
    "Wrong seal passphrase": "签章口令错误",
    "Committee key problem": "签章密钥问题",
    "The committee key already exists": "签章密钥已存在",
    "Seal root certificate problem": "签章根证书问题",
    "No committee key yet": "尚无签章密钥",
    "Document problem": "文书问题",
    "Cannot export": "无法导出",
    "Cannot print": "无法打印",
})
