"""Strings of the candidates' and the pool experts' facts: the title applied for (申报资格), the
eligibility facts (学历, 现职称, 任职年限, 破格), an expert's telephone and honoraria category — in the
setup's tables and forms and on the eligibility page (step 2)."""

ZH = {
    # -- a fact as a table shows it ----------------------------------------------------------------
    "not given": "未填写",
    "date not given": "日期未填写",
    "{n} years": "{n}年",
    "yes (破格)": "是（破格）",
    "no": "否",
    # -- column headers and form labels --------------------------------------------------------------
    "Applied title": "申报资格",
    "Education": "学历",
    "Current title": "现职称",
    "Current title (since)": "现职称（取得时间）",
    "Current title obtained on": "现职称取得时间",
    "Years in post": "任职年限",
    "In post": "任职年限",
    "Exceptional": "破格申报",
    "Category": "专家类别",
    "Category (honoraria)": "专家类别（劳务费）",
    "Phone": "联系电话",
    # -- the candidate form -----------------------------------------------------------------------------
    "e.g. 主治医师, 副主任护师 — the title, not the specialty": "如 主治医师、副主任护师（填职称名称，不是专业）",
    "e.g. 大学本科": "如 大学本科",
    "e.g. 医师": "如 医师",
    "YYYY-MM-DD, e.g. 2019-07-01": "年-月-日，如 2019-07-01",
    # -- the pool form -----------------------------------------------------------------------------------
    "e.g. 13812345678 or 0743-8223456": "如 13812345678 或 0743-8223456",
    # -- the eligibility page ------------------------------------------------------------------------------
    "Select a candidate to see the facts the re-check looks at.": "选中一名申报人，可查看资格复审所依据的申报信息。",
    "{code} {name} applies for {title} ({level}, {specialty}); education {education}; current title "
    "{held}; years in post: {years}; {exceptional}.":
        "{code} {name} 申报{title}（{level}，{specialty}）；学历：{education}；现职称：{held}；"
        "任职年限：{years}；{exceptional}。",
    "exceptional application (破格): not given": "是否破格申报：未填写",
    "an exceptional application (破格)": "破格申报",
    "not an exceptional application": "非破格申报",
    "Bound to (X§10(七))": "限用于（单位·岗位）",
    "not bound: write the key as unit/post": "未限定单位和岗位：请按“单位/岗位”填写",
}
