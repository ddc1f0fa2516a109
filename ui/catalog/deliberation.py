"""Strings of steps 5–10 (小组评议 … 结果公示), the paper-ballot double entry and the results screen."""

ZH = {
    # -- step 5 小组评议 -----------------------------------------------------------
    "Unanimously recommended": "一致同意推荐",
    "Not recommended": "不同意推荐",
    "To the plenary": "提交大会审议",
    "— ineligible, skips this step": "— 资格复审不合格，不参加本环节",
    "not yet decided": "尚未评议",
    "{code} {name} ({unit}) — score {score}; opinion: {opinion}":
        "{code} {name}（{unit}）— 量化评分 {score}；小组意见：{opinion}",
    "Select a candidate and set the group's opinion: exactly one of the three (keys 1–3). "
    "The score informs the discussion but decides nothing: there is no cut-off.":
        "选中申报人后给出小组评议意见，三者选一（可按数字键 1–3）。量化评分仅供评议参考，不设分数线，不决定结果。",
    "Note (optional)": "备注（可不填）",
    "Score": "量化评分",
    "Group's opinion": "小组评议意见",
    "Note": "备注",
    # -- the round passphrase (ui/round_passphrase.py) ----------------------------------------
    "Round {n}: set the round passphrase": "第{n}轮：设定表决口令",
    "The supervisor sets a passphrase for round {n}. Every ballot is sealed as it is cast and "
    "can only be opened with this passphrase when the round closes: keep it in mind (or on "
    "paper, kept by the supervisor) until then: without it the round's ballots cannot be opened "
    "or counted, and the round must be voided and held again. Nobody reading the computer's files during the "
    "round can see how anyone voted.":
        "由纪检监察人员为第{n}轮设定表决口令。每张选票投出时即被密封，只有在本轮结束时用该口令才能开启："
        "在此之前请牢记该口令（或写在纸上由纪检监察人员保管）；口令遗失，本轮选票将无法开启、无法计票，"
        "只能作废本轮、全体重新投票。"
        "表决期间，任何人读取本机文件都无法得知谁投了什么票。",
    "Round {n}: open the ballot box": "第{n}轮：开启票箱",
    "Enter the passphrase the supervisor set when round {n} was opened: it opens the sealed "
    "ballots, which are then shuffled and counted.":
        "请输入开始第{n}轮时纪检监察人员设定的表决口令：用以开启密封的选票，随后打乱顺序并计票。",
    "Round {n}: compare with the sealed first entry": "第{n}轮：与已密封的第一次录入核对",
    "The first entry of batch {batch} waits sealed, like the ballots. The supervisor enters the "
    "passphrase set when round {n} was opened: it opens the first entry only to compare it with "
    "this one — neither clerk sees it.":
        "批次{batch}的第一次录入与选票一样已密封保存。请纪检监察人员输入开始第{n}轮时设定的表决口令："
        "仅用于将第一次录入与本次录入核对，两名录入人员均看不到其内容。",
    "Compare the entries": "核对两次录入",
    "Round passphrase": "表决口令",
    "Open round {n}": "开始第{n}轮表决",
    "Close round {n}": "结束第{n}轮表决",
    "Round {n} is closed; the file is not yet compacted": "第{n}轮表决已结束；数据文件尚未整理",
    "Round {n} is closed and its ballots are counted. The meeting file could not be "
    "compacted now because another program is using it (reading or writing it); the "
    "compaction will be done the next time the meeting is opened, before anything else.":
        "第{n}轮表决已结束，选票已计票。因另一程序正在使用会议数据文件（读取或写入），现在无法整理该文件；"
        "下次打开本会议时将首先完成整理。",
    # -- step 6 大会审议 -----------------------------------------------------------
    "The candidates the groups sent to the plenary (提交大会审议): the group leader or the primary reviewer "
    "presents, the plenary deliberates; record its conclusion.":
        "以下为各评议组提交大会审议的申报人：由评议组组长或主审评委介绍情况，经大会集体审议后记录审议结论。",
    "Presented by": "介绍人",
    "{code} {name} (group {group}): {reason}": "{code} {name}（{group}）：{reason}",   # group: 内科组 in Chinese
    "Conclusion": "审议结论",
    "Record conclusion": "记录审议结论",
    "The other candidates (read-only):": "其他申报人（只读）：",
    "Primary reviewer": "主审评委",
    "Presenter": "介绍人",
    "not yet recorded": "尚未记录",
    # -- step 7 表决 ---------------------------------------------------------------
    "Round {n}: first round": "第{n}轮表决（首轮）",
    "Round {n}: runoff among {names} for {places} place(s)": "第{n}轮 再次投票：{names} 竞争 {places} 个名额",
    "Round {n}": "第{n}轮",
    "Round {n} (runoff)": "第{n}轮（再次投票）",
    "open": "投票进行中",
    "Open the ballot": "开始表决",
    "Open the ballot: tick the experts present at the vote": "开始表决：请勾选出席表决的评委",
    "Runoff among {names} for {places} place(s): tick the experts present at this vote":
        "再次投票（{names} 竞争 {places} 个名额）：请勾选出席本轮表决的评委",
    "Untick an expert who is absent or has left: the round records them as absent. No proxy, no late vote. "
    "{chair} preside and do not vote.":
        "缺席或已离会的评委请取消勾选，本轮将记录为缺席。不得委托投票，不得补投。{chair}主持会议，不参加投票。",
    "Present at the vote: {n}; absent or departed: {a}.": "出席表决 {n} 人；缺席或离会 {a} 人。",
    "Pass mark: at least {t} yes votes (two thirds).": "通过须获赞成票 {t} 票以上（三分之二，含）。",
    "departed": "已离会",
    "voted": "已投票",
    "Voted": "投票情况",
    "have voted, of the voters on the roll (it shows who, never how)":
        "已投票 / 应投票人数（只显示谁已投票，不显示投票内容）",
    "Absent or departed, recorded: {names}": "已记录的缺席或离会评委：{names}",
    "Paper ballots in the box not yet counted: {n} ({loose} not yet typed)":
        "已投入票箱、尚未计入的纸质选票：{n} 张（其中 {loose} 张尚未录入）",
    "Batch": "批次",
    "Ballots": "票数",
    "Status": "状态",
    "Clerks A / B": "录入人A / B",
    "Second entry of batch {code}…": "批次 {code} 第二人录入…",
    "waiting for the second entry": "等待第二人录入",
    "entries differ": "两次录入不一致",
    "confirmed, counted": "已核对一致，已计票",
    "Batch {codes} is not confirmed by a second entry: the round cannot close yet.":
        "批次 {codes} 尚未经第二人核对录入一致，本轮暂不能结束。",
    "Close round {n} for good? {v} of {t} have voted. Nobody can vote after it closes and it can never be "
    "reopened.": "确定结束第{n}轮表决吗？已投票 {v} / {t} 人。结束后任何人不能再投票，本轮也不能重新开启。",
    " {n} paper ballots handed in are not counted yet and would be lost.":
        " 注意：有 {n} 张已投入的纸质选票尚未计票，结束后将无法计入。",
    "Paper ballot handed in: {name}": "纸质选票已投入：{name}",
    "Paper ballot handed in (select the voters who have not voted)": "纸质选票已投入（请先选中尚未投票的评委，可多选）",
    "Paper ballots handed in: {n} voters selected": "纸质选票已投入：选中的{n}位评委",
    "Choose the day of the vote first": "请先选择表决日期",
    "Fewer experts present than the quorum": "出席评委不足法定人数",
    "Round {n} is a runoff (再次投票) among {names} for {places} place(s): each of them reached the pass "
    "mark in round 1; the most yes votes pass (按赞成票多少确定), with no pass mark of its own.":
        "第{n}轮为再次投票：{names}竞争{places}个名额，均已在首轮达到通过票数；按赞成票多少确定，本轮不设通过票数。",
    "Type a new paper batch…": "录入新一批纸质选票…",
    "Second entry of the batch…": "该批次第二人录入…",
    "Close this round…": "结束本轮表决…",
    "The round cannot be opened (passphrase lost)? Void it…": "表决口令遗失、本轮无法开启？作废本轮…",
    "Void round {n}": "作废第{n}轮表决",
    "Void round {n} of the ballot, unopened": "作废第{n}轮表决（票箱不开启）",
    "For a round whose box can never be opened — its passphrase lost or mistyped when it was set — or a round "
    "that went wrong. Ballots in its box: {b}, never opened or counted; who has voted is cleared and the round "
    "is held again under the same number, with a new passphrase: every expert present votes again. Who decided it "
    "and why are printed in the minutes and kept in the audit trail. A closed round can never be voided.":
        "用于票箱无法开启（表决口令遗失或设定时输入有误）或表决过程出现差错的轮次。本轮票箱中的 {b} 张选票"
        "不开启、不计票，一律作废；已投票记录清空，本轮以同一轮次重新进行并重新设定表决口令，全体出席评委重新投票。"
        "决定人及理由载入会议记录并记入审计日志。已结束的轮次不得作废。",
    "e.g. the supervisor lost the round passphrase: the box cannot be opened":
        "如：纪检监察人员遗失本轮表决口令，票箱无法开启",
    "Decided by": "决定人",
    "the supervisor": "纪检监察人员",
    "{name}'s own staff code": "{name}本人的登录码",
    "Supervisor (纪检监察) confirms": "纪检监察人员确认",
    "Votes (yes / no / abstain)": "表决票数（赞成/反对/弃权）",
    "; runoff (round {n}): {y}/{no}/{a}": "；第{n}轮再次投票：{y}/{no}/{a}",
    "Round {n} voided": "第{n}轮表决已作废",
    "Round {n} was voided: its box ({b} ballot(s)) was not opened or counted. Hold it again: tick the experts "
    "present, set a new round passphrase and start the vote; every expert present votes again.":
        "第{n}轮表决已作废，票箱中的 {b} 张选票未开启、未计票。请重新进行本轮：勾选出席评委，"
        "重新设定表决口令后开始表决，全体出席评委重新投票。",
    "The meeting file could not be compacted now because another program is using it; the compaction will be "
    "done the next time the meeting is opened.":
        "会议数据文件正被其他程序使用，暂时无法整理；将在下次打开本会议时完成整理。",
    "Close for good": "确定结束",
    "Back to the results": "返回表决结果",
    "Start runoff (再次投票)": "开始再次投票",
    "{level}: at most {max} of {entered} may pass": "{level}：参评 {entered} 人，最多通过 {max} 人",
    "Quota {key}: {n} place(s).": "评审职数 {key}：{n} 个。",
    "Voters present: {n} (absent: {absent}). Pass mark: at least {t} yes votes (two thirds). "
    "Pass-rate cap: {caps}.":
        "出席表决评委 {n} 人（缺席：{absent}）。通过须获赞成票 {t} 票以上（三分之二，含）。通过率控制：{caps}。",
    "the pass-rate cap of {key}": "{key}通过率控制比例",
    "the quota {key}": "评审职数 {key}",
    "A runoff (再次投票) is needed among {names} for {places} place(s): they tie at {limit}. The most yes votes "
    "pass; a tie again means another runoff.":
        "须再次投票：{names} 赞成票相同，{limit}只余 {places} 个名额。"
        "再次投票中赞成票多者通过；再次同票则继续再次投票。",
    "Results so far: a runoff is pending": "当前表决结果：尚待再次投票",
    "Every outcome is decided: {p} passed, {f} not passed.": "全部结果已确定：通过 {p} 人，未通过 {f} 人。",
    "none": "无",
    # -- paper ballots, double entry ----------------------------------------------
    "Paper ballots: batch {batch}": "纸质选票录入：批次 {batch}",
    # -- staff sign-in (the two staff members of the plan, each with their own code) --
    "{name} — {post}": "{name}（{post}）",
    "(not named)": "（未填写）",
    "Staff member": "工作人员",
    "Staff code": "登录码",
    "Your own staff code": "本人登录码",
    "Staff sign-in": "工作人员登录",
    "Sign in": "登录",
    "A paper ballot handed in is ticked on the roll by a staff member named in the plan, signed in with their own "
    "code: the record names who ticked it.":
        "纸质选票投入后，由评审方案中的工作人员以本人登录码登录后在投票名单上勾记，记录中载明勾记人。",
    "Staff codes": "工作人员登录码",
    "Staff codes…": "工作人员登录码…",
    "Each staff member of the plan sets a code of their own, at least {n} characters, and keeps it to "
    "themselves: the paper ballots are typed twice, once by each, each signed in with their own code. To "
    "change a code, give the current one as well.":
        "评审方案中的每名工作人员各自设置本人登录码（至少{n}位）并自行保管：纸质选票由两人各录入一次，"
        "每人以本人登录码登录。更改登录码须同时输入原登录码。",
    "Current code (to change it)": "原登录码（更改时填写）",
    "New code": "新登录码",
    "New code again": "再次输入新登录码",
    "Save code": "保存登录码",
    "The two new codes differ: type the new code twice.": "两次输入的新登录码不一致，请重新输入。",
    "Code saved for {who}.": "已为{who}保存登录码。",
    "Sign in for this entry: choose who you are and type your own staff code.":
        "保存本次录入前请登录：选择本人并输入本人登录码。",
    "Paper ballots in this batch": "本批纸质选票张数",
    "Keys: 1 or Y = Yes, 2 or N = No, 3 or A = Abstain (a blank on paper is an abstention); arrows move, "
    "Delete clears, Backspace goes back.":
        "按键：1 或 Y＝赞成，2 或 N＝反对，3 或 A＝弃权（选票上未填视为弃权）；方向键移动，Delete 清除，退格键回退。",
    "Save this entry": "保存本次录入",
    "First entry (clerk A): type every paper ballot of batch {batch} as written.":
        "第一次录入（录入人A）：请按选票原样录入批次 {batch} 的每一张纸质选票。",
    "Second entry (clerk B): a different clerk types the same paper ballots again. The first "
    "entry ({clerk}) is sealed and not shown; saving asks the supervisor for the round passphrase "
    "to compare the two.":
        "第二次录入（录入人B）：由另一名工作人员重新录入同一批选票。第一次录入（{clerk}）已密封，不予显示；"
        "保存时须由纪检监察人员输入本轮表决口令，用以核对两次录入。",
    "Second entry (clerk B): a different clerk types the same paper ballots again. "
    "The first entry ({clerk}) is not shown.":
        "第二次录入（录入人B）：由另一名工作人员重新录入同一批选票，不显示第一次录入（{clerk}）的内容。",
    "Batch {batch} is confirmed: both entries agree and its ballots are counted.":
        "批次 {batch} 已确认：两次录入一致，选票已计入。",
    "{n} cells are not entered yet: every candidate of every ballot needs 1, 2 or 3.":
        "还有 {n} 格未录入：每张选票的每位申报人都须录入 1、2 或 3。",
    "First entry saved by {clerk}. Nothing is counted until a second clerk's entry agrees.":
        "{clerk} 的第一次录入已保存。须另一名工作人员录入一致后才计票。",
    "The two entries agree: {n} paper ballots are counted.": "两次录入一致：{n} 张纸质选票已计入。",
    "The two entries differ in {n} places: nothing is counted. Check the paper ballots, correct this entry and "
    "save it again (A = {a}, B = {b}).":
        "两次录入有 {n} 处不一致，均未计票。请核对纸质选票原件，更正本次录入后再次保存（A＝{a}，B＝{b}）。",
    "The other entry has {a} ballots, this one {b}.": "另一次录入为 {a} 张，本次为 {b} 张。",
    "Ballot {n}": "第{n}张",
    "Ballot {n} of {total} — candidate {code} {name}": "第{n}张（共{total}张）— 申报人 {code} {name}",
    "Ballot no.": "选票序号",
    "Candidate": "申报人",
    # -- step 8 签字确认 -----------------------------------------------------------
    "The conclusions follow from the ballot and cannot be changed. The chair or the vice-chair signs them all; "
    "the committee seal goes on the printed result sheets.":
        "评审结论依表决结果确定，不能更改。由主任委员或副主任委员签字确认，打印的评审结论加盖评委会印章。",
    "Signed by": "签字人",
    "Sign all conclusions": "签字确认全部结论",
    "Signed by: {who}.": "签字人：{who}。",
    "{n} conclusions are not signed yet.": "尚有 {n} 份结论未签字。",
    "{p} passed and {f} not passed of {n} candidates.": "申报人 {n} 人：通过 {p} 人，未通过 {f} 人。",
    "not signed": "未签字",
    # -- step 9 归档保密 -----------------------------------------------------------
    "The archive holds a consistent copy of the meeting database, the meeting record and a SHA-256 manifest of "
    "every file. Keep it confidential (保密).":
        "归档内容包括会议数据库的一致性副本、会议记录文件及全部文件的 SHA-256 校验清单。归档材料须妥善保密。",
    "Archive folder": "归档文件夹",
    "Choose…": "选择…",
    "Include the documents": "包含会议文书",
    "Seal passphrase (blank: papers not sealed)": "签章口令（不填则文书不加签章）",
    "The committee key's passphrase seals the minutes and the result sheets; without it they are archived "
    "unsealed.": "填写评委会签章口令后，评审会议记录和评审结论将加盖电子签章；不填则不加签章归档。",
    "Archive the meeting": "归档",
    "Archiving…": "正在归档…",
    "Archived in: {path}": "已归档至：{path}",
    "Archived in {path}, but its MANIFEST.sha256 cannot be read there now.":
        "已归档至 {path}，但目前无法读取其中的 MANIFEST.sha256。",
    "Not archived yet.": "尚未归档。",
    "Choose the archive folder first.": "请先选择归档文件夹。",
    "Document not made: {what}": "未生成的文书：{what}",
    "Document not in this archive: {what} — the holidays of {year} are entered now; archive again to include it":
        "未归档的文书：{what}——{year}年节假日现已录入，请重新归档以纳入该文书",
    "{n} documents written into the archive.": "已生成 {n} 份会议文书并归档。",
    "{what}: written without a seal (no passphrase given)": "{what}：未填写签章口令，未加盖电子签章",
    # -- step 10 结果公示 ----------------------------------------------------------
    "Publicity (公示) starts by the 3rd working day after the vote and lasts 5 working days; the results are "
    "filed (备案) within 15 working days after it ends.":
        "评审结果须在表决后3个工作日内公示，公示期不少于5个工作日；公示期满后15个工作日内报送备案。",
    "Vote held on": "表决日期",
    "Publicity starts": "公示开始",
    "{label} (proposed)": "{label}（拟）",
    "Must start by": "最迟开始日期",
    "Publicity ends": "公示结束",
    "Filing due by": "备案截止",
    "Start date set": "已确定的公示开始日期",
    "Publicity start": "公示开始日期",
    "Monday": "星期一",
    "Tuesday": "星期二",
    "Wednesday": "星期三",
    "Thursday": "星期四",
    "Friday": "星期五",
    "Saturday": "星期六",
    "Sunday": "星期日",
    "Set the publicity start": "确定公示开始日期",
    "not set yet": "尚未确定",
    "Too late: publicity must start by {date}, the 3rd working day after the vote.":
        "过晚：公示最迟须于 {date}（表决后第3个工作日）开始。",
    "The working days of {year} are not known to the calendar. Enter that year's holidays and make-up working "
    "days (调休) from the official notice first; they are never guessed.":
        "工作日历中没有 {year} 年的数据。请先按国务院办公厅通知录入该年的节假日和调休上班日，系统不会推测。",
    # -- results screen ------------------------------------------------------------
    "{title}: results of the secret ballot": "{title} 表决结果",
    "Voters present: {n}   Pass mark: at least {t} yes votes (two thirds)":
        "出席表决评委 {n} 人　通过须获赞成票 {t} 票以上（三分之二，含）",
    "{n} yes": "赞成 {n} 票",
    "Runoff, round {n}: {places} place(s)": "再次投票（第{n}轮）：{places} 个名额",
    "Passed ({n})": "通过（{n}人）",
    "Passed ({n}; * decided by a runoff, its votes on a later page)":
        "通过（{n}人；标 * 者经再次投票确定，其再次投票票数见后页）",
    "Not passed ({n})": "未通过（{n}人）",
    "Runoff among {names} for {places} place(s)": "{names} 再次投票，竞争 {places} 个名额",
    "Runoff (再次投票) to hold": "待再次投票",
    "Voting in progress": "正在投票",
    "Round {n} is open: {v} of {t} voters have voted": "第{n}轮表决进行中：已投票 {v} / {t} 人",
    "No results yet": "尚无表决结果",
    "The ballot has not been held yet.": "尚未进行表决。",
    " (continued)": "（续）",
    "← → page    Esc: close": "← → 翻页　　Esc 退出",
    "Page {n} of {total}": "第 {n} / {total} 页",
}

#: A short title for a refusal under each rule id (or its prefix before the dot): English here,
#: Chinese in ZH below (:func:`ui.i18n.rule_title`).
RULE_TITLES = {
    "calendar": "The working-day calendar lacks data",
    "calendar.unknown_year": "The working-day calendar lacks this year",
    "publicity.late": "Publicity starts too late",
    "publicity.early": "Publicity must start after the vote",
    "publicity.no_vote": "No vote held yet",
    "ballot.started": "The ballot has already opened",
    "ballot.round_open": "This round is still open",
    "ballot.undecided": "Eligibility re-check not finished",
    "runoff.none": "No runoff needed",
    "paper.accepted": "This batch is already confirmed and counted",
    "sign.role": "Only the chair or vice-chair can sign",
    "sign.undecided": "Some outcomes are not decided yet",
    "plenary.conclusion": "Record the conclusion and the presenter",
    "recommendation.value": "The group's opinion must be one of the three",
}

ZH.update({
    "The working-day calendar lacks data": "工作日历缺少数据",
    "The working-day calendar lacks this year": "工作日历缺少该年度数据",
    "Publicity starts too late": "公示开始过晚",
    "Publicity must start after the vote": "公示须在表决之后开始",
    "No vote held yet": "尚未表决",
    "The ballot has already opened": "表决已开始",
    "This round is still open": "本轮表决尚未结束",
    "Eligibility re-check not finished": "资格复审尚未完成",
    "No runoff needed": "无须再次投票",
    "This batch is already confirmed and counted": "该批次已核对计票",
    "Only the chair or vice-chair can sign": "只有主任委员或副主任委员可以签字",
    "Some outcomes are not decided yet": "尚有结果未确定",
    "Record the conclusion and the presenter": "须记录审议结论和介绍人",
    "The group's opinion must be one of the three": "小组评议意见须三者选一",
})

ZH.update({
    "Once the publicity has ended, record whether it raised objections (leave empty for none). "
    "The filing report states it.": "公示期满后，请记录公示期间有无异议（无异议则留空）。备案报告须写明。",
    "Recorded: {text}": "已记录：{text}",
    "Recorded: no objection during the publicity.": "已记录：公示期间无异议。",
    "Publicity outcome (公示结果)": "公示结果",
    "Objections raised and how they were handled; empty: none": "异议内容及处理情况；无异议则留空",
    "Record the publicity outcome": "记录公示结果",
    "Final archive (最终归档)": "最终归档",
    "Write the final archive": "生成最终归档",
    "Final archive written in {path}, with every paper and the filing report.":
        "最终归档已生成：{path}，含全部文书及备案报告。",
    "The meeting is finished: write the final archive, with every final paper and the filing report.":
        "会议已全部完成：请生成最终归档（含全部最终文书及备案报告）。",
    "The final archive is written once this step is finished and the publicity's outcome recorded: it holds "
    "every final paper, the filing report included.":
        "本步骤完成并记录公示结果后生成最终归档，归档包含全部最终文书（含备案报告）。",
})
