"""How strong the committee key's passphrase must be (签章口令强度).

Why a rule: the committee key file (PKCS#12) is copied to the backup medium and may leave the
laptop with it. Whoever holds a copy can try passphrases offline, as fast as their hardware
allows, with nobody to notice — and the file's integrity check (a PKCS#12 MAC of 2,048
iterations, which ``cryptography`` does not let us raise) makes a guess cheap: a graphics card
tries millions a second. Only the passphrase stands between a copied file and forged seals on
the committee's papers. So the window (:class:`ui.key_dialog.CommitteeKeyDialog`), ``conclave
key create`` and :func:`app.sealing.keys.create_committee_key` refuse the same weak passphrases,
with the same words, through :func:`require_strong`.

How it is judged: by zxcvbn (Dropbox's estimator, the Python port on PyPI), which counts the
guesses an attacker needs who tries common passwords, words and names, keyboard patterns
(``qwerty``), repeats (``aaaa``, ``abcabc``), runs (``123456``, ``abcdef``), dates and years,
l33t spellings, and the words we give it: the meeting's own facts (the committee's name and its
parts, the series, the meeting's title and place, the years and dates, the staff) and a few
words anyone would try first (``评审``, ``职称``, ``口令``, ``password``…) and the years 2000–2040
(zxcvbn's own list of years stops at 2019). zxcvbn knows no Chinese words: it counts each Chinese
character as ten guesses, as if it were a digit.

The thresholds (documented, and shown in the window as 弱/中/强):

* **weak** — refused: fewer than :data:`MIN_LENGTH` characters, or fewer than
  :data:`ACCEPTED_GUESSES` (10¹⁰, zxcvbn's top score) estimated guesses;
* **fair** — accepted: at least 10¹⁰ guesses;
* **strong** — at least :data:`STRONG_GUESSES` (10¹⁴) guesses, e.g. three or four unrelated
  words with a number.

A refusal never repeats any part of the passphrase: it names the kind of weakness (too short, a
common password, the committee's own words, a run, a repeat…) and says what to do.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from app.errors import RuleViolation
from app.text import Bilingual, bi

#: The fewest characters a passphrase may have (a Chinese character counts as one).
MIN_LENGTH: Final = 10
#: The fewest estimated guesses for a passphrase to be accepted (zxcvbn's score 4).
ACCEPTED_GUESSES: Final = 10**10
#: The estimated guesses from which a passphrase is called strong.
STRONG_GUESSES: Final = 10**14
#: zxcvbn refuses longer input; a longer passphrase is judged by its first 72 characters (a
#: passphrase is at least as hard to guess as its beginning).
_ANALYSED_LENGTH: Final = 72

#: Words anyone would try first for a review committee's key, whatever the meeting.
COMMON_WORDS: Final = ("评审", "评委", "评委会", "评审会", "评审委员会", "职称", "职称评审", "口令", "密码",
                       "签章", "密钥", "委员会", "password", "passphrase", "conclave", "committee", "admin")

#: Years a guesser tries, counted as words: zxcvbn itself knows years only up to 2019.
YEARS: Final = tuple(str(year) for year in range(2000, 2041))

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")
_WORD = re.compile(r"[^\W_]+")
_MAX_CJK_PIECES = 20            # a longer run of Chinese contributes its pieces up to this length


class Strength(StrEnum):
    """弱 (refused), 中 (accepted), 强."""

    WEAK = "weak"
    FAIR = "fair"
    STRONG = "strong"


@dataclass(frozen=True)
class PassphraseCheck:
    """The verdict on a passphrase: its strength, and — when weak — why, and what to do."""

    strength: Strength
    guesses: float                       # zxcvbn's estimate (0 for an empty passphrase)
    problem: Bilingual | None = None     # set when weak: the refusal's text

    @property
    def accepted(self) -> bool:
        return self.strength is not Strength.WEAK


ADVICE: Final = bi(
    f"use at least {MIN_LENGTH} characters: three or four unrelated words (Chinese or Latin letters) "
    "with a number or a sign — nothing about the committee",
    f"请改用至少{MIN_LENGTH}个字符、由三四个互不相关的词组成的口令（汉字、字母均可，夹杂数字或符号），"
    "不要用评委会名称、年份、连续或重复的字符")

# The kinds of weakness zxcvbn finds, worst first: (English, Chinese).
_KINDS: Final[dict[str, tuple[str, str]]] = {
    "user_inputs": ("it contains the committee's own words (its name, series, place, years or staff)",
                    "含有本评委会自己的信息（名称、系列、地点、年份或人员）"),
    "common": ("it contains words anyone would try first (评审, 职称, 口令, password…)",
               "含有人人都会先试的词（如评审、职称、口令、password）"),
    "passwords": ("it contains a common password", "含有常见密码"),
    "words": ("it is made of few common words or names", "只由少数常见单词或人名组成"),
    "repeat": ("it repeats characters (like aaaa or abcabc)", "含有重复的字符（如aaaa、abcabc）"),
    "sequence": ("it contains a run (like 123456 or abcdef)", "含有连续的字符（如123456、abcdef）"),
    "spatial": ("it contains keys next to each other on the keyboard (like qwerty)",
                "含有键盘上相邻的按键（如qwerty）"),
    "date": ("it contains a date or a year", "含有日期或年份"),
}


def meeting_words(facts: Iterable[object]) -> list[str]:
    """The words zxcvbn should try first for a meeting, likeliest first (zxcvbn counts a word's place
    in the list as its guesses): each fact whole, then :data:`COMMON_WORDS`, then each fact's words
    and the pieces of its Chinese (so ``卫生系列`` is found inside ``某市卫生系列中级职称评审委员会``),
    then :data:`YEARS`. Empty facts are skipped."""
    words: dict[str, None] = {}

    def add(word: str) -> None:
        word = word.strip().lower()
        if word:
            words.setdefault(word)

    texts = [text for text in (str(fact or "").strip() for fact in facts) if text]
    for text in texts:
        add(text)
    for word in COMMON_WORDS:
        add(word)
    for text in texts:
        for word in _WORD.findall(text):
            add(word)
        for run in _CJK_RUN.findall(text):
            for piece in _pieces(run[:_MAX_CJK_PIECES]):
                add(piece)
    for year in YEARS:
        add(year)
    return list(words)


def _pieces(run: str) -> Iterator[str]:
    """Every stretch of two or more characters of ``run``, the longest first."""
    for size in range(len(run), 1, -1):
        for start in range(len(run) - size + 1):
            yield run[start:start + size]


_lock = threading.Lock()      # zxcvbn keeps the words it is given in a module-level table


def check_passphrase(passphrase: str | bytes, words: Iterable[str] = ()) -> PassphraseCheck:
    """How strong ``passphrase`` is, the ``words`` of the meeting counted as the first guesses
    (see :func:`meeting_words`)."""
    text = _as_text(passphrase)
    if not text:
        return PassphraseCheck(Strength.WEAK, 0, bi(f"the key passphrase must not be empty: {ADVICE}",
                                                    f"签章口令不能为空：{ADVICE.zh}。"))
    from zxcvbn import zxcvbn

    with _lock:
        result = zxcvbn(text[:_ANALYSED_LENGTH], user_inputs=list(words))
    guesses = float(result["guesses"])
    if len(text) < MIN_LENGTH:
        return PassphraseCheck(Strength.WEAK, guesses, _refusal(bi(
            f"it has {len(text)} characters, fewer than {MIN_LENGTH}",
            f"只有{len(text)}个字符，少于{MIN_LENGTH}个")))
    if guesses < ACCEPTED_GUESSES:
        return PassphraseCheck(Strength.WEAK, guesses, _refusal(_why(result["sequence"])))
    return PassphraseCheck(Strength.STRONG if guesses >= STRONG_GUESSES else Strength.FAIR, guesses)


def require_strong(passphrase: str | bytes, words: Iterable[str] = ()) -> PassphraseCheck:
    """The check of :func:`check_passphrase`, or the refusal ``seal.passphrase`` if weak."""
    check = check_passphrase(passphrase, words)
    if check.problem is not None:
        raise RuleViolation.single("seal.passphrase", check.problem)
    return check


def _why(sequence: list[dict[str, Any]]) -> Bilingual:
    """The kinds of weakness among the pieces zxcvbn matched (worst first), or that it is simply
    too easy to guess (too few characters of too few kinds)."""
    found = {_kind(match) for match in sequence} - {None}
    kinds = [_KINDS[k] for k in _KINDS if k in found][:2]
    if not kinds:
        return bi("it is too easy to guess", "太容易被猜到")
    return bi("; ".join(en for en, _ in kinds), "；".join(zh for _, zh in kinds))


def _kind(match: dict[str, Any]) -> str | None:
    pattern = match.get("pattern")
    if pattern == "dictionary":
        name = match.get("dictionary_name")
        word = match.get("matched_word")
        if name == "user_inputs" and word in YEARS:
            return "date"
        if name == "user_inputs" and word in COMMON_WORDS:
            return "common"
        return name if name in ("user_inputs", "passwords") else "words"
    if pattern == "regex":                 # zxcvbn's only regex: recent years
        return "date"
    return pattern if pattern in _KINDS else None


def _refusal(why: Bilingual) -> Bilingual:
    return bi(f"the key passphrase is too easy to guess: {why}; {ADVICE}",
              f"签章口令太容易被猜到：{why.zh}。{ADVICE.zh}。")


def _as_text(passphrase: str | bytes) -> str:
    """A passphrase read from a file is bytes: UTF-8, or else one character a byte."""
    if isinstance(passphrase, str):
        return passphrase
    try:
        return bytes(passphrase).decode("utf-8")
    except UnicodeDecodeError:
        return bytes(passphrase).decode("latin-1")
