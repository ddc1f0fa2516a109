"""The committee key's passphrase: weak ones refused with why and what to do, in both languages,
never repeating the passphrase; fair and strong ones accepted; the meeting's own words count."""

from __future__ import annotations

import pytest

from app.errors import RuleViolation
from app.rules.passphrase import (
    ACCEPTED_GUESSES,
    COMMON_WORDS,
    MIN_LENGTH,
    Strength,
    check_passphrase,
    meeting_words,
    require_strong,
)

#: The demo meeting's facts, as DocumentsService.passphrase_words gives them.
WORDS = meeting_words(["某市卫生系列中级职称评审委员会", "卫生系列", "2026年度卫生系列中级职称评审",
                       "市人力资源和社会保障局第三会议室", 2026, "2026-11-20", "20261120", "湘人社函〔2024〕118号",
                       "人事科 李文静", "纪检组 王立新"])


@pytest.mark.parametrize(("passphrase", "en", "zh"), [
    ("", "must not be empty", "签章口令不能为空"),
    ("Xq7#vL", "it has 6 characters, fewer than 10", "只有6个字符，少于10个"),
    ("评审会口令九", "fewer than 10", "少于10个"),              # a Chinese character counts as one
    ("1234567890", "common password", "常见密码"),
    ("aaaaaaaaaaaaaaaa", "repeats characters", "重复的字符"),
    ("mnopqrstuvwx", "a run", "连续的字符"),
    ("hjkl;poiuy", "keys next to each other", "键盘上相邻"),
    ("zhangsan1980", "a date or a year", "日期或年份"),
    ("password2026!", "common password", "常见密码"),
    ("某市卫生系列中级职称评审委员会", "the committee's own words", "本评委会自己的信息"),
    ("卫生系列评审2026", "a date or a year", "日期或年份"),
    ("2026年度卫生系列中级职称评审", "the committee's own words", "本评委会自己的信息"),
    ("评审委员会职称口令", "fewer than 10", "少于10个"),
    ("评审委员会职称评审口令密码", "words anyone would try first", "人人都会先试的词"),
    ("conclave-committee", "words anyone would try first", "人人都会先试的词"),
])
def test_weak_passphrases_are_refused_with_why_and_what_to_do(passphrase: str, en: str, zh: str) -> None:
    check = check_passphrase(passphrase, WORDS)
    assert check.strength is Strength.WEAK and not check.accepted and check.problem is not None
    assert en in check.problem and zh in check.problem.zh
    assert f"at least {MIN_LENGTH} characters" in check.problem                 # what to do, in both
    assert f"至少{MIN_LENGTH}个字符" in check.problem.zh and "不要用评委会名称" in check.problem.zh
    with pytest.raises(RuleViolation) as refused:
        require_strong(passphrase, WORDS)
    assert refused.value.rule == "seal.passphrase" and refused.value.violations[0].message == check.problem
    if len(passphrase) >= 4:                                                 # it never repeats the secret
        assert passphrase not in check.problem and passphrase not in check.problem.zh


@pytest.mark.parametrize(("passphrase", "strength"), [
    ("评审会 correct horse 2025", Strength.STRONG),
    ("demo-key-not-for-real-use", Strength.STRONG),
    ("月光 bicycle 茶杯 7 river", Strength.STRONG),
    ("pass-phrase-2027", Strength.FAIR),
    ("Tr0ub4dor&3x", Strength.FAIR),
    ("长江黄河泰山华山春风", Strength.FAIR),
])
def test_fair_and_strong_passphrases_are_accepted(passphrase: str, strength: Strength) -> None:
    check = require_strong(passphrase, WORDS)
    assert check.strength is strength and check.accepted and check.problem is None
    assert check.guesses >= ACCEPTED_GUESSES


def test_the_meetings_words_make_a_passphrase_weak_that_would_pass_elsewhere() -> None:
    passphrase = "湘人社函2024号118"
    assert check_passphrase(passphrase).accepted
    assert not check_passphrase(passphrase, meeting_words(["湘人社函〔2024〕118号"])).accepted


def test_meeting_words_hold_each_fact_its_words_and_pieces_and_the_common_words() -> None:
    words = meeting_words(["某市卫生系列中级职称评审委员会", "", None, "Room 3B", 2026])
    assert words[:3] == ["某市卫生系列中级职称评审委员会", "room 3b", "2026"]           # the facts first
    assert words[3:3 + len(COMMON_WORDS)] == [w.lower() for w in COMMON_WORDS if w.lower() not in words[:3]]
    assert {"卫生系列", "评审委员会", "中级", "room", "3b"} <= set(words)
    assert "" not in words and len(words) == len(set(words))


def test_bytes_from_a_passphrase_file_are_judged_as_text() -> None:
    assert check_passphrase("评审会 correct horse 2025".encode()).strength is Strength.STRONG
    assert not check_passphrase(b"aaaaaaaaaaaa").accepted
    assert check_passphrase(b"\xff\x13k\x9a\xc4Q\x07\xe2z\x88\x91\xf0").accepted   # not UTF-8: a character a byte


def test_a_very_long_passphrase_is_judged_by_its_beginning() -> None:
    assert check_passphrase("river 茶杯 bicycle 7 " * 20).strength is Strength.STRONG
