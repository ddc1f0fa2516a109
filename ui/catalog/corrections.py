"""Strings of the setup's corrections (plan, candidates, pool, chair, re-draw), the batch actions'
reports and the ballot's quorum."""

ZH = {
    # -- shared by the correction dialogs ------------------------------------------------------
    "Required: kept in the audit trail": "必填：记入审计记录",
    "Reason for the change": "更改理由",
    "Reason for the withdrawal": "撤回理由",
    "Reason for the removal": "移出理由",
    "Save": "保存",
    "Add…": "添加…",
    "Correct…": "更正…",
    "Replace…": "更换…",
    "Remove…": "移除…",
    "Remove {name}": "移除{name}",
    "{done} done, {skipped} skipped (already done).": "已完成 {done} 项，跳过 {skipped} 项（此前已完成）。",
    # -- the plan --------------------------------------------------------------------------------
    "Correct the plan…": "更正评审方案…",
    "Correct the plan": "更正评审方案",
    "Correct the plan to match the plan as filed. The change, its reason and who made it are kept in the audit "
    "trail; after the preparatory meeting the plan can no longer change.":
        "按备案的评审方案原件更正。更改内容、理由和操作人记入审计记录；预备会结束后评审方案不能再更改。",
    "Quorum at the vote": "表决法定出席人数",
    "Quorum at the vote (share of the panel)": "表决法定出席人数（占评委总数的比例）",
    "A share of the panel's experts between 1/2 and 1, e.g. 2/3": "评委总数的 1/2 至 1 之间的比例，如 2/3",
    "{share} of the panel's experts present ({needed} of {panel})":
        "评委总数的 {share} 出席（{panel} 人中至少 {needed} 人）",
    "Pass-rate cap {level}": "{level}通过率控制比例",
    # -- candidates ------------------------------------------------------------------------------
    "Add a candidate": "添加申报人",
    "Correct a candidate": "更正申报人信息",
    "The unit decides which experts must stay out of this candidate's review (回避): the setup checks the drawn "
    "panel again after the change.": "工作单位决定哪些评委须回避该申报人的评审；更改后系统将重新核对已抽取的评委。",
    "A candidate added after the draw is checked against the drawn panel: an expert of the same unit means the "
    "draw must be re-run.": "抽取后添加的申报人将与已抽取的评委核对：如有评委与其同一单位，须重新抽取。",
    "Withdraw…": "撤回…",
    "Withdraw": "撤回",
    "Withdraw {name}": "撤回申报人 {name}",
    "The candidate leaves the agenda: not on the ballot, not counted in the pass-rate base. The withdrawal and its "
    "reason stay in the record.": "该申报人退出本次评审：不列入表决票，不计入通过率基数。撤回情况及理由保留在记录中。",
    "Withdrawn from the agenda (not on the ballot, not counted in the caps): {rows}":
        "已撤回的申报人（不列入表决票，不计入通过率基数）：{rows}",
    "{code} {name} — {reason} (by {who})": "{code} {name}——{reason}（{who}）",
    "The drawn panel is checked again against what is imported": "导入后将重新核对已抽取的评委",
    # -- the pool ---------------------------------------------------------------------------------
    "Add an expert to the pool": "向专家库添加专家",
    "Correct a pool expert": "更正专家库专家信息",
    "A 资深中级 expert is entered as 中级; record the HR department's approval afterwards.":
        "资深中级专家按“中级”录入，之后登记人力资源和社会保障部门的批准文件。",
    "e.g. 2024, 2025": "如 2024, 2025",
    "Units separated by 、": "多个单位用“、”分隔",
    "Years served on this committee": "担任本评委会评委的年度",
    "Conflict units (回避单位)": "回避单位",
    "Remove from the pool…": "移出专家库…",
    "Update the pool from this file…": "按此文件更新专家库…",
    "Update the pool from {file}": "按 {file} 更新专家库",
    "The experts of this file already in the pool are corrected from it, the others are added. Each change is kept "
    "in the audit trail with the reason.":
        "文件中已在专家库的专家按文件内容更正，其余专家新增入库。每项更改连同理由记入审计记录。",
    "Update": "更新",
    "Remove {name} from the pool": "将 {name} 移出专家库",
    "An expert on the drawn panel stays there until the draw is re-run; the setup lists them until then.":
        "已被抽取的评委在重新抽取前仍在评委名单中，会前准备清单将提示重新抽取。",
    "Record HR approval (资深中级)…": "登记资深中级批准…",
    "HR approval of {name} as 资深中级": "{name} 的资深中级批准",
    "A 中级 expert serves in the pool as 资深中级 only with the approval of the HR department "
    "(人力资源和社会保障部门), and such experts are at most 1/4 of the pool (X§6).":
        "中级职称专家须经人力资源和社会保障部门同意，方可作为资深中级进入专家库，且不超过专家库总数的1/4（X§6）。",
    "e.g. 湘人社函〔2026〕12号": "如 湘人社函〔2026〕12号",
    "Approval (document number)": "批准文件（文号）",
    "HR approval (资深中级)": "资深中级批准",
    "needed before the draw": "抽取前须登记批准",
    # -- the chair and vice-chair ---------------------------------------------------------------
    "Replace {name}": "更换 {name}",
    "The new person must check in and sign the commitment letter.": "更换为其他人员后，须重新签到并签署承诺书。",
    "The chair or vice-chair leaves the panel; the meeting cannot start without a chair.":
        "主任委员或副主任委员将退出名单；没有主任委员，会议不能开始。",
    # -- the draw, re-run -----------------------------------------------------------------------
    "Re-run the draw…": "重新抽取…",
    "Re-run the draw": "重新抽取",
    "Only with a written reason; the earlier draw stays in the record": "须书面说明理由；原抽取记录保留",
    "Draw the panel again (witnessed, with a written reason)": "重新抽取评审专家（纪检监察现场监督，须书面说明理由）",
    "Reason for re-drawing": "重新抽取理由",
    "The draw is run again with a new seed; the current draw moves to the earlier draws below, with the reason.":
        "以新的随机种子重新抽取；当前抽取记录连同重新抽取理由转入下方“此前的抽取记录”。",
    "Required: kept in the audit trail and printed in the minutes": "必填：记入审计记录并印入评审会议记录",
    "Earlier draws, replaced by a re-draw ({n})": "此前的抽取记录（已重新抽取，共 {n} 次）",
    "No.": "序号",
    "Drawn": "抽取结果",
    "Re-run by": "重新抽取操作人",
    # -- the ballot's quorum ---------------------------------------------------------------------
    "Quorum: {share} of the panel's {panel} experts (the presiding chair and vice-chair not counted), at least "
    "{needed} present.":
        "法定出席人数：评审专家 {panel} 人（主持会议的主任委员、副主任委员不计）的 {share}，至少 {needed} 人出席。",
    "Below the quorum: the round cannot open with {n} present; {needed} are needed.":
        "未达到法定出席人数：现出席 {n} 人，至少需要 {needed} 人，不能开始表决。",
    "Warning to the chair: {n} present is below the minimum panel of {m} for this committee (X§8).":
        "提请主任委员注意：出席 {n} 人，少于本评委会评委最低人数 {m} 人（X§8）。",
}
