"""Strings of the facts recorded during the meeting for the papers: the time of the draw, the groups'
leaders (组长), the interview result told to the candidate, the reasons of the group opinions, who
presided at the vote, and the work summary's texts."""

ZH = {
    # -- the draw's time -------------------------------------------------------------------------
    "Drawn at": "抽取时间",
    "{when} (Beijing time, UTC+8)": "{when}（北京时间）",
    "not recorded": "未记录",
    # -- group leaders (setup, the chair and groups tab) -------------------------------------------
    "Leader": "组长",
    "Leaders (组长)": "各组组长",
    "no leader chosen": "尚未指定组长",
    "Make leader of the group (组长)": "指定为本组组长",
    "The chair chooses one leader per group among its experts; the leader presides over the group's "
    "deliberation and presents it to the plenary":
        "由主任委员在各评议组评委中指定组长一名；组长主持本组评议，并在大会审议时介绍情况",
    # -- step 4, the interview result --------------------------------------------------------------
    "Interview result": "面试结果",
    "The interview result as told to the candidate; printed in the minutes":
        "面试结束后告知参评人员本人的结果，记入会议记录",
    # -- step 5, the group's reasons -------------------------------------------------------------------
    "Group's reason": "小组意见理由",
    "The group's reason (required for 不同意推荐 and 提交大会审议)": "小组意见的理由（不同意推荐、提交大会审议须填写）",
    "The reason is printed in the minutes with the opinion: an opinion against, or one sent to the plenary, "
    "says why (X§10(五)、(九)).": "理由与小组意见一并记入会议记录：不同意推荐或提交大会审议的，须写明理由。",
    # -- step 6, the leader presents ------------------------------------------------------------------
    "{name} (leader of group {g})": "{name}（{g}组长）",      # g: 内科组 (app.text.group_zh)
    # -- step 7, who presides at the vote ---------------------------------------------------------------
    "Presiding at the vote (主持表决)": "主持表决",
    "Recorded: {name}": "已记录：{name}",
    "Not recorded yet: confirm who presides — the minutes name them and step 7 cannot finish without.":
        "尚未记录：请确认主持表决的人员（记入会议记录，未记录则第7步不能完成）。",
    "Recorded when the ballot opens.": "开始表决时一并记录。",
    # -- step 10, the work summary's texts ----------------------------------------------------------------
    "Work summary (评审工作总结): what only the office can write": "评审工作总结：由办事机构撰写的部分",
    "The work summary filed with the results composes the use of the pool, the draw and the procedure from "
    "the record; write its other three parts here. A part left empty is printed as a section to fill in.":
        "报送备案的评审工作总结中，评委库使用及评委抽取情况、评审流程由系统根据记录生成；"
        "其余三部分在此填写。未填写的部分在工作总结中留空待补。",
    "Typical experience (典型经验)": "典型经验",
    "To improve (改进方向)": "改进方向",
    "Suggestions (意见建议)": "意见建议",
    "Save the work summary texts": "保存工作总结",
    "{n} characters written; the whole summary, with the parts composed from the record, is at most 2,000.":
        "已填写{n}字；工作总结全文（含系统生成部分）不超过2000字。",
    "— choose the day —": "— 请选择表决日期 —",
}

RULE_TITLES_ZH = {
    "panel.leader_group": "组长须由本组评委担任",
    "recommendation.reason": "须写明小组意见的理由",
    "ballot.presider": "表决须由主任委员或副主任委员主持",
    "filing.summary_length": "工作总结超过2000字",
}
