"""A realistic sample meeting for tests, previews and the benchmark.

:func:`sample_report` is a senior series committee of a fictional city: 25 panel experts
(one leaves before the vote, one drawn expert is absent), 30 candidates — among them
王䶮 (CJK Ext A), 李𠈌 (Ext B), 张堃, 陈喆 and 刘昇 — one ineligible, a 正高 cap that
stops two candidates, a quota that stops one, and a three-way tie at the 副高 cap that
takes two runoff rounds. The numbers are consistent (threshold ceil(2n/3), caps
floor(rate × entered)) so that the documents look like a real meeting's.

:func:`generate_report` makes a large synthetic meeting of any size for the benchmark.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from decimal import Decimal

from app.documents.model import (
    BallotRound,
    Candidate,
    Committee,
    Expert,
    FailReason,
    FeeLine,
    Filing,
    Group,
    HonorariumLine,
    InterviewQuestion,
    Meeting,
    MeetingDay,
    MeetingReport,
    Outcome,
    PassRateCap,
    Publicity,
    Quota,
    Recommendation,
    Role,
    RoundKind,
    ScoreItem,
    SummaryTexts,
    Tally,
)
from app.domain import LOCAL_TIME

RUBRIC = (("思想品德与职业道德", 10), ("学历与任职资历", 10), ("专业技术工作经历与能力", 30),
          ("业绩成果", 30), ("论文论著", 20))
VOTE_DAY = dt.date(2026, 11, 20)
CENTRAL = "青川市中心医院"
QUOTA_KEY = f"{CENTRAL}/副主任医师"
_EXPERT_NAMES = (
    "赵建国", "钱文华", "孙立新", "李秀英", "周志强", "吴海燕", "郑国庆", "王丽萍",
    "冯振宇", "陈晓东", "褚红梅", "卫明亮", "蒋玉兰", "沈一鸣", "韩雪松", "杨德胜",
    "朱慧敏", "秦永刚", "尤春生", "许静怡", "何广平", "吕晓峰", "施美玲", "张伟民",
    "孔繁荣", "曹瑞云",
)
_CANDIDATES = (  # name, level, yes votes in round 1 (24 voters)
    ("王䶮", "正高", 22), ("李𠈌", "正高", 21), ("张堃", "正高", 20), ("陈喆", "正高", 19),
    ("刘昇", "正高", 18), ("黄晓燕", "正高", 17), ("周建华", "正高", 15), ("吴敏", "正高", 14),
    ("徐𡒄", "正高", 12), ("孙丽娟", "正高", 10),
    ("马俊杰", "副高", 23), ("胡静", "副高", 23), ("朱海涛", "副高", 22), ("高雅琴", "副高", 21),
    ("林国栋", "副高", 21), ("何晓梅", "副高", 20), ("郭振东", "副高", 20), ("罗红霞", "副高", 19),
    ("梁伟", "副高", 18), ("宋佳怡", "副高", 18), ("郑凯", "副高", 17), ("谢婷婷", "副高", 17),
    ("韩磊", "副高", 17), ("唐鑫", "副高", 15), ("冯雪", "副高", 14), ("于洋", "副高", 13),
    ("董丽华", "副高", 12), ("萧然", "副高", 11), ("程思远", "副高", 9), ("曹宇航", "副高", 2),
)
_QUOTA_HOLDERS = {"马俊杰", "朱海涛", "林国栋", "郭振东"}  # 郭振东 is the 4th for 3 posts
_INELIGIBLE = "曹宇航"
_UNITS = ("青川市人民医院", "青川市中医医院", "青川市妇幼保健院", "青川县人民医院",
          "石门县人民医院", "青川市疾病预防控制中心")
_GROUPS = (("G1", "内科评议组"), ("G2", "外科评议组"), ("G3", "医技护理评议组"))


def _experts() -> list[Expert]:
    people = [
        Expert("P01", "欧阳振华", "青川市卫生健康委员会", "主任医师", Role.CHAIR),
        Expert("P02", "司马丽君", "青川市卫生健康委员会", "主任护师", Role.VICE_CHAIR),
        Expert("P03", "田守正", "青川市纪委监委派驻纪检监察组", "", Role.SUPERVISOR,
               signed_commitment=False),
        Expert("P04", "黎书文", "青川市卫生健康委员会人事科", "", Role.SECRETARY,
               signed_commitment=False),
    ]
    for i, name in enumerate(_EXPERT_NAMES, start=1):
        gid = _GROUPS[(i - 1) % 3][0]
        title = "主任医师" if i % 4 else "主任护师"
        unit = _UNITS[i % len(_UNITS)] if i % 5 else CENTRAL
        if i == 26:  # drawn, did not come: replaced by an alternate before the meeting
            people.append(Expert(f"E{i:02d}", name, unit, title, group_id=None, present=False,
                                 present_at_vote=False, signed_commitment=False,
                                 absence_note="因病请假，已由备选专家递补"))
            continue
        leaves = i == 25
        people.append(Expert(
            f"E{i:02d}", name, unit, title, group_id=gid, specialty=dict(_GROUPS)[gid][:2],
            present_at_vote=not leaves,
            absence_note="因突发公务于表决前离会，未参加表决" if leaves else ""))
    return people


def _groups(experts: list[Expert]) -> tuple[Group, ...]:
    out = []
    for gid, name in _GROUPS:
        members = tuple(e.id for e in experts if e.group_id == gid)
        out.append(Group(gid, name, members[0], members))
    return tuple(out)


def _candidate(i: int, name: str, level: str, yes: int, groups: tuple[Group, ...],
               outcome: Outcome, reason: FailReason | None) -> Candidate:
    group = groups[i % 3]
    reviewer, second = group.member_ids[1 + i % 3], group.member_ids[4 + i % 3]
    title = {"正高": "主任医师", "副高": "副主任医师"}[level]
    eligible = name != _INELIGIBLE
    unit = CENTRAL if name in _QUOTA_HOLDERS else _UNITS[i % len(_UNITS)]
    scores = tuple(ScoreItem(item, Decimal(m), Decimal(round(m * (0.55 + yes / 60), 1)).quantize(
        Decimal("0.1"))) for item, m in RUBRIC) if eligible else ()
    questions = (
        InterviewQuestion(1, f"请介绍你在{group.name[:2]}方向的代表性业绩，本人承担了哪些具体工作？",
                          reviewer, second),
        InterviewQuestion(2, "请说明参评论文代表作的主要创新点及数据来源。", reviewer, second),
    ) if eligible else ()
    note = ""
    if not eligible:
        rec, plenary = None, "资格复审不合格，不进入初评、面试及评议环节，提交表决。"
    elif yes >= 19:
        rec, plenary = Recommendation.RECOMMEND, "业绩突出，材料真实，同意提交表决。"
    elif yes >= 15:
        rec = Recommendation.TO_PLENARY
        plenary = "经集体审议，对其业绩贡献程度存在不同意见，提交表决。"
        note = "组内对其在代表性业绩中的贡献程度意见不一"
    else:
        rec, plenary = Recommendation.NOT_RECOMMEND, "代表作与本人业绩关联度不足，提交表决。"
        note = "参评论文代表作与本人业绩关联度不足，面试未能说明"
    return Candidate(
        id=f"C{i + 1:03d}", name=name, unit=unit, level=level, title_applied=title,
        specialty=group.name[:2], group_id=group.id, eligible=eligible,
        eligibility_note="" if eligible else "现职称任职年限不满5年，不符合申报条件",
        primary_reviewer_id=reviewer if eligible else None, scores=scores, interview=questions,
        interview_result="回答切题，业绩真实" if eligible and yes >= 15 else (
            "部分问题回答不完整" if eligible else ""),
        recommendation=rec, recommendation_note=note, plenary_conclusion=plenary, outcome=outcome,
        fail_reason=reason,
        quota_key=QUOTA_KEY if name in _QUOTA_HOLDERS else None,
        fail_note="评审职数3个已用满" if reason is FailReason.QUOTA else "",
    )


def _tally(cid: str, yes: int, n: int, result: Outcome, reason: FailReason | None) -> Tally:
    no = (n - yes) * 2 // 3
    return Tally(cid, yes, no, n - yes - no, result, reason)


def sample_report() -> MeetingReport:
    """The 30-candidate sample meeting (see the module docstring)."""
    experts = _experts()
    groups = _groups(experts)
    n = sum(1 for e in experts if e.role is Role.EXPERT and e.present_at_vote)  # 24
    threshold = -(-2 * n // 3)  # 16
    by_name = {name: f"C{i + 1:03d}" for i, (name, _, _) in enumerate(_CANDIDATES)}
    first: dict[str, tuple[Outcome, FailReason | None]] = {}
    for name, level, yes in _CANDIDATES:
        if name == _INELIGIBLE:
            first[name] = (Outcome.FAILED, FailReason.INELIGIBLE)
        elif yes < threshold:
            first[name] = (Outcome.FAILED, FailReason.BELOW_THRESHOLD)
        elif level == "正高":
            first[name] = (Outcome.PASSED, None) if yes >= 19 else (
                Outcome.FAILED, FailReason.PASS_RATE_CAP)
        elif name == "郭振东":
            first[name] = (Outcome.FAILED, FailReason.QUOTA)
        elif yes == 17:
            first[name] = (Outcome.RUNOFF_PENDING, None)
        else:
            first[name] = (Outcome.PASSED, None)
    final = dict(first)
    final.update({"郑凯": (Outcome.PASSED, None), "谢婷婷": (Outcome.PASSED, None),
                  "韩磊": (Outcome.FAILED, FailReason.PASS_RATE_CAP)})
    candidates = tuple(_candidate(i, name, level, yes, groups, *final[name])
                       for i, (name, level, yes) in enumerate(_CANDIDATES))
    batch = "QC2026-WSGJ"
    r1 = BallotRound(
        1, RoundKind.FIRST, VOTE_DAY, tuple(c.id for c in candidates), n, threshold, n, n,
        tuple(_tally(by_name[nm], y, n, *first[nm]) for nm, _, y in _CANDIDATES),
        batch_code=f"{batch}-1",
        notes=("正高：进入评审10人，通过率上限40%，最多通过4人；达到票数线6人，按得票依次通过4人，"
               "黄晓燕、刘昇超出通过率。",
               f"副高：进入评审20人，通过率上限55%，最多通过11人；{QUOTA_KEY}职数3个，"
               "郭振东超出职数。",
               "副高第10名起郑凯、谢婷婷、韩磊同得17票，剩余2个名额，三人进行再次投票。"))
    trio = (by_name["郑凯"], by_name["谢婷婷"], by_name["韩磊"])
    r2 = BallotRound(
        2, RoundKind.RUNOFF, VOTE_DAY, trio, n, threshold, n, n,
        (_tally(trio[0], 18, n, Outcome.PASSED, None),
         _tally(trio[1], 15, n, Outcome.RUNOFF_PENDING, None),
         _tally(trio[2], 15, n, Outcome.RUNOFF_PENDING, None)),
        places=2, batch_code=f"{batch}-2",
        notes=("郑凯得票最多，通过；谢婷婷、韩磊同得15票争1个名额，再次投票。",))
    r3 = BallotRound(
        3, RoundKind.RUNOFF, VOTE_DAY, trio[1:], n, threshold, n, n,
        (_tally(trio[1], 16, n, Outcome.PASSED, None),
         _tally(trio[2], 8, n, Outcome.FAILED, FailReason.PASS_RATE_CAP)),
        places=1, batch_code=f"{batch}-3", notes=("谢婷婷得票较多，通过；韩磊超出通过率。",))
    passed = {lv: sum(1 for c in candidates if c.level == lv and c.outcome is Outcome.PASSED)
              for lv in ("正高", "副高")}
    meeting = Meeting(
        id="QC2026-WSGJ", title="2026年度卫生系列高级职称评审会议", year=2026,
        start_date=dt.date(2026, 11, 19), end_date=VOTE_DAY,
        place="青川市卫生健康委员会培训中心三楼会议室", vote_date=VOTE_DAY,
        plan_filing_no="青人社职备〔2026〕21号", panel_size=25,
        caps=(PassRateCap("正高", Decimal("0.4"), 10, 4, passed["正高"]),
              PassRateCap("副高", Decimal("0.55"), 20, 11, passed["副高"])),
        quotas=(Quota(QUOTA_KEY, 3, 3),),
        draw_date=dt.date(2026, 11, 18),
        draw_note="监督人田守正，随机种子7f3a…c21e，另抽取备选专家2名",
        days=(MeetingDay(dt.date(2026, 11, 19), "08:30", "17:30", Decimal(9)),
              MeetingDay(VOTE_DAY, "08:30", "18:00", Decimal("9.5"))),
        draw_time=dt.datetime(2026, 11, 18, 15, 0, tzinfo=LOCAL_TIME),
        vote_presider="欧阳振华（主任委员）", commitment_reader=experts[4].name)
    honoraria = tuple(
        HonorariumLine(e.id, "正高", Decimal(2), Decimal(1500), Decimal(3000))
        for e in experts if e.role in (Role.EXPERT, Role.CHAIR, Role.VICE_CHAIR) and e.present)
    return MeetingReport(
        committee=Committee("青川市卫生系列高级职称评审委员会", "senior", "series",
                            "青川市卫生健康委员会", "湘人社函〔2024〕88号", dt.date(2027, 6, 30),
                            office="青川市卫生健康委员会职称改革工作办公室"),
        meeting=meeting, experts=tuple(experts), candidates=candidates, groups=groups,
        rounds=(r1, r2, r3),
        publicity=Publicity(dt.date(2026, 11, 25), dt.date(2026, 11, 23), dt.date(2026, 11, 27),
                            where="青川市卫生健康委员会门户网站", contact="青川市卫生健康委员会人事科",
                            phone="0743-8220000",
                            objections="无异议"),
        filing=Filing(dt.date(2026, 12, 18), "青川市人力资源和社会保障局",
                      "青川市卫生健康委员会", dt.date(2026, 11, 30)),
        honoraria=honoraria,
        fees=(FeeLine("正高", 10, Decimal(400), Decimal(200), Decimal(6000), 10, Decimal(30)),
              FeeLine("副高", 20, Decimal(400), Decimal(200), Decimal(12000), 20, Decimal(30))),
        summary_texts=SummaryTexts(
            experience="面试试题经出题人、审核人实名签字，做到可追溯；表决当场计票、当场公布。",
            improvements="部分申报材料业绩佐证不够规范，下一年度提前公布材料清单。",
            suggestions="建议扩充急诊医学专业评审专家库。"),
    )


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢岳齐沿梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮桂闵欧阳解强丛华车冉房边辜吉饶刁瞿戚丘古米池滕晋苑邬臧畅宫来嵺苟全褚廉简娄盖符奚木穆党燕郎邸冀谈姬屠连郜晏栾郁商蒙计喻揭窦迟宇敖糜鄢冷卓花艾蓝都巩稽井练仲乐虞卞封竺冼原官衣楚佟栗匡宗应台巫鞠僧桑荆谌银扬明沙薄伏岑习胥保和蔺"  # noqa: E501
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红梅玉兰海燕晓东春雪松德胜慧永宇航思远佳怡凯婷鑫然堃喆昇䶮"  # noqa: E501


def generate_report(candidates: int = 1500, voters: int = 41, runoffs: int = 3,
                    seed: int = 1) -> MeetingReport:
    """A large synthetic meeting: ``candidates`` 正高/副高, ``voters`` experts, runoff rounds."""
    if voters < 21:
        raise ValueError("the generated meeting needs at least 21 voters (3 groups of 7)")
    rng = random.Random(seed)
    base = sample_report()
    experts = [Expert(f"E{i:03d}", rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN),
                      rng.choice(_UNITS), "主任医师", group_id=_GROUPS[i % 3][0])
               for i in range(voters)]
    experts += [e for e in base.experts if e.role is not Role.EXPERT]
    groups = _groups(experts)
    n, threshold = voters, -(-2 * voters // 3)
    cands, tallies = [], []
    for i in range(candidates):
        level = "正高" if i % 10 < 3 else "副高"
        yes = rng.randint(n // 3, n)
        name = rng.choice(_SURNAMES) + rng.choice(_GIVEN) + (rng.choice(_GIVEN) if i % 3 else "")
        outcome, reason = (Outcome.PASSED, None) if yes >= threshold else (
            Outcome.FAILED, FailReason.BELOW_THRESHOLD)
        c = _candidate(i % 30, name, level, min(yes * 24 // n, 24), groups, outcome, reason)
        cands.append(replace(c, id=f"C{i + 1:04d}", name=name))
        tallies.append(_tally(cands[-1].id, yes, n, outcome, reason))
    rounds = [BallotRound(1, RoundKind.FIRST, VOTE_DAY, tuple(c.id for c in cands), n, threshold,
                          n, n, tuple(tallies), batch_code="BENCH-1",
                          notes=("各级别按得票依次确定通过人选。",))]
    for r in range(runoffs):
        ids = tuple(c.id for c in cands[r * 3: r * 3 + 3])
        rounds.append(BallotRound(
            r + 2, RoundKind.RUNOFF, VOTE_DAY, ids, n, threshold, n, n,
            tuple(_tally(cid, n - 5 - k, n, Outcome.PASSED if k == 0 else Outcome.FAILED,
                         None if k == 0 else FailReason.PASS_RATE_CAP)
                  for k, cid in enumerate(ids)), places=1, batch_code=f"BENCH-{r + 2}"))
    return MeetingReport(base.committee, base.meeting, tuple(experts), tuple(cands),
                         groups, tuple(rounds), base.publicity, base.filing)
