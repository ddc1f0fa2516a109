"""Strings of the facts the papers print: the committee's 组建单位, 办事机构 and HR department, the
plan's filing number, the publicity's venue and objection contact, the staff's units and the
meeting's days and hours — in the start dialog, the setup's plan tab and the plan correction."""

ZH = {
    # -- the meeting's days and hours ------------------------------------------------------------
    "Meeting days and hours (honoraria)": "会议日期及起止时间（用于计算劳务费）",
    "Day": "日期",
    "Starts": "开始",
    "Ends": "结束",
    "Add a day": "增加一天",
    "hh:mm": "时:分",
    "The first day is the meeting date": "首日即会议日期",
    "Hours as HH:MM; left empty, the honoraria sheet says they were not recorded.":
        "时间按“时:分”填写；未填写的，劳务费发放表注明评审时长未记录。",
    "At most half a day pays 50%; over 8 hours in a day may pay up to 50% more (X§19).":
        "不超过半天的按标准的50%计；一天超过8小时的最高可上浮50%（第十九条）。",
    # -- the plan's filing and the publicity -----------------------------------------------------
    "Plan filing and publicity": "方案备案与结果公示",
    "e.g. 州人社职备〔2026〕15号": "如：州人社职备〔2026〕15号",
    "e.g. the organizing authority's website": "如：评委会组建单位门户网站",
    "e.g. 州卫健委职称改革工作办公室": "如：州卫健委职称改革工作办公室",
    "e.g. 0743-8221517": "如：0743-8221517",
    "Plan filing no. (备案文号)": "评审方案备案文号",
    "Publicity website or place": "公示网站或地点",
    "Objections: department or contact": "受理异议的部门或联系人",
    "Objections: telephone": "受理异议电话",
    # -- the committee's details -----------------------------------------------------------------
    "e.g. 湘西自治州人力资源和社会保障局": "如：湘西自治州人力资源和社会保障局",
    "e.g. 州卫生健康委员会职称改革工作办公室": "如：州卫生健康委员会职称改革工作办公室",
    "The HR department the results are filed with": "评审结果报送备案的人力资源和社会保障部门",
    "Organizer (组建单位)": "组建单位",
    "Office (办事机构)": "办事机构",
    "Files with (备案机关)": "备案机关",
    # -- what is still empty ---------------------------------------------------------------------
    "plan filing number": "评审方案备案文号",
    "publicity venue": "公示网站或地点",
    "objection contact": "受理异议的部门或联系人",
    "objection telephone": "受理异议电话",
    "meeting hours": "会议起止时间",
    "Not entered yet (the papers will leave a blank to fill by hand): {items}":
        "尚未填写（文书中将留空，待手工填写）：{items}",
    # -- staff -----------------------------------------------------------------------------------
    "The secretary's unit, e.g. the office (办事机构)": "如：办事机构名称",
    "e.g. 州纪委监委派驻纪检监察组": "如：州纪委监委派驻纪检监察组",
    "Secretary's unit": "工作人员所在单位",
    "Supervisor's unit": "纪检监察人员所在单位",
    # -- the setup's plan tab and the corrections -------------------------------------------------
    "Days and hours": "会议日期及时间",
    "Objections to": "受理异议",
    "{date}, hours not recorded": "{date}，起止时间未记录",
    "Not entered — the papers leave a blank": "未填写——文书中留空待填",
    "Rubric and quotas": "评分细则与评审职数",
    "Filing, publicity and days": "备案、公示与会议时间",
    "Correct the committee's details…": "更正评委会信息…",
    "Correct the committee's details": "更正评委会信息",
    "The minutes name the organizing authority; the office signs the publicity notice and the filing report, "
    "which is addressed to the HR department. The change and its reason are kept in the audit trail; papers "
    "already issued keep what they printed.":
        "会议记录写明组建单位；公示和备案报告由办事机构落款，备案报告主送备案机关。"
        "更改内容及理由记入审计记录；已出具的文书保持原样。",
}
