"""The 18-character ID number check (GB 11643-1999)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.idnumber import check_digit, id_number_problem, normalize

TODAY = dt.date(2026, 11, 20)


@pytest.mark.parametrize("number", [
    "11010519491231002X",      # the example printed in GB 11643-1999
    "11010519491231002x",      # lowercase x is accepted
    "440524188001010014",      # the standard's second example
    "433101198003151236",
    "81000019900101001" + check_digit("81000019900101001"),   # HK residence permit
])
def test_valid_numbers(number: str) -> None:
    assert id_number_problem(number, TODAY) is None


@pytest.mark.parametrize(("number", "fragment"), [
    ("110105194912310021", "check digit should be X"),
    ("433101198003151237", "check digit should be 6"),
    ("11010519491231002", "18 characters, not 17"),
    ("110105491231002", "old 15-digit"),
    ("11010519491231002XX", "not 19"),
    ("1101051949123100A2", "character 17 must be a digit"),
    ("11010519491231002Y", "last character"),
    ("１10105194912310021", "character 1"),      # full-width digit
    ("991051194912310021", "province code"),
    ("001051194912310021", "province code"),
    ("110105194902300021", "not a valid date"),   # 30 February
    ("110105000001010021", "not a valid date"),   # year 0
    ("110105202612010021", "in the future"),
])
def test_invalid_numbers_say_what_is_wrong(number: str, fragment: str) -> None:
    problem = id_number_problem(number, TODAY)
    assert problem is not None and fragment in problem, problem


def test_birth_on_the_day_itself_is_not_future() -> None:
    first17 = "11010520261120001"
    assert id_number_problem(first17 + check_digit(first17), TODAY) is None
    first17 = "11010520261121001"
    assert "future" in (id_number_problem(first17 + check_digit(first17), TODAY) or "")


def test_not_a_string() -> None:
    assert id_number_problem(123, TODAY) is not None  # type: ignore[arg-type]


def test_normalize() -> None:
    assert normalize("11010519491231002x") == "11010519491231002X"


@given(st.dates(dt.date(1930, 1, 1), dt.date(2008, 12, 31)), st.integers(0, 999),
       st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_caught(birth: dt.date, seq: int, pos: int, delta: int) -> None:
    first17 = f"430121{birth:%Y%m%d}{seq:03d}"
    good = first17 + check_digit(first17)
    assert id_number_problem(good, TODAY) is None
    changed = good[:pos] + str((int(good[pos]) + delta) % 10) + good[pos + 1:]
    assert id_number_problem(changed, TODAY) is not None
