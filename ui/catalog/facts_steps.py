"""Strings of the facts recorded during the meeting for the papers: the time of the draw, the groups'
leaders (组长) and the candidates put in the groups, the interview result told to the candidate, the
reasons of the group opinions, who presided at the vote, and the work summary's texts."""

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
    # -- the candidates in the experts' groups (setup, the chair and groups tab) ------------------------
    "Group the candidates by specialty": "按专业分组申报人",
    "Each candidate in no group joins the group whose experts share the candidate's specialty; you see the "
    "proposal before it is applied": "未分组的申报人编入与其专业相同的评委所在的评议组；应用前先显示分组方案",
    "Candidates: every one of the {n} is in a group": "申报人：{n}人均已分入评议组",
    "Candidates in no group: {n} of {total} ({codes})": "未分入评议组的申报人：{n}人（共{total}人；{codes}）",
    "{who} ({specialty}): no group's experts have this specialty": "{who}（{specialty}）：没有该专业评委所在的评议组",
    "{who} ({specialty}): experts of this specialty sit in {groups}": "{who}（{specialty}）：该专业评委分在{groups}组",
    "… and {n} more": "……另有{n}人",
    "Nothing to do: every candidate is already in a group.": "无需分组：申报人均已分入评议组。",
    "Nothing was done: the experts are not in groups yet. Seat them first (select the experts of one "
    "specialty, type a group name and press “Put the selected experts in this group”); the candidates then "
    "join the group of their specialty.":
        "未作分组：评委尚未分入评议组。请先为评委分组（选中同一专业的评委，输入组名，点击“将选中的评委编入该组”），"
        "再按专业将申报人编入相应评议组。",
    "Put each of these in a group with “Correct…” in the candidates tab:":
        "以下申报人请在“申报人花名册”中用“更正…”逐一指定评议组：",
    "Nothing was done: no candidate in no group has a specialty whose experts sit in a single group.":
        "未作分组：未分组申报人的专业均无对应的单一评议组。",
    "{n} of the {total} candidates in no group join the group whose experts share their specialty:":
        "{total}名未分组申报人中，{n}人编入与其专业相同的评委所在评议组：",
    "{group} ({specialties}): {n} — {codes}": "{group}组（{specialties}）：{n}人——{codes}",
    "Not placed — put each of these in a group with “Correct…” in the candidates tab:":
        "未能分组的申报人，请在“申报人花名册”中用“更正…”逐一指定评议组：",
    "Put them in these groups": "按此分组",
    "{n} candidates put in the group of their specialty.": "已将{n}名申报人编入其专业所在的评议组。",
    # -- the experts to the candidates' groups: what it did, or why nothing -------------------------------
    "No expert has been drawn yet.": "尚未抽取评审专家。",
    "Nothing was done: no candidate is in a group yet (the roster has no 评议组 column), so there is no group to "
    "follow. Seat the experts yourself: type a group name, select the experts of one specialty and press “Put "
    "the selected experts in this group”; then press “Group the candidates by specialty”.":
        "未作分组：申报人均未分入评议组（花名册没有“评议组”一列），无组可依。请自行为评委分组：输入组名，选中同一专业的评委，"
        "点击“将选中的评委编入该组”；然后点击“按专业分组申报人”。",
    "Nothing was done: no expert's specialty (from the draw) is the specialty of a candidate in a group. Seat "
    "the experts yourself: select them, choose a group and press “Put the selected experts in this group”.":
        "未作分组：评委的专业（据抽取记录）与已分组申报人的专业均不相同。请自行为评委分组：选中评委，选择组名，"
        "点击“将选中的评委编入该组”。",
    "{n} experts seated: {groups}.": "已将{n}名评委编入评议组：{groups}。",
    "{n} experts have a specialty no grouped candidate has: seat them yourself.":
        "另有{n}名评委的专业与已分组申报人均不相同，请自行分组。",
    # -- step 4, the interview result --------------------------------------------------------------
    "Interview result": "面试结果",
    "The interview result as told to the candidate; printed in the minutes":
        "面试结束后告知申报人本人的结果，记入会议记录",
    # -- step 5, the group's reasons -------------------------------------------------------------------
    "Group's reason": "小组意见理由",
    "The group's reason (required for 不同意推荐 and 提交大会审议)": "小组意见的理由（不同意推荐、提交大会审议须填写）",
    "The reason is printed in the minutes with the opinion: an opinion against, or one sent to the plenary, "
    "says why (X§10(五)、(九)).": "理由与小组意见一并记入会议记录：不同意推荐或提交大会审议的，须写明理由。",
    # -- step 6, the leader presents ------------------------------------------------------------------
    # -- step 7, who presides at the vote ---------------------------------------------------------------
    "Presiding at the vote (主持表决)": "主持表决",
    "Recorded: {name}": "已记录：{name}",
    "Not recorded yet: confirm who presides — the minutes name them and step 7 cannot finish without.":
        "尚未记录：请确认主持表决的人员（记入会议记录，未记录则第7步不能完成）。",
    "Recorded when the ballot opens.": "开始表决时一并记录。",
    # -- step 10, the work summary's texts ----------------------------------------------------------------
    "Work summary (评审工作总结): what only the office can write": "评审工作总结：由办事机构撰写的部分",
    "The work summary filed with the results takes the use of the pool, the draw and the procedure from "
    "the record; write its other three parts here. A part left empty is printed as not filled in.":
        "报送备案的评审工作总结中，评委库使用及评委抽取情况、评审流程由系统根据记录生成；"
        "其余三部分在此填写。未填写的部分在工作总结中注明“未填写”。",
    "Filing report (备案报告): its number and date": "备案报告：发文字号和成文日期",
    "Document number (发文字号)": "发文字号",
    "Dated (成文日期)": "成文日期",
    "Save the filing report details": "保存备案报告信息",
    "Typical experience (典型经验)": "典型经验",
    "To improve (改进方向)": "改进方向",
    "Suggestions (意见建议)": "意见建议",
    "Save the work summary texts": "保存工作总结",
    "{n} characters written; the whole summary, with the parts composed from the record, is at most 2,000.":
        "已填写{n}字；工作总结全文（含系统生成部分）不超过2000字。",
    "— choose the day —": "— 请选择表决日期 —",
    ("No candidate is in a group yet: the experts are seated in one group per specialty drawn ({groups}). "
     "Now press “Group the candidates by specialty”, then choose each group's leader."):
        "申报人均未分入评议组：已按抽取专业将评委每个专业编为一个评议组（{groups}）。请再按“按专业分组申报人”，然后为各组指定组长。",
}

#: A short title for a refusal under each rule id (or its prefix before the dot): English here,
#: Chinese in ZH below (:func:`ui.i18n.rule_title`).
RULE_TITLES = {
    "panel.leader_group": "A group's leader must be one of its experts",
    "candidate.groups": "Candidates must be assigned to groups",
    "candidate.group_unknown": "A candidate must join a group that has experts",
    "recommendation.reason": "The group's opinion needs a reason",
    "ballot.presider": "The chair or vice-chair must preside over the vote",
    "filing.summary_length": "Work summary over 2000 characters",
}

ZH.update({
    "A group's leader must be one of its experts": "组长须由本组评委担任",
    "Candidates must be assigned to groups": "须为申报人指定评议组",
    "A candidate must join a group that has experts": "申报人须分入已有评委的评议组",
    "The group's opinion needs a reason": "须写明小组意见的理由",
    "The chair or vice-chair must preside over the vote": "表决须由主任委员或副主任委员主持",
    "Work summary over 2000 characters": "工作总结超过2000字",
})
