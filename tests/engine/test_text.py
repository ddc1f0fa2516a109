"""Bilingual engine texts: a str in English that carries its Chinese."""

from __future__ import annotations

import json
import pickle

from app.domain import Step
from app.errors import RuleViolation
from app.text import Bilingual, bi, dump, in_chinese, load

from .conftest import MakeApp


def test_bilingual_is_its_english_everywhere_a_string_goes() -> None:
    text = bi("the ballot has not been held", "尚未进行表决")
    assert text == "the ballot has not been held"
    assert json.dumps({"m": text}) == '{"m": "the ballot has not been held"}'
    assert in_chinese(text) == "尚未进行表决" and in_chinese("plain") == "plain"
    again = pickle.loads(pickle.dumps(text))
    assert isinstance(again, Bilingual) and again.zh == "尚未进行表决"


def test_stored_texts_keep_both_languages() -> None:
    stored = dump(bi("13 experts present", "出席评委13人"))
    back = load(stored)
    assert back == "13 experts present" and in_chinese(back) == "出席评委13人"
    assert load(None) == "" and load("legacy text") == "legacy text"


def test_gates_summaries_and_refusals_speak_chinese(demo_at: MakeApp) -> None:
    app, mid = demo_at(Step.PLENARY)
    status = app.procedure.status(mid)
    assert in_chinese(status[0].summary) == "出席评委13人，均已签署承诺书"
    assert in_chinese(status[6].missing[0]) == "尚未进行表决"
    try:
        app.review.record_eligibility("秘书", mid, "C001", False, "材料不全")
    except RuleViolation as exc:
        assert "已完成并锁定" in in_chinese(exc.violations[0].message)
    else:
        raise AssertionError("a locked step accepted a change")


def test_a_long_gate_list_names_the_first_twenty_and_counts_the_rest() -> None:
    from app.services.procedure import _list

    codes = [f"C{i:04d}" for i in range(1500)]
    item = _list("not interviewed yet", "尚未面试", codes)
    assert item.endswith("C0019 and 1480 more")
    assert in_chinese(item).endswith("C0019等1500人")
