"""A refusal on screen: the headline in the interface's language, the rule id and the clause of
the rules on a details line below it — never in the headline."""

from __future__ import annotations

import datetime as dt

from app.errors import RuleViolation
from app.rules.committee import PoolMember, check_pool
from ui.i18n import bridge, refusal_text, rule_title
from ui.ops import MessageBridge


def _refusal() -> RuleViolation:
    pool = [PoolMember("P01", "王敏", "副高", 2), PoolMember("P02", "李强", "正高", 9, dt.date(2020, 1, 1))]
    return RuleViolation(check_pool(pool, level="intermediate", on=dt.date(2026, 11, 20)))


def test_the_chinese_interface_shows_chinese_headlines_and_a_details_line(qapp: object) -> None:
    bar = MessageBridge()
    bar.refusal(_refusal())
    kind, title, text, _details = bar.history[-1]
    *headlines, detail = text.split("\n")
    assert kind == "refused" and title == rule_title("pool.term") and "." not in title
    assert headlines == ["P02 李强：任期为2020-01-01至2023-01-01，2026-11-20不在任期内，须重新聘任",
                         "评审专家库现有2人，中级评委会的专家库不得少于30人",
                         "P01 王敏：任副高2年；入库专家须为正高，或任副高3年以上"]
    assert detail == "详情：pool.term · X§6；pool.minimum · X§4, X§6；pool.title · X§6"


def test_the_english_interface_shows_the_english(qapp: object) -> None:
    bridge.set_language("en")
    exc = _refusal()
    *headlines, detail = refusal_text(exc).split("\n")
    assert headlines == [v.en for v in exc.violations] and headlines[1].startswith("the pool holds 2 experts")
    assert detail == "Details: pool.term · X§6; pool.minimum · X§4, X§6; pool.title · X§6"
    assert rule_title("pool.term") == "Refused"
