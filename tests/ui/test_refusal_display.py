"""A refusal on screen: the headline in the interface's language, the rule id and the clause of
the rules on a details line below it — never in the headline."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from app.errors import RuleViolation
from app.rules.committee import PoolMember, check_pool
from ui.catalog import RULE_TITLES, ZH
from ui.i18n import DEFAULT_RULE_TITLE, bridge, refusal_text, rule_title
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
    assert rule_title("pool.term") == "Expert pool does not meet the rules"      # pool's: none for pool.term


def test_a_refusal_is_titled_by_its_rule_then_its_prefix_then_the_default(qapp: object) -> None:
    assert "review.conflict" in RULE_TITLES and "review.assign" not in RULE_TITLES and "nothing" not in RULE_TITLES
    bridge.set_language("en")
    assert rule_title("review.conflict") == "Must recuse"                                  # its own
    assert rule_title("review.assign") == "Reviewer assignment does not meet the rules"    # review's
    assert rule_title("nothing.known") == DEFAULT_RULE_TITLE == "Not allowed by the rules"
    bridge.set_language("zh")
    assert rule_title("review.conflict") == "须回避"
    assert rule_title("review.assign") == "评审分工不符合规定"
    assert rule_title("nothing.known") == "不符合规则"


def test_every_rule_title_is_english_with_its_chinese() -> None:
    """No title shows in English in the Chinese window, nor in Chinese in the English one."""
    assert len(RULE_TITLES) > 90, "the catalogs' rule titles were not merged"
    titles = [DEFAULT_RULE_TITLE, *RULE_TITLES.values()]
    assert not [t for t in titles if not ZH.get(t, "").strip()], "rule titles without Chinese"
    assert not [t for t in titles if re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", t)]
    assert not [t for t in titles if t != t.strip() or t.endswith((".", "。")) or not t[:1].isupper()]


#: How the engine raises a refusal under a rule id: ``fail("pool.term", …)``, ``RuleViolation.single(…)``,
#: ``Violation(…)``, ``refuse(…)``.
RAISED = re.compile(r'\b(?:fail|single|Violation|refuse)\(\s*(?:rule=)?"([a-z_]+\.[a-z_]+)"')


def test_every_rule_the_engine_refuses_under_has_a_title_of_its_own_or_its_prefix() -> None:
    """Never the default title: a meeting file in use read "Not allowed by the rules" (不符合规则),
    as did every refusal of the pool, the staff's sign-in and the honoraria."""
    root = Path(__file__).resolve().parents[2]
    rules = {m.group(1) for path in (root / "app").rglob("*.py")
             for m in RAISED.finditer(path.read_text(encoding="utf-8"))}
    assert len(rules) > 150 and {"storage.busy", "pool.term", "staff.session", "ballot.closed"} <= rules
    untitled = sorted(r for r in rules if r not in RULE_TITLES and r.split(".")[0] not in RULE_TITLES)
    assert untitled == []
