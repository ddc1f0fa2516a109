"""The column specs and cell converters, one by one."""

from __future__ import annotations

import datetime as dt

import pytest

from app.importing.columns import (
    CANDIDATES,
    POOL,
    SPECS,
    as_count,
    as_id_number,
    as_name,
    as_years,
    as_yes_no,
    header_key,
    id_problem_zh,
    split_list,
)
from app.importing.problems import CellError, Kind
from app.rules.idnumber import check_digit, id_number_problem


@pytest.mark.parametrize("kind", list(SPECS))
def test_no_header_answers_for_two_columns(kind: Kind) -> None:
    keys = [k for c in SPECS[kind].columns for k in c.keys]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(("written", "field"), [
    ("身份证号", "id_number"), ("ID Number", "id_number"), ("id_number", "id_number"), ("Id-Number", "id_number"),
    ("公民身份号码", "id_number"), ("身份证号（选填）", "id_number"), ("编号*", "code"), ("CODE", "code"),
    ("申报级别(必填)", "level"), ("Quota_Key", "quota_key"), ("　姓 名　", "name"),
])
def test_headers_are_recognised_in_chinese_or_english(written: str, field: str) -> None:
    column = CANDIDATES.column(header_key(written))
    assert column is not None and column.field == field


@pytest.mark.parametrize("typo", ["身份证", "ID", "levels", "姓名1", "备注", "序号"])
def test_near_misses_are_not_guessed(typo: str) -> None:
    assert CANDIDATES.column(header_key(typo)) is None


def test_the_pool_code_column_fills_the_expert_id() -> None:
    column = POOL.column(header_key("id"))
    assert column is not None and column.field == "id" and column.header == "编号"


@pytest.mark.parametrize("number", [
    "1234567890123",                # wrong length
    "431317880102434",              # 15 digits
    "43131719880102434A",           # a letter in the last place
    "4313171988010243X6",           # a letter among the digits
    "991317198801024346",           # no such province
    "431317198802304346",           # 30 February
    "431317209901024346",           # born in the future
    "431317198801024345",           # wrong check digit
])
def test_every_id_number_problem_has_chinese(number: str) -> None:
    english = id_number_problem(number)
    assert english is not None
    zh = id_problem_zh(english)
    assert "GB 11643" not in zh and english not in zh, (english, zh)


def test_an_unknown_id_message_still_shows_the_english() -> None:
    assert "something new" in id_problem_zh("something new")


def test_as_id_number_accepts_full_width_digits() -> None:
    number = "11010519491231002" + check_digit("11010519491231002")
    wide = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert as_id_number(wide) == number


@pytest.mark.parametrize(("raw", "value"), [(5, 5), (5.0, 5), ("5", 5), (" ５ ", 5), ("5.00", 5), (0, 0)])
def test_as_count(raw: object, value: int) -> None:
    assert as_count(raw) == value


@pytest.mark.parametrize("raw", [-1, 2.5, "5年", "five", True, "1e3", dt.date(2024, 1, 1)])
def test_as_count_refuses(raw: object) -> None:
    with pytest.raises(CellError):
        as_count(raw)


@pytest.mark.parametrize(("raw", "years"), [
    ("2024,2025", (2024, 2025)), ("2025、2024", (2024, 2025)), ("2024，2025；2024", (2024, 2025)),
    ("2024\n2025", (2024, 2025)), (2024, (2024,)), (2024.0, (2024,)), ("２０２４", (2024,)),
])
def test_as_years(raw: object, years: tuple[int, ...]) -> None:
    assert as_years(raw) == years


@pytest.mark.parametrize("raw", ["24", "2024.5", 1900, "3000", "二〇二四"])
def test_as_years_refuses(raw: object) -> None:
    with pytest.raises(CellError):
        as_years(raw)


@pytest.mark.parametrize(("raw", "value"), [("是", True), ("否", False), ("YES", True), ("no", False),
                                           (True, True), (False, False), ("TRUE", True)])
def test_as_yes_no(raw: object, value: bool) -> None:
    assert as_yes_no(raw) is value


def test_as_name_removes_padding_only_in_chinese_names() -> None:
    assert as_name("王　海") == "王海"
    assert as_name("阿依古丽·买买提") == "阿依古丽·买买提"
    assert as_name("John Smith") == "John Smith"


def test_split_list_keeps_brackets_together() -> None:
    assert split_list("甲（东、西院区）、乙(A,B)；丙【1、2】") == ["甲（东、西院区）", "乙(A,B)", "丙【1、2】"]
    assert split_list("、,;\n") == []
