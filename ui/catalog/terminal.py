"""Strings of the networked expert terminal (``conclave terminal``), the large ballot, the host's serving
panel and the live board."""

ZH = {
    # the terminal window
    "Connect this terminal to the meeting's host": "将本终端连接到会议主机",
    "On the host laptop the chair turns serving on; its screen shows the host's address, its certificate "
    "fingerprint and a one-time pairing code (also as a QR code). Type all three as shown, or scan the QR code "
    "into the address field. The fingerprint makes sure this terminal talks only to the meeting's host: a wrong "
    "one is refused.":
        "请在主机上由主任委员开启终端服务；主机屏幕会显示主机地址、证书指纹和一次性配对码（另有二维码）。"
        "请按屏幕所示逐项输入，或用扫码枪将二维码扫入“主机地址”栏。证书指纹确保本终端只与本次会议的主机通信，"
        "指纹不符将被拒绝。",
    "Host address": "主机地址",
    "Certificate fingerprint": "证书指纹",
    "Pairing code": "配对码",
    "Name of this terminal": "本终端名称",
    "e.g. 192.168.1.10:8443": "例如 192.168.1.10:8443",
    "groups of hex digits, as the host shows them": "按主机屏幕显示的分组十六进制字符输入",
    "Pair with the host": "与主机配对",
    "This terminal is paired with the host. Experts can sign in now.": "本终端已与主机配对，评委现在可以登录。",
    "Not connected to a host yet.": "尚未连接主机。",
    "On the host laptop: every entry is recorded at once.": "本机终端：录入内容即时记录。",
    "Connected to the host{where}": "已连接主机{where}",
    "Host not reachable{where}: entries are kept on this terminal": "无法连接主机{where}：录入内容暂存在本终端",
    "Entries waiting to be sent: {n}": "待发送条目：{n}",
    "Signed in: {name}": "当前评委：{name}",
    "1. Type your expert number (the staff member tells it with your code)":
        "一、输入您的评委编号（工作人员发放验证码时一并告知）",
    "e.g. P003": "例如 P003",
    "Review other experts' questions: {left} of {n} to do": "审核其他评委的面试题：共{n}道，待审{left}道",
    "Your review of the question is recorded.": "您对该面试题的审核已记录。",
    "The host did not answer. Your entry is kept on this terminal and will be sent as soon as the host is back; "
    "you do not need to enter it again.":
        "主机未响应。您的录入已暂存在本终端，主机恢复后将自动发送，无需重新录入。",
    "The host has received it. Thank you. The terminal is locked; please hand it to the next expert.":
        "主机已收到您的选票。谢谢！终端已锁定，请交给下一位评委。",
    "Your ballot is kept on this terminal.": "您的选票已暂存在本终端。",
    "The host did not answer. Your ballot will be sent as soon as the link is back (the status line below shows "
    "it); do not vote again. Please tell the staff.":
        "主机未响应。网络恢复后选票将自动发送（见下方状态栏），请勿重复投票，并告知工作人员。",
    # the large ballot
    "To the plenary": "提交大会审议",
    "Not recommended": "不同意推荐",
    "No group opinion": "无评议组意见",
    "Ineligible (re-check)": "资格复审不合格",
    "Unit · level · specialty": "单位 · 级别 · 专业",
    "Group opinion": "评议组意见",
    "All candidates": "全部申报人",
    "{group}\n{n} candidates, {left} unmarked": "{group}\n共{n}人，未标记{left}人",
    "{group}\n1 candidate, {left} unmarked": "{group}\n共1人，未标记{left}人",
    "Mark the {n} unmarked candidate(s) listed here as:": "将本列表中未标记的{n}人统一标记为：",
    "Choose a group on the left, or search. Click Yes, No or Abstain beside each candidate (click again to "
    "unmark), or mark every unmarked candidate listed at once. Unmarked candidates count as abstentions. You "
    "will check your ballot before casting it.":
        "请在左侧选择分组或搜索。在每位申报人旁点击“赞成”“反对”或“弃权”（再次点击取消），"
        "也可将列表中未标记的申报人统一标记。未标记的视为弃权。投出前您将再次核对选票。",
    "Search by name or code, e.g. 魏明轩 or C001": "按姓名或编号搜索，例如 魏明轩 或 C001",
    "Level · group recommendation": "级别 · 评议组意见",
    "Unmark those listed": "取消本列表的标记",
    " (chosen)": "（已选）",
    "Your choice": "您的选择",
    "Show every candidate ({n})": "显示全部申报人（{n}）",
    "Show only: {choice} ({n})": "只显示：{choice}（{n}）",
    # question review
    "Reviewed": "已审核",
    "Choose a question to review.": "请选择要审核的面试题。",
    "No question is waiting for your review.": "目前没有待您审核的面试题。",
    "✓ You have reviewed this question.": "✓ 您已审核该面试题。",
    "I have reviewed the question and its answer": "本人已审核该题及标准答案",
    # the host's serving panel
    "Terminals on the network": "网络终端服务",
    "Live board": "投票进度屏",
    "Experts can vote, score and draft questions at terminals on the office's closed network. Serving is off "
    "until you turn it on; the host then listens only on the interface chosen here and never contacts any other "
    "address.":
        "评委可在办公室封闭局域网内的终端上投票、评分和命题。终端服务默认关闭，须由您开启；"
        "开启后主机只在此处选定的网卡上监听，不会连接任何其他地址。",
    "Serving": "终端服务",
    "Network interface": "网卡",
    "Port": "端口",
    "Turn serving on": "开启终端服务",
    "Turn serving off": "关闭终端服务",
    "On, listening at {address}": "已开启，监听地址 {address}",
    "Off": "已关闭",
    "Choose the network interface of the office LAN first.": "请先选择办公室局域网所用的网卡。",
    "Serving could not start on {address}: {why}": "无法在{address}上开启终端服务：{why}",
    "Serving is on. Terminals can pair now.": "终端服务已开启，终端现在可以配对。",
    "Serving is off. Paired terminals keep their pairing and reconnect when it is on again.":
        "终端服务已关闭。已配对的终端保留配对，服务重新开启后自动重连。",
    "Pair a terminal": "终端配对",
    "New pairing code": "生成配对码",
    "Valid once, for {m} min {s} s more. Type it on the terminal with the address and the fingerprint, or scan "
    "the QR code.": "仅可使用一次，剩余有效时间{m}分{s}秒。请在终端上连同主机地址和证书指纹一起输入，或扫描二维码。",
    "Press “New pairing code” for each terminal to pair.": "每配对一台终端，请按“生成配对码”。",
    "Pairing a terminal and revoking one are done by a staff member named in the plan, signed in with their own code: "
    "the record names them.": "终端配对和吊销须由方案所列工作人员用本人验证码登录后办理，记录中载明办理人。",
    "Paired terminals": "已配对终端",
    "Terminal": "终端",
    "State": "状态",
    "Signed-in expert": "当前评委",
    "Entries waiting": "待收条目",
    "Last seen": "最近联系",
    "never": "从未",
    "{n} s ago": "{n}秒前",
    "{n} min ago": "{n}分钟前",
    "Revoked": "已吊销",
    "Connected": "已连接",
    "Not connected": "未连接",
    "Revoke the selected terminal": "吊销所选终端",
    "Terminal “{name}” is revoked: it can no longer send anything.": "终端“{name}”已吊销，不能再发送任何内容。",
    "{n} terminal(s) paired, {c} connected now.": "已配对终端{n}台，当前连接{c}台。",
    "Sign out {name}": "{name}退出登录",
    # the live board
    "LAN terminals online: {n}": "局域网终端在线：{n}台",
    "No ballot round is open": "当前没有进行中的表决",
    "Ballot, round {n} — closed": "第{n}轮表决 — 已结束",
    "Voting in round {n}": "第{n}轮表决进行中",
    "{voted} of {total} have voted": "应投{total}人，已投{voted}人",
    "Voted ({n})": "已投票（{n}）",
    "Not yet voted ({n})": "未投票（{n}）",
    "Who has voted is shown, never how. Press Esc to close.": "本屏只显示谁已投票，不显示投票内容。按 Esc 键关闭。",
}

#: A short title for a refusal under each rule id (or its prefix before the dot): English here,
#: Chinese in ZH below (:func:`ui.i18n.rule_title`).
RULE_TITLES = {
    "lan": "Network connection problem",
    "lan.unreachable": "Cannot reach the host",
    "lan.fingerprint": "Host certificate fingerprint does not match",
    "lan.address": "Invalid host address",
    "station": "Terminal not authorised",
    "lan.kept": "Entry kept on this terminal",
    "lan.sign_in_again": "Please sign in again",
    "lan.certificate": "Host certificate has changed",
    "lan.unpaired": "Terminal not paired yet",
}

ZH.update({
    "Network connection problem": "网络连接问题",
    "Cannot reach the host": "无法连接主机",
    "Host certificate fingerprint does not match": "主机证书指纹不符",
    "Invalid host address": "主机地址有误",
    "Terminal not authorised": "终端未获准",
    "Entry kept on this terminal": "录入已暂存",
    "Please sign in again": "请重新登录",
    "Host certificate has changed": "主机证书已变更",
    "Terminal not paired yet": "终端尚未配对",
})
