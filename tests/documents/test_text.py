"""避头尾 line breaking: no line starts with closing or ends with opening punctuation."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.documents.text import NO_END, NO_START, Line, TextStyle, Typesetter, break_lines
from tests.examples import examples

CLOSING = "，；：！？、。）》”"
OPENING = "（《“"
HAN = "王䶮李𠈌张堃陈喆刘昇评审委员会表决通过"


def _lines(text: str, width: float) -> list[str]:
    return [text[ln.start:ln.end] for ln in break_lines(text, [1.0] * len(text), width)]


def test_comma_is_pushed_down_with_the_character_before_it() -> None:
    # Four characters fit; the fifth is "，", which may not start a line (推出).
    assert _lines("评审委员，表决通过", 4) == ["评审委", "员，表决", "通过"]
    assert _lines("评审委员。", 4) == ["评审委", "员。"]


def test_opening_bracket_does_not_end_a_line() -> None:
    assert _lines("评审委（员会）", 4) == ["评审委", "（员会）"]


def test_latin_words_and_numbers_stay_whole() -> None:
    assert _lines("编号C0012026年", 4) == ["编号", "C001", "2026", "年"]
    assert _lines("时间为2026-11-20", 12) == ["时间为", "2026-11-20"]


def test_doubled_dash_and_ellipsis_are_not_split() -> None:
    assert _lines("评审——会议", 3) == ["评审", "——会", "议"]
    assert _lines("评审……会议", 3) == ["评", "审……", "会议"]


def test_hard_line_breaks_and_empty_paragraphs() -> None:
    lines = break_lines("评审\n\n会议", [1.0] * 6, 10)
    assert [(ln.start, ln.end, ln.last) for ln in lines] == [(0, 2, True), (3, 3, True),
                                                              (4, 6, True)]


def test_no_legal_break_squeezes_punctuation_rather_than_starting_a_line_with_it() -> None:
    assert _lines("ABCDEFG，", 7) == ["ABCDEFG，"]


TOKENS = st.one_of(
    st.sampled_from(HAN),
    st.tuples(st.sampled_from(HAN), st.sampled_from(CLOSING)).map("".join),
    st.tuples(st.sampled_from(OPENING), st.sampled_from(HAN)).map("".join),
    st.tuples(st.sampled_from(OPENING), st.sampled_from(HAN), st.sampled_from(CLOSING)).map("".join),
)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(TOKENS, min_size=1, max_size=60).map("".join), st.integers(3, 30))
def test_kinsoku_holds_and_nothing_is_lost(text: str, width: int) -> None:
    lines = break_lines(text, [1.0] * len(text), width)
    assert "".join(text[ln.start:ln.end] for ln in lines) == text
    for i, ln in enumerate(lines):
        chunk = text[ln.start:ln.end]
        assert chunk, "empty line"
        assert len(chunk) <= width
        if i:
            assert chunk[0] not in NO_START, (text, width, chunk)
        if i < len(lines) - 1:
            assert chunk[-1] not in NO_END, (text, width, chunk)


def test_center_titles_are_balanced() -> None:
    ts = Typesetter()
    style = TextStyle(role="title", size=22, leading=30, align="center")
    title = "关于2026年度卫生系列高级职称评审结果的公示"
    lines: list[Line] = ts.layout(title, style, 442)
    widths = [ln.end - ln.start for ln in lines]
    assert len(lines) == 2 and abs(widths[0] - widths[1]) <= 2, widths


def test_missing_glyph_is_reported_once_with_context() -> None:
    ts = Typesetter()
    ts.layout("张𰀀与李𰀀", TextStyle(), 400)
    assert list(ts.missing) == [0x30000]
    gap = ts.missing[0x30000]
    assert gap.codepoint == "U+30000" and gap.char == "𰀀" and "张" in gap.context
    assert ts.advances("𰀀", TextStyle(size=10)) == [10.0]  # a full-width box, not nothing


def test_an_official_title_breaks_between_words_never_inside_one() -> None:
    """GB/T 9704 7.3.1: 关于2026年度卫生系列中级职称评审结果备案的报告 was broken 中 / 级; now at a word
    boundary, the fewest and most even lines, and a title that fits stays on one line."""
    from app.documents.text import break_title

    def width(text: str) -> float:
        return float(len(text))

    assert break_title("关于2026年度卫生系列中级职称评审结果备案的报告", width, 20) == (
        "关于2026年度卫生系列\n中级职称评审结果备案的报告")
    assert break_title("关于2026年度卫生系列中级职称评审结果的公示", width, 40) == (
        "关于2026年度卫生系列中级职称评审结果的公示")
    assert break_title("某委员会\n2026年度职称评审工作总结", width, 10) == "某委员会\n2026年度职称\n评审工作总结"
    # no word boundary at all: left to the typesetter
    assert break_title("一二三四五六七八九十", width, 4) == "一二三四五六七八九十"
