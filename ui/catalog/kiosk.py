"""Strings of the expert terminal: the kiosk window, its shared widgets, the code dialog."""

ZH = {
    # kiosk window
    "Lock": "锁定",
    "Welcome, {name}": "{name}，您好",
    "← My tasks": "← 返回我的事项",
    "Read and sign the commitment letter": "阅读并签署评委承诺书",
    "Commitment letter — signed ✓": "评委承诺书 — 已签署 ✓",
    "Score and draft questions: {n} candidate(s)": "评分与命题：{n}名申报人",
    "Vote: ballot round {n}": "投票表决：第{n}轮",
    "You have voted in round {n}. A ballot cannot be changed.": "您已在第{n}轮投票，选票投出后不能更改。",
    "You are not on the roll of round {n}.": "您不在第{n}轮表决的投票名单中。",
    "There is nothing for you to do at this terminal now.": "目前没有需要您在终端上办理的事项。",
    "Finish and lock": "完成并锁定",
    "The terminal was idle and has been locked.": "终端长时间无操作，已自动锁定。",
    "You have signed the commitment letter.": "您已签署评委承诺书。",
    "Scores saved for {code}.": "{code}的评分已保存。",
    "Question added for {code}.": "已为{code}添加面试题。",
    "Your ballot has been cast.": "您的选票已投出。",
    "Thank you. The terminal is locked; please hand it to the next expert.": "谢谢！终端已锁定，请交给下一位评委。",
    # commitment
    "The commitment letter is the official Chinese text.": "承诺书以中文文本为准。",
    "✓ You have signed the commitment letter.": "✓ 您已签署评委承诺书。",
    "Read the letter to its end to sign it.": "请阅读承诺书至末尾后签署。",
    "I have read the letter and sign it": "本人已阅读并签署",
    # review
    "Scores": "量化评分",
    "Interview questions": "面试命题",
    "Scored": "已评分",
    "Questions drafted": "已拟面试题",
    "Choose a candidate you review.": "请选择您主审的申报人。",
    "No candidate has been assigned to you for review.": "尚未给您分配主审申报人。",
    "Score every item; “—” means not scored yet.": "请逐项评分；“—”表示尚未评分。",
    "Total: {total}": "合计：{total}分",
    "Total: — (not scored yet)": "合计：—（尚未评分）",
    "Total so far: {total} ({n} items not scored yet)": "目前合计：{total}分（尚有{n}项未评分）",
    "Save scores": "保存评分",
    "Questions you have drafted for this candidate: {n}": "您已为该申报人拟定面试题：{n}道",
    "Interview question (set by {name})": "面试题（命题人：{name}）",
    "Interview question": "面试题",
    "Standard answer": "标准答案",
    "Add question": "添加面试题",
    # ballot
    "Ballot, round {n}": "表决票（第{n}轮）",
    "Runoff ballot, round {n}: {places} place(s)": "再次投票（第{n}轮）：{places}个名额",
    "Did not pass the eligibility re-check": "资格复审不合格",
    "Marked {n} of {total}; unmarked candidates count as abstentions.": "已标记{n}人，共{total}人；未标记的视为弃权。",
    "Check my ballot": "核对选票",
    "Check your ballot": "请核对您的选票",
    "Yes {yes} · No {no} · Abstain {abstain}": "赞成 {yes} · 反对 {no} · 弃权 {abstain}",
    " (unmarked)": "（未标记）",
    "Once cast, your ballot cannot be changed. Nobody can see how you voted.":
        "选票一经投出不能更改。任何人都无法查看您的投票内容。",
    "Go back and change": "返回修改",
    "Cast my ballot": "确认投票",
    # lock screen and number pad
    "Expert terminal — locked": "评委终端 — 已锁定",
    "1. Choose your name": "一、请选择您的姓名",
    "2. Type the one-time code the secretary gave you": "二、输入工作人员告知的一次性验证码",
    "{n}-digit code": "{n}位验证码",
    "Clear": "清除",
    "Delete a digit": "删除一位",
    "Unlock": "解锁",
    # issuing codes (host)
    "Issue terminal code": "发放终端验证码",
    "Issue a one-time code": "发放一次性验证码",
    "Hide the code": "隐藏验证码",
    "Checked in": "已签到",
    "Commitment signed": "已签承诺书",
    "One-time code for {name} ({code}):": "{name}（{code}）的一次性验证码：",
    "Tell it to the expert. It works once, for {name} only, within {minutes} minutes; "
    "it is not kept anywhere and cannot be shown again.":
        "请告知该评委。验证码仅限{name}本人使用一次，{minutes}分钟内有效；系统不保存，也无法再次显示。",
    "Choose a person, then issue a code. A new code replaces the previous one.":
        "请选择人员后发放验证码。新发放的验证码使之前的验证码作废。",
    "Only a staff member named in the plan issues terminal codes, signed in with their own staff code: the record "
    "names who issued each code, and the code is shown here only, to them.":
        "终端验证码只能由评审方案确定的工作人员凭本人登录码登录后发放：记录中载明每个验证码由谁发放，"
        "验证码只在此处显示给发放人本人。",
    "Signed in: {who}": "已登录：{who}",
    "Sign out": "退出登录",
    # kiosk mode: the staff door
    "For the staff of the plan: issue a code, or leave kiosk mode (needs your own staff code)":
        "供评审方案确定的工作人员使用：发放验证码或退出终端模式（须输入本人登录码）",
    "Staff of the plan only: sign in with your own staff code to issue a one-time code for an expert, "
    "or to leave kiosk mode.":
        "仅限评审方案确定的工作人员：凭本人登录码登录后，可为评委发放一次性验证码，或退出终端模式。",
    "Leave kiosk mode": "退出终端模式",
}

#: A short title for a refusal under each rule id (or its prefix before the dot): English here,
#: Chinese in ZH below (:func:`ui.i18n.rule_title`).
RULE_TITLES = {
    "terminal": "Terminal sign-in failed",
    "terminal.code": "Wrong code",
    "terminal.locked": "Code locked",
    "terminal.expired": "Code expired",
    "terminal.used": "Code already used",
    "terminal.no_code": "No code issued yet",
    "terminal.session": "Terminal locked",
    "terminal.absent": "Not present at the meeting",
}

ZH.update({
    "Terminal sign-in failed": "终端验证未通过",
    "Wrong code": "验证码不正确",
    "Code locked": "验证码已锁定",
    "Code expired": "验证码已过期",
    "Code already used": "验证码已使用",
    "No code issued yet": "尚未发放验证码",
    "Terminal locked": "终端已锁定",
    "Not present at the meeting": "不在会场",
})
